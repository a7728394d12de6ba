/* batch.c: a class folder graded by worker processes, with a gradebook (see batch.h). */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive.h"
#include "i18n.h"
#include "report.h"

/* One (student, exercise) to grade. */
struct job {
	char *student;
	const struct exercise *ex;
	char *path;            /* the submission */
	char *base;            /* OUT/STUDENT/EXERCISE, without extension */
	unsigned long long hash;
	pid_t pid;             /* its worker while it runs */
	char *refused;         /* the student's archive could not be unpacked: why (no worker) */
	/* read back from the .tsv */
	double score, max;
	char status[16];       /* passed, failed, error, incomplete */
	char kinds[256];       /* the kinds of failure found, comma separated */
	bool reused;
};

struct plan {
	struct job *v;
	size_t n, cap;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The visible subfolders of `dir`, sorted. */
static void subdirs(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			strvec_push(out, e->d_name);
		free(p);
	}
	if (d)
		closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, cmp_names);
}

bool batch_is_class(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool sources = false, folders = false;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		if ((n > 2 && !strcmp(e->d_name + n - 2, ".c")) || !strcmp(e->d_name, "Makefile") ||
		    !strcmp(e->d_name, "makefile"))
			sources = true;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		folders = folders || (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) ||
			  archive_is_archive(e->d_name);
		free(p);
	}
	closedir(d);
	return folders && !sources;
}

/* ---- content hash: the grading file, the exercise's data files and the submission ---- */

static unsigned long long job_hash(const struct course *c, const struct job *j)
{
	unsigned long long h = HASH_INIT;
	hash_tree(&h, c->path);
	hash_bytes(&h, j->ex->id, strlen(j->ex->id) + 1);
	struct strvec data = STRVEC_INIT;
	exercise_data_files(j->ex, &data);
	for (size_t i = 0; i < data.n; i++) {
		hash_bytes(&h, data.v[i], strlen(data.v[i]) + 1);
		hash_tree(&h, data.v[i]);
	}
	strvec_free(&data);
	hash_tree(&h, j->path);
	return h;
}

/* ---- the plan ---- */

static void add_job(struct plan *p, const char *student, const struct exercise *ex,
		    const char *path, const char *out_dir)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	struct job *j = &p->v[p->n++];
	memset(j, 0, sizeof *j);
	j->student = xstrdup(student);
	j->ex = ex;
	j->path = xstrdup(path);
	j->base = xasprintf("%s/%s/%s", out_dir, student, ex->id);
	j->pid = -1;
}

int batch_parse_shard(const char *text, int *k, int *n)
{
	char *end;
	long a = strtol(text, &end, 10);
	if (end == text || *end != '/')
		return -1;
	const char *rest = end + 1;
	long b = strtol(rest, &end, 10);
	if (end == rest || *end || a < 1 || b < 1 || a > b || b > 10000)
		return -1;
	*k = (int)a;
	*n = (int)b;
	return 0;
}

/* The shard (0 to n-1) of a student: from the name only, so every machine agrees. */
static int shard_of(const char *student, int n)
{
	unsigned long long h = HASH_INIT;
	hash_bytes(&h, student, strlen(student));
	return (int)(h % (unsigned long long)n);
}

#define ARCHIVE_MAX_BYTES (64LL << 20)
#define ARCHIVE_MAX_ENTRIES 10000

/* Students who handed in an archive (ana.zip): unpacked into OUT/.unpacked/ana, which then
 * stands for their folder. Returns the folder to look in for `student`. */
static char *student_folder(const char *class_dir, const char *student, const char *out_dir)
{
	char *unpacked = xasprintf("%s/.unpacked/%s", out_dir, student);
	struct stat st;
	if (stat(unpacked, &st) == 0)
		return unpacked;
	free(unpacked);
	return xasprintf("%s/%s", class_dir, student);
}

/* Unpacks every archive of the class folder; a refused one is remembered in `refused`
 * (student name, then the message). */
