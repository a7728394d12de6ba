/*
 * test_sandbox_user.c: pipegrade as students and CI run it: an ordinary user, no terminal,
 * stdin closed. When the tests run as root they create that user (useradd -m) and run the
 * pipegrade binary as it on the hostile fixtures, expecting the verdicts root gets; then once
 * more where the kernel refuses user namespaces (max_user_namespaces = 0 in a user namespace
 * of the test's own), where only the filter and the tracer stand between a program and the
 * user's other processes. As a safety net the test puts each run in a pids cgroup of its own
 * with a few hundred processes at most. When the tests run as an ordinary user already, every
 * other suite grades as one, and this one says so and skips.
 *
 * Also here: a real terminal (a pty) as pipegrade's controlling terminal, which a program
 * must not be able to type into (TIOCSTI), as root and as the user.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "jsoncheck.h"
#include "sandbox.h"
#include "suites.h"
#include "testutil.h"

#define USER_NAME "pipegrade-check"

static char *area; /* readable by the user: the fixtures, grading.yaml, the binary */
static char *net;  /* the safety net: a pids cgroup of this test's, or NULL */

/* Runs a command and waits for it; its exit status. */
static int command(const char *const *argv)
{
	pid_t k = fork();
	if (k == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status = -1;
	waitpid(k, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static const struct passwd *the_user(void)
{
	const struct passwd *pw = getpwnam(USER_NAME);
	if (!pw) {
		/* This suite's tests run at the same time (check_main.c), and a useradd refuses
		 * to run while another holds its locks: one test adds the user, the others wait
		 * for it on a lock of their own (on /etc/passwd, which useradd does not flock). */
		int lock = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
		if (lock >= 0)
			flock(lock, LOCK_EX);
		pw = getpwnam(USER_NAME);
		if (!pw) {
			const char *add[] = { "useradd",           "-m",      "-s",
					      "/usr/sbin/nologin", USER_NAME, NULL };
			command(add);
			pw = getpwnam(USER_NAME);
		}
		if (lock >= 0)
			close(lock);
	}
	return pw;
}

/* Makes `dir` a pids cgroup with room for 512 processes; false when it cannot. */
static bool net_at(const char *dir)
{
	char *max = xasprintf("%s/pids.max", dir);
	FILE *f = mkdir(dir, 0755) == 0 ? fopen(max, "we") : NULL;
	bool ok = f && fputs("512\n", f) >= 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok)
		rmdir(dir);
	free(max);
	return ok;
}

/* A pids cgroup (v1, or v2 where the top of the hierarchy offers the controller) with room
 * for a few hundred processes: were the sandbox to fail, a fork bomb run by the user would
 * stop there. */
static void make_net(void)
{
	const char *bases[] = { "/sys/fs/cgroup/pids", "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	for (size_t i = 0; i < 3 && !net; i++) {
		char *ctl = xasprintf("%s/cgroup.subtree_control", bases[i]);
		int fd = i == 0 ? -1 : open(ctl, O_WRONLY | O_CLOEXEC);
		bool v2 = fd >= 0 && write(fd, "+pids", 5) == 5;
		if (fd >= 0)
			close(fd);
		free(ctl);
		if (i > 0 && !v2)
			continue;
		net = xasprintf("%s/pipegrade-test-net-%d", bases[i], (int)getpid());
		if (access(bases[i], W_OK) < 0 || !net_at(net)) {
			free(net);
			net = NULL;
		}
	}
}

static void setup(void)
{
	area = tu_mkdtemp();
	chmod(area, 0755);
	if (geteuid() != 0)
		return;
	char *fixtures = xasprintf("%s/tests/sandbox", tu_top());
	char *bin = xasprintf("%s/pipegrade", area);
	const char *cp[] = { "cp", "-r", fixtures, area, NULL };
	const char *cpb[] = { "cp", tu_pipegrade(), bin, NULL };
	const char *mod[] = { "chmod", "-R", "a+rX", area, NULL };
	ck_assert_int_eq(command(cp), 0);
	ck_assert_int_eq(command(cpb), 0);
	ck_assert_int_eq(command(mod), 0);
	free(bin);
	free(fixtures);
	make_net();
}

static void teardown(void)
{
	if (net) {
		for (int i = 0; i < 100 && rmdir(net) < 0 && errno == EBUSY; i++)
			usleep(10000);
		free(net);
		net = NULL;
	}
	tu_rmdir(area);
}

struct outcome {
	int status; /* exit status, or 128 + signal */
	struct buf out, err;
};

static void outcome_free(struct outcome *o)
{
	buf_free(&o->out);
	buf_free(&o->err);
}

/* In the child: a user namespace where no further one may be made (as a sysctl or an
 * AppArmor policy refuses them on some machines). The parent maps every id to itself. */
static void refuse_user_namespaces(int ready_wr, int mapped_rd)
{
	char c;
	if (unshare(CLONE_NEWUSER) < 0 || write(ready_wr, "u", 1) != 1 ||
	    read(mapped_rd, &c, 1) != 1)
		_exit(120);
	int fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(121);
	close(fd);
}

static void map_identity(pid_t k)
{
	const char *files[] = { "uid_map", "gid_map" };
	for (int i = 0; i < 2; i++) {
		char *path = xasprintf("/proc/%d/%s", (int)k, files[i]);
		int fd = open(path, O_WRONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "0 0 4294967295", 14), 14);
		close(fd);
		free(path);
	}
}

/* The child: no terminal (a new session), stdin closed, in the safety net, as the user. */
static void become_user(const struct passwd *pw, int out_wr, int err_wr)
{
	setsid();
	if (net) {
		char *procs = xasprintf("%s/cgroup.procs", net);
		int fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(122);
		close(fd);
	}
	dup2(out_wr, 1);
	dup2(err_wr, 2);
	close(0);
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0 || chdir(area) < 0)
		_exit(123);
}

