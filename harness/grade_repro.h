/*
 * grade_repro.h: repro.sh, the cases of a kept build (--keep) as a shell script a student can
 * run by hand: `sh repro.sh` runs the first case that lost points, `sh repro.sh N` case N (its
 * number in `pipegrade list`), each as pipegrade ran it: in a fresh folder holding the program
 * and the files the case provides, with the case's arguments, stdin and environment. What it
 * does not reproduce: the sandbox, the limits and the process monitor (the script says so).
 * Hidden cases are in it only with --show-hidden (their inputs are their details).
 *
 * The script and its data live in the kept folder: repro.sh, and repro/N/stdin and
 * repro/N/files/... for case N. Everything written from grading.yaml's data is quoted for sh
 * (single quotes), whatever bytes it holds.
 *
 * Ownership: a `struct grade_repro` owns its script text (grade_repro_free()).
 */
#ifndef PIPEGRADE_GRADE_REPRO_H
#define PIPEGRADE_GRADE_REPRO_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "util.h"

struct grade_repro {
	struct buf cases;    /* the script's `case` branches so far */
	size_t first_failed; /* the number of the first case that lost points; 0: none */
};

#define GRADE_REPRO_INIT                                                                           \
	{                                                                                          \
		BUF_INIT, 0                                                                        \
	}

/* Adds case number `n` (1-based) of the exercise, run as ./`binary` (or `interpreter binary`
 * when `interpreter` is not NULL: a Python script) with the environment
 * `env` (NULL-terminated "NAME=value" strings; HOME and PWD become the case's folder) and the
 * stdin bytes `in`: writes its stdin and files under DIR/repro/N/. Returns 0, or -1 with a
 * message in `err` when a file cannot be written. */
int grade_repro_add(struct grade_repro *r, const char *dir, size_t n, const struct test_case *tc,
		    const char *binary, const char *interpreter, const char *const *env,
		    const struct buf *in, struct buf *err);

/* Writes DIR/repro.sh for the exercise, its binary at DIR/`binary`. Returns 0, or -1 with a
 * message in `err`. */
int grade_repro_write(const struct grade_repro *r, const char *dir, const struct exercise *ex,
		      struct buf *err);

void grade_repro_free(struct grade_repro *r);

#endif
