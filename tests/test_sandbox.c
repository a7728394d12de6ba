/*
 * test_sandbox.c: the adversarial programs of tests/sandbox graded for real, each under the
 * protections this machine offers: a fork bomb, a memory hog, an output flood, daemons and
 * signal ignorers, kill(-1), snooping on pipegrade and the grading data, writing outside the
 * case's directory, the network, fd exhaustion, a stopped process, a huge file, a compile
 * bomb, odd file names. Every test asserts the finding, that pipegrade is alive (it is running
 * the test), and that nothing of the case is left: no descendant, no process of the sandbox's
 * uid. The hostile ones run only when the protections that contain them are in force.
 */
#include <check.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade.h"
#include "i18n.h"
#include "sandbox.h"
#include "suites.h"
#include "testutil.h"

static char *dir;
static struct course course;

static void setup(void)
{
	i18n_set(LANG_EN);
	dir = tu_mkdtemp();
}

static void teardown(void)
{
	course_free(&course);
	tu_rmdir(dir);
}

/* Live processes running as `uid_of`, anywhere on the machine, named `name` if it is not NULL
 * (as in /proc/PID/status); their pids go to `pids` (at most `max`) when it is not NULL. */
static int uid_processes(uid_t uid_of, const char *name, pid_t *pids, int max)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char *path = xasprintf("/proc/%s/status", e->d_name);
		struct buf b = BUF_INIT;
		if (read_file(path, &b) == 0) {
			const char *uid = strstr(b.data, "\nUid:");
			const char *state = strstr(b.data, "\nState:");
			bool named = !name || (!strncmp(b.data, "Name:\t", 6) &&
					       !strncmp(b.data + 6, name, strlen(name)) &&
					       b.data[6 + strlen(name)] == '\n');
			if (uid && (unsigned)atoi(uid + 5) == (unsigned)uid_of && named &&
			    !(state && strchr("ZX", state[8]))) {
				if (pids && n < max)
					pids[n] = (pid_t)atoi(e->d_name);
				n++;
			}
		}
		buf_free(&b);
		free(path);
	}
	if (d)
		closedir(d);
	return n;
}

static int count_sandbox_processes(void)
{
	const struct sandbox_caps *caps = sandbox_caps();
	return caps->uid_drop ? uid_processes(caps->uid, NULL, NULL, 0) : 0;
}

/* Grades tests/sandbox/NAME (a .c file or a folder) with one case whose limits are `limits`
 * (a YAML flow mapping) and whose expectations are `expect` (YAML lines of a case, or ""). */
static void grade(const char *name, const char *limits, const char *expect,
		  struct submission_result *res)
{
	char *yaml = xasprintf("defaults: {build_timeout: 5}\n"
			       "exercises:\n  - id: sb\n    title: Sandbox\n    binary: prog\n"
			       "    cases:\n      - name: run\n        limits: %s\n%s",
			       limits, expect);
	tu_write(dir, "grading.yaml", yaml);
	free(yaml);
	char *path = xasprintf("%s/grading.yaml", dir);
	struct buf err = BUF_INIT;
	int rc = config_load(path, &course, &err);
	ck_assert_msg(rc == 0, "%s", err.data);
	char *sub = xasprintf("%s/tests/sandbox/%s", tu_top(), name);
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, res, &err), 0);
	ck_assert_int_eq(tu_count_descendants(), 0);
	ck_assert_int_eq(count_sandbox_processes(), 0);
	buf_free(&err);
	free(sub);
	free(path);
}

static const struct finding *first(const struct submission_result *res)
{
	ck_assert_uint_ge(res->cases[0].findings.n, 1);
	return &res->cases[0].findings.v[0];
}

static bool has(const struct submission_result *res, enum finding_kind k)
{
	return findings_has(&res->cases[0].findings, k);
}

#define NEED_ROOT()                                                              \
	do {                                                                     \
		if (!sandbox_caps()->uid_drop) {                                 \
			fprintf(stderr, "%s: skipped: needs root (an unprivileged " \
				"uid for the program)\n", __func__);              \
			return;                                                  \
		}                                                                \
	} while (0)

#define NEED_HOSTILE_CONTAINED()                                                     \
	do {                                                                         \
		if (!sandbox_contains_hostile(sandbox_caps())) {                     \
			fprintf(stderr, "%s: skipped: the protections that contain it " \
				"(an unprivileged uid with a process limit) are not in " \
				"force\n", __func__);                                   \
			return;                                                      \
		}                                                                    \
	} while (0)

