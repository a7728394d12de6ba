/* report_monitor.c: the process monitor's facts in sentences for the student (see
 * report_monitor.h). */
#include "report_monitor.h"

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
		snprintf(out, size, "%s", english ? "parent" : L("parent", "padre"));
	else
		snprintf(out, size, english ? "child %s" : L("child %s", "hijo %s"), p->role);
	return out;
}

const char *report_monitor_who(const struct monitor_process *p, char *out, size_t size)
{
	char role[REPORT_ROLE_SIZE];
	snprintf(out, size, "%s (pid %d)", report_monitor_role(p, false, role, sizeof role),
		 (int)p->pid);
	return out;
}

const char *report_monitor_end_name(enum pipe_end e, bool english)
{
	if (english)
		return e == END_READ ? "read" : e == END_WRITE ? "write" : "read/write";
	return e == END_READ    ? L("read", "lectura")
	       : e == END_WRITE ? L("write", "escritura")
				: L("read/write", "lectura/escritura");
}

/* ---- a stuck tree ---- */

/* An fd of the pipe at the end asked for (an O_RDWR fd is at both). */
static bool at_end(const struct monitor_fd *f, int pipe, bool write_end)
{
	return f->pipe == pipe && f->end != (write_end ? END_READ : END_WRITE);
}

/* "child 1 itself (fd 4), parent (fd 4)": the live holders of one end of a pipe. */
static void holders(const struct monitor_snapshot *s, int pipe, bool write_end,
		    const struct monitor_process *subject, struct buf *b)
{
	bool first = true;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		struct buf fds = BUF_INIT;
		int count = 0;
		for (size_t k = 0; k < p->nfds; k++)
			if (at_end(&p->fds[k], pipe, write_end))
				buf_printf(&fds, "%s%d", count++ ? ", " : "", p->fds[k].fd);
		if (count) {
			char role[REPORT_ROLE_SIZE];
			report_monitor_role(p, false, role, sizeof role);
			buf_puts(b, first ? "" : ", ");
			if (p == subject)
				buf_printf(b, L("%s itself", "el propio %s"), role);
			else
				buf_puts(b, role);
			buf_printf(b, " (%s %s)", count > 1 ? "fds" : "fd", fds.data);
			first = false;
		}
		buf_free(&fds);
	}
}

/* True when `subject` is the only live process holding the read end of the pipe. */
static bool only_holder(const struct monitor_snapshot *s, int pipe,
			const struct monitor_process *subject)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		for (size_t k = 0; p != subject && k < p->nfds; k++)
			if (at_end(&p->fds[k], pipe, false))
				return false;
	}
	return true;
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
		buf_printf(b, "%s%s", n++ ? L(" and ", " y ") : "",
			   report_monitor_who(c, who, sizeof who));
	}
	if (!n)
		buf_puts(b, L("its children", "sus hijos"));
}

static void explain_pipe_read(const struct monitor_snapshot *s, const struct monitor_process *p,
			      const char *who, struct buf *b)
{
	const struct monitor_wait *w = &p->wait;
	const char *pipe = s->pipes[w->pipe].name;
	struct buf list = BUF_INIT;
	holders(s, w->pipe, true, p, &list);
	buf_printf(b,
		   L("%s waits in read(fd %d) on pipe %s, but pipe %s's write end is still "
		     "open in: %s. A reader only sees EOF when every write end is closed.\n",
		     "%s espera en read(fd %d) sobre la tubería %s, pero el extremo de "
		     "escritura de la tubería %s sigue abierto en: %s. Quien lee solo recibe "
		     "EOF cuando todos los extremos de escritura están cerrados.\n"),
		   who, w->fd, pipe, pipe, list.data);
	buf_free(&list);
}

static void explain_pipe_write(const struct monitor_snapshot *s, const struct monitor_process *p,
			       const char *who, struct buf *b)
{
	const struct monitor_wait *w = &p->wait;
	const char *pipe = s->pipes[w->pipe].name;
	struct buf list = BUF_INIT;
	holders(s, w->pipe, false, p, &list);
	if (only_holder(s, w->pipe, p))
		buf_printf(b,
			   L("%s waits in write(fd %d) on pipe %s, which is full (a pipe holds "
			     "only 64 KiB), and nobody will ever read it: its only read end is in "
			     "%s. A writer waits while the pipe is full; another process must "
			     "read it at the same time.\n",
			     "%s espera en write(fd %d) sobre la tubería %s, que está llena (una "
			     "tubería solo guarda 64 KiB), y nadie la leerá nunca: su único "
			     "extremo de lectura está en %s. Quien escribe espera mientras la "
			     "tubería está llena; otro proceso tiene que leerla a la vez.\n"),
			   who, w->fd, pipe, list.data);
	else
		buf_printf(b,
			   L("%s waits in write(fd %d) on pipe %s, which is full (a pipe holds "
			     "only 64 KiB), and nobody will read it: its read end is open only "
			     "in: %s, blocked too. A writer waits while the pipe is full; another "
			     "process must read it at the same time.\n",
			     "%s espera en write(fd %d) sobre la tubería %s, que está llena (una "
			     "tubería solo guarda 64 KiB), y nadie la va a leer: su extremo de "
			     "lectura solo está abierto en: %s, también bloqueado. Quien escribe "
			     "espera mientras la tubería está llena; otro proceso tiene que "
			     "leerla a la vez.\n"),
			   who, w->fd, pipe, list.data);
	buf_free(&list);
}

