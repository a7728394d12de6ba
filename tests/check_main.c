/*
 * check_main.c: runs every suite of pipegrade (see suites.h), several units at a time. The
 * suites are weak symbols so that a partial build (one module and its suite) links and runs
 * too. tests/README.md says how to use it; this is how it works.
 *
 * Units. A suite is one unit, unless some of its tcases are made with tu_tcase()
 * (testutil.h): then each of those is a unit, and the suite's other tcases are one more (Check
 * runs them with the tag TU_UNIT_TAG excluded, so no tcase is left out, or run twice). Most
 * tests wait on wall clocks (limits, sleeping programs, the monitor's stuck detection), not on
 * the CPU: PIPEGRADE_TEST_JOBS units run at once (default: three per CPU).
 *
 * Each unit runs in a child process of this one, which makes its own process group, becomes a
 * child subreaper (whatever its tests leave behind comes to it, not to init) and runs Check's
 * runner on that unit alone, silently; Check forks each test as always, with its timeouts. The
 * child's stdout and stderr go to a file, its skip log (tu_skip) to another, and at the end
 * Check's summary and failures (srunner_print) to a third, in a private temporary folder. It
 * then kills what its tests left running (and says so in its output) and exits.
 *
 * This process only schedules: it starts the slow units first (see `slow`), waits for SIGCHLD
 * (sigtimedwait, no polling), and prints each unit's output in the order of the suites, as
 * soon as every unit before it has finished, so the log reads as a sequential run does: the
 * suites' names, what the tests printed, Check's summary line and its failures, the skipped
 * tests with their reasons, and "N checks: P passed, F failed, S skipped". A unit whose runner
 * dies, or has not finished after PIPEGRADE_TEST_TIMEOUT seconds (default 900, times
 * CK_TIMEOUT_MULTIPLIER), is killed with every process below it and counted as one failed
 * check; so is a unit that ran no test at all (a suite named wrongly in `suites`). This process
 * is a child subreaper too: the processes of a unit killed that way come to it, and it kills
 * them. SIGINT, SIGTERM and SIGHUP kill every unit the same way before it dies of the signal.
 *
 * PIPEGRADE_TEST_JOBS=1 runs everything in this process, one suite after the other, exactly
 * as before (srunner_run_all); so does a Check log file (CK_LOG_FILE_NAME, CK_XML_LOG_FILE_NAME,
 * CK_TAP_LOG_FILE_NAME), which the units would overwrite. CK_RUN_SUITE and CK_RUN_CASE select
 * units; CK_INCLUDE_TAGS and CK_EXCLUDE_TAGS reach Check in every unit.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

#pragma weak util_suite
#pragma weak config_suite
#pragma weak compare_suite
#pragma weak run_suite
#pragma weak procfs_suite
#pragma weak monitor_suite
#pragma weak sched_suite
#pragma weak sandbox_suite
#pragma weak batch_suite
#pragma weak build_suite
#pragma weak grade_suite
#pragma weak report_suite
#pragma weak html_suite
#pragma weak e2e_suite
#pragma weak cli_suite
#pragma weak archive_suite
#pragma weak sandbox_parts_suite
#pragma weak sandbox_user_suite
#pragma weak class_hostile_suite
#pragma weak lang_suite

/* Every suite, in the order of the log; the name is the one the suite gives suite_create(). */
static const struct suite_def {
	const char *name;
	Suite *(*make)(void);
} suites[] = {
	{ "util", util_suite },
	{ "config", config_suite },
	{ "compare", compare_suite },
	{ "procfs", procfs_suite },
	{ "run", run_suite },
	{ "monitor", monitor_suite },
	{ "sched", sched_suite },
	{ "build", build_suite },
	{ "archive", archive_suite },
	{ "grade", grade_suite },
	{ "report", report_suite },
	{ "html", html_suite },
	{ "sandbox_parts", sandbox_parts_suite },
	{ "sandbox", sandbox_suite },
	{ "sandbox_user", sandbox_user_suite },
	{ "batch", batch_suite },
	{ "class_hostile", class_hostile_suite },
	{ "e2e", e2e_suite },
	{ "cli", cli_suite },
	{ "report_ci", report_ci_suite },
	{ "kit", kit_suite },
	{ "shell_env", shell_env_suite },
	{ "student", student_suite },
	{ "lang", lang_suite },
};
#define NSUITES (sizeof suites / sizeof suites[0])

