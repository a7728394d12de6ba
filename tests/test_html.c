/* test_html.c: the class summary page: exact HTML with hostile student names, then what a real
 * browser (headless Chromium, when installed) makes of it: its DOM and a screenshot. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

#define ANA "<ana & \"co\">"
#define BO                                                                                         \
	"bo\xff"                                                                                   \
	"b"

static const char *const exercises[] = { "01-hello", "02-pipe" };
static const double ana_scores[] = { 2, 3.5 };
static const double bo_scores[] = { 5, NAN };
static const double carla_scores[] = { 5, 5 };
static const char *const ana_reports[] = { ANA "/01-hello.txt", ANA "/02-pipe.txt" };
static const char *const bo_reports[] = { BO "/01-hello.txt", NULL };
static const char *const carla_reports[] = { "carla/01-hello.txt", NULL };

static const struct class_row rows[] = {
	{ ANA, ana_scores, 5.5, 10, "failed", ana_reports },
	{ BO, bo_scores, 5, 10, "incomplete", bo_reports },
	{ "carla", carla_scores, 10, 10, "passed", carla_reports },
};

static const struct class_finding findings[] = {
	{ "02-pipe", "deadlock", 2 },
	{ "01-hello", "wrong-output", 1 },
};

static const struct class_view view = {
	.title = "Sistemas <Operativos> & Redes",
	.exercises = exercises,
	.nexercises = 2,
	.rows = rows,
	.nrows = 3,
	.bins = { 0, 0, 0, 0, 0, 2, 0, 0, 0, 1 },
	.findings = findings,
	.nfindings = 2,
};

static const char ana_row[] =
	"<tr><td>&lt;ana &amp; &quot;co&quot;&gt;</td>"
	"<td class=\"num\"><a href=\"%3Cana%20%26%20%22co%22%3E/01-hello.txt\">2</a></td>"
	"<td class=\"num\"><a href=\"%3Cana%20%26%20%22co%22%3E/02-pipe.txt\">3.5</a></td>"
	"<td class=\"num\">5.5 / 10</td>"
	"<td><span class=\"status st-failed\">failed</span></td></tr>\n";

static const char bo_row[] =
	"<tr><td>bo\\xffb</td>"
	"<td class=\"num\"><a href=\"bo%FFb/01-hello.txt\">5</a></td>"
	"<td class=\"num\"></td>"
	"<td class=\"num\">5 / 10</td>"
	"<td><span class=\"status st-incomplete\">incomplete</span></td></tr>\n";

static const char carla_row[] = "<tr><td>carla</td>"
				"<td class=\"num\"><a href=\"carla/01-hello.txt\">5</a></td>"
				"<td class=\"num\">5</td>"
				"<td class=\"num\">10 / 10</td>"
				"<td><span class=\"status st-passed\">passed</span></td></tr>\n";

static char *render(const struct class_view *v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(report_write_class_html(f, v), 0);
	fclose(f);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

START_TEST(page_fragments)
{
	char *h = render(&view);
	ck_assert_ptr_nonnull(strstr(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
					"<meta charset=\"utf-8\">\n"));
	ck_assert_ptr_nonnull(strstr(h, "<title>pipegrade \xe2\x80\x94 Sistemas &lt;Operativos&gt; "
					"&amp; Redes</title>"));
	ck_assert_ptr_nonnull(strstr(h, "<h1>pipegrade \xe2\x80\x94 Sistemas &lt;Operativos&gt; "
					"&amp; Redes</h1>"));
	ck_assert_ptr_nonnull(strstr(h, "<p class=\"count\">3 students, 2 exercises</p>"));
	ck_assert_ptr_nonnull(strstr(h, "<thead><tr><th>Student</th><th class=\"num\">01-hello</th>"
					"<th class=\"num\">02-pipe</th><th class=\"num\">Total</th>"
					"<th>Status</th></tr></thead>"));
	ck_assert_ptr_nonnull(strstr(h, ana_row));
	ck_assert_ptr_nonnull(strstr(h, bo_row));
	ck_assert_ptr_nonnull(strstr(h, carla_row));
	ck_assert_ptr_nonnull(strstr(h, "<li><b>2 students</b>: <code>deadlock</code> in "
					"02-pipe</li>"));
	ck_assert_ptr_nonnull(strstr(h, "<li><b>1 student</b>: <code>wrong-output</code> in "
					"01-hello</li>"));
	ck_assert_ptr_null(strchr(h, '\xff'));
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_null(strstr(h, "<link"));
	ck_assert_ptr_null(strstr(h, "src="));
	ck_assert_ptr_null(strstr(h, "<ana"));
	free(h);
}
END_TEST

/* Terminal escapes, forbidden and invisible code points in a name: their visible forms. */
START_TEST(hostile_code_points)
{
	struct class_row row = rows[2];
	row.student = "x\033[2J\xef\xbf\xbe\xe2\x80\xae\xc2\x85<y>\n\ty";
	struct class_view v = view;
	v.rows = &row;
	v.nrows = 1;
	char *h = render(&v);
	ck_assert_ptr_nonnull(strstr(h, "<tr><td>x\\x1b[2J\\u{fffe}\\u{202e}\\u{85}&lt;y&gt;\n\ty"
					"</td>"));
	ck_assert_ptr_null(strchr(h, '\033'));
	ck_assert_ptr_null(strstr(h, "\xef\xbf\xbe"));
	ck_assert_ptr_null(strstr(h, "\xe2\x80\xae"));
	free(h);
}
END_TEST

