/* test_report.c: the text, JSON, JUnit and CSV reports of a graded submission, with hostile
 * bytes; the JUnit file is checked by the real xmllint and the CSV by Python's csv module. The
 * process monitor's facts, made by hand here, rendered as sentences, JSON and pictures
 * (report_monitor.h). */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "jsoncheck.h"
#include "report.h"
#include "report_monitor.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

static struct exercise ex;
static struct test_case cases[2];
static struct submission_result res;

static void setup(void)
{
	i18n_set("en");
	memset(&ex, 0, sizeof ex);
	memset(cases, 0, sizeof cases);
	memset(&res, 0, sizeof res);
	ex.id = (char *)"01-hello";
	ex.title = LTEXT_PLAIN("Hola");
	ex.binary = (char *)"hello";
	ex.cases = cases;
	ex.ncases = 2;
	cases[0].name = (char *)"por defecto";
	cases[0].points = 2;
	cases[1].name = (char *)"secreto";
	cases[1].points = 3;
	cases[1].hidden = true;
	cases[1].visibility = VIS_AFTER_PUBLISHED;
	cases[1].hint = LTEXT_PLAIN("Cierra el extremo de escritura.");
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
	ck_assert_int_eq(json ? report_write_json(f, &res, 1, ro)
			      : report_write_text(f, &res, 1, ro),
			 0);
	fclose(f);
	return text;
}

START_TEST(json_escaping)
{
	struct buf b = BUF_INIT;
	buf_json_string(&b, "a\0\"\\\n\x01\xff\xc3\xb3\xe2\x82", 11);
	ck_assert_str_eq(b.data, "\"a\\u0000\\\"\\\\\\n\\u0001\\ufffdó\\ufffd\\ufffd\"");
	buf_free(&b);
	/* hidden code points stay exact, as escapes: U+FFFE, U+202E, U+0085, U+10FFFF */
	buf_json_string(&b, "\xef\xbf\xbe|\xe2\x80\xae|\xc2\x85|\xf4\x8f\xbf\xbf|€", 19);
	ck_assert_str_eq(b.data, "\"\\ufffe|\\u202e|\\u0085|\\udbff\\udfff|€\"");
	buf_free(&b);
}
END_TEST

START_TEST(json_report_is_valid)
{
	/* case 1 is hidden: without show_hidden only its name, points and kinds are there */
	struct report_options ro = { 0 };
	char *j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_nonnull(strstr(j, "\"output\": \"This is a hidden case: its details are not "
					"shown.\", \"visibility\": "));
	ck_assert_ptr_nonnull(strstr(j, "\"extra_data\": {\"hidden\": true, \"findings\": "
					"[{\"kind\": "));
	free(j);
	ro.show_hidden = true;
	j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_nonnull(strstr(j, "\"score\": 2,\n  \"max_score\": 5,"));
	ck_assert_ptr_nonnull(strstr(j,
				     "{\"name\": \"por defecto\", \"score\": 2, \"max_score\": 2, "
				     "\"status\": \"passed\""));
	ck_assert_ptr_nonnull(strstr(j, "\"status\": \"failed\""));
	ck_assert_ptr_nonnull(strstr(j, "\"visibility\": \"after_published\""));
	ck_assert_ptr_nonnull(
		strstr(j, "{\"kind\": \"wrong_output\", \"message\": \"stdout is not "
			  "what was expected.\\n\\\"quoted\\\"\\ttab\", \"stream\": \"stdout\"}"));
	ck_assert_ptr_nonnull(strstr(j, "{\"kind\": \"wrong_exit\""));
	ck_assert_ptr_nonnull(
		strstr(j, "\"stdout\": \"ok\\u0000\\ufffd\\u001b[31m\\\"\\\\\\u007fó\\n\""));
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
	ck_assert_ptr_nonnull(
		strstr(t, "    [wrong_exit]\n    The exit status was 1; expected 0.\n"));
	ck_assert_ptr_nonnull(strstr(t, "    Hint: Cierra el extremo de escritura.\n"));
	free(t);
}
END_TEST

