/*
 * compare.h: what a program printed against what a case expects.
 *
 * compare_output() decides whether one output stream meets what is wanted of it (the expected
 * bytes of a case's `struct expect`, in memory: struct wanted) and, when it does
 * not, writes a short readable explanation: for exact modes a line diff of expected against
 * actual in which invisible differences are made visible (trailing spaces shown as `·`, tabs as
 * `→`, `\r` as `\r`, a missing final newline as `(no newline at end)`, other non-printable bytes
 * as `\xNN`); for `contains` and `regex` the expected text or pattern and the start of the
 * output. Explanations are plain text, valid UTF-8 and free of control characters except `\n`,
 * whatever bytes the program printed, so every report format can carry them. They are written
 * in the language in force (i18n.h); the markers and sentences quoted here are the English
 * ones (in Spanish, for instance, `(sin salto de línea final)` and `(sin salida)`).
 *
 * An explanation for `exact` / `trailing_ws` looks like this in English:
 *
 *     The only difference is whitespace at the end of a line.
 *     first difference at line 2 (- expected, + your output):
 *       1   Hijo recibió: hola
 *     - 2   Hijo recibió 5 bytes
 *     + 2   Hijo recibió 5 bytes·
 *                               ^
 *
 * The first sentence appears (exact only) when the difference is invisible: trailing
 * whitespace, \r\n against \n, empty lines at the end or the final newline. Context lines are
 * numbered as in the expected output; a '^' row points at the first differing column of a
 * changed line when a block changes at most 3 lines; an empty side shows `(no output)`. Under
 * trailing_ws, lines are compared and shown without their trailing blanks.
 *
 * A sealed expectation (CMP_SEALED_EXACT, CMP_SEALED_TRAILING_WS: grading.yaml's "sealed", in
 * the student kit's hidden cases) holds only the SHA-256 digest of the expected output. The
 * output is hashed as compare_seal() says and passes when the digests are equal; when they are
 * not, the explanation says so in one sentence, "The output differs from the expected one,
 * which is sealed in this kit: it is checked, not shown.", followed by the start of the
 * program's own output, as for `contains`: no diff, and nothing of the expected output.
 */
#ifndef PIPEGRADE_COMPARE_H
#define PIPEGRADE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "sha256.h"
#include "util.h"

enum compare_result {
	COMPARE_MATCH,
	COMPARE_MISMATCH,
	COMPARE_BAD_PATTERN, /* the regex does not compile, or is too big to: a configuration error */
};

/* What one stream must be: the expected bytes, or the pattern, or in a sealed mode the digest
 * (SHA256_BYTES bytes), and how to compare. Points to memory the caller owns; `text` may be
 * NULL when `len` is 0. */
struct wanted {
	const char *text;
	size_t len;
	enum cmp_mode mode;
};

/* Compares `actual` (len bytes, may hold NUL; NULL when len is 0) against `exp`. On
 * COMPARE_MISMATCH appends an explanation to `why`, every line ending in '\n'
 * (at most about 40 lines of diff, each shown line cut at about 200 columns with `…`; a note says
 * how many differing lines were left out). On COMPARE_BAD_PATTERN appends regerror()'s text,
 * or compare_check_regex()'s "too big" sentence, without a newline. `why` may be NULL when
 * only the result is wanted. */
enum compare_result compare_output(const struct wanted *exp, const char *actual, size_t len,
				   struct buf *why);

/* Appends `len` bytes of `s` to `out` with invisible and non-printable bytes made visible as
 * described above: a space is trailing when only spaces, tabs and \r follow it before the next
 * '\n' or the end of `s`. Valid multi-byte UTF-8 sequences are kept as they are ("recibió"),
 * except code points that look like nothing or like a plain space (no-break space, zero-width
 * characters, byte order mark, C1 controls), shown as `\u{a0}`, `\u{feff}`...; each byte of an
 * invalid or cut sequence becomes `\xNN`. Newlines are kept; `(no newline at end)` is the diff's
 * business, not added here. */
void compare_visible(struct buf *out, const char *s, size_t len);

/* Checks that a regex compiles (used when loading grading.yaml). Before regcomp() runs, the
 * pattern's size once its repetitions are expanded is estimated without compiling it, since
 * regcomp() can take gigabytes on stacked or nested counts (a{1,32767}{1,32767}); past 1000
 * parts it is refused with one sentence, in the language in force: "the regular expression is
 * too big once its repetitions are expanded: about N parts (the most is 1000); use smaller
 * {m,n} counts or * and +" ("more than N" when the count is past 10^18). compare_output()
 * refuses such a pattern the same way. Returns 0, or -1 with the error text appended to `err`,
 * without a newline. */
int compare_check_regex(const char *pattern, struct buf *err);

/* Whether an expectation compared in `mode` can be sealed: exact and trailing_ws (and their
 * sealed forms), which compare bytes, as they are or normalised by pipegrade itself; not
 * contains and regex, which need the expected text or the pattern. */
bool compare_can_seal(enum cmp_mode mode);

/* The digest that seals `len` bytes of `s` (NULL when len is 0) as an output compared in
 * `mode`, one that compare_can_seal() accepts: SHA-256 of the bytes as they are for exact; for
 * trailing_ws, of the text as trailing_ws reads it: every line (split at '\n') without its
 * trailing spaces, tabs and '\r', each followed by '\n', without the empty lines at the end
 * (so "a \nb" and "a\nb\n\n" give the digest of "a\nb\n", and "" or "\n \n" that of ""). Two
 * texts are equal under a mode exactly when their digests under it are. The expected output
 * is sealed with it (`pipegrade kit`), and compare_output() hashes the output with it. */
void compare_seal(enum cmp_mode mode, const char *s, size_t len,
		  unsigned char digest[SHA256_BYTES]);

#endif
