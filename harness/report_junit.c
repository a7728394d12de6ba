/* report_junit.c: JUnit XML for CI systems (see report.h). */
#include <stdio.h>
#include <string.h>

#include "report.h"

static void junit_case(struct buf *b, const struct submission_result *res,
		       const struct case_result *cr)
{
	buf_puts(b, "    <testcase classname=\"");
	buf_markup(b, res->ex->id);
	buf_puts(b, "\" name=\"");
	buf_markup(b, cr->tc->name);
	buf_printf(b, "\" time=\"%.3f\"", cr->wall_s);
	if (findings_has(&cr->findings, FINDING_PASS)) {
		buf_puts(b, "/>\n");
		return;
	}
	buf_puts(b, ">\n      <failure type=\"");
	for (size_t i = 0; i < cr->findings.n; i++)
		buf_printf(b, "%s%s", i ? "," : "", finding_kind_name(cr->findings.v[i].kind));
	buf_printf(b, "\" message=\"%g of %g points\">", cr->score, cr->max_score);
	for (size_t i = 0; i < cr->findings.n; i++) {
		buf_printf(b, "[%s] ", finding_kind_name(cr->findings.v[i].kind));
		buf_markup(b, cr->findings.v[i].message);
		buf_puts(b, "\n");
	}
	buf_puts(b, "</failure>\n    </testcase>\n");
}

int report_write_junit_suite(FILE *out, const struct submission_result *res, const char *name)
{
	struct buf b = BUF_INIT;
	size_t failures = 0;
	for (size_t i = 0; i < res->ncases; i++)
		failures += !findings_has(&res->cases[i].findings, FINDING_PASS);
	buf_puts(&b, "  <testsuite name=\"");
	buf_markup(&b, name ? name : res->ex->id);
	buf_printf(&b, "\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", res->ncases, failures,
		   res->wall_s);
	for (size_t i = 0; i < res->ncases; i++)
		junit_case(&b, res, &res->cases[i]);
	buf_puts(&b, "  </testsuite>\n");
	size_t n = fwrite(b.data, 1, b.len, out);
	int rc = n == b.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&b);
	return rc;
}

int report_write_junit(FILE *out, const struct submission_result *res,
		       const struct report_options *opt)
{
	(void)opt;
	if (fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out) == EOF)
		return -1;
	if (report_write_junit_suite(out, res, NULL) < 0)
		return -1;
	return fputs("</testsuites>\n", out) == EOF || fflush(out) ? -1 : 0;
}
