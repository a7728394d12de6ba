/*
 * report_html.c: the class summary as one self-contained HTML page (see report.h).
 *
 * The page is built in memory and written at the end: a header (title, number of students),
 * the score histogram as inline SVG, the most common findings, the cases failed most often,
 * and the table of students.
 * Texts come from folder names and config files, so every one goes through buf_markup(), and
 * every link through url_path(), which percent-encodes the path so that no folder name can
 * end the attribute, start a scheme ("javascript:") or turn into a fragment or a query.
 * The SVG uses integer coordinates only, so no locale can put a comma in a number.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"

/* The histogram's geometry, in SVG user units. */
enum {
	SVG_W = 860,
	SVG_H = 250,
	PLOT_X = 56,
	PLOT_Y = 24,
	PLOT_W = 790,
	PLOT_H = 170,
	SLOT_W = PLOT_W / 10,
	BAR_W = 54,
};

static const char page_css[] =
	"body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\","
	"sans-serif;color:#1f2933;background:#f5f7fa;margin:0}\n"
	"main{max-width:960px;margin:0 auto;padding:24px 28px 40px}\n"
	"h1{font-size:26px;margin:0 0 2px}\n"
	"h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}\n"
	".count{color:#52606d;margin:0}\n"
	".panel{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:12px 16px}\n"
	"svg{display:block;max-width:100%;height:auto}\n"
	"svg text{font:12px system-ui,\"DejaVu Sans\",sans-serif;fill:#334e68}\n"
	"svg .bar{fill:#4c7bd9}\n"
	"svg .axis{stroke:#829ab1;stroke-width:1}\n"
	"svg .n{font-weight:600;fill:#1f2933}\n"
	"svg .zero{font-weight:400;fill:#9aa5b1}\n"
	"ul.findings{margin:0;padding-left:20px}\n"
	"ul.findings b{font-variant-numeric:tabular-nums}\n"
	"code{font:13px ui-monospace,\"DejaVu Sans Mono\",monospace;background:#eef2f7;"
	"padding:1px 4px;border-radius:3px}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d9e2ec}\n"
	"th,td{padding:6px 10px;border-bottom:1px solid #e4e7eb;text-align:left}\n"
	"thead th{background:#e9eef5;font-weight:600}\n"
	"tbody tr:nth-child(even){background:#f8fafc}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.num a{color:#1d4ed8;text-decoration:none}\n"
	"td.num a:hover{text-decoration:underline}\n"
	".status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;"
	"background:#e4e7eb;color:#3e4c59}\n"
	".st-passed{background:#d3f4dc;color:#14612c}\n"
	".st-failed{background:#fde1e1;color:#9b1c1c}\n"
	".st-missing{background:#e4e7eb;color:#52606d}\n"
	".st-incomplete{background:#fff1c2;color:#8a5a00}\n"
	".st-error{background:#f3dcf7;color:#6b1f7a}\n"
	".st-compile-error{background:#ffe4cc;color:#8a3b00}\n"
	".st-not-graded{background:#fff1c2;color:#8a5a00}\n";

/* Appends a relative path as a URL path: every byte but unreserved characters and '/' is
 * percent-encoded, which also makes it safe inside a quoted attribute. */
static void url_path(struct buf *b, const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr("-._~/", *u))
			buf_append(b, u, 1);
		else
			buf_printf(b, "%%%02X", *u);
	}
}

/* Appends "st-" and the status's letters, '_' and ' ' as '-' ("not graded": st-not-graded):
 * a CSS class that nothing in the name can break. */
static void status_class(struct buf *b, const char *status)
{
	buf_puts(b, "st-");
	for (const char *p = status ? status : ""; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
			buf_append(b, p, 1);
		else if (*p == '_' || *p == ' ')
			buf_puts(b, "-");
}

static void page_head(struct buf *b, const struct class_view *v)
{
	/* the page's language, as HTML writes it: "en", "es", "pt-BR" */
	const char *lang = i18n_get();
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n",
		   !strcmp(lang, "pt_BR") ? "pt-BR" : lang);
	buf_puts(b, "<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>pipegrade");
	if (v->title && *v->title) {
		buf_puts(b, " \xe2\x80\x94 ");
		buf_markup(b, v->title);
	}
	buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<h1>pipegrade",
		   page_css);
	if (v->title && *v->title) {
		buf_puts(b, " \xe2\x80\x94 ");
		buf_markup(b, v->title);
	}
	buf_puts(b, "</h1>\n<p class=\"count\">");
	/* TRANSLATORS: the class page: "12 students, 3 exercises". */
	char *count = xasprintf(P_("%zu student, ", "%zu students, ", v->nrows), v->nrows);
	buf_markup(b, count);
	free(count);
	count = xasprintf(P_("%zu exercise", "%zu exercises", v->nexercises), v->nexercises);
	buf_markup(b, count);
	free(count);
	buf_puts(b, "</p>\n");
}

