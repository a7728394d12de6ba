/*
 * test_e2e.c: grades the reference solutions and every faulty fixture of the bundled exercises
 * with the course's own grading.yaml, and asserts the exact findings and points of each case.
 * The table (e2e_table.h) is the contract: tests/fixtures/EXPECTED*.md explain each fixture.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"
#include "i18n.h"
#include "suites.h"
#include "testutil.h"

/* A failing case and the kinds of its findings, in order, comma separated. */
struct failed_case {
	const char *name;
	const char *kinds;
};

/* What one finding of a case says: a fragment of its message (e2e_table.h's case_says). */
struct case_says {
	const char *dir;
	const char *name;
	const char *says;
};

struct fixture {
	const char *exercise;
	const char *dir; /* relative to the repository's top */
	double score;    /* points it must earn */
	struct failed_case fails[24];
	const char *fragment;  /* in the first finding of every failed case; NULL: not checked */
	const char *fragment2; /* a second one, or NULL */
};

#include "e2e_table.h"

static struct course course;

static void setup(void)
{
	i18n_set("en");
	struct buf err = BUF_INIT;
	int rc = config_load(tu_path("grading.yaml"), &course, &err);
	if (rc)
		fprintf(stderr, "%s", err.data);
	ck_assert_int_eq(rc, 0);
	buf_free(&err);
}

static void teardown(void)
{
	course_free(&course);
}

static const char *expected_kinds(const struct fixture *fx, const char *case_name)
{
	for (const struct failed_case *f = fx->fails; f->name; f++)
		if (!strcmp(f->name, case_name))
			return f->kinds;
	return "pass";
}

/* Each fragment case_says has for this case is in the message of one of its findings. */
static void assert_says(const struct fixture *fx, const struct case_result *cr)
{
	for (size_t i = 0; i < sizeof case_says / sizeof case_says[0]; i++) {
		const struct case_says *w = &case_says[i];
		if (strcmp(w->dir, fx->dir) || strcmp(w->name, cr->tc->name))
			continue;
		bool found = false;
		for (size_t k = 0; k < cr->findings.n && !found; k++)
			found = strstr(cr->findings.v[k].message, w->says) != NULL;
		ck_assert_msg(found, "%s, case \"%s\": no finding says \"%s\"", fx->dir,
			      cr->tc->name, w->says);
	}
}

/* What a case with these finding kinds must score: all of it when it passes, the case's
 * penalties off for fd_leak and orphan alone, nothing otherwise. */
static double expected_score(const char *kinds, const struct case_result *cr)
{
	if (!strcmp(kinds, "pass"))
		return cr->max_score;
	double kept = 1;
	if (strstr(kinds, "fd_leak"))
		kept -= cr->tc->penalties.fd_leak;
	if (strstr(kinds, "orphan"))
		kept -= cr->tc->penalties.orphan;
	char *rest = xstrdup(kinds);
	for (char *k = strtok(rest, ","); k; k = strtok(NULL, ","))
		if (strcmp(k, "fd_leak") && strcmp(k, "orphan"))
			kept = 0;
	free(rest);
	return kept > 0 ? cr->max_score * kept : 0;
}

/* Fixtures that spin until a limit stops them, whatever its size: the cases that must end in
 * a timeout are graded with another wall-clock limit than the course's (in this test's copy of
 * the course; grading.yaml is untouched), which keeps their findings and points:
 *  - ignores-epipe writes on a broken pipe for ever, SIGPIPE ignored: each write stops it for
 *    the tracer, so its 2 s wall-clock limit ends each case, not its CPU limit. Its reader has
 *    finished long before 0.5 s: the same verdict, 6 s sooner.
 *  - busy-eof spins on read() at full CPU: its cases must end at the CPU limit, 1 s (the least
 *    an rlimit can be), which their message names. Its 3 s wall-clock limit would end them
 *    first on a machine too busy to give it a third of a CPU (tests run in parallel): 60 s.
 *  - busy-child's child spins after printing, its parent waits for it: its 3 s wall-clock
 *    limit would let the child's own CPU limit (1 s, per process) kill it first, and the case
 *    would end with no timeout at all. 0.5 s: the wall-clock limit ends it, child running. */
static const struct {
	const char *dir;
	double wall_s;
} timeout_wall[] = {
	{ "tests/fixtures/07-sigpipe/ignores-epipe", 0.5 },
	{ "tests/fixtures/03-eof-wc/busy-eof", 60 },
	{ "tests/fixtures/03-eof-wc/busy-child", 0.5 },
};

