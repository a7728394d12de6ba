/* monitor_facts.c: the monitor's data model, made and freed (see monitor_facts.h). */
#include "monitor_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct monitor_facts *monitor_facts_new(enum finding_kind kind)
{
	struct monitor_facts *f = xcalloc(1, sizeof *f);
	f->kind = kind;
	return f;
}

void monitor_facts_free(struct monitor_facts *f)
{
	if (!f)
		return;
	monitor_snapshot_free(&f->snap);
	free(f);
}

struct monitor_process *monitor_snapshot_add_process(struct monitor_snapshot *s)
{
	ALLOC_GROW(s->procs, s->nprocs + 1, s->procs_cap);
	struct monitor_process *p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof *p);
	p->exec_at = p->ended_at = -1;
	p->wait.call = "";
	p->wait.fd = p->wait.pipe = p->wait.ipc = -1;
	return p;
}

int monitor_snapshot_add_pipe(struct monitor_snapshot *s, const struct monitor_pipe *p)
{
	for (size_t i = 0; i < s->npipes; i++)
		if (s->pipes[i].inode == p->inode)
			return (int)i;
	ALLOC_GROW(s->pipes, s->npipes + 1, s->pipes_cap);
	s->pipes[s->npipes] = *p;
	return (int)s->npipes++;
}

void monitor_process_add_thread(struct monitor_process *p, pid_t tid, int number,
				const struct monitor_wait *wait)
{
	ALLOC_GROW(p->threads, p->nthreads + 1, p->threads_cap);
	p->threads[p->nthreads++] = (struct monitor_thread){ tid, number, *wait };
}

void monitor_process_add_fd(struct monitor_process *p, int fd, int pipe, enum pipe_end end)
{
	ALLOC_GROW(p->fds, p->nfds + 1, p->fds_cap);
	p->fds[p->nfds++] = (struct monitor_fd){ fd, pipe, end, MONITOR_FD_PIPE, "", -1 };
}

void monitor_process_add_file(struct monitor_process *p, int fd, enum monitor_fd_kind kind,
			      const char *name, enum pipe_end mode)
{
	ALLOC_GROW(p->fds, p->nfds + 1, p->fds_cap);
	struct monitor_fd *f = &p->fds[p->nfds++];
	*f = (struct monitor_fd){ fd, -1, mode, kind, "", -1 };
	snprintf(f->name, sizeof f->name, "%s", name);
}

void monitor_process_add_ipc_fd(struct monitor_process *p, int fd, int ipc,
				enum monitor_fd_kind kind, const char *name, enum pipe_end mode)
{
	monitor_process_add_file(p, fd, kind, name, mode);
	p->fds[p->nfds - 1].ipc = ipc;
}

const struct monitor_process *monitor_snapshot_find(const struct monitor_snapshot *s, pid_t pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

void monitor_snapshot_free(struct monitor_snapshot *s)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		free(s->procs[i].fds);
		free(s->procs[i].unwaited);
		free(s->procs[i].threads);
	}
	free(s->procs);
	free(s->pipes);
	free(s->ipcs);
	memset(s, 0, sizeof *s);
}

static bool known(const struct monitor_frame *fr)
{
	return fr->function[0] || (fr->file[0] && fr->line > 0);
}

/* The call a process of a stuck tree waits in, of this kind (NONE: any), when located. */
static const struct monitor_frame *stuck_site(const struct monitor_snapshot *s,
					      enum monitor_wait_kind kind)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_wait *w = &s->procs[i].wait;
		if ((kind == MONITOR_WAIT_NONE || w->kind == kind) && known(&w->at))
			return &w->at;
	}
	return NULL;
}

const struct monitor_frame *monitor_facts_site(const struct monitor_facts *f)
{
	const struct monitor_snapshot *s = f ? &f->snap : NULL;
	const struct monitor_frame *fr = NULL;
	if (!s || s->nprocs == 0)
		return NULL;
	const struct monitor_process *p = &s->procs[0];
	if (f->kind == FINDING_CRASH) {
		fr = p->exception.what[0]         ? &p->exception.at
		     : p->killed_by.where.nframes ? &p->killed_by.where.frames[0]
						  : NULL;
	} else if (f->kind == FINDING_DEADLOCK || f->kind == FINDING_HANG) {
		/* readers first (pipes, sockets, FIFOs), then writers, then any */
		static const enum monitor_wait_kind order[] = {
			MONITOR_WAIT_PIPE_READ,  MONITOR_WAIT_SOCKET_READ,  MONITOR_WAIT_FIFO_READ,
			MONITOR_WAIT_PIPE_WRITE, MONITOR_WAIT_SOCKET_WRITE, MONITOR_WAIT_FIFO_WRITE,
			MONITOR_WAIT_NONE,
		};
		for (size_t k = 0; !fr && k < sizeof order / sizeof order[0]; k++)
			fr = stuck_site(s, order[k]);
	} else if (f->kind == FINDING_FD_LEAK) {
		for (size_t k = 0; !fr && k < p->nfds; k++)
			if (p->fds[k].kind == MONITOR_FD_PIPE &&
			    known(&s->pipes[p->fds[k].pipe].made))
				fr = &s->pipes[p->fds[k].pipe].made;
		if (!fr)
			fr = &p->forked_at;
	} else if (f->kind == FINDING_ORPHAN) {
		fr = s->nprocs > 1 ? &s->procs[1].forked_at : NULL;
	}
	return fr && known(fr) ? fr : NULL;
}
