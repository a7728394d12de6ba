/* A child writes 1 MiB into a named FIFO that its parent opened for reading but reads only after
 * waiting for the child: the FIFO fills up and the child waits in write() forever, the parent
 * in waitpid(). */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char chunk[65536];

int main(void)
{
	if (mkfifo("canal", 0600) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int fd = open("canal", O_WRONLY); /* fd 3, once the parent opens it */
		for (int i = 0; i < 16; i++)      /* blocks once 64 KiB wait in the FIFO */
			if (write(fd, chunk, sizeof chunk) < 0)
				_exit(1);
		_exit(0);
	}
	int fd = open("canal", O_RDONLY);
	if (fd < 0)
		return 1;
	waitpid(pid, NULL, 0); /* before reading: the child waits for room */
	return read(fd, chunk, sizeof chunk) < 0;
}
