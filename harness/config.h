/*
 * config.h: the course's grading file (grading.yaml) as plain structs.
 *
 * config.c holds the schema, with config_data.c for the data a case feeds or expects (stdin,
 * stdout/stderr, files, expect_files) and the files named in grading.yaml; config_int.h is
 * what the two share. They read the file through yamldoc.h, and yamldoc.c is the only file
 * that sees libyaml. config_load() reads and checks the whole file and either fills a
 * `struct course` or collects every error it found as "path:line:column: message" lines.
 * Paths inside the file (statements, stdin and expected files) are resolved against the
 * directory holding grading.yaml and checked to be readable files at load time. Their contents,
 * and texts repeated many times, are read or expanded only when a case needs them (data_load()):
 * a course with megabytes of inputs costs nothing until the case that uses them runs, and then
 * only for that case.
 *
 * Ownership: everything reachable from a `struct course` is owned by it and released by
 * course_free(). Unset optional values are marked as such (see each field).
 */
#ifndef PIPEGRADE_CONFIG_H
#define PIPEGRADE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* A text a person reads, in one language or several: grading.yaml's `course`, an exercise's
 * `title` and a case's `hint`, each given as a string (in the course's language, `defaults:
 * {lang: ...}`) or as a mapping by language, `{es: "...", en: "...", pt_BR: "..."}`.
 * ltext_get() picks the one to show. Ownership: the texts are owned by the ltext (released by
 * ltext_free(), which course_free() calls); the language names are static strings. */
#define LTEXT_LANGS 3 /* en, es and pt_BR: the languages pipegrade speaks (i18n.h) */

struct ltext_entry {
	const char *lang; /* "en", "es" or "pt_BR" (static); NULL: a plain string, written in
			     the course's language (`base`) */
	char *text;       /* non-empty, without NUL bytes */
};

struct ltext {
	size_t n;                          /* texts given; 0: none */
	struct ltext_entry v[LTEXT_LANGS]; /* in the file's order, each language once */
	const char *base; /* the course's language ("en", "es" or "pt_BR"; static), set by
			     config_load(): the fallback. NULL: none */
};

/* The text to show: the one in the language in force (i18n_get()), else the one in `base`,
 * else the first given. NULL when `t` holds none. The string belongs to `t`. */
const char *ltext_get(const struct ltext *t);
/* Releases the texts of `t` and leaves it empty. */
void ltext_free(struct ltext *t);
/* One text, not owned (nothing to free), in no language in particular: for structs built by
 * hand, such as tests'. */
#define LTEXT_PLAIN(s) ((struct ltext){ .n = 1, .v = { { NULL, (char *)(s) } } })

/* Resource limits. A value of -1 means "not set here; inherit from the enclosing level". After
 * config_load() the limits of every case are resolved (case over exercise over course over
 * built-in defaults), so a case's `limits` never holds -1. */
struct limits {
	double wall_s;          /* wall-clock time, seconds */
	double cpu_s;           /* CPU time, seconds */
	long long output_bytes; /* cap on each of stdout and stderr, bytes */
	long long memory_bytes; /* memory the program may use, bytes (1 MiB to 64 GiB) */
	int processes;        /* most processes alive at once, the main one included (1 to 4096) */
	long long file_bytes; /* largest file the program may write, bytes (0 to 16 GiB) */
	int open_files;       /* most fds each process may have open (4 to 65536) */
	long long disk_bytes; /* everything the case may write, together: its directory, /tmp,
				   /var/tmp, /dev/shm and /run (one tmpfs of this size; 1 MiB to
				   16 GiB) */
};

#define LIMITS_UNSET                                                                               \
	{                                                                                          \
		-1, -1, -1, -1, -1, -1, -1, -1                                                     \
	}

