/*
 * test_sandbox.c: the adversarial programs of tests/sandbox graded for real, each under the
 * protections this machine offers, as whoever runs the tests (root, or an ordinary user:
 * test_sandbox_user.c runs them as an ordinary user from root too). Every test asserts the
 * finding, what the program saw, that pipegrade is alive (it is running the test), and that
 * nothing of the case is left. The hostile ones run only where the protection that stops
 * them is in force, and say why they are skipped otherwise.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "grade.h"
#include "i18n.h"
#include "proctree.h"
#include "sandbox.h"
#include "suites.h"
#include "testutil.h"

static char *dir;
static struct course course;

static void setup(void)
{
	i18n_set("en");
	dir = tu_mkdtemp();
	chmod(dir, 0755);
}

static void teardown(void)
{
	course_free(&course);
	tu_rmdir(dir);
}

/* Live processes running as `uid_of`, anywhere on the machine. */
static int uid_processes(uid_t uid_of)
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
			if (uid && (unsigned)atoi(uid + 5) == (unsigned)uid_of &&
			    !(state && strchr("ZX", state[8])))
				n++;
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
	return caps->uid_drop ? uid_processes(caps->uid) : 0;
}

/* Grades tests/sandbox/NAME (a .c file or a folder) with one case whose limits are `limits`
 * (a YAML flow mapping) and whose other keys are `more` (YAML lines of a case, or ""). */