static void explain_other(const struct monitor_wait *w, const char *who, struct buf *b)
{
	if (w->fd >= 0)
		buf_printf(b,
			   L("%s waits in %s(fd %d) on %s, which never answers.\n",
			     "%s espera en %s(fd %d) sobre %s, que nunca responde.\n"),
			   who, w->call, w->fd, w->target[0] ? w->target : "?");
	else
		buf_printf(b,
			   L("%s waits in %s() and nothing will wake it.\n",
			     "%s espera en %s() y nada lo despertará.\n"),
			   who, w->call);
}

/* One line on what `p` waits for and why that never comes. */
static void explain_one(const struct monitor_snapshot *s, const struct monitor_process *p,
			struct buf *b)
{
	const struct monitor_wait *w = &p->wait;
	char who[REPORT_WHO_SIZE];
	report_monitor_who(p, who, sizeof who);
	struct buf list = BUF_INIT;
	switch (w->kind) {
	case MONITOR_WAIT_PIPE_READ:
		explain_pipe_read(s, p, who, b);
		break;
	case MONITOR_WAIT_PIPE_WRITE:
		explain_pipe_write(s, p, who, b);
		break;
	case MONITOR_WAIT_CHILD:
		waited(s, p, w->waits_for, &list);
		buf_printf(b, L("%s waits in %s() for %s.\n", "%s espera en %s() a %s.\n"), who,
			   w->call, list.data);
		break;
	case MONITOR_WAIT_SIGNAL:
		buf_printf(b,
			   L("%s waits in %s() for a signal that never comes.\n",
			     "%s espera en %s() una señal que nunca llega.\n"),
			   who, w->call);
		break;
	case MONITOR_WAIT_STOPPED:
		buf_printf(b,
			   L("%s is stopped by %s and will not go on until it gets SIGCONT.\n",
			     "%s está detenido por %s y no seguirá hasta recibir SIGCONT.\n"),
			   who, signal_name(w->stop_signal));
		break;
	case MONITOR_WAIT_OTHER:
		explain_other(w, who, b);
		break;
	case MONITOR_WAIT_NONE:
	case MONITOR_WAIT_TIMED:
		break; /* not in a stuck tree */
	}
	buf_free(&list);
}

/* Pipe readers first, then writers, then the rest: the chain reads from cause to effect. */
static int explain_rank(enum monitor_wait_kind k)
{
	return k == MONITOR_WAIT_PIPE_READ    ? 0
	       : k == MONITOR_WAIT_PIPE_WRITE ? 1
	       : k == MONITOR_WAIT_CHILD      ? 3
					      : 2;
}

static void explain_stuck(const struct monitor_snapshot *s, struct buf *b)
{
	for (int rank = 0; rank <= 3; rank++)
		for (size_t i = 0; i < s->nprocs; i++)
			if (explain_rank(s->procs[i].wait.kind) == rank)
				explain_one(s, &s->procs[i], b);
}

/* ---- fd leaks ---- */

/* "fd 3 (the read end of pipe A), fd 4 (the write end of pipe A)" */
static void leaked_fds(const struct monitor_facts *f, const struct monitor_process *p,
		       struct buf *b)
{
	for (size_t k = 0; k < p->nfds; k++) {
		const struct monitor_fd *fd = &p->fds[k];
		buf_printf(b,
			   L("%sfd %d (the %s end of pipe %s)", "%sfd %d (el extremo de %s de la "
								"tubería %s)"),
			   k ? ", " : "", fd->fd, report_monitor_end_name(fd->end, false),
			   f->snap.pipes[fd->pipe].name);
	}
}

