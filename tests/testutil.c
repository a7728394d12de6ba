/* testutil.c: see testutil.h. */
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

const char *tu_top(void)
{
	const char *t = getenv("PIPEGRADE_TOP");
	return t && *t ? t : ".";
}

const char *tu_path(const char *rel)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tu_top(), rel);
	return path;
}

const char *tu_pipegrade(void)
{
	static char path[PATH_MAX];
	const char *b = getenv("PIPEGRADE_BIN");
	if (b && *b)
		return b;
	snprintf(path, sizeof path, "%s/pipegrade", tu_top());
	return path;
}

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *p = xasprintf("%s/pipegrade-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p)) {
		perror("mkdtemp");
		abort();
	}
	return p;
}

void tu_rmdir(char *path)
{
	if (path)
		remove_tree(path);
	free(path);
}

void tu_write(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (!f) {
		perror(p);
		abort();
	}
	fputs(text, f);
	fclose(f);
	free(p);
}

void tu_skip(const char *test, const char *why)
{
	size_t n = strlen(test);
	int len = n > 3 && !strcmp(test + n - 3, "_fn") ? (int)n - 3 : (int)n; /* Check's names */
	fprintf(stderr, "%.*s: SKIPPED: %s\n", len, test, why);
	const char *log = getenv("PIPEGRADE_SKIP_LOG");
	FILE *f = log && *log ? fopen(log, "ae") : NULL;
	if (f) {
		fprintf(f, "%.*s: %s\n", len, test, why);
		fclose(f);
	}
}

char *tu_allow_list_root(void)
{
	/* the root's own names, and the machine's system directories that exist */
	static const char *const all[] = { "bin",    "box",  "dev", "etc",  "lib", "lib32", "lib64",
					   "libx32", "proc", "run", "sbin", "tmp", "usr",   "var" };
	static const char *const own = " box dev etc proc run tmp var ";
	struct buf b = BUF_INIT;
	buf_puts(&b, "root:");
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		char *p = xasprintf("/%s", all[i]), *word = xasprintf(" %s ", all[i]);
		struct stat st;
		if (strstr(own, word) || lstat(p, &st) == 0)
			buf_printf(&b, " %s", all[i]);
		free(word);
		free(p);
	}
	buf_puts(&b, "\n");
	return buf_detach(&b);
}

/* Reads "State" and "PPid" of a process from /proc/PID/stat (fields after the last ')'). */
static int proc_state(pid_t pid, char *state, pid_t *ppid)
{
	char path[64], line[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	char *rp = strrchr(line, ')');
	if (!rp)
		return -1;
	int pp;
	if (sscanf(rp + 1, " %c %d", state, &pp) != 2)
		return -1;
	*ppid = pp;
	return 0;
}

/* The command name of a process (its /proc/PID/comm), "?" when it is gone. Free with free(). */
static char *tu_comm(pid_t pid)
{
	char path[64], comm[64] = "?";
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "re");
	if (f && fgets(comm, sizeof comm, f))
		comm[strcspn(comm, "\n")] = '\0';
	if (f)
		fclose(f);
	return xstrdup(comm);
}

/* Where a process waits and what it holds, for a failure message: its wchan, its system
 * call line and its fds. */
static void describe_waits(struct buf *what, pid_t pid)
{
	char path[64], line[256];
	const char *files[] = { "wchan", "syscall" };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, files[i]);
		FILE *f = fopen(path, "re");
		size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
		if (f)
			fclose(f);
		line[n] = '\0';
		line[strcspn(line, "\n")] = '\0';
		buf_printf(what, ", %s %s", files[i], line);
	}
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	struct dirent *e;
	buf_puts(what, ", fds");
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char link[96], target[128];
		snprintf(link, sizeof link, "/proc/%d/fd/%.16s", (int)pid, e->d_name);
		ssize_t len = readlink(link, target, sizeof target - 1);
		target[len > 0 ? len : 0] = '\0';
		buf_printf(what, " %s:%s", e->d_name, target);
	}
	if (d)
		closedir(d);
}

