/*
 * monitor_int.h: what the monitor's files share (monitor.c: ptrace events and the process
 * table; monitor_stuck.c: is the case stuck, and why; monitor_conclude.c: leaks, orphans,
 * structure and pictures). Not for use outside the monitor.
 */
#ifndef PIPEGRADE_MONITOR_INT_H
#define PIPEGRADE_MONITOR_INT_H

#include <linux/filter.h>
#include <stdbool.h>

#include "monitor.h"
#include "procfs.h"
#include "proctree.h"
#include "util.h"

/* One process of the case (thread-group leaders only). */
struct mproc {
	pid_t pid;
	pid_t parent;          /* the traced process that forked it; 0 for the main process */
	char role[48];         /* where it stands in the tree: "" for the main process (the
				  parent), "1" for its first child, "1.2" for that one's second */
	char exe[32];          /* the program it exec'd after fork; "" while it runs student code */
	int nchildren;         /* children it forked so far, for numbering them */
	bool seen_stop;        /* its first ptrace stop has been seen (auto-attach stop) */
	bool first_exec_done;  /* the main process: its exec of the student's program was seen */
	bool alive;
	bool exited_alone;     /* it called exit (not killed by a signal) */
	int exit_status;       /* wait status from the exit stop */
	bool group_stopped;    /* held by a stop signal (SIGSTOP, SIGTSTP...) */
	int stop_signal;
	double t_start, t_exec, t_end; /* seconds from the start of the run; -1 when not */
	struct proc_fds fds;     /* latest snapshot of its pipe fds */
	struct proc_fds at_exec; /* what the exec'd program inherited */
	struct proc_fds at_exit; /* what it still held when it exited by itself */
	struct pidlist unwaited; /* its children alive or zombie when it exited */
	/* sampling */
	unsigned long long cpu, ctx;
	int calm;              /* consecutive samples asleep with no CPU or context switch */
};

/* A pipe of the case, named in order of first sight. */
struct mpipe {
	unsigned long inode;
	char name[16];          /* "A", "B", ..., or "stdin"/"stdout"/"stderr" for pipegrade's */
	bool harness;           /* one of pipegrade's own stdio pipes */
	struct pidlist writers;    /* processes seen holding its write end */
	struct pidlist readers;    /* processes seen holding its read end */
	struct pidlist write_only; /* processes seen holding its write end but not its read end */
	struct pidlist read_only;  /* ... its read end but not its write end */
};

/* What a process waits on, when the tree is found asleep. */
enum wait_kind {
	W_RUNNING,    /* not asleep for good: running, or woken soon */
	W_TIMED,      /* a sleep, poll or wait with a timeout: it will wake by itself */
	W_PIPE_READ,
	W_PIPE_WRITE,
	W_CHILD,      /* waitpid(), wait(), waitid() */
	W_SIGNAL,     /* pause(), sigsuspend(), sigwait() without a timeout */
	W_STOPPED,    /* stopped by a signal */
	W_OTHER,      /* another call that will not return by itself */
};

struct wait_info {
	enum wait_kind kind;
	const char *call;       /* "read", "write", "waitpid", "pause", ... */
	int fd;                 /* fd argument, or -1 */
	struct mpipe *pipe;     /* the pipe for pipe waits */
	char target[64];        /* what a non-pipe fd is, from /proc/PID/fd/N */
	pid_t waits_for;        /* waitpid's pid argument (-1: any child) */
};

struct monitor {
	struct monitor_stdio stdio;
	struct mproc *procs;
	size_t nprocs, cap;
	struct mpipe *pipes;
	size_t npipes, pipes_cap;
	struct pidlist threads;  /* traced tids that are not thread-group leaders */
	struct sock_filter insns[16];
	struct sock_fprog filter;
	double start;
	double next_tick;
	int forks;
	int max_alive;           /* most processes alive at once */
	int max_fds;             /* most fds one process was seen holding */
	long long vm_peak_failed; /* largest peak of virtual memory (VmPeak, bytes) of a process
				    that died by a signal or exited with a status other than 0 */
	int signals_refused;     /* kill() and the like aimed outside the case, refused */
	/* the verdict, once stuck */
	enum finding_kind stuck;
	double stuck_at;
	char *stuck_message;
	char *stuck_fields;
	char *graph_dot;
	char *graph_text;
};

/* monitor.c */
struct mproc *monitor_proc(struct monitor *m, pid_t pid);
struct mpipe *monitor_pipe(struct monitor *m, unsigned long inode);
/* Records what a snapshot of `p`'s pipe fds says about who holds which end. */
void monitor_observe(struct monitor *m, struct mproc *p, const struct proc_fds *fds);
/* "child 1 (pid 812)" into a static buffer of `slot` (0-3) */
const char *monitor_who(const struct mproc *p, int slot);
/* The role used in sentences: the exec'd program's name, or "parent", "child 1.2" (in the
 * language in force; in English when `english`). Rotating static buffers: valid for a few
 * calls. */
const char *monitor_role(const struct mproc *p);
const char *monitor_role_in(const struct mproc *p, bool english);

/* monitor_stuck.c */
bool monitor_check_stuck(struct monitor *m, bool stdin_open);

/* monitor_conclude.c */
void monitor_draw(struct monitor *m, const struct wait_info *waits);

#endif
