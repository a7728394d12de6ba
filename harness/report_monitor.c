/* report_monitor.c: the process monitor's facts in sentences for the student (see
 * report_monitor.h). */
#include "report_monitor.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

const char *report_monitor_role(const struct monitor_process *p, bool english, char *out,
				size_t size)
{
	if (p->exe[0])
		snprintf(out, size, "%s", p->exe);
	else if (!p->role[0])
		snprintf(out, size, "%s", english ? "parent" : _("parent"));
	else
		snprintf(out, size, english ? "child %s" : _("child %s"), p->role);
	return out;
}

const char *report_monitor_who(const struct monitor_process *p, char *out, size_t size)
{
	char role[REPORT_ROLE_SIZE];
	snprintf(out, size, "%s (pid %d)", report_monitor_role(p, false, role, sizeof role),
		 (int)p->pid);
	return out;
}

/* "hello.c:9" after "at", or "crear()" after "in" without a line: where the student's code
 * made a call (" at hello.c:9", " in crear()"); nothing when that is not known. Returns
 * whether something was said. */
static bool site(const struct monitor_frame *fr, struct buf *b)
{
	if (fr->file[0] && fr->line > 0)
		buf_printf(b, _(" at %s:%d"), fr->file, fr->line);
	else if (fr->function[0])
		buf_printf(b, C_("site", " in %s()"), fr->function);
	else
		return false;
	return true;
}

const char *report_monitor_who_at(const struct monitor_process *p, char *out, size_t size)
{
	char role[REPORT_ROLE_SIZE];
	struct buf at = BUF_INIT;
	if (site(&p->forked_at, &at))
		snprintf(out, size, _("%s (pid %d, forked%s)"),
			 report_monitor_role(p, false, role, sizeof role), (int)p->pid, at.data);
	else
		report_monitor_who(p, out, size);
	buf_free(&at);
	return out;
}

/* "A", or "A (created at hello.c:9)" when where the pipe was made is known. */
static void pipe_named(const struct monitor_pipe *pp, struct buf *b)
{
	buf_puts(b, pp->name);
	struct buf at = BUF_INIT;
	if (site(&pp->made, &at))
		buf_printf(b, _(" (created%s)"), at.data);
	buf_free(&at);
}

/* "read(fd 3)", "read(fd 3) at hello.c:15": a call a process waits in. */
static void call_named(const struct monitor_wait *w, struct buf *b)
{
	if (w->fd >= 0)
		buf_printf(b, "%s(fd %d)", w->call, w->fd);
	else
		buf_printf(b, "%s()", w->call);
	site(&w->at, b);
}

const char *report_monitor_mode_name(enum pipe_end e, bool english)
{
	if (english)
		return e == END_READ ? "read-only" : e == END_WRITE ? "write-only" : "read/write";
	return e == END_READ ? _("read-only") : e == END_WRITE ? _("write-only") : _("read/write");
}

const char *report_monitor_fd_kind_name(enum monitor_fd_kind k)
{
	switch (k) {
	case MONITOR_FD_PIPE:
		return "pipe";
	case MONITOR_FD_FILE:
		return "file";
	case MONITOR_FD_FIFO:
		return "fifo";
	case MONITOR_FD_SOCKET:
		return "socket";
	case MONITOR_FD_DEVICE:
		return "device";
	case MONITOR_FD_DIR:
		return "directory";
	case MONITOR_FD_OTHER:
		break;
	}
	return "other";
}

const char *report_monitor_end_name(enum pipe_end e, bool english)
{
	if (english)
		return e == END_READ ? "read" : e == END_WRITE ? "write" : "read/write";
	return e == END_READ ? _("read") : e == END_WRITE ? _("write") : _("read/write");
}

/* ---- a stuck tree ---- */

/* An fd of the pipe at the end asked for (an O_RDWR fd is at both). */
static bool at_end(const struct monitor_fd *f, int pipe, bool write_end)
{
	return f->pipe == pipe && f->end != (write_end ? END_READ : END_WRITE);
}

/* An fd on socket or FIFO `ipc` (an index in the snapshot's ipcs[]): any fd of a socket; of a
 * FIFO, one open at the side asked for (an O_RDWR fd is at both). */
static bool at_ipc(const struct monitor_fd *f, int ipc, bool write_end)
{
	if (f->kind == MONITOR_FD_SOCKET)
		return f->ipc == ipc;
	return f->kind == MONITOR_FD_FIFO && f->ipc == ipc &&
	       f->end != (write_end ? END_READ : END_WRITE);
}

/* Which fds holders_of() and only_holder_of() look for: at_end() or at_ipc(). */
typedef bool fd_match(const struct monitor_fd *f, int what, bool write_end);

