/* report_github.c: GitHub Actions workflow commands, and the job's step summary (see report.h
 * and docs/formats.md).
 *
 * The runner reads every line of a step's output that starts with "::" as a command, so a
 * program that prints "::error::..." or "::add-mask::..." could forge annotations or change
 * the job. Two rules keep that from happening:
 *  - every text goes into one command line of ours: made visible (buf_visible(): no control
 *    byte survives) and then escaped as the Actions toolkit escapes it (escapeData and
 *    escapeProperty in its command.ts): '%', CR and LF as %25, %0D and %0A, and in a property
 *    value also ':' and ',' as %3A and %2C. An escaped text has no line break of its own;
 *  - the program's output, which runs over many lines, is written only between
 *    "::stop-commands::TOKEN" and "::TOKEN::", TOKEN 128 random bits from getrandom() that the
 *    program cannot know. Without a token the output is left out.
 * Hidden cases show only their kinds and report_hidden_message() (report_case_shown()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "report.h"
#include "monitor_facts.h"

/* The most bytes of each output stream of a case shown in its group. */
#define GITHUB_OUTPUT_MAX 4096

/* The most bytes of a .c file read to find main(). */
#define SOURCE_READ_MAX (1024 * 1024)

/* Appends `s` (NULL: nothing) made visible and escaped as a command's message, or, when
 * `property`, as a property's value (one line, ':' and ',' escaped too). */
static void escape(struct buf *b, const char *s, bool property)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, s ? strlen(s) : 0, !property);
	for (size_t i = 0; i < v.len; i++) {
		char c = v.data[i];
		const char *e = c == '%'               ? "%25"
				: c == '\r'            ? "%0D"
				: c == '\n'            ? "%0A"
				: property && c == ':' ? "%3A"
				: property && c == ',' ? "%2C"
						       : NULL;
		if (e)
			buf_puts(b, e);
		else
			buf_append(b, &c, 1);
	}
	buf_free(&v);
}

/* ---- the file an annotation points at ---- */

/* True when the regular file `path` has a line that defines main(): one that starts with a
 * type and holds "main(", or starts with "main(" (a type on the line before). */
static bool defines_main(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return false;
	struct stat st;
	struct buf text = BUF_INIT;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		char chunk[8192];
		ssize_t r;
		while (text.len < SOURCE_READ_MAX && (r = read(fd, chunk, sizeof chunk)) > 0)
			buf_append(&text, chunk, (size_t)r);
	}
	close(fd);
	bool found = false;
	regex_t re;
	if (text.data && regcomp(&re, "^([[:alpha:]_].*[^[:alnum:]_])?main[[:space:]]*\\(",
				 REG_EXTENDED | REG_NEWLINE | REG_NOSUB) == 0) {
		found = regexec(&re, text.data, 0, NULL, 0) == 0;
		regfree(&re);
	}
	buf_free(&text);
	return found;
}

/* The submission's main .c file, or the submission itself (malloc'd). */
static char *main_source(const char *submission)
{
	struct stat st;
	DIR *d;
	if (stat(submission, &st) < 0 || !S_ISDIR(st.st_mode) || !(d = opendir(submission)))
		return xstrdup(submission);
	struct strvec sources = STRVEC_INIT;
	const struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 2 && !strcmp(e->d_name + len - 2, ".c"))
			strvec_push(&sources, e->d_name);
	}
	closedir(d);
	strvec_sort(&sources, 0);
	char *found = NULL;
	for (size_t i = 0; !found && i < sources.n; i++) {
		char *path = xasprintf("%s/%s", submission, sources.v[i]);
		if (defines_main(path))
			found = path;
		else
			free(path);
	}
	if (!found && sources.n == 1)
		found = xasprintf("%s/%s", submission, sources.v[0]);
	strvec_free(&sources);
	return found ? found : xstrdup(submission);
}

char *report_source_file(const char *submission)
{
	char *file = main_source(submission);
	char *real = realpath(file, NULL);
	char *cwd = getcwd(NULL, 0);
	char *rel = NULL;
	if (real && cwd) {
		size_t n = strlen(cwd);
		if (!strcmp(cwd, "/"))
			rel = real[1] ? xstrdup(real + 1) : NULL;
		else if (!strncmp(real, cwd, n) && real[n] == '/')
			rel = xstrdup(real + n + 1);
	}
	free(real);
	free(cwd);
	if (!rel)
		return file;
	free(file);
	return rel;
}