/* Built-in defaults, used when grading.yaml sets nothing. */
#define DEFAULT_WALL_S 10.0
#define DEFAULT_CPU_S 5.0
#define DEFAULT_OUTPUT_BYTES (1024LL * 1024)
#define DEFAULT_MEMORY_BYTES (512LL * 1024 * 1024)
#define DEFAULT_PROCESSES 64
#define DEFAULT_FILE_BYTES (64LL * 1024 * 1024)
#define DEFAULT_OPEN_FILES 256
#define DEFAULT_DISK_BYTES (128LL * 1024 * 1024)
#define DEFAULT_BUILD_TIMEOUT_S 60.0

/* Stress mode (docs/stress.md): grading.yaml's `stress: {runs: N}`, in defaults, an exercise
 * or a case. -1: unset (inherit), like limits; resolved for every case after loading. */
struct stress {
	int runs; /* stressed runs after the plain one, under the seeds 1 to runs (0 to 1000; 0:
		     none) */
};

#define STRESS_UNSET                                                                               \
	{                                                                                          \
		-1                                                                                 \
	}
#define MAX_STRESS_RUNS 1000

/* What the monitor's quality findings cost, as a fraction (0-1) of the case's points. -1:
 * unset (inherit), like limits; resolved for every case after loading. */
struct penalties {
	double fd_leak;
	double orphan;
};

#define PENALTIES_UNSET                                                                            \
	{                                                                                          \
		-1, -1                                                                             \
	}
#define DEFAULT_PENALTY_FD_LEAK 0.25
#define DEFAULT_PENALTY_ORPHAN 0.25

/* What an fd_leak finding does to its case: grading.yaml's `fd_leak: {at_exit: ..., at_exec:
 * ...}`, one policy for the fds a process still held when it exited and one for those a
 * program inherited at exec. UNSET (0, what a zeroed struct holds) inherits, and is a penalty
 * once resolved. */
enum leak_policy {
	LEAK_UNSET,   /* not set here */
	LEAK_PENALTY, /* the finding costs the case's penalties.fd_leak */
	LEAK_NOTE,    /* the finding is shown, and costs nothing */
	LEAK_OFF,     /* no finding */
};

struct fd_leak_policy {
	enum leak_policy at_exit;
	enum leak_policy at_exec;
};

/* What an exercise requires of a program's structure (0/false: nothing). The process monitor
 * judges it (monitor_conclude(), monitor.h) and its facts carry it (monitor_facts.h). */
struct requires
{
	int pipes;      /* at least this many pipes created */
	int forks;      /* at least this many processes forked */
	bool connected; /* a pipe with its write end in one process and its read end in another */
};

enum cmp_mode {
	CMP_EXACT,       /* byte for byte */
	CMP_TRAILING_WS, /* exact after removing trailing whitespace of every line and of the end */
	CMP_CONTAINS,    /* the expected text appears somewhere in the output */
	CMP_REGEX,       /* POSIX extended regex matched against the whole output (REG_NEWLINE) */
	/* Sealed expectations (grading.yaml's "sealed", docs/student-kit.md): the expected bytes
	 * are the SHA-256 digest (32 bytes) of the expected output, which is not there; the
	 * output passes when its digest is the same (compare_seal(), compare.h). */
	CMP_SEALED_EXACT,       /* exact: the digest of the bytes as they are */
	CMP_SEALED_TRAILING_WS, /* trailing_ws: the digest of the text as trailing_ws reads it */
};

/* Bytes a case feeds or expects, as grading.yaml gives them: a literal text, a text repeated,
 * or a file's content. An empty `struct data` (all zero) is no bytes. */
struct data {
	char *text;               /* the literal text, or the text repeated; may hold NUL bytes;
				     owned; NULL: none */
	size_t len;               /* bytes of `text` */
	unsigned long long times; /* `text` written this many times (1 for a literal text) */
	char *file;               /* resolved path: the bytes are this file's, read by data_load()
				     (`text` is then NULL); owned; NULL: none */
	size_t size;              /* the bytes' size: len x times, or the file's size when loaded */
};

