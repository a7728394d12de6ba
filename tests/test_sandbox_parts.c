/*
 * test_sandbox_parts.c: the sandbox's parts on their own: slots (sandbox_slot.c), cgroups
 * (sandbox_cgroup.c), the seccomp filter (sandbox_filter.c) and the allow-list root
 * (sandbox_root.c). Real processes, real cgroups, real filters; each test forks what it
 * checks, and kills and reaps it.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade.h"
#include "i18n.h"
#include "sandbox.h"
#include "sandbox_root.h"
#include "suites.h"
#include "testutil.h"

#define SKIP(why) TU_NEED(false, why)

/* ---- slots ---- */

/* What a grader in another process got: its slot, uid and pids group. */
struct other {
	pid_t pid;
	int slot;
	unsigned uid;
	char pids[PATH_MAX];
	char unified[PATH_MAX];
	int go[2];
};

/* Starts a grader in a child whose pid is `want` modulo 1000 (-1: any), which sets up its
 * sandbox, reports and waits until told to go. */
static void start_other(struct other *o, int want)
{
	int rep[2];
	ck_assert_int_eq(pipe(rep), 0);
	ck_assert_int_eq(pipe(o->go), 0);
	for (int tries = 0; tries < 40000; tries++) {
		pid_t k = fork();
		ck_assert_int_ge(k, 0);
		if (k == 0) {
			if (want >= 0 && getpid() % 1000 != want)
				_exit(0);
			close(rep[0]);
			close(o->go[1]);
			const struct sandbox_caps *c = sandbox_caps();
			struct other mine = { getpid(), c->slot.n, (unsigned)c->uid,
					      "",       "",        { -1, -1 } };
			snprintf(mine.pids, sizeof mine.pids, "%s", c->cg.pids);
			snprintf(mine.unified, sizeof mine.unified, "%s", c->cg.unified);
			(void)!write(rep[1], &mine, sizeof mine);
			char x;
			(void)!read(o->go[0], &x, 1); /* alive, holding the slot, until told */
			exit(0);
		}
		int status;
		if (want < 0 || k % 1000 == want) {
			close(rep[1]);
			close(o->go[0]);
			struct other got;
			ck_assert_int_eq(read(rep[0], &got, sizeof got), (ssize_t)sizeof got);
			close(rep[0]);
			o->pid = got.pid;
			o->slot = got.slot;
			o->uid = got.uid;
			memcpy(o->pids, got.pids, sizeof o->pids);
			memcpy(o->unified, got.unified, sizeof o->unified);
			return;
		}
		waitpid(k, &status, 0);
	}
	ck_abort_msg("no pid with the same remainder modulo 1000");
}

static void stop_other(struct other *o)
{
	close(o->go[1]);
	int status;
	ck_assert_int_eq(waitpid(o->pid, &status, 0), o->pid);
}

/* Two graders whose pids are equal modulo 1000 (they shared a uid, a process count and
 * cgroups, when the uid came from the pid) get different slots, uids and groups. */
START_TEST(graders_never_share)
{
	if (geteuid() != 0)
		SKIP("slots are for graders running as root");
	struct other o;
	start_other(&o, (int)(getpid() % 1000));
	const struct sandbox_caps *c = sandbox_caps();
	ck_assert_int_eq(o.pid % 1000, getpid() % 1000);
	ck_assert_int_ge(o.slot, 0);
	ck_assert_int_ne(o.slot, c->slot.n);
	ck_assert_uint_ne(o.uid, (unsigned)c->uid);
	if (c->cg.pids[0])
		ck_assert_str_ne(o.pids, c->cg.pids);
	stop_other(&o);
}
END_TEST

/* A grader's start-up removes the groups of slots nobody holds, and never a live grader's
 * (the old cleanup asked kill(pid, 0) in its own PID namespace, and removed a live one's). */
