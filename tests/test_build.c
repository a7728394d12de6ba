/* test_build.c: building submissions: plain cc, the submission's own Makefile, compile errors
 * kept for the report, a compiler that never finishes, odd submissions. */
#include <check.h>
#include <dirent.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "sandbox.h"
#include "suites.h"
#include "testutil.h"

static struct course course;
static struct exercise exercise;

static void setup(void)
{
	memset(&course, 0, sizeof course);
	course.compiler = xstrdup("cc"); /* config.h's strings are owned, not literals */
	strvec_push(&course.cflags, "-std=c17");
	strvec_push(&course.cflags, "-Wall");
	course.build_timeout_s = 30;
	memset(&exercise, 0, sizeof exercise);
	exercise.id = xstrdup("00-test");
	exercise.binary = xstrdup("prog");
	exercise.build = BUILD_AUTO;
}

static void teardown(void)
{
	strvec_free(&course.cflags);
	free(course.compiler);
	free(exercise.id);
	free(exercise.binary);
}

START_TEST(builds_c_files)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "main.c", "int helper(void);\nint main(void) { return helper(); }\n");
	tu_write(dir, "helper.c", "int helper(void);\nint helper(void) { return 7; }\n");
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, dir, NULL, &b, &err), 0);
	ck_assert(b.ok);
	ck_assert(!b.used_make);
	ck_assert_ptr_nonnull(b.binary);
	ck_assert_int_eq(access(b.binary, X_OK), 0);
	/* The student's folder is not written to. */
	char *stray = xasprintf("%s/prog", dir);
	ck_assert_int_ne(access(stray, F_OK), 0);
	free(stray);
	char *work = xstrdup(b.workdir);
	build_free(&b);
	ck_assert_int_ne(access(work, F_OK), 0); /* removed */
	free(work);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

START_TEST(single_c_file)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "solo.c", "int main(void) { return 0; }\n");
	char *file = xasprintf("%s/solo.c", dir);
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, file, NULL, &b, &err), 0);
	ck_assert(b.ok);
	build_free(&b);
	free(file);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

START_TEST(compile_error_kept)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "prog.c", "int main(void) { return x; }\n");
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, dir, NULL, &b, &err), 0);
	ck_assert(!b.ok);
	ck_assert_ptr_null(b.binary);
	ck_assert_ptr_nonnull(strstr(b.log.data, "prog.c:1:"));
	ck_assert_ptr_nonnull(strstr(b.log.data, "'x' undeclared"));
	build_free(&b);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

START_TEST(own_makefile)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "Makefile", "prog: a.c\n\tcc -o prog a.c\n\t@echo built-with-make\n");
	tu_write(dir, "a.c", "int main(void) { return 0; }\n");
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, dir, NULL, &b, &err), 0);
	ck_assert(b.ok);
	ck_assert(b.used_make);
	ck_assert_ptr_nonnull(strstr(b.log.data, "built-with-make"));
	build_free(&b);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

START_TEST(makefile_without_binary)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "Makefile", "all:\n\t@echo nothing\n");
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, dir, NULL, &b, &err), 0);
	ck_assert(!b.ok);
	ck_assert_ptr_nonnull(strstr(b.log.data, "did not produce the program ./prog"));
	build_free(&b);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

START_TEST(no_sources)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "notes.txt", "nada\n");
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, dir, NULL, &b, &err), 0);
	ck_assert(!b.ok);
	ck_assert_str_eq(b.log.data, "The submission has no .c files to compile.\n");
	build_free(&b);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

/* The compiler reads /dev/zero forever: the build timeout stops it, or, without a memory
 * cgroup, the address-space limit (RLIMIT_AS) may stop it first. */
START_TEST(compile_bomb_times_out)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "prog.c", "#include \"/dev/zero\"\nint main(void) { return 0; }\n");
	course.build_timeout_s = 1;
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, dir, NULL, &b, &err), 0);
	ck_assert(!b.ok);
	bool timed_out = strstr(b.log.data, "The build did not finish within 1 s") != NULL;
	bool no_memory = strstr(b.log.data, "cc1: out of memory allocating ") != NULL;
	if (sandbox_caps()->cg.mem[0])
		ck_assert_msg(timed_out, "%s", b.log.data);
	else
		ck_assert_msg(timed_out || no_memory, "%s", b.log.data);
	ck_assert_int_eq(tu_count_descendants(), 0);
	build_free(&b);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

/* A Makefile that links the program to another one (the reference solution): not the
 * student's program, and nothing of the link's target reaches the cache. */
