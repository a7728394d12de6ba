/*
 * config.c: grading.yaml into a `struct course` (see config.h): the schema, on top of the YAML
 * tree of yamldoc.h.
 *
 * Theory of operation. Loading happens in two passes:
 *   1. yamldoc_parse() turns the file into a small tree of `struct ynode` (scalar, mapping,
 *      sequence), each node carrying its 1-based line and column. A YAML syntax error stops
 *      here. yamldoc.c is the only file that sees libyaml; it also rejects YAML anchors,
 *      aliases and tags with a clear message (see docs/grading-yaml.md).
 *   2. This file walks the tree against the schema. Every kind of mapping has a table of keys
 *      (`struct key_rule`: name, handler, field offset, message when a required key is missing);
 *      map_walk() finds unknown, duplicate and missing keys and calls the handlers, which check
 *      and store one value each. Adding a key is adding a row and, if needed, a handler. The
 *      handlers for what a case feeds or expects (stdin, stdout, stderr, files, expect_files)
 *      and for files named in grading.yaml live in config_data.c; config_int.h is what the two
 *      files share.
 * Every problem is recorded with its position in a `struct diags` (yamldoc.h) and the walk goes
 * on, so one run reports them all; at the end the messages are sorted by position. Only a file
 * without problems fills the course; then limits are resolved (case over exercise over course
 * over built-ins) and hidden cases get the course's visibility.
 */
#include "config_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#define MAX_SECONDS 3600.0 /* wall, cpu, build_timeout */
#define MAX_OUTPUT_BYTES (1024LL * 1024 * 1024)
#define MIN_MEMORY_BYTES (1024LL * 1024)
#define MAX_MEMORY_BYTES (64LL * 1024 * 1024 * 1024)
#define MAX_PROCESSES 4096
#define MAX_FILE_BYTES (16LL * 1024 * 1024 * 1024)
#define MIN_OPEN_FILES 4
#define MAX_OPEN_FILES FD_CEILING

/* ---- the loader and its messages ---------------------------------------------------------- */

void err_at(struct loader *ld, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diags_vadd(&ld->diags, n->line, n->col, fmt, ap);
	va_end(ap);
}

#define QUOTE_MAX 48 /* characters of the text shown */

static const char *quote(struct quoted *q, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	q->s[o++] = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i >= QUOTE_MAX && (ch & 0xC0) != 0x80) {
			memcpy(q->s + o, "...", 3);
			o += 3;
			break;
		}
		if (ch == '"' || ch == '\\') {
			q->s[o++] = '\\';
			q->s[o++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f) {
			q->s[o++] = '\\';
			q->s[o++] = 'x';
			q->s[o++] = hex[ch >> 4];
			q->s[o++] = hex[ch & 15];
		} else {
			q->s[o++] = (char)ch;
		}
	}
	q->s[o++] = '"';
	q->s[o] = '\0';
	return q->s;
}

const char *quote_node(struct quoted *q, const struct ynode *n)
{
	return quote(q, n->text, n->len);
}

/* ---- scalar values ------------------------------------------------------------------------ */

static bool scalar_is_null(const struct ynode *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	if (n->kind != YNODE_SCALAR || !n->plain)
		return false;
	for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (!strcmp(n->text, nulls[i]) && n->len == strlen(nulls[i]))
			return true;
	return false;
}

/* A scalar that can be used as a string: anything but a null. */
bool node_is_text(const struct ynode *n)
{
	return n->kind == YNODE_SCALAR && !scalar_is_null(n);
}

bool node_has_nul(const struct ynode *n)
{
	return memchr(n->text, '\0', n->len) != NULL;
}

/* [+-]?[0-9]+ */
static bool text_int(const char *s, size_t len, long long *v)
{
	size_t i = (len > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
	if (i == len || strspn(s + i, "0123456789") != len - i)
		return false;
	errno = 0;
	*v = strtoll(s, NULL, 10);
	return errno == 0;
}

/* A decimal number: digits, at most one '.', an optional exponent; finite. */
static bool text_number(const char *s, size_t len, double *v)
{
	if (len == 0 || strspn(s, "0123456789+-.eE") != len || strchr("eE", s[0]))
		return false;
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return end == s + len && errno == 0 && isfinite(*v);
}

static bool text_bool(const char *s, bool *v)
{
	static const char *const yes[] = { "true", "True", "TRUE" }, *const no[] = { "false",
										     "False",
										     "FALSE" };
	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*v = !strcmp(s, yes[i]);
			return true;
		}
	}
	return false;
}

/* Numbers and booleans are plain scalars: a quoted "3" is a string. */
bool node_int(const struct ynode *n, long long *v)
{
	return n->kind == YNODE_SCALAR && n->plain && text_int(n->text, n->len, v);
}

static bool node_number(const struct ynode *n, double *v)
{
	return n->kind == YNODE_SCALAR && n->plain && text_number(n->text, n->len, v);
}

bool node_bool(const struct ynode *n, bool *v)
{
	return n->kind == YNODE_SCALAR && n->plain && !node_has_nul(n) && text_bool(n->text, v);
}

/* `"key" must be EXPECTED`, with a hint for empty values and quoted numbers or booleans. */
void type_error(struct loader *ld, const char *key, const struct ynode *val, const char *expected)
{
	const char *why = "";
	double d;
	bool b;
	if (scalar_is_null(val))
		why = _("; the value is empty");
	else if (val->kind == YNODE_SCALAR && !val->plain && !node_has_nul(val) &&
		 (text_number(val->text, val->len, &d) || text_bool(val->text, &b)))
		why = _("; quoted values are strings, remove the quotes");
	err_at(ld, val, _("\"%s\" must be %s%s"), key, expected, why);
}