START_TEST(text_color_and_spanish)
{
	i18n_set("es");
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
	struct report_options ro = { .show_hidden = true }; /* case 1 is hidden */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(report_write_junit(f, &res, 1, &ro), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text,
				     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
				     "  <testsuite name=\"01-hello\" tests=\"2\" failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(text, "<testcase classname=\"01-hello\" name=\"por defecto\" "
					   "time=\"0.000\"/>"));
	ck_assert_ptr_nonnull(strstr(text, "<failure type=\"wrong_output,wrong_exit,crash\" "
					   "message=\"0 of 3 points\">"));
	ck_assert_ptr_nonnull(
		strstr(text, "[crash] a &lt;b&gt; &amp; &quot;c&quot; \\x01\\xff ó\n"));
	ck_assert_ptr_nonnull(strstr(text, "</testsuite>\n</testsuites>\n"));
	/* Nothing but tab and newline below 0x20 in the whole document. */
	for (const char *p = text; *p; p++)
		ck_assert((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
	free(text);
	/* For students, the hidden case shows its kinds and points only. */
	ro.show_hidden = false;
	f = open_memstream(&text, &len);
	ck_assert_int_eq(report_write_junit(f, &res, 1, &ro), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "<failure type=\"wrong_output,wrong_exit,crash\" "
					   "message=\"0 of 3 points\">This is a hidden case: its "
					   "details are not shown.\n</failure>"));
	ck_assert_ptr_null(strstr(text, "[crash]"));
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
	struct finding *d = findings_add(&res.cases[1].findings, FINDING_DEADLOCK, NULL,
					 "Every process is blocked.");
	d->details = monitor_facts_new(FINDING_DEADLOCK);
	struct monitor_process *p = monitor_snapshot_add_process(&d->details->snap);
	p->pid = 812;
	strcpy(p->role, "1");
	strcpy(p->exe, EVIL);
	p->wait.kind = MONITOR_WAIT_OTHER;
	p->wait.call = "open";
	snprintf(p->wait.target, sizeof p->wait.target, "/tmp/%s", EVIL);
	res.cases[1].stuck_after_s = 1.5;
	free(res.submission);
	res.submission = xstrdup("subs/" EVIL "\xff\n");
	buf_puts(&res.build_log, "warning: " EVIL "\n");
	cases[1].name = (char *)"secreto " EVIL;
	cases[1].hint = LTEXT_PLAIN("Cierra " EVIL);
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
					"      processes:\n        " EVIL_SHOWN
					" (pid 812) waits in open()\n"));
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
	const char *argv[] = { (char *)"/usr/bin/xmllint", (char *)"--noout", path, NULL };
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
	cases[0].name = (char *)"por \xef\xbf\xbe defecto";
	findings_add(&res.cases[1].findings, FINDING_CRASH, NULL,
		     "U+FFFE \xef\xbf\xbe, U+FFFF \xef\xbf\xbf, ESC \033[31m, bad \xff, NUL-free <&>");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct report_options ro = { .show_hidden = true };
	ck_assert_int_eq(report_write_junit(f, &res, 1, &ro), 0);
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
	const char *argv[] = { python, (char *)"-c", (char *)csv_to_json, path, NULL };
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

/* ---- the monitor's facts ---- */

/* A program named to break out of a DOT or JSON string and to recolour a terminal. */
#define EXE "x\"y\033"

static struct monitor_process *fact_process(struct monitor_snapshot *s, pid_t pid, pid_t parent,
					    const char *role, const char *exe)
{
	struct monitor_process *p = monitor_snapshot_add_process(s);
	p->pid = pid;
	p->parent = parent;
	snprintf(p->role, sizeof p->role, "%s", role);
	snprintf(p->exe, sizeof p->exe, "%s", exe);
	return p;
}

/* A source file's name as a submission may choose it: quotes, a control character, markup. */
#define SITE_FILE "h\"<i>\x01.c"

static void fact_pipe(struct monitor_snapshot *s, const char *name, unsigned long inode,
		      bool harness)
{
	struct monitor_pipe p = { .inode = inode, .harness = harness };
	snprintf(p.name, sizeof p.name, "%s", name);
	monitor_snapshot_add_pipe(s, &p);
}

/* A stuck tree: the parent waits for its children; child 1 reads pipe A, whose write end the
 * parent holds; a program with a hostile name reads a file; child 1.1 is stopped. Pipe B is
 * held by nobody any more; the parent's stdin is pipegrade's. */
static struct monitor_facts *stuck_tree(void)
{
	struct monitor_facts *f = monitor_facts_new(FINDING_DEADLOCK);
	struct monitor_snapshot *s = &f->snap;
	fact_pipe(s, "stdin", 10, true);
	fact_pipe(s, "A", 20, false);
	s->pipes[1].made = (struct monitor_frame){ "main", SITE_FILE, 9, false };
	fact_pipe(s, "B", 30, false);
	struct monitor_process *p = fact_process(s, 100, 0, "", "");
	p->wait = (struct monitor_wait){
		.kind = MONITOR_WAIT_CHILD, .call = "waitpid", .fd = -1, .pipe = -1, .waits_for = -1
	};
	monitor_process_add_fd(p, 0, 0, END_READ);
	monitor_process_add_fd(p, 4, 1, END_WRITE);
	p = fact_process(s, 101, 100, "1", "");
	p->wait = (struct monitor_wait){ .kind = MONITOR_WAIT_PIPE_READ,
					 .call = "read",
					 .fd = 3,
					 .pipe = 1,
					 .at = { "leer", SITE_FILE, 15, false } };
	p->forked_at = (struct monitor_frame){ "main", SITE_FILE, 11, false };
	monitor_process_add_fd(p, 3, 1, END_READ);
	p = fact_process(s, 102, 100, "2", EXE);
	p->wait = (struct monitor_wait){ .kind = MONITOR_WAIT_OTHER,
					 .call = "read",
					 .fd = 5,
					 .pipe = -1,
					 .target = "/tmp/a\"b" };
	p = fact_process(s, 103, 101, "1.1", "");
	p->wait = (struct monitor_wait){ .kind = MONITOR_WAIT_STOPPED,
					 .call = "",
					 .fd = -1,
					 .pipe = -1,
					 .stop_signal = SIGSTOP };
	return f;
}

