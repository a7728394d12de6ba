/*
 * proctree.h: the processes below a given one, read from /proc.
 *
 * Children are read from /proc/PID/task/TID/children of every thread (a child belongs to the
 * thread that forked it). A process that vanishes while being read is normal and simply
 * skipped. Buffers are bounded; nothing here allocates fds that outlive a call.
 */
#ifndef PIPEGRADE_PROCTREE_H
#define PIPEGRADE_PROCTREE_H

#include <stddef.h>
#include <sys/types.h>

struct pidlist {
	pid_t *v;
	size_t n;
	size_t cap;
};

#define PIDLIST_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void pidlist_add(struct pidlist *l, pid_t pid);
int pidlist_has(const struct pidlist *l, pid_t pid);
void pidlist_free(struct pidlist *l);

/* Appends the direct children of `pid` (of all its threads), zombies included. Returns the
 * number appended (0 when the process has gone). */
size_t proctree_children(pid_t pid, struct pidlist *out);

/* Appends every descendant of `root` (not root itself), parents before their children. */
void proctree_descendants(pid_t root, struct pidlist *out);

#endif
