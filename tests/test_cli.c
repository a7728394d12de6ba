/* test_cli.c: the pipegrade command itself: exit statuses, help, config errors, JSON. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsoncheck.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

static const char *const env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "NO_COLOR=1",
				   NULL };

/* The environments here are literals: `const char *const *`, made execve()'s `char *const *`
 * (which nothing writes through) where they are handed to it, as git does. */
static void pipegrade_env(const char *const *envp, struct run_result *r, va_list ap)
{
	struct strvec argv = STRVEC_INIT;
	strvec_push(&argv, "pipegrade");
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		strvec_push(&argv, a);
	struct run_spec spec = { .file = tu_pipegrade(),
				 .argv = (const char *const *)argv.v,
				 .envp = envp,
				 .cwd = tu_top(),
				 .wall_s = 120,
				 .output_bytes = 8 << 20,
				 .grace_s = -1 };
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, r, &err), 0);
	ck_assert_int_eq(r->end, RUN_EXITED);
	strvec_free(&argv);
	buf_free(&err);
}

/* Runs pipegrade with the given arguments (NULL-terminated) from the repository's top. */
static void pipegrade(struct run_result *r, ...)
{
	va_list ap;
	va_start(ap, r);
	pipegrade_env(env, r, ap);
	va_end(ap);
}

/* The same, with another environment. */
static void pipegrade_in(const char *const *envp, struct run_result *r, ...)
{
	va_list ap;
	va_start(ap, r);
	pipegrade_env(envp, r, ap);
	va_end(ap);
}

START_TEST(help)
{
	struct run_result r;
	pipegrade(&r, "--help", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(
		strstr(r.out.data,
		       "usage: pipegrade grade [options] PATH\n       pipegrade class [options] DIR\n"));
	ck_assert_ptr_nonnull(strstr(r.out.data, "exit status: 0 every case passed"));
	run_result_free(&r);
	pipegrade(&r, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	run_result_free(&r);
	pipegrade(&r, "frobnicate", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "unknown command 'frobnicate'"));
	run_result_free(&r);
}
END_TEST

START_TEST(check_config)
{
	struct run_result r;
	pipegrade(&r, "check-config", "grading.yaml", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "grading.yaml: ok, "));
	ck_assert_ptr_nonnull(strstr(r.out.data, " exercises, "));
	run_result_free(&r);
}
END_TEST

/* A broken grading file: path:line:column on stderr, exit status 2, nothing graded. */
START_TEST(bad_config)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "bad.yaml", "exercises:\n  - id: 01-x\n    titel: X\n");
	char *path = xasprintf("%s/bad.yaml", dir);
	struct run_result r;
	pipegrade(&r, "grade", "-c", path, "-e", "01-x", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	char *want = xasprintf("%s:3:5: ", path);
	ck_assert_ptr_nonnull(strstr(r.err.data, want));
	ck_assert_ptr_nonnull(strstr(r.err.data, "titel"));
	ck_assert_str_eq(r.out.data, "");
	free(want);
	free(path);
	run_result_free(&r);
	tu_rmdir(dir);
}
END_TEST

START_TEST(grade_solution_json)
{
	struct run_result r;
	pipegrade(&r, "grade", "-e", "01-hello", "--format", "json", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_uint_eq(json_validate(r.out.data, r.out.len), 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"status\": \"passed\""));
	ck_assert_ptr_null(strstr(r.out.data, "\"status\": \"failed\""));
	run_result_free(&r);
}
END_TEST

/* The exercise is found from the submission folder's name when -e is not given. */
START_TEST(grade_infers_exercise)
{
	struct run_result r;
	pipegrade(&r, "grade", "solutions/03-eof-wc", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "03-eof-wc"));
	run_result_free(&r);
}
END_TEST

