/*
 * sockdiag.h: what the kernel says about a UNIX socket (man 7 sock_diag, man 7 netlink): the
 * inode of its peer and the bytes in its receive queue, asked over a NETLINK_SOCK_DIAG socket.
 *
 * The kernel answers only about the sockets of the network namespace the netlink socket was
 * created in (another namespace's socket is ENOENT). A case runs in the sandbox's network
 * namespace (sandbox.h) or, where there is none, in pipegrade's own. The sandbox makes a diag
 * socket inside its namespace when it makes the namespace (a throwaway child that has just
 * unshared it creates the socket and sends it back with SCM_RIGHTS: sockdiag_send_fd(),
 * sockdiag_recv_fd()), and hands it over with sockdiag_adopt(); a diag socket of pipegrade's own
 * namespace is made here on first use. sockdiag_for() picks the one of the namespace a process
 * runs in, by the identity (device and inode) of its /proc/PID/ns/net.
 *
 * Ownership: this module owns the diag sockets it keeps (close-on-exec; one adopted, one of
 * pipegrade's own namespace), per process: a process forked from their owner does not use them
 * (it would share them with its parent, and could read its parent's answers); it drops its
 * copies and makes its own. Failure: -1 with errno; a socket the namespace does not have is
 * ENOENT; an answer that does not come at once, EAGAIN. Nothing here explains or guesses.
 */
#ifndef PIPEGRADE_SOCKDIAG_H
#define PIPEGRADE_SOCKDIAG_H

#include <stdbool.h>
#include <sys/types.h>

/* What the kernel says about one UNIX socket. */
struct sockdiag_unix {
	unsigned long inode; /* the socket's own (socket:[N]) */
	unsigned long peer;  /* its peer's inode (UNIX_DIAG_PEER): the socket it is connected to,
				which alone can send to it; 0 when it has none, or its peer was
				closed (a stream socket then reads EOF) */
	unsigned int rqueue; /* UNIX_DIAG_RQLEN: bytes in its receive queue, sent to it and not
				read yet (a listening socket: connections waiting to be accepted) */
	unsigned int wqueue; /* what it sent that its peer has not read yet, in the kernel's
				accounting of buffers (more than the bytes) */
	int type;            /* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	int state;           /* TCP_ESTABLISHED (connected), TCP_LISTEN, TCP_CLOSE... */
};

/* A new NETLINK_SOCK_DIAG socket in the calling thread's network namespace, close-on-exec. The
 * caller owns it. Returns the fd, or -1 with errno. */
int sockdiag_socket(void);

/* Takes `diag_fd` (a sockdiag_socket() made in the network namespace `netns_fd` refers to;
 * only fstat'd, not kept) as the diag socket of that namespace, replacing (and closing) the one
 * adopted before. `diag_fd` < 0 or a namespace that cannot be identified: nothing is adopted
 * (and `diag_fd` is closed). */
void sockdiag_adopt(int diag_fd, int netns_fd);

/* The diag socket of the network namespace process `pid` runs in: the adopted one, or one of
 * pipegrade's own namespace (made now when there is none yet). Owned by this module: valid
 * until the next sockdiag_adopt(). Returns -1 with errno when there is none (another namespace:
 * ENOENT; /proc/PID/ns/net unreadable: that errno). */
int sockdiag_for(pid_t pid);

/* Asks `diag_fd` about the UNIX socket with this inode number, with its peer and queue.
 * Returns 0, or -1 with errno (ENOENT: no such socket in that namespace). */
int sockdiag_unix(int diag_fd, unsigned long inode, struct sockdiag_unix *out);

/* Sends one byte `tag` over the UNIX socket `channel`, with `fd` (when >= 0) attached
 * (SCM_RIGHTS). Returns 0 or -1 with errno. Async-signal-safe. */
int sockdiag_send_fd(int channel, char tag, int fd);

/* Receives what sockdiag_send_fd() sent: the byte into *tag, the fd (close-on-exec) into *fd,
 * or -1 when none came with it. Returns 0, or -1 with errno (EPIPE: the sender closed the
 * channel first). */
int sockdiag_recv_fd(int channel, char *tag, int *fd);

#endif
