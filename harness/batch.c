/* batch.c: a class folder graded by worker processes (see batch.h): the plan, the output
 * folder's lock, the workers and their scheduling. A job's files are batch_job.c's, the
 * class's batch_class.c's. */
#include "batch_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "i18n.h"
#include "report.h"

#define ARCHIVE_MAX_BYTES (64LL << 20)
#define ARCHIVE_MAX_ENTRIES 10000
#define MESSAGE_MAX 2000

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

/* ---- the plan ---- */

static void plan_add(struct plan *p, const char *student, const struct exercise *ex,
		     const char *path, const char *out_dir)
{
	ALLOC_GROW(p->v, p->n + 1, p->cap);
	struct job *j = &p->v[p->n++];
	memset(j, 0, sizeof *j);
	j->student = xstrdup(student);
	j->ex = ex;
	j->path = path ? xstrdup(path) : NULL;
	j->dir = xasprintf("%s/students/%s/%s", out_dir, student, ex->id);
	j->pid = -1;
	j->msg_fd = -1;
	j->grade = true;
	j->status = JOB_NOT_GRADED;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].student);
		free(p->v[i].path);
		free(p->v[i].dir);
		free(p->v[i].problem);
		free(p->v[i].cases);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* A student of the class folder: a folder, archives, or (an ambiguity) both. */
struct member {
	char *name;
	bool folder;
	struct strvec archives; /* file names in the class folder */
};

struct roster {
	struct member *v;
	size_t n;
};

static struct member *member(struct roster *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i];
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	struct member *m = &r->v[r->n++];
	*m = (struct member){ .name = xstrdup(name), .archives = STRVEC_INIT };
	return m;
}

static int by_member_name(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

/* Every student of the class folder, sorted by name. */
static void read_roster(const char *class_dir, struct roster *r)
{
	DIR *d = opendir(class_dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", class_dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			member(r, e->d_name)->folder = true;
		} else if (archive_is_archive(e->d_name)) {
			char *name = archive_student_name(e->d_name);
			if (name[0] != '.') /* "..zip" names no student */
				strvec_push(&member(r, name)->archives, e->d_name);
			free(name);
		}
		free(p);
	}
	if (d)
		closedir(d);
	if (r->n)
		qsort(r->v, r->n, sizeof *r->v, by_member_name);
}

static void roster_free(struct roster *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		strvec_free(&r->v[i].archives);
	}
	free(r->v);
}

/* Why a student's work cannot be told apart: a folder and an archive, or two archives. */
static char *ambiguity(const struct member *m)
{
	if (m->archives.n + (m->folder ? 1 : 0) < 2)
		return NULL;
	struct buf b = BUF_INIT;
	/* TRANSLATORS: the student; a list follows: "the folder ana/, ana.zip and ana.tgz". */
	buf_printf(&b, _("%s: more than one submission: "), m->name);
	if (m->folder)
		buf_printf(&b, _("the folder %s/"), m->name);
	for (size_t i = 0; i < m->archives.n; i++)
		buf_printf(&b, "%s%s",
			   i || m->folder ? (i + 1 == m->archives.n ? _(" and ") : ", ") : "",
			   m->archives.v[i]);
	buf_puts(&b, _("; keep only one of them in the class folder"));
	return buf_detach(&b);
}

/* The folder holding the student's work: theirs, or their archive unpacked into
 * OUT/.unpacked/NAME (in a confined worker). NULL with `problem` when it cannot be had. */
static char *student_folder(const char *class_dir, const struct member *m, const char *out_dir,
			    char **problem)
{
	if (!m->archives.n)
		return xasprintf("%s/%s", class_dir, m->name);
	char *root = xasprintf("%s/.unpacked", out_dir);
	char *to = xasprintf("%s/%s", root, m->name),
	     *from = xasprintf("%s/%s", class_dir, m->archives.v[0]);
	struct buf err = BUF_INIT;
	mkdir(root, 0755);
	remove_tree(to);
	if (mkdir(to, 0755) < 0 ||
	    archive_unpack_confined(from, to, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_ENTRIES, &err) < 0) {
		*problem = xstrdup(err.len ? err.data : strerror(errno));
		free(to);
		to = NULL;
	}
	buf_free(&err);
	free(from);
	free(root);
	return to;
}

/* The student's jobs: with one exercise, the folder named after it or the student's folder
 * itself; with several, each folder named after one of them. */
