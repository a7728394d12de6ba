/*
 * report.h: one graded submission, written for people and for machines.
 *
 *  - text: a line per case with its points, then the details of each failure (findings, the
 *    case's input, the hint); colour only when asked for (see report_options.color). Every
 *    text that can carry a submission's bytes (messages, paths, logs, the --explain picture)
 *    goes through buf_visible() (util.h): no byte of a submission can move the cursor, clear
 *    or recolour the terminal; the only escape sequences are the report's own colours.
 *  - junit: JUnit XML, for CI systems.
 *  - csv: report_csv_cell() for the cells of a CSV file (the gradebook is written by batch.c).
 *  - json: the Gradescope results.json shape: score, max_score, execution_time, output,
 *    tests[] with name, score, max_score, status, output, visibility and extra_data.findings.
 *    The JSON is valid UTF-8 whatever bytes the program printed: NUL and control bytes are
 *    escaped, invalid UTF-8 bytes become U+FFFD.
 *
 * The process monitor's facts (a finding's details, the process tree, the pictures of a stuck
 * tree) are rendered by the functions of report_monitor.h.
 *
 * The writers only read the result; they fail only when the stream does (return -1).
 */
#ifndef PIPEGRADE_REPORT_H
#define PIPEGRADE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "grade.h"
#include "util.h"

struct report_options {
	bool color;         /* ANSI colours in the text report */
	bool show_hidden;   /* every format: the details of hidden cases too (instructors) */
	bool verbose;       /* text: also show passed cases' details and the full build log */
	bool explain;       /* text: the processes and pipes of a deadlocked or hung case */
	bool failures_only; /* text: list only the cases that lost points */
};

/* The writers below take the `n` results of one student graded in one run: one exercise
 * (n == 1), or each exercise folder of a student's repository. */
int report_write_text(FILE *out, const struct submission_result *res, size_t n,
		      const struct report_options *opt);

/* Appends the C string `s` (NULL: nothing) to `out` as the text report shows a submission's
 * bytes: buf_visible() without keeping newlines, so the result is one line of valid UTF-8 with
 * no control byte but '\t'. For progress lines that name students, folders or files. */
void report_text_safe(struct buf *out, const char *s);

/* A hidden case's details (its input, expected and actual outputs, messages, processes) are
 * left out unless opt->show_hidden: its name, points, status, visibility and finding kinds
 * stay. Gradescope hides hidden cases from students itself (by "visibility"): its autograder
 * passes --show-hidden, so that the instructor sees everything there.
 * n > 1: the scores are summed, extra_data holds "exercises" (one object per result, with
 * what n == 1 puts in extra_data itself) and each test's name starts with its exercise's id
 * ("01-hello: mensaje corto"). */
int report_write_json(FILE *out, const struct submission_result *res, size_t n,
		      const struct report_options *opt);

/* JUnit XML: a <testsuites> document with one <testsuite> per result (named after its
 * exercise) and a <testcase> per case; a failed case carries a <failure> whose type lists the
 * finding kinds and whose text holds their messages (a hidden case's: report_hidden_message()
 * unless opt->show_hidden). Well-formed XML 1.0 whatever bytes the program printed: texts go
 * through buf_visible() (util.h) first, so invalid bytes, control characters and the
 * characters XML forbids (U+FFFE, U+FFFF) appear as the ASCII text `\xNN` / `\u{X}`. */
int report_write_junit(FILE *out, const struct submission_result *res, size_t n,
		       const struct report_options *opt);

/* Only the <testsuite> element, named `name` (NULL: the exercise's id), for batch reports that
 * gather many submissions in one document. Hidden cases show no details (as show_hidden
 * false). */
int report_write_junit_suite(FILE *out, const struct submission_result *res, const char *name);

/* ---- CI formats: GitHub Actions, TAP, Markdown (docs/formats.md) ----
 *
 * Each takes the `n` results of one student graded in one run, returns 0, or -1 when the
 * stream fails. Every text that can carry a submission's bytes is made visible (buf_visible())
 * before the format's own escaping.
 *
 * Hidden cases, in every format (these, text, JSON, JUnit): a case with `hidden: true` shows
 * only its name, points, pass or fail and its finding kinds, with report_hidden_message() for
 * message, unless opt->show_hidden: never its input (stdin, args, files), its expected
 * output, the program's output, its findings' messages (their diffs quote both) or its hint. */

/* True when the details of the case may be shown: it is not hidden, or opt->show_hidden (opt
 * may be NULL: not shown). */
bool report_case_shown(const struct case_result *cr, const struct report_options *opt);

/* The generic message that stands for a hidden case's findings, in the language in force. */
const char *report_hidden_message(void);

/* True when the case met every expectation (it carries the `pass` finding). */
bool report_case_passed(const struct case_result *cr);

/* Appends the case's finding kinds to `b`, each once in order of first appearance, separated
 * by `sep` ("wrong_output, wrong_exit"). */
void report_case_kinds(struct buf *b, const struct case_result *cr, const char *sep);

/* Appends the C string `s` (NULL: nothing) to `b` without its trailing newlines: a finding's
 * message, for formats that join several. Raw: the caller makes it visible and escapes it. */
void report_put_trimmed(struct buf *b, const char *s);

/* Writes `b` to `out` and flushes it, then frees `b`. Returns 0, or -1 when the stream fails. */
int report_emit(FILE *out, struct buf *b);