static void explain_leak(const struct monitor_facts *f, struct buf *b)
{
	if (f->snap.nprocs == 0)
		return;
	const struct monitor_process *p = &f->snap.procs[0];
	char who[REPORT_WHO_SIZE];
	report_monitor_who(p, who, sizeof who);
	struct buf fds = BUF_INIT;
	leaked_fds(f, p, &fds);
	if (f->at_exec && p->nfds == 1)
		buf_printf(b,
			   L("%s started with %s open: it was not meant to inherit it. Close the "
			     "pipe ends a process does not use before exec() (or create the pipe "
			     "with O_CLOEXEC).",
			     "%s empezó con %s abierto: no debía heredarlo. Cierra los extremos que "
			     "un proceso no usa antes de exec() (o crea la tubería con O_CLOEXEC)."),
			   who, fds.data);
	else if (f->at_exec)
		buf_printf(b,
			   L("%s started with %s open: it was not meant to inherit them. Close "
			     "the pipe ends a process does not use before exec() (or create the "
			     "pipe with O_CLOEXEC).",
			     "%s empezó con %s abiertos: no debía heredarlos. Cierra los extremos "
			     "que un proceso no usa antes de exec() (o crea la tubería con "
			     "O_CLOEXEC)."),
			   who, fds.data);
	else
		buf_printf(b,
			   L("%s exited with %s still open. Close every pipe end you do not use, "
			     "and the others once you are done: an end left open can keep another "
			     "process from ever seeing EOF.",
			     "%s terminó con %s todavía abierto. Cierra cada extremo que no uses, y "
			     "los demás al terminar con ellos: un extremo abierto puede impedir que "
			     "otro proceso reciba EOF."),
			   who, fds.data);
	buf_free(&fds);
}

/* ---- orphans ---- */

static void explain_orphan(const struct monitor_facts *f, struct buf *b)
{
	if (f->snap.nprocs == 0) {
		buf_printf(b,
			   L("%d process(es) were still running after the main process ended; "
			     "pipegrade killed them. Wait for every child before exiting.",
			     "%d proceso(s) seguían en marcha cuando terminó el proceso principal; "
			     "pipegrade los mató. Espera a cada hijo antes de terminar."),
			   f->leftovers);
		return;
	}
	const struct monitor_process *p = &f->snap.procs[0];
	struct buf kids = BUF_INIT;
	for (size_t k = 0; k < p->nunwaited; k++) {
		const struct monitor_process *c = monitor_snapshot_find(&f->snap, p->unwaited[k]);
		char who[REPORT_WHO_SIZE];
		if (c)
			report_monitor_who(c, who, sizeof who);
		else
			snprintf(who, sizeof who, "pid %d", (int)p->unwaited[k]);
		buf_printf(&kids, "%s%s", k ? L(" and ", " y ") : "", who);
	}
	char who[REPORT_WHO_SIZE];
	buf_printf(b,
		   L("%s exited without waiting for %s. A parent must waitpid() for every "
		     "child it creates; otherwise the child is left an orphan (or a zombie).",
		     "%s terminó sin esperar a %s. Un padre debe hacer waitpid() de cada hijo "
		     "que crea; si no, el hijo queda huérfano (o zombi)."),
		   report_monitor_who(p, who, sizeof who), kids.data ? kids.data : "");
	buf_free(&kids);
}

/* ---- structure ---- */

static void explain_structure(const struct monitor_structure *st, struct buf *b)
{
	if (st->few_pipes)
		buf_printf(b,
			   st->req.pipes == 1
				   ? L("The exercise asks for at least %d pipe; the program created %d. ",
				       "El ejercicio pide al menos %d tubería; el programa creó %d. ")
				   : L("The exercise asks for at least %d pipes; the program created %d. ",
				       "El ejercicio pide al menos %d tuberías; el programa creó %d. "),
			   st->req.pipes, st->pipes);
	if (st->few_forks)
		buf_printf(b,
			   st->req.forks == 1
				   ? L("The exercise asks for at least %d process created with fork(); the "
				       "program created %d. ",
				       "El ejercicio pide al menos %d proceso creado con fork(); el programa "
				       "creó %d. ")
				   : L("The exercise asks for at least %d processes created with fork(); the "
				       "program created %d. ",
				       "El ejercicio pide al menos %d procesos creados con fork(); el programa "
				       "creó %d. "),
			   st->req.forks, st->forks);
	if (st->unconnected)
		buf_puts(b,
			 L("No pipe connected two different processes: one process must keep "
			   "only the write end and another only the read end. ",
			   "Ninguna tubería conectó dos procesos distintos: un proceso debe quedarse "
			   "solo con el extremo de escritura y otro solo con el de lectura. "));
	buf_puts(b, L("The output has to travel through a pipe between processes.",
		      "La salida tiene que pasar por una tubería entre procesos."));
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
	case FINDING_PASS:
	case FINDING_WRONG_OUTPUT:
	case FINDING_WRONG_EXIT:
	case FINDING_TIMEOUT:
	case FINDING_CRASH:
	case FINDING_COMPILE_ERROR:
	case FINDING_LIMIT_OUTPUT:
	case FINDING_LIMIT_MEMORY:
	case FINDING_LIMIT_PROCESSES:
	case FINDING_LIMIT_FILES:
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
