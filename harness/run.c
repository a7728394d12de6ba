/* run.c: one program under fork, pipes, limits and one ppoll() loop (see run.h). */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "monitor.h"
#include "procfs.h"
#include "proctree.h"
#include "sandbox.h"

#define DEFAULT_GRACE_S 0.5
/* The longest an interpreter is given to write its stacks. The wait ends when every process
 * asked has died (after writing them): only a loaded machine comes near it, and a stack cut
 * short names a library frame instead of the script's line. */
#define ASK_STACKS_S 1.0
#define CHUNK 65536
#define REAP_BATCH 64

/* Everything one run owns while it is in progress. fds are -1 when closed. */
struct run {
	const struct run_spec *spec;
	struct run_result *res;
	pid_t pid;         /* the program's process */
	pid_t ns_init;     /* the init of its PID namespace (the sandbox's), or 0 */
	int in_fd;         /* write end of the program's stdin */
	int out_fd;        /* read end of its stdout */
	int err_fd;        /* read end of its stderr */
	int sig_fd;        /* signalfd for SIGCHLD */
	size_t fed;        /* bytes of stdin written so far */
	bool reaped;       /* the main process has been waited for */
	bool decided;      /* res->end was set by the harness (limit reached, exec failure) */
	bool more_to_reap; /* the last reap stopped at its batch: more may be waiting (their
			      SIGCHLD already read) */
	double start;
	double ended;     /* when the main process was reaped */
	double next_tick; /* when to look at the sandbox next (unmonitored runs) */
	double asking;    /* stuck, an interpreted program's processes asked for their stacks:
			     the verdict waits until they have answered or this time; else 0 */
	size_t err_mark;  /* the stderr the program wrote before it was asked */
	sigset_t old_mask;
	struct sigaction old_pipe;
};

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		int e = errno;
		close(*fd);
		errno = e;
		*fd = -1;
	}
}

static void add_error(struct buf *err, const char *what)
{
	buf_printf(err, "%s: %s", what, strerror(errno));
}

/* ---- the child, between fork and exec: async-signal-safe calls only ---- */

/* What failed before exec: the exec itself (judged by the caller: usually the program's
 * problem), or setting up the process (pipegrade's). */
enum { STAGE_EXEC, STAGE_SETUP };

struct exec_report {
	int err;
	int stage;
	char what[64]; /* the step that failed (setup) */
};

static void child_fail(int report_fd, int stage, const char *what)
{
	struct exec_report rep = { errno, stage, "" };
	size_t n = strlen(what);
	memcpy(rep.what, what, n < sizeof rep.what - 1 ? n : sizeof rep.what - 1);
	(void)!write(report_fd, &rep, sizeof rep);
	_exit(stage == STAGE_EXEC ? 127 : 126);
}

/* With a monitor: wait until the parent has seized us. True when we are traced. The child
 * holds no write end of the go pipe: end of file means that pipegrade died before it said
 * go, and the program must not start. */
static bool child_wait_tracer(int go_fd)
{
	char go;
	ssize_t n;
	do
		n = read(go_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		_exit(126);
	return n == 1 && go == 'y';
}

/* No core files, and the CPU limit. */
static int child_limits(const struct run_spec *spec)
{
	struct rlimit core = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &core) < 0)
		return -1;
	if (spec->cpu_s > 0) {
		rlim_t secs = (rlim_t)ceil(spec->cpu_s);
		struct rlimit cpu = { secs, secs + 1 };
		if (setrlimit(RLIMIT_CPU, &cpu) < 0)
			return -1;
	}
	return 0;
}

/* Everything the program's process does before exec, in this order: a clean process in a new
 * session (no controlling terminal: nothing can reach the terminal that started pipegrade),
 * its stdio, the sandbox, the tracer, the filters, and the limits last, so that they bind the
 * program and not this set-up. */
