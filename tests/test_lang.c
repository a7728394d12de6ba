/*
 * test_lang.c: nothing escapes the catalog. The real pipegrade is run in every language it
 * speaks (--lang before the command, right after it, at the end), with no terminal and stdin
 * closed, over the fixtures: `grade` of a solution and of failing fixtures in every report
 * format, `class`, `list`, `check-config`, `--help`, usage errors, a grading.yaml error, an
 * empty submission. What it writes in a language must hold no sentence of another language,
 * and at least one of its own (the catalog was used).
 *
 * The sentences are taken from the catalogs themselves: English is the msgids of
 * po/pipegrade.pot, Spanish the msgstrs of po/es.po, Portuguese those of po/pt_BR.po; and the
 * course's texts (its title, the exercises' titles, the hints), as config_load() gives them in
 * each language. Each is cut into fragments at printf directives and line breaks; a fragment
 * of at least MIN_WORDS words and MIN_CHARS characters is a sentence of its language, unless
 * the language checked has the same words (a fragment the same in two languages proves
 * nothing). Outputs are searched as written and as read back (JSON and YAML escapes, XML and
 * HTML entities, Markdown's backslashes, GitHub's %0A), so a message in a JSON value counts;
 * keys, finding kinds and case names are not sentences, and never make a fragment.
 *
 * Also: the language from the environment (LANGUAGE under LC_ALL=C, which glibc would
 * ignore), `--lang fr` refused, and numbers that keep their dot under --lang es and an
 * es_ES.UTF-8 locale (in JSON, and `points: 0.25` in grading.yaml).
 */
#include <check.h>
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "i18n.h"
#include "jsoncheck.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

enum { EN, ES, PT, NLANG };

static const struct lang {
	const char *code;    /* as --lang takes it */
	const char *catalog; /* its sentences: the template's msgids, or a catalog's msgstrs */
	const char *html;    /* summary.html's <html lang> */
	const char *name;
} langs[NLANG] = {
	{ "en", "po/pipegrade.pot", "en", "English" },
	{ "es", "po/es.po", "es", "Spanish" },
	{ "pt_BR", "po/pt_BR.po", "pt-BR", "Portuguese" },
};

#define MIN_WORDS 3
#define MIN_CHARS 15
#define MAX_SHOWN 12 /* problems in a failure message; every one is printed before it */

/* ---- the sentences of each language ------------------------------------------------------- */

static struct strvec texts[NLANG];          /* every sentence: the catalog's, then the course's */
static struct strvec course[NLANG];         /* the course's texts in the language (config_load()) */
static struct strvec own[NLANG];            /* fragments of a language that no other one has */
static struct strvec foreign[NLANG][NLANG]; /* [L][X]: fragments of X that L does not have */
static struct strvec names; /* the course's case names and exercise ids: identifiers, shown
			       as written in every language */

/* Appends the PO string whose opening quote is at `p`, unescaped, to `out`. */
static void po_string(const char *p, struct buf *out)
{
	for (p++; *p && *p != '"'; p++) {
		char c = *p;
		if (c == '\\' && p[1]) {
			c = *++p;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
			else if (c >= '0' && c <= '7') {
				int v = 0;
				for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++)
					v = v * 8 + *p++ - '0';
				p--;
				c = (char)v;
			}
		}
		buf_append(out, &c, 1);
	}
}

struct po_entry {
	struct buf id, plural, str;
	struct strvec strs; /* msgstr, or msgstr[0], msgstr[1]... */
	bool in_str;        /* a msgstr is being read */
	bool fuzzy;
};

static void po_flush_str(struct po_entry *e)
{
	if (e->in_str)
		strvec_push(&e->strs, e->str.len ? e->str.data : "");
	buf_reset(&e->str);
	e->in_str = false;
}

/* Ends the entry read so far: its msgids (`ids`) or its translations go to `out`. The header
 * (msgid "") and fuzzy translations, which gettext never uses, are left out. */
static void po_end(struct po_entry *e, bool ids, struct strvec *out)
{
	po_flush_str(e);
	if (e->id.len && ids) {
		strvec_push(out, e->id.data);
		if (e->plural.len)
			strvec_push(out, e->plural.data);
	} else if (e->id.len && !e->fuzzy) {
		for (size_t i = 0; i < e->strs.n; i++)
			if (*e->strs.v[i])
				strvec_push(out, e->strs.v[i]);
	}
	buf_reset(&e->id);
	buf_reset(&e->plural);
	strvec_free(&e->strs);
	e->fuzzy = false;
}

/* The msgids (`ids`) or the translations of the PO file `rel` into `out`. */
static void po_load(const char *rel, bool ids, struct strvec *out)
{
	struct buf file = BUF_INIT;
	ck_assert_msg(read_file(tu_path(rel), &file) == 0, "cannot read %s", rel);
	struct po_entry e = { BUF_INIT, BUF_INIT, BUF_INIT, STRVEC_INIT, false, false };
	struct buf *field = NULL; /* where a line that is only a string goes */
	bool done = false;        /* the entry has its msgstr: the next keyword starts another */
	char *save = NULL;
	for (char *line = strtok_r(file.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *quote = strchr(line, '"');
		bool start = !strncmp(line, "msgctxt", 7) || !strncmp(line, "msgid ", 6);
		if ((line[0] == '#' || start) && done) {
			po_end(&e, ids, out);
			done = false;
			field = NULL;
		}
		if (line[0] == '#') {
			if (line[1] == ',' && strstr(line, "fuzzy"))
				e.fuzzy = true;
			continue;
		}
		if (!strncmp(line, "msgctxt", 7))
			field = NULL; /* the context is not a sentence */
		else if (!strncmp(line, "msgid_plural", 12))
			field = &e.plural;
		else if (!strncmp(line, "msgid ", 6))
			field = &e.id;
		else if (!strncmp(line, "msgstr", 6)) {
			po_flush_str(&e);
			e.in_str = done = true;
			field = &e.str;
		} else if (line[0] != '"') {
			continue;
		}
		if (field && quote)
			po_string(quote, field);
	}
	po_end(&e, ids, out);
	buf_free(&e.id);
	buf_free(&e.plural);
	buf_free(&e.str);
	buf_free(&file);
}

/* The length of the printf directive at `p` (a '%'): "%s", "%zu", "%.*s", "%1$s", "%%",
 * "%<PRIu64>"; 0 when it is none. */
static size_t directive_len(const char *p)
{
	const char *s = p + 1;
	if (*s == '%')
		return 2;
	if (*s == '<') {
		const char *end = strchr(s, '>');
		return end ? (size_t)(end - p) + 1 : 0;
	}
	s += strspn(s, "0123456789$-+#'I*.");
	s += strspn(s, "hlLqjzZt");
	return *s && strchr("diouxXeEfFgGaAcsCSpnm", *s) ? (size_t)(s - p) + 1 : 0;
}

static bool is_sentence(const char *s)
{
	size_t words = 0, chars = 0;
	bool in_word = false;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if ((*u & 0xc0) != 0x80)
			chars++;
		if (isspace(*u))
			in_word = false;
		else if (!in_word)
			in_word = true, words++;
	}
	return words >= MIN_WORDS && chars >= MIN_CHARS;
}

