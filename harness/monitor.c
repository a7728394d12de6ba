/* monitor.c: the monitor's life cycle, ptrace events and the process table (see monitor.h). */
#include "monitor_int.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

struct monitor *monitor_new(void)
{
	struct monitor *m = xcalloc(1, sizeof *m);
	m->stuck = FINDING_PASS;
	m->sampled_at = -1;
	m->start = now_monotonic();
	m->next_tick = m->start + WATCH_TICK_S;
	return m;
}

void monitor_set_interpreted(struct monitor *m, const char *script)
{
	m->interpreted = true;
	snprintf(m->script, sizeof m->script, "%s", script);
}

void monitor_set_stdio(struct monitor *m, const struct monitor_stdio *stdio)
{
	m->stdio = *stdio;
	m->start = now_monotonic();
	m->next_tick = m->start + WATCH_TICK_S;
}

static void mproc_free(struct mproc *p)
{
	proc_fds_free(&p->fds);
	proc_fds_free(&p->at_exec);
	proc_fds_free(&p->at_exit);
	proc_files_free(&p->exec_files);
	proc_files_free(&p->exit_files);
	pidlist_free(&p->unwaited);
	monitor_stack_free(p->forked_at);
	monitor_stack_free(p->pipe_call);
	monitor_image_unref(p->image);
	if (p->s.pidfd >= 0)
		close(p->s.pidfd);
}

void monitor_free(struct monitor *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nprocs; i++)
		mproc_free(&m->procs[i]);
	for (size_t i = 0; i < m->npipes; i++) {
		pidlist_free(&m->pipes[i].writers);
		pidlist_free(&m->pipes[i].readers);
		pidlist_free(&m->pipes[i].write_only);
		pidlist_free(&m->pipes[i].read_only);
		monitor_stack_free(m->pipes[i].made);
	}
	free(m->procs);
	free(m->pipes);
	pidlist_free(&m->threads);
	monitor_facts_free(m->stuck_facts);
	monitor_schedule_free(&m->schedule);
	monitor_sched_end(m);
	free(m);
}

/* ---- the seccomp filter: close-like calls, pipe() and write() on fd 1 go to the tracer,
 * everything else runs ---- */

/* Where the low 32 bits of a system call's argument i are in struct seccomp_data. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG_LOW(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#else
#define ARG_LOW(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#endif

/* The start of a filter: a call of another architecture is let through, and each of `calls`
 * jumps to the RET_TRACE that comes `between` instructions after the last jump. Returns the
 * instructions written. */
static size_t filter_calls(struct sock_filter *f, const long *calls, size_t count, size_t between)
{
	size_t n = 0;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FILTER_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < count; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)calls[i],
						      (unsigned char)(count - 1 - i + between), 0);
	return n;
}

int monitor_prepare(struct monitor *m)
{
#ifdef FILTER_ARCH
	struct sock_filter *f = m->insns;
	size_t n;
	if (m->sched) {
		/* stress mode: every call the scheduler may hold a process at (monitor_sched.c),
		 * whatever its arguments */
		n = filter_calls(f, monitor_sched_traced, monitor_sched_ntraced, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
		m->filter.len = (unsigned short)n;
		m->filter.filter = m->insns;
		return 0;
	}
	static const long traced[] = {
		SYS_close, SYS_dup2, SYS_dup3, SYS_close_range, SYS_pipe2,
#ifdef SYS_pipe
		SYS_pipe,
#endif
	};
	n = filter_calls(f, traced, sizeof traced / sizeof traced[0], 7);
	/* write() on fd 1 of more than one byte: write's fd is an unsigned int, the low word of
	 * args[0]; a count of 1 (the low word of args[2]: no write is 4 GiB) is let through, so
	 * that a program copying byte by byte to stdout pays nothing for it. */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 0, 5);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(0));
	/* an interpreted program's writes on fd 2 too (a traceback), whatever their size */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STDERR_FILENO,
					      m->interpreted ? 4 : 0, 0);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STDOUT_FILENO, 0, 2);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 1, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	m->filter.len = (unsigned short)n;
	m->filter.filter = m->insns;
