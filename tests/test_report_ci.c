/* test_report_ci.c: the CI formats (GitHub Actions workflow commands and step summary, TAP,
 * Markdown) and JUnit with several results, on results made by hand, with hostile bytes; TAP
 * read by the real `prove`. Hidden cases: a real submission is graded and every format, text
 * and JSON included, is searched for its hidden case's input, expected output and output. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade.h"
#include "i18n.h"
#include "report.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

/* ---- a result made by hand: 01-hello, a case passed, one failed, one hidden failed ---- */

static struct exercise ex, ex2;
static struct test_case cases[3], cases2[1];
static struct submission_result res[2];

static void case_result(struct case_result *cr, struct test_case *tc, double score)
{
	cr->tc = tc;
	cr->max_score = tc->points;
	cr->score = score;
	cr->ran = true;
}

static void setup(void)
{
	i18n_set("en");
	memset(&ex, 0, sizeof ex);
	memset(&ex2, 0, sizeof ex2);
	memset(cases, 0, sizeof cases);
	memset(cases2, 0, sizeof cases2);
	memset(res, 0, sizeof res);
	ex.id = (char *)"01-hello";
	ex.binary = (char *)"hello";
	ex.cases = cases;
	ex.ncases = 3;
	cases[0].name = (char *)"por defecto";
	cases[0].points = 2;
	cases[1].name = (char *)"corto";
	cases[1].points = 2;
	cases[2].name = (char *)"secreto";
	cases[2].points = 3;
	cases[2].hidden = true;
	cases[2].visibility = VIS_AFTER_PUBLISHED;
	cases[2].hint = LTEXT_PLAIN("SECRET-HINT");
	res[0].ex = &ex;
	res[0].submission = xstrdup("subs/ana");
	res[0].compiled = true;
	res[0].cases = xcalloc(3, sizeof *res[0].cases);
	res[0].ncases = res[0].total_cases = 3;
	case_result(&res[0].cases[0], &cases[0], 2);
	case_result(&res[0].cases[1], &cases[1], 0);
	case_result(&res[0].cases[2], &cases[2], 0);
	findings_add(&res[0].cases[0].findings, FINDING_PASS, NULL, "passed");
	findings_add(&res[0].cases[1].findings, FINDING_WRONG_OUTPUT, "stdout",
		     "stdout is not what was expected.\n- 1   Hijo recibió: hola\n"
		     "+ 1   Hijo recibió: Hola");
	findings_add(&res[0].cases[1].findings, FINDING_WRONG_EXIT, NULL,
		     "The exit status was 1; expected 0.");
	buf_puts(&res[0].cases[1].out, "Hijo recibió: Hola\n");
	findings_add(&res[0].cases[2].findings, FINDING_WRONG_OUTPUT, "stdout",
		     "- 1   SECRET-EXPECTED\n+ 1   SECRET-OUTPUT");
	buf_puts(&res[0].cases[2].out, "SECRET-OUTPUT\n");
	res[0].score = 2;
	res[0].max_score = 7;

	ex2.id = (char *)"02-long-message";
	ex2.binary = (char *)"long-message";
	ex2.cases = cases2;
	ex2.ncases = 1;
	cases2[0].name = (char *)"0 bytes";
	cases2[0].points = 1;
	res[1].ex = &ex2;
	res[1].submission = xstrdup("subs/ana/02-long-message");
	res[1].compiled = true;
	res[1].cases = xcalloc(1, sizeof *res[1].cases);
	res[1].ncases = res[1].total_cases = 1;
	case_result(&res[1].cases[0], &cases2[0], 1);
	findings_add(&res[1].cases[0].findings, FINDING_PASS, NULL, "passed");
	res[1].score = res[1].max_score = 1;
}

static void teardown(void)
{
	submission_result_free(&res[0]);
	submission_result_free(&res[1]);
}

typedef int (*writer)(FILE *out, const struct submission_result *res, size_t n,
		      const struct report_options *opt);

/* What `w` writes for `n` results (malloc'd). */
static char *render(writer w, const struct submission_result *r, size_t n,
		    const struct report_options *ro)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(w(f, r, n, ro), 0);
	fclose(f);
	return text;
}

