/* monitor_conclude.c: after the run: fd leaks, orphans, structure, and the pictures of a
 * stuck tree (see monitor.h). */
#include "monitor_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "i18n.h"
#include "report.h"
#include "run.h"

static const char *end_name(enum pipe_end e, bool english)
{
	if (english)
		return e == END_READ ? "read" : e == END_WRITE ? "write" : "read/write";
	return e == END_READ ? L("read", "lectura") : e == END_WRITE ? L("write", "escritura")
		: L("read/write", "lectura/escritura");
}

/* ---- pictures ---- */

static void dot_quoted(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '\n') {
			buf_puts(b, "\\n");
			continue;
		}
		if (*s == '"' || *s == '\\')
			buf_puts(b, "\\");
		if ((unsigned char)*s >= 0x20)
			buf_append(b, s, 1);
	}
	buf_puts(b, "\"");
}

/* The short state of a process: "read(fd 3) on pipe A", "waitpid()", "stopped (SIGSTOP)". */
static void short_state(const struct mproc *p, const struct wait_info *w, struct buf *b)
{
	if (w->kind == W_STOPPED)
		buf_printf(b, L("stopped (%s)", "detenido (%s)"), run_signal_name(p->stop_signal));
	else if (w->pipe)
		buf_printf(b, L("%s(fd %d) on pipe %s", "%s(fd %d) en la tubería %s"), w->call, w->fd,
			   w->pipe->name);
	else if (w->fd >= 0)
		buf_printf(b, "%s(fd %d)", w->call, w->fd);
	else
		buf_printf(b, "%s()", w->call);
}

static void draw_dot(struct monitor *m, const struct wait_info *waits, struct buf *d)
{
	buf_puts(d, "digraph pipegrade {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
		    "  edge [fontname=\"Helvetica\", fontsize=10];\n");
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		if (!p->alive)
			continue;
		struct buf label = BUF_INIT;
		buf_printf(&label, "%s\npid %d\n", monitor_role(p), (int)p->pid);
		short_state(p, &waits[i], &label);
		buf_printf(d, "  p%d [shape=box, color=red, fontcolor=red, label=", (int)p->pid);
		dot_quoted(d, label.data);
		buf_puts(d, "];\n");
		buf_free(&label);
	}
	for (size_t i = 0; i < m->npipes; i++)
		if (!m->pipes[i].harness)
			buf_printf(d, "  pipe%s [shape=ellipse, label=\"pipe %s\"];\n",
				   m->pipes[i].name, m->pipes[i].name);
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		for (size_t k = 0; p->alive && k < p->fds.n; k++) {
			const struct proc_fd *f = &p->fds.v[k];
			const struct mpipe *pp = monitor_pipe(m, f->inode);
			if (pp->harness)
				continue;
			bool blocked = waits[i].pipe == pp && waits[i].fd == f->fd;
			const char *style = blocked ? ", color=red, fontcolor=red, penwidth=2" : "";
			if (f->end == END_READ)
				buf_printf(d, "  pipe%s -> p%d [label=\"fd %d (%s)\"%s];\n", pp->name,
					   (int)p->pid, f->fd, end_name(f->end, false), style);
			else
				buf_printf(d, "  p%d -> pipe%s [label=\"fd %d (%s)\"%s];\n", (int)p->pid,
					   pp->name, f->fd, end_name(f->end, false), style);
		}
		if (p->alive && waits[i].kind == W_CHILD)
			for (size_t c = 0; c < m->nprocs; c++)
				if (m->procs[c].alive && m->procs[c].parent == p->pid)
					buf_printf(d, "  p%d -> p%d [style=dashed, color=red, label=\"%s\"];\n",
						   (int)p->pid, (int)m->procs[c].pid, waits[i].call);
	}
	buf_puts(d, "}\n");
}

