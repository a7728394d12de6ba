/*
 * test_sched.c: stress mode's scheduler (monitor_sched.c) on real programs, compiled here from
 * tests/monitor/stress-*.c: reads cut at a write boundary, writes over PIPE_BUF split and still
 * whole for the program, smaller pipes, sleeps that end at once, the same seed giving the same
 * run, deadlocks still found, threads stopping the choosing. Each seed's perturbations are read
 * from its schedule, so the tests say what each seed must do, not which seeds do it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

static const char *const env[] = { (char *)"PATH=/usr/local/bin:/usr/bin:/bin", (char *)"LC_ALL=C",
				   NULL };
static char *bindir;

static void setup(void)
{
	bindir = tu_mkdtemp();
}

static void teardown(void)
{
	tu_rmdir(bindir);
	bindir = NULL;
}

static char *compile(const char *name)
{
	return tu_compile_monitor_program(bindir, name, NULL);
}

struct outcome {
	struct run_result r;
	struct monitor_conclusion c;
};

/* Runs `bin` under the monitor, stressed with `seed` (0: a plain run). */
static void run_seed(const char *bin, unsigned long long seed, double wall, struct outcome *o)
{
	const char *argv[] = { bin, NULL };
	struct monitor *m = monitor_new();
	if (seed)
		monitor_set_stress(m, seed);
	struct run_spec spec = { .file = bin,
				 .argv = argv,
				 .envp = env,
				 .cwd = bindir,
				 .wall_s = wall,
				 .cpu_s = wall,
				 .output_bytes = 1 << 20,
				 .grace_s = -1,
				 .monitor = m };
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, &o->r, &err), 0);
	ck_assert(o->r.monitored);
	monitor_conclude(m, NULL, o->r.leftovers, &o->c);
	monitor_free(m);
	buf_free(&err);
	ck_assert_int_eq(tu_count_descendants(), 0);
}

static void outcome_free(struct outcome *o)
{
	run_result_free(&o->r);
	monitor_conclusion_free(&o->c);
}

/* The run's stdout as a string (the programs write text). */
static const char *out_of(const struct outcome *o)
{
	return o->r.out.len ? o->r.out.data : "";
}

/* The first step of this kind, or NULL. */
static const struct monitor_step *find_step(const struct monitor_schedule *s,
					    enum monitor_step_kind kind)
{
	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].kind == kind)
			return &s->steps[i];
	return NULL;
}

/* Two writes pending, one read with room for both: a seed that cuts every read it can gets
 * the first write alone; one that cuts none gets both; the plain run always both. */
START_TEST(short_read_at_write_boundary)
{
	char *bin = compile("stress-two-writes");
	struct outcome o;
	run_seed(bin, 0, 5, &o);
	ck_assert_str_eq(out_of(&o), "hola mundo\n");
	ck_assert_int_eq((int)o.c.schedule.seed, 0);
	ck_assert_int_eq((int)o.c.schedule.nsteps, 0);
	outcome_free(&o);
	int cut = 0, whole = 0;
	for (unsigned long long seed = 1; seed <= 12; seed++) {
		run_seed(bin, seed, 5, &o);
		const struct monitor_schedule *s = &o.c.schedule;
		ck_assert_int_eq((int)s->seed, (int)seed);
		ck_assert_int_eq(o.r.end, RUN_EXITED);
		const struct monitor_step *rd = find_step(s, MONITOR_STEP_READ);
		ck_assert_ptr_nonnull(rd);
		ck_assert_str_eq(rd->role, "1");
		ck_assert_int_eq(rd->fd, 3);
		ck_assert_str_eq(rd->ipc, "A");
		ck_assert_int_eq((int)rd->bytes, 100);
		if (rd->cut == 5) {
			ck_assert_str_eq(out_of(&o), "hola ");
			cut++;
		} else {
			ck_assert_int_eq((int)rd->cut, -1);
			ck_assert_str_eq(out_of(&o), "hola mundo\n");
			whole++;
		}
		if (s->short_reads == 100)
			ck_assert_int_eq((int)rd->cut, 5);
		if (s->short_reads == 0)
			ck_assert_int_eq((int)rd->cut, -1);
		outcome_free(&o);
	}
	ck_assert_int_gt(cut, 0);
	ck_assert_int_gt(whole, 0);
	free(bin);
}
END_TEST

/* Writes over PIPE_BUF go in pieces of 4096 bytes, each a step; for the program each is still
 * one write() that wrote everything; some seed interleaves the two writers. */
START_TEST(split_writes_stay_whole)
{
	char *bin = compile("stress-big-writes");
	int interleaved = 0;
	for (unsigned long long seed = 1; seed <= 12; seed++) {
		struct outcome o;
		run_seed(bin, seed, 5, &o);
		long bytes, runs;
		int bad;
		ck_assert_int_eq(sscanf(out_of(&o), "%ld %ld %d", &bytes, &runs, &bad), 3);
		ck_assert_int_eq(bytes, 20000);
		ck_assert_int_eq(bad, 0); /* each write() returned 10000 */
		ck_assert_int_ge(runs, 2);
		interleaved += runs > 2;
		int pieces = 0;
		for (size_t i = 0; i < o.c.schedule.nsteps; i++) {
			const struct monitor_step *st = &o.c.schedule.steps[i];
			if (st->kind != MONITOR_STEP_WRITE || st->bytes != 10000)
				continue;
			ck_assert_int_ge(st->cut, 1);
			ck_assert_int_le(st->cut, 4096);
			pieces++;
		}
		ck_assert_int_eq(pieces, 6); /* 4096 + 4096 + 1808, twice */
		outcome_free(&o);
	}
	ck_assert_int_gt(interleaved, 0);
	free(bin);
}
END_TEST

