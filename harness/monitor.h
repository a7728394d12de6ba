/*
 * monitor.h: watch every process of a case, and say why it hangs.
 *
 * Theory of operation. The monitor traces the case's main process with ptrace(PTRACE_SEIZE)
 * and the options TRACEFORK, TRACEVFORK, TRACECLONE, TRACEEXEC, TRACEEXIT, TRACESECCOMP and
 * EXITKILL, so every process the submission starts is traced from its first instruction and
 * stops only at those events: at a fork the new process gets its role (`child 1`, `child 1.2`),
 * at an exec its program's name and every fd above 2 it inherited are read from /proc (pipes
 * and anything else: files, FIFOs, sockets, devices), at its exit every fd above 2 it kept and
 * the children it did not wait for. A seccomp filter installed before
 * exec sends close(), dup2(), dup3() and close_range() to the tracer as well, so the monitor
 * sees who gives up which pipe end, even in a program that exits a millisecond later, and
 * write() on fd 1 of more than one byte, so it keeps the first bytes each process wrote to
 * stdout (nothing else). No system call is ever changed, with one exception: where the
 * program has no PID namespace of its own, the sandbox's filter sends kill() and its family to
 * the tracer too (sandbox_filter.h), and a signal aimed at a process outside the case is
 * refused (EPERM).
 *
 * While the case runs, the run loop calls monitor_tick() every WATCH_TICK_S (util.h). When
 * every live process has been asleep with no CPU time and no context switch for a settle
 * window, the monitor reads what each one waits on (/proc/PID/wchan and /proc/PID/syscall, the
 * fd argument mapped to a pipe through /proc/PID/fd) and decides whether those waits can ever
 * end. A read on a pipe whose write ends are all held by blocked processes, a write on a full
 * pipe whose read ends are all held by blocked processes, a wait for blocked children: a
 * deadlock. pause(), a stop signal, a read on something that is not a pipe: a hang. A sleep or
 * poll with a timeout is never stuck, and a process using CPU is never blocked (that is a
 * timeout at the case's limit). The verdict comes with the facts a student needs to act on:
 * every process and pipe at that moment, what each process waits on and who holds which end.
 *
 * The monitor finds facts and says nothing: its conclusions are data (monitor_facts.h), which
 * the reports turn into sentences, JSON and pictures (report_monitor.h).
 *
 * Ownership: a `struct monitor` is made per run by monitor_new() and released by
 * monitor_free(); a `struct monitor_conclusion` owns what it holds until monitor_conclusion_free()
 * (a caller may take any of its facts first: see the struct). Only run.c drives the monitor;
 * grade.c reads its conclusions with monitor_conclude().
 */
#ifndef PIPEGRADE_MONITOR_H
#define PIPEGRADE_MONITOR_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "findings.h"
#include "monitor_facts.h"

struct monitor;

/* The case's own pipes, which are pipegrade's and not the student's (named stdin/stdout/stderr
 * in reports, never counted or reported as leaks). */
struct monitor_stdio {
	unsigned long in_inode, out_inode, err_inode;
};

struct monitor *monitor_new(void);
void monitor_free(struct monitor *m);

/* The student's program is a script run by an interpreter (Python): the interpreter is the
 * student's program for the monitor (its forks, pipes, leaks and waits are the student's), but
 * its C frames are not the student's code (no C source location is said), and what each
 * process writes to stderr is followed, for the traceback of an uncaught exception. `script`:
 * the script's file name (its frames are the ones named, before the library's). Before
 * monitor_prepare(). */
void monitor_set_interpreted(struct monitor *m, const char *script);

/* Once monitor_tick() has found an interpreted program stuck: asks each process running the
 * script for its stacks (SIGABRT, which `python3 -X faulthandler` answers by writing every
 * thread's Python stack to stderr, then dying of it). Returns whether some process was asked;
 * the run then waits for them (monitor_stacks_done(), a short time at most), and calls
 * monitor_read_stacks(), which puts the line each one waited at in the stuck tree's facts
 * (monitor_wait.at). The asked processes' deaths are not crashes. */
bool monitor_ask_stacks(struct monitor *m);
bool monitor_stacks_done(const struct monitor *m);
void monitor_read_stacks(struct monitor *m);