START_TEST(stale_groups_only)
{
	if (geteuid() != 0)
		SKIP("slots are for graders running as root");
	struct other o;
	start_other(&o, -1);
	if (!o.pids[0] || strstr(o.pids, "/pipegrade/")) {
		stop_other(&o);
		SKIP("needs a cgroup v1 pids hierarchy we may write");
	}
	/* a group left by a grader that died: its slot's lock is free */
	int stale = -1;
	for (int n = SANDBOX_SLOTS - 1; n >= 0 && stale < 0; n--)
		if (n != o.slot && sandbox_slot_if_free(n, NULL, NULL))
			stale = n;
	ck_assert_int_ge(stale, 0);
	char *parent = path_dirname(o.pids);
	char *dead = xasprintf("%s/pipegrade-slot-%d", parent, stale);
	ck_assert_int_eq(mkdir(dead, 0755), 0);
	/* and on v2, with a run's leaf left in it */
	char *v2_parent = o.unified[0] ? path_dirname(o.unified) : NULL;
	char *v2_dead = v2_parent ? xasprintf("%s/slot-%d", v2_parent, stale) : NULL;
	char *v2_leaf = v2_dead ? xasprintf("%s/run", v2_dead) : NULL;
	if (v2_dead) {
		ck_assert_int_eq(mkdir(v2_dead, 0755), 0);
		ck_assert_int_eq(mkdir(v2_leaf, 0755), 0);
	}
	const struct sandbox_caps *c = sandbox_caps(); /* this process's start-up */
	ck_assert_int_ne(c->slot.n, o.slot);
	ck_assert_int_ne(access(dead, F_OK), 0);   /* removed */
	ck_assert_int_eq(access(o.pids, F_OK), 0); /* kept: its grader lives */
	if (v2_dead) {
		ck_assert_int_ne(access(v2_dead, F_OK), 0);
		ck_assert_int_eq(access(o.unified, F_OK), 0);
	}
	stop_other(&o);
	rmdir(dead);
	free(dead);
	free(parent);
	free(v2_leaf);
	free(v2_dead);
	free(v2_parent);
}
END_TEST

