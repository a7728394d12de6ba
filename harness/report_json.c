/* report_json.c: the Gradescope results.json shape (see report.h), and the process monitor's
 * facts as JSON (see report_monitor.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "report_monitor.h"

static void json_str(struct buf *out, const char *s)
{
	buf_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

/* ---- the monitor's facts ---- */

/* "role": "child 1", always in English: the process's name for machines. */
static void json_role(struct buf *j, const struct monitor_process *p)
{
	char role[REPORT_ROLE_SIZE];
	buf_puts(j, "\"role\": ");
	json_str(j, report_monitor_role(p, true, role, sizeof role));
}

/* `, "KEY": {"function": "main", "file": "hello.c", "line": 9}`: where the student's code made a
 * call (file and line only with debug information); nothing when that is not known. */
static void json_site(struct buf *j, const char *key, const struct monitor_frame *fr)
{
	bool line = fr->file[0] && fr->line > 0;
	if (!line && !fr->function[0])
		return;
	buf_printf(j, ", \"%s\": {", key);
	if (fr->function[0]) {
		buf_puts(j, "\"function\": ");
		json_str(j, fr->function);
	}
	if (line) {
		buf_puts(j, fr->function[0] ? ", \"file\": " : "\"file\": ");
		json_str(j, fr->file);
		buf_printf(j, ", \"line\": %d", fr->line);
	}
	buf_puts(j, "}");
}

/* Every live holder of one end of a pipe: [{"pid": 812, "role": "child 1", "fd": 4}, ...] */
static void json_ends(struct buf *j, const struct monitor_snapshot *s, int pipe, bool write_end)
{
	bool first = true;
	buf_puts(j, "[");
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		for (size_t k = 0; k < p->nfds; k++) {
			const struct monitor_fd *f = &p->fds[k];
			if (f->pipe != pipe || f->end == (write_end ? END_READ : END_WRITE))
				continue;
			buf_printf(j, "%s{\"pid\": %d, ", first ? "" : ", ", (int)p->pid);
			json_role(j, p);
			buf_printf(j, ", \"fd\": %d}", f->fd);
			first = false;
		}
	}
	buf_puts(j, "]");
}

/* Some live process holds an end of the pipe. */
static bool pipe_held(const struct monitor_snapshot *s, int pipe)
{
	for (size_t i = 0; i < s->nprocs; i++)
		for (size_t k = 0; k < s->procs[i].nfds; k++)
			if (s->procs[i].fds[k].pipe == pipe)
				return true;
	return false;
}

/* ", \"call\": \"read\", \"fd\": 3, \"pipe\": \"A\"": the call a process or thread waits in. */
static void json_wait(struct buf *j, const struct monitor_snapshot *s, const struct monitor_wait *w)
{
	buf_puts(j, ", \"call\": ");
	json_str(j, w->kind == MONITOR_WAIT_STOPPED ? "stopped" : w->call);
	if (w->fd >= 0)
		buf_printf(j, ", \"fd\": %d", w->fd);
	if (w->pipe >= 0) {
		buf_puts(j, ", \"pipe\": ");
		json_str(j, s->pipes[w->pipe].name);
	}
	bool socket = w->kind == MONITOR_WAIT_SOCKET_READ || w->kind == MONITOR_WAIT_SOCKET_WRITE;
	bool fifo = w->kind == MONITOR_WAIT_FIFO_READ || w->kind == MONITOR_WAIT_FIFO_WRITE ||
		    w->kind == MONITOR_WAIT_FIFO_OPEN;
	if (w->ipc >= 0 && (size_t)w->ipc < s->nipcs && (socket || fifo)) {
		buf_puts(j, socket ? ", \"socket\": " : ", \"fifo\": ");
		json_str(j, s->ipcs[w->ipc].name);
		if (socket)
			buf_printf(j, ", \"end\": %d", s->ipcs[w->ipc].end);
		if (w->kind == MONITOR_WAIT_FIFO_OPEN)
			buf_printf(j, ", \"open_for\": \"%s\"",
				   w->open_for == END_WRITE ? "write" : "read");
	}
	json_site(j, "call_at", &w->at);
}

/* The live holders of a socket (any fd) or of one side of a FIFO (side: 0 read, 1 write, -1
 * any): [{"pid": 812, "role": "child 1", "fd": 4}, ...] */