/* ---- names of enumerations ---------------------------------------------------------------- */

const struct name_value cmp_modes[] = {
	{ "exact", CMP_EXACT },
	{ "trailing_ws", CMP_TRAILING_WS },
	{ "contains", CMP_CONTAINS },
	{ "regex", CMP_REGEX },
};

static const struct name_value build_modes[] = {
	{ "auto", BUILD_AUTO },
	{ "cc", BUILD_CC },
	{ "make", BUILD_MAKE },
};

static const struct name_value languages[] = {
	{ "c", PROG_C },
	{ "python", PROG_PYTHON },
};

static const struct name_value hidden_visibilities[] = {
	{ "hidden", VIS_HIDDEN },
	{ "after_published", VIS_AFTER_PUBLISHED },
};

static int nv_lookup(const struct name_value *t, size_t n, const char *name, int *value)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(t[i].name, name)) {
			*value = t[i].value;
			return 0;
		}
	}
	return -1;
}

/* Stores the value of a scalar naming one of `t`, or reports "must be one of: ...". */
int nv_from_node(struct loader *ld, const char *key, const struct ynode *val,
		 const struct name_value *t, size_t n, int *value)
{
	if (node_is_text(val) && !node_has_nul(val) && nv_lookup(t, n, val->text, value) == 0)
		return 0;
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", t[i].name);
	struct quoted q;
	if (node_is_text(val))
		err_at(ld, val, _("\"%s\" must be one of: %s (got %s)"), key, names.data,
		       quote_node(&q, val));
	else
		err_at(ld, val, _("\"%s\" must be one of: %s%s"), key, names.data,
		       scalar_is_null(val) ? _("; the value is empty") : "");
	buf_free(&names);
	return -1;
}

/* ---- mappings: the key tables ------------------------------------------------------------- */

static void map_unknown_key(struct loader *ld, const struct ynode *k, const struct map_kind *mk)
{
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < mk->nrules; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", mk->rules[i].key);
	struct quoted q;
	err_at(ld, k, _("unknown key %s %s; expected one of: %s"), quote_node(&q, k), _(mk->where),
	       names.data);
	buf_free(&names);
}

/* The rule for the key at kids[i], or -1 after reporting a bad, duplicate or unknown key. */
static int map_key_rule(struct loader *ld, const struct ynode *map, size_t i,
			const struct map_kind *mk)
{
	const struct ynode *k = map->kids[i];
	if (k->kind == YNODE_BAD)
		return -1;
	if (k->kind != YNODE_SCALAR) {
		err_at(ld, k, _("a key must be a name, not a list or a mapping"));
		return -1;
	}
	for (size_t j = 0; j < i; j += 2) {
		const struct ynode *prev = map->kids[j];
		if (ynode_same_text(prev, k)) {
			struct quoted q;
			err_at(ld, k, _("duplicate key %s (first given at line %d)"),
			       quote_node(&q, k), prev->line);
			return -1;
		}
	}
	for (size_t r = 0; r < mk->nrules; r++)
		if (ynode_key_is(k, mk->rules[r].key))
			return (int)r;
	map_unknown_key(ld, k, mk);
	return -1;
}

/* Walks a mapping: each known key's handler gets its value; reports unknown, duplicate and
 * missing keys. `map` must be a YNODE_MAP. */
void map_walk(struct loader *ld, const struct ynode *map, const struct map_kind *mk, void *target)
{
	uint64_t seen = 0;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		int r = map_key_rule(ld, map, i, mk);
		if (r < 0)
			continue;
		const struct key_rule *rule = &mk->rules[r];
		seen |= UINT64_C(1) << r;
		if (map->kids[i + 1]->kind != YNODE_BAD)
			rule->fn(ld, rule->key, map->kids[i + 1], (char *)target + rule->off);
	}
	for (size_t r = 0; r < mk->nrules; r++)
		if (mk->rules[r].missing && !(seen & (UINT64_C(1) << r)))
			err_at(ld, map, "%s", _(mk->rules[r].missing));
}

/* ---- simple handlers ---------------------------------------------------------------------- */

/* A non-empty string without NUL bytes: a copy in *out, or false after reporting. */
static bool text_value(struct loader *ld, const char *key, const struct ynode *val, char **out)
{
	if (!node_is_text(val) || val->len == 0) {
		type_error(ld, key, val, _("a non-empty string"));
		return false;
	}
	if (node_has_nul(val)) {
		err_at(ld, val, _("\"%s\" cannot contain NUL bytes"), key);
		return false;
	}
	*out = xmemdup(val->text, val->len);
	return true;
}

/* A non-empty string without NUL bytes (char **). */
static void set_string(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	char **s = field, *v;
	if (!text_value(ld, key, val, &v))
		return;
	free(*s);
	*s = v;
}

/* ---- texts by language -------------------------------------------------------------------- */

/* The languages a text may be given in, as `defaults.lang` and the keys of an ltext's mapping
 * write them; the value is the index in ltext_langs. */
static const struct name_value lang_names[LTEXT_LANGS] = {
	{ "en", 0 },
	{ "es", 1 },
	{ "pt_BR", 2 },
};
static const char *const ltext_langs[LTEXT_LANGS] = { "en", "es", "pt_BR" };

/* The language scalar `n` names ("pt-BR" is pt_BR too), as a static string; NULL if none. */
static const char *lang_named(const struct ynode *n)
{
	int v;
	if (n->kind != YNODE_SCALAR || node_has_nul(n))
		return NULL;
	if (!strcmp(n->text, "pt-BR"))
		return ltext_langs[2];
	return nv_lookup(lang_names, LTEXT_LANGS, n->text, &v) == 0 ? ltext_langs[v] : NULL;
}

