/*
 * test_procfs.c: the /proc readers against real children. Each test forks a child that sets
 * itself up (pipes, fd numbers, a name), says it is ready over a pipe, then parks somewhere
 * known: read() on an empty pipe, write() on a full one, pause(), waitpid(), a busy loop, a stop
 * signal, exec of sleep. The test then polls /proc (up to 2 s in 1 ms steps) until the child is
 * there, asserts exactly what procfs reports, and kills (SIGKILL by pid) and reaps the child.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

#define WAIT_STEPS 2000 /* 1 ms each */

/* ---- children ---- */

/* What a child runs: it sets itself up, calls kid_ready(), then blocks. It never returns (a
 * return means it could not set up: the child exits 126). */
typedef void kid_fn(int ready, const void *arg);

struct kid {
	pid_t pid;
	int said; /* the number it sent with kid_ready(); -1: EOF (it exec'd or died) */
	unsigned long ready_ino; /* inode of the readiness pipe */
};

/* Every process a test started and has not reaped yet; `ours` false for a grandchild, which
 * is only killed. The teardown kills what a failed test left behind. */
static struct {
	pid_t pid;
	bool ours;
} tracked[8];

static void track(pid_t pid, bool ours)
{
	for (size_t i = 0; i < sizeof tracked / sizeof tracked[0]; i++) {
		if (tracked[i].pid == 0) {
			tracked[i].pid = pid;
			tracked[i].ours = ours;
			return;
		}
	}
	ck_abort_msg("too many processes in one test");
}

static void untrack(pid_t pid)
{
	for (size_t i = 0; i < sizeof tracked / sizeof tracked[0]; i++)
		if (tracked[i].pid == pid)
			tracked[i].pid = 0;
}