/* A class of archives through the command: pipegrade loads libarchive only for them. */
START_TEST(grade_archived_class)
{
	char *dir = tu_mkdtemp();
	char *cmd =
		xasprintf("cd '%s' && mkdir -p ana class && cp '%s/solutions/01-hello/hello.c' ana/ "
			  "&& tar czf class/ana.tar.gz ana",
			  dir, tu_top());
	ck_assert_int_eq(system(cmd), 0);
	char *class_dir = xasprintf("%s/class", dir), *out = xasprintf("%s/out", dir);
	struct run_result r;
	pipegrade(&r, "class", "-e", "01-hello", "-j", "1", "--out", out, class_dir, NULL);
	ck_assert_msg(r.exit_code == 0, "%s%s", r.out.data, r.err.data);
	char *csv = xasprintf("%s/gradebook.csv", out);
	struct buf b = BUF_INIT;
	ck_assert_int_eq(read_file(csv, &b), 0);
	ck_assert_str_eq(b.data, "student,01-hello,total,max,status\nana,10,10,10,passed\n");
	buf_free(&b);
	run_result_free(&r);
	free(csv);
	free(out);
	free(class_dir);
	free(cmd);
	tu_rmdir(dir);
}
END_TEST

START_TEST(grade_faulty_exit_1)
{
	struct run_result r;
	pipegrade(&r, "grade", "-e", "01-hello", "--lang", "es",
		  "tests/fixtures/01-hello/no-newline", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.out.data, "wrong_output"));
	ck_assert_ptr_nonnull(strstr(r.out.data, "Nota:"));
	run_result_free(&r);
}
END_TEST

START_TEST(usage_errors)
{
	struct run_result r;
	pipegrade(&r, "grade", "-e", "01-hello", "/nonexistent/ana", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "/nonexistent/ana: No such file or directory"));
	run_result_free(&r);
	pipegrade(&r, "grade", "-e", "99-nada", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "no exercise '99-nada'"));
	run_result_free(&r);
	pipegrade(&r, "grade", "--format", "xml", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	run_result_free(&r);
}
END_TEST

/* --explain shows the processes and pipes of a deadlock; --graph writes them as DOT. */
START_TEST(explain_and_graph)
{
	char *dir = tu_mkdtemp();
	char *dot = xasprintf("%s/case.dot", dir);
	struct run_result r;
	pipegrade(&r, "grade", "-e", "01-hello", "--case", "mensaje corto", "--explain", "--graph",
		  dot, "tests/fixtures/01-hello/child-keeps-write-end", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.out.data, "    [deadlock]\n    child 1 (pid "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "      processes:\n        parent (pid "));
	ck_assert_ptr_nonnull(strstr(r.out.data,
				     "waits in read(fd 3) on pipe A\n"
				     "            fd 0: stdin\n            fd 1: stdout\n"
				     "            fd 2: stderr\n"
				     "            fd 3: read end of pipe A\n"
				     "            fd 4: write end of pipe A\n"));
	ck_assert_ptr_nonnull(strstr(r.err.data, "graph of case \"mensaje corto\" written to"));
	struct buf g = BUF_INIT;
	ck_assert_int_eq(read_file(dot, &g), 0);
	ck_assert_ptr_nonnull(strstr(g.data, "digraph pipegrade {"));
	ck_assert_ptr_nonnull(strstr(g.data, "-> pipeA [label=\"fd 4 (write)\"];"));
	buf_free(&g);
	run_result_free(&r);
	/* JSON carries the structured fields and the process tree. */
	pipegrade(&r, "grade", "-e", "01-hello", "--case", "mensaje corto", "-f", "json",
		  "tests/fixtures/01-hello/child-keeps-write-end", NULL);
	ck_assert_uint_eq(json_validate(r.out.data, r.out.len), 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "{\"kind\": \"deadlock\", \"message\": "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"pipes\": [{\"name\": \"A\", \"inode\": "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"process_tree\": [{\"pid\": "));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"role\": \"child 1\""));
	run_result_free(&r);
	free(dot);
	tu_rmdir(dir);
}
END_TEST

/* A graph whose writing fails only when it is closed (/dev/full: fclose() flushes it): said
 * once, exit status 3, and the FILE closed once (it was closed again after the failed fclose(),
 * a double free that aborted pipegrade). */
