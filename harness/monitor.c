/* monitor.c: the monitor's life cycle, ptrace events and the process table (see monitor.h). */
#include "monitor_int.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
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

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404 /* the regset of arm64's system call number (elf.h) */
#endif

/* What PTRACE_GET_SYSCALL_INFO returns at a seccomp stop (linux/ptrace.h, for older headers). */
struct syscall_info {
	unsigned char op;
	unsigned char pad[3];
	unsigned int arch;
	unsigned long long ip, sp;
	unsigned long long nr;
	unsigned long long args[6];
	unsigned int ret_data;
};

struct monitor *monitor_new(void)
{
	struct monitor *m = xcalloc(1, sizeof *m);
	m->stuck = FINDING_PASS;
	m->start = now_monotonic();
	m->next_tick = m->start + WATCH_TICK_S;
	return m;
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
	pidlist_free(&p->unwaited);
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
	}
	free(m->procs);
	free(m->pipes);
	pidlist_free(&m->threads);
	monitor_facts_free(m->stuck_facts);
	free(m);
}

/* ---- the seccomp filter: close-like calls go to the tracer, everything else runs ---- */

int monitor_prepare(struct monitor *m)
{
#ifdef FILTER_ARCH
	static const long traced[] = { SYS_close, SYS_dup2, SYS_dup3, SYS_close_range };
	struct sock_filter *f = m->insns;
	size_t n = 0;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FILTER_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	size_t count = sizeof traced / sizeof traced[0];
	for (size_t i = 0; i < count; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)traced[i],
						      (unsigned char)(count - i), 0);
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

static void snapshot(struct monitor *m, struct mproc *p, struct proc_fds *into)
{
	if (procfs_pipe_fds(p->pid, into) == 0) {
		monitor_observe(m, p, into);
		if (into->total > m->max_fds)
			m->max_fds = into->total;
	}
}

/* ---- ptrace ---- */

#define TRACE_OPTIONS                                                                              \
	(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |     \
	 PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)

int monitor_attach(struct monitor *m, pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)TRACE_OPTIONS) < 0)
		return -1;
	struct mproc *p = add_proc(m, pid);
	p->seen_stop = true; /* seized, not auto-attached: no initial stop */
	return 0;
}

/* A traced task that is not the leader of its thread group (a thread, not a process). */
static bool is_thread(pid_t tid)
{
	struct proc_stat st;
	return procfs_stat(tid, &st) == 0 && st.tgid != 0 && st.tgid != tid;
}

/* A fork, vfork or clone event of `p`: the new process gets its role and inherits p's fds. */
static void on_fork(struct monitor *m, struct mproc *p)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, p->pid, 0, &msg);
	pid_t kid = (pid_t)msg;
	if (kid <= 0)
		return;
	if (is_thread(kid)) {
		if (!pidlist_has(&m->threads, kid))
			pidlist_add(&m->threads, kid);
		return;
	}
	size_t at = (size_t)(p - m->procs);
	struct mproc *c = monitor_proc(m, kid);
	if (!c) {
		c = add_proc(m, kid);
		p = &m->procs[at]; /* add_proc may have moved the table */
	}
	c->parent = p->pid;
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
	snapshot(m, p, &p->fds);
	ALLOC_GROW(c->fds.v, p->fds.n, c->fds.cap);
	if (p->fds.n)
		memcpy(c->fds.v, p->fds.v, p->fds.n * sizeof *c->fds.v);
	c->fds.n = p->fds.n;
	monitor_observe(m, c, &c->fds);
}

