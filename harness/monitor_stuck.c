/* monitor_stuck.c: is every process of the case asleep for good, and why (see monitor.h). */
#include "monitor_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "report.h"
#include "run.h"

/* Samples in a row with no CPU time and no context switch before the tree counts as settled. */
#define SETTLE_SAMPLES 4

/* ---- sampling ---- */

/* Updates p's calm count. Returns -1 when the process cannot be judged (gone, threads). */
static int sample(struct mproc *p)
{
	struct proc_stat st;
	if (procfs_stat(p->pid, &st) < 0 || st.state == 'Z' || st.state == 'X')
		return 0; /* exiting: its exit event comes next */
	if (st.threads > 1)
		return -1; /* a multi-threaded process: not judged (see docs/monitor.md) */
	bool asleep = st.state == 'S' || (p->group_stopped && (st.state == 't' || st.state == 'T'));
	unsigned long long cpu = st.utime + st.stime;
	if (asleep && cpu == p->cpu && st.ctxt_switches == p->ctx)
		p->calm++;
	else
		p->calm = 0;
	p->cpu = cpu;
	p->ctx = st.ctxt_switches;
	return 1;
}

/* True when every live process has been calm long enough. */
static bool settled(struct monitor *m)
{
	size_t live = 0;
	bool calm = true;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (!p->alive)
			continue;
		int rc = sample(p);
		if (rc < 0)
			return false;
		live += (size_t)rc;
		if (rc && p->calm < SETTLE_SAMPLES)
			calm = false;
	}
	return live > 0 && calm;
}

/* ---- what each process waits on ---- */

static void fd_target(pid_t pid, int fd, char *out, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
	ssize_t n = readlink(path, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
}

/* A read or write on fd: on one of the student's pipes, on pipegrade's, or on something else. */
static void pipe_wait(struct monitor *m, struct mproc *p, struct wait_info *w, bool writing,
		      bool stdin_open)
{
	const struct proc_fd *f = proc_fds_find(&p->fds, w->fd);
	if (!f) {
		w->kind = W_OTHER;
		fd_target(p->pid, w->fd, w->target, sizeof w->target);
		return;
	}
	w->pipe = monitor_pipe(m, f->inode);
	if (w->pipe->harness) {
		/* pipegrade drains stdout and stderr, and feeds stdin while it has input. */
		bool fed = !writing && f->inode == m->stdio.in_inode && stdin_open;
		w->kind = writing || fed ? W_RUNNING : W_OTHER;
		snprintf(w->target, sizeof w->target, "%s", w->pipe->name);
		return;
	}
	w->kind = writing ? W_PIPE_WRITE : W_PIPE_READ;
}

static void classify_rw(struct monitor *m, struct mproc *p, struct wait_info *w,
			const struct proc_syscall *sc, bool stdin_open)
{
	long nr = sc->nr;
	bool writing = nr == SYS_write || nr == SYS_writev || nr == SYS_pwrite64;
	w->call = writing ? "write" : "read";
	w->fd = (int)sc->args[0];
	pipe_wait(m, p, w, writing, stdin_open);
}

static void classify_wait(struct wait_info *w, const struct proc_syscall *sc)
{
	if (sc->nr == SYS_wait4) {
		w->call = "waitpid";
		w->waits_for = (pid_t)(int)sc->args[0];
		w->kind = sc->args[2] & WNOHANG ? W_RUNNING : W_CHILD;
	} else {
		w->call = "waitid";
		w->waits_for = sc->args[0] == P_PID ? (pid_t)sc->args[1] : -1;
		w->kind = sc->args[3] & WNOHANG ? W_RUNNING : W_CHILD;
	}
}

/* Calls that wait with a timeout when the argument at `arg` says so. */
static bool timed_call(const struct proc_syscall *sc, const char **call)
{
	long nr = sc->nr;
	if (nr == SYS_nanosleep || nr == SYS_clock_nanosleep || nr == SYS_restart_syscall)
		return true;
	if (nr == SYS_poll) {
		*call = "poll";
		return (int)sc->args[2] >= 0;
	}
	if (nr == SYS_ppoll) {
		*call = "ppoll";
		return sc->args[2] != 0;
	}
	if (nr == SYS_select || nr == SYS_pselect6) {
		*call = "select";
		return sc->args[4] != 0;
	}
	if (nr == SYS_epoll_wait || nr == SYS_epoll_pwait) {
		*call = "epoll_wait";
		return (int)sc->args[3] >= 0;
	}
	if (nr == SYS_futex) {
		*call = "futex";
		return sc->args[3] != 0;
	}
	if (nr == SYS_rt_sigtimedwait) {
		*call = "sigwaitinfo";
		return sc->args[2] != 0;
	}
	return false;
}

/* Other calls that can wait forever: sockets, message queues, locks, opening a FIFO. */
static bool blocking_call(const struct proc_syscall *sc, struct wait_info *w)
{
	static const struct {
		long nr;
		const char *name;
		bool has_fd;
	} calls[] = {
		{ SYS_accept, "accept", true }, { SYS_accept4, "accept", true },
		{ SYS_recvfrom, "recv", true }, { SYS_recvmsg, "recvmsg", true },
		{ SYS_sendto, "send", true }, { SYS_sendmsg, "sendmsg", true },
		{ SYS_connect, "connect", true }, { SYS_msgrcv, "msgrcv", false },
		{ SYS_msgsnd, "msgsnd", false }, { SYS_semop, "semop", false },
		{ SYS_flock, "flock", true }, { SYS_fcntl, "fcntl", true },
		{ SYS_openat, "open", false },
#ifdef SYS_open
		{ SYS_open, "open", false },
#endif
	};
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		if (calls[i].nr != sc->nr)
			continue;
		w->call = calls[i].name;
		w->fd = calls[i].has_fd ? (int)sc->args[0] : -1;
		return true;
	}
	return false;
}

