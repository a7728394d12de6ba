/* test_grade.c: from a submission to findings and points, on small programs written by the
 * tests themselves (the fixtures of the real exercises are graded in test_e2e.c). */
#include <check.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade.h"
#include "i18n.h"
#include "sandbox.h"
#include "suites.h"
#include "testutil.h"

static char *dir; /* holds grading.yaml and the submission folder "sub" */
static struct course course;

static const char yaml[] = "exercises:\n"
			   "  - id: 00-echo\n"
			   "    title: Eco\n"
			   "    binary: echo\n"
			   "    limits: {wall: 2}\n"
			   "    cases:\n"
			   "      - name: uno\n"
			   "        args: [hola]\n"
			   "        stdout: \"hola\\n\"\n"
			   "        exit: 0\n"
			   "        points: 2\n"
			   "      - name: dos\n"
			   "        args: [a, b]\n"
			   "        stdout: {text: \"a b\", mode: trailing_ws}\n"
			   "        exit: 0\n"
			   "        points: 3\n"
			   "        hint: Separa con espacios.\n";

static void setup(void)
{
	i18n_set("en");
	dir = tu_mkdtemp();
	tu_write(dir, "grading.yaml", yaml);
	char *sub = xasprintf("%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(sub);
	char *path = xasprintf("%s/grading.yaml", dir);
	struct buf err = BUF_INIT;
	int rc = config_load(path, &course, &err);
	if (rc)
		fprintf(stderr, "%s", err.data);
	ck_assert_int_eq(rc, 0);
	buf_free(&err);
	free(path);
}

static void teardown(void)
{
	course_free(&course);
	tu_rmdir(dir);
}

/* Writes the submission's echo.c and grades it. */
static void grade(const char *source, struct submission_result *res)
{
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", source);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, res, &err), 0);
	buf_free(&err);
	free(sub);
	ck_assert_int_eq(tu_count_descendants(), 0);
}

static const char good[] =
	"#include <stdio.h>\n"
	"int main(int argc, char **argv) {\n"
	"  for (int i = 1; i < argc; i++) printf(\"%s%s\", argv[i], i + 1 < argc ? \" \" : \"\");\n"
	"  printf(\"\\n\");\n  return 0;\n}\n";

START_TEST(full_marks)
{
	struct submission_result res;
	grade(good, &res);
	ck_assert(res.compiled);
	ck_assert_uint_eq(res.ncases, 2);
	ck_assert_double_eq(res.score, 5);
	ck_assert_double_eq(res.max_score, 5);
	ck_assert(submission_passed(&res));
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(res.cases[i].findings.n, 1);
		ck_assert_int_eq(res.cases[i].findings.v[0].kind, FINDING_PASS);
	}
	submission_result_free(&res);
}
END_TEST

START_TEST(compile_error_everywhere)
{
	struct submission_result res;
	grade("int main(void) { return nope; }\n", &res);
	ck_assert(!res.compiled);
	ck_assert_double_eq(res.score, 0);
	for (int i = 0; i < 2; i++) {
		ck_assert(!res.cases[i].ran);
		ck_assert_uint_eq(res.cases[i].findings.n, 1);
		ck_assert_int_eq(res.cases[i].findings.v[0].kind, FINDING_COMPILE_ERROR);
		ck_assert_ptr_nonnull(
			strstr(res.cases[i].findings.v[0].message, "'nope' undeclared"));
	}
	submission_result_free(&res);
}
END_TEST

START_TEST(wrong_output_and_exit)
{
	struct submission_result res;
	grade("#include <stdio.h>\nint main(void) { printf(\"hola \\n\"); return 4; }\n", &res);
	ck_assert_double_eq(res.score, 0);
	const struct findings *f = &res.cases[0].findings;
	ck_assert_uint_eq(f->n, 2);
	ck_assert_int_eq(f->v[0].kind, FINDING_WRONG_OUTPUT);
	ck_assert_str_eq(f->v[0].stream, "stdout");
	ck_assert_ptr_nonnull(strstr(f->v[0].message, "hola·"));
	ck_assert_int_eq(f->v[1].kind, FINDING_WRONG_EXIT);
	ck_assert_str_eq(f->v[1].message, "The exit status was 4; expected 0.");
	ck_assert_int_eq(res.cases[0].exit_code, 4);
	submission_result_free(&res);
}
END_TEST