static void child_exec(const struct run_spec *spec, int in_rd, int out_wr, int err_wr,
		       int report_fd, int go_fd, int go_wr)
{
	if (go_wr >= 0)
		close(go_wr); /* the parent's alone: its death is our end of file */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* fails harmlessly for SIGKILL, SIGSTOP and gaps */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0)
		child_fail(report_fd, STAGE_SETUP, N_("start a new session"));
	if (dup2(in_rd, 0) < 0 || dup2(out_wr, 1) < 0 || dup2(err_wr, 2) < 0)
		child_fail(report_fd, STAGE_SETUP, N_("set up stdin, stdout and stderr"));
	/* Everything above 2 goes at exec, including the report pipe (already close-on-exec). */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		for (int fd = 3; fd < FD_CEILING; fd++) /* pipegrade's own fds are few */
			if (fd != report_fd && fd != go_fd)
				close(fd);
	umask(022); /* files the program creates get the modes everyone expects */
	const struct sandbox *sb = spec->sandbox;
	const char *what = "";
	if (sb && sandbox_child_enter(sb, &what) < 0)
		child_fail(report_fd, STAGE_SETUP, what);
	if (!sb && spec->cwd && chdir(spec->cwd) < 0)
		child_fail(report_fd, STAGE_SETUP, N_("enter the working directory"));
	bool traced = go_fd >= 0 && child_wait_tracer(go_fd);
	if (sb && sandbox_child_lockdown(sb, traced, &what) < 0)
		child_fail(report_fd, STAGE_SETUP, what);
	/* Only when traced: without a tracer, the filter's SECCOMP_RET_TRACE fails the calls. A
	 * refused filter only costs the tracking of close(). */
	if (traced)
		(void)monitor_child_setup(spec->monitor);
	if (child_limits(spec) < 0)
		child_fail(report_fd, STAGE_SETUP, N_("set the CPU and core limits"));
	if (sb && sandbox_child_limits(sb, &what) < 0)
		child_fail(report_fd, STAGE_SETUP, what);
	/* exec's prototypes predate const: they never write argv or envp (POSIX, exec rationale) */
	char *const *argv = (char *const *)spec->argv, *const *envp = (char *const *)spec->envp;
	if (strchr(spec->file, '/'))
		execve(spec->file, argv, envp);
	else
		execvpe(spec->file, argv, envp);
	child_fail(report_fd, STAGE_EXEC, "exec");
}

/* ---- the parent ---- */

static int make_pipe(int fds[2], struct buf *err)
{
	if (pipe2(fds, O_CLOEXEC) < 0) {
		add_error(err, _("cannot create a pipe"));
		return -1;
	}
	return 0;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Blocks SIGCHLD and the signals that ask pipegrade to stop (all read from a signalfd), and
 * ignores SIGPIPE, for the run. */
static int signals_take(struct run *r, struct buf *err)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaddset(&chld, SIGINT);
	sigaddset(&chld, SIGTERM);
	sigaddset(&chld, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &chld, &r->old_mask) < 0) {
		add_error(err, _("cannot block signals"));
		return -1;
	}
	struct sigaction ign;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &r->old_pipe);
	r->sig_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r->sig_fd < 0) {
		add_error(err, _("cannot create a signalfd"));
		return -1;
	}
	return 0;
}

static void signals_restore(struct run *r)
{
	close_fd(&r->sig_fd);
	sigaction(SIGPIPE, &r->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
}

/* Reads the exec report: nothing (EOF at exec) means the program started. Returns -1 when
 * setting up its process failed (pipegrade's failure). */
static int read_exec_report(struct run *r, int report_rd, struct buf *err)
{
	struct exec_report rep;
	ssize_t n;
	do
		n = read(report_rd, &rep, sizeof rep);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof rep)
		return 0;
	rep.what[sizeof rep.what - 1] = '\0';
	r->decided = true;
	r->res->end = RUN_EXEC_FAILED;
	r->res->exec_errno = rep.err;
	if (rep.stage == STAGE_EXEC)
		return 0;
	/* the step, as the child sent it: in English (N_()), or a path */
	buf_printf(err, _("cannot set up the program's process (%s): %s"),
		   *rep.what ? _(rep.what) : "", strerror(rep.err));
	return -1;
}

static unsigned long inode_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* Tells the monitor about our pipes and builds its filter; opens the go pipe the child waits
 * on until it is seized. */
static int monitor_before_fork(struct run *r, const int in[2], const int out[2], const int er[2],
			       int go[2], struct buf *err)
{
	struct monitor *m = r->spec->monitor;
	if (!m)
		return 0; /* nothing to wait for: a sandboxed child joins its cgroups by itself */
	struct monitor_stdio stdio = { inode_of(in[0]), inode_of(out[0]), inode_of(er[0]) };
	monitor_set_stdio(m, &stdio);
	if (monitor_prepare(m) < 0) {
		buf_puts(err, _("cannot prepare the process monitor"));
		return -1;
	}
	return make_pipe(go, err);
}

