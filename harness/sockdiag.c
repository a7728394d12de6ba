/* sockdiag.c: UNIX sockets' peers from NETLINK_SOCK_DIAG, in the namespace a case runs in (see
 * sockdiag.h). */
#include "sockdiag.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* A diag socket and the network namespace it was made in. */
struct diag {
	int fd;
	dev_t dev; /* the namespace's identity: its nsfs device and inode */
	ino_t ino;
	pid_t owner; /* the process that made or adopted it */
};

static struct diag adopted = { .fd = -1 }, own = { .fd = -1 };
static unsigned int seq;

/* Drops a diag socket (our copy of its fd). */
static void drop(struct diag *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int sockdiag_socket(void)
{
	return socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
}

void sockdiag_adopt(int diag_fd, int netns_fd)
{
	struct stat st;
	drop(&adopted);
	if (diag_fd < 0)
		return;
	if (netns_fd < 0 || fstat(netns_fd, &st) < 0) {
		close(diag_fd);
		return;
	}
	adopted = (struct diag){ diag_fd, st.st_dev, st.st_ino, getpid() };
}

int sockdiag_for(pid_t pid)
{
	char path[64];
	struct stat ns, self;
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	if (stat(path, &ns) < 0)
		return -1;
	pid_t me = getpid();
	if (adopted.fd >= 0 && adopted.owner != me)
		drop(&adopted); /* our parent's: shared with it */
	if (own.fd >= 0 && own.owner != me)
		drop(&own);
	if (adopted.fd >= 0 && adopted.dev == ns.st_dev && adopted.ino == ns.st_ino)
		return adopted.fd;
	if (stat("/proc/self/ns/net", &self) < 0)
		return -1;
	if (self.st_dev != ns.st_dev || self.st_ino != ns.st_ino) {
		errno = ENOENT; /* a namespace we have no diag socket in */
		return -1;
	}
	if (own.fd >= 0 && own.dev == self.st_dev && own.ino == self.st_ino)
		return own.fd;
	drop(&own);
	int fd = sockdiag_socket();
	if (fd < 0)
		return -1;
	own = (struct diag){ fd, self.st_dev, self.st_ino, me };
	return fd;
}

/* Reads the attributes of one answer about a UNIX socket into *out. */
static void parse_unix(const struct nlmsghdr *h, struct sockdiag_unix *out)
{
	const struct unix_diag_msg *msg = NLMSG_DATA(h);
	memset(out, 0, sizeof *out);
	out->inode = msg->udiag_ino;
	out->type = msg->udiag_type;
	out->state = msg->udiag_state;
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *msg);
	for (const struct rtattr *a = (const struct rtattr *)(msg + 1); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= sizeof(__u32)) {
			__u32 peer;
			memcpy(&peer, RTA_DATA(a), sizeof peer);
			out->peer = peer;
		} else if (a->rta_type == UNIX_DIAG_RQLEN &&
			   RTA_PAYLOAD(a) >= sizeof(struct unix_diag_rqlen)) {
			struct unix_diag_rqlen q;
			memcpy(&q, RTA_DATA(a), sizeof q);
			out->rqueue = q.udiag_rqueue;
			out->wqueue = q.udiag_wqueue;
		}
	}
}

int sockdiag_unix(int diag_fd, unsigned long inode, struct sockdiag_unix *out)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req;
	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = sizeof req;
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = ++seq;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = ~0U;
	req.r.udiag_ino = (__u32)inode;
	req.r.udiag_show = UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
	req.r.udiag_cookie[0] = req.r.udiag_cookie[1] = ~0U; /* INET_DIAG_NOCOOKIE: any */
	if ((unsigned long)req.r.udiag_ino != inode) {
		errno = ENOENT;
		return -1;
	}
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	do
		n = sendto(diag_fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	/* The kernel answers a single-socket request while sending it: the answer is queued by
	 * now. A stale answer (of a request that failed half-way) is skipped by its number. */
	for (;;) {
		union {
			struct nlmsghdr h;
			char bytes[8192];
		} buf;
		n = recv(diag_fd, &buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		int len = (int)n;
		for (const struct nlmsghdr *h = &buf.h; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != req.h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				errno = e->error ? -e->error : ENOENT;
				return -1;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
				continue;
			parse_unix(h, out);
			if (out->inode != inode)
				continue;
			return 0;
		}
	}
}

int sockdiag_send_fd(int channel, char tag, int fd)
{
	union {
		struct cmsghdr c;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { &tag, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		memset(&control, 0, sizeof control);
		msg.msg_control = control.space;
		msg.msg_controllen = sizeof control.space;
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	ssize_t n;
	do
		n = sendmsg(channel, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

int sockdiag_recv_fd(int channel, char *tag, int *fd)
{
	union {
		struct cmsghdr c;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { tag, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.space,
			      .msg_controllen = sizeof control.space };
	*fd = -1;
	ssize_t n;
	do
		n = recvmsg(channel, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n == 0)
			errno = EPIPE;
		return -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof *fd);
	return 0;
}