static void classify(struct monitor *m, struct mproc *p, struct wait_info *w, bool stdin_open)
{
	memset(w, 0, sizeof *w);
	w->fd = -1;
	w->call = "";
	if (p->group_stopped) {
		w->kind = W_STOPPED;
		return;
	}
	struct proc_syscall sc;
	if (procfs_syscall(p->pid, &sc) < 0 || sc.what != SC_BLOCKED) {
		w->kind = W_RUNNING;
		return;
	}
	long nr = sc.nr;
	if (nr == SYS_read || nr == SYS_readv || nr == SYS_pread64 || nr == SYS_write ||
	    nr == SYS_writev || nr == SYS_pwrite64)
		classify_rw(m, p, w, &sc, stdin_open);
	else if (nr == SYS_wait4 || nr == SYS_waitid)
		classify_wait(w, &sc);
	else if (nr == SYS_pause || nr == SYS_rt_sigsuspend)
		w->kind = W_SIGNAL, w->call = nr == SYS_pause ? "pause" : "sigsuspend";
	else if (nr == SYS_vfork)
		w->kind = W_CHILD, w->call = "vfork", w->waits_for = -1;
	else if (timed_call(&sc, &w->call))
		w->kind = W_TIMED;
	else if (w->call[0] || blocking_call(&sc, w))
		w->kind = W_OTHER;
	else
		w->kind = W_RUNNING; /* a call that does not block for long: caught in passing */
}

/* Who holds an end of the pipe, among the live processes. */
static bool pipe_has_end(struct monitor *m, const struct mpipe *pp, bool write_end)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		for (size_t k = 0; p->alive && k < p->fds.n; k++)
			if (p->fds.v[k].inode == pp->inode &&
			    p->fds.v[k].end != (write_end ? END_READ : END_WRITE))
				return true;
	}
	return false;
}

/* ---- the explanation ---- */

/* "child 1 itself (fd 4), parent (fd 4)": the live holders of one end of a pipe. */
static void holders(struct monitor *m, const struct mpipe *pp, bool write_end,
		    const struct mproc *subject, struct buf *b)
{
	bool first = true;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		struct buf fds = BUF_INIT;
		int count = 0;
		for (size_t k = 0; p->alive && k < p->fds.n; k++) {
			const struct proc_fd *f = &p->fds.v[k];
			if (f->inode == pp->inode && f->end != (write_end ? END_READ : END_WRITE))
				buf_printf(&fds, "%s%d", count++ ? ", " : "", f->fd);
		}
		if (count) {
			buf_puts(b, first ? "" : ", ");
			if (p == subject)
				buf_printf(b, L("%s itself", "el propio %s"), monitor_role(p));
			else
				buf_puts(b, monitor_role(p));
			buf_printf(b, " (%s %s)", count > 1 ? "fds" : "fd", fds.data);
			first = false;
		}
		buf_free(&fds);
	}
}

/* True when `subject` is the only live process holding the read end of the pipe. */
static bool only_holder(struct monitor *m, const struct mpipe *pp, const struct mproc *subject)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		for (size_t k = 0; p->alive && p != subject && k < p->fds.n; k++)
			if (p->fds.v[k].inode == pp->inode && p->fds.v[k].end != END_WRITE)
				return false;
	}
	return true;
}