/* Every new pipe has the size the seed chose (64 KiB when none). */
START_TEST(pipes_made_smaller)
{
	char *bin = compile("stress-pipe-size");
	bool smaller = false;
	for (unsigned long long seed = 1; seed <= 8; seed++) {
		struct outcome o;
		run_seed(bin, seed, 5, &o);
		int size = o.c.schedule.pipe_size ? o.c.schedule.pipe_size : 65536;
		char want[32];
		snprintf(want, sizeof want, "%d\n", size);
		ck_assert_str_eq(out_of(&o), want);
		smaller = smaller || size < 65536;
		outcome_free(&o);
	}
	ck_assert(smaller);
	free(bin);
}
END_TEST

/* A sleep ends at once (the program sleeps 10 s; the limit is 5 s); ordering by sleep() shows:
 * some seed prints the parent's line first. */
START_TEST(sleep_returns_at_once)
{
	char *bin = compile("stress-sleep-order");
	int parent_first = 0, child_first = 0;
	for (unsigned long long seed = 1; seed <= 12; seed++) {
		struct outcome o;
		run_seed(bin, seed, 5, &o);
		ck_assert_int_eq(o.r.end, RUN_EXITED);
		const struct monitor_step *sl = find_step(&o.c.schedule, MONITOR_STEP_SLEEP);
		ck_assert_ptr_nonnull(sl);
		ck_assert_str_eq(sl->role, "");
		if (!strcmp(out_of(&o), "padre\nhijo\n"))
			parent_first++;
		else if (!strcmp(out_of(&o), "hijo\npadre\n"))
			child_first++;
		else
			ck_abort_msg("seed %llu: %s", seed, out_of(&o));
		outcome_free(&o);
	}
	ck_assert_int_gt(parent_first, 0);
	ck_assert_int_gt(child_first, 0);
	free(bin);
}
END_TEST

/* The same seed, ten times: the same output and the same steps. */
START_TEST(same_seed_same_run)
{
	char *bin = compile("stress-big-writes");
	struct outcome first;
	run_seed(bin, 4, 5, &first);
	ck_assert_int_gt((int)first.c.schedule.nsteps, 10);
	for (int i = 0; i < 10; i++) {
		struct outcome o;
		run_seed(bin, 4, 5, &o);
		ck_assert_str_eq(out_of(&o), out_of(&first));
		const struct monitor_schedule *a = &first.c.schedule, *b = &o.c.schedule;
		ck_assert_int_eq((int)a->total, (int)b->total);
		ck_assert_int_eq((int)a->nsteps, (int)b->nsteps);
		for (size_t k = 0; k < a->nsteps; k++) {
			ck_assert_int_eq(a->steps[k].kind, b->steps[k].kind);
			ck_assert_str_eq(a->steps[k].role, b->steps[k].role);
			ck_assert_int_eq(a->steps[k].fd, b->steps[k].fd);
			ck_assert_int_eq((int)a->steps[k].bytes, (int)b->steps[k].bytes);
			ck_assert_int_eq((int)a->steps[k].cut, (int)b->steps[k].cut);
		}
		outcome_free(&o);
	}
	outcome_free(&first);
	free(bin);
}
END_TEST

/* A deadlock is one under every seed, found as in a plain run (the processes the scheduler
 * holds are not taken for stuck ones, and it lets them into their calls when none can go on). */
START_TEST(deadlock_still_found)
{
	char *bin = compile("stress-keeps-write-end");
	for (unsigned long long seed = 1; seed <= 4; seed++) {
		struct outcome o;
		run_seed(bin, seed, 5, &o);
		ck_assert_int_eq(o.r.end, RUN_STUCK);
		ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
		ck_assert_int_eq(o.c.schedule.off, MONITOR_SCHED_ON);
		outcome_free(&o);
	}
	free(bin);
}
END_TEST

/* A thread: the scheduler stops choosing, and the run goes on as usual. */
START_TEST(threads_stop_the_choosing)
{
	char *bin = compile("thread-read");
	struct outcome o;
	run_seed(bin, 3, 5, &o);
	ck_assert_int_eq(o.c.schedule.off, MONITOR_SCHED_THREADS);
	ck_assert_int_le((int)o.c.schedule.off_at, (int)o.c.schedule.total);
	outcome_free(&o);
	free(bin);
}
END_TEST

Suite *sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("sched");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, short_read_at_write_boundary);
	tcase_add_test(tc, split_writes_stay_whole);
	tcase_add_test(tc, pipes_made_smaller);
	tcase_add_test(tc, sleep_returns_at_once);
	tcase_add_test(tc, same_seed_same_run);
	tcase_add_test(tc, deadlock_still_found);
	tcase_add_test(tc, threads_stop_the_choosing);
	suite_add_tcase(s, tc);
	return s;
}