#else
	m->filter.len = 0;
#endif
	return 0;
}

int monitor_child_setup(const struct monitor *m)
{
	if (m->filter.len == 0)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &m->filter, 0, 0);
}

/* ---- the process and pipe tables ---- */

static double since_start(const struct monitor *m)
{
	return now_monotonic() - m->start;
}

struct mproc *monitor_proc(struct monitor *m, pid_t pid)
{
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].pid == pid)
			return &m->procs[i];
	return NULL;
}

static struct mproc *add_proc(struct monitor *m, pid_t pid)
{
	ALLOC_GROW(m->procs, m->nprocs + 1, m->cap);
	struct mproc *p = &m->procs[m->nprocs++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->alive = true;
	p->t_start = since_start(m);
	p->t_exec = p->t_end = -1;
	p->out_fd1 = -1;
	p->err_fd2 = -1;
	p->s.pidfd = -1;
	return p;
}

/* Pipe names: A..Z, then AA, AB... */
static void pipe_name(size_t index, char *out, size_t size)
{
	if (index < 26)
		snprintf(out, size, "%c", (char)('A' + index));
	else
		snprintf(out, size, "%c%c", (char)('A' + (index / 26 - 1) % 26),
			 (char)('A' + index % 26));
}

struct mpipe *monitor_pipe(struct monitor *m, unsigned long inode)
{
	size_t student = 0;
	for (size_t i = 0; i < m->npipes; i++) {
		if (m->pipes[i].inode == inode)
			return &m->pipes[i];
		student += !m->pipes[i].harness;
	}
	ALLOC_GROW(m->pipes, m->npipes + 1, m->pipes_cap);
	struct mpipe *pp = &m->pipes[m->npipes++];
	memset(pp, 0, sizeof *pp);
	pp->inode = inode;
	const char *std = inode == m->stdio.in_inode    ? "stdin"
			  : inode == m->stdio.out_inode ? "stdout"
			  : inode == m->stdio.err_inode ? "stderr"
							: NULL;
	pp->harness = std != NULL;
	if (std)
		snprintf(pp->name, sizeof pp->name, "%s", std);
	else
		pipe_name(student, pp->name, sizeof pp->name);
	return pp;
}

int monitor_pipe_index(struct monitor *m, unsigned long inode)
{
	return (int)(monitor_pipe(m, inode) - m->pipes);
}

void monitor_observe(struct monitor *m, struct mproc *p, const struct proc_fds *fds)
{
	for (size_t i = 0; i < fds->n; i++) {
		struct mpipe *pp = monitor_pipe(m, fds->v[i].inode);
		bool reads = false, writes = false;
		for (size_t k = 0; k < fds->n; k++) {
			if (fds->v[k].inode != pp->inode)
				continue;
			reads = reads || fds->v[k].end != END_WRITE;
			writes = writes || fds->v[k].end != END_READ;
		}
		if (writes && !pidlist_has(&pp->writers, p->pid))
			pidlist_add(&pp->writers, p->pid);
		if (reads && !pidlist_has(&pp->readers, p->pid))
			pidlist_add(&pp->readers, p->pid);
		if (writes && !reads && !pidlist_has(&pp->write_only, p->pid))
			pidlist_add(&pp->write_only, p->pid);
		if (reads && !writes && !pidlist_has(&pp->read_only, p->pid))
			pidlist_add(&pp->read_only, p->pid);
	}
}

/* The pipe fds of `p` into `into`, and its other fds above 2 into `files` (NULL: not them). */
static void snapshot(struct monitor *m, struct mproc *p, struct proc_fds *into,
		     struct proc_files *files)
{
	if (procfs_fds(p->pid, into, files) == 0) {
		monitor_observe(m, p, into);
		if (into->total > m->max_fds)
			m->max_fds = into->total;
	}
}

/* ---- call sites ---- */

bool monitor_runs_student_code(const struct mproc *p)
{
	return !p->exe[0] && (p->parent != 0 || p->first_exec_done);
}

struct monitor_image *monitor_proc_image(const struct monitor *m, struct mproc *p)
{
	if (m->interpreted || !monitor_runs_student_code(p))
		return NULL;
	if (!p->image)
		p->image = monitor_image_new(p->pid);
	return p->image;
}

struct monitor_stack *monitor_site_stack(struct monitor *m, struct mproc *p, pid_t tid)
{
	if (m->stacks >= MONITOR_STACKS_MAX || !monitor_proc_image(m, p))
		return NULL;
	struct monitor_stack *s = monitor_stack_take(tid, p->image, MONITOR_SITE_STACK);
	m->stacks += s != NULL;
	return s;
}

/* ---- ptrace ---- */

#define TRACE_OPTIONS                                                                              \
	(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |     \
	 PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)

int monitor_attach(struct monitor *m, pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)TRACE_OPTIONS) < 0)
		return -1;
	struct mproc *p = add_proc(m, pid);
	p->seen_stop = true; /* seized, not auto-attached: no initial stop */
	monitor_sched_add(m, p, false);
	return 0;
}