static void plan_student(struct plan *p, const struct member *m, const char *whole,
			 const struct exercise *const *exs, size_t nexs, const char *out_dir)
{
	for (size_t e = 0; e < nexs; e++) {
		char *own = xasprintf("%s/%s", whole, exs[e]->id);
		struct stat st;
		if (stat(own, &st) == 0 && S_ISDIR(st.st_mode))
			plan_add(p, m->name, exs[e], own, out_dir);
		else if (nexs == 1)
			plan_add(p, m->name, exs[e], whole, out_dir);
		free(own);
	}
}

static void make_plan(const char *class_dir, const struct exercise *const *exs, size_t nexs,
		      const struct batch_options *opt, struct plan *p)
{
	struct roster r = { NULL, 0 };
	read_roster(class_dir, &r);
	for (size_t s = 0; s < r.n; s++) {
		const struct member *m = &r.v[s];
		if (opt->shard_n > 0 && shard_of(m->name, opt->shard_n) != opt->shard_k - 1)
			continue;
		bool graded = !opt->only || !strcmp(opt->only, m->name);
		char *problem = ambiguity(m), *whole = NULL;
		if (!problem && graded)
			whole = student_folder(class_dir, m, opt->out_dir, &problem);
		if (problem || !graded) { /* one job stands for the student */
			size_t first = p->n;
			if (!graded && (whole = xasprintf("%s/%s", class_dir, m->name)))
				plan_student(p, m, whole, exs, nexs, opt->out_dir);
			if (p->n == first)
				plan_add(p, m->name, exs[0], NULL, opt->out_dir);
			for (size_t i = first; i < p->n; i++) {
				p->v[i].grade = graded;
				p->v[i].problem = problem ? xstrdup(problem) : NULL;
			}
		} else {
			plan_student(p, m, whole, exs, nexs, opt->out_dir);
		}
		free(problem);
		free(whole);
	}
	roster_free(&r);
}

/* ---- what a result depends on ---- */

/* Everything that can change any job's verdict or report but the exercise and the
 * submission: pipegrade itself (its binary), the grading file (its stress runs with it), the
 * options (--no-monitor, --stress, a seed), the language, the user who grades. */
static unsigned long long base_key(const struct course *c, const struct batch_options *opt)
{
	unsigned long long h = HASH_INIT;
	hash_tree(&h, "/proc/self/exe");
	hash_tree(&h, c->path);
	/* and who grades: root's sandbox is not an ordinary user's, and the report says which */
	int options[] = { opt->grade.no_monitor, opt->show_hidden, (int)geteuid(),
			  opt->grade.stress_runs };
	hash_bytes(&h, options, sizeof options);
	hash_bytes(&h, i18n_get(),
		   strlen(i18n_get())); /* a report in another language: never reused */
	hash_bytes(&h, &opt->grade.seed, sizeof opt->grade.seed);
	return h;
}

