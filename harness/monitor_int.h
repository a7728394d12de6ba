/*
 * monitor_int.h: what the monitor's files share (monitor.c: ptrace events and the process
 * table; monitor_stuck.c: is the case stuck, and on what each process waits; monitor_conclude.c:
 * leaks, orphans, structure and the process tree, as facts). Not for use outside the monitor.
 */
#ifndef PIPEGRADE_MONITOR_INT_H
#define PIPEGRADE_MONITOR_INT_H

#include <linux/filter.h>
#include <stdbool.h>

#include "monitor.h"
#include "monitor_where.h"
#include "procfs.h"
#include "proctree.h"
#include "util.h"

/* The last bytes of stderr kept per process of an interpreted program. */
#define MONITOR_ERR_TAIL 2048

/* One process of the case (thread-group leaders only). */
struct mproc {
	pid_t pid;
	pid_t parent;         /* the traced process that forked it; 0 for the main process */
	char role[48];        /* where it stands in the tree: "" for the main process (the
				  parent), "1" for its first child, "1.2" for that one's second */
	char exe[32];         /* the program it exec'd after fork; "" while it runs student code */
	int nchildren;        /* children it forked so far, for numbering them */
	bool seen_stop;       /* its first ptrace stop has been seen (auto-attach stop) */
	bool first_exec_done; /* the main process: its exec of the student's program was seen */
	bool alive;
	bool exited_alone;  /* it called exit (not killed by a signal) */
	int exit_status;    /* wait status from the exit stop */
	bool group_stopped; /* held by a stop signal (SIGSTOP, SIGTSTP...) */
	int stop_signal;
	double t_start, t_exec, t_end; /* seconds from the start of the run; -1 when not */
	struct proc_fds fds;           /* latest snapshot of its pipe fds */
	struct proc_fds at_exec;       /* what the exec'd program inherited */
	struct proc_fds at_exit;       /* what it still held when it exited by itself */
	struct proc_files exec_files;  /* the fds above 2 that are not pipes, at exec */
	struct proc_files exit_files;  /* ... and at its exit */
	struct pidlist unwaited;       /* its children alive or zombie when it exited */
	struct monitor_out out;        /* its first bytes to pipegrade's stdout */
	signed char out_fd1;           /* its fd 1 is pipegrade's stdout: 1 yes, 0 no, -1 not
					  known (looked up at its next write() on fd 1) */
	signed char err_fd2;           /* the same for fd 2 and pipegrade's stderr */
	unsigned char err_tail[MONITOR_ERR_TAIL]; /* interpreted: the last bytes it wrote to
						     pipegrade's stderr (a traceback) */
	size_t err_n;
	bool asked; /* asked for its stacks (monitor_ask_stacks()) */
	/* sampling */
	unsigned long long cpu, ctx; /* CPU time; context switches (every thread's, summed) */
	unsigned long long tasks;    /* its thread ids, as one number (0: single-threaded); a
					thread that starts or ends changes it */
	int calm;                    /* consecutive samples asleep with no CPU or context switch */
	unsigned long long cpu_seen; /* CPU time at its last sample (threads too) */
	int idle;                    /* samples in a row in which its CPU time did not grow */
	bool sampled;                /* sampled at least once */
	int term_signal;             /* the signal that killed it (exit stop or status), or 0 */
	struct monitor_signal delivered; /* the last signal delivered to it (a delivery stop) */
	/* call sites (monitor_where.h), while it runs the student's program */
	struct monitor_image *image;      /* what it has mapped (owned reference): its parent's
					     at fork, taken at its first call site; NULL after
					     exec */
	struct monitor_stack *forked_at;  /* its parent's stack at the fork() that made it */
	struct monitor_stack *pipe_call;  /* its stack at a pipe() whose return is awaited */
	unsigned long long pipe_fds_addr; /* where that pipe() puts the two fds */
};

