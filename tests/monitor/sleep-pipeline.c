/* Two children connected by a pipe they never use (child 1 keeps only the write end, fd 4; child 2 only the read end, fd 3) each sleep 1 s and exit 0; the parent closes both ends and waits for both: done in about 1 s. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Sleeps one second, even if a signal interrupts the sleep. */
static void sleep_1s(void)
{
	struct timespec t = {.tv_sec = 1, .tv_nsec = 0};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

int main(void)
{
	int fds[2]; /* fds = {3, 4} */
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t c1 = fork();
	if (c1 < 0) {
		perror("fork");
		return 1;
	}
	if (c1 == 0) {
		/* Child 1: the writer, keeps only the write end (fd 4). */
		close(fds[0]);
		sleep_1s();
		_exit(0);
	}
	pid_t c2 = fork();
	if (c2 < 0) {
		perror("fork");
		return 1;
	}
	if (c2 == 0) {
		/* Child 2: the reader, keeps only the read end (fd 3). */
		close(fds[1]);
		sleep_1s();
		_exit(0);
	}
	close(fds[0]);
	close(fds[1]);
	int s1, s2;
	if (waitpid(c1, &s1, 0) < 0 || waitpid(c2, &s2, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	return WIFEXITED(s1) && WEXITSTATUS(s1) == 0 && WIFEXITED(s2) && WEXITSTATUS(s2) == 0 ? 0 : 1;
}
