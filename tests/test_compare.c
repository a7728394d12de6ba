/* test_compare.c: the "compare" suite (compare.h): outcomes of every mode and the exact text
 * of the explanations students read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "i18n.h"
#include "suites.h"
#include "util.h"

/* Compares with the given mode; the explanation is left in `why` (reset first). */
static enum compare_result cmp(enum cmp_mode mode, const char *exp, size_t elen, const char *act,
			       size_t alen, struct buf *why)
{
	char *text = xmemdup(exp, elen);
	struct wanted e = { .text = text, .len = elen, .mode = mode };
	buf_reset(why);
	enum compare_result r = compare_output(&e, act, alen, why);
	free(text);
	return r;
}

/* For string literals, NUL bytes included. */
#define CMP(mode, exp, act, why) cmp(mode, exp, sizeof(exp) - 1, act, sizeof(act) - 1, why)

static char *visible(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	compare_visible(&b, s, len);
	return buf_detach(&b);
}

#define ck_visible(in, want)                                                                       \
	do {                                                                                       \
		char *v_ = visible(in, sizeof(in) - 1);                                            \
		ck_assert_str_eq(v_, want);                                                        \
		free(v_);                                                                          \
	} while (0)

/* Whether `s` (len bytes) is valid UTF-8 with no control character (C0, DEL, C1) but '\n'. */
static bool clean_utf8(const char *s, size_t len)
{
	static const uint32_t min_cp[] = { 0, 0x80, 0x800, 0x10000 };
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t more; /* continuation bytes */
		uint32_t cp;
		if (u[i] < 0x80)
			more = 0, cp = u[i];
		else if (u[i] >= 0xc2 && u[i] <= 0xdf)
			more = 1, cp = u[i] & 0x1fu;
		else if (u[i] >= 0xe0 && u[i] <= 0xef)
			more = 2, cp = u[i] & 0x0fu;
		else if (u[i] >= 0xf0 && u[i] <= 0xf4)
			more = 3, cp = u[i] & 0x07u;
		else
			return false;
		if (i + more >= len)
			return false;
		for (size_t k = 1; k <= more; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + k] & 0x3fu);
		}
		if (cp < min_cp[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp <= 0x9f))
			return false;
		i += more + 1;
	}
	return true;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- outcomes ---- */

START_TEST(test_exact_outcomes)
{
	struct buf why = BUF_INIT;
	ck_assert_int_eq(CMP(CMP_EXACT, "hola\n", "hola\n", &why), COMPARE_MATCH);
	ck_assert_uint_eq(why.len, 0);
	ck_assert_int_eq(CMP(CMP_EXACT, "", "", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_EXACT, "hola\n", "hola", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_EXACT, "hola\n", "hola \n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_EXACT, "a\nb\n", "a\r\nb\r\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_EXACT, "a\n", "a\n\n", &why), COMPARE_MISMATCH);
	/* NUL bytes are compared like any other byte, past the first one */
	ck_assert_int_eq(CMP(CMP_EXACT, "a\0b\n", "a\0b\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_EXACT, "a\0b\n", "a\0c\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_EXACT, "a\0b\n", "a\n", &why), COMPARE_MISMATCH);
	ck_assert_ptr_nonnull(strstr(why.data, "- 1   a\\x00b\n+ 1   a\n"));
	/* a NULL output is empty output; a NULL `why` is allowed */
	struct wanted e = { .text = NULL, .len = 0, .mode = CMP_EXACT };
	ck_assert_int_eq(compare_output(&e, NULL, 0, NULL), COMPARE_MATCH);
	buf_free(&why);
}
END_TEST

START_TEST(test_trailing_ws_outcomes)
{
	struct buf why = BUF_INIT;
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\nb", "a \nb\n\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a \nb\n\n", "a\nb", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\nb\n", "a\r\nb\r\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\nb\n", "a\t \r\nb", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "", "\n \n\t\n", &why), COMPARE_MATCH);
	ck_assert_uint_eq(why.len, 0);
	/* only the end of lines is forgiven */
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a b\n", "a  b\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\nb\n", " a\nb\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\nb\n", "a\n\nb\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\rb\n", "ab\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\0\n", "a\0 \n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_TRAILING_WS, "a\0\n", "a\n", &why), COMPARE_MISMATCH);
	buf_free(&why);
}
END_TEST