/* SIGKILLs a child and reaps it. */
static void kid_kill(pid_t pid)
{
	int status;
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	pid_t w;
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	ck_assert_int_eq(w, pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	untrack(pid);
}

static void teardown(void)
{
	for (size_t i = 0; i < sizeof tracked / sizeof tracked[0]; i++) {
		if (tracked[i].pid == 0)
			continue;
		kill(tracked[i].pid, SIGKILL);
		if (tracked[i].ours)
			waitpid(tracked[i].pid, NULL, 0);
		tracked[i].pid = 0;
	}
}

/* In the child: tells the parent it is set up, with one number. */
static void kid_ready(int ready, int value)
{
	if (write(ready, &value, sizeof value) != (ssize_t)sizeof value)
		_exit(126);
}

/* Forks a child running fn(arg) and waits (up to 2 s) until it is ready or closes the
 * close-on-exec readiness pipe (exec or death). */
static struct kid kid_start(kid_fn *fn, const void *arg)
{
	int rp[2];
	ck_assert_int_eq(pipe2(rp, O_CLOEXEC), 0);
	struct stat sb;
	ck_assert_int_eq(fstat(rp[0], &sb), 0);
	struct kid k = { .pid = fork(), .said = -1, .ready_ino = (unsigned long)sb.st_ino };
	ck_assert_int_ne(k.pid, -1);
	if (k.pid == 0) {
		close(rp[0]);
		fn(rp[1], arg);
		_exit(126);
	}
	track(k.pid, true);
	close(rp[1]);
	struct pollfd pfd = { .fd = rp[0], .events = POLLIN };
	ck_assert_msg(poll(&pfd, 1, 2000) == 1, "child %d did not get ready in 2 s", (int)k.pid);
	int value;
	ssize_t n = read(rp[0], &value, sizeof value);
	close(rp[0]);
	if (n == (ssize_t)sizeof value)
		k.said = value;
	return k;
}

/* Moves fd to exactly `to`, with close-on-exec as given (0 or O_CLOEXEC). */
static void kid_place(int fd, int to, int cloexec)
{
	if (fd < 0)
		_exit(126);
	if (fd == to) {
		if (fcntl(fd, F_SETFD, cloexec ? FD_CLOEXEC : 0) < 0)
			_exit(126);
		return;
	}
	if (dup3(fd, to, cloexec) != to)
		_exit(126);
	close(fd);
}

/* ---- waiting for a child to get where it should ---- */

typedef bool probe_fn(pid_t pid, long arg);

static bool probe_blocked_in(pid_t pid, long nr)
{
	struct proc_syscall sc;
	return procfs_syscall(pid, &sc) == 0 && sc.what == SC_BLOCKED && sc.nr == nr;
}

static bool probe_running(pid_t pid, long unused)
{
	(void)unused;
	struct proc_syscall sc;
	return procfs_syscall(pid, &sc) == 0 && sc.what == SC_RUNNING;
}

static bool probe_state(pid_t pid, long state)
{
	struct proc_stat st;
	return procfs_stat(pid, &st) == 0 && st.state == (char)state;
}

static bool probe_exe(pid_t pid, long unused)
{
	(void)unused;
	char exe[64];
	return procfs_exe_name(pid, exe, sizeof exe) == 0 && strcmp(exe, "sleep") == 0;
}

/* Polls probe(pid, arg) up to 2 s in 1 ms steps. */
static bool wait_for(probe_fn *probe, pid_t pid, long arg)
{
	const struct timespec ms = { 0, 1000000 };
	for (int i = 0; i < WAIT_STEPS; i++) {
		if (probe(pid, arg))
			return true;
		nanosleep(&ms, NULL);
	}
	return probe(pid, arg);
}

static void assert_wchan_in(pid_t pid, const char *const *names)
{
	char w[64];
	ck_assert_int_eq(procfs_wchan(pid, w, sizeof w), 0);
	for (size_t i = 0; names[i]; i++)
		if (strcmp(w, names[i]) == 0)
			return;
	ck_abort_msg("unexpected wchan \"%s\"", w);
}

/* ---- the children ---- */

/* fds: 0-2 /dev/null, 3 shared pipe's read end, 4 the same pipe reopened O_RDWR, 5/6 a new
 * pipe (close-on-exec), 7 /dev/null, 8 shared pipe's write end (close-on-exec), 9 the readiness
 * pipe, 20 a close-on-exec dup of 5. Then it blocks in read(5). */
static void kid_layout(int ready, const void *arg)
{
	const int *shared = arg;
	int r = fcntl(ready, F_DUPFD, 100), sr = fcntl(shared[0], F_DUPFD, 100);
	int sw = fcntl(shared[1], F_DUPFD, 100), p[2];
	if (r < 0 || sr < 0 || sw < 0 || close_range(0, 99, 0) < 0)
		return;
	kid_place(open("/dev/null", O_RDWR | O_CLOEXEC), 0, 0);
	kid_place(dup(0), 1, 0);
	kid_place(dup(0), 2, 0);
	kid_place(sr, 3, 0);
	kid_place(open("/proc/self/fd/3", O_RDWR), 4, 0);
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	kid_place(p[0], 5, O_CLOEXEC);
	kid_place(p[1], 6, O_CLOEXEC);
	kid_place(open("/dev/null", O_RDONLY | O_CLOEXEC), 7, O_CLOEXEC);
	kid_place(sw, 8, O_CLOEXEC);
	kid_place(r, 9, 0);
	if (close_range(10, ~0U, 0) < 0 || fcntl(5, F_DUPFD_CLOEXEC, 20) != 20)
		return;
	kid_ready(9, 0);
	char c;
	for (;;)
		(void)!read(5, &c, 1);
}

/* Names itself arg (NULL: keeps its name), then blocks in read(fd, buf, 7) on an empty pipe. */
static void kid_reader(int ready, const void *arg)
{
	int p[2];
	if ((arg && prctl(PR_SET_NAME, arg) < 0) || pipe2(p, O_CLOEXEC) < 0)
		return;
	kid_ready(ready, p[0]);
	char buf[8];
	for (;;)
		(void)!read(p[0], buf, 7);
}

/* Fills a pipe (non-blocking writes until EAGAIN), then blocks in write(fd, "x", 1). */
static void kid_writer(int ready, const void *arg)
{
	(void)arg;
	int p[2];
	static char block[4096];
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	while (write(p[1], block, sizeof block) > 0)
		;
	while (write(p[1], block, 1) > 0)
		;
	if (errno != EAGAIN || fcntl(p[1], F_SETFL, 0) < 0)
		return;
	kid_ready(ready, p[1]);
	for (;;)
		(void)!write(p[1], "x", 1);
}

/* Names itself arg (NULL: keeps its name) and blocks in pause(). */
static void kid_pause(int ready, const void *arg)
{
	if (arg && prctl(PR_SET_NAME, arg) < 0)
		return;
	kid_ready(ready, 0);
	for (;;)
		pause();
}

/* Forks a grandchild that pauses, sends its pid, waits for it, then pauses. */
static void kid_waiter(int ready, const void *arg)
{
	(void)arg;
	pid_t g = fork();
	if (g < 0)
		return;
	if (g == 0) {
		for (;;)
			pause();
	}
	kid_ready(ready, g);
	while (waitpid(g, NULL, 0) < 0 && errno == EINTR)
		;
	for (;;)
		pause();
}

/* Spins without system calls, counting its laps in *arg (shared memory). */
static void kid_busy(int ready, const void *arg)
{
	volatile unsigned long *laps = (volatile unsigned long *)arg;
	kid_ready(ready, 0);
	for (;;)
		(*laps)++;
}

/* execs arg (a path) as "sleep 100". */
static void kid_exec_sleep(int ready, const void *arg)
{
	(void)ready;
	execl(arg, "sleep", "100", (char *)NULL);
}

static void kid_exit(int ready, const void *arg)
{
	(void)ready;
	(void)arg;
	_exit(0);
}

/* ---- tests ---- */

struct want_fd {
	int fd;
	enum pipe_end end;
	bool cloexec;
	unsigned long inode;
};

START_TEST(pipe_fds_exact)
{
	int shared[2];
	ck_assert_int_eq(pipe2(shared, O_CLOEXEC), 0);
	struct stat sb;
	ck_assert_int_eq(fstat(shared[0], &sb), 0);
	unsigned long shared_ino = (unsigned long)sb.st_ino;

	struct kid k = kid_start(kid_layout, shared);
	ck_assert_int_eq(k.said, 0);
	ck_assert(wait_for(probe_blocked_in, k.pid, SYS_read));

	struct proc_fds f = PROC_FDS_INIT;
	ck_assert_int_eq(procfs_pipe_fds(k.pid, &f), 0);
	ck_assert_int_eq(f.total, 11);
	ck_assert_uint_eq(f.n, 7);
	unsigned long fresh = f.v[2].inode;
	ck_assert_uint_ne(fresh, shared_ino);
	ck_assert_uint_ne(fresh, k.ready_ino);
	ck_assert_uint_ne(shared_ino, k.ready_ino);
	const struct want_fd want[] = {
		{ 3, END_READ, false, shared_ino }, { 4, END_BOTH, false, shared_ino },
		{ 5, END_READ, true, fresh },       { 6, END_WRITE, true, fresh },
		{ 8, END_WRITE, true, shared_ino }, { 9, END_WRITE, false, k.ready_ino },
		{ 20, END_READ, true, fresh },
	};
	for (size_t i = 0; i < 7; i++) {
		ck_assert_int_eq(f.v[i].fd, want[i].fd);
		ck_assert_msg(f.v[i].end == want[i].end, "fd %d: end %d", f.v[i].fd, f.v[i].end);
		ck_assert_msg(f.v[i].cloexec == want[i].cloexec, "fd %d: cloexec", f.v[i].fd);
		ck_assert_uint_eq(f.v[i].inode, want[i].inode);
		ck_assert_ptr_eq(proc_fds_find(&f, want[i].fd), &f.v[i]);
	}
	ck_assert_ptr_null(proc_fds_find(&f, 0));
	ck_assert_ptr_null(proc_fds_find(&f, 7));
	ck_assert_ptr_null(proc_fds_find(&f, 10));
	ck_assert_ptr_null(proc_fds_find(&f, 21));

	/* A second read replaces the first. */
	ck_assert_int_eq(procfs_pipe_fds(k.pid, &f), 0);
	ck_assert_uint_eq(f.n, 7);
	ck_assert_int_eq(f.total, 11);

	/* Our own copies of the shared pipe. */
	ck_assert_int_eq(procfs_pipe_fds(getpid(), &f), 0);
	const struct proc_fd *r = proc_fds_find(&f, shared[0]), *w = proc_fds_find(&f, shared[1]);
	ck_assert(r && r->end == END_READ && r->cloexec && r->inode == shared_ino);
	ck_assert(w && w->end == END_WRITE && w->cloexec && w->inode == shared_ino);
	/* Reading ourselves, total includes the call's own /proc/self and fd directory fds. */
	ck_assert_int_eq(f.total, tu_count_fds() + 2);

	proc_fds_free(&f);
	ck_assert_ptr_null(f.v);
	ck_assert_uint_eq(f.n, 0);
	kid_kill(k.pid);
	close(shared[0]);
	close(shared[1]);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

static const struct proc_file *file_fd(const struct proc_files *f, int fd)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].fd == fd)
			return &f->v[i];
	return NULL;
}

