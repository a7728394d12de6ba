/* test_util.c: buffers, vectors, files, text made visible (buf_visible), and the /proc process
 * tree walk on real processes. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
		{ "x", ".", "x" },       { "/", "/", "/" },    { "/a//", "/", "a" },
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
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc0\xaf", 2, NULL),
			  0); /* overlong */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, NULL),
			  0); /* surrogate */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xff", 1, NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe2\x82", SIZE_MAX, NULL),
			  0); /* NUL */
}
END_TEST

/* buf_visible() of `len` bytes of `s` appended to "out:", compared with "out:" `want`. */
static void check_visible(const char *s, size_t len, bool keep_newlines, const char *want)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "out:");
	buf_visible(&b, s, len, keep_newlines);
	char *w = xasprintf("out:%s", want);
	ck_assert_str_eq(b.data, w);
	ck_assert_uint_eq(b.len, strlen(w));
	free(w);
	buf_free(&b);
}

#define VIS(lit, keep, want) check_visible(lit, sizeof lit - 1, keep, want)

START_TEST(visible_controls)
{
	VIS("\033[2J\033[HScore: 10/10\033[8m", false, "\\x1b[2J\\x1b[HScore: 10/10\\x1b[8m");
	VIS("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
	    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	    false,
	    "\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\t\\x0a\\x0b\\x0c\\x0d\\x0e\\x0f"
	    "\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f");
	VIS("\x08\x09\x0a\x0b", true, "\\x08\t\n\\x0b");
	VIS("a\x7f"
	    "b ~",
	    false, "a\\x7fb ~");
	VIS("a\0b", false, "a\\x00b");
	VIS("a\nb\r\n", true, "a\nb\\x0d\n");
	VIS("a\nb\r\n", false, "a\\x0ab\\x0d\\x0a");
	VIS("C:\\dir\\x1b", false, "C:\\dir\\x1b"); /* a backslash is not doubled */
	VIS("", false, "");
}
END_TEST

START_TEST(visible_code_points)
{
	VIS("\xc2\x85|\xc2\x80|\xc2\x9f|\xc2\xa0", false, "\\u{85}|\\u{80}|\\u{9f}|\xc2\xa0");
	VIS("\xe2\x80\x8a|\xe2\x80\x8b|\xe2\x80\x8f|\xe2\x80\x90", false,
	    "\xe2\x80\x8a|\\u{200b}|\\u{200f}|\xe2\x80\x90");
	VIS("\xe2\x80\xa7|\xe2\x80\xa8|\xe2\x80\xa9|\xe2\x80\xaa|\xe2\x80\xae|\xe2\x80\xaf", false,
	    "\xe2\x80\xa7|\\u{2028}|\\u{2029}|\\u{202a}|\\u{202e}|\xe2\x80\xaf");
	VIS("\xd8\x9b|\xd8\x9c|\xd8\x9d", false, "\xd8\x9b|\\u{61c}|\xd8\x9d"); /* ALM */
	VIS("\xe2\x81\x9f|\xe2\x81\xa0|\xe2\x81\xa9|\xe2\x81\xaa", false,
	    "\xe2\x81\x9f|\\u{2060}|\\u{2069}|\xe2\x81\xaa");
	VIS("\xef\xbb\xbfhola", false, "\\u{feff}hola");
	VIS("\xef\xbf\xbd|\xef\xbf\xbe|\xef\xbf\xbf", false, "\xef\xbf\xbd|\\u{fffe}|\\u{ffff}");
	VIS("\xef\xb7\x8f|\xef\xb7\x90|\xef\xb7\xaf|\xef\xb7\xb0", false,
	    "\xef\xb7\x8f|\\u{fdd0}|\\u{fdef}|\xef\xb7\xb0");
	VIS("\xf0\x9f\xbf\xbe|\xf0\x9f\x98\x80|\xf4\x8f\xbf\xbe|\xf4\x8f\xbf\xbf", false,
	    "\\u{1fffe}|\xf0\x9f\x98\x80|\\u{10fffe}|\\u{10ffff}");
	VIS("Hijo recibió: «hola»\tñ €\n", true, "Hijo recibió: «hola»\tñ €\n");
}
END_TEST