/* The live children a waiting process waits for, as "child 1 (pid 812) and child 2 (pid 813)". */
static void waited(struct monitor *m, const struct mproc *p, pid_t which, struct buf *b)
{
	int n = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *c = &m->procs[i];
		if (!c->alive || c->parent != p->pid || (which > 0 && c->pid != which))
			continue;
		buf_printf(b, "%s%s", n++ ? L(" and ", " y ") : "", monitor_who(c, 1));
	}
	if (!n)
		buf_puts(b, L("its children", "sus hijos"));
}

static void explain_one(struct monitor *m, struct mproc *p, const struct wait_info *w,
			struct buf *b)
{
	const char *who = monitor_who(p, 0);
	struct buf list = BUF_INIT;
	switch (w->kind) {
	case W_PIPE_READ:
		holders(m, w->pipe, true, p, &list);
		buf_printf(b, L("%s waits in read(fd %d) on pipe %s, but pipe %s's write end is still "
				"open in: %s. A reader only sees EOF when every write end is closed.\n",
				"%s espera en read(fd %d) sobre la tubería %s, pero el extremo de "
				"escritura de la tubería %s sigue abierto en: %s. Quien lee solo recibe "
				"EOF cuando todos los extremos de escritura están cerrados.\n"),
			   who, w->fd, w->pipe->name, w->pipe->name, list.data);
		break;
	case W_PIPE_WRITE:
		holders(m, w->pipe, false, p, &list);
		if (only_holder(m, w->pipe, p))
			buf_printf(b, L("%s waits in write(fd %d) on pipe %s, which is full (a pipe holds "
					"only 64 KiB), and nobody will ever read it: its only read end is in "
					"%s. A writer waits while the pipe is full; another process must "
					"read it at the same time.\n",
					"%s espera en write(fd %d) sobre la tubería %s, que está llena (una "
					"tubería solo guarda 64 KiB), y nadie la leerá nunca: su único "
					"extremo de lectura está en %s. Quien escribe espera mientras la "
					"tubería está llena; otro proceso tiene que leerla a la vez.\n"),
				   who, w->fd, w->pipe->name, list.data);
		else
			buf_printf(b, L("%s waits in write(fd %d) on pipe %s, which is full (a pipe holds "
					"only 64 KiB), and nobody will read it: its read end is open only "
					"in: %s, blocked too. A writer waits while the pipe is full; another "
					"process must read it at the same time.\n",
					"%s espera en write(fd %d) sobre la tubería %s, que está llena (una "
					"tubería solo guarda 64 KiB), y nadie la va a leer: su extremo de "
					"lectura solo está abierto en: %s, también bloqueado. Quien escribe "
					"espera mientras la tubería está llena; otro proceso tiene que "
					"leerla a la vez.\n"),
				   who, w->fd, w->pipe->name, list.data);
		break;
	case W_CHILD:
		waited(m, p, w->waits_for, &list);
		buf_printf(b, L("%s waits in %s() for %s.\n", "%s espera en %s() a %s.\n"), who,
			   w->call, list.data);
		break;
	case W_SIGNAL:
		buf_printf(b, L("%s waits in %s() for a signal that never comes.\n",
				"%s espera en %s() una señal que nunca llega.\n"), who, w->call);
		break;
	case W_STOPPED:
		buf_printf(b, L("%s is stopped by %s and will not go on until it gets SIGCONT.\n",
				"%s está detenido por %s y no seguirá hasta recibir SIGCONT.\n"), who,
			   run_signal_name(p->stop_signal));
		break;
	case W_OTHER:
		if (w->fd >= 0)
			buf_printf(b, L("%s waits in %s(fd %d) on %s, which never answers.\n",
					"%s espera en %s(fd %d) sobre %s, que nunca responde.\n"), who,
				   w->call, w->fd, w->target[0] ? w->target : "?");
		else
			buf_printf(b, L("%s waits in %s() and nothing will wake it.\n",
					"%s espera en %s() y nada lo despertará.\n"), who, w->call);
		break;
	default:
		break;
	}
	buf_free(&list);
}

/* Pipe readers first, then writers, then the rest: the chain reads from cause to effect. */
static int explain_rank(enum wait_kind k)
{
	return k == W_PIPE_READ ? 0 : k == W_PIPE_WRITE ? 1 : k == W_CHILD ? 3 : 2;
}

