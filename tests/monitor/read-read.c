/* read/read cycle: the parent reads pipe B (fd 5) before writing pipe A (fd 4); the child reads pipe A (fd 3) before writing pipe B (fd 6): both block in read() forever. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int a[2], b[2]; /* a = {3, 4}, b = {5, 6} */
	if (pipe(a) < 0 || pipe(b) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	char c = 'x';
	if (pid == 0) {
		/* Child: keeps A's read end (fd 3) and B's write end (fd 6). */
		close(a[1]);
		close(b[0]);
		if (read(a[0], &c, 1) < 0) /* blocks: the parent writes A only after reading B */
			_exit(1);
		if (write(b[1], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	/* Parent: keeps A's write end (fd 4) and B's read end (fd 5). */
	close(a[0]);
	close(b[1]);
	if (read(b[0], &c, 1) < 0) /* blocks: the child writes B only after reading A */
		return 1;
	if (write(a[1], &c, 1) < 0)
		return 1;
	close(a[1]);
	close(b[0]);
	waitpid(pid, NULL, 0);
	return 0;
}