/* Appends `piece`, without the spaces around it, to `out` when it is a sentence. */
static void keep_fragment(struct buf *piece, struct strvec *out)
{
	const char *s = piece->len ? piece->data : "";
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *f = xmemdup(s, n);
	if (is_sentence(f))
		strvec_push(out, f);
	free(f);
	buf_reset(piece);
}

/* The fragments of `text`: cut at printf directives, line breaks and tabs. */
static void fragments_of(const char *text, struct strvec *out)
{
	struct buf piece = BUF_INIT;
	for (const char *p = text;;) {
		size_t n = *p == '%' ? directive_len(p) : 0;
		if (*p && *p != '\n' && *p != '\t' && !n) {
			buf_append(&piece, p++, 1);
			continue;
		}
		keep_fragment(&piece, out);
		if (!*p)
			break;
		p += n ? n : 1;
	}
	buf_free(&piece);
}

/* Whether some text of `v` holds `s`. */
static bool held(const struct strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strstr(v->v[i], s))
			return true;
	return false;
}

static void push_unique(struct strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return;
	strvec_push(v, s);
}

/* The text of `t` in the language in force, or "". */
static const char *ltext_of(const struct ltext *t)
{
	const char *s = ltext_get(t);
	return s ? s : "";
}

/* The course's title, its exercises' titles and its cases' hints, in language `l`: what
 * ltext_get() shows in it. */
static void course_load(size_t l, struct strvec *out)
{
	struct course c = { 0 };
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(tu_path("grading.yaml"), &c, &err) == 0, "grading.yaml: %s",
		      err.data);
	ck_assert_int_eq(i18n_set(langs[l].code), 0);
	strvec_push(out, ltext_of(&c.title));
	for (size_t e = 0; e < c.nexercises; e++) {
		const struct exercise *ex = &c.exercises[e];
		strvec_push(out, ltext_of(&ex->title));
		if (l == EN)
			strvec_push(&names, ex->id);
		for (size_t i = 0; i < ex->ncases; i++) {
			strvec_push(out, ltext_of(&ex->cases[i].hint));
			if (l == EN)
				strvec_push(&names, ex->cases[i].name);
		}
	}
	i18n_set("en");
	course_free(&c);
	buf_free(&err);
}

/* Every test's fixture: the sentences of each language, and what proves each. */
static void lang_setup(void)
{
	struct strvec frags[NLANG];
	names = (struct strvec)STRVEC_INIT;
	for (size_t l = 0; l < NLANG; l++) {
		texts[l] = (struct strvec)STRVEC_INIT;
		course[l] = (struct strvec)STRVEC_INIT;
		frags[l] = (struct strvec)STRVEC_INIT;
		po_load(langs[l].catalog, l == EN, &texts[l]);
		ck_assert_msg(texts[l].n > 100, "%s: only %zu sentences", langs[l].catalog,
			      texts[l].n);
		course_load(l, &course[l]);
		for (size_t i = 0; i < course[l].n; i++)
			strvec_push(&texts[l], course[l].v[i]);
		struct strvec all = STRVEC_INIT;
		for (size_t i = 0; i < texts[l].n; i++)
			fragments_of(texts[l].v[i], &all);
		for (size_t i = 0; i < all.n; i++)
			push_unique(&frags[l], all.v[i]);
		strvec_free(&all);
	}
	for (size_t l = 0; l < NLANG; l++) {
		own[l] = (struct strvec)STRVEC_INIT;
		for (size_t i = 0; i < frags[l].n; i++) {
			bool shared = false;
			for (size_t x = 0; x < NLANG; x++)
				shared |= x != l && held(&texts[x], frags[l].v[i]);
			if (!shared)
				strvec_push(&own[l], frags[l].v[i]);
		}
		for (size_t x = 0; x < NLANG; x++) {
			foreign[l][x] = (struct strvec)STRVEC_INIT;
			for (size_t i = 0; x != l && i < frags[x].n; i++)
				if (!held(&texts[l], frags[x].v[i]) && !held(&names, frags[x].v[i]))
					strvec_push(&foreign[l][x], frags[x].v[i]);
		}
	}
	for (size_t l = 0; l < NLANG; l++)
		strvec_free(&frags[l]);
}

static void lang_teardown(void)
{
	strvec_free(&names);
	for (size_t l = 0; l < NLANG; l++) {
		strvec_free(&texts[l]);
		strvec_free(&course[l]);
		strvec_free(&own[l]);
		for (size_t x = 0; x < NLANG; x++)
			strvec_free(&foreign[l][x]);
	}
}

/* ---- reading an output back --------------------------------------------------------------- */

static void put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f)),
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	buf_append(b, u, n);
}