/* The contents of the file dir/name (malloc'd). */
static char *slurp(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct buf b = BUF_INIT;
	ck_assert_int_eq(read_file(path, &b), 0);
	free(path);
	buf_puts(&b, "");
	return buf_detach(&b);
}

/* ---- GitHub Actions ---- */

/* The stop-commands token of a GitHub report (32 hex digits), checked. */
static char *github_token(const char *text)
{
	const char *p = strstr(text, "::stop-commands::");
	ck_assert_ptr_nonnull(p);
	p += strlen("::stop-commands::");
	ck_assert_uint_eq(strspn(p, "0123456789abcdef"), 32);
	ck_assert_int_eq(p[32], '\n');
	return xmemdup(p, 32);
}

START_TEST(github_annotations)
{
	struct report_options ro = { 0 };
	char *text = render(report_write_github, res, 1, &ro);
	char *token = github_token(text);
	struct buf want = BUF_INIT;
	buf_printf(&want,
		   "::error file=subs/ana,title=01-hello%%3A corto::0/2 points.%%0A[wrong_output] "
		   "stdout is not what was expected.%%0A- 1   Hijo recibió: hola%%0A+ 1   Hijo "
		   "recibió: Hola%%0A[wrong_exit] The exit status was 1; expected 0.\n"
		   "::group::01-hello: corto\n"
		   "::stop-commands::%s\n"
		   "stdout:\n"
		   "Hijo recibió: Hola\n"
		   "::%s::\n"
		   "::endgroup::\n"
		   "::error file=subs/ana,title=01-hello%%3A secreto::0/3 points.%%0A[wrong_output] "
		   "This is a hidden case: its details are not shown.\n"
		   "::notice title=pipegrade::Score: 2/7\n",
		   token, token);
	ck_assert_str_eq(text, want.data);
	/* A new token for every report. */
	char *again = render(report_write_github, res, 1, &ro);
	char *token2 = github_token(again);
	ck_assert_str_ne(token, token2);
	free(token2);
	free(again);
	buf_free(&want);
	free(token);
	free(text);
}
END_TEST

/* A line a finding knows is the annotation's line; several results, each its notice part. */
START_TEST(github_line_and_results)
{
	res[0].cases[1].findings.v[1].line = 12;
	struct report_options ro = { 0 };
	char *text = render(report_write_github, res, 2, &ro);
	ck_assert_ptr_nonnull(
		strstr(text, "::error file=subs/ana,line=12,title=01-hello%3A corto::"));
	ck_assert_ptr_nonnull(strstr(text, "::error file=subs/ana,title=01-hello%3A secreto::"));
	static const char last[] =
		"\n::notice title=pipegrade::Score: 3/8 (01-hello 2/7, 02-long-message 1/1)\n";
	ck_assert(strlen(text) > strlen(last));
	ck_assert_str_eq(text + strlen(text) - strlen(last), last);
	free(text);
}
END_TEST

