/*
 * monitor_int.h: what the monitor's files share (monitor.c: ptrace events and the process
 * table; monitor_stuck.c: is the case stuck, and on what each process waits; monitor_conclude.c:
 * leaks, orphans, structure and the process tree, as facts). Not for use outside the monitor.
 */
#ifndef PIPEGRADE_MONITOR_INT_H
#define PIPEGRADE_MONITOR_INT_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/user.h>

#include "monitor.h"
#include "monitor_where.h"
#include "procfs.h"
#include "proctree.h"
#include "util.h"

/* The last bytes of stderr kept per process of an interpreted program. */
#define MONITOR_ERR_TAIL 2048

/* What PTRACE_GET_SYSCALL_INFO returns at a seccomp stop (linux/ptrace.h, for older
 * headers); at a syscall-exit stop `args[0]` holds the return value and `args[1]` is_error. */
struct syscall_info {
	unsigned char op;
	unsigned char pad[3];
	unsigned int arch;
	unsigned long long ip, sp;
	unsigned long long nr;
	unsigned long long args[6];
	unsigned int ret_data;
};

/* Stress mode (monitor_sched.c): where a process stands for the scheduler. */
enum sched_state {
	SCHED_NONE,    /* not stressed, or the scheduler stopped choosing: runs as usual */
	SCHED_PENDING, /* forked; its first stop not seen yet (the scheduler waits for it) */
	SCHED_HELD,    /* stopped at a step (`hold`), until the scheduler chooses it */
	SCHED_RUNNING, /* the one process chosen: runs until its next step, or its end */
	SCHED_FREE,    /* runs or waits outside the scheduler's choice (blocked in a call the
			  scheduler does not see, stopped by a signal, a parent in vfork()):
			  held again at its next step */
	SCHED_GONE,    /* ended */
};

/* What a held process is stopped at. */
enum sched_hold {
	HOLD_START, /* its first stop (a new process), or the exec event of a program's start */
	HOLD_FORK,  /* a fork event */
	HOLD_EXIT,  /* its exit event */
	HOLD_CALL,  /* a seccomp stop at an interaction call (`call`) */
};

/* A process's state in the scheduler. */
struct msched_proc {
	enum sched_state state;
	enum sched_hold hold;
	long long prio;           /* higher runs first (PCT) */
	struct syscall_info call; /* HOLD_CALL: the call, as at its seccomp stop */
	int pidfd;                /* pidfd_open() of it, or -1 (close-on-exec, closed at its end) */
	int sleeps;               /* sleeps it made (its first may not give way) */
	pid_t nspid;              /* its pid in its own PID namespace (what wait() calls it) */
	/* a write on a pipe over PIPE_BUF, done in pieces each a step (re-issued at the return of
	 * the previous piece, the program seeing one write) */
	bool splitting;
	unsigned long long split_buf, split_len, split_done;
	/* a call whose return is awaited (PTRACE_SYSCALL) to put back what was changed */
	bool fix_count;           /* restore the count argument (a read cut short, a piece) */
	unsigned long long count; /* ... to this */
	long long expect;         /* a piece's size */
};

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
	struct msched_proc s;             /* stress mode */
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
	int capacity;               /* stress mode made it smaller: its size; else 0 */
};

struct monitor {
	struct monitor_stdio stdio;
	struct mproc *procs;
	size_t nprocs, cap;
	struct mpipe *pipes;
	size_t npipes, pipes_cap;
	struct pidlist threads; /* traced tids that are not thread-group leaders */
	struct sock_filter insns[40];
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
	struct monitor_schedule schedule; /* stress mode (monitor_sched.c); seed 0: off */
	struct msched *sched;             /* ... the scheduler's state; NULL when not stressed */
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

/* monitor_regs.c: a stopped tracee's registers, to change the system call it is in (x86_64
 * and arm64; elsewhere every function fails with ENOSYS and changes nothing). */
struct monitor_regs {
#if defined(__x86_64__)
	struct user_regs_struct r;
#elif defined(__aarch64__)
	struct user_regs_struct r; /* regs[31], sp, pc, pstate */
#else
	int none;
#endif
};
/* Reads or writes them. Return 0 or -1. */
int monitor_regs_get(pid_t pid, struct monitor_regs *r);
int monitor_regs_set(pid_t pid, const struct monitor_regs *r);
/* Argument i (0-5) of the call, at its entry (a seccomp stop); after its return, what the
 * program finds in that register. */
void monitor_regs_set_arg(struct monitor_regs *r, int i, unsigned long long v);
/* At a syscall-exit stop: what the call returned, and changing it. */
long long monitor_regs_ret(const struct monitor_regs *r);
void monitor_regs_set_ret(struct monitor_regs *r, long long v);
/* At a syscall-exit stop: the program will make the same call again, with the arguments in
 * the registers (`arg0`: its first one, which arm64 returns in). */
void monitor_regs_reissue(struct monitor_regs *r, unsigned long long arg0);
/* At a seccomp stop: the call is not made, and returns `ret` (e.g. -EPERM). 0 or -1. */
int monitor_skip_call(pid_t pid, long long ret);

/* monitor_sched.c: stress mode (see monitor_set_stress()). A `struct msched` is the
 * scheduler: its plan (what the seed chose), its random stream, the process running, the
 * writes pending in each pipe. Every function is harmless when not stressed. */
struct msched;
/* The system calls the stress mode's seccomp filter sends to the tracer, and their count. */
extern const long monitor_sched_traced[];
extern const size_t monitor_sched_ntraced;
/* A process appeared (attached, or forked by `parent`, NULL for the main one): its priority. */
void monitor_sched_add(struct monitor *m, struct mproc *p, bool pending);
/* `p` is stopped at `hold` (for HOLD_CALL, at the call `info`), the monitor's own work done:
 * in stress mode it is held there, and whoever is next runs; returns false when the caller
 * resumes it as usual (not stressed, or not an interaction call). */
bool monitor_sched_stop(struct monitor *m, struct mproc *p, enum sched_hold hold,
			const struct syscall_info *info);
/* A syscall-exit stop of `p` that the scheduler asked for (a piece of a split write, a read
 * cut short): handled, and `p` resumed; returns false when it was not one of its own. */
bool monitor_sched_exit_stop(struct monitor *m, struct mproc *p);
/* `p` goes on by itself (a group stop, a parent in vfork()): not held, not waited for. */
void monitor_sched_free(struct monitor *m, struct mproc *p);
/* `p` ended (its death was reaped). */
void monitor_sched_gone(struct monitor *m, struct mproc *p);
/* A thread appeared: the scheduler stops choosing (threads share memory it cannot see). */
void monitor_sched_threads(struct monitor *m);
/* The pipe `fd` of `p` was just created: what the seed chose for new pipes. Returns the size
 * it was given, or 0 when it was left as it was. */
int monitor_sched_new_pipe(struct monitor *m, struct mproc *p, int fd);
/* Does the scheduler hold some process (the tree is then not stuck: it waits for its turn)? */
bool monitor_sched_holds(const struct monitor *m);
/* When the running process must next be looked at (1e300: never), and the look: one asleep in
 * a call the scheduler does not see, or running too long, gives way. */
double monitor_sched_next(const struct monitor *m);
void monitor_sched_tick(struct monitor *m);
/* Frees the scheduler (the schedule stays in m->schedule). */
void monitor_sched_end(struct monitor *m);

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
