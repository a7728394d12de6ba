/*
 * compare.c: an output against a `struct expect`, and the explanation students read (compare.h).
 *
 * How an explanation for `exact` and `trailing_ws` is made:
 *   1. both texts are split into lines (struct text); under trailing_ws the lines are compared
 *      and shown without their trailing blanks, and trailing empty lines are dropped;
 *   2. common leading and trailing lines are skipped and the middle is diffed with an LCS table
 *      (struct diff). The table is bounded: a middle too large for it is diffed only in a window
 *      of DIFF_WINDOW lines from the first difference;
 *   3. the change blocks become at most DIFF_MAX_ROWS display rows with context (struct rows);
 *   4. each row is written with vis_line(), which makes invisible bytes visible, keeps valid
 *      UTF-8 and cuts long lines, and a note says how much was left out.
 * `exact` explanations start with one sentence when the only difference is invisible.
 * Every sentence a student reads is written in place as L("English", "Español") (i18n.h); a
 * phrase with a count is written whole in singular and in plural and chosen with plural(),
 * since Spanish changes more than a final "s" ("le falta 1 línea", "le faltan 2 líneas").
 */
#include "compare.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

enum {
	LINE_MAX_COLS = 200,  /* columns of one shown line before it is cut with "…" */
	FOCUS_AFTER = 150,    /* a difference further right than this is shown in a window... */
	FOCUS_COLS = 60,      /* ...starting this many columns before it */
	DIFF_MAX_ROWS = 40,   /* rows of diff in one explanation */
	DIFF_CONTEXT = 2,     /* unchanged lines shown around a change */
	DIFF_WINDOW = 2000,   /* lines of each side diffed when the whole would be too much work */
	CARET_MAX_PAIRS = 3,  /* changed line pairs get a '^' row only in blocks this small */
	PREVIEW_LINES = 10,   /* lines of output shown for contains and regex */
	NEEDLE_MAX_LINES = 20,
};

/* Cells of the LCS table; above this the middle is diffed in a window. */
#define DIFF_MAX_CELLS ((size_t)(DIFF_WINDOW + 1) * (DIFF_WINDOW + 1))

/* `one` when n is 1, `many` otherwise: both are whole phrases (usually L(...)), and format
 * strings keep their checks through format_arg. */
static const char *plural(size_t n, const char *one, const char *many)
	__attribute__((format_arg(2))) __attribute__((format_arg(3)));

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- Visible text ---------------------------------------------------------------------- */

/* One shown unit: a character, or an escape standing for one byte or code point. */
struct vis_unit {
	size_t bytes;  /* input bytes it stands for */
	size_t cols;   /* columns it takes on screen */
	size_t tlen;
	char text[16]; /* what is shown: UTF-8 without control characters */
};

