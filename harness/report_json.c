/* report_json.c: the Gradescope results.json shape (see report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "run.h"

void report_json_string(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	buf_append(out, "\"", 1);
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		if (c == '"' || c == '\\') {
			buf_printf(out, "\\%c", c);
		} else if (c == '\n') {
			buf_puts(out, "\\n");
		} else if (c == '\t') {
			buf_puts(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\u%04x", c);
		} else if (c >= 0x80) {
			unsigned int cp = 0;
			size_t n = utf8_decode(u + i, len - i, &cp);
			if (n == 0) {
				buf_puts(out, "\\ufffd");
				i++;
				continue;
			}
			if (utf8_hidden(cp) && cp > 0xffff) /* as a surrogate pair */
				buf_printf(out, "\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10),
					   0xdc00 + ((cp - 0x10000) & 0x3ff));
			else if (utf8_hidden(cp))
				buf_printf(out, "\\u%04x", cp);
			else
				buf_append(out, u + i, n);
			i += n;
			continue;
		} else {
			buf_append(out, &u[i], 1);
		}
		i++;
	}
	buf_append(out, "\"", 1);
}

static void json_str(struct buf *out, const char *s)
{
	report_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

static const char *visibility_name(const struct test_case *tc)
{
	switch (tc->visibility) {
	case VIS_HIDDEN:
		return "hidden";
	case VIS_AFTER_PUBLISHED:
		return "after_published";
	default:
		return "visible";
	}
}

/* The human-readable output of one case: its findings and, on failure, the hint. */
static void case_output(struct buf *out, const struct case_result *cr)
{
	for (size_t i = 0; i < cr->findings.n; i++)
		buf_printf(out, "%s%s", i ? "\n" : "", cr->findings.v[i].message);
	if (cr->tc->hint && !findings_has(&cr->findings, FINDING_PASS))
		buf_printf(out, "\n%s %s", L("Hint:", "Pista:"), cr->tc->hint);
}

static void write_findings(struct buf *j, const struct case_result *cr)
{
	buf_puts(j, "\"findings\": [");
	for (size_t i = 0; i < cr->findings.n; i++) {
		const struct finding *f = &cr->findings.v[i];
		buf_puts(j, i ? ", {\"kind\": " : "{\"kind\": ");
		json_str(j, finding_kind_name(f->kind));
		buf_puts(j, ", \"message\": ");
		json_str(j, f->message);
		if (f->stream) {
			buf_puts(j, ", \"stream\": ");
			json_str(j, f->stream);
		}
		if (f->fields)
			buf_printf(j, ", %s", f->fields);
		buf_puts(j, "}");
	}
	buf_puts(j, "]");
}

static void write_case(struct buf *j, const struct case_result *cr, const char *prefix)
{
	struct buf text = BUF_INIT;
	case_output(&text, cr);
	buf_puts(j, "    {\"name\": ");
	char *name = xasprintf("%s%s", prefix, cr->tc->name);
	json_str(j, name);
	free(name);
	buf_printf(j, ", \"score\": %g, \"max_score\": %g, \"status\": \"%s\", \"output\": ",
		   cr->score, cr->max_score,
		   findings_has(&cr->findings, FINDING_PASS) ? "passed" : "failed");
	json_str(j, text.data);
	buf_printf(j, ", \"visibility\": \"%s\", \"execution_time\": %.3f,\n     \"extra_data\": {",
		   visibility_name(cr->tc), cr->wall_s);
	write_findings(j, cr);
	if (cr->ran) {
		buf_printf(j, ", \"exit_code\": %d, \"signal\": %d, \"cpu_time\": %.3f, \"stdout\": ",
			   cr->exit_code, cr->term_signal, cr->cpu_s);
		report_json_string(j, cr->out.data, cr->out.len);
		buf_puts(j, ", \"stderr\": ");
		report_json_string(j, cr->err.data, cr->err.len);
		buf_printf(j, ", \"monitored\": %s", cr->monitored ? "true" : "false");
		if (cr->monitored)
			buf_printf(j, ", \"processes\": %d, \"pipes\": %d, \"process_tree\": %s",
				   cr->processes, cr->pipes, cr->tree_json ? cr->tree_json : "[]");
		if (cr->graph_dot) {
			buf_printf(j, ", \"stuck_after\": %.3f, \"graph_dot\": ", cr->stuck_after_s);
			json_str(j, cr->graph_dot);
		}
	}
	buf_puts(j, "}}");
	buf_free(&text);
}

int report_write_json(FILE *out, const struct submission_result *res,
		      const struct report_options *opt)
{
	(void)opt;
	struct buf j = BUF_INIT;
	buf_printf(&j, "{\n  \"score\": %g,\n  \"max_score\": %g,\n"
		   "  \"execution_time\": %.3f,\n  \"output\": ", res->score, res->max_score,
		   res->wall_s);
	if (res->compiled)
		json_str(&j, L("The submission compiled.", "La entrega compila."));
	else
		report_json_string(&j, res->build_log.data, res->build_log.len);
	buf_puts(&j, ",\n  \"extra_data\": {\"exercise\": ");
	json_str(&j, res->ex->id);
	buf_puts(&j, ", \"submission\": ");
	json_str(&j, res->submission);
	buf_printf(&j, ", \"compiled\": %s, \"incomplete\": %s", res->compiled ? "true" : "false",
		   res->interrupted ? "true" : "false");
	if (res->interrupted) {
		buf_puts(&j, ", \"interrupted_by\": ");
		json_str(&j, run_signal_name(res->interrupted));
	}
	buf_puts(&j, ", \"protections\": ");
	json_str(&j, res->protections);
	if (res->unprotected) {
		buf_puts(&j, ", \"unprotected\": ");
		json_str(&j, res->unprotected);
	}
	buf_puts(&j, ", \"build_log\": ");
	report_json_string(&j, res->build_log.data, res->build_log.len);
	buf_puts(&j, "},\n  \"tests\": [\n");
	for (size_t i = 0; i < res->ncases; i++) {
		write_case(&j, &res->cases[i], "");
		buf_puts(&j, i + 1 < res->ncases ? ",\n" : "\n");
	}
	buf_puts(&j, "  ]\n}\n");
	size_t n = fwrite(j.data, 1, j.len, out);
	int rc = n == j.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&j);
	return rc;
}

int report_write_json_tests(FILE *out, const struct submission_result *res, const char *prefix)
{
	struct buf j = BUF_INIT;
	for (size_t i = 0; i < res->ncases; i++) {
		write_case(&j, &res->cases[i], prefix);
		if (i + 1 < res->ncases)
			buf_puts(&j, ",\n");
	}
	size_t n = j.len ? fwrite(j.data, 1, j.len, out) : 0;
	int rc = n == j.len && fflush(out) == 0 ? 0 : -1;
	buf_free(&j);
	return rc;
}