/* The language of entry `i` of `t`: its own, or the course's for a plain string. */
static const char *ltext_lang(const struct ltext *t, size_t i)
{
	return t->v[i].lang ? t->v[i].lang : t->base;
}

static const char *ltext_in(const struct ltext *t, const char *lang)
{
	for (size_t i = 0; lang && i < t->n; i++)
		if (ltext_lang(t, i) && !strcmp(ltext_lang(t, i), lang))
			return t->v[i].text;
	return NULL;
}

const char *ltext_get(const struct ltext *t)
{
	if (!t || t->n == 0)
		return NULL;
	const char *s = ltext_in(t, i18n_get());
	if (!s)
		s = ltext_in(t, t->base);
	return s ? s : t->v[0].text;
}

void ltext_free(struct ltext *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	*t = (struct ltext){ 0 };
}

/* The language of the key at map->kids[i] of an ltext's mapping `key`, or NULL after
 * reporting a key that is not a language, or one given twice. */
static const char *ltext_key(struct loader *ld, const char *key, const struct ynode *map, size_t i)
{
	const struct ynode *k = map->kids[i];
	struct quoted q;
	if (k->kind == YNODE_BAD)
		return NULL;
	if (k->kind != YNODE_SCALAR) {
		err_at(ld, k, _("a key must be a name, not a list or a mapping"));
		return NULL;
	}
	const char *lang = lang_named(k);
	if (!lang) {
		char where[64];
		snprintf(where, sizeof where, _("in \"%s\""), key);
		err_at(ld, k, _("unknown key %s %s; expected one of: %s"), quote_node(&q, k), where,
		       "en, es, pt_BR");
		return NULL;
	}
	for (size_t j = 0; j < i; j += 2) {
		if (lang_named(map->kids[j]) == lang) {
			err_at(ld, k, _("duplicate key %s (first given at line %d)"),
			       quote_node(&q, k), map->kids[j]->line);
			return NULL;
		}
	}
	return lang;
}

/* A text a person reads (struct ltext *): a non-empty string, in the course's language, or a
 * mapping from languages (en, es, pt_BR) to such strings. */
static void set_ltext(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct ltext *t = field;
	char *s;
	if (val->kind == YNODE_SEQ) {
		type_error(ld, key, val,
			   _("a non-empty string or a mapping by language (en, es, pt_BR)"));
	} else if (val->kind == YNODE_MAP && val->nkids == 0) {
		err_at(ld, val,
		       _("\"%s\" must not be empty: give its text in at least one language (en, "
			 "es, pt_BR)"),
		       key);
	} else if (val->kind == YNODE_MAP) {
		ltext_free(t);
		for (size_t i = 0; i + 1 < val->nkids; i += 2) {
			const char *lang = ltext_key(ld, key, val, i);
			const struct ynode *v = val->kids[i + 1];
			if (lang && v->kind != YNODE_BAD &&
			    text_value(ld, val->kids[i]->text, v, &s))
				t->v[t->n++] = (struct ltext_entry){ lang, s };
		}
	} else if (text_value(ld, key, val, &s)) {
		ltext_free(t);
		t->v[t->n++] = (struct ltext_entry){ NULL, s };
	}
}

/* defaults.lang: en, es or pt_BR (const char **: a static string). */
static void set_course_lang(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	const char *lang = lang_named(val);
	int v;
	if (lang)
		*(const char **)field = lang;
	else
		nv_from_node(ld, key, val, lang_names, LTEXT_LANGS, &v);
}

/* A list of strings without NUL bytes (struct strvec *); replaces what was there. */
static void set_strlist(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct strvec *sv = field;
	if (val->kind != YNODE_SEQ) {
		type_error(ld, key, val, _("a list of strings"));
		return;
	}
	strvec_free(sv);
	for (size_t i = 0; i < val->nkids; i++) {
		const struct ynode *it = val->kids[i];
		if (it->kind == YNODE_BAD)
			continue;
		if (!node_is_text(it))
			err_at(ld, it, _("each item of \"%s\" must be a string%s"), key,
			       scalar_is_null(it) ? _("; this one is empty") : "");
		else if (node_has_nul(it))
			err_at(ld, it, _("an item of \"%s\" cannot contain NUL bytes"), key);
		else
			strvec_push(sv, it->text);
	}
}

/* true or false (bool *). */
static void set_bool(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (!node_bool(val, field))
		type_error(ld, key, val, _("true or false"));
}

/* Seconds: a number > 0 and at most MAX_SECONDS (double *). */
static void set_seconds(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	double v;
	if (!node_number(val, &v) || v <= 0 || v > MAX_SECONDS) {
		type_error(ld, key, val, _("a number of seconds greater than 0 and at most 3600"));
		return;
	}
	*(double *)field = v;
}

/* "1MiB", "64 KiB", "512B", "1000": a whole number of bytes with an optional unit, at most
 * `max`. */
static int parse_size(const char *s, size_t len, long long max, long long *bytes)
{
	static const struct {
		const char *unit;
		long long mult;
	} units[] = {
		{ "B", 1 },
		{ "KiB", 1024 },
		{ "MiB", 1024 * 1024 },
		{ "GiB", 1024LL * 1024 * 1024 },
	};
	size_t ndig = strspn(s, "0123456789");
	if (ndig == 0 || ndig > 12 || memchr(s, '\0', len))
		return -1;
	long long v = strtoll(s, NULL, 10), mult = 1;
	const char *u = s + ndig;
	if (*u) {
		u += strspn(u, " ");
		size_t i = 0;
		while (i < NV_COUNT(units) && strcmp(u, units[i].unit))
			i++;
		if (i == NV_COUNT(units))
			return -1;
		mult = units[i].mult;
	}
	if (v > max / mult)
		return -1;
	*bytes = v * mult;
	return 0;
}