START_TEST(linked_program_refused)
{
	char *dir = tu_mkdtemp();
	chmod(dir, 0755);
	char *cache = xasprintf("%s/cache", dir), *sub = xasprintf("%s/sub", dir);
	char *reference = xasprintf("%s/reference", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(mkdir(reference, 0755), 0);
	tu_write(reference, "prog.c", "int main(void) { return 42; }\n");
	struct build_options bo = { NULL, cache };
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, reference, NULL, &b, &err), 0);
	ck_assert(b.ok);
	char *ref_bin = xasprintf("%s/prog", reference);
	ck_assert_int_eq(file_copy(b.binary, ref_bin, 0755), 0);
	build_free(&b);
	char *makefile = xasprintf("prog:\n\tln -s %s prog\n", ref_bin);
	tu_write(sub, "Makefile", makefile);
	for (int round = 0; round < 2; round++) { /* built, then from the cache */
		ck_assert_int_eq(build_submission(&course, &exercise, sub, &bo, &b, &err), 0);
		ck_assert(!b.ok);
		ck_assert(b.cached == (round == 1));
		ck_assert_ptr_null(b.binary);
		ck_assert_msg(strstr(b.log.data,
				     "The build finished but did not produce the program "
				     "./prog: it is a symbolic link: the program must be a file "
				     "the build makes.\n"),
			      "%s", b.log.data);
		build_free(&b);
	}
	/* the cache holds a failure and its log, no program */
	struct strvec names = STRVEC_INIT;
	DIR *d = opendir(cache);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			strvec_push(&names,
				    strchr(e->d_name, '.') ? strchr(e->d_name, '.') : e->d_name);
	if (d)
		closedir(d);
	ck_assert_uint_eq(names.n, 2);
	ck_assert(!strcmp(names.v[0], ".fail") || !strcmp(names.v[1], ".fail"));
	ck_assert(!strcmp(names.v[0], ".log") || !strcmp(names.v[1], ".log"));
	strvec_free(&names);
	buf_free(&err);
	free(makefile);
	free(ref_bin);
	free(reference);
	free(sub);
	free(cache);
	tu_rmdir(dir);
}
END_TEST

/* The compile cache: the same sources and flags are not compiled twice; failures too. */
START_TEST(compile_cache)
{
	char *dir = tu_mkdtemp();
	char *cache = xasprintf("%s/cache", dir);
	char *sub = xasprintf("%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	tu_write(sub, "prog.c", "int main(void) { return 0; }\n");
	struct build_options bo = { NULL, cache };
	struct buf err = BUF_INIT;
	struct build b;
	ck_assert_int_eq(build_submission(&course, &exercise, sub, &bo, &b, &err), 0);
	ck_assert(b.ok && !b.cached);
	build_free(&b);
	ck_assert_int_eq(build_submission(&course, &exercise, sub, &bo, &b, &err), 0);
	ck_assert(b.ok && b.cached);
	ck_assert_int_eq(access(b.binary, X_OK), 0);
	build_free(&b);
	strvec_push(&course.cflags, "-O1"); /* other flags: built again */
	ck_assert_int_eq(build_submission(&course, &exercise, sub, &bo, &b, &err), 0);
	ck_assert(b.ok && !b.cached);
	build_free(&b);
	tu_write(sub, "prog.c", "int main(void) { return nope; }\n"); /* a failure is cached too */
	ck_assert_int_eq(build_submission(&course, &exercise, sub, &bo, &b, &err), 0);
	ck_assert(!b.ok && !b.cached);
	build_free(&b);
	ck_assert_int_eq(build_submission(&course, &exercise, sub, &bo, &b, &err), 0);
	ck_assert(!b.ok && b.cached);
	ck_assert_ptr_nonnull(strstr(b.log.data, "'nope' undeclared"));
	build_free(&b);
	buf_free(&err);
	free(sub);
	free(cache);
	tu_rmdir(dir);
}
END_TEST

START_TEST(missing_submission)
{
	struct build b;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(build_submission(&course, &exercise, "/nonexistent/sub", NULL, &b, &err),
			 -1);
	ck_assert_str_eq(err.data, "/nonexistent/sub: No such file or directory");
	build_free(&b);
	buf_free(&err);
}
END_TEST

Suite *build_suite(void)
{
	Suite *s = suite_create("build");
	TCase *tc = tcase_create("build");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, builds_c_files);
	tcase_add_test(tc, single_c_file);
	tcase_add_test(tc, compile_error_kept);
	tcase_add_test(tc, own_makefile);
	tcase_add_test(tc, makefile_without_binary);
	tcase_add_test(tc, no_sources);
	tcase_add_test(tc, missing_submission);
	tcase_add_test(tc, compile_cache);
	tcase_add_test(tc, linked_program_refused);
	suite_add_tcase(s, tc);
	/* the slow one apart: check_main.c runs it in parallel */
	tu_test_unit(s, compile_bomb_times_out, setup, teardown, 60);
	return s;
}
