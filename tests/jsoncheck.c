/* jsoncheck.c: see jsoncheck.h. Recursive descent; depth is bounded. */
#include "jsoncheck.h"

#include <string.h>

struct js {
	const unsigned char *s;
	size_t len, i;
	int depth;
};

static int value(struct js *j);

static void ws(struct js *j)
{
	while (j->i < j->len && strchr(" \t\r\n", j->s[j->i]) && j->s[j->i])
		j->i++;
}

static int lit(struct js *j, const char *w)
{
	size_t n = strlen(w);
	if (j->len - j->i < n || memcmp(j->s + j->i, w, n))
		return -1;
	j->i += n;
	return 0;
}

static int utf8(struct js *j)
{
	unsigned char c = j->s[j->i];
	size_t n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0 || c == 0xc0 || c == 0xc1 || c > 0xf4 || j->i + n > j->len)
		return -1;
	for (size_t k = 1; k < n; k++)
		if ((j->s[j->i + k] & 0xc0) != 0x80)
			return -1;
	j->i += n;
	return 0;
}

static int string(struct js *j)
{
	if (j->s[j->i] != '"')
		return -1;
	for (j->i++; j->i < j->len;) {
		unsigned char c = j->s[j->i];
		if (c == '"') {
			j->i++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c >= 0x80) {
			if (utf8(j) < 0)
				return -1;
			continue;
		}
		if (c == '\\') {
			j->i++;
			if (j->i >= j->len)
				return -1;
			c = j->s[j->i];
			if (c == 'u') {
				for (int k = 1; k <= 4; k++)
					if (j->i + k >= j->len ||
					    !strchr("0123456789abcdefABCDEF", j->s[j->i + k]) ||
					    !j->s[j->i + k])
						return -1;
				j->i += 4;
			} else if (!strchr("\"\\/bfnrt", c) || !c) {
				return -1;
			}
		}
		j->i++;
	}
	return -1;
}

static int number(struct js *j)
{
	size_t start = j->i;
	if (j->s[j->i] == '-')
		j->i++;
	size_t digits = j->i;
	while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	if (j->i == digits)
		return -1;
	if (j->i < j->len && j->s[j->i] == '.') {
		j->i++;
		size_t f = j->i;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
		if (j->i == f)
			return -1;
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		size_t e = j->i;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
		if (j->i == e)
			return -1;
	}
	return j->i > start ? 0 : -1;
}

static int members(struct js *j, char close, int keyed)
{
	j->i++;
	ws(j);
	if (j->i < j->len && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		ws(j);
		if (keyed) {
			if (j->i >= j->len || string(j) < 0)
				return -1;
			ws(j);
			if (j->i >= j->len || j->s[j->i] != ':')
				return -1;
			j->i++;
		}
		if (value(j) < 0)
			return -1;
		ws(j);
		if (j->i >= j->len)
			return -1;
		if (j->s[j->i] == close) {
			j->i++;
			return 0;
		}
		if (j->s[j->i] != ',')
			return -1;
		j->i++;
	}
}

static int value(struct js *j)
{
	ws(j);
	if (j->i >= j->len || ++j->depth > 200)
		return -1;
	int rc;
	switch (j->s[j->i]) {
	case '{':
		rc = members(j, '}', 1);
		break;
	case '[':
		rc = members(j, ']', 0);
		break;
	case '"':
		rc = string(j);
		break;
	case 't':
		rc = lit(j, "true");
		break;
	case 'f':
		rc = lit(j, "false");
		break;
	case 'n':
		rc = lit(j, "null");
		break;
	default:
		rc = number(j);
		break;
	}
	j->depth--;
	return rc;
}

size_t json_validate(const char *text, size_t len)
{
	struct js j = { (const unsigned char *)text, len, 0, 0 };
	if (value(&j) < 0)
		return j.i + 1;
	ws(&j);
	return j.i == len ? 0 : j.i + 1;
}