/* A traced task that is not the leader of its thread group (a thread, not a process). */
static bool is_thread(pid_t tid)
{
	struct proc_stat st;
	return procfs_stat(tid, &st) == 0 && st.tgid != 0 && st.tgid != tid;
}

/* A fork, vfork or clone event of `p`: the new process gets its role and inherits p's fds.
 * Returns false when what was made is a thread (or nothing). */
static bool on_fork(struct monitor *m, struct mproc *p)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, p->pid, 0, &msg);
	pid_t kid = (pid_t)msg;
	if (kid <= 0)
		return false;
	if (is_thread(kid)) {
		if (!pidlist_has(&m->threads, kid))
			pidlist_add(&m->threads, kid);
		return false;
	}
	size_t at = (size_t)(p - m->procs);
	struct mproc *c = monitor_proc(m, kid);
	if (!c) {
		c = add_proc(m, kid);
		p = &m->procs[at]; /* add_proc may have moved the table */
	}
	c->parent = p->pid;
	c->out.at_fork = p->out.n; /* p is stopped at the fork: it wrote nothing since */
	if (!c->forked_at && (c->forked_at = monitor_site_stack(m, p, p->pid)) != NULL)
		c->image = monitor_image_ref(p->image); /* the same mappings, until it execs */
	p->nchildren++;
	int alive = 0;
	for (size_t i = 0; i < m->nprocs; i++)
		alive += m->procs[i].alive;
	if (alive > m->max_alive)
		m->max_alive = alive;
	if (!p->role[0])
		snprintf(c->role, sizeof c->role, "%d", p->nchildren);
	else
		snprintf(c->role, sizeof c->role, "%.30s.%d", p->role, p->nchildren);
	if (!p->exe[0])
		m->forks++;
	/* Right after fork the child's fd table is a copy of the parent's. */
	snapshot(m, p, &p->fds, NULL);
	ALLOC_GROW(c->fds.v, p->fds.n, c->fds.cap);
	if (p->fds.n)
		memcpy(c->fds.v, p->fds.v, p->fds.n * sizeof *c->fds.v);
	c->fds.n = p->fds.n;
	monitor_observe(m, c, &c->fds);
	monitor_sched_add(m, c, true);
	return true;
}

static void on_exec(struct monitor *m, struct mproc *p)
{
	p->out_fd1 = -1; /* an fd 1 with FD_CLOEXEC is gone */
	p->err_fd2 = -1;
	if (p->parent == 0 && !p->first_exec_done) {
		p->first_exec_done = true; /* pipegrade starting the student's program */
		return;
	}
	p->t_exec = since_start(m);
	procfs_exe_name(p->pid, p->exe, sizeof p->exe);
	monitor_image_unref(p->image); /* another program now */
	p->image = NULL;
	monitor_stack_free(p->pipe_call);
	p->pipe_call = NULL;
	snapshot(m, p, &p->at_exec, &p->exec_files);
	snapshot(m, p, &p->fds, NULL);
}