START_TEST(histogram_svg)
{
	char *h = render(&view);
	ck_assert_int_eq(count(h, "<svg "), 1);
	ck_assert_int_eq(count(h, "</svg>"), 1);
	ck_assert_int_eq(count(h, "<rect class=\"bar\""), 10);
	/* The tallest bar (2 students) is twice as high as the one with 1; empty bins are flat. */
	ck_assert_ptr_nonnull(strstr(h, "height=\"150\"><title>50\xe2\x80\x93"
					"59%: 2</title>"));
	ck_assert_ptr_nonnull(strstr(h, "height=\"75\"><title>90\xe2\x80\x93"
					"100%: 1</title>"));
	ck_assert_int_eq(count(h, "height=\"0\"><title>"), 8);
	ck_assert_ptr_nonnull(strstr(h, "text-anchor=\"middle\">0\xe2\x80\x93"
					"9%</text>"));
	ck_assert_ptr_nonnull(strstr(h, "text-anchor=\"middle\">90\xe2\x80\x93"
					"100%</text>"));
	ck_assert_ptr_nonnull(strstr(h, "score (% of the maximum)</text>"));
	ck_assert_ptr_nonnull(strstr(h, ">students</text>"));
	free(h);
}
END_TEST

START_TEST(no_title_no_findings)
{
	struct class_view v = view;
	v.title = NULL;
	v.nfindings = 0;
	v.nrows = 1;
	char *h = render(&v);
	ck_assert_ptr_nonnull(strstr(h, "<title>pipegrade</title>"));
	ck_assert_ptr_nonnull(strstr(h, "<h1>pipegrade</h1>"));
	ck_assert_ptr_nonnull(strstr(h, "<p class=\"count\">1 student, 2 exercises</p>"));
	ck_assert_ptr_nonnull(strstr(h, "<p>No findings.</p>"));
	ck_assert_ptr_null(strstr(h, "<ul class=\"findings\">"));
	free(h);
}
END_TEST

START_TEST(stream_failure)
{
	FILE *f = fopen("/dev/null", "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(report_write_class_html(f, &view), -1);
	fclose(f);
}
END_TEST

/* /usr/bin/chromium, or chromium in PATH; NULL when not installed. Malloc'd. */
static char *find_chromium(void)
{
	if (access("/usr/bin/chromium", X_OK) == 0)
		return xstrdup("/usr/bin/chromium");
	return tu_which("chromium");
}

/* Runs headless Chromium on dir/page.html with a fresh profile, plus the options in `extra`
 * (NULL-terminated), through the project's runner, which kills and reaps the whole tree;
 * 60 s at most. */
static void chromium(const char *bin, const char *dir, const char *const *extra,
		     struct run_result *r)
{
	static const char *const fixed[] = {
		"chromium",
		"--headless",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		NULL,
	};
	char *profile = xasprintf("%s/profile.XXXXXX", dir);
	ck_assert_ptr_nonnull(mkdtemp(profile));
	struct strvec argv = STRVEC_INIT;
	for (size_t i = 0; fixed[i]; i++)
		strvec_push(&argv, fixed[i]);
	char *s = xasprintf("--user-data-dir=%s", profile);
	strvec_push(&argv, s);
	free(s);
	for (size_t i = 0; extra[i]; i++)
		strvec_push(&argv, extra[i]);
	s = xasprintf("file://%s/page.html", dir);
	strvec_push(&argv, s);
	free(s);
	char *home = xasprintf("HOME=%s", profile);
	const char *const env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", home, "LANG=C.UTF-8",
				    NULL };
	struct run_spec spec = { .file = bin,
				 .argv = (const char *const *)argv.v,
				 .envp = env,
				 .cwd = dir,
				 .wall_s = 60,
				 .output_bytes = 16 << 20,
				 .grace_s = -1 };
	struct buf err = BUF_INIT;
	int rc = run_program(&spec, r, &err);
	if (rc != 0)
		fprintf(stderr, "run_program: %s\n", err.data);
	ck_assert_int_eq(rc, 0);
	if (r->end != RUN_EXITED || r->exit_code != 0) {
		char *end = run_describe_end(r);
		fprintf(stderr, "chromium %s:\n%s", end, r->err.data ? r->err.data : "");
		free(end);
	}
	ck_assert_int_eq(r->end, RUN_EXITED);
	ck_assert_int_eq(r->exit_code, 0);
	buf_free(&err);
	strvec_free(&argv);
	free(profile);
	free(home);
}

