/* report_text.c: the report people read in a terminal (see report.h).
 *
 * Every string that may hold a submission's bytes (or a config's) is written through vis() or
 * vis_indented(), which make it visible with buf_visible() (util.h); the colour codes below
 * are the only escape sequences the report ever contains. */
#include <stdint.h>
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

/* Some finding is a note (grading.yaml's fd_leak policy): shown, though it costs nothing. */
static bool has_notes(const struct case_result *cr)
{
	for (size_t i = 0; i < cr->findings.n; i++)
		if (cr->findings.v[i].note)
			return true;
	return false;
}

/* Kinds of the failure findings, comma separated; with `streams`, output findings name their
 * stream when it is not stdout ("wrong_output (stderr)", "wrong_output (file out.txt)"): not
 * for a hidden case, whose files are its details. */
static void kinds(struct buf *b, const struct case_result *cr, bool streams)
{
	const struct finding *v = cr->findings.v;
	for (size_t i = 0, n; i < cr->findings.n; i += n) {
		/* the same kind over and over (one fd_leak per process): "fd_leak ×50" */
		for (n = 1; i + n < cr->findings.n && v[i + n].kind == v[i].kind && !v[i].stream &&
			    !v[i + n].stream;
		     n++)
			;
		buf_printf(b, "%s%s", i ? ", " : "", finding_kind_name(v[i].kind));
		if (streams && v[i].stream && strcmp(v[i].stream, "stdout")) {
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
	bool ok = report_case_passed(cr);
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
		kinds(&t->b, cr, report_case_shown(cr, t->opt));
		buf_puts(&t->b, color(t, RESET));
	} else if (has_notes(cr)) {
		buf_printf(&t->b, "  %s%s", color(t, DIM), _("note: "));
		for (size_t i = 0, n = 0; i < cr->findings.n; i++)
			if (cr->findings.v[i].note &&
			    (i == 0 || cr->findings.v[i - 1].kind != cr->findings.v[i].kind))
				buf_printf(&t->b, "%s%s", n++ ? ", " : "",
					   finding_kind_name(cr->findings.v[i].kind));
		buf_puts(&t->b, color(t, RESET));
	}
	if (cr->tc->hidden)
		buf_printf(&t->b, "  %s%s%s", color(t, DIM), _("(hidden)"), color(t, RESET));
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

#define STDIN_LINES 5

/* What the case feeds on stdin: the first lines of a text, a text repeated, or a file. */
static void case_stdin(struct text *t, const struct data *in)
{
	if (in->size == 0)
		return;
	if (in->file) {
		char *base = path_basename(in->file);
		buf_puts(&t->b, _("    stdin: the file "));
		vis(&t->b, base, false);
		buf_printf(&t->b, P_(" (%zu bytes)\n", " (%zu bytes)\n", in->size), in->size);
		free(base);
		return;
	}
	if (in->times > 1) {
		buf_printf(&t->b, _("    stdin: %zu bytes, this text %llu times: "), in->size,
			   in->times);
		struct buf one = BUF_INIT;
		compare_visible(&one, in->text, in->len < 60 ? in->len : 60);
		buf_printf(&t->b, "'%.*s'%s\n", (int)strcspn(one.data, "\n"), one.data,
			   in->len > 60 ? "..." : "");
		buf_free(&one);
		return;
	}
	size_t end = 0;
	for (int line = 0; end < in->len && line < STDIN_LINES; line++) {
		const char *nl = memchr(in->text + end, '\n', in->len - end);
		end = nl ? (size_t)(nl - in->text) + 1 : in->len;
	}
	buf_printf(&t->b, _("    stdin (%zu bytes):\n"), in->size);
	struct buf shown = BUF_INIT;
	compare_visible(&shown, in->text, end);
	indented(&t->b, shown.data ? shown.data : "", "      | ");
	if (end < in->len)
		buf_printf(&t->b, _("      [... %zu more bytes]\n"), in->len - end);
	buf_free(&shown);
}

static void case_input(struct text *t, const struct exercise *ex, const struct test_case *tc)
{
	buf_puts(&t->b, _("    command: "));
	if (ex->python) { /* a script: `python3 hello.py` */
		vis(&t->b, ex->python, false);
		buf_puts(&t->b, " ");
	} else {
		buf_puts(&t->b, "./");
	}
	vis(&t->b, ex->binary, false);
	for (size_t i = 0; i < tc->args.n; i++) {
		buf_puts(&t->b, " '");
		compare_visible(&t->b, tc->args.v[i], strlen(tc->args.v[i]));
		buf_puts(&t->b, "'");
	}
	buf_puts(&t->b, "\n");
	case_stdin(t, &tc->in);
	for (size_t i = 0; i < tc->nfiles; i++) {
		const struct case_file *f = &tc->files[i];
		buf_puts(&t->b, _("    file: "));
		vis(&t->b, f->path, false);
		buf_printf(&t->b, _(" (%zu bytes, mode %04o)\n"), f->data.size, (unsigned)f->perm);
	}
}

/* A finding as it would read in another case: its kind and message with every "pid N" as
 * "pid #" (the same leak in two cases differs only by its pids). Free with free(). */
static char *finding_key(const struct finding *f)
{
	struct buf k = BUF_INIT;
	buf_printf(&k, "%s:", finding_kind_name(f->kind));
	for (const char *p = f->message; *p;) {
		if (!strncmp(p, "pid ", 4) && p[4] >= '0' && p[4] <= '9') {
			buf_puts(&k, "pid #");
			for (p += 4; *p >= '0' && *p <= '9'; p++)
				;
		} else {
			buf_append(&k, p++, 1);
		}
	}
	return buf_detach(&k);
}

/* Whether case `i`'s details are shown: it lost points and it is not hidden from the
 * reader. */
static bool details_shown(const struct text *t, const struct submission_result *res, size_t i)
{
	const struct case_result *cr = &res->cases[i];
	return (!report_case_passed(cr) || has_notes(cr)) && report_case_shown(cr, t->opt);
}

/* The first shown case, from `from` on, that has a finding with this key; SIZE_MAX when
 * none. */
static size_t case_with(const struct text *t, const struct submission_result *res, size_t from,
			const char *key)
{
	for (size_t j = from; j < res->ncases; j++) {
		if (!details_shown(t, res, j))
			continue;
		for (size_t k = 0; k < res->cases[j].findings.n; k++) {
			char *other = finding_key(&res->cases[j].findings.v[k]);
			bool same = !strcmp(other, key);
			free(other);
			if (same)
				return j;
		}
	}
	return SIZE_MAX;
}

static void hint_line(struct text *t, const char *hint)
{
	buf_printf(&t->b, "    %s%s%s ", color(t, BOLD), _("Hint:"), color(t, RESET));
	vis(&t->b, hint, true);
	buf_puts(&t->b, "\n");
}

/* One finding of case `i`: in full the first time it is seen, with the other cases where it
 * is the same; later, a reference to that first case. */
static void finding_text(struct text *t, const struct submission_result *res, size_t i,
			 const struct finding *f)
{
	const struct case_result *cr = &res->cases[i];
	const char *note = _(" (a note: it costs no points)");
	buf_printf(&t->b, "    %s[%s]%s%s\n", color(t, RED), finding_kind_name(f->kind),
		   color(t, RESET), f->note ? note : "");
	char *key = finding_key(f);
	size_t first = i ? case_with(t, res, 0, key) : SIZE_MAX;
	if (first < i) {
		buf_puts(&t->b, _("    The same as in case '"));
		vis(&t->b, res->cases[first].tc->name, false);
		buf_puts(&t->b, _("' above.\n"));
		free(key);
		return;
	}
	vis_indented(&t->b, f->message, strlen(f->message), "    ");
	size_t others = 0;
	for (size_t j = case_with(t, res, i + 1, key); j < res->ncases;
	     j = case_with(t, res, j + 1, key)) {
		buf_puts(&t->b, others++ ? "', '" : _("    (the same in: '"));
		vis(&t->b, res->cases[j].tc->name, false);
	}
	if (others)
		buf_puts(&t->b, "')\n");
	free(key);
	if (t->opt->explain && f->details &&
	    (f->kind == FINDING_DEADLOCK || f->kind == FINDING_HANG)) {
		char *picture = report_graph_text(&f->details->snap);
		buf_printf(&t->b, _("    found after %.2f s; at that moment:\n"),
			   cr->stuck_after_s);
		vis_indented(&t->b, picture, strlen(picture), "      ");
		free(picture);
	}
}

/* Whether an fd_leak finding is about pipe ends (*pipes) or other fds (*others). */
static void leaked_kinds(const struct finding *f, bool *pipes, bool *others)
{
	if (!f->details) {
		*pipes = true;
		return;
	}
	const struct monitor_snapshot *s = &f->details->snap;
	for (size_t p = 0; p < s->nprocs; p++)
		for (size_t k = 0; k < s->procs[p].nfds; k++) {
			if (s->procs[p].fds[k].kind == MONITOR_FD_PIPE)
				*pipes = true;
			else
				*others = true;
		}
}

/* A replayed case, with --explain: which process ran at each step, and what the seed chose. */
static void interleaving(struct text *t, const struct case_result *cr)
{
	buf_printf(&t->b, _("    the interleaving under seed %llu:\n"), cr->seed);
	if (!cr->schedule.seed) {
		buf_puts(&t->b, _("      (the monitor recorded none)\n"));
		return;
	}
	char *text = report_sched_text(&cr->schedule, &cr->tree);
	vis_indented(&t->b, text, strlen(text), "      ");
	free(text);
}

/* Whether case `i` gets a section of details: it lost points or has notes, or it was replayed
 * and --explain shows its interleaving. */
static bool has_details(const struct text *t, const struct case_result *cr)
{
	return !report_case_passed(cr) || has_notes(cr) || (t->opt->explain && cr->seed);
}

static void case_details(struct text *t, const struct submission_result *res, size_t i)
{
	const struct case_result *cr = &res->cases[i];
	const struct test_case *tc = cr->tc;
	buf_printf(&t->b, "\n%s── ", color(t, BOLD));
	vis(&t->b, tc->name, false);
	buf_printf(&t->b, " ──%s\n", color(t, RESET));
	if (!report_case_shown(cr, t->opt)) {
		buf_printf(&t->b, "    %s\n", report_hidden_message());
		return;
	}
	case_input(t, res->ex, tc);
	bool leak = false, leak_file = false, orphan = false, other = false;
	for (size_t k = 0; k < cr->findings.n; k++) {
		const struct finding *f = &cr->findings.v[k];
		if (f->kind == FINDING_PASS)
			continue; /* a case with notes */
		finding_text(t, res, i, f);
		if (f->kind == FINDING_FD_LEAK)
			leaked_kinds(f, &leak, &leak_file);
		orphan = orphan || f->kind == FINDING_ORPHAN;
		other = other || (f->kind != FINDING_FD_LEAK && f->kind != FINDING_ORPHAN);
	}
	/* the case's hint is about its output: only for what the output got wrong */
	if (ltext_get(&tc->hint) && other)
		hint_line(t, ltext_get(&tc->hint));
	if (leak_file)
		hint_line(t,
			  _("a program should start with only fds 0, 1 and 2: once dup2() has put "
			    "what it needs on 0 and 1, close every other fd before exec(), and "
			    "each file once you are done with it (or open it with O_CLOEXEC)."));
	if (leak)
		hint_line(t, _("close in each process the pipe ends it does not use, right after "
			       "fork() and before exec(); and each end you used once you are done "
			       "with it. A reader only sees EOF when every write end is closed."));
	if (orphan)
		hint_line(t, _("wait for every child you fork (wait() or waitpid()) before the "
			       "process that forked it ends."));
	if (t->opt->explain && cr->seed)
		interleaving(t, cr);
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

/* The result's notes, one "note: " line each. */
static void notes(struct text *t, const struct submission_result *res)
{
	for (const char *p = res->notes.data; p && *p;) {
		size_t n = strcspn(p, "\n");
		buf_puts(&t->b, _("note: "));
		buf_visible(&t->b, p, n, false);
		buf_puts(&t->b, "\n");
		p += n + (p[n] == '\n');
	}
}

/* Whether it built, and the build log: always when it failed, with -v when it built (without
 * -v, the start of its warnings). */
static void build_status(struct text *t, const struct submission_result *res)
{
	if (res->compiled) {
		buf_printf(&t->b, _("build: ok (%.2f s)\n"), res->build_s);
		if (t->opt->verbose && res->build_log.len)
			vis_indented(&t->b, res->build_log.data, res->build_log.len, "    ");
		else if (res->build_warnings.len)
			vis_indented(&t->b, res->build_warnings.data, res->build_warnings.len,
				     "    ");
		notes(t, res);
		return;
	}
	buf_printf(&t->b, "%s%s%s\n", color(t, RED), _("build: FAILED"), color(t, RESET));
	struct buf shown = BUF_INIT;
	compare_visible(&shown, res->build_log.data, res->build_log.len);
	indented(&t->b, shown.data ? shown.data : "", "    ");
	buf_free(&shown);
}

static void header(struct text *t, const struct submission_result *res)
{
	buf_puts(&t->b, color(t, BOLD));
	vis(&t->b, res->ex->id, false);
	if (ltext_get(&res->ex->title)) {
		buf_puts(&t->b, " — ");
		vis(&t->b, ltext_get(&res->ex->title), false);
	}
	buf_printf(&t->b, "%s\n", color(t, RESET));
	field_line(&t->b, _("submission: "), res->submission);
	field_line(&t->b, _("protections: "), res->protections);
	if (res->unprotected) {
		buf_printf(&t->b, _("%sunprotected%s"), color(t, RED), color(t, RESET));
		field_line(&t->b, ": ", res->unprotected);
	}
	build_status(t, res);
	if (monitor_refused(res))
		buf_puts(&t->b,
			 _("note: the kernel refused to let pipegrade trace the processes "
			   "(ptrace), so deadlocks, hangs, fd leaks, orphans and structure were not "
			   "checked.\n"));
	buf_puts(&t->b, "\n");
}

/* One submission's report. */
static void submission_text(struct text *t, const struct submission_result *res)
{
	header(t, res);
	size_t passed_not_shown = 0;
	for (size_t i = 0; i < res->ncases; i++) {
		if (t->opt->failures_only && report_case_passed(&res->cases[i]))
			passed_not_shown++;
		else
			summary_line(t, &res->cases[i]);
	}
	if (passed_not_shown)
		buf_printf(&t->b,
			   passed_not_shown == 1
				   ? _("  (%zu passed case not shown: --failures-only)\n")
				   : _("  (%zu passed cases not shown: --failures-only)\n"),
			   passed_not_shown);
	buf_printf(&t->b, "\n%s%s %g/%g%s\n", color(t, BOLD), _("Score:"), res->score,
		   res->max_score, color(t, RESET));
	if (res->interrupted)
		buf_printf(&t->b,
			   _("%sINCOMPLETE%s: pipegrade was interrupted by %s after %zu of %zu "
			     "cases.\n"),
			   color(t, RED), color(t, RESET), signal_name(res->interrupted),
			   res->ncases, res->total_cases);
	if (res->compiled) {
		for (size_t i = 0; i < res->ncases; i++)
			if (has_details(t, &res->cases[i]))
				case_details(t, res, i);
	}
}

int report_write_text(FILE *out, const struct submission_result *res, size_t n,
		      const struct report_options *opt)
{
	struct text t = { BUF_INIT, opt };
	double score = 0, max = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&t.b, "\n");
		submission_text(&t, &res[i]);
		score += res[i].score;
		max += res[i].max_score;
	}
	if (n > 1)
		buf_printf(&t.b, _("\n%sTotal: %g/%g%s (%zu exercises)\n"), color(&t, BOLD), score,
			   max, color(&t, RESET), n);
	size_t w = t.b.len ? fwrite(t.b.data, 1, t.b.len, out) : 0;
	int rc = w == t.b.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&t.b);
	return rc;
}
