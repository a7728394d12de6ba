/*
 * monitor_sched.c: stress mode, the scheduler (see monitor.h; docs/stress.md says why it is
 * complete for these programs and what it does not explore).
 *
 * Theory of operation. The processes of a case share no memory: everything one does to another
 * goes through a system call. The stress mode's seccomp filter sends those calls to the tracer
 * (read and write, the close family, wait, sleep, pipe; fork, exec and exit are ptrace events
 * already), and the scheduler holds each process at each of them: a step. At most one process
 * runs at a time, from one step to its next. When it stops there (or ends), every process is
 * held, and the scheduler chooses the next one: the one with the highest priority among those
 * whose call would not block now (asked of the kernel through a duplicate of the fd, taken with
 * pidfd_getfd() and closed at once: poll(), FIONREAD, F_GETPIPE_SZ; for wait, whether a child
 * is there to reap). Priorities are PCT's (Burckhardt et al., ASPLOS 2010): random at each
 * process's birth, and at d - 1 steps drawn from the seed the running process drops below all
 * of them. A process that polls with WNOHANG or O_NONBLOCK and finds nothing, or sleeps (but
 * its first sleep, one time in two), gives way (its priority goes below every other), so that
 * a loop that waits by polling lets the others run.
 *
 * When no held process can go on, they are all let into their calls, where they block for
 * real (the stuck detector sees them then, as in any run); a process that comes back to a step
 * is held again. A process that blocks in a call the scheduler does not see (poll(), pause(),
 * a FIFO's open()...), or runs without a step for long, is looked at every RUN_LOOK_S and
 * gives way: it is free until its next step.
 *
 * Perturbations, each legal under POSIX and Linux, chosen by the seed:
 *  - a read() on a pipe may return only the first writes pending in it (the scheduler knows
 *    them: it let each one run, and checks their sum against FIONREAD);
 *  - a write() of more than PIPE_BUF bytes on a pipe is made in PIPE_BUF pieces, each a step;
 *    at a piece, the writer may give way; the rest is re-issued at each piece's return (the
 *    program sees one write() that wrote everything, as a blocking write does);
 *  - each new pipe is shrunk (F_SETPIPE_SZ, at its creation, through a duplicate closed at
 *    once);
 *  - a sleep returns at once (when no process is free: else time may matter).
 *
 * Determinism: the seed alone chooses; each choice is made only when every process is held (or
 * gone), so the same program with the same input takes the same steps. Only a process that
 * blocks in a call the scheduler does not see (it is then free), or threads (the scheduler
 * stops choosing), make room for the machine's timing again.
 */
#include "monitor_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#endif

#define PIECE 4096                   /* PIPE_BUF: writes up to it are atomic */
#define MONITOR_SCHED_MAX_STEPS 5000 /* beyond, the run goes on unscheduled */
#define RUN_LOOK_S 0.002             /* the running process is looked at this often */
#define RUN_LONG_S                                                                                 \
	0.25 /* ... and gives way after this much CPU time without a
					 step (CPU time, not wall: a machine that is busy elsewhere
					 only makes it wait longer) */

const long monitor_sched_traced[] = {
	SYS_read,   SYS_write,       SYS_close,           SYS_dup2,
	SYS_dup3,   SYS_close_range, SYS_pipe2,           SYS_wait4,
	SYS_waitid, SYS_nanosleep,   SYS_clock_nanosleep,
#ifdef SYS_pipe
	SYS_pipe,
#endif
};
const size_t monitor_sched_ntraced = sizeof monitor_sched_traced / sizeof monitor_sched_traced[0];

/* The sizes of the writes pending in one pipe (or FIFO), oldest first. */
struct wqueue {
	dev_t dev;
	ino_t ino;
	unsigned long long *v;
	size_t n, cap;
};

struct msched {
	unsigned long long rng; /* splitmix64's state: every choice, in order */
	long long change[2];    /* the steps after which the running process drops (PCT) */
	pid_t running;          /* the process chosen, or 0 */
	double running_since, look_at;
	long long running_cpu; /* its CPU time (clock ticks) at its first look, or -1 */
	double pending_since;  /* a new process's first stop awaited since (0: none) */
	long long low;         /* the priority the next process to give way gets */
	struct wqueue *queues;
	size_t nqueues, qcap;
};