/* GitHub Actions workflow commands: an `::error file=F,title=EXERCISE: CASE::MESSAGE` per
 * failed case (`,line=L` after F when a finding knows its line: finding.line), whose message
 * is the points and each finding as "[kind] message"; the program's output of a failed case
 * in a `::group::`, between `::stop-commands::TOKEN` and `::TOKEN::` (TOKEN from getrandom(),
 * so nothing the program printed is read as a command; left out when no token can be had); a
 * `::warning` when grading was interrupted; last a `::notice` with the score. Messages are
 * escaped as GitHub's toolkit does (% CR LF as %25 %0D %0A), properties also ':' and ','
 * (%3A %2C). */
int report_write_github(FILE *out, const struct submission_result *res, size_t n,
			const struct report_options *opt);

/* Appends to the file `path` (GitHub's $GITHUB_STEP_SUMMARY; created when missing) a Markdown
 * table per result: case, points, findings. Returns 0, or -1 with errno set. */
int report_append_step_summary(const char *path, const struct submission_result *res, size_t n,
			       const struct report_options *opt);

/* The file a CI annotation points at for `submission` (malloc'd): the submission itself when
 * it is not a directory; else its .c file that defines main() (a line that starts with a type
 * and holds "main(", or starts with "main("; the first such in byte order), or its only .c
 * file; else the directory. Relative to the current directory when it lies below it (GitHub
 * wants paths from the repository's root, where CI runs); else as given. */
char *report_source_file(const char *submission);

/* TAP version 13 (not 14: Debian 12's prove, TAP::Parser 3.44, rejects "TAP version 14"; the
 * content is the same in both): the plan 1..N over every case of every result, `ok N -
 * EXERCISE: CASE` or `not ok N - ...` ('\' and '#' escaped as \\ and \#, so no name makes
 * a SKIP or TODO directive), and under a failed test a YAML block, indented two spaces, with
 * kind, message and points ("0/2") as double-quoted YAML scalars. A `# Score` comment ends it;
 * an interrupted run ends with `Bail out!`. */
int report_write_tap(FILE *out, const struct submission_result *res, size_t n,
		     const struct report_options *opt);

/* Markdown for a pull-request comment: a heading with the total score; per result a heading
 * with its score, a table of its cases (✔/✘, name, points), the build log when it did not
 * build, and each failed case's findings, each message in a fenced code block whose fence is
 * longer than any run of backticks in it. */
int report_write_markdown(FILE *out, const struct submission_result *res, size_t n,
			  const struct report_options *opt);

/* Appends the C string `s` (NULL: nothing) to `out` as Markdown inline text, for a table cell
 * or a heading: made visible (buf_visible() keeping newlines), then '\', '`', '*', '_', '[',
 * ']', '|' and '~' backslash-escaped, '&', '<' and '>' as references, newlines as <br>. */
void report_markdown_text(struct buf *out, const char *s);

/* Appends `len` bytes of `s` to `out` as a fenced code block: made visible (keeping newlines),
 * fenced with more backticks than its longest run of backticks (at least three). */
void report_markdown_code(struct buf *out, const char *s, size_t len);

/* Only the items of the JSON "tests" array, separated by ",\n", each name prefixed with
 * `prefix` (e.g. "01-hello: "; "" for none): batch reports join several exercises' tests into
 * one student's results.json. */
int report_write_json_tests(FILE *out, const struct submission_result *res, const char *prefix,
			    bool show_hidden);

/* A class, as the HTML summary shows it (filled by batch.c). */
struct class_row {
	const char *student;
	const double *scores; /* per exercise; NAN when the student did not hand it in */
	double total, max;
	const char *status;         /* passed, failed, compile_error, missing, not graded, error */
	const char *const *reports; /* per exercise: the text report's path relative to the
				       HTML file ("ana/01-hello.txt"), NULL when none */
};

struct class_finding {
	const char *exercise;
	const char *kind;
	int students;
};

struct class_case {
	const char *exercise, *name;
	int failed, graded; /* students who failed it, of those graded on it */
	const char *kind;   /* its most common finding, and how many had it */
	int with_kind;
};

struct class_view {
	const char *title;            /* the course's title, or NULL */
	const char *const *exercises; /* ids, the columns */
	size_t nexercises;
	const struct class_row *rows;
	size_t nrows;
	int bins[10]; /* students per tenth of the maximum: bins[9] is 90-100% */
	const struct class_finding *findings; /* most common first */
	size_t nfindings;
	const struct class_case *cases; /* the cases failed most often, most first */
	size_t ncases;
};

/* A self-contained HTML page (no network, no scripts): the score histogram as an inline SVG
 * picture, the most common findings, the cases failed most often, and a table of students
 * with their points per exercise linking to each report. Every text is HTML-escaped. Returns 0
 * or -1 when the stream fails. */
int report_write_class_html(FILE *out, const struct class_view *v);

/* Appends the C string `s` (NULL: an empty cell) to `out` as one CSV cell, no separator nor
 * line end: first made visible by buf_visible() keeping newlines (valid UTF-8, no control byte
 * but '\n' and '\t'); then, against formula injection (OWASP's CSV injection rule), a cell
 * that starts with '=', '+', '-', '@', tab or CR gets a leading single quote and is always
 * quoted; any cell holding a comma, a double quote, CR or LF is quoted with "..." and its
 * double quotes doubled (RFC 4180). "ana" stays `ana`, "-2" becomes `"'-2"`. Numbers the
 * caller writes itself need not go through it. Cannot fail. */
void report_csv_cell(struct buf *out, const char *s);

#endif