/* ---- workflow commands ---- */

/* A fresh stop-commands token (32 hex digits) in `token`; false when no randomness could be
 * had. */
static bool make_token(char token[33])
{
	unsigned char raw[16];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	return true;
}

/* "EXERCISE: CASE", unescaped. */
static char *case_title(const struct submission_result *res, const struct case_result *cr)
{
	return xasprintf("%s: %s", res->ex->id, cr->tc->name);
}

/* The line of `file` the case's findings point at, or 0: a finding's own line, else the line
 * of the student's code the monitor's facts are most about (monitor_facts_site()), when it is
 * in that file. */
static int case_line(const struct case_result *cr, const char *file)
{
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;
	for (size_t i = 0; i < cr->findings.n; i++) {
		const struct finding *f = &cr->findings.v[i];
		const struct monitor_frame *fr = monitor_facts_site(f->details);
		if (f->line > 0)
			return f->line;
		if (fr && fr->line > 0 && !strcmp(fr->file, base))
			return fr->line;
	}
	return 0;
}

/* The message of a failed case's annotation: its points, then "[kind] message" per finding
 * (or its kinds and the hidden message). */
static void case_message(struct buf *m, const struct case_result *cr,
			 const struct report_options *opt)
{
	buf_printf(m, _("%g/%g points."), cr->score, cr->max_score);
	if (!report_case_shown(cr, opt)) {
		buf_puts(m, "\n[");
		report_case_kinds(m, cr, ", ");
		buf_printf(m, "] %s", report_hidden_message());
		return;
	}
	for (size_t i = 0; i < cr->findings.n; i++) {
		buf_printf(m, "\n[%s] ", finding_kind_name(cr->findings.v[i].kind));
		report_put_trimmed(m, cr->findings.v[i].message);
	}
}

/* `label` and the start of one output stream, made visible, ending with a newline. */
static void output_stream(struct buf *b, const char *label, const struct buf *s)
{
	if (!s->len)
		return;
	size_t len = s->len;
	if (len > GITHUB_OUTPUT_MAX) {
		len = GITHUB_OUTPUT_MAX;
		while (len > 0 && ((unsigned char)s->data[len] & 0xc0) == 0x80)
			len--;
	}
	buf_printf(b, "%s:\n", label);
	buf_visible(b, s->data, len, true);
	if (b->data[b->len - 1] != '\n')
		buf_puts(b, "\n");
	if (len < s->len)
		buf_printf(b, _("[%zu more bytes not shown]\n"), s->len - len);
}

/* The program's output of a failed case, in a group, with the runner's commands stopped. */
static void case_output(struct buf *b, const char *title, const struct case_result *cr,
			const char *token)
{
	if (!cr->ran || (!cr->out.len && !cr->err.len))
		return;
	buf_puts(b, "::group::");
	escape(b, title, false);
	buf_printf(b, "\n::stop-commands::%s\n", token);
	output_stream(b, "stdout", &cr->out);
	output_stream(b, "stderr", &cr->err);
	buf_printf(b, "::%s::\n::endgroup::\n", token);
}

static void github_case(struct buf *b, const struct submission_result *res, const char *file,
			const struct case_result *cr, const struct report_options *opt,
			const char *token)
{
	char *title = case_title(res, cr);
	buf_puts(b, "::error file=");
	escape(b, file, true);
	int line = report_case_shown(cr, opt) ? case_line(cr, file)
					      : 0; /* a hidden case says nothing */
	if (line > 0)
		buf_printf(b, ",line=%d", line);
	buf_puts(b, ",title=");
	escape(b, title, true);
	buf_puts(b, "::");
	struct buf m = BUF_INIT;
	case_message(&m, cr, opt);
	escape(b, m.data, false);
	buf_free(&m);
	buf_puts(b, "\n");
	if (token && report_case_shown(cr, opt))
		case_output(b, title, cr, token);
	free(title);
}

/* The sentence of an interrupted run. */
static void incomplete(struct buf *b, const struct submission_result *res)
{
	buf_printf(b, _("INCOMPLETE: pipegrade was interrupted by %s after %zu of %zu cases."),
		   signal_name(res->interrupted), res->ncases, res->total_cases);
}