static void set_timeout_wall(const struct fixture *fx, struct exercise *ex)
{
	for (size_t q = 0; q < sizeof timeout_wall / sizeof timeout_wall[0]; q++) {
		if (strcmp(timeout_wall[q].dir, fx->dir))
			continue;
		for (size_t i = 0; i < ex->ncases; i++)
			if (!strcmp(expected_kinds(fx, ex->cases[i].name), "timeout"))
				ex->cases[i].limits.wall_s = timeout_wall[q].wall_s;
	}
}

static void grade_fixture(const struct fixture *fx)
{
	const struct exercise *ex = course_find_exercise(&course, fx->exercise);
	ck_assert_msg(ex != NULL, "no exercise %s", fx->exercise);
	for (const struct failed_case *f = fx->fails; f->name; f++) {
		bool known = false;
		for (size_t i = 0; i < ex->ncases; i++)
			known = known || !strcmp(ex->cases[i].name, f->name);
		ck_assert_msg(known, "%s: the table names a case that does not exist: %s", fx->dir,
			      f->name);
	}
	set_timeout_wall(fx, (struct exercise *)ex);
	struct submission_result res;
	struct buf err = BUF_INIT;
	int rc = grade_submission(&course, ex, tu_path(fx->dir), NULL, &res, &err);
	ck_assert_msg(rc == 0, "%s: grade_submission failed: %s", fx->dir,
		      err.data ? err.data : "(no message)");
	for (size_t i = 0; i < res.ncases; i++) {
		const struct case_result *cr = &res.cases[i];
		struct buf got = BUF_INIT;
		for (size_t k = 0; k < cr->findings.n; k++)
			buf_printf(&got, "%s%s", k ? "," : "",
				   finding_kind_name(cr->findings.v[k].kind));
		const char *want = expected_kinds(fx, cr->tc->name);
		ck_assert_msg(!strcmp(got.data, want),
			      "%s, case \"%s\": findings %s, expected %s\n%s", fx->dir,
			      cr->tc->name, got.data, want,
			      cr->findings.n ? cr->findings.v[0].message : "");
		ck_assert_double_eq(cr->score, expected_score(want, cr));
		assert_says(fx, cr);
		if (fx->fragment && strcmp(want, "pass"))
			ck_assert_msg(strstr(cr->findings.v[0].message, fx->fragment),
				      "%s, case \"%s\": no \"%s\" in: %s", fx->dir, cr->tc->name,
				      fx->fragment, cr->findings.v[0].message);
		if (fx->fragment2 && strcmp(want, "pass"))
			ck_assert_msg(strstr(cr->findings.v[0].message, fx->fragment2),
				      "%s, case \"%s\": no \"%s\" in: %s", fx->dir, cr->tc->name,
				      fx->fragment2, cr->findings.v[0].message);
		buf_free(&got);
	}
	ck_assert_msg(res.score == fx->score, "%s: score %g, expected %g", fx->dir, res.score,
		      fx->score);
	ck_assert_int_eq(tu_count_descendants(), 0);
	submission_result_free(&res);
	buf_free(&err);
}

START_TEST(solution_full_marks)
{
	const struct exercise *ex = &course.exercises[_i];
	char *dir = xasprintf("solutions/%s", ex->id);
	struct fixture fx = { .exercise = ex->id, .dir = dir };
	for (size_t i = 0; i < ex->ncases; i++)
		if (!ex->cases[i].bonus || ex->bonus)
			fx.score += ex->cases[i].points;
	grade_fixture(&fx);
	free(dir);
}
END_TEST

START_TEST(faulty_fixture)
{
	grade_fixture(&fixtures[_i]);
}
END_TEST

/* pipex's bonus (more commands, here_doc), graded when the exercise enables it. */
START_TEST(pipex_bonus)
{
	struct exercise *ex = (struct exercise *)course_find_exercise(&course, "08-pipex");
	ck_assert_ptr_nonnull(ex);
	ex->bonus = true;
	struct fixture fx = { .exercise = ex->id, .dir = "solutions/08-pipex" };
	for (size_t i = 0; i < ex->ncases; i++)
		fx.score += ex->cases[i].points;
	ck_assert_double_eq(fx.score, 13);
	grade_fixture(&fx);
}
END_TEST

/* grading.yaml's fd_leak policy, on leaks-files (in this test's copy of the course): leaks at
 * exec as notes, at exit off. A note is shown and costs nothing: every case but the one whose
 * output the leak changed passes, with its notes before its `pass`. */
