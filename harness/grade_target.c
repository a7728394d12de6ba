/* grade_target.c: what `pipegrade grade PATH` grades, and which case `--case` names (see
 * grade_target.h). */
#include "grade_target.h"

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add(struct grade_targets *t, const struct exercise *ex, const char *path)
{
	ALLOC_GROW(t->v, t->n + 1, t->cap);
	t->v[t->n].ex = ex;
	t->v[t->n].path = xstrdup(path);
	t->n++;
}

/* Whether `dir` holds a Makefile or a source file at its top. */
static bool has_sources(const char *dir)
{
	bool found = false;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && !found && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		found = !strcmp(e->d_name, "Makefile") || !strcmp(e->d_name, "makefile") ||
			(len > 2 && !strcmp(e->d_name + len - 2, ".c")) ||
			(len > 3 && !strcmp(e->d_name + len - 3, ".py"));
	}
	if (d)
		closedir(d);
	return found;
}

/* A submission's folder as it is handed in: `dir` itself, or, when it holds no source and no
 * Makefile at its top, its only subfolder that does (a project kept in src/). */
static void add_submission(struct grade_targets *t, const struct exercise *ex, const char *dir)
{
	char *only = NULL;
	size_t n = 0;
	DIR *d = has_sources(dir) ? NULL : opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = xasprintf("%s/%s", dir, e->d_name);
		if (is_dir(sub) && has_sources(sub) && n++ == 0)
			only = sub;
		else
			free(sub);
	}
	if (d)
		closedir(d);
	add(t, ex, n == 1 ? only : dir);
	free(only);
}

void grade_targets_free(struct grade_targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].path);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* The exercise whose program a source file is named after: a Python exercise's script by its
 * name ("hello.py" for `binary: hello.py`); else "hello.c" or "hello.py" for `binary: hello`.
 * NULL when none. */
static const struct exercise *by_program(const struct course *c, const char *file)
{
	for (size_t i = 0; i < c->nexercises; i++)
		if (c->exercises[i].language == PROG_PYTHON && c->exercises[i].binary &&
		    !strcmp(c->exercises[i].binary, file))
			return &c->exercises[i];
	size_t len = strlen(file);
	size_t stem = len > 2 && !strcmp(file + len - 2, ".c")    ? len - 2
		      : len > 3 && !strcmp(file + len - 3, ".py") ? len - 3
								  : 0;
	for (size_t i = 0; stem && i < c->nexercises; i++) {
		const char *b = c->exercises[i].binary;
		if (b && strlen(b) == stem && !strncmp(b, file, stem))
			return &c->exercises[i];
	}
	return NULL;
}

/* The last component of the path as it really is ("." is the current folder's name). */
static char *real_name(const char *path)
{
	char real[PATH_MAX];
	return path_basename(realpath(path, real) ? real : path);
}

/* Every subfolder of `dir` named after an exercise, in the course's order. */
static void exercise_folders(const struct course *c, const char *dir, struct grade_targets *t)
{
	for (size_t i = 0; i < c->nexercises; i++) {
		char *sub = xasprintf("%s/%s", dir, c->exercises[i].id);
		if (is_dir(sub))
			add_submission(t, &c->exercises[i], sub);
		free(sub);
	}
}

/* The one exercise the top-level source files of `dir` are named after; NULL when they name
 * none, or more than one (*several is set then). */
static const struct exercise *by_sources(const struct course *c, const char *dir, bool *several)
{
	const struct exercise *found = NULL;
	*several = false;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		const struct exercise *ex = e->d_name[0] != '.' ? by_program(c, e->d_name) : NULL;
		if (ex && found && ex != found)
			*several = true;
		if (ex)
			found = ex;
	}
	if (d)
		closedir(d);
	return *several ? NULL : found;
}

/* "01-hello/, 02-long-message/, ..." or "hello.c, long-message.c, ...": the first three. */
static void examples(struct buf *b, const struct course *c, bool programs)
{
	size_t shown = 0;
	for (size_t i = 0; i < c->nexercises && shown < 3; i++) {
		const struct exercise *ex = &c->exercises[i];
		if (programs && !ex->binary)
			continue;
		buf_printf(b, "%s%s%s", shown ? ", " : "", programs ? ex->binary : ex->id,
			   !programs                     ? "/"
			   : ex->language == PROG_PYTHON ? ""
							 : ".c");
		shown++;
	}
	if (c->nexercises > shown)
		buf_puts(b, ", ...");
}

static int nothing_in_folder(const struct course *c, const char *path, bool all, bool several,
			     struct buf *err)
{
	struct buf shown = BUF_INIT;
	buf_visible(&shown, path, strlen(path), false);
	if (several)
		buf_printf(err,
			   _("%s holds the sources of more than one exercise: give the one to "
			     "grade with -e ID (see 'pipegrade list')"),
			   shown.data);
	else if (all)
		buf_printf(err, _("nothing to grade: %s holds no folder named after an exercise ("),
			   shown.data);
	else
		buf_printf(err,
			   _("nothing to grade: %s is not named after an exercise and holds no "
			     "folder named after one ("),
			   shown.data);
	if (!several) {
		examples(err, c, false);
		if (!all) {
			buf_puts(err, _(") nor a source file named after an exercise's program ("));
			examples(err, c, true);
		}
		buf_puts(err, _("). Give the exercise with -e ID (see 'pipegrade list'); a folder "
				"of students is graded with 'pipegrade class DIR'"));
	}
	buf_free(&shown);
	return -1;
}