static void on_exec(struct monitor *m, struct mproc *p)
{
	if (p->parent == 0 && !p->first_exec_done) {
		p->first_exec_done = true; /* pipegrade starting the student's program */
		return;
	}
	p->t_exec = since_start(m);
	procfs_exe_name(p->pid, p->exe, sizeof p->exe);
	snapshot(m, p, &p->at_exec);
	snapshot(m, p, &p->fds);
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
	/* Under an address-space limit a failed allocation is only seen in what follows: a
	 * process that ends badly near the limit. Its peak is still readable here. */
	if (!p->exited_alone || WEXITSTATUS(p->exit_status) != 0) {
		long long peak = vm_peak(p->pid);
		if (peak > m->vm_peak_failed)
			m->vm_peak_failed = peak;
	}
	if (!p->exited_alone)
		return;
	snapshot(m, p, &p->at_exit);
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

/* Skips the system call the tracee is stopped at, which then returns -EPERM. */
static void refuse_call(pid_t pid)
{
#if defined(__x86_64__)
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
		return;
	regs.orig_rax = (unsigned long long)-1; /* no call */
	regs.rax = (unsigned long long)-EPERM;  /* and this is what it returns */
	ptrace(PTRACE_SETREGS, pid, 0, &regs);
#elif defined(__aarch64__)
	struct user_pt_regs regs;
	struct iovec iov = { &regs, sizeof regs };
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0)
		return;
	regs.regs[0] = (unsigned long long)-EPERM;
	ptrace(PTRACE_SETREGSET, pid, (void *)NT_PRSTATUS, &iov);
	int none = -1;
	struct iovec nr = { &none, sizeof none };
	ptrace(PTRACE_SETREGSET, pid, (void *)NT_ARM_SYSTEM_CALL, &nr);
#else
	(void)pid;
#endif
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
	refuse_call(p->pid);
	m->signals_refused++;
}

static void on_seccomp(struct monitor *m, struct mproc *p)
{
	struct syscall_info info;
	memset(&info, 0, sizeof info);
	if (ptrace(PTRACE_GET_SYSCALL_INFO, p->pid, (void *)sizeof info, &info) <= 0)
		return;
	long nr = (long)info.nr;
	if (nr == SYS_kill || nr == SYS_tkill || nr == SYS_tgkill || nr == SYS_rt_sigqueueinfo ||
	    nr == SYS_rt_tgsigqueueinfo)
		on_signal_call(m, p, &info);
	else
		on_close_call(m, p, &info);
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
			ptrace(PTRACE_CONT, pid, 0, 0);
		} else if (is_stop_signal(sig)) { /* group-stop: keep it stopped, hear SIGCONT */
			if (p) {
				p->group_stopped = true;
				p->stop_signal = sig;
			}
			ptrace(PTRACE_LISTEN, pid, 0, 0);
		} else {
			if (p)
				p->group_stopped = false;
			ptrace(PTRACE_CONT, pid, 0, 0);
		}
		return;
	}
	if (p) {
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		    event == PTRACE_EVENT_CLONE)
			on_fork(m, p);
		else if (event == PTRACE_EVENT_EXEC)
			on_exec(m, p);
		else if (event == PTRACE_EVENT_EXIT)
			on_exit_stop(m, p);
		else if (event == PTRACE_EVENT_SECCOMP)
			on_seccomp(m, p);
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
}

bool monitor_on_wait(struct monitor *m, pid_t pid, int status)
{
	struct mproc *p = monitor_proc(m, pid);
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (p) {
			p->alive = false;
			p->t_end = since_start(m);
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
	/* A signal is being delivered: pass it on unchanged. */
	int sig = WSTOPSIG(status);
	if (p && p->seen_stop == false)
		p->seen_stop = true;
	ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	return true;
}

int monitor_alive_peak(const struct monitor *m)
{
	return m->max_alive;
}

double monitor_next_tick(const struct monitor *m)
{
	return m->stuck == FINDING_PASS ? m->next_tick : 1e300;
}

bool monitor_tick(struct monitor *m, bool stdin_open)
{
	m->next_tick = now_monotonic() + WATCH_TICK_S;
	if (m->stuck != FINDING_PASS)
		return true;
	if (!monitor_check_stuck(m, stdin_open))
		return false;
	m->stuck_at = since_start(m);
	return true;
}