START_TEST(monitor_stuck_words)
{
	struct monitor_facts *f = stuck_tree();
	char *msg = report_monitor_message(f);
	ck_assert_str_eq(msg,
			 "child 1 (pid 101, forked at " SITE_FILE
			 ":11) waits in read(fd 3) at " SITE_FILE
			 ":15 on pipe A (created at " SITE_FILE
			 ":9), but pipe A's write end is still "
			 "open in: parent (fd 4). A reader only sees EOF when every write end is closed.\n" EXE
			 " (pid 102) waits in read(fd 5) on /tmp/a\"b, which never answers.\n"
			 "child 1.1 (pid 103) is stopped by SIGSTOP and will not go on until it gets SIGCONT.\n"
			 "parent (pid 100) waits in waitpid() for child 1 (pid 101) and " EXE
			 " (pid 102).");
	free(msg);
	i18n_set("es");
	msg = report_monitor_message(f);
	ck_assert_ptr_nonnull(
		strstr(msg,
		       "hijo 1 (pid 101, creado con fork() en " SITE_FILE ":11) espera en "
		       "read(fd 3) en " SITE_FILE ":15 sobre la tubería A (creada en " SITE_FILE
		       ":9), pero el extremo de escritura de la tubería A sigue abierto "
		       "en: padre (fd 4)."));
	free(msg);
	monitor_facts_free(f);
}
END_TEST

START_TEST(monitor_stuck_json)
{
	struct monitor_facts *f = stuck_tree();
	struct buf j = BUF_INIT;
	buf_puts(&j, "{");
	i18n_set("es"); /* machine-readable: always in English */
	report_json_monitor_facts(&j, f);
	buf_puts(&j, "}");
	ck_assert_str_eq(j.data,
			 "{\"processes\": [{\"pid\": 100, \"role\": \"parent\", \"call\": \"waitpid\"}, "
			 "{\"pid\": 101, \"role\": \"child 1\", \"forked_at\": {\"function\": \"main\", "
			 "\"file\": \"h\\\"<i>\\u0001.c\", \"line\": 11}, \"call\": \"read\", \"fd\": 3, "
			 "\"pipe\": \"A\", \"call_at\": {\"function\": \"leer\", \"file\": "
			 "\"h\\\"<i>\\u0001.c\", \"line\": 15}}, "
			 "{\"pid\": 102, \"role\": \"x\\\"y\\u001b\", \"call\": \"read\", \"fd\": 5}, "
			 "{\"pid\": 103, \"role\": \"child 1.1\", \"call\": \"stopped\"}], "
			 "\"pipes\": [{\"name\": \"A\", \"inode\": 20, \"created_at\": {\"function\": "
			 "\"main\", \"file\": \"h\\\"<i>\\u0001.c\", \"line\": 9}, "
			 "\"read_ends\": [{\"pid\": 101, \"role\": \"child 1\", \"fd\": 3}], "
			 "\"write_ends\": [{\"pid\": 100, \"role\": \"parent\", \"fd\": 4}]}]}");
	ck_assert_uint_eq(json_validate(j.data, j.len), 0);
	buf_free(&j);
	monitor_facts_free(f);
}
END_TEST

START_TEST(monitor_stuck_pictures)
{
	struct monitor_facts *f = stuck_tree();
	char *dot = report_graph_dot(&f->snap);
	ck_assert_str_eq(dot,
			 "digraph pipegrade {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
			 "  edge [fontname=\"Helvetica\", fontsize=10];\n"
			 "  p100 [shape=box, color=red, fontcolor=red, label=\"parent\\npid 100\\nwaitpid()\"];\n"
			 "  p101 [shape=box, color=red, fontcolor=red, label=\"child 1\\npid 101\\n"
			 "read(fd 3) on pipe A\"];\n"
			 "  p102 [shape=box, color=red, fontcolor=red, label=\"x\\\"y\\\\x1b\\npid 102\\nread(fd 5)\"];\n"
			 "  p103 [shape=box, color=red, fontcolor=red, label=\"child 1.1\\npid 103\\n"
			 "stopped (SIGSTOP)\"];\n"
			 "  pipeA [shape=ellipse, label=\"pipe A\"];\n"
			 "  pipeB [shape=ellipse, label=\"pipe B\"];\n"
			 "  p100 -> pipeA [label=\"fd 4 (write)\"];\n"
			 "  p100 -> p101 [style=dashed, color=red, label=\"waitpid\"];\n"
			 "  p100 -> p102 [style=dashed, color=red, label=\"waitpid\"];\n"
			 "  pipeA -> p101 [label=\"fd 3 (read)\", color=red, fontcolor=red, penwidth=2];\n"
			 "}\n");
	free(dot);
	char *text = report_graph_text(&f->snap);
	ck_assert_str_eq(text, "processes:\n"
			       "  parent (pid 100) waits in waitpid()\n"
			       "      fd 0: stdin\n"
			       "      fd 4: write end of pipe A\n"
			       "  child 1 (pid 101) waits in read(fd 3) on pipe A\n"
			       "      fd 3: read end of pipe A\n"
			       "  " EXE " (pid 102) waits in read(fd 5)\n"
			       "  child 1.1 (pid 103) waits in stopped (SIGSTOP)\n");
	free(text);
	i18n_set("es");
	text = report_graph_text(&f->snap);
	ck_assert_ptr_nonnull(strstr(text,
				     "procesos:\n  padre (pid 100) espera en waitpid()\n"
				     "      fd 0: stdin\n      fd 4: extremo de escritura de la "
				     "tubería A\n"));
	free(text);
	monitor_facts_free(f);
}
END_TEST