static void unpack_archives(const char *class_dir, const char *out_dir, struct strvec *students,
			    struct strvec *refused)
{
	DIR *d = opendir(class_dir);
	struct dirent *e;
	char *root = xasprintf("%s/.unpacked", out_dir);
	remove_tree(root);
	mkdir(root, 0755);
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !archive_is_archive(e->d_name))
			continue;
		char *student = archive_student_name(e->d_name);
		char *from = xasprintf("%s/%s", class_dir, e->d_name);
		char *to = xasprintf("%s/%s", root, student);
		struct buf err = BUF_INIT;
		mkdir(to, 0755);
		if (archive_unpack_confined(from, to, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_ENTRIES, &err) < 0) {
			strvec_push(refused, student);
			strvec_push(refused, err.data ? err.data : "cannot unpack");
		}
		strvec_push(students, student);
		buf_free(&err);
		free(student);
		free(from);
		free(to);
	}
	if (d)
		closedir(d);
	free(root);
	if (students->n)
		qsort(students->v, students->n, sizeof *students->v, cmp_names);
}

static const char *refusal(const struct strvec *refused, const char *student)
{
	for (size_t i = 0; i + 1 < refused->n; i += 2)
		if (!strcmp(refused->v[i], student))
			return refused->v[i + 1];
	return NULL;
}

static void make_plan(const char *class_dir, const struct exercise *const *exs, size_t nexs,
		      const struct batch_options *opt, struct plan *p)
{
	struct strvec students = STRVEC_INIT, refused = STRVEC_INIT;
	unpack_archives(class_dir, opt->out_dir, &students, &refused);
	subdirs(class_dir, &students);
	qsort(students.v, students.n, sizeof *students.v, cmp_names);
	for (size_t s = 0; s < students.n; s++) {
		if (opt->only && strcmp(opt->only, students.v[s]))
			continue;
		if (opt->shard_n > 0 && shard_of(students.v[s], opt->shard_n) != opt->shard_k - 1)
			continue;
		const char *why = refusal(&refused, students.v[s]);
		if (why) { /* one job stands for the archive that could not be unpacked */
			add_job(p, students.v[s], exs[0], "", opt->out_dir);
			p->v[p->n - 1].refused = xstrdup(why);
			continue;
		}
		char *whole = student_folder(class_dir, students.v[s], opt->out_dir);
		for (size_t e = 0; e < nexs; e++) {
			char *own = xasprintf("%s/%s", whole, exs[e]->id);
			struct stat st;
			if (stat(own, &st) == 0 && S_ISDIR(st.st_mode))
				add_job(p, students.v[s], exs[e], own, opt->out_dir);
			else if (nexs == 1)
				add_job(p, students.v[s], exs[e], whole, opt->out_dir);
			free(own);
		}
		free(whole);
	}
	strvec_free(&students);
	strvec_free(&refused);
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].student);
		free(p->v[i].path);
		free(p->v[i].base);
		free(p->v[i].refused);
	}
	free(p->v);
}

/* ---- one job's summary line: hash, score, max, status, kinds ---- */

static int read_summary(struct job *j, unsigned long long *hash)
{
	char *path = xasprintf("%s.tsv", j->base);
	struct buf b = BUF_INIT;
	int rc = read_file(path, &b);
	free(path);
	unsigned long long h = 0;
	if (rc == 0 && sscanf(b.data, "%llx\t%lf\t%lf\t%15[a-z]\t%255[^\n]", &h, &j->score, &j->max,
			      j->status, j->kinds) < 4)
		rc = -1;
	if (rc == 0 && !strcmp(j->kinds, "-"))
		j->kinds[0] = '\0';
	*hash = h;
	buf_free(&b);
	return rc;
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

static int write_text_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	int rc = fputs(text, f) == EOF ? -1 : 0;
	return fclose(f) == 0 ? rc : -1;
}