static void json_ipc_ends(struct buf *j, const struct monitor_snapshot *s, int ipc, int side)
{
	bool first = true;
	buf_puts(j, "[");
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		for (size_t k = 0; k < p->nfds; k++) {
			const struct monitor_fd *f = &p->fds[k];
			if ((f->kind != MONITOR_FD_SOCKET && f->kind != MONITOR_FD_FIFO) ||
			    f->ipc != ipc || (side >= 0 && f->end == (side ? END_READ : END_WRITE)))
				continue;
			buf_printf(j, "%s{\"pid\": %d, ", first ? "" : ", ", (int)p->pid);
			json_role(j, p);
			buf_printf(j, ", \"fd\": %d}", f->fd);
			first = false;
		}
	}
	buf_puts(j, "]");
}

/* `, "sockets": [...]` and `, "fifos": [...]`: the sockets and FIFOs a stuck tree waits on (and
 * the waited sockets' peers), each with who holds it; nothing when there are none. */
static void json_ipcs(struct buf *j, const struct monitor_snapshot *s)
{
	for (int kind = MONITOR_IPC_SOCKET; kind <= MONITOR_IPC_FIFO; kind++) {
		bool first = true;
		for (size_t i = 0; i < s->nipcs; i++) {
			const struct monitor_ipc *x = &s->ipcs[i];
			if ((int)x->kind != kind)
				continue;
			buf_puts(j, !first                       ? ", {"
				    : kind == MONITOR_IPC_SOCKET ? ", \"sockets\": [{"
								 : ", \"fifos\": [{");
			first = false;
			if (kind == MONITOR_IPC_SOCKET) {
				buf_puts(j, "\"pair\": ");
				json_str(j, x->name);
				buf_printf(j, ", \"end\": %d, \"inode\": %lu, \"queued\": %u",
					   x->end, x->inode, x->queued);
				buf_puts(j, ", \"held_by\": ");
				json_ipc_ends(j, s, (int)i, -1);
			} else {
				buf_puts(j, "\"name\": ");
				json_str(j, x->name);
				buf_printf(j, ", \"inode\": %lu, \"read_ends\": ", x->inode);
				json_ipc_ends(j, s, (int)i, 0);
				buf_puts(j, ", \"write_ends\": ");
				json_ipc_ends(j, s, (int)i, 1);
			}
			buf_puts(j, "}");
		}
		if (!first)
			buf_puts(j, "]");
	}
}

/* A stuck tree: each process and the call it waits in (and each of its other threads'); each
 * student pipe still held, and by whom. */
static void json_stuck(struct buf *j, const struct monitor_snapshot *s)
{
	buf_puts(j, "\"processes\": [");
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct monitor_process *p = &s->procs[i];
		buf_printf(j, "%s{\"pid\": %d, ", i ? ", " : "", (int)p->pid);
		json_role(j, p);
		json_site(j, "forked_at", &p->forked_at);
		json_wait(j, s, &p->wait);
		if (p->nthreads) {
			buf_puts(j, ", \"threads\": [");
			for (size_t t = 0; t < p->nthreads; t++) {
				buf_printf(j, "%s{\"thread\": %d, \"tid\": %d", t ? ", " : "",
					   p->threads[t].number, (int)p->threads[t].tid);
				json_wait(j, s, &p->threads[t].wait);
				buf_puts(j, "}");
			}
			buf_puts(j, "]");
		}
		buf_puts(j, "}");
	}
	buf_puts(j, "], \"pipes\": [");
	bool first = true;
	for (size_t i = 0; i < s->npipes; i++) {
		const struct monitor_pipe *pp = &s->pipes[i];
		if (pp->harness || !pipe_held(s, (int)i))
			continue;
		buf_puts(j, first ? "{\"name\": " : ", {\"name\": ");
		json_str(j, pp->name);
		buf_printf(j, ", \"inode\": %lu", pp->inode);
		if (pp->capacity) /* stress mode made it smaller */
			buf_printf(j, ", \"capacity\": %d", pp->capacity);
		json_site(j, "created_at", &pp->made);
		buf_puts(j, ", \"read_ends\": ");
		json_ends(j, s, (int)i, false);
		buf_puts(j, ", \"write_ends\": ");
		json_ends(j, s, (int)i, true);
		buf_puts(j, "}");
		first = false;
	}
	buf_puts(j, "]");
	json_ipcs(j, s);
}

