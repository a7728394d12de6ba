/*
 * compare_int.h: what compare's two files share (compare.c: the modes, normalisation, the
 * one-sentence hints, visible text, contains/regex explanations and the public API;
 * compare_diff.c: texts split into lines, the LCS diff and how it is shown). Not for use
 * outside compare.
 */
#ifndef PIPEGRADE_COMPARE_INT_H
#define PIPEGRADE_COMPARE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum {
	LINE_MAX_COLS = 200, /* columns of one shown line before it is cut with "…" */
};

/* ---- compare.c: visible text ----------------------------------------------------------- */

/* One shown unit: a character, or an escape standing for one byte or code point. */
struct vis_unit {
	size_t bytes; /* input bytes it stands for */
	size_t cols;  /* columns it takes on screen */
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

/* Length of `p` without its trailing spaces, tabs and '\r'. */
size_t strip_blanks(const char *p, size_t len);

/* Starts walking line `s` (n bytes) at byte `start`, a unit boundary. */
void vis_iter_init(struct vis_iter *it, const char *s, size_t n, size_t start);
/* Reads the next unit; false at the end of the line. */
bool vis_iter_next(struct vis_iter *it, struct vis_unit *u);

/* Appends line `s` (n bytes, no '\n') from byte `start` (a unit boundary), cut with "…" after
 * `maxcols` columns, with "…" in front when start > 0. */
void vis_line(struct buf *out, const char *s, size_t n, size_t start, size_t maxcols);

/* ---- compare_diff.c: lines and the diff ------------------------------------------------ */

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
	bool ws; /* split for trailing_ws */
};

/* Reads the line at *pos of s[0..len) into *ln and moves *pos past it; false at the end.
 * With `ws` the line loses its trailing blanks. */
bool line_next(const char *s, size_t len, size_t *pos, bool ws, struct line *ln);
bool line_eq(const struct line *a, const struct line *b);

/* Splits `s`. With `ws`, lines lose their trailing blanks and trailing empty lines are dropped,
 * so two texts equal under trailing_ws have equal line lists. Free with text_free(). */
void text_split(struct text *t, const char *s, size_t len, bool ws);
void text_free(struct text *t);

/* Appends the first `n` lines of `t` numbered, as the diff shows context lines. */
void text_write_numbered(struct buf *out, const struct text *t, size_t n);

/* Appends the line diff of expected `e` against actual `a` (split alike, and different): the
 * "first difference at line" sentence, the rows and a note on what they leave out. */
void diff_explain(struct buf *out, const struct text *e, const struct text *a);

#endif