static bool hex_run(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* Reads the escape at `p` into `b`; returns its length, or 0 when `p` starts none: JSON's and
 * YAML's backslashes (\n, \", \u00e9), Markdown's (\_), XML's and HTML's entities (&lt;,
 * &#10;), <br>, and GitHub's %0A, %0D, %25, %3A and %2C. */
static size_t read_escape(const char *p, struct buf *b)
{
	static const char *const entities[][2] = {
		{ "&lt;", "<" },   { "&gt;", ">" },  { "&amp;", "&" },  { "&quot;", "\"" },
		{ "&apos;", "'" }, { "<br>", "\n" }, { "<br/>", "\n" }, { "%0A", "\n" },
		{ "%0D", "\r" },   { "%25", "%" },   { "%3A", ":" },    { "%2C", "," }
	};
	for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
		if (!strncmp(p, entities[i][0], strlen(entities[i][0]))) {
			buf_puts(b, entities[i][1]);
			return strlen(entities[i][0]);
		}
	if (p[0] == '&' && p[1] == '#') {
		char *end;
		bool hex = p[2] == 'x' || p[2] == 'X';
		unsigned long cp = strtoul(p + 2 + hex, &end, hex ? 16 : 10);
		if (end == p + 2 + hex || *end != ';')
			return 0;
		put_utf8(b, cp);
		return (size_t)(end - p) + 1;
	}
	if (p[0] != '\\' || !p[1])
		return 0;
	if (p[1] == 'u' && hex_run(p + 2, 4)) {
		char hex[5] = { p[2], p[3], p[4], p[5], '\0' };
		unsigned long cp = strtoul(hex, NULL, 16);
		size_t len = 6;
		if (cp >= 0xd800 && cp < 0xdc00 && p[6] == '\\' && p[7] == 'u' &&
		    hex_run(p + 8, 4)) {
			char low[5] = { p[8], p[9], p[10], p[11], '\0' };
			cp = 0x10000 + ((cp - 0xd800) << 10) + (strtoul(low, NULL, 16) & 0x3ff);
			len = 12;
		}
		put_utf8(b, cp);
		return len;
	}
	const char *from = "ntr", *to = "\n\t\r";
	const char *e = strchr(from, p[1]);
	char c = e ? to[e - from] : p[1];
	if (!e && !ispunct((unsigned char)c))
		return 0;
	buf_append(b, &c, 1);
	return 2;
}

/* `text` read back (malloc'd). */
static char *read_back(const char *text)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "");
	for (const char *p = text; *p;) {
		size_t n = read_escape(p, &b);
		if (!n)
			buf_append(&b, p, n = 1);
		p += n;
	}
	return buf_detach(&b);
}

/* ---- checking what a command wrote -------------------------------------------------------- */

struct verdict {
	size_t lang;
	char *cmd;          /* the command line, for messages */
	struct strvec bad;  /* what is wrong, one line each */
	struct strvec seen; /* the foreign fragments already told */
	size_t own_found;   /* fragments of its language in what it wrote */
	struct buf all;     /* everything it wrote */
};

/* Begins the verdict on the command `argv` of language `lang`, run with the test's folder
 * `dir` (named $DIR in messages; NULL: none). */
static void verdict_init(struct verdict *v, size_t lang, const struct strvec *argv, const char *dir)
{
	struct buf cmd = BUF_INIT;
	buf_puts(&cmd, "pipegrade");
	for (size_t i = 1; i < argv->n; i++) {
		const char *a = argv->v[i];
		const char *in = dir ? strstr(a, dir) : NULL;
		char *arg = in ? xasprintf("%.*s$DIR%s", (int)(in - a), a, in + strlen(dir))
			       : xstrdup(a);
		buf_puts(&cmd, " ");
		if (arg[strcspn(arg, " '\"")])
			buf_sh_quote(&cmd, arg, strlen(arg));
		else
			buf_puts(&cmd, arg);
		free(arg);
	}
	*v = (struct verdict){ .lang = lang, .cmd = buf_detach(&cmd) };
}

static void verdict_bad(struct verdict *v, const char *what)
{
	char *line = xasprintf("%s: `%s`: %s", langs[v->lang].code, v->cmd, what);
	strvec_push(&v->bad, line);
	free(line);
}

/* Checks `text`, the output named `what`: no sentence of another language. */
static void verdict_output(struct verdict *v, const char *what, const char *text)
{
	char *back = read_back(text);
	buf_puts(&v->all, text);
	buf_puts(&v->all, "\n");
	for (size_t x = 0; x < NLANG; x++) {
		const struct strvec *f = &foreign[v->lang][x];
		for (size_t i = 0; i < f->n; i++) {
			if (!strstr(text, f->v[i]) && !strstr(back, f->v[i]))
				continue;
			bool told = false;
			for (size_t k = 0; k < v->seen.n && !told; k++)
				told = !strcmp(v->seen.v[k], f->v[i]);
			if (told)
				continue;
			strvec_push(&v->seen, f->v[i]);
			char *msg = xasprintf("%s: %s sentence «%s»", what, langs[x].name, f->v[i]);
			verdict_bad(v, msg);
			free(msg);
		}
	}
	for (size_t i = 0; i < own[v->lang].n; i++)
		if (strstr(text, own[v->lang].v[i]) || strstr(back, own[v->lang].v[i]))
			v->own_found++;
	free(back);
}

/* The file `path`, named `what`, as an output. */
static void verdict_file(struct verdict *v, const char *what, const char *path)
{
	struct buf b = BUF_INIT;
	if (read_file(path, &b) < 0) {
		char *msg = xasprintf("%s was not written", what);
		verdict_bad(v, msg);
		free(msg);
	} else {
		verdict_output(v, what, b.len ? b.data : "");
	}
	buf_free(&b);
}

/* Requires a sentence of the language in what the command wrote (`need_own`), then ends the
 * verdict: every problem is printed, and the test fails with the first ones. */
static void verdict_end(struct verdict *v, bool need_own)
{
	if (need_own && !v->own_found) {
		struct buf said = BUF_INIT; /* its first lines, on one */
		const char *p = v->all.data ? v->all.data : "";
		p += strspn(p, "\n");
		for (size_t i = 0; p[i] && said.len < 160; i++)
			if (p[i] != '\n')
				buf_append(&said, p + i, 1);
			else if (p[i + 1] && p[i + 1] != '\n')
				buf_puts(&said, " ⏎ ");
		char *msg = xasprintf("no %s sentence in anything it wrote: %s%s",
				      langs[v->lang].name, said.data ? said.data : "",
				      said.len >= 160 ? "..." : "");
		verdict_bad(v, msg);
		free(msg);
		buf_free(&said);
	}
	struct buf msg = BUF_INIT;
	for (size_t i = 0; i < v->bad.n; i++) {
		printf("%s\n", v->bad.v[i]);
		if (i < MAX_SHOWN)
			buf_printf(&msg, "\n  %s", v->bad.v[i]);
	}
	if (v->bad.n > MAX_SHOWN)
		buf_printf(&msg, "\n  and %zu more (printed above)", v->bad.n - MAX_SHOWN);
	fflush(stdout);
	size_t n = v->bad.n;
	strvec_free(&v->bad);
	strvec_free(&v->seen);
	buf_free(&v->all);
	free(v->cmd);
	ck_assert_msg(n == 0, "%zu problem(s) in %s output:%s", n, langs[v->lang].name,
		      msg.len ? msg.data : "");
	buf_free(&msg);
}

/* ---- running pipegrade -------------------------------------------------------------------- */

