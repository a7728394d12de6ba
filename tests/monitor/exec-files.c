/* Fds that are not pipes: the parent opens its own program (fd 3, read-only), /dev/null (fd 4,
 * write-only) and one end of a socket pair (fd 5; the other end is closed). Child 1 execs
 * /bin/true with all three inherited; child 2 exits with them still open; the parent closes
 * them before it waits, and exits with nothing above fd 2. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int self = open("/proc/self/exe", O_RDONLY); /* 3 */
	int null = open("/dev/null", O_WRONLY);      /* 4 */
	int sv[2];                                   /* 5, 6 */
	if (self != 3 || null != 4 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || sv[0] != 5)
		return 1;
	close(sv[1]);
	pid_t one = fork();
	if (one == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	pid_t two = fork();
	if (two == 0)
		_exit(0);
	close(self);
	close(null);
	close(sv[0]);
	int status;
	waitpid(one, &status, 0);
	waitpid(two, &status, 0);
	return 0;
}
