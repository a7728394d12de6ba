/*
 * sandbox_root.h: the filesystem a build or a case sees, built from an allow-list (as
 * bubblewrap's new root and isolate's box): nothing of the machine is there unless named here.
 *
 *   /usr /bin /sbin /lib /lib32 /lib64 /libx32   the machine's, read-only, nosuid, nodev (the
 *                                                ones that are symlinks stay symlinks)
 *   /etc        passwd, group, hosts, hostname and nsswitch.conf of our own; ld.so.cache,
 *               ld.so.conf(.d), localtime, alternatives, services, protocols copied
 *   /dev        null, zero, full, random, urandom; fd, stdin, stdout, stderr links; shm
 *   /proc       a new procfs per case, mounted by the case's own process (sandbox.c)
 *   /box        the case's directory: the working directory
 *   /tmp /var/tmp /dev/shm /run   the case's scratch space
 * The root itself is a small read-only tmpfs. /box and the scratch directories are one tmpfs
 * per case, whose size is the case's disk quota (limits.disk): everything a program can write
 * fits in it, and it vanishes with the case.
 *
 * The root is made once per grader, in a mount namespace of its own kept by an fd
 * (sandbox_root_make); each case joins it with setns() and unshare()s a private copy (a few
 * mounts to copy, not the machine's), into which it moves its own tmpfs, prepared by pipegrade
 * beforehand and handed over as detached mounts (open_tree(OPEN_TREE_CLONE), move_mount: Linux
 * 5.2), so that pipegrade can fill it before and read it after the case.
 *
 * Without root the same is built inside pipegrade's user namespace; there the kernel mounts a
 * new procfs only where a full one is already visible, so the machine's /proc is kept at /proc
 * under each case's own (which covers it entirely).
 */
#ifndef PIPEGRADE_SANDBOX_ROOT_H
#define PIPEGRADE_SANDBOX_ROOT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

/* Where a case's scratch directories go, inside its root, in the order of the trees below. */
enum { SCRATCH_BOX, SCRATCH_TMP, SCRATCH_VAR_TMP, SCRATCH_SHM, SCRATCH_RUN, SCRATCH_N };

#define SANDBOX_BOX "/box"
/* The name of the programs' uid in the root's /etc/passwd, whose home is SANDBOX_BOX. */
#define SANDBOX_USER "student"

struct sandbox_root_spec {
	uid_t uid, gid; /* who the programs are, for /etc/passwd and /etc/group */
	bool host_proc; /* keep the machine's /proc under each case's (without root) */
};

/* Makes the root in a new mount namespace and returns an fd of that namespace (close-on-exec),
 * or -1 with a message. */
int sandbox_root_make(const struct sandbox_root_spec *spec, struct buf *err);

/* A case's scratch space: one tmpfs (mounted in pipegrade's own mount namespace, where only
 * pipegrade sees it) holding box/, tmp/, var-tmp/, shm/ and run/. */
struct sandbox_scratch {
	char *dir;           /* where the tmpfs is mounted (owned) */
	char *box;           /* dir/box: the case's directory as pipegrade sees it (owned) */
	int tree[SCRATCH_N]; /* detached clones of each directory, for the case's namespace */
	bool mounted;        /* dir is a tmpfs of ours (else a plain directory) */
};

/* Makes the scratch space in the process's run folder, $TMPDIR/pipegrade-run.NS-PID.XXXXXX
 * (held by a lock while the process lives, removed at exit; the run folders of processes that
 * died are removed at the first call): a tmpfs of `bytes` when `mount_it`, else a plain
 * directory (no mount namespace: no quota either). box/ belongs to `owner`. A tmpfs is mounted
 * on the folder the process's previous case unmounted, when there is one (no mkdir, no rmdir).
 * Returns 0 or -1 with a message. */
int sandbox_scratch_make(struct sandbox_scratch *s, long long bytes, uid_t owner, gid_t group,
			 bool mount_it, struct buf *err);

/* True when the tmpfs is full (the program ran out of disk quota). */
bool sandbox_scratch_full(const struct sandbox_scratch *s);

/* Unmounts and removes it (a tmpfs's empty folder is kept for the process's next case, and goes
 * with the run folder). */
void sandbox_scratch_free(struct sandbox_scratch *s);

/* In the child, once in its copy of the root: moves the scratch trees into place, and covers
 * `hide` (paths under the allow-listed directories, NULL-terminated) with empty tmpfs.
 * Async-signal-safe. Returns 0, or -1 with errno and the failed step in *what. */
int sandbox_scratch_enter(const struct sandbox_scratch *s, char *const *hide, const char **what);

/* True when `path` (absolute, resolved) lies in one of the allow-listed directories, where a
 * case could see it. */
bool sandbox_root_exposes(const char *path);

#endif