static unsigned long long next_random(struct msched *s)
{
	unsigned long long z = (s->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned below(struct msched *s, unsigned n)
{
	return (unsigned)(next_random(s) % n);
}

void monitor_set_stress(struct monitor *m, unsigned long long seed)
{
	static const int horizons[] = { 10, 40, 150, 600 };
	static const int sizes[] = { 0, 4096, 8192, 16384 };
	static const int percents[] = { 0, 50, 100 };
	struct monitor_schedule *sc = &m->schedule;
	struct msched *s = xcalloc(1, sizeof *s);
	sc->seed = seed;
	s->rng = seed;
	sc->depth = 1 + (int)below(s, 3);
	sc->horizon = horizons[below(s, 4)];
	for (int i = 0; i < sc->depth - 1; i++)
		s->change[i] = 1 + below(s, (unsigned)sc->horizon);
	sc->pipe_size = sizes[below(s, 4)];
	sc->short_reads = percents[below(s, 3)];
	sc->split_writes = percents[below(s, 3)];
	s->low = -1;
	m->sched = s;
}

void monitor_schedule_free(struct monitor_schedule *s)
{
	free(s->steps);
	memset(s, 0, sizeof *s);
}

void monitor_sched_end(struct monitor *m)
{
	struct msched *s = m->sched;
	if (!s)
		return;
	for (size_t i = 0; i < s->nqueues; i++)
		free(s->queues[i].v);
	free(s->queues);
	free(s);
	m->sched = NULL;
}

static bool choosing(const struct monitor *m)
{
	return m->sched && m->schedule.off == MONITOR_SCHED_ON;
}

/* ---- what the kernel says of a process's fd, through a duplicate ---- */

/* A duplicate of `fd` of `p` (close-on-exec), or -1. The caller closes it at once: a held
 * duplicate of a write end would keep a reader from its end of file. */
static int dup_of(struct mproc *p, unsigned long long fd)
{
	if (fd > INT_MAX)
		return -1;
	if (p->s.pidfd < 0)
		p->s.pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->s.pidfd < 0)
		return -1;
	return (int)syscall(SYS_pidfd_getfd, p->s.pidfd, (int)fd, 0);
}

/* What an fd is to the scheduler. */
enum fd_sort { FD_OTHER, FD_PIPE, FD_SOCKET };

struct fd_look {
	enum fd_sort sort;
	struct stat st;
	short revents;    /* poll() of what the call waits for */
	bool nonblock;    /* O_NONBLOCK */
	long long queued; /* a pipe: bytes in it (FIONREAD); else -1 */
	long long room;   /* a pipe: bytes free (its size less what is queued); else -1 */
};

/* Looks at fd of p; `events`: POLLIN or POLLOUT (0: only what it is). */
static enum fd_sort look(struct mproc *p, unsigned long long fd, short events, struct fd_look *l)
{
	memset(l, 0, sizeof *l);
	l->queued = l->room = -1;
	int d = dup_of(p, fd);
	if (d < 0)
		return FD_OTHER;
	if (fstat(d, &l->st) == 0)
		l->sort = S_ISFIFO(l->st.st_mode)   ? FD_PIPE
			  : S_ISSOCK(l->st.st_mode) ? FD_SOCKET
						    : FD_OTHER;
	if (l->sort != FD_OTHER && events) {
		struct pollfd pf = { d, events, 0 };
		if (poll(&pf, 1, 0) > 0)
			l->revents = pf.revents;
		int fl = fcntl(d, F_GETFL);
		l->nonblock = fl >= 0 && (fl & O_NONBLOCK);
		int n = 0;
		if (l->sort == FD_PIPE && ioctl(d, FIONREAD, &n) == 0) {
			l->queued = n;
			int size = fcntl(d, F_GETPIPE_SZ);
			l->room = size > n ? size - n : 0;
		}
	}
	close(d);
	return l->sort;
}

/* ---- the writes pending in each pipe ---- */

static struct wqueue *queue_of(struct msched *s, const struct stat *st)
{
	for (size_t i = 0; i < s->nqueues; i++)
		if (s->queues[i].dev == st->st_dev && s->queues[i].ino == st->st_ino)
			return &s->queues[i];
	ALLOC_GROW(s->queues, s->nqueues + 1, s->qcap);
	struct wqueue *q = &s->queues[s->nqueues++];
	memset(q, 0, sizeof *q);
	q->dev = st->st_dev;
	q->ino = st->st_ino;
	return q;
}

static void queue_push(struct wqueue *q, unsigned long long bytes)
{
	if (bytes == 0)
		return;
	ALLOC_GROW(q->v, q->n + 1, q->cap);
	q->v[q->n++] = bytes;
}

/* `bytes` were read: the oldest writes go (the first one perhaps in part). */
static void queue_take(struct wqueue *q, unsigned long long bytes)
{
	size_t gone = 0;
	while (gone < q->n && bytes >= q->v[gone])
		bytes -= q->v[gone++];
	if (gone) {
		memmove(q->v, q->v + gone, (q->n - gone) * sizeof *q->v);
		q->n -= gone;
	}
	if (q->n && bytes)
		q->v[0] -= bytes;
}

static unsigned long long queue_sum(const struct wqueue *q)
{
	unsigned long long sum = 0;
	for (size_t i = 0; i < q->n; i++)
		sum += q->v[i];
	return sum;
}

/* ---- waiting for children ---- */

/* Would a wait for `want` (wait4's pid: > 0 one child, else any) return now: a child ended and
 * not reaped, or no such child at all? *alive: some such child still runs. */
static bool reapable(struct monitor *m, const struct mproc *p, long want, bool *alive)
{
	bool any = false;
	*alive = false;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *q = &m->procs[i];
		if (q->parent != p->pid || (want > 0 && q->s.nspid != want))
			continue;
		if (q->alive) {
			any = *alive = true;
			continue;
		}
		char path[32];
		snprintf(path, sizeof path, "/proc/%d", (int)q->pid);
		if (access(path, F_OK) == 0)
			return true; /* a zombie: ended, not reaped yet */
	}
	return !any;
}

