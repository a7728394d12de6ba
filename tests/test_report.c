/* test_report.c: the text, JSON, JUnit and CSV reports of a graded submission, with hostile
 * bytes; the JUnit file is checked by the real xmllint and the CSV by Python's csv module. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "jsoncheck.h"
#include "report.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

static struct exercise ex;
static struct test_case cases[2];
static struct submission_result res;

static void setup(void)
{
	i18n_set(LANG_EN);
	memset(&ex, 0, sizeof ex);
	memset(cases, 0, sizeof cases);
	memset(&res, 0, sizeof res);
	ex.id = "01-hello";
	ex.title = "Hola";
	ex.binary = "hello";
	ex.cases = cases;
	ex.ncases = 2;
	cases[0].name = "por defecto";
	cases[0].points = 2;
	cases[1].name = "secreto";
	cases[1].points = 3;
	cases[1].hidden = true;
	cases[1].visibility = VIS_AFTER_PUBLISHED;
	cases[1].hint = "Cierra el extremo de escritura.";
	strvec_push(&cases[1].args, "a b");
	res.ex = &ex;
	res.submission = xstrdup("subs/ana");
	res.compiled = true;
	res.cases = xcalloc(2, sizeof *res.cases);
	res.ncases = 2;
	for (int i = 0; i < 2; i++) {
		res.cases[i].tc = &cases[i];
		res.cases[i].max_score = cases[i].points;
		res.cases[i].ran = true;
	}
	res.cases[0].score = 2;
	findings_add(&res.cases[0].findings, FINDING_PASS, NULL, "passed");
	const char evil[] = "ok\0\xff\x1b[31m\"\\\x7f\xc3\xb3\n";
	buf_append(&res.cases[1].out, evil, sizeof evil - 1);
	findings_add(&res.cases[1].findings, FINDING_WRONG_OUTPUT, "stdout",
		     "stdout is not what was expected.\n\"quoted\"\ttab");
	findings_add(&res.cases[1].findings, FINDING_WRONG_EXIT, NULL,
		     "The exit status was 1; expected 0.");
	res.score = 2;
	res.max_score = 5;
}

static void teardown(void)
{
	submission_result_free(&res);
	strvec_free(&cases[1].args);
}

static char *render(int json, struct report_options *ro)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(json ? report_write_json(f, &res, ro) : report_write_text(f, &res, ro), 0);
	fclose(f);
	return text;
}

START_TEST(json_escaping)
{
	struct buf b = BUF_INIT;
	report_json_string(&b, "a\0\"\\\n\x01\xff\xc3\xb3\xe2\x82", 11);
	ck_assert_str_eq(b.data, "\"a\\u0000\\\"\\\\\\n\\u0001\\ufffdó\\ufffd\\ufffd\"");
	buf_free(&b);
	/* hidden code points stay exact, as escapes: U+FFFE, U+202E, U+0085, U+10FFFF */
	report_json_string(&b, "\xef\xbf\xbe|\xe2\x80\xae|\xc2\x85|\xf4\x8f\xbf\xbf|€", 19);
	ck_assert_str_eq(b.data, "\"\\ufffe|\\u202e|\\u0085|\\udbff\\udfff|€\"");
	buf_free(&b);
}
END_TEST

START_TEST(json_report_is_valid)
{
	struct report_options ro = { 0 };
	char *j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_nonnull(strstr(j, "\"score\": 2,\n  \"max_score\": 5,"));
	ck_assert_ptr_nonnull(strstr(j, "{\"name\": \"por defecto\", \"score\": 2, \"max_score\": 2, "
				     "\"status\": \"passed\""));
	ck_assert_ptr_nonnull(strstr(j, "\"status\": \"failed\""));
	ck_assert_ptr_nonnull(strstr(j, "\"visibility\": \"after_published\""));
	ck_assert_ptr_nonnull(strstr(j, "{\"kind\": \"wrong_output\", \"message\": \"stdout is not "
				     "what was expected.\\n\\\"quoted\\\"\\ttab\", \"stream\": \"stdout\"}"));
	ck_assert_ptr_nonnull(strstr(j, "{\"kind\": \"wrong_exit\""));
	ck_assert_ptr_nonnull(strstr(j, "\"stdout\": \"ok\\u0000\\ufffd\\u001b[31m\\\"\\\\\\u007fó\\n\""));
	ck_assert_ptr_nonnull(strstr(j, "Hint: Cierra el extremo de escritura."));
	free(j);
}
END_TEST

