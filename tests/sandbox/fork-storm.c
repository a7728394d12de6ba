/*
 * fork-storm.c: HOSTILE (mildly): keeps a tracer busy without end.
 *
 * Starts 30 processes that each fork a child and wait for it, in an endless loop; every child
 * exits at once. The tree never exceeds 61 processes, but under ptrace every fork, exec and
 * exit is an event, and they come without pause. Prints nothing.
 *
 * pipegrade must still stop it at the wall-clock limit: `timeout`, a little after the limit,
 * whatever the rate of events.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 30; i++) {
		if (fork() != 0)
			continue;
		for (;;) {
			pid_t k = fork();
			if (k == 0)
				_exit(0);
			if (k > 0)
				waitpid(k, NULL, 0);
		}
	}
	for (;;)
		pause();
}