START_TEST(github_escaping)
{
	cases[1].name = (char *)"50% a,b:c\r\nd";
	free(res[0].submission);
	res[0].submission = xstrdup("subs/x,y:z%/ana\n");
	findings_free(&res[0].cases[1].findings);
	findings_add(&res[0].cases[1].findings, FINDING_CRASH, NULL,
		     "100% done\r\nnext: a,b\n::error::forged\x1b[2J");
	struct report_options ro = { 0 };
	char *text = render(report_write_github, res, 1, &ro);
	/* Properties: % , : as %25 %2C %3A; CR and LF are made visible before, as \x0d \x0a. The
	 * message: % CR LF as %25 %0D %0A (CR made visible first), ':' and ',' as they are. */
	static const char want[] = "::error file=subs/x%2Cy%3Az%25/ana\\x0a,title=01-hello%3A "
				   "50%25 a%2Cb%3Ac\\x0d\\x0ad::0/2 points.%0A[crash] 100%25 "
				   "done\\x0d%0Anext: a,b%0A::error::forged\\x1b[2J\n";
	ck_assert_msg(!strncmp(text, want, strlen(want)), "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "\n::group::01-hello: 50%25 a,b:c\\x0d%0Ad\n"));
	free(text);
}
END_TEST

/* Whether `line` (up to its newline) is a workflow command pipegrade writes. */
static bool ours(const char *line)
{
	static const char *const prefixes[] = {
		"::error file=", "::warning title=", "::notice title=pipegrade::",
		"::group::",     "::endgroup::\n",   "::stop-commands::"
	};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (!strncmp(line, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Reads `text` as the runner does: outside a stop-commands block every line that starts with
 * "::" must be one of ours, with nothing forged in its command and properties, and there are
 * `errors` error annotations; a block ends only at "::TOKEN::". Returns the blocks seen. */
static int runner_read(const char *text, int errors)
{
	char *stop = NULL;
	int blocks = 0;
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		ck_assert_msg(nl != NULL, "unterminated line: %s", line);
		char *l = xmemdup(line, (size_t)(nl - line));
		ck_assert_ptr_null(strchr(l, '\r'));
		if (stop) {
			if (!strcmp(l, stop)) {
				free(stop);
				stop = NULL;
			}
		} else if (!strncmp(l, "::", 2)) {
			ck_assert_msg(ours(line), "a command not ours: %s", l);
			if (!strncmp(l, "::stop-commands::", 17)) {
				stop = xasprintf("::%s::", l + 17);
				blocks++;
			}
			char *end = strstr(l + 2, "::");
			if (end)
				*end = '\0';
			ck_assert_msg(!strstr(l, "forged"), "forged: %s", l);
			errors -= !strncmp(l, "::error ", 8);
		}
		free(l);
		line = nl + 1;
	}
	ck_assert_msg(stop == NULL, "commands left stopped");
	ck_assert_int_eq(errors, 0);
	return blocks;
}

START_TEST(github_hostile_output)
{
	struct buf *out = &res[0].cases[1].out, *err = &res[0].cases[1].err;
	buf_reset(out);
	buf_puts(out, "::error::forged\n\n::set-output name=x::forged\r\n::endgroup::\n"
		      "::stop-commands::abc\n::abc::\n::error::forged\n");
	buf_puts(err, "::warning::forged, without a newline at the end");
	findings_add(&res[0].cases[1].findings, FINDING_CRASH, NULL,
		     "x\n::error::forged\r\n::add-mask::forged");
	struct report_options ro = { 0 };
	char *text = render(report_write_github, res, 1, &ro);
	ck_assert_int_eq(runner_read(text, 2), 1);
	/* The program's bytes are there, visible, between the markers. */
	char *token = github_token(text);
	struct buf want = BUF_INIT;
	buf_printf(&want,
		   "::stop-commands::%s\nstdout:\n::error::forged\n\n::set-output "
		   "name=x::forged\\x0d\n::endgroup::\n::stop-commands::abc\n::abc::\n"
		   "::error::forged\nstderr:\n::warning::forged, without a newline at the end\n"
		   "::%s::\n::endgroup::\n",
		   token, token);
	ck_assert_ptr_nonnull(strstr(text, want.data));
	buf_free(&want);
	free(token);
	free(text);
	/* Hidden: the program's output is not shown at all. */
	cases[1].hidden = true;
	text = render(report_write_github, res, 1, &ro);
	ck_assert_int_eq(runner_read(text, 2), 0);
	ck_assert_ptr_null(strstr(text, "forged"));
	free(text);
}
END_TEST

START_TEST(github_step_summary)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "summary.md", "earlier step\n");
	char *path = xasprintf("%s/summary.md", dir);
	cases[0].name = (char *)"a|b `c` <d> & e*";
	findings_add(&res[0].cases[1].findings, FINDING_CRASH, NULL, "<script>|`x`\n\x1b[31m & ok");
	struct report_options ro = { 0 };
	ck_assert_int_eq(report_append_step_summary(path, res, 1, &ro), 0);
	char *text = slurp(dir, "summary.md");
	ck_assert_str_eq(text,
			 "earlier step\n"
			 "### 01-hello: 2/7\n\n"
			 "| case | points | findings |\n"
			 "| --- | --: | --- |\n"
			 "| ✔ a\\|b \\`c\\` &lt;d&gt; &amp; e\\* | 2/2 | **pass** |\n"
			 "| ✘ corto | 0/2 | **wrong_output**: stdout is not what was expected.<br>- 1   Hijo "
			 "recibió: hola<br>+ 1   Hijo recibió: Hola<br>**wrong_exit**: The exit status was 1; "
			 "expected 0.<br>**crash**: &lt;script&gt;\\|\\`x\\`<br>\\\\x1b\\[31m &amp; ok |\n"
			 "| ✘ secreto (hidden) | 0/3 | **wrong_output**: This is a hidden case: its details "
			 "are not shown. |\n\n");
	free(text);
	/* Appended again, with two results: the total first. */
	tu_write(dir, "summary.md", "");
	ck_assert_int_eq(report_append_step_summary(path, res, 2, &ro), 0);
	text = slurp(dir, "summary.md");
	ck_assert_ptr_nonnull(strstr(text, "## Score: 3/8 (01-hello 2/7, 02-long-message 1/1)\n\n"
					   "### 01-hello: 2/7\n\n"));
	ck_assert_ptr_nonnull(strstr(text, "### 02-long-message: 1/1\n\n"));
	free(text);
	free(path);
	tu_rmdir(dir);
}
END_TEST

/* report_source_file(): the main .c file, relative to the current directory below it. */
START_TEST(source_file)
{
	char *dir = tu_mkdtemp();
	char *sub = xasprintf("%s/sub", dir), *one = xasprintf("%s/one", dir),
	     *two = xasprintf("%s/two", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(mkdir(one, 0755), 0);
	ck_assert_int_eq(mkdir(two, 0755), 0);
	tu_write(sub, "a_util.c",
		 "/* int main(void) is in prog.c */\nint helper(void)\n{\n"
		 "\treturn main(0, 0);\n}\n");
	tu_write(sub, "prog.c", "#include <stdio.h>\nint\nmain(int argc, char **argv)\n{\n}\n");
	tu_write(sub, "z.c", "static int main (void) { return 0; }\n");
	tu_write(one, "only.c", "int helper(void);\n");
	tu_write(two, "a.c", "int a;\n");
	tu_write(two, "b.c", "int b;\n");
	struct {
		const char *path, *want;
		bool in_dir; /* want is under dir */
	} rows[] = {
		{ sub, "sub/prog.c", true },   { one, "one/only.c", true },
		{ two, "two", true },          { "no/such/dir", "no/such/dir", false },
		{ "../x.c", "../x.c", false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *got = report_source_file(rows[i].path);
		char *want = rows[i].in_dir ? xasprintf("%s/%s", dir, rows[i].want)
					    : xstrdup(rows[i].want);
		ck_assert_str_eq(got, want);
		free(want);
		free(got);
	}
	/* Below the current directory: relative to it, whatever the path given. */
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(here, 0);
	ck_assert_int_eq(chdir(dir), 0);
	char *got = report_source_file(sub);
	ck_assert_str_eq(got, "sub/prog.c");
	free(got);
	got = report_source_file("./one/../one/only.c");
	ck_assert_str_eq(got, "one/only.c");
	free(got);
	got = report_source_file("two");
	ck_assert_str_eq(got, "two");
	free(got);
	ck_assert_int_eq(fchdir(here), 0);
	close(here);
	free(sub);
	free(one);
	free(two);
	tu_rmdir(dir);
}
END_TEST

/* ---- TAP ---- */

static const char tap_failed[] =
	"TAP version 13\n"
	"1..3\n"
	"ok 1 - 01-hello: por defecto\n"
	"not ok 2 - 01-hello: corto\n"
	"  ---\n"
	"  kind: \"wrong_output, wrong_exit\"\n"
	"  message: \"stdout is not what was expected.\\n- 1   Hijo recibió: hola\\n+ 1   Hijo "
	"recibió: Hola\\nThe exit status was 1; expected 0.\"\n"
	"  points: \"0/2\"\n"
	"  ...\n"
	"not ok 3 - 01-hello: secreto\n"
	"  ---\n"
	"  kind: \"wrong_output\"\n"
	"  message: \"This is a hidden case: its details are not shown.\"\n"
	"  points: \"0/3\"\n"
	"  ...\n"
	"# Score: 2/7\n";

START_TEST(tap_exact)
{
	struct report_options ro = { 0 };
	char *text = render(report_write_tap, res, 1, &ro);
	ck_assert_str_eq(text, tap_failed);
	free(text);
	text = render(report_write_tap, res, 2, &ro);
	ck_assert_ptr_nonnull(strstr(text, "TAP version 13\n1..4\n"));
	ck_assert_ptr_nonnull(
		strstr(text, "  ...\nok 4 - 02-long-message: 0 bytes\n# Score: 3/8\n"));
	free(text);
}
END_TEST

START_TEST(tap_escaping)
{
	cases[1].name = (char *)"x # TODO not really\\";
	findings_free(&res[0].cases[1].findings);
	findings_add(&res[0].cases[1].findings, FINDING_CRASH, NULL,
		     "quote \" back \\ tab\t\x1b\n  ...\nnot ok 9");
	struct report_options ro = { 0 };
	char *text = render(report_write_tap, res, 1, &ro);
	ck_assert_ptr_nonnull(strstr(text, "not ok 2 - 01-hello: x \\# TODO not really\\\\\n"
					   "  ---\n  kind: \"crash\"\n"
					   "  message: \"quote \\\" back \\\\ tab\\t\\\\x1b\\n  "
					   "...\\nnot ok 9\"\n"));
	free(text);
}
END_TEST

/* prove's verdict on `text` (its exit status), and what it said in *said (malloc'd). */
static int prove(const char *path_prove, const char *text, char **said)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "report.tap", text);
	char *path = xasprintf("%s/report.tap", dir);
	const char *argv[] = { path_prove, "-e", "cat", path, NULL };
	struct run_result r;
	tu_run(argv, NULL, NULL, &r);
	int code = r.exit_code;
	*said = xasprintf("%s%s", r.out.data ? r.out.data : "", r.err.data ? r.err.data : "");
	run_result_free(&r);
	free(path);
	tu_rmdir(dir);
	return code;
}

START_TEST(tap_prove)
{
	char *path = tu_which("prove");
	TU_NEED(path, "prove is not installed (Debian: perl)");
	struct report_options ro = { 0 };
	/* A failing result fails, even with a case named like a TODO directive. */
	cases[1].name = (char *)"corto # TODO";
	char *text = render(report_write_tap, res, 1, &ro), *said;
	ck_assert_int_ne(prove(path, text, &said), 0);
	ck_assert_msg(strstr(said, "Failed tests:  2-3\n") && strstr(said, "Result: FAIL\n") &&
			      !strstr(said, "Parse errors"),
		      "%s", said);
	free(said);
	free(text);
	/* The control: prove does not know "TAP version 14". */
	ck_assert_int_ne(prove(path, "TAP version 14\n1..1\nok 1 - a\n", &said), 0);
	ck_assert_msg(strstr(said, "Parse errors"), "%s", said);
	free(said);
	/* An all-pass result passes. */
	text = render(report_write_tap, &res[1], 1, &ro);
	ck_assert_msg(prove(path, text, &said) == 0, "%s", said);
	ck_assert_ptr_nonnull(strstr(said, "Result: PASS\n"));
	free(said);
	free(text);
	free(path);
}
END_TEST

/* ---- Markdown ---- */

START_TEST(markdown_exact)
{
	cases[1].hint = LTEXT_PLAIN("Lee hasta *EOF*.");
	struct report_options ro = { 0 };
	char *text = render(report_write_markdown, res, 1, &ro);
	ck_assert_str_eq(text,
			 "## Score: 2/7\n\n"
			 "### 01-hello: 2/7\n\n"
			 "| | case | points |\n"
			 "| :-: | --- | --: |\n"
			 "| ✔ | por defecto | 2/2 |\n"
			 "| ✘ | corto | 0/2 |\n"
			 "| ✘ | secreto (hidden) | 0/3 |\n\n"
			 "#### ✘ corto (0/2)\n\n"
			 "**wrong_output**\n\n"
			 "```\n"
			 "stdout is not what was expected.\n"
			 "- 1   Hijo recibió: hola\n"
			 "+ 1   Hijo recibió: Hola\n"
			 "```\n\n"
			 "**wrong_exit**\n\n"
			 "```\n"
			 "The exit status was 1; expected 0.\n"
			 "```\n\n"
			 "**Hint:** Lee hasta \\*EOF\\*.\n\n"
			 "#### ✘ secreto (hidden) (0/3)\n\n"
			 "**wrong_output**: This is a hidden case: its details are not shown.\n");
	free(text);
}
END_TEST

START_TEST(markdown_fence)
{
	findings_free(&res[0].cases[1].findings);
	findings_add(&res[0].cases[1].findings, FINDING_WRONG_OUTPUT, "stdout",
		     "```\nnot code\n````\n# heading?\x1b[31m");
	struct report_options ro = { 0 };
	char *text = render(report_write_markdown, res, 1, &ro);
	ck_assert_ptr_nonnull(strstr(text, "**wrong_output**\n\n"
					   "`````\n"
					   "```\nnot code\n````\n# heading?\\x1b[31m\n"
					   "`````\n\n"));
	free(text);
	/* Not built: the build log, fenced, instead of every case's compile_error. */
	res[0].compiled = false;
	buf_puts(&res[0].build_log, "hello.c:1:1: error: ``` `x`");
	text = render(report_write_markdown, res, 1, &ro);
	ck_assert_ptr_nonnull(strstr(text, "| ✘ | secreto (hidden) | 0/3 |\n\n"
					   "**The build failed:**\n\n"
					   "````\nhello.c:1:1: error: ``` `x`\n````\n"));
	ck_assert_ptr_null(strstr(text, "####"));
	free(text);
}
END_TEST

/* ---- JUnit, several results ---- */

START_TEST(junit_results)
{
	struct report_options ro = { 0 };
	char *text = render(report_write_junit, res, 2, &ro);
	ck_assert_ptr_nonnull(strstr(text,
				     "<testsuites>\n  <testsuite name=\"01-hello\" tests=\"3\" "
				     "failures=\"2\""));
	ck_assert_ptr_nonnull(strstr(text, "  </testsuite>\n  <testsuite name=\"02-long-message\" "
					   "tests=\"1\" failures=\"0\""));
	ck_assert_ptr_nonnull(strstr(text, "</testsuite>\n</testsuites>\n"));
	ck_assert_ptr_null(strstr(text, "SECRET"));
	free(text);
}
END_TEST

/* ---- every writer fails with its stream ---- */

static int text_writer(FILE *out, const struct submission_result *r, size_t n,
		       const struct report_options *ro)
{
	return report_write_text(out, r, n, ro);
}

static int json_writer(FILE *out, const struct submission_result *r, size_t n,
		       const struct report_options *ro)
{
	return report_write_json(out, r, n, ro);
}

START_TEST(failing_stream)
{
	TU_NEED(access("/dev/full", W_OK) == 0, "no /dev/full");
	static const writer writers[] = { text_writer,        json_writer,
					  report_write_junit, report_write_github,
					  report_write_tap,   report_write_markdown };
	struct report_options ro = { 0 };
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
		FILE *f = fopen("/dev/full", "we");
		ck_assert_ptr_nonnull(f);
		ck_assert_msg(writers[i](f, res, 2, &ro) == -1, "writer %zu", i);
		fclose(f);
	}
	ck_assert_int_eq(report_append_step_summary("/dev/full", res, 2, &ro), -1);
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/no/such/summary.md", dir);
	ck_assert_int_eq(report_append_step_summary(path, res, 1, &ro), -1);
	free(path);
	tu_rmdir(dir);
}
END_TEST