#define ENV_BASE "PATH=/usr/local/bin:/usr/bin:/bin", "NO_COLOR=1"
static const char *const env_c[] = { ENV_BASE, "LC_ALL=C", NULL };

/* Runs pipegrade with `argv` (its argv[0] included) in `envp`, from the repository's top, for
 * 300 s at most; fails the test unless it ran and exited. */
static void pipegrade_run(const char *const *envp, const struct strvec *argv, struct run_result *r)
{
	struct run_spec spec = { .file = tu_pipegrade(),
				 .argv = (const char *const *)argv->v,
				 .envp = envp,
				 .cwd = tu_top(),
				 .wall_s = 300,
				 .output_bytes = 8 << 20,
				 .grace_s = -1 };
	struct buf err = BUF_INIT;
	ck_assert_msg(run_program(&spec, r, &err) == 0, "cannot run pipegrade: %s", err.data);
	ck_assert_msg(r->end == RUN_EXITED, "pipegrade %s did not exit: %s", argv->v[1],
		      r->err.data ? r->err.data : "");
	buf_free(&err);
}

/*
 * argv for pipegrade: `args` (the command first; NULL-terminated, an argument starting with
 * "@/" is one in `dir`), then `more`, with the language put at place `where` % 4: `--lang L`
 * before the command, right after it, at the end, or `--lang=L` at the end.
 */
static void make_argv(struct strvec *argv, size_t l, unsigned where, const char *dir,
		      const char *const *args, const struct strvec *more)
{
	strvec_push(argv, "pipegrade");
	if (where % 4 == 0) {
		strvec_push(argv, "--lang");
		strvec_push(argv, langs[l].code);
	}
	for (size_t i = 0; args[i]; i++) {
		if (!strncmp(args[i], "@/", 2)) {
			char *p = xasprintf("%s%s", dir, args[i] + 1);
			strvec_push(argv, p);
			free(p);
		} else {
			strvec_push(argv, args[i]);
		}
		if (i == 0 && where % 4 == 1) {
			strvec_push(argv, "--lang");
			strvec_push(argv, langs[l].code);
		}
	}
	for (size_t i = 0; more && i < more->n; i++)
		strvec_push(argv, more->v[i]);
	if (where % 4 == 2) {
		strvec_push(argv, "--lang");
		strvec_push(argv, langs[l].code);
	} else if (where % 4 == 3) {
		char *a = xasprintf("--lang=%s", langs[l].code);
		strvec_push(argv, a);
		free(a);
	}
}

static void check_exit(const struct verdict *v, const struct run_result *r, int want)
{
	if (want >= 0)
		ck_assert_msg(r->exit_code == want, "`%s` exited %d, not %d: %s", v->cmd,
			      r->exit_code, want, r->err.data ? r->err.data : "");
	else
		ck_assert_msg(r->exit_code == 0 || r->exit_code == 1, "`%s` exited %d: %s", v->cmd,
			      r->exit_code, r->err.data ? r->err.data : "");
}

/* ---- grade: a solution and failing fixtures, in every report format ----------------------- */

static const struct target {
	const char *what;
	const char *args[10]; /* after "grade" */
	int exit;             /* -1: 0 or 1 */
	bool text_only;       /* --explain: the text report */
} targets[] = {
	{ "a solution", { "-e", "01-hello", "solutions/01-hello" }, 0, false },
	{ "deadlock",
	  { "-e", "01-hello", "tests/fixtures/01-hello/child-keeps-write-end" },
	  1,
	  false },
	{ "deadlock --explain",
	  { "-e", "01-hello", "--explain", "--case", "1",
	    "tests/fixtures/01-hello/child-keeps-write-end" },
	  1,
	  true },
	{ "wrong_output",
	  { "-e", "01-hello", "tests/fixtures/01-hello/ignores-argument" },
	  1,
	  false },
	{ "crash", { "-e", "01-hello", "tests/fixtures/01-hello/double-free" }, 1, false },
	{ "fd_leak", { "-e", "01-hello", "tests/fixtures/01-hello/leaks-read-end" }, 1, false },
	{ "a hidden case",
	  { "-e", "01-hello", "--case", "mensaje vacío", "tests/fixtures/01-hello/no-newline" },
	  1,
	  false },
	{ "compile_error", { "-e", "01-hello", "tests/fixtures/01-hello/compile-error" }, 1, false },
	{ "race",
	  { "-e", "09-turnos", "--case", "1 ronda", "tests/fixtures/09-turnos/sleep-first-turn" },
	  -1,
	  false },
	{ "race replayed --explain",
	  { "-e", "09-turnos", "--seed", "7", "--case", "1 ronda", "--explain",
	    "tests/fixtures/09-turnos/sleep-first-turn" },
	  -1,
	  true },
};
#define NTARGETS (sizeof targets / sizeof targets[0])

/* The report files of a grade run: -f FMT=FILE (or --format), and GitHub's step summary. */
static const struct report_file {
	const char *opt, *format, *file;
} report_files[] = {
	{ "-f", "json", "report.json" },  { "--format", "junit", "report.xml" },
	{ "-f", "tap", "report.tap" },    { "--format", "markdown", "report.md" },
	{ "-f", "github", "github.txt" },
};

START_TEST(grade_formats)
{
	size_t l = (size_t)_i / NTARGETS;
	const struct target *t = &targets[(size_t)_i % NTARGETS];
	char *dir = tu_mkdtemp();
	char *summary_env = xasprintf("GITHUB_STEP_SUMMARY=%s/summary.md", dir);
	const char *const envp[] = { ENV_BASE, "LC_ALL=C", summary_env, NULL };
	const char *args[16] = { "grade" };
	for (size_t i = 0; t->args[i]; i++)
		args[i + 1] = t->args[i];
	struct strvec more = STRVEC_INIT, argv = STRVEC_INIT;
	if (!t->text_only) {
		strvec_push(&more, "-f");
		strvec_push(&more, "text");
		for (size_t i = 0; i < sizeof report_files / sizeof report_files[0]; i++) {
			char *a = xasprintf("%s=%s/%s", report_files[i].format, dir,
					    report_files[i].file);
			strvec_push(&more, report_files[i].opt);
			strvec_push(&more, a);
			free(a);
		}
	}
	/* the options go before the submission, which ends t->args */
	size_t n = 0;
	while (args[n])
		n++;
	const char *submission = args[n - 1];
	args[n - 1] = NULL;
	strvec_push(&more, submission);
	make_argv(&argv, l, (unsigned)_i, dir, args, &more);

	struct run_result r;
	pipegrade_run(envp, &argv, &r);
	struct verdict v;
	verdict_init(&v, l, &argv, dir);
	check_exit(&v, &r, t->exit);
	verdict_output(&v, "stdout", r.out.data ? r.out.data : "");
	verdict_output(&v, "stderr", r.err.data ? r.err.data : "");
	for (size_t i = 0; !t->text_only && i < sizeof report_files / sizeof report_files[0]; i++) {
		char *path = xasprintf("%s/%s", dir, report_files[i].file);
		verdict_file(&v, report_files[i].file, path);
		if (!strcmp(report_files[i].format, "json")) {
			struct buf b = BUF_INIT;
			ck_assert_int_eq(read_file(path, &b), 0);
			ck_assert_msg(json_validate(b.data, b.len) == 0, "`%s`: invalid JSON",
				      v.cmd);
			buf_free(&b);
		}
		free(path);
	}
	if (!t->text_only) {
		char *path = xasprintf("%s/summary.md", dir);
		verdict_file(&v, "$GITHUB_STEP_SUMMARY", path);
		free(path);
	}
	run_result_free(&r);
	strvec_free(&argv);
	strvec_free(&more);
	free(summary_env);
	tu_rmdir(dir);
	verdict_end(&v, true);
}
END_TEST

