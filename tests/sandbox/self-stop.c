/*
 * self-stop.c: stops itself with SIGSTOP and carries on when continued. Safe to run.
 *
 * Prints "stopping", flushes, raise(SIGSTOP); once someone sends SIGCONT it prints "continued"
 * and exits 0.
 *
 * Nobody continues it inside the harness: the main process stays stopped, a sandbox must not
 * wait for it forever. The case ends at the wall-clock limit (or sooner, when the monitor sees
 * the stop) as hang (stuck on a stop signal) or timeout, with stdout "stopping" only, and the
 * stopped process is killed (SIGKILL works on a stopped process).
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>

int main(void)
{
	printf("stopping\n");
	fflush(stdout);
	raise(SIGSTOP);
	printf("continued\n");
	return 0;
}