START_TEST(crash_is_not_wrong_exit)
{
	struct submission_result res;
	grade("#include <stdlib.h>\nint main(void) { abort(); }\n", &res);
	for (int i = 0; i < 2; i++) {
		const struct findings *f = &res.cases[i].findings;
		ck_assert_uint_eq(f->n, 1);
		ck_assert_int_eq(f->v[0].kind, FINDING_CRASH);
		ck_assert_ptr_nonnull(strstr(f->v[0].message, "SIGABRT"));
		ck_assert_int_eq(res.cases[i].term_signal, 6);
	}
	submission_result_free(&res);
}
END_TEST

/* A busy loop is a timeout, never a deadlock; what it printed is kept. */
START_TEST(timeout_only)
{
	struct submission_result res;
	grade("#include <stdio.h>\n"
	      "int main(void) { printf(\"hola\\n\"); fflush(stdout); for (volatile int i = 0;; i++) ; }\n",
	      &res);
	const struct findings *f = &res.cases[0].findings;
	ck_assert_uint_eq(f->n, 1);
	ck_assert_int_eq(f->v[0].kind, FINDING_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(f->v[0].message, "time limit of 2 s"));
	ck_assert_ptr_nonnull(strstr(f->v[0].message, "Its stdout began with:\nhola"));
	ck_assert_str_eq(res.cases[0].out.data, "hola\n");
	submission_result_free(&res);
}
END_TEST

/* pause() is a hang, found long before the time limit. */
START_TEST(pause_is_a_hang)
{
	struct submission_result res;
	grade("#include <unistd.h>\nint main(void) { pause(); }\n", &res);
	const struct findings *f = &res.cases[0].findings;
	ck_assert_uint_eq(f->n, 1);
	ck_assert_int_eq(f->v[0].kind, FINDING_HANG);
	ck_assert_ptr_nonnull(strstr(f->v[0].message, "parent (pid "));
	ck_assert_ptr_nonnull(
		strstr(f->v[0].message,
		       ") waits in pause() at echo.c:2 for a signal that never comes."));
	/* the GitHub annotation points at that line */
	const struct monitor_frame *at = monitor_facts_site(f->v[0].details);
	ck_assert_ptr_nonnull(at);
	ck_assert_str_eq(at->file, "echo.c");
	ck_assert_int_eq(at->line, 2);
	ck_assert_str_eq(at->function, "main");
	const struct monitor_facts *stuck = case_stuck_facts(&res.cases[0]);
	ck_assert_ptr_nonnull(stuck);
	ck_assert_ptr_eq(stuck, f->v[0].details);
	ck_assert_uint_eq(stuck->snap.nprocs, 1);
	ck_assert_int_eq(stuck->snap.procs[0].wait.kind, MONITOR_WAIT_SIGNAL);
	submission_result_free(&res);
}
END_TEST

/* With the monitor off (grading.yaml "monitor: false"), a hang is only a timeout. */
START_TEST(monitor_off)
{
	tu_write(dir, "off.yaml",
		 "defaults: {monitor: false}\n"
		 "exercises:\n  - {id: x, title: X, binary: echo, limits: {wall: 0.5},\n"
		 "     cases: [{name: uno}]}\n");
	char *path = xasprintf("%s/off.yaml", dir);
	struct course off;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(path, &off, &err), 0);
	ck_assert(!off.exercises[0].cases[0].monitor);
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", "#include <unistd.h>\nint main(void) { pause(); }\n");
	struct submission_result res;
	ck_assert_int_eq(grade_submission(&off, &off.exercises[0], sub, NULL, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_TIMEOUT);
	ck_assert(!res.cases[0].monitored);
	submission_result_free(&res);
	course_free(&off);
	buf_free(&err);
	free(sub);
	free(path);
}
END_TEST

START_TEST(only_one_case)
{
	struct submission_result res;
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", good);
	struct grade_options opt = { .only_case = "dos" };
	struct buf err = BUF_INIT;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, &opt, &res, &err), 0);
	ck_assert_uint_eq(res.ncases, 1);
	ck_assert_str_eq(res.cases[0].tc->name, "dos");
	ck_assert_double_eq(res.max_score, 3);
	submission_result_free(&res);
	buf_free(&err);
	free(sub);
}
END_TEST