/* The sizes a size key accepts, and how its message writes them. */
struct size_range {
	long long min, max;
	const char *text;    /* "from 0 to 1GiB" (N_(): translated where it is used) */
	const char *example; /* a valid value, e.g. "64KiB" */
};

/* A size within `r` (long long *). Quoted sizes are accepted ("1 MiB"), so unlike type_error()
 * the message never says to remove the quotes. */
static void set_size_in(struct loader *ld, const char *key, const struct ynode *val, void *field,
			const struct size_range *r)
{
	long long v;
	if (!node_is_text(val) || parse_size(val->text, val->len, r->max, &v) < 0 || v < r->min) {
		err_at(ld, val,
		       _("\"%s\" must be a size %s: a whole number of bytes, optionally with a "
			 "unit B, KiB, MiB or GiB (e.g. %s)%s"),
		       key, _(r->text), r->example,
		       scalar_is_null(val) ? _("; the value is empty") : "");
		return;
	}
	*(long long *)field = v;
}

/* output: 0 to 1 GiB (long long *). */
static void set_output_size(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	static const struct size_range r = { 0, MAX_OUTPUT_BYTES, N_("from 0 to 1GiB"), "64KiB" };
	set_size_in(ld, key, val, field, &r);
}

/* memory: 1 MiB to 64 GiB (long long *). */
static void set_memory_size(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	static const struct size_range r = { MIN_MEMORY_BYTES, MAX_MEMORY_BYTES,
					     N_("from 1MiB to 64GiB"), "512MiB" };
	set_size_in(ld, key, val, field, &r);
}

/* file_size: 0 to 16 GiB (long long *). */
static void set_file_size(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	static const struct size_range r = { 0, MAX_FILE_BYTES, N_("from 0 to 16GiB"), "64MiB" };
	set_size_in(ld, key, val, field, &r);
}

/* disk: 1 MiB to 16 GiB (long long *). */
static void set_disk_size(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	static const struct size_range r = { MIN_MEMORY_BYTES, MAX_FILE_BYTES,
					     N_("from 1MiB to 16GiB"), "128MiB" };
	set_size_in(ld, key, val, field, &r);
}

/* An integer from `lo` to `hi` (int *). */
static void set_int_in(struct loader *ld, const char *key, const struct ynode *val, void *field,
		       int lo, int hi)
{
	long long v;
	if (!node_int(val, &v) || v < lo || v > hi) {
		char expected[64];
		snprintf(expected, sizeof expected, _("an integer from %d to %d"), lo, hi);
		type_error(ld, key, val, expected);
		return;
	}
	*(int *)field = (int)v;
}

/* processes: 1 to 4096 (int *). */
static void set_processes(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	set_int_in(ld, key, val, field, 1, MAX_PROCESSES);
}

/* open_files: 4 to 65536 (int *). */
static void set_open_files(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	set_int_in(ld, key, val, field, MIN_OPEN_FILES, MAX_OPEN_FILES);
}

/* A name made of [A-Za-z0-9._-], not "." or ".." (char **). */
static void set_ident(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
	if (!node_is_text(val) || val->len == 0) {
		type_error(ld, key, val, _("a non-empty name"));
		return;
	}
	if (strspn(val->text, ok) != val->len || !strcmp(val->text, ".") ||
	    !strcmp(val->text, "..")) {
		struct quoted q;
		err_at(ld, val,
		       _("\"%s\" must be made of letters, digits, \".\", \"_\" and \"-\" (got %s)"),
		       key, quote_node(&q, val));
		return;
	}
	set_string(ld, key, val, field);
}

/* ---- enumerations ------------------------------------------------------------------------- */

static void set_build(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	int v;
	if (nv_from_node(ld, key, val, build_modes, NV_COUNT(build_modes), &v) == 0)
		*(enum build_mode *)field = (enum build_mode)v;
}

static void set_language(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	int v;
	if (nv_from_node(ld, key, val, languages, NV_COUNT(languages), &v) == 0)
		*(enum prog_language *)field = (enum prog_language)v;
}

static void set_hidden_visibility(struct loader *ld, const char *key, const struct ynode *val,
				  void *field)
{
	int v;
	if (nv_from_node(ld, key, val, hidden_visibilities, NV_COUNT(hidden_visibilities), &v) == 0)
		*(enum visibility *)field = (enum visibility)v;
}

/* ---- limits ------------------------------------------------------------------------------- */

static const struct key_rule limits_rules[] = {
	{ "wall", set_seconds, offsetof(struct limits, wall_s), NULL },
	{ "cpu", set_seconds, offsetof(struct limits, cpu_s), NULL },
	{ "output", set_output_size, offsetof(struct limits, output_bytes), NULL },
	{ "memory", set_memory_size, offsetof(struct limits, memory_bytes), NULL },
	{ "processes", set_processes, offsetof(struct limits, processes), NULL },
	{ "file_size", set_file_size, offsetof(struct limits, file_bytes), NULL },
	{ "open_files", set_open_files, offsetof(struct limits, open_files), NULL },
	{ "disk", set_disk_size, offsetof(struct limits, disk_bytes), NULL },
};

static const struct map_kind limits_kind = { N_("in \"limits\""), RULES(limits_rules) };

