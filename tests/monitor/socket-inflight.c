/* Reads a socket whose peer it has sent away in a message (SCM_RIGHTS) that nobody receives,
 * and closed: the peer is alive but held by no process, so nobody is known to be able to answer
 * (a hang, named for what it waits on). */
#define _DEFAULT_SOURCE

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int a[2], b[2]; /* {3, 4}, {5, 6} */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		return 1;
	union {
		struct cmsghdr c;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	char tag = 'x';
	struct iovec iov = { &tag, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.space,
			      .msg_controllen = sizeof control.space };
	memset(&control, 0, sizeof control);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &a[1], sizeof a[1]);
	if (sendmsg(b[0], &msg, 0) != 1) /* a[1] now waits, unreceived, in b[1]'s queue */
		return 1;
	close(a[1]);
	char ch;
	return read(a[0], &ch, 1) < 0;
}