/* The descendants' count, each described in `what` when it is not NULL. */
static int descendants(struct buf *what)
{
	/* Scan all of /proc: a descendant is a process whose chain of parents reaches us. */
	pid_t self = getpid();
	int count = 0;
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid <= 0 || pid == self)
			continue;
		char st;
		pid_t pp;
		if (proc_state(pid, &st, &pp) < 0 || st == 'Z')
			continue;
		for (int depth = 0; pp > 1 && depth < 64; depth++) {
			if (pp == self) {
				count++;
				if (what) {
					pid_t parent;
					proc_state(pid, &st, &parent);
					char *comm = tu_comm(pid);
					buf_printf(what, "%spid %d (%s), state %c, parent %d",
						   what->len ? "; " : "", (int)pid, comm, st,
						   (int)parent);
					free(comm);
					describe_waits(what, pid);
				}
				break;
			}
			char st2;
			if (proc_state(pp, &st2, &pp) < 0)
				break;
		}
	}
	closedir(d);
	return count;
}

int tu_count_descendants(void)
{
	return descendants(NULL);
}

char *tu_describe_descendants(void)
{
	struct buf b = BUF_INIT;
	if (descendants(&b) == 0)
		buf_puts(&b, "none");
	return buf_detach(&b);
}

int tu_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the DIR's own fd */
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

char *tu_list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return NULL;
	int fds[1024];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 1024)
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			fds[n++] = atoi(e->d_name);
	closedir(d);
	qsort(fds, n, sizeof fds[0], cmp_int);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char link[64], target[512];
		snprintf(link, sizeof link, "/proc/self/fd/%d", fds[i]);
		ssize_t len = readlink(link, target, sizeof target - 1);
		target[len > 0 ? len : 0] = '\0';
		buf_printf(&b, "%d -> %s\n", fds[i], target);
	}
	return buf_detach(&b);
}

void tu_run(const char *const *argv, const char *const *envp, const char *cwd, struct run_result *r)
{
	extern char **environ;
	struct run_spec spec = { .file = argv[0],
				 .argv = argv,
				 .envp = envp ? envp : (const char *const *)environ,
				 .cwd = cwd,
				 .wall_s = 120,
				 .output_bytes = 8 << 20,
				 .grace_s = -1 };
	struct buf err = BUF_INIT;
	int rc = run_program(&spec, r, &err);
	ck_assert_msg(rc == 0, "cannot run %s: %s", argv[0], err.data ? err.data : "");
	ck_assert_msg(r->end == RUN_EXITED, "%s did not exit", argv[0]);
	buf_free(&err);
}

char *tu_compile_monitor_program(const char *dir, const char *name, const char *flag)
{
	char *src = xasprintf("%s/tests/monitor/%s.c", tu_top(), name);
	char *bin = xasprintf("%s/%s", dir, name);
	const char *argv[9] = { "cc", "-std=c17", "-O2", "-o", bin, src }; /* and NULL */
	size_t n = 6;
	if (flag)
		argv[n++] = flag;
	if (!strncmp(name, "thread-", 7))
		argv[n++] = "-pthread";
	static const char *const env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL };
	struct run_result r;
	tu_run(argv, env, NULL, &r);
	ck_assert_msg(r.exit_code == 0, "cc %s: %s", name, r.err.data ? r.err.data : "");
	run_result_free(&r);
	free(src);
	return bin;
}

char *tu_which(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/bin:/bin");
	char *found = NULL, *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", d, name);
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* The tcases made by tu_tcase(), in order. */
static struct {
	const Suite *s;
	const char *name;
} * units;
static size_t nunits;

TCase *tu_tcase(Suite *s, const char *name, const char *tags)
{
	TCase *tc = tcase_create(name);
	char *all = xasprintf("%s%s%s", TU_UNIT_TAG, tags ? " " : "", tags ? tags : "");
	tcase_set_tags(tc, all); /* Check copies the tags */
	free(all);
	suite_add_tcase(s, tc);
	units = xrealloc(units, (nunits + 1) * sizeof *units);
	units[nunits].s = s;
	units[nunits++].name = name;
	return tc;
}

void tu_test_unit(Suite *s, const TTest *test, SFun setup, SFun teardown, double timeout)
{
	TCase *tc = tu_tcase(s, test->name, NULL);
	if (setup || teardown)
		tcase_add_checked_fixture(tc, setup, teardown);
	if (timeout > 0)
		tcase_set_timeout(tc, timeout);
	tcase_add_test(tc, test);
}

const char *tu_tcase_name(const Suite *s, size_t i)
{
	for (size_t k = 0; k < nunits; k++)
		if (units[k].s == s && i-- == 0)
			return units[k].name;
	return NULL;
}