/* "Score: 7/15", and each exercise's when there are several. */
static void score_line(struct buf *b, const struct submission_result *res, size_t n)
{
	double score = 0, max = 0;
	for (size_t i = 0; i < n; i++) {
		score += res[i].score;
		max += res[i].max_score;
	}
	buf_printf(b, "%s %g/%g", _("Score:"), score, max);
	for (size_t i = 0; n > 1 && i < n; i++)
		buf_printf(b, "%s%s %g/%g%s", i ? ", " : " (", res[i].ex->id, res[i].score,
			   res[i].max_score, i + 1 < n ? "" : ")");
}

int report_write_github(FILE *out, const struct submission_result *res, size_t n,
			const struct report_options *opt)
{
	struct buf b = BUF_INIT, s = BUF_INIT;
	char token[33];
	bool have_token = make_token(token);
	for (size_t i = 0; i < n; i++) {
		char *file = report_source_file(res[i].submission);
		for (size_t k = 0; k < res[i].ncases; k++)
			if (!report_case_passed(&res[i].cases[k]))
				github_case(&b, &res[i], file, &res[i].cases[k], opt,
					    have_token ? token : NULL);
		free(file);
		if (res[i].interrupted) {
			buf_puts(&b, "::warning title=");
			escape(&b, res[i].ex->id, true);
			buf_puts(&b, "::");
			buf_reset(&s);
			incomplete(&s, &res[i]);
			escape(&b, s.data, false);
			buf_puts(&b, "\n");
		}
	}
	buf_reset(&s);
	score_line(&s, res, n);
	buf_puts(&b, "::notice title=pipegrade::");
	escape(&b, s.data, false);
	buf_puts(&b, "\n");
	buf_free(&s);
	return report_emit(out, &b);
}

/* ---- the step summary ---- */

/* The findings cell of a case: "**kind**: message" per finding, or its kinds and the hidden
 * message. */
static void summary_findings(struct buf *b, const struct case_result *cr,
			     const struct report_options *opt)
{
	if (!report_case_shown(cr, opt)) {
		struct buf k = BUF_INIT;
		report_case_kinds(&k, cr, "**, **");
		buf_printf(b, "**%s**: ", k.data);
		report_markdown_text(b, report_hidden_message());
		buf_free(&k);
		return;
	}
	for (size_t i = 0; i < cr->findings.n; i++) {
		const struct finding *f = &cr->findings.v[i];
		buf_printf(b, "%s**%s**", i ? "<br>" : "", finding_kind_name(f->kind));
		if (f->kind == FINDING_PASS)
			continue;
		struct buf m = BUF_INIT;
		report_put_trimmed(&m, f->message);
		buf_puts(b, ": ");
		report_markdown_text(b, m.data);
		buf_free(&m);
	}
}

static void summary_result(struct buf *b, const struct submission_result *res,
			   const struct report_options *opt)
{
	buf_puts(b, "### ");
	report_markdown_text(b, res->ex->id);
	buf_printf(b, ": %g/%g\n\n", res->score, res->max_score);
	buf_puts(b, _("| case | points | findings |\n"));
	buf_puts(b, "| --- | --: | --- |\n");
	for (size_t i = 0; i < res->ncases; i++) {
		const struct case_result *cr = &res->cases[i];
		buf_printf(b, "| %s ", report_case_passed(cr) ? "✔" : "✘");
		report_markdown_text(b, cr->tc->name);
		if (cr->tc->hidden)
			buf_printf(b, " %s", _("(hidden)"));
		buf_printf(b, " | %g/%g | ", cr->score, cr->max_score);
		summary_findings(b, cr, opt);
		buf_puts(b, " |\n");
	}
	buf_puts(b, "\n");
	if (res->interrupted) {
		struct buf s = BUF_INIT;
		incomplete(&s, res);
		report_markdown_text(b, s.data);
		buf_puts(b, "\n\n");
		buf_free(&s);
	}
}

int report_append_step_summary(const char *path, const struct submission_result *res, size_t n,
			       const struct report_options *opt)
{
	struct buf b = BUF_INIT;
	if (n > 1) {
		struct buf s = BUF_INIT;
		score_line(&s, res, n);
		buf_puts(&b, "## ");
		report_markdown_text(&b, s.data);
		buf_puts(&b, "\n\n");
		buf_free(&s);
	}
	for (size_t i = 0; i < n; i++)
		summary_result(&b, &res[i], opt);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
	int rc = fd < 0 || write_all(fd, b.data, b.len) < 0 ? -1 : 0;
	int e = errno;
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	buf_free(&b);
	errno = e;
	return rc;
}
