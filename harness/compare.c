/*
 * compare.c: an output against what is wanted of it, and the explanation students read (compare.h).
 *
 * `exact` and `trailing_ws` are explained with a line diff (compare_diff.c), which `exact`
 * explanations start with one sentence when the only difference is invisible (here);
 * `contains` and `regex` with the expected text or pattern and the start of the output. This
 * file also makes text visible (compare_visible(), vis_line()) for both, and sizes a regex
 * before it is compiled, to refuse one that regcomp() would need gigabytes for.
 * A sealed expectation is compared by digest (compare_seal()) and explained in one sentence.
 * Every sentence a student reads is written in place as _("English") (i18n.h); a
 * phrase with a count is written whole in singular and in plural and chosen with P_() (the catalog's plural rule),
 * since Spanish changes more than a final "s" ("le falta 1 línea", "le faltan 2 líneas").
 */
#include "compare.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"
#include "i18n.h"

enum {
	PREVIEW_LINES = 10, /* lines of output shown for contains and regex */
	NEEDLE_MAX_LINES = 20,
};

/* ---- Visible text ---------------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

size_t strip_blanks(const char *p, size_t len)
{
	while (len > 0 && is_blank(p[len - 1]))
		len--;
	return len;
}

/* Code points that are valid but show as nothing or as a plain space: C1 controls, no-break
 * and other special spaces, zero-width characters, direction marks, byte order mark. */
static bool cp_invisible(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xa0) || cp == 0xad || cp == 0x34f || cp == 0x61c ||
	       cp == 0x180e || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
	       (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f) ||
	       utf8_hidden(cp); /* and what no report may hold raw: noncharacters... */
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

void vis_iter_init(struct vis_iter *it, const char *s, size_t n, size_t start)
{
	it->s = (const unsigned char *)s;
	it->n = n;
	it->i = start;
	it->tstart = strip_blanks(s, n);
}