/* "child 1 itself (fd 4), parent (fd 4)": the live holders of one end of a pipe (at_end()), of
 * a socket or of one side of a FIFO (at_ipc()). */
static void holders_of(const struct monitor_snapshot *s, fd_match *match, int what, bool write_end,
		       const struct monitor_process *subject, struct buf *b)
{
	bool first = true;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		struct buf fds = BUF_INIT;
		int count = 0;
		for (size_t k = 0; k < p->nfds; k++)
			if (match(&p->fds[k], what, write_end))
				buf_printf(&fds, "%s%d", count++ ? ", " : "", p->fds[k].fd);
		if (count) {
			char role[REPORT_ROLE_SIZE];
			report_monitor_role(p, false, role, sizeof role);
			buf_puts(b, first ? "" : ", ");
			if (p == subject)
				buf_printf(b, _("%s itself"), role);
			else
				buf_puts(b, role);
			buf_printf(b, " (%s %s)", count > 1 ? "fds" : "fd", fds.data);
			first = false;
		}
		buf_free(&fds);
	}
}

static void holders(const struct monitor_snapshot *s, int pipe, bool write_end,
		    const struct monitor_process *subject, struct buf *b)
{
	holders_of(s, at_end, pipe, write_end, subject, b);
}

/* True when `subject` is the only live process holding what `match` looks for. */
static bool only_holder_of(const struct monitor_snapshot *s, fd_match *match, int what,
			   bool write_end, const struct monitor_process *subject)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		for (size_t k = 0; p != subject && k < p->nfds; k++)
			if (match(&p->fds[k], what, write_end))
				return false;
	}
	return true;
}

/* True when `subject` is the only live process holding the read end of the pipe. */
static bool only_holder(const struct monitor_snapshot *s, int pipe,
			const struct monitor_process *subject)
{
	return only_holder_of(s, at_end, pipe, false, subject);
}

/* The live children a waiting process waits for, as "child 1 (pid 812) and child 2 (pid 813)". */
static void waited(const struct monitor_snapshot *s, const struct monitor_process *p, pid_t which,
		   struct buf *b)
{
	int n = 0;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *c = &s->procs[i];
		if (c->parent != p->pid || (which > 0 && c->pid != which))
			continue;
		char who[REPORT_WHO_SIZE];
		buf_printf(b, "%s%s", n++ ? _(" and ") : "",
			   report_monitor_who(c, who, sizeof who));
	}
	if (!n)
		buf_puts(b, _("its children"));
}

/* `w` is what p (its main thread when `thread` is false) waits on. The pipe's ends are the
 * process's, not a thread's: "itself" only of a process's main thread. */
static void explain_pipe_read(const struct monitor_snapshot *s, const struct monitor_process *p,
			      const struct monitor_wait *w, bool thread, const char *who,
			      struct buf *b)
{
	const char *pipe = s->pipes[w->pipe].name;
	struct buf list = BUF_INIT, call = BUF_INIT, named = BUF_INIT;
	holders(s, w->pipe, true, thread ? NULL : p, &list);
	call_named(w, &call);
	pipe_named(&s->pipes[w->pipe], &named);
	buf_printf(b,
		   _("%s waits in %s on pipe %s, but pipe %s's write end is still open in: %s. "
		     "A reader only sees EOF when every write end is closed.\n"),
		   who, call.data, named.data, pipe, list.data);
	buf_free(&list);
	buf_free(&call);
	buf_free(&named);
}

/* "a pipe holds only 64 KiB", or what this one held when stress mode made it smaller
 * (malloc'd). */
static char *capacity_phrase(const struct monitor_pipe *pp)
{
	if (!pp->capacity)
		return xstrdup(_("a pipe holds only 64 KiB"));
	return xasprintf(_("this one holds only %d KiB: stress mode made it smaller"),
			 pp->capacity / 1024);
}

static void explain_pipe_write(const struct monitor_snapshot *s, const struct monitor_process *p,
			       const struct monitor_wait *w, bool thread, const char *who,
			       struct buf *b)
{
	struct buf list = BUF_INIT, call = BUF_INIT, named = BUF_INIT;
	holders(s, w->pipe, false, thread ? NULL : p, &list);
	call_named(w, &call);
	pipe_named(&s->pipes[w->pipe], &named);
	char *holds = capacity_phrase(&s->pipes[w->pipe]);
	if (only_holder(s, w->pipe, p))
		buf_printf(b,
			   _("%s waits in %s on pipe %s, which is full (%s), and nobody will ever "
			     "read it: its only read end is in %s. A writer waits while the pipe is "
			     "full; another process must read it at the same time.\n"),
			   who, call.data, named.data, holds, list.data);
	else
		buf_printf(b,
			   _("%s waits in %s on pipe %s, which is full (%s), and nobody will read "
			     "it: its read end is open only in: %s, blocked too. A writer waits while "
			     "the pipe is full; another process must read it at the same time.\n"),
			   who, call.data, named.data, holds, list.data);
	free(holds);
	buf_free(&list);
	buf_free(&call);
	buf_free(&named);
}

