/* The child reads what its parent sends, then writes through a NULL pointer (strchr() finds no
 * ';'): SIGSEGV at address 0. The parent waits for it and exits 0. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	if (pipe(fds) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		char buf[64] = { 0 };
		close(fds[1]);
		if (read(fds[0], buf, sizeof buf - 1) < 0)
			return 1;
		*strchr(buf, ';') = '\0';
		return write(STDOUT_FILENO, buf, strlen(buf)) < 0;
	}
	close(fds[0]);
	if (write(fds[1], "hello", 5) != 5)
		return 1;
	close(fds[1]);
	waitpid(pid, NULL, 0);
	return 0;
}
