/* Reads from a socket whose other end it holds itself and never writes: waits forever for
 * what only it could send (a deadlock with itself, as a reader of a pipe whose write end it
 * keeps). */
#define _POSIX_C_SOURCE 200809L
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int sv[2];
	char c;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	return read(sv[0], &c, 1) < 0;
}