/* Input files are put in the case's directory, and files the program leaves are checked:
 * content, mode bits, absence. */
START_TEST(files_in_and_out)
{
	tu_write(dir, "files.yaml",
		 "exercises:\n  - id: cp\n    title: Copia\n    binary: echo\n"
		 "    cases:\n"
		 "      - name: ok\n        args: [infile, outfile, \"0644\"]\n"
		 "        files: [{path: infile, text: \"uno\\ndos\\n\"}]\n"
		 "        expect_files:\n"
		 "          - {path: outfile, text: \"uno\\ndos\\n\", perm: \"0644\"}\n"
		 "          - {path: infile}\n          - {path: ghost, absent: true}\n"
		 "      - name: wrong mode\n        args: [infile, outfile, \"0600\"]\n"
		 "        files: [{path: infile, text: x}]\n"
		 "        expect_files: [{path: outfile, text: x, perm: \"0644\"}]\n"
		 "      - name: unreadable\n        args: [infile, outfile, \"0644\"]\n"
		 "        files: [{path: infile, text: secreto, perm: \"000\"}]\n"
		 "        exit: 1\n"
		 "        expect_files: [{path: outfile, absent: true}]\n");
	char *path = xasprintf("%s/files.yaml", dir);
	struct course fc;
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(path, &fc, &err) == 0, "%s", err.data);
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c",
		 "#include <fcntl.h>\n#include <stdlib.h>\n#include <unistd.h>\n"
		 "int main(int argc, char **argv) {\n"
		 "  if (argc != 4) return 2;\n"
		 "  int in = open(argv[1], O_RDONLY);\n  if (in < 0) return 1;\n"
		 "  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, (mode_t)strtol(argv[3], 0, 8));\n"
		 "  char b[256]; ssize_t n;\n"
		 "  while ((n = read(in, b, sizeof b)) > 0) if (write(out, b, (size_t)n) != n) return 3;\n"
		 "  close(in); close(out); return 0;\n}\n");
	struct submission_result res;
	ck_assert_int_eq(grade_submission(&fc, &fc.exercises[0], sub, NULL, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_PASS);
	const struct finding *f = &res.cases[1].findings.v[0];
	ck_assert_int_eq(f->kind, FINDING_WRONG_OUTPUT);
	ck_assert_str_eq(f->stream, "file outfile");
	ck_assert_str_eq(f->message, "The file outfile has mode 0600; expected 0644.");
	if (sandbox_caps()->uid_drop) /* root would read a mode 000 file anyway */
		ck_assert_int_eq(res.cases[2].findings.v[0].kind, FINDING_PASS);
	submission_result_free(&res);
	course_free(&fc);
	buf_free(&err);
	free(sub);
	free(path);
}
END_TEST

/* Data files named in grading.yaml are read when each case runs: a changed expected output
 * counts at the next grading, and a file gone since loading is pipegrade's error, not the
 * student's. */
START_TEST(data_files_at_run_time)
{
	tu_write(dir, "data.yaml",
		 "exercises:\n  - id: cat\n    title: Cat\n    binary: echo\n    monitor: false\n"
		 "    cases:\n      - name: copia\n        stdin: {file: in.txt}\n"
		 "        stdout: {file: out.txt}\n");
	tu_write(dir, "in.txt", "uno\ndos\n");
	tu_write(dir, "out.txt", "uno\ndos\n");
	char *path = xasprintf("%s/data.yaml", dir), *sub = xasprintf("%s/sub", dir);
	struct course dc;
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(path, &dc, &err) == 0, "%s", err.data);
	tu_write(sub, "echo.c",
		 "#include <unistd.h>\nint main(void) {\n  char b[256]; ssize_t n;\n"
		 "  while ((n = read(0, b, sizeof b)) > 0) if (write(1, b, (size_t)n) != n) return 3;\n"
		 "  return 0;\n}\n");
	struct submission_result res;
	ck_assert_int_eq(grade_submission(&dc, &dc.exercises[0], sub, NULL, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_PASS);
	submission_result_free(&res);

	tu_write(dir, "out.txt", "uno\n");
	ck_assert_int_eq(grade_submission(&dc, &dc.exercises[0], sub, NULL, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].findings.n, 1);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_WRONG_OUTPUT);
	ck_assert_str_eq(res.cases[0].findings.v[0].stream, "stdout");
	submission_result_free(&res);

	char *in = xasprintf("%s/in.txt", dir);
	ck_assert_int_eq(unlink(in), 0);
	ck_assert_int_eq(grade_submission(&dc, &dc.exercises[0], sub, NULL, &res, &err), -1);
	char *msg = xasprintf("%s: No such file or directory\n"
			      "cannot read the case's data named in grading.yaml",
			      in);
	ck_assert_str_eq(err.data, msg);
	submission_result_free(&res);
	ck_assert_int_eq(tu_count_descendants(), 0);
	free(msg);
	free(in);
	course_free(&dc);
	buf_free(&err);
	free(sub);
	free(path);
}
END_TEST