/* Appends the bytes of `d` to `out` (reading its file, expanding its repeat). Returns 0, or -1
 * with a message in `err` when the file can no longer be read. */
int data_load(const struct data *d, struct buf *out, struct buf *err);
/* Releases what `d` owns and leaves it empty. */
void data_free(struct data *d);

/* An expectation on one output stream. */
struct expect {
	bool set;         /* false: the stream is not checked */
	struct data want; /* expected text (or the regex: always literal, checked at load; or,
			     in a sealed mode, the 32 bytes of the digest: always literal) */
	enum cmp_mode mode;
};

enum visibility {
	VIS_VISIBLE,         /* shown to students */
	VIS_HIDDEN,          /* never shown */
	VIS_AFTER_PUBLISHED, /* shown after grades are published (Gradescope) */
};

/* A file put in the case's working directory before the program starts. */
struct case_file {
	char *path;       /* relative to the working directory, no ".." (owned) */
	struct data data; /* its content */
	int perm;         /* permission bits, e.g. 0644 */
};

/* A file the program must leave (or must not leave) in its working directory. */
struct expect_file {
	char *path;        /* relative to the working directory, no ".." (owned) */
	struct expect exp; /* its content; exp.set false: content not checked */
	int perm;          /* expected permission bits, or -1: not checked */
	bool absent;       /* the file must not exist */
};

struct test_case {
	char *name;
	int line;           /* line of the case in grading.yaml, for messages */
	struct strvec args; /* program arguments (without argv[0]) */
	struct data in;     /* stdin; empty: no bytes */
	struct expect out;  /* stdout */
	struct expect err;  /* stderr */
	bool exit_set;      /* false: any exit status is accepted */
	int exit_status;    /* expected exit status, 0-255 */
	double points;      /* >= 0 */
	bool hidden;        /* graded, but its details are for instructors only */
	enum visibility
		visibility;   /* how JSON reports show it (hidden cases: hidden/after_published) */
	struct limits limits; /* resolved: never -1 after loading */
	struct penalties penalties;    /* resolved: never -1 after loading */
	struct fd_leak_policy fd_leak; /* resolved: never LEAK_UNSET after loading */
	struct requires requires;      /* resolved: the exercise's, unless the case sets its own */
	struct stress stress; /* resolved: never -1 after loading (0: not stressed). A stressed
				 case needs the monitor (grade.h) */
	bool monitor;      /* resolved: watch the processes (fd leaks, deadlocks); default true */
	int monitor_opt;   /* as written: -1 unset, 0 or 1 (use `monitor`) */
	bool requires_set; /* as written: the case has its own "requires" */
	struct case_file *files; /* put in place before the run */
	size_t nfiles;
	struct expect_file *expect_files; /* checked after the run */
	size_t nexpect_files;
	bool bonus;        /* graded only when the exercise enables its bonus */
	struct ltext hint; /* shown to the student when the case fails; n == 0: none */
};

/* What the student kit (`pipegrade kit`, kit.h) does with an exercise's hidden cases:
 * grading.yaml's `kit: {hidden: seal|omit}`, in defaults or in an exercise. */
enum kit_hidden {
	KIT_HIDDEN_UNSET, /* not given here: the course's, else seal */
	KIT_HIDDEN_SEAL,  /* in the kit, their expected outputs replaced by digests */
	KIT_HIDDEN_OMIT,  /* left out of the kit */
};

enum build_mode {
	BUILD_AUTO, /* the submission's Makefile if it has one, else compile its .c files */
	BUILD_CC,   /* always compile the .c files with the course compiler */
	BUILD_MAKE, /* always run `make` (a submission without a Makefile is a compile error) */
};

