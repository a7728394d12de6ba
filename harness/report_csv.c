/*
 * report_csv.c: cells of CSV files that spreadsheets open safely (see report.h).
 *
 * A cell is made visible first (buf_visible(), util.h), so what a spreadsheet shows is valid
 * UTF-8 without control characters. Then two rules: OWASP's against CSV (formula) injection,
 * a leading single quote before a first character a spreadsheet would take for the start of
 * a formula; and RFC 4180's quoting. Numbers are the caller's business (batch.c writes its own).
 */
#include <stdbool.h>
#include <string.h>

#include "report.h"

/* Whether a spreadsheet could read a cell starting with `c` as a formula (OWASP). */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Appends `len` bytes of `s` between double quotes, its double quotes doubled. */
static void quoted(struct buf *out, const char *s, size_t len)
{
	buf_puts(out, "\"");
	for (size_t i = 0; i < len; i++)
		buf_append(out, s[i] == '"' ? "\"\"" : &s[i], s[i] == '"' ? 2 : 1);
	buf_puts(out, "\"");
}

void report_csv_cell(struct buf *out, const char *s)
{
	struct buf v = BUF_INIT;
	buf_puts(&v, "'"); /* kept only for a formula-like cell */
	buf_visible(&v, s, s ? strlen(s) : 0, true);
	const char *text = v.data + 1;
	size_t len = v.len - 1;
	if (s && formula_start(s[0])) /* CR is `\x0d` by now: the rule reads the cell as given */
		quoted(out, v.data, v.len);
	else if (strpbrk(text, ",\"\r\n"))
		quoted(out, text, len);
	else
		buf_append(out, text, len);
	buf_free(&v);
}