/* A read or write on one socket of a pair: only the other end's holders can end it. */
static void explain_socket(const struct monitor_snapshot *s, const struct monitor_process *p,
			   const struct monitor_wait *w, bool thread, const char *who,
			   struct buf *b)
{
	const struct monitor_ipc *me = &s->ipcs[w->ipc];
	int other = me->peer, other_end = other >= 0 ? s->ipcs[other].end : 3 - me->end;
	struct buf list = BUF_INIT, call = BUF_INIT;
	holders_of(s, at_ipc, other, false, thread ? NULL : p, &list);
	call_named(w, &call);
	const char *too = !thread && only_holder_of(s, at_ipc, other, false, p)
				  ? ""
				  : _(", blocked too");
	if (w->kind == MONITOR_WAIT_SOCKET_READ)
		buf_printf(b,
			   _("%s waits in %s on end %d of socket pair %s, but nothing will arrive: "
			     "end %d, the only one that can send to it, is open only in: %s%s. A "
			     "socket receives only what its other end sends, and sees EOF only when "
			     "every fd of the other end is closed.\n"),
			   who, call.data, me->end, me->name, other_end, list.data ? list.data : "",
			   too);
	else
		buf_printf(b,
			   _("%s waits in %s on end %d of socket pair %s, which is full (what it "
			     "sent waits unread at end %d), and nobody will read it: end %d is open "
			     "only in: %s%s. A writer waits while the socket is full; another process "
			     "must read the other end at the same time.\n"),
			   who, call.data, me->end, me->name, other_end, other_end,
			   list.data ? list.data : "", too);
	buf_free(&list);
	buf_free(&call);
}

/* A read or write on a named FIFO, as on a pipe; an open() that waits for its other side. */
static void explain_fifo(const struct monitor_snapshot *s, const struct monitor_process *p,
			 const struct monitor_wait *w, bool thread, const char *who, struct buf *b)
{
	const char *fifo = s->ipcs[w->ipc].name[0] ? s->ipcs[w->ipc].name : "?";
	struct buf list = BUF_INIT, call = BUF_INIT;
	call_named(w, &call);
	bool reading = w->kind == MONITOR_WAIT_FIFO_READ;
	holders_of(s, at_ipc, w->ipc, reading, thread ? NULL : p, &list);
	const char *held = list.data ? list.data : "";
	if (reading)
		buf_printf(b,
			   _("%s waits in %s on the named FIFO %s, but it is still open for writing "
			     "in: %s. A reader only sees EOF when every process that opened it for "
			     "writing has closed it.\n"),
			   who, call.data, fifo, held);
	else if (w->kind == MONITOR_WAIT_FIFO_WRITE)
		buf_printf(b,
			   _("%s waits in %s on the named FIFO %s, which is full (a FIFO holds only "
			     "64 KiB), and nobody will read it: it is open for reading only in: "
			     "%s%s. A writer waits while the FIFO is full; another process must read "
			     "it at the same time.\n"),
			   who, call.data, fifo, held,
			   !thread && only_holder_of(s, at_ipc, w->ipc, false, p)
				   ? ""
				   : _(", blocked too"));
	else if (w->open_for == END_WRITE)
		buf_printf(b,
			   _("%s waits in %s to open the named FIFO %s for writing, which only "
			     "returns once another process opens it for reading, and every process "
			     "of the case is blocked.\n"),
			   who, call.data, fifo);
	else
		buf_printf(b,
			   _("%s waits in %s to open the named FIFO %s for reading, which only "
			     "returns once another process opens it for writing, and every process "
			     "of the case is blocked.\n"),
			   who, call.data, fifo);
	buf_free(&list);
	buf_free(&call);
}

static void explain_other(const struct monitor_wait *w, const char *who, struct buf *b)
{
	struct buf call = BUF_INIT;
	call_named(w, &call);
	if (w->fd >= 0)
		buf_printf(b, _("%s waits in %s on %s, which never answers.\n"), who, call.data,
			   w->target[0] ? w->target : "?");
	else
		buf_printf(b, _("%s waits in %s and nothing will wake it.\n"), who, call.data);
	buf_free(&call);
}