START_TEST(graph_fails_at_close)
{
	struct run_result r;
	pipegrade(&r, "grade", "-e", "01-hello", "--case", "mensaje corto", "--graph", "/dev/full",
		  "tests/fixtures/01-hello/child-keeps-write-end", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_str_eq(r.err.data,
			 "pipegrade: cannot write /dev/full: No space left on device\n");
	run_result_free(&r);
}
END_TEST

#define NO_COURSE                                                                                  \
	"pipegrade: no grading.yaml: none given with -c FILE, PIPEGRADE_CONFIG is not set, none "  \
	"in this folder or a folder above it, and no course installed beside pipegrade "           \
	"(PREFIX/share/pipegrade/grading.yaml, by make install). Give the course's grading file "  \
	"with -c FILE, or set PIPEGRADE_CONFIG=FILE.\n"

/* Without -c and without ./grading.yaml, pipegrade reads the course installed beside it:
 * PREFIX/share/pipegrade/grading.yaml for PREFIX/bin/pipegrade, as `make install` lays them
 * out; the binary's real path counts, not a link's; ./grading.yaml comes first. */
START_TEST(finds_installed_course)
{
	static const char yaml[] = "exercises:\n  - id: 01-x\n    title: \"x\"\n    binary: x\n"
				   "    cases:\n      - name: \"c\"\n        stdout: \"x\\n\"\n";
	char *prefix = tu_mkdtemp();
	char *bin = xasprintf("%s/bin", prefix), *share = xasprintf("%s/share", prefix);
	char *course = xasprintf("%s/pipegrade", share), *cwd = xasprintf("%s/cwd", prefix);
	char *exe = xasprintf("%s/pipegrade", bin);
	ck_assert_int_eq(mkdir(bin, 0755) | mkdir(share, 0755) | mkdir(course, 0755) |
				 mkdir(cwd, 0755),
			 0);
	tu_write(course, "grading.yaml", yaml);
	ck_assert_int_eq(symlink(tu_pipegrade(), exe), 0);
	const char *argv[] = { "pipegrade", "check-config", NULL };
	struct run_spec spec = { .file = exe,
				 .argv = argv,
				 .envp = env,
				 .cwd = cwd,
				 .wall_s = 30,
				 .output_bytes = 1 << 20,
				 .grace_s = -1 };
	struct buf err = BUF_INIT;
	struct run_result r;
	/* a link: the real binary has no course beside it */
	ck_assert_int_eq(run_program(&spec, &r, &err), 0);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.err.data, NO_COURSE);
	run_result_free(&r);
	/* the binary itself in PREFIX/bin */
	ck_assert_int_eq(unlink(exe), 0);
	ck_assert_int_eq(file_copy(tu_pipegrade(), exe, 0755), 0);
	ck_assert_int_eq(run_program(&spec, &r, &err), 0);
	char *want = xasprintf("%s/grading.yaml: ok, 1 exercises, 1 cases\n", course);
	ck_assert_str_eq(r.out.data, want);
	ck_assert_int_eq(r.exit_code, 0);
	run_result_free(&r);
	/* ./grading.yaml first */
	tu_write(cwd, "grading.yaml", yaml);
	ck_assert_int_eq(run_program(&spec, &r, &err), 0);
	ck_assert_str_eq(r.out.data, "grading.yaml: ok, 1 exercises, 1 cases\n");
	run_result_free(&r);
	buf_free(&err);
	free(want);
	free(exe);
	free(cwd);
	free(course);
	free(share);
	free(bin);
	tu_rmdir(prefix);
}
END_TEST