/* Bonus cases are graded only when the exercise enables its bonus. */
START_TEST(bonus_cases)
{
	for (int on = 0; on <= 1; on++) {
		char *text =
			xasprintf("exercises:\n  - {id: b, title: B, binary: echo, bonus: %s,\n"
				  "     cases: [{name: base, args: [a], stdout: \"a\\n\"},\n"
				  "             {name: extra, bonus: true, args: [b], stdout: \"b\\n\"}]}\n",
				  on ? "true" : "false");
		tu_write(dir, "bonus.yaml", text);
		free(text);
		char *path = xasprintf("%s/bonus.yaml", dir);
		struct course bc;
		struct buf err = BUF_INIT;
		ck_assert_int_eq(config_load(path, &bc, &err), 0);
		char *sub = xasprintf("%s/sub", dir);
		tu_write(sub, "echo.c", good);
		struct submission_result res;
		ck_assert_int_eq(grade_submission(&bc, &bc.exercises[0], sub, NULL, &res, &err), 0);
		ck_assert_uint_eq(res.ncases, on ? 2 : 1);
		ck_assert_double_eq(res.score, on ? 2 : 1);
		submission_result_free(&res);
		course_free(&bc);
		buf_free(&err);
		free(sub);
		free(path);
	}
}
END_TEST

/* Grading a hundred cases leaves pipegrade's own fd table exactly as it was. */
START_TEST(hundred_cases_no_fd_leak)
{
	char *before = NULL, *after = NULL;
	struct buf b = BUF_INIT;
	buf_puts(&b,
		 "exercises:\n  - id: 00-many\n    title: Muchos\n    binary: echo\n    cases:\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&b,
			   "      - {name: c%d, args: [x%d], stdout: \"x%d\\n\", stdin: \"%d\"}\n",
			   i, i, i, i);
	tu_write(dir, "many.yaml", b.data);
	buf_free(&b);
	char *path = xasprintf("%s/many.yaml", dir);
	struct course many;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(path, &many, &err), 0);
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", good);
	/* the namespaces' fds and the run folder's lock live as long as the process, on purpose:
	 * a first run makes them */
	struct submission_result res;
	struct grade_options one = { .only_case = "c0" };
	ck_assert_int_eq(grade_submission(&many, &many.exercises[0], sub, &one, &res, &err), 0);
	submission_result_free(&res);
	before = tu_list_fds();
	ck_assert_int_eq(grade_submission(&many, &many.exercises[0], sub, NULL, &res, &err), 0);
	after = tu_list_fds();
	ck_assert_str_eq(after, before);
	ck_assert_double_eq(res.score, 100);
	submission_result_free(&res);
	course_free(&many);
	buf_free(&err);
	free(before);
	free(after);
	free(path);
	free(sub);
}
END_TEST

/* Stress runs: grading.yaml's, or grade_options' over them; each a complete run of the case,
 * and a correct program passes them all. */