/* The locks are opened as root: their folder must be root's alone. */
START_TEST(slot_dir_must_be_ours)
{
	if (geteuid() != 0)
		SKIP("slots are for graders running as root");
	char *dir = tu_mkdtemp();
	ck_assert_int_eq(chmod(dir, 01777), 0);
	setenv("PIPEGRADE_SLOT_DIR", dir, 1);
	struct sandbox_slot s;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(sandbox_slot_acquire(&s, &err), -1);
	char *want = xasprintf("cannot use %s for the sandbox's slots: it must be a folder of "
			       "pipegrade's user that nobody else can write into",
			       dir);
	ck_assert_str_eq(err.data, want);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	buf_reset(&err);
	ck_assert_msg(sandbox_slot_acquire(&s, &err) == 0, "%s", err.data);
	char *lock = xasprintf("%s/%d", dir, s.n);
	ck_assert_int_eq(access(lock, F_OK), 0);
	ck_assert_uint_eq(s.uid, sandbox_slot_uid_base() + (uid_t)s.n);
	sandbox_slot_release(&s);
	unsetenv("PIPEGRADE_SLOT_DIR");
	free(lock);
	free(want);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

/* ---- cgroups ---- */

static const struct limits small = {
	.wall_s = 5,
	.cpu_s = 5,
	.output_bytes = 4096,
	.memory_bytes = 64 << 20,
	.processes = 8,
	.file_bytes = 1 << 20,
	.open_files = 64,
	.disk_bytes = 8 << 20,
};

/* One run's v2 group: a process joins it and leaves our session, cgroup.kill ends it. */
static void kill_round(struct sandbox_cgroups *cg)
{
	struct sandbox_cgroup_run run;
	struct buf err = BUF_INIT;
	ck_assert_msg(sandbox_cgroup_prepare(cg, &small, 0, true, &run, &err) == 0, "%s", err.data);
	ck_assert_int_ge(run.dir_fd, 0);
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t k = fork();
	if (k == 0) {
		if (sandbox_cgroup_join(&run, false) < 0)
			_exit(1);
		setsid(); /* out of our group: only the cgroup finds it */
		(void)!write(ready[1], "j", 1);
		for (;;)
			pause();
	}
	char x;
	ck_assert_int_eq(read(ready[0], &x, 1), 1);
	char *events = xasprintf("%s/cgroup.events", run.leaf);
	struct buf ev = BUF_INIT;
	ck_assert_int_eq(read_file(events, &ev), 0);
	ck_assert_ptr_nonnull(strstr(ev.data, "populated 1\n"));
	ck_assert_int_eq(sandbox_cgroup_kill(&run), 0);
	int status;
	ck_assert_int_eq(waitpid(k, &status, 0), k);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	buf_reset(&ev);
	ck_assert_int_eq(read_file(events, &ev), 0);
	ck_assert_ptr_nonnull(strstr(ev.data, "populated 0\n"));
	char *leaf = xstrdup(run.leaf);
	sandbox_cgroup_run_free(&run);
	ck_assert_int_ne(access(leaf, F_OK), 0); /* removed with the run */
	free(leaf);
	free(events);
	buf_free(&ev);
	buf_free(&err);
	close(ready[0]);
	close(ready[1]);
}

/* cgroup.kill ends every process of the run at once, wherever it is; each run's group is
 * new (the kernel kills at birth a process cloned into a group killed before). */
START_TEST(cgroup_kill_ends_the_run)
{
	struct sandbox_caps *c = (struct sandbox_caps *)sandbox_caps();
	if (!c->cg.unified[0])
		SKIP("no cgroup v2 group of our own here");
	kill_round(&c->cg);
	kill_round(&c->cg);
}
END_TEST

/* cgroup v2's own limits, where the machine gives v2 the pids and memory controllers. */
START_TEST(cgroup_v2_limits)
{
	const struct sandbox_caps *c = sandbox_caps();
	if (!c->cg.pids_v2 || !c->cg.mem_v2)
		SKIP("cgroup v2 has no pids and memory controllers for pipegrade here (they are "
		     "bound to v1, or the v2 hierarchy is not delegated)");
	char *top = tu_mkdtemp();
	struct course course;
	struct buf err = BUF_INIT;
	tu_write(top, "grading.yaml",
		 "exercises:\n  - id: sb\n    title: S\n    binary: prog\n"
		 "    cases:\n      - {name: bomb, limits: {wall: 5, processes: 16, memory: 64MiB}}\n");
	char *yaml = xasprintf("%s/grading.yaml", top);
	ck_assert_int_eq(config_load(yaml, &course, &err), 0);
	const char *names[] = { "fork-bomb.c", "memory-hog.c" };
	const enum finding_kind kinds[] = { FINDING_LIMIT_PROCESSES, FINDING_LIMIT_MEMORY };
	for (int i = 0; i < 2; i++) {
		char *sub = xasprintf("%s/tests/sandbox/%s", tu_top(), names[i]);
		struct submission_result res;
		ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, &res,
						  &err),
				 0);
		ck_assert_int_eq(res.cases[0].findings.v[0].kind, kinds[i]);
		submission_result_free(&res);
		free(sub);
	}
	course_free(&course);
	buf_free(&err);
	free(yaml);
	tu_rmdir(top);
}
END_TEST

/* ---- the filter ---- */

/* Runs `check` in a child under the filter; the child's exit status is the check's count of
 * failures. */
static void under_filter(bool guard, int (*check)(void))
{
	if (!sandbox_filter_supported())
		return;
	pid_t k = fork();
	if (k == 0) {
		struct sandbox_filter f;
		struct sandbox_filter_opts o = { .guard_signals = guard, .guarded = { getppid() } };
		sandbox_filter_build(&f, &o);
		setsid();
		sandbox_filter_set_group(&f, getpid());
		_exit(sandbox_filter_install(&f) < 0 ? 100 : check());
	}
	int status;
	ck_assert_int_eq(waitpid(k, &status, 0), k);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
}

static int refused(long rc, int err)
{
	return rc == -1 && errno == err ? 0 : 1;
}

static int always_refused(void)
{
	char c = 'x';
	int bad = 0;
	bad += refused(syscall(SYS_ioctl, 0, TIOCSTI, &c), EPERM);
	bad += refused(syscall(SYS_ioctl, 0, 0xffffffff00000000UL | TIOCSTI, &c), EPERM);
	bad += refused(syscall(SYS_ioctl, 0, TIOCLINUX, &c), EPERM);
	bad += refused(syscall(SYS_add_key, "user", "k", "v", 1, -4), EPERM);
	bad += refused(syscall(SYS_keyctl, 0, -4, 0), EPERM);
	bad += refused(syscall(SYS_clone, 0x00800000UL /* CLONE_UNTRACED */ | SIGCHLD, 0, 0, 0, 0),
		       EPERM);
	bad += refused(syscall(435 /* clone3 */, NULL, 0), ENOSYS);
	bad += refused(syscall(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */), EPERM);
#ifdef __x86_64__
	bad += refused(syscall(0x40000000 | SYS_getpid), ENOSYS); /* x32 */
#endif
	bad += getpid() > 0 ? 0 : 1;
	pid_t k = fork(); /* an ordinary fork still works */
	if (k == 0)
		_exit(0);
	bad += k > 0 && waitpid(k, NULL, 0) == k ? 0 : 1;
	return bad;
}