/* pipegrade's own failure is exit status 3, with what failed and why. */
START_TEST(internal_error)
{
	const char *const bad_tmp[] = { "PATH=/usr/bin:/bin", "TMPDIR=/nonexistent/tmp", NULL };
	struct run_result r;
	pipegrade_in(bad_tmp, &r, "grade", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_str_eq(r.err.data, "pipegrade: internal error: cannot create a working directory "
				     "in /nonexistent/tmp: No such file or directory\n");
	run_result_free(&r);
}
END_TEST

/* --keep: the build's directory (a tmpfs of the build's sandbox, gone with pipegrade) is
 * copied to disk, with the sources and the program built, and its path printed. */
START_TEST(keep_build_directory)
{
	struct run_result r;
	pipegrade(&r, "grade", "--keep", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	const char *say = "pipegrade: build directory kept: ";
	const char *at = strstr(r.err.data, say);
	ck_assert_ptr_nonnull(at);
	char *kept = xstrdup(at + strlen(say));
	kept[strcspn(kept, "\n")] = '\0';
	char *src = xasprintf("%s/hello.c", kept), *bin = xasprintf("%s/hello", kept);
	struct stat st;
	ck_assert_int_eq(stat(src, &st), 0);
	ck_assert_int_eq(stat(bin, &st), 0);
	ck_assert(st.st_mode & 0100);
	ck_assert_int_eq(remove_tree(kept), 0);
	free(src);
	free(bin);
	free(kept);
	run_result_free(&r);
}
END_TEST

/* SIGTERM while a hanging submission runs: its processes die, the report says it is
 * incomplete, the status is 128 + SIGTERM. */
START_TEST(interrupted_by_sigterm)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0); /* orphans would come to us */
	char *dir = tu_mkdtemp();
	char *out = xasprintf("%s/report.txt", dir);
	char *tmp = xasprintf("%s/tmp", dir);
	ck_assert_int_eq(mkdir(tmp, 0755), 0);
	char *tmpdir = xasprintf("TMPDIR=%s", tmp);
	const char *const env_tmp[] = { env[0], env[1], env[2], tmpdir, NULL };
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		if (chdir(tu_top()) < 0)
			_exit(99);
		execle(tu_pipegrade(), "pipegrade", "grade", "--lang", "en", "-e", "03-eof-wc",
		       "tests/fixtures/03-eof-wc/busy-eof", (char *)NULL, (char *const *)env_tmp);
		_exit(98);
	}
	struct timespec ts = { 1, 300000000 }; /* inside the second case's 1 s CPU limit */
	nanosleep(&ts, NULL);
	kill(pid, SIGTERM);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 128 + SIGTERM);
	struct buf report = BUF_INIT;
	ck_assert_int_eq(read_file(out, &report), 0);
	ck_assert_ptr_nonnull(strstr(report.data,
				     "INCOMPLETE: pipegrade was interrupted by SIGTERM "
				     "after "));
	ck_assert_int_eq(tu_count_descendants(), 0);
	/* Its temporary directories are gone too. */
	DIR *d = opendir(tmp);
	ck_assert_ptr_nonnull(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		ck_assert_msg(e->d_name[0] == '.', "left behind: %s", e->d_name);
	closedir(d);
	buf_free(&report);
	free(out);
	free(tmp);
	free(tmpdir);
	tu_rmdir(dir);
}
END_TEST

/* ---- a class through the command ---- */

/* A course of one exercise whose program takes a second, and a class of `n` students handing
 * it in: slow enough to interrupt. Fills course (grading.yaml) and class paths (malloc'd). */
static void slow_class(const char *dir, int n, char **yaml, char **class_dir)
{
	*yaml = xasprintf("%s/grading.yaml", dir);
	*class_dir = xasprintf("%s/class", dir);
	tu_write(dir, "grading.yaml",
		 "exercises:\n  - id: slow\n    title: S\n    binary: prog\n"
		 "    cases: [{name: run, stdout: \"ok\\n\"}]\n");
	ck_assert_int_eq(mkdir(*class_dir, 0755), 0);
	for (int i = 1; i <= n; i++) {
		char *s = xasprintf("%s/s%d", *class_dir, i);
		ck_assert_int_eq(mkdir(s, 0755), 0);
		tu_write(s, "prog.c",
			 "#include <stdio.h>\n#include <unistd.h>\n"
			 "int main(void) { sleep(1); puts(\"ok\"); return 0; }\n");
		free(s);
	}
}

/* `path` with ".fixed" appended, in a static buffer. */
static const char *tmp_name(const char *path)
{
	static char name[4096];
	snprintf(name, sizeof name, "%s.fixed", path);
	return name;
}

/* Starts pipegrade in the background (stdout and stderr to files in `dir`). */
static pid_t start_pipegrade(const char *dir, const char *const *envp, const char *const *args)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *o = xasprintf("%s/stdout", dir), *e = xasprintf("%s/stderr", dir);
		int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fo, 1), dup2(fe, 2);
		close(0);
		const char *argv[16] = { "pipegrade" };
		for (int i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		execve(tu_pipegrade(), (char *const *)argv, (char *const *)envp);
		_exit(98);
	}
	return pid;
}

static bool exists(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	bool there = access(p, F_OK) == 0;
	free(p);
	return there;
}

/* SIGTERM in the middle of a class: 128 + SIGTERM, the finished students graded and the
 * others "not graded" in the gradebook, and a rerun completes the job. */
