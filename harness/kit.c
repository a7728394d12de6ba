/*
 * kit.c: the student kit (kit.h, docs/student-kit.md).
 *
 * kit_write() loads the course (config_load(), for its decisions: which cases are hidden, their
 * modes and expected bytes) and parses grading.yaml once more as a tree (yamldoc.h, for its
 * values as written), then:
 *   1. writes the kit's grading.yaml from the tree: every value as it was, but the hidden cases
 *      sealed or left out; on the way it notes every file the kept parts name (needed) and
 *      every file that only the sealed or omitted parts name (withheld);
 *   2. lists the kit's entries: its own files (harness/kit/), pipegrade's sources, the
 *      exercises/ folder less the withheld files, the other needed files, grading.yaml;
 *   3. writes them with libarchive (archive_lib.h) to a temporary file beside the output;
 *   4. unpacks that file (archive_unpack()) into a temporary folder, loads its grading.yaml and
 *      compares it with the plan; only then renames the file into place.
 * Files are told apart by device and inode, so "exercises/./x" and "exercises/x" are one file.
 */
#include "kit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "archive_lib.h"
#include "compare.h"
#include "config.h"
#include "i18n.h"
#include "sha256.h"
#include "yamldoc.h"

/* Every entry's time (2000-01-01 00:00:00 UTC): the same course gives the same bytes. */
#define KIT_MTIME 946684800
/* What the check of step 4 may unpack. */
#define KIT_MAX_BYTES (1LL << 32)
#define KIT_MAX_ENTRIES 100000L

/* ---- the plan ------------------------------------------------------------------------------ */

struct file_id {
	dev_t dev;
	ino_t ino;
};

struct id_set {
	struct file_id *v;
	size_t n, cap;
};

/* One entry of the archive, named inside the kit's folder ("exercises/01-hello/README.md"). */
struct entry {
	char *name;
	char *from; /* the file whose bytes it holds; NULL: `text` (or a folder) */
	struct buf text;
	int perm; /* 0644 or 0755 */
	bool dir;
};

struct kit {
	const struct course *c;
	struct buf *err;            /* errors and notes, a line each */
	bool bad_course;            /* the course cannot be a kit (said in err) */
	bool failed;                /* pipegrade failed (said in err) */
	struct file_id course_yaml; /* the course's grading.yaml: never in the kit */
	struct id_set needed, withheld, taken;
	const struct ynode **refs; /* the file names the kept parts give, for step 2 */
	size_t nrefs, refs_cap;
	struct entry *v;
	size_t n, cap;
	size_t exercises, cases, sealed, omitted, withheld_files; /* for the summary */
};

static bool id_set_has(const struct id_set *s, struct file_id id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].dev == id.dev && s->v[i].ino == id.ino)
			return true;
	return false;
}

static void id_set_add(struct id_set *s, struct file_id id)
{
	if (id_set_has(s, id))
		return;
	ALLOC_GROW(s->v, s->n + 1, s->cap);
	s->v[s->n++] = id;
}