/* The child: root, but CAP_SYS_ADMIN out of the bounding set, so that pipegrade has it no more
 * after exec: no namespace, no mount (as Docker's default profile). */
static void stay_root_without_sys_admin(int out_wr, int err_wr)
{
	setsid();
	dup2(out_wr, 1);
	dup2(err_wr, 2);
	close(0);
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) < 0 || chdir(area) < 0)
		_exit(123);
}

/* Reads both pipes to their end (or until 120 s have gone: then the run is killed). */
static void collect(pid_t k, int out_rd, int err_rd, struct outcome *o)
{
	struct pollfd p[2] = { { out_rd, POLLIN, 0 }, { err_rd, POLLIN, 0 } };
	struct buf *into[2] = { &o->out, &o->err };
	int open_ends = 2;
	double end = now_monotonic() + 120;
	while (open_ends > 0 && now_monotonic() < end) {
		if (poll(p, 2, 1000) <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			if (!p[i].revents)
				continue;
			char chunk[8192];
			ssize_t n = read(p[i].fd, chunk, sizeof chunk);
			if (n > 0) {
				buf_append(into[i], chunk, (size_t)n);
			} else {
				p[i].fd = -1;
				open_ends--;
			}
		}
	}
	if (open_ends > 0)
		kill(-k, SIGKILL);
	int status;
	waitpid(k, &status, 0);
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	buf_append(&o->out, "", 0);
	buf_append(&o->err, "", 0);
}

/* How the user's machine is: no user namespaces; a hard limit on open files (> 0); $TMPDIR on
 * a filesystem mounted noexec (area/noexec). */
struct machine {
	bool no_userns;
	int nofile_hard;
	bool noexec_tmp;
	bool root_without_sys_admin; /* root, as in a container that refuses namespaces */
};

/* In the child, still root: $TMPDIR a noexec tmpfs, in a mount namespace of its own. */
static void noexec_tmp(void)
{
	char *tmp = xasprintf("%s/noexec", area);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", tmp, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		_exit(126);
	free(tmp);
}

/* pipegrade grade -c area/grading.yaml --format json area/sandbox/NAME, as the user, on a
 * machine like `m`. */
