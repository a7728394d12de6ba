/* build.c: copy a submission into a private directory and compile it (see build.h). */
#include "build.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfinfo.h"
#include "i18n.h"
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

/* Looking for the files that define main(): how deep in the build's folder (a Makefile's
 * build), how many files, and how much of each. */
#define MAIN_SCAN_DEPTH 4
#define MAIN_SCAN_FILES 512
#define MAIN_SCAN_BYTES (1 << 20)

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
		buf_printf(err, _("cannot read the submission: %s"), strerror(e));
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
				buf_printf(err, _("cannot copy %s: %s"), e->d_name,
					   strerror(errno));
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
				buf_printf(err, _("cannot copy %s: %s"), e->d_name,
					   strerror(errno));
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
			buf_printf(err, _("cannot copy %s: %s"), submission, strerror(errno));
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
			/* "-x.c" is a file, not an option; the others as a student types them,
			 * so the compiler's messages say "hello.c:3:5" */
			char *rel = xasprintf("%s%s", e->d_name[0] == '-' ? "./" : "", e->d_name);
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
/* A Python script is checked, not built: compiled to bytecode in memory (no .pyc written), a
 * syntax error said as "hello.py:3:7: SyntaxError: '(' was never closed" and the line. */
static const char python_check[] =
	"import sys\n"
	"p = sys.argv[1]\n"
	"try:\n"
	"    compile(open(p, 'rb').read(), p, 'exec')\n"
	"except (SyntaxError, ValueError) as e:\n"
	"    if isinstance(e, SyntaxError):\n"
	"        print('%s:%s:%s: %s: %s' % (p, e.lineno or 0, e.offset or 0,\n"
	"              type(e).__name__, e.msg), file=sys.stderr)\n"
	"        if e.text:\n"
	"            print('    ' + e.text.rstrip('\\n'), file=sys.stderr)\n"
	"    else:\n"
	"        print('%s: %s' % (p, e), file=sys.stderr)\n"
	"    sys.exit(1)\n";

/* The check of a Python submission: `python -c CHECK SCRIPT`. False when the script is not
 * there. */
static bool python_command(const struct course *c, const struct exercise *ex, struct build *b,
			   struct strvec *argv)
{
	struct stat st;
	char *path = xasprintf("%s/%s", b->workdir, ex->binary);
	bool there = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	if (!there) {
		buf_printf(&b->log, _("The submission has no %s (a Python script).\n"), ex->binary);
		b->nothing_to_build = true;
		return false;
	}
	strvec_push(argv, c->python);
	strvec_push(argv, "-c");
	strvec_push(argv, python_check);
	strvec_push(argv, ex->binary);
	return true;
}

static bool build_command(const struct course *c, const struct exercise *ex, struct build *b,
			  struct strvec *argv)
{
	if (ex->language == PROG_PYTHON)
		return python_command(c, ex, b, argv);
	b->used_make = ex->build == BUILD_MAKE ||
		       (ex->build == BUILD_AUTO && has_makefile(b->workdir));
	if (b->used_make) {
		if (!has_makefile(b->workdir)) {
			buf_puts(&b->log, _("The submission has no Makefile, and this exercise is "
					    "built with make.\n"));
			b->nothing_to_build = true;
			return false;
		}
		strvec_push(argv, "make"); /* as typed: a flag here would be in $(MFLAGS) */
		return true;
	}
	strvec_push(argv, c->compiler);
	for (size_t i = 0; i < c->cflags.n; i++)
		strvec_push(argv, c->cflags.v[i]);
	strvec_push(argv, "-g"); /* a crash's file and line (monitor_where.h) */
	strvec_push(argv, "-o");
	strvec_push(argv, ex->binary);
	if (add_sources(b->workdir, argv) == 0) {
		buf_puts(&b->log, _("The submission has no .c files to compile.\n"));
		b->nothing_to_build = true;
		return false;
	}
	return true;
}

/* Whether `line` (`len` bytes, no newline) is the note a recursive make prints on entering or
 * leaving a folder: "make[1]: Entering directory '/box/libft'". */
static bool make_directory_note(const char *line, size_t len)
{
	static const char *const notes[] = { ": Entering directory '", ": Leaving directory '" };
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		const char *at = memmem(line, len, notes[i], strlen(notes[i]));
		if (!at)
			continue;
		size_t n = (size_t)(at - line); /* "make" or "make[N]", without spaces */
		if (n && line[n - 1] == ']') {
			size_t k = n - 1; /* the digits are line[k..n-1) */
			while (k > 0 && line[k - 1] >= '0' && line[k - 1] <= '9')
				k--;
			if (k == n - 1 || k == 0 || line[k - 1] != '[')
				return false;
			n = k - 1;
		}
		return n >= 4 && !memcmp(line + n - 4, "make", 4) && !memchr(line, ' ', n);
	}
	return false;
}