static void kit_note(struct kit *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kit_note(struct kit *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_puts(k->err, "pipegrade kit: ");
	buf_vprintf(k->err, fmt, ap);
	buf_puts(k->err, "\n");
	va_end(ap);
}

/* The policy of `ex`: its own, else the course's, else seal. */
static enum kit_hidden exercise_policy(const struct course *c, const struct exercise *ex)
{
	if (ex->kit_hidden != KIT_HIDDEN_UNSET)
		return ex->kit_hidden;
	return c->kit_hidden != KIT_HIDDEN_UNSET ? c->kit_hidden : KIT_HIDDEN_SEAL;
}

static bool case_kept(const struct course *c, const struct exercise *ex, const struct test_case *tc)
{
	return !tc->hidden || exercise_policy(c, ex) != KIT_HIDDEN_OMIT;
}

static bool exercise_kept(const struct course *c, const struct exercise *ex)
{
	for (size_t j = 0; j < ex->ncases; j++)
		if (case_kept(c, ex, &ex->cases[j]))
			return true;
	return false;
}

/* A case's or exercise's name made safe for a terminal, quoted. */
static const char *shown(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_puts(b, "\"");
	buf_visible(b, s, strlen(s), false);
	buf_puts(b, "\"");
	return b->data;
}

/* A file named in grading.yaml (`val`), as a part that is kept (`kept`) or withheld names it. */
static void file_ref(struct kit *k, const struct ynode *val, bool kept)
{
	char *path = val->text[0] == '/' ? xstrdup(val->text)
					 : xasprintf("%s/%s", k->c->dir, val->text);
	struct stat st;
	if (stat(path, &st) == 0) {
		struct file_id id = { st.st_dev, st.st_ino };
		id_set_add(kept ? &k->needed : &k->withheld, id);
	}
	free(path);
	if (kept) {
		ALLOC_GROW(k->refs, k->nrefs + 1, k->refs_cap);
		k->refs[k->nrefs++] = val;
	}
}

/* Every file named under `n`: the values of its "file" keys, at any depth (grading.yaml has
 * no other key of that name). Statements are noted by put_exercise(). */
static void note_files(struct kit *k, const struct ynode *n, bool kept)
{
	if (n->kind == YNODE_SEQ) {
		for (size_t i = 0; i < n->nkids; i++)
			note_files(k, n->kids[i], kept);
	} else if (n->kind == YNODE_MAP) {
		for (size_t i = 0; i + 1 < n->nkids; i += 2) {
			const struct ynode *key = n->kids[i], *val = n->kids[i + 1];
			if (val->kind == YNODE_SCALAR && ynode_key_is(key, "file"))
				file_ref(k, val, kept);
			else
				note_files(k, val, kept);
		}
	}
}

/* ---- step 1: the kit's grading.yaml ---------------------------------------------------------- */

/* Written in block style with 2-space indentation; collections of scalars that fit on the
 * line in flow style. `dash`: the next line goes right after a "- " already written. */
struct yaml_out {
	struct buf *o;
	bool dash;
};

enum { YAML_LINE = 100 };

static void put_indent(struct yaml_out *y, int indent)
{
	if (y->dash)
		y->dash = false;
	else
		buf_printf(y->o, "%*s", indent, "");
}

/* A scalar that may stay plain: it was plain, and is made of characters that mean the same
 * in any context (numbers, booleans, names such as exact or 01-hello). */
static bool plain_ok(const struct ynode *n)
{
	static const char ok[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-/=";
	return n->plain && n->len > 0 && strspn(n->text, ok) == n->len &&
	       (strchr("-+.", n->text[0]) == NULL || n->len > 1);
}

/* `len` bytes of `s` as a YAML double-quoted scalar: escapes for what YAML would not read
 * back as it is (control characters, C1, line and paragraph separators, BOM, nonchars). */
static void put_quoted(struct buf *o, const char *s, size_t len)
{
	buf_puts(o, "\"");
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		unsigned int cp;
		size_t n = c < 0x80 ? 1 : utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (c == '"' || c == '\\')
			buf_printf(o, "\\%c", c);
		else if (c == '\n')
			buf_puts(o, "\\n");
		else if (c == '\t')
			buf_puts(o, "\\t");
		else if (c == '\0')
			buf_puts(o, "\\0");
		else if (c < 0x20 || c == 0x7f || n == 0)
			buf_printf(o, "\\x%02x", c);
		else if (n > 1 && (cp < 0xa0 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
				   cp == 0xfffe || cp == 0xffff))
			buf_printf(o, "\\u%04x", cp);
		else
			buf_append(o, s + i, n);
		i += n ? n : 1;
	}
	buf_puts(o, "\"");
}

static void put_scalar(struct buf *o, const struct ynode *n)
{
	if (plain_ok(n))
		buf_append(o, n->text, n->len);
	else
		put_quoted(o, n->text, n->len);
}

/* A collection of scalars in flow style, into `o`; false when `n` is not one. */
static bool put_flow(struct buf *o, const struct ynode *n)
{
	if (n->kind != YNODE_MAP && n->kind != YNODE_SEQ)
		return false;
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->kind != YNODE_SCALAR)
			return false;
	bool map = n->kind == YNODE_MAP;
	buf_puts(o, map ? "{" : "[");
	for (size_t i = 0; i < n->nkids; i++) {
		if (i > 0)
			buf_puts(o, map && i % 2 ? ": " : ", ");
		put_scalar(o, n->kids[i]);
	}
	buf_puts(o, map ? "}" : "]");
	return true;
}

static void put_block(struct yaml_out *y, const struct ynode *n, int indent);

/* After "key:": the value on the line, or below it, indented. */
static void put_value(struct yaml_out *y, const struct ynode *v, int indent)
{
	struct buf flow = BUF_INIT;
	if (v->kind == YNODE_SCALAR) {
		buf_puts(y->o, " ");
		put_scalar(y->o, v);
		buf_puts(y->o, "\n");
	} else if (put_flow(&flow, v) && (indent + flow.len < YAML_LINE || v->nkids == 0)) {
		buf_printf(y->o, " %s\n", flow.data);
	} else {
		buf_puts(y->o, "\n");
		put_block(y, v, indent + 2);
	}
	buf_free(&flow);
}

static void put_key(struct yaml_out *y, const struct ynode *key, int indent)
{
	put_indent(y, indent);
	put_scalar(y->o, key);
	buf_puts(y->o, ":");
}

static void put_pair(struct yaml_out *y, const struct ynode *key, const struct ynode *val,
		     int indent)
{
	put_key(y, key, indent);
	put_value(y, val, indent);
}