/* procfs_fds(): besides the pipes, every other fd above 2, with what it is, its name and its
 * access mode; a file deleted while open by its name without " (deleted)". */
START_TEST(other_fds)
{
	char *dir = tu_mkdtemp();
	char *file = xasprintf("%s/in put.txt", dir), *gone = xasprintf("%s/gone.txt", dir);
	char *fifo = xasprintf("%s/fifo", dir);
	int fdf = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	int fdg = open(gone, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_eq(unlink(gone), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	int fdq = open(fifo, O_RDWR | O_CLOEXEC);
	int fdd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fdn = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int sv[2], p[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert(fdf > 2 && fdg > 2 && fdq > 2 && fdd > 2 && fdn > 2);

	struct proc_fds pipes = PROC_FDS_INIT;
	struct proc_files files = PROC_FILES_INIT;
	ck_assert_int_eq(procfs_fds(getpid(), &pipes, &files), 0);
	ck_assert_ptr_nonnull(proc_fds_find(&pipes, p[0]));
	ck_assert_ptr_nonnull(proc_fds_find(&pipes, p[1]));
	ck_assert_ptr_null(file_fd(&files, p[0]));
	for (size_t i = 0; i < files.n; i++) {
		ck_assert_int_gt(files.v[i].fd, 2);
		ck_assert(i == 0 || files.v[i - 1].fd < files.v[i].fd);
	}
	const struct {
		int fd;
		enum proc_file_kind kind;
		const char *name;
		enum pipe_end mode;
	} want[] = {
		{ fdf, PFK_FILE, "in put.txt", END_WRITE },
		{ fdg, PFK_FILE, "gone.txt", END_BOTH },
		{ fdq, PFK_FIFO, "fifo", END_BOTH },
		{ fdn, PFK_DEVICE, "/dev/null", END_READ },
		{ sv[0], PFK_SOCKET, "", END_BOTH },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct proc_file *f = file_fd(&files, want[i].fd);
		ck_assert_msg(f != NULL, "fd %d not listed", want[i].fd);
		ck_assert_int_eq(f->kind, want[i].kind);
		ck_assert_str_eq(f->name, want[i].name);
		ck_assert_int_eq(f->mode, want[i].mode);
	}
	const struct proc_file *d = file_fd(&files, fdd);
	ck_assert(d && d->kind == PFK_DIR && d->mode == END_READ);
	char *base = path_basename(dir);
	ck_assert_str_eq(d->name, base);
	free(base);

	/* Without a list for them, only pipes; a process that has gone: -1 and nothing. */
	ck_assert_int_eq(procfs_fds(getpid(), &pipes, NULL), 0);
	ck_assert_int_eq(procfs_pipe_fds(getpid(), &pipes), 0);
	ck_assert_int_eq(procfs_fds(-5, &pipes, &files), -1);
	ck_assert_uint_eq(files.n, 0);
	ck_assert_uint_eq(pipes.n, 0);
	proc_files_free(&files);
	ck_assert_ptr_null(files.v);
	proc_fds_free(&pipes);
	int all[] = { fdf, fdg, fdq, fdd, fdn, sv[0], sv[1], p[0], p[1] };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		close(all[i]);
	free(file);
	free(gone);
	free(fifo);
	tu_rmdir(dir);
}
END_TEST

START_TEST(blocked_reader)
{
	struct kid k = kid_start(kid_reader, "reader");
	ck_assert_int_ge(k.said, 3);
	ck_assert(wait_for(probe_blocked_in, k.pid, SYS_read));

	struct proc_stat st, me;
	ck_assert_int_eq(procfs_stat(k.pid, &st), 0);
	ck_assert_int_eq(procfs_stat(getpid(), &me), 0);
	ck_assert_int_eq(st.state, 'S');
	ck_assert_str_eq(st.comm, "reader");
	ck_assert_int_eq(st.ppid, getpid());
	ck_assert_int_eq(st.pgid, getpgid(k.pid));
	ck_assert_int_eq(st.sid, getsid(k.pid));
	ck_assert_int_eq(st.threads, 1);
	ck_assert_uint_ge(st.start_time, me.start_time);
	ck_assert_uint_ge(st.ctxt_switches, 1);
	ck_assert_int_eq(me.state, 'R');

	static const char *const names[] = { "anon_pipe_read", "pipe_read", "pipe_wait", NULL };
	assert_wchan_in(k.pid, names);

	struct proc_syscall sc;
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), 0);
	ck_assert_int_eq(sc.what, SC_BLOCKED);
	ck_assert_int_eq(sc.nr, SYS_read);
	ck_assert_uint_eq(sc.args[0], (unsigned long long)k.said);
	ck_assert_uint_ne(sc.args[1], 0);
	ck_assert_uint_eq(sc.args[2], 7);
	kid_kill(k.pid);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

/* The command name is the program's choice: ") " inside it must not shift the fields. */
START_TEST(comm_with_parens)
{
	static const char *const names[] = { "a) (b", ") Z 1 2 (x) )" };
	for (size_t i = 0; i < 2; i++) {
		struct kid k = kid_start(kid_pause, names[i]);
		ck_assert_int_eq(k.said, 0);
		ck_assert(wait_for(probe_blocked_in, k.pid, SYS_pause));
		struct proc_stat st;
		ck_assert_int_eq(procfs_stat(k.pid, &st), 0);
		ck_assert_str_eq(st.comm, names[i]);
		ck_assert_int_eq(st.state, 'S');
		ck_assert_int_eq(st.ppid, getpid());
		ck_assert_int_eq(st.pgid, getpgid(k.pid));
		ck_assert_int_eq(st.threads, 1);
		kid_kill(k.pid);
	}
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(blocked_writer)
{
	struct kid k = kid_start(kid_writer, NULL);
	ck_assert_int_ge(k.said, 3);
	ck_assert(wait_for(probe_blocked_in, k.pid, SYS_write));
	ck_assert(probe_state(k.pid, 'S'));
	static const char *const names[] = { "anon_pipe_write", "pipe_write", "pipe_wait", NULL };
	assert_wchan_in(k.pid, names);
	struct proc_syscall sc;
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), 0);
	ck_assert_int_eq(sc.what, SC_BLOCKED);
	ck_assert_int_eq(sc.nr, SYS_write);
	ck_assert_uint_eq(sc.args[0], (unsigned long long)k.said);
	ck_assert_uint_eq(sc.args[2], 1);
	kid_kill(k.pid);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(blocked_in_pause)
{
	struct kid k = kid_start(kid_pause, NULL);
	ck_assert(wait_for(probe_blocked_in, k.pid, SYS_pause));
	ck_assert(probe_state(k.pid, 'S'));
	char w[64];
	ck_assert_int_eq(procfs_wchan(k.pid, w, sizeof w), 0);
	ck_assert_msg(strstr(w, "pause") != NULL, "wchan \"%s\"",
		      w); /* __do_sys_pause, sys_pause */

	/* Stopped inside pause(): still reported as the call, the state tells it is stopped. */
	ck_assert_int_eq(kill(k.pid, SIGSTOP), 0);
	ck_assert(wait_for(probe_state, k.pid, 'T'));
	struct proc_syscall sc;
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), 0);
	ck_assert_int_eq(sc.what, SC_BLOCKED);
	ck_assert_int_eq(sc.nr, SYS_pause);
	ck_assert_int_eq(procfs_wchan(k.pid, w, sizeof w), 0);
	ck_assert_str_eq(w, "do_signal_stop");
	kid_kill(k.pid);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(blocked_in_waitpid)
{
	struct kid k = kid_start(kid_waiter, NULL);
	pid_t g = k.said;
	ck_assert_int_gt(g, 0);
	track(g, false);
	ck_assert(wait_for(probe_blocked_in, k.pid, SYS_wait4));
	static const char *const names[] = { "do_wait", NULL };
	assert_wchan_in(k.pid, names);
	struct proc_syscall sc;
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), 0);
	ck_assert_int_eq((pid_t)sc.args[0], g);

	struct proc_stat st;
	ck_assert_int_eq(procfs_stat(g, &st), 0);
	ck_assert_int_eq(st.ppid, k.pid);

	/* The grandchild dies; the child reaps it and goes on to pause(). */
	ck_assert_int_eq(kill(g, SIGKILL), 0);
	ck_assert(wait_for(probe_blocked_in, k.pid, SYS_pause));
	untrack(g);
	ck_assert_int_eq(procfs_stat(g, &st), -1);
	kid_kill(k.pid);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(busy_then_stopped)
{
	volatile unsigned long *laps = mmap(NULL, sizeof *laps, PROT_READ | PROT_WRITE,
					    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne((void *)laps, MAP_FAILED);
	struct kid k = kid_start(kid_busy, (const void *)laps);
	ck_assert_int_eq(k.said, 0);
	ck_assert(wait_for(probe_running, k.pid, 0));
	ck_assert(probe_state(k.pid, 'R'));
	/* "running" only says runnable: it may still be on its way out of the readiness write().
	 * Laps counted after that prove it is back in its own code. */
	unsigned long seen = *laps;
	for (int i = 0; i < WAIT_STEPS && *laps == seen; i++)
		usleep(1000);
	ck_assert_uint_ne(*laps, seen);
	char w[64];
	ck_assert_int_eq(procfs_wchan(k.pid, w, sizeof w), 0);
	ck_assert_str_eq(w, "");

	/* Stopped while running its own code: blocked, but in no system call. */
	ck_assert_int_eq(kill(k.pid, SIGSTOP), 0);
	ck_assert(wait_for(probe_state, k.pid, 'T'));
	struct proc_syscall sc;
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), 0);
	ck_assert_msg(sc.what == SC_UNKNOWN && sc.nr == -1, "what %d nr %ld", (int)sc.what, sc.nr);
	ck_assert_int_eq(procfs_wchan(k.pid, w, sizeof w), 0);
	ck_assert_str_eq(w, "do_signal_stop");
	kid_kill(k.pid);
	munmap((void *)laps, sizeof *laps);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