/* The order in which units start: the first pattern that names a unit ("suite",
 * "suite/tcase", or a prefix ending in '*') places it; "*" stands for every unit no other
 * pattern names, which start in the order of the log. Slow units start first and quick ones
 * last, so that few are left running alone at the end; only the total time depends on it
 * (PIPEGRADE_TEST_TIMES=1 lists each unit's time). */
static const char *const start_order[] = {
	"e2e/03-eof-wc/busy-eof", /* 7 s of CPU: 7 cases up to their CPU limit */
	"util/visible_always_safe",
	"batch/reuse_key_covers_options",
	"batch/shards_merged_equal_whole",
	"sandbox/hostile",
	"grade/timeout_only",
	"html/chromium",
	"e2e/08-pipex/*", /* sleep 1 | sleep 1, and more */
	"e2e/solutions/08-pipex*",
	"batch/*",
	"sandbox/*",
	"monitor/stuck",
	"util/remove_deep_tree",
	"sandbox_parts",
	"sandbox_user/*",
	"sandbox_user",
	"grade/*",
	"grade",
	"cli/*",
	"lang/grade *",
	"lang/*",
	"e2e/*",
	"*",
	"build",
	"archive",
	"class_hostile",
	"compare",
	"report",
	"config",
	"procfs",
};

/* ---- the sequential run: as it always was ---- */

static int run_sequential(void)
{
	SRunner *sr = NULL;
	for (size_t i = 0; i < NSUITES; i++) {
		if (!suites[i].make)
			continue;
		if (!sr)
			sr = srunner_create(suites[i].make());
		else
			srunner_add_suite(sr, suites[i].make());
	}
	if (!sr)
		return EXIT_FAILURE;
	/* Tests that cannot run here log themselves (tu_skip): they are reported apart, never
	 * as passed. */
	const char *tmp = getenv("TMPDIR");
	char *log = xasprintf("%s/pipegrade-skips.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(log);
	if (fd >= 0)
		setenv("PIPEGRADE_SKIP_LOG", log, 1);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr), run = srunner_ntests_run(sr), skipped = 0;
	srunner_free(sr);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char line[1024];
	while (f && fgets(line, sizeof line, f))
		fprintf(stderr, "%s  skipped: %s", skipped++ ? "" : "\n", line);
	if (f)
		fclose(f);
	if (fd >= 0)
		unlink(log);
	free(log);
	fprintf(stderr, "%d checks: %d passed, %d failed, %d skipped (not run here, see above)\n",
		run, run - failed - skipped, failed, skipped);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- processes ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A list of pids (its own, not proctree.c's: the runner does not lean on the code it tests). */
struct pids {
	pid_t *v;
	size_t n;
};

static void pids_push(struct pids *p, pid_t pid)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n++] = pid;
}

/* Appends the children of `pid` (of all its threads) to `v`. */
static void children_of(pid_t pid, struct pids *v)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char file[384];
		snprintf(file, sizeof file, "/proc/%d/task/%s/children", (int)pid, e->d_name);
		FILE *f = fopen(file, "re");
		int c;
		while (f && fscanf(f, "%d", &c) == 1)
			pids_push(v, (pid_t)c);
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