static unsigned long long job_key(unsigned long long base, const struct job *j)
{
	unsigned long long h = base;
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

/* The job's last result still holds: the same key, a verdict, and every file there. */
static bool reusable(struct job *j)
{
	unsigned long long key = 0;
	if (job_read_result(j, &key) < 0 || key != j->key || j->status == JOB_ERROR ||
	    j->status == JOB_NOT_GRADED || !job_files_there(j)) {
		job_clear_result(j);
		return false;
	}
	return true;
}

/* Before anything is graded: the results that still hold are taken, and every other job to
 * grade loses its files, so that no earlier result can pass for this run's, even when the run
 * ends early. */
static void settle(struct plan *p, const struct batch_options *opt)
{
	for (size_t i = 0; i < p->n; i++) {
		struct job *j = &p->v[i];
		if (!j->grade)
			continue;
		if (!j->problem && !opt->force && reusable(j)) {
			j->reused = true;
			continue;
		}
		j->status = JOB_NOT_GRADED;
		job_remove_files(j);
	}
}

/* ---- the output folder's lock ---- */

/* Takes OUT/.lock, held until the process and its workers are gone. Returns its fd, or -1
 * with a message: another run holds it (naming it), or the folder cannot be written. */
static int lock_out(const char *out_dir, const char *what, struct buf *err)
{
	char *path = xasprintf("%s/.lock", out_dir);
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		buf_printf(err, _("cannot write in %s: %s"), out_dir, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char holder[512] = "";
		ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		struct buf shown = BUF_INIT; /* whoever could write the folder wrote the file */
		buf_visible(&shown, holder, strlen(holder), false);
		buf_printf(err,
			   /* TRANSLATORS: the folder, then what the other pipegrade wrote in its
			      lock: "pid 12 on host since 2026-12-04 10:00:00, grading DIR". */
			   _("%s is in use by another pipegrade (%s): wait until it ends, or give "
			     "another --out"),
			   out_dir, holder[0] ? shown.data : _("still starting"));
		buf_free(&shown);
		close(fd);
		fd = -1;
	} else {
		char host[256] = "?", when[64] = "";
		gethostname(host, sizeof host - 1);
		time_t now = time(NULL);
		struct tm tm;
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
		/* TRANSLATORS: the process, the machine, the date and time, then "grading DIR"
		   or "merging shards". */
		char *line = xasprintf(_("pid %d on %s since %s, %s\n"), (int)getpid(), host, when,
				       what);
		if (ftruncate(fd, 0) < 0 || pwrite(fd, line, strlen(line), 0) < 0) {
			buf_printf(err, _("cannot write in %s: %s"), out_dir, strerror(errno));
			close(fd);
			fd = -1;
		}
		free(line);
	}
	free(path);
	return fd;
}

/* The output folder, made and locked for this run (or refused: BATCH_REFUSED). */
static int open_out(const char *out_dir, const char *what, struct buf *err)
{
	char *students = xasprintf("%s/students", out_dir);
	int fd = -1;
	if (make_dirs(out_dir) < 0 || access(out_dir, W_OK) < 0)
		buf_printf(err, _("cannot write in %s: %s"), out_dir, strerror(errno));
	else
		fd = lock_out(out_dir, what, err);
	if (fd >= 0 && make_dirs(students) < 0) {
		buf_printf(err, _("cannot write in %s: %s"), out_dir, strerror(errno));
		close(fd);
		fd = -1;
	}
	free(students);
	return fd;
}

/* ---- the scheduler: up to opt->jobs workers, one poll loop ---- */

struct sched {
	const struct course *c;
	const struct batch_options *opt;
	struct plan *plan;
	size_t next; /* next job to start */
	size_t running;
	size_t done;
	size_t failing;
	size_t total; /* jobs this run grades */
	double start;
	int sig_fd;
	int stopped; /* stop signal received */
	int failed;  /* a file could not be written: the run exits 3 */
};

static void progress(struct sched *s, const struct job *j)
{
	FILE *f = s->opt->progress;
	if (!f)
		return;
	if (!s->opt->progress_tty) {
		struct buf name = BUF_INIT;
		report_text_safe(&name, j->student);
		/* TRANSLATORS: [done/total] the student, the exercise: points, then a status
		   ("passed", "failed"...) and maybe " (unchanged)". */
		fprintf(f, _("[%zu/%zu] %s %s: %g/%g %s%s\n"), s->done, s->total, name.data,
			j->ex->id, j->score, j->max, job_status_text(j->status),
			j->reused ? _(" (unchanged)") : "");
		buf_free(&name);
		return;
	}
	double elapsed = now_monotonic() - s->start;
	double eta = s->done ? elapsed / (double)s->done * (double)(s->total - s->done) : 0;
	fputs("\r\033[K", f); /* back to the start of the line, and clear it */
	fprintf(f, _("[%zu/%zu] failing so far: %zu, about %.0f s left"), s->done, s->total,
		s->failing, eta);
	if (s->done == s->total)
		fputc('\n', f);
	fflush(f);
}

/* What the worker said (why it failed), at most MESSAGE_MAX bytes. */
static char *worker_message(int fd)
{
	char text[MESSAGE_MAX + 1];
	ssize_t n = fd < 0 ? -1 : read(fd, text, MESSAGE_MAX);
	text[n > 0 ? n : 0] = '\0';
	return n > 0 ? xstrdup(text) : NULL;
}

/* A worker ended: its result, or why there is none. */
static void finished(struct sched *s, struct job *j, int status)
{
	unsigned long long key = 0;
	char *said = worker_message(j->msg_fd);
	close(j->msg_fd);
	j->msg_fd = -1;
	bool stopped = WIFEXITED(status) && WEXITSTATUS(status) >= 128;
	if (job_read_result(j, &key) < 0 || key != j->key) {
		job_clear_result(j);
		j->status = stopped || s->stopped ? JOB_NOT_GRADED : JOB_ERROR;
		if (j->status == JOB_ERROR) {
			j->problem =
				said ? said
				: WIFSIGNALED(status)
					? xasprintf(_("pipegrade's worker for this submission was killed by %s"),
						    strsignal(WTERMSIG(status)))
					: xstrdup(_(
						  "pipegrade's worker for this submission left no result"));
			said = NULL;
			j->write_failed = WIFEXITED(status) &&
					  WEXITSTATUS(status) == JOB_WRITE_FAILED;
			s->failed = s->failed || j->write_failed;
			if (job_write_problem(j) < 0)
				s->failed = 1;
		}
	}
	free(said);
	s->done++;
	s->failing += j->status != JOB_PASSED;
	progress(s, j);
}

/* The worker's process: it dies with the batch (a grader killed outright takes its workers
 * and, through them, their cases with it). */
static void start_worker(struct sched *s, struct job *j, pid_t batch, int msg[2])
{
	close(msg[0]);
	die_with_parent(batch);
	job_work(s->c, j, s->opt, msg[1]);
}

/* Starts the next job, or takes its last result when it still holds. */
static int start_next(struct sched *s, struct buf *err)
{
	struct job *j = &s->plan->v[s->next++];
	if (!j->grade)
		return 0;
	if (make_dirs(j->dir) < 0) {
		buf_printf(err, _("cannot create %s: %s"), j->dir, strerror(errno));
		return -1;
	}
	if (j->problem) {
		j->status = JOB_ERROR;
		if (job_write_problem(j) < 0)
			s->failed = 1;
		s->done++, s->failing++;
		progress(s, j);
		return 0;
	}
	if (j->reused) {
		s->done++;
		s->failing += j->status != JOB_PASSED;
		progress(s, j);
		return 0;
	}
	int msg[2];
	pid_t batch = getpid();
	fflush(NULL);
	if (pipe2(msg, O_CLOEXEC | O_NONBLOCK) < 0 || (j->pid = fork()) < 0) {
		buf_printf(err, _("cannot start a worker: %s"), strerror(errno));
		return -1;
	}
	if (j->pid == 0)
		start_worker(s, j, batch, msg);
	close(msg[1]);
	j->msg_fd = msg[0];
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
			finished(s, j, status);
		}
	}
}