/* The pid a wait call waits for (> 0 one child; else any), and whether it may not block. */
static long wait_target(const struct syscall_info *c, bool *nohang)
{
	if ((long)c->nr == SYS_waitid) {
		*nohang = c->args[3] & WNOHANG;
		return c->args[0] == P_PID ? (long)c->args[1] : -1;
	}
	*nohang = c->args[2] & WNOHANG;
	return (long)(int)c->args[0];
}

/* ---- is a held process's step ready: would it go on now? ---- */

static bool is_sleep(long nr)
{
	return nr == SYS_nanosleep || nr == SYS_clock_nanosleep;
}

static bool is_close(long nr)
{
	return nr == SYS_close || nr == SYS_dup2 || nr == SYS_dup3 || nr == SYS_close_range;
}

/* The size of the next piece a write of `count` bytes goes in. */
static unsigned long long piece_of(unsigned long long count)
{
	return count > PIECE ? PIECE : count;
}

/* Would a held process's step go on now? */
enum readiness {
	BLOCKED, /* no: its call would wait (for data, room, a child) */
	MAYBE,   /* perhaps: a write that fits the pipe's bytes, but perhaps not its pages */
	READY,   /* yes */
};

static enum readiness ready(struct monitor *m, struct mproc *p)
{
	if (p->s.hold != HOLD_CALL)
		return READY;
	const struct syscall_info *c = &p->s.call;
	long nr = (long)c->nr;
	struct fd_look l;
	if (nr == SYS_read) {
		if (look(p, c->args[0], POLLIN, &l) == FD_OTHER || l.nonblock ||
		    (l.revents & (POLLIN | POLLHUP | POLLERR)))
			return READY;
		return BLOCKED;
	}
	if (nr == SYS_write) {
		if (look(p, c->args[0], POLLOUT, &l) == FD_OTHER || l.nonblock ||
		    (l.revents & (POLLOUT | POLLERR | POLLHUP)))
			return READY; /* a free page (or no reader: EPIPE) */
		/* no free page: a write under a page may still fit in the last one */
		if (l.sort == FD_PIPE && l.room >= 0 && piece_of(c->args[2]) < PIECE &&
		    (unsigned long long)l.room >= piece_of(c->args[2]))
			return MAYBE;
		return BLOCKED;
	}
	if (nr == SYS_wait4 || nr == SYS_waitid) {
		bool nohang, alive;
		long want = wait_target(c, &nohang);
		return nohang || reapable(m, p, want, &alive) ? READY : BLOCKED;
	}
	return READY; /* close, sleep */
}

/* ---- steps ---- */

