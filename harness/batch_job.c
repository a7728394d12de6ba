/* batch_job.c: one job of a class: the worker that grades it, and its files (batch_int.h). */
#include "batch_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "report.h"

static const char *const status_names[] = {
	[JOB_PASSED] = "passed",         [JOB_MISSING] = "missing",
	[JOB_FAILED] = "failed",         [JOB_COMPILE_ERROR] = "compile_error",
	[JOB_NOT_GRADED] = "not graded", [JOB_ERROR] = "error",
};

const char *job_status_name(enum job_status s)
{
	return status_names[s];
}

const char *job_status_text(enum job_status s)
{
	switch (s) {
	case JOB_PASSED:
		return C_("class status", "passed");
	case JOB_MISSING:
		return C_("class status", "missing");
	case JOB_FAILED:
		return C_("class status", "failed");
	case JOB_COMPILE_ERROR:
		return C_("class status", "compile_error");
	case JOB_NOT_GRADED:
		return C_("class status", "not graded");
	case JOB_ERROR:
		return C_("class status", "error");
	}
	return "?";
}

/* A status from its name in the gradebook; -1: unknown. */
static int job_status_parse(const char *name)
{
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		if (!strcmp(name, status_names[i]))
			return (int)i;
	return -1;
}

/* ---- whole files or none ---- */

int batch_write_file(const char *path, const char *text, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	int rc = fd < 0 || write_all(fd, text, len) < 0 ? -1 : 0;
	int e = errno;
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = -1, e = errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1, e = errno;
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	errno = e;
	return rc;
}

/* A report written by one of report.h's writers, into a file whole or not at all. */
typedef int (*report_writer)(FILE *out, const struct submission_result *res, const void *arg);

static int write_report(const char *path, report_writer w, const struct submission_result *res,
			const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc = !f || w(f, res, arg) < 0 ? -1 : 0;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc == 0)
		rc = batch_write_file(path, text, len);
	free(text);
	return rc;
}

static int text_writer(FILE *out, const struct submission_result *res, const void *opt)
{
	return report_write_text(out, res, 1, opt);
}

static int json_writer(FILE *out, const struct submission_result *res, const void *opt)
{
	return report_write_json(out, res, 1, opt);
}

/* The items of a student's results.json: `arg` is a struct tests_arg. */
struct tests_arg {
	const char *prefix;
	bool show_hidden;
};

static int tests_writer(FILE *out, const struct submission_result *res, const void *arg)
{
	const struct tests_arg *t = arg;
	return report_write_json_tests(out, res, t->prefix, t->show_hidden);
}

static int junit_writer(FILE *out, const struct submission_result *res, const void *suite)
{
	return report_write_junit_suite(out, res, suite);
}

/* ---- result.tsv ---- */

static enum job_status status_of(const struct submission_result *res)
{
	if (!res->compiled)
		return res->nothing_to_build ? JOB_MISSING : JOB_COMPILE_ERROR;
	return submission_passed(res) ? JOB_PASSED : JOB_FAILED;
}

/* The kinds of failure of a result, each once, in order of first appearance. */
static void failure_kinds(const struct submission_result *res, struct buf *out)
{
	for (size_t i = 0; i < res->ncases; i++) {
		for (size_t k = 0; k < res->cases[i].findings.n; k++) {
			const char *name = finding_kind_name(res->cases[i].findings.v[k].kind);
			if (!strcmp(name, "pass"))
				continue;
			char *needle = xasprintf(",%s,", name);
			char *hay = xasprintf(",%s,", out->data ? out->data : "");
			if (!strstr(hay, needle))
				buf_printf(out, "%s%s", out->len ? "," : "", name);
			free(needle);
			free(hay);
		}
	}
}

/* The index of a case in its exercise. */
static int case_index(const struct exercise *ex, const struct test_case *tc)
{
	return (int)(tc - ex->cases);
}