START_TEST(test_contains_outcomes)
{
	struct buf why = BUF_INIT;
	ck_assert_int_eq(CMP(CMP_CONTAINS, "recibió", "Hijo recibió: hola\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_CONTAINS, "", "", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_CONTAINS, "adiós", "Hijo recibió: hola\n", &why),
			 COMPARE_MISMATCH);
	/* found after a NUL byte, and a NUL inside the expected text */
	ck_assert_int_eq(CMP(CMP_CONTAINS, "hola", "\0\0xx hola\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_CONTAINS, "a\0b", "xx a\0b yy", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_CONTAINS, "a\0b", "xx a\0c yy", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_CONTAINS, "hola", "", &why), COMPARE_MISMATCH);
	buf_free(&why);
}
END_TEST

START_TEST(test_regex_outcomes)
{
	struct buf why = BUF_INIT;
	ck_assert_int_eq(CMP(CMP_REGEX, "^Hijo recibi.+ [0-9]+ bytes$",
			     "x\nHijo recibió 5 bytes\ny\n", &why),
			 COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_REGEX, "[0-9]+ bytes", "recibió 5 bytes\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_REGEX, "^bytes$", "5 bytes\n", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_REGEX, "a.b", "a\nb", &why), COMPARE_MISMATCH); /* REG_NEWLINE */
	/* the whole output is searched, past NUL bytes */
	ck_assert_int_eq(CMP(CMP_REGEX, "^fin [0-9]$", "\0\0basura\nfin 7\n", &why), COMPARE_MATCH);
	ck_assert_int_eq(CMP(CMP_REGEX, "fin", "\0", &why), COMPARE_MISMATCH);
	ck_assert_int_eq(CMP(CMP_REGEX, "", "", &why), COMPARE_MATCH);
	buf_free(&why);
}
END_TEST

START_TEST(test_bad_regex)
{
	struct buf why = BUF_INIT;
	buf_puts(&why, "stdout: ");
	struct wanted e = { .text = "(a", .len = 2, .mode = CMP_REGEX };
	ck_assert_int_eq(compare_output(&e, "a", 1, &why), COMPARE_BAD_PATTERN);
	ck_assert_str_eq(why.data, "stdout: Unmatched ( or \\(");

	struct buf err = BUF_INIT;
	ck_assert_int_eq(compare_check_regex("^[0-9]+ bytes$", &err), 0);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_int_eq(compare_check_regex("a{2,1}", &err), -1);
	ck_assert_str_eq(err.data, "Invalid content of \\{\\}");
	buf_free(&err);
	buf_free(&why);
}
END_TEST

/* The refusal of a regex that expands to about `n` parts. */
#define TOO_BIG(n)                                                                                 \
	"the regular expression is too big once its repetitions are expanded: about " n " parts "  \
	"(the most is 1000); use smaller {m,n} counts or * and +"

/* Checks `pattern` with compare_check_regex(): accepted when `refusal` is NULL, else refused
 * with exactly that text. */
static void ck_regex_size(const char *pattern, const char *refusal)
{
	struct buf err = BUF_INIT;
	int rc = compare_check_regex(pattern, &err);
	if (refusal) {
		ck_assert_msg(rc == -1, "%s accepted", pattern);
		ck_assert_str_eq(err.data, refusal);
	} else {
		ck_assert_msg(rc == 0, "%s refused: %s", pattern, err.data ? err.data : "");
		ck_assert_uint_eq(err.len, 0);
	}
	buf_free(&err);
}

/* Patterns are sized before regcomp() runs: an atom is one part, a group its contents plus one,
 * {m,n} multiplies by n and *, + and {m,} by their lower bound plus one. These refusals take
 * no time; regcomp() alone needs gigabytes for the first ones. */
START_TEST(test_regex_size)
{
	ck_regex_size("x{0,100}", NULL);                       /* 100 */
	ck_regex_size("(ab|cd){2,5}", NULL);                   /* (4 + 1) * 5 */
	ck_regex_size("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", NULL); /* 1 + 3 + (1 + 3 + 1) * 3 + 1 */
	ck_regex_size("^.*[a-z]+ (x|y)* [0-9]{4,}$", NULL);
	ck_regex_size("x{0,1000}", NULL); /* the most allowed */
	ck_regex_size("x{0,1001}", TOO_BIG("1001"));
	ck_regex_size("a{1,32767}{1,32767}", TOO_BIG("1073676289"));
	ck_regex_size("(a{1,200}){1,200}", TOO_BIG("40200"));
	ck_regex_size("(x?){500,}", TOO_BIG("1002"));  /* (1 + 1) * 501 */
	ck_regex_size("(x+){1,500}", TOO_BIG("1500")); /* (2 + 1) * 500 */
	ck_regex_size("(){1,32767}{1,32767}", TOO_BIG("1073676289"));
	ck_regex_size("{1,2000}", TOO_BIG("2000")); /* a quantifier with no atom */
	ck_regex_size("((a{1,32767}){1,32767}){1,32767}{1,32767}{1,32767}",
		      "the regular expression is too big once its repetitions are expanded: more than "
		      "1000000000000000000 parts (the most is 1000); use smaller {m,n} counts or * and +");
	/* Brackets and escapes are one atom each, whatever they hold. */
	ck_regex_size("[]{1,5000}]", NULL);
	ck_regex_size("[^]{1,5000}]", NULL);
	ck_regex_size("[[:alpha:]{1,5000}]", NULL);
	ck_regex_size("[[.].]{1,5000}]", NULL);
	ck_regex_size("a\\{1,5000}", NULL);
	ck_regex_size("[[:digit:]]{1,5000}", TOO_BIG("5000"));
	/* every nested group counts */
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_puts(&deep, "(");
	buf_puts(&deep, "a");
	for (int i = 0; i < 1000; i++)
		buf_puts(&deep, ")");
	ck_regex_size(deep.data, TOO_BIG("1001"));
	buf_free(&deep);

	/* compare_output() refuses them the same way. */
	struct buf why = BUF_INIT;
	ck_assert_int_eq(CMP(CMP_REGEX, "a{1,32767}{1,32767}", "aaa", &why), COMPARE_BAD_PATTERN);
	ck_assert_str_eq(why.data, TOO_BIG("1073676289"));
	ck_assert_int_eq(CMP(CMP_REGEX, "x{0,100}", "xx", &why), COMPARE_MATCH);
	buf_free(&why);
}
END_TEST

/* ---- compare_visible ---- */

START_TEST(test_visible)
{
	ck_visible("", "");
	ck_visible("hola mundo\n", "hola mundo\n");
	ck_visible("a  \nb \n", "a··\nb·\n"); /* only trailing spaces */
	ck_visible("a b  ", "a b··");         /* the end of the text ends a line */
	ck_visible("a \r\n", "a·\\r\n");      /* a space before \r is trailing */
	ck_visible("\ta\tb\t", "→a→b→");
	ck_visible("x\r\n", "x\\r\n");
	ck_visible("\x1b[1mX\x1b[0m", "\\x1b[1mX\\x1b[0m");
	ck_visible("a\0b\0", "a\\x00b\\x00");
	ck_visible("\x7f\x01", "\\x7f\\x01");
	ck_visible("\xff", "\\xff");
	ck_visible("recibió línea ñ €\n", "recibió línea ñ €\n");
	ck_visible("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"); /* 4-byte sequence kept */
	/* multi-byte sequences cut in half */
	ck_visible("recibi\xc3", "recibi\\xc3");
	ck_visible("\xc3\n\xb3", "\\xc3\n\\xb3");
	ck_visible("\xe2\x82", "\\xe2\\x82");
	ck_visible("\xe2\x82x", "\\xe2\\x82x");
	/* invalid: overlong, surrogate, lone continuation, beyond U+10FFFF */
	ck_visible("\xc0\xaf", "\\xc0\\xaf");
	ck_visible("\xed\xa0\x80", "\\xed\\xa0\\x80");
	ck_visible("\x80", "\\x80");
	ck_visible("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	/* valid but invisible code points */
	ck_visible("a\xc2\xa0"
		   "b",
		   "a\\u{a0}b");                         /* no-break space */
	ck_visible("\xef\xbb\xbfhola", "\\u{feff}hola"); /* byte order mark */
	ck_visible("\xc2\x85", "\\u{85}");               /* C1 control */
	ck_visible("a\xe2\x80\x8b", "a\\u{200b}");       /* zero-width space */
}
END_TEST

START_TEST(test_visible_appends)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "> ");
	compare_visible(&b, "x \n", 3);
	ck_assert_str_eq(b.data, "> x·\n");
	buf_free(&b);
}
END_TEST

/* ---- explanations: whole text ---- */

START_TEST(test_diff_trailing_space)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "Hijo recibió: hola\nHijo recibió 5 bytes\n",
	    "Hijo recibió: hola\nHijo recibió 5 bytes \n", &why);
	ck_assert_str_eq(why.data, "The only difference is whitespace at the end of a line.\n"
				   "first difference at line 2 (- expected, + your output):\n"
				   "  1   Hijo recibió: hola\n"
				   "- 2   Hijo recibió 5 bytes\n"
				   "+ 2   Hijo recibió 5 bytes·\n"
				   "                          ^\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_diff_changed_word)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "uno\ndos\nHijo recibió 5 bytes\ntres\ncuatro\ncinco\n",
	    "uno\ndos\nHijo recibio 5 bytes\ntres\ncuatro\ncinco\n", &why);
	ck_assert_str_eq(why.data, "first difference at line 3 (- expected, + your output):\n"
				   "  1   uno\n"
				   "  2   dos\n"
				   "- 3   Hijo recibió 5 bytes\n"
				   "+ 3   Hijo recibio 5 bytes\n"
				   "                 ^\n"
				   "  4   tres\n"
				   "  5   cuatro\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_diff_blocks_and_gap)
{
	struct buf why = BUF_INIT;
	CMP(CMP_TRAILING_WS, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
	    "1\n2\n3\n4 \n5\n6\n7\n8\n9\n10\n11\nextra\n12\n", &why);
	ck_assert_str_eq(why.data, "first difference at line 12 (- expected, + your output):\n"
				   "  10   10\n"
				   "  11   11\n"
				   "+ 12   extra\n"
				   "  12   12\n");
	CMP(CMP_EXACT, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nB\nc\nd\ne\nf\ng\nh\nj\n", &why);
	ck_assert_str_eq(why.data, "first difference at line 2 (- expected, + your output):\n"
				   "   1   a\n"
				   "-  2   b\n"
				   "+  2   B\n"
				   "       ^\n"
				   "   3   c\n"
				   "   4   d\n"
				   "   ⋮\n"
				   "   7   g\n"
				   "   8   h\n"
				   "-  9   i\n"
				   "  10   j\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_diff_no_output)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "hola\nadiós\n", "", &why);
	ck_assert_str_eq(why.data, "first difference at line 1 (- expected, + your output):\n"
				   "- 1   hola\n"
				   "- 2   adiós\n"
				   "+     (no output)\n");
	CMP(CMP_EXACT, "", "hola\n", &why);
	ck_assert_str_eq(why.data, "first difference at line 1 (- expected, + your output):\n"
				   "-     (no output)\n"
				   "+ 1   hola\n");
	CMP(CMP_TRAILING_WS, "hola\n", " \n\n", &why);
	ck_assert_str_eq(why.data, "first difference at line 1 (- expected, + your output):\n"
				   "- 1   hola\n"
				   "+     (only whitespace)\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_diff_trailing_ws_shows_stripped_lines)
{
	struct buf why = BUF_INIT;
	/* trailing blanks are ignored, so they are not shown either */
	CMP(CMP_TRAILING_WS, "a \nb\n", "a\r\nc  \n", &why);
	ck_assert_str_eq(why.data, "first difference at line 2 (- expected, + your output):\n"
				   "  1   a\n"
				   "- 2   b\n"
				   "+ 2   c\n"
				   "      ^\n");
	buf_free(&why);
}
END_TEST

/* ---- explanations: one-sentence hints ---- */

static void ck_hint(const char *exp, const char *act, const char *hint)
{
	struct buf why = BUF_INIT;
	ck_assert_int_eq(cmp(CMP_EXACT, exp, strlen(exp), act, strlen(act), &why),
			 COMPARE_MISMATCH);
	size_t n = strlen(hint);
	ck_assert_msg(strncmp(why.data, hint, n) == 0 && why.data[n] == '\n',
		      "want hint \"%s\", got:\n%s", hint, why.data);
	buf_free(&why);
}

START_TEST(test_hints)
{
	ck_hint("a\nb\n", "a\nb", "Your output lacks the final newline.");
	ck_hint("a\nb", "a\nb\n", "Your output ends with a newline that is not expected.");
	ck_hint("a\nb\n", "a\r\nb\r\n", "Your output has Windows line endings (\\r\\n).");
	ck_hint("a\r\n", "a\n",
		"The expected output has Windows line endings (\\r\\n); yours does not.");
	ck_hint("a\nb\n", "a \nb\n", "The only difference is whitespace at the end of a line.");
	ck_hint("a\nb\n", "a\t\nb \n",
		"The only difference is whitespace at the end of some lines.");
	ck_hint("a\n", "a\n\n", "Your output has 1 extra empty line at the end.");
	ck_hint("a\n\n\n", "a\n", "Your output lacks 2 empty lines at the end.");
	ck_hint("a\nb\n", "a \r\nb\r\n\n",
		"The only differences are invisible: Windows line endings (\\r\\n) in your output, "
		"whitespace at the end of lines and empty lines at the end.");

	/* a visible difference gets no hint */
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "a\nb\n", "a \nc", &why);
	ck_assert_str_eq(why.data, "first difference at line 1 (- expected, + your output):\n"
				   "- 1   a\n"
				   "+ 1   a·\n"
				   "       ^\n"
				   "- 2   b\n"
				   "+ 2   c (no newline at end)\n"
				   "      ^\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_final_newline_diff)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "a\nb\n", "a\nb", &why);
	ck_assert_str_eq(why.data, "Your output lacks the final newline.\n"
				   "first difference at line 2 (- expected, + your output):\n"
				   "  1   a\n"
				   "- 2   b\n"
				   "+ 2   b (no newline at end)\n");
	buf_free(&why);
}
END_TEST

/* ---- explanations: contains and regex ---- */

START_TEST(test_contains_explanation)
{
	struct buf why = BUF_INIT;
	CMP(CMP_CONTAINS, "Total: 5 \n", "Hijo recibió: hola\n\x1b[31mTotal: 4\x1b[0m\n", &why);
	ck_assert_str_eq(why.data, "expected the output to contain:\n"
				   "  Total: 5· (at the end of a line)\n"
				   "your output (2 lines):\n"
				   "  1   Hijo recibió: hola\n"
				   "  2   \\x1b[31mTotal: 4\\x1b[0m\n");
	CMP(CMP_CONTAINS, "Hola", "hola mundo", &why);
	ck_assert_str_eq(why.data, "expected the output to contain:\n"
				   "  Hola\n"
				   "Your output contains it with different upper/lower case.\n"
				   "your output (1 line):\n"
				   "  1   hola mundo (no newline at end)\n");
	CMP(CMP_CONTAINS, "fin\n", "a\nfin", &why);
	ck_assert_str_eq(why.data, "expected the output to contain:\n"
				   "  fin (at the end of a line)\n"
				   "Your output contains it, but without the final newline.\n"
				   "your output (2 lines):\n"
				   "  1   a\n"
				   "  2   fin (no newline at end)\n");
	CMP(CMP_CONTAINS, "hola", "", &why);
	ck_assert_str_eq(why.data, "expected the output to contain:\n"
				   "  hola\n"
				   "your output: (no output)\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_contains_preview_is_bounded)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	for (int i = 1; i <= 25; i++)
		buf_printf(&out, "line %d\n", i);
	cmp(CMP_CONTAINS, "x", 1, out.data, out.len, &why);
	ck_assert_ptr_nonnull(strstr(why.data, "your output (25 lines), first 10:\n"
					       "   1   line 1\n"));
	ck_assert_ptr_nonnull(strstr(why.data, "  10   line 10\n  … 15 more lines\n"));
	ck_assert_ptr_null(strstr(why.data, "line 11"));
	buf_free(&out);
	buf_free(&why);
}
END_TEST

START_TEST(test_regex_explanation)
{
	struct buf why = BUF_INIT;
	CMP(CMP_REGEX, "^[0-9]+ bytes$", "Hijo recibió\nhola bytes\n", &why);
	ck_assert_str_eq(why.data, "expected the output to match the regular expression:\n"
				   "  ^[0-9]+ bytes$\n"
				   "your output (2 lines):\n"
				   "  1   Hijo recibió\n"
				   "  2   hola bytes\n");
	CMP(CMP_REGEX, "^fin$", "FIN\n", &why);
	ck_assert_str_eq(why.data, "expected the output to match the regular expression:\n"
				   "  ^fin$\n"
				   "It matches only if upper/lower case is ignored.\n"
				   "your output (1 line):\n"
				   "  1   FIN\n");
	CMP(CMP_REGEX, "x", "", &why);
	ck_assert_str_eq(why.data, "expected the output to match the regular expression:\n"
				   "  x\n"
				   "your output: (no output)\n");
	buf_free(&why);
}
END_TEST

/* ---- bounds ---- */

START_TEST(test_long_line_is_cut)
{
	struct buf e = BUF_INIT, a = BUF_INIT, why = BUF_INIT;
	for (int i = 0; i < 500; i++)
		buf_puts(&e, "ó");
	buf_append(&a, e.data, e.len);
	buf_puts(&e, "\n");
	buf_puts(&a, "X\n");
	cmp(CMP_EXACT, e.data, e.len, a.data, a.len, &why);
	/* the difference is at column 500: both lines are shown from 60 columns before it */
	struct buf want = BUF_INIT;
	buf_puts(&want, "first difference at line 1 (- expected, + your output):\n- 1   …");
	for (int i = 0; i < 60; i++)
		buf_puts(&want, "ó");
	buf_puts(&want, "\n+ 1   …");
	for (int i = 0; i < 60; i++)
		buf_puts(&want, "ó");
	buf_puts(&want, "X\n");
	for (int i = 0; i < 6 + 61; i++)
		buf_puts(&want, " ");
	buf_puts(&want, "^\n");
	ck_assert_str_eq(why.data, want.data);

	/* a long unchanged line is cut at 200 columns */
	buf_reset(&e);
	buf_reset(&a);
	for (int i = 0; i < 1000; i++)
		buf_puts(&e, "ab");
	buf_puts(&e, "\nx\n");
	buf_append(&a, e.data, e.len - 2);
	buf_puts(&a, "y\n");
	cmp(CMP_EXACT, e.data, e.len, a.data, a.len, &why);
	char *line = strstr(why.data, "  1   ab");
	ck_assert_ptr_nonnull(line);
	ck_assert_uint_eq(strcspn(line, "\n"), 6 + 200 + strlen("…"));
	ck_assert_ptr_nonnull(strstr(line, "ab…\n- 2   x\n+ 2   y\n"));
	buf_free(&want);
	buf_free(&e);
	buf_free(&a);
	buf_free(&why);
}
END_TEST

START_TEST(test_long_diff_is_truncated)
{
	struct buf e = BUF_INIT, a = BUF_INIT, why = BUF_INIT;
	for (int i = 0; i < 5000; i++) {
		buf_printf(&e, "expected line %d\n", i);
		buf_printf(&a, "your line %d\n", i);
	}
	ck_assert_int_eq(cmp(CMP_EXACT, e.data, e.len, a.data, a.len, &why), COMPARE_MISMATCH);
	ck_assert_uint_le(count_lines(why.data), 43);
	ck_assert_uint_lt(why.len, 4000);
	ck_assert_ptr_nonnull(strstr(why.data,
				     "first difference at line 1 (- expected, + your output):\n"
				     "-  1   expected line 0\n"
				     "+  1   your line 0\n"
				     "-  2   expected line 1\n"));
	ck_assert_ptr_nonnull(strstr(why.data, "+ 20   your line 19\n… 3960"));
	ck_assert_ptr_nonnull(
		strstr(why.data,
		       "\n… 3960 more differing lines not shown, and more after line 2000 "
		       "(expected has 5000 lines, your output has 5000).\n"));

	/* small enough to diff whole: an exact count */
	buf_reset(&e);
	buf_reset(&a);
	for (int i = 0; i < 300; i++) {
		buf_printf(&e, "e%d\n", i);
		buf_printf(&a, "a%d\n", i);
	}
	cmp(CMP_TRAILING_WS, e.data, e.len, a.data, a.len, &why);
	ck_assert_uint_le(count_lines(why.data), 42);
	ck_assert_ptr_nonnull(strstr(why.data, "\n… 560 more differing lines not shown "
					       "(expected has 300 lines, your output has 300).\n"));
	buf_free(&e);
	buf_free(&a);
	buf_free(&why);
}
END_TEST

START_TEST(test_large_outputs_one_change)
{
	/* 200000 lines with one change in the middle: prefix and suffix are skipped */
	struct buf e = BUF_INIT, a = BUF_INIT, why = BUF_INIT;
	for (int i = 0; i < 200000; i++) {
		buf_printf(&e, "%d\n", i);
		buf_printf(&a, "%d\n", i == 123456 ? -1 : i);
	}
	cmp(CMP_EXACT, e.data, e.len, a.data, a.len, &why);
	ck_assert_str_eq(why.data, "first difference at line 123457 (- expected, + your output):\n"
				   "  123455   123454\n"
				   "  123456   123455\n"
				   "- 123457   123456\n"
				   "+ 123457   -1\n"
				   "           ^\n"
				   "  123458   123457\n"
				   "  123459   123458\n");

	/* two changes far apart in large outputs: the second is beyond the diffed window */
	buf_reset(&a);
	for (int i = 0; i < 200000; i++)
		buf_printf(&a, "%d\n", i == 10 || i == 150000 ? -1 : i);
	cmp(CMP_EXACT, e.data, e.len, a.data, a.len, &why);
	ck_assert_ptr_nonnull(strstr(why.data, "- 11   10\n+ 11   -1\n"));
	ck_assert_ptr_nonnull(strstr(why.data,
				     "… more differences after line 2010 not shown "
				     "(expected has 200000 lines, your output has 200000).\n"));
	buf_free(&e);
	buf_free(&a);
	buf_free(&why);
}
END_TEST

START_TEST(test_binary_garbage_is_clean)
{
	static const enum cmp_mode modes[] = { CMP_EXACT, CMP_TRAILING_WS, CMP_CONTAINS,
					       CMP_REGEX };
	static const char *const pat[] = { "hola", "hola", "zz\x1b\xff", "^[^\\x]{300}$" };
	uint32_t seed = 12345;
	struct buf why = BUF_INIT;
	for (int round = 0; round < 200; round++) {
		size_t len = (size_t)round * 37 % 3000;
		char *garbage = xmalloc(len + 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			garbage[i] = (char)(seed >> 16);
		}
		for (size_t m = 0; m < 4; m++) {
			const char *e = m < 2 && round % 2 ? garbage + len / 2 : pat[m];
			size_t elen = m < 2 && round % 2 ? len - len / 2 : strlen(pat[m]);
			enum compare_result r = cmp(modes[m], e, elen, garbage, len, &why);
			ck_assert_int_ne(r, COMPARE_BAD_PATTERN);
			if (r == COMPARE_MISMATCH)
				ck_assert_uint_gt(why.len, 0);
			ck_assert_msg(clean_utf8(why.data ? why.data : "", why.len),
				      "not clean UTF-8 (mode %zu, round %d):\n%s", m, round,
				      why.data);
		}
		char *v = visible(garbage, len);
		ck_assert(clean_utf8(v, strlen(v)));
		free(v);
		free(garbage);
	}
	buf_free(&why);
}
END_TEST

/* ---- explanations in Spanish ---- */

static void spanish_setup(void)
{
	i18n_set("es");
}

static void spanish_teardown(void)
{
	i18n_set("en");
}

START_TEST(test_es_diff_trailing_space)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "Hijo recibió: hola\nHijo recibió 5 bytes\n",
	    "Hijo recibió: hola\nHijo recibió 5 bytes \n", &why);
	ck_assert_str_eq(why.data,
			 "La única diferencia son espacios en blanco al final de una línea.\n"
			 "primera diferencia en la línea 2 (- esperada, + tu salida):\n"
			 "  1   Hijo recibió: hola\n"
			 "- 2   Hijo recibió 5 bytes\n"
			 "+ 2   Hijo recibió 5 bytes·\n"
			 "                          ^\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_es_final_newline)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "a\nb\n", "a\nb", &why);
	ck_assert_str_eq(why.data, "A tu salida le falta el salto de línea final.\n"
				   "primera diferencia en la línea 2 (- esperada, + tu salida):\n"
				   "  1   a\n"
				   "- 2   b\n"
				   "+ 2   b (sin salto de línea final)\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_es_no_output)
{
	struct buf why = BUF_INIT;
	CMP(CMP_EXACT, "hola\nadiós\n", "", &why);
	ck_assert_str_eq(why.data, "primera diferencia en la línea 1 (- esperada, + tu salida):\n"
				   "- 1   hola\n"
				   "- 2   adiós\n"
				   "+     (sin salida)\n");
	CMP(CMP_TRAILING_WS, "hola\n", " \n\n", &why);
	ck_assert_str_eq(why.data, "primera diferencia en la línea 1 (- esperada, + tu salida):\n"
				   "- 1   hola\n"
				   "+     (solo espacios en blanco)\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_es_contains)
{
	struct buf why = BUF_INIT;
	CMP(CMP_CONTAINS, "Total: 5 \n", "Hijo recibió: hola\n\x1b[31mTotal: 4\x1b[0m\n", &why);
	ck_assert_str_eq(why.data, "se esperaba que la salida contuviera:\n"
				   "  Total: 5· (al final de una línea)\n"
				   "tu salida (2 líneas):\n"
				   "  1   Hijo recibió: hola\n"
				   "  2   \\x1b[31mTotal: 4\\x1b[0m\n");
	CMP(CMP_CONTAINS, "Hola", "hola mundo", &why);
	ck_assert_str_eq(why.data, "se esperaba que la salida contuviera:\n"
				   "  Hola\n"
				   "Tu salida lo contiene, pero con otras mayúsculas/minúsculas.\n"
				   "tu salida (1 línea):\n"
				   "  1   hola mundo (sin salto de línea final)\n");
	CMP(CMP_CONTAINS, "fin\n", "a\nfin", &why);
	ck_assert_str_eq(why.data, "se esperaba que la salida contuviera:\n"
				   "  fin (al final de una línea)\n"
				   "Tu salida lo contiene, pero sin el salto de línea final.\n"
				   "tu salida (2 líneas):\n"
				   "  1   a\n"
				   "  2   fin (sin salto de línea final)\n");
	CMP(CMP_CONTAINS, "hola", "", &why);
	ck_assert_str_eq(why.data, "se esperaba que la salida contuviera:\n"
				   "  hola\n"
				   "tu salida: (sin salida)\n");
	buf_free(&why);
}
END_TEST

START_TEST(test_es_regex)
{
	struct buf why = BUF_INIT;
	CMP(CMP_REGEX, "^fin$", "FIN\n", &why);
	ck_assert_str_eq(why.data,
			 "se esperaba que la salida coincidiera con la expresión regular:\n"
			 "  ^fin$\n"
			 "Solo coincide si no se distinguen mayúsculas de minúsculas.\n"
			 "tu salida (1 línea):\n"
			 "  1   FIN\n");
	buf_free(&why);
}
END_TEST

/* Spanish plurals change the verb and the adjective too, not only the noun. */
START_TEST(test_es_hints_and_plurals)
{
	ck_hint("a\nb\n", "a\r\nb\r\n", "Tu salida tiene fines de línea de Windows (\\r\\n).");
	ck_hint("a\r\n", "a\n",
		"La salida esperada tiene fines de línea de Windows (\\r\\n); la tuya no.");
	ck_hint("a\nb", "a\nb\n", "Tu salida termina con un salto de línea que no se esperaba.");
	ck_hint("a\nb\n", "a\t\nb \n",
		"La única diferencia son espacios en blanco al final de algunas líneas.");
	ck_hint("a\n", "a\n\n", "Tu salida tiene 1 línea vacía de más al final.");
	ck_hint("a\n", "a\n\n\n", "Tu salida tiene 2 líneas vacías de más al final.");
	ck_hint("a\n\n", "a\n", "A tu salida le falta 1 línea vacía al final.");
	ck_hint("a\n\n\n", "a\n", "A tu salida le faltan 2 líneas vacías al final.");
	ck_hint("a\nb\n", "a \r\nb\r\n\n",
		"Las únicas diferencias son invisibles: fines de línea de Windows (\\r\\n) en tu "
		"salida, espacios en blanco al final de las líneas y líneas vacías al final.");

	struct buf out = BUF_INIT, why = BUF_INIT;
	for (int i = 1; i <= 11; i++)
		buf_printf(&out, "line %d\n", i);
	cmp(CMP_CONTAINS, "x", 1, out.data, out.len, &why);
	ck_assert_ptr_nonnull(strstr(why.data, "tu salida (11 líneas), las 10 primeras:\n"));
	ck_assert_ptr_nonnull(strstr(why.data, "  10   line 10\n  … 1 línea más\n"));
	buf_free(&out);
	buf_free(&why);
}
END_TEST

START_TEST(test_es_long_diff_note)
{
	struct buf e = BUF_INIT, a = BUF_INIT, why = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		buf_printf(&e, "e%d\n", i);
		buf_printf(&a, "a%d\n", i);
	}
	cmp(CMP_TRAILING_WS, e.data, e.len, a.data, a.len, &why);
	ck_assert_ptr_nonnull(strstr(why.data,
				     "\n… no se muestran 560 líneas distintas más "
				     "(la salida esperada tiene 300 líneas y la tuya, 300).\n"));
	/* one differing line left out: singular */
	buf_reset(&e);
	buf_reset(&a);
	for (int i = 0; i < 40; i++)
		buf_printf(&e, "e%d\n", i);
	cmp(CMP_EXACT, e.data, e.len, "", 0, &why);
	ck_assert_ptr_nonnull(strstr(why.data,
				     "\n… no se muestra 1 línea distinta más "
				     "(la salida esperada tiene 40 líneas y la tuya, 0).\n"));
	buf_free(&e);
	buf_free(&a);
	buf_free(&why);
}
END_TEST

Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *t = tcase_create("outcomes");
	tcase_add_test(t, test_exact_outcomes);
	tcase_add_test(t, test_trailing_ws_outcomes);
	tcase_add_test(t, test_contains_outcomes);
	tcase_add_test(t, test_regex_outcomes);
	tcase_add_test(t, test_bad_regex);
	tcase_add_test(t, test_regex_size);
	suite_add_tcase(s, t);

	t = tcase_create("visible");
	tcase_add_test(t, test_visible);
	tcase_add_test(t, test_visible_appends);
	suite_add_tcase(s, t);

	t = tcase_create("explanations");
	tcase_add_test(t, test_diff_trailing_space);
	tcase_add_test(t, test_diff_changed_word);
	tcase_add_test(t, test_diff_blocks_and_gap);
	tcase_add_test(t, test_diff_no_output);
	tcase_add_test(t, test_diff_trailing_ws_shows_stripped_lines);
	tcase_add_test(t, test_hints);
	tcase_add_test(t, test_final_newline_diff);
	tcase_add_test(t, test_contains_explanation);
	tcase_add_test(t, test_contains_preview_is_bounded);
	tcase_add_test(t, test_regex_explanation);
	suite_add_tcase(s, t);

	t = tcase_create("spanish");
	tcase_add_checked_fixture(t, spanish_setup, spanish_teardown);
	tcase_add_test(t, test_es_diff_trailing_space);
	tcase_add_test(t, test_es_final_newline);
	tcase_add_test(t, test_es_no_output);
	tcase_add_test(t, test_es_contains);
	tcase_add_test(t, test_es_regex);
	tcase_add_test(t, test_es_hints_and_plurals);
	tcase_add_test(t, test_es_long_diff_note);
	suite_add_tcase(s, t);

	t = tcase_create("bounds");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, test_long_line_is_cut);
	tcase_add_test(t, test_long_diff_is_truncated);
	tcase_add_test(t, test_large_outputs_one_change);
	tcase_add_test(t, test_binary_garbage_is_clean);
	suite_add_tcase(s, t);
	return s;
}