static int find_in_folder(const struct course *c, const char *path, const char *exercise,
			  struct grade_targets *out, struct buf *err)
{
	bool all = exercise && !strcmp(exercise, "all");
	if (exercise && !all) {
		const struct exercise *ex = course_find_exercise(c, exercise);
		char *sub = xasprintf("%s/%s", path, exercise);
		add_submission(out, ex, is_dir(sub) ? sub : path);
		free(sub);
		return 0;
	}
	char *name = real_name(path);
	const struct exercise *named = course_find_exercise(c, name);
	free(name);
	if (named) {
		add_submission(out, named, path);
		return 0;
	}
	exercise_folders(c, path, out);
	if (out->n || all)
		return out->n ? 0 : nothing_in_folder(c, path, true, false, err);
	if (c->nexercises == 1) {
		add_submission(out, &c->exercises[0], path);
		return 0;
	}
	bool several;
	const struct exercise *ex = by_sources(c, path, &several);
	if (!ex)
		return nothing_in_folder(c, path, false, several, err);
	add(out, ex, path);
	return 0;
}

int grade_targets_find(const struct course *c, const char *path, const char *exercise,
		       struct grade_targets *out, struct buf *err)
{
	if (is_dir(path))
		return find_in_folder(c, path, exercise, out, err);
	if (exercise && !strcmp(exercise, "all")) {
		buf_puts(err, _("-e all grades the exercise folders of a folder; give a folder, or "
				"the exercise of this file with -e ID"));
		return -1;
	}
	char *base = path_basename(path);
	const struct exercise *ex = exercise              ? course_find_exercise(c, exercise)
				    : by_program(c, base) ? by_program(c, base)
				    : c->nexercises == 1  ? &c->exercises[0]
							  : NULL;
	if (ex) {
		add(out, ex, path);
		free(base);
		return 0;
	}
	struct buf shown = BUF_INIT;
	buf_visible(&shown, base, strlen(base), false);
	buf_printf(err, _("which exercise is %s? It is not named after an exercise's program ("),
		   shown.data);
	examples(err, c, true);
	buf_puts(err, _("): give it with -e ID (see 'pipegrade list')"));
	buf_free(&shown);
	free(base);
	return -1;
}

/* ---- --case ---- */

/* The base letter of U+00C0 to U+00FF, lowercase; 0 for those that have none (×, ÷). */
static char latin1_base(unsigned int cp)
{
	static const char map[] =
		"aaaaaaaceeeeiiiidnooooo\0ouuuuytsaaaaaaaceeeeiiiidnooooo\0ouuuuyty";
	return cp >= 0xc0 && cp <= 0xff ? map[cp - 0xc0] : 0;
}

char *grade_fold(const char *s)
{
	struct buf b = BUF_INIT;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; u[i];) {
		unsigned int cp;
		size_t n = u[i] >= 0x80 ? utf8_decode(u + i, SIZE_MAX, &cp) : 1;
		char base = n == 2 ? latin1_base(cp) : 0;
		if (base) {
			buf_append(&b, &base, 1);
		} else if (n <= 1) {
			char c = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] - 'A' + 'a' : u[i]);
			buf_append(&b, &c, 1);
			n = 1;
		} else {
			buf_append(&b, u + i, n);
		}
		i += n;
	}
	buf_append(&b, "", 0);
	return buf_detach(&b);
}

/* Levenshtein distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

const struct test_case *grade_find_case(const struct exercise *ex, const char *query,
					struct buf *err)
{
	struct buf shown = BUF_INIT;
	buf_visible(&shown, query, strlen(query), false);
	const struct test_case *found = NULL;
	if (all_digits(query)) {
		unsigned long k = strlen(query) < 6 ? strtoul(query, NULL, 10) : 0;
		if (k >= 1 && k <= ex->ncases)
			found = &ex->cases[k - 1];
		else
			buf_printf(err,
				   _("exercise %s has %zu cases: give a number from 1 to %zu, or a "
				     "name (see 'pipegrade list')"),
				   ex->id, ex->ncases, ex->ncases);
		buf_free(&shown);
		return found;
	}
	char *q = grade_fold(query);
	size_t prefixed = 0, inside = 0, best_d = SIZE_MAX, best_len = 0;
	const struct test_case *prefix = NULL, *within = NULL, *closest = NULL;
	for (size_t i = 0; i < ex->ncases && !found; i++) {
		char *name = grade_fold(ex->cases[i].name);
		if (!strcmp(ex->cases[i].name, query) || !strcmp(name, q))
			found = &ex->cases[i];
		else if (*q && !strncmp(name, q, strlen(q)))
			prefixed++, prefix = &ex->cases[i];
		else if (*q && strstr(name, q))
			inside++, within = &ex->cases[i];
		size_t d = distance(name, q);
		if (d < best_d)
			best_d = d, best_len = strlen(name), closest = &ex->cases[i];
		free(name);
	}
	if (!found && prefixed == 1)
		found = prefix;
	if (!found && !prefixed && inside == 1) /* "vacio" for "mensaje vacío" */
		found = within;
	if (!found && prefixed > 1) {
		buf_printf(err, _("'%s' starts the names of %zu cases of %s:"), shown.data,
			   prefixed, ex->id);
		for (size_t i = 0; i < ex->ncases; i++) {
			char *name = grade_fold(ex->cases[i].name);
			if (!strncmp(name, q, strlen(q)))
				buf_printf(err, " '%s'", ex->cases[i].name);
			free(name);
		}
		buf_puts(err, _(": give more of the name, or its number"));
	} else if (!found) {
		buf_printf(err, _("exercise %s has no case '%s'"), ex->id, shown.data);
		if (closest && best_d <= (best_len / 3 > 2 ? best_len / 3 : 2))
			buf_printf(err, _("; did you mean '%s'?"), closest->name);
		buf_puts(err, _(" (see 'pipegrade list')"));
	}
	free(q);
	buf_free(&shown);
	return found;
}
