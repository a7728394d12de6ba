/*
 * fork-bomb.c: HOSTILE, never run it outside a sandbox.
 *
 * Every process, the first one and each child alike, calls fork() in an endless loop, so the
 * tree doubles until fork() fails (EAGAIN at the process limit) and then stays at that size,
 * each member spinning on failing fork() calls forever. Prints nothing.
 *
 * A sandbox should cap the number of processes (RLIMIT_NPROC under a dedicated uid, or a
 * cgroup's pids.max) so the machine stays usable, then kill the whole tree at the wall-clock
 * limit and report limit_processes (or, without that finding, timeout), with empty stdout.
 */
#define _POSIX_C_SOURCE 200809L

#include <unistd.h>

int main(void)
{
	for (;;)
		(void)fork();
}