START_TEST(fd_leak_policy_notes)
{
	struct exercise *ex = (struct exercise *)course_find_exercise(&course, "08-pipex");
	ck_assert_ptr_nonnull(ex);
	for (size_t i = 0; i < ex->ncases; i++)
		ex->cases[i].fd_leak = (struct fd_leak_policy){ LEAK_OFF, LEAK_NOTE };
	struct submission_result res;
	struct buf err = BUF_INIT;
	const char *dir = tu_path("tests/fixtures/08-pipex/leaks-files");
	ck_assert_int_eq(grade_submission(&course, ex, dir, NULL, &res, &err), 0);
	static const struct failed_case want[] = {
		{ "cat | wc -l", "fd_leak,fd_leak,pass" },
		{ "el fichero de entrada no existe", "fd_leak,pass" },
		{ "cmd2 no existe", "fd_leak,pass" }, /* child 2's leak at exit is off */
		{ "cmd1 no existe", "fd_leak,pass" },
		{ "las órdenes solo heredan 0, 1 y 2", "wrong_output,fd_leak,fd_leak" },
		{ "faltan argumentos", "pass" },
	};
	size_t checked = 0;
	for (size_t i = 0; i < res.ncases; i++) {
		const struct case_result *cr = &res.cases[i];
		struct buf got = BUF_INIT;
		for (size_t k = 0; k < cr->findings.n; k++) {
			const struct finding *f = &cr->findings.v[k];
			buf_printf(&got, "%s%s", k ? "," : "", finding_kind_name(f->kind));
			ck_assert(f->note == (f->kind == FINDING_FD_LEAK));
		}
		bool failed = !strcmp(cr->tc->name, "las órdenes solo heredan 0, 1 y 2");
		ck_assert_double_eq(cr->score, failed ? 0 : cr->max_score);
		for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
			if (strcmp(want[w].name, cr->tc->name))
				continue;
			ck_assert_msg(!strcmp(got.data, want[w].kinds),
				      "case \"%s\": %s, expected %s", cr->tc->name, got.data,
				      want[w].kinds);
			checked++;
		}
		buf_free(&got);
	}
	ck_assert_uint_eq(checked, sizeof want / sizeof want[0]);
	ck_assert_double_eq(res.score, 9.5);
	ck_assert_int_eq(tu_count_descendants(), 0);
	submission_result_free(&res);
	buf_free(&err);
}
END_TEST

/* Stress mode on a correct program: three stressed runs of every case of each exercise's
 * reference solution (other interleavings, short reads, split writes, smaller pipes, sleeps
 * that end at once), and none fails: no false `race`. */
START_TEST(solution_stressed)
{
	const struct exercise *ex = &course.exercises[_i];
	char *dir = xasprintf("solutions/%s", ex->id);
	struct grade_options opt = GRADE_OPTIONS_INIT;
	opt.stress_runs = 3;
	struct submission_result res;
	struct buf err = BUF_INIT;
	int rc = grade_submission(&course, ex, tu_path(dir), &opt, &res, &err);
	ck_assert_msg(rc == 0, "grade_submission failed: %s", err.data ? err.data : "?");
	ck_assert_uint_eq(res.ncases, res.total_cases); /* bonus cases: not graded */
	ck_assert_uint_gt(res.ncases, 0);
	for (size_t i = 0; i < res.ncases; i++) {
		const struct case_result *cr = &res.cases[i];
		ck_assert_msg(cr->findings.n == 1 && cr->findings.v[0].kind == FINDING_PASS,
			      "%s, case \"%s\": %s: %s", ex->id, cr->tc->name,
			      finding_kind_name(cr->findings.v[0].kind), cr->findings.v[0].message);
		ck_assert_int_eq(cr->stress_runs, 3);
		ck_assert_int_eq(cr->stress_failed, 0);
		ck_assert_int_eq(cr->seed, 0);
	}
	ck_assert(submission_passed(&res));
	ck_assert_int_eq(tu_count_descendants(), 0);
	submission_result_free(&res);
	buf_free(&err);
	free(dir);
}
END_TEST

/* The replay contract: a racy fixture's race names a seed; that seed, replayed ten times,
 * gives the same output and the same findings each time, and they are the race's. */