/* An fd leak: when it was seen (at exec or at exit), the process, and each fd with what it
 * is: a pipe with its end, anything else with its name (when it has one) and access mode. */
static void json_leak(struct buf *j, const struct monitor_facts *f)
{
	const struct monitor_process *p = &f->snap.procs[0];
	buf_printf(j, "\"at\": \"%s\", \"processes\": [{\"pid\": %d, ",
		   f->at_exec ? "exec" : "exit", (int)p->pid);
	json_role(j, p);
	json_site(j, "forked_at", &p->forked_at);
	buf_puts(j, "}], \"fds\": [");
	for (size_t k = 0; k < p->nfds; k++) {
		const struct monitor_fd *fd = &p->fds[k];
		buf_printf(j, "%s{\"fd\": %d, \"kind\": \"%s\"", k ? ", " : "", fd->fd,
			   report_monitor_fd_kind_name(fd->kind));
		if (fd->kind == MONITOR_FD_PIPE) {
			buf_puts(j, ", \"pipe\": ");
			json_str(j, f->snap.pipes[fd->pipe].name);
			buf_puts(j, ", \"end\": ");
			json_str(j, report_monitor_end_name(fd->end, true));
			json_site(j, "created_at", &f->snap.pipes[fd->pipe].made);
		} else {
			if (fd->name[0]) {
				buf_puts(j, ", \"name\": ");
				json_str(j, fd->name);
			}
			buf_puts(j, ", \"mode\": ");
			json_str(j, report_monitor_mode_name(fd->end, true));
		}
		buf_puts(j, "}");
	}
	buf_puts(j, "]");
}

/* An orphan: the process and the children it did not wait for; then those children the
 * monitor traced, with where they were forked. */
static void json_orphan(struct buf *j, const struct monitor_snapshot *s)
{
	const struct monitor_process *p = &s->procs[0];
	buf_printf(j, "\"processes\": [{\"pid\": %d, ", (int)p->pid);
	json_role(j, p);
	json_site(j, "forked_at", &p->forked_at);
	buf_puts(j, ", \"unwaited\": [");
	for (size_t k = 0; k < p->nunwaited; k++)
		buf_printf(j, "%s%d", k ? ", " : "", (int)p->unwaited[k]);
	buf_puts(j, "]}");
	for (size_t i = 1; i < s->nprocs; i++) {
		buf_printf(j, ", {\"pid\": %d, ", (int)s->procs[i].pid);
		json_role(j, &s->procs[i]);
		json_site(j, "forked_at", &s->procs[i].forked_at);
		buf_puts(j, "}");
	}
	buf_puts(j, "]");
}

/* Who sent the signal, when the kernel said so: "sender" ("itself", "process" with
 * "sender_pid" and "sender_role", or "pipegrade") and the "call" that sent it. */
static void json_sender(struct buf *j, const struct monitor_facts *f,
			const struct monitor_signal *s)
{
	const struct monitor_process *from = monitor_snapshot_find(&f->snap, s->sender);
	if (s->from == MONITOR_SENDER_SELF) {
		buf_puts(j, ", \"sender\": \"itself\"");
	} else if (s->from == MONITOR_SENDER_HARNESS) {
		buf_puts(j, ", \"sender\": \"pipegrade\"");
	} else if (s->from == MONITOR_SENDER_PROCESS && from) {
		char role[REPORT_ROLE_SIZE];
		buf_printf(j, ", \"sender\": \"process\", \"sender_pid\": %d, \"sender_role\": ",
			   (int)from->pid);
		json_str(j, report_monitor_role(from, true, role, sizeof role));
	} else {
		return;
	}
	buf_printf(j, ", \"call\": \"%s\"",
		   s->code == SI_TKILL   ? "raise"
		   : s->code == SI_QUEUE ? "sigqueue"
					 : "kill");
}

/* Where a crash happened: "library": {"function", "name"} when it was inside a library the
 * program called, and "frames": the program's own, innermost first, each {"function"} and,
 * with debug information, "file" and "line". Nothing when unknown. */