/* A limits mapping (struct limits *): only the keys given are set. */
static void parse_limits(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val,
			   _("a mapping with \"wall\", \"cpu\", \"output\", \"memory\", "
			     "\"processes\", \"file_size\", \"open_files\" or \"disk\""));
		return;
	}
	map_walk(ld, val, &limits_kind, field);
}

/* ---- penalties, requirements, monitoring ------------------------------------------------ */

/* A fraction of the case's points, 0 to 1 (double *). */
static void set_fraction(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	double v;
	if (!node_number(val, &v) || v < 0 || v > 1) {
		type_error(ld, key, val, _("a fraction of the case's points from 0 to 1"));
		return;
	}
	*(double *)field = v;
}

/* A count >= 0 and at most 1000 (int *). */
static void set_count(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	long long v;
	if (!node_int(val, &v) || v < 0 || v > 1000) {
		type_error(ld, key, val, _("a whole number from 0 to 1000"));
		return;
	}
	*(int *)field = (int)v;
}

/* true or false into an int that is -1 while unset. */
static void set_tristate(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	bool b;
	if (!node_bool(val, &b)) {
		type_error(ld, key, val, _("true or false"));
		return;
	}
	*(int *)field = b;
}

static const struct key_rule penalties_rules[] = {
	{ "fd_leak", set_fraction, offsetof(struct penalties, fd_leak), NULL },
	{ "orphan", set_fraction, offsetof(struct penalties, orphan), NULL },
};

static const struct map_kind penalties_kind = { N_("in \"penalties\""), RULES(penalties_rules) };

static void parse_penalties(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val, _("a mapping with \"fd_leak\" or \"orphan\""));
		return;
	}
	map_walk(ld, val, &penalties_kind, field);
}

static const struct name_value leak_policies[] = {
	{ "penalty", LEAK_PENALTY },
	{ "note", LEAK_NOTE },
	{ "off", LEAK_OFF },
};

static void set_leak_policy(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	int v;
	if (nv_from_node(ld, key, val, leak_policies, NV_COUNT(leak_policies), &v) == 0)
		*(enum leak_policy *)field = (enum leak_policy)v;
}

static const struct key_rule fd_leak_rules[] = {
	{ "at_exit", set_leak_policy, offsetof(struct fd_leak_policy, at_exit), NULL },
	{ "at_exec", set_leak_policy, offsetof(struct fd_leak_policy, at_exec), NULL },
};

static const struct map_kind fd_leak_kind = { N_("in \"fd_leak\""), RULES(fd_leak_rules) };

/* fd_leak: {at_exit: penalty|note|off, at_exec: ...} (struct fd_leak_policy *): only the keys
 * given are set. */
static void parse_fd_leak(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val, _("a mapping with \"at_exit\" or \"at_exec\""));
		return;
	}
	map_walk(ld, val, &fd_leak_kind, field);
}

/* runs: 0 to MAX_STRESS_RUNS (int *). */
static void set_stress_runs(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	set_int_in(ld, key, val, field, 0, MAX_STRESS_RUNS);
}

static const struct key_rule stress_rules[] = {
	{ "runs", set_stress_runs, offsetof(struct stress, runs), NULL },
};

static const struct map_kind stress_kind = { N_("in \"stress\""), RULES(stress_rules) };

/* stress: {runs: N} (struct stress *): only the keys given are set. */
static void parse_stress(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val, _("a mapping with \"runs\""));
		return;
	}
	map_walk(ld, val, &stress_kind, field);
}

static const struct key_rule requires_rules[] = {
	{ "pipes", set_count, offsetof(struct requires, pipes), NULL },
	{ "forks", set_count, offsetof(struct requires, forks), NULL },
	{ "connected", set_bool, offsetof(struct requires, connected), NULL },
};

static const struct map_kind requires_kind = { N_("in \"requires\""), RULES(requires_rules) };

static void parse_requires(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val, _("a mapping with \"pipes\", \"forks\" or \"connected\""));
		return;
	}
	*(struct requires *)field = (struct requires){ 0 };
	map_walk(ld, val, &requires_kind, field);
}

/* A case's "requires": replaces the exercise's as a whole (struct test_case *). */
static void parse_case_requires(struct loader *ld, const char *key, const struct ynode *val,
				void *field)
{
	struct test_case *tc = field;
	tc->requires_set = true;
	parse_requires(ld, key, val, &tc->requires);
}

/* ---- cases -------------------------------------------------------------------------------- */

/* exit: 0..255 (struct test_case *). */
static void set_exit(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct test_case *tc = field;
	long long v;
	if (!node_int(val, &v) || v < 0 || v > 255) {
		type_error(ld, key, val, _("an integer from 0 to 255"));
		return;
	}
	tc->exit_set = true;
	tc->exit_status = (int)v;
}

/* points: a number >= 0 (double *). */
static void set_points(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	double v;
	if (!node_number(val, &v) || v < 0) {
		type_error(ld, key, val, _("a number >= 0"));
		return;
	}
	*(double *)field = v;
}

