/*
 * grade.h: one submission of one exercise, from source to points.
 *
 * grade_submission() builds the submission (build.h), runs every case (run.h), compares the
 * outputs (compare.h), turns what happened into findings (findings.h) and points. Every case
 * runs with the environment a login shell gives (sandbox_env(), sandbox.h) and nothing of
 * pipegrade's; a program linked with AddressSanitizer also with its leak checker off, which
 * the result's `notes` say. A case that
 * meets every expectation scores its points and carries a single `pass` finding. The quality
 * findings of the process monitor (`fd_leak`, `orphan`) cost the fraction of the case's points
 * that grading.yaml sets (penalties); any other finding scores 0 for the case. A build failure scores 0 for every case, each carrying a
 * `compile_error` finding with the compiler's diagnostics.
 *
 * Stress mode (docs/stress.md): a case with stress runs N > 0 (grading.yaml's `stress`, or
 * grade_options.stress_runs) whose plain run is watched by the monitor and meets its
 * expectations (nothing but pass, notes, fd_leak or orphan) runs N more times, each a complete
 * run like the plain one under monitor_set_stress() with the seeds 1 to N. A stressed run
 * fails when it has a finding that costs the whole case, but for a timeout (a stressed run is
 * slower by design: running out of time is not a race); if any did, the case gets a `race`
 * finding (finding.race: the runs, the failures, the first failing seed and that run's
 * findings) and scores 0. A replay (grade_options.seed) runs each case once, under that seed,
 * instead: its findings are that run's.
 *
 * When pipegrade is asked to stop (SIGINT, SIGTERM or SIGHUP) during a case, that case's
 * processes are killed, no further case runs, and the result says so (`interrupted`): it holds
 * the cases finished before, and the report marks itself incomplete.
 *
 * Two failure paths are kept apart: grade_submission() returns -1 only when pipegrade itself
 * failed (it could not make a temporary directory, fork, read /proc...), with a message in
 * `err`; everything the submission does wrong is a finding in a result that returns 0.
 *
 * Ownership: a `struct submission_result` owns its cases, findings, outputs and build log;
 * submission_result_free() releases them. It points to (does not own) the exercise and cases
 * of the course, which must outlive it.
 */
#ifndef PIPEGRADE_GRADE_H
#define PIPEGRADE_GRADE_H

#include <stdbool.h>

#include "config.h"
#include "findings.h"
#include "monitor_facts.h"
#include "util.h"

struct case_result {
	const struct test_case *tc;
	struct findings findings;
	double score;     /* points earned */
	double max_score; /* the case's points */
	double wall_s;    /* wall-clock time of the run */
	double cpu_s;     /* CPU time (user + system) of the program and its waited-for children */
	bool ran;         /* false when the program never started (compile error) */
	int exit_code;    /* exit status when it exited, else -1 */
	int term_signal;  /* signal that killed it, else 0 */
	struct buf out;   /* the start of what it wrote to stdout (64 KiB at most; the whole
			       output, up to the limit, was compared) */
	struct buf err;   /* the same for stderr */
	bool monitor_wanted;  /* the process monitor was asked to watch this case */
	bool monitored;       /* the process monitor watched this case (ptrace may be refused) */
	double stuck_after_s; /* deadlock or hang: when it was found, from the start of the run */
	struct monitor_snapshot tree; /* monitored cases: every process, in the order it
				 appeared (monitor_facts.h; no fds, no pipes). Owned. The processes
				 and pipes of a stuck tree are the details of its deadlock or hang
				 finding (case_stuck_facts()) */
	int processes;                /* processes the case started (monitored cases) */
	int max_alive;                /* most of them alive at once (monitored cases) */
	int pipes;                    /* pipes the submission created (monitored cases) */
	int stress_runs;              /* stressed runs made after the plain run (0: none) */
	int stress_failed;            /* of them, those that failed (the race finding's count) */
	unsigned long long seed;      /* a replay (grade_options.seed): the seed of its one run;
					 0: not a replay */
	struct monitor_schedule schedule; /* a replay: the interleaving and perturbations the seed
				 chose (monitor_facts.h; seed 0 when there is none, its steps may be
				 missing). Owned */
};

struct submission_result {
	const struct exercise *ex;
	char *submission; /* path as given */
	char *python;     /* a Python exercise: the interpreter the cases run (owned), else NULL */
	bool compiled;
	bool nothing_to_build; /* not compiled because nothing was handed in (no source, no
				   Makefile where one is needed) */
	struct buf build_log;  /* compiler or make output */
	double build_s;
	struct case_result *cases;
	size_t ncases;
	double score;
	double max_score;
	double wall_s;      /* whole grading time */
	int interrupted;    /* pipegrade got this signal (SIGINT, SIGTERM, SIGHUP) and stopped:
				   `cases` then holds only the cases finished before it */
	size_t total_cases; /* cases there were to grade */
	char *workdir;      /* the build directory, when it was kept; else NULL */
	char *protections;  /* the sandbox's protections in force, e.g. "unprivileged uid
				   60612, allow-list root, disk quota, ..." */
	char *unprotected;  /* what is missing and why, or NULL */

	struct buf build_warnings; /* a build that succeeded: the first lines of its warnings
				      (build.h); empty when none */
	struct buf notes; /* how the cases were run, for the student: sentences, each on a line of
			     its own (an AddressSanitizer build runs without its leak checker);
			     empty when nothing is to be said */
};

struct grade_options {
	const char *only_case; /* grade only the case with this name; NULL: all */
	bool keep_workdir;     /* leave the temporary build directory (for debugging); its path
				   is then in submission_result.workdir, with repro.sh to run its
				   cases by hand (grade_repro.h) */
	bool show_hidden;      /* repro.sh holds the hidden cases too (their inputs) */
	bool no_monitor;       /* never watch the processes, whatever grading.yaml says */
	const char *cache_dir; /* compile cache (build.h); NULL: none */
	/* stressed runs of every case, over grading.yaml's: -1 grading.yaml's (test_case.stress),
	 * 0 none, up to MAX_STRESS_RUNS (config.h). A zeroed struct turns stress off: start from
	 * GRADE_OPTIONS_INIT */
	int stress_runs;
	unsigned long long seed; /* a replay: every case runs once, under this seed, instead of its
				    plain and stressed runs; 0: none */
};

/* grade_options as a NULL `opt` grades: everything as grading.yaml says. */
#define GRADE_OPTIONS_INIT                                                                         \
	{                                                                                          \
		.stress_runs = -1                                                                  \
	}

/* Grades `submission` (a directory or a single .c file) against `ex`. Returns 0 with `res`
 * filled, or -1 with a message in `err` when pipegrade itself failed. */
int grade_submission(const struct course *c, const struct exercise *ex, const char *submission,
		     const struct grade_options *opt, struct submission_result *res,
		     struct buf *err);

void submission_result_free(struct submission_result *res);

/* True when every case passed. */
bool submission_passed(const struct submission_result *res);

/* The facts of the case's deadlock or hang finding (its processes, their waits and fds, and
 * the pipes when it was found stuck), or NULL when the case was not stuck. Owned by the
 * finding. */
const struct monitor_facts *case_stuck_facts(const struct case_result *cr);

#endif