/* Writes the job's report files; the .tsv last, so that it only exists for complete ones. */
static int write_job_outputs(struct job *j, const struct submission_result *res)
{
	struct report_options ro = { 0 };
	char *txt = xasprintf("%s.txt", j->base), *json = xasprintf("%s.json", j->base);
	char *tests = xasprintf("%s.tests", j->base), *tsv = xasprintf("%s.tsv", j->base);
	char *junit = xasprintf("%s.junit", j->base);
	char *suite = xasprintf("%s/%s", j->student, j->ex->id);
	char *prefix = xasprintf("%s: ", j->ex->id);
	FILE *f;
	int rc = 0;
	if ((f = fopen(txt, "we")) == NULL || report_write_text(f, res, &ro) < 0 || fclose(f))
		rc = -1;
	if ((f = fopen(json, "we")) == NULL || report_write_json(f, res, &ro) < 0 || fclose(f))
		rc = -1;
	if ((f = fopen(tests, "we")) == NULL || report_write_json_tests(f, res, prefix) < 0 ||
	    fclose(f))
		rc = -1;
	if ((f = fopen(junit, "we")) == NULL || report_write_junit_suite(f, res, suite) < 0 ||
	    fclose(f))
		rc = -1;
	struct buf kinds = BUF_INIT, line = BUF_INIT;
	failure_kinds(res, &kinds);
	const char *status = res->interrupted ? "incomplete" :
			     submission_passed(res) ? "passed" : "failed";
	buf_printf(&line, "%llx\t%g\t%g\t%s\t%s\n", (unsigned long long)j->hash, res->score,
		   res->max_score, status, kinds.len ? kinds.data : "-");
	if (rc == 0 && !res->interrupted)
		rc = write_text_file(tsv, line.data);
	buf_free(&kinds);
	buf_free(&line);
	free(txt);
	free(json);
	free(tests);
	free(tsv);
	free(junit);
	free(suite);
	free(prefix);
	return rc;
}

/* The worker: grade, write, exit. 0: written; 3: pipegrade failed (an error .tsv is left). */
static void run_worker(const struct course *c, struct job *j, const struct batch_options *opt)
{
	struct submission_result res;
	struct buf err = BUF_INIT;
	struct grade_options go = opt->grade;
	char *cache = xasprintf("%s/.cache", opt->out_dir);
	if (!go.cache_dir)
		go.cache_dir = cache; /* a regrade after a grading.yaml change skips compiling */
	int rc = grade_submission(c, j->ex, j->path, &go, &res, &err);
	free(cache);
	if (rc == 0)
		rc = write_job_outputs(j, &res);
	else {
		char *tsv = xasprintf("%s.tsv", j->base);
		char *line = xasprintf("%llx\t0\t0\terror\t%s\n", (unsigned long long)j->hash,
				       "internal error");
		write_text_file(tsv, line);
		char *txt = xasprintf("%s.txt", j->base);
		char *msg = xasprintf("pipegrade failed on this submission: %s\n",
				      err.data ? err.data : "?");
		write_text_file(txt, msg);
		free(msg);
		free(txt);
		free(line);
		free(tsv);
	}
	int interrupted = res.interrupted;
	submission_result_free(&res);
	buf_free(&err);
	/* exit(), not _exit(): the worker's own cgroups are removed at exit */
	exit(interrupted ? 128 + interrupted : rc == 0 ? 0 : 3);
}

/* ---- the scheduler: up to opt->jobs workers, one poll loop ---- */

struct sched {
	const struct course *c;
	const struct batch_options *opt;
	struct plan *plan;
	size_t next;      /* next job to start */
	size_t running;
	size_t done;
	size_t failing;
	double start;
	int sig_fd;
	int stopped;      /* stop signal received */
};

static void progress(struct sched *s, const struct job *j)
{
	FILE *f = s->opt->progress;
	if (!f)
		return;
	size_t total = s->plan->n;
	if (!s->opt->progress_tty) {
		fprintf(f, "[%zu/%zu] %s %s: %g/%g %s%s\n", s->done, total, j->student, j->ex->id,
			j->score, j->max, j->status, j->reused ? L(" (unchanged)", " (sin cambios)") : "");
		return;
	}
	double elapsed = now_monotonic() - s->start;
	double eta = s->done ? elapsed / (double)s->done * (double)(total - s->done) : 0;
	fprintf(f, L("\r\033[K[%zu/%zu] failing so far: %zu, about %.0f s left",
		     "\r\033[K[%zu/%zu] con fallos: %zu, quedan unos %.0f s"), s->done, total,
		s->failing, eta);
	if (s->done == total)
		fputc('\n', f);
	fflush(f);
}

static void finished(struct sched *s, struct job *j)
{
	unsigned long long h;
	if (read_summary(j, &h) < 0) {
		snprintf(j->status, sizeof j->status, "%s", s->stopped ? "incomplete" : "error");
		snprintf(j->kinds, sizeof j->kinds, "%s", s->stopped ? "" : "internal error");
	}
	s->done++;
	s->failing += strcmp(j->status, "passed") != 0;
	progress(s, j);
}