/* Walks one line (no '\n') unit by unit. */
struct vis_iter {
	const unsigned char *s;
	size_t n;
	size_t i;      /* next byte */
	size_t tstart; /* spaces at or after this byte are trailing */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Length of `p` without its trailing spaces, tabs and '\r'. */
static size_t strip_blanks(const char *p, size_t len)
{
	while (len > 0 && is_blank(p[len - 1]))
		len--;
	return len;
}

/* Length (2-4) of the valid UTF-8 sequence starting `s`, storing its code point, or 0 when
 * `s` starts with an invalid byte. ASCII is handled by the caller. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t need;
	uint32_t v, min;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2, v = s[0] & 0x1fu, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3, v = s[0] & 0x0fu, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4, v = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (size_t k = 1; k < need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return need;
}

/* Code points that are valid but show as nothing or as a plain space: C1 controls, no-break
 * and other special spaces, zero-width characters, direction marks, byte order mark. */
static bool cp_invisible(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xa0) || cp == 0xad || cp == 0x34f || cp == 0x61c ||
	       cp == 0x180e || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
	       (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

static void unit_text(struct vis_unit *u, size_t bytes, const char *text, size_t cols)
{
	u->bytes = bytes;
	u->tlen = strlen(text);
	memcpy(u->text, text, u->tlen);
	u->cols = cols;
}

static void unit_hex(struct vis_unit *u, unsigned char byte)
{
	char t[8];
	snprintf(t, sizeof t, "\\x%02x", byte);
	unit_text(u, 1, t, strlen(t));
}

static void unit_codepoint(struct vis_unit *u, size_t bytes, uint32_t cp)
{
	char t[16];
	snprintf(t, sizeof t, "\\u{%x}", (unsigned)cp);
	unit_text(u, bytes, t, strlen(t));
}

static void unit_ascii(struct vis_unit *u, unsigned char c, bool trailing)
{
	if (c == ' ' && trailing)
		unit_text(u, 1, "·", 1);
	else if (c == '\t')
		unit_text(u, 1, "→", 1);
	else if (c == '\r')
		unit_text(u, 1, "\\r", 2);
	else if (c < 0x20 || c == 0x7f)
		unit_hex(u, c);
	else
		unit_text(u, 1, (char[]){ (char)c, '\0' }, 1);
}

static void vis_iter_init(struct vis_iter *it, const char *s, size_t n, size_t start)
{
	it->s = (const unsigned char *)s;
	it->n = n;
	it->i = start;
	it->tstart = strip_blanks(s, n);
}

/* Reads the next unit; false at the end of the line. */
static bool vis_iter_next(struct vis_iter *it, struct vis_unit *u)
{
	if (it->i >= it->n)
		return false;
	const unsigned char *p = it->s + it->i;
	uint32_t cp;
	size_t k;
	if (*p < 0x80) {
		unit_ascii(u, *p, it->i >= it->tstart);
	} else if ((k = utf8_seq(p, it->n - it->i, &cp)) == 0) {
		unit_hex(u, *p);
	} else if (cp_invisible(cp)) {
		unit_codepoint(u, k, cp);
	} else {
		memcpy(u->text, p, k);
		u->tlen = u->bytes = k;
		u->cols = 1;
	}
	it->i += u->bytes;
	return true;
}

/* Appends line `s` (n bytes, no '\n') from byte `start` (a unit boundary), cut with "…" after
 * `maxcols` columns, with "…" in front when start > 0. */
static void vis_line(struct buf *out, const char *s, size_t n, size_t start, size_t maxcols)
{
	struct vis_iter it;
	struct vis_unit u;
	size_t cols = 0;
	vis_iter_init(&it, s, n, start);
	if (start > 0)
		buf_puts(out, "…");
	while (vis_iter_next(&it, &u)) {
		if (cols + u.cols > maxcols) {
			buf_puts(out, "…");
			return;
		}
		buf_append(out, u.text, u.tlen);
		cols += u.cols;
	}
}

void compare_visible(struct buf *out, const char *s, size_t len)
{
	size_t i = 0;
	buf_append(out, "", 0);
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		vis_line(out, s + i, end - i, 0, SIZE_MAX);
		if (!nl)
			break;
		buf_append(out, "\n", 1);
		i = end + 1;
	}
}

/* ---- Lines ----------------------------------------------------------------------------- */

struct line {
	const char *p;
	size_t len; /* without '\n' (under trailing_ws, without trailing blanks too) */
	bool nl;    /* followed by '\n' (always true under trailing_ws, where it does not count) */
};

/* A text split into lines. Owns `v` only. */
struct text {
	const char *s; /* the whole text */
	size_t bytes;
	struct line *v;
	size_t n;
	bool ws;       /* split for trailing_ws */
};

static void text_push(struct text *t, size_t *cap, struct line ln)
{
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		t->v = xrealloc(t->v, *cap * sizeof *t->v);
	}
	t->v[t->n++] = ln;
}

/* Reads the line at *pos of s[0..len) into *ln and moves *pos past it; false at the end.
 * With `ws` the line loses its trailing blanks. */
static bool line_next(const char *s, size_t len, size_t *pos, bool ws, struct line *ln)
{
	if (*pos >= len)
		return false;
	const char *p = s + *pos, *nl = memchr(p, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - p) : len - *pos;
	*ln = (struct line){ p, ws ? strip_blanks(p, n) : n, ws || nl };
	*pos += n + 1;
	return true;
}

/* Splits `s`. With `ws`, lines lose their trailing blanks and trailing empty lines are dropped,
 * so two texts equal under trailing_ws have equal line lists. Free with text_free(). */
static void text_split(struct text *t, const char *s, size_t len, bool ws)
{
	size_t cap = 0, pos = 0;
	struct line ln;
	*t = (struct text){ .s = s, .bytes = len, .ws = ws };
	while (line_next(s, len, &pos, ws, &ln))
		text_push(t, &cap, ln);
	while (ws && t->n > 0 && t->v[t->n - 1].len == 0)
		t->n--;
}

static void text_free(struct text *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static bool line_eq(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->nl == b->nl && memcmp(a->p, b->p, a->len) == 0;
}

/* Whether two texts are equal under trailing_ws, without splitting them. */
static bool ws_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t pa = 0, pb = 0;
	struct line x, y;
	for (;;) {
		bool hx = line_next(a, alen, &pa, true, &x), hy = line_next(b, blen, &pb, true, &y);
		if (!hx && !hy)
			return true;
		if (hx && hy ? !line_eq(&x, &y) : (hx ? x.len : y.len) != 0)
			return false; /* past the end of one text, the other may only have empty lines */
	}
}