static void record(struct monitor *m, const struct mproc *p, long long cut)
{
	struct monitor_schedule *sc = &m->schedule;
	sc->total++;
	if (sc->nsteps >= MONITOR_STEPS_KEPT)
		return;
	ALLOC_GROW(sc->steps, sc->nsteps + 1, sc->steps_cap);
	struct monitor_step *st = &sc->steps[sc->nsteps++];
	memset(st, 0, sizeof *st);
	st->pid = p->pid;
	snprintf(st->role, sizeof st->role, "%s", p->role);
	st->fd = -1;
	st->bytes = st->cut = -1;
	st->cut = cut;
	const struct syscall_info *c = &p->s.call;
	long nr = (long)c->nr;
	switch (p->s.hold) {
	case HOLD_START:
		st->kind = MONITOR_STEP_START;
		return;
	case HOLD_FORK:
		st->kind = MONITOR_STEP_FORK;
		return;
	case HOLD_EXIT:
		st->kind = MONITOR_STEP_EXIT;
		return;
	case HOLD_CALL:
		break;
	}
	if (nr == SYS_read || nr == SYS_write) {
		st->kind = nr == SYS_read ? MONITOR_STEP_READ : MONITOR_STEP_WRITE;
		st->fd = (int)c->args[0];
		st->bytes = (long long)c->args[2];
		if (p->s.splitting)
			st->bytes = (long long)p->s.split_len;
	} else if (is_close(nr)) {
		st->kind = MONITOR_STEP_CLOSE;
		st->fd = (int)(nr == SYS_close || nr == SYS_close_range ? c->args[0] : c->args[1]);
	} else if (nr == SYS_wait4 || nr == SYS_waitid) {
		st->kind = MONITOR_STEP_WAIT;
	} else {
		st->kind = MONITOR_STEP_SLEEP;
	}
	char target[64];
	unsigned long inode;
	if (st->fd >= 0 && procfs_fd_target(p->pid, st->fd, target, sizeof target) == 0 &&
	    sscanf(target, "pipe:[%lu]", &inode) == 1)
		snprintf(st->ipc, sizeof st->ipc, "%s", monitor_pipe(m, inode)->name);
}

/* ---- running a held process ---- */

static void set_arg(pid_t pid, int i, unsigned long long v)
{
	struct monitor_regs r;
	if (monitor_regs_get(pid, &r) == 0) {
		monitor_regs_set_arg(&r, i, v);
		monitor_regs_set(pid, &r);
	}
}

static bool any_free(const struct monitor *m)
{
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].alive && m->procs[i].s.state == SCHED_FREE)
			return true;
	return false;
}

/* A read on a pipe: perhaps cut at a write boundary (only the first pending writes, whole).
 * Returns the count it was cut to, or -1. */
static long long read_step(struct monitor *m, struct mproc *p)
{
	struct msched *s = m->sched;
	const struct syscall_info *c = &p->s.call;
	struct fd_look l;
	if (look(p, c->args[0], POLLIN, &l) != FD_PIPE || l.queued < 0)
		return -1;
	struct wqueue *q = queue_of(s, &l.st);
	if (queue_sum(q) != (unsigned long long)l.queued) { /* writes it did not see: one lump */
		q->n = 0;
		queue_push(q, (unsigned long long)l.queued);
	}
	unsigned long long count = c->args[2], take = count;
	if (q->n >= 2 && count > q->v[0] && below(s, 100) < (unsigned)m->schedule.short_reads) {
		size_t k = 1 + below(s, (unsigned)(q->n - 1)), cut = 0;
		for (size_t i = 0; i < k; i++)
			cut += q->v[i];
		if (cut < count)
			take = cut;
	}
	queue_take(q, take < (unsigned long long)l.queued ? take : (unsigned long long)l.queued);
	if (take == count)
		return -1;
	set_arg(p->pid, 2, take);
	p->s.fix_count = true;
	p->s.count = count;
	p->s.expect = -1;
	return (long long)take;
}

/* A write: on a pipe, over PIPE_BUF, in pieces; the pipe learns what is pending in it. Returns
 * the piece's size, or -1 when it goes whole. */
