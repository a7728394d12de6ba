/* build.c: copy a submission into a private directory and compile it (see build.h). */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "sandbox.h"

#define BUILD_LOG_CAP (256 * 1024)

/* What a compiler or make may use: more than a student's program. */
static const struct limits build_limits = {
	.wall_s = 60,
	.cpu_s = 0,
	.output_bytes = BUILD_LOG_CAP,
	.memory_bytes = 2LL << 30,
	.processes = 128,
	.file_bytes = 1LL << 30,
	.open_files = 1024,
	.disk_bytes = 512LL << 20,
};

/* run_spec's envp is execve()'s `char *const *`: modifiable strings, not literals. */
static char env_path[] = "PATH=/usr/local/bin:/usr/bin:/bin", env_lc_all[] = "LC_ALL=C",
	    env_term[] = "TERM=dumb";
static const char *const build_env[] = { env_path, env_lc_all, env_term, NULL };

/* Copies `name` of from_dir to `to_name` of to_dir (created), never through a link. */
static int copy_file(int from_dir, const char *name, int to_dir, const char *to_name, mode_t mode)
{
	int in = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = openat(to_dir, to_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	char chunk[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, chunk, (size_t)n) < 0) {
			rc = -1;
			break;
		}
	}
	close(in);
	if (close(out) < 0)
		rc = -1;
	return rc;
}

/* Copies the regular files and directories below from_dir into to_dir. */
static int copy_tree(int from_dir, int to_dir, struct buf *err)
{
	int fd = fcntl(from_dir, F_DUPFD_CLOEXEC, 0); /* close-on-exec from birth */
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		buf_printf(err, "cannot read the submission: %s", strerror(e));
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(from_dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISREG(st.st_mode)) {
			if (copy_file(from_dir, e->d_name, to_dir, e->d_name, st.st_mode) < 0) {
				buf_printf(err, "cannot copy %s: %s", e->d_name, strerror(errno));
				rc = -1;
			}
		} else if (S_ISDIR(st.st_mode)) {
			rc = mkdirat(to_dir, e->d_name, 0755);
			int sub_from = openat(from_dir, e->d_name,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int sub_to = openat(to_dir, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (rc == 0 && sub_from >= 0 && sub_to >= 0)
				rc = copy_tree(sub_from, sub_to, err);
			else
				buf_printf(err, "cannot copy %s: %s", e->d_name, strerror(errno));
			if (sub_from >= 0)
				close(sub_from);
			if (sub_to >= 0)
				close(sub_to);
		}
	}
	closedir(d);
	return rc;
}

/* Copies a directory's contents, or a single file, into `workdir`. */
static int copy_submission(const char *submission, const char *workdir, struct buf *err)
{
	struct stat st;
	if (stat(submission, &st) < 0) {
		buf_printf(err, "%s: %s", submission, strerror(errno));
		return -1;
	}
	int to = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (to < 0) {
		buf_printf(err, "%s: %s", workdir, strerror(errno));
		return -1;
	}
	int rc;
	if (S_ISDIR(st.st_mode)) {
		int from = open(submission, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = from < 0 ? -1 : copy_tree(from, to, err);
		if (from < 0)
			buf_printf(err, "%s: %s", submission, strerror(errno));
		else
			close(from);
	} else {
		char *copy = xstrdup(submission);
		char *slash = strrchr(copy, '/');
		const char *dir = slash ? (slash == copy ? "/" : copy) : ".";
		const char *name = slash ? slash + 1 : submission;
		if (slash && slash != copy)
			*slash = '\0';
		int from = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = from < 0 ? -1 : copy_file(from, name, to, name, st.st_mode);
		if (rc < 0)
			buf_printf(err, "cannot copy %s: %s", submission, strerror(errno));
		if (from >= 0)
			close(from);
		free(copy);
	}
	close(to);
	return rc;
}

static bool has_makefile(const char *workdir)
{
	static const char *const names[] = { "GNUmakefile", "makefile", "Makefile" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *p = xasprintf("%s/%s", workdir, names[i]);
		bool found = access(p, F_OK) == 0;
		free(p);
		if (found)
			return true;
	}
	return false;
}

/* The top-level .c files of the working directory, sorted, appended to `argv`. */
static size_t add_sources(const char *workdir, struct strvec *argv)
{
	DIR *d = opendir(workdir);
	if (!d)
		return 0;
	size_t first = argv->n;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 2 && !strcmp(e->d_name + len - 2, ".c") && e->d_name[0] != '.') {
			char *rel = xasprintf("./%s",
					      e->d_name); /* "-x.c" is a file, not an option */
			strvec_push(argv, rel);
			free(rel);
		}
	}
	closedir(d);
	strvec_sort(argv, first);
	return argv->n - first;
}

/* The command line of the build. Returns false (with a note in the log) when there is nothing
 * to build. */