/* VmPeak of a process, in bytes (0 when unknown). */
static long long vm_peak(pid_t pid)
{
	struct proc_stat st;
	return procfs_stat(pid, &st) == 0 ? st.vm_peak_kib * 1024 : 0;
}

static void on_exit_stop(struct monitor *m, struct mproc *p)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, p->pid, 0, &msg);
	p->exit_status = (int)msg;
	p->exited_alone = WIFEXITED(p->exit_status);
	if (WIFSIGNALED(p->exit_status))
		p->term_signal = WTERMSIG(p->exit_status);
	/* Under an address-space limit a failed allocation is only seen in what follows: a
	 * process that ends badly near the limit. Its peak is still readable here. */
	if (!p->exited_alone || WEXITSTATUS(p->exit_status) != 0) {
		long long peak = vm_peak(p->pid);
		if (peak > m->vm_peak_failed)
			m->vm_peak_failed = peak;
	}
	if (!p->exited_alone)
		return;
	snapshot(m, p, &p->at_exit, &p->exit_files);
	proctree_children(p->pid, &p->unwaited);
}

/* Is fd of pid a pipe? (one readlink, before the full snapshot is worth taking) A system call's
 * argument that is no fd number is no pipe. */
static bool fd_is_pipe(pid_t pid, long fd)
{
	return fd >= 0 && fd <= INT_MAX && procfs_fd_is_pipe(pid, (int)fd);
}

static void drop_fd(struct proc_fds *fds, long fd)
{
	for (size_t i = 0; i < fds->n; i++) {
		if (fds->v[i].fd == fd) {
			memmove(&fds->v[i], &fds->v[i + 1], (fds->n - i - 1) * sizeof fds->v[0]);
			fds->n--;
			return;
		}
	}
}

/* A close-like call is about to run: what the process will hold after it. */
static void on_close_call(struct monitor *m, struct mproc *p, const struct syscall_info *info)
{
	long nr = (long)info->nr;
	long a0 = (long)info->args[0], a1 = (long)info->args[1];
	bool pipe_involved = nr == SYS_close_range
				     ? true
				     : fd_is_pipe(p->pid, a0) ||
					       (nr != SYS_close && fd_is_pipe(p->pid, a1));
	if (!pipe_involved || procfs_pipe_fds(p->pid, &p->fds) < 0)
		return;
	monitor_observe(m, p, &p->fds);
	if (nr == SYS_close) {
		drop_fd(&p->fds, a0);
	} else if (nr == SYS_close_range) {
		if (!(info->args[2] & CLOSE_RANGE_CLOEXEC))
			for (unsigned long long fd = info->args[0];
			     fd <= info->args[1] && fd < FD_CEILING; fd++)
				drop_fd(&p->fds, (long)fd);
	} else if (a0 != a1) { /* dup2/dup3: a1 becomes a copy of a0 */
		const struct proc_fd *from = proc_fds_find(&p->fds, (int)a0);
		struct proc_fd copy = from ? *from : (struct proc_fd){ .fd = -1 };
		drop_fd(&p->fds, a1);
		if (copy.fd >= 0) {
			copy.fd = (int)a1;
			ALLOC_GROW(p->fds.v, p->fds.n + 1, p->fds.cap);
			p->fds.v[p->fds.n++] = copy;
		}
	}
	monitor_observe(m, p, &p->fds);
}

/* A signal to a positive pid, where the program has no PID namespace of its own: only to a
 * process (or thread) of the case. */
static void on_signal_call(struct monitor *m, struct mproc *p, const struct syscall_info *info)
{
	pid_t target = (pid_t)(int)info->args[0];
	const struct mproc *t = monitor_proc(m, target);
	bool ours = (t && t->alive) || pidlist_has(&m->threads, target);
	if (ours || target == p->pid)
		return;
	monitor_skip_call(p->pid, -EPERM);
	m->signals_refused++;
}

