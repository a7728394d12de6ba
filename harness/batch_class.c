/* batch_class.c: what a class did, as one aggregate per student, and every class file written
 * from it: gradebook.csv, cases.csv, junit.xml, summary.txt, summary.html and each student's
 * results.json (see batch_int.h). */
#include "batch_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "report.h"

/* ---- the aggregate ---- */

/* One student: their job per column (NULL: nothing handed in for it), points, and the worst
 * status of all, in enum job_status's order (a column without a job counts as missing). */
struct row {
	const char *student;
	const struct job **jobs;
	double total, max;
	enum job_status status;
};

/* One case of a column: how many students were graded on it, how many failed it, and their
 * most common finding. */
struct case_stat {
	const struct exercise *ex;
	int index;
	int graded, failed;
	char kind[32];
	int with_kind;
};

struct class_agg {
	const struct exercise **cols; /* the exercises someone has a job for */
	size_t ncols;
	struct row *rows;
	size_t nrows;
	struct case_stat *cases;
	size_t ncases;
};

static bool anyone_did(const struct plan *p, const struct exercise *ex)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].ex == ex)
			return true;
	return false;
}

static void fill_row(struct class_agg *a, struct row *r, const struct plan *p, size_t first)
{
	r->student = p->v[first].student;
	r->jobs = xcalloc(a->ncols ? a->ncols : 1, sizeof *r->jobs);
	r->status = JOB_PASSED;
	for (size_t c = 0; c < a->ncols; c++) {
		for (size_t i = first; i < p->n && !strcmp(p->v[i].student, r->student); i++)
			if (p->v[i].ex == a->cols[c])
				r->jobs[c] = &p->v[i];
		const struct job *j = r->jobs[c];
		enum job_status st = j ? j->status : JOB_MISSING;
		r->total += j ? j->score : 0;
		r->max += j && j->max > 0 ? j->max : batch_exercise_max(a->cols[c]);
		if (st > r->status)
			r->status = st;
	}
}

struct kind_count {
	char kind[32];
	int n;
};

/* The most common kind among the students who failed case `index` of `ex`. */
static void count_case(struct case_stat *cs, const struct plan *p)
{
	struct kind_count tally[16];
	int nt = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct job *j = &p->v[i];
		if (j->ex != cs->ex)
			continue;
		for (size_t k = 0; k < j->ncases; k++) {
			const struct case_line *cl = &j->cases[k];
			if (cl->index != cs->index)
				continue;
			cs->graded++;
			if (cl->passed)
				continue;
			cs->failed++;
			int t = 0;
			/* a false positive: only tally[0..nt-1] is read, and each is set below */
			// cppcheck-suppress legacyUninitvar
			while (t < nt && strcmp(tally[t].kind, cl->kind))
				t++;
			if (t == nt && nt < 16) {
				snprintf(tally[t].kind, sizeof tally[t].kind, "%s", cl->kind);
				tally[t].n = 0;
				nt++;
			}
			if (t < nt)
				tally[t].n++;
		}
	}
	for (int t = 0; t < nt; t++) {
		if (tally[t].n > cs->with_kind) {
			cs->with_kind = tally[t].n;
			memcpy(cs->kind, tally[t].kind, sizeof cs->kind);
		}
	}
}

static void aggregate(const struct plan *p, const struct exercise *const *exs, size_t nexs,
		      struct class_agg *a)
{
	memset(a, 0, sizeof *a);
	a->cols = xcalloc(nexs ? nexs : 1, sizeof *a->cols);
	for (size_t e = 0; e < nexs; e++)
		if (anyone_did(p, exs[e]))
			a->cols[a->ncols++] = exs[e];
	a->rows = xcalloc(p->n ? p->n : 1, sizeof *a->rows);
	for (size_t i = 0; i < p->n; i++)
		if (i == 0 || strcmp(p->v[i - 1].student, p->v[i].student))
			fill_row(a, &a->rows[a->nrows++], p, i);
	for (size_t c = 0; c < a->ncols; c++) {
		for (size_t k = 0; k < a->cols[c]->ncases; k++) {
			a->cases = xrealloc(a->cases, (a->ncases + 1) * sizeof *a->cases);
			struct case_stat *cs = &a->cases[a->ncases++];
			*cs = (struct case_stat){ .ex = a->cols[c], .index = (int)k };
			count_case(cs, p);
		}
	}
}

static void agg_free(struct class_agg *a)
{
	for (size_t i = 0; i < a->nrows; i++)
		free(a->rows[i].jobs);
	free(a->rows);
	free(a->cols);
	free(a->cases);
}