START_TEST(filter_refuses)
{
	if (!sandbox_filter_supported())
		SKIP("no filter on this architecture");
	under_filter(false, always_refused);
	under_filter(true, always_refused);
}
END_TEST

static int signal_rules(void)
{
	int bad = 0;
	bad += refused(kill(-1, 0), EPERM);
	bad += refused(kill(-1234567, 0), EPERM);  /* another process group */
	bad += kill(0, 0) == 0 ? 0 : 1;            /* our own group */
	bad += kill(-getpid(), 0) == 0 ? 0 : 1;    /* the same, by number */
	bad += refused(kill(getppid(), 0), EPERM); /* a guarded pid: pipegrade's */
	bad += refused(syscall(SYS_tkill, getppid(), 0), EPERM);
	pid_t k = fork(); /* another pid: for the tracer, if any */
	if (k == 0)
		_exit(0);
	bad += kill(k, 0) == 0 ? 0 : 1;
	waitpid(k, NULL, 0);
	bad += refused(syscall(434 /* pidfd_open */, getppid(), 0), EPERM);
	return bad;
}

/* Without a PID namespace: kill(-1) and other groups refused whatever else holds. */
START_TEST(filter_guards_signals)
{
	if (!sandbox_filter_supported())
		SKIP("no filter on this architecture");
	under_filter(true, signal_rules);
}
END_TEST

/* i386 system calls (int $0x80) on x86_64 are refused. */
START_TEST(filter_refuses_foreign_arch)
{
#ifdef __x86_64__
	pid_t k = fork();
	if (k == 0) {
		long before, after;
		__asm__ volatile("int $0x80"
				 : "=a"(before)
				 : "a"(20L)
				 : "memory"); /* i386 getpid */
		if (before != getpid())
			_exit(50); /* no i386 emulation: nothing to refuse */
		struct sandbox_filter f;
		struct sandbox_filter_opts o = { .guard_signals = false };
		sandbox_filter_build(&f, &o);
		if (sandbox_filter_install(&f) < 0)
			_exit(100);
		__asm__ volatile("int $0x80" : "=a"(after) : "a"(20L) : "memory");
		_exit(after == -ENOSYS ? 0 : 1);
	}
	int status;
	ck_assert_int_eq(waitpid(k, &status, 0), k);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 50)
		SKIP("this kernel has no i386 emulation");
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
#else
	SKIP("x86_64 only");
#endif
}
END_TEST

/* ---- the root ---- */

/* A course kept inside an allow-listed directory (/usr/local) is covered for the case. */
START_TEST(course_under_usr_hidden)
{
	const struct sandbox_caps *c = sandbox_caps();
	if (!c->fs_root)
		SKIP("no allow-list root on this machine");
	char *top = xstrdup("/usr/local/share/pipegrade-test.XXXXXX");
	if (!mkdtemp(top)) {
		free(top);
		SKIP("cannot write /usr/local/share (not root)");
	}
	chmod(top, 0755);
	tu_write(top, "secret.txt", "the expected output\n");
	char *yaml = xasprintf("exercises:\n  - id: sb\n    title: S\n    binary: prog\n"
			       "    cases: [{name: run, args: [\"%s/secret.txt\", \"%s\"]}]\n",
			       top, top);
	tu_write(top, "grading.yaml", yaml);
	char *path = xasprintf("%s/grading.yaml", top);
	struct course course;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(path, &course, &err), 0);
	char *sub = xasprintf("%s/tests/sandbox/peek.c", tu_top());
	struct submission_result res;
	ck_assert_int_eq(grade_submission(&course, &course.exercises[0], sub, NULL, &res, &err), 0);
	char *want = xasprintf("%s/secret.txt: denied (No such file or directory)\n%s: readable\n",
			       top, top);
	ck_assert_msg(!strncmp(res.cases[0].out.data, want, strlen(want)), "%s",
		      res.cases[0].out.data);
	submission_result_free(&res);
	course_free(&course);
	buf_free(&err);
	remove_tree(top);
	free(want);
	free(sub);
	free(path);
	free(yaml);
	free(top);
}
END_TEST