static uint64_t line_hash(const struct line *ln)
{
	uint64_t h = 1469598103934665603u ^ ln->nl;
	for (size_t i = 0; i < ln->len; i++)
		h = (h ^ (unsigned char)ln->p[i]) * 1099511628211u;
	return h;
}

static uint64_t *line_hashes(const struct line *v, size_t n)
{
	uint64_t *h = xmalloc(n * sizeof *h);
	for (size_t i = 0; i < n; i++)
		h[i] = line_hash(&v[i]);
	return h;
}

/* ---- Diff ------------------------------------------------------------------------------ */

/* Expected lines a0..a0+k were replaced by actual lines b0..b0+m (k or m may be 0). */
struct block {
	size_t a0, k, b0, m;
};

/* The change blocks between two texts, in order; lines between blocks are equal. */
struct diff {
	struct block *v;
	size_t n, cap;
	size_t first;    /* 0-based index of the first differing line */
	size_t changes;  /* sum of k + m over the blocks */
	bool windowed;   /* only expected lines before `end_a` were compared */
	size_t end_a;    /* expected lines after the compared part (the whole text if not windowed) */
};

static void diff_add(struct diff *d, size_t a, size_t b, bool del)
{
	struct block *last = d->n ? &d->v[d->n - 1] : NULL;
	if (!last || last->a0 + last->k != a || last->b0 + last->m != b) {
		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 8;
			d->v = xrealloc(d->v, d->cap * sizeof *d->v);
		}
		last = &d->v[d->n++];
		*last = (struct block){ a, 0, b, 0 };
	}
	if (del)
		last->k++;
	else
		last->m++;
	d->changes++;
}

/* Diffs a[0..na) against b[0..nb) (both start at line `off` of their text) with an LCS table
 * and records the blocks. (na + 1) * (nb + 1) <= DIFF_MAX_CELLS, so lengths fit 16 bits. */
static void diff_lcs(struct diff *d, const struct line *a, size_t na, const struct line *b,
		     size_t nb, size_t off)
{
	size_t w = nb + 1, i, j;
	uint16_t *L = xcalloc((na + 1) * w, sizeof *L);
	uint64_t *ha = line_hashes(a, na), *hb = line_hashes(b, nb);
	for (i = na; i-- > 0;) {
		for (j = nb; j-- > 0;) {
			uint16_t *c = &L[i * w + j];
			if (ha[i] == hb[j] && line_eq(&a[i], &b[j]))
				*c = (uint16_t)(c[w + 1] + 1);
			else
				*c = c[w] > c[1] ? c[w] : c[1];
		}
	}
	for (i = j = 0; i < na || j < nb;) {
		if (i < na && j < nb && ha[i] == hb[j] && line_eq(&a[i], &b[j]))
			i++, j++;
		else if (j == nb || (i < na && L[(i + 1) * w + j] >= L[i * w + j + 1]))
			diff_add(d, off + i, off + j, true), i++;
		else
			diff_add(d, off + i, off + j, false), j++;
	}
	free(L);
	free(ha);
	free(hb);
}

static void diff_build(struct diff *d, const struct text *e, const struct text *a)
{
	size_t p = 0, s = 0;
	*d = (struct diff){ .end_a = e->n };
	while (p < e->n && p < a->n && line_eq(&e->v[p], &a->v[p]))
		p++;
	while (s < e->n - p && s < a->n - p && line_eq(&e->v[e->n - 1 - s], &a->v[a->n - 1 - s]))
		s++;
	size_t ma = e->n - p - s, mb = a->n - p - s;
	d->first = p;
	if (mb + 1 > DIFF_MAX_CELLS / (ma + 1)) {
		ma = ma < DIFF_WINDOW ? ma : DIFF_WINDOW;
		mb = mb < DIFF_WINDOW ? mb : DIFF_WINDOW;
		d->windowed = true;
		d->end_a = p + ma;
	}
	diff_lcs(d, e->v + p, ma, a->v + p, mb, p);
}