void class_summarize(const struct plan *p, bool graded_only, struct batch_summary *sum)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct job *j = &p->v[i];
		if (graded_only && !j->grade)
			continue;
		sum->jobs++;
		sum->reused += j->reused;
		sum->lost_points += j->status == JOB_FAILED;
		sum->compile_errors += j->status == JOB_COMPILE_ERROR;
		sum->missing += j->status == JOB_MISSING;
		sum->errors += j->status == JOB_ERROR;
		sum->not_graded += j->status == JOB_NOT_GRADED;
		if (i == 0 || strcmp(p->v[i - 1].student, j->student))
			sum->students++;
	}
}

/* ---- the files ---- */

/* Writes `b` to OUT/name whole; on failure says which file. */
static int put(const char *out_dir, const char *name, const struct buf *b, struct buf *err)
{
	char *path = xasprintf("%s/%s", out_dir, name);
	int rc = batch_write_file(path, b->data ? b->data : "", b->len);
	if (rc < 0)
		buf_printf(err, _("cannot write %s: %s"), path, strerror(errno));
	free(path);
	return rc;
}

static int write_gradebook(const struct class_agg *a, const char *out_dir, struct buf *err)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "student");
	for (size_t c = 0; c < a->ncols; c++)
		buf_printf(&b, ",%s", a->cols[c]->id);
	buf_puts(&b, ",total,max,status\n");
	for (size_t i = 0; i < a->nrows; i++) {
		const struct row *r = &a->rows[i];
		report_csv_cell(&b, r->student);
		for (size_t c = 0; c < a->ncols; c++) {
			const struct job *j = r->jobs[c];
			if (j && j->status != JOB_NOT_GRADED)
				buf_printf(&b, ",%g", j->score);
			else
				buf_puts(&b, ",");
		}
		buf_printf(&b, ",%g,%g,%s\n", r->total, r->max, job_status_name(r->status));
	}
	int rc = put(out_dir, "gradebook.csv", &b, err);
	buf_free(&b);
	return rc;
}

static int write_cases(const struct class_agg *a, const char *out_dir, struct buf *err)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "exercise,case,graded,failed,most_common_finding,students_with_it\n");
	for (size_t i = 0; i < a->ncases; i++) {
		const struct case_stat *cs = &a->cases[i];
		buf_printf(&b, "%s,", cs->ex->id);
		report_csv_cell(&b, cs->ex->cases[cs->index].name);
		buf_printf(&b, ",%d,%d,%s,%d\n", cs->graded, cs->failed, cs->kind, cs->with_kind);
	}
	int rc = put(out_dir, "cases.csv", &b, err);
	buf_free(&b);
	return rc;
}

/* Appends OUT/students/NAME/EXERCISE/`file` of the job, when there is one. */
static bool append_part(struct buf *b, const struct job *j, const char *file, const char *sep)
{
	char *path = xasprintf("%s/%s", j->dir, file);
	struct buf part = BUF_INIT;
	bool found = read_file(path, &part) == 0 && part.len > 0;
	if (found)
		buf_printf(b, "%s%s", sep, part.data);
	buf_free(&part);
	free(path);
	return found;
}

/* junit.xml: every graded submission's <testsuite>, in the gradebook's order. */
static int write_junit(const struct class_agg *a, const char *out_dir, struct buf *err)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (size_t i = 0; i < a->nrows; i++)
		for (size_t c = 0; c < a->ncols; c++)
			if (a->rows[i].jobs[c] && a->rows[i].jobs[c]->status != JOB_NOT_GRADED)
				append_part(&b, a->rows[i].jobs[c], "junit.xml", "");
	buf_puts(&b, "</testsuites>\n");
	int rc = put(out_dir, "junit.xml", &b, err);
	buf_free(&b);
	return rc;
}

/* students/NAME/results.json: every exercise of the student as one Gradescope results.json. */
static int write_student(const struct row *r, size_t ncols, const char *out_dir, struct buf *err)
{
	struct buf b = BUF_INIT, tests = BUF_INIT;
	for (size_t c = 0; c < ncols; c++) {
		const struct job *j = r->jobs[c];
		if (j && j->status != JOB_NOT_GRADED)
			append_part(&tests, j, "tests.part", tests.len ? ",\n" : "");
	}
	buf_printf(&b, "{\n  \"score\": %g,\n  \"max_score\": %g,\n  \"tests\": [\n%s\n  ]\n}\n",
		   r->total, r->max, tests.data ? tests.data : "");
	char *name = xasprintf("students/%s/results.json", r->student);
	char *folder = xasprintf("%s/students/%s", out_dir, r->student);
	int rc = make_dirs(folder);
	if (rc < 0)
		buf_printf(err, _("cannot create %s: %s"), folder, strerror(errno));
	else
		rc = put(out_dir, name, &b, err);
	free(folder);
	free(name);
	buf_free(&b);
	buf_free(&tests);
	return rc;
}