static void take_signals(struct sched *s)
{
	struct signalfd_siginfo si;
	while (read(s->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD || s->stopped)
			continue;
		s->stopped = (int)si.ssi_signo;
		for (size_t i = 0; i < s->plan->n; i++)
			if (s->plan->v[i].pid > 0) /* each worker stops its case cleanly */
				kill(s->plan->v[i].pid, (int)si.ssi_signo);
	}
}

static int schedule(struct sched *s, struct buf *err)
{
	for (;;) {
		while (!s->stopped && s->running < (size_t)s->opt->jobs && s->next < s->plan->n)
			if (start_next(s, err) < 0)
				return -1;
		if (s->running == 0 && (s->stopped || s->next == s->plan->n))
			return 0;
		struct pollfd p = { s->sig_fd, POLLIN, 0 };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
		take_signals(s);
		reap_workers(s);
	}
}

/* Jobs this run does not grade keep their last result (--only), or have none yet. */
static void keep_results(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		unsigned long long key;
		if (!p->v[i].grade && job_read_result(&p->v[i], &key) < 0)
			p->v[i].status = JOB_NOT_GRADED;
	}
}

static int run_plan(struct sched *s, struct buf *err)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	s->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	int rc = s->sig_fd < 0 ? -1 : schedule(s, err);
	if (s->sig_fd < 0)
		buf_printf(err, _("cannot create a signalfd: %s"), strerror(errno));
	else
		close(s->sig_fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int batch_grade(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *class_dir, const struct batch_options *opt,
		struct batch_summary *summary, struct buf *err)
{
	memset(summary, 0, sizeof *summary);
	char *what = xasprintf(_("grading %s"), class_dir);
	int lock = open_out(opt->out_dir, what, err);
	free(what);
	if (lock < 0)
		return BATCH_REFUSED;
	struct plan plan = { 0 };
	make_plan(class_dir, exs, nexs, opt, &plan);
	unsigned long long base = base_key(c, opt);
	struct sched s = { .c = c, .opt = opt, .plan = &plan, .start = now_monotonic() };
	for (size_t i = 0; i < plan.n; i++) {
		s.total += plan.v[i].grade;
		if (plan.v[i].grade && plan.v[i].path)
			plan.v[i].key = job_key(base, &plan.v[i]);
	}
	keep_results(&plan);
	settle(&plan, opt);
	/* the class's files as things stand before grading (the results that hold, every other
	 * job to grade "not graded"): a run killed outright leaves them honest, never an earlier
	 * run's; when they cannot be written, none is left */
	struct batch_summary before = { 0 };
	class_summarize(&plan, false, &before);
	int rc = class_write(&plan, exs, nexs, &before, opt->out_dir, ltext_get(&c->title), err);
	if (rc < 0)
		class_forget(&plan, opt->out_dir);
	rc = rc < 0 ? rc : run_plan(&s, err);
	summary->interrupted = s.stopped;
	class_summarize(&plan, true, summary);
	if (rc == 0) {
		struct batch_summary all = { .interrupted = s.stopped };
		class_summarize(&plan, false, &all);
		rc = class_write(&plan, exs, nexs, &all, opt->out_dir, ltext_get(&c->title), err);
	}
	if (rc == 0 && s.failed) {
		for (size_t i = 0; i < plan.n; i++)
			if (plan.v[i].problem && plan.v[i].write_failed)
				buf_printf(err, "%s%s", err->len ? "; " : "", plan.v[i].problem);
		if (!err->len)
			buf_puts(err, _("some results could not be written"));
		rc = BATCH_FAILED;
	}
	plan_free(&plan);
	close(lock);
	return rc < 0 ? BATCH_FAILED : 0;
}

/* ---- joining shards ---- */

/* Copies a tree of regular files and folders (what pipegrade writes in students/). */
static int copy_results(const char *from, const char *to)
{
	if (make_dirs(to) < 0)
		return -1;
	DIR *d = opendir(from);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		char *src = xasprintf("%s/%s", from, e->d_name),
		     *dst = xasprintf("%s/%s", to, e->d_name);
		struct stat st;
		if (lstat(src, &st) == 0 && S_ISDIR(st.st_mode))
			rc |= copy_results(src, dst);
		else if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) &&
			 file_copy(src, dst, 0644) < 0)
			rc = -1;
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

