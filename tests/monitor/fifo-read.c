/* A named FIFO (made in the working directory) that a child reads to its end while the parent,
 * which opened it for writing, waits for that child before closing it: the child never sees
 * EOF. Both open it after the fork (the child's fd 3 for reading, the parent's fd 3 for
 * writing). */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (mkfifo("canal", 0600) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int fd = open("canal", O_RDONLY); /* once the parent opens it for writing */
		char buf[64];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0) /* blocks after "hola" */
			if (write(1, buf, (size_t)n) != n)
				_exit(1);
		_exit(n < 0);
	}
	int fd = open("canal", O_WRONLY);
	if (fd < 0 || write(fd, "hola\n", 5) != 5)
		return 1;
	waitpid(pid, NULL, 0); /* before close(fd): the child waits for EOF */
	close(fd);
	return 0;
}
