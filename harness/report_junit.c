/* report_junit.c: JUnit XML for CI systems (see report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"

static void junit_case(struct buf *b, const struct submission_result *res,
		       const struct case_result *cr, const struct report_options *opt)
{
	buf_puts(b, "    <testcase classname=\"");
	buf_markup(b, res->ex->id);
	buf_puts(b, "\" name=\"");
	buf_markup(b, cr->tc->name);
	buf_printf(b, "\" time=\"%.3f\"", cr->wall_s);
	if (report_case_passed(cr)) {
		buf_puts(b, "/>\n");
		return;
	}
	buf_puts(b, ">\n      <failure type=\"");
	for (size_t i = 0; i < cr->findings.n; i++)
		buf_printf(b, "%s%s", i ? "," : "", finding_kind_name(cr->findings.v[i].kind));
	/* TRANSLATORS: JUnit's message of a failed case: "1 of 2 points". */
	char *points = xasprintf(_("%g of %g points"), cr->score, cr->max_score);
	buf_puts(b, "\" message=\"");
	buf_markup(b, points);
	buf_puts(b, "\">");
	free(points);
	if (report_case_shown(cr, opt)) {
		for (size_t i = 0; i < cr->findings.n; i++) {
			buf_printf(b, "[%s] ", finding_kind_name(cr->findings.v[i].kind));
			buf_markup(b, cr->findings.v[i].message);
			buf_puts(b, "\n");
		}
	} else {
		buf_markup(b, report_hidden_message());
		buf_puts(b, "\n");
	}
	buf_puts(b, "</failure>\n    </testcase>\n");
}

static void junit_suite(struct buf *b, const struct submission_result *res, const char *name,
			const struct report_options *opt)
{
	size_t failures = 0;
	for (size_t i = 0; i < res->ncases; i++)
		failures += !report_case_passed(&res->cases[i]);
	buf_puts(b, "  <testsuite name=\"");
	buf_markup(b, name ? name : res->ex->id);
	buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", res->ncases, failures,
		   res->wall_s);
	for (size_t i = 0; i < res->ncases; i++)
		junit_case(b, res, &res->cases[i], opt);
	buf_puts(b, "  </testsuite>\n");
}

int report_write_junit_suite(FILE *out, const struct submission_result *res, const char *name)
{
	struct buf b = BUF_INIT;
	junit_suite(&b, res, name, NULL);
	return report_emit(out, &b);
}

int report_write_junit(FILE *out, const struct submission_result *res, size_t n,
		       const struct report_options *opt)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (size_t i = 0; i < n; i++)
		junit_suite(&b, &res[i], NULL, opt);
	buf_puts(&b, "</testsuites>\n");
	return report_emit(out, &b);
}