/* ---- hidden cases, in every format, on a real graded submission ---- */

static const char secret_yaml[] = "exercises:\n"
				  "  - id: 00-secret\n"
				  "    title: Secreto\n"
				  "    binary: secret\n"
				  "    limits: {wall: 5}\n"
				  "    cases:\n"
				  "      - name: visible\n"
				  "        stdout: \"hola\\n\"\n"
				  "        exit: 0\n"
				  "        points: 1\n"
				  "      - name: oculto\n"
				  "        args: [ARG-SECRET-4417]\n"
				  "        stdin: \"STDIN-SECRET-9051\\n\"\n"
				  "        files:\n"
				  "          - {path: infile, text: \"FILE-SECRET-2230\\n\"}\n"
				  "        stdout: \"EXPECTED-SECRET-7782\\n\"\n"
				  "        exit: 0\n"
				  "        points: 2\n"
				  "        hidden: true\n"
				  "        hint: \"HINT-SECRET-6120\"\n";

/* Prints what it was given, its stdin and its file: everything hidden comes out in its output. */
static const char secret_c[] = "#include <stdio.h>\n"
			       "int main(int argc, char **argv)\n"
			       "{\n"
			       "\tchar in[256] = \"\", file[256] = \"\";\n"
			       "\tin[fread(in, 1, sizeof in - 1, stdin)] = 0;\n"
			       "\tFILE *f = fopen(\"infile\", \"r\");\n"
			       "\tif (f) {\n"
			       "\t\tfile[fread(file, 1, sizeof file - 1, f)] = 0;\n"
			       "\t\tfclose(f);\n"
			       "\t}\n"
			       "\tif (argc < 2) {\n"
			       "\t\tprintf(\"hola\\n\");\n"
			       "\t\treturn 0;\n"
			       "\t}\n"
			       "\tfprintf(stderr, \"STDERR-SECRET-5521\\n\");\n"
			       "\tprintf(\"PROGRAM-SECRET-3316 %s %s%s\", argv[1], in, file);\n"
			       "\treturn 0;\n"
			       "}\n";