/* The words for a status of the gradebook (job_status_name()), for people. */
static const char *status_words(const char *status)
{
	return !status                            ? ""
	       : !strcmp(status, "passed")        ? C_("class status", "passed")
	       : !strcmp(status, "failed")        ? C_("class status", "failed")
	       : !strcmp(status, "compile_error") ? C_("class status", "compile_error")
	       : !strcmp(status, "missing")       ? C_("class status", "missing")
	       : !strcmp(status, "not graded")    ? C_("class status", "not graded")
	       : !strcmp(status, "error")         ? C_("class status", "error")
						  : status;
}

/* One bar of the histogram with its count above it and its range below. */
static void svg_bar(struct buf *b, int i, int count, int top)
{
	int h = top > 0 && count > 0 ? count * (PLOT_H - 20) / top : 0;
	int x = PLOT_X + i * SLOT_W + (SLOT_W - BAR_W) / 2, cx = x + BAR_W / 2;
	int y = PLOT_Y + PLOT_H - h;
	buf_printf(b,
		   "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
		   "<title>%d%s%d%%: %d</title></rect>\n",
		   x, y, BAR_W, h, i * 10, "\xe2\x80\x93", i == 9 ? 100 : i * 10 + 9, count);
	buf_printf(b, "<text class=\"n%s\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
		   count ? "" : " zero", cx, y - 5, count);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%s%d%%</text>\n", cx,
		   PLOT_Y + PLOT_H + 17, i * 10, "\xe2\x80\x93", i == 9 ? 100 : i * 10 + 9);
}

static void svg_axes(struct buf *b)
{
	int bottom = PLOT_Y + PLOT_H;
	buf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_X,
		   bottom, PLOT_X + PLOT_W, bottom);
	buf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_X,
		   PLOT_Y, PLOT_X, bottom);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", PLOT_X + PLOT_W / 2,
		   SVG_H - 6);
	/* TRANSLATORS: the class page: the histogram's horizontal axis. */
	char *axis = xasprintf(_("score (%% of the maximum)"));
	buf_markup(b, axis);
	free(axis);
	buf_printf(b,
		   "</text>\n<text x=\"18\" y=\"%d\" text-anchor=\"middle\" "
		   "transform=\"rotate(-90 18 %d)\">",
		   PLOT_Y + PLOT_H / 2, PLOT_Y + PLOT_H / 2);
	/* TRANSLATORS: the class page: the histogram's vertical axis. */
	buf_markup(b, _("students"));
	buf_puts(b, "</text>\n");
}