/* ---- the other commands, and the errors ----------------------------------------------------- */

static const struct command {
	const char *what;
	const char *args[10]; /* "@/" is the test's folder */
	int exit;             /* -1: 1 or 2 */
	bool terse;           /* says too little for a sentence: it must differ from English */
} commands[] = {
	{ "list", { "list" }, 0, true },
	{ "check-config", { "check-config", "grading.yaml" }, 0, true },
	{ "--help", { "--help" }, 0, false },
	{ "an unknown command", { "frobnicate" }, 2, false },
	{ "an unknown exercise", { "grade", "-e", "99-x", "solutions/01-hello" }, 2, false },
	{ "an unknown case",
	  { "grade", "-e", "01-hello", "--case", "nope", "solutions/01-hello" },
	  2,
	  false },
	{ "--stress not a number",
	  { "grade", "-e", "01-hello", "--stress", "many", "solutions/01-hello" },
	  2,
	  false },
	{ "--stress too many",
	  { "grade", "-e", "01-hello", "--stress", "5000", "solutions/01-hello" },
	  2,
	  false },
	{ "an unknown format", { "grade", "-f", "xml", "solutions/01-hello" }, 2, false },
	{ "grading.yaml errors",
	  { "grade", "-c", "@/bad.yaml", "-e", "01-x", "solutions/01-hello" },
	  2,
	  false },
	{ "check-config with errors", { "check-config", "@/bad.yaml" }, 2, false },
	{ "no .c file", { "grade", "-e", "01-hello", "@/empty" }, -1, false },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* Runs commands[c] in language l: its exit status checked, what it wrote into `out`, and into
 * `v` (begun here) when it is not NULL. */
static void command_run(size_t c, size_t l, unsigned where, const char *dir, struct verdict *v,
			struct buf *out)
{
	struct strvec argv = STRVEC_INIT;
	make_argv(&argv, l, where, dir, commands[c].args, NULL);
	struct run_result r;
	pipegrade_run(env_c, &argv, &r);
	struct verdict scratch;
	verdict_init(v ? v : &scratch, l, &argv, dir);
	if (commands[c].exit >= 0)
		check_exit(v ? v : &scratch, &r, commands[c].exit);
	else
		ck_assert_msg(r.exit_code == 1 || r.exit_code == 2, "`%s` exited %d: %s",
			      (v ? v : &scratch)->cmd, r.exit_code, r.err.data ? r.err.data : "");
	if (v) {
		verdict_output(v, "stdout", r.out.data ? r.out.data : "");
		verdict_output(v, "stderr", r.err.data ? r.err.data : "");
	} else {
		free(scratch.cmd);
	}
	buf_printf(out, "%s%s", r.out.data ? r.out.data : "", r.err.data ? r.err.data : "");
	run_result_free(&r);
	strvec_free(&argv);
}

START_TEST(other_commands)
{
	size_t l = (size_t)_i / NCOMMANDS, c = (size_t)_i % NCOMMANDS;
	char *dir = tu_mkdtemp();
	tu_write(dir, "bad.yaml", "exercises:\n  - id: 01-x\n    titel: X\n");
	char *empty = xasprintf("%s/empty", dir);
	ck_assert_int_eq(mkdir(empty, 0755), 0);
	tu_write(empty, "README.md", "no C here\n");
	struct verdict v;
	struct buf out = BUF_INIT;
	command_run(c, l, (unsigned)_i, dir, &v, &out);
	if (commands[c].terse && l != EN) {
		struct buf en = BUF_INIT;
		command_run(c, EN, (unsigned)_i, dir, NULL, &en);
		if (!strcmp(out.data ? out.data : "", en.data ? en.data : ""))
			verdict_bad(&v, "writes the same as in English");
		buf_free(&en);
	}
	buf_free(&out);
	free(empty);
	tu_rmdir(dir);
	verdict_end(&v, !commands[c].terse);
}
END_TEST

/* `--lang fr` is a usage error that names the languages pipegrade speaks, as is --lang alone. */
START_TEST(unknown_language)
{
	const char *const args[][4] = { { "--lang", "fr", "list", NULL },
					{ "list", "--lang=fr", NULL },
					{ "grade", "solutions/01-hello", "--lang", NULL } };
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
		struct strvec argv = STRVEC_INIT;
		strvec_push(&argv, "pipegrade");
		for (size_t k = 0; args[i][k]; k++)
			strvec_push(&argv, args[i][k]);
		struct run_result r;
		pipegrade_run(env_c, &argv, &r);
		const char *err = r.err.data ? r.err.data : "";
		ck_assert_msg(r.exit_code == 2, "%s %s: exit %d", args[i][0], args[i][1],
			      r.exit_code);
		ck_assert_msg(!r.out.len, "%s %s wrote to stdout: %s", args[i][0], args[i][1],
			      r.out.data);
		if (i < 2)
			ck_assert_msg(strstr(err, "'fr'"), "does not name 'fr': %s", err);
		for (size_t l = 0; l < NLANG; l++)
			ck_assert_msg(strstr(err, langs[l].code), "does not name %s: %s",
				      langs[l].code, err);
		run_result_free(&r);
		strvec_free(&argv);
	}
}
END_TEST

/* ---- a class ------------------------------------------------------------------------------- */

