/*
 * compare_diff.c: the line diff in explanations for `exact` and `trailing_ws` (compare.h,
 * compare_int.h).
 *
 * How it is made:
 *   1. both texts are split into lines (struct text); under trailing_ws the lines are compared
 *      and shown without their trailing blanks, and trailing empty lines are dropped;
 *   2. common leading and trailing lines are skipped and the middle is diffed with an LCS table
 *      (struct diff). The table is bounded: a middle too large for it is diffed only in a window
 *      of DIFF_WINDOW lines from the first difference;
 *   3. the change blocks become at most DIFF_MAX_ROWS display rows with context (struct rows);
 *   4. each row is written with vis_line() (compare.c), which makes invisible bytes visible,
 *      keeps valid UTF-8 and cuts long lines, and a note says how much was left out.
 * The sentence on invisible differences that may come first is compare.c's.
 */
#include "compare_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

enum {
	FOCUS_AFTER = 150,   /* a difference further right than this is shown in a window... */
	FOCUS_COLS = 60,     /* ...starting this many columns before it */
	DIFF_MAX_ROWS = 40,  /* rows of diff in one explanation */
	DIFF_CONTEXT = 2,    /* unchanged lines shown around a change */
	DIFF_WINDOW = 2000,  /* lines of each side diffed when the whole would be too much work */
	CARET_MAX_PAIRS = 3, /* changed line pairs get a '^' row only in blocks this small */
};

/* Cells of the LCS table; above this the middle is diffed in a window. */
#define DIFF_MAX_CELLS ((size_t)(DIFF_WINDOW + 1) * (DIFF_WINDOW + 1))

/* ---- Lines ----------------------------------------------------------------------------- */

static void text_push(struct text *t, size_t *cap, struct line ln)
{
	ALLOC_GROW(t->v, t->n + 1, *cap);
	t->v[t->n++] = ln;
}

bool line_next(const char *s, size_t len, size_t *pos, bool ws, struct line *ln)
{
	if (*pos >= len)
		return false;
	const char *p = s + *pos, *nl = memchr(p, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - p) : len - *pos;
	*ln = (struct line){ p, ws ? strip_blanks(p, n) : n, ws || nl };
	*pos += n + 1;
	return true;
}

void text_split(struct text *t, const char *s, size_t len, bool ws)
{
	size_t cap = 0, pos = 0;
	struct line ln;
	*t = (struct text){ .s = s, .bytes = len, .ws = ws };
	while (line_next(s, len, &pos, ws, &ln))
		text_push(t, &cap, ln);
	while (ws && t->n > 0 && t->v[t->n - 1].len == 0)
		t->n--;
}

void text_free(struct text *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

bool line_eq(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->nl == b->nl && memcmp(a->p, b->p, a->len) == 0;
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
	size_t first;   /* 0-based index of the first differing line */
	size_t changes; /* sum of k + m over the blocks */
	bool windowed;  /* only expected lines before `end_a` were compared */
	size_t end_a; /* expected lines after the compared part (the whole text if not windowed) */
};

static void diff_add(struct diff *d, size_t a, size_t b, bool del)
{
	struct block *last = d->n ? &d->v[d->n - 1] : NULL;
	if (!last || last->a0 + last->k != a || last->b0 + last->m != b) {
		ALLOC_GROW(d->v, d->n + 1, d->cap);
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
	char mark;             /* ' ' context, '-' expected, '+' actual, '^' caret, '.' gap */
	size_t num;            /* 1-based line number, 0 for none */
	const struct line *ln; /* NULL: `note` is shown instead */
	const char *note;
	size_t start; /* first byte of `ln` shown (long lines shown around a change) */
	size_t col;   /* for '^': the column under the difference */
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
	return rows_add(r,
			(struct row){ .mark = mark, .num = i + 1, .ln = &t->v[i], .start = start });
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
	return t->bytes == 0 ? _("(no output)") : _("(only whitespace)");
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
			buf_puts(out, _(" (no newline at end)"));
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
		buf_printf(out,
			   P_("… %zu more differing line not shown",
			      "… %zu more differing lines not shown", more),
			   more);
	if (more > 0 && d->windowed)
		buf_printf(out, _(", and more after line %zu"), d->end_a);
	else if (d->windowed)
		buf_printf(out, _("… more differences after line %zu not shown"), d->end_a);
	buf_printf(out,
		   P_(" (expected has %zu line, your output has %zu).\n",
		      " (expected has %zu lines, your output has %zu).\n", e->n),
		   e->n, a->n);
}

/* ---- Explanation ----------------------------------------------------------------------- */

void diff_explain(struct buf *out, const struct text *e, const struct text *a)
{
	struct diff d;
	struct rows r = { .n = 0 };
	diff_build(&d, e, a);
	buf_printf(out, _("first difference at line %zu (- expected, + your output):\n"),
		   d.first + 1);
	rows_build(&r, &d, e, a);
	rows_write(out, &r, !e->ws);
	diff_note(out, &d, &r, e, a);
	diff_free(&d);
}

void text_write_numbered(struct buf *out, const struct text *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct row row = { .mark = ' ', .num = i + 1, .ln = &t->v[i] };
		row_write(out, &row, digits(n), true);
	}
}