static void json_where(struct buf *j, const struct monitor_where *w)
{
	if (w->entry.library && w->entry.function[0]) {
		buf_puts(j, ", \"library\": {\"function\": ");
		json_str(j, w->entry.function);
		buf_puts(j, ", \"name\": ");
		json_str(j, w->entry.file);
		buf_puts(j, "}");
	}
	if (w->nframes == 0)
		return;
	buf_puts(j, ", \"frames\": [");
	for (int i = 0; i < w->nframes; i++) {
		const struct monitor_frame *fr = &w->frames[i];
		buf_puts(j, i ? ", {\"function\": " : "{\"function\": ");
		json_str(j, fr->function);
		if (fr->file[0] && fr->line > 0) {
			buf_puts(j, ", \"file\": ");
			json_str(j, fr->file);
			buf_printf(j, ", \"line\": %d", fr->line);
		}
		buf_puts(j, "}");
	}
	buf_puts(j, "]");
}

/* A crash: the process, the signal that killed it, the address it touched (SIGSEGV, SIGBUS)
 * and who sent the signal, when the kernel said so. */
static void json_crash(struct buf *j, const struct monitor_facts *f)
{
	const struct monitor_process *p = &f->snap.procs[0];
	const struct monitor_signal *s = &p->killed_by;
	buf_printf(j, "\"processes\": [{\"pid\": %d, ", (int)p->pid);
	json_role(j, p);
	json_site(j, "forked_at", &p->forked_at);
	if (p->exception.what[0]) { /* an uncaught exception, not a signal */
		buf_puts(j, ", \"exception\": ");
		json_str(j, p->exception.what);
		json_site(j, "raised_at", &p->exception.at);
		buf_puts(j, "}]");
		return;
	}
	buf_puts(j, ", \"signal\": ");
	json_str(j, signal_name(s->signo));
	if (s->has_addr)
		buf_printf(j, ", \"address\": \"0x%llx\"", s->addr);
	json_sender(j, f, s);
	json_where(j, &s->where);
	buf_puts(j, "}]");
}

