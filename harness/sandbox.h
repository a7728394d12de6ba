/*
 * sandbox.h: what keeps a submission from hurting the machine, pipegrade, the grading data or
 * other submissions.
 *
 * Protections, each used when this machine and this process allow it (sandbox_detect()):
 *  - an unprivileged uid (when pipegrade runs as root): the program cannot signal pipegrade,
 *    read its environment or cwd, or touch files it does not own; RLIMIT_NPROC then counts
 *    the case's processes only, because every pipegrade process uses its own uid;
 *  - a private mount namespace (root): the course's directory, the submission's folder,
 *    pipegrade's temporary directory, /root and /home are covered with empty read-only tmpfs;
 *    /tmp, /var/tmp and /dev/shm become small private tmpfs that vanish with the case; the
 *    case's own directory is bound at $TMPDIR/pipegrade-case and is its working directory;
 *    in that namespace, a /proc of its own (hidepid=invisible) shows the program only the
 *    processes of its uid: its own, not pipegrade or other submissions;
 *  - a PID namespace (root): the program is pid 2 of a namespace whose pid 1 is an init of
 *    ours that only reaps; both are pipegrade's children (the program's status and rusage
 *    come from wait4 as without a namespace), orphans go to that init, and killing the init
 *    at the end of the run ends everything left in the namespace (the init also dies with
 *    pipegrade, should pipegrade be killed outright);
 *  - a network namespace (root): no network at all, not even loopback;
 *  - cgroup v1 `pids` and `memory` controllers (root, when mounted): the process and memory
 *    limits hold for the whole tree, and reaching them is counted (pids.events, failcnt);
 *  - rlimits, always: CPU time, file size, open files, core files off; address space when
 *    no memory cgroup is available; processes when an unprivileged uid is used.
 *
 * Life cycle, per run: sandbox_prepare() before fork (makes the private directory, its
 * limits in the cgroups, and every path and fd the child needs), sandbox_child_enter() in the
 * child between fork and exec (async-signal-safe; the child joins the cgroups first, before it
 * can fork), sandbox_poll() while it runs, sandbox_collect() after it, sandbox_free() at the
 * end (removes the directory; the cgroups are removed when pipegrade exits).
 *
 * Ownership: a `struct sandbox` owns its directory, paths and fds.
 */
#ifndef PIPEGRADE_SANDBOX_H
#define PIPEGRADE_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "util.h"

/* What the machine offers; detected once per process. */
struct sandbox_caps {
	bool root;           /* effective uid 0 */
	bool uid_drop;       /* students run as an unprivileged uid */
	uid_t uid;           /* that uid (and gid) */
	bool mount_ns;       /* private mount namespace */
	bool proc_private;   /* in it, a /proc showing only the program's own processes */
	bool pid_ns;         /* the program runs in a PID namespace of its own */
	bool net_ns;         /* no network */
	char pids_cg[256];   /* cgroup v1 pids directory we may create groups in, or "" */
	char mem_cg[256];    /* cgroup v1 memory directory, or "" */
	int net_fd;          /* an empty network namespace made once, joined by every run (making
				a new one costs more than a whole small case); -1: none */
	int own_pid_ns;      /* our own PID namespace, to return to after each run's; -1: none */
};

/* The unprivileged uid the programs of pipegrade process `pid` run as (64000 + pid % 1000). */
uid_t sandbox_uid_of(pid_t pid);

/* Detects what this process can use (cached after the first call). */
const struct sandbox_caps *sandbox_caps(void);

/* "unprivileged uid 64123, private mounts, no network, cgroup pids, cgroup memory, rlimits"
 * into `in_force`, and what is missing and why into `missing` (empty when nothing is). */
void sandbox_describe(const struct sandbox_caps *caps, struct buf *in_force, struct buf *missing);

/* True when the hostile tests (fork bomb, kill(-1)) are contained: an unprivileged uid with a
 * process limit. */
bool sandbox_contains_hostile(const struct sandbox_caps *caps);

struct sandbox {
	const struct sandbox_caps *caps;
	struct limits limits;
	char *dir;           /* the private working directory on the host (owned) */
	int dir_fd;          /* O_PATH fd of dir, for the bind mount in the child */
	char *inside;        /* the directory's path as the program sees it */
	struct strvec hide;  /* directories covered with an empty tmpfs, parents first */
	char *scratch[3];    /* /tmp, /var/tmp, /dev/shm: private tmpfs */
	const char *pids_cg; /* the cgroups runs join (made once per pipegrade process and reused,
				removed at exit), or NULL */
	const char *mem_cg;
	long long pids_max_before; /* the cgroups' counters before this run */
	long long mem_fail_before;
	long long oom_before;
	int pids_events_fd;  /* pids.events, read while running */
	int pids_tasks_fd;   /* the cgroups' `tasks` files, written by the child to join them */
	int mem_tasks_fd;
	bool keep_dir;       /* the directory is the caller's (the build's): not removed */
	/* what happened */
	bool hit_processes;  /* a fork failed because of the process limit */
	bool hit_memory;     /* the memory limit was reached (allocation failed or OOM kill) */
	long long memory_peak; /* bytes, from the memory cgroup; -1 when unknown */
};

/* Prepares a run in a fresh private directory holding a copy of `binary` (NULL: nothing),
 * or, when `use_dir` is given, in that existing directory (the build's). `hide` are extra
 * directories to cover (the course's, the submission's folder); NULL-terminated. Returns 0,
 * or -1 with a message in `err`. */
int sandbox_prepare(struct sandbox *sb, const struct limits *lim, const char *binary,
		    const char *use_dir, const char *const *hide, struct buf *err);

/* Around the fork of the program's process, with a PID namespace (caps->pid_ns): begin makes
 * the namespace and forks its init (pid 1, a process of ours that only reaps), so that
 * pipegrade's next fork is pid 2 in it; end, right after that fork, makes pipegrade's later
 * children its own again. begin returns the init's pid (killing it ends the namespace and
 * everything in it), 0 without a PID namespace, or -1 with errno. */
pid_t sandbox_pid_ns_begin(const struct sandbox *sb);
void sandbox_pid_ns_end(const struct sandbox *sb);

/* The child, between fork and exec: cgroups, namespaces, mounts, rlimits, uid, working
 * directory. Async-signal-safe. Returns 0 or -1 with errno. */
int sandbox_child_enter(const struct sandbox *sb);

/* While running: true once the process limit has stopped a fork. */
bool sandbox_poll(struct sandbox *sb);

/* After the run (every process gone): what limits were reached. */
void sandbox_collect(struct sandbox *sb);

void sandbox_free(struct sandbox *sb);

/* Makes `path` and everything below it belong to the sandbox's uid (for a build directory
 * the student's build writes into). Returns 0 or -1. */
int sandbox_give(const struct sandbox_caps *caps, const char *path);

#endif