/* One line on what `p` (its thread `t`, or its main thread when NULL) waits for and why that
 * never comes. */
static void explain_one(const struct monitor_snapshot *s, const struct monitor_process *p,
			const struct monitor_thread *t, struct buf *b)
{
	const struct monitor_wait *w = t ? &t->wait : &p->wait;
	char who[REPORT_WHO_AT_SIZE + 48];
	report_monitor_who_at(p, who, sizeof who);
	if (t) {
		size_t n = strlen(who);
		snprintf(who + n, sizeof who - n, _(", thread %d (tid %d),"), t->number,
			 (int)t->tid);
	}
	struct buf list = BUF_INIT, call = BUF_INIT;
	call_named(w, &call);
	switch (w->kind) {
	case MONITOR_WAIT_PIPE_READ:
		explain_pipe_read(s, p, w, t != NULL, who, b);
		break;
	case MONITOR_WAIT_PIPE_WRITE:
		explain_pipe_write(s, p, w, t != NULL, who, b);
		break;
	case MONITOR_WAIT_SOCKET_READ:
	case MONITOR_WAIT_SOCKET_WRITE:
		explain_socket(s, p, w, t != NULL, who, b);
		break;
	case MONITOR_WAIT_FIFO_READ:
	case MONITOR_WAIT_FIFO_WRITE:
	case MONITOR_WAIT_FIFO_OPEN:
		explain_fifo(s, p, w, t != NULL, who, b);
		break;
	case MONITOR_WAIT_CHILD:
		waited(s, p, w->waits_for, &list);
		buf_printf(b, _("%s waits in %s for %s.\n"), who, call.data, list.data);
		break;
	case MONITOR_WAIT_SIGNAL:
		buf_printf(b, _("%s waits in %s for a signal that never comes.\n"), who, call.data);
		break;
	case MONITOR_WAIT_STOPPED:
		buf_printf(b, _("%s is stopped by %s and will not go on until it gets SIGCONT.\n"),
			   who, signal_name(w->stop_signal));
		break;
	case MONITOR_WAIT_OTHER:
		explain_other(w, who, b);
		break;
	case MONITOR_WAIT_THREAD:
		buf_printf(b,
			   _("%s waits in %s for another thread of its process (pthread_join(), a "
			     "mutex or a condition variable), and every thread of the process is "
			     "blocked.\n"),
			   who, call.data);
		break;
	case MONITOR_WAIT_NONE:
	case MONITOR_WAIT_TIMED:
		break; /* not in a stuck tree */
	}
	buf_free(&list);
	buf_free(&call);
}

/* Readers first (of pipes, sockets, FIFOs), then writers, then the rest: the chain reads from
 * cause to effect. */
static int explain_rank(enum monitor_wait_kind k)
{
	if (k == MONITOR_WAIT_PIPE_READ || k == MONITOR_WAIT_SOCKET_READ ||
	    k == MONITOR_WAIT_FIFO_READ)
		return 0;
	if (k == MONITOR_WAIT_PIPE_WRITE || k == MONITOR_WAIT_SOCKET_WRITE ||
	    k == MONITOR_WAIT_FIFO_WRITE)
		return 1;
	return k == MONITOR_WAIT_CHILD || k == MONITOR_WAIT_THREAD ? 3 : 2;
}

/* Each process's main thread, then its other threads, by rank. */
static void explain_stuck(const struct monitor_snapshot *s, struct buf *b)
{
	for (int rank = 0; rank <= 3; rank++)
		for (size_t i = 0; i < s->nprocs; i++) {
			const struct monitor_process *p = &s->procs[i];
			if (explain_rank(p->wait.kind) == rank)
				explain_one(s, p, NULL, b);
			for (size_t t = 0; t < p->nthreads; t++)
				if (explain_rank(p->threads[t].wait.kind) == rank)
					explain_one(s, p, &p->threads[t], b);
		}
}

/* ---- fd leaks ---- */

/* One leaked fd, as "fd 3 (the read end of pipe A)", "fd 5 (infile.txt, read-only)",
 * "fd 6 (a socket)". */
