/* test_util.c: buffers, vectors, files, and the /proc process tree walk on real processes. */
#include <check.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "proctree.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

START_TEST(buffers)
{
	struct buf b = BUF_INIT;
	buf_append(&b, "a\0b", 3);
	buf_printf(&b, "%d-%s", 42, "x");
	ck_assert_uint_eq(b.len, 7);
	ck_assert_mem_eq(b.data, "a\0b42-x", 8); /* NUL-terminated */
	char *s = buf_detach(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	free(s);
	s = buf_detach(&b);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(vectors)
{
	struct strvec v = STRVEC_INIT;
	for (int i = 0; i < 20; i++) {
		char n[8];
		snprintf(n, sizeof n, "%d", i);
		strvec_push(&v, n);
	}
	ck_assert_uint_eq(v.n, 20);
	ck_assert_str_eq(v.v[19], "19");
	ck_assert_ptr_null(v.v[20]);
	strvec_free(&v);
	ck_assert_ptr_null(v.v);
}
END_TEST

START_TEST(files)
{
	char *dir = tu_mkdtemp();
	char *sub = xasprintf("%s/a/b", dir);
	char *a = xasprintf("%s/a", dir);
	ck_assert_int_eq(mkdir(a, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0555), 0);
	tu_write(a, "f.txt", "hola\n");
	char *f = xasprintf("%s/f.txt", a);
	struct buf b = BUF_INIT;
	ck_assert_int_eq(read_file(f, &b), 0);
	ck_assert_str_eq(b.data, "hola\n");
	buf_free(&b);
	ck_assert_int_eq(read_file("/nonexistent", &b), -1);
	ck_assert_int_eq(remove_tree(dir), 0);
	ck_assert_int_ne(access(dir, F_OK), 0);
	free(f);
	free(a);
	free(sub);
	free(dir);
}
END_TEST

/* A real tree: child with a grandchild; both found, parents first. */
START_TEST(descendants)
{
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t child = fork();
	if (child == 0) {
		if (fork() == 0) {
			close(ready[0]);
			close(ready[1]);
			pause();
			_exit(0);
		}
		close(ready[0]);
		close(ready[1]); /* EOF for the parent: both processes exist now */
		pause();
		_exit(0);
	}
	close(ready[1]);
	char c;
	ck_assert_int_eq(read(ready[0], &c, 1), 0);
	close(ready[0]);
	struct pidlist l = PIDLIST_INIT;
	proctree_descendants(getpid(), &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0], child);
	ck_assert(pidlist_has(&l, l.v[1]));
	ck_assert_int_ne(l.v[1], child);
	pidlist_free(&l);
	ck_assert_int_eq(run_kill_descendants(), 2);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(paths)
{
	static const char *const cases[][3] = {
		{ "a/b/c", "a/b", "c" }, { "a/b/", "a", "b" }, { "/x", "/", "x" },
		{ "x", ".", "x" }, { "/", "/", "/" }, { "/a//", "/", "a" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *d = path_dirname(cases[i][0]), *b = path_basename(cases[i][0]);
		ck_assert_str_eq(d, cases[i][1]);
		ck_assert_str_eq(b, cases[i][2]);
		free(d);
		free(b);
	}
}
END_TEST

START_TEST(utf8)
{
	unsigned int cp = 0;
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"a", 1, &cp), 1);
	ck_assert_uint_eq(cp, 'a');
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc3\xb3", 2, &cp), 2);
	ck_assert_uint_eq(cp, 0xf3);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc3\xb3", 1, &cp), 0); /* cut */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc0\xaf", 2, NULL), 0); /* overlong */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, NULL), 0); /* surrogate */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xff", 1, NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe2\x82", SIZE_MAX, NULL), 0); /* NUL */
}
END_TEST

START_TEST(languages)
{
	enum lang l;
	ck_assert_int_eq(i18n_parse("es", &l), 0);
	ck_assert_int_eq(l, LANG_ES);
	ck_assert_int_eq(i18n_parse("fr", &l), -1);
	i18n_set(LANG_ES);
	ck_assert_str_eq(L("yes", "sí"), "sí");
	i18n_set(LANG_EN);
	ck_assert_str_eq(L("yes", "sí"), "yes");
	setenv("LANGUAGE", "es_ES.UTF-8", 1);
	ck_assert_int_eq(i18n_from_env(), LANG_ES);
	setenv("LANGUAGE", "en_GB", 1);
	ck_assert_int_eq(i18n_from_env(), LANG_EN);
	unsetenv("LANGUAGE");
}
END_TEST

Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, buffers);
	tcase_add_test(tc, vectors);
	tcase_add_test(tc, files);
	tcase_add_test(tc, descendants);
	tcase_add_test(tc, paths);
	tcase_add_test(tc, utf8);
	tcase_add_test(tc, languages);
	suite_add_tcase(s, tc);
	return s;
}