/* The DOM as Chromium parsed it: text is re-serialized (quotes in text are not escaped). */
static void check_dom(const char *dom)
{
	ck_assert_ptr_nonnull(strstr(dom, "<title>pipegrade \xe2\x80\x94 Sistemas "
					  "&lt;Operativos&gt; &amp; Redes</title>"));
	ck_assert_ptr_nonnull(strstr(dom, "<td>&lt;ana &amp; \"co\"&gt;</td>"));
	ck_assert_ptr_nonnull(strstr(dom, "<td>bo\\xffb</td>"));
	ck_assert_ptr_nonnull(strstr(dom, "<td>carla</td>"));
	ck_assert_ptr_nonnull(strstr(dom, "<a href=\"%3Cana%20%26%20%22co%22%3E/02-pipe.txt\">"
					  "3.5</a></td>"));
	ck_assert_ptr_nonnull(strstr(dom, "<td class=\"num\"><a href=\"bo%FFb/01-hello.txt\">"
					  "5</a></td><td class=\"num\"></td>"
					  "<td class=\"num\">5 / 10</td>"));
	ck_assert_ptr_nonnull(strstr(dom, "<span class=\"status st-passed\">passed</span>"));
	ck_assert_int_eq(count(dom, "<svg "), 1);
	ck_assert_int_eq(count(dom, "<rect class=\"bar\""), 10);
	ck_assert_int_eq(count(dom, "<tr>"), 4);
}

START_TEST(in_chromium)
{
	char *bin = find_chromium();
	if (!bin) {
		tu_skip("in_chromium", "chromium is not installed");
		return;
	}
	char *dir = tu_mkdtemp();
	char *page = xasprintf("%s/page.html", dir);
	FILE *f = fopen(page, "we");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(report_write_class_html(f, &view), 0);
	ck_assert_int_eq(fclose(f), 0);

	struct run_result r;
	const char *const dump[] = { "--dump-dom", NULL };
	chromium(bin, dir, dump, &r);
	check_dom(r.out.data ? r.out.data : "");
	run_result_free(&r);
	ck_assert_int_eq(tu_count_descendants(), 0);

	char *shot = xasprintf("--screenshot=%s/page.png", dir);
	const char *const screenshot[] = { shot, "--window-size=1000,800", NULL };
	chromium(bin, dir, screenshot, &r);
	run_result_free(&r);
	ck_assert_int_eq(tu_count_descendants(), 0);
	char *png = xasprintf("%s/page.png", dir);
	struct stat st;
	ck_assert_int_eq(stat(png, &st), 0);
	ck_assert_int_gt(st.st_size, 10 * 1024);
	if (getenv("PIPEGRADE_KEEP_HTML")) /* to look at the page and the screenshot */
		fprintf(stderr, "html: kept %s\n", dir);
	else
		remove_tree(dir);
	free(png);
	free(shot);
	free(page);
	free(dir);
	free(bin);
}
END_TEST

Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("page");
	tcase_add_test(tc, page_fragments);
	tcase_add_test(tc, hostile_code_points);
	tcase_add_test(tc, histogram_svg);
	tcase_add_test(tc, no_title_no_findings);
	tcase_add_test(tc, stream_failure);
	suite_add_tcase(s, tc);
	tc = tu_tcase(s, "chromium", NULL); /* a unit of check_main.c's */
	tcase_set_timeout(tc, 150);
	tcase_add_test(tc, in_chromium);
	return s;
}