static void put_item(struct yaml_out *y, const struct ynode *item, int indent)
{
	struct buf flow = BUF_INIT;
	put_indent(y, indent);
	buf_puts(y->o, "- ");
	if (item->kind == YNODE_SCALAR) {
		put_scalar(y->o, item);
		buf_puts(y->o, "\n");
	} else if (put_flow(&flow, item) && (indent + flow.len < YAML_LINE || item->nkids == 0)) {
		buf_printf(y->o, "%s\n", flow.data);
	} else {
		y->dash = true;
		put_block(y, item, indent + 2);
	}
	buf_free(&flow);
}

static void put_block(struct yaml_out *y, const struct ynode *n, int indent)
{
	if (n->kind == YNODE_MAP)
		for (size_t i = 0; i + 1 < n->nkids; i += 2)
			put_pair(y, n->kids[i], n->kids[i + 1], indent);
	else
		for (size_t i = 0; i < n->nkids; i++)
			put_item(y, n->kids[i], indent);
}

/* The digest of expectation `e` in hexadecimal, into `hex`. Returns 0, or -1 after saying why
 * (its file can no longer be read). */
static int expect_digest(struct kit *k, const struct expect *e, char hex[SHA256_HEX])
{
	unsigned char d[SHA256_BYTES];
	if (e->mode == CMP_SEALED_EXACT || e->mode == CMP_SEALED_TRAILING_WS) {
		memcpy(d, e->want.text, SHA256_BYTES);
	} else {
		struct buf bytes = BUF_INIT, why = BUF_INIT;
		if (data_load(&e->want, &bytes, &why) < 0) {
			kit_note(k, _("cannot read %s"), why.data);
			k->failed = true;
			buf_free(&bytes);
			buf_free(&why);
			return -1;
		}
		compare_seal(e->mode, bytes.data, bytes.len, d);
		buf_free(&bytes);
		buf_free(&why);
	}
	sha256_to_hex(d, hex);
	return 0;
}

/* `what` of a hidden case, in mode contains or regex, that cannot be sealed: left out. */
static void note_unsealable(struct kit *k, const struct exercise *ex, const struct test_case *tc,
			    const char *what, enum cmp_mode mode)
{
	struct buf a = BUF_INIT;
	kit_note(k,
		 _("%s, hidden case %s: its %s (mode %s) is left out of the kit: only exact "
		   "and trailing_ws expectations can be sealed"),
		 ex->id, shown(&a, tc->name), what, cmp_mode_name(mode));
	buf_free(&a);
}

/* stdout or stderr of a case being sealed. */
static void put_sealed_stream(struct kit *k, struct yaml_out *y, const struct exercise *ex,
			      const struct test_case *tc, const struct ynode *key,
			      const struct ynode *val, int indent)
{
	const struct expect *e = ynode_key_is(key, "stdout") ? &tc->out : &tc->err;
	char hex[SHA256_HEX];
	note_files(k, val, false);
	if (!compare_can_seal(e->mode)) {
		note_unsealable(k, ex, tc, key->text, e->mode);
		return;
	}
	if (expect_digest(k, e, hex) < 0)
		return;
	put_key(y, key, indent);
	buf_printf(y->o, " {sealed: \"sha256:%s\", mode: %s}\n", hex, cmp_mode_name(e->mode));
}

/* One item of expect_files of a case being sealed: its path, perm and absent as they are, its
 * content sealed. */
static void put_sealed_file(struct kit *k, struct yaml_out *y, const struct exercise *ex,
			    const struct test_case *tc, size_t i, const struct ynode *item,
			    int indent)
{
	const struct expect_file *ef = &tc->expect_files[i];
	const struct ynode *path = ynode_map_get(item, "path"), *perm = ynode_map_get(item, "perm");
	const struct ynode *absent = ynode_map_get(item, "absent");
	char hex[SHA256_HEX];
	note_files(k, item, false);
	put_indent(y, indent);
	buf_puts(y->o, "- {path: ");
	put_scalar(y->o, path);
	if (ef->exp.set && !compare_can_seal(ef->exp.mode)) {
		char *what = xasprintf(_("expected file %s"), ef->path);
		note_unsealable(k, ex, tc, what, ef->exp.mode);
		free(what);
	} else if (ef->exp.set && expect_digest(k, &ef->exp, hex) == 0) {
		buf_printf(y->o, ", sealed: \"sha256:%s\", mode: %s", hex,
			   cmp_mode_name(ef->exp.mode));
	}
	if (perm) {
		buf_puts(y->o, ", perm: ");
		put_scalar(y->o, perm);
	}
	if (absent) {
		buf_puts(y->o, ", absent: ");
		put_scalar(y->o, absent);
	}
	buf_puts(y->o, "}\n");
}