/* Seizes the child (if there is a monitor) and lets it go on to exec. */
static void monitor_after_fork(struct run *r, int go[2])
{
	if (go[1] < 0)
		return;
	r->res->monitored = r->spec->monitor && monitor_attach(r->spec->monitor, r->pid) == 0;
	(void)!write(go[1], r->res->monitored ? "y" : "n", 1);
	close_fd(&go[0]);
	close_fd(&go[1]);
}

static int start_child(struct run *r, struct buf *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, er[2] = { -1, -1 }, rep[2] = { -1, -1 };
	int go[2] = { -1, -1 };
	const struct sandbox *sb = r->spec->sandbox;
	if (make_pipe(in, err) < 0 || make_pipe(out, err) < 0 || make_pipe(er, err) < 0 ||
	    make_pipe(rep, err) < 0 || monitor_before_fork(r, in, out, er, go, err) < 0)
		goto fail;
	r->start = now_monotonic();
	/* with the sandbox's PID namespace: pid 2 in it, and its init r->ns_init */
	r->pid = sb ? sandbox_spawn(sb, &r->ns_init) : fork();
	if (r->pid == 0)
		child_exec(r->spec, in[0], out[1], er[1], rep[1], go[0], go[1]);
	if (r->pid < 0) {
		add_error(err, _("cannot fork"));
		goto fail;
	}
	monitor_after_fork(r, go);
	r->res->pid = r->pid;
	close(in[0]);
	close(out[1]);
	close(er[1]);
	close(rep[1]);
	r->in_fd = in[1];
	r->out_fd = out[0];
	r->err_fd = er[0];
	int rc = read_exec_report(r, rep[0], err);
	close(rep[0]);
	set_nonblock(r->in_fd);
	set_nonblock(r->out_fd);
	set_nonblock(r->err_fd);
	if (r->spec->stdin_len == 0 || r->res->end == RUN_EXEC_FAILED)
		close_fd(&r->in_fd);
	return rc;
fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&er[i]);
		close_fd(&rep[i]);
		close_fd(&go[i]);
	}
	return -1;
}

static void record_main_exit(struct run *r, int status, const struct rusage *ru)
{
	struct run_result *res = r->res;
	r->reaped = true;
	r->ended = now_monotonic();
	res->wall_s = r->ended - r->start;
	res->cpu_s = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
		     (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
	res->max_rss_kb = ru->ru_maxrss;
	if (r->decided)
		return; /* the harness ended it: timeout, output limit or exec failure */
	if (WIFEXITED(status)) {
		res->end = RUN_EXITED;
		res->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		bool over_cpu = r->spec->cpu_s > 0 && res->cpu_s >= ceil(r->spec->cpu_s);
		res->term_signal = sig;
		res->end = sig == SIGXCPU || (sig == SIGKILL && over_cpu) ? RUN_CPU_LIMIT
									  : RUN_SIGNALED;
	}
}

/* Reaps the children that have ended and hands ptrace stops to the monitor, without blocking.
 * At most a batch at a time: a tree that forks and exits in a loop keeps events coming without
 * end, and the loop must still look at the clock. */
static void reap_ready(struct run *r)
{
	r->more_to_reap = true;
	for (int i = 0; i < REAP_BATCH; i++) {
		int status;
		struct rusage ru;
		pid_t p = wait4(-1, &status, WNOHANG | __WALL, &ru);
		if (p <= 0) {
			r->more_to_reap = false;
			return;
		}
		if (r->res->monitored && monitor_on_wait(r->spec->monitor, p, status))
			continue;
		if (p == r->pid && !r->reaped && !WIFSTOPPED(status))
			record_main_exit(r, status, &ru);
	}
}

/* Decides how the run ended when the harness stops it; the first reason wins. */
static void decide(struct run *r, enum run_end end)
{
	if (r->decided || r->reaped)
		return;
	r->decided = true;
	r->res->end = end;
}

static void feed_stdin(struct run *r)
{
	const struct run_spec *s = r->spec;
	size_t left = s->stdin_len - r->fed;
	ssize_t n = write(r->in_fd, s->stdin_data + r->fed, left < CHUNK ? left : CHUNK);
	if (n > 0)
		r->fed += (size_t)n;
	/* EPIPE: the program closed its stdin or ended; it has had all it wanted. */
	if ((n < 0 && errno != EAGAIN && errno != EINTR) || r->fed == s->stdin_len)
		close_fd(&r->in_fd);
}

/* Reads what is available from one output pipe; returns false when the cap was exceeded. */
static bool drain_output(struct run *r, int *fd, struct buf *into, bool *capped)
{
	char chunk[CHUNK];
	long long cap = r->spec->output_bytes;
	for (;;) {
		ssize_t n = read(*fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0) {
			close_fd(fd);
			return true;
		}
		size_t room = (long long)into->len < cap ? (size_t)(cap - (long long)into->len) : 0;
		buf_append(into, chunk, (size_t)n < room ? (size_t)n : room);
		if ((size_t)n > room) {
			*capped = true;
			return false;
		}
	}
}

static void drain_signals(struct run *r)
{
	struct signalfd_siginfo si;
	while (read(r->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo != SIGCHLD && !r->res->interrupted) {
			r->res->interrupted = (int)si.ssi_signo;
			decide(r, RUN_INTERRUPTED);
		}
	}
	reap_ready(r);
}

/* Milliseconds-precision timespec until `when`, never negative. */
static struct timespec until(double when)
{
	double left = when - now_monotonic();
	if (left < 0)
		left = 0;
	struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };
	return ts;
}