/* The handlers of stdin, stdout, stderr, files and expect_files are in config_data.c. */
static const struct key_rule case_rules[] = {
	{ "name", set_string, offsetof(struct test_case, name), N_("a case needs a \"name\"") },
	{ "args", set_strlist, offsetof(struct test_case, args), NULL },
	{ "stdin", parse_stdin, 0, NULL },
	{ "stdout", parse_expect, offsetof(struct test_case, out), NULL },
	{ "stderr", parse_expect, offsetof(struct test_case, err), NULL },
	{ "exit", set_exit, 0, NULL },
	{ "points", set_points, offsetof(struct test_case, points), NULL },
	{ "hidden", set_bool, offsetof(struct test_case, hidden), NULL },
	{ "limits", parse_limits, offsetof(struct test_case, limits), NULL },
	{ "hint", set_ltext, offsetof(struct test_case, hint), NULL },
	{ "penalties", parse_penalties, offsetof(struct test_case, penalties), NULL },
	{ "requires", parse_case_requires, 0, NULL },
	{ "monitor", set_tristate, offsetof(struct test_case, monitor_opt), NULL },
	{ "files", parse_files, 0, NULL },
	{ "expect_files", parse_files, 0, NULL },
	{ "bonus", set_bool, offsetof(struct test_case, bonus), NULL },
	{ "fd_leak", parse_fd_leak, offsetof(struct test_case, fd_leak), NULL },
	{ "stress", parse_stress, offsetof(struct test_case, stress), NULL },
};

static const struct map_kind case_kind = { N_("in a case"), RULES(case_rules) };

/* The value of `key` in item `i` of a list of mappings when it repeats an earlier item's
 * (that one's in *prev), else NULL. */
static const struct ynode *repeated(const struct ynode *list, size_t i, const char *key,
				    const struct ynode **prev)
{
	const struct ynode *v = ynode_map_get(list->kids[i], key);
	if (!v || !node_is_text(v))
		return NULL;
	for (size_t j = 0; j < i; j++) {
		*prev = ynode_map_get(list->kids[j], key);
		if (*prev && ynode_same_text(*prev, v))
			return v;
	}
	return NULL;
}

/* Whether `val` is a non-empty list; reports when it is not. */
static bool want_list(struct loader *ld, const char *key, const struct ynode *val,
		      const char *expected)
{
	if (val->kind != YNODE_SEQ) {
		type_error(ld, key, val, expected);
		return false;
	}
	if (val->nkids == 0) {
		err_at(ld, val, _("\"%s\" must not be empty"), key);
		return false;
	}
	return true;
}

/* cases: a non-empty list of case mappings (struct exercise *). */
static void parse_cases(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct exercise *ex = field;
	if (!want_list(ld, key, val, _("a list of cases")))
		return;
	ex->cases = xcalloc(val->nkids, sizeof *ex->cases);
	ex->ncases = val->nkids;
	for (size_t i = 0; i < val->nkids; i++) {
		const struct ynode *it = val->kids[i];
		struct test_case *tc = &ex->cases[i];
		*tc = (struct test_case){ .line = it->line,
					  .points = 1,
					  .limits = LIMITS_UNSET,
					  .penalties = PENALTIES_UNSET,
					  .stress = STRESS_UNSET,
					  .monitor_opt = -1 };
		if (it->kind == YNODE_MAP)
			map_walk(ld, it, &case_kind, tc);
		else if (it->kind != YNODE_BAD)
			err_at(ld, it,
			       _("a case must be a mapping with \"name\" and its expectations"));
		const struct ynode *prev, *v = repeated(val, i, "name", &prev);
		struct quoted q;
		if (v)
			err_at(ld, v, _("duplicate case name %s (first used at line %d)"),
			       quote_node(&q, v), prev->line);
	}
}

/* ---- exercises ---------------------------------------------------------------------------- */

static const struct key_rule exercise_rules[] = {
	{ "id", set_ident, offsetof(struct exercise, id), N_("an exercise needs an \"id\"") },
	{ "title", set_ltext, offsetof(struct exercise, title),
	  N_("an exercise needs a \"title\"") },
	{ "statement", set_statement, offsetof(struct exercise, statement), NULL },
	{ "binary", set_ident, offsetof(struct exercise, binary),
	  N_("an exercise needs a \"binary\"") },
	{ "build", set_build, offsetof(struct exercise, build), NULL },
	{ "language", set_language, offsetof(struct exercise, language), NULL },
	{ "limits", parse_limits, offsetof(struct exercise, limits), NULL },
	{ "penalties", parse_penalties, offsetof(struct exercise, penalties), NULL },
	{ "requires", parse_requires, offsetof(struct exercise, requires), NULL },
	{ "monitor", set_tristate, offsetof(struct exercise, monitor_opt), NULL },
	{ "bonus", set_bool, offsetof(struct exercise, bonus), NULL },
	{ "kit", parse_kit, offsetof(struct exercise, kit_hidden), NULL },
	{ "fd_leak", parse_fd_leak, offsetof(struct exercise, fd_leak), NULL },
	{ "stress", parse_stress, offsetof(struct exercise, stress), NULL },
	{ "cases", parse_cases, 0, N_("an exercise needs a \"cases\" list") },
};

static const struct map_kind exercise_kind = { N_("in an exercise"), RULES(exercise_rules) };

/* exercises: a non-empty list of exercise mappings (struct course *). */
static void parse_exercises(struct loader *ld, const char *key, const struct ynode *val,
			    void *field)
{
	struct course *c = field;
	if (!want_list(ld, key, val, _("a list of exercises")))
		return;
	c->exercises = xcalloc(val->nkids, sizeof *c->exercises);
	c->nexercises = val->nkids;
	for (size_t i = 0; i < val->nkids; i++) {
		const struct ynode *it = val->kids[i];
		struct exercise *ex = &c->exercises[i];
		*ex = (struct exercise){ .line = it->line,
					 .build = BUILD_AUTO,
					 .limits = LIMITS_UNSET,
					 .penalties = PENALTIES_UNSET,
					 .stress = STRESS_UNSET,
					 .monitor_opt = -1 };
		if (it->kind == YNODE_MAP)
			map_walk(ld, it, &exercise_kind, ex);
		else if (it->kind != YNODE_BAD)
			err_at(ld, it,
			       _("an exercise must be a mapping with \"id\", \"title\", \"binary\" "
				 "and \"cases\""));
		const struct ynode *prev, *v = repeated(val, i, "id", &prev);
		struct quoted q;
		if (v)
			err_at(ld, v, _("duplicate exercise id %s (first used at line %d)"),
			       quote_node(&q, v), prev->line);
	}
}

