/* report_markdown.c: Markdown for a pull-request comment, and the escaping of Markdown texts
 * that the step summary shares (see report.h and docs/formats.md).
 *
 * What a submission wrote never becomes markup: inline texts (names, table cells) are made
 * visible and their Markdown and HTML characters escaped; longer texts (finding messages, the
 * build log) go into fenced code blocks whose fence is longer than any run of backticks in
 * them, so no line of theirs can close the block.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "report.h"

void report_markdown_text(struct buf *out, const char *s)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, s ? strlen(s) : 0, true);
	for (size_t i = 0; i < v.len; i++) {
		char c = v.data[i];
		if (c == '&')
			buf_puts(out, "&amp;");
		else if (c == '<')
			buf_puts(out, "&lt;");
		else if (c == '>')
			buf_puts(out, "&gt;");
		else if (c == '\n')
			buf_puts(out, "<br>");
		else if (strchr("\\`*_[]|~", c))
			buf_printf(out, "\\%c", c);
		else
			buf_append(out, &c, 1);
	}
	buf_free(&v);
	if (!out->data)
		buf_puts(out, "");
}

void report_markdown_code(struct buf *out, const char *s, size_t len)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, len, true);
	size_t longest = 0, run = 0;
	for (size_t i = 0; i < v.len; i++) {
		run = v.data[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t fence = longest < 3 ? 3 : longest + 1;
	for (size_t i = 0; i < fence; i++)
		buf_puts(out, "`");
	buf_puts(out, "\n");
	buf_append(out, v.data, v.len);
	if (v.len && v.data[v.len - 1] != '\n')
		buf_puts(out, "\n");
	for (size_t i = 0; i < fence; i++)
		buf_puts(out, "`");
	buf_puts(out, "\n");
	buf_free(&v);
}

/* "✔ name" or "✘ name", and "(hidden)" for a hidden case. */
static void case_name(struct buf *b, const struct case_result *cr)
{
	report_markdown_text(b, cr->tc->name);
	if (cr->tc->hidden)
		buf_printf(b, " %s", _("(hidden)"));
}

static void case_details(struct buf *b, const struct case_result *cr,
			 const struct report_options *opt)
{
	buf_puts(b, "#### ✘ ");
	case_name(b, cr);
	buf_printf(b, " (%g/%g)\n\n", cr->score, cr->max_score);
	if (!report_case_shown(cr, opt)) {
		struct buf k = BUF_INIT;
		report_case_kinds(&k, cr, "**, **");
		buf_printf(b, "**%s**: ", k.data);
		report_markdown_text(b, report_hidden_message());
		buf_puts(b, "\n\n");
		buf_free(&k);
		return;
	}
	for (size_t i = 0; i < cr->findings.n; i++) {
		const struct finding *f = &cr->findings.v[i];
		buf_printf(b, "**%s**\n\n", finding_kind_name(f->kind));
		report_markdown_code(b, f->message, strlen(f->message));
		buf_puts(b, "\n");
	}
	if (ltext_get(&cr->tc->hint)) {
		buf_printf(b, "**%s** ", _("Hint:"));
		report_markdown_text(b, ltext_get(&cr->tc->hint));
		buf_puts(b, "\n\n");
	}
}

static void markdown_result(struct buf *b, const struct submission_result *res,
			    const struct report_options *opt)
{
	buf_puts(b, "### ");
	report_markdown_text(b, res->ex->id);
	buf_printf(b, ": %g/%g\n\n", res->score, res->max_score);
	buf_puts(b, _("| | case | points |\n"));
	buf_puts(b, "| :-: | --- | --: |\n");
	for (size_t i = 0; i < res->ncases; i++) {
		const struct case_result *cr = &res->cases[i];
		buf_printf(b, "| %s | ", report_case_passed(cr) ? "✔" : "✘");
		case_name(b, cr);
		buf_printf(b, " | %g/%g |\n", cr->score, cr->max_score);
	}
	buf_puts(b, "\n");
	if (res->interrupted) {
		buf_printf(b,
			   _("**INCOMPLETE**: pipegrade was interrupted by %s after %zu of %zu "
			     "cases.\n\n"),
			   signal_name(res->interrupted), res->ncases, res->total_cases);
	}
	if (!res->compiled) {
		buf_printf(b, "**%s**\n\n", _("The build failed:"));
		report_markdown_code(b, res->build_log.data, res->build_log.len);
		buf_puts(b, "\n");
		return;
	}
	for (size_t i = 0; i < res->ncases; i++)
		if (!report_case_passed(&res->cases[i]))
			case_details(b, &res->cases[i], opt);
}

int report_write_markdown(FILE *out, const struct submission_result *res, size_t n,
			  const struct report_options *opt)
{
	struct buf b = BUF_INIT;
	double score = 0, max = 0;
	for (size_t i = 0; i < n; i++) {
		score += res[i].score;
		max += res[i].max_score;
	}
	buf_printf(&b, "## %s %g/%g\n\n", _("Score:"), score, max);
	for (size_t i = 0; i < n; i++)
		markdown_result(&b, &res[i], opt);
	while (b.len > 1 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\n')
		b.data[--b.len] = '\0'; /* one newline at the end, no blank line */
	return report_emit(out, &b);
}