/* When the loop must wake up next: the deadline, the end of the grace, or the next tick of
 * the monitor or the sandbox (only while the main process lives: after that, leftovers are the
 * grace's business). */
static double next_wakeup(const struct run *r, double deadline, double grace, bool *tick)
{
	double limit = deadline;
	if (r->reaped && r->ended + grace < limit)
		limit = r->ended + grace;
	*tick = false;
	if (r->asking && now_monotonic() + 0.01 < limit)
		limit = now_monotonic() + 0.01; /* to see the stacks arrive */
	if ((r->res->monitored || r->spec->sandbox) && !r->reaped) {
		double t = r->res->monitored ? monitor_next_tick(r->spec->monitor) : r->next_tick;
		if (r->spec->sandbox && r->next_tick < t)
			t = r->next_tick;
		if (t < limit) {
			limit = t;
			*tick = true;
		}
	}
	return limit;
}

/* More processes than the limit alive at once, where no pids cgroup counts them: the
 * monitor's count, or the tree's. (RLIMIT_NPROC leaves room for one more, to be seen here.) */
static bool over_process_limit(const struct run *r)
{
	const struct sandbox *sb = r->spec->sandbox;
	if (!sb || sb->caps->cg.pids[0])
		return false;
	if (r->res->monitored)
		return monitor_alive_peak(r->spec->monitor) > sb->limits.processes;
	struct pidlist all = PIDLIST_INIT;
	proctree_descendants(getpid(), &all);
	int n = (int)all.n - (r->ns_init > 0 && pidlist_has(&all, r->ns_init) ? 1 : 0);
	pidlist_free(&all);
	return n > sb->limits.processes;
}

/* A tick: the sandbox's counters, then the monitor's look at the tree. */
static void on_tick(struct run *r)
{
	struct sandbox *sb = r->spec->sandbox;
	if (sb && now_monotonic() >= r->next_tick) {
		r->next_tick = now_monotonic() + WATCH_TICK_S;
		if (sandbox_poll(sb) || over_process_limit(r)) {
			decide(r, RUN_PROCESS_LIMIT);
			return;
		}
	}
	if (r->res->monitored && !r->reaped && !r->asking &&
	    now_monotonic() >= monitor_next_tick(r->spec->monitor) &&
	    monitor_tick(r->spec->monitor, r->in_fd >= 0)) {
		/* an interpreter says where its script waits (its stacks on stderr) before the
		 * verdict; what it wrote before that is the program's stderr */
		if (r->err_fd >= 0)
			drain_output(r, &r->err_fd, &r->res->err, &r->res->err_capped);
		r->err_mark = r->res->err.len;
		if (monitor_ask_stacks(r->spec->monitor))
			r->asking = now_monotonic() + ASK_STACKS_S;
		else
			decide(r, RUN_STUCK);
	}
}

/* The stacks asked for have come (or the time is up, or `over`: every process is gone): the
 * stuck verdict, with its lines. */