static void diff_free(struct diff *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* ---- Rows: what the diff shows --------------------------------------------------------- */

struct row {
	char mark;              /* ' ' context, '-' expected, '+' actual, '^' caret, '.' gap */
	size_t num;             /* 1-based line number, 0 for none */
	const struct line *ln;  /* NULL: `note` is shown instead */
	const char *note;
	size_t start;           /* first byte of `ln` shown (long lines shown around a change) */
	size_t col;             /* for '^': the column under the difference */
};

struct rows {
	struct row v[DIFF_MAX_ROWS];
	size_t n;
	size_t changes; /* '-' and '+' rows of lines */
	bool full;
};

static bool rows_add(struct rows *r, struct row row)
{
	if (r->n == DIFF_MAX_ROWS) {
		r->full = true;
		return false;
	}
	r->v[r->n++] = row;
	if (row.ln && (row.mark == '-' || row.mark == '+'))
		r->changes++;
	return true;
}

static bool rows_line(struct rows *r, char mark, const struct text *t, size_t i, size_t start)
{
	return rows_add(r, (struct row){ .mark = mark, .num = i + 1, .ln = &t->v[i],
					  .start = start });
}

/* Columns of the units of `ln` from byte `from` up to the last unit boundary <= `to`, which is
 * stored in *boundary. */
static size_t vis_cols(const struct line *ln, size_t from, size_t to, size_t *boundary)
{
	struct vis_iter it;
	struct vis_unit u;
	size_t cols = 0, at = from;
	vis_iter_init(&it, ln->p, ln->len, from);
	while (vis_iter_next(&it, &u) && it.i <= to) {
		cols += u.cols;
		at = it.i;
	}
	*boundary = at;
	return cols;
}

/* Where to show a changed pair from, so that their first difference is visible, and the
 * column of that difference in what is shown. Returns false if the lines' bytes are equal. */
static bool pair_focus(const struct line *x, const struct line *y, size_t *start, size_t *col)
{
	size_t p = 0, n = x->len < y->len ? x->len : y->len, at;
	while (p < n && x->p[p] == y->p[p])
		p++;
	if (p == x->len && p == y->len)
		return false;
	*start = 0;
	*col = vis_cols(x, 0, p, &at);
	if (*col <= FOCUS_AFTER)
		return true;
	size_t skip = *col - FOCUS_COLS;
	struct vis_iter it;
	struct vis_unit u;
	vis_iter_init(&it, x->p, x->len, 0);
	while (skip > 0 && vis_iter_next(&it, &u))
		skip -= u.cols < skip ? u.cols : skip;
	*start = it.i;
	*col = 1 + vis_cols(x, it.i, at, &at); /* 1: the leading "…" */
	return true;
}

/* Rows for the i-th expected and actual lines of a block shown side by side. */
static bool rows_pair(struct rows *r, const struct text *e, size_t ai, const struct text *a,
		      size_t bi, bool caret)
{
	size_t start = 0, col = 0;
	bool differ = pair_focus(&e->v[ai], &a->v[bi], &start, &col);
	if (!rows_line(r, '-', e, ai, start) || !rows_line(r, '+', a, bi, start))
		return false;
	if (caret && differ && col <= LINE_MAX_COLS)
		return rows_add(r, (struct row){ .mark = '^', .col = col });
	return true;
}

/* A side without any line gets one row saying so. */
static const char *empty_note(const struct text *t)
{
	return t->bytes == 0 ? L("(no output)", "(sin salida)")
			     : L("(only whitespace)", "(solo espacios en blanco)");
}

/* A block with as many lines on each side: pairs one under the other. */
static void rows_block_pairs(struct rows *r, const struct block *bl, const struct text *e,
			     const struct text *a)
{
	bool caret = bl->k <= CARET_MAX_PAIRS;
	for (size_t i = 0; i < bl->k; i++) {
		if (DIFF_MAX_ROWS - r->n < 2) {
			r->full = true;
			return;
		}
		if (!rows_pair(r, e, bl->a0 + i, a, bl->b0 + i, caret))
			return;
	}
}

/* How many of k expected and m actual lines to show in `room` rows. */
static void block_split(size_t k, size_t m, size_t room, size_t *ks, size_t *ms)
{
	size_t half = room / 2;
	if (k + m <= room)
		*ks = k, *ms = m;
	else if (k <= half)
		*ks = k, *ms = room - k;
	else if (m <= room - half)
		*ks = room - m, *ms = m;
	else
		*ks = half, *ms = room - half;
}

/* Any other block: its expected lines, then its actual lines. */
static void rows_block_group(struct rows *r, const struct block *bl, const struct text *e,
			     const struct text *a)
{
	bool note_e = e->n == 0, note_a = a->n == 0;
	size_t room = DIFF_MAX_ROWS - r->n - note_e - note_a, ks, ms;
	block_split(bl->k, bl->m, room, &ks, &ms);
	if (note_e)
		rows_add(r, (struct row){ .mark = '-', .note = empty_note(e) });
	for (size_t i = 0; i < ks; i++) {
		size_t start = 0, col;
		if (i < ms)
			pair_focus(&e->v[bl->a0 + i], &a->v[bl->b0 + i], &start, &col);
		rows_line(r, '-', e, bl->a0 + i, start);
	}
	if (note_a)
		rows_add(r, (struct row){ .mark = '+', .note = empty_note(a) });
	for (size_t i = 0; i < ms; i++) {
		size_t start = 0, col;
		if (i < ks)
			pair_focus(&e->v[bl->a0 + i], &a->v[bl->b0 + i], &start, &col);
		rows_line(r, '+', a, bl->b0 + i, start);
	}
	if (ks < bl->k || ms < bl->m)
		r->full = true;
}

/* Context rows for expected lines [from, to). */
static bool rows_context(struct rows *r, const struct text *e, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!rows_line(r, ' ', e, i, 0))
			return false;
	return true;
}