/* The sentences and JSON members of a finding's details, then the finding whole in results.json. */
static void assert_facts(struct monitor_facts *f, const char *message, const char *json)
{
	char *msg = report_monitor_message(f);
	ck_assert_str_eq(msg, message);
	free(msg);
	struct buf j = BUF_INIT;
	report_json_monitor_facts(&j, f);
	ck_assert_str_eq(j.data ? j.data : "", json);
	buf_free(&j);
	struct finding *x = report_monitor_finding(&res.cases[1].findings, f);
	ck_assert_int_eq(x->kind, f->kind);
	ck_assert_str_eq(x->message, message);
	ck_assert_ptr_eq(x->details, f);
	struct report_options ro = { .show_hidden = true }; /* case 1 is hidden */
	char *doc = render(1, &ro);
	ck_assert_uint_eq(json_validate(doc, strlen(doc)), 0);
	struct buf want = BUF_INIT;
	buf_printf(&want, "{\"kind\": \"%s\", \"message\": ", finding_kind_name(f->kind));
	buf_json_string(&want, message, strlen(message));
	if (*json)
		buf_printf(&want, ", %s", json);
	buf_puts(&want, "}");
	ck_assert_msg(strstr(doc, want.data) != NULL, "%s\nnot in\n%s", want.data, doc);
	buf_free(&want);
	free(doc);
}

START_TEST(monitor_leak)
{
	struct monitor_facts *f = monitor_facts_new(FINDING_FD_LEAK);
	f->at_exec = true;
	fact_pipe(&f->snap, "A", 20, false);
	struct monitor_process *p = fact_process(&f->snap, 200, 100, "1", "cat");
	monitor_process_add_fd(p, 3, 0, END_READ);
	monitor_process_add_fd(p, 4, 0, END_WRITE);
	assert_facts(f,
		     "cat (pid 200) started with fd 3 (the read end of pipe A), fd 4 (the write end "
		     "of pipe A) open: it was not meant to inherit them. Close the pipe ends a "
		     "process does not use before exec() (or create the pipe with O_CLOEXEC).",
		     "\"at\": \"exec\", \"processes\": [{\"pid\": 200, \"role\": \"cat\"}], "
		     "\"fds\": [{\"fd\": 3, \"kind\": \"pipe\", \"pipe\": \"A\", \"end\": "
		     "\"read\"}, {\"fd\": 4, \"kind\": \"pipe\", \"pipe\": \"A\", \"end\": "
		     "\"write\"}]");
	f = monitor_facts_new(FINDING_FD_LEAK);
	fact_pipe(&f->snap, "B", 30, false);
	p = fact_process(&f->snap, 201, 0, "", "");
	monitor_process_add_fd(p, 5, 0, END_BOTH);
	i18n_set("es");
	assert_facts(f,
		     "padre (pid 201) terminó sin cerrar fd 5 (el extremo de lectura/escritura de la "
		     "tubería B). El núcleo cierra todos los descriptores al terminar, así que aquí no "
		     "hizo daño; pero mientras un proceso sigue vivo, un extremo de tubería que "
		     "mantiene abierto puede impedir que otro proceso reciba EOF, y todo programa que "
		     "ejecute con exec() hereda lo que tiene abierto. Cierra cada descriptor en cuanto "
		     "termines con él.",
		     "\"at\": \"exit\", \"processes\": [{\"pid\": 201, \"role\": \"parent\"}], "
		     "\"fds\": [{\"fd\": 5, \"kind\": \"pipe\", \"pipe\": \"B\", \"end\": "
		     "\"read/write\"}]");
}
END_TEST