/* Starts the next job, or reuses its last result when nothing changed. */
static int start_next(struct sched *s, struct buf *err)
{
	struct job *j = &s->plan->v[s->next++];
	char *dir = path_dirname(j->base);
	mkdir(dir, 0755);
	free(dir);
	if (j->refused) {
		char *tsv = xasprintf("%s.tsv", j->base), *txt = xasprintf("%s.txt", j->base);
		char *line = xasprintf("0\t0\t0\terror\tarchive\n");
		char *msg = xasprintf("%s\n", j->refused);
		write_text_file(tsv, line);
		write_text_file(txt, msg);
		free(tsv), free(txt), free(line), free(msg);
		finished(s, j);
		return 0;
	}
	j->hash = job_hash(s->c, j);
	unsigned long long old;
	if (!s->opt->force && read_summary(j, &old) == 0 && old == j->hash &&
	    strcmp(j->status, "error")) {
		j->reused = true;
		finished(s, j);
		return 0;
	}
	fflush(NULL);
	j->pid = fork();
	if (j->pid < 0) {
		buf_printf(err, "cannot fork a worker: %s", strerror(errno));
		return -1;
	}
	if (j->pid == 0)
		run_worker(s->c, j, s->opt);
	s->running++;
	return 0;
}

static void reap_workers(struct sched *s)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < s->plan->n; i++) {
			struct job *j = &s->plan->v[i];
			if (j->pid != pid)
				continue;
			j->pid = -1;
			s->running--;
			finished(s, j);
		}
	}
}

static int schedule(struct sched *s, struct buf *err)
{
	while (s->done < s->plan->n) {
		while (!s->stopped && s->running < (size_t)s->opt->jobs && s->next < s->plan->n)
			if (start_next(s, err) < 0)
				return -1;
		if (s->running == 0)
			break; /* stopped, and every worker is gone */
		struct pollfd p = { s->sig_fd, POLLIN, 0 };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
		struct signalfd_siginfo si;
		while (read(s->sig_fd, &si, sizeof si) == (ssize_t)sizeof si)
			if (si.ssi_signo != SIGCHLD && !s->stopped) {
				s->stopped = (int)si.ssi_signo;
				for (size_t i = 0; i < s->plan->n; i++)
					if (s->plan->v[i].pid > 0) /* each worker stops its case cleanly */
						kill(s->plan->v[i].pid, (int)si.ssi_signo);
			}
		reap_workers(s);
	}
	return 0;
}

/* ---- what the class did ---- */

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++)
		buf_printf(b, *s == '"' ? "\"\"" : "%c", *s);
	buf_puts(b, "\"");
}

/* The student's job for exercise `e`, or NULL. */
static const struct job *find_job(const struct plan *p, size_t from, const char *student,
				  const struct exercise *ex)
{
	for (size_t i = from; i < p->n && !strcmp(p->v[i].student, student); i++)
		if (p->v[i].ex == ex)
			return &p->v[i];
	return NULL;
}

static const struct exercise *course_find_exercise_in(const struct exercise *const *exs,
						      size_t nexs, const char *id)
{
	for (size_t e = 0; e < nexs; e++)
		if (!strcmp(exs[e]->id, id))
			return exs[e];
	return NULL;
}

/* Does some student have a submission for `ex`? (Columns for exercises nobody handed in
 * would only say "missing" for everyone.) */
static bool anyone_did(const struct plan *p, const struct exercise *ex)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].ex == ex)
			return true;
	return false;
}

static int write_gradebook(const struct plan *p, const struct exercise *const *exs, size_t nexs,
			   const char *out_dir)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "student");
	for (size_t e = 0; e < nexs; e++)
		if (anyone_did(p, exs[e]))
			buf_printf(&b, ",%s", exs[e]->id);
	buf_puts(&b, ",total,max,status\n");
	for (size_t i = 0; i < p->n;) {
		const char *student = p->v[i].student;
		double total = 0, max = 0;
		const char *status = "passed";
		csv_field(&b, student);
		for (size_t e = 0; e < nexs; e++) {
			if (!anyone_did(p, exs[e]))
				continue;
			const struct job *j = find_job(p, i, student, exs[e]);
			if (!j) {
				buf_puts(&b, ",");
				status = strcmp(status, "passed") ? status : "missing";
				continue;
			}
			buf_printf(&b, ",%g", j->score);
			total += j->score;
			max += j->max;
			if (strcmp(j->status, "passed") && strcmp(status, "error"))
				status = j->status;
		}
		buf_printf(&b, ",%g,%g,%s\n", total, max, status);
		while (i < p->n && !strcmp(p->v[i].student, student))
			i++;
	}
	char *path = xasprintf("%s/gradebook.csv", out_dir);
	int rc = write_text_file(path, b.data);
	free(path);
	buf_free(&b);
	return rc;
}