static void run_on(const char *name, const struct machine *m, struct outcome *o)
{
	const struct passwd *pw = the_user();
	ck_assert_ptr_nonnull(pw);
	memset(o, 0, sizeof *o);
	int out[2], err[2], ready[2], mapped[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(mapped, O_CLOEXEC), 0);
	char *bin = xasprintf("%s/pipegrade", area), *yaml = xasprintf("%s/grading.yaml", area);
	char *sub = xasprintf("%s/sandbox/%s", area, name),
	     *home = xasprintf("HOME=%s", pw->pw_dir);
	char *tmpdir = m->noexec_tmp ? xasprintf("TMPDIR=%s/noexec", area) : xstrdup("TMPDIR=/tmp");
	if (m->noexec_tmp) {
		char *tmp = xasprintf("%s/noexec", area);
		mkdir(tmp, 0755);
		free(tmp);
	}
	pid_t k = fork();
	if (k == 0) {
		if (m->no_userns)
			refuse_user_namespaces(ready[1], mapped[0]);
		if (m->noexec_tmp)
			noexec_tmp();
		struct rlimit nofile = { (rlim_t)m->nofile_hard, (rlim_t)m->nofile_hard };
		if (m->nofile_hard > 0 && setrlimit(RLIMIT_NOFILE, &nofile) < 0)
			_exit(125);
		if (m->root_without_sys_admin)
			stay_root_without_sys_admin(out[1], err[1]);
		else
			become_user(pw, out[1], err[1]);
		const char *argv[] = { "pipegrade", "grade", "-c", yaml,
				       "--format",  "json",  sub,  NULL };
		const char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", home, "LC_ALL=C", tmpdir,
				      NULL };
		execve(bin, (char *const *)argv,
		       (char *const *)env); /* literals: nothing writes them */
		_exit(127);
	}
	ck_assert_int_gt(k, 0);
	close(out[1]);
	close(err[1]);
	close(ready[1]);
	char c;
	if (m->no_userns && read(ready[0], &c, 1) == 1) {
		map_identity(k);
		ck_assert_int_eq(write(mapped[1], "m", 1), 1);
	}
	collect(k, out[0], err[0], o);
	close(out[0]);
	close(err[0]);
	close(ready[0]);
	close(mapped[0]);
	close(mapped[1]);
	free(bin);
	free(yaml);
	free(sub);
	free(home);
	free(tmpdir);
}

static void run_as_user(const char *name, bool no_userns, struct outcome *o)
{
	struct machine m = { .no_userns = no_userns };
	run_on(name, &m, o);
}

static void write_course(const char *case_yaml)
{
	char *yaml =
		xasprintf("defaults: {build_timeout: 20}\nexercises:\n  - id: sb\n"
			  "    title: Sandbox\n    binary: prog\n    cases:\n      - name: run\n%s",
			  case_yaml);
	tu_write(area, "grading.yaml", yaml);
	chmod(area, 0755);
	free(yaml);
}

/* Grades `name` as the user with one case (limits and more YAML lines) and checks the JSON:
 * valid, the finding kind, and stdout when `stdout_json` is not NULL (as JSON writes it). */
static void expect_as_user(const char *name, const char *case_yaml, bool no_userns,
			   const char *kind, const char *stdout_json)
{
	write_course(case_yaml);
	struct outcome o;
	run_as_user(name, no_userns, &o);
	ck_assert_msg(o.status == 0 || o.status == 1, "%s: exit %d: %s", name, o.status,
		      o.err.data);
	ck_assert_msg(json_validate(o.out.data, o.out.len) == 0, "%s: invalid JSON", name);
	char *want = xasprintf("\"findings\": [{\"kind\": \"%s\"", kind);
	ck_assert_msg(strstr(o.out.data, want), "%s: not %s:\n%s", name, kind, o.out.data);
	free(want);
	if (stdout_json) {
		want = xasprintf("\"stdout\": \"%s\"", stdout_json);
		ck_assert_msg(strstr(o.out.data, want), "%s: stdout is not %s:\n%s", name,
			      stdout_json, o.out.data);
		free(want);
	}
	ck_assert_msg(!strstr(o.out.data, "\"protections\": \"unprivileged uid"), "%s", o.out.data);
	ck_assert_ptr_nonnull(strstr(o.out.data, no_userns
							 ? "\"unprotected\": \"no user namespace"
							 : "\"protections\": \"user namespace, "));
	outcome_free(&o);
}

