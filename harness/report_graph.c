/* report_graph.c: the processes and pipes of a stuck tree as a Graphviz graph and as the text
 * picture of --explain (see report_monitor.h). */
#include <stdlib.h>
#include <string.h>

#include "report_monitor.h"

#include "i18n.h"

/* A DOT string literal: made visible by buf_visible() (a program's name may hold any bytes),
 * then quotes and backslashes escaped and newlines as \n. */
static void dot_quoted(struct buf *b, const char *s)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, strlen(s), true);
	buf_puts(b, "\"");
	for (size_t i = 0; i < v.len; i++) {
		if (v.data[i] == '\n') {
			buf_puts(b, "\\n");
			continue;
		}
		if (v.data[i] == '"' || v.data[i] == '\\')
			buf_puts(b, "\\");
		buf_append(b, v.data + i, 1);
	}
	buf_puts(b, "\"");
	buf_free(&v);
}

/* A wait on a socket pair, or on a named FIFO (then w->ipc is set). */
static bool on_socket(const struct monitor_wait *w)
{
	return w->ipc >= 0 &&
	       (w->kind == MONITOR_WAIT_SOCKET_READ || w->kind == MONITOR_WAIT_SOCKET_WRITE);
}

static bool on_fifo(const struct monitor_wait *w)
{
	return w->ipc >= 0 &&
	       (w->kind == MONITOR_WAIT_FIFO_READ || w->kind == MONITOR_WAIT_FIFO_WRITE ||
		w->kind == MONITOR_WAIT_FIFO_OPEN);
}

/* The short state of a process: "read(fd 3) on pipe A", "read(fd 3) on end 1 of socket pair
 * A", "open() of FIFO canal", "waitpid()", "stopped (SIGSTOP)". */
static void short_state(const struct monitor_snapshot *s, const struct monitor_wait *w,
			struct buf *b)
{
	if (w->kind == MONITOR_WAIT_STOPPED)
		buf_printf(b, _("stopped (%s)"), signal_name(w->stop_signal));
	else if (on_socket(w))
		buf_printf(b, _("%s(fd %d) on end %d of socket pair %s"), w->call, w->fd,
			   s->ipcs[w->ipc].end, s->ipcs[w->ipc].name);
	else if (on_fifo(w) && w->kind == MONITOR_WAIT_FIFO_OPEN)
		buf_printf(b, _("%s() of FIFO %s"), w->call, s->ipcs[w->ipc].name);
	else if (on_fifo(w))
		buf_printf(b, _("%s(fd %d) on FIFO %s"), w->call, w->fd, s->ipcs[w->ipc].name);
	else if (w->pipe >= 0)
		buf_printf(b, _("%s(fd %d) on pipe %s"), w->call, w->fd, s->pipes[w->pipe].name);
	else if (w->fd >= 0)
		buf_printf(b, "%s(fd %d)", w->call, w->fd);
	else
		buf_printf(b, "%s()", w->call);
}

static void dot_process(const struct monitor_snapshot *s, const struct monitor_process *p,
			struct buf *d)
{
	char role[REPORT_ROLE_SIZE];
	struct buf label = BUF_INIT;
	buf_printf(&label, "%s\npid %d\n", report_monitor_role(p, false, role, sizeof role),
		   (int)p->pid);
	short_state(s, &p->wait, &label);
	for (size_t t = 0; t < p->nthreads; t++) {
		buf_printf(&label, _("\nthread %d: "), p->threads[t].number);
		short_state(s, &p->threads[t].wait, &label);
	}
	buf_printf(d, "  p%d [shape=box, color=red, fontcolor=red, label=", (int)p->pid);
	dot_quoted(d, label.data);
	buf_puts(d, "];\n");
	buf_free(&label);
}

/* The wait is blocked on that fd. */
static bool waits_on(const struct monitor_wait *w, const struct monitor_fd *f)
{
	return w->pipe == f->pipe && w->fd == f->fd;
}

/* The edge of an fd on a socket (no direction: both ways) or a FIFO (as a pipe's). */
static void dot_ipc_edge(const struct monitor_process *p, const struct monitor_fd *f,
			 const char *style, struct buf *d)
{
	if (f->kind == MONITOR_FD_SOCKET)
		buf_printf(d, "  p%d -> ipc%d [dir=none, label=\"fd %d\"%s];\n", (int)p->pid,
			   f->ipc, f->fd, style);
	else if (f->end == END_READ)
		buf_printf(d, "  ipc%d -> p%d [label=\"fd %d (%s)\"%s];\n", f->ipc, (int)p->pid,
			   f->fd, report_monitor_end_name(f->end, false), style);
	else
		buf_printf(d, "  p%d -> ipc%d [label=\"fd %d (%s)\"%s%s];\n", (int)p->pid, f->ipc,
			   f->fd, report_monitor_end_name(f->end, false),
			   f->end == END_BOTH ? ", dir=both" : "", style);
}

/* The edges of a process: its fds on the student's pipes, sockets and FIFOs (in red the one
 * it is blocked on), its open() of a FIFO, and its wait for its children. */