/* Fds that are not pipes, at exec and at exit, in both languages. */
START_TEST(monitor_leak_files)
{
	struct monitor_facts *f = monitor_facts_new(FINDING_FD_LEAK);
	f->at_exec = true;
	fact_pipe(&f->snap, "A", 20, false);
	struct monitor_process *p = fact_process(&f->snap, 210, 100, "1", "cat");
	monitor_process_add_fd(p, 3, 0, END_WRITE);
	monitor_process_add_file(p, 4, MONITOR_FD_FILE, "infile.txt", END_READ);
	monitor_process_add_file(p, 5, MONITOR_FD_SOCKET, "", END_BOTH);
	monitor_process_add_file(p, 6, MONITOR_FD_FIFO, "fifo", END_WRITE);
	monitor_process_add_file(p, 7, MONITOR_FD_DIR, "data", END_READ);
	assert_facts(f,
		     "cat (pid 210) started with fd 3 (the write end of pipe A), fd 4 (infile.txt, "
		     "read-only), fd 5 (a socket), fd 6 (the named FIFO fifo, write-only), fd 7 (the "
		     "directory data) open: a program should start with only fds 0, 1 and 2. Close "
		     "every other fd before exec(), once dup2() has put what it needs on 0 and 1 (or "
		     "open files with O_CLOEXEC).",
		     "\"at\": \"exec\", \"processes\": [{\"pid\": 210, \"role\": \"cat\"}], "
		     "\"fds\": [{\"fd\": 3, \"kind\": \"pipe\", \"pipe\": \"A\", \"end\": "
		     "\"write\"}, {\"fd\": 4, \"kind\": \"file\", \"name\": \"infile.txt\", "
		     "\"mode\": \"read-only\"}, {\"fd\": 5, \"kind\": \"socket\", \"mode\": "
		     "\"read/write\"}, {\"fd\": 6, \"kind\": \"fifo\", \"name\": \"fifo\", "
		     "\"mode\": \"write-only\"}, {\"fd\": 7, \"kind\": \"directory\", \"name\": "
		     "\"data\", \"mode\": \"read-only\"}]");
	f = monitor_facts_new(FINDING_FD_LEAK);
	p = fact_process(&f->snap, 211, 100, "2", "");
	monitor_process_add_file(p, 4, MONITOR_FD_FILE, "outfile.txt", END_WRITE);
	assert_facts(f,
		     "child 2 (pid 211) exited with fd 4 (outfile.txt, write-only) still open. The "
		     "kernel closes every fd at exit, so that did no harm here; but every program a "
		     "process execs inherits the fds it holds. Close each fd as soon as you are done "
		     "with it.",
		     "\"at\": \"exit\", \"processes\": [{\"pid\": 211, \"role\": \"child 2\"}], "
		     "\"fds\": [{\"fd\": 4, \"kind\": \"file\", \"name\": \"outfile.txt\", "
		     "\"mode\": \"write-only\"}]");
	i18n_set("es");
	f = monitor_facts_new(FINDING_FD_LEAK);
	f->at_exec = true;
	p = fact_process(&f->snap, 212, 100, "2", "wc");
	monitor_process_add_file(p, 4, MONITOR_FD_FILE, "salida.txt", END_WRITE);
	assert_facts(f,
		     "wc (pid 212) empezó con fd 4 (salida.txt, solo escritura): un programa debe "
		     "empezar solo con los descriptores 0, 1 y 2 abiertos. Cierra todos los demás "
		     "antes de exec(), después de que dup2() haya puesto en 0 y 1 lo que necesita (o "
		     "abre los ficheros con O_CLOEXEC).",
		     "\"at\": \"exec\", \"processes\": [{\"pid\": 212, \"role\": \"wc\"}], "
		     "\"fds\": [{\"fd\": 4, \"kind\": \"file\", \"name\": \"salida.txt\", "
		     "\"mode\": \"write-only\"}]");
	f = monitor_facts_new(FINDING_FD_LEAK);
	p = fact_process(&f->snap, 213, 100, "1", "");
	monitor_process_add_file(p, 3, MONITOR_FD_FILE, "entrada.txt", END_READ);
	assert_facts(f,
		     "hijo 1 (pid 213) terminó sin cerrar fd 3 (entrada.txt, solo lectura). El núcleo "
		     "cierra todos los descriptores al terminar, así que aquí no hizo daño; pero todo "
		     "programa que un proceso ejecute con exec() hereda los descriptores que tiene "
		     "abiertos. Cierra cada descriptor en cuanto termines con él.",
		     "\"at\": \"exit\", \"processes\": [{\"pid\": 213, \"role\": \"child 1\"}], "
		     "\"fds\": [{\"fd\": 3, \"kind\": \"file\", \"name\": \"entrada.txt\", "
		     "\"mode\": \"read-only\"}]");
	/* A leak that grading.yaml's fd_leak policy makes a note says so in results.json. */
	f = monitor_facts_new(FINDING_FD_LEAK);
	p = fact_process(&f->snap, 214, 100, "1", "");
	monitor_process_add_file(p, 3, MONITOR_FD_FILE, "n.txt", END_READ);
	report_monitor_finding(&res.cases[1].findings, f)->note = true;
	struct report_options ro = { .show_hidden = true };
	char *doc = render(1, &ro);
	ck_assert_uint_eq(json_validate(doc, strlen(doc)), 0);
	ck_assert_ptr_nonnull(strstr(doc, "\"note\": true, \"at\": \"exit\", \"processes\": "
					  "[{\"pid\": 214, "));
	ck_assert_ptr_null(strstr(doc, "\"note\": true, \"at\": \"exit\", \"processes\": "
				       "[{\"pid\": 213, "));
	free(doc);
}
END_TEST

START_TEST(monitor_orphans)
{
	struct monitor_facts *f = monitor_facts_new(FINDING_ORPHAN);
	struct monitor_process *p = fact_process(&f->snap, 300, 100, "1", "");
	p->unwaited = xmalloc(2 * sizeof *p->unwaited);
	p->unwaited[0] = 301;
	p->unwaited[1] = 302; /* never traced: known by its pid only */
	p->nunwaited = 2;
	fact_process(&f->snap, 301, 300, "1.1", "")->forked_at = (struct monitor_frame){
		"crear", "", 0, false
	}; /* no debug information */
	assert_facts(f,
		     "child 1 (pid 300) exited without waiting for child 1.1 (pid 301, forked in "
		     "crear()) and pid 302. A parent must waitpid() for every child it creates; "
		     "otherwise the child is left an orphan (or a zombie).",
		     "\"processes\": [{\"pid\": 300, \"role\": \"child 1\", \"unwaited\": [301, 302]}, "
		     "{\"pid\": 301, \"role\": \"child 1.1\", \"forked_at\": {\"function\": \"crear\"}}]");
	f = monitor_facts_new(FINDING_ORPHAN);
	f->leftovers = 2;
	assert_facts(f,
		     "2 process(es) were still running after the main process ended; pipegrade "
		     "killed them. Wait for every child before exiting.",
		     "");
}
END_TEST

START_TEST(monitor_structure)
{
	struct monitor_facts *f = monitor_facts_new(FINDING_STRUCTURE);
	f->structure = (struct monitor_structure){ { 2, 1, true }, 1, 0, true, true, true };
	assert_facts(f,
		     "The exercise asks for at least 2 pipes; the program created 1. The exercise "
		     "asks for at least 1 process created with fork(); the program created 0. No pipe "
		     "connected two different processes: one process must keep only the write end "
		     "and another only the read end. The output has to travel through a pipe between "
		     "processes.",
		     "\"pipes\": 1, \"forks\": 0");
	f = monitor_facts_new(FINDING_STRUCTURE);
	f->structure = (struct monitor_structure){ { 1, 0, false }, 0, 3, true, false, false };
	i18n_set("es");
	assert_facts(f,
		     "El ejercicio pide al menos 1 tubería; el programa creó 0. La salida tiene que "
		     "pasar por una tubería entre procesos.",
		     "\"pipes\": 0, \"forks\": 3");
}
END_TEST

