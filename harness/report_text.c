/* report_text.c: the report people read in a terminal (see report.h).
 *
 * Every string that may hold a submission's bytes (or a config's) is written through vis() or
 * vis_indented(), which make it visible with buf_visible() (util.h); the colour codes below
 * are the only escape sequences the report ever contains. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "i18n.h"
#include "report.h"
#include "report_monitor.h"

#define NAME_WIDTH 44

struct text {
	struct buf b;
	const struct report_options *opt;
};

static const char *color(const struct text *t, const char *code)
{
	return t->opt->color ? code : "";
}

#define GREEN "\033[32m"
#define RED "\033[31m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Appends `s` (NULL: nothing) made visible; newlines too unless `keep_newlines`. */
static void vis(struct buf *b, const char *s, bool keep_newlines)
{
	if (s)
		buf_visible(b, s, strlen(s), keep_newlines);
}

void report_text_safe(struct buf *out, const char *s)
{
	vis(out, s, false);
}

static bool case_passed(const struct case_result *cr)
{
	return findings_has(&cr->findings, FINDING_PASS);
}

/* Kinds of the failure findings, comma separated; output findings name their stream when it
 * is not stdout ("wrong_output (stderr)"). */
static void kinds(struct buf *b, const struct case_result *cr)
{
	const struct finding *v = cr->findings.v;
	for (size_t i = 0, n; i < cr->findings.n; i += n) {
		/* the same kind over and over (one fd_leak per process): "fd_leak ×50" */
		for (n = 1; i + n < cr->findings.n && v[i + n].kind == v[i].kind && !v[i].stream &&
			    !v[i + n].stream;
		     n++)
			;
		buf_printf(b, "%s%s", i ? ", " : "", finding_kind_name(v[i].kind));
		if (v[i].stream && strcmp(v[i].stream, "stdout")) {
			buf_puts(b, " (");
			vis(b, v[i].stream, false);
			buf_puts(b, ")");
		}
		if (n > 1)
			buf_printf(b, " ×%zu", n);
	}
}

static void summary_line(struct text *t, const struct case_result *cr)
{
	bool ok = case_passed(cr);
	buf_printf(&t->b, "  %s%s%s ", color(t, ok ? GREEN : RED), ok ? "✔" : "✘", color(t, RESET));
	size_t start = t->b.len;
	vis(&t->b, cr->tc->name, false);
	size_t w = utf8_columns(t->b.data + start);
	for (size_t i = w; i < NAME_WIDTH; i++)
		buf_puts(&t->b, " ");
	char pts[64];
	snprintf(pts, sizeof pts, "%g/%g", cr->score, cr->max_score);
	buf_printf(&t->b, " %9s", pts);
	if (!ok) {
		buf_printf(&t->b, "  %s", color(t, RED));
		kinds(&t->b, cr);
		buf_puts(&t->b, color(t, RESET));
	}
	if (cr->tc->hidden)
		buf_printf(&t->b, "  %s%s%s", color(t, DIM), L("(hidden)", "(oculto)"),
			   color(t, RESET));
	buf_puts(&t->b, "\n");
}

/* Every line of `text`, indented. */
static void indented(struct buf *b, const char *text, const char *indent)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		buf_printf(b, "%s%.*s\n", indent, (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

/* Every line of `len` bytes of `s` (any bytes), made visible and indented. */
static void vis_indented(struct buf *b, const char *s, size_t len, const char *indent)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, len, true);
	indented(b, v.data, indent);
	buf_free(&v);
}

static void case_input(struct text *t, const struct exercise *ex, const struct test_case *tc)
{
	buf_puts(&t->b, L("    command: ./", "    orden: ./"));
	vis(&t->b, ex->binary, false);
	for (size_t i = 0; i < tc->args.n; i++) {
		buf_puts(&t->b, " '");
		compare_visible(&t->b, tc->args.v[i], strlen(tc->args.v[i]));
		buf_puts(&t->b, "'");
	}
	buf_puts(&t->b, "\n");
	if (tc->in.size > 0)
		buf_printf(&t->b, L("    stdin: %zu bytes\n", "    stdin: %zu bytes\n"),
			   tc->in.size);
}

