/* sandbox_child.c: what runs in the processes pipegrade forks for a build or a case: the
 * launcher, the init of the PID namespace and the program's process up to exec (sandbox.h).
 * After the fork everything here is async-signal-safe: system calls and plain stores, no
 * allocation and no stdio. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1

/* struct clone_args (linux/sched.h), for older headers */
struct pg_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};
#define PG_CLONE_INTO_CGROUP 0x200000000ULL

/* Set before the clone that makes the program's process: it was born in the v2 group. */
static volatile sig_atomic_t born_in_cgroup;

/* A new process like fork(), in the run's v2 group when there is one. */
static pid_t clone_one(unsigned long flags, int cgroup_fd)
{
	born_in_cgroup = 0;
	if (cgroup_fd >= 0) {
		struct pg_clone_args a;
		memset(&a, 0, sizeof a);
		a.flags = flags | PG_CLONE_INTO_CGROUP;
		a.exit_signal = SIGCHLD;
		a.cgroup = (uint64_t)cgroup_fd;
		born_in_cgroup = 1;
		long pid = syscall(SYS_clone3, &a, sizeof a);
		if (pid >= 0)
			return (pid_t)pid;
		born_in_cgroup = 0; /* older kernel: the child joins by itself */
	}
	return fork();
}

/* A new process like fork(), whose parent is our parent (pipegrade). */
static pid_t clone_parent(void)
{
	return (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
}

/* The init of the program's PID namespace: holds no fd but the life pipe's read end (so no
 * pipe of the case is held open by it), lets the kernel reap every orphan it adopts (SIGCHLD
 * ignored), and lives until pipegrade kills it at the end of the run, or dies. */
static void __attribute__((noreturn)) ns_init(int life_fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (life_fd > 0)
		syscall(SYS_close_range, 0U, (unsigned int)life_fd - 1, 0U);
	syscall(SYS_close_range, life_fd < 0 ? 0U : (unsigned int)life_fd + 1, ~0U, 0U);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* nothing of pipegrade's handlers */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* End of file: pipegrade is gone, even if it died before the death signal was armed. */
	for (;;) {
		char c;
		ssize_t n = life_fd >= 0 ? read(life_fd, &c, 1) : (pause(), -1);
		if (n == 0 || (n < 0 && life_fd >= 0 && errno != EINTR))
			_exit(0);
	}
}

/* In the program's process, just born: it lets go of the life pipe's write end (close-on-exec
 * only), so that the namespace's init sees pipegrade die even when pipegrade dies before the
 * init's death signal is armed, and before this process execs. Returns 0. */
static pid_t program_process(const struct sandbox *sb)
{
	if (sb->caps->life_fd[1] >= 0)
		close(sb->caps->life_fd[1]);
	return 0;
}

/* As root: pipegrade itself makes the namespace of its next children, forks the init (pid 1)
 * and the program's process (pid 2) into it, and returns to its own. */
static pid_t spawn_direct(const struct sandbox *sb, pid_t *init)
{
	if (unshare(CLONE_NEWPID) < 0)
		return -1;
	pid_t k = fork();
	if (k == 0)
		ns_init(sb->caps->life_fd[0]);
	pid_t p = k < 0 ? -1 : clone_one(0, sb->cgroup_fd);
	if (p == 0)
		return program_process(sb); /* its children stay in its namespace */
	int e = errno;
	if (setns(sb->caps->own_pid_ns, CLONE_NEWPID) < 0 || p < 0) {
		/* our next children would be born in a dead namespace: this is fatal */
		e = p < 0 ? e : errno;
		if (k > 0)
			kill(k, SIGKILL), waitpid(k, NULL, 0);
		if (p > 0)
			kill(p, SIGKILL), waitpid(p, NULL, 0);
		errno = e;
		return -1;
	}
	*init = k;
	return p;
}

/* Without root pipegrade cannot return to the machine's PID namespace: a launcher makes the
 * namespace, and clones the init and then the program's process into it with CLONE_PARENT,
 * so that both are pipegrade's children. It reports their pids and exits. */
static pid_t spawn_launched(const struct sandbox *sb, pid_t *init)
{
	int rep[2];
	if (pipe2(rep, O_CLOEXEC) < 0)
		return -1;
	/* The launcher is born in the run's v2 group (the kernel refuses CLONE_PARENT with
	 * CLONE_INTO_CGROUP), and what it clones is born where it is. */
	pid_t launcher = clone_one(0, sb->cgroup_fd);
	if (launcher == 0) {
		/* [0] the init, [1] the program's process, [2] errno */
		int got[3] = { -1, -1, 0 };
		if (unshare(CLONE_NEWPID) < 0) {
			got[2] = errno;
		} else if ((got[0] = clone_parent()) == 0) {
			ns_init(sb->caps->life_fd[0]);
		} else if (got[0] < 0 || (got[1] = clone_parent()) < 0) {
			got[2] = errno;
		} else if (got[1] == 0) {
			close(rep[0]);
			close(rep[1]);
			return program_process(sb); /* pid 2, pipegrade's child */
		}
		(void)!write(rep[1], got, sizeof got);
		_exit(0);
	}
	close(rep[1]);
	int got[3] = { -1, -1, EIO };
	if (launcher < 0)
		got[2] = errno;
	else if (read(rep[0], got, sizeof got) != (ssize_t)sizeof got)
		got[2] = EIO;
	close(rep[0]);
	while (launcher > 0 && waitpid(launcher, NULL, 0) < 0 && errno == EINTR)
		;
	if (got[2] != 0) {
		if (got[0] > 0) {
			kill(got[0], SIGKILL);
			waitpid(got[0], NULL, 0);
		}
		errno = got[2];
		return -1;
	}
	*init = got[0];
	return got[1];
}

pid_t sandbox_spawn(const struct sandbox *sb, pid_t *init)
{
	*init = 0;
	if (!sb->caps->pid_ns)
		return clone_one(0, sb->cgroup_fd);
	return sb->caps->own_pid_ns >= 0 ? spawn_direct(sb, init) : spawn_launched(sb, init);
}

/* ---- the program's process ---- */

/* The steps are named in English, marked with N_(): whoever reports a failed one translates
 * it (gettext is not async-signal-safe). */
static int step(const char **what, const char *name, int rc)
{
	if (rc < 0)
		*what = name;
	return rc < 0 ? -1 : 0;
}

/* The allow-list root, a copy of its own with the case's scratch space, and its own /proc. */
static int enter_root(const struct sandbox *sb, const char **what)
{
	const struct sandbox_caps *c = sb->caps;
	/* TRANSLATORS: a step of setting up the program's process, shown in "cannot set up
	   the program's process (%s): ...": so for every step that follows. */
	if (step(what, N_("enter the allow-list root"), setns(c->root_fd, CLONE_NEWNS)) < 0 ||
	    step(what, N_("make the namespaces"),
		 unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS)) < 0 ||
	    step(what, N_("set the host name"), sethostname("pipegrade", 9)) < 0 ||
	    sandbox_scratch_enter(&sb->scratch, sb->hide.v, what) < 0)
		return -1;
	if (c->proc_private && step(what, N_("mount /proc"),
				    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
					  "hidepid=invisible")) < 0)
		return -1;
	return 0;
}