START_TEST(class_outputs)
{
	size_t l = (size_t)_i;
	char *dir = tu_mkdtemp();
	const char *const students[][2] = {
		{ "ana", "solutions/01-hello/hello.c" },
		{ "bob", "tests/fixtures/01-hello/ignores-argument/hello.c" }
	};
	for (size_t i = 0; i < 2; i++) {
		char *d = xasprintf("%s/class/%s", dir, students[i][0]);
		ck_assert_int_eq(make_dirs(d), 0);
		char *to = xasprintf("%s/hello.c", d);
		ck_assert_int_eq(file_copy(tu_path(students[i][1]), to, 0644), 0);
		free(to);
		free(d);
	}
	const char *const args[] = { "class", "-e",    "01-hello", "-j", "2",
				     "--out", "@/out", "@/class",  NULL };
	struct strvec argv = STRVEC_INIT;
	make_argv(&argv, l, (unsigned)_i, dir, args, NULL);
	struct run_result r;
	pipegrade_run(env_c, &argv, &r);
	struct verdict v;
	verdict_init(&v, l, &argv, dir);
	check_exit(&v, &r, 1);
	verdict_output(&v, "stdout", r.out.data ? r.out.data : "");
	verdict_output(&v, "stderr", r.err.data ? r.err.data : "");
	static const char *const files[] = { "summary.txt",
					     "summary.html",
					     "cases.csv",
					     "junit.xml",
					     "students/bob/01-hello/report.txt",
					     "students/bob/01-hello/results.json",
					     "students/bob/01-hello/junit.xml",
					     "students/ana/01-hello/report.txt",
					     "students/ana/results.json" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = xasprintf("%s/out/%s", dir, files[i]);
		verdict_file(&v, files[i], path);
		free(path);
	}
	struct buf html = BUF_INIT;
	char *path = xasprintf("%s/out/summary.html", dir);
	ck_assert_int_eq(read_file(path, &html), 0);
	char *want = xasprintf("<html lang=\"%s\">", langs[l].html);
	if (!strstr(html.data, want)) {
		char *msg = xasprintf("summary.html lacks %s", want);
		verdict_bad(&v, msg);
		free(msg);
	}
	free(want);
	free(path);
	buf_free(&html);
	run_result_free(&r);
	strvec_free(&argv);
	tu_rmdir(dir);
	verdict_end(&v, true);
}
END_TEST

/* ---- the course's texts: the hints and titles of grading.yaml's maps ------------------------ */

/* The hint of 01-hello's case `name` in language l (ltext_get()), or NULL (malloc'd). */
static char *hint_of(size_t l, const char *name)
{
	struct course c = { 0 };
	struct buf err = BUF_INIT;
	char *hint = NULL;
	ck_assert_int_eq(config_load(tu_path("grading.yaml"), &c, &err), 0);
	ck_assert_int_eq(i18n_set(langs[l].code), 0);
	const struct exercise *ex = course_find_exercise(&c, "01-hello");
	for (size_t i = 0; ex && i < ex->ncases; i++)
		if (!strcmp(ex->cases[i].name, name) && ltext_get(&ex->cases[i].hint))
			hint = xstrdup(ltext_get(&ex->cases[i].hint));
	i18n_set("en");
	course_free(&c);
	buf_free(&err);
	return hint;
}

/* No hint or title of another language in a report or in `list`, and the language's own hint
 * of a failed case in the report; skipped while grading.yaml has one text for all. */
START_TEST(course_texts)
{
	bool maps = false;
	for (size_t l = 1; l < NLANG; l++)
		for (size_t i = 0; i < course[l].n && i < course[EN].n; i++)
			maps |= strcmp(course[l].v[i], course[EN].v[i]) != 0;
	TU_NEED(maps, "grading.yaml's hints and titles are still plain strings, one text for "
		      "every language: that they do not escape is checked once they are maps by "
		      "language");
	for (size_t l = 0; l < NLANG; l++) {
		struct strvec texts_of[NLANG];
		for (size_t x = 0; x < NLANG; x++) {
			texts_of[x] = (struct strvec)STRVEC_INIT;
			for (size_t i = 0; x != l && i < course[x].n; i++)
				if (!held(&course[l], course[x].v[i]))
					fragments_of(course[x].v[i], &texts_of[x]);
		}
		char *dir = tu_mkdtemp();
		char *json = xasprintf("json=%s/report.json", dir);
		const char *const grade[] = {
			"grade", "-e", "01-hello", "-f",
			"text",  "-f", json,       "tests/fixtures/01-hello/ignores-argument",
			NULL
		};
		const char *const list[] = { "list", NULL };
		const char *const *runs[] = { grade, list };
		for (size_t k = 0; k < 2; k++) {
			struct strvec argv = STRVEC_INIT;
			make_argv(&argv, l, (unsigned)k + l, dir, runs[k], NULL);
			struct run_result r;
			pipegrade_run(env_c, &argv, &r);
			struct buf all = BUF_INIT;
			buf_printf(&all, "%s%s", r.out.data ? r.out.data : "",
				   r.err.data ? r.err.data : "");
			if (k == 0)
				ck_assert_int_eq(read_file(json + 5, &all), 0);
			char *back = read_back(all.data);
			for (size_t x = 0; x < NLANG; x++)
				for (size_t i = 0; i < texts_of[x].n; i++)
					ck_assert_msg(!strstr(all.data, texts_of[x].v[i]) &&
							      !strstr(back, texts_of[x].v[i]),
						      "%s: `%s`: the %s text of grading.yaml «%s»",
						      langs[l].code, runs[k][0], langs[x].name,
						      texts_of[x].v[i]);
			char *hint = hint_of(l, "mensaje corto");
			if (k == 0 && hint)
				ck_assert_msg(strstr(back, hint) || strstr(all.data, hint),
					      "%s: the report lacks the %s hint «%s»",
					      langs[l].code, langs[l].name, hint);
			free(hint);
			free(back);
			buf_free(&all);
			run_result_free(&r);
			strvec_free(&argv);
		}
		for (size_t x = 0; x < NLANG; x++)
			strvec_free(&texts_of[x]);
		free(json);
		tu_rmdir(dir);
	}
}
END_TEST

/* ---- the language from the environment ---------------------------------------------------- */