static void draw_text(struct monitor *m, const struct wait_info *waits, struct buf *t)
{
	buf_puts(t, L("processes:\n", "procesos:\n"));
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		if (!p->alive)
			continue;
		buf_printf(t, L("  %s waits in ", "  %s espera en "), monitor_who(p, 0));
		short_state(p, &waits[i], t);
		buf_puts(t, "\n");
		for (size_t k = 0; k < p->fds.n; k++) {
			const struct proc_fd *f = &p->fds.v[k];
			const struct mpipe *pp = monitor_pipe(m, f->inode);
			if (pp->harness)
				buf_printf(t, "      fd %d: %s\n", f->fd, pp->name);
			else
				buf_printf(t, L("      fd %d: %s end of pipe %s\n",
						"      fd %d: extremo de %s de la tubería %s\n"), f->fd,
					   end_name(f->end, false), pp->name);
		}
	}
}

void monitor_draw(struct monitor *m, const struct wait_info *waits)
{
	struct buf d = BUF_INIT, t = BUF_INIT;
	draw_dot(m, waits, &d);
	draw_text(m, waits, &t);
	free(m->graph_dot);
	free(m->graph_text);
	m->graph_dot = buf_detach(&d);
	m->graph_text = buf_detach(&t);
}

/* ---- fd leaks ---- */

/* "fd 3 (the read end of pipe A) and fd 4 (...)" for the pipe fds above 2; JSON alongside. */
static int leaked_fds(struct monitor *m, const struct proc_fds *fds, struct buf *text,
		      struct buf *json)
{
	int n = 0;
	for (size_t k = 0; k < fds->n; k++) {
		const struct proc_fd *f = &fds->v[k];
		if (f->fd <= 2)
			continue;
		const struct mpipe *pp = monitor_pipe(m, f->inode);
		buf_printf(text, L("%sfd %d (the %s end of pipe %s)", "%sfd %d (el extremo de %s de la "
				   "tubería %s)"), n ? ", " : "", f->fd, end_name(f->end, false), pp->name);
		buf_printf(json, "%s{\"fd\": %d, \"pipe\": \"%s\", \"end\": \"%s\"}", n ? ", " : "",
			   f->fd, pp->name, end_name(f->end, true));
		n++;
	}
	return n;
}

static void add_leak(struct findings *f, const struct mproc *p, const char *message,
		     const struct buf *json)
{
	struct buf fields = BUF_INIT;
	const char *role = monitor_role_in(p, true);
	buf_printf(&fields, "\"processes\": [{\"pid\": %d, \"role\": ", (int)p->pid);
	report_json_string(&fields, role, strlen(role));
	buf_printf(&fields, "}], \"fds\": [%s]", json->data ? json->data : "");
	finding_set_fields(findings_add(f, FINDING_FD_LEAK, NULL, message), fields.data);
	buf_free(&fields);
}

static void find_leaks(struct monitor *m, struct findings *f)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		struct buf text = BUF_INIT, json = BUF_INIT;
		char *msg = NULL;
		int n = p->exe[0] ? leaked_fds(m, &p->at_exec, &text, &json) : 0;
		if (n == 1)
			msg = xasprintf(L("%s started with %s open: it was not meant to inherit it. "
					  "Close the pipe ends a process does not use before exec() (or "
					  "create the pipe with O_CLOEXEC).",
					  "%s empezó con %s abierto: no debía heredarlo. Cierra los "
					  "extremos que un proceso no usa antes de exec() (o crea la "
					  "tubería con O_CLOEXEC)."), monitor_who(p, 0), text.data);
		else if (n > 1)
			msg = xasprintf(L("%s started with %s open: it was not meant to inherit them. "
					  "Close the pipe ends a process does not use before exec() (or "
					  "create the pipe with O_CLOEXEC).",
					  "%s empezó con %s abiertos: no debía heredarlos. Cierra los "
					  "extremos que un proceso no usa antes de exec() (o crea la "
					  "tubería con O_CLOEXEC)."), monitor_who(p, 0), text.data);
		else if (!p->exe[0] && p->exited_alone && leaked_fds(m, &p->at_exit, &text, &json))
			msg = xasprintf(L("%s exited with %s still open. Close every pipe end you do not "
					  "use, and the others once you are done: an end left open can "
					  "keep another process from ever seeing EOF.",
					  "%s terminó con %s todavía abierto. Cierra cada extremo que no "
					  "uses, y los demás al terminar con ellos: un extremo abierto "
					  "puede impedir que otro proceso reciba EOF."),
					monitor_who(p, 0), text.data);
		if (msg)
			add_leak(f, p, msg, &json);
		free(msg);
		buf_free(&text);
		buf_free(&json);
	}
}

