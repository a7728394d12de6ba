/*
 * grade_target.h: what `pipegrade grade PATH` grades, and which case `--case` names.
 *
 * PATH is one student's work, never a class (a class is `pipegrade class DIR`):
 *  - a file (hello.c, hello.py): the exercise given with -e, else the one whose program it is
 *    named after (`binary: hello` in grading.yaml), else the course's only exercise;
 *  - a folder, with -e ID: its subfolder named ID when there is one (a repository with exercise
 *    folders at its top), else the folder itself; with -e all: each of its subfolders named
 *    after an exercise;
 *  - a folder, without -e: the folder itself when it is named after an exercise; else each of
 *    its subfolders named after an exercise (a repository); else the course's only exercise;
 *    else the exercise whose program one of its top-level source files is named after (when
 *    they name only one).
 * A folder with no source and no Makefile at its top stands for its only subfolder that has
 * them (a project kept in src/).
 * When nothing is found, grade_targets_find() says what it looked for and where; pipegrade then
 * exits 2 (usage), never 0.
 *
 * Ownership: a `struct grade_targets` owns the paths it holds (grade_targets_free()); the
 * exercises are the course's, which must outlive it.
 */
#ifndef PIPEGRADE_GRADE_TARGET_H
#define PIPEGRADE_GRADE_TARGET_H

#include "config.h"
#include "util.h"

struct grade_target {
	const struct exercise *ex;
	char *path; /* the submission: a folder or a file */
};

struct grade_targets {
	struct grade_target *v; /* in the order of the course's exercises */
	size_t n, cap;
};

#define GRADE_TARGETS_INIT                                                                         \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Fills `out` with what `path` holds for `exercise` (NULL: none given; "all"; or an id, which
 * must be the course's: the caller checks). Returns 0, or -1 with a message for the user in
 * `err` (nothing to grade there, or more than one exercise possible). */
int grade_targets_find(const struct course *c, const char *path, const char *exercise,
		       struct grade_targets *out, struct buf *err);

void grade_targets_free(struct grade_targets *t);

/* The case of `ex` that `query` names, as a student types it: its number in `pipegrade list`
 * (1, 2...), its whole name, the start of it (when only one case starts so) or a part of it
 * (when only one case holds it), compared without case and without accents ("vacio" finds
 * "mensaje vacío"). NULL when none or several
 * match, with a message in `err` that lists the candidates or suggests the closest name
 * ("did you mean ...?"). */
const struct test_case *grade_find_case(const struct exercise *ex, const char *query,
					struct buf *err);

/* `s` folded for matching: ASCII lowercase, the accented Latin letters (U+00C0 to U+00FF) as
 * their base letter; other bytes kept. Free with free(). */
char *grade_fold(const char *s);

#endif