/* Reads `len` bytes at `addr` of a stopped tracee into `out`: process_vm_readv(), or word by
 * word with PTRACE_PEEKDATA where that is refused. Returns the bytes read (fewer at an unmapped
 * page), or -1. */
static ssize_t peek_bytes(pid_t pid, unsigned long long addr, unsigned char *out, size_t len)
{
	struct iovec local = { out, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n >= 0 || (errno != ENOSYS && errno != EPERM))
		return n;
	size_t got = 0;
	while (got < len) {
		errno = 0;
		long word = ptrace(PTRACE_PEEKDATA, pid, (void *)(uintptr_t)(addr + got), 0);
		if (errno)
			break;
		size_t k = len - got < sizeof word ? len - got : sizeof word;
		memcpy(out + got, &word, k);
		got += k;
	}
	return got ? (ssize_t)got : -1;
}

/* Is `fd` of pid pipegrade's pipe `inode` (its stdout, its stderr)? (one readlink) */
static bool fd_is_ours(pid_t pid, int fd, unsigned long inode)
{
	char target[64], want[64];
	if (inode == 0 || procfs_fd_target(pid, fd, target, sizeof target))
		return false;
	snprintf(want, sizeof want, "pipe:[%lu]", inode);
	return strcmp(target, want) == 0;
}

/* A write() on fd 2 of an interpreted program: its last MONITOR_ERR_TAIL bytes to
 * pipegrade's stderr are kept (an uncaught exception's traceback is the last thing written). */
static void on_err_write(struct monitor *m, struct mproc *p, const struct syscall_info *info)
{
	if (p->err_fd2 < 0)
		p->err_fd2 = fd_is_ours(p->pid, STDERR_FILENO, m->stdio.err_inode);
	if (!p->err_fd2 || info->args[2] == 0)
		return;
	size_t len = info->args[2] < MONITOR_ERR_TAIL ? (size_t)info->args[2] : MONITOR_ERR_TAIL;
	unsigned long long from = info->args[1] + (info->args[2] - len); /* its last bytes */
	if (p->err_n + len > MONITOR_ERR_TAIL) { /* room: the oldest bytes go */
		size_t drop = p->err_n + len - MONITOR_ERR_TAIL;
		memmove(p->err_tail, p->err_tail + drop, p->err_n - drop);
		p->err_n -= drop;
	}
	ssize_t got = peek_bytes(p->pid, from, p->err_tail + p->err_n, len);
	if (got > 0)
		p->err_n += (size_t)got;
}

/* A write() on fd 1 is about to run: the first MONITOR_OUT_HEAD bytes a process writes to
 * pipegrade's stdout are kept, to say later who wrote what. Once they are there, a write costs
 * the stop alone. */
static void on_write_call(struct monitor *m, struct mproc *p, const struct syscall_info *info)
{
	if ((unsigned int)info->args[0] == STDERR_FILENO) {
		on_err_write(m, p, info);
		return;
	}
	size_t room = sizeof p->out.head - p->out.n;
	if (room == 0 || info->args[2] == 0)
		return;
	if (p->out_fd1 < 0)
		p->out_fd1 = fd_is_ours(p->pid, STDOUT_FILENO, m->stdio.out_inode);
	if (!p->out_fd1)
		return;
	size_t len = info->args[2] < room ? (size_t)info->args[2] : room;
	ssize_t got = peek_bytes(p->pid, info->args[1], p->out.head + p->out.n, len);
	if (got > 0)
		p->out.n += (size_t)got;
}

/* Can this close-like call change what `fd` is? */
static bool touches_fd(const struct syscall_info *info, unsigned int fd)
{
	long nr = (long)info->nr;
	if (nr == SYS_close)
		return (unsigned int)info->args[0] == fd;
	if (nr == SYS_dup2 || nr == SYS_dup3)
		return (unsigned int)info->args[1] == fd;
	return nr == SYS_close_range && info->args[0] <= fd && info->args[1] >= fd;
}

/* pipe() or pipe2() is about to run in the student's program: its stack is kept, and the
 * call's return awaited (a syscall-exit stop) to learn which pipe it made. Returns whether to
 * stop at that return. */