/* STUDENT/results.json: every exercise of the student in one Gradescope results.json. */
static int write_student_results(const struct plan *p, size_t first, const char *out_dir)
{
	const char *student = p->v[first].student;
	struct buf b = BUF_INIT, tests = BUF_INIT;
	double score = 0, max = 0;
	for (size_t i = first; i < p->n && !strcmp(p->v[i].student, student); i++) {
		char *path = xasprintf("%s.tests", p->v[i].base);
		struct buf part = BUF_INIT;
		if (read_file(path, &part) == 0 && part.len)
			buf_printf(&tests, "%s%s", tests.len ? ",\n" : "", part.data);
		score += p->v[i].score;
		max += p->v[i].max;
		buf_free(&part);
		free(path);
	}
	buf_printf(&b, "{\n  \"score\": %g,\n  \"max_score\": %g,\n  \"tests\": [\n%s\n  ]\n}\n",
		   score, max, tests.data ? tests.data : "");
	char *path = xasprintf("%s/%s/results.json", out_dir, student);
	int rc = write_text_file(path, b.data);
	free(path);
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

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->students != y->students)
		return y->students - x->students;
	int c = strcmp(x->ex->id, y->ex->id);
	return c ? c : strcmp(x->kind, y->kind);
}

static void count_kinds(const struct plan *p, struct tally **out, size_t *n)
{
	size_t cap = 0;
	for (size_t i = 0; i < p->n; i++) {
		char *kinds = xstrdup(p->v[i].kinds);
		for (char *k = strtok(kinds, ","); k; k = strtok(NULL, ",")) {
			size_t t = 0;
			while (t < *n && !((*out)[t].ex == p->v[i].ex && !strcmp((*out)[t].kind, k)))
				t++;
			if (t == *n) {
				if (*n == cap)
					*out = xrealloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
				(*out)[*n] = (struct tally){ .ex = p->v[i].ex };
				snprintf((*out)[*n].kind, sizeof (*out)[*n].kind, "%s", k);
				(*n)++;
			}
			(*out)[t].students++;
		}
		free(kinds);
	}
	if (*n)
		qsort(*out, *n, sizeof **out, by_count);
}

/* Totals per student as a percentage, in ten bins. */
static void histogram(const struct plan *p, struct buf *b)
{
	int bins[10] = { 0 };
	for (size_t i = 0; i < p->n;) {
		const char *student = p->v[i].student;
		double score = 0, max = 0;
		for (; i < p->n && !strcmp(p->v[i].student, student); i++)
			score += p->v[i].score, max += p->v[i].max;
		int bin = max > 0 ? (int)(score / max * 10) : 0;
		bins[bin > 9 ? 9 : bin]++;
	}
	buf_puts(b, L("Scores (percentage of the maximum):\n", "Notas (porcentaje del máximo):\n"));
	for (int i = 9; i >= 0; i--) {
		buf_printf(b, "  %3d-%3d%% %4d ", i * 10, i == 9 ? 100 : i * 10 + 9, bins[i]);
		for (int k = 0; k < bins[i]; k++)
			buf_puts(b, "█");
		buf_puts(b, "\n");
	}
}

static int write_summary(const struct plan *p, const struct batch_summary *sum,
			 const char *out_dir)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, L("%d students, %d submissions graded (%d unchanged since the last run), "
			 "%d lost points, %d could not be graded.\n\n",
			 "%d estudiantes, %d entregas calificadas (%d sin cambios desde la última "
			 "vez), %d perdieron puntos, %d no se pudieron calificar.\n\n"),
		   sum->students, sum->jobs, sum->reused, sum->lost_points, sum->errors);
	histogram(p, &b);
	struct tally *t = NULL;
	size_t n = 0;
	count_kinds(p, &t, &n);
	buf_puts(&b, L("\nMost common findings:\n", "\nHallazgos más frecuentes:\n"));
	for (size_t i = 0; i < n && i < 15; i++)
		buf_printf(&b, t[i].students == 1 ? L("  %3d student:  %s in %s\n",
						      "  %3d estudiante:  %s en %s\n")
			   : L("  %3d students: %s in %s\n", "  %3d estudiantes: %s en %s\n"),
			   t[i].students, t[i].kind, t[i].ex->id);
	if (!n)
		buf_puts(&b, L("  none\n", "  ninguno\n"));
	free(t);
	char *path = xasprintf("%s/summary.txt", out_dir);
	int rc = write_text_file(path, b.data);
	free(path);
	buf_free(&b);
	return rc;
}