START_TEST(stressed_runs_pass)
{
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", good);
	course.exercises[0].cases[0].stress.runs = 2;
	struct submission_result res;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, &res, &err), 0);
	ck_assert(submission_passed(&res));
	ck_assert_int_eq(res.cases[0].stress_runs, 2);
	ck_assert_int_eq(res.cases[0].stress_failed, 0);
	ck_assert_int_eq(res.cases[1].stress_runs, 0);
	ck_assert_uint_eq(res.cases[0].findings.n, 1);
	ck_assert_int_eq(res.cases[0].schedule.seed, 0); /* the plain run's: none */
	ck_assert_uint_eq(res.notes.len, 0);
	submission_result_free(&res);
	struct grade_options opt = GRADE_OPTIONS_INIT;
	opt.stress_runs = 0; /* --stress 0: none, whatever grading.yaml says */
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, &opt, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].stress_runs, 0);
	submission_result_free(&res);
	opt.stress_runs = 1;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, &opt, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].stress_runs, 1);
	ck_assert_int_eq(res.cases[1].stress_runs, 1);
	submission_result_free(&res);
	ck_assert_int_eq(tu_count_descendants(), 0);
	buf_free(&err);
	free(sub);
}
END_TEST

/* No stress after a plain run that lost the case, nor without the monitor (which the notes
 * say). */
START_TEST(stress_only_when_it_can_tell)
{
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", "#include <stdio.h>\nint main(void) { puts(\"no\"); return 0; }\n");
	struct grade_options opt = GRADE_OPTIONS_INIT;
	opt.stress_runs = 3;
	struct submission_result res;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, &opt, &res, &err), 0);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_WRONG_OUTPUT);
	ck_assert_int_eq(res.cases[0].stress_runs, 0);
	ck_assert_uint_eq(res.notes.len, 0);
	submission_result_free(&res);
	tu_write(sub, "echo.c", good);
	opt.no_monitor = true;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, &opt, &res, &err), 0);
	ck_assert(submission_passed(&res));
	ck_assert_int_eq(res.cases[0].stress_runs, 0);
	ck_assert_str_eq(res.notes.data,
			 "The cases with stress runs that the process monitor does not watch "
			 "(monitor: false, or --no-monitor) were not stressed: stress mode needs the "
			 "monitor.\n");
	submission_result_free(&res);
	buf_free(&err);
	free(sub);
}
END_TEST

/* A replay: each case once, under the seed, which the case keeps with its schedule; the notes
 * say so. */
START_TEST(replay_under_seed)
{
	char *sub = xasprintf("%s/sub", dir);
	tu_write(sub, "echo.c", good);
	course.exercises[0].cases[0].stress.runs = 5; /* not in a replay */
	struct grade_options opt = GRADE_OPTIONS_INIT;
	opt.seed = 12345678901234567890ULL;
	struct submission_result res;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, &opt, &res, &err), 0);
	ck_assert(submission_passed(&res));
	for (size_t i = 0; i < res.ncases; i++) {
		ck_assert(res.cases[i].monitored);
		ck_assert(res.cases[i].seed == 12345678901234567890ULL);
		ck_assert(res.cases[i].schedule.seed == 12345678901234567890ULL);
		ck_assert_int_eq(res.cases[i].stress_runs, 0);
	}
	ck_assert_str_eq(res.notes.data,
			 "Each case ran once, under seed 12345678901234567890 (--seed), instead of its "
			 "plain run: with the interleaving and the perturbations that seed chose "
			 "(docs/stress.md).\n");
	submission_result_free(&res);
	ck_assert_int_eq(tu_count_descendants(), 0);
	buf_free(&err);
	free(sub);
}
END_TEST

Suite *grade_suite(void)
{
	Suite *s = suite_create("grade");
	TCase *tc = tcase_create("grade");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, full_marks);
	tcase_add_test(tc, compile_error_everywhere);
	tcase_add_test(tc, wrong_output_and_exit);
	tcase_add_test(tc, crash_is_not_wrong_exit);
	tcase_add_test(tc, pause_is_a_hang);
	tcase_add_test(tc, only_one_case);
	tcase_add_test(tc, files_in_and_out);
	tcase_add_test(tc, data_files_at_run_time);
	tcase_add_test(tc, bonus_cases);
	suite_add_tcase(s, tc);
	/* the slow ones apart: check_main.c runs them in parallel */
	tu_test_unit(s, timeout_only, setup, teardown, 60);
	tu_test_unit(s, monitor_off, setup, teardown, 60);
	tu_test_unit(s, hundred_cases_no_fd_leak, setup, teardown, 60);
	tu_test_unit(s, stressed_runs_pass, setup, teardown, 60);
	tu_test_unit(s, stress_only_when_it_can_tell, setup, teardown, 60);
	tu_test_unit(s, replay_under_seed, setup, teardown, 60);
	return s;
}
