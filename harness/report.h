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
	bool color;       /* ANSI colours in the text report */
	bool show_hidden; /* text: show the details of hidden cases too (instructors) */
	bool verbose;     /* text: also show passed cases' details and the full build log */
	bool explain;     /* text: the processes and pipes of a deadlocked or hung case */
};

int report_write_text(FILE *out, const struct submission_result *res,
		      const struct report_options *opt);

/* Appends the C string `s` (NULL: nothing) to `out` as the text report shows a submission's
 * bytes: buf_visible() without keeping newlines, so the result is one line of valid UTF-8 with
 * no control byte but '\t'. For progress lines that name students, folders or files. */
void report_text_safe(struct buf *out, const char *s);

int report_write_json(FILE *out, const struct submission_result *res,
		      const struct report_options *opt);

/* JUnit XML: a <testsuites> document with one <testsuite> (the exercise) and a <testcase>
 * per case; a failed case carries a <failure> whose type lists the finding kinds and whose
 * text holds their messages. Well-formed XML 1.0 whatever bytes the program printed: texts go
 * through buf_visible() (util.h) first, so invalid bytes, control characters and the
 * characters XML forbids (U+FFFE, U+FFFF) appear as the ASCII text `\xNN` / `\u{X}`. */
int report_write_junit(FILE *out, const struct submission_result *res,
		       const struct report_options *opt);

/* Only the <testsuite> element, named `name` (NULL: the exercise's id), for batch reports that
 * gather many submissions in one document. */
int report_write_junit_suite(FILE *out, const struct submission_result *res, const char *name);

/* Only the items of the JSON "tests" array, separated by ",\n", each name prefixed with
 * `prefix` (e.g. "01-hello: "; "" for none): batch reports join several exercises' tests into
 * one student's results.json. */
int report_write_json_tests(FILE *out, const struct submission_result *res, const char *prefix);

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