static void case_details(struct text *t, const struct exercise *ex, const struct case_result *cr)
{
	const struct test_case *tc = cr->tc;
	buf_printf(&t->b, "\n%s── ", color(t, BOLD));
	vis(&t->b, tc->name, false);
	buf_printf(&t->b, " ──%s\n", color(t, RESET));
	if (tc->hidden && !t->opt->show_hidden) {
		buf_puts(&t->b, L("    This is a hidden case: its details are not shown.\n",
				  "    Es un caso oculto: no se muestran sus detalles.\n"));
		return;
	}
	case_input(t, ex, tc);
	for (size_t i = 0; i < cr->findings.n; i++) {
		const struct finding *f = &cr->findings.v[i];
		buf_printf(&t->b, "    %s[%s]%s\n", color(t, RED), finding_kind_name(f->kind),
			   color(t, RESET));
		vis_indented(&t->b, f->message, strlen(f->message), "    ");
		if (t->opt->explain && f->details &&
		    (f->kind == FINDING_DEADLOCK || f->kind == FINDING_HANG)) {
			char *picture = report_graph_text(&f->details->snap);
			buf_printf(&t->b,
				   L("    found after %.2f s; at that moment:\n",
				     "    detectado a los %.2f s; en ese momento:\n"),
				   cr->stuck_after_s);
			vis_indented(&t->b, picture, strlen(picture), "      ");
			free(picture);
		}
	}
	if (tc->hint) {
		buf_printf(&t->b, "    %s%s%s ", color(t, BOLD), L("Hint:", "Pista:"),
			   color(t, RESET));
		vis(&t->b, tc->hint, true);
		buf_puts(&t->b, "\n");
	}
}

/* Some case wanted the monitor but ran without it. */
static bool monitor_refused(const struct submission_result *res)
{
	for (size_t i = 0; i < res->ncases; i++)
		if (res->cases[i].monitor_wanted && !res->cases[i].monitored)
			return true;
	return false;
}

/* "label" + `value` made visible (one line) + "\n"; nothing when `value` is NULL. */
static void field_line(struct buf *b, const char *label, const char *value)
{
	if (!value)
		return;
	buf_puts(b, label);
	vis(b, value, false);
	buf_puts(b, "\n");
}

/* Whether it built, and the build log: always when it failed, with -v when it built. */
static void build_status(struct text *t, const struct submission_result *res)
{
	if (res->compiled) {
		buf_printf(&t->b, L("build: ok (%.2f s)\n", "compilación: correcta (%.2f s)\n"),
			   res->build_s);
		if (t->opt->verbose && res->build_log.len)
			vis_indented(&t->b, res->build_log.data, res->build_log.len, "    ");
		return;
	}
	buf_printf(&t->b, "%s%s%s\n", color(t, RED), L("build: FAILED", "compilación: FALLIDA"),
		   color(t, RESET));
	struct buf shown = BUF_INIT;
	compare_visible(&shown, res->build_log.data, res->build_log.len);
	indented(&t->b, shown.data ? shown.data : "", "    ");
	buf_free(&shown);
}

static void header(struct text *t, const struct submission_result *res)
{
	buf_puts(&t->b, color(t, BOLD));
	vis(&t->b, res->ex->id, false);
	if (res->ex->title) {
		buf_puts(&t->b, " — ");
		vis(&t->b, res->ex->title, false);
	}
	buf_printf(&t->b, "%s\n", color(t, RESET));
	field_line(&t->b, L("submission: ", "entrega: "), res->submission);
	field_line(&t->b, L("protections: ", "protecciones: "), res->protections);
	if (res->unprotected) {
		buf_printf(&t->b, L("%sunprotected%s", "%ssin protección%s"), color(t, RED),
			   color(t, RESET));
		field_line(&t->b, ": ", res->unprotected);
	}
	build_status(t, res);
	if (monitor_refused(res))
		buf_puts(&t->b,
			 L("note: the kernel refused to let pipegrade trace the processes "
			   "(ptrace), so deadlocks, hangs, fd leaks, orphans and structure were not "
			   "checked.\n",
			   "nota: el núcleo no dejó a pipegrade seguir los procesos (ptrace): no se "
			   "comprobaron bloqueos, descriptores abiertos, huérfanos ni estructura.\n"));
	buf_puts(&t->b, "\n");
}

int report_write_text(FILE *out, const struct submission_result *res,
		      const struct report_options *opt)
{
	struct text t = { BUF_INIT, opt };
	header(&t, res);
	for (size_t i = 0; i < res->ncases; i++)
		summary_line(&t, &res->cases[i]);
	buf_printf(&t.b, "\n%s%s %g/%g%s\n", color(&t, BOLD), L("Score:", "Nota:"), res->score,
		   res->max_score, color(&t, RESET));
	if (res->interrupted)
		buf_printf(&t.b,
			   L("%sINCOMPLETE%s: pipegrade was interrupted by %s after %zu of %zu "
			     "cases.\n",
			     "%sINCOMPLETO%s: pipegrade se interrumpió por %s después de %zu de "
			     "%zu casos.\n"),
			   color(&t, RED), color(&t, RESET), signal_name(res->interrupted),
			   res->ncases, res->total_cases);
	if (res->compiled) {
		for (size_t i = 0; i < res->ncases; i++)
			if (!case_passed(&res->cases[i]))
				case_details(&t, res->ex, &res->cases[i]);
	}
	size_t n = fwrite(t.b.data, 1, t.b.len, out);
	int rc = n == t.b.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&t.b);
	return rc;
}