/* Stress mode (docs/stress.md): the run is one of many, under `seed` (> 0), which chooses
 * an interleaving and the perturbations POSIX allows (monitor_schedule): the processes run
 * one at a time between the calls through which they interact (read and write on pipes,
 * sockets and FIFOs, close of their ends, wait, sleep, fork, exit), in the order of a
 * PCT-style priority schedule; reads may be cut at a write boundary, writes over PIPE_BUF split
 * and pipes made smaller. The same seed gives the same interleaving, as long as the program
 * does the same. Before monitor_prepare(). */
void monitor_set_stress(struct monitor *m, unsigned long long seed);

/* ---- used by run.c, in this order ---- */

/* Tells the monitor which pipes are pipegrade's own (before fork). */
void monitor_set_stdio(struct monitor *m, const struct monitor_stdio *stdio);

/* Builds the seccomp filter before fork (may allocate). Returns 0 or -1. */
int monitor_prepare(struct monitor *m);

/* In the child, between fork and exec (async-signal-safe): installs the seccomp filter that
 * sends close-like calls to the tracer. Returns 0 or -1 with errno. */
int monitor_child_setup(const struct monitor *m);

/* In the parent, right after fork, before letting the child exec: seizes it. Returns 0 or -1
 * with errno. */
int monitor_attach(struct monitor *m, pid_t pid);

/* Gives the monitor a status from waitpid(__WALL). Returns true when it was a ptrace stop that
 * the monitor handled (and resumed); false for real exits and for pids it does not trace,
 * which the caller handles as usual. */
bool monitor_on_wait(struct monitor *m, pid_t pid, int status);

/* Seconds (monotonic clock) when monitor_tick() next wants to run. */
double monitor_next_tick(const struct monitor *m);

/* Samples the live processes. `stdin_open`: pipegrade still has input to feed (a reader of
 * stdin is then not stuck). Returns true when the case is stuck for good: the run should kill
 * the tree and monitor_conclude() has the verdict. */
bool monitor_tick(struct monitor *m, bool stdin_open);

/* Most processes of the case seen alive at once, so far. */
int monitor_alive_peak(const struct monitor *m);

/* ---- used by grade.c after the run ---- */

struct monitor_conclusion {
	enum finding_kind stuck; /* FINDING_DEADLOCK, FINDING_HANG, or FINDING_PASS (not stuck) */
	double stuck_after_s;    /* when the tree was found stuck, from the start of the run */
	struct monitor_facts *stuck_facts; /* stuck: the processes, their waits and fds, and the
				     pipes at that moment (kind `stuck`); NULL when not stuck.
				     Owned; a caller that takes it sets it to NULL. */
	struct monitor_facts **found;      /* crash, fd_leak, orphan and structure facts, in the
				     order the reports list them (crashes, leaks and orphans by
				     process, then structure). A crash is a process killed by
				     SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS or SIGTRAP,
				     or the main process killed by any signal but SIGKILL.
				     Owned, each of them; a caller that takes one sets its slot
				     to NULL. */
	size_t nfound, found_cap;
	struct monitor_snapshot tree; /* every process of the case, in the order it appeared: pid,
				     parent, role, program exec'd and when, when and how it ended
				     (the signal and its sender: killed_by), whether it was busy
				     at the end (no fds, no waits); no pipes. Owned. */
	int processes;                /* processes the case started, the main one included */
	int forks;
	int pipes;                /* pipes the submission created */
	int max_fds;              /* most fds one process was seen holding (at exit, exec, fork) */
	int max_alive;            /* most processes alive at once */
	long long vm_peak_failed; /* the largest VmPeak (bytes) of a process that died by a signal
				     or exited with a status other than 0; 0 when none */
	int signals_refused;      /* signals aimed outside the case that were refused */
	struct monitor_schedule schedule; /* stress mode: the interleaving and what the seed
				     chose (seed 0 when not stressed). Owned; a caller that takes it
				     zeroes it. */
};

/* Draws the conclusions of a finished run into `c` (overwritten): the stuck verdict and its
 * facts (given away by the monitor: a second call has none), the process tree, the counts,
 * and the facts of the crash, fd_leak, orphan and structure findings. `req`: what the exercise
 * requires of the structure (config.h), NULL not to judge it (a run stopped half-way has not
 * shown its whole structure). `leftovers`: processes still running after the main process
 * exited (killed by the run). Cannot fail. */
void monitor_conclude(struct monitor *m, const struct requires *req, int leftovers,
		      struct monitor_conclusion *c);

/* Frees everything `c` still owns and zeroes it. */
void monitor_conclusion_free(struct monitor_conclusion *c);

#endif
