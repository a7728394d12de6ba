/*
 * sandbox_filter.h: the system calls a submission may not make, as a seccomp filter that every
 * build and every case gets, monitored or not.
 *
 * The filter only refuses (an errno comes back to the program; nothing is killed), so it works
 * with no tracer at all: builds and `--no-monitor` runs have it too. It refuses:
 *  - any system call of a foreign architecture (i386 `int $0x80` on x86_64, arm32 on arm64) and
 *    the x32 numbers (ENOSYS): the filter reads the numbers of the native table only;
 *  - ioctl(TIOCSTI) and ioctl(TIOCLINUX) on any fd (EPERM): no keystrokes into a terminal,
 *    compared on the command's low 32 bits as the kernel does;
 *  - add_key, request_key and keyctl (EPERM): keys outlive the case in the uid's keyrings;
 *  - clone with CLONE_UNTRACED (EPERM: it would hide the child from the monitor) or
 *    CLONE_NEWUSER, and unshare(CLONE_NEWUSER) (EPERM);
 *  - clone3 (ENOSYS): its flags are in memory a filter cannot read, and glibc then falls back
 *    to clone, whose flags it can;
 *  - with `guard_signals` (no PID namespace holds the program's signals): kill(-1, ...) and
 *    kill of another process group (EPERM), pidfd_open and pidfd_send_signal (EPERM), and any
 *    signal to pipegrade or its ancestors (EPERM, monitored or not); a signal to another
 *    positive pid (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo) goes to the
 *    tracer when there is one (sandbox_filter_trace_signals), which lets it through only to
 *    the case's own processes (monitor.c).
 *
 * Life cycle: sandbox_filter_build() before fork (no allocation: the instructions live in the
 * struct); in the child, sandbox_filter_set_group() and sandbox_filter_trace_signals() patch
 * the copy, and sandbox_filter_install() (async-signal-safe) sets PR_SET_NO_NEW_PRIVS and the
 * filter. On an architecture without a filter the struct is empty and installing only sets
 * NO_NEW_PRIVS.
 */
#ifndef PIPEGRADE_SANDBOX_FILTER_H
#define PIPEGRADE_SANDBOX_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/types.h>

#define SANDBOX_FILTER_MAX 96

/* The event message (PTRACE_GETEVENTMSG) of a signal sent to a positive pid, for the tracer. */
#define SANDBOX_FILTER_SIGNAL_EVENT 0x5167

struct sandbox_filter {
	struct sock_filter insns[SANDBOX_FILTER_MAX];
	unsigned short len;       /* 0: no filter on this architecture */
	short group_at;           /* the instruction comparing with -pgid, or -1 */
	short positive_signal_at; /* the return for a signal to a positive pid, or -1 */
};

/* True when this architecture has a filter. */
bool sandbox_filter_supported(void);

#define SANDBOX_FILTER_GUARDED 8

struct sandbox_filter_opts {
	bool guard_signals;                    /* the rules on kill and its family (see above) */
	pid_t guarded[SANDBOX_FILTER_GUARDED]; /* pipegrade and its ancestors, never to be
						  signalled; 0 after the last */
	bool no_exec; /* execve and execveat refused too (EPERM): for pipegrade's own
				  workers, which have nothing to run */
};

/* Builds the filter. */
void sandbox_filter_build(struct sandbox_filter *f, const struct sandbox_filter_opts *opts);

/* In the child: the program's own process group, the only one it may signal as a group. */
void sandbox_filter_set_group(struct sandbox_filter *f, pid_t pgid);

/* In the child, when a tracer is attached: signals to positive pids go to it for a check. */
void sandbox_filter_trace_signals(struct sandbox_filter *f);

/* In the child: PR_SET_NO_NEW_PRIVS, then the filter. Returns 0 or -1 with errno. */
int sandbox_filter_install(const struct sandbox_filter *f);

#endif
