/* monitor_stuck.c: is every process of the case asleep for good, and why (see monitor.h). */
#include "monitor_int.h"
#include "monitor_sock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Samples in a row with no CPU time and no context switch before the tree counts as settled. */
#define SETTLE_SAMPLES 4

/* ---- sampling ---- */

/* Counts the samples since p's CPU time last grew (monitor_conclude(): busy at the end). */
static void note_cpu(struct mproc *p, unsigned long long cpu)
{
	p->idle = p->sampled && cpu != p->cpu_seen ? 0 : p->idle + 1;
	p->cpu_seen = cpu;
	p->sampled = true;
}

/* A process with more threads than this is not judged (docs/monitor.md). */
#define MAX_THREADS 64

/* Asleep for the sampling: in a system call ('S'), or held by a stop signal. */
static bool asleep_state(const struct mproc *p, char state)
{
	return state == 'S' || (p->group_stopped && (state == 't' || state == 'T'));
}

/* A multi-threaded process, thread by thread: whether every thread is asleep, their context
 * switches summed, and the set of thread ids as one number. False when it has too many
 * threads to be judged. */
static bool sample_threads(const struct mproc *p, bool *asleep, unsigned long long *ctx,
			   unsigned long long *ids)
{
	pid_t tids[MAX_THREADS];
	int n = procfs_tasks(p->pid, tids, MAX_THREADS);
	if (n > MAX_THREADS)
		return false;
	*asleep = n > 0;
	*ctx = 0;
	*ids = n > 0 ? (unsigned long long)n << 40 : 0;
	for (int i = 0; i < n; i++) {
		struct proc_stat ts;
		*ids += (unsigned long long)tids[i];
		if (procfs_task_stat(p->pid, tids[i], &ts) < 0 || !asleep_state(p, ts.state))
			*asleep = false; /* running, exiting, or gone meanwhile: not calm */
		else
			*ctx += ts.ctxt_switches;
	}
	return true;
}

/* Updates p's calm count. Returns -1 when the process cannot be judged (too many threads). */
static int sample(struct mproc *p)
{
	struct proc_stat st;
	if (procfs_stat(p->pid, &st) < 0 || st.state == 'Z' || st.state == 'X')
		return 0;                             /* exiting: its exit event comes next */
	unsigned long long cpu = st.utime + st.stime; /* every thread's, the ended ones' too */
	note_cpu(p, cpu);
	bool asleep = asleep_state(p, st.state);
	unsigned long long ctx = st.ctxt_switches, ids = 0;
	if (st.threads > 1 && !sample_threads(p, &asleep, &ctx, &ids))
		return -1;
	if (asleep && cpu == p->cpu && ctx == p->ctx && ids == p->tasks)
		p->calm++;
	else
		p->calm = 0;
	p->cpu = cpu;
	p->ctx = ctx;
	p->tasks = ids;
	return 1;
}