static const struct env_case {
	const char *vars[3];
	const char *lang; /* --lang, or NULL */
	size_t want;
} env_cases[] = {
	{ { "LANGUAGE=es", "LC_ALL=C" }, NULL, ES }, /* CI's locale: glibc would ignore LANGUAGE */
	{ { "LANGUAGE=pt_BR:es", "LC_ALL=C" }, NULL, PT },
	{ { "LANGUAGE=fr:es", "LC_ALL=C" }, NULL, ES }, /* the first one pipegrade speaks */
	{ { "LC_ALL=C" }, NULL, EN },
	{ { "LANG=pt_BR.UTF-8" }, NULL, PT },
	{ { "LC_MESSAGES=es_AR.UTF-8", "LANG=en_US.UTF-8" }, NULL, ES },
	{ { "LANGUAGE=es", "LC_ALL=C" }, "en", EN }, /* --lang wins */
	{ { "LANG=es_ES.UTF-8" }, "pt", PT },
};

/* The language whose sentences `text` holds most of; NLANG when none. */
static size_t language_of(const char *text, size_t count[NLANG])
{
	char *back = read_back(text);
	size_t best = NLANG;
	for (size_t l = 0; l < NLANG; l++) {
		count[l] = 0;
		for (size_t i = 0; i < own[l].n; i++)
			count[l] += strstr(text, own[l].v[i]) || strstr(back, own[l].v[i]);
		if (count[l] && (best == NLANG || count[l] > count[best]))
			best = l;
	}
	free(back);
	return best;
}

START_TEST(language_from_env)
{
	const struct env_case *e = &env_cases[_i];
	const char *envp[8] = { ENV_BASE };
	size_t n = 2;
	for (size_t i = 0; i < 3 && e->vars[i]; i++)
		envp[n++] = e->vars[i];
	struct strvec argv = STRVEC_INIT;
	const char *const args[] = { "pipegrade",
				     "grade",
				     "-e",
				     "01-hello",
				     "--case",
				     "2",
				     "tests/fixtures/01-hello/ignores-argument" };
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
		strvec_push(&argv, args[i]);
	if (e->lang) {
		strvec_push(&argv, "--lang");
		strvec_push(&argv, e->lang);
	}
	struct run_result r;
	pipegrade_run(envp, &argv, &r);
	ck_assert_int_eq(r.exit_code, 1);
	size_t count[NLANG];
	size_t got = language_of(r.out.data ? r.out.data : "", count);
	ck_assert_msg(got == e->want,
		      "%s %s%s%s: the report is in %s, not %s (sentences: %zu en, %zu es, %zu "
		      "pt_BR):\n%s",
		      e->vars[0], e->vars[1] ? e->vars[1] : "-", e->lang ? " --lang " : "",
		      e->lang ? e->lang : "", got < NLANG ? langs[got].name : "no language",
		      langs[e->want].name, count[EN], count[ES], count[PT], r.out.data);
	run_result_free(&r);
	strvec_free(&argv);
}
END_TEST

/* ---- numbers keep their dot ---------------------------------------------------------------- */

/* Whether the locale es_ES.UTF-8 has a comma for a decimal point, as `locale` sees it with
 * `locpath` ("LOCPATH=DIR") in its environment. (Not with newlocale() here: glibc leaks the
 * LOCPATH it reads, which LeakSanitizer reports.) */
static bool comma_in(const char *locpath)
{
	char *locale = tu_which("locale");
	if (!locale)
		return false;
	const char *const argv[] = { locale, "decimal_point", NULL };
	const char *const envp[] = { "LC_ALL=es_ES.UTF-8", locpath, NULL };
	struct run_result r;
	tu_run(argv, envp, NULL, &r);
	bool comma = r.exit_code == 0 && r.out.data && !strcmp(r.out.data, ",\n");
	run_result_free(&r);
	free(locale);
	return comma;
}

/* A Spanish locale (a comma for a decimal point): the machine's es_ES.UTF-8 (then *locpath is
 * NULL), or one made with localedef into `dir` (then *locpath is "LOCPATH=dir", malloc'd).
 * false: none here. */
static bool spanish_locale(const char *dir, char **locpath)
{
	*locpath = NULL;
	locale_t loc = newlocale(LC_ALL_MASK, "es_ES.UTF-8", (locale_t)0);
	if (loc) {
		bool comma = !strcmp(nl_langinfo_l(RADIXCHAR, loc), ",");
		freelocale(loc);
		if (comma)
			return true;
	}
	char *localedef = tu_which("localedef");
	bool can = localedef && access("/usr/share/i18n/locales/es_ES", R_OK) == 0 &&
		   access("/usr/share/i18n/locales/i18n", R_OK) == 0;
	free(localedef);
	if (!can)
		return false;
	/* es_ES's numbers, with C's collation: much quicker to make than es_ES whole */
	struct buf src = BUF_INIT;
	buf_puts(&src, "LC_CTYPE\ncopy \"i18n\"\ntranslit_start\ninclude "
		       "\"translit_combining\";\"\"\ntranslit_end\nEND LC_CTYPE\n"
		       "LC_COLLATE\ncopy \"POSIX\"\nEND LC_COLLATE\n");
	static const char *const cats[] = { "NUMERIC",     "MONETARY",      "TIME",    "MESSAGES",
					    "PAPER",       "NAME",          "ADDRESS", "TELEPHONE",
					    "MEASUREMENT", "IDENTIFICATION" };
	for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
		buf_printf(&src, "LC_%s\ncopy \"es_ES\"\nEND LC_%s\n", cats[i], cats[i]);
	tu_write(dir, "es_ES.src", src.data);
	buf_free(&src);
	char *in = xasprintf("%s/es_ES.src", dir), *out = xasprintf("%s/es_ES.UTF-8", dir);
	const char *const argv[] = { "localedef", "-i", in, "-f", "UTF-8", out, NULL };
	struct run_result r;
	tu_run(argv, NULL, NULL, &r);
	run_result_free(&r);
	free(in);
	free(out);
	*locpath = xasprintf("LOCPATH=%s", dir);
	return comma_in(*locpath);
}

/* Runs pipegrade with `args` (NULL-terminated, after argv[0]) in `envp`; returns its stdout
 * (malloc'd) after checking its exit status. */
static char *numbers_run(const char *const *envp, int want, const char *const *args)
{
	struct strvec argv = STRVEC_INIT;
	strvec_push(&argv, "pipegrade");
	for (size_t i = 0; args[i]; i++)
		strvec_push(&argv, args[i]);
	struct run_result r;
	pipegrade_run(envp, &argv, &r);
	ck_assert_msg(r.exit_code == want, "pipegrade %s %s: exit %d, not %d: %s", args[0], args[1],
		      r.exit_code, want, r.err.data ? r.err.data : "");
	char *out = xstrdup(r.out.data ? r.out.data : "");
	run_result_free(&r);
	strvec_free(&argv);
	return out;
}

