/* The child exits 0 at once; the parent sleeps 100 ms (the child is a zombie by then) and exits 0 without ever waiting for it. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		_exit(0);
	struct timespec t = {.tv_sec = 0, .tv_nsec = 100000000L};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
	return 0; /* missing: waitpid(pid, ...) */
}
