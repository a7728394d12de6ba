/* The parent forks child 1, which forks child 1.1 and exits at once without waiting for it; child 1.1 sleeps 200 ms and exits 0; the parent waits for child 1 only and exits 0, leaving child 1.1 orphaned. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	pid_t c1 = fork();
	if (c1 < 0) {
		perror("fork");
		return 1;
	}
	if (c1 == 0) {
		pid_t c11 = fork();
		if (c11 < 0)
			_exit(1);
		if (c11 == 0) {
			/* Child 1.1: sleeps 200 ms and exits. */
			struct timespec t = {.tv_sec = 0, .tv_nsec = 200000000L};
			while (nanosleep(&t, &t) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		/* Child 1: exits without waiting for child 1.1. */
		_exit(0);
	}
	int status;
	if (waitpid(c1, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	return 0;
}
