/*
 * monitor_sock.h: the UNIX sockets and named FIFOs of a tree that may be stuck (monitor_sock.c),
 * for monitor_stuck.c. Not for use outside the monitor.
 *
 * Sockets and FIFOs are not followed during the run as pipes are: they are looked at only when
 * every process is calm and a wait is on one of them. Then the fds of every live process that
 * are sockets or FIFOs are read (procfs_ipc_fds()), a socket's peer is asked of the kernel
 * (sockdiag.h, in the network namespace the case runs in), and a read, write or open on one of
 * them becomes a wait on a socket pair or a FIFO (monitor_facts.h) when it is known who could
 * end it: live processes of the case that hold the other end. What cannot be known (no diag
 * socket for that namespace, a peer held by no process of the case: in flight in a message, or
 * outside) stays MONITOR_WAIT_OTHER, a wait on something that never answers: never a wrong
 * explanation.
 *
 * Ownership: a `struct monitor_ipcs` belongs to one check of the tree (monitor_check_stuck());
 * monitor_ipcs_free() releases what it holds. Nothing here fails: what cannot be read is left
 * out.
 */
#ifndef PIPEGRADE_MONITOR_SOCK_H
#define PIPEGRADE_MONITOR_SOCK_H

#include "monitor_int.h"

/* A socket or FIFO waited on, or a waited socket's peer: its facts, and what identifies it. */
struct monitor_ipc_entry {
	struct monitor_ipc fact;     /* its name and end are given by monitor_ipc_add_fds() */
	unsigned long long dev;      /* FIFO: its st_dev (with fact.inode, its identity) */
	unsigned long long peer_ino; /* SOCKET: its peer's inode, as the kernel said */
};

/* The sockets and FIFOs of one check of the tree. */
struct monitor_ipcs {
	struct proc_files *held; /* by index in m->procs: the sockets and FIFOs that process holds
				    (live ones), read at the first wait that needs them */
	size_t nheld;
	bool loaded;
	struct monitor_ipc_entry *v; /* those waited on and their peers: the snapshot's ipcs[] */
	size_t n, cap;
	int pairs; /* socket pairs named so far */
};

#define MONITOR_IPCS_INIT                                                                          \
	{                                                                                          \
		NULL, 0, false, NULL, 0, 0, 0                                                      \
	}

/* Frees what `t` holds and leaves it as MONITOR_IPCS_INIT. */
void monitor_ipcs_free(struct monitor_ipcs *t);

/* Makes `w`, what process p's thread `tid` (0: its main thread) waits on as classify() found
 * it from the call `sc`, precise when it is MONITOR_WAIT_OTHER on a socket or a FIFO: a read or
 * recv() on a socket whose peer live processes hold is MONITOR_WAIT_SOCKET_READ (a write or
 * send(), _WRITE), with w->ipc; the same on a named FIFO held open at its other side is
 * MONITOR_WAIT_FIFO_READ or _WRITE; an open() asleep until a FIFO's other side is opened is
 * MONITOR_WAIT_FIFO_OPEN. A wait that will end by itself becomes MONITOR_WAIT_NONE: a socket
 * whose peer was closed (a read gets EOF, a write fails), a FIFO nobody holds at its other side,
 * an open() of a FIFO that some process holds at its other side. Anything else is left as it
 * is; an OTHER wait on an fd gets its `target` when it has none. */
void monitor_ipc_wait(struct monitor *m, const struct mproc *p, pid_t tid,
		      const struct proc_syscall *sc, struct monitor_wait *w,
		      struct monitor_ipcs *t);

/* Adds to `fp` (the facts of m->procs[i]) its fds on the sockets and FIFOs of `t`, and names the
 * socket pairs as it meets them: call it for each live process in order. */
void monitor_ipc_add_fds(struct monitor_ipcs *t, size_t i, struct monitor_process *fp);

/* Copies `t`'s sockets and FIFOs into the snapshot's ipcs[] (same indices as the waits'
 * `ipc`), after monitor_ipc_add_fds(). */
void monitor_ipc_to_snapshot(struct monitor_ipcs *t, struct monitor_snapshot *s);

#endif
