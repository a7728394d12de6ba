/* Both ends of a socket pair read before they write (what two processes that both recv() first
 * on the ends of Python's multiprocessing.Pipe() do): the parent keeps sv[0] (fd 3), the child
 * sv[1] (fd 4), and each waits in read() for what only the other would send. */
#define _POSIX_C_SOURCE 200809L

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int sv[2]; /* {3, 4} */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	char c = 'x';
	if (pid == 0) {
		close(sv[0]);
		if (read(sv[1], &c, 1) < 0) /* blocks: the parent reads first too */
			_exit(1);
		_exit(write(sv[1], &c, 1) != 1);
	}
	close(sv[1]);
	if (read(sv[0], &c, 1) < 0) /* blocks: the child reads first too */
		return 1;
	if (write(sv[0], &c, 1) != 1)
		return 1;
	waitpid(pid, NULL, 0);
	return 0;
}