int sandbox_child_enter(const struct sandbox *sb, const char **what)
{
	const struct sandbox_caps *c = sb->caps;
	/* First the cgroups, before anything of the program can run, let alone fork. */
	if (step(what, N_("join the cgroups"), sandbox_cgroup_join(&sb->cg, born_in_cgroup)) < 0)
		return -1;
	if (c->fs_root && enter_root(sb, what) < 0)
		return -1;
	if (c->net_ns &&
	    step(what, N_("enter the network namespace"), setns(c->net_fd, CLONE_NEWNET)) < 0)
		return -1;
	/* keys live in the uid's keyrings beyond the case: a keyring of its own (the filter
	 * refuses the key calls anyway) */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 && errno != ENOSYS &&
	    step(what, N_("join a new session keyring"), -1) < 0)
		return -1;
	if (c->uid_drop) {
		gid_t gid = c->gid;
		if (step(what, N_("drop the groups"), setgroups(0, NULL)) < 0 ||
		    step(what, N_("set the group"), setresgid(gid, gid, gid)) < 0 ||
		    step(what, N_("set the user"), setresuid(c->uid, c->uid, c->uid)) < 0)
			return -1;
	}
	return step(what, N_("enter the working directory"), chdir(sandbox_program_dir(sb)));
}

int sandbox_child_lockdown(const struct sandbox *sb, bool traced, const char **what)
{
	struct sandbox_filter f = sb->filter; /* our copy, patched for this process */
	if (!sb->caps->filter)
		f.len = 0;                      /* NO_NEW_PRIVS only */
	sandbox_filter_set_group(&f, getpid()); /* after setsid(): our own group */
	if (traced)
		sandbox_filter_trace_signals(&f);
	return step(what, N_("install the system call filter"), sandbox_filter_install(&f));
}