START_TEST(class_interrupted)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	char *dir = tu_mkdtemp(), *yaml, *class_dir, *out = NULL;
	slow_class(dir, 3, &yaml, &class_dir);
	out = xasprintf("%s/out", dir);
	const char *args[] = { "class", "-c", yaml, "-j", "1", "--out", out, class_dir, NULL };
	pid_t pid = start_pipegrade(dir, env, args);
	for (int i = 0; i < 300 && !exists(out, "students/s1/slow/result.tsv"); i++)
		usleep(50000);
	usleep(300000); /* s2 is running */
	kill(pid, SIGTERM);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 128 + SIGTERM);
	ck_assert_int_eq(tu_count_descendants(), 0);
	char *csv = xasprintf("%s/gradebook.csv", out);
	struct buf b = BUF_INIT;
	ck_assert_int_eq(read_file(csv, &b), 0);
	ck_assert_str_eq(b.data, "student,slow,total,max,status\ns1,1,1,1,passed\n"
				 "s2,,0,1,not graded\ns3,,0,1,not graded\n");
	struct run_result r;
	pipegrade(&r, "class", "-c", yaml, "-j", "2", "--out", out, class_dir, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out.data, "3 students, 3 submissions (1 unchanged since the "
						 "last run)"));
	buf_reset(&b);
	ck_assert_int_eq(read_file(csv, &b), 0);
	ck_assert_str_eq(b.data, "student,slow,total,max,status\ns1,1,1,1,passed\n"
				 "s2,1,1,1,passed\ns3,1,1,1,passed\n");
	run_result_free(&r);
	buf_free(&b);
	free(csv);
	free(out);
	free(yaml);
	free(class_dir);
	tu_rmdir(dir);
}
END_TEST

/* The grader killed outright (SIGKILL): its workers and their cases die with it, and the next
 * run removes the temporary folders it left. */
START_TEST(class_grader_killed)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0); /* orphans come to us */
	char *dir = tu_mkdtemp(), *yaml, *class_dir;
	slow_class(dir, 4, &yaml, &class_dir);
	char *out = xasprintf("%s/out", dir), *tmp = xasprintf("%s/tmp", dir);
	ck_assert_int_eq(mkdir(tmp, 0755), 0);
	char *tmpdir = xasprintf("TMPDIR=%s", tmp);
	const char *const env_tmp[] = { env[0], env[1], env[2], tmpdir, NULL };
	/* a first run, in which everyone fails; then everyone hands in a fix */
	struct run_result r;
	char *progs[4];
	for (int i = 0; i < 4; i++) {
		char *s = xasprintf("%s/s%d", class_dir, i + 1);
		progs[i] = xasprintf("%s/prog.c", s);
		ck_assert_int_eq(rename(progs[i], tmp_name(progs[i])), 0);
		tu_write(s, "prog.c", "#include <stdio.h>\nint main(void) { puts(\"no\"); }\n");
		free(s);
	}
	pipegrade_in(env_tmp, &r, "class", "-c", yaml, "-j", "2", "--out", out, class_dir, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	run_result_free(&r);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(rename(tmp_name(progs[i]), progs[i]), 0);
		free(progs[i]);
	}
	const char *args[] = { "class", "-c", yaml, "-j", "2", "--out", out, class_dir, NULL };
	pid_t pid = start_pipegrade(dir, env_tmp, args);
	int left = 0;
	for (int i = 0; i < 300 && tu_count_descendants() < 4; i++) /* workers and their cases */
		usleep(20000);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	/* reaping as we go, as init would: a namespace's init ends only once its members are
	 * reaped, and those whose parent was the grader are ours now */
	for (int i = 0; i < 1500 && (left = tu_count_descendants()) > 0; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(20000);
	}
	ck_assert_msg(left == 0, "left after 30 s: %s", tu_describe_descendants());
	/* the gradebook is that of the killed run, never the first one's: each fixed student
	 * either passed or is not graded yet */
	char *csv = xasprintf("%s/gradebook.csv", out);
	struct buf b = BUF_INIT;
	ck_assert_int_eq(read_file(csv, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "student,slow,total,max,status\n"));
	for (int i = 1; i <= 4; i++) {
		char *passed = xasprintf("\ns%d,1,1,1,passed\n", i);
		char *not_graded = xasprintf("\ns%d,,0,1,not graded\n", i);
		ck_assert_msg(strstr(b.data, passed) || strstr(b.data, not_graded), "%s", b.data);
		free(passed);
		free(not_graded);
	}
	buf_free(&b);
	free(csv);
	/* what the killed run left in $TMPDIR goes with the next run */
	pipegrade_in(env_tmp, &r, "class", "-c", yaml, "-j", "2", "--out", out, class_dir, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	DIR *d = opendir(tmp);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		ck_assert_msg(e->d_name[0] == '.', "left behind: %s", e->d_name);
	if (d)
		closedir(d);
	run_result_free(&r);
	free(tmpdir);
	free(tmp);
	free(out);
	free(yaml);
	free(class_dir);
	tu_rmdir(dir);
}
END_TEST

