/*
 * batch.h: a whole class at once.
 *
 * batch_grade() grades every student of a class folder (one folder, or one archive, per
 * student) for one or more exercises. A student's folder is the submission itself when one
 * exercise is graded, or holds one folder per exercise, named by its id. Each (student,
 * exercise) is a job run in a worker process of its own (so a crash or a harness failure stays
 * with that student, and every worker has its own sandbox); up to `jobs` run at once, and the
 * results do not depend on how many. A worker dies with the batch, however the batch ends.
 *
 * Everything goes to the output folder (layout in batch_int.h and docs/batch.md): the class's
 * files at its top (gradebook.csv, cases.csv, junit.xml, summary.txt, summary.html), each
 * student's under students/NAME/. Only one run writes there at a time (a lock). Each job's
 * result records a key covering everything it depends on (pipegrade itself, the options that
 * change a verdict or a report, the grading file and its data, the submission): a rerun
 * reuses the results whose key is unchanged (unless `force`) and grades the rest, so a rerun
 * also completes a run that was interrupted.
 *
 * For more than one machine, `--shard K/N` grades a stable share of the students and
 * batch_merge() joins the shards' output folders into what a single run gives.
 */
#ifndef PIPEGRADE_BATCH_H
#define PIPEGRADE_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "grade.h"
#include "util.h"

struct batch_options {
	int jobs;                   /* workers at once (>= 1) */
	const char *out_dir;        /* output folder, created when missing */
	bool force;                 /* regrade even when nothing changed */
	const char *only;           /* grade only this student (the others' results are kept, and
				   the class's files still list everyone); NULL: all */
	FILE *progress;             /* where progress goes (stderr), or NULL */
	bool progress_tty;          /* one live line instead of a line per job */
	struct grade_options grade; /* passed to every grade_submission(); stress_runs -1 for
				       grading.yaml's (GRADE_OPTIONS_INIT) */
	bool show_hidden;           /* reports show hidden cases' details (the instructor's view) */
	int shard_k, shard_n;       /* grade only the students of shard K of N (1 <= K <= N); N = 0:
				   all. A student's shard depends only on the name. */
};

struct batch_summary {
	int students;
	int jobs;        /* (student, exercise) pairs */
	int reused;      /* not graded again: unchanged since the last run */
	int lost_points; /* failed */
	int compile_errors;
	int missing;     /* nothing handed in, or nothing to build */
	int errors;      /* pipegrade could not grade them */
	int not_graded;  /* not graded (interrupted, or never started) */
	int interrupted; /* the signal that stopped the batch, else 0 */
};

/* What went wrong, when batch_grade() or batch_merge() did not run. */
enum batch_error {
	BATCH_FAILED = -1,  /* pipegrade failed (fork, a file it could not write) */
	BATCH_REFUSED = -2, /* the output folder cannot be used: another run holds it, or it
				   cannot be written; nothing was graded */
};

/* True when `dir` looks like a class folder (subfolders, no sources of its own). */
bool batch_is_class(const char *dir);

/* Returns 0 when the batch ran (whatever the students scored, interrupted or not: see
 * `summary`), or a batch_error with a message in `err`. */
int batch_grade(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *class_dir, const struct batch_options *opt,
		struct batch_summary *summary, struct buf *err);

/* Parses "K/N" for --shard. Returns 0 or -1. */
int batch_parse_shard(const char *text, int *k, int *n);

/* Joins the output folders of shards into `out_dir` (created when missing): the students'
 * folders are copied, and the class's files are made again from them, so the result is what
 * one run over the whole class gives. Returns 0 or a batch_error with a message. */
int batch_merge(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *const *shards, size_t nshards, const char *out_dir,
		struct batch_summary *summary, struct buf *err);

#endif