/* True when `pid` is a live process (not a zombie, not gone). */
static bool alive(pid_t pid)
{
	char path[64], line[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	if (f)
		fclose(f);
	line[n] = '\0';
	const char *rp = strrchr(line, ')');
	return rp && rp[1] == ' ' && rp[2] && rp[2] != 'Z' && rp[2] != 'X';
}

/* SIGKILLs `root` and every process below it, all at once. A process forked meanwhile is
 * orphaned by its parent's death and comes to the nearest subreaper, which kills it in turn
 * (kill_children()). Writes the live ones to `report`, when not NULL. */
static void kill_tree(pid_t root, FILE *report)
{
	struct pids all = { NULL, 0 };
	pids_push(&all, root);
	for (size_t i = 0; i < all.n && all.n < 100000; i++)
		children_of(all.v[i], &all);
	for (size_t i = 0; i < all.n; i++) {
		if (report && alive(all.v[i])) {
			char path[64], comm[64] = "?";
			snprintf(path, sizeof path, "/proc/%d/comm", (int)all.v[i]);
			FILE *f = fopen(path, "re");
			if (f && fgets(comm, sizeof comm, f))
				comm[strcspn(comm, "\n")] = '\0';
			if (f)
				fclose(f);
			fprintf(report,
				"check_main: left running by this unit's tests, killed: "
				"pid %d (%s)\n",
				(int)all.v[i], comm);
		}
		kill(all.v[i], SIGKILL);
	}
	free(all.v);
}

/* Kills every child of this process for which keep(pid) is false, with everything below it.
 * Never waits: the caller reaps them as they end, with waitpid(-1), never one by one (the
 * init of a dying PID namespace waits until its members are reaped, and a member whose
 * parent was outside the namespace has come here). Returns how many it found. */
static size_t kill_children(bool (*keep)(pid_t), FILE *report)
{
	struct pids kids = { NULL, 0 };
	children_of(getpid(), &kids);
	size_t n = 0;
	for (size_t i = 0; i < kids.n; i++)
		if (!keep || !keep(kids.v[i])) {
			kill_tree(kids.v[i], report);
			n++;
		}
	free(kids.v);
	return n;
}

/* ---- units ---- */

enum unit_state { PENDING, RUNNING, DONE };

struct unit {
	size_t suite;      /* in suites[] */
	const char *tcase; /* a tcase made by tu_tcase(); NULL: the whole suite, or the rest */
	bool rest;         /* the suite's tcases not made by tu_tcase() */
	int priority;      /* lower starts first */
	enum unit_state state;
	pid_t pid;
	double started, ended, deadline;
	double cpu; /* CPU seconds, its processes' and theirs */
	int status; /* its wait status */
	bool timed_out;
	char *out, *result, *skips; /* its files */
	/* from its result file */
	bool reported;
	int checks, failures, errors;
	struct buf failed; /* Check's lines for its failures */
};

static struct unit *units;
static size_t nunits;
static Suite *made[NSUITES];
static const char *run_case; /* CK_RUN_CASE, NULL when unset */
static const char *exclude;  /* CK_EXCLUDE_TAGS, NULL when unset */
static bool filtered;        /* tags or a tcase select tests: a unit may run none */
static sigset_t blocked, old_mask;

static const char *unit_name(const struct unit *u, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", suites[u->suite].name, u->tcase || u->rest ? "/" : "",
		 u->tcase  ? u->tcase
		 : u->rest ? "(the other tcases)"
			   : "");
	return buf;
}

static bool matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);
	return n && pattern[n - 1] == '*' ? !strncmp(pattern, name, n - 1) : !strcmp(pattern, name);
}

static int priority_of(const struct unit *u)
{
	char name[512];
	snprintf(name, sizeof name, "%s%s%s", suites[u->suite].name, u->tcase ? "/" : "",
		 u->tcase ? u->tcase : "");
	int rest = -1;
	for (size_t i = 0; i < sizeof start_order / sizeof start_order[0]; i++) {
		if (!strcmp(start_order[i], "*"))
			rest = (int)i;
		else if (matches(start_order[i], name))
			return (int)i;
	}
	return rest;
}

static void add_unit(size_t suite, const char *tcase, bool rest)
{
	units = xrealloc(units, (nunits + 1) * sizeof *units);
	struct unit *u = &units[nunits++];
	memset(u, 0, sizeof *u);
	u->suite = suite;
	u->tcase = tcase;
	u->rest = rest;
	u->priority = priority_of(u);
	u->failed = (struct buf)BUF_INIT;
}

/* The units of every suite CK_RUN_SUITE and CK_RUN_CASE select. */
static void plan(void)
{
	const char *run_suite = getenv("CK_RUN_SUITE");
	for (size_t i = 0; i < NSUITES; i++) {
		if (!suites[i].make || (run_suite && strcmp(run_suite, suites[i].name)))
			continue;
		made[i] = suites[i].make();
		bool split = tu_tcase_name(made[i], 0) != NULL, own = false;
		const char *name;
		for (size_t k = 0; (name = tu_tcase_name(made[i], k)) != NULL; k++) {
			own = own || (run_case && !strcmp(run_case, name));
			if (!run_case || !strcmp(run_case, name))
				add_unit(i, name, false);
		}
		if (!run_case || (!own && suite_tcase(made[i], run_case)))
			add_unit(i, NULL, split);
	}
}

/* The unit's runner: Check on the unit alone, silent; then its summary and failures to the
 * result file. Exits 0 when it could report. */
