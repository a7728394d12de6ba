/*
 * sandbox.h: what keeps a submission from reaching the machine, pipegrade, the grading data,
 * other submissions, the results or a later case.
 *
 * Theory of operation. A grader (one pipegrade process; each batch worker is one) sets up
 * once, at the first sandbox_caps():
 *  - as root: a slot (sandbox_slot.h) gives its programs a uid of their own and names its
 *    cgroups; without root, pipegrade enters a user namespace of its own (its uid mapped to
 *    itself), which gives it the same namespaces to build with;
 *  - a mount namespace of its own, where each case's scratch tmpfs is mounted (invisible to the
 *    machine, gone with pipegrade);
 *  - the allow-list root (sandbox_root.h), an empty network namespace, cgroups
 *    (sandbox_cgroup.h), and a "life" pipe whose write end only pipegrade holds.
 * Each build and each case then:
 *  - sandbox_prepare(): a scratch tmpfs whose size is the disk quota, the program copied in, the
 *    cgroups' limits, the seccomp filter (sandbox_filter.h);
 *  - sandbox_spawn() instead of fork(): a PID namespace with an init (pid 1) that only reaps
 *    and the program's process (pid 2), both pipegrade's own children. As root pipegrade
 *    makes the namespace for its next children and returns to its own after the two forks;
 *    without root it cannot return, so a short-lived launcher makes the namespace and clones
 *    both into it with CLONE_PARENT. The init dies with pipegrade (PR_SET_PDEATHSIG, and end
 *    of file on the life pipe, which also covers pipegrade dying before the death signal was
 *    armed);
 *  - sandbox_child_enter() in that process (async-signal-safe): cgroups first, then the root,
 *    a fresh /proc, a new session keyring, the uid, /box as working directory;
 *    sandbox_child_lockdown(): NO_NEW_PRIVS and the filter; sandbox_child_limits(): the rlimits
 *    last, so they bind the program and not pipegrade's own set-up;
 *  - sandbox_poll() while it runs, sandbox_kill() to end it, sandbox_collect() after it,
 *    sandbox_free() at the end (the scratch tmpfs goes).
 * Every step that fails stops the case as pipegrade's failure (fail closed): a program never
 * runs with less protection than sandbox_describe() reports.
 *
 * Ownership: the grader's state is owned by the process that made it (a forked process makes
 * its own at its first sandbox_caps()); a `struct sandbox` owns its scratch space and fds.
 */
#ifndef PIPEGRADE_SANDBOX_H
#define PIPEGRADE_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "sandbox_cgroup.h"
#include "sandbox_filter.h"
#include "sandbox_root.h"
#include "sandbox_slot.h"
#include "util.h"

/* What this grader has; made once per process by sandbox_caps(). */
struct sandbox_caps {
	bool root;     /* effective uid 0, and the slot's uid exists in our user namespace */
	bool userns;   /* without root: pipegrade is in a user namespace of its own */
	bool uid_drop; /* programs run as the slot's uid (root) */
	uid_t uid;     /* the uid and gid programs run as */
	gid_t gid;
	struct sandbox_slot slot;
	bool mount_ns;     /* pipegrade's own mount namespace */
	bool fs_root;      /* the allow-list root, with a disk quota per case */
	bool pid_ns;       /* programs run in a PID namespace of their own */
	bool proc_private; /* with a /proc of their own */
	bool net_ns;       /* and no network */
	bool filter;       /* the seccomp filter */
	bool nproc_own;    /* RLIMIT_NPROC counts the case's processes alone (a uid of its own,
				or a user namespace of its own on Linux 5.14 or later) */
	int nproc_others;  /* processes of that count that are not the case's */
	struct sandbox_cgroups cg;
	int root_fd;          /* the root's mount namespace, or -1 */
	int net_fd;           /* the empty network namespace, or -1 */
	int own_pid_ns;       /* as root, our own PID namespace, to return to after making the
				program's (sandbox_spawn), or -1 */
	int life_fd[2];       /* the inits read [0]; only pipegrade holds [1] */
	pid_t owner;          /* the process all this belongs to */
	char broken[320];     /* a protection this grader must have and could not set up: every
				case then fails as pipegrade's failure */
	char userns_why[160]; /* without root: why there is no user namespace */
	char root_why[320];   /* why there is no allow-list root */
};

/* The grader's protections (made at the first call in each process). */
const struct sandbox_caps *sandbox_caps(void);

/* "unprivileged uid 60612, allow-list root, PID namespace, ..." into `in_force`, and what is
 * missing and why into `missing` (empty when nothing is). */
void sandbox_describe(const struct sandbox_caps *caps, struct buf *in_force, struct buf *missing);