/* `points: 0.25` loads, and JSON's numbers have a dot, under --lang es in `envp`. */
static void numbers_in(const char *const *envp, const char *dir, const char *where)
{
	char *yaml = xasprintf("%s/points.yaml", dir);
	char *out = numbers_run(envp, 0,
				(const char *const[]){ "check-config", yaml, "--lang", "es",
						       NULL });
	free(out);
	out = numbers_run(envp, 0,
			  (const char *const[]){ "grade", "--lang", "es", "-c", yaml, "-e",
						 "01-hello", "-f", "json", "solutions/01-hello",
						 NULL });
	ck_assert_msg(json_validate(out, strlen(out)) == 0, "%s: invalid JSON:\n%s", where, out);
	ck_assert_msg(strstr(out, "\"score\": 0.75,") && strstr(out, "\"max_score\": 0.25"),
		      "%s: points 0.25 and 0.5 are not 0.75 in JSON:\n%s", where, out);
	ck_assert_msg(!strstr(out, "0,75") && !strstr(out, "0,25"), "%s: a decimal comma:\n%s",
		      where, out);
	free(out);
	out = numbers_run(envp, 1,
			  (const char *const[]){ "grade", "-e", "01-hello", "--format", "json",
						 "tests/fixtures/01-hello/leaks-read-end", "--lang",
						 "es", NULL });
	ck_assert_msg(json_validate(out, strlen(out)) == 0, "%s: invalid JSON:\n%s", where, out);
	ck_assert_msg(strstr(out, "\"score\": 7.5,") && strstr(out, "\"score\": 1.5,"),
		      "%s: fd_leak's 7.5 and 1.5 are not in JSON:\n%.2000s", where, out);
	ck_assert_msg(!strstr(out, "7,5") && !strstr(out, "1,5"), "%s: a decimal comma:\n%.2000s",
		      where, out);
	free(out);
	free(yaml);
}

START_TEST(numbers_keep_dot)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "points.yaml",
		 "exercises:\n"
		 "  - id: 01-hello\n"
		 "    title: \"Hola\"\n"
		 "    binary: hello\n"
		 "    limits: {wall: 5, cpu: 2}\n"
		 "    cases:\n"
		 "      - name: \"uno\"\n"
		 "        stdout: \"Hijo recibió: Hola desde el padre!\\n\"\n"
		 "        points: 0.25\n"
		 "      - name: \"dos\"\n"
		 "        args: [hola]\n"
		 "        stdout: \"Hijo recibió: hola\\n\"\n"
		 "        points: 0.5\n");
	numbers_in(env_c, dir, "LC_ALL=C");
	char *locpath;
	bool spanish = spanish_locale(dir, &locpath);
	if (spanish) {
		const char *const envp[] = { ENV_BASE, "LC_ALL=es_ES.UTF-8",
					     locpath ? locpath : "LANG=es_ES.UTF-8", NULL };
		numbers_in(envp, dir, "LC_ALL=es_ES.UTF-8");
	}
	free(locpath);
	tu_rmdir(dir);
	TU_NEED(spanish, "no es_ES.UTF-8 locale here, and localedef cannot make one: the numbers "
			 "were checked under LC_ALL=C only");
}
END_TEST

/* The catalogs are read whole: every message of the template has its translation, and each
 * language has sentences of its own to prove it. */
START_TEST(catalogs_read)
{
	for (size_t l = 0; l < NLANG; l++) {
		ck_assert_msg(own[l].n > 50, "%s: only %zu sentences of its own", langs[l].catalog,
			      own[l].n);
		for (size_t x = 0; x < NLANG; x++)
			ck_assert_msg(x == l || foreign[l][x].n > 50, "%s: %zu %s sentences",
				      langs[l].name, foreign[l][x].n, langs[x].name);
	}
	struct strvec ids = STRVEC_INIT, es = STRVEC_INIT;
	po_load("po/pipegrade.pot", true, &ids);
	po_load("po/es.po", true, &es);
	ck_assert_uint_eq(ids.n, es.n);
	strvec_free(&ids);
	strvec_free(&es);
	struct strvec f = STRVEC_INIT;
	fragments_of("pipegrade: %s: cannot read %zu bytes of the pipe\n"
		     "see %1$s and %.*s too, or 100%% of it\tnow that it is full",
		     &f);
	ck_assert_uint_eq(f.n, 2);
	ck_assert_str_eq(f.v[0], "bytes of the pipe");
	ck_assert_str_eq(f.v[1], "now that it is full");
	strvec_free(&f);
}
END_TEST

Suite *lang_suite(void)
{
	Suite *s = suite_create("lang");
	TCase *tc = tcase_create("lang");
	tcase_add_checked_fixture(tc, lang_setup, lang_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, catalogs_read);
	tcase_add_test(tc, unknown_language);
	tcase_add_loop_test(tc, language_from_env, 0,
			    (int)(sizeof env_cases / sizeof env_cases[0]));
	suite_add_tcase(s, tc);
	/* the slow ones: a unit each, in parallel */
	static const char *const grade_names[NLANG] = { "grade en", "grade es", "grade pt_BR" };
	static const char *const other_names[NLANG] = { "commands en", "commands es",
							"commands pt_BR" };
	for (size_t l = 0; l < NLANG; l++) {
		tc = tu_tcase(s, grade_names[l], NULL);
		tcase_add_checked_fixture(tc, lang_setup, lang_teardown);
		tcase_set_timeout(tc, 300);
		tcase_add_loop_test(tc, grade_formats, (int)(l * NTARGETS),
				    (int)((l + 1) * NTARGETS));
		tc = tu_tcase(s, other_names[l], NULL);
		tcase_add_checked_fixture(tc, lang_setup, lang_teardown);
		tcase_set_timeout(tc, 120);
		tcase_add_loop_test(tc, other_commands, (int)(l * NCOMMANDS),
				    (int)((l + 1) * NCOMMANDS));
	}
	tc = tu_tcase(s, "class", NULL);
	tcase_add_checked_fixture(tc, lang_setup, lang_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, class_outputs, 0, NLANG);
	tc = tu_tcase(s, "course texts", NULL);
	tcase_add_checked_fixture(tc, lang_setup, lang_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, course_texts);
	tc = tu_tcase(s, "numbers", NULL);
	tcase_add_checked_fixture(tc, lang_setup, lang_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, numbers_keep_dot);
	return s;
}