/* A hidden case, sealed: hint left out, expectations sealed, the rest as it is. */
static void put_sealed_case(struct kit *k, struct yaml_out *y, const struct exercise *ex,
			    const struct test_case *tc, const struct ynode *cn, int indent)
{
	for (size_t i = 0; i + 1 < cn->nkids; i += 2) {
		const struct ynode *key = cn->kids[i], *val = cn->kids[i + 1];
		if (ynode_key_is(key, "hint")) {
			continue;
		} else if (ynode_key_is(key, "stdout") || ynode_key_is(key, "stderr")) {
			put_sealed_stream(k, y, ex, tc, key, val, indent);
		} else if (ynode_key_is(key, "expect_files")) {
			put_key(y, key, indent);
			buf_puts(y->o, "\n");
			for (size_t f = 0; f < val->nkids; f++)
				put_sealed_file(k, y, ex, tc, f, val->kids[f], indent + 2);
		} else {
			note_files(k, val, true);
			put_pair(y, key, val, indent);
		}
	}
	k->sealed++;
}

static void put_cases(struct kit *k, struct yaml_out *y, const struct exercise *ex,
		      const struct ynode *list, int indent)
{
	size_t kept = 0;
	for (size_t j = 0; j < ex->ncases; j++) {
		const struct test_case *tc = &ex->cases[j];
		const struct ynode *cn = list->kids[j];
		if (!case_kept(k->c, ex, tc)) {
			note_files(k, cn, false);
			k->omitted++;
			continue;
		}
		k->cases++;
		if (kept++ > 0)
			buf_puts(y->o, "\n");
		put_indent(y, indent);
		buf_puts(y->o, "- ");
		y->dash = true;
		if (tc->hidden) {
			put_sealed_case(k, y, ex, tc, cn, indent + 2);
		} else {
			note_files(k, cn, true);
			put_block(y, cn, indent + 2);
		}
	}
}

static void put_exercise(struct kit *k, struct yaml_out *y, const struct exercise *ex,
			 const struct ynode *en, int indent)
{
	struct buf a = BUF_INIT;
	if (!exercise_kept(k->c, ex)) {
		note_files(k, en, false);
		k->omitted += ex->ncases;
		kit_note(k,
			 _("%s: every case is hidden and omitted (kit: {hidden: omit}): the "
			   "exercise is left out of the kit"),
			 shown(&a, ex->id));
		buf_free(&a);
		return;
	}
	buf_free(&a);
	if (k->exercises++ > 0)
		buf_puts(y->o, "\n");
	put_indent(y, indent);
	buf_puts(y->o, "- ");
	y->dash = true;
	for (size_t i = 0; i + 1 < en->nkids; i += 2) {
		const struct ynode *key = en->kids[i], *val = en->kids[i + 1];
		if (ynode_key_is(key, "kit"))
			continue;
		if (ynode_key_is(key, "cases")) {
			put_key(y, key, indent + 2);
			buf_puts(y->o, "\n");
			put_cases(k, y, ex, val, indent + 4);
			continue;
		}
		note_files(k, val, true);
		if (ynode_key_is(key, "statement"))
			file_ref(k, val, true);
		put_pair(y, key, val, indent + 2);
	}
}

static const char kit_yaml_header[] =
	"# grading.yaml of the student kit, written by `pipegrade kit` from the course's.\n"
	"# The expected outputs of the hidden cases are sealed: only their SHA-256 digest is\n"
	"# here, and pipegrade checks your output against it without showing the expected one.\n"
	"# Changing this file changes nothing but your own self-check.\n";

/* The kit's grading.yaml from the course's tree `root`, into `o`. */
static void put_course(struct kit *k, const struct ynode *root, struct buf *o)
{
	struct yaml_out y = { o, false };
	buf_puts(o, kit_yaml_header);
	for (size_t i = 0; i + 1 < root->nkids; i += 2) {
		const struct ynode *key = root->kids[i], *val = root->kids[i + 1];
		if (ynode_key_is(key, "exercises")) {
			buf_puts(o, "\nexercises:\n");
			for (size_t e = 0; e < k->c->nexercises; e++)
				put_exercise(k, &y, &k->c->exercises[e], val->kids[e], 2);
		} else if (ynode_key_is(key, "defaults")) {
			buf_puts(o, "defaults:");
			size_t kept = 0;
			for (size_t d = 0; d + 1 < val->nkids; d += 2)
				kept += !ynode_key_is(val->kids[d], "kit");
			buf_puts(o, kept ? "\n" : " {}\n");
			for (size_t d = 0; d + 1 < val->nkids; d += 2)
				if (!ynode_key_is(val->kids[d], "kit"))
					put_pair(&y, val->kids[d], val->kids[d + 1], 2);
		} else {
			put_pair(&y, key, val, 0);
		}
	}
}