static bool build_command(const struct course *c, const struct exercise *ex, struct build *b,
			  struct strvec *argv)
{
	b->used_make = ex->build == BUILD_MAKE ||
		       (ex->build == BUILD_AUTO && has_makefile(b->workdir));
	if (b->used_make) {
		if (!has_makefile(b->workdir)) {
			buf_puts(&b->log,
				 "The submission has no Makefile, and this exercise is built with make.\n");
			b->nothing_to_build = true;
			return false;
		}
		strvec_push(argv, "make");
		strvec_push(argv, "--no-print-directory");
		return true;
	}
	strvec_push(argv, c->compiler);
	for (size_t i = 0; i < c->cflags.n; i++)
		strvec_push(argv, c->cflags.v[i]);
	strvec_push(argv, "-o");
	strvec_push(argv, ex->binary);
	if (add_sources(b->workdir, argv) == 0) {
		buf_puts(&b->log, "The submission has no .c files to compile.\n");
		b->nothing_to_build = true;
		return false;
	}
	return true;
}

/* Runs the build command in the build's sandbox and interprets how it ended. */
static int run_build(const struct course *c, struct build *b, struct strvec *argv, struct buf *err)
{
	struct sandbox *sb = b->sb;
	if (sandbox_give(sb->caps, b->workdir) < 0) {
		buf_printf(err, "cannot give the build's directory to the sandbox's user: %s",
			   strerror(errno));
		return -1;
	}
	struct run_spec spec = RUN_SPEC_INIT;
	spec.file = argv->v[0];
	spec.argv = (const char *const *)argv->v;
	spec.envp = build_env;
	spec.cwd = b->workdir;
	spec.wall_s = c->build_timeout_s;
	spec.output_bytes = BUILD_LOG_CAP;
	spec.grace_s = 0;
	spec.sandbox = sb;
	struct run_result r;
	int rc = run_program(&spec, &r, err);
	sandbox_collect(sb);
	if (rc == 0 && r.end == RUN_EXEC_FAILED) { /* the machine lacks it: not the student's */
		buf_printf(err, "cannot run %s to build the submission: %s", argv->v[0],
			   strerror(r.exec_errno));
		rc = -1;
	}
	if (rc == 0 && sb->hit_memory)
		buf_printf(&b->log,
			   "The build used more than %lld MiB of memory and was stopped.\n",
			   sb->limits.memory_bytes >> 20);
	if (rc == 0 && sb->hit_disk)
		buf_printf(&b->log, "The build filled its disk space of %lld MiB.\n",
			   sb->limits.disk_bytes >> 20);
	b->secs = r.wall_s;
	buf_append(&b->log, r.out.data, r.out.len);
	buf_append(&b->log, r.err.data, r.err.len);
	b->interrupted = r.interrupted;
	if (rc == 0) {
		if (r.end == RUN_TIMEOUT)
			buf_printf(&b->log,
				   "The build did not finish within %g s and was stopped.\n",
				   c->build_timeout_s);
		else if (r.end != RUN_EXITED && r.end != RUN_OUTPUT_LIMIT) {
			char *how = run_describe_end(&r);
			buf_printf(&b->log, "The build %s.\n", how);
			free(how);
		}
		b->ok = r.end == RUN_EXITED && r.exit_code == 0;
		if (r.end == RUN_OUTPUT_LIMIT)
			buf_puts(&b->log, "\n[build output cut: too long]\n");
	}
	run_result_free(&r);
	return rc;
}

/* Where pipegrade keeps the program once built: in the build's tmpfs but outside the folder
 * the build saw, so nothing of the build can change or replace it. */
static char *program_path(const struct build *b)
{
	return xasprintf("%s/program", b->sb->scratch.dir);
}

/* Why `name` in `dir` is not a program the build made, or NULL when it is one: a regular file
 * of the build's own folder with an exec bit, never a link (to the reference solution, say).
 * The mode bits, not access(X_OK): a noexec mount where pipegrade works is its own problem
 * (the case's exec reports it), not a program the build failed to make. */
static const char *not_a_program(int dir, const char *name)
{
	struct stat st;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return "";
	if (S_ISLNK(st.st_mode))
		return "is a symbolic link: the program must be a file the build makes";
	if (!S_ISREG(st.st_mode))
		return "is not a regular file";
	if (!(st.st_mode & 0111))
		return "is not executable";
	return NULL;
}