/* How many students got each (exercise, kind), most common first. */
struct tally {
	const struct exercise *ex;
	char kind[32];
	int students;
};

static int by_count(const void *x, const void *y)
{
	const struct tally *a = x, *b = y;
	if (a->students != b->students)
		return b->students - a->students;
	int c = strcmp(a->ex->id, b->ex->id);
	return c ? c : strcmp(a->kind, b->kind);
}

static void count_kinds(const struct plan *p, struct tally **out, size_t *n)
{
	size_t cap = 0;
	for (size_t i = 0; i < p->n; i++) {
		char *kinds = xstrdup(p->v[i].kinds);
		for (char *k = strtok(kinds, ","); k; k = strtok(NULL, ",")) {
			size_t t = 0;
			while (t < *n &&
			       !((*out)[t].ex == p->v[i].ex && !strcmp((*out)[t].kind, k)))
				t++;
			if (t == *n) {
				ALLOC_GROW(*out, *n + 1, cap);
				(*out)[*n] = (struct tally){ .ex = p->v[i].ex };
				snprintf((*out)[*n].kind, sizeof(*out)[*n].kind, "%s", k);
				(*n)++;
			}
			(*out)[t].students++;
		}
		free(kinds);
	}
	if (*n)
		qsort(*out, *n, sizeof **out, by_count);
}

/* Totals per student as a percentage, in ten bins (bins[9]: 90-100%). */
static void bins_of(const struct class_agg *a, int bins[10])
{
	memset(bins, 0, 10 * sizeof *bins);
	for (size_t i = 0; i < a->nrows; i++) {
		const struct row *r = &a->rows[i];
		int bin = r->max > 0 ? (int)(r->total / r->max * 10) : 0;
		bins[bin > 9 ? 9 : bin < 0 ? 0 : bin]++;
	}
}

static void histogram(const struct class_agg *a, struct buf *b)
{
	int bins[10];
	bins_of(a, bins);
	buf_puts(b, _("Scores (percentage of the maximum):\n"));
	for (int i = 9; i >= 0; i--) {
		buf_printf(b, "  %3d-%3d%% %4d ", i * 10, i == 9 ? 100 : i * 10 + 9, bins[i]);
		for (int k = 0; k < bins[i]; k++)
			buf_puts(b, "█");
		buf_puts(b, "\n");
	}
}

static int by_failures(const void *x, const void *y)
{
	const struct case_stat *a = x, *b = y;
	if (a->failed != b->failed)
		return b->failed - a->failed;
	int c = strcmp(a->ex->id, b->ex->id);
	return c ? c : a->index - b->index;
}

/* The cases failed most often (at most 15), most first; `*n` of them. Free with free(). */
static struct case_stat *hard_cases(const struct class_agg *a, size_t *n)
{
	struct case_stat *s = xcalloc(a->ncases + 1, sizeof *s);
	if (a->ncases) { /* a class with no student has no case */
		memcpy(s, a->cases, a->ncases * sizeof *s);
		qsort(s, a->ncases, sizeof *s, by_failures);
	}
	for (*n = 0; *n < a->ncases && *n < 15 && s[*n].failed > 0;)
		++*n;
	return s;
}

static void hard_cases_text(const struct class_agg *a, struct buf *b)
{
	size_t n;
	struct case_stat *s = hard_cases(a, &n);
	buf_puts(b, _("\nCases failed most often:\n"));
	for (size_t i = 0; i < n; i++)
		buf_printf(b, _("  %3d of %d: %s / %s (most often %s: %d)\n"), s[i].failed,
			   s[i].graded, s[i].ex->id, s[i].ex->cases[s[i].index].name, s[i].kind,
			   s[i].with_kind);
	if (!n)
		buf_puts(b, _("  none\n"));
	free(s);
}

static int write_summary(const struct plan *p, const struct class_agg *a,
			 const struct batch_summary *sum, const char *out_dir, struct buf *err)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   _("%d students, %d submissions (%d unchanged since the last run): %d lost "
		     "points, %d did not build, %d missing, %d could not be graded, %d not "
		     "graded.\n\n"),
		   sum->students, sum->jobs, sum->reused, sum->lost_points, sum->compile_errors,
		   sum->missing, sum->errors, sum->not_graded);
	histogram(a, &b);
	struct tally *t = NULL;
	size_t n = 0;
	count_kinds(p, &t, &n);
	buf_puts(&b, _("\nMost common findings:\n"));
	for (size_t i = 0; i < n && i < 15; i++)
		buf_printf(&b,
			   t[i].students == 1 ? _("  %3d student:  %s in %s\n")
					      : _("  %3d students: %s in %s\n"),
			   t[i].students, t[i].kind, t[i].ex->id);
	if (!n)
		buf_puts(&b, _("  none\n"));
	hard_cases_text(a, &b);
	free(t);
	int rc = put(out_dir, "summary.txt", &b, err);
	buf_free(&b);
	return rc;
}