static void rows_build(struct rows *r, const struct diff *d, const struct text *e,
		       const struct text *a)
{
	size_t shown = 0; /* expected lines before this one are shown or skipped */
	for (size_t t = 0; t < d->n && !r->full; t++) {
		const struct block *bl = &d->v[t];
		size_t from = bl->a0 > DIFF_CONTEXT ? bl->a0 - DIFF_CONTEXT : 0;
		from = from > shown ? from : shown;
		bool gap = t > 0 && from > shown;
		if (r->n + gap + (bl->a0 - from) + 2 > DIFF_MAX_ROWS) {
			r->full = true;
			break;
		}
		if (gap)
			rows_add(r, (struct row){ .mark = '.' });
		rows_context(r, e, from, bl->a0);
		if (bl->k == bl->m)
			rows_block_pairs(r, bl, e, a);
		else
			rows_block_group(r, bl, e, a);
		size_t to = bl->a0 + bl->k + DIFF_CONTEXT;
		to = to < d->end_a ? to : d->end_a;
		if (t + 1 < d->n && d->v[t + 1].a0 < to)
			to = d->v[t + 1].a0;
		if (!r->full)
			rows_context(r, e, bl->a0 + bl->k, to);
		shown = to;
	}
}

static int digits(size_t n)
{
	int d = 1;
	while (n >= 10)
		n /= 10, d++;
	return d;
}

static void put_spaces(struct buf *out, size_t n)
{
	while (n-- > 0)
		buf_append(out, " ", 1);
}

/* Appends one row and its '\n', without trailing spaces. */
static void row_write(struct buf *out, const struct row *row, int width, bool show_nl)
{
	size_t len0 = out->len;
	if (row->mark == '^') {
		put_spaces(out, 2 + (size_t)width + 3 + row->col);
		buf_puts(out, "^");
	} else if (row->mark == '.') {
		put_spaces(out, 2 + (size_t)width - 1);
		buf_puts(out, "⋮");
	} else if (!row->ln) {
		buf_printf(out, "%c %*s   %s", row->mark, width, "", row->note);
	} else {
		buf_printf(out, "%c %*zu   ", row->mark, width, row->num);
		vis_line(out, row->ln->p, row->ln->len, row->start, LINE_MAX_COLS);
		if (show_nl && !row->ln->nl)
			buf_puts(out, L(" (no newline at end)", " (sin salto de línea final)"));
	}
	while (out->len > len0 && out->data[out->len - 1] == ' ')
		out->len--;
	buf_append(out, "\n", 1);
}

static void rows_write(struct buf *out, const struct rows *r, bool show_nl)
{
	size_t max = 1;
	for (size_t i = 0; i < r->n; i++)
		max = r->v[i].num > max ? r->v[i].num : max;
	for (size_t i = 0; i < r->n; i++)
		row_write(out, &r->v[i], digits(max), show_nl);
}

/* Says what the rows left out, if anything. */
static void diff_note(struct buf *out, const struct diff *d, const struct rows *r,
		      const struct text *e, const struct text *a)
{
	size_t more = d->changes - r->changes;
	if (more == 0 && !d->windowed)
		return;
	if (more > 0)
		buf_printf(out, plural(more,
			L("… %zu more differing line not shown",
			  "… no se muestra %zu línea distinta más"),
			L("… %zu more differing lines not shown",
			  "… no se muestran %zu líneas distintas más")), more);
	if (more > 0 && d->windowed)
		buf_printf(out, L(", and more after line %zu",
				  ", ni las diferencias que haya después de la línea %zu"),
			   d->end_a);
	else if (d->windowed)
		buf_printf(out, L("… more differences after line %zu not shown",
				  "… no se muestran las diferencias que haya después de la "
				  "línea %zu"),
			   d->end_a);
	buf_printf(out, plural(e->n,
		L(" (expected has %zu line, your output has %zu).\n",
		  " (la salida esperada tiene %zu línea y la tuya, %zu).\n"),
		L(" (expected has %zu lines, your output has %zu).\n",
		  " (la salida esperada tiene %zu líneas y la tuya, %zu).\n")), e->n, a->n);
}

/* ---- Invisible differences ------------------------------------------------------------- */