START_TEST(fork_bomb)
{
	NEED_HOSTILE_CONTAINED();
	struct submission_result res;
	grade("fork-bomb.c", "{wall: 5, processes: 16}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_PROCESSES);
	ck_assert_str_eq(first(&res)->message,
			 "The program tried to have more than 16 processes at once (the process "
			 "limit), so fork() failed. Is fork() called in a loop that never ends, or "
			 "by the children as well as the parent?");
	submission_result_free(&res);
}
END_TEST

START_TEST(kill_everything)
{
	NEED_HOSTILE_CONTAINED();
	struct submission_result res;
	grade("kill-all.c", "{wall: 5}", "        stdout: \"killing\\nstill alive\\n\"\n", &res);
	/* pipegrade (this test) is alive and grades it normally. */
	if (sandbox_caps()->pid_ns) {
		/* Its parent is outside its PID namespace: getppid() is 0, and kill(0, SIGKILL)
		 * kills its own process group, itself included. */
		ck_assert_int_eq(first(&res)->kind, FINDING_CRASH);
		ck_assert_int_eq(res.cases[0].term_signal, SIGKILL);
		ck_assert_str_eq(res.cases[0].out.data, "killing\n");
	} else {
		/* Both kills were refused. */
		ck_assert_int_eq(first(&res)->kind, FINDING_PASS);
	}
	submission_result_free(&res);
}
END_TEST

/* The program joins the run's cgroups before exec (by itself: see sandbox_child_enter), and
 * what it forks is born in them. */
START_TEST(joins_cgroups)
{
	const struct sandbox_caps *caps = sandbox_caps();
	if (!caps->pids_cg[0] || !caps->mem_cg[0]) {
		fprintf(stderr, "%s: skipped: needs the cgroup v1 pids and memory controllers\n",
			__func__);
		return;
	}
	int me = (int)getpid();
	char *expect = xasprintf("        stdout: \"pids pipegrade-%d\\nmemory pipegrade-%d\\n"
				 "child pids pipegrade-%d\\nchild memory pipegrade-%d\\n\"\n",
				 me, me, me, me);
	struct submission_result res;
	grade("cgroups.c", "{wall: 5}", expect, &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", first(&res)->message);
	submission_result_free(&res);
	free(expect);
}
END_TEST

/* In its PID namespace the program is pid 2, its parent (pipegrade) is outside (0), and an
 * orphan is adopted by the namespace's init, pid 1. */
START_TEST(pid_namespace)
{
	if (!sandbox_caps()->pid_ns) {
		fprintf(stderr, "%s: skipped: no PID namespace\n", __func__);
		return;
	}
	struct submission_result res;
	grade("pidns.c", "{wall: 5}",
	      "        monitor: false\n"
	      "        stdout: \"pid 2 ppid 0\\nchild pid 3 ppid 2\\norphan ppid 1\\n\"\n", &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", first(&res)->message);
	submission_result_free(&res);
}
END_TEST

/* pipegrade killed outright in the middle of a case (SIGKILL: no cleanup of its own): the
 * namespace's init dies with it, and with the init the program and its child. Unmonitored:
 * traced processes would die anyway, with their tracer (PTRACE_O_EXITKILL). */
START_TEST(harness_killed)
{
	if (!sandbox_caps()->pid_ns) {
		fprintf(stderr, "%s: skipped: no PID namespace\n", __func__);
		return;
	}
	tu_write(dir, "grading.yaml", "exercises:\n  - id: sb\n    title: S\n    binary: prog\n"
		 "    cases: [{name: run, monitor: false, limits: {wall: 30}}]\n");
	char *yaml = xasprintf("%s/grading.yaml", dir);
	char *sub = xasprintf("%s/tests/sandbox/forever.c", tu_top());
	pid_t pg = fork();
	if (pg == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		execl(tu_pipegrade(), "pipegrade", "grade", "-c", yaml, sub, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_gt(pg, 0);
	uid_t uid = sandbox_uid_of(pg);
	for (int i = 0; i < 1000 && uid_processes(uid, "prog", NULL, 0) < 2; i++)
		usleep(10000); /* the build, then the program and its child */
	int running = uid_processes(uid, "prog", NULL, 0);
	kill(pg, SIGKILL);
	ck_assert_int_eq(waitpid(pg, NULL, 0), pg);
	for (int i = 0; i < 300 && uid_processes(uid, NULL, NULL, 0) > 0; i++)
		usleep(10000);
	pid_t left[16];
	int n = uid_processes(uid, NULL, left, 16);
	for (int i = 0; i < n && i < 16; i++)
		kill(left[i], SIGKILL); /* the case this test started, should it have survived */
	/* Killed outright, it could not remove its cgroups: the test does (empty by now). */
	const struct sandbox_caps *caps = sandbox_caps();
	const char *roots[] = { caps->pids_cg, caps->mem_cg };
	for (int i = 0; i < 2; i++) {
		if (!roots[i][0])
			continue;
		char *cg = xasprintf("%s/pipegrade-%d", roots[i], (int)pg);
		for (int k = 0; k < 100 && rmdir(cg) < 0 && errno == EBUSY; k++)
			usleep(10000);
		free(cg);
	}
	ck_assert_int_eq(running, 2);
	ck_assert_int_eq(n, 0);
	free(sub);
	free(yaml);
}
END_TEST

START_TEST(memory_hog)
{
	NEED_HOSTILE_CONTAINED();
	if (!sandbox_caps()->mem_cg[0]) {
		fprintf(stderr, "memory_hog: skipped: no memory cgroup\n");
		return;
	}
	struct submission_result res;
	grade("memory-hog.c", "{wall: 5, memory: 64MiB}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_MEMORY);
	ck_assert_str_eq(first(&res)->message,
			 "The program used more than the memory limit of 64 MiB: an allocation "
			 "failed or the process was killed.");
	submission_result_free(&res);
}
END_TEST

START_TEST(output_flood)
{
	struct submission_result res;
	grade("flood.c", "{output: 64KiB}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_OUTPUT);
	ck_assert_uint_eq(res.cases[0].out.len, 65536);
	submission_result_free(&res);
}
END_TEST

/* A double-forked daemon ignoring signals: killed, and its parent reported. */
START_TEST(daemon_killed)
{
	struct submission_result res;
	grade("daemon.c", "{wall: 5}", "        stdout: \"daemon started\\n\"\n        exit: 0\n", &res);
	ck_assert(has(&res, FINDING_ORPHAN));
	ck_assert(!has(&res, FINDING_WRONG_OUTPUT));
	submission_result_free(&res);
}
END_TEST

START_TEST(signal_ignorer_killed)
{
	struct submission_result res;
	grade("ignore-signals.c", "{wall: 5}", "        stdout: \"child in its own group\\n\"\n",
	      &res);
	ck_assert(has(&res, FINDING_ORPHAN));
	submission_result_free(&res);
}
END_TEST

START_TEST(stopped_orphan_killed)
{
	struct submission_result res;
	grade("sleeper-stopped.c", "{wall: 5}", "", &res);
	ck_assert(has(&res, FINDING_ORPHAN));
	submission_result_free(&res);
}
END_TEST

/* Every secret is out of reach; without a private /proc, the parent's command line is public. */
START_TEST(snoop_denied)
{
	NEED_ROOT();
	if (!sandbox_caps()->mount_ns) {
		fprintf(stderr, "snoop_denied: skipped: no mount namespace\n");
		return;
	}
	struct submission_result res;
	grade("snoop.c", "{wall: 5}", "", &res);
	char *out = xstrdup(res.cases[0].out.data);
	int lines = 0;
	/* With a private /proc, pipegrade is not even there: its cmdline is hidden too. */
	bool proc_private = sandbox_caps()->proc_private;
	for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"), lines++)
		if (proc_private || !strstr(l, "/cmdline: "))
			ck_assert_msg(strstr(l, ": denied ("), "not denied: %s", l);
	ck_assert_int_eq(lines, 6);
	const char *why = proc_private ? "No such file or directory" : "Permission denied";
	const char *what[] = { proc_private ? "cmdline" : NULL, "environ", "cwd" };
	for (int i = 0; i < 3; i++) {
		if (!what[i])
			continue;
		/* In a PID namespace of its own, the program's parent (pipegrade) is outside it:
		 * getppid() is 0. */
		int ppid = sandbox_caps()->pid_ns ? 0 : (int)getpid();
		char *line = xasprintf("/proc/%d/%s: denied (%s)\n", ppid, what[i], why);
		ck_assert_msg(strstr(res.cases[0].out.data, line), "no line %s in:\n%s", line,
			      res.cases[0].out.data);
		free(line);
	}
	free(out);
	submission_result_free(&res);
}
END_TEST

/* Nothing written outside the case's directory reaches the machine. */
START_TEST(writes_stay_inside)
{
	NEED_ROOT();
	struct submission_result res;
	grade("escape-write.c", "{wall: 5}", "", &res);
	const char *out = res.cases[0].out.data;
	ck_assert_ptr_nonnull(strstr(out, "../escaped.txt: denied ("));
	ck_assert_ptr_nonnull(strstr(out, "inside.txt: created\n"));
	ck_assert_int_ne(access("/tmp/pipegrade-escaped.txt", F_OK), 0);
	char *tmp_escaped = xasprintf("%s/escaped.txt", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_int_ne(access(tmp_escaped, F_OK), 0);
	free(tmp_escaped);
	submission_result_free(&res);
}
END_TEST

START_TEST(no_network)
{
	NEED_ROOT();
	if (!sandbox_caps()->net_ns) {
		fprintf(stderr, "no_network: skipped: no network namespace\n");
		return;
	}
	struct submission_result res;
	grade("connect.c", "{wall: 5}", "        stdout: \"connect failed (Network is unreachable)\\n\"\n",
	      &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_PASS);
	submission_result_free(&res);
}
END_TEST

START_TEST(open_files_limit)
{
	struct submission_result res;
	grade("fd-hog.c", "{wall: 5, open_files: 32}",
	      "        stdout: \"opened 29 fds, then: Too many open files\\npipe: Too many open files\\n\"\n",
	      &res);
	ck_assert_uint_eq(res.cases[0].findings.n, 1);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_FILES);
	ck_assert_str_eq(first(&res)->message,
			 "A process of the program had 32 files open at once: the limit on open "
			 "files. Beyond it open(), pipe() and dup() fail with EMFILE; close what you "
			 "no longer need.");
	submission_result_free(&res);
}
END_TEST

START_TEST(stops_itself)
{
	struct submission_result res;
	grade("self-stop.c", "{wall: 5}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_HANG);
	ck_assert_ptr_nonnull(strstr(first(&res)->message, "is stopped by SIGSTOP"));
	ck_assert_str_eq(res.cases[0].out.data, "stopping\n");
	submission_result_free(&res);
}
END_TEST

START_TEST(file_too_big)
{
	struct submission_result res;
	grade("big-file.c", "{wall: 5, file_size: 1MiB}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_FILES);
	ck_assert_str_eq(first(&res)->message,
			 "The program wrote a file bigger than the file size limit of 1048576 bytes "
			 "and was stopped (SIGXFSZ).");
	submission_result_free(&res);
}
END_TEST

START_TEST(compile_bomb)
{
	struct submission_result res;
	grade("compile-bomb", "{wall: 5}", "", &res);
	ck_assert(!res.compiled);
	ck_assert_int_eq(first(&res)->kind, FINDING_COMPILE_ERROR);
	submission_result_free(&res);
}
END_TEST

/* Odd file names: spaces, a leading dash, bytes that are not UTF-8. */
START_TEST(odd_file_names)
{
	char *sub = xasprintf("%s/odd sub", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	tu_write(sub, "-main \xff.c", "int helper(void);\nint main(void) { return helper(); }\n");
	tu_write(sub, "with space.c", "int helper(void);\nint helper(void) { return 0; }\n");
	tu_write(dir, "grading.yaml", "exercises:\n  - {id: sb, title: S, binary: prog, "
				      "cases: [{name: run, exit: 0}]}\n");
	char *path = xasprintf("%s/grading.yaml", dir);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(path, &course, &err), 0);
	struct submission_result res;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, &res, &err), 0);
	ck_assert_msg(res.compiled, "%s", res.build_log.data);
	ck_assert_int_eq(first(&res)->kind, FINDING_PASS);
	submission_result_free(&res);
	buf_free(&err);
	free(path);
	free(sub);
}
END_TEST

/* The report says which protections were in force. */
START_TEST(protections_reported)
{
	struct submission_result res;
	grade("flood.c", "{output: 1KiB}", "", &res);
	ck_assert_ptr_nonnull(res.protections);
	ck_assert_ptr_nonnull(strstr(res.protections, "rlimits"));
	if (sandbox_caps()->uid_drop) {
		char *uid = xasprintf("unprivileged uid %u", (unsigned)sandbox_caps()->uid);
		ck_assert_ptr_nonnull(strstr(res.protections, uid));
		free(uid);
	} else {
		ck_assert_ptr_nonnull(res.unprotected);
	}
	submission_result_free(&res);
}
END_TEST

Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fork_bomb);
	tcase_add_test(tc, kill_everything);
	tcase_add_test(tc, joins_cgroups);
	tcase_add_test(tc, pid_namespace);
	tcase_add_test(tc, harness_killed);
	tcase_add_test(tc, memory_hog);
	tcase_add_test(tc, compile_bomb);
	suite_add_tcase(s, tc);
	tc = tcase_create("containment");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, output_flood);
	tcase_add_test(tc, daemon_killed);
	tcase_add_test(tc, signal_ignorer_killed);
	tcase_add_test(tc, stopped_orphan_killed);
	tcase_add_test(tc, stops_itself);
	tcase_add_test(tc, open_files_limit);
	tcase_add_test(tc, file_too_big);
	suite_add_tcase(s, tc);
	tc = tcase_create("isolation");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, snoop_denied);
	tcase_add_test(tc, writes_stay_inside);
	tcase_add_test(tc, no_network);
	tcase_add_test(tc, odd_file_names);
	tcase_add_test(tc, protections_reported);
	suite_add_tcase(s, tc);
	return s;
}