static void explain(struct monitor *m, const struct wait_info *waits, struct buf *b)
{
	for (int rank = 0; rank <= 3; rank++)
		for (size_t i = 0; i < m->nprocs; i++)
			if (m->procs[i].alive && explain_rank(waits[i].kind) == rank)
				explain_one(m, &m->procs[i], &waits[i], b);
	if (b->len && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
}

/* ---- structured fields for JSON ---- */

static void json_ends(struct monitor *m, const struct mpipe *pp, bool write_end, struct buf *j)
{
	bool first = true;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		for (size_t k = 0; p->alive && k < p->fds.n; k++) {
			const struct proc_fd *f = &p->fds.v[k];
			if (f->inode != pp->inode || f->end == (write_end ? END_READ : END_WRITE))
				continue;
			buf_printf(j, "%s{\"pid\": %d, \"role\": ", first ? "" : ", ", (int)p->pid);
			const char *role = monitor_role_in(p, true);
			report_json_string(j, role, strlen(role));
			buf_printf(j, ", \"fd\": %d}", f->fd);
			first = false;
		}
	}
}

static void fields(struct monitor *m, const struct wait_info *waits, struct buf *j)
{
	buf_puts(j, "\"processes\": [");
	bool first = true;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		if (!p->alive)
			continue;
		buf_printf(j, "%s{\"pid\": %d, \"role\": ", first ? "" : ", ", (int)p->pid);
		const char *role = monitor_role_in(p, true);
		report_json_string(j, role, strlen(role));
		buf_puts(j, ", \"call\": ");
		const char *call = waits[i].kind == W_STOPPED ? "stopped" : waits[i].call;
		report_json_string(j, call, strlen(call));
		if (waits[i].fd >= 0)
			buf_printf(j, ", \"fd\": %d", waits[i].fd);
		if (waits[i].pipe)
			buf_printf(j, ", \"pipe\": \"%s\"", waits[i].pipe->name);
		buf_puts(j, "}");
		first = false;
	}
	buf_puts(j, "], \"pipes\": [");
	first = true;
	for (size_t i = 0; i < m->npipes; i++) {
		const struct mpipe *pp = &m->pipes[i];
		if (pp->harness || (!pipe_has_end(m, pp, true) && !pipe_has_end(m, pp, false)))
			continue;
		buf_printf(j, "%s{\"name\": \"%s\", \"inode\": %lu, \"read_ends\": [", first ? "" : ", ",
			   pp->name, pp->inode);
		json_ends(m, pp, false, j);
		buf_puts(j, "], \"write_ends\": [");
		json_ends(m, pp, true, j);
		buf_puts(j, "]}");
		first = false;
	}
	buf_puts(j, "]");
}

/* ---- the verdict ---- */

/* Refreshes every live process's pipe fds and reads what it waits on. Returns false as soon as
 * one of them can still make progress. */
static bool all_waits_final(struct monitor *m, struct wait_info *waits, bool stdin_open)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (p->alive && procfs_pipe_fds(p->pid, &p->fds) == 0)
			monitor_observe(m, p, &p->fds);
	}
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (!p->alive)
			continue;
		classify(m, p, &waits[i], stdin_open);
		enum wait_kind k = waits[i].kind;
		if (k == W_RUNNING || k == W_TIMED)
			return false;
		/* A read with no writer left returns EOF, a write with no reader fails: not stuck. */
		if (k == W_PIPE_READ && !pipe_has_end(m, waits[i].pipe, true))
			return false;
		if (k == W_PIPE_WRITE && !pipe_has_end(m, waits[i].pipe, false))
			return false;
	}
	return true;
}

/* After reading the waits: did any process move meanwhile? (Then what was read may be a
 * moment in passing, such as the end of a sleep.) */
static bool still_calm(struct monitor *m)
{
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].alive && sample(&m->procs[i]) > 0 &&
		    m->procs[i].calm < SETTLE_SAMPLES + 1)
			return false;
	return true;
}

bool monitor_check_stuck(struct monitor *m, bool stdin_open)
{
	if (!settled(m))
		return false;
	struct wait_info *waits = xcalloc(m->nprocs, sizeof *waits);
	bool stuck = all_waits_final(m, waits, stdin_open) && still_calm(m);
	if (stuck) {
		m->stuck = FINDING_HANG;
		for (size_t i = 0; i < m->nprocs; i++)
			if (m->procs[i].alive && (waits[i].kind == W_PIPE_READ ||
						  waits[i].kind == W_PIPE_WRITE))
				m->stuck = FINDING_DEADLOCK;
		struct buf b = BUF_INIT, j = BUF_INIT;
		explain(m, waits, &b);
		fields(m, waits, &j);
		m->stuck_message = buf_detach(&b);
		m->stuck_fields = buf_detach(&j);
		monitor_draw(m, waits);
	}
	free(waits);
	return stuck;
}
