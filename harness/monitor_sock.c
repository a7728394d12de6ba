/* monitor_sock.c: what a wait on a UNIX socket or a named FIFO waits for, and who could end it
 * (see monitor_sock.h). */
#include "monitor_sock.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "sockdiag.h"

void monitor_ipcs_free(struct monitor_ipcs *t)
{
	for (size_t i = 0; i < t->nheld; i++)
		proc_files_free(&t->held[i]);
	free(t->held);
	free(t->v);
	*t = (struct monitor_ipcs)MONITOR_IPCS_INIT;
}

/* The sockets and FIFOs every live process holds, read once per check. */
static void load(struct monitor *m, struct monitor_ipcs *t)
{
	if (t->loaded)
		return;
	t->loaded = true;
	t->held = xcalloc(m->nprocs ? m->nprocs : 1, sizeof *t->held);
	t->nheld = m->nprocs;
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].alive && procfs_ipc_fds(m->procs[i].pid, &t->held[i]) < 0)
			t->held[i].n = 0; /* gone meanwhile */
}

/* Which side of a socket or FIFO a call uses. */
enum side { SIDE_NONE, SIDE_READ, SIDE_WRITE, SIDE_OPEN };

static enum side side_of(const char *call)
{
	if (!strcmp(call, "read") || !strcmp(call, "recv") || !strcmp(call, "recvmsg"))
		return SIDE_READ;
	if (!strcmp(call, "write") || !strcmp(call, "send") || !strcmp(call, "sendmsg"))
		return SIDE_WRITE;
	return !strcmp(call, "open") ? SIDE_OPEN : SIDE_NONE;
}

/* Does a live process hold this socket (any fd), or this FIFO at the side asked for (an O_RDWR
 * fd is at both)? */
static bool held(const struct monitor *m, const struct monitor_ipcs *t, enum proc_file_kind kind,
		 unsigned long long ino, unsigned long long dev, enum side side)
{
	for (size_t i = 0; i < t->nheld; i++) {
		const struct proc_files *fs = &t->held[i];
		for (size_t k = 0; m->procs[i].alive && k < fs->n; k++) {
			const struct proc_file *f = &fs->v[k];
			if (f->kind != kind || f->ino != ino || (kind == PFK_FIFO && f->dev != dev))
				continue;
			if (side == SIDE_NONE || f->mode == END_BOTH ||
			    f->mode == (side == SIDE_READ ? END_READ : END_WRITE))
				return true;
		}
	}
	return false;
}

/* The index in t->v of the socket with this inode, added when it is new. */
static int add_socket(struct monitor_ipcs *t, unsigned long ino, unsigned long long peer,
		      unsigned int queued)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].fact.kind == MONITOR_IPC_SOCKET && t->v[i].fact.inode == ino)
			return (int)i;
	ALLOC_GROW(t->v, t->n + 1, t->cap);
	struct monitor_ipc_entry *e = &t->v[t->n];
	memset(e, 0, sizeof *e);
	e->fact.kind = MONITOR_IPC_SOCKET;
	e->fact.peer = -1;
	e->fact.inode = ino;
	e->fact.queued = queued;
	e->peer_ino = peer;
	return (int)t->n++;
}

/* The index in t->v of the FIFO with this identity (or, unknown, this name), added when new. */
static int add_fifo(struct monitor_ipcs *t, const char *name, unsigned long ino,
		    unsigned long long dev)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct monitor_ipc_entry *e = &t->v[i];
		if (e->fact.kind == MONITOR_IPC_FIFO &&
		    (ino ? e->fact.inode == ino && e->dev == dev
			 : !e->fact.inode && !strcmp(e->fact.name, name)))
			return (int)i;
	}
	ALLOC_GROW(t->v, t->n + 1, t->cap);
	struct monitor_ipc_entry *e = &t->v[t->n];
	memset(e, 0, sizeof *e);
	e->fact.kind = MONITOR_IPC_FIFO;
	e->fact.peer = -1;
	e->fact.inode = ino;
	e->dev = dev;
	snprintf(e->fact.name, sizeof e->fact.name, "%s", name);
	return (int)t->n++;
}

