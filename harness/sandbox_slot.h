/*
 * sandbox_slot.h: sandbox slots, as isolate's box ids. A slot is a number N that gives a
 * grader running as root the uid its programs run as (PIPEGRADE_UID_BASE + N) and the names of
 * its cgroups (pipegrade-slot-N). A slot is in use while its lock is held: an flock() on the
 * file N in the slot directory, which every grader on the machine that shares the uid range
 * must see: PIPEGRADE_SLOT_DIR, else /var/lib/pipegrade/slots (not a per-container /run),
 * else, where /var/lib cannot be written, /run/pipegrade/slots. It must be a folder of
 * pipegrade's user that nobody else can write into.
 * The lock goes when the grader exits, however it exits, so a slot whose lock is free belongs
 * to nobody and whatever carries its name is stale.
 *
 * The uid range defaults to 60600-61099, which systemd leaves unused (below its DynamicUser
 * range 61184-65519, above its homed and nspawn ranges); a slot whose uid has an account in the
 * user database, or has processes running, is skipped.
 *
 * Ownership: a held slot owns its lock fd (close-on-exec); sandbox_slot_release() closes it.
 * A process forked from the holder shares the lock until it closes its copy.
 */
#ifndef PIPEGRADE_SANDBOX_SLOT_H
#define PIPEGRADE_SANDBOX_SLOT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

#define SANDBOX_SLOTS 500
#define SANDBOX_UID_BASE 60600

struct sandbox_slot {
	int n;       /* the slot, or -1 */
	int lock_fd; /* the held lock, or -1 */
	uid_t uid;   /* PIPEGRADE_UID_BASE + n */
};

/* Takes a free slot. Returns 0, or -1 with a message (no slot directory, every slot busy). */
int sandbox_slot_acquire(struct sandbox_slot *s, struct buf *err);

void sandbox_slot_release(struct sandbox_slot *s);

/* Takes slot `n`'s lock for a moment: true when nobody holds it (calls `stale(n, arg)` while
 * holding it, so nobody takes the slot while its leftovers are removed). */
bool sandbox_slot_if_free(int n, void (*stale)(int n, void *arg), void *arg);

/* The first uid of the range (PIPEGRADE_UID_BASE, or SANDBOX_UID_BASE). */
uid_t sandbox_slot_uid_base(void);

#endif
