/*
 * config_data.c: the data a case feeds or expects, for config.c (see config_int.h): stdin (a text,
 * a file, or a text repeated), stdout/stderr expectations (text or file, and a comparison mode;
 * a regex is compiled once here to check it), the "files" put in a case's directory and the
 * "expect_files" checked there, and every file named in grading.yaml; also the "kit" setting
 * of the course and of an exercise (what the student kit does with hidden cases).
 *
 * An expectation may be sealed (`sealed: "sha256:HEX"` instead of `text` or `file`): only the
 * digest of the expected output is given, kept as the 32 bytes of the expectation, and the
 * mode becomes its sealed form (CMP_SEALED_*, config.h). Only exact and trailing_ws can be
 * sealed: contains and regex need the text itself.
 *
 * A stdin/stdout/stderr or file mapping is walked into a `struct source` (the nodes of its keys,
 * kept as found) and checked as a whole afterwards, so that "give exactly one of text, file or
 * repeat" is judged with every key in view. Named files are resolved against the directory of
 * grading.yaml and checked to be readable files; their bytes, and repeated texts, stay out of
 * memory until a case runs (data_load()). A regex is the exception: read at once, to check it.
 */
#include "config_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "i18n.h"
#include "sha256.h"

#define MAX_STDIN_BYTES (256ULL * 1024 * 1024) /* repeat x times */

/* ---- files named in grading.yaml ---------------------------------------------------------- */

/* A path relative to the course directory (absolute paths are kept); owned by the caller. */
static char *path_resolve(const struct loader *ld, const char *rel)
{
	return rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", ld->dir, rel);
}

/* Reports why `path` (written as `val`) could not be used, from errno. */
static void file_error(struct loader *ld, const char *what, const struct ynode *val, int err)
{
	struct quoted q;
	if (err == ENOENT || err == ENOTDIR) {
		if (val->text[0] == '/')
			err_at(ld, val, _("%s file %s not found"), what, quote_node(&q, val));
		else
			err_at(ld, val, _("%s file %s not found (looked in %s)"), what,
			       quote_node(&q, val), ld->dir);
	} else {
		err_at(ld, val, _("%s file %s cannot be read: %s"), what, quote_node(&q, val),
		       strerror(err));
	}
}

/* The resolved path of a file name given as `val`, or NULL after reporting. */
static char *file_path(struct loader *ld, const char *key, const struct ynode *val)
{
	if (!node_is_text(val) || val->len == 0) {
		type_error(ld, key, val, _("a file name"));
		return NULL;
	}
	if (node_has_nul(val)) {
		err_at(ld, val, _("\"%s\" cannot contain NUL bytes"), key);
		return NULL;
	}
	return path_resolve(ld, val->text);
}

/* The resolved path of the file named by `val` when it is a readable file (its size in `size`),
 * else NULL after reporting. */
static char *file_check(struct loader *ld, const char *key, const char *what,
			const struct ynode *val, size_t *size)
{
	char *path = file_path(ld, key, val);
	if (!path)
		return NULL;
	struct stat st;
	if (stat(path, &st) < 0 || access(path, R_OK) < 0) {
		file_error(ld, what, val, errno);
	} else if (S_ISDIR(st.st_mode)) {
		file_error(ld, what, val, EISDIR);
	} else {
		if (size)
			*size = (size_t)st.st_size;
		return path;
	}
	free(path);
	return NULL;
}

/* A file named by `val`, kept as a path in `out`: read when a case needs it. Returns 0 or -1
 * after reporting. */
static int file_ref(struct loader *ld, const char *what, const struct ynode *val, struct data *out)
{
	size_t size = 0;
	char *path = file_check(ld, "file", what, val, &size);
	if (!path)
		return -1;
	*out = (struct data){ .file = path, .size = size };
	return 0;
}

void data_free(struct data *d)
{
	free(d->text);
	free(d->file);
	*d = (struct data){ 0 };
}

int data_load(const struct data *d, struct buf *out, struct buf *err)
{
	if (d->file) {
		if (read_file(d->file, out) == 0)
			return 0;
		int e = errno;
		buf_printf(err, "%s: %s\n", d->file, strerror(e));
		errno = e;
		return -1;
	}
	if (!d->text || d->times == 0)
		return 0;
	buf_reserve(out, d->size); /* all of it: the copies below read from `out` itself */
	size_t start = out->len, total = d->size, done = d->len < total ? d->len : total;
	buf_append(out, d->text, done);
	while (done < total) { /* doubling copies: fast even for one byte 256 Mi times */
		size_t n = done < total - done ? done : total - done;
		buf_append(out, out->data + start, n);
		done += n;
	}
	return 0;
}

