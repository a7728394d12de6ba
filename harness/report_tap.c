/* report_tap.c: the Test Anything Protocol (see report.h and docs/formats.md).
 *
 * The version line says 13, not 14: Debian 12's `prove` (TAP::Parser 3.44) stops with "TAP
 * specified version 14 but we don't know about versions later than 13", while every TAP 14
 * consumer reads 13. What is written is the same in both: the plan, a test line per case,
 * and a YAML block indented two spaces under each failed test (a diagnostic block in 13,
 * a YAML diagnostic in 14).
 *
 * Escaping: a description is one line, made visible, with '\' and '#' escaped (\\ and \#),
 * so no case name can end it with a "# SKIP" or "# TODO" directive that would turn a failure
 * into a pass. The YAML values are double-quoted scalars, made visible first (only '\n' and
 * '\t' are left of the control bytes) and then '\\', '"', '\n' and '\t' escaped: no text can
 * end the scalar, the block ("...") or the test.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "report.h"

/* A test's description: "EXERCISE: CASE", visible, on one line, '\\' and '#' escaped. */
static void description(struct buf *b, const char *exercise, const char *name)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, exercise, strlen(exercise), false);
	buf_puts(&v, ": ");
	buf_visible(&v, name, strlen(name), false);
	for (size_t i = 0; i < v.len; i++) {
		if (v.data[i] == '\\' || v.data[i] == '#')
			buf_puts(b, "\\");
		buf_append(b, v.data + i, 1);
	}
	buf_free(&v);
}

/* `s` as a YAML double-quoted scalar, quotes included. */
static void yaml_string(struct buf *b, const char *s)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, s ? strlen(s) : 0, true);
	buf_puts(b, "\"");
	for (size_t i = 0; i < v.len; i++) {
		char c = v.data[i];
		if (c == '\\' || c == '"')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else
			buf_append(b, &c, 1);
	}
	buf_puts(b, "\"");
	buf_free(&v);
}

/* The YAML block under a failed test. */
static void diagnostics(struct buf *b, const struct case_result *cr,
			const struct report_options *opt)
{
	struct buf s = BUF_INIT;
	report_case_kinds(&s, cr, ", ");
	buf_puts(b, "  ---\n  kind: ");
	yaml_string(b, s.data);
	buf_reset(&s);
	if (report_case_shown(cr, opt))
		for (size_t i = 0; i < cr->findings.n; i++) {
			buf_puts(&s, i ? "\n" : "");
			report_put_trimmed(&s, cr->findings.v[i].message);
		}
	else
		buf_puts(&s, report_hidden_message());
	buf_puts(b, "\n  message: ");
	yaml_string(b, s.data);
	buf_reset(&s);
	buf_printf(&s, "%g/%g", cr->score, cr->max_score);
	buf_puts(b, "\n  points: ");
	yaml_string(b, s.data);
	buf_puts(b, "\n  ...\n");
	buf_free(&s);
}

int report_write_tap(FILE *out, const struct submission_result *res, size_t n,
		     const struct report_options *opt)
{
	struct buf b = BUF_INIT;
	size_t total = 0, number = 0;
	double score = 0, max = 0;
	for (size_t i = 0; i < n; i++) {
		total += res[i].ncases;
		score += res[i].score;
		max += res[i].max_score;
	}
	buf_printf(&b, "TAP version 13\n1..%zu\n", total);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < res[i].ncases; k++) {
			const struct case_result *cr = &res[i].cases[k];
			bool ok = report_case_passed(cr);
			buf_printf(&b, "%sok %zu - ", ok ? "" : "not ", ++number);
			description(&b, res[i].ex->id, cr->tc->name);
			buf_puts(&b, "\n");
			if (!ok)
				diagnostics(&b, cr, opt);
		}
	buf_printf(&b, "# %s %g/%g\n", _("Score:"), score, max);
	for (size_t i = 0; i < n; i++)
		if (res[i].interrupted) {
			buf_printf(&b,
				   _("Bail out! pipegrade was interrupted by %s after %zu of %zu "
				     "cases of "),
				   signal_name(res[i].interrupted), res[i].ncases,
				   res[i].total_cases);
			buf_visible(&b, res[i].ex->id, strlen(res[i].ex->id), false);
			buf_puts(&b, ".\n");
			break;
		}
	return report_emit(out, &b);
}