START_TEST(json_compile_error)
{
	res.compiled = false;
	buf_puts(&res.build_log, "prog.c:1:1: error: \x1b\xfe");
	struct report_options ro = { 0 };
	char *j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_nonnull(strstr(j, "\"output\": \"prog.c:1:1: error: \\u001b\\ufffd\""));
	free(j);
}
END_TEST

START_TEST(text_report)
{
	struct report_options ro = { 0 };
	char *t = render(0, &ro);
	ck_assert_ptr_nonnull(strstr(t, "01-hello — Hola\nsubmission: subs/ana\n"));
	ck_assert_ptr_nonnull(strstr(t, "  ✔ por defecto"));
	ck_assert_ptr_nonnull(strstr(t, "  ✘ secreto"));
	ck_assert_ptr_nonnull(strstr(t, "wrong_output, wrong_exit  (hidden)\n"));
	ck_assert_ptr_nonnull(strstr(t, "Score: 2/5\n"));
	/* Hidden details stay hidden for students... */
	ck_assert_ptr_nonnull(strstr(t, "This is a hidden case: its details are not shown."));
	ck_assert_ptr_null(strstr(t, "Cierra"));
	ck_assert_ptr_null(strchr(t, '\033'));
	free(t);
	/* ...and are shown to instructors. */
	ro.show_hidden = true;
	t = render(0, &ro);
	ck_assert_ptr_nonnull(strstr(t, "    command: ./hello 'a b'\n"));
	ck_assert_ptr_nonnull(strstr(t, "    [wrong_exit]\n    The exit status was 1; expected 0.\n"));
	ck_assert_ptr_nonnull(strstr(t, "    Hint: Cierra el extremo de escritura.\n"));
	free(t);
}
END_TEST

START_TEST(text_color_and_spanish)
{
	i18n_set(LANG_ES);
	struct report_options ro = { .color = true };
	char *t = render(0, &ro);
	ck_assert_ptr_nonnull(strstr(t, "\033[32m✔\033[0m por defecto"));
	ck_assert_ptr_nonnull(strstr(t, "Nota: 2/5"));
	ck_assert_ptr_nonnull(strstr(t, "entrega: subs/ana"));
	free(t);
}
END_TEST