static void leaked_fd(const struct monitor_facts *f, const struct monitor_fd *fd, bool made,
		      struct buf *b)
{
	const char *mode = report_monitor_mode_name(fd->end, false);
	switch (fd->kind) {
	case MONITOR_FD_PIPE: {
		struct buf at = BUF_INIT;
		if (made && site(&f->snap.pipes[fd->pipe].made, &at))
			buf_printf(b, _("fd %d (the %s end of pipe %s, created%s)"), fd->fd,
				   report_monitor_end_name(fd->end, false),
				   f->snap.pipes[fd->pipe].name, at.data);
		else
			buf_printf(b, _("fd %d (the %s end of pipe %s)"), fd->fd,
				   report_monitor_end_name(fd->end, false),
				   f->snap.pipes[fd->pipe].name);
		buf_free(&at);
		break;
	}
	case MONITOR_FD_FIFO:
		buf_printf(b, _("fd %d (the named FIFO %s, %s)"), fd->fd, fd->name, mode);
		break;
	case MONITOR_FD_SOCKET:
		buf_printf(b, _("fd %d (a socket)"), fd->fd);
		break;
	case MONITOR_FD_DIR:
		buf_printf(b, _("fd %d (the directory %s)"), fd->fd, fd->name);
		break;
	case MONITOR_FD_FILE:
	case MONITOR_FD_DEVICE:
	case MONITOR_FD_OTHER:
		buf_printf(b, "fd %d (%s, %s)", fd->fd, fd->name, mode);
		break;
	}
}

/* "fd 3 (the read end of pipe A), fd 4 (the write end of pipe A)"; whether some is a pipe. */
static bool leaked_fds(const struct monitor_facts *f, const struct monitor_process *p,
		       struct buf *b)
{
	bool pipes = false;
	for (size_t k = 0; k < p->nfds; k++) {
		bool first = true; /* of its pipe: says where the pipe was made */
		for (size_t e = 0; e < k; e++)
			if (p->fds[k].kind == MONITOR_FD_PIPE &&
			    p->fds[e].kind == MONITOR_FD_PIPE && p->fds[e].pipe == p->fds[k].pipe)
				first = false;
		buf_puts(b, k ? ", " : "");
		leaked_fd(f, &p->fds[k], first, b);
		pipes = pipes || p->fds[k].kind == MONITOR_FD_PIPE;
	}
	return pipes;
}

/* Only pipe fds. */
static bool only_pipes(const struct monitor_process *p)
{
	for (size_t k = 0; k < p->nfds; k++)
		if (p->fds[k].kind != MONITOR_FD_PIPE)
			return false;
	return true;
}

static void explain_leak_at_exec(const struct monitor_process *p, const char *who, const char *fds,
				 struct buf *b)
{
	if (!only_pipes(p))
		buf_printf(b,
			   _("%s started with %s open: a program should start with only fds 0, 1 "
			     "and 2. Close every other fd before exec(), once dup2() has put what "
			     "it needs on 0 and 1 (or open files with O_CLOEXEC)."),
			   who, fds);
	else if (p->nfds == 1)
		buf_printf(b,
			   _("%s started with %s open: it was not meant to inherit it. Close the "
			     "pipe ends a process does not use before exec() (or create the pipe "
			     "with O_CLOEXEC)."),
			   who, fds);
	else
		buf_printf(b,
			   _("%s started with %s open: it was not meant to inherit them. Close "
			     "the pipe ends a process does not use before exec() (or create the "
			     "pipe with O_CLOEXEC)."),
			   who, fds);
}

/* At exit the kernel closes every fd: say so, and what an open fd does while a process
 * lives on. */
static void explain_leak_at_exit(bool pipes, const char *who, const char *fds, struct buf *b)
{
	if (pipes)
		buf_printf(b,
			   _("%s exited with %s still open. The kernel closes every fd at exit, "
			     "so that did no harm here; but as long as a process lives on, a pipe "
			     "end it keeps open can keep another process from ever seeing EOF, and "
			     "every program it execs inherits what it holds. Close each fd as soon "
			     "as you are done with it."),
			   who, fds);
	else
		buf_printf(b,
			   _("%s exited with %s still open. The kernel closes every fd at exit, "
			     "so that did no harm here; but every program a process execs "
			     "inherits the fds it holds. Close each fd as soon as you are done "
			     "with it."),
			   who, fds);
}

static void explain_leak(const struct monitor_facts *f, struct buf *b)
{
	if (f->snap.nprocs == 0)
		return;
	const struct monitor_process *p = &f->snap.procs[0];
	char who[REPORT_WHO_AT_SIZE];
	report_monitor_who_at(p, who, sizeof who);
	struct buf fds = BUF_INIT;
	bool pipes = leaked_fds(f, p, &fds);
	if (f->at_exec)
		explain_leak_at_exec(p, who, fds.data ? fds.data : "", b);
	else
		explain_leak_at_exit(pipes, who, fds.data ? fds.data : "", b);
	buf_free(&fds);
}

/* ---- orphans ---- */