/* Checks the build produced the program, and copies it where the cases take it from. */
static void find_binary(const struct exercise *ex, struct build *b)
{
	int dir = open(b->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int keep = open(b->sb->scratch.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *why = dir < 0 || keep < 0 ? "" : not_a_program(dir, ex->binary);
	if (!why && copy_file(dir, ex->binary, keep, "program", 0755) < 0)
		why = "could not be copied";
	if (!why)
		b->binary = program_path(b);
	else
		buf_printf(&b->log,
			   "The build finished but did not produce the program ./%s%s%s.\n",
			   ex->binary, *why ? ": it " : "", why);
	b->ok = why == NULL;
	if (dir >= 0)
		close(dir);
	if (keep >= 0)
		close(keep);
}

/* The build's sandbox, whose scratch space holds the build's directory. */
static int make_workdir(const struct course *c, struct build *b, const char *const *hide,
			struct buf *err)
{
	struct limits lim = build_limits;
	lim.wall_s = c->build_timeout_s;
	b->sb = xcalloc(1, sizeof *b->sb);
	if (sandbox_prepare(b->sb, &lim, NULL, NULL, hide, err) < 0)
		return -1;
	b->workdir = xstrdup(b->sb->dir);
	return 0;
}

/* ---- the compile cache: KEY.bin (the program) or KEY.fail, and KEY.log ---- */

static char *cache_key(const struct course *c, const struct exercise *ex, const char *workdir)
{
	unsigned long long h = HASH_INIT;
	hash_tree(&h, workdir);
	hash_bytes(&h, c->compiler, strlen(c->compiler) + 1);
	for (size_t i = 0; i < c->cflags.n; i++)
		hash_bytes(&h, c->cflags.v[i], strlen(c->cflags.v[i]) + 1);
	hash_bytes(&h, ex->binary, strlen(ex->binary) + 1);
	int mode = (int)ex->build;
	hash_bytes(&h, &mode, sizeof mode);
	return xasprintf("%016llx", h);
}

/* A hit fills the build from the cache. Its entries are regular files pipegrade wrote; a
 * link is never followed. */
static bool cache_get(const char *dir, const char *key, struct build *b)
{
	char *bin = xasprintf("%s/%s.bin", dir, key), *fail = xasprintf("%s/%s.fail", dir, key);
	char *log = xasprintf("%s/%s.log", dir, key);
	struct stat st;
	bool hit = false;
	if (lstat(bin, &st) == 0 && S_ISREG(st.st_mode)) {
		char *to = program_path(b);
		hit = file_copy(bin, to, 0755) == 0;
		if (hit) {
			b->ok = true;
			b->binary = to;
		} else {
			free(to);
		}
	} else if (lstat(fail, &st) == 0 && S_ISREG(st.st_mode)) {
		hit = true;
	}
	if (hit && lstat(log, &st) == 0 && S_ISREG(st.st_mode))
		read_file(log, &b->log);
	b->cached = hit;
	free(bin);
	free(fail);
	free(log);
	return hit;
}

static void cache_put(const char *dir, const char *key, const struct build *b)
{
	mkdir(dir, 0755);
	char *log = xasprintf("%s/%s.log", dir, key);
	char *tmp = xasprintf("%s/%s.%d.tmp", dir, key, (int)getpid());
	char *final = xasprintf("%s/%s.%s", dir, key, b->ok ? "bin" : "fail");
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write_all(fd, b->log.data ? b->log.data : "", b->log.len);
		close(fd);
	}
	/* written aside, then renamed: a concurrent reader never sees half a program */
	int rc = b->ok ? file_copy(b->binary, tmp, 0755)
		 : (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ? -1
											: close(fd);
	if (rc == 0)
		rename(tmp, final);
	unlink(tmp);
	free(log);
	free(tmp);
	free(final);
}

int build_submission(const struct course *c, const struct exercise *ex, const char *submission,
		     const struct build_options *opt, struct build *b, struct buf *err)
{
	memset(b, 0, sizeof *b);
	if (make_workdir(c, b, opt ? opt->hide : NULL, err) < 0 ||
	    copy_submission(submission, b->workdir, err) < 0)
		return -1;
	const char *cache = opt ? opt->cache_dir : NULL;
	char *key = cache ? cache_key(c, ex, b->workdir) : NULL;
	if (key && cache_get(cache, key, b)) {
		free(key);
		return 0;
	}
	struct strvec argv = STRVEC_INIT;
	int rc = 0;
	if (build_command(c, ex, b, &argv))
		rc = run_build(c, b, &argv, err);
	strvec_free(&argv);
	if (rc == 0 && b->ok)
		find_binary(ex, b);
	if (rc == 0 && key && !b->interrupted)
		cache_put(cache, key, b);
	free(key);
	return rc;
}

char *build_keep(const struct build *b, struct buf *err)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/pipegrade-build.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	int from = -1, to = -1;
	if (!b->workdir || !mkdtemp(dir) ||
	    (from = open(b->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (to = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    copy_tree(from, to, err) < 0) {
		if (!err->len)
			buf_printf(err, "cannot keep the build's directory in %s: %s", dir,
				   strerror(errno));
		free(dir);
		dir = NULL;
	}
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	return dir;
}

void build_free(struct build *b)
{
	if (b->sb) {
		sandbox_free(b->sb);
		free(b->sb);
	}
	free(b->workdir);
	free(b->binary);
	buf_free(&b->log);
	memset(b, 0, sizeof *b);
}
