/* test_student.c: pipegrade as a student and a student's CI use it: what `grade PATH` grades
 * (a folder, a file, a repository of exercise folders), nothing graded is never a pass, the
 * course found without -c, several reports in one run, --case as a student types it and
 * --failures-only. Everything through the pipegrade binary, as they run it. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "grade_target.h"
#include "jsoncheck.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

static char *course_env;

static bool json_valid(const char *s)
{
	return s && json_validate(s, strlen(s)) == 0;
}

/* Runs pipegrade from `cwd` with PIPEGRADE_CONFIG pointing at the course (when `course` is
 * true) and no TTY (stdin is empty, stdout and stderr are pipes). */
static void pg_at(const char *cwd, bool course, struct run_result *r, ...)
{
	struct strvec argv = STRVEC_INIT;
	strvec_push(&argv, "pipegrade");
	va_list ap;
	va_start(ap, r);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		strvec_push(&argv, a);
	va_end(ap);
	const char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "NO_COLOR=1",
			       course ? course_env : NULL, NULL };
	struct run_spec spec = RUN_SPEC_INIT;
	spec.file = tu_pipegrade();
	spec.argv = (const char *const *)argv.v;
	spec.envp = envp;
	spec.cwd = cwd;
	spec.wall_s = 120;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, r, &err), 0);
	ck_assert_int_eq(r->end, RUN_EXITED);
	strvec_free(&argv);
	buf_free(&err);
}

static void setup(void)
{
	course_env = xasprintf("PIPEGRADE_CONFIG=%s", tu_path("grading.yaml"));
}

static void teardown(void)
{
	free(course_env);
}

/* A student's repository: the reference solutions of 01-hello and 03-eof-wc in folders named
 * after them, and a README. */
static char *make_repo(void)
{
	char *dir = tu_mkdtemp();
	char *cmd = xasprintf("mkdir '%s/01-hello' '%s/03-eof-wc' && cp '%s'/solutions/01-hello/*.c "
			      "'%s/01-hello/' && cp '%s'/solutions/03-eof-wc/*.c '%s/03-eof-wc/'",
			      dir, dir, tu_top(), dir, tu_top(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	tu_write(dir, "README.md", "# mis ejercicios\n");
	return dir;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* grade . in a repository grades each exercise folder as its exercise, and writes nothing into
 * it; -e ID grades that folder only. */
START_TEST(repository)
{
	char *dir = make_repo();
	struct run_result r;
	pg_at(dir, true, &r, "grade", ".", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "01-hello — "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\n03-eof-wc — "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\nTotal: 20/20 (2 exercises)\n"));
	ck_assert_uint_eq(count(r.out.data, "Score: 10/10"), 2);
	run_result_free(&r);
	char *results = xasprintf("%s/results", dir);
	ck_assert_int_eq(access(results, F_OK), -1);
	pg_at(dir, true, &r, "grade", "-e", "01-hello", ".", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "submission: ./01-hello\n"));
	ck_assert_ptr_null(strstr(r.out.data, "03-eof-wc"));
	run_result_free(&r);
	/* -e all, as JSON: one results.json with both exercises */
	pg_at(dir, true, &r, "grade", "-e", "all", "-f", "json", ".", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(json_valid(r.out.data), "not JSON: %s", r.out.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"score\": 20,\n  \"max_score\": 20,"));
	ck_assert_ptr_nonnull(strstr(r.out.data, "{\"name\": \"01-hello: mensaje corto\""));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"exercise\": \"03-eof-wc\""));
	run_result_free(&r);
	ck_assert_int_eq(access(results, F_OK), -1);
	free(results);
	tu_rmdir(dir);
}
END_TEST

/* Nothing found to grade is exit 2 with what was looked for, never 0; a class too. */
START_TEST(nothing_graded)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "notas.txt", "nada\n");
	struct run_result r;
	pg_at(dir, true, &r, "grade", ".", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	char *name = path_basename(dir);
	char *want = xasprintf(
		"pipegrade: nothing to grade: . is not named after an exercise and holds no folder "
		"named after one (01-hello/, 02-long-message/, 03-eof-wc/, ...) nor a source file "
		"named after an exercise's program (hello.c, long-message.c, eof-wc.c, ...). Give "
		"the exercise with -e ID (see 'pipegrade list'); a folder of students is graded "
		"with 'pipegrade class DIR'\n");
	ck_assert_str_eq(r.err.data, want);
	ck_assert_str_eq(r.out.data, "");
	run_result_free(&r);
	pg_at(dir, true, &r, "grade", "-e", "all", ".", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "nothing to grade: . holds no folder named after "
						 "an exercise (01-hello/"));
	run_result_free(&r);
	pg_at(dir, true, &r, "class", "--out", "out", ".", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "pipegrade: nothing graded: . holds no student"));
	run_result_free(&r);
	/* a file not named after a program */
	tu_write(dir, "hola.c", "int main(void) { return 0; }\n");
	pg_at(dir, true, &r, "grade", "hola.c", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.err.data,
			 "pipegrade: which exercise is hola.c? It is not named after an exercise's "
			 "program (hello.c, long-message.c, eof-wc.c, ...): give it with -e ID (see "
			 "'pipegrade list')\n");
	run_result_free(&r);
	free(want);
	free(name);
	tu_rmdir(dir);
}
END_TEST