/* Whether the user's pipegrade gets a user namespace, an allow-list root and a PID namespace
 * here: a harmless program says. */
static bool user_protected(void)
{
	write_course("        limits: {wall: 5}\n");
	struct outcome o;
	run_as_user("nnp.c", false, &o);
	bool ok = strstr(o.out.data,
			 "\"protections\": \"user namespace, allow-list root, disk quota, "
			 "PID namespace") != NULL;
	outcome_free(&o);
	return ok;
}

#define NEED_ROOT()                                                                                \
	TU_NEED(geteuid() == 0, "already an ordinary user: every other suite "                     \
				"grades as one")

/* With a user namespace of its own, the user gets what root gets. */
START_TEST(hostile_as_user)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	TU_NEED(user_protected(), "the kernel gives an ordinary user no user namespace here");
	expect_as_user("fork-bomb.c", "        limits: {wall: 5, processes: 16}\n", false,
		       "limit_processes", "");
	expect_as_user("kill-all.c", "        limits: {wall: 5}\n", false, "crash", "killing\\n");
	expect_as_user("memory-hog.c", "        limits: {wall: 5, memory: 64MiB}\n", false,
		       "limit_memory", NULL);
	expect_as_user("fork-storm.c", "        limits: {wall: 1}\n", false, "timeout", "");
	expect_as_user("fill.c", "        limits: {wall: 10, disk: 8MiB}\n", false, "limit_files",
		       NULL);
}
END_TEST

START_TEST(refusals_as_user)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	TU_NEED(user_protected(), "the kernel gives an ordinary user no user namespace here");
	expect_as_user("tiocsti.c", "        limits: {wall: 5}\n", false, "pass",
		       "open /dev/tty: denied (No such file or directory)\\n"
		       "TIOCSTI fd 0: denied (Operation not permitted)\\n"
		       "TIOCSTI fd 1: denied (Operation not permitted)\\n"
		       "TIOCSTI fd 2: denied (Operation not permitted)\\n"
		       "TIOCSTI high bits: denied (Operation not permitted)\\n"
		       "TIOCLINUX fd 0: denied (Operation not permitted)\\n");
	expect_as_user("keyring.c", "        limits: {wall: 5}\n", false, "pass",
		       "add_key user: denied (Operation not permitted)\\n"
		       "add_key session: denied (Operation not permitted)\\n"
		       "request_key: denied (Operation not permitted)\\n"
		       "keyctl: denied (Operation not permitted)\\n");
	expect_as_user("untraced.c", "        limits: {wall: 5}\n", false, "pass",
		       "clone(CLONE_UNTRACED): denied (Operation not permitted)\\n"
		       "clone3: denied (Function not implemented)\\n"
		       "unshare(CLONE_NEWUSER): denied (Operation not permitted)\\n");
	expect_as_user("spawners.c", "        limits: {wall: 5}\n", false, "pass",
		       "fork ok\\nvfork ok\\nspawned\\nposix_spawn ok\\nthread ok\\n");
	expect_as_user("nnp.c", "        limits: {wall: 5}\n        monitor: false\n", false,
		       "pass", "NoNewPrivs:\\t1\\nSeccomp:\\t2\\n");
	expect_as_user("connect.c", "        limits: {wall: 5}\n", false, "pass",
		       "connect failed (Network is unreachable)\\n");
}
END_TEST

/* The user's files, the class and pipegrade's own are not in the case's world. */
START_TEST(allow_list_as_user)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	TU_NEED(user_protected(), "the kernel gives an ordinary user no user namespace here");
	const struct passwd *pw = the_user();
	ck_assert_ptr_nonnull(pw);
	char *args = xasprintf("        args: [\"%s\", \"%s/grading.yaml\", \"/home\", \"/root\"]\n"
			       "        limits: {wall: 5}\n",
			       pw->pw_dir, area);
	char *root = tu_allow_list_root();
	root[strlen(root) - 1] = '\0'; /* its newline, as JSON writes it: */
	char *want = xasprintf("%s: denied (No such file or directory)\\n"
			       "%s/grading.yaml: denied (No such file or directory)\\n"
			       "/home: denied (No such file or directory)\\n"
			       "/root: denied (No such file or directory)\\n%s\\n",
			       pw->pw_dir, area, root);
	expect_as_user("peek.c", args, false, "pass", want);
	free(want);
	free(root);
	free(args);
}
END_TEST