static bool on_pipe_call(struct monitor *m, struct mproc *p, const struct syscall_info *info)
{
	if (p->pipe_call)
		m->stacks--;
	monitor_stack_free(p->pipe_call);
	p->pipe_call = monitor_site_stack(m, p, p->pid);
	p->pipe_fds_addr = info->args[0];
	return p->pipe_call != NULL;
}

/* The pipe() seen by on_pipe_call() returned: the pipe its first fd is gets that stack; in
 * stress mode, what the seed chose for new pipes. */
static void on_pipe_return(struct monitor *m, struct mproc *p)
{
	struct monitor_stack *st = p->pipe_call;
	p->pipe_call = NULL;
	struct syscall_info info;
	memset(&info, 0, sizeof info);
	int fds[2];
	char target[64];
	unsigned long inode = 0;
	/* at a syscall-exit stop the union holds { s64 rval; u8 is_error } */
	if ((st || m->sched) &&
	    ptrace(PTRACE_GET_SYSCALL_INFO, p->pid, (void *)sizeof info, &info) > 0 &&
	    info.op == 2 /* PTRACE_SYSCALL_INFO_EXIT */ && (long long)info.nr == 0 &&
	    peek_bytes(p->pid, p->pipe_fds_addr, (unsigned char *)fds, sizeof fds) ==
		    (ssize_t)sizeof fds &&
	    procfs_fd_target(p->pid, fds[0], target, sizeof target) == 0 &&
	    sscanf(target, "pipe:[%lu]", &inode) == 1) {
		struct mpipe *pp = monitor_pipe(m, inode);
		if (st && !pp->made) {
			pp->made = st;
			st = NULL;
		}
		int size = monitor_sched_new_pipe(m, p, fds[0]);
		if (size)
			monitor_pipe(m, inode)->capacity = size;
	}
	if (st)
		m->stacks--;
	monitor_stack_free(st);
}

/* How a process stopped at a seccomp stop goes on. */
enum go_on {
	GO_ON,        /* PTRACE_CONT */
	GO_TO_RETURN, /* PTRACE_SYSCALL: its return is awaited */
	GO_HELD,      /* not now: the scheduler holds it (stress mode) */
};

static bool is_close_call(long nr)
{
	return nr == SYS_close || nr == SYS_dup2 || nr == SYS_dup3 || nr == SYS_close_range;
}

static enum go_on on_seccomp(struct monitor *m, struct mproc *p)
{
	struct syscall_info info;
	memset(&info, 0, sizeof info);
	if (ptrace(PTRACE_GET_SYSCALL_INFO, p->pid, (void *)sizeof info, &info) <= 0)
		return GO_ON;
	long nr = (long)info.nr;
	unsigned int fd = (unsigned int)info.args[0];
	/* (in stress mode every write comes here: the same ones as otherwise are looked at) */
	if (nr == SYS_write &&
	    ((fd == STDOUT_FILENO && info.args[2] > 1) || (fd == STDERR_FILENO && m->interpreted)))
		on_write_call(m, p, &info);
	bool pipe_call = nr == SYS_pipe2;
#ifdef SYS_pipe
	pipe_call = pipe_call || nr == SYS_pipe;
#endif
	if (pipe_call) /* stress mode: the pipe may be made smaller, at its return */
		return on_pipe_call(m, p, &info) || m->sched ? GO_TO_RETURN : GO_ON;
	if (touches_fd(&info, STDOUT_FILENO))
		p->out_fd1 = -1;
	if (touches_fd(&info, STDERR_FILENO))
		p->err_fd2 = -1;
	if (nr == SYS_kill || nr == SYS_tkill || nr == SYS_tgkill || nr == SYS_rt_sigqueueinfo ||
	    nr == SYS_rt_tgsigqueueinfo)
		on_signal_call(m, p, &info);
	else if (is_close_call(nr))
		on_close_call(m, p, &info);
	return monitor_sched_stop(m, p, HOLD_CALL, &info) ? GO_HELD : GO_ON;
}