static long long write_step(struct monitor *m, struct mproc *p)
{
	const struct syscall_info *c = &p->s.call;
	struct fd_look l;
	if (look(p, c->args[0], POLLOUT, &l) != FD_PIPE)
		return -1;
	bool readers = !(l.revents & POLLERR);
	unsigned long long count = c->args[2];
	if (count <= PIECE && !p->s.splitting) {
		if (readers && !l.nonblock)
			queue_push(queue_of(m->sched, &l.st), count);
		return -1;
	}
	if (!p->s.splitting) {
		p->s.splitting = true;
		p->s.split_buf = c->args[1];
		p->s.split_len = count;
		p->s.split_done = 0;
	}
	unsigned long long piece = piece_of(count);
	if (readers && !l.nonblock)
		queue_push(queue_of(m->sched, &l.st), piece);
	set_arg(p->pid, 2, piece);
	p->s.fix_count = true;
	p->s.count = count;
	p->s.expect = (long long)piece;
	return (long long)piece;
}

/* Lets `p` go on from where it is held, its call as it is (or, for a write in pieces, the
 * rest of it at once). */
static void release(struct mproc *p)
{
	enum __ptrace_request how = PTRACE_CONT;
	if (p->s.hold == HOLD_CALL && p->s.splitting) { /* the rest in one go; still one write */
		p->s.fix_count = true;
		p->s.count = p->s.call.args[2];
		p->s.expect = (long long)p->s.call.args[2];
		how = PTRACE_SYSCALL;
	}
	ptrace(how, p->pid, 0, 0);
}

static void run(struct monitor *m, struct mproc *p)
{
	struct msched *s = m->sched;
	p->s.state = SCHED_RUNNING;
	s->running = p->pid;
	s->running_since = now_monotonic();
	s->look_at = s->running_since + RUN_LOOK_S;
	s->running_cpu = -1;
	long long cut = -1;
	enum __ptrace_request how = PTRACE_CONT;
	long nr = (long)p->s.call.nr;
	if (p->s.hold == HOLD_CALL && nr == SYS_read) {
		cut = read_step(m, p);
	} else if (p->s.hold == HOLD_CALL && nr == SYS_write) {
		cut = write_step(m, p);
	} else if (p->s.hold == HOLD_CALL && is_sleep(nr) && !any_free(m)) {
		monitor_skip_call(p->pid, 0); /* slept: the others were that slow */
	}
	if (p->s.fix_count)
		how = PTRACE_SYSCALL;
	record(m, p, cut);
	ptrace(how, p->pid, 0, 0);
}

/* The scheduler stops choosing (threads, too many steps): whoever it holds goes on. */
static void stop_choosing(struct monitor *m, enum monitor_sched_off why)
{
	if (!choosing(m))
		return;
	m->schedule.off = why;
	m->schedule.off_at = m->schedule.total;
	m->sched->running = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (p->s.state == SCHED_HELD)
			release(p);
		if (p->s.state != SCHED_GONE)
			p->s.state = SCHED_NONE;
	}
}

/* The step after which the running process drops, if this is one (PCT): to d - i. */
static void maybe_change(struct monitor *m, struct mproc *p)
{
	const struct monitor_schedule *sc = &m->schedule;
	for (int i = 0; i < sc->depth - 1; i++)
		if ((long long)sc->total + 1 == m->sched->change[i])
			p->s.prio = sc->depth - 1 - i;
}

/* Everyone is held or gone: the next step. */
static void schedule(struct monitor *m)
{
	struct msched *s = m->sched;
	if (!choosing(m) || s->running)
		return;
	for (size_t i = 0; i < m->nprocs; i++) {
		if (m->procs[i].s.state == SCHED_PENDING) {
			if (!s->pending_since)
				s->pending_since = now_monotonic();
			return; /* a new process: its first stop comes */
		}
	}
	s->pending_since = 0;
	if (m->schedule.total >= MONITOR_SCHED_MAX_STEPS) {
		stop_choosing(m, MONITOR_SCHED_STEPS);
		return;
	}
	/* the first in priority of those ready; else of those that may be (one that waits after
	 * all gives way at the next look) */
	struct mproc *best = NULL;
	enum readiness best_r = BLOCKED;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (p->s.state != SCHED_HELD)
			continue;
		enum readiness r = ready(m, p);
		if (r > best_r || (r == best_r && r != BLOCKED && p->s.prio > best->s.prio)) {
			best = p;
			best_r = r;
		}
	}
	if (!best) { /* nobody can go on: into their calls, where they block for real */
		for (size_t i = 0; i < m->nprocs; i++) {
			struct mproc *p = &m->procs[i];
			if (p->s.state == SCHED_HELD) {
				p->s.state = SCHED_FREE;
				release(p);
			}
		}
		return;
	}
	maybe_change(m, best);
	run(m, best);
}