/* No user namespaces at all: the filter refuses kill(-1) and other groups, the tracer refuses
 * a signal to anything outside the case (pipegrade, here), and the user's process count (with
 * room for the case) stops a fork bomb. The report says what is missing. */
START_TEST(without_user_namespaces)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	TU_NEED(sandbox_filter_supported(), "no system call filter on this architecture: nothing "
					    "would stop kill(-1) without namespaces");
	expect_as_user("kill-all.c",
		       "        limits: {wall: 5}\n        stdout: \"killing\\nstill alive\\n\"\n",
		       true, "pass", "killing\\nstill alive\\n");
	expect_as_user("kill-all.c",
		       "        limits: {wall: 5}\n        monitor: false\n"
		       "        stdout: \"killing\\nstill alive\\n\"\n",
		       true, "pass", "killing\\nstill alive\\n");
	expect_as_user("fork-bomb.c", "        limits: {wall: 5, processes: 16}\n", true,
		       "limit_processes", "");
}
END_TEST

/* A limit pipegrade cannot set for the program (above the user's hard limit) is pipegrade's
 * failure, exit 3, with what failed; never the student's. */
START_TEST(unsettable_limit_is_ours)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	write_course("        limits: {wall: 5, open_files: 4096}\n");
	struct outcome o;
	struct machine m = { .nofile_hard = 1024 };
	run_on("nnp.c", &m, &o);
	ck_assert_int_eq(o.status, 3);
	ck_assert_str_eq(o.err.data,
			 "pipegrade: internal error: cannot set up the program's process "
			 "(set the limit on open files): Operation not permitted\n");
	outcome_free(&o);
}
END_TEST

/* The program pipegrade built cannot be run (here: $TMPDIR is mounted noexec, and without user
 * namespaces the case's directory is a plain one in it): pipegrade's failure, exit 3, never
 * the student's crash. */
START_TEST(noexec_tmpdir_is_ours)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	write_course("        limits: {wall: 5}\n");
	struct outcome o;
	struct machine m = { .no_userns = true, .noexec_tmp = true };
	run_on("nnp.c", &m, &o);
	ck_assert_msg(o.status == 3, "exit %d: %s %s", o.status, o.err.data, o.out.data);
	ck_assert_str_eq(o.err.data,
			 "pipegrade: internal error: cannot start the program pipegrade "
			 "built (./prog): Permission denied\n");
	outcome_free(&o);
}
END_TEST

/* Root without CAP_SYS_ADMIN (a container that refuses namespaces and mounts): the program
 * still gets a uid of its own, the filter and the limits, kill(-1) reaches nothing, and the
 * report says what is missing. */
START_TEST(root_without_namespaces)
{
	NEED_ROOT();
	TU_NEED(the_user(), "cannot create the user " USER_NAME " (useradd)");
	const char *kinds[] = { "nnp.c", "kill-all.c" };
	const char *outs[] = { "NoNewPrivs:\\t1\\nSeccomp:\\t2\\n", "killing\\nstill alive\\n" };
	for (int i = 0; i < 2; i++) {
		write_course("        limits: {wall: 5}\n");
		struct outcome o;
		struct machine m = { .root_without_sys_admin = true };
		run_on(kinds[i], &m, &o);
		ck_assert_msg(o.status == 0, "%s: exit %d: %s", kinds[i], o.status, o.err.data);
		char *want = xasprintf("\"stdout\": \"%s\"", outs[i]);
		ck_assert_msg(strstr(o.out.data, want), "%s", o.out.data);
		ck_assert_ptr_nonnull(strstr(o.out.data, "\"protections\": \"unprivileged uid "));
		ck_assert_ptr_nonnull(
			strstr(o.out.data,
			       "\"unprotected\": \"no allow-list root (no "
			       "mount namespace): the program sees the machine's files; "
			       "no PID namespace; no network namespace\""));
		free(want);
		outcome_free(&o);
	}
}
END_TEST

