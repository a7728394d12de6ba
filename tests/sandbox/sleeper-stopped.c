/*
 * sleeper-stopped.c: leaves a stopped orphan behind. Safe to run, but the stopped child must
 * then be killed by hand (by its pid: kill -KILL PID).
 *
 * The program forks a child and, without waiting for it, prints "forked a child that stops
 * itself" and exits 0. The child ignores SIGHUP and stops itself with SIGSTOP, again and again:
 * when its process group becomes orphaned the kernel sends it SIGHUP and SIGCONT, and it just
 * stops once more, so it stays stopped until it is killed.
 *
 * A sandbox must find the stopped child (subreaper, PID namespace or cgroup) and SIGKILL it;
 * a stopped process never acts on SIGTERM. Stdout is "forked a child that stops itself", exit
 * 0; the harness may report orphan (the parent did not wait), and nothing may be left running
 * or stopped after the run.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

int main(void)
{
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		signal(SIGHUP, SIG_IGN);
		for (;;)
			raise(SIGSTOP);
	}
	printf("forked a child that stops itself\n");
	return 0;
}