/* ---- the monitor's hooks ---- */

void monitor_sched_add(struct monitor *m, struct mproc *p, bool pending)
{
	if (!m->sched)
		return;
	/* below the 2^62 of the random part, above every change point's (< 3) */
	p->s.prio = (long long)(next_random(m->sched) >> 2) + (1LL << 40);
	struct proc_stat st;
	p->s.nspid = procfs_stat(p->pid, &st) == 0 && st.ns_pid > 0 ? st.ns_pid : p->pid;
	if (!choosing(m))
		return;
	if (!pending) {
		p->s.state = SCHED_RUNNING; /* the main process, until its exec */
		m->sched->running = p->pid;
		m->sched->running_since = now_monotonic();
		m->sched->look_at = m->sched->running_since + RUN_LOOK_S;
		m->sched->running_cpu = -1;
	} else if (p->s.state == SCHED_NONE) {
		p->s.state = SCHED_PENDING;
	}
}

/* Is the call a step: does it touch what another process sees? Gives way (its priority below
 * every other) when it polls and finds nothing, or sleeps. */
static bool interaction(struct monitor *m, struct mproc *p, const struct syscall_info *c)
{
	long nr = (long)c->nr;
	struct fd_look l;
	bool give_way = false, step = true;
	if (nr == SYS_read) {
		step = look(p, c->args[0], POLLIN, &l) != FD_OTHER;
		give_way = step && l.nonblock && !(l.revents & (POLLIN | POLLHUP | POLLERR));
	} else if (nr == SYS_write) {
		step = look(p, c->args[0], 0, &l) != FD_OTHER;
		/* the next piece of a write over PIPE_BUF: another writer may go first */
		give_way = step && p->s.splitting &&
			   below(m->sched, 100) < (unsigned)m->schedule.split_writes;
	} else if (nr == SYS_close || nr == SYS_dup2 || nr == SYS_dup3) {
		unsigned long long fd = nr == SYS_close ? c->args[0] : c->args[1];
		step = look(p, fd, 0, &l) != FD_OTHER ||
		       (nr != SYS_close && look(p, c->args[0], 0, &l) != FD_OTHER);
	} else if (nr == SYS_wait4 || nr == SYS_waitid) {
		bool nohang, alive;
		long want = wait_target(c, &nohang);
		give_way = nohang && !reapable(m, p, want, &alive) && alive;
	} else if (is_sleep(nr)) {
		/* the first sleep of a process may end before the others went on (they were
		 * slower than it hoped); after it, a process that sleeps again and again is
		 * waiting for the others by polling: it gives way */
		give_way = p->s.sleeps++ > 0 || below(m->sched, 2);
	} else if (nr != SYS_close_range) {
		step = false; /* pipe(), and the calls of the sandbox's own filter */
	}
	if (give_way)
		p->s.prio = m->sched->low--;
	return step;
}

bool monitor_sched_stop(struct monitor *m, struct mproc *p, enum sched_hold hold,
			const struct syscall_info *info)
{
	if (!choosing(m) || !p)
		return false;
	if (hold == HOLD_CALL && (!info || !interaction(m, p, info)))
		return false; /* it goes on, as it was */
	p->s.state = SCHED_HELD;
	p->s.hold = hold;
	if (info)
		p->s.call = *info;
	else
		memset(&p->s.call, 0, sizeof p->s.call);
	if (m->sched->running == p->pid)
		m->sched->running = 0;
	schedule(m);
	return true;
}

