/*
 * sandbox_cgroup.h: the cgroups a case runs in, on cgroup v1, v2, or a mix of both.
 *
 * What is used, per controller, where the machine has it:
 *  - processes: the `pids` controller (pids.max; pids.events' `max` counts the forks refused);
 *  - memory: the `memory` controller. v1: memory.limit_in_bytes and memsw.limit_in_bytes (no
 *    swap beyond the limit), memory.failcnt and oom_control's oom_kill, max_usage_in_bytes.
 *    v2: memory.max, memory.swap.max = 0, memory.events' `max` and `oom_kill`, memory.peak;
 *  - the whole tree: a v2 group (even one with no controllers, as on hybrid machines) whose
 *    cgroup.kill ends every process of the case in one write, wherever it hides. Each run
 *    gets a fresh leaf `run` below the grader's group, which holds the limits (they bind the
 *    leaf's processes too): a killed group stays marked, and Linux (6.18 seen) kills at birth
 *    a process cloned into a group killed before (CLONE_INTO_CGROUP compares the kill counts
 *    of the parent's group and the target's). The leaf costs about 0.4 ms a run, so it is
 *    made only where it does something: v2 holds a limit, or no PID namespace ends the tree.
 *
 * Where the groups are:
 *  - as root: v1 groups `pipegrade-slot-N` next to pipegrade's own in each controller's
 *    hierarchy; v2 groups `pipegrade/slot-N` at the top of the v2 hierarchy, with +pids and
 *    +memory enabled in `pipegrade`'s subtree_control (v2 lets a group with controllers for
 *    its children hold no processes, so pipegrade stays where it is). N is the grader's slot
 *    (sandbox_slot.h); groups of slots whose lock is free are stale and removed.
 *  - without root: a v2 subtree delegated to the user (systemd-run --user -p Delegate=yes, or
 *    a user service with Delegate=yes): pipegrade moves itself into a leaf `grader` of its own
 *    group, enables +pids +memory there, and runs cases in `case`. Only when its group holds
 *    no other process (else v2 refuses, and the limits fall back to rlimits).
 * The case's first process joins every group itself before it can fork (sandbox.h).
 *
 * Ownership: the per-grader paths live in `struct sandbox_cgroups` (made once, removed at
 * exit); a `struct sandbox_cgroup_run` owns the fds of one run.
 */
#ifndef PIPEGRADE_SANDBOX_CGROUP_H
#define PIPEGRADE_SANDBOX_CGROUP_H

#include <limits.h>
#include <stdbool.h>

#include "config.h"
#include "util.h"

struct sandbox_cgroups {
	char pids[PATH_MAX]; /* the group holding the process limit, or "" */
	bool pids_v2;
	char mem[PATH_MAX]; /* the group holding the memory limit, or "" */
	bool mem_v2;
	char unified[PATH_MAX]; /* the v2 group (cgroup.kill), or "" */
	bool swap_unlimited;    /* the memory limit does not cover swap, and there is swap */
	long long pids_written; /* the limits written last (they stay until changed) */
	long long mem_written;
	char why_not[PATH_MAX + 128]; /* why a controller is missing, for the report */
};

/* Finds or makes the grader's groups: `slot` >= 0 as root, -1 without root. */
void sandbox_cgroups_init(struct sandbox_cgroups *cg, int slot);

/* Removes the grader's groups (at exit: they must be empty by then). */
void sandbox_cgroups_remove(struct sandbox_cgroups *cg);

#define SANDBOX_CG_JOINS 2

struct sandbox_cgroup_run {
	int join_fd[SANDBOX_CG_JOINS]; /* v1 `tasks` files the child writes "0" into (a single
					  thread moving itself skips the kernel's global lock on
					  thread groups), -1 past the last */
	int v2_join_fd;                /* the v2 group's cgroup.procs, or -1 (a v2 move takes that
					  lock: the program's process is rather cloned into the
					  group, clone3(CLONE_INTO_CGROUP), where the kernel can) */
	int pids_events_fd;            /* pids.events, polled while running, or -1 */
	int kill_fd;                   /* cgroup.kill of the run's leaf, or -1 */
	int dir_fd;                    /* the run's leaf, for clone3(CLONE_INTO_CGROUP), or -1 */
	char leaf[PATH_MAX + 8];       /* the run's v2 leaf (removed with the run), or "" */
	long long pids_max_before;     /* counters before the run */
	long long mem_max_before;
	long long oom_before;
};

/* An empty run (every fd -1), safe to free. */
void sandbox_cgroup_run_init(struct sandbox_cgroup_run *run);

/* Writes the run's limits (checked: a limit that cannot be set is an error) and opens what the
 * run needs. `extra_pids`: processes of ours in the group besides the program's (a v2 group
 * also holds the PID namespace's init and, for a moment, its launcher). `kill_group`: make
 * the run's v2 leaf even where v2 holds no limit (for its cgroup.kill). Returns 0 or -1 with
 * a message. */
int sandbox_cgroup_prepare(struct sandbox_cgroups *cg, const struct limits *lim, int extra_pids,
			   bool kill_group, struct sandbox_cgroup_run *run, struct buf *err);

/* In the child (async-signal-safe): joins every group (the v2 one unless `in_v2` already).
 * Returns 0 or -1 with errno. */
int sandbox_cgroup_join(const struct sandbox_cgroup_run *run, bool in_v2);

/* True once a fork has been refused at the process limit during this run. */
bool sandbox_cgroup_hit_processes(const struct sandbox_cgroup_run *run);

/* After the run: was the memory limit reached, and the peak (-1: unknown). */
void sandbox_cgroup_memory(const struct sandbox_cgroups *cg, const struct sandbox_cgroup_run *run,
			   bool *hit, long long *peak);

/* Kills every process in the run's v2 group (cgroup.kill). Returns 0, or -1 without one. */
int sandbox_cgroup_kill(const struct sandbox_cgroup_run *run);

void sandbox_cgroup_run_free(struct sandbox_cgroup_run *run);

#endif
