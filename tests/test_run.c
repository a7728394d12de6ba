/* test_run.c: the runner against real programs (sh, cat, yes, sleep): exit codes, signals,
 * stdin and EOF, output caps, timeouts that kill whole trees, and nothing left behind. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "suites.h"
#include "testutil.h"

static const char *const env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL };

/* Runs `sh -c script` with the given stdin and limits. */
static int run_sh(const char *script, const char *in, size_t inlen, double wall, long long cap,
		  struct run_result *res)
{
	const char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct run_spec spec = {
		.file = "/bin/sh",
		.argv = argv,
		.envp = env,
		.stdin_data = in,
		.stdin_len = inlen,
		.wall_s = wall,
		.cpu_s = 0,
		.output_bytes = cap,
		.grace_s = -1,
	};
	struct buf err = BUF_INIT;
	int rc = run_program(&spec, res, &err);
	if (rc != 0)
		fprintf(stderr, "run_program: %s\n", err.data);
	buf_free(&err);
	return rc;
}

START_TEST(exit_status)
{
	struct run_result r;
	ck_assert_int_eq(run_sh("echo hola; echo error >&2; exit 3", NULL, 0, 5, 1024, &r), 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_str_eq(r.out.data, "hola\n");
	ck_assert_str_eq(r.err.data, "error\n");
	ck_assert_int_eq(r.leftovers, 0);
	run_result_free(&r);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(killed_by_signal)
{
	struct run_result r;
	ck_assert_int_eq(run_sh("kill -SEGV $$", NULL, 0, 5, 1024, &r), 0);
	ck_assert_int_eq(r.end, RUN_SIGNALED);
	ck_assert_int_eq(r.term_signal, SIGSEGV);
	ck_assert_int_eq(r.exit_code, -1);
	char *d = run_describe_end(&r);
	ck_assert_str_eq(d, "killed by signal 11 (SIGSEGV: Segmentation fault)");
	free(d);
	run_result_free(&r);
}
END_TEST

START_TEST(stdin_reaches_eof)
{
	struct run_result r;
	const char in[] = "uno\0dos\ntres";
	ck_assert_int_eq(run_sh("cat; echo fin", in, sizeof in - 1, 5, 1024, &r), 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_uint_eq(r.out.len, sizeof in - 1 + 4);
	ck_assert_mem_eq(r.out.data, "uno\0dos\ntresfin\n", r.out.len);
	run_result_free(&r);
}
END_TEST

START_TEST(empty_stdin_is_eof)
{
	struct run_result r;
	ck_assert_int_eq(run_sh("wc -c", NULL, 0, 5, 1024, &r), 0);
	ck_assert_str_eq(r.out.data, "0\n");
	run_result_free(&r);
}
END_TEST

/* The program writes 4 MiB before reading 4 MiB of stdin: the harness must read while it feeds. */
START_TEST(no_feed_deadlock)
{
	size_t n = 4u << 20;
	char *in = malloc(n);
	memset(in, 'x', n);
	struct run_result r;
	ck_assert_int_eq(run_sh("head -c 4194304 /dev/zero; wc -c", in, n, 20, 8 << 20, &r), 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_uint_eq(r.out.len, n + 8);
	ck_assert_str_eq(r.out.data + n, "4194304\n");
	run_result_free(&r);
	free(in);
}
END_TEST

/* A program that never reads its stdin and exits: feeding stops at EPIPE, no SIGPIPE for us. */
START_TEST(program_ignores_stdin)
{
	size_t n = 1u << 20;
	char *in = calloc(1, n);
	struct run_result r;
	ck_assert_int_eq(run_sh("exec 0<&-; echo ok", in, n, 5, 1024, &r), 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_str_eq(r.out.data, "ok\n");
	run_result_free(&r);
	free(in);
}
END_TEST

START_TEST(output_cap)
{
	struct run_result r;
	ck_assert_int_eq(run_sh("yes", NULL, 0, 5, 10000, &r), 0);
	ck_assert_int_eq(r.end, RUN_OUTPUT_LIMIT);
	ck_assert(r.out_capped);
	ck_assert(!r.err_capped);
	ck_assert_uint_eq(r.out.len, 10000);
	ck_assert_int_eq(tu_count_descendants(), 0);
	run_result_free(&r);
}
END_TEST

START_TEST(timeout_kills_tree)
{
	struct run_result r;
	/* A child in the group, and a grandchild that left it with setsid. */
	ck_assert_int_eq(run_sh("sleep 60 & setsid sh -c 'sleep 60' & echo listo; wait", NULL, 0,
				0.3, 1024, &r),
			 0);
	ck_assert_int_eq(r.end, RUN_TIMEOUT);
	ck_assert_str_eq(r.out.data, "listo\n");
	ck_assert(r.wall_s >= 0.3);
	ck_assert_int_eq(tu_count_descendants(), 0);
	char *d = run_describe_end(&r);
	ck_assert_ptr_nonnull(strstr(d, "wall-clock time limit reached"));
	free(d);
	run_result_free(&r);
}
END_TEST

/* A double-forked daemon outlives the main process: it is killed and counted. */
START_TEST(leftover_daemon_killed)
{
	struct run_result r;
	ck_assert_int_eq(run_sh("(setsid sleep 60 >/dev/null 2>&1 &) ; echo fin", NULL, 0, 5, 1024,
				&r),
			 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_int_eq(r.leftovers, 1);
	ck_assert_int_eq(tu_count_descendants(), 0);
	run_result_free(&r);
}
END_TEST

/* Descendants that keep stdout after the main process exits get a short grace, then die. */
START_TEST(leftover_holding_stdout)
{
	struct run_result r;
	ck_assert_int_eq(run_sh("(sleep 0.1; echo tarde; exec sleep 60) & echo pronto", NULL, 0, 5,
				1024, &r),
			 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_str_eq(r.out.data, "pronto\ntarde\n");
	ck_assert_int_eq(r.leftovers, 1);
	ck_assert_int_eq(tu_count_descendants(), 0);
	run_result_free(&r);
}
END_TEST

START_TEST(cpu_limit)
{
	const char *argv[] = { "sh", "-c", "while :; do :; done", NULL };
	struct run_spec spec = { .file = "/bin/sh",
				 .argv = argv,
				 .envp = env,
				 .wall_s = 10,
				 .cpu_s = 0.5,
				 .output_bytes = 1024,
				 .grace_s = -1 };
	struct run_result r;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, &r, &err), 0);
	ck_assert_int_eq(r.end, RUN_CPU_LIMIT);
	run_result_free(&r);
	buf_free(&err);
}
END_TEST

/* A spec that was not started from RUN_SPEC_INIT (a zero wall-clock limit and output cap) is
 * refused, not run with a cap of 0; RUN_SPEC_INIT alone holds working defaults. */
START_TEST(incomplete_spec_refused)
{
	const char *argv[] = { "sh", "-c", "echo hola", NULL };
	struct run_spec zero = { .file = "/bin/sh", .argv = argv, .envp = env };
	struct run_result r;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&zero, &r, &err), -1);
	ck_assert_str_eq(err.data, "pipegrade's own error: an incomplete run_spec (start from "
				   "RUN_SPEC_INIT)");
	run_result_free(&r);
	buf_free(&err);
	struct run_spec spec = RUN_SPEC_INIT;
	spec.file = "/bin/sh", spec.argv = argv, spec.envp = env;
	ck_assert_int_eq(run_program(&spec, &r, &err), 0);
	ck_assert_int_eq(r.end, RUN_EXITED);
	ck_assert_str_eq(r.out.data, "hola\n");
	run_result_free(&r);
	buf_free(&err);
}
END_TEST

START_TEST(exec_failure)
{
	const char *argv[] = { "no-such-program", NULL };
	struct run_spec spec = { .file = "/nonexistent/no-such-program",
				 .argv = argv,
				 .envp = env,
				 .wall_s = 5,
				 .output_bytes = 1024,
				 .grace_s = -1 };
	struct run_result r;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, &r, &err), 0);
	ck_assert_int_eq(r.end, RUN_EXEC_FAILED);
	ck_assert_int_eq(r.exec_errno, ENOENT);
	run_result_free(&r);
	buf_free(&err);
}
END_TEST

/* The program sees only fds 0, 1 and 2, even when the harness has others open. */
START_TEST(only_std_fds)
{
	int extra[2];
	ck_assert_int_eq(pipe(extra), 0); /* deliberately not close-on-exec */
	struct run_result r;
	ck_assert_int_eq(run_sh("ls /proc/self/fd | sort -n | tr '\\n' ' '", NULL, 0, 5, 1024, &r),
			 0);
	/* ls itself opens one fd for the directory it lists: 3. */
	ck_assert_str_eq(r.out.data, "0 1 2 3 ");
	run_result_free(&r);
	close(extra[0]);
	close(extra[1]);
}
END_TEST

/* A hundred runs leave the harness's own fd table as it was. */
START_TEST(no_fd_leak)
{
	int before = tu_count_fds();
	for (int i = 0; i < 100; i++) {
		struct run_result r;
		ck_assert_int_eq(run_sh(i % 2 ? "echo $$" : "cat >/dev/null; exit 1", "x", 1, 5,
					1024, &r),
				 0);
		run_result_free(&r);
	}
	ck_assert_int_eq(tu_count_fds(), before);
	ck_assert_int_eq(tu_count_descendants(), 0);
}
END_TEST

START_TEST(signal_names)
{
	ck_assert_str_eq(signal_name(SIGPIPE), "SIGPIPE");
	ck_assert_str_eq(signal_name(SIGABRT), "SIGABRT");
}
END_TEST

Suite *run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("basics");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, exit_status);
	tcase_add_test(tc, killed_by_signal);
	tcase_add_test(tc, stdin_reaches_eof);
	tcase_add_test(tc, empty_stdin_is_eof);
	tcase_add_test(tc, no_feed_deadlock);
	tcase_add_test(tc, program_ignores_stdin);
	tcase_add_test(tc, exec_failure);
	tcase_add_test(tc, incomplete_spec_refused);
	tcase_add_test(tc, only_std_fds);
	tcase_add_test(tc, signal_names);
	suite_add_tcase(s, tc);
	tc = tu_tcase(s, "limits", NULL); /* a unit of check_main.c's */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, output_cap);
	tcase_add_test(tc, timeout_kills_tree);
	tcase_add_test(tc, cpu_limit);
	tc = tu_tcase(s, "cleanup", NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, leftover_daemon_killed);
	tcase_add_test(tc, leftover_holding_stdout);
	tcase_add_test(tc, no_fd_leak);
	return s;
}