/* ---- orphans ---- */

static void find_orphans(struct monitor *m, int leftovers, struct findings *f)
{
	bool found = false;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		if (p->exe[0] || !p->exited_alone || p->unwaited.n == 0)
			continue;
		struct buf kids = BUF_INIT, json = BUF_INIT;
		for (size_t k = 0; k < p->unwaited.n; k++) {
			const struct mproc *c = monitor_proc(m, p->unwaited.v[k]);
			char fallback[32];
			snprintf(fallback, sizeof fallback, "pid %d", (int)p->unwaited.v[k]);
			buf_printf(&kids, "%s%s", k ? L(" and ", " y ") : "", c ? monitor_who(c, 1) : fallback);
			buf_printf(&json, "%s%d", k ? ", " : "", (int)p->unwaited.v[k]);
		}
		char *msg = xasprintf(L("%s exited without waiting for %s. A parent must waitpid() for "
					"every child it creates; otherwise the child is left an orphan "
					"(or a zombie).",
					"%s terminó sin esperar a %s. Un padre debe hacer waitpid() de "
					"cada hijo que crea; si no, el hijo queda huérfano (o zombi)."),
				      monitor_who(p, 0), kids.data);
		struct buf fields = BUF_INIT;
		buf_printf(&fields, "\"processes\": [{\"pid\": %d, \"unwaited\": [%s]}]", (int)p->pid,
			   json.data);
		finding_set_fields(findings_add(f, FINDING_ORPHAN, NULL, msg), fields.data);
		found = true;
		free(msg);
		buf_free(&fields);
		buf_free(&kids);
		buf_free(&json);
	}
	if (!found && leftovers > 0) {
		char *msg = xasprintf(L("%d process(es) were still running after the main process ended; "
					"pipegrade killed them. Wait for every child before exiting.",
					"%d proceso(s) seguían en marcha cuando terminó el proceso "
					"principal; pipegrade los mató. Espera a cada hijo antes de "
					"terminar."), leftovers);
		findings_add(f, FINDING_ORPHAN, NULL, msg);
		free(msg);
	}
}

/* ---- structure ---- */

/* Some process held only one end while another process held the other end. */
static bool ends_split(const struct pidlist *only, const struct pidlist *other)
{
	for (size_t a = 0; a < only->n; a++)
		for (size_t b = 0; b < other->n; b++)
			if (only->v[a] != other->v[b])
				return true;
	return false;
}

static bool some_pipe_connected(const struct monitor *m)
{
	for (size_t i = 0; i < m->npipes; i++) {
		const struct mpipe *pp = &m->pipes[i];
		if (!pp->harness && (ends_split(&pp->write_only, &pp->readers) ||
				     ends_split(&pp->read_only, &pp->writers)))
			return true;
	}
	return false;
}

