/* The child sends its parent SIGTERM with kill() and waits in pause(); the parent, in pause()
 * too, is killed by it (and the child with it, by the run, as a leftover). */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <unistd.h>

int main(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		kill(parent, SIGTERM);
		for (;;)
			pause();
	}
	for (;;)
		pause();
}