/* ---- the course --------------------------------------------------------------------------- */

static const struct key_rule defaults_rules[] = {
	{ "compiler", set_string, offsetof(struct course, compiler), NULL },
	{ "cflags", set_strlist, offsetof(struct course, cflags), NULL },
	{ "language", set_language, offsetof(struct course, language), NULL },
	{ "python", set_string, offsetof(struct course, python), NULL },
	{ "build_timeout", set_seconds, offsetof(struct course, build_timeout_s), NULL },
	{ "hidden_visibility", set_hidden_visibility, offsetof(struct course, hidden_visibility),
	  NULL },
	{ "limits", parse_limits, offsetof(struct course, limits), NULL },
	{ "penalties", parse_penalties, offsetof(struct course, penalties), NULL },
	{ "monitor", set_bool, offsetof(struct course, monitor), NULL },
	{ "kit", parse_kit, offsetof(struct course, kit_hidden), NULL },
	{ "fd_leak", parse_fd_leak, offsetof(struct course, fd_leak), NULL },
	{ "stress", parse_stress, offsetof(struct course, stress), NULL },
	{ "lang", set_course_lang, offsetof(struct course, lang), NULL },
};

static const struct map_kind defaults_kind = { N_("in \"defaults\""), RULES(defaults_rules) };

static void parse_defaults(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val, _("a mapping"));
		return;
	}
	map_walk(ld, val, &defaults_kind, field);
}

static const struct key_rule root_rules[] = {
	{ "course", set_ltext, offsetof(struct course, title), NULL },
	{ "defaults", parse_defaults, 0, NULL },
	{ "exercises", parse_exercises, 0, N_("the file needs an \"exercises\" list") },
};

static const struct map_kind root_kind = { N_("at the top level"), RULES(root_rules) };

static void course_set_defaults(struct course *c)
{
	static const char *const cflags[] = { "-std=c17", "-Wall", "-Wextra", "-O2" };
	c->compiler = xstrdup("cc");
	c->python = xstrdup("python3");
	c->language = PROG_C;
	for (size_t i = 0; i < sizeof cflags / sizeof cflags[0]; i++)
		strvec_push(&c->cflags, cflags[i]);
	c->build_timeout_s = DEFAULT_BUILD_TIMEOUT_S;
	c->limits = (struct limits)LIMITS_UNSET;
	c->hidden_visibility = VIS_HIDDEN;
	c->penalties = (struct penalties)PENALTIES_UNSET;
	c->stress = (struct stress)STRESS_UNSET;
	c->monitor = true;
	c->lang = ltext_langs[0];
}

static void walk_root(struct loader *ld, const struct ynode *root)
{
	course_set_defaults(ld->c);
	if (!root)
		diags_add(&ld->diags, 1, 1, "%s",
			  _("the file is empty; it must be a mapping with an \"exercises\" list"));
	else if (root->kind == YNODE_MAP)
		map_walk(ld, root, &root_kind, ld->c);
	else if (root->kind != YNODE_BAD)
		err_at(ld, root, _("the top level must be a mapping with an \"exercises\" list"));
}

/* Each unset (-1) limit of `l` takes the value of `outer`. */
static void limits_inherit(struct limits *l, const struct limits *outer)
{
	if (l->wall_s < 0)
		l->wall_s = outer->wall_s;
	if (l->cpu_s < 0)
		l->cpu_s = outer->cpu_s;
	if (l->output_bytes < 0)
		l->output_bytes = outer->output_bytes;
	if (l->memory_bytes < 0)
		l->memory_bytes = outer->memory_bytes;
	if (l->processes < 0)
		l->processes = outer->processes;
	if (l->file_bytes < 0)
		l->file_bytes = outer->file_bytes;
	if (l->open_files < 0)
		l->open_files = outer->open_files;
	if (l->disk_bytes < 0)
		l->disk_bytes = outer->disk_bytes;
}

static void penalties_inherit(struct penalties *p, const struct penalties *outer)
{
	if (p->fd_leak < 0)
		p->fd_leak = outer->fd_leak;
	if (p->orphan < 0)
		p->orphan = outer->orphan;
}

static void fd_leak_inherit(struct fd_leak_policy *p, const struct fd_leak_policy *outer)
{
	if (p->at_exit == LEAK_UNSET)
		p->at_exit = outer->at_exit;
	if (p->at_exec == LEAK_UNSET)
		p->at_exec = outer->at_exec;
}

static void stress_inherit(struct stress *s, const struct stress *outer)
{
	if (s->runs < 0)
		s->runs = outer->runs;
}

/* A case's settings: its own, else its exercise's, else the course's. */
static void case_resolve(const struct course *c, const struct exercise *ex, struct test_case *tc)
{
	limits_inherit(&tc->limits, &ex->limits);
	limits_inherit(&tc->limits, &c->limits);
	penalties_inherit(&tc->penalties, &ex->penalties);
	penalties_inherit(&tc->penalties, &c->penalties);
	fd_leak_inherit(&tc->fd_leak, &ex->fd_leak);
	fd_leak_inherit(&tc->fd_leak, &c->fd_leak);
	stress_inherit(&tc->stress, &ex->stress);
	stress_inherit(&tc->stress, &c->stress);
	if (!tc->requires_set)
	tc->requires = ex->requires;
	int mon = tc->monitor_opt >= 0 ? tc->monitor_opt : ex->monitor_opt;
	tc->monitor = mon >= 0 ? mon != 0 : c->monitor;
	tc->visibility = tc->hidden ? c->hidden_visibility : VIS_VISIBLE;
	tc->hint.base = c->lang;
}