static void explain_orphan(const struct monitor_facts *f, struct buf *b)
{
	if (f->snap.nprocs == 0) {
		buf_printf(b,
			   _("%d process(es) were still running after the main process ended; "
			     "pipegrade killed them. Wait for every child before exiting."),
			   f->leftovers);
		return;
	}
	const struct monitor_process *p = &f->snap.procs[0];
	struct buf kids = BUF_INIT;
	for (size_t k = 0; k < p->nunwaited; k++) {
		const struct monitor_process *c = monitor_snapshot_find(&f->snap, p->unwaited[k]);
		char who[REPORT_WHO_AT_SIZE];
		if (c)
			report_monitor_who_at(c, who, sizeof who);
		else
			snprintf(who, sizeof who, "pid %d", (int)p->unwaited[k]);
		buf_printf(&kids, "%s%s", k ? _(" and ") : "", who);
	}
	char who[REPORT_WHO_SIZE];
	buf_printf(b,
		   _("%s exited without waiting for %s. A parent must waitpid() for every "
		     "child it creates; otherwise the child is left an orphan (or a zombie)."),
		   report_monitor_who(p, who, sizeof who), kids.data ? kids.data : "");
	buf_free(&kids);
}

/* ---- structure ---- */

static void explain_structure(const struct monitor_structure *st, struct buf *b)
{
	if (st->few_pipes)
		buf_printf(b,
			   st->req.pipes == 1
				   ? _("The exercise asks for at least %d pipe; the program created %d. ")
				   : _("The exercise asks for at least %d pipes; the program created %d. "),
			   st->req.pipes, st->pipes);
	if (st->few_forks)
		buf_printf(b,
			   st->req.forks == 1
				   ? _("The exercise asks for at least %d process created with fork(); the "
				       "program created %d. ")
				   : _("The exercise asks for at least %d processes created with fork(); the "
				       "program created %d. "),
			   st->req.forks, st->forks);
	if (st->unconnected)
		buf_puts(b, _("No pipe connected two different processes: one process must keep "
			      "only the write end and another only the read end. "));
	buf_puts(b, _("The output has to travel through a pipe between processes."));
}

/* ---- crashes ---- */

const char *report_signal_explanation(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return _("a segmentation fault: an access to memory that is not yours (a NULL or "
			 "uninitialised pointer, an index out of bounds)");
	case SIGPIPE:
		return _("it wrote to a pipe whose read end was already closed in every process");
	case SIGABRT:
		return _("abort(): often a failed assert() or a corrupted heap");
	case SIGFPE:
		return _("an arithmetic error, such as a division by zero");
	case SIGBUS:
		return _("a bus error: an invalid memory access");
	case SIGILL:
		return _(
			"an illegal instruction: often code the compiler put where the program "
			"does something undefined (__builtin_trap()), or a corrupted function pointer");
	case SIGSYS:
		return _("a system call it is not allowed to make");
	case SIGTRAP:
		return _("a trap: a breakpoint or __builtin_trap()");
	default:
		return _("a signal it did not handle");
	}
}

/* The call that sends a signal with this si_code. */
static const char *send_call(int code)
{
	return code == SI_TKILL   ? _("raise() or abort()")
	       : code == SI_QUEUE ? "sigqueue()"
				  : "kill()";
}

/* ", sent by itself (kill())": who sent the signal, when the kernel said so; nothing else. */
static void signal_sender(const struct monitor_facts *f, const struct monitor_signal *s,
			  struct buf *b)
{
	char who[REPORT_WHO_SIZE];
	const struct monitor_process *p = NULL;
	switch (s->from) {
	case MONITOR_SENDER_SELF:
		if (s->signo == SIGABRT && s->code == SI_TKILL)
			break; /* abort(): its explanation says so */
		buf_printf(b, _(", sent by itself (%s)"), send_call(s->code));
		break;
	case MONITOR_SENDER_PROCESS:
		p = monitor_snapshot_find(&f->snap, s->sender);
		if (p)
			buf_printf(b, _(", sent by %s"), report_monitor_who(p, who, sizeof who));
		break;
	case MONITOR_SENDER_HARNESS:
		buf_puts(b, _(", sent by pipegrade"));
		break;
	case MONITOR_SENDER_UNKNOWN:
	case MONITOR_SENDER_FAULT:
		break;
	}
}

#define WHERE_SAID 4 /* the program's frames a message names */

/* "eof-wc.c:14" after " at ", or nothing without a line. */
static void frame_line(const struct monitor_frame *fr, struct buf *b)
{
	if (fr->file[0] && fr->line > 0)
		buf_printf(b, _(" at %s:%d"), fr->file, fr->line);
}