static void svg_histogram(struct buf *b, const struct class_view *v)
{
	int top = 0;
	for (int i = 0; i < 10; i++)
		top = v->bins[i] > top ? v->bins[i] : top;
	buf_puts(b, "<h2>");
	/* TRANSLATORS: the class page: a heading. */
	buf_markup(b, _("Scores"));
	buf_printf(b,
		   "</h2>\n<div class=\"panel\">\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		   SVG_W, SVG_H, SVG_W, SVG_H);
	/* TRANSLATORS: the class page: what the histogram shows, read aloud. */
	buf_markup(b, _("Students per tenth of the maximum score"));
	buf_puts(b, "\">\n");
	svg_axes(b);
	for (int i = 0; i < 10; i++)
		svg_bar(b, i, v->bins[i], top);
	buf_puts(b, "</svg>\n</div>\n");
}

static void html_findings(struct buf *b, const struct class_view *v)
{
	buf_puts(b, "<h2>");
	/* TRANSLATORS: the class page: a heading. */
	buf_markup(b, _("Most common findings"));
	buf_puts(b, "</h2>\n");
	if (v->nfindings == 0) {
		buf_puts(b, "<p>");
		buf_markup(b, _("No findings."));
		buf_puts(b, "</p>\n");
		return;
	}
	buf_puts(b, "<ul class=\"findings\">\n");
	for (size_t i = 0; i < v->nfindings; i++) {
		const struct class_finding *f = &v->findings[i];
		char *who = xasprintf(P_("%d student", "%d students", f->students), f->students);
		buf_puts(b, "<li><b>");
		buf_markup(b, who);
		free(who);
		buf_puts(b, "</b>: <code>");
		buf_markup(b, f->kind);
		buf_puts(b, "</code>");
		/* TRANSLATORS: the class page: "2 students: deadlock in 02-pipe" (a finding in
		   an exercise). */
		buf_markup(b, C_("class page", " in "));
		buf_markup(b, f->exercise);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

static void html_cases(struct buf *b, const struct class_view *v)
{
	buf_puts(b, "<h2>");
	/* TRANSLATORS: the class page: a heading. */
	buf_markup(b, _("Cases failed most often"));
	buf_puts(b, "</h2>\n");
	if (v->ncases == 0) {
		buf_puts(b, "<p>");
		/* TRANSLATORS: the class page: no case was failed. */
		buf_markup(b, _("None."));
		buf_puts(b, "</p>\n");
		return;
	}
	buf_puts(b, "<ul class=\"findings\">\n");
	for (size_t i = 0; i < v->ncases; i++) {
		const struct class_case *c = &v->cases[i];
		/* TRANSLATORS: the class page: "3 of 12" students failed a case. */
		char *of = xasprintf(_("%d of %d"), c->failed, c->graded);
		buf_puts(b, "<li><b>");
		buf_markup(b, of);
		free(of);
		buf_puts(b, "</b>: ");
		buf_markup(b, c->exercise);
		buf_puts(b, " / ");
		buf_markup(b, c->name);
		/* TRANSLATORS: the class page: a case, then "(most often deadlock: 2)", the
		   finding most students of those who failed it had. */
		buf_markup(b, _(" (most often "));
		buf_puts(b, "<code>");
		buf_markup(b, c->kind);
		buf_printf(b, "</code>: %d)</li>\n", c->with_kind);
	}
	buf_puts(b, "</ul>\n");
}

/* One exercise's cell: empty when not handed in, else the points, linked to the report. */
static void html_score(struct buf *b, const struct class_row *r, size_t e)
{
	double s = r->scores ? r->scores[e] : NAN;
	const char *report = r->reports ? r->reports[e] : NULL;
	if (isnan(s)) {
		buf_puts(b, "<td class=\"num\"></td>");
		return;
	}
	buf_puts(b, "<td class=\"num\">");
	if (report) {
		buf_puts(b, "<a href=\"");
		url_path(b, report);
		buf_printf(b, "\">%g</a></td>", s);
	} else {
		buf_printf(b, "%g</td>", s);
	}
}

static void html_row(struct buf *b, const struct class_view *v, const struct class_row *r)
{
	buf_puts(b, "<tr><td>");
	buf_markup(b, r->student);
	buf_puts(b, "</td>");
	for (size_t e = 0; e < v->nexercises; e++)
		html_score(b, r, e);
	buf_printf(b, "<td class=\"num\">%g / %g</td><td><span class=\"status ", r->total, r->max);
	status_class(b, r->status);
	buf_puts(b, "\">");
	buf_markup(b, status_words(r->status));
	buf_puts(b, "</span></td></tr>\n");
}

static void html_table(struct buf *b, const struct class_view *v)
{
	buf_puts(b, "<h2>");
	/* TRANSLATORS: the class page: a heading, then the table's columns. */
	buf_markup(b, _("Students"));
	buf_puts(b, "</h2>\n<div class=\"scroll\">\n<table>\n<thead><tr><th>");
	buf_markup(b, _("Student"));
	buf_puts(b, "</th>");
	for (size_t e = 0; e < v->nexercises; e++) {
		buf_puts(b, "<th class=\"num\">");
		buf_markup(b, v->exercises[e]);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "<th class=\"num\">");
	buf_markup(b, _("Total"));
	buf_puts(b, "</th><th>");
	buf_markup(b, _("Status"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < v->nrows; i++)
		html_row(b, v, &v->rows[i]);
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
}

int report_write_class_html(FILE *out, const struct class_view *v)
{
	struct buf b = BUF_INIT;
	page_head(&b, v);
	svg_histogram(&b, v);
	html_findings(&b, v);
	html_cases(&b, v);
	html_table(&b, v);
	buf_puts(&b, "</main>\n</body>\n</html>\n");
	size_t n = fwrite(b.data, 1, b.len, out);
	int rc = n == b.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&b);
	return rc;
}