/* Are a and b (0: pipegrade itself) in the same PID namespace? False when unknown. */
static bool same_pid_ns(pid_t a, pid_t b)
{
	char path[48], la[64], lb[64];
	if (a > 0)
		snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)a);
	else
		snprintf(path, sizeof path, "/proc/self/ns/pid");
	ssize_t na = readlink(path, la, sizeof la - 1);
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)b);
	ssize_t nb = readlink(path, lb, sizeof lb - 1);
	return na > 0 && na == nb && !memcmp(la, lb, (size_t)na);
}

/* Who sent a signal to `pid`, whose siginfo names `from` (a pid as pid's PID namespace sees
 * it): itself, pipegrade, or another live process of the case (into *sender). */
static enum monitor_sender sender_of(struct monitor *m, pid_t pid, pid_t from, pid_t *sender)
{
	struct proc_stat st;
	if (from <= 0 || procfs_stat(pid, &st) < 0 || st.ns_depth == 0)
		return MONITOR_SENDER_UNKNOWN;
	if (from == st.ns_pid)
		return MONITOR_SENDER_SELF;
	if (from == getpid() && same_pid_ns(0, pid))
		return MONITOR_SENDER_HARNESS;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *q = &m->procs[i];
		struct proc_stat qs;
		if (q->alive && q->pid != pid && procfs_stat(q->pid, &qs) == 0 &&
		    qs.ns_pid == from && same_pid_ns(q->pid, pid)) {
			*sender = q->pid;
			return MONITOR_SENDER_PROCESS;
		}
	}
	return MONITOR_SENDER_UNKNOWN;
}

/* Signals the kernel raises at an instruction of the process itself. */
static bool fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGTRAP || sig == SIGSYS;
}

/* Signals after which the stack says where the program crashed. */
static bool crash_signal(int sig)
{
	return fault_signal(sig) || sig == SIGABRT;
}

/* A signal is about to be delivered to `tid` (a process, or a thread of one): what the kernel
 * says of it, kept on the process until it ends (the last delivery wins). The kernel sends
 * SIGPIPE and SIGXFSZ on a write as if the process had sent them itself (SI_USER): for them
 * nothing is asked, so no sender is ever named. */
static void on_signal_delivery(struct monitor *m, struct mproc *p, pid_t tid, int sig)
{
	if (!p) {
		struct proc_stat st;
		if (procfs_stat(tid, &st) < 0 || !(p = monitor_proc(m, st.tgid)))
			return;
	}
	struct monitor_signal *d = &p->delivered;
	memset(d, 0, sizeof *d);
	d->signo = sig;
	siginfo_t si;
	if (sig == SIGPIPE || sig == SIGXFSZ || ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0)
		return;
	d->seen = true;
	d->code = si.si_code;
	if (si.si_code > 0 && si.si_code < SI_KERNEL && fault_signal(sig)) {
		d->from = MONITOR_SENDER_FAULT;
		d->has_addr = sig == SIGSEGV || sig == SIGBUS;
		d->addr = (unsigned long long)(uintptr_t)si.si_addr;
	} else if (si.si_code == SI_USER || si.si_code == SI_TKILL || si.si_code == SI_QUEUE) {
		d->from = sender_of(m, p->pid, si.si_pid, &d->sender);
	}
	/* stopped here, its stack still as it crashed; not for a signal it handles (a handler
	 * that catches SIGSEGV again and again would pay the unwinding each time) */
	if (crash_signal(sig) && !m->interpreted && !procfs_signal_caught(p->pid, sig))
		monitor_where_find(p->pid, tid, &d->where);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* An event stop: handle it, then let the process go on. */
static void on_event(struct monitor *m, struct mproc *p, pid_t pid, int status)
{
	int event = (unsigned int)status >> 16;
	int sig = WSTOPSIG(status);
	if (event == PTRACE_EVENT_STOP) {
		if (p && !p->seen_stop) { /* the first stop of an auto-attached child */
			p->seen_stop = true;
			if (!monitor_sched_stop(m, p, HOLD_START, NULL))
				ptrace(PTRACE_CONT, pid, 0, 0);
		} else if (is_stop_signal(sig)) { /* group-stop: keep it stopped, hear SIGCONT */
			if (p) {
				p->group_stopped = true;
				p->stop_signal = sig;
				monitor_sched_free(m, p);
			}
			ptrace(PTRACE_LISTEN, pid, 0, 0);
		} else {
			if (p)
				p->group_stopped = false;
			ptrace(PTRACE_CONT, pid, 0, 0);
		}
		return;
	}
	enum go_on go = GO_ON;
	if (!p) {
	} else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_CLONE) {
		bool process = on_fork(m, p);
		p = monitor_proc(m, pid); /* the table may have moved */
		if (process)
			go = monitor_sched_stop(m, p, HOLD_FORK, NULL) ? GO_HELD : GO_ON;
		else
			monitor_sched_threads(m); /* a thread: no more choosing */
	} else if (event == PTRACE_EVENT_VFORK) {
		on_fork(m, p);
		monitor_sched_free(m, monitor_proc(m, pid)); /* it waits until its child execs */
	} else if (event == PTRACE_EVENT_EXEC) {
		on_exec(m, p);
		go = monitor_sched_stop(m, p, HOLD_START, NULL) ? GO_HELD : GO_ON;
	} else if (event == PTRACE_EVENT_EXIT) {
		on_exit_stop(m, p);
		go = monitor_sched_stop(m, p, HOLD_EXIT, NULL) ? GO_HELD : GO_ON;
	} else if (event == PTRACE_EVENT_SECCOMP) {
		go = on_seccomp(m, p);
	}
	if (go != GO_HELD)
		ptrace(go == GO_TO_RETURN ? PTRACE_SYSCALL : PTRACE_CONT, pid, 0, 0);
}