/* " It happened at eof-wc.c:14 in contar(), called from main() at eof-wc.c:31.", " It
 * happened in strlen() (libc), called from contar() at eof-wc.c:14.": where the stack was
 * when the signal came; nothing when that is not known. */
static void crash_where(const struct monitor_where *w, struct buf *b)
{
	int i = 0;
	if (w->entry.library && w->entry.function[0]) {
		buf_printf(b, _(" It happened in %s() (%s)"), w->entry.function, w->entry.file);
	} else if (w->nframes > 0) {
		const struct monitor_frame *fr = &w->frames[i++];
		buf_puts(b, _(" It happened"));
		frame_line(fr, b);
		buf_printf(b, _(" in %s()"), fr->function);
	} else {
		return;
	}
	for (; i < w->nframes && i < WHERE_SAID; i++) {
		buf_printf(b, _(", called from %s()"), w->frames[i].function);
		frame_line(&w->frames[i], b);
	}
	buf_puts(b, ".");
}

/* "child 1 (pid 813) ended with an uncaught exception at hello.py:12 in leer(): ValueError:
 * invalid literal for int() with base 10: 'hola'." */
static void explain_exception(const struct monitor_process *p, struct buf *b)
{
	const struct monitor_exception *e = &p->exception;
	char who[REPORT_WHO_AT_SIZE];
	struct buf at = BUF_INIT;
	if (e->at.file[0] && e->at.line > 0)
		buf_printf(&at, _(" at %s:%d"), e->at.file, e->at.line);
	if (e->at.function[0] && strcmp(e->at.function, "<module>"))
		buf_printf(&at, _(" in %s()"), e->at.function);
	if (p->parent == 0 && !p->role[0])
		buf_printf(b, _("The program ended with an uncaught exception%s: %s."),
			   at.data ? at.data : "", e->what);
	else
		buf_printf(b, _("%s ended with an uncaught exception%s: %s."),
			   report_monitor_who_at(p, who, sizeof who), at.data ? at.data : "",
			   e->what);
	buf_puts(b, _(" Catch it (try/except) where it can happen, or check the data before using "
		      "it; a child that dies leaves its work undone and its parent waiting."));
	buf_free(&at);
}

static void explain_crash(const struct monitor_facts *f, struct buf *b)
{
	if (f->snap.nprocs == 0)
		return;
	const struct monitor_process *p = &f->snap.procs[0];
	if (p->exception.what[0]) {
		explain_exception(p, b);
		return;
	}
	const struct monitor_signal *s = &p->killed_by;
	struct buf how = BUF_INIT;
	if (s->has_addr)
		buf_printf(&how, _(" at address 0x%llx"), s->addr);
	signal_sender(f, s, &how);
	const char *name = signal_name(s->signo);
	const char *more = how.data ? how.data : "";
	char who[REPORT_WHO_SIZE];
	if (p->parent == 0 && !p->role[0])
		buf_printf(b, _("The program was killed by %s%s: %s."), name, more,
			   report_signal_explanation(s->signo));
	else
		buf_printf(b, _("%s was killed by %s%s: %s."),
			   report_monitor_who(p, who, sizeof who), name, more,
			   report_signal_explanation(s->signo));
	crash_where(&s->where, b);
	buf_free(&how);
}

char *report_monitor_busy(const struct monitor_snapshot *tree)
{
	struct buf list = BUF_INIT, b = BUF_INIT;
	int n = 0;
	for (size_t i = 0; i < tree->nprocs; i++) {
		char who[REPORT_WHO_SIZE];
		if (tree->procs[i].busy)
			buf_printf(&list, "%s%s", n++ ? _(" and ") : "",
				   report_monitor_who(&tree->procs[i], who, sizeof who));
	}
	if (n == 1)
		buf_printf(&b,
			   _("%s was running all along (busy: it used the CPU, it was not waiting)."),
			   list.data);
	else if (n > 1)
		buf_printf(&b,
			   _("%s were running all along (busy: they used the CPU, they were not "
			     "waiting)."),
			   list.data);
	buf_free(&list);
	return b.data ? buf_detach(&b) : NULL;
}

/* ---- output written twice ---- */

#define REPORT_QUOTE_MAX 60

/* How many leading bytes of what `kid` wrote to stdout its parent `p` wrote too, after the
 * fork: cut back to whole lines, unless it is all that one of them wrote (and kept). 0: none. */