/* ---- step 2: the entries --------------------------------------------------------------------- */

static struct entry *entry_find(const struct kit *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].name, name))
			return &k->v[i];
	return NULL;
}

/* Adds the file `from` as `name` (owned by the kit from now on: both malloc'd). The course's
 * own grading.yaml never goes in, whatever name it is given. */
static void entry_add_file(struct kit *k, char *name, char *from, const struct stat *st)
{
	if (st->st_dev == k->course_yaml.dev && st->st_ino == k->course_yaml.ino) {
		kit_note(k, _("%s is the course's grading.yaml, which cannot go into a kit"), from);
		k->bad_course = true;
		free(name);
		free(from);
		return;
	}
	ALLOC_GROW(k->v, k->n + 1, k->cap);
	k->v[k->n++] = (struct entry){ .name = name,
				       .from = from,
				       .perm = st->st_mode & 0111 ? 0755 : 0644 };
	struct file_id id = { st->st_dev, st->st_ino };
	id_set_add(&k->taken, id);
}

/* Adds one of the kit's own files, harness/kit/NAME, as NAME. */
static void add_own(struct kit *k, const char *name)
{
	char *from = xasprintf("%s/harness/kit/%s", k->c->dir, name);
	struct stat st;
	int rc = stat(from, &st);
	if (rc < 0 || !S_ISREG(st.st_mode)) {
		kit_note(k,
			 _("%s: %s: the kit's own files are taken from harness/kit/ in the course "
			   "folder"),
			 from, rc < 0 ? strerror(errno) : _("not a file"));
		k->bad_course = true;
		free(from);
		return;
	}
	entry_add_file(k, xstrdup(name), from, &st);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder `path`, sorted, without "." and ".."; -1 when it cannot be read. */
static int list_folder(const char *path, struct strvec *names)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	const struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			strvec_push(names, de->d_name);
	closedir(d);
	if (names->n > 1)
		qsort(names->v, names->n, sizeof *names->v, name_cmp);
	return 0;
}

/* pipegrade's sources: the .c and .h files of harness/ (not of its subfolders). */
static void add_sources(struct kit *k)
{
	char *dir = xasprintf("%s/harness", k->c->dir);
	struct strvec names = STRVEC_INIT;
	size_t found = 0;
	if (list_folder(dir, &names) < 0) {
		kit_note(k,
			 _("%s: %s: pipegrade's sources are taken from harness/ in the course "
			   "folder"),
			 dir, strerror(errno));
		k->bad_course = true;
	}
	for (size_t i = 0; i < names.n; i++) {
		const char *nm = names.v[i];
		size_t len = strlen(nm);
		char *from = xasprintf("%s/%s", dir, nm);
		struct stat st;
		if (len > 2 && nm[len - 2] == '.' && (nm[len - 1] == 'c' || nm[len - 1] == 'h') &&
		    lstat(from, &st) == 0 && S_ISREG(st.st_mode)) {
			entry_add_file(k, xasprintf("harness/%s", nm), from, &st);
			found++;
		} else {
			free(from);
		}
	}
	if (found == 0 && !k->bad_course) {
		kit_note(k,
			 _("%s holds no C sources: pipegrade's sources are taken from harness/ in "
			   "the course folder"),
			 dir);
		k->bad_course = true;
	}
	strvec_free(&names);
	free(dir);
}

/* Whether a file is named only by the parts of grading.yaml that the kit leaves out. */
static bool is_withheld(const struct kit *k, const struct stat *st)
{
	struct file_id id = { st->st_dev, st->st_ino };
	return id_set_has(&k->withheld, id) && !id_set_has(&k->needed, id);
}

/* The course folder's `rel` (a folder) and what is under it, less the withheld files. */
static void add_tree(struct kit *k, const char *rel)
{
	char *dir = xasprintf("%s/%s", k->c->dir, rel);
	struct strvec names = STRVEC_INIT;
	if (list_folder(dir, &names) < 0) {
		if (errno != ENOENT || strchr(rel, '/')) {
			kit_note(k, _("cannot read %s: %s"), dir, strerror(errno));
			k->failed = true;
		}
		free(dir);
		return;
	}
	for (size_t i = 0; i < names.n; i++) {
		char *sub = xasprintf("%s/%s", rel, names.v[i]);
		char *from = xasprintf("%s/%s", dir, names.v[i]);
		struct stat st;
		if (lstat(from, &st) < 0) {
			kit_note(k, _("cannot read %s: %s"), from, strerror(errno));
			k->failed = true;
		} else if (S_ISDIR(st.st_mode) && !strcmp(names.v[i], "solutions")) {
			kit_note(k, _("%s/ left out: no folder named solutions goes into a kit"),
				 sub);
		} else if (S_ISDIR(st.st_mode)) {
			add_tree(k, sub);
		} else if (!S_ISREG(st.st_mode)) {
			kit_note(k, _("%s left out: only files and folders go into a kit"), sub);
		} else if (is_withheld(k, &st)) {
			k->withheld_files++;
		} else {
			entry_add_file(k, sub, from, &st);
			sub = from = NULL;
		}
		free(sub);
		free(from);
	}
	strvec_free(&names);
	free(dir);
}