enum {
	INV_CR_ACTUAL = 1,    /* \r\n in the output where \n is expected */
	INV_CR_EXPECTED = 2,  /* and the other way round */
	INV_WS = 4,           /* blanks at the end of a line */
	INV_BLANK = 8,        /* empty lines at the end */
	INV_NL_MISSING = 16,  /* no final newline */
	INV_NL_EXTRA = 32,    /* a final newline that is not expected */
};

/* What differs between two texts split without `ws` that are equal under trailing_ws.
 * *ws_lines counts the lines whose trailing blanks differ. */
static unsigned invisible_kinds(const struct text *e, const struct text *a, size_t *ws_lines)
{
	unsigned f = 0;
	size_t n = e->n < a->n ? e->n : a->n;
	*ws_lines = 0;
	for (size_t i = 0; i < n; i++) {
		const struct line *x = &e->v[i], *y = &a->v[i];
		if (x->len == y->len && memcmp(x->p, y->p, x->len) == 0)
			continue;
		size_t cx = x->len, cy = y->len;
		while (cx > 0 && x->p[cx - 1] == '\r')
			cx--;
		while (cy > 0 && y->p[cy - 1] == '\r')
			cy--;
		if ((cx < x->len) != (cy < y->len))
			f |= cy < y->len ? INV_CR_ACTUAL : INV_CR_EXPECTED;
		if (cx != cy || memcmp(x->p, y->p, cx) != 0)
			f |= INV_WS, ++*ws_lines;
	}
	if (e->n != a->n)
		f |= INV_BLANK;
	else if (n > 0 && e->v[n - 1].nl != a->v[n - 1].nl)
		f |= a->v[n - 1].nl ? INV_NL_EXTRA : INV_NL_MISSING;
	return f;
}

static void hint_one(struct buf *out, unsigned f, size_t ws_lines, size_t ne, size_t na)
{
	size_t d = ne > na ? ne - na : na - ne;
	if (f == INV_CR_ACTUAL)
		buf_puts(out, L("Your output has Windows line endings (\\r\\n).\n",
				"Tu salida tiene fines de línea de Windows (\\r\\n).\n"));
	else if (f == INV_CR_EXPECTED)
		buf_puts(out, L("The expected output has Windows line endings (\\r\\n); "
				"yours does not.\n",
				"La salida esperada tiene fines de línea de Windows (\\r\\n); "
				"la tuya no.\n"));
	else if (f == INV_WS)
		buf_puts(out, plural(ws_lines,
			L("The only difference is whitespace at the end of a line.\n",
			  "La única diferencia son espacios en blanco al final de una línea.\n"),
			L("The only difference is whitespace at the end of some lines.\n",
			  "La única diferencia son espacios en blanco al final de "
			  "algunas líneas.\n")));
	else if (f == INV_BLANK && na > ne)
		buf_printf(out, plural(d,
			L("Your output has %zu extra empty line at the end.\n",
			  "Tu salida tiene %zu línea vacía de más al final.\n"),
			L("Your output has %zu extra empty lines at the end.\n",
			  "Tu salida tiene %zu líneas vacías de más al final.\n")), d);
	else if (f == INV_BLANK)
		buf_printf(out, plural(d,
			L("Your output lacks %zu empty line at the end.\n",
			  "A tu salida le falta %zu línea vacía al final.\n"),
			L("Your output lacks %zu empty lines at the end.\n",
			  "A tu salida le faltan %zu líneas vacías al final.\n")), d);
	else if (f == INV_NL_MISSING)
		buf_puts(out, L("Your output lacks the final newline.\n",
				"A tu salida le falta el salto de línea final.\n"));
	else
		buf_puts(out, L("Your output ends with a newline that is not expected.\n",
				"Tu salida termina con un salto de línea que no se esperaba.\n"));
}

/* The name of one kind of invisible difference (one of the flags in hint_many's list). */
static const char *invisible_name(unsigned kind)
{
	switch (kind) {
	case INV_CR_ACTUAL:
		return L("Windows line endings (\\r\\n) in your output",
			 "fines de línea de Windows (\\r\\n) en tu salida");
	case INV_CR_EXPECTED:
		return L("Windows line endings (\\r\\n) in the expected output",
			 "fines de línea de Windows (\\r\\n) en la salida esperada");
	case INV_WS:
		return L("whitespace at the end of lines",
			 "espacios en blanco al final de las líneas");
	case INV_BLANK:
		return L("empty lines at the end", "líneas vacías al final");
	default:
		return L("the final newline", "el salto de línea final");
	}
}

/* One sentence naming every kind in `f`. No name starts with an "i" sound, so Spanish "y"
 * never has to become "e". */