/* A read or write on socket `f` of process p: on the pair, when its peer is known and held. */
static void socket_wait(struct monitor *m, const struct mproc *p, const struct proc_file *f,
			bool writing, struct monitor_wait *w, struct monitor_ipcs *t)
{
	struct sockdiag_unix me, peer;
	int diag = sockdiag_for(p->pid);
	if (diag < 0 || f->ino == 0 || sockdiag_unix(diag, f->ino, &me) < 0)
		return; /* not a UNIX socket, or not known here: a wait on what never answers */
	if (me.peer == 0) {
		/* a stream socket whose peer was closed reads EOF and fails to write: caught
		 * before it woke (a datagram socket without a peer may get anything) */
		if (me.type != SOCK_DGRAM)
			w->kind = MONITOR_WAIT_NONE;
		return;
	}
	if (!held(m, t, PFK_SOCKET, me.peer, 0, SIDE_NONE))
		return; /* the peer is in flight in a message, or outside the case */
	if (sockdiag_unix(diag, me.peer, &peer) < 0) {
		memset(&peer, 0, sizeof peer); /* gone meanwhile: its queue is not known */
		peer.inode = me.peer;
	}
	int i = add_socket(t, me.inode, me.peer, me.rqueue);
	int k = add_socket(t, peer.inode, peer.peer, peer.rqueue);
	t->v[i].fact.peer = k;
	if (peer.peer == me.inode)
		t->v[k].fact.peer = i;
	w->kind = writing ? MONITOR_WAIT_SOCKET_WRITE : MONITOR_WAIT_SOCKET_READ;
	w->ipc = i;
}

/* A read or write on FIFO `f`: a reader waits for the processes that hold it for writing, a
 * writer for those that hold it for reading; with none, the call ends by itself. */
static void fifo_wait(struct monitor *m, const struct proc_file *f, bool writing,
		      struct monitor_wait *w, struct monitor_ipcs *t)
{
	if (!held(m, t, PFK_FIFO, f->ino, f->dev, writing ? SIDE_READ : SIDE_WRITE)) {
		w->kind = MONITOR_WAIT_NONE; /* EOF, or EPIPE: caught before it woke */
		return;
	}
	w->ipc = add_fifo(t, f->name, f->ino, f->dev);
	w->kind = writing ? MONITOR_WAIT_FIFO_WRITE : MONITOR_WAIT_FIFO_READ;
}

/* The NUL-terminated string at `addr` in process pid (a path an open() was given), read page
 * by page. Returns false when it cannot be read whole. */
static bool read_path(pid_t pid, unsigned long long addr, char *out, size_t size)
{
	size_t got = 0;
	while (got < size - 1) {
		size_t page = 4096 - (size_t)((addr + got) & 4095), want = size - 1 - got;
		if (want > page)
			want = page;
		struct iovec local = { out + got, want },
			     remote = { (void *)(uintptr_t)(addr + got), want };
		ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return false;
		if (memchr(out + got, '\0', (size_t)n))
			return true;
		got += (size_t)n;
	}
	return false;
}

/* An open() asleep in the kernel's wait for a FIFO's other side: which FIFO, and for which
 * side. */
static void fifo_open(struct monitor *m, const struct mproc *p, pid_t tid,
		      const struct proc_syscall *sc, struct monitor_wait *w, struct monitor_ipcs *t)
{
	char wchan[64];
	if (procfs_wchan(tid > 0 ? tid : p->pid, wchan, sizeof wchan) < 0 ||
	    (strcmp(wchan, "wait_for_partner") && strcmp(wchan, "fifo_open")))
		return;
	bool at = sc->nr == SYS_openat; /* else open(path, flags) */
	unsigned long long addr = sc->args[at ? 1 : 0], flags = sc->args[at ? 2 : 1];
	int dirfd = at ? (int)sc->args[0] : AT_FDCWD;
	char path[PATH_MAX], where[PATH_MAX + 64];
	const char *name = "";
	struct stat st = { 0 };
	if (read_path(p->pid, addr, path, sizeof path)) {
		const char *slash = strrchr(path, '/');
		name = slash && slash[1] ? slash + 1 : path;
		/* the path as the process sees it: its root, its working directory, its dirfd */
		if (path[0] == '/')
			snprintf(where, sizeof where, "/proc/%d/root%s", (int)p->pid, path);
		else if (dirfd == AT_FDCWD)
			snprintf(where, sizeof where, "/proc/%d/cwd/%s", (int)p->pid, path);
		else
			snprintf(where, sizeof where, "/proc/%d/fd/%d/%s", (int)p->pid, dirfd,
				 path);
		if (stat(where, &st) < 0 || !S_ISFIFO(st.st_mode))
			memset(&st, 0, sizeof st); /* gone, or not the same file: not identified */
	}
	enum side side = (flags & O_ACCMODE) == O_WRONLY ? SIDE_WRITE : SIDE_READ;
	if (st.st_ino && held(m, t, PFK_FIFO, st.st_ino, st.st_dev,
			      side == SIDE_READ ? SIDE_WRITE : SIDE_READ)) {
		w->kind = MONITOR_WAIT_NONE; /* its other side is open: it returns */
		return;
	}
	w->ipc = add_fifo(t, name, st.st_ino, st.st_dev);
	w->open_for = side == SIDE_WRITE ? END_WRITE : END_READ;
	w->kind = MONITOR_WAIT_FIFO_OPEN;
}