/* The language of the submissions: how they are checked and run. */
enum prog_language {
	PROG_UNSET,  /* an exercise that does not say: the course's */
	PROG_C,      /* compiled (build.c), the program run as ./BINARY ARGS... (the default) */
	PROG_PYTHON, /* a Python 3 script: checked for syntax, run as PYTHON BINARY ARGS... */
};

struct exercise {
	char *id;           /* e.g. "01-hello" */
	struct ltext title; /* shown in reports: ltext_get(); never empty after loading */
	char *statement; /* path of the statement, resolved against the course dir; may be NULL */
	char *binary;    /* name of the program the build must produce, e.g. "hello"; for
			    PROG_PYTHON the script the submission holds, e.g. "hello.py" */
	enum prog_language language; /* resolved: the exercise's, else the course's (never UNSET) */
	char *python;                /* PROG_PYTHON: the course's interpreter, as written (owned);
					  else NULL */
	enum build_mode build;
	struct limits limits;          /* exercise-level limits (may hold -1) */
	struct penalties penalties;    /* exercise-level (may hold -1) */
	struct fd_leak_policy fd_leak; /* exercise-level (may hold LEAK_UNSET) */
	struct requires requires;      /* default for its cases */
	struct stress stress;          /* exercise-level (may hold -1) */
	int monitor_opt;               /* -1 unset, 0 or 1 */
	bool bonus;                    /* grade the cases marked "bonus" (default false) */
	enum kit_hidden kit_hidden;    /* as written; KIT_HIDDEN_UNSET: the course's */
	struct test_case *cases;
	size_t ncases;
	int line;
};

struct course {
	char *path;                  /* grading.yaml as given */
	char *dir;                   /* directory holding it */
	struct ltext title;          /* shown in reports: ltext_get(); n == 0: none */
	const char *lang;            /* defaults.lang: the language of its plain strings, the
					fallback of every ltext ("en", "es" or "pt_BR"; static);
					default "en" */
	char *compiler;              /* default "cc" */
	enum prog_language language; /* default for the exercises; PROG_C unless set */
	char *python;                /* the interpreter of PROG_PYTHON: a name looked up on PATH
					when graded, or a path; default "python3" */
	struct strvec cflags;        /* default -std=c17 -Wall -Wextra -O2 */
	double build_timeout_s;
	struct limits limits;       /* course-level (resolved against built-in defaults: no -1) */
	struct penalties penalties; /* course-level (resolved: no -1) */
	struct fd_leak_policy fd_leak;     /* course-level (resolved: no LEAK_UNSET) */
	struct stress stress;              /* course-level (resolved: no -1; default 0) */
	bool monitor;                      /* course default for watching processes; default true */
	enum visibility hidden_visibility; /* visibility of hidden cases, default VIS_HIDDEN */
	enum kit_hidden kit_hidden;        /* as written in defaults; KIT_HIDDEN_UNSET: seal */
	struct exercise *exercises;
	size_t nexercises;
};

/* Loads `path`. Returns 0 on success. On any error returns -1, leaves `c` empty (nothing to
 * free, but course_free() is harmless) and appends to `errors` one line per problem, each
 * "path:line:column: message\n", in the order they appear in the file. */
int config_load(const char *path, struct course *c, struct buf *errors);

/* Releases everything the course owns; `c` is left zeroed. */
void course_free(struct course *c);

/* Appends to `paths` every file whose bytes the cases of `ex` feed or expect (data.file), in
 * order, each once: what a content hash of the exercise's grading data must cover. */
void exercise_data_files(const struct exercise *ex, struct strvec *paths);

/* The exercise with this id, or NULL. */
const struct exercise *course_find_exercise(const struct course *c, const char *id);

/* Parses a comparison mode name ("exact", "trailing_ws", "contains", "regex"). Returns 0 or -1. */
int cmp_mode_parse(const char *name, enum cmp_mode *mode);
/* The name of a mode as grading.yaml writes it: a sealed mode by its unsealed name ("exact"). */
const char *cmp_mode_name(enum cmp_mode mode);

#endif