static int set_limit(int resource, long long value)
{
	struct rlimit r = { (rlim_t)value, (rlim_t)value };
	return setrlimit(resource, &r);
}

int sandbox_child_limits(const struct sandbox *sb, const char **what)
{
	const struct limits *l = &sb->limits;
	if (step(what, N_("set the limit on open files"), set_limit(RLIMIT_NOFILE, l->open_files)) <
		    0 ||
	    step(what, N_("set the file size limit"), set_limit(RLIMIT_FSIZE, l->file_bytes)) < 0 ||
	    step(what, N_("set the process limit"), set_limit(RLIMIT_NPROC, sb->nproc_limit)) < 0)
		return -1;
	if (!sb->caps->cg.mem[0] &&
	    step(what, N_("set the memory limit"), set_limit(RLIMIT_AS, l->memory_bytes)) < 0)
		return -1;
	return 0;
}

/* ---- pipegrade's own workers ---- */

static int int_order(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every fd but the `n` of `keep`. */
static void close_all_but(const int *keep, int n)
{
	int k[8];
	n = n < 8 ? n : 8;
	memcpy(k, keep, (size_t)n * sizeof *k);
	qsort(k, (size_t)n, sizeof *k, int_order);
	unsigned int from = 0;
	for (int i = 0; i < n; i++) {
		if (k[i] < 0 || (unsigned int)k[i] < from)
			continue;
		if ((unsigned int)k[i] > from)
			syscall(SYS_close_range, from, (unsigned int)k[i] - 1, 0U);
		from = (unsigned int)k[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0U);
}

int sandbox_confine_worker(const struct sandbox_slot *slot, long long file_bytes, const int *keep,
			   int n, const char **what)
{
	close_all_but(keep, n);
	if (step(what, N_("start a new session"), setsid()) < 0 ||
	    step(what, N_("set the limit on open files"), set_limit(RLIMIT_NOFILE, 64)) < 0 ||
	    step(what, N_("set the file size limit"), set_limit(RLIMIT_FSIZE, file_bytes)) < 0 ||
	    step(what, N_("set the CPU limit"), set_limit(RLIMIT_CPU, 60)) < 0 ||
	    step(what, N_("set the process limit"), set_limit(RLIMIT_NPROC, 1)) < 0)
		return -1;
#ifndef __SANITIZE_ADDRESS__ /* the sanitizer's shadow memory needs terabytes of addresses */
	if (step(what, N_("set the memory limit"), set_limit(RLIMIT_AS, 1LL << 30)) < 0)
		return -1;
#endif
	if (slot && slot->n >= 0) {
		gid_t gid = (gid_t)slot->uid;
		if (step(what, N_("drop the groups"), setgroups(0, NULL)) < 0 ||
		    step(what, N_("set the group"), setresgid(gid, gid, gid)) < 0 ||
		    step(what, N_("set the user"), setresuid(slot->uid, slot->uid, slot->uid)) < 0)
			return -1;
	}
	struct sandbox_filter f;
	struct sandbox_filter_opts opts = { .guard_signals = false, .no_exec = true };
	sandbox_filter_build(&f, &opts);
	if (!sandbox_filter_supported() || prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0)
		f.len = 0;
	return step(what, N_("install the system call filter"), sandbox_filter_install(&f));
}
