/*
 * test_class_hostile.c: a class whose folder names, file names and program output are built
 * to break the outputs a grader reads: spreadsheet formulas, terminal escapes, invisible and
 * forbidden code points, invalid UTF-8, names of our own output files. The real pipegrade
 * grades it as an instructor runs it (no TTY); then every output is read as its consumer
 * reads it: the CSV files by Python's csv module, strictly as UTF-8; every JSON file by
 * Python's json module; every JUnit file by xmllint; every byte checked for escapes.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

static const char yaml[] = "exercises:\n  - id: hi\n    title: Hola\n    binary: prog\n"
			   "    cases: [{name: saludo, stdout: \"ok\\n\"}]\n";

static const char good[] = "#include <stdio.h>\nint main(void) { puts(\"ok\"); return 0; }\n";

/* Output that would retitle a terminal, clear it, hide text, and break XML and UTF-8. */
static const char evil[] =
	"#include <stdio.h>\nint main(void) {\n"
	"\tfputs(\"\\033]0;pwned\\007\\033[2J\\xef\\xbf\\xbe\\xe2\\x80\\xae\\xff=1+1\\n\", stdout);\n"
	"\tfputs(\"\\033[31merr\\xef\\xbf\\xbf\\n\", stderr);\n\treturn 0;\n}\n";

struct student {
	const char *name; /* the folder's name in the class folder (or archive's, less .tar.gz) */
	const char *program;
	const char *cell; /* its name in the gradebook, as the csv module reads it */
	const char *status;
	bool archive; /* handed in as NAME.tar.gz */
};

static const struct student students[] = {
	{ "=cmd|' -C calc'!A0", good, "'=cmd|' -C calc'!A0", "passed", false },
	{ "@SUM(1+1)", evil, "'@SUM(1+1)", "failed", false },
	{ "+1+1", good, "'+1+1", "passed", false },
	{ "-2", NULL, "'-2", "compile_error", false }, /* a file named with escapes, broken */
	{ "\033[31mred\033]0;title\007", evil, "\\x1b[31mred\\x1b]0;title\\x07", "failed", false },
	{ "cafe\xef\xbf\xbe", evil, "cafe\\u{fffe}", "failed", false },
	{ "bad\xff\xfe", good, "bad\\xff\\xfe", "passed", false },
	{ "gradebook.csv", evil, "gradebook.csv", "failed", false },
	{ "students", good, "students", "passed", false },
	{ "a,\"b\"\nc", evil, "a,\"b\"\nc", "failed", false },
	{ "\xe2\x80\xae"
	  "evil",
	  good, "\\u{202e}evil", "passed", false },
	{ "=2+3", evil, "'=2+3", "failed", true },
	{ "\033[2J", good, "\\x1b[2J", "passed", true },
};

/* Reads every output as its consumer would and prints one line per student of the gradebook
 * ("cell\tstatus", as JSON strings, sorted), or fails with the reason. */
static const char checker[] =
	"import csv, io, json, os, sys\n"
	"out = sys.argv[1]\n"
	"def text(path):\n"
	"    data = open(path, 'rb').read()\n"
	"    for b in data:\n"
	"        if (b < 0x20 and b not in (9, 10, 13)) or b == 0x7f:\n"
	"            sys.exit('%s: control byte %#x' % (path, b))\n"
	"    t = data.decode('utf-8')\n"
	"    for c in ('\\ufffe', '\\uffff', '\\u202e', '\\u0085'):\n"
	"        if c in t:\n"
	"            sys.exit('%s: raw %r' % (path, c))\n"
	"    return t\n"
	"for root, dirs, files in os.walk(out):\n"
	"    dirs[:] = [d for d in dirs if d != '.cache']  # compiled programs\n"
	"    for f in files:\n"
	"        p = os.path.join(root, f)\n"
	"        if f == '.lock':\n"
	"            continue\n"
	"        t = text(p)\n"
	"        if f.endswith('.json'):\n"
	"            json.loads(t)\n"
	"def rows(name):\n"
	"    r = list(csv.reader(io.StringIO(text(os.path.join(out, name)), newline='')))\n"
	"    for row in r:\n"
	"        if len(row) != len(r[0]):\n"
	"            sys.exit('%s: ragged row %r' % (name, row))\n"
	"        for cell in row:\n"
	"            if cell[:1] in ('=', '+', '-', '@', '\\t', '\\r'):\n"
	"                sys.exit('%s: formula cell %r' % (name, cell))\n"
	"    return r\n"
	"rows('cases.csv')\n"
	"g = rows('gradebook.csv')\n"
	"for row in sorted(g[1:]):\n"
	"    print(json.dumps(row[0]) + '\\t' + json.dumps(row[-1]))\n";

/* The lines the checker must print: the same, from the table above. */
static char *expected_rows(const char *python)
{
	struct buf in = BUF_INIT;
	for (size_t i = 0; i < sizeof students / sizeof students[0]; i++) {
		buf_puts(&in, students[i].cell);
		buf_append(&in, "", 1);
		buf_puts(&in, students[i].status);
		buf_append(&in, "", 1);
	}
	char *dir = tu_mkdtemp();
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/rows", dir);
	FILE *f = fopen(path.data, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(in.data, 1, in.len, f), in.len);
	fclose(f);
	const char *argv[] = {
		(char *)python, "-c",
		"import json, sys\n"
		"v = open(sys.argv[1], 'rb').read().decode('utf-8').split('\\0')[:-1]\n"
		"for c, s in sorted(zip(v[0::2], v[1::2])):\n"
		"    print(json.dumps(c) + '\\t' + json.dumps(s))\n",
		path.data, NULL
	};
	struct run_result r;
	tu_run(argv, NULL, NULL, &r);
	ck_assert_msg(r.exit_code == 0, "python3: %s", r.err.data ? r.err.data : "");
	char *want = xstrdup(r.out.data ? r.out.data : "");
	run_result_free(&r);
	buf_free(&path);
	buf_free(&in);
	tu_rmdir(dir);
	return want;
}