START_TEST(replay_is_the_same)
{
	const struct exercise *ex = course_find_exercise(&course, "09-turnos");
	ck_assert_ptr_nonnull(ex);
	const char *dir = tu_path("tests/fixtures/09-turnos/sleep-first-turn");
	struct grade_options opt = GRADE_OPTIONS_INIT;
	opt.only_case = "3 rondas";
	struct submission_result res;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(grade_submission(&course, ex, dir, &opt, &res, &err), 0);
	ck_assert_uint_eq(res.ncases, 1);
	const struct finding *race = &res.cases[0].findings.v[0];
	ck_assert_int_eq(race->kind, FINDING_RACE);
	ck_assert_ptr_nonnull(race->race);
	ck_assert_int_eq(race->race->runs, 20);
	ck_assert_int_gt(race->race->failed, 0);
	ck_assert_int_gt(race->race->findings.n, 0);
	const struct finding *want = &race->race->findings.v[0];
	ck_assert_int_eq(want->kind, FINDING_WRONG_OUTPUT);
	opt.seed = race->race->seed;
	char *out = NULL;
	for (int i = 0; i < 10; i++) {
		struct submission_result rep;
		ck_assert_int_eq(grade_submission(&course, ex, dir, &opt, &rep, &err), 0);
		const struct case_result *cr = &rep.cases[0];
		ck_assert_int_eq((int)cr->seed, (int)opt.seed);
		ck_assert_int_gt((int)cr->schedule.nsteps, 0);
		ck_assert_int_eq(cr->findings.v[0].kind, want->kind);
		ck_assert_str_eq(cr->findings.v[0].message, want->message);
		char *got = xasprintf("%.*s", (int)cr->out.len, cr->out.len ? cr->out.data : "");
		if (out)
			ck_assert_str_eq(got, out);
		free(out);
		out = got;
		submission_result_free(&rep);
	}
	free(out);
	ck_assert_int_eq(tu_count_descendants(), 0);
	submission_result_free(&res);
	buf_free(&err);
}
END_TEST

/* Every fixture folder on disk is in the table, so none goes ungraded. */
START_TEST(table_covers_fixtures)
{
	for (size_t e = 0; e < course.nexercises; e++) {
		char *cmd = xasprintf("ls -d %s/tests/fixtures/%s/*/ 2>/dev/null", tu_top(),
				      course.exercises[e].id);
		FILE *p = popen(cmd, "r");
		char line[4096];
		while (p && fgets(line, sizeof line, p)) {
			line[strcspn(line, "\n")] = '\0';
			size_t n = strlen(line);
			if (n && line[n - 1] == '/')
				line[n - 1] = '\0';
			const char *rel = strstr(line, "tests/fixtures/");
			bool found = false;
			for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
				found = found || (rel && !strcmp(fixtures[i].dir, rel));
			ck_assert_msg(found, "fixture %s is not in the e2e table", rel);
		}
		if (p)
			pclose(p);
		free(cmd);
	}
}
END_TEST

/* The course's exercise ids, to name one tcase per solution, and one per solution stressed
 * (kept: Check keeps the names). */
static char *solution_names[64];
static char *stressed_names[64];

static size_t exercise_names(void)
{
	struct course c;
	struct buf err = BUF_INIT;
	size_t n = 0;
	if (config_load(tu_path("grading.yaml"), &c, &err) == 0)
		for (; n < c.nexercises && n < sizeof solution_names / sizeof solution_names[0];
		     n++) {
			if (!solution_names[n])
				solution_names[n] = xasprintf("solutions/%s", c.exercises[n].id);
			if (!stressed_names[n])
				stressed_names[n] = xasprintf("solutions/%s stressed",
							      c.exercises[n].id);
		}
	course_free(&c);
	buf_free(&err);
	return n;
}

static TCase *e2e_tcase(Suite *s, const char *name, const char *tags)
{
	TCase *tc = tu_tcase(s, name, tags);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	return tc;
}

/* One tcase, so one unit of check_main.c, per solution and per fixture: they run in
 * parallel. The tags "solutions" and "fixtures" select either (CK_INCLUDE_TAGS). */
Suite *e2e_suite(void)
{
	Suite *s = suite_create("e2e");
	size_t n = exercise_names();
	if (n == 0) /* grading.yaml does not load: the setup says why */
		tcase_add_loop_test(e2e_tcase(s, "solutions", "solutions"), solution_full_marks, 0,
				    1);
	for (size_t e = 0; e < n; e++)
		tcase_add_loop_test(e2e_tcase(s, solution_names[e], "solutions"),
				    solution_full_marks, (int)e, (int)e + 1);
	tcase_add_test(e2e_tcase(s, "solutions/08-pipex bonus", "solutions"), pipex_bonus);
	for (size_t e = 0; e < n; e++)
		tcase_add_loop_test(e2e_tcase(s, stressed_names[e], "solutions"), solution_stressed,
				    (int)e, (int)e + 1);
	tcase_add_test(e2e_tcase(s, "replay", "fixtures"), replay_is_the_same);
	tcase_add_test(e2e_tcase(s, "fixture table", "fixtures"), table_covers_fixtures);
	tcase_add_test(e2e_tcase(s, "fd_leak policy", "fixtures"), fd_leak_policy_notes);
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		const char *name = fixtures[i].dir;
		if (!strncmp(name, "tests/fixtures/", 15))
			name += 15;
		tcase_add_loop_test(e2e_tcase(s, name, "fixtures"), faulty_fixture, (int)i,
				    (int)i + 1);
	}
	return s;
}
