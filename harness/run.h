/*
 * run.h: run one program to completion, the way pipegrade runs every case and every build.
 *
 * Theory of operation. run_program() forks one child (with a sandbox, sandbox_spawn() does, into
 * a PID namespace). Before exec the child restores the default signal dispositions and an
 * empty signal mask, starts a new session (no controlling terminal), takes its stdin, stdout
 * and stderr from three pipes and marks every other fd close-on-exec, so the program starts
 * with exactly fds 0, 1 and 2; it enters the sandbox, installs the filters and sets its
 * rlimits last (CPU time, no core files, the sandbox's). What fails before exec is sent back
 * to the parent over a close-on-exec pipe, with the step and the errno: a failed exec is
 * RUN_EXEC_FAILED, a failed set-up is pipegrade's failure (run_program() returns -1). The parent
 * then runs one ppoll() loop over: the stdin pipe (fed in non-blocking chunks, then closed, so
 * a program that writes a lot before reading cannot deadlock against us), the stdout and
 * stderr pipes (read up to a byte cap), and a signalfd for SIGCHLD (reaped with a WNOHANG loop,
 * because SIGCHLDs coalesce). The loop waits for events only; its timeout is the wall-clock
 * deadline. It ends when the main process has exited and both output pipes reached EOF, or
 * after a short grace when descendants still hold the pipes, or at the deadline, or when an
 * output cap is exceeded.
 *
 * With a monitor, the child also waits on a "go" pipe before exec until the parent has seized
 * it with ptrace, installs the monitor's seccomp filter, and the loop hands every ptrace stop
 * to the monitor and calls its tick at the times it asks for (see monitor.h). If ptrace is
 * refused, the run goes on unmonitored (res->monitored is false).
 *
 * Nothing outlives a run: the calling process makes itself a child subreaper, so descendants
 * that double-fork or setsid are re-parented to it instead of init, and at the end every
 * descendant is killed with SIGKILL and reaped, round after round until none is left (a
 * process that forks during the kill is caught in the next round). Children are reaped 64 at
 * a time between looks at the clock, so a tree that forks and exits without pause cannot hold
 * the run past its deadline.
 *
 * SIGINT, SIGTERM and SIGHUP sent to pipegrade during a run are read from the same signalfd:
 * the tree is killed and the run ends as RUN_INTERRUPTED, so the caller can stop cleanly
 * (the program's own process group does not get the terminal's Ctrl-C).
 *
 * Process-wide effects, for the duration of the call: SIGCHLD, SIGINT, SIGTERM and SIGHUP are
 * blocked and SIGPIPE ignored (all restored on return); PR_SET_CHILD_SUBREAPER is set and left set. The caller must not
 * have other children running: every child of the caller is treated as part of the run.
 */
#ifndef PIPEGRADE_RUN_H
#define PIPEGRADE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct monitor;
struct sandbox;

/* A run's description. Start from RUN_SPEC_INIT, which holds the defaults below, and set
 * `file`, `argv` and `envp` at least: a zeroed spec is refused (its wall-clock limit and
 * output cap of 0 would end the run at once). */
#define RUN_DEFAULT_WALL_S 10.0        /* seconds */
#define RUN_DEFAULT_OUTPUT (8LL << 20) /* bytes per stream */
#define RUN_SPEC_INIT                                                                              \
	{                                                                                          \
		.wall_s = RUN_DEFAULT_WALL_S, .output_bytes = RUN_DEFAULT_OUTPUT, .grace_s = -1    \
	}

struct run_spec {
	const char *file;        /* program to exec; searched in PATH when it has no '/' */
	const char *const *argv; /* argv[0] included, NULL-terminated; never written */
	const char *const *envp; /* environment of the program, NULL-terminated; never written */
	const char *cwd;         /* working directory of the program; NULL: the caller's */
	const char *stdin_data;  /* fed to the program's stdin, then closed; may hold NUL bytes */
	size_t stdin_len;        /* 0: the program sees EOF at once */
	double wall_s;           /* wall-clock limit, seconds (> 0; default 10) */
	double cpu_s;            /* CPU limit per process, seconds (RLIMIT_CPU); <= 0: none (the
				    default) */
	long long output_bytes;  /* cap on each of stdout and stderr (> 0; default 8 MiB); beyond
				    it the run stops */
	double grace_s;          /* after the main process exits, how long descendants that still
				    hold stdout/stderr may keep writing; < 0: a default of 0.5 s */
	struct monitor *monitor; /* traces the tree and detects a stuck one (monitor.h); NULL: none.
				    Owned by the caller, who reads its conclusions afterwards. */
	struct sandbox *sandbox; /* uid, namespaces, cgroups, rlimits (sandbox.h), prepared by the
				    caller; its directory is the working directory (cwd is then
				    ignored). NULL: none. */
};

enum run_end {
	RUN_EXITED,       /* the main process exited by itself: see exit_code */
	RUN_SIGNALED,     /* the main process was killed by a signal it got: see term_signal */
	RUN_TIMEOUT,      /* wall-clock limit reached; the tree was killed */
	RUN_CPU_LIMIT,    /* the main process exceeded its CPU limit (SIGXCPU or SIGKILL) */
	RUN_OUTPUT_LIMIT, /* stdout or stderr exceeded output_bytes; the tree was killed */
	RUN_EXEC_FAILED,  /* exec of the program failed: see exec_errno (the caller judges whose
			     fault that is) */
	RUN_INTERRUPTED,  /* pipegrade got SIGINT, SIGTERM or SIGHUP: see interrupted */
	RUN_STUCK, /* the monitor found every process blocked for good; the tree was killed */
	RUN_PROCESS_LIMIT, /* a fork failed on the sandbox's process limit; the tree was killed */
};

struct run_result {
	enum run_end end;
	int exit_code;   /* when the main process exited: 0-255; else -1 */
	int term_signal; /* signal that ended the main process, else 0 */
	int exec_errno;  /* RUN_EXEC_FAILED: why execve failed */
	bool out_capped; /* stdout exceeded the cap */
	bool err_capped; /* stderr exceeded the cap */
	struct buf out;  /* stdout, at most output_bytes */
	struct buf err;  /* stderr, at most output_bytes */
	double wall_s;   /* from fork to the end of the main process (or the limit) */
	double cpu_s;    /* user+system CPU of the main process and the children it waited for */
	long max_rss_kb; /* peak resident memory of the main process, KiB */
	pid_t pid;       /* pid the main process had */
	int leftovers;   /* descendants still alive after the main process ended, killed */
	int interrupted; /* SIGINT, SIGTERM or SIGHUP received during the run, else 0 */
	bool monitored;  /* the monitor traced the run (ptrace may be refused) */
};

/* Runs `spec` to completion. Returns 0 with `res` filled whatever the program did, or -1 when
 * pipegrade itself failed (pipe, fork, signalfd...), with a message appended to `err`; in both
 * cases every process started has been killed and reaped, and `res` must be freed. */
int run_program(const struct run_spec *spec, struct run_result *res, struct buf *err);

void run_result_free(struct run_result *res);

/* Kills every descendant of the calling process and reaps them, until none is left. Returns
 * how many processes were killed. Used by run_program(); exposed for the tests. */
int run_kill_descendants(void);

/* A one-line description of how a run ended, e.g. "exited with status 1", "killed by signal
 * 11 (SIGSEGV: segmentation fault)". Returns a malloc'd string. */
char *run_describe_end(const struct run_result *res);

#endif
