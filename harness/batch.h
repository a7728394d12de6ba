/*
 * batch.h: a whole class at once.
 *
 * batch_grade() grades every student of a class folder (one folder per student) for one or
 * more exercises. A student's folder is the submission itself when one exercise is graded,
 * or holds one folder per exercise, named by its id. Each (student, exercise) is a job run in
 * a worker process of its own (so a crash or a harness failure stays with that student, and
 * every worker is its own subreaper with its own sandbox uid); up to `jobs` run at once, and
 * the results do not depend on how many.
 *
 * Everything goes to the output folder:
 *   STUDENT/EXERCISE.txt    the text report      STUDENT/EXERCISE.json   Gradescope results
 *   STUDENT/results.json    all of the student's exercises as one Gradescope results.json
 *   gradebook.csv           student, points per exercise, total, max, status
 *   summary.txt             score histogram and the most common findings
 * Each job also leaves STUDENT/EXERCISE.tsv, a one-line summary with a content hash of the
 * submission and the grading file: a rerun skips jobs whose hash is unchanged (unless
 * `force`), which makes regrading a class after a change cheap.
 *
 * For more than one machine, `--shard K/N` grades a stable share of the students and
 * batch_merge() joins the shards' output folders into what a single run gives.
 *
 * Returns 0 when the batch ran (whatever the students scored; see `summary`), -1 with a
 * message when pipegrade could not run it (unreadable class folder, output folder, fork).
 */
#ifndef PIPEGRADE_BATCH_H
#define PIPEGRADE_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "grade.h"
#include "util.h"

struct batch_options {
	int jobs;               /* workers at once (>= 1) */
	const char *out_dir;    /* output folder, created when missing */
	bool force;             /* regrade even when nothing changed */
	const char *only;       /* grade only this student; NULL: all */
	FILE *progress;         /* where progress goes (stderr), or NULL */
	bool progress_tty;      /* one live line instead of a line per job */
	struct grade_options grade; /* passed to every grade_submission() */
	int shard_k, shard_n;   /* grade only the students of shard K of N (1 <= K <= N); N = 0:
				   all. A student's shard depends only on the name. */
};

struct batch_summary {
	int students;
	int jobs;               /* (student, exercise) pairs graded or reused */
	int reused;             /* skipped: unchanged since the last run */
	int lost_points;        /* jobs that lost points */
	int errors;             /* jobs where pipegrade itself failed */
	int interrupted;        /* the signal that stopped the batch, else 0 */
};

/* True when `dir` looks like a class folder (subfolders, no sources of its own). */
bool batch_is_class(const char *dir);

int batch_grade(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *class_dir, const struct batch_options *opt,
		struct batch_summary *summary, struct buf *err);

/* Parses "K/N" for --shard. Returns 0 or -1. */
int batch_parse_shard(const char *text, int *k, int *n);

/* Joins the output folders of shards into `out_dir` (created when missing): the students'
 * folders are copied, and the gradebook, JUnit, summary and per-student results are made
 * again from them, so the result is what one run over the whole class gives. Returns 0 or
 * -1 with a message. */
int batch_merge(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *const *shards, size_t nshards, const char *out_dir,
		struct batch_summary *summary, struct buf *err);

#endif