static void format_result(struct buf *b, const struct job *j, const struct submission_result *res)
{
	struct buf kinds = BUF_INIT;
	failure_kinds(res, &kinds);
	buf_printf(b, "pipegrade result 1\nkey\t%016llx\nstatus\t%s\nscore\t%g\t%g\nkinds\t%s\n",
		   j->key, job_status_name(status_of(res)), res->score, res->max_score,
		   kinds.len ? kinds.data : "-");
	for (size_t i = 0; i < res->ncases; i++) {
		const struct case_result *cr = &res->cases[i];
		bool passed = findings_has(&cr->findings, FINDING_PASS);
		const char *kind = passed || !cr->findings.n
					   ? "-"
					   : finding_kind_name(cr->findings.v[0].kind);
		buf_printf(b, "case\t%d\t%d\t%g\t%g\t%s\n", case_index(res->ex, cr->tc), passed,
			   cr->score, cr->max_score, kind);
	}
	buf_free(&kinds);
}

static void add_case(struct job *j, const char *line)
{
	struct case_line c = { .index = -1 };
	int passed = 0;
	char kind[32] = "";
	if (sscanf(line, "case\t%d\t%d\t%lf\t%lf\t%31s", &c.index, &passed, &c.score, &c.max,
		   kind) != 5 ||
	    c.index < 0 || (size_t)c.index >= j->ex->ncases)
		return;
	c.passed = passed != 0;
	snprintf(c.kind, sizeof c.kind, "%s", strcmp(kind, "-") ? kind : "");
	j->cases = xrealloc(j->cases, (j->ncases + 1) * sizeof *j->cases);
	j->cases[j->ncases++] = c;
}

void job_clear_result(struct job *j)
{
	free(j->cases);
	j->cases = NULL;
	j->ncases = 0;
	j->score = j->max = 0;
	j->kinds[0] = '\0';
}

/* The files of a job's result, result.tsv first. */
static const char *const job_files[] = { "result.tsv", "report.txt", "results.json", "tests.part",
					 "junit.xml" };

bool job_files_there(const struct job *j)
{
	bool there = true;
	for (size_t i = 0; there && i < sizeof job_files / sizeof job_files[0]; i++) {
		char *p = xasprintf("%s/%s", j->dir, job_files[i]);
		there = access(p, F_OK) == 0;
		free(p);
	}
	return there;
}

void job_remove_files(const struct job *j)
{
	for (size_t i = 0; i < sizeof job_files / sizeof job_files[0]; i++) {
		char *p = xasprintf("%s/%s", j->dir, job_files[i]);
		unlink(p);
		free(p);
	}
}

int job_read_result(struct job *j, unsigned long long *key)
{
	char *path = xasprintf("%s/result.tsv", j->dir);
	struct buf b = BUF_INIT;
	int rc = read_file(path, &b);
	free(path);
	job_clear_result(j);
	char status[32] = "";
	int fields = 0;
	if (rc == 0 && strncmp(b.data, "pipegrade result 1\n", 19))
		rc = -1;
	for (char *l = rc == 0 ? strtok(b.data, "\n") : NULL; l; l = strtok(NULL, "\n")) {
		if (!strncmp(l, "key\t", 4))
			fields += sscanf(l + 4, "%llx", key) == 1;
		else if (!strncmp(l, "status\t", 7))
			fields += sscanf(l + 7, "%31[a-z_ ]", status) == 1;
		else if (!strncmp(l, "score\t", 6))
			fields += sscanf(l + 6, "%lf\t%lf", &j->score, &j->max) == 2;
		else if (!strncmp(l, "kinds\t", 6))
			fields += snprintf(j->kinds, sizeof j->kinds, "%s",
					   strcmp(l + 6, "-") ? l + 6 : "") >= 0;
		else if (!strncmp(l, "case\t", 5))
			add_case(j, l);
	}
	int st = job_status_parse(status);
	if (rc == 0 && (fields != 4 || st < 0))
		rc = -1;
	if (rc == 0)
		j->status = (enum job_status)st;
	else
		job_clear_result(j); /* nothing of a broken or missing result stays */
	buf_free(&b);
	return rc;
}

/* ---- the worker ---- */