static void grade(const char *name, const char *limits, const char *more,
		  struct submission_result *res)
{
	char *yaml = xasprintf("defaults: {build_timeout: 10}\n"
			       "exercises:\n  - id: sb\n    title: Sandbox\n    binary: prog\n"
			       "    cases:\n      - name: run\n        limits: %s\n%s",
			       limits, more);
	tu_write(dir, "grading.yaml", yaml);
	free(yaml);
	char *path = xasprintf("%s/grading.yaml", dir);
	struct buf err = BUF_INIT;
	course_free(&course); /* a test may grade more than once */
	int rc = config_load(path, &course, &err);
	ck_assert_msg(rc == 0, "%s", err.data);
	char *sub = xasprintf("%s/tests/sandbox/%s", tu_top(), name);
	rc = grade_submission(&course, &course.exercises[0], sub, NULL, res, &err);
	ck_assert_msg(rc == 0, "%s", err.data);
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

#define NEED_CONTAINED(threat, why) TU_NEED(sandbox_contains(sandbox_caps(), threat), why)

START_TEST(fork_bomb)
{
	NEED_CONTAINED(THREAT_FORK_BOMB, "no process limit holds for a case here");
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

/* Using the process limit exactly is not going over it. */
START_TEST(exact_process_limit)
{
	struct submission_result res;
	grade("exact-procs.c", "{wall: 5, processes: 4}", "        stdout: \"4 processes\\n\"\n",
	      &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", first(&res)->message);
	ck_assert_int_eq(res.cases[0].max_alive, 4);
	submission_result_free(&res);
}
END_TEST

START_TEST(kill_everything)
{
	NEED_CONTAINED(THREAT_KILL_ALL, "neither a uid of its own nor a PID namespace holds "
					"kill(-1) here");
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
		ck_assert_int_eq(first(&res)->kind, FINDING_PASS); /* both kills refused */
	}
	submission_result_free(&res);
}
END_TEST

/* The program joins the run's cgroups before exec (by itself: see sandbox_child_enter), and
 * what it forks is born in them. The groups are named after the grader's slot. */
START_TEST(joins_cgroups)
{
	const struct sandbox_caps *caps = sandbox_caps();
	TU_NEED(caps->cg.pids[0] && caps->cg.mem[0] && !caps->cg.pids_v2 && !caps->cg.mem_v2,
		"needs the cgroup v1 pids and memory controllers");
	char *name = xasprintf("pipegrade-slot-%d", caps->slot.n);
	char *expect = xasprintf("        stdout: \"pids %s\\nmemory %s\\nchild pids %s\\n"
				 "child memory %s\\n\"\n",
				 name, name, name, name);
	struct submission_result res;
	grade("cgroups.c", "{wall: 5}", expect, &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", first(&res)->message);
	submission_result_free(&res);
	free(expect);
	free(name);
}
END_TEST

/* In its PID namespace the program is pid 2, its parent (pipegrade) is outside (0), and an
 * orphan is adopted by the namespace's init, pid 1. */
START_TEST(pid_namespace)
{
	TU_NEED(sandbox_caps()->pid_ns, "no PID namespace");
	struct submission_result res;
	grade("pidns.c", "{wall: 5}",
	      "        monitor: false\n"
	      "        stdout: \"pid 2 ppid 0\\nchild pid 3 ppid 2\\norphan ppid 1\\n\"\n",
	      &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", first(&res)->message);
	submission_result_free(&res);
}
END_TEST

/* The processes named `name` below `root`, into pids (at most max). */
static int descendants_named(pid_t root, const char *name, pid_t *pids, int max)
{
	struct pidlist all = PIDLIST_INIT;
	proctree_descendants(root, &all);
	int n = 0;
	for (size_t i = 0; i < all.n && n < max; i++) {
		char *path = xasprintf("/proc/%d/comm", (int)all.v[i]);
		struct buf b = BUF_INIT;
		if (read_file(path, &b) == 0 && !strncmp(b.data, name, strlen(name)) &&
		    b.data[strlen(name)] == '\n')
			pids[n++] = all.v[i];
		buf_free(&b);
		free(path);
	}
	pidlist_free(&all);
	return n;
}

static bool alive(pid_t pid)
{
	char *path = xasprintf("/proc/%d/stat", (int)pid);
	struct buf b = BUF_INIT;
	bool live = read_file(path, &b) == 0 && strrchr(b.data, ')') &&
		    strrchr(b.data, ')')[2] != 'Z';
	buf_free(&b);
	free(path);
	return live;
}

/* pipegrade killed outright in the middle of a case (SIGKILL: no cleanup of its own): the
 * namespace's init dies with it, and with the init the program and its child. Unmonitored:
 * traced processes would die anyway, with their tracer (PTRACE_O_EXITKILL). */
START_TEST(harness_killed)
{
	TU_NEED(sandbox_caps()->pid_ns, "no PID namespace");
	tu_write(dir, "grading.yaml",
		 "exercises:\n  - id: sb\n    title: S\n    binary: prog\n"
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
	pid_t progs[8];
	int running = 0;
	for (int i = 0; i < 1000 && (running = descendants_named(pg, "prog", progs, 8)) < 2; i++)
		usleep(10000); /* the build, then the program and its child */
	kill(pg, SIGKILL);
	ck_assert_int_eq(waitpid(pg, NULL, 0), pg);
	int left = running;
	for (int i = 0; i < 300 && left > 0; i++) {
		usleep(10000);
		left = 0;
		for (int k = 0; k < running; k++)
			left += alive(progs[k]);
	}
	for (int k = 0; k < running; k++)
		if (alive(progs[k]))
			kill(progs[k], SIGKILL); /* this test's own case, should it have survived */
	ck_assert_int_eq(running, 2);
	ck_assert_int_eq(left, 0);
	free(sub);
	free(yaml);
}
END_TEST

START_TEST(memory_hog)
{
	NEED_CONTAINED(THREAT_MEMORY, "no memory limit holds here");
	struct submission_result res;
	grade("memory-hog.c", "{wall: 5, memory: 64MiB}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_MEMORY);
	ck_assert_str_eq(first(&res)->message,
			 "The program used more than the memory limit of 64 MiB: an allocation "
			 "failed or the process was killed.");
	submission_result_free(&res);
}
END_TEST

/* 30 processes forking and exiting without pause keep ptrace events coming: the wall-clock
 * limit holds anyway (it took over ten minutes for a 1 s case when the loop never looked at
 * the clock while events came). */
START_TEST(deadline_under_event_storm)
{
	struct submission_result res;
	grade("fork-storm.c", "{wall: 1}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_TIMEOUT);
	ck_assert_msg(res.cases[0].wall_s >= 1 && res.cases[0].wall_s < 10,
		      "the 1 s limit did not hold: %.2f s", res.cases[0].wall_s);
	ck_assert(res.cases[0].monitored);
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
	grade("daemon.c", "{wall: 5}", "        stdout: \"daemon started\\n\"\n        exit: 0\n",
	      &res);
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

/* Every secret is out of reach: pipegrade's /proc entries are not even there. */
START_TEST(snoop_denied)
{
	TU_NEED(sandbox_caps()->fs_root && sandbox_caps()->proc_private,
		"no allow-list root with a /proc of its own");
	struct submission_result res;
	grade("snoop.c", "{wall: 5}", "", &res);
	/* pipegrade is outside the program's PID namespace: getppid() is 0 */
	int ppid = sandbox_caps()->pid_ns ? 0 : (int)getpid();
	char *want = xasprintf("../grading.yaml: denied (No such file or directory)\n"
			       "../../grading.yaml: denied (No such file or directory)\n"
			       "secret: denied (PIPEGRADE_SECRET not set)\n"
			       "/proc/%d/cmdline: denied (No such file or directory)\n"
			       "/proc/%d/environ: denied (No such file or directory)\n"
			       "/proc/%d/cwd: denied (No such file or directory)\n",
			       ppid, ppid, ppid);
	ck_assert_str_eq(res.cases[0].out.data, want);
	free(want);
	submission_result_free(&res);
}
END_TEST

/* Nothing written outside the case's directory reaches the machine. */
START_TEST(writes_stay_inside)
{
	TU_NEED(sandbox_caps()->fs_root, "no allow-list root");
	struct submission_result res;
	grade("escape-write.c", "{wall: 5}", "", &res);
	const char *out = res.cases[0].out.data;
	ck_assert_ptr_nonnull(strstr(out, "../escaped.txt: denied (Read-only file system)\n"));
	ck_assert_ptr_nonnull(strstr(out, "inside.txt: created\n"));
	ck_assert_int_ne(access("/tmp/pipegrade-escaped.txt", F_OK), 0);
	char *tmp_escaped = xasprintf("%s/escaped.txt",
				      getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_int_ne(access(tmp_escaped, F_OK), 0);
	free(tmp_escaped);
	submission_result_free(&res);
}
END_TEST

START_TEST(no_network)
{
	TU_NEED(sandbox_caps()->net_ns, "no network namespace");
	struct submission_result res;
	grade("connect.c", "{wall: 5}",
	      "        stdout: \"connect failed (Network is unreachable)\\n\"\n", &res);
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
	/* and the fds it never closed, at exit (fd-hog keeps them on purpose) */
	ck_assert_uint_eq(res.cases[0].findings.n, 2);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_FD_LEAK);
	ck_assert_ptr_nonnull(strstr(res.cases[0].findings.v[0].message, "(/dev/null, read-only)"));
	ck_assert_int_eq(res.cases[0].findings.v[1].kind, FINDING_LIMIT_FILES);
	ck_assert_str_eq(res.cases[0].findings.v[1].message,
			 "A process of the program had 32 files open at once: the limit "
			 "on open files. Beyond it open(), pipe() and dup() fail with EMFILE; close what you "
			 "no longer need.");
	submission_result_free(&res);
}
END_TEST

/* A small limit binds the program, not pipegrade's own set-up before exec (which needs more
 * fds than 16: it used to fail every case with "Too many open files"). */
START_TEST(small_open_files_limit)
{
	struct submission_result res;
	grade("fd-hog.c", "{wall: 5, open_files: 16}",
	      "        stdout: \"opened 13 fds, then: Too many open files\\npipe: Too many open files\\n\"\n",
	      &res);
	ck_assert_uint_eq(res.cases[0].findings.n, 2);
	ck_assert_int_eq(res.cases[0].findings.v[0].kind, FINDING_FD_LEAK);
	ck_assert_int_eq(res.cases[0].findings.v[1].kind, FINDING_LIMIT_FILES);
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
	tu_write(dir, "grading.yaml",
		 "exercises:\n  - {id: sb, title: S, binary: prog, "
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
	ck_assert_ptr_nonnull(strstr(res.protections, "new session, rlimits"));
	const struct sandbox_caps *caps = sandbox_caps();
	if (caps->uid_drop) {
		char *uid = xasprintf("unprivileged uid %u, allow-list root, disk quota, PID "
				      "namespace, private /proc, no network",
				      (unsigned)caps->uid);
		ck_assert_ptr_nonnull(strstr(res.protections, uid));
		free(uid);
	} else if (caps->userns) {
		ck_assert_ptr_nonnull(strstr(res.protections, "user namespace, allow-list root"));
	} else {
		ck_assert_ptr_nonnull(res.unprotected);
		ck_assert_ptr_nonnull(strstr(res.unprotected, "no user namespace"));
	}
	submission_result_free(&res);
}
END_TEST

/* ---- the items of the containment review ---- */

/* No keystrokes into a terminal: no controlling terminal (a new session), no /dev/tty, and
 * TIOCSTI and TIOCLINUX refused on every fd. */
START_TEST(no_terminal_injection)
{
	TU_NEED(sandbox_caps()->filter && sandbox_caps()->fs_root,
		"no system call filter or allow-list root on this machine");
	struct submission_result res;
	grade("tiocsti.c", "{wall: 5}", "", &res);
	ck_assert_str_eq(res.cases[0].out.data,
			 "open /dev/tty: denied (No such file or directory)\n"
			 "TIOCSTI fd 0: denied (Operation not permitted)\n"
			 "TIOCSTI fd 1: denied (Operation not permitted)\n"
			 "TIOCSTI fd 2: denied (Operation not permitted)\n"
			 "TIOCSTI high bits: denied (Operation not permitted)\n"
			 "TIOCLINUX fd 0: denied (Operation not permitted)\n");
	submission_result_free(&res);
	/* the same from a submission's Makefile, at build time */
	grade("tiocsti-make", "{wall: 5}", "        stdout: \"built\\n\"\n", &res);
	ck_assert_msg(res.compiled, "%s", res.build_log.data);
	ck_assert_ptr_nonnull(strstr(res.build_log.data,
				     "build open /dev/tty: denied (No such file or directory)\n"
				     "build TIOCSTI: denied (Operation not permitted)\n"));
	ck_assert_int_eq(first(&res)->kind, FINDING_PASS);
	submission_result_free(&res);
}
END_TEST

/* Another student's files, the course, the results and the cache are not in the case's
 * world, wherever they lie: the root is made of an allow-list. */
START_TEST(allow_list_root)
{
	TU_NEED(sandbox_caps()->fs_root, "no allow-list root on this machine");
	char *class = xasprintf("%s/class", dir), *classmate = xasprintf("%s/class/bruno", dir);
	char *out = xasprintf("%s/out", dir), *cache = xasprintf("%s/out/.cache", dir);
	ck_assert_int_eq(mkdir(class, 0755), 0);
	ck_assert_int_eq(mkdir(classmate, 0755), 0);
	ck_assert_int_eq(mkdir(out, 0755), 0);
	ck_assert_int_eq(mkdir(cache, 0755), 0);
	tu_write(classmate, "hello.c", "int main(void) { return 0; }\n");
	tu_write(out, "bruno.json", "{\"hidden\": \"expected output\"}\n");
	tu_write(cache, "0123.bin", "cached");
	char *more =
		xasprintf("        args: [\"%s/hello.c\", \"%s/bruno.json\", \"%s/0123.bin\", "
			  "\"%s/grading.yaml\", \"%s\", \"/home\", \"/root\", \"/var/lib\", "
			  "\"/etc/shadow\", \"/run/lock\", \"/var/lock\", \"/dev/tty\", \"/sys\"]\n",
			  classmate, out, cache, dir, dir);
	struct submission_result res;
	grade("peek.c", "{wall: 5}", more, &res);
	char *root = tu_allow_list_root();
	char *want = xasprintf("%s/hello.c: denied (No such file or directory)\n"
			       "%s/bruno.json: denied (No such file or directory)\n"
			       "%s/0123.bin: denied (No such file or directory)\n"
			       "%s/grading.yaml: denied (No such file or directory)\n"
			       "%s: denied (No such file or directory)\n"
			       "/home: denied (No such file or directory)\n"
			       "/root: denied (No such file or directory)\n"
			       "/var/lib: denied (No such file or directory)\n"
			       "/etc/shadow: denied (No such file or directory)\n"
			       "/run/lock: denied (No such file or directory)\n"
			       "/var/lock: denied (No such file or directory)\n"
			       "/dev/tty: denied (No such file or directory)\n"
			       "/sys: denied (No such file or directory)\n%s",
			       classmate, out, cache, dir, dir, root);
	ck_assert_str_eq(res.cases[0].out.data, want);
	submission_result_free(&res);
	free(root);
	free(want);
	free(more);
	free(cache);
	free(out);
	free(classmate);
	free(class);
}
END_TEST

/* Everything a case can write is one tmpfs of its disk quota, gone with the case: /run/lock
 * and /var/lock are not the machine's. */
START_TEST(disk_quota)
{
	TU_NEED(sandbox_caps()->fs_root, "no allow-list root, so no disk quota, on this machine");
	struct stat before;
	bool host_lock = stat("/run/lock/pipegrade-fill", &before) == 0;
	struct submission_result res;
	grade("fill.c", "{wall: 10, disk: 8MiB, file_size: 64MiB}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_LIMIT_FILES);
	ck_assert_str_eq(first(&res)->message,
			 "The program filled its disk space of 8 MiB (its directory, /tmp, /var/tmp, "
			 "/dev/shm and /run together), so a write failed with ENOSPC.");
	/* the MiB written everywhere add up to the quota at most */
	int total = 0;
	char *copy = xstrdup(res.cases[0].out.data);
	for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n")) {
		const char *mib = strstr(l, ": ");
		ck_assert_ptr_nonnull(mib);
		total += atoi(mib + 2);
	}
	free(copy);
	ck_assert_int_le(total, 8);
	ck_assert_int_ge(total, 6);
	ck_assert_ptr_nonnull(strstr(res.cases[0].out.data,
				     "/run/lock: 0 MiB, then: No such file or directory\n"
				     "/var/lock: 0 MiB, then: No such file or directory\n"));
	ck_assert_int_eq(stat("/run/lock/pipegrade-fill", &before) == 0, host_lock);
	submission_result_free(&res);
}
END_TEST

/* Keys outlive a case in the uid's keyrings: every key call is refused. */
START_TEST(keyrings_refused)
{
	TU_NEED(sandbox_caps()->filter, "no system call filter on this architecture");
	struct submission_result res;
	grade("keyring.c", "{wall: 5}",
	      "        stdout: \"add_key user: denied (Operation not permitted)\\n"
	      "add_key session: denied (Operation not permitted)\\n"
	      "request_key: denied (Operation not permitted)\\n"
	      "keyctl: denied (Operation not permitted)\\n\"\n",
	      &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", res.cases[0].out.data);
	submission_result_free(&res);
}
END_TEST

/* A child hidden from the monitor is refused; ordinary ways of starting processes and threads
 * still work under the monitor. */
START_TEST(untraced_refused)
{
	TU_NEED(sandbox_caps()->filter, "no system call filter on this architecture");
	struct submission_result res;
	grade("untraced.c", "{wall: 5}",
	      "        stdout: \"clone(CLONE_UNTRACED): denied (Operation not permitted)\\n"
	      "clone3: denied (Function not implemented)\\n"
	      "unshare(CLONE_NEWUSER): denied (Operation not permitted)\\n\"\n",
	      &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", res.cases[0].out.data);
	submission_result_free(&res);
	grade("spawners.c", "{wall: 5}",
	      "        stdout: \"fork ok\\nvfork ok\\nspawned\\nposix_spawn ok\\nthread ok\\n\"\n",
	      &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s: %s", first(&res)->message,
		      res.cases[0].out.data);
	ck_assert(res.cases[0].monitored);
	ck_assert_int_eq(res.cases[0].processes, 4); /* the main one, fork, vfork, posix_spawn */
	submission_result_free(&res);
}
END_TEST

/* NO_NEW_PRIVS and the filter everywhere: monitored, unmonitored, and in the build. */
START_TEST(no_new_privs_everywhere)
{
	TU_NEED(sandbox_caps()->filter, "no system call filter on this architecture");
	const char *want = "        stdout: \"NoNewPrivs:\\t1\\nSeccomp:\\t2\\n\"\n";
	struct submission_result res;
	grade("nnp.c", "{wall: 5}", want, &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", res.cases[0].out.data);
	submission_result_free(&res);
	char *unmonitored = xasprintf("        monitor: false\n%s", want);
	grade("nnp.c", "{wall: 5}", unmonitored, &res);
	ck_assert_msg(first(&res)->kind == FINDING_PASS, "%s", res.cases[0].out.data);
	ck_assert(!res.cases[0].monitored);
	submission_result_free(&res);
	free(unmonitored);
	grade("nnp-make", "{wall: 5}", "        exit: 0\n", &res);
	ck_assert_msg(strstr(res.build_log.data, "NoNewPrivs:\t1\nSeccomp:\t2\n"), "%s",
		      res.build_log.data);
	submission_result_free(&res);
}
END_TEST

/* A machine without the compiler is pipegrade's failure, not the student's compile_error. */
START_TEST(missing_compiler_is_ours)
{
	tu_write(dir, "grading.yaml",
		 "defaults: {compiler: /nonexistent/cc}\nexercises:\n  - {id: sb, title: S, "
		 "binary: prog, cases: [{name: run, exit: 0}]}\n");
	char *path = xasprintf("%s/grading.yaml", dir);
	char *sub = xasprintf("%s/tests/sandbox/nnp.c", tu_top());
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(path, &course, &err), 0);
	struct submission_result res;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, &res, &err),
			 -1);
	ck_assert_str_eq(err.data,
			 "cannot run /nonexistent/cc to build the submission: No such file "
			 "or directory");
	submission_result_free(&res);
	buf_free(&err);
	free(sub);
	free(path);
}
END_TEST

/* What the build produced is not a program: the submission's fault, judged as such. */
START_TEST(not_a_program_is_theirs)
{
	struct submission_result res;
	grade("not-a-program", "{wall: 5}", "", &res);
	ck_assert_int_eq(first(&res)->kind, FINDING_CRASH);
	ck_assert_str_eq(first(&res)->message,
			 "The program could not be started: Exec format error.");
	submission_result_free(&res);
}
END_TEST

Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tu_tcase(s, "hostile", NULL); /* a unit of check_main.c's */
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fork_bomb);
	tcase_add_test(tc, exact_process_limit);
	tcase_add_test(tc, kill_everything);
	tcase_add_test(tc, joins_cgroups);
	tcase_add_test(tc, pid_namespace);
	tcase_add_test(tc, harness_killed);
	tcase_add_test(tc, memory_hog);
	tcase_add_test(tc, no_terminal_injection);
	tcase_add_test(tc, keyrings_refused);
	tcase_add_test(tc, untraced_refused);
	tcase_add_test(tc, no_new_privs_everywhere);
	tu_test_unit(s, deadline_under_event_storm, setup, teardown, 60);
	tu_test_unit(s, compile_bomb, setup, teardown, 60);
	tc = tu_tcase(s, "containment", NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, output_flood);
	tcase_add_test(tc, daemon_killed);
	tcase_add_test(tc, signal_ignorer_killed);
	tcase_add_test(tc, stopped_orphan_killed);
	tcase_add_test(tc, stops_itself);
	tcase_add_test(tc, open_files_limit);
	tcase_add_test(tc, small_open_files_limit);
	tcase_add_test(tc, file_too_big);
	tcase_add_test(tc, disk_quota);
	tcase_add_test(tc, missing_compiler_is_ours);
	tcase_add_test(tc, not_a_program_is_theirs);
	tc = tu_tcase(s, "isolation", NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, snoop_denied);
	tcase_add_test(tc, writes_stay_inside);
	tcase_add_test(tc, allow_list_root);
	tcase_add_test(tc, no_network);
	tcase_add_test(tc, odd_file_names);
	tcase_add_test(tc, protections_reported);
	return s;
}