static void dot_edges(const struct monitor_snapshot *s, const struct monitor_process *p,
		      struct buf *d)
{
	for (size_t k = 0; k < p->nfds; k++) {
		const struct monitor_fd *f = &p->fds[k];
		bool ipc = (f->kind == MONITOR_FD_SOCKET || f->kind == MONITOR_FD_FIFO) &&
			   f->ipc >= 0;
		if (!ipc && (f->kind != MONITOR_FD_PIPE || s->pipes[f->pipe].harness))
			continue;
		const struct monitor_pipe *pp = ipc ? NULL : &s->pipes[f->pipe];
		bool blocked = waits_on(&p->wait, f);
		for (size_t t = 0; t < p->nthreads; t++)
			blocked = blocked || waits_on(&p->threads[t].wait, f);
		const char *style = blocked ? ", color=red, fontcolor=red, penwidth=2" : "";
		const char *end = report_monitor_end_name(f->end, false);
		if (ipc)
			dot_ipc_edge(p, f, style, d);
		else if (f->end == END_READ)
			buf_printf(d, "  pipe%s -> p%d [label=\"fd %d (%s)\"%s];\n", pp->name,
				   (int)p->pid, f->fd, end, style);
		else
			buf_printf(d, "  p%d -> pipe%s [label=\"fd %d (%s)\"%s];\n", (int)p->pid,
				   pp->name, f->fd, end, style);
	}
	if (p->wait.kind == MONITOR_WAIT_FIFO_OPEN && p->wait.ipc >= 0)
		buf_printf(d, "  p%d -> ipc%d [style=dashed, color=red, label=\"%s()\"];\n",
			   (int)p->pid, p->wait.ipc, p->wait.call);
	if (p->wait.kind != MONITOR_WAIT_CHILD)
		return;
	for (size_t c = 0; c < s->nprocs; c++)
		if (s->procs[c].parent == p->pid)
			buf_printf(d, "  p%d -> p%d [style=dashed, color=red, label=\"%s\"];\n",
				   (int)p->pid, (int)s->procs[c].pid, p->wait.call);
}

char *report_graph_dot(const struct monitor_snapshot *s)
{
	struct buf d = BUF_INIT;
	buf_puts(&d, "digraph pipegrade {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
		     "  edge [fontname=\"Helvetica\", fontsize=10];\n");
	for (size_t i = 0; i < s->nprocs; i++)
		dot_process(s, &s->procs[i], &d);
	for (size_t i = 0; i < s->npipes; i++)
		if (!s->pipes[i].harness)
			buf_printf(&d, "  pipe%s [shape=ellipse, label=\"pipe %s\"];\n",
				   s->pipes[i].name, s->pipes[i].name);
	for (size_t i = 0; i < s->nipcs; i++) {
		const struct monitor_ipc *x = &s->ipcs[i];
		char *label = x->kind == MONITOR_IPC_SOCKET
				      ? xasprintf(_("socket pair %s\nend %d"), x->name, x->end)
				      : xasprintf(_("FIFO %s"), x->name);
		buf_printf(&d, "  ipc%zu [shape=ellipse, label=", i);
		dot_quoted(&d, label);
		buf_puts(&d, "];\n");
		free(label);
		if (x->kind == MONITOR_IPC_SOCKET && x->peer > (int)i)
			buf_printf(&d, "  ipc%zu -> ipc%d [dir=both, style=dotted];\n", i, x->peer);
	}
	for (size_t i = 0; i < s->nprocs; i++)
		dot_edges(s, &s->procs[i], &d);
	buf_puts(&d, "}\n");
	return buf_detach(&d);
}

char *report_graph_text(const struct monitor_snapshot *s)
{
	struct buf t = BUF_INIT;
	buf_puts(&t, _("processes:\n"));
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		char who[REPORT_WHO_SIZE];
		buf_printf(&t, _("  %s waits in "), report_monitor_who(p, who, sizeof who));
		short_state(s, &p->wait, &t);
		buf_puts(&t, "\n");
		for (size_t k = 0; k < p->nthreads; k++) {
			buf_printf(&t, _("    thread %d (tid %d) waits in "), p->threads[k].number,
				   (int)p->threads[k].tid);
			short_state(s, &p->threads[k].wait, &t);
			buf_puts(&t, "\n");
		}
		for (size_t k = 0; k < p->nfds; k++) {
			const struct monitor_fd *f = &p->fds[k];
			if (f->kind == MONITOR_FD_SOCKET && f->ipc >= 0) {
				buf_printf(&t, _("      fd %d: end %d of socket pair %s\n"), f->fd,
					   s->ipcs[f->ipc].end, s->ipcs[f->ipc].name);
				continue;
			}
			if (f->kind == MONITOR_FD_FIFO && f->ipc >= 0) {
				buf_printf(&t, _("      fd %d: FIFO %s, %s\n"), f->fd,
					   s->ipcs[f->ipc].name,
					   report_monitor_mode_name(f->end, false));
				continue;
			}
			if (f->kind != MONITOR_FD_PIPE)
				continue;
			const struct monitor_pipe *pp = &s->pipes[f->pipe];
			if (pp->harness)
				buf_printf(&t, "      fd %d: %s\n", f->fd, pp->name);
			else
				buf_printf(&t, _("      fd %d: %s end of pipe %s\n"), f->fd,
					   report_monitor_end_name(f->end, false), pp->name);
		}
	}
	return buf_detach(&t);
}