/* One file, by the program it is named after; a folder by the one source it holds. */
START_TEST(file_by_program_name)
{
	char *dir = tu_mkdtemp();
	char *cmd = xasprintf("cp '%s/solutions/01-hello/hello.c' '%s/' && mkdir '%s/mio' && "
			      "cp '%s/solutions/01-hello/hello.c' '%s/mio/'",
			      tu_top(), dir, dir, tu_top(), dir);
	ck_assert_int_eq(system(cmd), 0);
	struct run_result r;
	pg_at(dir, true, &r, "grade", "hello.c", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "01-hello — "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "Score: 10/10"));
	run_result_free(&r);
	pg_at(dir, true, &r, "grade", "mio", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "01-hello — "));
	run_result_free(&r);
	/* a Python exercise's script by its own name (hello.py is py01-hello's, not 01-hello's) */
	free(cmd);
	cmd = xasprintf("cp '%s/solutions/py01-hello/hello.py' '%s/'", tu_top(), dir);
	ck_assert_int_eq(system(cmd), 0);
	pg_at(dir, true, &r, "grade", "hello.py", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "py01-hello — "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "Score: 10/10"));
	run_result_free(&r);
	/* a failed case says how the script was run */
	free(cmd);
	cmd = xasprintf("mkdir '%s/ck' && cp '%s/tests/fixtures/py01-hello/child-keeps-write-end/"
			"hello.py' '%s/ck/'",
			dir, tu_top(), dir);
	ck_assert_int_eq(system(cmd), 0);
	pg_at(dir, true, &r, "grade", "ck/hello.py", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.out.data, "── mensaje por defecto ──\n    command: python3 "
						 "hello.py\n    [deadlock]\n"));
	run_result_free(&r);
	free(cmd);
	tu_rmdir(dir);
}
END_TEST

/* A pipex repository whose Makefile is in src/, with -e and JSON asked for: the JSON report
 * of that one submission on stdout, never a class's summary. */
START_TEST(pipex_repository_json)
{
	char *dir = tu_mkdtemp();
	char *cmd = xasprintf("mkdir -p '%s/src' && cp -r '%s'/solutions/08-pipex/. '%s/src/'", dir,
			      tu_top(), dir);
	ck_assert_int_eq(system(cmd), 0);
	tu_write(dir, "README.md", "pipex\n");
	struct run_result r;
	pg_at(dir, true, &r, "grade", "-e", "08-pipex", "--format", "json", ".", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err.data);
	ck_assert_msg(json_valid(r.out.data), "not JSON: %s", r.out.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"exercise\": \"08-pipex\", \"submission\": "
						 "\"./src\""));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"score\": 10,\n  \"max_score\": 10,"));
	ck_assert_ptr_null(strstr(r.out.data, "students"));
	run_result_free(&r);
	free(cmd);
	tu_rmdir(dir);
}
END_TEST

/* -f FMT=FILE writes that report and text still goes to stdout; -f FMT alone to stdout. */
START_TEST(several_formats)
{
	char *dir = tu_mkdtemp();
	char *cmd = xasprintf("cp '%s/solutions/01-hello/hello.c' '%s/'", tu_top(), dir);
	ck_assert_int_eq(system(cmd), 0);
	struct run_result r;
	pg_at(dir, true, &r, "grade", "-f", "junit=report.xml", "-f", "json=results.json",
	      "hello.c", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "Score: 10/10"));
	struct buf b = BUF_INIT;
	char *xml = xasprintf("%s/report.xml", dir), *json = xasprintf("%s/results.json", dir);
	ck_assert_int_eq(read_file(xml, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "<testsuites"));
	buf_reset(&b);
	ck_assert_int_eq(read_file(json, &b), 0);
	ck_assert(json_valid(b.data));
	run_result_free(&r);
	pg_at(dir, true, &r, "grade", "-f", "json", "-f", "junit=report.xml", "hello.c", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(json_valid(r.out.data), "stdout is not the JSON alone: %s", r.out.data);
	run_result_free(&r);
	pg_at(dir, true, &r, "grade", "-f", "yaml", "hello.c", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "pipegrade: unknown format 'yaml' (use text, "));
	run_result_free(&r);
	buf_free(&b);
	free(xml);
	free(json);
	free(cmd);
	tu_rmdir(dir);
}
END_TEST