static size_t copied_prefix(const struct monitor_process *p, const struct monitor_process *kid)
{
	if (kid->out.at_fork >= p->out.n)
		return 0;
	const unsigned char *a = p->out.head + kid->out.at_fork, *b = kid->out.head;
	size_t na = p->out.n - kid->out.at_fork, nb = kid->out.n, n = 0;
	while (n < na && n < nb && a[n] == b[n])
		n++;
	bool all_p = n == na && p->out.n < MONITOR_OUT_HEAD; /* kept whole: nothing after */
	bool all_kid = n == nb && nb < MONITOR_OUT_HEAD;
	if (all_p || all_kid)
		return n;
	while (n > 0 && b[n - 1] != '\n')
		n--;
	return n;
}

/* The first line of `text`, at most REPORT_QUOTE_MAX bytes (cut before a UTF-8 character
 * that does not fit, then "..."), into `b`; false when it is blank. */
static bool quote_line(const unsigned char *text, size_t len, struct buf *b)
{
	const unsigned char *nl = memchr(text, '\n', len);
	size_t n = nl ? (size_t)(nl - text) : len, cut = n;
	bool blank = true;
	for (size_t i = 0; i < n; i++)
		blank = blank && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r');
	if (blank)
		return false;
	if (cut > REPORT_QUOTE_MAX) {
		cut = REPORT_QUOTE_MAX;
		while (cut > 0 && (text[cut] & 0xC0) == 0x80)
			cut--;
	}
	buf_append(b, (const char *)text, cut);
	if (cut < n)
		buf_puts(b, "...");
	return true;
}

char *report_monitor_stdout_copies(const struct monitor_snapshot *tree, bool python)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < tree->nprocs; i++) {
		const struct monitor_process *p = &tree->procs[i];
		struct buf text = BUF_INIT, kids = BUF_INIT;
		for (size_t k = 0; p->out.n && !p->exe[0] && k < tree->nprocs; k++) {
			const struct monitor_process *kid = &tree->procs[k];
			if (kid->parent != p->pid || kid->exe[0] || !kid->out.n)
				continue;
			size_t n = copied_prefix(p, kid);
			struct buf line = BUF_INIT;
			if (n && quote_line(kid->out.head, n, &line) &&
			    (!text.data || !strcmp(text.data, line.data))) {
				char role[REPORT_ROLE_SIZE];
				if (!text.data)
					buf_puts(&text, line.data);
				buf_printf(&kids, "%s%s", kids.len ? ", " : "",
					   report_monitor_role(kid, false, role, sizeof role));
			}
			buf_free(&line);
		}
		if (text.data) {
			char role[REPORT_ROLE_SIZE];
			if (python)
				buf_printf(&b,
					   _("%s«%s» was written by %s and by %s: the buffer of "
					     "sys.stdout was copied by os.fork(); call "
					     "sys.stdout.flush() before os.fork()."),
					   b.len ? "\n" : "", text.data,
					   report_monitor_role(p, false, role, sizeof role),
					   kids.data);
			else
				buf_printf(&b,
					   _("%s«%s» was written by %s and by %s: the stdio buffer was "
					     "copied by fork(); call fflush(stdout) before fork()."),
					   b.len ? "\n" : "", text.data,
					   report_monitor_role(p, false, role, sizeof role),
					   kids.data);
		}
		buf_free(&text);
		buf_free(&kids);
	}
	return b.data ? buf_detach(&b) : NULL;
}

char *report_monitor_message(const struct monitor_facts *f)
{
	struct buf b = BUF_INIT;
	switch (f->kind) {
	case FINDING_DEADLOCK:
	case FINDING_HANG:
		explain_stuck(&f->snap, &b);
		break;
	case FINDING_FD_LEAK:
		explain_leak(f, &b);
		break;
	case FINDING_ORPHAN:
		explain_orphan(f, &b);
		break;
	case FINDING_STRUCTURE:
		explain_structure(&f->structure, &b);
		break;
	case FINDING_CRASH:
		explain_crash(f, &b);
		break;
	case FINDING_PASS:
	case FINDING_WRONG_OUTPUT:
	case FINDING_WRONG_EXIT:
	case FINDING_TIMEOUT:
	case FINDING_COMPILE_ERROR:
	case FINDING_LIMIT_OUTPUT:
	case FINDING_LIMIT_MEMORY:
	case FINDING_LIMIT_PROCESSES:
	case FINDING_LIMIT_FILES:
	case FINDING_RACE:
	case FINDING_KIND_COUNT:
		break; /* not the monitor's */
	}
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_detach(&b);
}

struct finding *report_monitor_finding(struct findings *list, struct monitor_facts *f)
{
	char *msg = report_monitor_message(f);
	struct finding *x = findings_add(list, f->kind, NULL, msg);
	finding_set_details(x, f);
	free(msg);
	return x;
}