/* True when every live process has been calm long enough. */
static bool settled(struct monitor *m)
{
	size_t live = 0;
	bool calm = true;
	m->sampled_at = now_monotonic() - m->start;
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

/* A read or write on fd: on one of the student's pipes, on pipegrade's, or on something else. */
static void pipe_wait(struct monitor *m, struct mproc *p, struct monitor_wait *w, bool writing,
		      bool stdin_open)
{
	const struct proc_fd *f = proc_fds_find(&p->fds, w->fd);
	if (!f) {
		w->kind = MONITOR_WAIT_OTHER;
		procfs_fd_target(p->pid, w->fd, w->target, sizeof w->target);
		return;
	}
	w->pipe = monitor_pipe_index(m, f->inode);
	const struct mpipe *pp = &m->pipes[w->pipe];
	if (pp->harness) {
		/* pipegrade drains stdout and stderr, and feeds stdin while it has input. */
		bool fed = !writing && f->inode == m->stdio.in_inode && stdin_open;
		w->kind = writing || fed ? MONITOR_WAIT_NONE : MONITOR_WAIT_OTHER;
		snprintf(w->target, sizeof w->target, "%s", pp->name);
		return;
	}
	w->kind = writing ? MONITOR_WAIT_PIPE_WRITE : MONITOR_WAIT_PIPE_READ;
}

static void classify_rw(struct monitor *m, struct mproc *p, struct monitor_wait *w,
			const struct proc_syscall *sc, bool stdin_open)
{
	long nr = sc->nr;
	bool writing = nr == SYS_write || nr == SYS_writev || nr == SYS_pwrite64;
	w->call = writing ? "write" : "read";
	w->fd = (int)sc->args[0];
	pipe_wait(m, p, w, writing, stdin_open);
}

static void classify_wait(struct monitor_wait *w, const struct proc_syscall *sc)
{
	if (sc->nr == SYS_wait4) {
		w->call = "waitpid";
		w->waits_for = (pid_t)(int)sc->args[0];
		w->kind = sc->args[2] & WNOHANG ? MONITOR_WAIT_NONE : MONITOR_WAIT_CHILD;
	} else {
		w->call = "waitid";
		w->waits_for = sc->args[0] == P_PID ? (pid_t)sc->args[1] : -1;
		w->kind = sc->args[3] & WNOHANG ? MONITOR_WAIT_NONE : MONITOR_WAIT_CHILD;
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
static bool blocking_call(const struct proc_syscall *sc, struct monitor_wait *w)
{
	static const struct {
		long nr;
		const char *name;
		bool has_fd;
	} calls[] = {
		{ SYS_accept, "accept", true },   { SYS_accept4, "accept", true },
		{ SYS_recvfrom, "recv", true },   { SYS_recvmsg, "recvmsg", true },
		{ SYS_sendto, "send", true },     { SYS_sendmsg, "sendmsg", true },
		{ SYS_connect, "connect", true }, { SYS_msgrcv, "msgrcv", false },
		{ SYS_msgsnd, "msgsnd", false },  { SYS_semop, "semop", false },
		{ SYS_flock, "flock", true },     { SYS_fcntl, "fcntl", true },
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

/* What process p waits on (tid 0), or its thread tid; `threaded`: p has other threads. A wait
 * on a socket or a FIFO is made precise with `ipcs` (monitor_sock.h). */
static void classify(struct monitor *m, struct mproc *p, pid_t tid, bool threaded,
		     struct monitor_wait *w, bool stdin_open, struct monitor_ipcs *ipcs)
{
	memset(w, 0, sizeof *w);
	w->fd = w->pipe = w->ipc = -1;
	w->call = "";
	if (p->group_stopped) {
		w->kind = MONITOR_WAIT_STOPPED;
		w->stop_signal = p->stop_signal;
		return;
	}
	struct proc_syscall sc;
	int rc = tid > 0 ? procfs_task_syscall(p->pid, tid, &sc) : procfs_syscall(p->pid, &sc);
	if (rc < 0 || sc.what != SC_BLOCKED) {
		w->kind = MONITOR_WAIT_NONE;
		return;
	}
	long nr = sc.nr;
	if (nr == SYS_read || nr == SYS_readv || nr == SYS_pread64 || nr == SYS_write ||
	    nr == SYS_writev || nr == SYS_pwrite64)
		classify_rw(m, p, w, &sc, stdin_open);
	else if (nr == SYS_wait4 || nr == SYS_waitid)
		classify_wait(w, &sc);
	else if (nr == SYS_pause || nr == SYS_rt_sigsuspend)
		w->kind = MONITOR_WAIT_SIGNAL, w->call = nr == SYS_pause ? "pause" : "sigsuspend";
	else if (nr == SYS_vfork)
		w->kind = MONITOR_WAIT_CHILD, w->call = "vfork", w->waits_for = -1;
	else if (timed_call(&sc, &w->call))
		w->kind = MONITOR_WAIT_TIMED;
	else if (threaded && nr == SYS_futex)
		w->kind = MONITOR_WAIT_THREAD; /* final when every other thread's wait is */
	else if (w->call[0] || blocking_call(&sc, w))
		w->kind = MONITOR_WAIT_OTHER;
	else
		w->kind =
			MONITOR_WAIT_NONE; /* a call that does not block for long: caught in passing */
	monitor_ipc_wait(m, p, tid, &sc, w, ipcs);
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

/* What one process waits on: its main thread, and its other threads. */
struct pwait {
	struct monitor_wait w;
	struct monitor_thread *threads;
	size_t nthreads, cap;
};

/* ---- the facts of a stuck tree ---- */

/* Where the student's program made the call `w` is (its thread `tid`, or its main thread when
 * 0): the stack, as the process sleeps in the call, unwound to the program's frame. */
static void locate_wait(struct monitor *m, struct mproc *p, pid_t tid, struct monitor_wait *w)
{
	struct proc_syscall sc;
	if (w->kind == MONITOR_WAIT_NONE || w->kind == MONITOR_WAIT_STOPPED ||
	    (tid > 0 ? procfs_task_syscall(p->pid, tid, &sc) : procfs_syscall(p->pid, &sc)) < 0 ||
	    sc.what != SC_BLOCKED)
		return;
	struct monitor_stack *st = monitor_stack_take_asleep(tid > 0 ? tid : p->pid, sc.sp, sc.pc,
							     monitor_proc_image(m, p));
	if (st)
		monitor_stack_site(st, &w->at);
	monitor_stack_free(st);
}

/* Every live process with its waits and pipe fds (and its fds on the sockets and FIFOs waited
 * on), and every pipe seen. */
static struct monitor_facts *stuck_facts(struct monitor *m, const struct pwait *waits,
					 struct monitor_ipcs *ipcs)
{
	struct monitor_facts *f = monitor_facts_new(m->stuck);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (!p->alive)
			continue;
		struct monitor_process *fp = monitor_add_fact_process(&f->snap, p);
		fp->wait = waits[i].w;
		locate_wait(m, p, 0, &fp->wait);
		for (size_t t = 0; t < waits[i].nthreads; t++) {
			struct monitor_wait tw = waits[i].threads[t].wait;
			locate_wait(m, p, waits[i].threads[t].tid, &tw);
			monitor_process_add_thread(fp, waits[i].threads[t].tid,
						   waits[i].threads[t].number, &tw);
		}
		for (size_t k = 0; k < p->fds.n; k++) {
			const struct proc_fd *pf = &p->fds.v[k];
			monitor_process_add_fd(fp, pf->fd, monitor_pipe_index(m, pf->inode),
					       pf->end);
		}
		monitor_ipc_add_fds(ipcs, i, fp);
	}
	monitor_ipc_to_snapshot(ipcs, &f->snap);
	/* after the fds: every pipe they name is in m->pipes by now */
	ALLOC_GROW(f->snap.pipes, m->npipes, f->snap.pipes_cap);
	for (size_t i = 0; i < m->npipes; i++)
		f->snap.pipes[i] = monitor_fact_pipe(&m->pipes[i]);
	f->snap.npipes = m->npipes;
	return f;
}

/* ---- the verdict ---- */

/* A wait that will not end by itself, as far as this one call goes. */
static bool final_wait(struct monitor *m, const struct monitor_wait *w)
{
	enum monitor_wait_kind k = w->kind;
	if (k == MONITOR_WAIT_NONE || k == MONITOR_WAIT_TIMED)
		return false;
	/* A read with no writer left returns EOF, a write with no reader fails: not stuck. */
	if (k == MONITOR_WAIT_PIPE_READ && !pipe_has_end(m, &m->pipes[w->pipe], true))
		return false;
	if (k == MONITOR_WAIT_PIPE_WRITE && !pipe_has_end(m, &m->pipes[w->pipe], false))
		return false;
	return true;
}

/* Reads what each thread of p but the main one waits on into pw, numbering them by thread id.
 * Returns false as soon as one of them can still make progress. */
static bool thread_waits_final(struct monitor *m, struct mproc *p, struct pwait *pw,
			       bool stdin_open, struct monitor_ipcs *ipcs)
{
	pid_t tids[MAX_THREADS];
	int n = procfs_tasks(p->pid, tids, MAX_THREADS);
	if (n < 0 || n > MAX_THREADS)
		return false;
	int number = 2;
	for (int i = 0; i < n; i++) {
		if (tids[i] == p->pid)
			continue;
		ALLOC_GROW(pw->threads, pw->nthreads + 1, pw->cap);
		struct monitor_thread *t = &pw->threads[pw->nthreads++];
		t->tid = tids[i];
		t->number = number++;
		classify(m, p, tids[i], true, &t->wait, stdin_open, ipcs);
		if (!final_wait(m, &t->wait))
			return false;
	}
	return true;
}

/* Refreshes every live process's pipe fds and reads what each of its threads waits on.
 * Returns false as soon as one of them can still make progress. A thread in futex() with no
 * timeout waits on another thread of its process: final only when that one's wait is, which
 * the whole tree being final settles. */
static bool all_waits_final(struct monitor *m, struct pwait *waits, bool stdin_open,
			    struct monitor_ipcs *ipcs)
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
		bool threaded = p->tasks != 0; /* as the last sample found it */
		classify(m, p, 0, threaded, &waits[i].w, stdin_open, ipcs);
		if (!final_wait(m, &waits[i].w))
			return false;
		/* a stop signal holds every thread: the process's wait says it */
		if (threaded && !p->group_stopped &&
		    !thread_waits_final(m, p, &waits[i], stdin_open, ipcs))
			return false;
	}
	return true;
}

/* On a pipe, a socket pair or a named FIFO: what a deadlock is made of. */
static bool on_pipe(const struct monitor_wait *w)
{
	enum monitor_wait_kind k = w->kind;
	return k == MONITOR_WAIT_PIPE_READ || k == MONITOR_WAIT_PIPE_WRITE ||
	       k == MONITOR_WAIT_SOCKET_READ || k == MONITOR_WAIT_SOCKET_WRITE ||
	       k == MONITOR_WAIT_FIFO_READ || k == MONITOR_WAIT_FIFO_WRITE ||
	       k == MONITOR_WAIT_FIFO_OPEN;
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
	struct pwait *waits = xcalloc(m->nprocs, sizeof *waits);
	struct monitor_ipcs ipcs = MONITOR_IPCS_INIT;
	bool stuck = all_waits_final(m, waits, stdin_open, &ipcs) && still_calm(m);
	if (stuck) {
		m->stuck = FINDING_HANG;
		for (size_t i = 0; i < m->nprocs; i++) {
			if (!m->procs[i].alive)
				continue;
			bool pipe = on_pipe(&waits[i].w);
			for (size_t t = 0; t < waits[i].nthreads; t++)
				pipe = pipe || on_pipe(&waits[i].threads[t].wait);
			if (pipe)
				m->stuck = FINDING_DEADLOCK;
		}
		monitor_facts_free(m->stuck_facts);
		m->stuck_facts = stuck_facts(m, waits, &ipcs);
	}
	monitor_ipcs_free(&ipcs);
	for (size_t i = 0; i < m->nprocs; i++)
		free(waits[i].threads);
	free(waits);
	return stuck;
}