/* What lies in an allow-listed directory, and what does not. */
START_TEST(exposed_paths)
{
	ck_assert(sandbox_root_exposes("/usr/bin/cc"));
	ck_assert(sandbox_root_exposes("/usr"));
	ck_assert(!sandbox_root_exposes("/usrx"));
	ck_assert(!sandbox_root_exposes("/home/ana/hello.c"));
	ck_assert(!sandbox_root_exposes("/tmp/class"));
	ck_assert(!sandbox_root_exposes("/etc/shadow"));
}
END_TEST

/* Graders starting together never take each other's run folder for a dead run's (a lock is
 * locked before it can be seen), while the folders of dead runs go: those with a free lock,
 * and those without a lock for over a minute. */
START_TEST(run_folders_start_together)
{
	char *tmp = tu_mkdtemp();
	setenv("TMPDIR", tmp, 1);
	char *stale = xasprintf("%s/pipegrade-run.stale", tmp);
	char *young = xasprintf("%s/pipegrade-run.young", tmp);
	ck_assert_int_eq(mkdir(stale, 0755), 0);
	ck_assert_int_eq(mkdir(young, 0755), 0);
	struct timespec old[2] = { { time(NULL) - 120, 0 }, { time(NULL) - 120, 0 } };
	ck_assert_int_eq(utimensat(AT_FDCWD, stale, old, 0), 0);
	for (int round = 0; round < 8; round++) {
		int go[2];
		ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
		pid_t pids[24];
		for (int i = 0; i < 24; i++) {
			pids[i] = fork();
			ck_assert_int_ge(pids[i], 0);
			if (pids[i] == 0) {
				close(go[1]);
				char c;
				(void)!read(go[0], &c, 1);
				struct sandbox_scratch sc;
				struct buf err = BUF_INIT;
				if (sandbox_scratch_make(&sc, 0, getuid(), getgid(), false, &err) <
				    0)
					_exit(1);
				usleep(20000);
				struct stat st;
				_exit(stat(sc.box, &st) == 0
					      ? 0
					      : 2); /* its folder is left, as if killed */
			}
		}
		close(go[0]);
		close(go[1]);
		for (int i = 0; i < 24; i++) {
			int status;
			ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				      "round %d, grader %d: status %d", round, i, status);
		}
	}
	struct stat st;
	ck_assert_int_ne(stat(stale, &st), 0);
	ck_assert_int_eq(stat(young, &st), 0);
	/* a last one removes the dead folders of the last round: only its own and young are left */
	struct sandbox_scratch sc;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(sandbox_scratch_make(&sc, 0, getuid(), getgid(), false, &err), 0);
	int left = 0;
	DIR *d = opendir(tmp);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		left += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(left, 2);
	sandbox_scratch_free(&sc);
	buf_free(&err);
	free(stale);
	free(young);
	tu_rmdir(tmp);
}
END_TEST

static void setup(void)
{
	i18n_set("en");
}

Suite *sandbox_parts_suite(void)
{
	Suite *s = suite_create("sandbox_parts");
	TCase *tc = tcase_create("slot");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, graders_never_share);
	tcase_add_test(tc, stale_groups_only);
	tcase_add_test(tc, slot_dir_must_be_ours);
	suite_add_tcase(s, tc);
	tc = tcase_create("cgroup");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cgroup_kill_ends_the_run);
	tcase_add_test(tc, cgroup_v2_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("filter");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, filter_refuses);
	tcase_add_test(tc, filter_guards_signals);
	tcase_add_test(tc, filter_refuses_foreign_arch);
	suite_add_tcase(s, tc);
	tc = tcase_create("root");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, course_under_usr_hidden);
	tcase_add_test(tc, exposed_paths);
	tcase_add_test(tc, run_folders_start_together);
	suite_add_tcase(s, tc);
	return s;
}