static bool asked_enough(struct run *r, bool over)
{
	if (!r->asking ||
	    (!over && now_monotonic() < r->asking && !monitor_stacks_done(r->spec->monitor)))
		return false;
	if (r->err_fd >= 0)
		drain_output(r, &r->err_fd, &r->res->err, &r->res->err_capped);
	if (r->res->err.len > r->err_mark)
		r->res->err.len = r->err_mark; /* the stacks are not the program's output */
	monitor_read_stacks(r->spec->monitor);
	r->asking = 0;
	r->decided = true; /* the main process may have died of the asking: still stuck */
	r->res->end = RUN_STUCK;
	return true;
}

/* The one poll loop. Returns when the run is over, for whatever reason. */
static void run_loop(struct run *r)
{
	double deadline = r->start + r->spec->wall_s;
	double grace = r->spec->grace_s < 0 ? DEFAULT_GRACE_S : r->spec->grace_s;
	r->next_tick = r->start + WATCH_TICK_S;
	while (!r->decided && !r->res->interrupted) {
		if (asked_enough(r, r->reaped && r->out_fd < 0 && r->err_fd < 0))
			return;
		if (r->reaped && r->out_fd < 0 && r->err_fd < 0)
			return;
		if (!r->reaped && now_monotonic() >= deadline) {
			decide(r, RUN_TIMEOUT); /* whatever the rate of events */
			return;
		}
		bool tick;
		double limit = next_wakeup(r, deadline, grace, &tick);
		struct pollfd p[4] = {
			{ r->sig_fd, POLLIN, 0 },
			{ r->in_fd, POLLOUT, 0 },
			{ r->out_fd, POLLIN, 0 },
			{ r->err_fd, POLLIN, 0 },
		};
		struct timespec ts = until(r->more_to_reap ? 0 : limit);
		int n = ppoll(p, 4, &ts, NULL);
		if (r->more_to_reap)
			reap_ready(r);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0) {
			if (p[1].revents)
				feed_stdin(r);
			if (p[2].revents &&
			    !drain_output(r, &r->out_fd, &r->res->out, &r->res->out_capped))
				decide(r, RUN_OUTPUT_LIMIT);
			if (p[3].revents &&
			    !drain_output(r, &r->err_fd, &r->res->err, &r->res->err_capped))
				decide(r, RUN_OUTPUT_LIMIT);
			if (p[0].revents)
				drain_signals(r);
		}
		if (now_monotonic() < limit || r->decided || r->asking)
			continue; /* asking: asked_enough() says when */
		if (tick) {
			on_tick(r);
			continue;
		}
		if (!r->reaped)
			decide(r, RUN_TIMEOUT);
		return; /* or: the grace for descendants holding the pipes is over */
	}
}

/* Waits until `p`, a killed direct child, is reaped. Whatever else ends meanwhile is waited
 * for too (the main process's status is recorded, the monitor told): the init of a PID
 * namespace finishes dying only once every traced process in it has been waited for by its
 * tracer, us. */
static void reap_until(struct run *r, pid_t p)
{
	for (;;) {
		int status;
		struct rusage ru;
		pid_t w = wait4(-1, &status, __WALL, &ru);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return; /* nothing left to wait for */
		if (WIFSTOPPED(status)) {
			ptrace(PTRACE_CONT, w, 0, 0); /* a traced process in a stop: let it die */
			continue;
		}
		if (r && r->res->monitored)
			monitor_on_wait(r->spec->monitor, w, status); /* for the process tree */
		if (r && w == r->pid && !r->reaped)
			record_main_exit(r, status, &ru);
		if (w == p)
			return;
	}
}

/* Kills the whole tree below us, round after round, until no descendant is left. Returns how
 * many of them were alive (the namespace's init, ours, not counted). */
static int kill_all(struct run *r)
{
	pid_t self = getpid();
	int killed = 0;
	for (bool first = true;; first = false) {
		struct pidlist all = PIDLIST_INIT, direct = PIDLIST_INIT;
		proctree_descendants(self, &all);
		proctree_children(self, &direct);
		if (all.n == 0) {
			pidlist_free(&all);
			pidlist_free(&direct);
			return killed;
		}
		for (size_t i = 0; i < all.n; i++)
			killed += procfs_is_live(all.v[i]) && (!r || all.v[i] != r->ns_init);
		if (first && r && r->spec->sandbox)
			sandbox_kill(r->spec->sandbox); /* the case's cgroup, in one write */
		if (first && r && r->pid > 0 && !r->reaped)
			kill(-r->pid, SIGKILL); /* its process group, in one call */
		for (size_t i = 0; i < all.n; i++)
			kill(all.v[i], SIGKILL);
		/* Direct children die for sure; their own children come to us (we are a
		 * subreaper) or die with their PID namespace's init, and whatever is left is
		 * found in the next round. */
		for (size_t i = 0; i < direct.n; i++)
			if (pidlist_has(&all, direct.v[i]))
				reap_until(r, direct.v[i]);
		pidlist_free(&all);
		pidlist_free(&direct);
	}
}

