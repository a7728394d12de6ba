/* Both ends of a socket pair write 4 MiB before reading anything: each fills what the other
 * would have to read, and both wait in write() forever. The parent keeps sv[0] (fd 3), the
 * child sv[1] (fd 4). */
#define _POSIX_C_SOURCE 200809L

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char chunk[65536];

int main(void)
{
	int sv[2]; /* {3, 4} */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	int fd = pid == 0 ? sv[1] : sv[0];
	close(pid == 0 ? sv[0] : sv[1]);
	for (int i = 0; i < 64; i++) /* blocks: nobody reads */
		if (write(fd, chunk, sizeof chunk) < 0)
			return 1;
	if (read(fd, chunk, sizeof chunk) < 0)
		return 1;
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return 0;
}