START_TEST(visible_invalid_bytes)
{
	VIS("\xff", false, "\\xff");
	VIS("ab\xe2\x82", false, "ab\\xe2\\x82"); /* 3-byte sequence cut at the end */
	VIS("\xe2\x82"
	    "a",
	    false, "\\xe2\\x82a"); /* ...and in the middle */
	VIS("\xc0\xaf|\xe0\x80\xaf", false, "\\xc0\\xaf|\\xe0\\x80\\xaf"); /* overlong */
	VIS("\xed\xa0\x80", false, "\\xed\\xa0\\x80");                     /* surrogate */
	VIS("\xf4\x90\x80\x80", false, "\\xf4\\x90\\x80\\x80");            /* beyond U+10FFFF */
	VIS("\x80\xbf\xfe", false, "\\x80\\xbf\\xfe"); /* lone continuation bytes */
	VIS("ó\xff\xc3\xb3", false, "ó\\xffó");
}
END_TEST

/* Every string of two bytes: the result is valid UTF-8 with no control byte but '\t' ('\n'
 * when kept), and a string made of such safe text is left as it is. (Checked without Check's
 * assertions in the loop, each of which writes a location for Check: half a million of them
 * took minutes on a loaded machine; the first failure is reported.) */
START_TEST(visible_always_safe)
{
	struct buf b = BUF_INIT, again = BUF_INIT;
	char bad[96] = "";
	for (int keep = 0; keep < 2 && !bad[0]; keep++)
		for (unsigned i = 0; i < 0x10000 && !bad[0]; i++) {
			unsigned char in[2] = { (unsigned char)(i >> 8), (unsigned char)i };
			buf_reset(&b);
			buf_visible(&b, (const char *)in, 2, keep);
			const unsigned char *u = (const unsigned char *)b.data;
			for (size_t k = 0, n; k < b.len && !bad[0]; k += n) {
				n = utf8_decode(u + k, b.len - k, NULL);
				bool ctl = u[k] < 0x20 && u[k] != '\t' && !(keep && u[k] == '\n');
				if (n == 0 || ctl || u[k] == 0x7f)
					snprintf(bad, sizeof bad,
						 "input %04x (keep %d): byte %zu unsafe", i, keep,
						 k);
				if (n == 0)
					break;
			}
			buf_reset(&again);
			buf_visible(&again, b.data, b.len, keep);
			if (!bad[0] && strcmp(again.data, b.data))
				snprintf(bad, sizeof bad, "input %04x (keep %d): changed again", i,
					 keep);
		}
	ck_assert_msg(!bad[0], "%s", bad);
	buf_free(&again);
	buf_free(&b);
}
END_TEST

/* Builds, in `base`, a chain of 1100 directories with long names (the path is far past
 * PATH_MAX), a file at every level, links out of the tree, a directory with mode 0 and one
 * with 0500, each holding a file. Returns 0 or the step that failed. */
static int build_hostile_tree(int base)
{
	if (mkdirat(base, "t", 0755) < 0)
		return 1;
	int fd = openat(base, "t", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; fd >= 0 && i < 1100; i++) {
		char name[32];
		snprintf(name, sizeof name, "level-%04d-of-the-chain", i);
		int f = openat(fd, "file", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (f < 0 || mkdirat(fd, name, 0755) < 0)
			return 2;
		close(f);
		if (i == 10 && (symlinkat("../../../../../../../../../../../keep", fd, "up") < 0 ||
				symlinkat("/", fd, "root") < 0))
			return 3;
		if (i == 500 || i == 501) {
			if (mkdirat(fd, "locked", 0755) < 0 || mkdirat(fd, "locked/in", 0755) < 0)
				return 4;
			int g = openat(fd, "locked/in/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (g < 0 || fchmodat(fd, "locked/in", i == 500 ? 0 : 0500, 0) < 0 ||
			    fchmodat(fd, "locked", i == 500 ? 0 : 0500, 0) < 0)
				return 5;
			close(g);
		}
		int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	if (fd < 0)
		return 6;
	close(fd);
	return 0;
}

/* remove_tree() empties a tree deeper than PATH_MAX, with directories the program locked, with
 * two fds to spare, never through a link; as an ordinary user (root drops to one). */
START_TEST(remove_deep_tree)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "keep", "no me borres\n");
	if (geteuid() == 0)
		ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	int base = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(base, 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		     setresuid(65534, 65534, 65534) < 0))
			_exit(10);
		int rc = build_hostile_tree(base);
		if (rc)
			_exit(10 + rc);
		int top = 0; /* the highest fd open: the walk may use two more, not three */
		for (int fd = 0; fd < 1024; fd++)
			if (fcntl(fd, F_GETFD) >= 0)
				top = fd;
		struct rlimit lim = { (rlim_t)top + 3, (rlim_t)top + 3 };
		if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
			_exit(20);
		if (remove_tree_at(base, "t") != 0)
			_exit(21);
		struct stat st;
		if (fstatat(base, "t", &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT)
			_exit(22);
		_exit(0);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	char *keep = xasprintf("%s/keep", dir);
	struct buf text = BUF_INIT;
	ck_assert_int_eq(read_file(keep, &text), 0);
	ck_assert_str_eq(text.data, "no me borres\n"); /* the link out was removed, not followed */
	struct stat st;
	ck_assert_int_eq(stat("/bin", &st), 0);
	buf_free(&text);
	free(keep);
	close(base);
	tu_rmdir(dir);
}
END_TEST