/* `rel` without "." components and repeated slashes, into a malloc'd string; NULL when it
 * is absolute or climbs with "..". */
static char *path_tidy(const char *rel)
{
	struct buf out = BUF_INIT;
	if (rel[0] == '/')
		return NULL;
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2)) {
			buf_free(&out);
			return NULL;
		}
		if (n > 0 && !(n == 1 && p[0] == '.'))
			buf_printf(&out, "%s%.*s", out.len ? "/" : "", (int)n, p);
		p += n + (p[n] == '/');
	}
	return out.len ? buf_detach(&out) : NULL;
}

/* The files the kit's grading.yaml names that are not in it yet (outside exercises/). */
static void add_refs(struct kit *k)
{
	for (size_t i = 0; i < k->nrefs; i++) {
		const struct ynode *val = k->refs[i];
		char *from = xasprintf("%s/%s", k->c->dir, val->text);
		char *name = path_tidy(val->text);
		struct buf q = BUF_INIT;
		struct stat st;
		if (!name || !strncmp(name, "solutions/", 10) || strstr(name, "/solutions/")) {
			kit_note(k,
				 _("line %d of grading.yaml names %s, which cannot go into a kit: "
				   "the files it names must be inside the course folder, and not "
				   "in solutions/"),
				 val->line, shown(&q, val->text));
			k->bad_course = true;
		} else if (stat(from, &st) < 0 || !S_ISREG(st.st_mode)) {
			kit_note(k, _("cannot read %s: %s"), from, strerror(errno));
			k->failed = true;
		} else if (id_set_has(&k->taken, (struct file_id){ st.st_dev, st.st_ino })) {
			; /* in already */
		} else if (entry_find(k, name)) {
			kit_note(k,
				 _("line %d of grading.yaml names %s, which is one of the kit's own "
				   "files"),
				 val->line, shown(&q, val->text));
			k->bad_course = true;
		} else {
			entry_add_file(k, name, from, &st);
			name = from = NULL;
		}
		buf_free(&q);
		free(name);
		free(from);
	}
}

/* A folder entry for every folder the entries are in. */
static void add_folders(struct kit *k)
{
	size_t files = k->n;
	for (size_t i = 0; i < files; i++) {
		char *name = xstrdup(k->v[i].name);
		for (char *slash = strrchr(name, '/'); slash; slash = strrchr(name, '/')) {
			*slash = '\0';
			if (entry_find(k, name))
				break;
			ALLOC_GROW(k->v, k->n + 1, k->cap);
			k->v[k->n++] = (struct entry){ .name = xstrdup(name),
						       .perm = 0755,
						       .dir = true };
		}
		free(name);
	}
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* ---- step 3: the archive --------------------------------------------------------------------- */

/* The kit's folder: the archive's name without .tar.gz or .tgz, or the default. */
static char *kit_folder_name(const char *out_path)
{
	char *base = path_basename(out_path);
	size_t len = strlen(base);
	static const char *const exts[] = { ".tar.gz", ".tgz" };
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(exts[i]);
		if (len > n && !strcmp(base + len - n, exts[i])) {
			base[len - n] = '\0';
			break;
		}
	}
	if (!base[0] || !strcmp(base, ".") || !strcmp(base, "..")) {
		free(base);
		base = xstrdup("pipegrade-student-kit");
	}
	return base;
}

/* Writes one entry under `top`. Returns 0, or -1 after saying why. */
static int write_entry(struct kit *k, const struct archive_lib *al, struct archive *a,
		       const char *top, const struct entry *en)
{
	struct buf bytes = BUF_INIT;
	const struct buf *data = &en->text;
	if (en->from) {
		if (read_file(en->from, &bytes) < 0) {
			kit_note(k, _("cannot read %s: %s"), en->from, strerror(errno));
			buf_free(&bytes);
			return -1;
		}
		data = &bytes;
	}
	struct archive_entry *e = al->entry_new();
	char *name = xasprintf("%s/%s", top, en->name);
	al->entry_copy_pathname(e, name);
	al->entry_set_filetype(e, en->dir ? AE_IFDIR : AE_IFREG);
	al->entry_set_perm(e, (mode_t)en->perm);
	al->entry_set_size(e, en->dir ? 0 : (la_int64_t)data->len);
	al->entry_set_mtime(e, KIT_MTIME, 0);
	int rc = al->write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	if (rc == 0 && !en->dir && data->len > 0 &&
	    al->write_data(a, data->data, data->len) != (la_ssize_t)data->len)
		rc = -1;
	if (rc < 0)
		kit_note(k, _("cannot write %s: %s"), name, al->error_string(a));
	al->entry_free(e);
	free(name);
	buf_free(&bytes);
	return rc;
}

