/*
 * build.h: turn a submission into a program, with a time limit.
 *
 * build_submission() copies the submission (a directory, or a single .c file) into a fresh
 * private working directory (the scratch space of the build's own sandbox, sandbox.h: a tmpfs
 * seen by pipegrade and the build only), so the student's folder is never written to, and
 * builds it there:
 * with the submission's own Makefile (`make`, when it has one and the exercise allows it), or
 * by compiling its top-level .c files with the course compiler and flags. It runs as a student
 * typing `make` or `cc` in a shell would: plain `make` (nothing added to MFLAGS or MAKEFLAGS),
 * with the environment of sandbox_env() and none of pipegrade's own (MAKEFLAGS, MAKELEVEL and
 * the jobserver of a make that runs pipegrade stay out); the log leaves out the "Entering
 * directory" notes of a recursive make. The compiler or make
 * runs under run_program() with the course's build timeout, so a submission that makes the
 * compiler hang (`#include "/dev/zero"`) cannot hang pipegrade. Only regular files and
 * directories are copied; symbolic links and special files are left out.
 *
 * For the student, the build also keeps the first lines of a successful build's warnings, and
 * when the link fails because several files define main(), starts the log with a sentence
 * that names them.
 *
 * Ownership: a `struct build` owns its sandbox and with it the working directory (gone at
 * build_free(); build_keep() copies it to disk first), the binary path and the log.
 */
#ifndef PIPEGRADE_BUILD_H
#define PIPEGRADE_BUILD_H

#include <stdbool.h>

#include "config.h"
#include "util.h"

struct sandbox;

/* The most lines of warnings a build keeps for the report (the log keeps them all). */
#define BUILD_WARNING_LINES 20

struct build {
	struct sandbox *sb;    /* the build's sandbox (owned) */
	char *workdir;         /* the private working directory, in the sandbox's scratch space */
	char *binary;          /* absolute path of the program built; NULL when the build failed */
	bool ok;               /* the build succeeded and produced the binary */
	bool used_make;        /* built with the submission's Makefile */
	bool nothing_to_build; /* no Makefile where one is needed, no .c file: nothing handed in */
	struct buf log;        /* what the compiler or make printed, plus pipegrade's own note on
			     failure (timeout, missing binary, no sources) */
	struct buf warnings;   /* a build that succeeded: the first lines of its log from its
				  first warning on (BUILD_WARNING_LINES at most); empty when it
				  warned of nothing */
	bool asan;             /* the program is linked with AddressSanitizer (elfinfo.h) */
	double secs;           /* how long the build took */
	bool cached;           /* taken from the compile cache */
	int interrupted;       /* pipegrade got this signal during the build (see run.h), else 0 */
};

/* Builds `submission` for exercise `ex`. Returns 0 whether or not the submission compiled
 * (see `b->ok` and `b->log`), or -1 with a message in `err` when pipegrade itself failed
 * (cannot create or copy into the working directory, cannot fork). */
struct build_options {
	const char *const *hide; /* directories the build must not see (the course's, other
				    submissions'), NULL-terminated; NULL: none. Only those inside
				    the allow-list root's system directories need covering. */
	const char *cache_dir;   /* a compile cache: a build whose sources, compiler, flags and
				    way of building are unchanged is taken from it; NULL: none */
};

int build_submission(const struct course *c, const struct exercise *ex, const char *submission,
		     const struct build_options *opt, struct build *b, struct buf *err);

/* Copies the working directory to a new directory under $TMPDIR that outlives pipegrade (for
 * --keep). Returns its path (malloc'd), or NULL with a message. */
char *build_keep(const struct build *b, struct buf *err);

/* Releases the build, and with it the working directory. */
void build_free(struct build *b);

#endif