/* The job's files, the result last: a result exists only with every file it speaks for. */
static const char *write_outputs(const struct job *j, const struct submission_result *res,
				 const struct batch_options *opt, char **failed)
{
	struct report_options ro = { .show_hidden = opt->show_hidden };
	char *suite = xasprintf("%s/%s", j->student, j->ex->id);
	char *prefix = xasprintf("%s: ", j->ex->id);
	const char *names[] = { "report.txt", "results.json", "tests.part", "junit.xml" };
	report_writer writers[] = { text_writer, json_writer, tests_writer, junit_writer };
	struct tests_arg tests = { prefix, opt->show_hidden };
	const void *args[] = { &ro, &ro, &tests, suite };
	const char *bad = NULL;
	for (size_t i = 0; i < 4 && !bad; i++) {
		char *path = xasprintf("%s/%s", j->dir, names[i]);
		if (write_report(path, writers[i], res, args[i]) < 0)
			bad = names[i], *failed = path;
		else
			free(path);
	}
	struct buf line = BUF_INIT;
	format_result(&line, j, res);
	char *tsv = xasprintf("%s/result.tsv", j->dir);
	if (!bad && batch_write_file(tsv, line.data, line.len) < 0)
		bad = "result.tsv", *failed = tsv;
	else
		free(tsv);
	buf_free(&line);
	free(suite);
	free(prefix);
	return bad;
}

/* Says `a` and `b` on the message pipe, for the batch's progress and the student's report. */
static void say(int fd, const char *a, const char *b)
{
	(void)!write_all(fd, a, strlen(a));
	(void)!write_all(fd, b, strlen(b));
}

double batch_exercise_max(const struct exercise *ex)
{
	double max = 0;
	for (size_t i = 0; i < ex->ncases; i++)
		if (!ex->cases[i].bonus || ex->bonus)
			max += ex->cases[i].points;
	return max;
}

void job_work(const struct course *c, const struct job *j, const struct batch_options *opt,
	      int msg_fd)
{
	struct submission_result res;
	struct buf err = BUF_INIT;
	struct grade_options go = opt->grade;
	char *cache = xasprintf("%s/.cache", opt->out_dir);
	if (!go.cache_dir)
		go.cache_dir = cache; /* a regrade after a grading.yaml change skips compiling */
	int rc = grade_submission(c, j->ex, j->path, &go, &res, &err);
	int status = 0;
	if (rc < 0) {
		say(msg_fd, _("pipegrade failed on this submission: "), err.data ? err.data : "?");
		status = 3;
	} else if (res.interrupted) {
		status = 128 + res.interrupted; /* not graded: no result, the next run grades it */
	} else {
		char *failed = NULL;
		if (write_outputs(j, &res, opt, &failed)) {
			char *msg = xasprintf(_("cannot write %s: %s"), failed, strerror(errno));
			say(msg_fd, msg, "");
			free(msg);
			status = JOB_WRITE_FAILED;
		}
		free(failed);
	}
	submission_result_free(&res);
	buf_free(&err);
	free(cache);
	/* exit(), not _exit(): the worker's sandbox (its cgroups) is removed at exit */
	exit(status);
}

int job_write_problem(const struct job *j)
{
	char *report = xasprintf("%s\n", j->problem), *tsv = xasprintf("%s/result.tsv", j->dir);
	char *txt = xasprintf("%s/report.txt", j->dir), *tests = xasprintf("%s/tests.part", j->dir);
	struct buf line = BUF_INIT, t = BUF_INIT;
	buf_printf(&line,
		   "pipegrade result 1\nkey\t%016llx\nstatus\terror\nscore\t0\t%g\nkinds\t-\n",
		   j->key, batch_exercise_max(j->ex));
	buf_puts(&t, "    {\"name\": ");
	/* TRANSLATORS: the name of the one test of an exercise that could not be graded, in
	   Gradescope: "01-hello: grading". */
	char *name = xasprintf(_("%s: grading"), j->ex->id);
	buf_json_string(&t, name, strlen(name));
	buf_printf(&t, ", \"score\": 0, \"max_score\": %g, \"status\": \"failed\", \"output\": ",
		   batch_exercise_max(j->ex));
	buf_json_string(&t, j->problem, strlen(j->problem));
	buf_puts(&t, "}");
	int rc = batch_write_file(txt, report, strlen(report)) < 0 ||
				 batch_write_file(tests, t.data, t.len) < 0 ||
				 batch_write_file(tsv, line.data, line.len) < 0
			 ? -1
			 : 0;
	buf_free(&line);
	buf_free(&t);
	free(name);
	free(report);
	free(tsv);
	free(txt);
	free(tests);
	return rc;
}