/* summary.html: the class as a page (report_write_class_html). */
static int write_html(const struct plan *p, const struct class_agg *a, const char *title,
		      const char *out_dir, struct buf *err)
{
	size_t nc = a->ncols;
	const char **ids = xcalloc(nc + 1, sizeof *ids);
	for (size_t c = 0; c < nc; c++)
		ids[c] = a->cols[c]->id;
	struct class_row *rows = xcalloc(a->nrows + 1, sizeof *rows);
	double *scores = xcalloc(a->nrows * nc + 1, sizeof *scores);
	char **reports = xcalloc(a->nrows * nc + 1, sizeof *reports);
	struct class_view v = {
		.title = title, .exercises = ids, .nexercises = nc, .rows = rows, .nrows = a->nrows
	};
	for (size_t i = 0; i < a->nrows; i++) {
		const struct row *r = &a->rows[i];
		for (size_t c = 0; c < nc; c++) {
			const struct job *j = r->jobs[c];
			bool shown = j && j->status != JOB_NOT_GRADED;
			scores[i * nc + c] = shown ? j->score : NAN;
			reports[i * nc + c] = shown ? xasprintf("students/%s/%s/report.txt",
								r->student, j->ex->id)
						    : NULL;
		}
		rows[i] = (struct class_row){ r->student,
					      &scores[i * nc],
					      r->total,
					      r->max,
					      job_status_name(r->status),
					      (const char *const *)&reports[i * nc] };
	}
	bins_of(a, v.bins);
	struct tally *t = NULL;
	size_t nt = 0;
	count_kinds(p, &t, &nt);
	struct class_finding *f = xcalloc(nt + 1, sizeof *f);
	for (size_t i = 0; i < nt && i < 15; i++, v.nfindings++)
		f[i] = (struct class_finding){ t[i].ex->id, t[i].kind, t[i].students };
	v.findings = f;
	struct case_stat *hard = hard_cases(a, &v.ncases);
	struct class_case *cases = xcalloc(v.ncases + 1, sizeof *cases);
	for (size_t i = 0; i < v.ncases; i++)
		cases[i] = (struct class_case){
			hard[i].ex->id, hard[i].ex->cases[hard[i].index].name,
			hard[i].failed, hard[i].graded,
			hard[i].kind,   hard[i].with_kind
		};
	v.cases = cases;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int rc = out && report_write_class_html(out, &v) == 0 ? 0 : -1;
	if (out && fclose(out) != 0)
		rc = -1;
	struct buf b = { text, len, len };
	if (rc == 0)
		rc = put(out_dir, "summary.html", &b, err);
	else
		buf_printf(err, _("cannot write the class page: %s"), strerror(errno));
	free(text);
	for (size_t i = 0; i < a->nrows * nc; i++)
		free(reports[i]);
	free(reports);
	free(scores);
	free(rows);
	free(ids);
	free(f);
	free(t);
	free(cases);
	free(hard);
	return rc;
}

void class_forget(const struct plan *p, const char *out_dir)
{
	static const char *const files[] = { "gradebook.csv", "cases.csv", "junit.xml",
					     "summary.txt", "summary.html" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = xasprintf("%s/%s", out_dir, files[i]);
		unlink(path);
		free(path);
	}
	for (size_t i = 0; i < p->n; i++) {
		if (!p->v[i].grade || (i > 0 && !strcmp(p->v[i - 1].student, p->v[i].student)))
			continue;
		char *path = xasprintf("%s/students/%s/results.json", out_dir, p->v[i].student);
		unlink(path);
		free(path);
	}
}

int class_write(const struct plan *p, const struct exercise *const *exs, size_t nexs,
		const struct batch_summary *sum, const char *out_dir, const char *title,
		struct buf *err)
{
	struct class_agg a;
	aggregate(p, exs, nexs, &a);
	int rc = write_gradebook(&a, out_dir, err);
	rc = rc < 0 ? rc : write_cases(&a, out_dir, err);
	rc = rc < 0 ? rc : write_junit(&a, out_dir, err);
	for (size_t i = 0; rc == 0 && i < a.nrows; i++)
		rc = write_student(&a.rows[i], a.ncols, out_dir, err);
	rc = rc < 0 ? rc : write_summary(p, &a, sum, out_dir, err);
	rc = rc < 0 ? rc : write_html(p, &a, title, out_dir, err);
	agg_free(&a);
	return rc;
}