static void find_structure(struct monitor *m, const struct structure_req *req, int pipes,
			   struct findings *f)
{
	struct buf msg = BUF_INIT;
	if (req->pipes > 0 && pipes < req->pipes)
		buf_printf(&msg, req->pipes == 1
			   ? L("The exercise asks for at least %d pipe; the program created %d. ",
			       "El ejercicio pide al menos %d tubería; el programa creó %d. ")
			   : L("The exercise asks for at least %d pipes; the program created %d. ",
			       "El ejercicio pide al menos %d tuberías; el programa creó %d. "),
			   req->pipes, pipes);
	if (req->forks > 0 && m->forks < req->forks)
		buf_printf(&msg, req->forks == 1
			   ? L("The exercise asks for at least %d process created with fork(); the "
			       "program created %d. ",
			       "El ejercicio pide al menos %d proceso creado con fork(); el programa "
			       "creó %d. ")
			   : L("The exercise asks for at least %d processes created with fork(); the "
			       "program created %d. ",
			       "El ejercicio pide al menos %d procesos creados con fork(); el programa "
			       "creó %d. "), req->forks, m->forks);
	if (req->connected && pipes > 0 && !some_pipe_connected(m))
		buf_puts(&msg, L("No pipe connected two different processes: one process must keep "
				 "only the write end and another only the read end. ",
				 "Ninguna tubería conectó dos procesos distintos: un proceso debe quedarse "
				 "solo con el extremo de escritura y otro solo con el de lectura. "));
	if (msg.len) {
		buf_puts(&msg, L("The output has to travel through a pipe between processes.",
				 "La salida tiene que pasar por una tubería entre procesos."));
		char fields[128];
		snprintf(fields, sizeof fields, "\"pipes\": %d, \"forks\": %d", pipes, m->forks);
		finding_set_fields(findings_add(f, FINDING_STRUCTURE, NULL, msg.data), fields);
	}
	buf_free(&msg);
}

/* How a process ended, for JSON: "exit 0", "signal SIGKILL", "running". */
static void json_end(const struct mproc *p, struct buf *j)
{
	if (p->alive)
		buf_puts(j, "null");
	else if (p->exited_alone)
		buf_printf(j, "\"exit %d\"", WEXITSTATUS(p->exit_status));
	else
		buf_printf(j, "\"killed\"");
}

static char *tree_json(struct monitor *m)
{
	struct buf j = BUF_INIT;
	buf_puts(&j, "[");
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		const char *role = monitor_role_in(p, true);
		buf_printf(&j, "%s{\"pid\": %d, \"parent\": %d, \"role\": ", i ? ", " : "",
			   (int)p->pid, (int)p->parent);
		report_json_string(&j, role, strlen(role));
		if (p->exe[0])
			buf_printf(&j, ", \"exec_at\": %.3f", p->t_exec);
		buf_printf(&j, ", \"started_at\": %.3f, \"ended_at\": ", p->t_start);
		if (p->t_end >= 0)
			buf_printf(&j, "%.3f", p->t_end);
		else
			buf_puts(&j, "null");
		buf_puts(&j, ", \"end\": ");
		json_end(p, &j);
		buf_puts(&j, "}");
	}
	buf_puts(&j, "]");
	return buf_detach(&j);
}

void monitor_conclude(struct monitor *m, const struct structure_req *req, int leftovers,
		      struct monitor_conclusion *c, struct findings *f)
{
	memset(c, 0, sizeof *c);
	c->stuck = m->stuck;
	c->stuck_after_s = m->stuck_at;
	c->stuck_message = m->stuck_message;
	c->stuck_fields = m->stuck_fields;
	c->graph_dot = m->graph_dot;
	c->graph_text = m->graph_text;
	m->stuck_message = m->stuck_fields = m->graph_dot = m->graph_text = NULL;
	c->tree_json = tree_json(m);
	c->processes = (int)m->nprocs;
	c->forks = m->forks;
	c->max_fds = m->max_fds;
	c->max_alive = m->max_alive;
	c->vm_peak_failed = m->vm_peak_failed;
	c->signals_refused = m->signals_refused;
	for (size_t i = 0; i < m->npipes; i++)
		c->pipes += !m->pipes[i].harness;
	find_leaks(m, f);
	find_orphans(m, leftovers, f);
	if (req)
		find_structure(m, req, c->pipes, f);
}

void monitor_conclusion_free(struct monitor_conclusion *c)
{
	free(c->stuck_message);
	free(c->stuck_fields);
	free(c->graph_dot);
	free(c->graph_text);
	free(c->tree_json);
	memset(c, 0, sizeof *c);
}
