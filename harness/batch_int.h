/*
 * batch_int.h: what the batch files share (batch.c: the plan, the lock, the workers;
 * batch_job.c: one job's worker and its result files; batch_class.c: the class's aggregate and
 * its outputs, and merging shards). Not for use outside batch*.c.
 *
 * The output folder (docs/batch.md):
 *   OUT/.lock                        held while a run writes there
 *   OUT/.cache/, OUT/.unpacked/      the compile cache, the students' archives unpacked
 *   OUT/gradebook.csv, cases.csv, junit.xml, summary.txt, summary.html
 *   OUT/students/STUDENT/results.json          every exercise of the student (Gradescope)
 *   OUT/students/STUDENT/EXERCISE/report.txt   one job's text report
 *   OUT/students/STUDENT/EXERCISE/results.json one job's Gradescope results
 *   OUT/students/STUDENT/EXERCISE/tests.part   its tests, for the student's results.json
 *   OUT/students/STUDENT/EXERCISE/junit.xml    its <testsuite>, for the class's junit.xml
 *   OUT/students/STUDENT/EXERCISE/result.tsv   its result (below); written last
 * Students' folders and the class's files are apart, so no student name can collide with an
 * output. Every file is written to a temporary name and renamed into place when complete.
 */
#ifndef PIPEGRADE_BATCH_INT_H
#define PIPEGRADE_BATCH_INT_H

#include <stdbool.h>
#include <sys/types.h>

#include "batch.h"

/* How a job ended, worst last but one (the order a student's status is picked in: see
 * batch_class.c). */
enum job_status {
	JOB_PASSED,
	JOB_MISSING,       /* nothing handed in, or nothing to build */
	JOB_FAILED,        /* graded, lost points */
	JOB_COMPILE_ERROR, /* did not build */
	JOB_NOT_GRADED,    /* not graded yet: interrupted, or never started */
	JOB_ERROR,         /* pipegrade could not grade it (see the report) */
};

/* The name of a status, as the gradebook writes it. */
const char *job_status_name(enum job_status s);

/* A status in words, for people (the progress lines): in the language in force. */
const char *job_status_text(enum job_status s);

/* The exit status of a worker that graded its job but could not write its files (a grading
 * that failed: 3). */
#define JOB_WRITE_FAILED 4

/* One case of a graded job. */
struct case_line {
	int index; /* in the exercise's cases */
	bool passed;
	double score, max;
	char kind[32]; /* the first finding's kind when it did not pass, else "" */
};

/* One (student, exercise). */
struct job {
	char *student;
	const struct exercise *ex;
	char *path;             /* the submission; NULL when there is none to grade */
	char *dir;              /* OUT/students/STUDENT/EXERCISE */
	char *problem;          /* why it cannot be graded (an archive refused, an ambiguous
				  name) or why grading failed; NULL */
	bool grade;             /* this run grades it (else its last result is kept: --only) */
	unsigned long long key; /* what its result depends on */
	pid_t pid;              /* its worker while it runs, else -1 */
	int msg_fd;             /* the worker's message pipe while it runs, else -1 */
	bool reused;            /* its last result still holds: not graded again */
	bool write_failed;      /* its worker could not write its files: the run fails */
	/* the result */
	enum job_status status;
	double score, max;
	char kinds[256]; /* kinds of failure, comma separated, each once */
	struct case_line *cases;
	size_t ncases;
};

struct plan {
	struct job *v; /* sorted by student, then in the order of the exercises */
	size_t n, cap;
};

/* ---- batch_job.c ---- */

/* Writes `text` to `path` whole, or not at all: a temporary file renamed into place. Returns
 * 0, or -1 with errno (the temporary file removed). */
int batch_write_file(const char *path, const char *text, size_t len);

/* Forgets the job's result: no points, no kinds, no cases. */
void job_clear_result(struct job *j);

/* Whether every file of the job's result is there (result.tsv and the reports). */
bool job_files_there(const struct job *j);

/* Removes the job's files (result.tsv first), so that no earlier result can pass for the one
 * being made. */
void job_remove_files(const struct job *j);

/* Reads the job's result.tsv into `j` (status, score, kinds, cases). Returns 0, or -1 when
 * there is none or it cannot be read (the result then cleared); `key` gets the key it was
 * written with. */
int job_read_result(struct job *j, unsigned long long *key);

/* The worker, in its own process: grades the job, writes its files (result.tsv last) and
 * exits 0; on a write failure it says which file on `msg_fd` and exits JOB_WRITE_FAILED;
 * when grading fails, it says why and exits 3. Never returns. */
void job_work(const struct course *c, const struct job *j, const struct batch_options *opt,
	      int msg_fd) __attribute__((noreturn));

/* Writes the job's files for a submission that could not be graded (j->problem). Returns 0 or
 * -1 with errno. */
int job_write_problem(const struct job *j);

/* The points of an exercise: every case it grades (a bonus case only with the bonus on). */
double batch_exercise_max(const struct exercise *ex);

/* ---- batch_class.c ---- */

/* Writes the class's files (gradebook.csv, cases.csv, junit.xml, summary.txt, summary.html,
 * each student's results.json) from the plan. Returns 0, or -1 with a message naming the
 * file. */
int class_write(const struct plan *p, const struct exercise *const *exs, size_t nexs,
		const struct batch_summary *sum, const char *out_dir, const char *title,
		struct buf *err);

/* Removes the class's files and the results.json of every student this run grades: what an
 * earlier run wrote must not stand when this one cannot write its own. */
void class_forget(const struct plan *p, const char *out_dir);

/* Counts the plan's jobs (only those this run grades when `graded_only`) into `sum`. */
void class_summarize(const struct plan *p, bool graded_only, struct batch_summary *sum);

#endif