START_TEST(monitor_process_tree)
{
	struct monitor_snapshot tree = MONITOR_SNAPSHOT_INIT;
	struct monitor_process *p = fact_process(&tree, 100, 0, "", "");
	p->ended_at = 0.5;
	p->end = MONITOR_END_EXITED;
	p = fact_process(&tree, 101, 100, "1", "cat");
	p->started_at = 0.01;
	p->exec_at = 0.02;
	p->ended_at = 0.4;
	p->end = MONITOR_END_KILLED;
	p = fact_process(&tree, 102, 100, "2", EXE);
	p->started_at = 0.03;
	p->exec_at = 0.035;
	p = fact_process(&tree, 103, 102, "2.1", "");
	p->started_at = 0.04;
	p->ended_at = 0.05;
	p->end = MONITOR_END_EXITED;
	p->exit_code = 3;
	char *j = report_json_process_tree(&tree);
	ck_assert_str_eq(j,
			 "[{\"pid\": 100, \"parent\": 0, \"role\": \"parent\", \"started_at\": "
			 "0.000, \"ended_at\": 0.500, \"end\": \"exit 0\"}, {\"pid\": 101, \"parent\": "
			 "100, \"role\": \"cat\", \"exec_at\": 0.020, \"started_at\": 0.010, "
			 "\"ended_at\": 0.400, \"end\": \"killed\"}, {\"pid\": 102, \"parent\": 100, "
			 "\"role\": \"x\\\"y\\u001b\", \"exec_at\": 0.035, \"started_at\": 0.030, "
			 "\"ended_at\": null, \"end\": null}, {\"pid\": 103, \"parent\": 102, \"role\": "
			 "\"child 2.1\", \"started_at\": 0.040, \"ended_at\": 0.050, \"end\": \"exit 3\"}]");
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	free(j);
	monitor_snapshot_free(&tree);
	ck_assert_uint_eq(tree.nprocs, 0);
}
END_TEST

/* ---- stress mode: a race finding and a replay's schedule, made by hand ---- */

/* What the hidden case printed: never in a report that does not show hidden cases. */
#define SECRET "SECRET-OUTPUT"

/* A race finding on case `i`, as grade.c makes it: 3 of 20 stressed runs failed, the first
 * under seed 4 with an fd leak and a wrong output whose message holds `says` and hostile bytes. */
static void add_race(size_t i, const char *says)
{
	struct case_result *cr = &res.cases[i];
	findings_free(&cr->findings);
	struct finding_race *race = xcalloc(1, sizeof *race);
	*race = (struct finding_race){ .seed = 4, .runs = 20, .failed = 3 };
	findings_add(&race->findings, FINDING_FD_LEAK, NULL, "fd 4 left open.");
	char *msg = xasprintf("stdout is not what was expected.\n%s " EVIL "\xff\nline 3\nline "
			      "4\nline 5\nline 6\nline 7\nline 8\nline 9",
			      says);
	findings_add(&race->findings, FINDING_WRONG_OUTPUT, "stdout", msg);
	free(msg);
	char *cmd = report_replay_command(ex.id, cases[i].name, res.submission, race->seed);
	msg = report_race_message(race, cmd);
	finding_set_race(findings_add(&cr->findings, FINDING_RACE, NULL, msg), race);
	cr->stress_runs = 20;
	cr->stress_failed = 3;
	cr->score = 0;
	free(msg);
	free(cmd);
}

START_TEST(race_message)
{
	char *cmd = report_replay_command("06-fan-in", "it's a \"case\" $(x)", "subs/ana", 4);
	ck_assert_str_eq(cmd, "pipegrade grade -e 06-fan-in --seed 4 --case "
			      "'it'\\''s a \"case\" $(x)' subs/ana");
	free(cmd);
	cmd = report_replay_command("e", "c", "-rf my sub/'x'", 18446744073709551615ULL);
	ck_assert_str_eq(cmd, "pipegrade grade -e e --seed 18446744073709551615 --case 'c' "
			      "./'-rf my sub/'\\''x'\\'''");
	free(cmd);
	add_race(0, "visible");
	const struct finding *f = &res.cases[0].findings.v[0];
	ck_assert_int_eq(f->kind, FINDING_RACE);
	ck_assert_str_eq(f->message,
			 "3 of 20 runs failed under stress (other interleavings, short reads, split "
			 "writes, smaller pipes: docs/stress.md). With seed 4, wrong_output:\n"
			 "  stdout is not what was expected.\n  visible " EVIL "\xff\n  line 3\n"
			 "  line 4\n  line 5\n  line 6\n  line 7\n  line 8\n  [...]\n"
			 "Replay it with: pipegrade grade -e 01-hello --seed 4 --case 'por defecto' "
			 "subs/ana");
	i18n_set("es");
	char *es = report_race_message(f->race, "CMD");
	ck_assert_ptr_nonnull(strstr(es, "3 de 20 ejecuciones fallaron bajo estrés ("));
	ck_assert_ptr_nonnull(strstr(es, "Con la semilla 4, wrong_output:\n"));
	ck_assert_ptr_nonnull(strstr(es, "\nRepítela con: CMD"));
	free(es);
}
END_TEST

/* The JSON of a race: its data and the failing run's findings, rendered as a case's; of a
 * hidden case only counts and kinds, nothing the program printed. */