static void hint_many(struct buf *out, unsigned f)
{
	static const unsigned kinds[] = {
		INV_CR_ACTUAL, INV_CR_EXPECTED, INV_WS, INV_BLANK, INV_NL_MISSING | INV_NL_EXTRA,
	};
	size_t left = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		left += (f & kinds[i]) != 0;
	buf_puts(out, L("The only differences are invisible: ",
			"Las únicas diferencias son invisibles: "));
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!(f & kinds[i]))
			continue;
		buf_puts(out, invisible_name(kinds[i]));
		left--;
		buf_puts(out, left > 1 ? ", " : left == 1 ? L(" and ", " y ") : ".\n");
	}
}

/* One sentence when two texts (split without `ws`) differ only in invisible ways. */
static void hint_invisible(struct buf *out, const struct text *e, const struct text *a)
{
	if (!ws_equal(e->s, e->bytes, a->s, a->bytes))
		return;
	size_t ws_lines;
	unsigned f = invisible_kinds(e, a, &ws_lines);
	if (f != 0 && (f & (f - 1)) == 0)
		hint_one(out, f, ws_lines, e->n, a->n);
	else if (f != 0)
		hint_many(out, f);
}

/* ---- Explanations ---------------------------------------------------------------------- */

static void explain_diff(struct buf *out, const struct text *e, const struct text *a)
{
	struct diff d;
	struct rows r = { .n = 0 };
	if (!e->ws)
		hint_invisible(out, e, a);
	diff_build(&d, e, a);
	buf_printf(out, L("first difference at line %zu (- expected, + your output):\n",
			  "primera diferencia en la línea %zu (- esperada, + tu salida):\n"),
		   d.first + 1);
	rows_build(&r, &d, e, a);
	rows_write(out, &r, !e->ws);
	diff_note(out, &d, &r, e, a);
	diff_free(&d);
}

/* The note under a listing cut after its first lines. */
static void more_lines(struct buf *out, size_t n)
{
	buf_printf(out, plural(n, L("  … %zu more line\n", "  … %zu línea más\n"),
			       L("  … %zu more lines\n", "  … %zu líneas más\n")),
		   n);
}

/* The first lines of what the program printed, numbered. */
static void show_output_start(struct buf *out, const char *s, size_t len)
{
	struct text t;
	if (len == 0) {
		buf_puts(out, L("your output: (no output)\n", "tu salida: (sin salida)\n"));
		return;
	}
	text_split(&t, s, len, false);
	size_t shown = t.n < PREVIEW_LINES ? t.n : PREVIEW_LINES;
	if (shown < t.n)
		buf_printf(out, L("your output (%zu lines), first %zu:\n",
				  "tu salida (%zu líneas), las %zu primeras:\n"),
			   t.n, shown);
	else
		buf_printf(out, plural(t.n,
			L("your output (%zu line):\n", "tu salida (%zu línea):\n"),
			L("your output (%zu lines):\n", "tu salida (%zu líneas):\n")), t.n);
	for (size_t i = 0; i < shown; i++) {
		struct row row = { .mark = ' ', .num = i + 1, .ln = &t.v[i] };
		row_write(out, &row, digits(shown), true);
	}
	if (shown < t.n)
		more_lines(out, t.n - shown);
	text_free(&t);
}

/* Expected text or a pattern, indented, at most NEEDLE_MAX_LINES lines. */
static void show_expected(struct buf *out, const char *s, size_t len)
{
	struct text t;
	text_split(&t, s, len, false);
	size_t shown = t.n < NEEDLE_MAX_LINES ? t.n : NEEDLE_MAX_LINES;
	for (size_t i = 0; i < shown; i++) {
		size_t len0 = out->len;
		buf_puts(out, "  ");
		vis_line(out, t.v[i].p, t.v[i].len, 0, LINE_MAX_COLS);
		if (i + 1 == t.n && t.v[i].nl)
			buf_puts(out, L(" (at the end of a line)", " (al final de una línea)"));
		while (out->len > len0 && out->data[out->len - 1] == ' ')
			out->len--;
		buf_append(out, "\n", 1);
	}
	if (shown < t.n)
		more_lines(out, t.n - shown);
	text_free(&t);
}

static char *ascii_lower(const char *s, size_t len)
{
	char *l = xmemdup(s, len);
	for (size_t i = 0; i < len; i++)
		if (l[i] >= 'A' && l[i] <= 'Z')
			l[i] = (char)(l[i] - 'A' + 'a');
	return l;
}

static void hint_contains(struct buf *out, const char *needle, size_t nlen, const char *s,
			  size_t len)
{
	char *ln = ascii_lower(needle, nlen), *ls = ascii_lower(s, len);
	bool icase = memmem(ls, len, ln, nlen) != NULL;
	free(ln);
	free(ls);
	if (icase) {
		buf_puts(out, L("Your output contains it with different upper/lower case.\n",
				"Tu salida lo contiene, pero con otras mayúsculas/minúsculas.\n"));
		return;
	}
	size_t m = nlen - 1;
	if (nlen > 1 && needle[m] == '\n' && len >= m && memcmp(s + len - m, needle, m) == 0)
		buf_puts(out, L("Your output contains it, but without the final newline.\n",
				"Tu salida lo contiene, pero sin el salto de línea final.\n"));
}