/* A zombie still answers stat but has no fds, wchan, syscall or exe; once reaped, nothing. */
START_TEST(zombie_then_vanished)
{
	struct proc_fds f = PROC_FDS_INIT;
	ck_assert_int_eq(procfs_pipe_fds(getpid(), &f), 0);
	ck_assert_int_gt(f.total, 0);

	struct kid k = kid_start(kid_exit, NULL);
	ck_assert_int_eq(k.said, -1);
	ck_assert(wait_for(probe_state, k.pid, 'Z'));
	struct proc_stat st;
	struct proc_syscall sc;
	char s[64] = "x";
	ck_assert_int_eq(procfs_pipe_fds(k.pid, &f), 0);
	ck_assert_uint_eq(f.n, 0);
	ck_assert_int_eq(f.total, 0);
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), 0);
	ck_assert_int_eq(sc.what, SC_UNKNOWN);
	ck_assert_int_eq(procfs_wchan(k.pid, s, sizeof s), 0);
	ck_assert_str_eq(s, "");
	errno = 0;
	ck_assert_int_eq(procfs_exe_name(k.pid, s, sizeof s), -1);
	ck_assert_int_eq(errno, ENOENT);

	int status;
	ck_assert_int_eq(waitpid(k.pid, &status, 0), k.pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	untrack(k.pid);

	/* Our own pipe, so the table is not empty whatever our stdout is. */
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(procfs_pipe_fds(getpid(), &f), 0);
	close(p[0]);
	close(p[1]);
	ck_assert_uint_ge(f.n, 2);
	errno = 0;
	ck_assert_int_eq(procfs_pipe_fds(k.pid, &f), -1);
	ck_assert(errno == ENOENT || errno == ESRCH);
	ck_assert_uint_eq(f.n, 0);
	ck_assert_int_eq(f.total, 0);
	errno = 0;
	ck_assert_int_eq(procfs_stat(k.pid, &st), -1);
	ck_assert(errno == ENOENT || errno == ESRCH);
	errno = 0;
	ck_assert_int_eq(procfs_wchan(k.pid, s, sizeof s), -1);
	ck_assert(errno == ENOENT || errno == ESRCH);
	errno = 0;
	ck_assert_int_eq(procfs_syscall(k.pid, &sc), -1);
	ck_assert(errno == ENOENT || errno == ESRCH);
	errno = 0;
	ck_assert_int_eq(procfs_exe_name(k.pid, s, sizeof s), -1);
	ck_assert(errno == ENOENT || errno == ESRCH);
	proc_fds_free(&f);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(exe_after_exec)
{
	struct kid k = kid_start(kid_exec_sleep, "/bin/sleep");
	ck_assert_int_eq(k.said, -1);
	ck_assert(wait_for(probe_exe, k.pid, 0));
	char exe[64], small[4];
	ck_assert_int_eq(procfs_exe_name(k.pid, exe, sizeof exe), 0);
	ck_assert_str_eq(exe, "sleep");
	ck_assert_int_eq(procfs_exe_name(k.pid, small, sizeof small), 0);
	ck_assert_str_eq(small, "sle");
	struct proc_stat st;
	ck_assert_int_eq(procfs_stat(k.pid, &st), 0);
	ck_assert_str_eq(st.comm, "sleep");
	kid_kill(k.pid);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

/* The program file is removed while it runs: the kernel adds " (deleted)" to the link. */
START_TEST(exe_deleted)
{
	struct buf bin = BUF_INIT;
	ck_assert_int_eq(read_file("/bin/sleep", &bin), 0);
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/my sleep", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write_all(fd, bin.data, bin.len), 0);
	ck_assert_int_eq(close(fd), 0);
	buf_free(&bin);

	struct kid k = kid_start(kid_exec_sleep, path);
	ck_assert_int_eq(k.said, -1);
	char exe[64], link[PATH_MAX], proc[64];
	for (int i = 0; i < WAIT_STEPS; i++) {
		if (procfs_exe_name(k.pid, exe, sizeof exe) == 0 && strcmp(exe, "my sleep") == 0)
			break;
		usleep(1000);
	}
	ck_assert_str_eq(exe, "my sleep");
	ck_assert_int_eq(unlink(path), 0);
	snprintf(proc, sizeof proc, "/proc/%d/exe", (int)k.pid);
	ssize_t len = readlink(proc, link, sizeof link - 1);
	ck_assert_int_gt(len, 0);
	link[len] = '\0';
	ck_assert_msg(strstr(link, "/my sleep (deleted)") != NULL, "exe link \"%s\"", link);
	ck_assert_int_eq(procfs_exe_name(k.pid, exe, sizeof exe), 0);
	ck_assert_str_eq(exe, "my sleep");
	kid_kill(k.pid);
	free(path);
	tu_rmdir(dir);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

/* Live or not: ourselves, a zombie, a process that has gone. */
START_TEST(live_zombie_gone)
{
	ck_assert(procfs_is_live(getpid()));
	struct kid k = kid_start(kid_exit, NULL);
	ck_assert(wait_for(probe_state, k.pid, 'Z'));
	ck_assert(!procfs_is_live(k.pid));
	struct proc_stat st;
	ck_assert_int_eq(procfs_stat(k.pid, &st), 0);
	ck_assert_int_eq(st.tgid, k.pid);
	ck_assert_int_eq(st.vm_peak_kib, 0); /* a zombie has no memory left */
	int status;
	ck_assert_int_eq(waitpid(k.pid, &status, 0), k.pid);
	untrack(k.pid);
	ck_assert(!procfs_is_live(k.pid));
	ck_assert(!procfs_fd_is_pipe(k.pid, 0));
	char target[16] = "x";
	ck_assert_int_eq(procfs_fd_target(k.pid, 0, target, sizeof target), -1);
	ck_assert_str_eq(target, "");
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

/* One fd at a time: a pipe's two ends, a file, a socket, a closed fd, no fd at all. */
START_TEST(one_fd)
{
	int p[2], sv[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(null, 0);
	pid_t self = getpid();
	ck_assert(procfs_fd_is_pipe(self, p[0]));
	ck_assert(procfs_fd_is_pipe(self, p[1]));
	ck_assert(!procfs_fd_is_pipe(self, null));
	ck_assert(!procfs_fd_is_pipe(self, sv[0]));
	ck_assert(!procfs_fd_is_pipe(self, -1));

	char target[64], small[4];
	ck_assert_int_eq(procfs_fd_target(self, null, target, sizeof target), 0);
	ck_assert_str_eq(target, "/dev/null");
	ck_assert_int_eq(procfs_fd_target(self, null, small, sizeof small), 0);
	ck_assert_str_eq(small, "/de");
	ck_assert_int_eq(procfs_fd_target(self, sv[0], target, sizeof target), 0);
	ck_assert_msg(strncmp(target, "socket:[", 8) == 0, "%s", target);
	struct stat st;
	ck_assert_int_eq(fstat(p[0], &st), 0);
	char want[64];
	snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
	ck_assert_int_eq(procfs_fd_target(self, p[0], target, sizeof target), 0);
	ck_assert_str_eq(target, want);

	int closed = p[1];
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(null);
	ck_assert(!procfs_fd_is_pipe(self, closed));
	errno = 0;
	ck_assert_int_eq(procfs_fd_target(self, closed, target, sizeof target), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(target, "");
	ck_assert_int_eq(procfs_fd_target(self, -1, target, sizeof target), -1);
}
END_TEST

static pid_t thread_tid;
static int thread_done[2];

static void *thread_main(void *arg)
{
	(void)arg;
	__atomic_store_n(&thread_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	char c;
	while (read(thread_done[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A thread's id answers with its process as thread group; the process's own peak memory is
 * there. */
START_TEST(thread_group_and_peak)
{
	struct proc_stat st;
	ck_assert_int_eq(procfs_stat(getpid(), &st), 0);
	ck_assert_int_eq(st.tgid, getpid());
	ck_assert_int_gt(st.vm_peak_kib, 0);

	ck_assert_int_eq(pipe2(thread_done, O_CLOEXEC), 0);
	thread_tid = 0;
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, thread_main, NULL), 0);
	for (int i = 0; i < WAIT_STEPS && !__atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	pid_t tid = __atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST);
	ck_assert_int_gt(tid, 0);
	ck_assert_int_ne(tid, getpid());
	ck_assert_int_eq(procfs_stat(tid, &st), 0);
	ck_assert_int_eq(st.tgid, getpid());
	ck_assert(procfs_is_live(tid));
	ck_assert_int_eq(write(thread_done[1], "x", 1), 1);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	close(thread_done[0]);
	close(thread_done[1]);
}
END_TEST

Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("procfs");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, pipe_fds_exact);
	tcase_add_test(tc, other_fds);
	tcase_add_test(tc, blocked_reader);
	tcase_add_test(tc, comm_with_parens);
	tcase_add_test(tc, blocked_writer);
	tcase_add_test(tc, blocked_in_pause);
	tcase_add_test(tc, blocked_in_waitpid);
	tcase_add_test(tc, busy_then_stopped);
	tcase_add_test(tc, zombie_then_vanished);
	tcase_add_test(tc, exe_after_exec);
	tcase_add_test(tc, exe_deleted);
	tcase_add_test(tc, live_zombie_gone);
	tcase_add_test(tc, one_fd);
	tcase_add_test(tc, thread_group_and_peak);
	suite_add_tcase(s, tc);
	return s;
}