int run_kill_descendants(void)
{
	return kill_all(NULL);
}

/* After the tree is gone every write end is closed: take what is left in the pipes. */
static void drain_rest(struct run *r)
{
	if (r->out_fd >= 0 && !drain_output(r, &r->out_fd, &r->res->out, &r->res->out_capped))
		decide(r, RUN_OUTPUT_LIMIT);
	if (r->err_fd >= 0 && !drain_output(r, &r->err_fd, &r->res->err, &r->res->err_capped))
		decide(r, RUN_OUTPUT_LIMIT);
}

static void finish(struct run *r)
{
	bool exited_alone = r->reaped && !r->decided && r->res->end == RUN_EXITED;
	int killed = kill_all(r);
	if (exited_alone)
		r->res->leftovers = killed;
	drain_rest(r);
	close_fd(&r->in_fd);
	close_fd(&r->out_fd);
	close_fd(&r->err_fd);
}

int run_program(const struct run_spec *spec, struct run_result *res, struct buf *err)
{
	memset(res, 0, sizeof *res);
	res->exit_code = -1;
	struct run r = { .spec = spec,
			 .res = res,
			 .pid = -1,
			 .in_fd = -1,
			 .out_fd = -1,
			 .err_fd = -1,
			 .sig_fd = -1 };
	if (!spec->file || !spec->argv || !spec->envp || !(spec->wall_s > 0) ||
	    spec->output_bytes <= 0) {
		buf_puts(err, _("pipegrade's own error: an incomplete run_spec (start from "
				"RUN_SPEC_INIT)"));
		buf_append(&res->out, "", 0);
		buf_append(&res->err, "", 0);
		return -1;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		add_error(err, _("cannot become a child subreaper"));
		return -1;
	}
	int rc = signals_take(&r, err);
	if (rc == 0)
		rc = start_child(&r, err);
	if (rc == 0)
		run_loop(&r);
	finish(&r);
	signals_restore(&r);
	if (!res->out.data)
		buf_append(&res->out, "", 0);
	if (!res->err.data)
		buf_append(&res->err, "", 0);
	return rc;
}

void run_result_free(struct run_result *res)
{
	buf_free(&res->out);
	buf_free(&res->err);
}

char *run_describe_end(const struct run_result *res)
{
	switch (res->end) {
	case RUN_EXITED:
		return xasprintf(_("exited with status %d"), res->exit_code);
	case RUN_SIGNALED:
		/* TRANSLATORS: the signal's number, name (SIGSEGV) and description. */
		return xasprintf(_("killed by signal %d (%s: %s)"), res->term_signal,
				 signal_name(res->term_signal),
				 sigdescr_np(res->term_signal) ? sigdescr_np(res->term_signal)
							       : _("unknown"));
	case RUN_TIMEOUT:
		return xasprintf(_("stopped after %.1f s: wall-clock time limit reached"),
				 res->wall_s);
	case RUN_CPU_LIMIT:
		return xasprintf(_("stopped after %.1f s of CPU time: CPU time limit reached"),
				 res->cpu_s);
	case RUN_OUTPUT_LIMIT:
		/* TRANSLATORS: %s is stdout or stderr. */
		return xasprintf(_("stopped: it wrote more than the output limit to %s"),
				 res->out_capped ? "stdout" : "stderr");
	case RUN_EXEC_FAILED:
		return xasprintf(_("could not be started: %s"), strerror(res->exec_errno));
	case RUN_INTERRUPTED:
		return xasprintf(_("stopped: pipegrade was interrupted by %s"),
				 signal_name(res->interrupted));
	case RUN_STUCK:
		return xasprintf(_("stopped after %.2f s: every process was blocked for good"),
				 res->wall_s);
	case RUN_PROCESS_LIMIT:
		return xstrdup(_("stopped: it tried to have more processes than the limit"));
	}
	return xstrdup(_("ended"));
}