/* The plan of an output folder: every students/NAME/EXERCISE/result.tsv there. */
static void plan_from_results(const char *out_dir, const struct exercise *const *exs, size_t nexs,
			      struct plan *p)
{
	char *root = xasprintf("%s/students", out_dir);
	struct strvec names = STRVEC_INIT;
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			strvec_push(&names, e->d_name);
	if (d)
		closedir(d);
	strvec_sort(&names, 0);
	for (size_t s = 0; s < names.n; s++) {
		for (size_t x = 0; x < nexs; x++) {
			char *tsv = xasprintf("%s/%s/%s/result.tsv", root, names.v[s], exs[x]->id);
			unsigned long long key;
			if (access(tsv, F_OK) == 0) {
				plan_add(p, names.v[s], exs[x], NULL, out_dir);
				if (job_read_result(&p->v[p->n - 1], &key) < 0)
					p->v[p->n - 1].status = JOB_ERROR;
			}
			free(tsv);
		}
	}
	strvec_free(&names);
	free(root);
}

int batch_merge(const struct course *c, const struct exercise *const *exs, size_t nexs,
		const char *const *shards, size_t nshards, const char *out_dir,
		struct batch_summary *summary, struct buf *err)
{
	memset(summary, 0, sizeof *summary);
	int lock = open_out(out_dir, _("merging shards"), err);
	if (lock < 0)
		return BATCH_REFUSED;
	int rc = 0;
	for (size_t i = 0; i < nshards && rc == 0; i++) {
		char *from = xasprintf("%s/students", shards[i]),
		     *to = xasprintf("%s/students", out_dir);
		if (copy_results(from, to) < 0) {
			buf_printf(err, _("cannot copy %s to %s: %s"), from, to, strerror(errno));
			rc = BATCH_FAILED;
		}
		free(from);
		free(to);
	}
	struct plan plan = { 0 };
	if (rc == 0) {
		plan_from_results(out_dir, exs, nexs, &plan);
		class_summarize(&plan, false, summary);
		rc = class_write(&plan, exs, nexs, summary, out_dir, ltext_get(&c->title), err) < 0
			     ? BATCH_FAILED
			     : 0;
	}
	plan_free(&plan);
	close(lock);
	return rc;
}