/* The attacks a test must only run where they are contained. */
enum sandbox_threat {
	THREAT_FORK_BOMB, /* a process limit that holds for the whole case */
	THREAT_KILL_ALL,  /* kill(-1) and kill(pid) of processes outside the case */
	THREAT_MEMORY,    /* a memory limit */
};

/* True when `threat` is contained by the protections in force. */
bool sandbox_contains(const struct sandbox_caps *caps, enum sandbox_threat threat);

struct sandbox {
	const struct sandbox_caps *caps;
	struct limits limits;
	struct sandbox_scratch scratch; /* the case's directory and scratch space */
	const char *dir;    /* the case's directory as pipegrade sees it (scratch.box): files go
				 in before the run and are read after it */
	struct strvec hide; /* paths in allow-listed directories to cover (the course's...) */
	struct sandbox_cgroup_run cg;
	struct sandbox_filter filter;
	int cgroup_fd;         /* the run's v2 group, for clone3(CLONE_INTO_CGROUP), or -1 (owned
				 by `cg`) */
	long long nproc_limit; /* RLIMIT_NPROC: the case's processes, one more to see the limit
				  reached, and the others its count includes */
	/* what happened */
	bool hit_processes;    /* a fork was refused at the process limit */
	bool hit_memory;       /* the memory limit was reached (an allocation failed or OOM kill) */
	bool hit_disk;         /* the disk quota was used up */
	long long memory_peak; /* bytes, from the memory cgroup; -1 when unknown */
};

/* Prepares a run: a fresh scratch space holding a copy of `binary` (NULL: nothing) named
 * `name`, the limits, the filter. `hide`: paths the program must not see (the course's folder, the
 * class's), NULL-terminated; only those inside allow-listed directories need covering.
 * Returns 0, or -1 with a message in `err`. */
int sandbox_prepare(struct sandbox *sb, const struct limits *lim, const char *binary,
		    const char *name, const char *const *hide, struct buf *err);

/* Forks the process that runs the program (like fork(): 0 in it). With a PID namespace it is
 * pid 2 there, and *init gets the namespace's init (pipegrade's child too; killing it ends
 * the namespace); without one *init is 0. Returns -1 with errno when it could not. */
pid_t sandbox_spawn(const struct sandbox *sb, pid_t *init);

/* In the program's process, between fork and exec (async-signal-safe). Each returns 0, or -1
 * with errno and the step that failed in *what. */
int sandbox_child_enter(const struct sandbox *sb, const char **what);
int sandbox_child_lockdown(const struct sandbox *sb, bool traced, const char **what);
int sandbox_child_limits(const struct sandbox *sb, const char **what);

/* Confines the calling process, a worker pipegrade forked to read untrusted data with its own
 * code (an archive, with libarchive): every fd but `keep` (n of them) closed, a new session,
 * limits (open files 64, file size `file_bytes`, CPU 60 s, address space 1 GiB, no fork), as
 * root the uid of `slot` (held by the caller), no new privileges, and the system call filter
 * with exec refused. Returns 0, or -1 with errno and the failed step in *what. */
int sandbox_confine_worker(const struct sandbox_slot *slot, long long file_bytes, const int *keep,
			   int n, const char **what);

/* While running: true once the process limit has refused a fork. */
bool sandbox_poll(struct sandbox *sb);

/* Kills every process of the run at once where a v2 cgroup allows it. Returns 0 or -1. */
int sandbox_kill(const struct sandbox *sb);

/* After the run (every process gone): what limits were reached. */
void sandbox_collect(struct sandbox *sb);

void sandbox_free(struct sandbox *sb);

/* The case's directory as the program sees it, which is its working directory: SANDBOX_BOX
 * inside the allow-list root, the scratch directory itself (`dir`) without one. */
const char *sandbox_program_dir(const struct sandbox *sb);

/* The programs' PATH: the system's directories, as the allow-list root has them. */
#define SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin"

/* Appends to `env` ("NAME=value" strings) the environment a login shell gives a program, and
 * nothing of pipegrade's own: PATH, HOME and PWD (sandbox_program_dir(): its own writable
 * directory), USER and LOGNAME (its uid's name where it runs: SANDBOX_USER in the allow-list
 * root, else the machine's name for it, or SANDBOX_USER when it has none), LANG and LC_ALL
 * (C), TERM=dumb and SHELL=/bin/sh. Builds and cases alike; docs/sandbox.md has the table. */
void sandbox_env(const struct sandbox *sb, struct strvec *env);

/* Makes `path` and everything below it belong to the programs' uid (files pipegrade put in
 * the case's directory that the program may change). Returns 0 or -1. */
int sandbox_give(const struct sandbox_caps *caps, const char *path);

#endif