static const char *const secrets[] = { "ARG-SECRET-4417",     "STDIN-SECRET-9051",
				       "FILE-SECRET-2230",    "EXPECTED-SECRET-7782",
				       "PROGRAM-SECRET-3316", "STDERR-SECRET-5521",
				       "HINT-SECRET-6120" };

static char *secret_dir;
static struct course secret_course;
static struct submission_result secret_res;

static void secret_setup(void)
{
	i18n_set("en");
	secret_dir = tu_mkdtemp();
	tu_write(secret_dir, "grading.yaml", secret_yaml);
	char *sub = xasprintf("%s/sub", secret_dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	tu_write(sub, "secret.c", secret_c);
	char *path = xasprintf("%s/grading.yaml", secret_dir);
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(path, &secret_course, &err) == 0, "%s", err.data);
	ck_assert_msg(grade_submission(&secret_course, &secret_course.exercises[0], sub, NULL,
				       &secret_res, &err) == 0,
		      "%s", err.data);
	ck_assert_int_eq(tu_count_descendants(), 0);
	buf_free(&err);
	free(path);
	free(sub);
	/* What the test is about: the visible case passed, the hidden one failed on its output. */
	ck_assert_uint_eq(secret_res.ncases, 2);
	ck_assert(report_case_passed(&secret_res.cases[0]));
	ck_assert_int_eq(secret_res.cases[1].findings.v[0].kind, FINDING_WRONG_OUTPUT);
	ck_assert_ptr_nonnull(strstr(secret_res.cases[1].out.data, "PROGRAM-SECRET-3316"));
}

