/* test_report.c: the text and JSON reports of a graded submission, with hostile bytes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "jsoncheck.h"
#include "report.h"
#include "suites.h"

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
	ck_assert_ptr_nonnull(strstr(text, "[crash] a &lt;b&gt; &amp; &quot;c&quot; \xef\xbf\xbd\xef\xbf\xbd ó\n"));
	ck_assert_ptr_nonnull(strstr(text, "</testsuite>\n</testsuites>\n"));
	/* Nothing but tab and newline below 0x20 in the whole document. */
	for (const char *p = text; *p; p++)
		ck_assert((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
	free(text);
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
	suite_add_tcase(s, tc);
	return s;
}