void monitor_ipc_wait(struct monitor *m, const struct mproc *p, pid_t tid,
		      const struct proc_syscall *sc, struct monitor_wait *w, struct monitor_ipcs *t)
{
	if (w->kind != MONITOR_WAIT_OTHER)
		return;
	if (w->fd >= 0 && !w->target[0])
		procfs_fd_target(p->pid, w->fd, w->target, sizeof w->target);
	enum side side = side_of(w->call);
	bool maybe = !strncmp(w->target, "socket:[", 8) || w->target[0] == '/'; /* or a FIFO */
	if (side == SIDE_NONE || (side != SIDE_OPEN && !maybe))
		return; /* pipegrade's pipes, devices, anonymous inodes: nothing to look up */
	load(m, t);
	if (side == SIDE_OPEN) {
		fifo_open(m, p, tid, sc, w, t);
		return;
	}
	size_t i = (size_t)(p - m->procs);
	const struct proc_file *f = NULL;
	for (size_t k = 0; w->fd >= 0 && i < t->nheld && k < t->held[i].n; k++)
		if (t->held[i].v[k].fd == w->fd)
			f = &t->held[i].v[k];
	if (f && f->kind == PFK_SOCKET)
		socket_wait(m, p, f, side == SIDE_WRITE, w, t);
	else if (f && f->kind == PFK_FIFO)
		fifo_wait(m, f, side == SIDE_WRITE, w, t);
}

/* "A".."Z", then "AA", "AB"...: the name of the n-th socket pair. */
static void pair_name(int n, char *out, size_t size)
{
	if (n < 26)
		snprintf(out, size, "%c", 'A' + n);
	else
		snprintf(out, size, "%c%c", 'A' + (n / 26 - 1) % 26, 'A' + n % 26);
}

/* Names socket t->v[i] when it has no name yet: its pair's, as the other end, or a new pair's,
 * as end 1 (its peer, end 2). */
static void name_socket(struct monitor_ipcs *t, int i)
{
	struct monitor_ipc *x = &t->v[i].fact;
	if (x->name[0])
		return;
	int partner = x->peer;
	for (size_t k = 0; partner < 0 && k < t->n; k++)
		if (t->v[k].fact.kind == MONITOR_IPC_SOCKET && t->v[k].fact.peer == i)
			partner = (int)k;
	struct monitor_ipc *y = partner >= 0 && partner != i ? &t->v[partner].fact : NULL;
	if (y && y->name[0] && y->end > 0) {
		memcpy(x->name, y->name, sizeof x->name);
		x->end = 3 - y->end;
		return;
	}
	pair_name(t->pairs++, x->name, sizeof x->name);
	x->end = 1;
	if (y && !y->name[0]) {
		memcpy(y->name, x->name, sizeof y->name);
		y->end = 2;
	}
}

void monitor_ipc_add_fds(struct monitor_ipcs *t, size_t i, struct monitor_process *fp)
{
	for (size_t k = 0; t->n && i < t->nheld && k < t->held[i].n; k++) {
		const struct proc_file *f = &t->held[i].v[k];
		for (size_t e = 0; e < t->n; e++) {
			const struct monitor_ipc_entry *x = &t->v[e];
			bool socket = f->kind == PFK_SOCKET && x->fact.kind == MONITOR_IPC_SOCKET &&
				      x->fact.inode == f->ino;
			bool fifo = f->kind == PFK_FIFO && x->fact.kind == MONITOR_IPC_FIFO &&
				    x->fact.inode && x->fact.inode == f->ino && x->dev == f->dev;
			if (!socket && !fifo)
				continue;
			if (socket)
				name_socket(t, (int)e);
			monitor_process_add_ipc_fd(fp, f->fd, (int)e,
						   socket ? MONITOR_FD_SOCKET : MONITOR_FD_FIFO,
						   f->name, f->mode);
			for (size_t j = fp->nfds - 1; j > 0 && fp->fds[j - 1].fd > fp->fds[j].fd;
			     j--) { /* by fd number, among the pipe fds */
				struct monitor_fd tmp = fp->fds[j];
				fp->fds[j] = fp->fds[j - 1];
				fp->fds[j - 1] = tmp;
			}
			break;
		}
	}
}

void monitor_ipc_to_snapshot(struct monitor_ipcs *t, struct monitor_snapshot *s)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].fact.kind == MONITOR_IPC_SOCKET)
			name_socket(t, (int)i); /* held by nobody alive: named last */
	ALLOC_GROW(s->ipcs, t->n, s->ipcs_cap);
	for (size_t i = 0; i < t->n; i++)
		s->ipcs[i] = t->v[i].fact;
	s->nipcs = t->n;
}