static void secret_teardown(void)
{
	submission_result_free(&secret_res);
	course_free(&secret_course);
	tu_rmdir(secret_dir);
}

/* Fails when any of the secrets is in `text`, the format named `what`. */
static void assert_no_secret(const char *what, const char *text)
{
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		ck_assert_msg(!strstr(text, secrets[i]), "%s shows %s:\n%s", what, secrets[i],
			      text);
}

START_TEST(hidden_everywhere)
{
	struct report_options ro = { 0 };
	static const struct {
		const char *name;
		writer w;
	} formats[] = { { "text", text_writer },
			{ "junit", report_write_junit },
			{ "github", report_write_github },
			{ "tap", report_write_tap },
			{ "markdown", report_write_markdown } };
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char *text = render(formats[i].w, &secret_res, 1, &ro);
		assert_no_secret(formats[i].name, text);
		ck_assert_ptr_nonnull(strstr(text, "oculto"));
		free(text);
	}
	char *path = xasprintf("%s/summary.md", secret_dir);
	ck_assert_int_eq(report_append_step_summary(path, &secret_res, 1, &ro), 0);
	char *text = slurp(secret_dir, "summary.md");
	assert_no_secret("the step summary", text);
	ck_assert_ptr_nonnull(strstr(text, "| ✘ oculto (hidden) | 0/2 | **wrong_output**: This is "
					   "a hidden case: its details are not shown. |\n"));
	free(text);
	free(path);
	/* For instructors the text report shows them (files are not shown, but the program
	 * printed its file); so do the others, the program's output included. */
	ro.show_hidden = true;
	text = render(text_writer, &secret_res, 1, &ro);
	ck_assert_ptr_nonnull(strstr(text, "command: ./secret 'ARG-SECRET-4417'\n"));
	ck_assert_ptr_nonnull(strstr(text, "STDIN-SECRET-9051"));
	ck_assert_ptr_nonnull(strstr(text, "EXPECTED-SECRET-7782"));
	ck_assert_ptr_nonnull(
		strstr(text, "PROGRAM-SECRET-3316 ARG-SECRET-4417 STDIN-SECRET-9051"));
	ck_assert_ptr_nonnull(strstr(text, "Hint: HINT-SECRET-6120\n"));
	free(text);
	for (size_t i = 1; i < sizeof formats / sizeof formats[0]; i++) {
		text = render(formats[i].w, &secret_res, 1, &ro);
		ck_assert_msg(strstr(text, "EXPECTED-SECRET-7782") &&
				      strstr(text, "PROGRAM-SECRET-3316"),
			      "%s:\n%s", formats[i].name, text);
		free(text);
	}
	text = render(report_write_github, &secret_res, 1, &ro);
	ck_assert_ptr_nonnull(strstr(text, "stderr:\nSTDERR-SECRET-5521\n"));
	free(text);
}
END_TEST