/* Run folders left without a lock: one whose maker's pid is gone (killed between making the
 * folder and its lock) goes at the next run, at once; one whose maker lives (a run starting)
 * stays, and so does a fresh one whose maker cannot be told (another naming). */
START_TEST(dead_run_folders_removed)
{
	char *dir = tu_mkdtemp(), *tmp = xasprintf("%s/tmp", dir);
	ck_assert_int_eq(mkdir(tmp, 0755), 0);
	struct stat ns;
	ck_assert_int_eq(stat("/proc/self/ns/pid", &ns), 0);
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(gone, NULL, 0), gone);
	char *dead = xasprintf("%s/pipegrade-run.%lu-%d.dead01", tmp, (unsigned long)ns.st_ino,
			       (int)gone);
	char *live = xasprintf("%s/pipegrade-run.%lu-%d.live01", tmp, (unsigned long)ns.st_ino,
			       (int)getpid());
	char *other = xasprintf("%s/pipegrade-run.other1", tmp);
	ck_assert_int_eq(mkdir(dead, 0755), 0);
	tu_write(dead, "lock.new", "");
	ck_assert_int_eq(mkdir(live, 0755), 0);
	ck_assert_int_eq(mkdir(other, 0755), 0);
	char *tmpdir = xasprintf("TMPDIR=%s", tmp);
	const char *const env_tmp[] = { env[0], env[1], env[2], tmpdir, NULL };
	struct run_result r;
	char *yaml = xstrdup(tu_path("grading.yaml")); /* tu_path() has one buffer */
	pipegrade_in(env_tmp, &r, "grade", "-c", yaml, "-e", "01-hello",
		     tu_path("solutions/01-hello"), NULL);
	free(yaml);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s%s", r.exit_code, r.out.data, r.err.data);
	ck_assert_msg(access(dead, F_OK) < 0 && errno == ENOENT, "%s is left", dead);
	ck_assert_int_eq(access(live, F_OK), 0);
	ck_assert_int_eq(access(other, F_OK), 0);
	run_result_free(&r);
	free(tmpdir);
	free(dead);
	free(live);
	free(other);
	free(tmp);
	tu_rmdir(dir);
}
END_TEST