/* ---- a terminal ---- */

/* Runs pipegrade on `name` with a pty as its controlling terminal and stdio (as the user
 * when `user`), and returns what was typed into the terminal meanwhile: its pending input. */
static int run_on_terminal(const char *name, bool user, struct buf *screen)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	char *slave_name = xstrdup(ptsname(master));
	const struct passwd *pw = user ? the_user() : NULL;
	char *bin = user ? xasprintf("%s/pipegrade", area) : xstrdup(tu_pipegrade());
	char *yaml = xasprintf("%s/grading.yaml", area);
	char *sub = user ? xasprintf("%s/sandbox/%s", area, name)
			 : xasprintf("%s/tests/sandbox/%s", tu_top(), name);
	pid_t k = fork();
	if (k == 0) {
		setsid();
		int tty = open(slave_name, O_RDWR); /* our controlling terminal from now on */
		if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) < 0)
			_exit(124);
		dup2(tty, 0), dup2(tty, 1), dup2(tty, 2);
		if (pw && (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
			   setuid(pw->pw_uid) < 0))
			_exit(123);
		const char *argv[] = { "pipegrade", "grade", "-c", yaml,
				       "--color",   "never", sub,  NULL };
		const char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL };
		execve(bin, (char *const *)argv,
		       (char *const *)env); /* literals: nothing writes them */
		_exit(127);
	}
	/* What pipegrade prints goes to the screen (the master); collect it until it exits. */
	int status;
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		if (poll(&p, 1, 200) > 0) {
			char chunk[4096];
			ssize_t n = read(master, chunk, sizeof chunk);
			if (n > 0)
				buf_append(screen, chunk, (size_t)n);
		}
		if (waitpid(k, &status, WNOHANG) == k)
			break;
	}
	buf_append(screen, "", 0);
	/* Pending input: what a shell reading the terminal would get next. */
	int slave = open(slave_name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	int pending = -1;
	ck_assert_int_ge(slave, 0);
	ck_assert_int_eq(ioctl(slave, FIONREAD, &pending), 0);
	close(slave);
	close(master);
	free(slave_name);
	free(bin);
	free(yaml);
	free(sub);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1, "status %d: %s", status,
		      screen->data);
	return pending;
}

/* A program, or a submission's Makefile, that types into the terminal that started pipegrade
 * (TIOCSTI): nothing arrives, as root and as the user. */
START_TEST(terminal_untouched)
{
	TU_NEED(sandbox_caps()->filter, "no system call filter on this architecture");
	tu_write(area, "grading.yaml",
		 "defaults: {build_timeout: 20}\nexercises:\n  - id: sb\n"
		 "    title: S\n    binary: prog\n    cases: [{name: run}]\n");
	chmod(area, 0755);
	const char *names[] = { "tiocsti.c", "tiocsti-make" };
	for (int user = 0; user <= (geteuid() == 0); user++) {
		for (int i = 0; i < 2; i++) {
			struct buf screen = BUF_INIT;
			int pending = run_on_terminal(names[i], user, &screen);
			ck_assert_msg(pending == 0, "%s%s: %d bytes typed into the terminal",
				      names[i], user ? " as the user" : "", pending);
			ck_assert_msg(!strstr(screen.data, "PWNED"), "%s", screen.data);
			buf_free(&screen);
		}
	}
}
END_TEST

Suite *sandbox_user_suite(void)
{
	Suite *s = suite_create("sandbox_user");
	TCase *tc = tcase_create("ordinary_user");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, allow_list_as_user);
	tcase_add_test(tc, without_user_namespaces);
	tcase_add_test(tc, unsettable_limit_is_ours);
	tcase_add_test(tc, noexec_tmpdir_is_ours);
	tcase_add_test(tc, root_without_namespaces);
	suite_add_tcase(s, tc);
	/* the slow ones apart: check_main.c runs them in parallel */
	tu_test_unit(s, hostile_as_user, setup, teardown, 240);
	tu_test_unit(s, refusals_as_user, setup, teardown, 240);
	tc = tu_tcase(s, "terminal", NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, terminal_untouched);
	return s;
}
