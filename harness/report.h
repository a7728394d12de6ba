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

/* Appends `s` (len bytes, any bytes) as a JSON string literal, quotes included. */
void report_json_string(struct buf *out, const char *s, size_t len);

#endif