/* Another run holds the output folder: exit 2 at once, naming it. */
START_TEST(class_output_busy)
{
	char *dir = tu_mkdtemp(), *yaml, *class_dir;
	slow_class(dir, 1, &yaml, &class_dir);
	char *out = xasprintf("%s/out", dir), *lock = xasprintf("%s/out/.lock", dir);
	ck_assert_int_eq(mkdir(out, 0755), 0);
	tu_write(out, ".lock", "pid 77 on there since 2026-12-03 09:00:00, grading x\n");
	int fd = open(lock, O_RDWR);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	struct run_result r;
	pipegrade(&r, "class", "-c", yaml, "--out", out, class_dir, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	char *want =
		xasprintf("pipegrade: %s is in use by another pipegrade (pid 77 on there since "
			  "2026-12-03 09:00:00, grading x): wait until it ends, or give another "
			  "--out\n",
			  out);
	ck_assert_str_eq(r.err.data, want);
	close(fd);
	run_result_free(&r);
	free(want);
	free(lock);
	free(out);
	free(yaml);
	free(class_dir);
	tu_rmdir(dir);
}
END_TEST

/* Outputs that cannot be written are found before anything is graded: exit 2. */
START_TEST(unwritable_outputs)
{
	char *dir = tu_mkdtemp(), *yaml, *class_dir;
	slow_class(dir, 1, &yaml, &class_dir);
	char *ro = xasprintf("%s/ro", dir);
	ck_assert_int_eq(mkdir(ro, 0755), 0);
	const char *why = "Permission denied";
	if (geteuid() == 0) { /* root writes anywhere but on a read-only file system */
		ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
		ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
		ck_assert_int_eq(mount("tmpfs", ro, "tmpfs", MS_RDONLY, NULL), 0);
		why = "Read-only file system";
	} else {
		ck_assert_int_eq(chmod(ro, 0555), 0);
	}
	char *report = xasprintf("%s/report.txt", ro), *graph = xasprintf("%s/g.dot", ro);
	char *out = xasprintf("%s/out", ro);
	struct run_result r;
	pipegrade(&r, "grade", "-o", report, "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	char *want = xasprintf("pipegrade: cannot write the report %s: %s\n", report, why);
	ck_assert_str_eq(r.err.data, want);
	run_result_free(&r);
	free(want);
	pipegrade(&r, "grade", "--graph", graph, "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	want = xasprintf("pipegrade: cannot write the graph %s: %s\n", graph, why);
	ck_assert_str_eq(r.err.data, want);
	run_result_free(&r);
	free(want);
	pipegrade(&r, "class", "-c", yaml, "--out", out, class_dir, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	want = xasprintf("pipegrade: cannot write in %s: %s\n", out, why);
	ck_assert_str_eq(r.err.data, want);
	ck_assert_str_eq(r.out.data, "");
	run_result_free(&r);
	free(want);
	if (geteuid() == 0)
		umount2(ro, MNT_DETACH);
	else
		chmod(ro, 0755);
	free(out);
	free(graph);
	free(report);
	free(ro);
	free(yaml);
	free(class_dir);
	tu_rmdir(dir);
}
END_TEST

/* Options for one submission's report are refused for a class, not ignored. */
START_TEST(class_refuses_submission_options)
{
	char *dir = tu_mkdtemp(), *yaml, *class_dir;
	slow_class(dir, 1, &yaml, &class_dir);
	struct run_result r;
	pipegrade(&r, "class", "-c", yaml, "--format", "json", class_dir, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.err.data,
			 "pipegrade: --format is for one submission; a class writes "
			 "every report, in every format, into --out (see docs/batch.md)\n");
	run_result_free(&r);
	free(yaml);
	free(class_dir);
	tu_rmdir(dir);
}
END_TEST

/* --stress and --seed: bad values and combinations are usage errors that say what is wanted. */
START_TEST(stress_and_seed_usage)
{
	static const struct {
		const char *opt, *value, *with, *says;
	} bad[] = {
		{ "--stress", "-1", NULL,
		  "--stress takes a number of stressed runs from 0 to 1000 "
		  "(0: none), not '-1'\n" },
		{ "--stress", "x", NULL, "not 'x'\n" },
		{ "--stress", "1001", NULL, "not '1001'\n" },
		{ "--seed", "0", NULL,
		  "--seed takes the seed of a run, from 1 to "
		  "18446744073709551615 (the one a race finding names), not "
		  "'0'\n" },
		{ "--seed", "-3", NULL, "not '-3'\n" },
		{ "--seed", "18446744073709551616", NULL, "not '18446744073709551616'\n" },
		{ "--seed", "4", "--no-monitor",
		  "--seed runs the cases under the process monitor, "
		  "each once, under that seed: it cannot go with "
		  "--no-monitor (docs/stress.md)\n" },
		{ "--stress", "2", "--no-monitor",
		  "--stress runs the cases under the process "
		  "monitor: it cannot go with --no-monitor" },
	};
	struct run_result r;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (bad[i].with)
			pipegrade(&r, "grade", bad[i].opt, bad[i].value, bad[i].with,
				  "solutions/01-hello", NULL);
		else
			pipegrade(&r, "grade", bad[i].opt, bad[i].value, "solutions/01-hello",
				  NULL);
		ck_assert_int_eq(r.exit_code, 2);
		ck_assert_msg(strstr(r.err.data, bad[i].says) != NULL, "%s %s: %s", bad[i].opt,
			      bad[i].value, r.err.data);
		ck_assert_uint_eq(r.out.len, 0);
		run_result_free(&r);
	}
	pipegrade(&r, "grade", "--seed", "4", "--stress", "3", "solutions/01-hello", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err.data, "it cannot go with --stress"));
	run_result_free(&r);
	pipegrade(&r, "class", "--seed", "4", "solutions", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.err.data, "pipegrade: --seed is for one submission; a class writes "
				     "every report, in every format, into --out (see "
				     "docs/batch.md)\n");
	run_result_free(&r);
	pipegrade(&r, "--help", NULL);
	ck_assert_ptr_nonnull(strstr(r.out.data, "\n      --stress N        run every case N"));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\n      --seed S          replay: run each"));
	ck_assert_ptr_nonnull(strstr(r.out.data, "pipegrade grade --seed 4 --case 2 --explain"));
	run_result_free(&r);
}
END_TEST

/* A replay: each case once under the seed; the JSON says which, with the schedule, and so do
 * the text report's notes; --stress 2 is two more runs of each case, which all pass. */
START_TEST(grade_replay_and_stress)
{
	struct run_result r;
	pipegrade(&r, "grade", "-e", "01-hello", "--case", "1", "--seed", "77", "-f", "json", "-f",
		  "text", "solutions/01-hello", NULL);
	ck_assert_msg(r.exit_code == 0, "%s%s", r.out.data, r.err.data);
	const char *json = r.out.data, *text = strstr(json, "\n}\n01-hello");
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(json_validate(json, (size_t)(text - json) + 2), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"seed\": 77, \"schedule\": {\"seed\": 77, "));
	ck_assert_ptr_null(strstr(json, "\"stress\""));
	ck_assert_ptr_nonnull(strstr(text, "\nnote: Each case ran once, under seed 77 (--seed), "
					   "instead of its plain run"));
	run_result_free(&r);
	pipegrade(&r, "grade", "-e", "01-hello", "--case", "1", "--stress", "2", "-f", "json",
		  "solutions/01-hello", NULL);
	ck_assert_msg(r.exit_code == 0, "%s%s", r.out.data, r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "\"stress\": {\"runs\": 2, \"failed\": 0}"));
	ck_assert_ptr_null(strstr(r.out.data, "\"seed\""));
	run_result_free(&r);
}
END_TEST