bool monitor_sched_exit_stop(struct monitor *m, struct mproc *p)
{
	if (!m->sched || !p->s.fix_count)
		return false;
	p->s.fix_count = false;
	struct monitor_regs r;
	if (monitor_regs_get(p->pid, &r) < 0) {
		ptrace(PTRACE_CONT, p->pid, 0, 0);
		return true;
	}
	long long ret = monitor_regs_ret(&r);
	if (p->s.splitting && ret == p->s.expect &&
	    p->s.split_done + (unsigned long long)ret < p->s.split_len) {
		/* the next piece: the same write again, for the rest (a step of its own) */
		p->s.split_done += (unsigned long long)ret;
		monitor_regs_set_arg(&r, 1, p->s.split_buf + p->s.split_done);
		monitor_regs_set_arg(&r, 2, p->s.split_len - p->s.split_done);
		monitor_regs_reissue(&r, p->s.call.args[0]);
		monitor_regs_set(p->pid, &r);
		ptrace(PTRACE_CONT, p->pid, 0, 0);
		return true;
	}
	if (p->s.splitting) { /* the last piece, or an error: one write, as the program made it */
		bool restart = ret <= -512 &&
			       ret >= -516; /* ERESTART*: the kernel makes it again */
		if (!restart && p->s.split_done > 0)
			monitor_regs_set_ret(&r, ret >= 0 ? (long long)p->s.split_done + ret
							  : (long long)p->s.split_done);
		monitor_regs_set_arg(&r, 1, p->s.split_buf);
		monitor_regs_set_arg(&r, 2, p->s.split_len);
		p->s.splitting = false;
	} else {
		monitor_regs_set_arg(&r, 2, p->s.count); /* a read cut short: its count back */
	}
	monitor_regs_set(p->pid, &r);
	ptrace(PTRACE_CONT, p->pid, 0, 0);
	return true;
}

void monitor_sched_free(struct monitor *m, struct mproc *p)
{
	if (!choosing(m) || !p)
		return;
	p->s.state = SCHED_FREE;
	if (m->sched->running == p->pid) {
		m->sched->running = 0;
		schedule(m);
	}
}

void monitor_sched_gone(struct monitor *m, struct mproc *p)
{
	if (!m->sched || !p)
		return;
	if (p->s.pidfd >= 0)
		close(p->s.pidfd);
	p->s.pidfd = -1;
	bool was_running = m->sched->running == p->pid;
	if (p->s.state != SCHED_NONE)
		p->s.state = SCHED_GONE;
	if (was_running)
		m->sched->running = 0;
	schedule(m);
}

void monitor_sched_threads(struct monitor *m)
{
	stop_choosing(m, MONITOR_SCHED_THREADS);
}

int monitor_sched_new_pipe(struct monitor *m, struct mproc *p, int fd)
{
	if (!m->sched || m->schedule.pipe_size <= 0)
		return 0;
	int d = dup_of(p, (unsigned long long)fd);
	if (d < 0)
		return 0;
	int size = fcntl(d, F_SETPIPE_SZ, m->schedule.pipe_size); /* empty yet: never busy */
	close(d);
	return size > 0 ? size : 0;
}

bool monitor_sched_holds(const struct monitor *m)
{
	if (!choosing(m))
		return false;
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].alive && m->procs[i].s.state == SCHED_HELD)
			return true;
	return false;
}

double monitor_sched_next(const struct monitor *m)
{
	if (!choosing(m))
		return 1e300;
	if (m->sched->running)
		return m->sched->look_at;
	return m->sched->pending_since ? m->sched->pending_since + RUN_LONG_S : 1e300;
}

void monitor_sched_tick(struct monitor *m)
{
	struct msched *s = m->sched;
	double now = now_monotonic();
	if (!choosing(m))
		return;
	if (!s->running) { /* a first stop that never came: go on without it */
		if (!s->pending_since || now < s->pending_since + RUN_LONG_S)
			return;
		for (size_t i = 0; i < m->nprocs; i++)
			if (m->procs[i].s.state == SCHED_PENDING)
				m->procs[i].s.state = SCHED_FREE;
		s->pending_since = 0;
		schedule(m);
		return;
	}
	if (now < s->look_at)
		return;
	/* asleep ('S': waiting in a call; not 'D', a page fault or the disk, which passes), or
	 * at work for RUN_LONG_S of CPU time since its first look */
	struct mproc *p = monitor_proc(m, s->running);
	struct proc_stat st;
	bool seen = p && procfs_stat(s->running, &st) == 0;
	long long cpu = seen ? (long long)(st.utime + st.stime) : 0;
	if (seen && s->running_cpu < 0)
		s->running_cpu = cpu;
	long hz = sysconf(_SC_CLK_TCK);
	bool long_at_work = seen &&
			    cpu - s->running_cpu >= (long long)(RUN_LONG_S * (hz > 0 ? hz : 100));
	if (seen && st.state != 'S' && !long_at_work) {
		s->look_at = now + RUN_LOOK_S;
		return;
	}
	if (p) /* asleep in a call the scheduler does not see, or long at work: it gives way */
		p->s.state = SCHED_FREE;
	s->running = 0;
	schedule(m);
}