static void explain_contains(struct buf *out, const struct expect *exp, const char *s,
			     size_t len)
{
	buf_puts(out, L("expected the output to contain:\n",
			"se esperaba que la salida contuviera:\n"));
	show_expected(out, exp->text, exp->len);
	hint_contains(out, exp->text, exp->len, s, len);
	show_output_start(out, s, len);
}

static void regerror_append(struct buf *out, int rc, const regex_t *re)
{
	char msg[256];
	regerror(rc, re, msg, sizeof msg);
	buf_puts(out, msg);
}

/* regexec over all `len` bytes of `s`, NULs included (REG_STARTEND). It searches a
 * NUL-terminated copy: sanitizers' regexec interceptors read the subject up to a NUL. */
static int regex_search(const regex_t *re, const char *s, size_t len)
{
	regmatch_t m[1] = { { .rm_so = 0, .rm_eo = (regoff_t)len } };
	char *copy = xmemdup(s, len);
	int rc = regexec(re, copy, 1, m, REG_STARTEND);
	free(copy);
	return rc;
}

static void explain_regex(struct buf *out, const char *pattern, const char *s, size_t len)
{
	regex_t re;
	buf_puts(out, L("expected the output to match the regular expression:\n",
			"se esperaba que la salida coincidiera con la expresión regular:\n"));
	show_expected(out, pattern, strlen(pattern));
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE | REG_ICASE) == 0) {
		if (regex_search(&re, s, len) == 0)
			buf_puts(out, L("It matches only if upper/lower case is ignored.\n",
					"Solo coincide si no se distinguen mayúsculas de "
					"minúsculas.\n"));
		regfree(&re);
	}
	show_output_start(out, s, len);
}

static enum compare_result compare_regex(const struct expect *exp, const char *s, size_t len,
					 struct buf *out)
{
	regex_t re;
	char *pattern = xmemdup(exp->text, exp->len);
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE);
	if (rc != 0) {
		regerror_append(out, rc, &re);
		free(pattern);
		return COMPARE_BAD_PATTERN;
	}
	enum compare_result res = COMPARE_MATCH;
	rc = regex_search(&re, s, len);
	if (rc == REG_NOMATCH) {
		res = COMPARE_MISMATCH;
		explain_regex(out, pattern, s, len);
	} else if (rc != 0) {
		res = COMPARE_BAD_PATTERN;
		regerror_append(out, rc, &re);
	}
	regfree(&re);
	free(pattern);
	return res;
}

/* exact and trailing_ws. */
static enum compare_result compare_lines(const struct expect *exp, const char *s, size_t len,
					 struct buf *out)
{
	bool ws = exp->mode == CMP_TRAILING_WS;
	if (ws ? ws_equal(exp->text, exp->len, s, len)
	       : len == exp->len && memcmp(s, exp->text, len) == 0)
		return COMPARE_MATCH;
	struct text e, a;
	text_split(&e, exp->text, exp->len, ws);
	text_split(&a, s, len, ws);
	explain_diff(out, &e, &a);
	text_free(&e);
	text_free(&a);
	return COMPARE_MISMATCH;
}

enum compare_result compare_output(const struct expect *exp, const char *actual, size_t len,
				   struct buf *why)
{
	static char empty[1];
	struct buf scratch = BUF_INIT;
	struct buf *out = why ? why : &scratch;
	struct expect e = *exp;
	enum compare_result res;
	if (!actual)
		actual = "", len = 0;
	if (!e.text)
		e.text = empty, e.len = 0;
	switch (e.mode) {
	case CMP_EXACT:
	case CMP_TRAILING_WS:
		res = compare_lines(&e, actual, len, out);
		break;
	case CMP_CONTAINS:
		res = memmem(actual, len, e.text, e.len) ? COMPARE_MATCH : COMPARE_MISMATCH;
		if (res == COMPARE_MISMATCH)
			explain_contains(out, &e, actual, len);
		break;
	case CMP_REGEX:
		res = compare_regex(&e, actual, len, out);
		break;
	default:
		buf_printf(out, L("unknown comparison mode %d",
				  "modo de comparación desconocido: %d"), (int)e.mode);
		res = COMPARE_BAD_PATTERN;
		break;
	}
	buf_free(&scratch);
	return res;
}

int compare_check_regex(const char *pattern, struct buf *err)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE);
	if (rc != 0) {
		regerror_append(err, rc, &re);
		return -1;
	}
	regfree(&re);
	return 0;
}
