/* The child dup2()s the pipe's read end (fd 3) onto fd 0 but keeps fds 3 and 4 open across exec of /bin/cat: cat prints "hola" and then never sees end of file on fd 0, because it holds the write end itself (fd 4); the parent waits forever. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2]; /* fds = {3, 4} */
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (dup2(fds[0], STDIN_FILENO) < 0)
			_exit(1);
		/* missing: close(fds[0]); close(fds[1]); cat inherits fds 3 and 4 */
		execl("/bin/cat", "cat", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	if (write(fds[1], "hola\n", 5) != 5) {
		perror("write");
		return 1;
	}
	close(fds[1]);
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