/* Appends `len` bytes of the build's output to its log, without make's directory notes. */
static void log_append(struct buf *log, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : len;
		if (!make_directory_note(s + i, end - i - (nl != NULL)))
			buf_append(log, s + i, end - i);
		i = end;
	}
}

/* Runs the build command in the build's sandbox and interprets how it ended. */
static int run_build(const struct course *c, struct build *b, struct strvec *argv, struct buf *err)
{
	struct sandbox *sb = b->sb;
	if (sandbox_give(sb->caps, b->workdir) < 0) {
		buf_printf(err, _("cannot give the build's directory to the sandbox's user: %s"),
			   strerror(errno));
		return -1;
	}
	struct strvec env = STRVEC_INIT;
	sandbox_env(sb, &env);
	struct run_spec spec = RUN_SPEC_INIT;
	spec.file = argv->v[0];
	spec.argv = (const char *const *)argv->v;
	spec.envp = (const char *const *)env.v;
	spec.cwd = b->workdir;
	spec.wall_s = c->build_timeout_s;
	spec.output_bytes = BUILD_LOG_CAP;
	spec.grace_s = 0;
	spec.sandbox = sb;
	struct run_result r;
	int rc = run_program(&spec, &r, err);
	strvec_free(&env);
	sandbox_collect(sb);
	if (rc == 0 && r.end == RUN_EXEC_FAILED) { /* the machine lacks it: not the student's */
		buf_printf(err, _("cannot run %s to build the submission: %s"), argv->v[0],
			   strerror(r.exec_errno));
		rc = -1;
	}
	if (rc == 0 && sb->hit_memory)
		buf_printf(&b->log,
			   _("The build used more than %lld MiB of memory and was stopped.\n"),
			   sb->limits.memory_bytes >> 20);
	if (rc == 0 && sb->hit_disk)
		buf_printf(&b->log, _("The build filled its disk space of %lld MiB.\n"),
			   sb->limits.disk_bytes >> 20);
	b->secs = r.wall_s;
	log_append(&b->log, r.out.data, r.out.len);
	log_append(&b->log, r.err.data, r.err.len);
	b->interrupted = r.interrupted;
	if (rc == 0) {
		if (r.end == RUN_TIMEOUT)
			buf_printf(&b->log,
				   _("The build did not finish within %g s and was stopped.\n"),
				   c->build_timeout_s);
		else if (r.end != RUN_EXITED && r.end != RUN_OUTPUT_LIMIT) {
			char *how = run_describe_end(&r);
			/* TRANSLATORS: %s says how the build ended: "killed by signal 9
			   (SIGKILL: ...)", "stopped after 2.0 s of CPU time: ...". */
			buf_printf(&b->log, _("The build %s.\n"), how);
			free(how);
		}
		b->ok = r.end == RUN_EXITED && r.exit_code == 0;
		if (r.end == RUN_OUTPUT_LIMIT)
			buf_puts(&b->log, _("\n[build output cut: too long]\n"));
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
		/* TRANSLATORS: why the build did not produce the program: "... ./hello: it
		   %s."; so the two that follow. */
		return _("is a symbolic link: the program must be a file the build makes");
	if (!S_ISREG(st.st_mode))
		return _("is not a regular file");
	if (!(st.st_mode & 0111))
		return _("is not executable");
	return NULL;
}

/* Why `name` in `dir` is not the submission's script, or NULL: a regular file, never a link. */
static const char *not_a_script(int dir, const char *name)
{
	struct stat st;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return "";
	if (!S_ISREG(st.st_mode))
		return _("is not a regular file");
	return NULL;
}

/* Checks the build produced the program, and copies it where the cases take it from. */
static void find_binary(const struct exercise *ex, struct build *b)
{
	int dir = open(b->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int keep = open(b->sb->scratch.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *why = dir < 0 || keep < 0           ? ""
			  : ex->language == PROG_PYTHON ? not_a_script(dir, ex->binary)
							: not_a_program(dir, ex->binary);
	if (!why && copy_file(dir, ex->binary, keep, "program", 0755) < 0)
		why = _("could not be copied");
	if (!why)
		b->binary = program_path(b);
	else if (*why)
		buf_printf(&b->log,
			   /* TRANSLATORS: the last %s says what is wrong with the file: "is not
			      executable", "could not be copied"... */
			   _("The build finished but did not produce the program ./%s: it %s.\n"),
			   ex->binary, why);
	else
		buf_printf(&b->log, _("The build finished but did not produce the program ./%s.\n"),
			   ex->binary);
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

/* How pipegrade builds, beyond the course's compiler and flags: a change here (make's command
 * line, the build's environment) must not reuse what was built the old way. */
#define BUILD_RECIPE "plain make; sandbox_env(); cc -g"

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
	mode = (int)ex->language;
	hash_bytes(&h, &mode, sizeof mode);
	if (ex->language == PROG_PYTHON)
		hash_bytes(&h, c->python, strlen(c->python) + 1);
	hash_bytes(&h, BUILD_RECIPE, sizeof BUILD_RECIPE);
	hash_bytes(&h, i18n_get(), strlen(i18n_get()) + 1); /* the log holds pipegrade's words */
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

/* ---- what the log means, in words for the student ---- */

/* The line of `text` (`len` bytes) that starts at `at`: its end, past its newline. */
static size_t line_end(const char *text, size_t len, size_t at)
{
	const char *nl = memchr(text + at, '\n', len - at);
	return nl ? (size_t)(nl - text) + 1 : len;
}

/* A build that succeeded: the first lines of its warnings, from the line that says where the
 * first one is ("f.c: In function 'main':") or from the warning itself. */
static void keep_warnings(struct build *b)
{
	const char *log = b->log.data;
	size_t len = b->log.len, prev = 0, at = 0, end;
	for (; at < len; prev = at, at = end) {
		end = line_end(log, len, at);
		if (memmem(log + at, end - at, "warning:", 8))
			break;
	}
	if (at >= len)
		return;
	if (prev < at && (memmem(log + prev, at - prev, ": In ", 5) ||
			  memmem(log + prev, at - prev, ": At top level:", 15)))
		at = prev;
	int lines = 0;
	for (end = at; end < len && lines < BUILD_WARNING_LINES; lines++)
		end = line_end(log, len, end);
	buf_append(&b->warnings, log + at, end - at);
	for (lines = 0; end < len; lines++)
		end = line_end(log, len, end);
	if (lines)
		buf_printf(&b->warnings, _("[... %d more lines]\n"), lines);
}

static bool ident_char(char c)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Whether the C source `s` (`n` bytes) defines main(): the word main, a parenthesised list and
 * a '{', outside comments, string and character literals and preprocessor lines. */
static bool defines_main(const char *s, size_t n)
{
	enum { CODE, LINE_COMMENT, BLOCK_COMMENT, LITERAL, DIRECTIVE } st = CODE;
	enum { NONE, NAME, PARAMS, AFTER } m = NONE; /* how far into "main ( ... ) {" */
	size_t depth = 0;
	char quote = 0;
	bool line_start = true;
	for (size_t i = 0; i < n; i++) {
		char c = s[i], next = i + 1 < n ? s[i + 1] : '\0';
		if (st == LINE_COMMENT || st == DIRECTIVE) {
			if (c == '\\' && next == '\n')
				i++;
			else if (c == '\n')
				st = CODE, line_start = true;
			continue;
		}
		if (st == BLOCK_COMMENT) {
			if (c == '*' && next == '/')
				st = CODE, i++;
			continue;
		}
		if (st == LITERAL) {
			if (c == '\\')
				i++;
			else if (c == quote || c == '\n')
				st = CODE;
			continue;
		}
		if (c == '/' && (next == '/' || next == '*')) {
			st = next == '/' ? LINE_COMMENT : BLOCK_COMMENT;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n') {
			line_start = line_start || c == '\n';
			continue;
		}
		bool first = line_start;
		line_start = false;
		if (c == '#' && first) {
			st = DIRECTIVE;
		} else if (c == '"' || c == '\'') {
			st = LITERAL, quote = c, m = m == PARAMS ? PARAMS : NONE;
		} else if (ident_char(c)) { /* a word, or a number */
			size_t j = i;
			while (j < n && ident_char(s[j]))
				j++;
			if (m != PARAMS)
				m = j - i == 4 && !memcmp(s + i, "main", 4) ? NAME : NONE;
			i = j - 1;
		} else if (c == '(') {
			depth = m == PARAMS ? depth + 1 : 1;
			m = m == NAME || m == PARAMS ? PARAMS : NONE;
		} else if (c == ')' && m == PARAMS) {
			m = --depth ? PARAMS : AFTER;
		} else if (c == '{' && m == AFTER) {
			return true;
		} else if (m != PARAMS) {
			m = NONE;
		}
	}
	return false;
}

/* Whether `name` (a file name) appears in the log as a name: not inside a longer one. */
static bool log_names(const struct buf *log, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = log->data, *end = log->data + log->len;
	     p && (p = memmem(p, (size_t)(end - p), name, n)) != NULL; p++) {
		char before = p > log->data ? p[-1] : ' ', after = p + n < end ? p[n] : ' ';
		if (!strchr("_.-", before) && !isalnum((unsigned char)before) &&
		    !strchr("_.-", after) && !isalnum((unsigned char)after))
			return true;
	}
	return false;
}

/* Appends to `found` the .c files under `dir` (`rel` its path in the build's folder, "" at the
 * top) that define main(), `depth` levels down at most. The folder is the build's: a link, a
 * FIFO or a huge file there is read as nothing, never followed, waited on or read whole. */
struct main_scan {
	struct strvec found; /* the files that define main() */
	int budget;          /* how many more files may be read */
	char *text;          /* MAIN_SCAN_BYTES, for each file's start */
};

static void find_mains(int dir, const char *rel, int depth, struct main_scan *scan)
{
	int fd = fcntl(dir, F_DUPFD_CLOEXEC, 0);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL && scan->budget > 0) {
		const char *name = e->d_name;
		size_t len = strlen(name);
		struct stat st;
		if (name[0] == '.' || fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		char *path = xasprintf("%s%s", rel, name);
		if (S_ISDIR(st.st_mode) && depth > 0) {
			int sub = openat(dir, name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			char *sub_rel = xasprintf("%s/", path);
			if (sub >= 0) {
				find_mains(sub, sub_rel, depth - 1, scan);
				close(sub);
			}
			free(sub_rel);
		} else if (S_ISREG(st.st_mode) && len > 2 && !strcmp(name + len - 2, ".c")) {
			scan->budget--;
			int f = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			ssize_t n = f >= 0 && fstat(f, &st) == 0 && S_ISREG(st.st_mode)
					    ? read(f, scan->text, MAIN_SCAN_BYTES)
					    : -1;
			if (n > 0 && defines_main(scan->text, (size_t)n))
				strvec_push(&scan->found, path);
			if (f >= 0)
				close(f);
		}
		free(path);
	}
	closedir(d);
}

/* "a.c and b.c", "a.c, b.c and c.c": the files, made visible. */
static void name_list(struct buf *out, const struct strvec *files)
{
	for (size_t i = 0; i < files->n; i++) {
		if (i)
			buf_puts(out, i + 1 < files->n ? ", " : _(" and "));
		buf_visible(out, files->v[i], strlen(files->v[i]), false);
	}
}

/* A link that failed because several files define main(): a sentence that names them, first
 * in the log. They are the files that define it and the linker's message names; or, when that
 * leaves fewer than two, every file that defines it. */
static void explain_mains(struct build *b)
{
	static const char *const says[] = { "multiple definition of `main'",
					    "multiple definition of 'main'",
					    "duplicate symbol: main\n" };
	bool dup = false;
	for (size_t i = 0; i < sizeof says / sizeof says[0] && !dup; i++)
		dup = b->log.data && memmem(b->log.data, b->log.len, says[i], strlen(says[i]));
	int dir = dup ? open(b->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (dir < 0)
		return;
	struct main_scan scan = { STRVEC_INIT, MAIN_SCAN_FILES, xmalloc(MAIN_SCAN_BYTES) };
	find_mains(dir, "", b->used_make ? MAIN_SCAN_DEPTH : 0, &scan);
	close(dir);
	free(scan.text);
	struct strvec all = scan.found, named = STRVEC_INIT;
	strvec_sort(&all, 0);
	for (size_t i = 0; i < all.n; i++) {
		const char *slash = strrchr(all.v[i], '/');
		if (log_names(&b->log, slash ? slash + 1 : all.v[i]))
			strvec_push(&named, all.v[i]);
	}
	const struct strvec *files = named.n >= 2 ? &named : &all;
	struct buf msg = BUF_INIT;
	if (files->n >= 2) {
		name_list(&msg, files);
		buf_puts(&msg, files->n == 2 ? _(" both define main()") : _(" all define main()"));
		buf_puts(&msg, _(": a program has one main; remove or rename one (a copy left in "
				 "the folder?)\n"));
	} else {
		buf_puts(&msg,
			 _("More than one file defines main(): a program has one main; remove "
			   "or rename the others (a copy left in the folder?)\n"));
	}
	buf_append(&msg, b->log.data, b->log.len);
	buf_free(&b->log);
	b->log = msg;
	strvec_free(&all);
	strvec_free(&named);
}

/* What the build's outcome means for the student, after a build or a cache hit: whether the
 * program uses ASan and what it warned of, or why the link failed. */
static void explain_build(struct build *b)
{
	struct elfinfo ei;
	if (b->ok) {
		b->asan = elfinfo_read(b->binary, &ei) == 0 && ei.asan;
		keep_warnings(b);
	} else {
		explain_mains(b);
	}
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
		explain_build(b);
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
	if (rc == 0 && !b->interrupted)
		explain_build(b);
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
			buf_printf(err, _("cannot keep the build's directory in %s: %s"), dir,
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
	buf_free(&b->warnings);
	memset(b, 0, sizeof *b);
}