/* The course without -c: PIPEGRADE_CONFIG, then grading.yaml here or above. */
START_TEST(course_found)
{
	char *dir = tu_mkdtemp();
	char *sub = xasprintf("%s/a/b", dir), *a = xasprintf("%s/a", dir);
	ck_assert_int_eq(mkdir(a, 0755) | mkdir(sub, 0755), 0);
	tu_write(dir, "grading.yaml",
		 "exercises:\n  - id: 01-x\n    title: \"x\"\n    binary: x\n"
		 "    cases:\n      - name: \"c\"\n        stdout: \"x\\n\"\n");
	struct run_result r;
	pg_at(sub, false, &r, "check-config", NULL);
	char *want = xasprintf("%s/grading.yaml: ok, 1 exercises, 1 cases\n", dir);
	ck_assert_str_eq(r.out.data, want);
	ck_assert_int_eq(r.exit_code, 0);
	run_result_free(&r);
	pg_at(sub, true, &r, "list", NULL); /* PIPEGRADE_CONFIG first */
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "08-pipex  "));
	run_result_free(&r);
	free(want);
	free(sub);
	free(a);
	tu_rmdir(dir);
}
END_TEST

/* --case as a student types it: a number, a part of the name, without accents; did you
 * mean. */
START_TEST(case_as_typed)
{
	struct course c;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(tu_path("grading.yaml"), &c, &err), 0);
	const struct exercise *ex = course_find_exercise(&c, "01-hello");
	ck_assert_str_eq(grade_find_case(ex, "2", &err)->name, "mensaje corto");
	ck_assert_str_eq(grade_find_case(ex, "vacio", &err)->name, "mensaje vacío");
	ck_assert_str_eq(grade_find_case(ex, "MENSAJE CORTO", &err)->name, "mensaje corto");
	ck_assert_str_eq(grade_find_case(ex, "mensaje con e", &err)->name,
			 "mensaje con espacios y acentos");
	ck_assert_ptr_null(grade_find_case(ex, "mensaje vacoi", &err));
	ck_assert_str_eq(err.data, "exercise 01-hello has no case 'mensaje vacoi'; did you mean "
				   "'mensaje vacío'? (see 'pipegrade list')");
	buf_reset(&err);
	ck_assert_ptr_null(grade_find_case(ex, "mensaje con", &err));
	ck_assert_str_eq(err.data,
			 "'mensaje con' starts the names of 2 cases of 01-hello: "
			 "'mensaje con espacios y acentos' 'mensaje con saltos de línea': "
			 "give more of the name, or its number");
	buf_reset(&err);
	ck_assert_ptr_null(grade_find_case(ex, "9", &err));
	ck_assert_str_eq(err.data, "exercise 01-hello has 5 cases: give a number from 1 to 5, or "
				   "a name (see 'pipegrade list')");
	buf_reset(&err);
	ck_assert_ptr_null(grade_find_case(ex, "\033[2Jx", &err));
	ck_assert_ptr_null(strchr(err.data, '\033'));
	char *f = grade_fold("ÁÉÍÓÚÜÑ áéíóúüñ Ç×");
	ck_assert_str_eq(f, "aeiouun aeiouun c×");
	free(f);
	buf_free(&err);
	course_free(&c);
}
END_TEST

/* --case through the binary, and --failures-only. */
START_TEST(case_and_failures_only)
{
	struct run_result r;
	pg_at(tu_top(), true, &r, "grade", "--case", "corto", "--failures-only",
	      "tests/fixtures/01-hello/no-newline", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.out.data, "  ✘ mensaje corto "));
	ck_assert_uint_eq(count(r.out.data, "  ✘ "), 1);
	run_result_free(&r);
	pg_at(tu_top(), true, &r, "grade", "--failures-only", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_null(strstr(r.out.data, "✔"));
	ck_assert_ptr_nonnull(
		strstr(r.out.data, "  (5 passed cases not shown: --failures-only)\n"));
	run_result_free(&r);
}
END_TEST

