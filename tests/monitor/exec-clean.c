/* The child dup2()s the pipe's read end (fd 3) onto fd 0 and closes fds 3 and 4 before exec of /bin/cat: cat prints "hola", sees end of file once the parent closes its write end (fd 4), and everybody exits 0. */
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
		/* cat must hold only fd 0: above all, not the write end (fd 4) */
		close(fds[0]);
		close(fds[1]);
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
