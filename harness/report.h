/*
 * report.h: one graded submission, written for people and for machines.
 *
 *  - text: a line per case with its points, then the details of each failure (findings, the
 *    case's input, the hint); colour only when asked for (see report_options.color).
 *  - junit: JUnit XML, for CI systems.
 *  - json: the Gradescope results.json shape: score, max_score, execution_time, output,
 *    tests[] with name, score, max_score, status, output, visibility and extra_data.findings.
 *    The JSON is valid UTF-8 whatever bytes the program printed: NUL and control bytes are
 *    escaped, invalid UTF-8 bytes become U+FFFD.
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
	bool color;        /* ANSI colours in the text report */
	bool show_hidden;  /* text: show the details of hidden cases too (instructors) */
	bool verbose;      /* text: also show passed cases' details and the full build log */
	bool explain;      /* text: the processes and pipes of a deadlocked or hung case */
};

int report_write_text(FILE *out, const struct submission_result *res,
		      const struct report_options *opt);

int report_write_json(FILE *out, const struct submission_result *res,
		      const struct report_options *opt);

/* JUnit XML: a <testsuites> document with one <testsuite> (the exercise) and a <testcase>
 * per case; a failed case carries a <failure> whose type lists the finding kinds and whose
 * text holds their messages. Well-formed XML whatever bytes the program printed. */
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
	const double *scores;      /* per exercise; NAN when the student did not hand it in */
	double total, max;
	const char *status;        /* passed, failed, missing, incomplete, error */
	const char *const *reports; /* per exercise: the text report's path relative to the
				       HTML file ("ana/01-hello.txt"), NULL when none */
};

struct class_finding {
	const char *exercise;
	const char *kind;
	int students;
};

struct class_view {
	const char *title;          /* the course's title, or NULL */
	const char *const *exercises; /* ids, the columns */
	size_t nexercises;
	const struct class_row *rows;
	size_t nrows;
	int bins[10];               /* students per tenth of the maximum: bins[9] is 90-100% */
	const struct class_finding *findings; /* most common first */
	size_t nfindings;
};

/* A self-contained HTML page (no network, no scripts): the score histogram as an inline SVG
 * picture, the most common findings, and a table of students with their points per exercise
 * linking to each report. Every text is HTML-escaped. Returns 0 or -1 when the stream fails. */
int report_write_class_html(FILE *out, const struct class_view *v);

/* Appends `s` (len bytes, any bytes) as a JSON string literal, quotes included. */
void report_json_string(struct buf *out, const char *s, size_t len);

#endif