/* --keep leaves repro.sh: each visible case run by hand as pipegrade ran it. */
START_TEST(keep_writes_repro)
{
	struct run_result r;
	pg_at(tu_top(), true, &r, "grade", "--keep", "tests/fixtures/01-hello/no-newline", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	const char *kept = strstr(r.err.data, "pipegrade: build directory kept: ");
	ck_assert_ptr_nonnull(kept);
	kept += strlen("pipegrade: build directory kept: ");
	char *dir = xmemdup(kept, strcspn(kept, "\n"));
	run_result_free(&r);
	char *script = xasprintf("%s/repro.sh", dir);
	struct stat st;
	ck_assert_int_eq(stat(script, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0755);
	const char *first[] = { "sh", script, NULL };
	tu_run(first, NULL, "/", &r); /* the first case that lost points: case 1 */
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_str_eq(r.out.data, "Hijo recibió: Hola desde el padre!");
	run_result_free(&r);
	const char *second[] = { "sh", script, "2", NULL };
	tu_run(second, NULL, "/", &r);
	ck_assert_str_eq(r.out.data, "Hijo recibió: hola");
	run_result_free(&r);
	const char *hidden[] = { "sh", script, "5", NULL }; /* hidden: not in it */
	tu_run(hidden, NULL, "/", &r);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.err.data, "repro.sh: no case 5\n");
	run_result_free(&r);
	struct buf text = BUF_INIT;
	ck_assert_int_eq(read_file(script, &text), 0);
	ck_assert_ptr_null(strstr(text.data, "vac")); /* the hidden cases' names */
	ck_assert_ptr_nonnull(strstr(text.data, "env -i 'PATH=/usr/local/bin:/usr/bin:/bin' "
						"HOME=\"$box\" PWD=\"$box\" 'USER=student'"));
	buf_free(&text);
	tu_rmdir(dir); /* frees it */
	free(script);
}
END_TEST

/* What a student reads while fixing a bug: the case's stdin, the same leak told once with the
 * other cases named, and a hint about closing rather than the case's output hint. */
START_TEST(failure_details)
{
	struct run_result r;
	pg_at(tu_top(), true, &r, "grade", "tests/fixtures/04-pipeline/dup2-no-close", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	const char *out = r.out.data;
	ck_assert_ptr_nonnull(strstr(out, "    The same as in case 'entrada estándar' above.\n"));
	ck_assert_ptr_nonnull(strstr(out, "    (the same in: 'tres etapas'"));
	ck_assert_ptr_nonnull(strstr(out,
				     "    Hint: close in each process the pipe ends it does not "
				     "use, right after fork() and before exec();"));
	ck_assert_ptr_null(strstr(out, "La primera orden lee la entrada"));
	ck_assert_ptr_nonnull(strstr(out, "    stdin ("));
	run_result_free(&r);
	/* leaked files, not pipe ends: the hint is about fds 0, 1 and 2 */
	pg_at(tu_top(), true, &r, "grade", "--case", "cat | wc -l",
	      "tests/fixtures/08-pipex/leaks-files", NULL);
	ck_assert_ptr_nonnull(strstr(r.out.data,
				     "    Hint: a program should start with only fds 0, "
				     "1 and 2: once dup2() has put what it needs"));
	ck_assert_ptr_null(strstr(r.out.data, "Hint: close in each process the pipe ends"));
	run_result_free(&r);
	pg_at(tu_top(), true, &r, "grade", "--case", "texto corto",
	      "tests/fixtures/03-eof-wc/exit-eof", NULL);
	ck_assert_ptr_nonnull(strstr(r.out.data, "    stdin (28 bytes):\n      | hola mundo\n"
						 "      | adiós, tubería\n"));
	run_result_free(&r);
}
END_TEST

Suite *student_suite(void)
{
	Suite *s = suite_create("student");
	TCase *tc = tcase_create("student");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, nothing_graded);
	tcase_add_test(tc, course_found);
	tcase_add_test(tc, case_as_typed);
	tcase_add_test(tc, case_and_failures_only);
	suite_add_tcase(s, tc);
	tu_test_unit(s, repository, setup, teardown, 120);
	tu_test_unit(s, file_by_program_name, setup, teardown, 120);
	tu_test_unit(s, pipex_repository_json, setup, teardown, 120);
	tu_test_unit(s, several_formats, setup, teardown, 120);
	tu_test_unit(s, keep_writes_repro, setup, teardown, 120);
	tu_test_unit(s, failure_details, setup, teardown, 120);
	return s;
}