/* After a clean load: resolves limits, penalties, fd_leak, stress, requirements, monitoring
 * and the visibility of hidden cases. */
static void course_resolve(struct course *c)
{
	static const struct limits builtin = {
		.wall_s = DEFAULT_WALL_S,
		.cpu_s = DEFAULT_CPU_S,
		.output_bytes = DEFAULT_OUTPUT_BYTES,
		.memory_bytes = DEFAULT_MEMORY_BYTES,
		.processes = DEFAULT_PROCESSES,
		.file_bytes = DEFAULT_FILE_BYTES,
		.open_files = DEFAULT_OPEN_FILES,
		.disk_bytes = DEFAULT_DISK_BYTES,
	};
	static const struct penalties builtin_pen = { DEFAULT_PENALTY_FD_LEAK,
						      DEFAULT_PENALTY_ORPHAN };
	limits_inherit(&c->limits, &builtin);
	static const struct fd_leak_policy builtin_leak = { LEAK_PENALTY, LEAK_PENALTY };
	penalties_inherit(&c->penalties, &builtin_pen);
	fd_leak_inherit(&c->fd_leak, &builtin_leak);
	static const struct stress builtin_stress = { 0 };
	stress_inherit(&c->stress, &builtin_stress);
	c->title.base = c->lang;
	for (size_t i = 0; i < c->nexercises; i++) {
		c->exercises[i].title.base = c->lang;
		if (c->exercises[i].language == PROG_UNSET)
			c->exercises[i].language = c->language;
		if (c->exercises[i].language == PROG_PYTHON)
			c->exercises[i].python = xstrdup(c->python);
		for (size_t j = 0; j < c->exercises[i].ncases; j++)
			case_resolve(c, &c->exercises[i], &c->exercises[i].cases[j]);
	}
}

int config_load(const char *path, struct course *c, struct buf *errors)
{
	memset(c, 0, sizeof *c);
	struct buf src = BUF_INIT;
	if (read_file(path, &src) < 0) {
		buf_printf(errors, _("%s: cannot open: %s\n"), path, strerror(errno));
		buf_free(&src);
		return -1;
	}
	char *dir = path_dirname(path);
	struct loader ld = { .dir = dir, .c = c, .diags = DIAGS_INIT };
	struct ynode *root;
	if (yamldoc_parse(&src, &ld.diags, &root) == 0)
		walk_root(&ld, root);
	yamldoc_free(root);
	buf_free(&src);
	if (ld.diags.n > 0) {
		diags_flush(&ld.diags, path, errors);
		course_free(c);
		free(dir);
		return -1;
	}
	course_resolve(c);
	c->path = xstrdup(path);
	c->dir = dir;
	return 0;
}

static void case_free(struct test_case *tc)
{
	for (size_t i = 0; i < tc->nfiles; i++) {
		free(tc->files[i].path);
		data_free(&tc->files[i].data);
	}
	free(tc->files);
	for (size_t i = 0; i < tc->nexpect_files; i++) {
		free(tc->expect_files[i].path);
		data_free(&tc->expect_files[i].exp.want);
	}
	free(tc->expect_files);
	free(tc->name);
	strvec_free(&tc->args);
	data_free(&tc->in);
	data_free(&tc->out.want);
	data_free(&tc->err.want);
	ltext_free(&tc->hint);
}

static void exercise_free(struct exercise *ex)
{
	free(ex->id);
	ltext_free(&ex->title);
	free(ex->statement);
	free(ex->binary);
	free(ex->python);
	for (size_t i = 0; i < ex->ncases; i++)
		case_free(&ex->cases[i]);
	free(ex->cases);
}

void course_free(struct course *c)
{
	free(c->path);
	free(c->dir);
	ltext_free(&c->title);
	free(c->compiler);
	free(c->python);
	strvec_free(&c->cflags);
	for (size_t i = 0; i < c->nexercises; i++)
		exercise_free(&c->exercises[i]);
	free(c->exercises);
	memset(c, 0, sizeof *c);
}

const struct exercise *course_find_exercise(const struct course *c, const char *id)
{
	for (size_t i = 0; i < c->nexercises; i++)
		if (c->exercises[i].id && !strcmp(c->exercises[i].id, id))
			return &c->exercises[i];
	return NULL;
}

int cmp_mode_parse(const char *name, enum cmp_mode *mode)
{
	int v;
	if (!name || nv_lookup(cmp_modes, NV_COUNT(cmp_modes), name, &v) < 0)
		return -1;
	*mode = (enum cmp_mode)v;
	return 0;
}

const char *cmp_mode_name(enum cmp_mode mode)
{
	/* a sealed mode is written as its unsealed name, beside "sealed" */
	if (mode == CMP_SEALED_EXACT || mode == CMP_SEALED_TRAILING_WS)
		mode = mode == CMP_SEALED_EXACT ? CMP_EXACT : CMP_TRAILING_WS;
	for (size_t i = 0; i < NV_COUNT(cmp_modes); i++)
		if (cmp_modes[i].value == (int)mode)
			return cmp_modes[i].name;
	return "unknown";
}