void report_json_monitor_facts(struct buf *j, const struct monitor_facts *f)
{
	switch (f->kind) {
	case FINDING_DEADLOCK:
	case FINDING_HANG:
		json_stuck(j, &f->snap);
		break;
	case FINDING_FD_LEAK:
		if (f->snap.nprocs)
			json_leak(j, f);
		break;
	case FINDING_ORPHAN:
		if (f->snap.nprocs)
			json_orphan(j, &f->snap);
		break;
	case FINDING_STRUCTURE:
		buf_printf(j, "\"pipes\": %d, \"forks\": %d", f->structure.pipes,
			   f->structure.forks);
		break;
	case FINDING_CRASH:
		if (f->snap.nprocs)
			json_crash(j, f);
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
}

/* How a process ended: "exit 0", "killed", or null while it runs. */
static void json_end(struct buf *j, const struct monitor_process *p)
{
	switch (p->end) {
	case MONITOR_END_RUNNING:
		buf_puts(j, "null");
		break;
	case MONITOR_END_EXITED:
		buf_printf(j, "\"exit %d\"", p->exit_code);
		break;
	case MONITOR_END_KILLED:
		buf_puts(j, "\"killed\"");
		break;
	}
}

char *report_json_process_tree(const struct monitor_snapshot *tree)
{
	struct buf j = BUF_INIT;
	buf_puts(&j, "[");
	for (size_t i = 0; i < tree->nprocs; i++) {
		const struct monitor_process *p = &tree->procs[i];
		buf_printf(&j, "%s{\"pid\": %d, \"parent\": %d, ", i ? ", " : "", (int)p->pid,
			   (int)p->parent);
		json_role(&j, p);
		if (p->exe[0])
			buf_printf(&j, ", \"exec_at\": %.3f", p->exec_at);
		buf_printf(&j, ", \"started_at\": %.3f, \"ended_at\": ", p->started_at);
		if (p->ended_at >= 0)
			buf_printf(&j, "%.3f", p->ended_at);
		else
			buf_puts(&j, "null");
		buf_puts(&j, ", \"end\": ");
		json_end(&j, p);
		buf_puts(&j, "}");
	}
	buf_puts(&j, "]");
	return buf_detach(&j);
}

/* ---- stress mode ---- */

/* A member that is null when it does not apply (fd -1, cut -1, bytes of a step that moves
 * none). */
static void json_int_or_null(struct buf *j, const char *key, long long v, bool set)
{
	if (set)
		buf_printf(j, ", \"%s\": %lld", key, v);
	else
		buf_printf(j, ", \"%s\": null", key);
}

/* One step: {"kind", "pid", "role", "fd", "ipc", "bytes", "cut"}. */
static void json_step(struct buf *j, const struct monitor_step *st,
		      const struct monitor_snapshot *tree)
{
	char role[REPORT_ROLE_SIZE];
	bool moves = st->kind == MONITOR_STEP_READ || st->kind == MONITOR_STEP_WRITE;
	buf_printf(j, "{\"kind\": \"%s\", \"pid\": %d, \"role\": ",
		   report_sched_step_kind_name(st->kind), (int)st->pid);
	json_str(j, report_sched_role(st, tree, true, role, sizeof role));
	json_int_or_null(j, "fd", st->fd, st->fd >= 0);
	buf_puts(j, ", \"ipc\": ");
	if (st->ipc[0])
		json_str(j, st->ipc);
	else
		buf_puts(j, "null");
	json_int_or_null(j, "bytes", st->bytes, moves);
	json_int_or_null(j, "cut", st->cut, moves && st->cut >= 0);
	buf_puts(j, "}");
}

static void json_schedule(struct buf *j, const struct monitor_schedule *s,
			  const struct monitor_snapshot *tree)
{
	buf_printf(j,
		   ", \"schedule\": {\"seed\": %llu, \"depth\": %d, \"horizon\": %d, "
		   "\"pipe_size\": %d, \"short_reads\": %d, \"split_writes\": %d, \"steps\": [",
		   s->seed, s->depth, s->horizon, s->pipe_size, s->short_reads, s->split_writes);
	for (size_t i = 0; i < s->nsteps; i++) {
		buf_puts(j, i ? ", " : "");
		json_step(j, &s->steps[i], tree);
	}
	buf_printf(j, "], \"total\": %zu, \"off\": ", s->total);
	if (s->off == MONITOR_SCHED_ON)
		buf_puts(j, "null}");
	else
		buf_printf(j, "\"%s\", \"off_at\": %zu}",
			   s->off == MONITOR_SCHED_THREADS ? "threads" : "steps", s->off_at);
}

/* ---- results.json ---- */

static const char *visibility_name(const struct test_case *tc)
{
	switch (tc->visibility) {
	case VIS_HIDDEN:
		return "hidden";
	case VIS_AFTER_PUBLISHED:
		return "after_published";
	case VIS_VISIBLE:
		break;
	}
	return "visible";
}

/* The human-readable output of one case: its findings and, on failure, the hint. */
static void case_output(struct buf *out, const struct case_result *cr)
{
	for (size_t i = 0; i < cr->findings.n; i++)
		buf_printf(out, "%s%s", i ? "\n" : "", cr->findings.v[i].message);
	if (ltext_get(&cr->tc->hint) && !findings_has(&cr->findings, FINDING_PASS))
		buf_printf(out, "\n%s %s", _("Hint:"), ltext_get(&cr->tc->hint));
}

static void write_finding_list(struct buf *j, const struct findings *list);

/* `, "race": {"seed": S, "runs": N, "failed": F, "findings": [...]}`: a race finding's data,
 * the failing run's findings rendered as a case's. */
static void write_race(struct buf *j, const struct finding_race *race)
{
	buf_printf(j, ", \"race\": {\"seed\": %llu, \"runs\": %d, \"failed\": %d, ", race->seed,
		   race->runs, race->failed);
	write_finding_list(j, &race->findings);
	buf_puts(j, "}");
}

/* "findings": [{"kind", "message", "stream", "note", the monitor's facts, "race"}, ...] */
static void write_finding_list(struct buf *j, const struct findings *list)
{
	buf_puts(j, "\"findings\": [");
	for (size_t i = 0; i < list->n; i++) {
		const struct finding *f = &list->v[i];
		buf_puts(j, i ? ", {\"kind\": " : "{\"kind\": ");
		json_str(j, finding_kind_name(f->kind));
		buf_puts(j, ", \"message\": ");
		json_str(j, f->message);
		if (f->stream) {
			buf_puts(j, ", \"stream\": ");
			json_str(j, f->stream);
		}
		if (f->note)
			buf_puts(j, ", \"note\": true");
		if (f->details) {
			struct buf members = BUF_INIT;
			report_json_monitor_facts(&members, f->details);
			if (members.len)
				buf_printf(j, ", %s", members.data);
			buf_free(&members);
		}
		if (f->race)
			write_race(j, f->race);
		buf_puts(j, "}");
	}
	buf_puts(j, "]");
}

/* The same for a hidden case: only the kinds, and of a race finding its counts and the kinds
 * of the failing run's findings. */
static void write_hidden_findings(struct buf *j, const struct findings *list)
{
	buf_puts(j, "\"findings\": [");
	for (size_t i = 0; i < list->n; i++) {
		const struct finding *f = &list->v[i];
		buf_puts(j, i ? ", {\"kind\": " : "{\"kind\": ");
		json_str(j, finding_kind_name(f->kind));
		if (f->race) {
			buf_printf(j, ", \"race\": {\"seed\": %llu, \"runs\": %d, \"failed\": %d, ",
				   f->race->seed, f->race->runs, f->race->failed);
			write_hidden_findings(j, &f->race->findings);
			buf_puts(j, "}");
		}
		buf_puts(j, "}");
	}
	buf_puts(j, "]");
}

/* `, "stress": {"runs": N, "failed": F}` for a stressed case, `, "seed": S` for a replayed one
 * (and its "schedule" when `schedule`: not for a hidden case's). */
static void write_stress(struct buf *j, const struct case_result *cr, bool schedule)
{
	if (cr->stress_runs)
		buf_printf(j, ", \"stress\": {\"runs\": %d, \"failed\": %d}", cr->stress_runs,
			   cr->stress_failed);
	if (!cr->seed)
		return;
	buf_printf(j, ", \"seed\": %llu", cr->seed);
	if (schedule && cr->schedule.seed)
		json_schedule(j, &cr->schedule, &cr->tree);
}

/* A hidden case when its details are not shown: its name, points, status and visibility,
 * and the kinds of its findings; nothing of its input, expected or actual output. */
static void write_hidden_case(struct buf *j, const struct case_result *cr, const char *prefix)
{
	buf_puts(j, "    {\"name\": ");
	char *name = xasprintf("%s%s", prefix, cr->tc->name);
	json_str(j, name);
	free(name);
	bool passed = report_case_passed(cr);
	buf_printf(j, ", \"score\": %g, \"max_score\": %g, \"status\": \"%s\", \"output\": ",
		   cr->score, cr->max_score, passed ? "passed" : "failed");
	json_str(j, passed ? "passed" : report_hidden_message());
	buf_printf(j,
		   ", \"visibility\": \"%s\", \"execution_time\": %.3f,\n     \"extra_data\": "
		   "{\"hidden\": true, ",
		   visibility_name(cr->tc), cr->wall_s);
	write_hidden_findings(j, &cr->findings);
	write_stress(j, cr, false);
	buf_puts(j, "}}");
}

static void write_case(struct buf *j, const struct case_result *cr, const char *prefix,
		       bool show_hidden)
{
	if (cr->tc->hidden && !show_hidden) {
		write_hidden_case(j, cr, prefix);
		return;
	}
	struct buf text = BUF_INIT;
	case_output(&text, cr);
	buf_puts(j, "    {\"name\": ");
	char *name = xasprintf("%s%s", prefix, cr->tc->name);
	json_str(j, name);
	free(name);
	buf_printf(j, ", \"score\": %g, \"max_score\": %g, \"status\": \"%s\", \"output\": ",
		   cr->score, cr->max_score,
		   findings_has(&cr->findings, FINDING_PASS) ? "passed" : "failed");
	json_str(j, text.data);
	buf_printf(j, ", \"visibility\": \"%s\", \"execution_time\": %.3f,\n     \"extra_data\": {",
		   visibility_name(cr->tc), cr->wall_s);
	write_finding_list(j, &cr->findings);
	write_stress(j, cr, true);
	if (cr->ran) {
		buf_printf(j,
			   ", \"exit_code\": %d, \"signal\": %d, \"cpu_time\": %.3f, \"stdout\": ",
			   cr->exit_code, cr->term_signal, cr->cpu_s);
		buf_json_string(j, cr->out.data, cr->out.len);
		buf_puts(j, ", \"stderr\": ");
		buf_json_string(j, cr->err.data, cr->err.len);
		buf_printf(j, ", \"monitored\": %s", cr->monitored ? "true" : "false");
		if (cr->monitored) {
			char *tree = report_json_process_tree(&cr->tree);
			buf_printf(j, ", \"processes\": %d, \"pipes\": %d, \"process_tree\": %s",
				   cr->processes, cr->pipes, tree);
			free(tree);
		}
		const struct monitor_facts *stuck = case_stuck_facts(cr);
		if (stuck) {
			char *dot = report_graph_dot(&stuck->snap);
			buf_printf(j,
				   ", \"stuck_after\": %.3f, \"graph_dot\": ", cr->stuck_after_s);
			json_str(j, dot);
			free(dot);
		}
	}
	buf_puts(j, "}}");
	buf_free(&text);
}

/* The members of extra_data that describe one submission; its score too when it is one of
 * several. */
static void json_submission(struct buf *j, const struct submission_result *res, bool scores)
{
	buf_puts(j, "\"exercise\": ");
	json_str(j, res->ex->id);
	buf_puts(j, ", \"submission\": ");
	json_str(j, res->submission);
	if (scores)
		buf_printf(j, ", \"score\": %g, \"max_score\": %g", res->score, res->max_score);
	buf_printf(j, ", \"compiled\": %s, \"incomplete\": %s", res->compiled ? "true" : "false",
		   res->interrupted ? "true" : "false");
	if (res->interrupted) {
		buf_puts(j, ", \"interrupted_by\": ");
		json_str(j, signal_name(res->interrupted));
	}
	buf_puts(j, ", \"protections\": ");
	json_str(j, res->protections);
	if (res->unprotected) {
		buf_puts(j, ", \"unprotected\": ");
		json_str(j, res->unprotected);
	}
	buf_puts(j, ", \"build_log\": ");
	buf_json_string(j, res->build_log.data, res->build_log.len);
}

int report_write_json(FILE *out, const struct submission_result *res, size_t n,
		      const struct report_options *opt)
{
	struct buf j = BUF_INIT;
	double score = 0, max = 0, wall = 0;
	bool compiled = true;
	for (size_t i = 0; i < n; i++) {
		score += res[i].score;
		max += res[i].max_score;
		wall += res[i].wall_s;
		compiled = compiled && res[i].compiled;
	}
	buf_printf(&j,
		   "{\n  \"score\": %g,\n  \"max_score\": %g,\n"
		   "  \"execution_time\": %.3f,\n  \"output\": ",
		   score, max, wall);
	if (n == 1 && !res->compiled)
		buf_json_string(&j, res->build_log.data, res->build_log.len);
	else if (compiled)
		json_str(&j,
			 n == 1 ? _("The submission compiled.") : _("Every submission compiled."));
	else
		json_str(&j, _("Some submissions did not compile: see extra_data.exercises."));
	buf_puts(&j, ",\n  \"extra_data\": {");
	if (n == 1) {
		json_submission(&j, res, false);
	} else {
		buf_puts(&j, "\"exercises\": [");
		for (size_t i = 0; i < n; i++) {
			buf_puts(&j, i ? ", {" : "{");
			json_submission(&j, &res[i], true);
			buf_puts(&j, "}");
		}
		buf_puts(&j, "]");
	}
	buf_puts(&j, "},\n  \"tests\": [\n");
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		char *prefix = n > 1 ? xasprintf("%s: ", res[i].ex->id) : xstrdup("");
		for (size_t k = 0; k < res[i].ncases; k++) {
			buf_puts(&j, first ? "" : ",\n");
			write_case(&j, &res[i].cases[k], prefix, opt->show_hidden);
			first = false;
		}
		free(prefix);
	}
	buf_puts(&j, first ? "  ]\n}\n" : "\n  ]\n}\n");
	size_t w = fwrite(j.data, 1, j.len, out);
	int rc = w == j.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&j);
	return rc;
}

int report_write_json_tests(FILE *out, const struct submission_result *res, const char *prefix,
			    bool show_hidden)
{
	struct buf j = BUF_INIT;
	for (size_t i = 0; i < res->ncases; i++) {
		write_case(&j, &res->cases[i], prefix, show_hidden);
		if (i + 1 < res->ncases)
			buf_puts(&j, ",\n");
	}
	size_t n = j.len ? fwrite(j.data, 1, j.len, out) : 0;
	int rc = n == j.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&j);
	return rc;
}
