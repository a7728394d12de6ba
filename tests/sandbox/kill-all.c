/*
 * kill-all.c: HOSTILE, never run it outside a sandbox (as root it kills every process on the
 * machine but itself; as a user, every process of that user).
 *
 * Prints "killing" and flushes, sends SIGKILL to its parent (the harness) and then to every
 * process it may signal, kill(-1, SIGKILL), then prints "still alive" and exits 0.
 *
 * A sandbox must make both kills harmless: under a uid of its own the program may only signal
 * its own processes (kill(-1) even returns 0 when every target refused), and in a PID namespace
 * its parent is outside it or is the namespace's init, which ignores SIGKILL sent from inside.
 * The harness survives and reports the case. Stdout is then "killing\nstill alive", exit 0;
 * if the harness's end of the stdout pipe went away, the second line dies with SIGPIPE and the
 * case is a crash with stdout "killing" only. When the parent is outside the program's PID
 * namespace, getppid() is 0 and the first kill, kill(0, SIGKILL), kills the program's own
 * process group: a crash by SIGKILL with stdout "killing".
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("killing\n");
	fflush(stdout);
	kill(getppid(), SIGKILL);
	kill(-1, SIGKILL);
	printf("still alive\n");
	return 0;
}