START_TEST(junit_report)
{
	findings_add(&res.cases[1].findings, FINDING_CRASH, NULL, "a <b> & \"c\" \x01\xff ó");
	struct report_options ro = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(report_write_junit(f, &res, &ro), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
				      "  <testsuite name=\"01-hello\" tests=\"2\" failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(text, "<testcase classname=\"01-hello\" name=\"por defecto\" "
				      "time=\"0.000\"/>"));
	ck_assert_ptr_nonnull(strstr(text, "<failure type=\"wrong_output,wrong_exit,crash\" "
				      "message=\"0 of 3 points\">"));
	ck_assert_ptr_nonnull(strstr(text, "[crash] a &lt;b&gt; &amp; &quot;c&quot; \\x01\\xff ó\n"));
	ck_assert_ptr_nonnull(strstr(text, "</testsuite>\n</testsuites>\n"));
	/* Nothing but tab and newline below 0x20 in the whole document. */
	for (const char *p = text; *p; p++)
		ck_assert((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
	free(text);
}
END_TEST

/* A program named to take over the terminal: clear it, show a fake score, hide the rest. */
#define EVIL "\033[2J\033[HScore: 10/10\033[8m"
#define EVIL_SHOWN "\\x1b[2J\\x1b[HScore: 10/10\\x1b[8m"

/* Puts the hostile name everywhere a submission's (or a config's) bytes reach the text report. */
static void add_hostile_text(void)
{
	findings_add(&res.cases[1].findings, FINDING_FD_LEAK, NULL,
		     "./" EVIL " kept fd 4 (the write end of pipe A) open.\nClose it before exec.");
	findings_add(&res.cases[1].findings, FINDING_DEADLOCK, NULL, "Every process is blocked.");
	res.cases[1].graph_text = xstrdup("processes:\n  ./" EVIL " waits in read(0)\n");
	res.cases[1].stuck_after_s = 1.5;
	free(res.submission);
	res.submission = xstrdup("subs/" EVIL "\xff\n");
	buf_puts(&res.build_log, "warning: " EVIL "\n");
	cases[1].name = "secreto " EVIL;
	cases[1].hint = "Cierra " EVIL;
}

START_TEST(text_terminal_escapes)
{
	add_hostile_text();
	struct report_options ro = { .show_hidden = true, .verbose = true, .explain = true };
	char *t = render(0, &ro);
	ck_assert_ptr_null(strchr(t, '\033'));
	ck_assert_ptr_null(strchr(t, '\xff'));
	ck_assert_ptr_nonnull(strstr(t, "\nsubmission: subs/" EVIL_SHOWN "\\xff\\x0a\n"));
	ck_assert_ptr_nonnull(strstr(t, "build: ok (0.00 s)\n    warning: " EVIL_SHOWN "\n"));
	ck_assert_ptr_nonnull(strstr(t, "  ✘ secreto " EVIL_SHOWN " "));
	ck_assert_ptr_nonnull(strstr(t, "\n── secreto " EVIL_SHOWN " ──\n"));
	ck_assert_ptr_nonnull(strstr(t, "    [fd_leak]\n    ./" EVIL_SHOWN " kept fd 4 (the write "
				     "end of pipe A) open.\n    Close it before exec.\n"));
	ck_assert_ptr_nonnull(strstr(t, "    [deadlock]\n    Every process is blocked.\n"
				     "    found after 1.50 s; at that moment:\n"
				     "      processes:\n        ./" EVIL_SHOWN " waits in read(0)\n"));
	ck_assert_ptr_nonnull(strstr(t, "    Hint: Cierra " EVIL_SHOWN "\n"));
	free(t);
}
END_TEST

/* With colour, the only escape sequences are the report's own colours. */
START_TEST(text_escapes_with_color)
{
	add_hostile_text();
	struct report_options ro = { .color = true, .show_hidden = true, .explain = true };
	char *t = render(0, &ro);
	ck_assert_ptr_nonnull(strstr(t, "\033[31m[fd_leak]\033[0m\n    ./" EVIL_SHOWN " kept"));
	static const char *const ours[] = { "\033[0m", "\033[1m", "\033[2m", "\033[31m",
					    "\033[32m" };
	int escapes = 0;
	for (const char *p = t; (p = strchr(p, '\033')) != NULL; p++, escapes++) {
		size_t k = 0;
		while (k < sizeof ours / sizeof ours[0] && strncmp(p, ours[k], strlen(ours[k])))
			k++;
		ck_assert_msg(k < sizeof ours / sizeof ours[0], "foreign escape: %.12s", p + 1);
	}
	ck_assert_int_gt(escapes, 10);
	free(t);
}
END_TEST

START_TEST(text_safe)
{
	struct buf b = BUF_INIT;
	report_text_safe(&b, "grading subs/" EVIL "\xff\n\tó");
	report_text_safe(&b, NULL);
	ck_assert_str_eq(b.data, "grading subs/" EVIL_SHOWN "\\xff\\x0a\tó");
	buf_free(&b);
}
END_TEST

/* xmllint's exit status on dir/name holding `text`; its complaints go to *complaint (malloc'd). */
static int xmllint(const char *dir, const char *name, const char *text, char **complaint)
{
	tu_write(dir, name, text);
	char *path = xasprintf("%s/%s", dir, name);
	char *argv[] = { "/usr/bin/xmllint", "--noout", path, NULL };
	struct run_result r;
	tu_run(argv, NULL, NULL, &r);
	int code = r.exit_code;
	*complaint = xstrdup(r.err.data ? r.err.data : "");
	run_result_free(&r);
	free(path);
	return code;
}

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

START_TEST(junit_xmllint)
{
	TU_NEED(access("/usr/bin/xmllint", X_OK) == 0, "xmllint is not installed");
	cases[0].name = "por \xef\xbf\xbe defecto";
	findings_add(&res.cases[1].findings, FINDING_CRASH, NULL,
		     "U+FFFE \xef\xbf\xbe, U+FFFF \xef\xbf\xbf, ESC \033[31m, bad \xff, NUL-free <&>");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct report_options ro = { 0 };
	ck_assert_int_eq(report_write_junit(f, &res, &ro), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "name=\"por \\u{fffe} defecto\""));
	ck_assert_ptr_nonnull(strstr(text, "[crash] U+FFFE \\u{fffe}, U+FFFF \\u{ffff}, ESC "
					   "\\x1b[31m, bad \\xff, NUL-free &lt;&amp;&gt;\n"));
	char *dir = tu_mkdtemp(), *complaint;
	ck_assert_msg(xmllint(dir, "report.xml", text, &complaint) == 0, "xmllint: %s", complaint);
	ck_assert_str_eq(complaint, "");
	free(complaint);
	/* The control: xmllint does reject each of these characters when it is left raw. */
	static const char *const raw[] = { XML_HEAD "<a>\xef\xbf\xbe</a>\n",
					   XML_HEAD "<a>\xef\xbf\xbf</a>\n",
					   XML_HEAD "<a>\033[31m</a>\n", XML_HEAD "<a>\xff</a>\n" };
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
		ck_assert_int_ne(xmllint(dir, "raw.xml", raw[i], &complaint), 0);
		ck_assert_ptr_nonnull(strstr(complaint, "raw.xml"));
		free(complaint);
	}
	tu_rmdir(dir);
	free(text);
}
END_TEST