/* Interrupted during the stress runs: it stops there, like an interrupted plain run; the case
 * is not graded, and nothing is left running. */
START_TEST(interrupted_during_stress)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0); /* orphans would come to us */
	char *dir = tu_mkdtemp();
	const char *const args[] = {
		"grade",  "--lang", "en",       "-e",   "01-hello",
		"--case", "1",      "--stress", "1000", tu_path("solutions/01-hello"),
		NULL
	};
	pid_t pid = start_pipegrade(dir, env, args);
	struct timespec ts = { 2, 0 }; /* built, and some of its 1000 stressed runs made */
	nanosleep(&ts, NULL);
	kill(pid, SIGTERM);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 128 + SIGTERM);
	char *report = xasprintf("%s/stdout", dir);
	struct buf text = BUF_INIT;
	ck_assert_int_eq(read_file(report, &text), 0);
	ck_assert_msg(strstr(text.data, "INCOMPLETE: pipegrade was interrupted by SIGTERM after 0 "
					"of 1 cases.\n") != NULL,
		      "%s", text.data);
	ck_assert_int_eq(tu_count_descendants(), 0);
	buf_free(&text);
	free(report);
	tu_rmdir(dir);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, help);
	tcase_add_test(tc, check_config);
	tcase_add_test(tc, bad_config);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, internal_error);
	tcase_add_test(tc, class_output_busy);
	tcase_add_test(tc, unwritable_outputs);
	tcase_add_test(tc, class_refuses_submission_options);
	tcase_add_test(tc, graph_fails_at_close);
	tcase_add_test(tc, finds_installed_course);
	tcase_add_test(tc, stress_and_seed_usage);
	suite_add_tcase(s, tc);
	/* the slow ones apart: check_main.c runs them in parallel */
	tu_test_unit(s, grade_solution_json, NULL, NULL, 120);
	tu_test_unit(s, grade_infers_exercise, NULL, NULL, 120);
	tu_test_unit(s, grade_archived_class, NULL, NULL, 120);
	tu_test_unit(s, grade_faulty_exit_1, NULL, NULL, 120);
	tu_test_unit(s, grade_replay_and_stress, NULL, NULL, 120);
	tu_test_unit(s, keep_build_directory, NULL, NULL, 120);
	tu_test_unit(s, class_interrupted, NULL, NULL, 120);
	tu_test_unit(s, class_grader_killed, NULL, NULL, 120);
	tu_test_unit(s, dead_run_folders_removed, NULL, NULL, 60);
	tu_test_unit(s, explain_and_graph, NULL, NULL, 120);
	tu_test_unit(s, interrupted_by_sigterm, NULL, NULL, 120);
	tu_test_unit(s, interrupted_during_stress, NULL, NULL, 120);
	return s;
}