static void summarize(const struct plan *p, struct batch_summary *sum)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct job *j = &p->v[i];
		sum->jobs++;
		sum->reused += j->reused;
		sum->errors += !strcmp(j->status, "error");
		sum->lost_points += !strcmp(j->status, "failed");
		if (i == 0 || strcmp(p->v[i - 1].student, j->student))
			sum->students++;
	}
}

/* junit.xml: every submission's <testsuite>, in the gradebook's order. */
static int write_junit(const struct plan *p, const char *out_dir)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (size_t i = 0; i < p->n; i++) {
		char *path = xasprintf("%s.junit", p->v[i].base);
		struct buf part = BUF_INIT;
		if (read_file(path, &part) == 0)
			buf_append(&b, part.data, part.len);
		buf_free(&part);
		free(path);
	}
	buf_puts(&b, "</testsuites>\n");
	char *path = xasprintf("%s/junit.xml", out_dir);
	int rc = write_text_file(path, b.data);
	free(path);
	buf_free(&b);
	return rc;
}

/* summary.html: the class as a page (report_write_class_html). */
static int write_html(const struct plan *p, const struct exercise *const *exs, size_t nexs,
		      const char *title, const char *out_dir)
{
	const char **ids = xcalloc(nexs, sizeof *ids);
	size_t ncols = 0;
	for (size_t e = 0; e < nexs; e++)
		if (anyone_did(p, exs[e]))
			ids[ncols++] = exs[e]->id;
	struct class_row *rows = xcalloc(p->n ? p->n : 1, sizeof *rows);
	double *scores = xcalloc(p->n * ncols + 1, sizeof *scores);
	char **reports = xcalloc(p->n * ncols + 1, sizeof *reports);
	struct class_view v = { .title = title, .exercises = ids, .nexercises = ncols, .rows = rows };
	for (size_t i = 0; i < p->n;) {
		struct class_row *r = &rows[v.nrows];
		const char *student = p->v[i].student;
		double *sc = &scores[v.nrows * ncols];
		char **rp = &reports[v.nrows * ncols];
		r->student = student;
		r->status = "passed";
		for (size_t e = 0; e < ncols; e++) {
			const struct job *j = find_job(p, i, student, course_find_exercise_in(exs, nexs, ids[e]));
			sc[e] = j ? j->score : NAN;
			rp[e] = j ? xasprintf("%s/%s.txt", student, ids[e]) : NULL;
			if (j) {
				r->total += j->score;
				r->max += j->max;
				if (strcmp(j->status, "passed"))
					r->status = j->status;
			} else {
				r->status = strcmp(r->status, "passed") ? r->status : "missing";
			}
		}
		r->scores = sc;
		r->reports = (const char *const *)rp;
		int bin = r->max > 0 ? (int)(r->total / r->max * 10) : 0;
		v.bins[bin > 9 ? 9 : bin]++;
		v.nrows++;
		while (i < p->n && !strcmp(p->v[i].student, student))
			i++;
	}
	struct tally *t = NULL;
	size_t nt = 0;
	count_kinds(p, &t, &nt);
	struct class_finding *f = xcalloc(nt + 1, sizeof *f);
	for (size_t i = 0; i < nt && i < 15; i++, v.nfindings++)
		f[i] = (struct class_finding){ t[i].ex->id, t[i].kind, t[i].students };
	v.findings = f;
	char *path = xasprintf("%s/summary.html", out_dir);
	FILE *out = fopen(path, "we");
	int rc = out && report_write_class_html(out, &v) == 0 ? 0 : -1;
	if (out && fclose(out) != 0)
		rc = -1;
	for (size_t i = 0; i < p->n * ncols; i++)
		free(reports[i]);
	free(reports);
	free(scores);
	free(rows);
	free(ids);
	free(f);
	free(t);
	free(path);
	return rc;
}