/* JSON apart: results.json is what Gradescope and scripts read. */
START_TEST(hidden_json)
{
	struct report_options ro = { 0 };
	char *text = render(json_writer, &secret_res, 1, &ro);
	assert_no_secret("json", text);
	ck_assert_ptr_nonnull(strstr(text, "oculto"));
	free(text);
}
END_TEST

/* The annotations of a real deadlock point at the line of the student's file where the reader
 * waits, found by the monitor (01-hello's child-keeps-write-end: read() at hello.c:33); a
 * hidden case's annotation says no line. */
START_TEST(github_line_from_monitor)
{
	struct course course;
	struct submission_result r;
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(tu_path("grading.yaml"), &course, &err) == 0, "%s", err.data);
	const struct exercise *hello = NULL;
	for (size_t i = 0; i < course.nexercises; i++)
		if (!strcmp(course.exercises[i].id, "01-hello"))
			hello = &course.exercises[i];
	ck_assert_ptr_nonnull(hello);
	ck_assert_msg(grade_submission(&course, hello,
				       tu_path("tests/fixtures/01-hello/child-keeps-write-end"),
				       NULL, &r, &err) == 0,
		      "%s", err.data);
	ck_assert_int_eq(tu_count_descendants(), 0);
	struct report_options ro = { 0 };
	char *text = render(report_write_github, &r, 1, &ro);
	size_t with_line = 0, errors = 0;
	for (const char *p = text; (p = strstr(p, "::error file=")) != NULL; p++) {
		errors++;
		const char *nl = strchr(p, '\n');
		const char *line = strstr(p, "/hello.c,line=33,title=01-hello%3A ");
		with_line += line && (!nl || line < nl);
	}
	ck_assert_uint_eq(errors, 5);    /* every case deadlocks */
	ck_assert_uint_eq(with_line, 3); /* the visible ones */
	ck_assert_ptr_nonnull(strstr(text, "[deadlock] child 1 (pid "));
	free(text);
	submission_result_free(&r);
	course_free(&course);
	buf_free(&err);
}
END_TEST

Suite *report_ci_suite(void)
{
	Suite *s = suite_create("report_ci");
	TCase *tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, github_annotations);
	tcase_add_test(tc, github_line_and_results);
	tcase_add_test(tc, github_escaping);
	tcase_add_test(tc, github_hostile_output);
	tcase_add_test(tc, github_step_summary);
	tcase_add_test(tc, source_file);
	tcase_add_test(tc, tap_exact);
	tcase_add_test(tc, tap_escaping);
	tcase_add_test(tc, markdown_exact);
	tcase_add_test(tc, markdown_fence);
	tcase_add_test(tc, junit_results);
	tcase_add_test(tc, failing_stream);
	suite_add_tcase(s, tc);
	tc = tcase_create("tools");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, tap_prove);
	suite_add_tcase(s, tc);
	tc = tu_tcase(s, "hidden", NULL);
	tcase_add_checked_fixture(tc, secret_setup, secret_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hidden_everywhere);
	tcase_add_test(tc, hidden_json);
	tc = tu_tcase(s, "monitor", NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, github_line_from_monitor);
	return s;
}
