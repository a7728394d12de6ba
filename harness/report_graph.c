/* report_graph.c: the processes and pipes of a stuck tree as a Graphviz graph and as the text
 * picture of --explain (see report_monitor.h). */
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

/* The short state of a process: "read(fd 3) on pipe A", "waitpid()", "stopped (SIGSTOP)". */
static void short_state(const struct monitor_snapshot *s, const struct monitor_wait *w,
			struct buf *b)
{
	if (w->kind == MONITOR_WAIT_STOPPED)
		buf_printf(b, L("stopped (%s)", "detenido (%s)"), signal_name(w->stop_signal));
	else if (w->pipe >= 0)
		buf_printf(b, L("%s(fd %d) on pipe %s", "%s(fd %d) en la tubería %s"), w->call,
			   w->fd, s->pipes[w->pipe].name);
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
		buf_printf(&label, L("\nthread %d: ", "\nhilo %d: "), p->threads[t].number);
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

/* The edges of a process: its fds on the student's pipes (in red the one it is blocked on),
 * and its wait for its children. */
static void dot_edges(const struct monitor_snapshot *s, const struct monitor_process *p,
		      struct buf *d)
{
	for (size_t k = 0; k < p->nfds; k++) {
		const struct monitor_fd *f = &p->fds[k];
		const struct monitor_pipe *pp = &s->pipes[f->pipe];
		if (pp->harness)
			continue;
		bool blocked = waits_on(&p->wait, f);
		for (size_t t = 0; t < p->nthreads; t++)
			blocked = blocked || waits_on(&p->threads[t].wait, f);
		const char *style = blocked ? ", color=red, fontcolor=red, penwidth=2" : "";
		const char *end = report_monitor_end_name(f->end, false);
		if (f->end == END_READ)
			buf_printf(d, "  pipe%s -> p%d [label=\"fd %d (%s)\"%s];\n", pp->name,
				   (int)p->pid, f->fd, end, style);
		else
			buf_printf(d, "  p%d -> pipe%s [label=\"fd %d (%s)\"%s];\n", (int)p->pid,
				   pp->name, f->fd, end, style);
	}
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
	for (size_t i = 0; i < s->nprocs; i++)
		dot_edges(s, &s->procs[i], &d);
	buf_puts(&d, "}\n");
	return buf_detach(&d);
}

char *report_graph_text(const struct monitor_snapshot *s)
{
	struct buf t = BUF_INIT;
	buf_puts(&t, L("processes:\n", "procesos:\n"));
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		char who[REPORT_WHO_SIZE];
		buf_printf(&t, L("  %s waits in ", "  %s espera en "),
			   report_monitor_who(p, who, sizeof who));
		short_state(s, &p->wait, &t);
		buf_puts(&t, "\n");
		for (size_t k = 0; k < p->nthreads; k++) {
			buf_printf(&t,
				   L("    thread %d (tid %d) waits in ",
				     "    hilo %d (tid %d) espera en "),
				   p->threads[k].number, (int)p->threads[k].tid);
			short_state(s, &p->threads[k].wait, &t);
			buf_puts(&t, "\n");
		}
		for (size_t k = 0; k < p->nfds; k++) {
			const struct monitor_fd *f = &p->fds[k];
			const struct monitor_pipe *pp = &s->pipes[f->pipe];
			if (pp->harness)
				buf_printf(&t, "      fd %d: %s\n", f->fd, pp->name);
			else
				buf_printf(&t,
					   L("      fd %d: %s end of pipe %s\n",
					     "      fd %d: extremo de %s de la tubería %s\n"),
					   f->fd, report_monitor_end_name(f->end, false), pp->name);
		}
	}
	return buf_detach(&t);
}