static int write_outputs(const struct plan *p, const struct exercise *const *exs, size_t nexs,
			 const struct batch_summary *sum, const char *out_dir, const char *title)
{
	int rc = write_gradebook(p, exs, nexs, out_dir) | write_junit(p, out_dir) |
		 write_html(p, exs, nexs, title, out_dir);
	for (size_t i = 0; i < p->n; i++)
		if (i == 0 || strcmp(p->v[i - 1].student, p->v[i].student))
			rc |= write_student_results(p, i, out_dir);
	return rc | write_summary(p, sum, out_dir);
}

int batch_grade(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *class_dir, const struct batch_options *opt,
		struct batch_summary *summary, struct buf *err)
{
	memset(summary, 0, sizeof *summary);
	if (mkdir(opt->out_dir, 0755) < 0 && errno != EEXIST) {
		buf_printf(err, "cannot create %s: %s", opt->out_dir, strerror(errno));
		return -1;
	}
	struct plan plan = { 0 };
	make_plan(class_dir, exs, nexs, opt, &plan);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	struct sched s = { .c = c, .opt = opt, .plan = &plan, .start = now_monotonic(),
			   .sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK) };
	int rc = s.sig_fd < 0 ? -1 : schedule(&s, err);
	if (s.sig_fd < 0)
		buf_printf(err, "cannot create a signalfd: %s", strerror(errno));
	else
		close(s.sig_fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == 0) {
		summarize(&plan, summary);
		summary->interrupted = s.stopped;
		if (write_outputs(&plan, exs, nexs, summary, opt->out_dir, c->title) < 0) {
			buf_printf(err, "cannot write the results in %s: %s", opt->out_dir,
				   strerror(errno));
			rc = -1;
		}
	}
	plan_free(&plan);
	return rc;
}

/* ---- joining shards ---- */

/* Copies the regular files of a student's output folder (nothing else is written there). */
static int copy_student(const char *from, const char *to)
{
	if (mkdir(to, 0755) < 0 && errno != EEXIST)
		return -1;
	DIR *d = opendir(from);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *src = xasprintf("%s/%s", from, e->d_name), *dst = xasprintf("%s/%s", to, e->d_name);
		struct stat st;
		if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) && file_copy(src, dst, 0644) < 0)
			rc = -1;
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

/* The plan of an output folder: every STUDENT/EXERCISE.tsv, in the gradebook's order. */
static void plan_from_results(const char *out_dir, const struct exercise *const *exs,
			      size_t nexs, struct plan *p)
{
	struct strvec students = STRVEC_INIT;
	subdirs(out_dir, &students);
	for (size_t s = 0; s < students.n; s++) {
		for (size_t e = 0; e < nexs; e++) {
			char *tsv = xasprintf("%s/%s/%s.tsv", out_dir, students.v[s], exs[e]->id);
			if (access(tsv, F_OK) == 0) {
				add_job(p, students.v[s], exs[e], "", out_dir);
				unsigned long long h;
				read_summary(&p->v[p->n - 1], &h);
			}
			free(tsv);
		}
	}
	strvec_free(&students);
}

int batch_merge(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *const *shards, size_t nshards, const char *out_dir,
		struct batch_summary *summary, struct buf *err)
{
	memset(summary, 0, sizeof *summary);
	if (mkdir(out_dir, 0755) < 0 && errno != EEXIST) {
		buf_printf(err, "cannot create %s: %s", out_dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < nshards; i++) {
		struct strvec students = STRVEC_INIT;
		subdirs(shards[i], &students);
		for (size_t s = 0; s < students.n; s++) {
			char *from = xasprintf("%s/%s", shards[i], students.v[s]);
			char *to = xasprintf("%s/%s", out_dir, students.v[s]);
			int rc = copy_student(from, to);
			if (rc < 0)
				buf_printf(err, "cannot copy %s to %s: %s", from, to, strerror(errno));
			free(from);
			free(to);
			if (rc < 0) {
				strvec_free(&students);
				return -1;
			}
		}
		strvec_free(&students);
	}
	struct plan plan = { 0 };
	plan_from_results(out_dir, exs, nexs, &plan);
	summarize(&plan, summary);
	int rc = write_outputs(&plan, exs, nexs, summary, out_dir, c->title);
	if (rc < 0)
		buf_printf(err, "cannot write the results in %s: %s", out_dir, strerror(errno));
	plan_free(&plan);
	return rc;
}