/* report_csv_cell(s) alone. */
static void check_cell(const char *s, const char *want)
{
	struct buf b = BUF_INIT;
	report_csv_cell(&b, s);
	ck_assert_str_eq(b.data ? b.data : "", want);
	buf_free(&b);
}

START_TEST(csv_cells)
{
	check_cell("=cmd|' -C calc'!A0", "\"'=cmd|' -C calc'!A0\"");
	check_cell("@SUM(1+1)", "\"'@SUM(1+1)\"");
	check_cell("+1+1", "\"'+1+1\"");
	check_cell("-2", "\"'-2\"");
	check_cell("\t=1+1", "\"'\t=1+1\"");
	check_cell("\r=1+1", "\"'\\x0d=1+1\"");
	check_cell("a,b", "\"a,b\"");
	check_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_cell("=\"x\",1", "\"'=\"\"x\"\",1\"");
	check_cell("line1\nline2", "\"line1\nline2\"");
	check_cell("\xff\033", "\\xff\\x1b");
	check_cell("a=1+1 recibió", "a=1+1 recibió");
	check_cell("ana", "ana");
	check_cell("", "");
	check_cell(NULL, "");
}
END_TEST

/* Reads the file strictly as UTF-8 and prints its CSV rows as JSON (ASCII only). */
static const char csv_to_json[] =
	"import csv, io, json, sys\n"
	"text = open(sys.argv[1], 'rb').read().decode('utf-8')\n"
	"print(json.dumps(list(csv.reader(io.StringIO(text, newline='')))))\n";

static const char *const csv_rows[][3] = {
	{ "ana", "=cmd|' -C calc'!A0", "@SUM(1+1)" },
	{ "+1+1", "-2", "\tx" },
	{ "a,b", "say \"hi\"", "line1\nline2" },
	{ "\xff\033", "", "recibió \xef\xbf\xbe" },
};

START_TEST(csv_in_python)
{
	char *python = tu_which("python3");
	TU_NEED(python, "python3 is not installed");
	struct buf doc = BUF_INIT;
	for (size_t r = 0; r < sizeof csv_rows / sizeof csv_rows[0]; r++)
		for (size_t c = 0; c < 3; c++) {
			report_csv_cell(&doc, csv_rows[r][c]);
			buf_puts(&doc, c < 2 ? "," : "\r\n");
		}
	for (size_t i = 0, n; i < doc.len; i += n) {
		n = utf8_decode((const unsigned char *)doc.data + i, doc.len - i, NULL);
		ck_assert_uint_ne(n, 0);
	}
	char *dir = tu_mkdtemp();
	tu_write(dir, "grades.csv", doc.data);
	char *path = xasprintf("%s/grades.csv", dir);
	char *argv[] = { python, "-c", (char *)csv_to_json, path, NULL };
	struct run_result r;
	tu_run(argv, NULL, NULL, &r);
	ck_assert_msg(r.exit_code == 0, "python3: %s", r.err.data ? r.err.data : "");
	ck_assert_str_eq(r.out.data,
			 "[[\"ana\", \"'=cmd|' -C calc'!A0\", \"'@SUM(1+1)\"], "
			 "[\"'+1+1\", \"'-2\", \"'\\tx\"], "
			 "[\"a,b\", \"say \\\"hi\\\"\", \"line1\\nline2\"], "
			 "[\"\\\\xff\\\\x1b\", \"\", \"recibi\\u00f3 \\\\u{fffe}\"]]\n");
	run_result_free(&r);
	tu_rmdir(dir);
	free(path);
	buf_free(&doc);
	free(python);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_escaping);
	tcase_add_test(tc, json_report_is_valid);
	tcase_add_test(tc, json_compile_error);
	tcase_add_test(tc, text_report);
	tcase_add_test(tc, text_color_and_spanish);
	tcase_add_test(tc, junit_report);
	tcase_add_test(tc, text_terminal_escapes);
	tcase_add_test(tc, text_escapes_with_color);
	tcase_add_test(tc, text_safe);
	tcase_add_test(tc, csv_cells);
	suite_add_tcase(s, tc);
	tc = tcase_create("tools");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, junit_xmllint);
	tcase_add_test(tc, csv_in_python);
	suite_add_tcase(s, tc);
	return s;
}