START_TEST(race_json)
{
	add_race(0, "visible");
	add_race(1, SECRET);
	struct report_options ro = { 0 };
	char *j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_null(strstr(j, SECRET));
	ck_assert_ptr_null(strchr(j, '\033'));
	ck_assert_ptr_nonnull(
		strstr(j,
		       "\"extra_data\": {\"findings\": [{\"kind\": \"race\", \"message\": \"3 of 20 runs "
		       "failed under stress"));
	ck_assert_ptr_nonnull(
		strstr(j,
		       "\", \"race\": {\"seed\": 4, \"runs\": 20, \"failed\": 3, \"findings\": "
		       "[{\"kind\": \"fd_leak\", \"message\": \"fd 4 left open.\"}, {\"kind\": "
		       "\"wrong_output\", \"message\": \"stdout is not what was expected.\\nvisible "
		       "\\u001b[2J\\u001b[HScore: 10/10\\u001b[8m\\ufffd\\nline 3"));
	ck_assert_ptr_nonnull(strstr(j, "\\nline 9\", \"stream\": \"stdout\"}]}}], \"stress\": "
					"{\"runs\": 20, \"failed\": 3}, \"exit_code\": "));
	ck_assert_ptr_nonnull(
		strstr(j,
		       "\"extra_data\": {\"hidden\": true, \"findings\": [{\"kind\": \"race\", \"race\": "
		       "{\"seed\": 4, \"runs\": 20, \"failed\": 3, \"findings\": [{\"kind\": "
		       "\"fd_leak\"}, {\"kind\": \"wrong_output\"}]}}], \"stress\": {\"runs\": 20, "
		       "\"failed\": 3}}}"));
	free(j);
	ro.show_hidden = true;
	j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_nonnull(strstr(j, "\\n  " SECRET " \\u001b[2J"));
	ck_assert_ptr_nonnull(strstr(j, "\\n" SECRET " \\u001b[2J"));
	free(j);
}
END_TEST

typedef int report_writer(FILE *, const struct submission_result *, size_t,
			  const struct report_options *);

/* The text report: the race's message, made visible, with its replay command; a hidden case's
 * not at all. Every other format: the kind, and nothing of the hidden case's output. */
START_TEST(race_text_and_formats)
{
	add_race(0, "visible");
	add_race(1, SECRET);
	struct report_options ro = { .explain = true };
	char *t = render(0, &ro);
	ck_assert_ptr_null(strchr(t, '\033'));
	ck_assert_ptr_null(strstr(t, SECRET));
	ck_assert_ptr_nonnull(strstr(t, "  ✘ por defecto"));
	ck_assert_ptr_nonnull(strstr(t, "0/2  race\n"));
	ck_assert_ptr_nonnull(strstr(t, "    [race]\n    3 of 20 runs failed under stress (other "
					"interleavings, short reads, split writes, smaller pipes: "
					"docs/stress.md). With seed 4, wrong_output:\n      stdout "
					"is not what was expected.\n      visible " EVIL_SHOWN
					"\\xff\n      line 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "      [...]\n    Replay it with: pipegrade grade -e "
					"01-hello --seed 4 --case 'por defecto' subs/ana\n"));
	free(t);
	report_writer *const writers[] = { report_write_junit, report_write_tap,
					   report_write_markdown, report_write_github };
	for (size_t w = 0; w < sizeof writers / sizeof writers[0]; w++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		ck_assert_int_eq(writers[w](f, &res, 1, &ro), 0);
		fclose(f);
		ck_assert_msg(strstr(text, "race") != NULL, "writer %zu: no race in:\n%s", w, text);
		ck_assert_msg(strstr(text, SECRET) == NULL, "writer %zu: the hidden output:\n%s", w,
			      text);
		ck_assert_msg(strstr(text, "Replay it with: pipegrade grade") != NULL,
			      "writer %zu: no replay command in:\n%s", w, text);
		free(text);
	}
}
END_TEST

/* A replayed case: its seed and schedule in JSON, its interleaving with --explain. */
static void add_schedule(struct case_result *cr)
{
	cr->seed = 9;
	struct monitor_schedule *s = &cr->schedule;
	*s = (struct monitor_schedule){ .seed = 9,
					.depth = 3,
					.horizon = 40,
					.pipe_size = 4096,
					.short_reads = 30,
					.split_writes = 50,
					.total = 12,
					.off = MONITOR_SCHED_THREADS,
					.off_at = 5 };
	static const struct monitor_step steps[] = {
		{ MONITOR_STEP_START, 100, "", -1, "", 0, -1 },
		{ MONITOR_STEP_FORK, 100, "", -1, "", 0, -1 },
		{ MONITOR_STEP_WRITE, 101, "1", 4, "A", 12, -1 },
		{ MONITOR_STEP_READ, 100, "", 3, "A", 4096, 6 },
		{ MONITOR_STEP_SLEEP, 102, "2", -1, "", 0, -1 },
		{ MONITOR_STEP_WRITE, 100, "", 1, "stdout", 8192, 4096 },
		{ MONITOR_STEP_CLOSE, 102, "2", 5, "", 0, -1 },
		{ MONITOR_STEP_WAIT, 100, "", -1, "", 0, -1 },
		{ MONITOR_STEP_EXIT, 101, "1", -1, "", 0, -1 },
	};
	s->nsteps = s->steps_cap = sizeof steps / sizeof steps[0];
	s->steps = xmalloc(sizeof steps);
	memcpy(s->steps, steps, sizeof steps);
	fact_process(&cr->tree, 100, 0, "", "");
	fact_process(&cr->tree, 101, 100, "1", "");
	fact_process(&cr->tree, 102, 100, "2", EXE);
}