/* A pipe of the case, named in order of first sight. */
struct mpipe {
	unsigned long inode;
	char name[16];             /* "A", "B", ..., or "stdin"/"stdout"/"stderr" for pipegrade's */
	bool harness;              /* one of pipegrade's own stdio pipes */
	struct pidlist writers;    /* processes seen holding its write end */
	struct pidlist readers;    /* processes seen holding its read end */
	struct pidlist write_only; /* processes seen holding its write end but not its read end */
	struct pidlist read_only;  /* ... its read end but not its write end */
	struct monitor_stack *made; /* the stack of the pipe() that made it, when seen */
};

struct monitor {
	struct monitor_stdio stdio;
	struct mproc *procs;
	size_t nprocs, cap;
	struct mpipe *pipes;
	size_t npipes, pipes_cap;
	struct pidlist threads; /* traced tids that are not thread-group leaders */
	struct sock_filter insns[24];
	struct sock_fprog filter;
	double start;
	double next_tick;
	int forks;
	int max_alive;            /* most processes alive at once */
	int max_fds;              /* most fds one process was seen holding */
	long long vm_peak_failed; /* largest peak of virtual memory (VmPeak, bytes) of a process
				    that died by a signal or exited with a status other than 0 */
	int signals_refused;      /* kill() and the like aimed outside the case, refused */
	int stacks;               /* call sites' stacks kept (at most MONITOR_STACKS_MAX) */
	bool interpreted;         /* monitor_set_interpreted() */
	char script[64];          /* ... its script's file name */
	double sampled_at;        /* when the live processes were last sampled, or -1 */
	/* the verdict, once stuck */
	enum finding_kind stuck;
	double stuck_at;
	struct monitor_facts *stuck_facts; /* the tree at that moment, until monitor_conclude() */
};

/* The most call sites' stacks one case keeps (each MONITOR_SITE_STACK bytes and the
 * registers): a program that makes pipes in a loop gets the first ones located. */
#define MONITOR_STACKS_MAX 256

/* A process is busy at the end when its CPU time grew within its last this many samples. */
#define MONITOR_BUSY_SAMPLES 5

/* monitor.c */
struct mproc *monitor_proc(struct monitor *m, pid_t pid);
/* The pipe with this inode, added (and named) when it is new: a pointer into m->pipes, valid
 * until the next pipe is added. */
struct mpipe *monitor_pipe(struct monitor *m, unsigned long inode);
/* The same as an index in m->pipes. */
int monitor_pipe_index(struct monitor *m, unsigned long inode);
/* Records what a snapshot of `p`'s pipe fds says about who holds which end. */
void monitor_observe(struct monitor *m, struct mproc *p, const struct proc_fds *fds);

/* Does `p` run the student's program (not pipegrade's code before the first exec, not a
 * program it exec'd)? For an interpreted program: the script. */
bool monitor_runs_student_code(const struct mproc *p);

/* A copy of the stack of `p`'s thread `tid`, stopped now in a call of the student's program
 * (not of a program it exec'd), for a call site; NULL when not kept (see MONITOR_STACKS_MAX). */
struct monitor_stack *monitor_site_stack(struct monitor *m, struct mproc *p, pid_t tid);
/* The image of `p`'s program, taken now when it has none yet; NULL when it does not run the
 * student's program, or that program is an interpreter (its C code is not the student's). */
struct monitor_image *monitor_proc_image(const struct monitor *m, struct mproc *p);

/* monitor_script.c: the end of a Python traceback in a process's last bytes to stderr: the
 * last "Traceback (most recent call last):", its innermost frame in `script` (else its
 * innermost) and the exception's line.
 * False (and *e zeroed) when there is none. */
bool monitor_parse_traceback(const unsigned char *t, size_t n, const char *script,
			     struct monitor_exception *e);

/* monitor_stuck.c: true when every live process waits for good; the verdict and its facts
 * are then in m->stuck and m->stuck_facts. */
bool monitor_check_stuck(struct monitor *m, bool stdin_open);

/* monitor_conclude.c */
/* A new process in `s` with p's identity, times and end (no fds, no wait). */
struct monitor_process *monitor_add_fact_process(struct monitor_snapshot *s, const struct mproc *p);
/* The facts about pipe `pp`, as in a snapshot. */
struct monitor_pipe monitor_fact_pipe(const struct mpipe *pp);

#endif