static void add_file(struct strvec *paths, const struct data *d)
{
	if (!d->file)
		return;
	for (size_t i = 0; i < paths->n; i++)
		if (!strcmp(paths->v[i], d->file))
			return;
	strvec_push(paths, d->file);
}

void exercise_data_files(const struct exercise *ex, struct strvec *paths)
{
	for (size_t i = 0; i < ex->ncases; i++) {
		const struct test_case *tc = &ex->cases[i];
		add_file(paths, &tc->in);
		add_file(paths, &tc->out.want);
		add_file(paths, &tc->err.want);
		for (size_t k = 0; k < tc->nfiles; k++)
			add_file(paths, &tc->files[k].data);
		for (size_t k = 0; k < tc->nexpect_files; k++)
			add_file(paths, &tc->expect_files[k].exp.want);
	}
}

/* statement: a readable regular file; stores its resolved path (char **). */
void set_statement(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	char *path = file_check(ld, key, key, val, NULL);
	if (path) {
		free(*(char **)field);
		*(char **)field = path;
	}
}

/* ---- inputs and expectations -------------------------------------------------------------- */

/* The keys of a stdin/stdout/stderr mapping, as found; checked once the mapping is walked. */
struct source {
	const struct ynode *text, *file, *repeat, *times, *mode;
	const struct ynode *sealed;               /* expectations only */
	const struct ynode *path, *perm, *absent; /* files and expect_files only */
};

static void keep_node(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	(void)ld;
	(void)key;
	*(const struct ynode **)field = val;
}

static const struct key_rule stdin_rules[] = {
	{ "text", keep_node, offsetof(struct source, text), NULL },
	{ "file", keep_node, offsetof(struct source, file), NULL },
	{ "repeat", keep_node, offsetof(struct source, repeat), NULL },
	{ "times", keep_node, offsetof(struct source, times), NULL },
};

static const struct map_kind stdin_kind = { N_("in \"stdin\""), RULES(stdin_rules) };

static const struct key_rule expect_rules[] = {
	{ "text", keep_node, offsetof(struct source, text), NULL },
	{ "file", keep_node, offsetof(struct source, file), NULL },
	{ "sealed", keep_node, offsetof(struct source, sealed), NULL },
	{ "mode", keep_node, offsetof(struct source, mode), NULL },
};

/* The sources an expectation takes one of, for source_pick(). */
#define EXPECT_SOURCES _("\"text\", \"file\" or \"sealed\"")

