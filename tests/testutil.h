/*
 * testutil.h: helpers shared by the suites: where the repository is, temporary directories,
 * and a check that a test left no process behind.
 */
#ifndef PIPEGRADE_TESTUTIL_H
#define PIPEGRADE_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* The repository's top directory (PIPEGRADE_TOP, set by `make check`; "." otherwise). */
const char *tu_top(void);
/* tu_top() + "/" + rel, in a static buffer that the next call overwrites. */
const char *tu_path(const char *rel);
/* The pipegrade binary under test (PIPEGRADE_BIN, or tu_top()/pipegrade). */
const char *tu_pipegrade(void);

/* Creates a fresh temporary directory; returns a malloc'd path. tu_rmdir() removes it. */
char *tu_mkdtemp(void);
void tu_rmdir(char *path);

/* Writes `text` to dir/name. */
void tu_write(const char *dir, const char *name, const char *text);

/* Reports that `test` cannot run here and why: printed, and logged for check_main.c, which
 * counts it as skipped (not as passed). The test must return right after. */
void tu_skip(const char *test, const char *why);

/* In a test: when `cond` does not hold, the test is skipped with `why` (tu_skip). */
#define TU_NEED(cond, why)                                                                         \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			tu_skip(__func__, why);                                                    \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* What a program sees at the top of the sandbox's allow-list root on this machine, as
 * tests/sandbox/peek.c prints it: "root: bin box dev ... var\n" (malloc'd). */
char *tu_allow_list_root(void);

struct run_result;

/* Runs argv[0] (searched in PATH when it has no '/') with `argv`, the environment `envp`
 * (NULL: this process's) in `cwd` (NULL: here), for 120 s at most with up to 8 MiB of output,
 * into `r`, which the caller frees (run_result_free). Fails the test unless it ran and exited. */
void tu_run(const char *const *argv, const char *const *envp, const char *cwd,
	    struct run_result *r);

/* Compiles tests/monitor/NAME.c into `dir` with -std=c17 -O2 and `flag` (e.g. "-g", "-s";
 * NULL: none), and -pthread for the "thread-" programs. Returns the binary's path (malloc'd);
 * fails the test when cc does. */
char *tu_compile_monitor_program(const char *dir, const char *name, const char *flag);

/* The path of the program `name` in PATH, or NULL (malloc'd). */
char *tu_which(const char *name);

/* Number of live (non-zombie) processes that descend from this process, and of any kind. */
int tu_count_descendants(void);
/* The same processes, described for a failure message ("pid 812 (prog), state S, parent 811;
 * ..." or "none"). Free with free(). */
char *tu_describe_descendants(void);

/* Number of open fds of this process. */
int tu_count_fds(void);

/* This process's open fds and what they point to, one "fd -> target" per line, sorted by fd
 * (malloc'd). The directory's own fd is left out. */
char *tu_list_fds(void);

/* ---- units: what check_main.c runs in parallel (see tests/README.md) ---- */

#include <check.h>

/* The tag of every tcase made by tu_tcase(). */
#define TU_UNIT_TAG "tu_unit"

/* A tcase of `s` that check_main.c runs as a unit of its own: in a process of its own, in
 * parallel with the other units. Creates it (Check keeps `name`: a string that lives as long
 * as the suite), adds it to `s`, tags it TU_UNIT_TAG plus `tags` (space separated, or NULL)
 * and records it. The tcases of a suite made with tcase_create() instead run together in one
 * more unit; a suite with no tu_tcase() at all is one unit. Do not call tcase_set_tags() on
 * it: that would drop TU_UNIT_TAG, and the tcase would run twice. */
TCase *tu_tcase(Suite *s, const char *name, const char *tags);

/* A tu_tcase() named after `test` that holds `test` alone, with the checked fixture `setup`
 * and `teardown` (either may be NULL) and a timeout of `timeout` seconds (0: Check's default):
 * for a slow test, which then runs in parallel with its suite's other tests. */
void tu_test_unit(Suite *s, const TTest *test, SFun setup, SFun teardown, double timeout);

/* The name of the i-th tcase of `s` made by tu_tcase() (in the order they were made), or
 * NULL past the last. */
const char *tu_tcase_name(const Suite *s, size_t i);

#endif