START_TEST(replay_schedule)
{
	add_schedule(&res.cases[0]);
	res.cases[0].monitored = true;
	struct report_options ro = { 0 };
	char *j = render(1, &ro);
	ck_assert_uint_eq(json_validate(j, strlen(j)), 0);
	ck_assert_ptr_nonnull(
		strstr(j,
		       "\"findings\": [{\"kind\": \"pass\", \"message\": \"passed\"}], \"seed\": 9, "
		       "\"schedule\": {\"seed\": 9, \"depth\": 3, \"horizon\": 40, \"pipe_size\": 4096, "
		       "\"short_reads\": 30, \"split_writes\": 50, \"steps\": ["
		       "{\"kind\": \"start\", \"pid\": 100, \"role\": \"parent\", \"fd\": null, \"ipc\": "
		       "null, \"bytes\": null, \"cut\": null}, "
		       "{\"kind\": \"fork\", \"pid\": 100, \"role\": \"parent\", \"fd\": null, \"ipc\": "
		       "null, \"bytes\": null, \"cut\": null}, "
		       "{\"kind\": \"write\", \"pid\": 101, \"role\": \"child 1\", \"fd\": 4, \"ipc\": "
		       "\"A\", \"bytes\": 12, \"cut\": null}, "
		       "{\"kind\": \"read\", \"pid\": 100, \"role\": \"parent\", \"fd\": 3, \"ipc\": "
		       "\"A\", \"bytes\": 4096, \"cut\": 6}, "
		       "{\"kind\": \"sleep\", \"pid\": 102, \"role\": \"x\\\"y\\u001b\", \"fd\": null, "
		       "\"ipc\": null, \"bytes\": null, \"cut\": null}, "
		       "{\"kind\": \"write\", \"pid\": 100, \"role\": \"parent\", \"fd\": 1, \"ipc\": "
		       "\"stdout\", \"bytes\": 8192, \"cut\": 4096}, "
		       "{\"kind\": \"close\", \"pid\": 102, \"role\": \"x\\\"y\\u001b\", \"fd\": 5, "
		       "\"ipc\": null, \"bytes\": null, \"cut\": null}, "
		       "{\"kind\": \"wait\", \"pid\": 100, \"role\": \"parent\", \"fd\": null, \"ipc\": "
		       "null, \"bytes\": null, \"cut\": null}, "
		       "{\"kind\": \"exit\", \"pid\": 101, \"role\": \"child 1\", \"fd\": null, \"ipc\": "
		       "null, \"bytes\": null, \"cut\": null}], "
		       "\"total\": 12, \"off\": \"threads\", \"off_at\": 5}, \"exit_code\": "));
	free(j);
	/* a hidden case's schedule is its details: only its seed */
	add_schedule(&res.cases[1]);
	j = render(1, &ro);
	ck_assert_ptr_nonnull(strstr(j, "{\"kind\": \"wrong_exit\"}], \"seed\": 9}}"));
	free(j);
	ro.explain = true;
	char *t = render(0, &ro);
	ck_assert_ptr_null(strchr(t, '\033'));
	ck_assert_ptr_nonnull(
		strstr(t,
		       "\n── por defecto ──\n    command: ./hello\n"
		       "    the interleaving under seed 9:\n"
		       "      seed 9 chose: pipes of 4096 bytes, 30% of reads cut short, 50% of split "
		       "writes giving way, depth 3 (2 priority changes among 40 steps)\n"
		       "           1  parent       starts\n"
		       "           2  parent       fork()\n"
		       "           3  child 1      write(fd 4) 12 bytes on pipe A\n"
		       "           4  parent       read(fd 3) on pipe A, cut to 6 bytes\n"
		       "           5  x\"y\\x1b      sleep: returned at once\n"
		       "           6  parent       write(fd 1) 8192 bytes on stdout, split: a piece of "
		       "4096 bytes\n"
		       "           7  x\"y\\x1b      close(fd 5) on a socket or FIFO\n"
		       "           8  parent       wait() for a child\n"
		       "           9  child 1      exits\n"
		       "        ... and 3 more steps (only the first 9 are kept)\n"
		       "      from step 5 on, the processes ran as usual: one started a thread, and "
		       "threads share memory, which the scheduler cannot see\n"));
	free(t);
	/* without --explain, a replayed case that passed shows no details */
	ro.explain = false;
	t = render(0, &ro);
	ck_assert_ptr_null(strstr(t, "── por defecto ──"));
	free(t);
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
	tcase_add_test(tc, monitor_stuck_words);
	tcase_add_test(tc, monitor_stuck_json);
	tcase_add_test(tc, monitor_stuck_pictures);
	tcase_add_test(tc, monitor_leak);
	tcase_add_test(tc, monitor_leak_files);
	tcase_add_test(tc, monitor_orphans);
	tcase_add_test(tc, monitor_structure);
	tcase_add_test(tc, monitor_process_tree);
	tcase_add_test(tc, race_message);
	tcase_add_test(tc, race_json);
	tcase_add_test(tc, race_text_and_formats);
	tcase_add_test(tc, replay_schedule);
	suite_add_tcase(s, tc);
	tc = tcase_create("tools");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, junit_xmllint);
	tcase_add_test(tc, csv_in_python);
	suite_add_tcase(s, tc);
	return s;
}