bool monitor_on_wait(struct monitor *m, pid_t pid, int status)
{
	struct mproc *p = monitor_proc(m, pid);
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (p) {
			p->alive = false;
			p->t_end = since_start(m);
			if (WIFSIGNALED(status) && !p->term_signal)
				p->term_signal = WTERMSIG(status); /* no exit stop (SIGKILL) */
			monitor_sched_gone(m, p);
		}
		return false;
	}
	if (!WIFSTOPPED(status))
		return false;
	if (!p && !pidlist_has(&m->threads, pid)) {
		/* A new child whose first stop came before its parent's fork event. */
		p = add_proc(m, pid);
	}
	if ((unsigned int)status >> 16) {
		on_event(m, p, pid, status);
		return true;
	}
	int sig = WSTOPSIG(status);
	if (sig == (SIGTRAP | 0x80)) { /* the return of a call we asked to see */
		if (p && monitor_sched_exit_stop(m, p))
			return true; /* resumed */
		if (p)
			on_pipe_return(m, p);
		ptrace(PTRACE_CONT, pid, 0, 0);
		return true;
	}
	/* A signal is being delivered: pass it on unchanged. */
	if (p && p->seen_stop == false)
		p->seen_stop = true;
	on_signal_delivery(m, p, pid, sig);
	ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	return true;
}

int monitor_alive_peak(const struct monitor *m)
{
	return m->max_alive;
}

double monitor_next_tick(const struct monitor *m)
{
	if (m->stuck != FINDING_PASS)
		return 1e300;
	double sched = monitor_sched_next(m);
	return sched < m->next_tick ? sched : m->next_tick;
}

bool monitor_tick(struct monitor *m, bool stdin_open)
{
	monitor_sched_tick(m);
	double now = now_monotonic();
	if (now < m->next_tick && m->stuck == FINDING_PASS)
		return false; /* the scheduler's look only */
	m->next_tick = now + WATCH_TICK_S;
	if (m->stuck != FINDING_PASS)
		return true;
	/* a process the scheduler holds waits for its turn, not for good */
	if (monitor_sched_holds(m) || !monitor_check_stuck(m, stdin_open))
		return false;
	m->stuck_at = since_start(m);
	return true;
}