START_TEST(languages)
{
	/* the catalogs next to this program (make builds them into $(BUILD)/locale) */
	ck_assert_int_eq(i18n_set("es"), 0);
	ck_assert_str_eq(i18n_get(), "es");
	ck_assert(i18n_catalog_found());
	ck_assert_str_eq(_("passed"), "correcto");
	ck_assert_str_eq(P_("  … %zu more line\n", "  … %zu more lines\n", 1),
			 "  … %zu línea más\n");
	ck_assert_str_eq(P_("  … %zu more line\n", "  … %zu more lines\n", 2),
			 "  … %zu líneas más\n");
	ck_assert_str_eq(C_("site", " in %s()"), " en %s()"); /* two uses, two translations */
	ck_assert_str_eq(_(" in %s()"), ", en %s()");
	char num[16];
	snprintf(num, sizeof num, "%.2f", 0.25); /* numbers never change with the language */
	ck_assert_str_eq(num, "0.25");
	ck_assert_int_eq(i18n_set("pt-BR"), 0);
	ck_assert_str_eq(i18n_get(), "pt_BR");
	ck_assert_int_eq(i18n_set("fr"), -1);
	ck_assert_str_eq(i18n_get(), "pt_BR"); /* unchanged */
	ck_assert_int_eq(i18n_set("en_US.UTF-8"), 0);
	ck_assert_str_eq(_("passed"), "passed");
	ck_assert_str_eq(P_("  … %zu more line\n", "  … %zu more lines\n", 0),
			 "  … %zu more lines\n");
	/* the environment, as gettext reads it: LANGUAGE's first language spoken, else the
	 * first of LC_ALL, LC_MESSAGES, LANG that is set */
	const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	char *saved[4];
	for (int i = 0; i < 4; i++) {
		saved[i] = getenv(vars[i]) ? xstrdup(getenv(vars[i])) : NULL;
		unsetenv(vars[i]);
	}
	ck_assert_str_eq(i18n_from_env(), "en");
	setenv("LANG", "pt_BR.UTF-8", 1);
	ck_assert_str_eq(i18n_from_env(), "pt_BR");
	setenv("LC_MESSAGES", "es_AR.UTF-8", 1);
	ck_assert_str_eq(i18n_from_env(), "es");
	setenv("LC_ALL", "C", 1);
	ck_assert_str_eq(i18n_from_env(), "en");
	setenv("LC_ALL", "fr_FR.UTF-8", 1);
	ck_assert_str_eq(i18n_from_env(), "en");
	setenv("LANGUAGE", "fr:de:es", 1); /* glibc would ignore it in the C locale: not us */
	ck_assert_str_eq(i18n_from_env(), "es");
	for (int i = 0; i < 4; i++) {
		if (saved[i])
			setenv(vars[i], saved[i], 1);
		else
			unsetenv(vars[i]);
		free(saved[i]);
	}
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
	tcase_add_test(tc, visible_controls);
	tcase_add_test(tc, visible_code_points);
	tcase_add_test(tc, visible_invalid_bytes);
	tcase_add_test(tc, languages);
	suite_add_tcase(s, tc);
	/* the slow ones apart: check_main.c runs them in parallel */
	tu_test_unit(s, visible_always_safe, NULL, NULL, 30);
	tu_test_unit(s, remove_deep_tree, NULL, NULL, 30);
	return s;
}