/* Writes every entry, as a .tar.gz, to `fd`. Returns 0, or -1 after saying why. */
static int write_archive(struct kit *k, int fd, const char *top)
{
	struct buf why = BUF_INIT;
	const struct archive_lib *al = archive_lib(&why);
	if (!al) {
		kit_note(k, "%s", why.data);
		buf_free(&why);
		return -1;
	}
	buf_free(&why);
	struct archive *a = al->write_new();
	int rc = a && al->write_set_format_pax_restricted(a) == ARCHIVE_OK &&
				 al->write_add_filter_gzip(a) == ARCHIVE_OK &&
				 al->write_set_options(a, "gzip:!timestamp") == ARCHIVE_OK &&
				 al->write_open_fd(a, fd) == ARCHIVE_OK
			 ? 0
			 : -1;
	if (rc < 0)
		kit_note(k, _("cannot start the archive: %s"),
			 a ? al->error_string(a) : _("out of memory"));
	if (rc == 0) { /* the folder itself: "top/" */
		struct archive_entry *e = al->entry_new();
		char *name = xasprintf("%s/", top);
		al->entry_copy_pathname(e, name);
		al->entry_set_filetype(e, AE_IFDIR);
		al->entry_set_perm(e, 0755);
		al->entry_set_mtime(e, KIT_MTIME, 0);
		rc = al->write_header(a, e) == ARCHIVE_OK ? 0 : -1;
		al->entry_free(e);
		free(name);
	}
	for (size_t i = 0; rc == 0 && i < k->n; i++)
		rc = write_entry(k, al, a, top, &k->v[i]);
	if (a && al->write_close(a) != ARCHIVE_OK && rc == 0) {
		kit_note(k, _("cannot finish the archive: %s"), al->error_string(a));
		rc = -1;
	}
	if (a)
		al->write_free(a);
	return rc;
}

/* ---- step 4: the check ----------------------------------------------------------------------- */

static bool is_sealed(const struct expect *e)
{
	return !e->set || e->mode == CMP_SEALED_EXACT || e->mode == CMP_SEALED_TRAILING_WS;
}

/* Whether the kit's case `kc` is what the plan made of `tc`. */
static bool case_as_planned(const struct test_case *tc, const struct test_case *kc)
{
	if (strcmp(tc->name, kc->name) || tc->points != kc->points || tc->hidden != kc->hidden ||
	    tc->bonus != kc->bonus || tc->nexpect_files != kc->nexpect_files ||
	    tc->args.n != kc->args.n || tc->in.size != kc->in.size)
		return false;
	if (tc->hidden) {
		for (size_t i = 0; i < kc->nexpect_files; i++)
			if (!is_sealed(&kc->expect_files[i].exp))
				return false;
		return is_sealed(&kc->out) && is_sealed(&kc->err) && kc->hint.n == 0;
	}
	return tc->out.set == kc->out.set && tc->out.mode == kc->out.mode &&
	       tc->err.set == kc->err.set && tc->err.mode == kc->err.mode &&
	       tc->out.want.size == kc->out.want.size && tc->err.want.size == kc->err.want.size;
}

/* Compares the kit's course `kc` with the plan; says where they differ. */
static int course_as_planned(struct kit *k, const struct course *kc)
{
	size_t ki = 0;
	for (size_t e = 0; e < k->c->nexercises; e++) {
		const struct exercise *ex = &k->c->exercises[e];
		if (!exercise_kept(k->c, ex))
			continue;
		const struct exercise *kx = ki < kc->nexercises ? &kc->exercises[ki++] : NULL;
		size_t kj = 0;
		for (size_t j = 0; kx && j < ex->ncases; j++) {
			if (!case_kept(k->c, ex, &ex->cases[j]))
				continue;
			if (kj >= kx->ncases || !case_as_planned(&ex->cases[j], &kx->cases[kj++]))
				kx = NULL;
		}
		if (!kx || strcmp(kx->id, ex->id) || kj != kx->ncases) {
			kit_note(k,
				 _("the kit's grading.yaml does not hold exercise %s as planned"),
				 ex->id);
			return -1;
		}
	}
	if (ki != kc->nexercises) {
		kit_note(k, _("the kit's grading.yaml holds more exercises than planned"));
		return -1;
	}
	return 0;
}