static void make_class(const char *dir)
{
	tu_write(dir, "grading.yaml", yaml);
	char *class_dir = xasprintf("%s/class", dir);
	ck_assert_int_eq(mkdir(class_dir, 0755), 0);
	for (size_t i = 0; i < sizeof students / sizeof students[0]; i++) {
		char *ex = xasprintf("%s/%s/hi", class_dir, students[i].name);
		char *top = path_dirname(ex);
		ck_assert_int_eq(mkdir(top, 0755), 0);
		ck_assert_int_eq(mkdir(ex, 0755), 0);
		if (students[i].program)
			tu_write(ex, "prog.c", students[i].program);
		else
			tu_write(ex, "\033]0;x\007\xef\xbf\xbe.c", "int main(void) { return }\n");
		if (students[i].archive) {
			char *tar =
				xasprintf("cd '%s' && tar czf \"$0.tar.gz\" \"$0\" && rm -r \"$0\"",
					  class_dir);
			const char *argv[] = { "sh", "-c", tar, (char *)students[i].name, NULL };
			struct run_result r;
			tu_run(argv, NULL, NULL, &r);
			ck_assert_msg(r.exit_code == 0, "tar: %s", r.err.data);
			run_result_free(&r);
			free(tar);
		}
		free(top);
		free(ex);
	}
	free(class_dir);
}

/* Every JUnit file in the output passes xmllint. */
static void lint_junit(const char *out)
{
	struct strvec files = STRVEC_INIT;
	char *list = xasprintf("%s/list", out);
	char *cmd = xasprintf("find '%s' -name '*.xml' -print0 > '%s.txt'", out, list);
	ck_assert_int_eq(system(cmd), 0);
	char *txt = xasprintf("%s.txt", list);
	struct buf names = BUF_INIT;
	ck_assert_int_eq(read_file(txt, &names), 0);
	for (size_t i = 0; i < names.len; i += strlen(names.data + i) + 1)
		strvec_push(&files, names.data + i);
	/* the class's, and one per student who has a result */
	ck_assert_uint_eq(files.n, 1 + sizeof students / sizeof students[0]);
	for (size_t i = 0; i < files.n; i++) {
		const char *argv[] = { "xmllint", "--noout", files.v[i], NULL };
		struct run_result r;
		tu_run(argv, NULL, NULL, &r);
		ck_assert_msg(r.exit_code == 0, "xmllint %s: %s", files.v[i], r.err.data);
		run_result_free(&r);
	}
	unlink(txt);
	buf_free(&names);
	strvec_free(&files);
	free(txt);
	free(cmd);
	free(list);
}

START_TEST(hostile_class)
{
	char *python = tu_which("python3"), *xmllint = tu_which("xmllint");
	if (!python || !xmllint) {
		free(python);
		free(xmllint);
		TU_NEED(false, "python3 and xmllint are needed to read the outputs as their "
			       "consumers do; .ci/install-deps installs them");
	}
	char *dir = tu_mkdtemp();
	make_class(dir);
	const char *const env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL };
	const char *argv[] = { (char *)tu_pipegrade(),
			       "class",
			       "-c",
			       "grading.yaml",
			       "-j",
			       "3",
			       "--out",
			       "out",
			       "class",
			       NULL };
	struct run_result r;
	tu_run(argv, env, dir, &r);
	ck_assert_msg(r.exit_code == 1, "exit %d: %s", r.exit_code, r.err.data);
	/* the progress lines name every student, escapes made visible */
	const char *progress[] = { r.out.data ? r.out.data : "", r.err.data ? r.err.data : "" };
	for (int k = 0; k < 2; k++) {
		ck_assert_ptr_null(strchr(progress[k], '\033'));
		ck_assert_ptr_null(strstr(progress[k], "\xef\xbf\xbe"));
	}
	ck_assert_ptr_nonnull(strstr(r.err.data, "\\x1b[31mred\\x1b]0;title\\x07"));
	run_result_free(&r);

	char *out = xasprintf("%s/out", dir);
	const char *check[] = { python, "-c", (char *)checker, out, NULL };
	tu_run(check, NULL, NULL, &r);
	ck_assert_msg(r.exit_code == 0, "outputs: %s", r.err.data);
	char *want = expected_rows(python);
	ck_assert_str_eq(r.out.data, want);
	run_result_free(&r);
	lint_junit(out);

	/* the compile error names the hostile file, visibly */
	char *report = xasprintf("%s/students/-2/hi/report.txt", out);
	struct buf text = BUF_INIT;
	ck_assert_int_eq(read_file(report, &text), 0);
	ck_assert_ptr_nonnull(strstr(text.data, "\\x1b]0;x\\x07\\u{fffe}.c"));
	buf_free(&text);
	/* and a program's output is shown as it was, visibly */
	free(report);
	report = xasprintf("%s/students/gradebook.csv/hi/report.txt", out);
	ck_assert_int_eq(read_file(report, &text), 0);
	ck_assert_ptr_nonnull(
		strstr(text.data, "\\x1b]0;pwned\\x07\\x1b[2J\\u{fffe}\\u{202e}\\xff=1+1"));
	buf_free(&text);
	free(report);
	free(want);
	free(out);
	free(python);
	free(xmllint);
	tu_rmdir(dir);
}
END_TEST

Suite *class_hostile_suite(void)
{
	Suite *s = suite_create("class_hostile");
	TCase *tc = tcase_create("class_hostile");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hostile_class);
	suite_add_tcase(s, tc);
	return s;
}
