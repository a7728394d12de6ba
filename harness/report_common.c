/* report_common.c: what the report formats share about a case: whether its details may be
 * shown (hidden cases), its kinds, and writing a finished report (see report.h). */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "report.h"

bool report_case_shown(const struct case_result *cr, const struct report_options *opt)
{
	return !cr->tc->hidden || (opt && opt->show_hidden);
}

const char *report_hidden_message(void)
{
	return _("This is a hidden case: its details are not shown.");
}

bool report_case_passed(const struct case_result *cr)
{
	return findings_has(&cr->findings, FINDING_PASS);
}

void report_case_kinds(struct buf *b, const struct case_result *cr, const char *sep)
{
	bool seen[FINDING_KIND_COUNT + 1] = { false };
	bool first = true;
	for (size_t i = 0; i < cr->findings.n; i++) {
		enum finding_kind k = cr->findings.v[i].kind;
		size_t slot = k < FINDING_KIND_COUNT ? (size_t)k : FINDING_KIND_COUNT;
		if (seen[slot])
			continue;
		seen[slot] = true;
		buf_printf(b, "%s%s", first ? "" : sep, finding_kind_name(k));
		first = false;
	}
	if (!b->data)
		buf_puts(b, "");
}

void report_put_trimmed(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	while (n > 0 && s[n - 1] == '\n')
		n--;
	buf_append(b, s, n);
}

int report_emit(FILE *out, struct buf *b)
{
	size_t n = b->len ? fwrite(b->data, 1, b->len, out) : 0;
	int rc = n == b->len && fflush(out) == 0 && !ferror(out) ? 0 : -1;
	buf_free(b);
	return rc;
}