/* Unpacks the archive `path` into a temporary folder and loads its grading.yaml. */
static int kit_check(struct kit *k, const char *path)
{
	const char *tmpdir = getenv("TMPDIR");
	char *dest = xasprintf("%s/pipegrade-kit-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	struct buf why = BUF_INIT;
	int rc = -1;
	if (!mkdtemp(dest)) {
		kit_note(k, _("cannot make a temporary folder %s: %s"), dest, strerror(errno));
		free(dest);
		return -1;
	}
	if (archive_unpack(path, dest, KIT_MAX_BYTES, KIT_MAX_ENTRIES, &why) < 0) {
		kit_note(k, _("the kit does not unpack: %s"), why.data);
	} else {
		char *yaml = xasprintf("%s/grading.yaml", dest);
		struct course kc;
		buf_reset(&why);
		if (config_load(yaml, &kc, &why) < 0)
			kit_note(k, _("the kit's grading.yaml does not load:\n%s"), why.data);
		else
			rc = course_as_planned(k, &kc);
		course_free(&kc);
		free(yaml);
	}
	if (remove_tree(dest) < 0)
		kit_note(k, _("cannot remove the temporary folder %s"), dest);
	buf_free(&why);
	free(dest);
	return rc;
}

/* ---- kit_write() ----------------------------------------------------------------------------- */

/* Steps 1 and 2 (see the top of this file). */
static void kit_plan(struct kit *k, const struct ynode *root)
{
	struct entry yaml = { .name = xstrdup("grading.yaml"), .perm = 0644 };
	put_course(k, root, &yaml.text);
	if (k->exercises == 0 && !k->bad_course) {
		kit_note(k, _("no exercise is left for the kit"));
		k->bad_course = true;
	}
	ALLOC_GROW(k->v, k->n + 1, k->cap);
	k->v[k->n++] = yaml;
	add_own(k, "README.md");
	add_own(k, "Makefile");
	add_own(k, "install-deps");
	add_sources(k);
	add_tree(k, "exercises");
	add_tree(k, "po"); /* the message catalogs: the kit speaks the student's language */
	add_refs(k);
	add_folders(k);
	qsort(k->v, k->n, sizeof *k->v, entry_cmp);
}

/* Steps 3 and 4: the archive in a temporary file beside `out_path`, checked, renamed. */
static int kit_publish(struct kit *k, const char *out_path)
{
	char *tmp = xasprintf("%s.XXXXXX", out_path), *top = kit_folder_name(out_path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	int rc = fd >= 0 && fchmod(fd, 0644) == 0 ? 0 : -1;
	if (rc < 0)
		kit_note(k, _("cannot write %s: %s"), out_path, strerror(errno));
	if (rc == 0)
		rc = write_archive(k, fd, top);
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		kit_note(k, _("cannot write %s: %s"), out_path, strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		rc = kit_check(k, tmp);
	if (rc == 0 && rename(tmp, out_path) < 0) {
		kit_note(k, _("cannot write %s: %s"), out_path, strerror(errno));
		rc = -1;
	}
	if (rc < 0 && fd >= 0)
		unlink(tmp);
	free(tmp);
	free(top);
	return rc;
}

static void kit_free(struct kit *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].name);
		free(k->v[i].from);
		buf_free(&k->v[i].text);
	}
	free(k->v);
	free(k->refs);
	free(k->needed.v);
	free(k->withheld.v);
	free(k->taken.v);
}

int kit_write(const char *config_path, const char *out_path, struct buf *err)
{
	struct course c;
	if (config_load(config_path, &c, err) < 0)
		return KIT_BAD_COURSE;
	struct buf src = BUF_INIT;
	struct diags d = DIAGS_INIT;
	struct ynode *root = NULL;
	struct kit k = { .c = &c, .err = err };
	struct stat st;
	if (stat(config_path, &st) < 0 || read_file(config_path, &src) < 0 ||
	    yamldoc_parse(&src, &d, &root) < 0 || !root) {
		kit_note(&k, _("cannot read %s again"), config_path);
		k.failed = true;
	} else {
		k.course_yaml = (struct file_id){ st.st_dev, st.st_ino };
		kit_plan(&k, root);
	}
	diags_flush(&d, config_path, err); /* nothing: config_load() read it already */
	int rc = k.bad_course ? KIT_BAD_COURSE : k.failed ? KIT_FAILED : KIT_OK;
	if (rc == KIT_OK && kit_publish(&k, out_path) < 0)
		rc = KIT_FAILED;
	size_t files = 0;
	for (size_t i = 0; i < k.n; i++)
		files += !k.v[i].dir;
	if (rc == KIT_OK)
		kit_note(&k,
			 _("%zu exercises and %zu cases, of which %zu hidden and sealed; hidden "
			   "cases omitted: %zu; files withheld: %zu; files in the kit: %zu"),
			 k.exercises, k.cases, k.sealed, k.omitted, k.withheld_files, files);
	yamldoc_free(root);
	buf_free(&src);
	kit_free(&k);
	course_free(&c);
	return rc;
}