bool vis_iter_next(struct vis_iter *it, struct vis_unit *u)
{
	if (it->i >= it->n)
		return false;
	const unsigned char *p = it->s + it->i;
	uint32_t cp;
	size_t k;
	if (*p < 0x80) {
		unit_ascii(u, *p, it->i >= it->tstart);
	} else if ((k = utf8_decode(p, it->n - it->i, &cp)) == 0) {
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

void vis_line(struct buf *out, const char *s, size_t n, size_t start, size_t maxcols)
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

/* ---- Normalisation --------------------------------------------------------------------- */

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

/* ---- Sealed expectations --------------------------------------------------------------- */

bool compare_can_seal(enum cmp_mode mode)
{
	switch (mode) {
	case CMP_EXACT:
	case CMP_TRAILING_WS:
	case CMP_SEALED_EXACT:
	case CMP_SEALED_TRAILING_WS:
		return true;
	case CMP_CONTAINS:
	case CMP_REGEX:
		return false;
	}
	return false;
}

void compare_seal(enum cmp_mode mode, const char *s, size_t len, unsigned char digest[SHA256_BYTES])
{
	struct sha256 h;
	sha256_init(&h);
	if (mode != CMP_TRAILING_WS && mode != CMP_SEALED_TRAILING_WS) {
		sha256_update(&h, s, len);
		sha256_final(&h, digest);
		return;
	}
	size_t pos = 0, empty = 0; /* empty lines not hashed yet: dropped if nothing follows */
	struct line ln;
	while (line_next(s, len, &pos, true, &ln)) {
		if (ln.len == 0) {
			empty++;
			continue;
		}
		for (; empty > 0; empty--)
			sha256_update(&h, "\n", 1);
		sha256_update(&h, ln.p, ln.len);
		sha256_update(&h, "\n", 1);
	}
	sha256_final(&h, digest);
}

/* ---- Invisible differences ------------------------------------------------------------- */

enum {
	INV_CR_ACTUAL = 1,   /* \r\n in the output where \n is expected */
	INV_CR_EXPECTED = 2, /* and the other way round */
	INV_WS = 4,          /* blanks at the end of a line */
	INV_BLANK = 8,       /* empty lines at the end */
	INV_NL_MISSING = 16, /* no final newline */
	INV_NL_EXTRA = 32,   /* a final newline that is not expected */
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
		buf_puts(out, _("Your output has Windows line endings (\\r\\n).\n"));
	else if (f == INV_CR_EXPECTED)
		buf_puts(out, _("The expected output has Windows line endings (\\r\\n); "
				"yours does not.\n"));
	else if (f == INV_WS)
		buf_puts(out, P_("The only difference is whitespace at the end of a line.\n",
				 "The only difference is whitespace at the end of some lines.\n",
				 ws_lines));
	else if (f == INV_BLANK && na > ne)
		buf_printf(out,
			   P_("Your output has %zu extra empty line at the end.\n",
			      "Your output has %zu extra empty lines at the end.\n", d),
			   d);
	else if (f == INV_BLANK)
		buf_printf(out,
			   P_("Your output lacks %zu empty line at the end.\n",
			      "Your output lacks %zu empty lines at the end.\n", d),
			   d);
	else if (f == INV_NL_MISSING)
		buf_puts(out, _("Your output lacks the final newline.\n"));
	else
		buf_puts(out, _("Your output ends with a newline that is not expected.\n"));
}

/* The name of one kind of invisible difference (one of the flags in hint_many's list). */
static const char *invisible_name(unsigned kind)
{
	switch (kind) {
	case INV_CR_ACTUAL:
		return _("Windows line endings (\\r\\n) in your output");
	case INV_CR_EXPECTED:
		return _("Windows line endings (\\r\\n) in the expected output");
	case INV_WS:
		return _("whitespace at the end of lines");
	case INV_BLANK:
		return _("empty lines at the end");
	default:
		return _("the final newline");
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
	buf_puts(out, _("The only differences are invisible: "));
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!(f & kinds[i]))
			continue;
		buf_puts(out, invisible_name(kinds[i]));
		left--;
		buf_puts(out, left > 1 ? ", " : left == 1 ? _(" and ") : ".\n");
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

/* ---- How big a regex grows ------------------------------------------------------------- */

/* regcomp() copies what a bounded repetition repeats, once per count, and its memory and time
 * then grow faster than the number of parts: with glibc 2.36, a{1,32767}{1,32767} took about
 * 24 GB, (x{0,1}){0,1500} 300 MB and ((x*)*){0,500} 7 seconds. So before a pattern is compiled,
 * a small parser over the ERE syntax estimates how many parts it expands to, and a pattern with
 * more than REGEX_PARTS_MAX is refused: an atom (a character, `\x`, a bracket expression, `.`,
 * an anchor) is one part; a group is its contents plus one, since regcomp makes a node of every
 * group (10000 nested groups took 200 MB); `{m,n}` multiplies the atom before it by n, `{m}` by
 * m, and `*`, `+` and `{m,}` by their lower bound plus one, the copies they make; several
 * quantifiers in a row multiply. The estimate is kept simple and errs on the large side; counts
 * stop at PARTS_CEILING instead of overflowing. */
enum { REGEX_PARTS_MAX = 1000 };
#define PARTS_CEILING 1000000000000000000ULL

/* One open group: its parts so far, and the parts of its last atom, which the quantifiers that
 * follow multiply. */
struct group_parts {
	unsigned long long done;
	unsigned long long atom;
};

struct parts_stack {
	struct group_parts *g;
	size_t n, cap;
};

static unsigned long long parts_add(unsigned long long a, unsigned long long b)
{
	return a > PARTS_CEILING - b ? PARTS_CEILING : a + b;
}

static unsigned long long parts_mul(unsigned long long a, unsigned long long b)
{
	return b != 0 && a > PARTS_CEILING / b ? PARTS_CEILING : a * b;
}

/* Reads the decimal digits at *p into *n (0 when there are none); returns whether there were
 * any. */
static bool read_count(const char **p, unsigned long long *n)
{
	const char *start = *p;
	*n = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		*n = parts_add(parts_mul(*n, 10), (unsigned long long)(**p - '0'));
	return *p != start;
}

/* The interval {m}, {m,n}, {m,} or {,n} at `p` (at '{'): returns its length and sets *mult to
 * what it multiplies by (at least 1: a {0} atom is parsed before it is dropped); returns 0 when
 * `p` is not an interval, a plain '{' then. */
static size_t interval(const char *p, unsigned long long *mult)
{
	const char *q = p + 1;
	unsigned long long m, n;
	bool has_m = read_count(&q, &m);
	if (*q == ',') {
		q++;
		bool has_n = read_count(&q, &n);
		*mult = has_n ? (n > m ? n : m) : parts_add(m, 1);
	} else {
		if (!has_m)
			return 0;
		*mult = m;
	}
	if (*q != '}')
		return 0;
	if (*mult == 0)
		*mult = 1;
	return (size_t)(q + 1 - p);
}

/* The quantifier at `p`: returns its length and sets *mult, or returns 0. */
static size_t quantifier(const char *p, unsigned long long *mult)
{
	switch (*p) {
	case '*':
	case '?':
		*mult = 1;
		return 1;
	case '+':
		*mult = 2;
		return 1;
	case '{':
		return interval(p, mult);
	default:
		return 0;
	}
}

/* Past the bracket expression at `p` (at '['). A ']' right after the '[' or "[^" is a member,
 * and a [:class:], [=equivalence=] or [.collating element.] inside is skipped whole. */
static const char *bracket_end(const char *p)
{
	const char *q = p + 1;
	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	while (*q && *q != ']') {
		const char *close = NULL;
		if (*q == '[' && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
			const char end[] = { q[1], ']', '\0' };
			close = strstr(q + 2, end);
		}
		q = close ? close + 2 : q + 1;
	}
	return *q ? q + 1 : q;
}

/* Ends the last atom of `g`, counting it, and starts one of `size` parts. */
static void atom_next(struct group_parts *g, unsigned long long size)
{
	g->done = parts_add(g->done, g->atom);
	g->atom = size;
}

static void group_open(struct parts_stack *s)
{
	ALLOC_GROW(s->g, s->n + 1, s->cap);
	s->g[s->n++] = (struct group_parts){ 0, 0 };
}

/* Closes the innermost group, which becomes the last atom of the group around it. */
static void group_close(struct parts_stack *s)
{
	const struct group_parts *in = &s->g[--s->n];
	atom_next(&s->g[s->n - 1], parts_add(parts_add(in->done, in->atom), 1));
}

/* Reads one token of the pattern at `p` into `s`; returns where the next one starts. A
 * quantifier with no atom before it counts as one of its own. */
static const char *parts_step(struct parts_stack *s, const char *p)
{
	struct group_parts *g = &s->g[s->n - 1];
	unsigned long long mult;
	size_t qlen = quantifier(p, &mult);
	if (qlen > 0) {
		g->atom = parts_mul(g->atom ? g->atom : 1, mult);
		return p + qlen;
	}
	if (*p == '(')
		group_open(s);
	else if (*p == ')' && s->n > 1)
		group_close(s);
	else if (*p == '|')
		atom_next(g, 0);
	else if (*p == '[')
		return atom_next(g, 1), bracket_end(p);
	else if (*p == '\\' && p[1])
		return atom_next(g, 1), p + 2;
	else
		atom_next(g, 1);
	return p + 1;
}

/* How many parts `pattern` expands to, as estimated above (at most PARTS_CEILING). */
static unsigned long long regex_parts(const char *pattern)
{
	struct parts_stack s = { 0 };
	group_open(&s); /* the whole pattern */
	for (const char *p = pattern; *p;)
		p = parts_step(&s, p);
	while (s.n > 1) /* groups left open: regcomp refuses them, but count them anyway */
		group_close(&s);
	unsigned long long total = parts_add(s.g[0].done, s.g[0].atom);
	free(s.g);
	return total;
}

/* Returns 0 when `pattern` is small enough to compile, or -1 with why not appended to `err`. */
static int check_size(const char *pattern, struct buf *err)
{
	unsigned long long parts = regex_parts(pattern);
	if (parts <= REGEX_PARTS_MAX)
		return 0;
	if (parts < PARTS_CEILING)
		buf_printf(err,
			   _("the regular expression is too big once its repetitions are "
			     "expanded: about %llu parts (the most is %d); use smaller {m,n} "
			     "counts or * and +"),
			   parts, REGEX_PARTS_MAX);
	else
		buf_printf(err,
			   _("the regular expression is too big once its repetitions are "
			     "expanded: more than %llu parts (the most is %d); use smaller {m,n} "
			     "counts or * and +"),
			   parts, REGEX_PARTS_MAX);
	return -1;
}

/* ---- Explanations ---------------------------------------------------------------------- */

static void explain_diff(struct buf *out, const struct text *e, const struct text *a)
{
	if (!e->ws)
		hint_invisible(out, e, a);
	diff_explain(out, e, a);
}

/* The note under a listing cut after its first lines. */
static void more_lines(struct buf *out, size_t n)
{
	buf_printf(out, P_("  … %zu more line\n", "  … %zu more lines\n", n), n);
}

/* The first lines of what the program printed, numbered. */
static void show_output_start(struct buf *out, const char *s, size_t len)
{
	struct text t;
	if (len == 0) {
		buf_puts(out, _("your output: (no output)\n"));
		return;
	}
	text_split(&t, s, len, false);
	size_t shown = t.n < PREVIEW_LINES ? t.n : PREVIEW_LINES;
	if (shown < t.n)
		buf_printf(out, _("your output (%zu lines), first %zu:\n"), t.n, shown);
	else
		buf_printf(out, P_("your output (%zu line):\n", "your output (%zu lines):\n", t.n),
			   t.n);
	text_write_numbered(out, &t, shown);
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
			buf_puts(out, _(" (at the end of a line)"));
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
		buf_puts(out, _("Your output contains it with different upper/lower case.\n"));
		return;
	}
	size_t m = nlen - 1;
	if (nlen > 1 && needle[m] == '\n' && len >= m && memcmp(s + len - m, needle, m) == 0)
		buf_puts(out, _("Your output contains it, but without the final newline.\n"));
}

static void explain_contains(struct buf *out, const struct wanted *exp, const char *s, size_t len)
{
	buf_puts(out, _("expected the output to contain:\n"));
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
	buf_puts(out, _("expected the output to match the regular expression:\n"));
	show_expected(out, pattern, strlen(pattern));
	if (regex_parts(pattern) <= REGEX_PARTS_MAX &&
	    regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE | REG_ICASE) == 0) {
		if (regex_search(&re, s, len) == 0)
			buf_puts(out, _("It matches only if upper/lower case is ignored.\n"));
		regfree(&re);
	}
	show_output_start(out, s, len);
}

static enum compare_result compare_regex(const struct wanted *exp, const char *s, size_t len,
					 struct buf *out)
{
	regex_t re;
	char *pattern = xmemdup(exp->text, exp->len);
	if (check_size(pattern, out) < 0) {
		free(pattern);
		return COMPARE_BAD_PATTERN;
	}
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

/* A sealed expectation: by digest, and nothing of the expected output in the explanation. */
static enum compare_result compare_sealed(const struct wanted *exp, const char *s, size_t len,
					  struct buf *out)
{
	unsigned char got[SHA256_BYTES];
	if (exp->len != SHA256_BYTES) {
		buf_printf(out,
			   _("a sealed expectation must hold a SHA-256 digest (%d bytes), not %zu"),
			   SHA256_BYTES, exp->len);
		return COMPARE_BAD_PATTERN;
	}
	compare_seal(exp->mode, s, len, got);
	if (memcmp(got, exp->text, SHA256_BYTES) == 0)
		return COMPARE_MATCH;
	buf_puts(out, _("The output differs from the expected one, which is sealed in this kit: "
			"it is checked, not shown.\n"));
	show_output_start(out, s, len);
	return COMPARE_MISMATCH;
}

/* exact and trailing_ws. */
static enum compare_result compare_lines(const struct wanted *exp, const char *s, size_t len,
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

enum compare_result compare_output(const struct wanted *exp, const char *actual, size_t len,
				   struct buf *why)
{
	static char empty[1];
	struct buf scratch = BUF_INIT;
	struct buf *out = why ? why : &scratch;
	struct wanted e = *exp;
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
	case CMP_SEALED_EXACT:
	case CMP_SEALED_TRAILING_WS:
		res = compare_sealed(&e, actual, len, out);
		break;
	default:
		buf_printf(out, _("unknown comparison mode %d"), (int)e.mode);
		res = COMPARE_BAD_PATTERN;
		break;
	}
	buf_free(&scratch);
	return res;
}

int compare_check_regex(const char *pattern, struct buf *err)
{
	regex_t re;
	if (check_size(pattern, err) < 0)
		return -1;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE);
	if (rc != 0) {
		regerror_append(err, rc, &re);
		return -1;
	}
	regfree(&re);
	return 0;
}
