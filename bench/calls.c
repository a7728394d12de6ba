/*
 * calls: the program of benchmark 1b (bench/run.sh). `calls MODE N` makes N calls of one kind,
 * each of which the process monitor stops at and does something for:
 *   none   nothing (the case's own cost)
 *   pipe   pipe(): the stack copied (where the pipe was made), the return awaited
 *   close  pipe() and two close(): the holders of each end followed
 *   write  write() of 2 bytes to stdout: the first bytes kept (who wrote what)
 *   fork   fork(), _exit() and waitpid(): the new process's stack copied (where it was forked)
 * Prints nothing but the writes of `write` ("x" lines).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "none";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	for (int i = 0; i < n; i++) {
		int fds[2];
		if (!strcmp(mode, "pipe")) {
			if (pipe(fds) < 0)
				return 1;
		} else if (!strcmp(mode, "close")) {
			if (pipe(fds) < 0)
				return 1;
			close(fds[0]);
			close(fds[1]);
		} else if (!strcmp(mode, "write")) {
			if (write(STDOUT_FILENO, "x\n", 2) != 2)
				return 1;
		} else if (!strcmp(mode, "fork")) {
			pid_t pid = fork();
			if (pid < 0)
				return 1;
			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
		}
	}
	return 0;
}