static void run_checks(const struct unit *u, int res)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("PIPEGRADE_SKIP_LOG", u->skips, 1);
	unsetenv("CK_RUN_SUITE");
	unsetenv("CK_RUN_CASE");
	char *ex = NULL;
	if (u->rest)
		ex = xasprintf("%s%s%s", TU_UNIT_TAG, exclude ? " " : "", exclude ? exclude : "");
	SRunner *sr = srunner_create(made[u->suite]);
	made[u->suite] = NULL; /* the runner's now */
	srunner_run_tagged(sr, NULL, u->tcase ? u->tcase : run_case, NULL, ex, CK_SILENT);
	fflush(stdout);
	fflush(stderr);
	int out = dup(1);
	if (out < 0 || dup2(res, 1) < 0)
		exit(121);
	srunner_print(sr, CK_NORMAL);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	close(res);
	srunner_free(sr);
	free(ex);
	exit(0);
}

/* In the unit's process: its own process group, a child subreaper, output to its file. It
 * forks the runner (run_checks) and reaps whatever ends below it, as init would, so that the
 * tests see their orphans go as they always have; when the runner has ended, it kills what
 * the tests left running (saying so in the unit's output), reaps it, and exits with the
 * runner's status. SIGTERM, or this process's death (PR_SET_PDEATHSIG), makes it kill
 * everything below it first. */
static void run_unit(const struct unit *u, pid_t parent)
{
	setpgid(0, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigset_t mine;
	sigemptyset(&mine);
	sigaddset(&mine, SIGCHLD);
	sigaddset(&mine, SIGTERM);
	sigprocmask(SIG_SETMASK, &mine, NULL); /* waited for below */
	if (getppid() != parent)
		_exit(124); /* it died before the prctl */
	int out = open(u->out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	int res = open(u->result, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0 || res < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(120);
	close(out);
	pid_t runner = fork();
	if (runner == 0) {
		prctl(PR_SET_PDEATHSIG, 0);
		signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		run_checks(u, res);
	}
	close(res);
	if (runner < 0) {
		perror("check_main: fork");
		_exit(122);
	}
	int status = 0;
	bool ended = false, reported = false, stop = false;
	for (;;) {
		int st;
		pid_t pid;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == runner) {
				status = st;
				ended = true;
			}
		if (pid < 0 && errno == ECHILD)
			break; /* nothing is left below */
		if (ended || stop) {
			kill_children(NULL, reported || stop ? NULL : stderr);
			reported = true;
		}
		siginfo_t info;
		if (sigwaitinfo(&mine, &info) == SIGTERM && !stop) {
			stop = true;
			status = SIGTERM; /* as if killed by it */
			ended = true;
		}
	}
	fflush(stderr);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		raise(WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 123);
}

static void start(struct unit *u, double timeout)
{
	pid_t parent = getpid();
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		perror("check_main: fork");
		u->state = DONE;
		u->status = -1;
		return;
	}
	if (pid == 0)
		run_unit(u, parent);
	setpgid(pid, pid); /* as the child does: no race with a kill of its group */
	u->pid = pid;
	u->state = RUNNING;
	u->started = now();
	u->deadline = u->started + timeout;
}

/* Reads what the unit's runner reported: its summary line, then its failures. */
static void read_result(struct unit *u)
{
	struct buf b = BUF_INIT;
	if (read_file(u->result, &b) == 0 && b.data) {
		int pct;
		char *nl = strchr(b.data, '\n');
		if (nl && sscanf(b.data, "%d%%: Checks: %d, Failures: %d, Errors: %d", &pct,
				 &u->checks, &u->failures, &u->errors) == 4) {
			u->reported = true;
			buf_puts(&u->failed, nl + 1);
		}
	}
	buf_free(&b);
}

/* A unit that did not end as it should: its runner died, hung, or ran no test. */
static bool broken(const struct unit *u)
{
	return !u->reported || u->timed_out || !WIFEXITED(u->status) || WEXITSTATUS(u->status) ||
	       (u->checks == 0 && !u->rest && !filtered);
}

static void why_broken(const struct unit *u, FILE *to)
{
	char name[512];
	unit_name(u, name, sizeof name);
	if (u->timed_out)
		fprintf(to,
			"%s: still running after its time (PIPEGRADE_TEST_TIMEOUT): killed, "
			"with every process below it\n",
			name);
	else if (u->status == -1)
		fprintf(to, "%s: could not be started\n", name);
	else if (WIFSIGNALED(u->status))
		fprintf(to, "%s: its runner was killed by signal %d (%s)\n", name,
			WTERMSIG(u->status), strsignal(WTERMSIG(u->status)));
	else if (!WIFEXITED(u->status) || WEXITSTATUS(u->status))
		fprintf(to, "%s: its runner exited with status %d\n", name, WEXITSTATUS(u->status));
	else if (!u->reported)
		fprintf(to, "%s: its runner reported nothing\n", name);
	else
		fprintf(to, "%s: ran no test: is \"%s\" the name its suite gives suite_create()?\n",
			name, suites[u->suite].name);
}

/* Prints the unit's output: its suite's name first when it is the suite's first unit. */
static void print_unit(size_t i)
{
	const struct unit *u = &units[i];
	if (i == 0)
		printf("Running suite(s):");
	if (i == 0 || units[i - 1].suite != u->suite)
		printf(" %s\n", suites[u->suite].name);
	fflush(stdout);
	FILE *f = fopen(u->out, "re");
	char chunk[8192];
	size_t n;
	while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, stderr);
	if (f)
		fclose(f);
	if (broken(u)) {
		fprintf(stderr, "check_main: ");
		why_broken(u, stderr);
	}
	fflush(stderr);
}