static bool node_before(const struct ynode *a, const struct ynode *b)
{
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

/* The one of `cands` (n of them, some NULL) that is given. Reports none or more than one
 * (at each but the first); `names` lists them for the messages. */
static const struct ynode *source_pick(struct loader *ld, const char *key, const struct ynode *map,
				       const struct ynode *const *cands, size_t n,
				       const char *names)
{
	const struct ynode *first = NULL;
	for (size_t i = 0; i < n; i++)
		if (cands[i] && (!first || node_before(cands[i], first)))
			first = cands[i];
	if (!first) {
		err_at(ld, map, _("\"%s\" needs one of %s"), key, names);
		return NULL;
	}
	bool many = false;
	for (size_t i = 0; i < n; i++) {
		if (cands[i] && cands[i] != first) {
			err_at(ld, cands[i], _("\"%s\" takes only one of %s"), key, names);
			many = true;
		}
	}
	return many ? NULL : first;
}

static void data_text(struct data *d, const char *text, size_t len, unsigned long long times)
{
	*d = (struct data){
		.text = xmemdup(text, len), .len = len, .times = times, .size = len * (size_t)times
	};
}

/* A literal text (NUL bytes allowed), into `out`. */
static int text_read(struct loader *ld, const char *key, const struct ynode *val, struct data *out)
{
	if (!node_is_text(val)) {
		type_error(ld, key, val, _("a string"));
		return -1;
	}
	data_text(out, val->text, val->len, 1);
	return 0;
}

/* repeat: TEXT, times: N, into `out` (expanded when a case needs it). */
static int repeat_read(struct loader *ld, const struct source *s, struct data *out)
{
	long long times;
	const struct ynode *text = s->repeat;
	if (!node_is_text(text)) {
		type_error(ld, "repeat", text, _("a string"));
		return -1;
	}
	if (!node_int(s->times, &times) || times < 0) {
		type_error(ld, "times", s->times, _("an integer >= 0"));
		return -1;
	}
	if (text->len > 0 && (unsigned long long)times > MAX_STDIN_BYTES / text->len) {
		err_at(ld, s->times,
		       _("\"repeat\" (%zu bytes) %lld times is more than the 256 MiB "
			 "that stdin may hold"),
		       text->len, times);
		return -1;
	}
	data_text(out, text->text, text->len, (unsigned long long)times);
	return 0;
}

/* The data of an input mapping already walked into `s`: text, file, or repeat and times.
 * Returns 0 with `out` filled, or -1 after reporting. */
static int read_source(struct loader *ld, const char *key, const struct ynode *map,
		       const struct source *s, struct data *out)
{
	const struct ynode *cands[] = { s->text, s->file, s->repeat };
	const struct ynode *from = source_pick(ld, key, map, cands, 3,
					       _("\"text\", \"file\" or \"repeat\""));
	if (s->times && !s->repeat)
		err_at(ld, s->times, _("\"times\" goes only with \"repeat\""));
	if (!from)
		return -1;
	if (from == s->repeat && !s->times) {
		err_at(ld, map, _("\"repeat\" needs \"times\""));
		return -1;
	}
	return from == s->text   ? text_read(ld, "text", from, out)
	       : from == s->file ? file_ref(ld, key, from, out)
				 : repeat_read(ld, s, out);
}

static void parse_stdin_map(struct loader *ld, const char *key, const struct ynode *val,
			    struct test_case *tc)
{
	struct source s = { 0 };
	map_walk(ld, val, &stdin_kind, &s);
	read_source(ld, key, val, &s, &tc->in);
}

/* stdin: a string, or a mapping with text, file or repeat+times (struct test_case *). */
void parse_stdin(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct test_case *tc = field;
	if (node_is_text(val)) {
		data_text(&tc->in, val->text, val->len, 1);
	} else if (val->kind == YNODE_MAP) {
		parse_stdin_map(ld, key, val, tc);
	} else {
		type_error(ld, key, val,
			   _("a string or a mapping with \"text\", \"file\" or \"repeat\""));
	}
}

/* Checks that a regex (read from `at`) compiles. Returns 0 or -1 after reporting. */
static int regex_check(struct loader *ld, const char *key, const struct ynode *at,
		       const struct buf *re)
{
	if (re->len && memchr(re->data, '\0', re->len)) {
		err_at(ld, at, _("bad regex in \"%s\": a regex cannot contain NUL bytes"), key);
		return -1;
	}
	struct buf why = BUF_INIT;
	int rc = compare_check_regex(re->data ? re->data : "", &why);
	if (rc < 0) {
		while (why.len > 0 && strchr(" \t\r\n", why.data[why.len - 1]))
			why.data[--why.len] = '\0';
		err_at(ld, at, _("bad regex in \"%s\": %s"), key,
		       why.len ? why.data : _("it does not compile"));
	}
	buf_free(&why);
	return rc;
}

/* sealed: "sha256:" and 64 hexadecimal digits, for a mode that can be sealed, into `e`.
 * Returns 0, or -1 after reporting. */
static int sealed_read(struct loader *ld, const char *key, const struct source *s,
		       enum cmp_mode mode, struct expect *e)
{
	static const char prefix[] = "sha256:";
	const struct ynode *val = s->sealed;
	unsigned char digest[SHA256_BYTES];
	if (!compare_can_seal(mode)) {
		err_at(ld, s->mode ? s->mode : val,
		       _("a sealed \"%s\" cannot be compared in mode %s: only exact and trailing_ws "
			 "can be checked against a digest; give the expected text instead"),
		       key, cmp_mode_name(mode));
		return -1;
	}
	size_t plen = sizeof prefix - 1;
	if (!node_is_text(val) || val->len < plen || memcmp(val->text, prefix, plen) != 0 ||
	    sha256_from_hex(val->text + plen, val->len - plen, digest) < 0) {
		type_error(ld, "sealed", val,
			   _("a digest: \"sha256:\" followed by 64 hexadecimal digits"));
		return -1;
	}
	*e = (struct expect){ .set = true,
			      .mode = mode == CMP_EXACT ? CMP_SEALED_EXACT
							: CMP_SEALED_TRAILING_WS };
	data_text(&e->want, (const char *)digest, sizeof digest, 1);
	return 0;
}

/* The expected bytes given by `from` (a text, a file or a digest) into `e`. A regex is read at
 * once, file or not, and checked. Returns 0, or -1 after reporting. */
static int expect_read(struct loader *ld, const char *key, const struct source *s,
		       const struct ynode *from, enum cmp_mode mode, struct expect *e)
{
	if (from == s->sealed)
		return sealed_read(ld, key, s, mode, e);
	struct data d = { 0 };
	int rc = from == s->text ? text_read(ld, "text", from, &d) : file_ref(ld, key, from, &d);
	if (rc == 0 && mode == CMP_REGEX) {
		struct buf re = BUF_INIT, why = BUF_INIT;
		rc = data_load(&d, &re, &why);
		if (rc < 0)
			file_error(ld, key, from, errno);
		else
			rc = regex_check(ld, key, from, &re);
		data_free(&d);
		if (rc == 0)
			data_text(&d, re.data ? re.data : "", re.len, 1);
		buf_free(&re);
		buf_free(&why);
	}
	if (rc == 0)
		*e = (struct expect){ .set = true, .want = d, .mode = mode };
	return rc;
}

static void parse_expect_map(struct loader *ld, const char *key, const struct ynode *val,
			     struct expect *e)
{
	struct source s = { 0 };
	char where[64];
	snprintf(where, sizeof where, _("in \"%s\""), key);
	map_walk(ld, val, &(struct map_kind){ where, RULES(expect_rules) }, &s);
	int mode = CMP_EXACT;
	if (s.mode) /* a bad one is reported; the load then fails */
		nv_from_node(ld, "mode", s.mode, cmp_modes, NV_COUNT(cmp_modes), &mode);
	const struct ynode *cands[] = { s.text, s.file, s.sealed };
	const struct ynode *from = source_pick(ld, key, val, cands, 3, EXPECT_SOURCES);
	if (from) /* even after a bad mode, so that a missing file is reported too */
		expect_read(ld, key, &s, from, (enum cmp_mode)mode, e);
}

/* stdout/stderr: a string (exact), or a mapping with text or file and mode (struct expect *). */
void parse_expect(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	if (node_is_text(val)) {
		struct expect *e = field;
		*e = (struct expect){ .set = true, .mode = CMP_EXACT };
		data_text(&e->want, val->text, val->len, 1);
	} else if (val->kind == YNODE_MAP) {
		parse_expect_map(ld, key, val, field);
	} else {
		type_error(ld, key, val,
			   _("a string or a mapping with \"text\" or \"file\" and \"mode\""));
	}
}

/* ---- files in the working directory ------------------------------------------------------ */

static const struct key_rule input_file_rules[] = {
	{ "path", keep_node, offsetof(struct source, path), NULL },
	{ "text", keep_node, offsetof(struct source, text), NULL },
	{ "file", keep_node, offsetof(struct source, file), NULL },
	{ "repeat", keep_node, offsetof(struct source, repeat), NULL },
	{ "times", keep_node, offsetof(struct source, times), NULL },
	{ "perm", keep_node, offsetof(struct source, perm), NULL },
};

static const struct map_kind input_file_kind = { N_("in a file of \"files\""),
						 RULES(input_file_rules) };

static const struct key_rule expect_file_rules[] = {
	{ "path", keep_node, offsetof(struct source, path), NULL },
	{ "text", keep_node, offsetof(struct source, text), NULL },
	{ "file", keep_node, offsetof(struct source, file), NULL },
	{ "sealed", keep_node, offsetof(struct source, sealed), NULL },
	{ "mode", keep_node, offsetof(struct source, mode), NULL },
	{ "perm", keep_node, offsetof(struct source, perm), NULL },
	{ "absent", keep_node, offsetof(struct source, absent), NULL },
};

static const struct map_kind expect_file_kind = { N_("in a file of \"expect_files\""),
						  RULES(expect_file_rules) };

/* A path inside the working directory: relative, no "..", no NUL. NULL after reporting. */
static char *inside_path(struct loader *ld, const struct ynode *map, const struct ynode *val)
{
	if (!val) {
		err_at(ld, map, _("a file needs a \"path\""));
		return NULL;
	}
	if (!node_is_text(val) || val->len == 0 || memchr(val->text, '\0', val->len)) {
		type_error(ld, "path", val, _("a non-empty file name"));
		return NULL;
	}
	bool dotdot = !strcmp(val->text, "..") || !strncmp(val->text, "../", 3) ||
		      strstr(val->text, "/../") ||
		      (val->len >= 3 && !strcmp(val->text + val->len - 3, "/.."));
	if (val->text[0] == '/' || dotdot) {
		err_at(ld, val,
		       _("\"path\" must stay inside the case's directory: a relative path "
			 "without \"..\""));
		return NULL;
	}
	return xstrdup(val->text);
}

/* perm: octal permission bits, "0644" or 644. Returns them, or -1 after reporting. */
static int perm_read(struct loader *ld, const struct ynode *val)
{
	char *end = NULL;
	long v = node_is_text(val) && val->len ? strtol(val->text, &end, 8) : -1;
	if (!end || *end || v < 0 || v > 07777) {
		type_error(ld, "perm", val, _("octal permission bits, such as \"0644\""));
		return -1;
	}
	return (int)v;
}

static void parse_input_file(struct loader *ld, const struct ynode *map, struct case_file *f)
{
	struct source s = { 0 };
	map_walk(ld, map, &input_file_kind, &s);
	f->path = inside_path(ld, map, s.path);
	f->perm = s.perm ? perm_read(ld, s.perm) : 0644;
	read_source(ld, "files", map, &s, &f->data);
}

static void parse_expect_file(struct loader *ld, const struct ynode *map, struct expect_file *f)
{
	struct source s = { 0 };
	map_walk(ld, map, &expect_file_kind, &s);
	f->path = inside_path(ld, map, s.path);
	f->perm = s.perm ? perm_read(ld, s.perm) : -1;
	if (s.absent && !node_bool(s.absent, &f->absent))
		type_error(ld, "absent", s.absent, _("true or false"));
	if (f->absent) {
		if (s.text || s.file || s.sealed || s.perm || s.mode)
			err_at(ld, s.absent,
			       _("an absent file has no \"text\", \"file\", \"sealed\", \"mode\" or "
				 "\"perm\""));
		return;
	}
	if (!s.text && !s.file && !s.sealed)
		return; /* only its existence (and perm) are checked */
	int mode = CMP_EXACT;
	if (s.mode && nv_from_node(ld, "mode", s.mode, cmp_modes, NV_COUNT(cmp_modes), &mode) < 0)
		return;
	const struct ynode *cands[] = { s.text, s.file, s.sealed };
	const struct ynode *from = source_pick(ld, "expect_files", map, cands, 3, EXPECT_SOURCES);
	if (!from)
		return;
	expect_read(ld, "expect_files", &s, from, (enum cmp_mode)mode, &f->exp);
}

/* files / expect_files: a non-empty list of mappings (struct test_case *). */
void parse_files(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct test_case *tc = field;
	bool inputs = !strcmp(key, "files");
	if (val->kind != YNODE_SEQ || val->nkids == 0) {
		type_error(ld, key, val, _("a non-empty list of files"));
		return;
	}
	if (inputs)
		tc->files = xcalloc(val->nkids, sizeof *tc->files), tc->nfiles = val->nkids;
	else
		tc->expect_files = xcalloc(val->nkids, sizeof *tc->expect_files),
		tc->nexpect_files = val->nkids;
	for (size_t i = 0; i < val->nkids; i++) {
		const struct ynode *it = val->kids[i];
		if (it->kind != YNODE_MAP) {
			err_at(ld, it, _("a file of \"%s\" must be a mapping with \"path\""), key);
			continue;
		}
		if (inputs)
			parse_input_file(ld, it, &tc->files[i]);
		else
			parse_expect_file(ld, it, &tc->expect_files[i]);
	}
}

/* ---- the student kit ---------------------------------------------------------------------- */

static const struct name_value kit_hiddens[] = {
	{ "seal", KIT_HIDDEN_SEAL },
	{ "omit", KIT_HIDDEN_OMIT },
};

/* The keys of a "kit" mapping, as found. */
struct kit_keys {
	const struct ynode *hidden;
};

static const struct key_rule kit_rules[] = {
	{ "hidden", keep_node, offsetof(struct kit_keys, hidden), NULL },
};

static const struct map_kind kit_kind = { N_("in \"kit\""), RULES(kit_rules) };

/* kit: a mapping with "hidden", seal or omit (enum kit_hidden *). */
void parse_kit(struct loader *ld, const char *key, const struct ynode *val, void *field)
{
	struct kit_keys k = { 0 };
	int v;
	if (val->kind != YNODE_MAP) {
		type_error(ld, key, val, _("a mapping with \"hidden\": seal or omit"));
		return;
	}
	map_walk(ld, val, &kit_kind, &k);
	if (k.hidden &&
	    nv_from_node(ld, "hidden", k.hidden, kit_hiddens, NV_COUNT(kit_hiddens), &v) == 0)
		*(enum kit_hidden *)field = (enum kit_hidden)v;
}