static bool is_running_unit(pid_t pid)
{
	for (size_t i = 0; i < nunits; i++)
		if (units[i].state == RUNNING && units[i].pid == pid)
			return true;
	return false;
}

/* Reaps every child that has ended: the units, and what a unit killed or dead left behind,
 * which came here (this process is a child subreaper) and is killed. */
static void reap(void)
{
	int status;
	pid_t pid;
	struct rusage ru;
	while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0) {
		for (size_t i = 0; i < nunits; i++) {
			struct unit *u = &units[i];
			if (u->state == RUNNING && u->pid == pid) {
				u->state = DONE;
				u->status = status;
				u->ended = now();
				u->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
					 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
				read_result(u);
			}
		}
	}
	kill_children(is_running_unit, NULL);
}

static void kill_unit(struct unit *u)
{
	kill_tree(u->pid, NULL);
	killpg(u->pid, SIGKILL);
}

static int run_parallel(int jobs)
{
	run_case = getenv("CK_RUN_CASE");
	exclude = getenv("CK_EXCLUDE_TAGS");
	filtered = run_case || getenv("CK_INCLUDE_TAGS") || exclude;
	plan();
	if (nunits == 0) {
		fprintf(stderr, "check_main: no suite or tcase selected\n");
		return EXIT_FAILURE;
	}
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/pipegrade-check.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return EXIT_FAILURE;
	}
	for (size_t i = 0; i < nunits; i++) {
		units[i].out = xasprintf("%s/%zu.out", dir, i);
		units[i].result = xasprintf("%s/%zu.result", dir, i);
		units[i].skips = xasprintf("%s/%zu.skips", dir, i);
	}
	double timeout = 900;
	const char *t = getenv("PIPEGRADE_TEST_TIMEOUT"), *m = getenv("CK_TIMEOUT_MULTIPLIER");
	if (t && atof(t) > 0)
		timeout = atof(t);
	else if (m && atof(m) > 0)
		timeout *= atof(m);

	/* the order in which units start: slowest first, then the log's order */
	size_t *order = xcalloc(nunits, sizeof *order);
	for (size_t i = 0; i < nunits; i++)
		order[i] = i;
	for (size_t i = 1; i < nunits; i++)
		for (size_t k = i; k > 0 && units[order[k]].priority < units[order[k - 1]].priority;
		     k--) {
			size_t x = order[k];
			order[k] = order[k - 1];
			order[k - 1] = x;
		}

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGCHLD);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGHUP);
	sigprocmask(SIG_BLOCK, &blocked, &old_mask);

	size_t next = 0, printed = 0, running = 0;
	int interrupted = 0;
	while (printed < nunits) {
		while (!interrupted && running < (size_t)jobs && next < nunits) {
			start(&units[order[next++]], timeout);
			running++;
		}
		reap();
		running = 0;
		for (size_t i = 0; i < nunits; i++)
			running += units[i].state == RUNNING;
		while (printed < nunits && units[printed].state == DONE)
			print_unit(printed++);
		if (printed == nunits || (interrupted && running == 0))
			break;
		/* wait for a child to end, or for the nearest deadline */
		double wake = 3600, at = now();
		for (size_t i = 0; i < nunits; i++)
			if (units[i].state == RUNNING && !units[i].timed_out &&
			    units[i].deadline - at < wake)
				wake = units[i].deadline - at;
		if (wake < 0.001)
			wake = 0.001;
		struct timespec ts = { (time_t)wake, (long)((wake - floor(wake)) * 1e9) };
		siginfo_t info;
		int sig = sigtimedwait(&blocked, &info, &ts);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			interrupted = sig;
			for (size_t i = 0; i < nunits; i++)
				if (units[i].state == RUNNING)
					kill_unit(&units[i]);
		}
		at = now();
		for (size_t i = 0; i < nunits; i++)
			if (units[i].state == RUNNING && !units[i].timed_out &&
			    units[i].deadline <= at) {
				units[i].timed_out = true;
				kill_unit(&units[i]);
			}
	}
	for (;;) { /* nothing is left behind */
		kill_children(NULL, NULL);
		if (waitpid(-1, NULL, 0) < 0 && errno != EINTR)
			break;
	}

	int checks = 0, failures = 0, errors = 0, skipped = 0, bad = 0;
	for (size_t i = 0; i < nunits; i++) {
		checks += units[i].checks;
		failures += units[i].failures;
		errors += units[i].errors;
		bad += units[i].state == DONE && broken(&units[i]);
	}
	if (!interrupted) {
		int total = checks + bad, wrong = failures + errors + bad;
		printf("%d%%: Checks: %d, Failures: %d, Errors: %d\n",
		       wrong == 0   ? 100
		       : total == 0 ? 0
				    : (int)((float)(total - wrong) / (float)total * 100),
		       total, failures, errors + bad);
		for (size_t i = 0; i < nunits; i++)
			if (units[i].failed.len)
				fputs(units[i].failed.data, stdout);
		for (size_t i = 0; i < nunits; i++)
			if (broken(&units[i]))
				why_broken(&units[i], stdout);
		fflush(stdout);
	}
	for (size_t i = 0; i < nunits; i++) {
		FILE *f = fopen(units[i].skips, "re");
		char line[1024];
		while (f && fgets(line, sizeof line, f))
			fprintf(stderr, "%s  skipped: %s", skipped++ ? "" : "\n", line);
		if (f)
			fclose(f);
		unlink(units[i].out);
		unlink(units[i].result);
		unlink(units[i].skips);
		free(units[i].out);
		free(units[i].result);
		free(units[i].skips);
		buf_free(&units[i].failed);
	}
	rmdir(dir);
	free(dir);
	int run = checks + bad, failed = failures + errors + bad;
	if (interrupted) {
		fprintf(stderr, "check_main: interrupted by %s: every unit was stopped\n",
			strsignal(interrupted));
		free(order);
		signal(interrupted, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		raise(interrupted);
		return 128 + interrupted;
	}
	fprintf(stderr, "%d checks: %d passed, %d failed, %d skipped (not run here, see above)\n",
		run, run - failed - skipped, failed, skipped);
	if (getenv("PIPEGRADE_TEST_TIMES")) { /* the slowest units, to tune `slow` */
		for (size_t i = 0; i < nunits; i++)
			order[i] = i;
		for (size_t i = 1; i < nunits; i++)
			for (size_t k = i;
			     k > 0 &&
			     units[order[k]].ended - units[order[k]].started >
				     units[order[k - 1]].ended - units[order[k - 1]].started;
			     k--) {
				size_t x = order[k];
				order[k] = order[k - 1];
				order[k - 1] = x;
			}
		double first = units[0].started, cpu = 0;
		for (size_t i = 0; i < nunits; i++) {
			first = units[i].started < first ? units[i].started : first;
			cpu += units[i].cpu;
		}
		fprintf(stderr, "%zu units, %d at a time, %.1f s of CPU; the slowest first:\n",
			nunits, jobs, cpu);
		for (size_t i = 0; i < nunits; i++) {
			char name[512];
			const struct unit *u = &units[order[i]];
			fprintf(stderr, "%7.2f s, CPU %5.2f s, from %5.2f s: %s\n",
				u->ended - u->started, u->cpu, u->started - first,
				unit_name(u, name, sizeof name));
		}
	}
	free(order);
	for (size_t i = 0; i < NSUITES; i++)
		if (made[i]) {
			SRunner *sr = srunner_create(made[i]); /* frees the suite */
			srunner_free(sr);
		}
	free(units);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int main(void)
{
	i18n_init(); /* the catalogs next to this program: $(BUILD)/locale */
	const char *j = getenv("PIPEGRADE_TEST_JOBS");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = j && *j ? atoi(j) : 3 * (int)(cpus > 0 ? cpus : 1);
	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	if (getenv("CK_LOG_FILE_NAME") || getenv("CK_XML_LOG_FILE_NAME") ||
	    getenv("CK_TAP_LOG_FILE_NAME"))
		jobs = 1; /* one log, written whole */
	return jobs == 1 ? run_sequential() : run_parallel(jobs);
}
