/* test_batch.c: a whole class graded by workers: the gradebook, per-student Gradescope
 * results, identical results for any number of workers, reruns that skip what did not change,
 * --force and --only. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "i18n.h"
#include "jsoncheck.h"
#include "suites.h"
#include "testutil.h"

static char *dir;                  /* the class and the outputs */
static struct batch_options extra; /* options of the next run_batch() beyond those it takes */
static struct course course;
static const struct exercise *exs[2];

static void copy_folder(const char *from_rel, const char *to)
{
	char *cmd = xasprintf("mkdir -p '%s' && cp -R '%s/%s/.' '%s'", to, tu_top(), from_rel, to);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void setup(void)
{
	i18n_set("en");
	memset(&extra, 0, sizeof extra);
	dir = tu_mkdtemp();
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(tu_path("grading.yaml"), &course, &err), 0);
	buf_free(&err);
	exs[0] = course_find_exercise(&course, "01-hello");
	exs[1] = course_find_exercise(&course, "02-long-message");
	char *p;
	copy_folder("solutions/01-hello", p = xasprintf("%s/class/ana/01-hello", dir)), free(p);
	copy_folder("solutions/02-long-message",
		    p = xasprintf("%s/class/ana/02-long-message", dir)),
		free(p);
	copy_folder("tests/fixtures/01-hello/no-newline",
		    p = xasprintf("%s/class/bruno/01-hello", dir)),
		free(p);
	copy_folder("tests/fixtures/02-long-message/compile-error",
		    p = xasprintf("%s/class/bruno/02-long-message", dir)),
		free(p);
	copy_folder("tests/fixtures/01-hello/never-waits",
		    p = xasprintf("%s/class/carla/01-hello", dir)),
		free(p);
}

static void teardown(void)
{
	course_free(&course);
	tu_rmdir(dir);
}

static void run_batch(const char *out, int jobs, bool force, const char *only,
		      struct batch_summary *sum)
{
	char *class_dir = xasprintf("%s/class", dir);
	char *out_dir = xasprintf("%s/%s", dir, out);
	struct batch_options bo = extra;
	bo.jobs = jobs, bo.out_dir = out_dir, bo.force = force, bo.only = only;
	struct buf err = BUF_INIT;
	ck_assert(batch_is_class(class_dir));
	ck_assert_msg(batch_grade(&course, exs, 2, class_dir, &bo, sum, &err) == 0, "%s", err.data);
	ck_assert_int_eq(tu_count_descendants(), 0);
	buf_free(&err);
	free(class_dir);
	free(out_dir);
}

static char *slurp(const char *out, const char *file)
{
	char *path = xasprintf("%s/%s/%s", dir, out, file);
	struct buf b = BUF_INIT;
	ck_assert_msg(read_file(path, &b) == 0, "cannot read %s", path);
	free(path);
	return buf_detach(&b);
}

START_TEST(gradebook)
{
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.students, 3);
	ck_assert_int_eq(sum.jobs, 5);
	ck_assert_int_eq(sum.reused, 0);
	ck_assert_int_eq(sum.lost_points, 2);
	ck_assert_int_eq(sum.compile_errors, 1);
	ck_assert_int_eq(sum.errors, 0);
	char *csv = slurp("out", "gradebook.csv");
	ck_assert_str_eq(csv, "student,01-hello,02-long-message,total,max,status\n"
			      "ana,10,10,20,20,passed\n"
			      "bruno,0,0,0,20,compile_error\n"
			      "carla,7.5,,7.5,20,failed\n");
	free(csv);
	char *json = slurp("out", "students/bruno/results.json");
	ck_assert_uint_eq(json_validate(json, strlen(json)), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"score\": 0,\n  \"max_score\": 20,"));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"01-hello: mensaje corto\""));
	ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"02-long-message: 0 bytes\""));
	free(json);
	char *summary = slurp("out", "summary.txt");
	ck_assert_ptr_nonnull(strstr(summary,
				     "3 students, 5 submissions (0 unchanged since the last "
				     "run): 2 lost points, 1 did not build, 0 missing, 0 "
				     "could not be graded, 0 not graded.\n"));
	ck_assert_ptr_nonnull(
		strstr(summary, "    1 student:  compile_error in 02-long-message\n"));
	ck_assert_ptr_nonnull(strstr(summary, "    1 student:  orphan in 01-hello\n"));
	ck_assert_ptr_nonnull(strstr(summary,
				     "\nCases failed most often:\n"
				     "    2 of 3: 01-hello / mensaje por defecto (most often "
				     "wrong_output: 1)\n"));
	ck_assert_ptr_nonnull(strstr(summary, "    1 of 2: 02-long-message / N no válido (most "
					      "often compile_error: 1)\n"));
	free(summary);
	char *junit = slurp("out", "junit.xml");
	ck_assert_ptr_nonnull(strstr(junit,
				     "<testsuites>\n  <testsuite name=\"ana/01-hello\" tests=\"5\" "
				     "failures=\"0\""));
	ck_assert_ptr_nonnull(strstr(junit, "<testsuite name=\"bruno/02-long-message\" tests=\"8\" "
					    "failures=\"8\""));
	ck_assert_ptr_nonnull(strstr(junit, "<failure type=\"compile_error\""));
	free(junit);
	char *html = slurp("out", "summary.html");
	ck_assert_ptr_nonnull(strstr(html, "<svg"));
	ck_assert_ptr_nonnull(strstr(html, "href=\"students/carla/01-hello/report.txt\""));
	ck_assert_ptr_nonnull(strstr(html,
				     "<h2>Cases failed most often</h2>\n<ul class=\"findings\">"
				     "\n<li><b>2 of 3</b>: 01-hello / mensaje por defecto (most "
				     "often <code>wrong_output</code>: 1)</li>\n"));
	/* the same status as the gradebook: one aggregate per student */
	ck_assert_ptr_nonnull(strstr(html,
				     "<td>bruno</td><td class=\"num\"><a href=\"students/bruno/"
				     "01-hello/report.txt\">0</a></td><td class=\"num\"><a href="
				     "\"students/bruno/02-long-message/report.txt\">0</a></td><td "
				     "class=\"num\">0 / 20</td><td><span class=\"status "
				     "st-compile-error\">compile_error</span></td></tr>"));
	free(html);
	char *txt = slurp("out", "students/carla/01-hello/report.txt");
	ck_assert_ptr_nonnull(strstr(txt, "orphan"));
	free(txt);
	char *cases = slurp("out", "cases.csv");
	ck_assert_ptr_nonnull(strstr(cases, "exercise,case,graded,failed,most_common_finding,"
					    "students_with_it\n"));
	/* bruno's 02 did not build: every case of it counts as failed, by compile_error */
	ck_assert_ptr_nonnull(strstr(cases, "\n02-long-message,0 bytes,2,1,compile_error,1\n"));
	free(cases);
}
END_TEST

/* One worker or two: the same gradebook and the same reports. */
START_TEST(same_for_any_jobs)
{
	struct batch_summary one, two;
	run_batch("one", 1, false, NULL, &one);
	run_batch("two", 2, false, NULL, &two);
	static const char *const files[] = { "gradebook.csv", "cases.csv",
					     "students/ana/results.json",
					     "students/bruno/01-hello/result.tsv",
					     "students/carla/01-hello/result.tsv" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *a = slurp("one", files[i]), *b = slurp("two", files[i]);
		if (strstr(files[i], ".json")) { /* timings differ: compare the scores */
			*strstr(a, "\"tests\"") = '\0';
			*strstr(b, "\"tests\"") = '\0';
		}
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
}
END_TEST

/* A rerun with nothing changed reuses every result; a change regrades that one only. */
START_TEST(rerun_skips_unchanged)
{
	struct batch_summary first, again, changed, forced;
	run_batch("out", 2, false, NULL, &first);
	char *csv1 = slurp("out", "gradebook.csv");
	run_batch("out", 2, false, NULL, &again);
	ck_assert_int_eq(again.reused, 5);
	char *csv2 = slurp("out", "gradebook.csv");
	ck_assert_str_eq(csv1, csv2);
	char *fixed = xasprintf("%s/class/bruno/01-hello", dir);
	copy_folder("solutions/01-hello", fixed);
	run_batch("out", 2, false, NULL, &changed);
	ck_assert_int_eq(changed.reused, 4);
	char *csv3 = slurp("out", "gradebook.csv");
	ck_assert_ptr_nonnull(strstr(csv3, "bruno,10,0,10,20,compile_error\n"));
	run_batch("out", 2, true, NULL, &forced);
	ck_assert_int_eq(forced.reused, 0);
	free(fixed);
	free(csv1);
	free(csv2);
	free(csv3);
}
END_TEST

/* A change to a data file of grading.yaml (an expected output) regrades: it is part of the
 * content hash, like grading.yaml itself. */
START_TEST(rerun_after_data_change)
{
	char *course_dir = xasprintf("%s/course", dir);
	char *p = xasprintf("mkdir -p '%s'", course_dir);
	ck_assert_int_eq(system(p), 0);
	free(p);
	tu_write(course_dir, "grading.yaml",
		 "exercises:\n"
		 "  - id: 01-hello\n"
		 "    title: t\n"
		 "    binary: hello\n"
		 "    cases:\n"
		 "      - name: saludo\n"
		 "        stdout: {file: want.txt}\n"
		 "        points: 4\n");
	tu_write(course_dir, "want.txt", "Hijo recibió: Hola desde el padre!\n");
	struct course small;
	struct buf err = BUF_INIT;
	char *yaml = xasprintf("%s/grading.yaml", course_dir);
	ck_assert_msg(config_load(yaml, &small, &err) == 0, "%s", err.data);
	const struct exercise *one[] = { &small.exercises[0] };
	char *class_dir = xasprintf("%s/class", dir), *out_dir = xasprintf("%s/small-out", dir);
	struct batch_options bo = { .jobs = 1, .out_dir = out_dir, .only = "ana" };
	struct batch_summary sum;
	ck_assert_msg(batch_grade(&small, one, 1, class_dir, &bo, &sum, &err) == 0, "%s", err.data);
	ck_assert_int_eq(sum.reused, 0);
	ck_assert_int_eq(sum.lost_points, 0);
	ck_assert_msg(batch_grade(&small, one, 1, class_dir, &bo, &sum, &err) == 0, "%s", err.data);
	ck_assert_int_eq(sum.reused, 1);
	tu_write(course_dir, "want.txt", "otra cosa\n");
	ck_assert_msg(batch_grade(&small, one, 1, class_dir, &bo, &sum, &err) == 0, "%s", err.data);
	ck_assert_int_eq(sum.reused, 0);
	ck_assert_int_eq(sum.lost_points, 1);
	char *csv = slurp("small-out", "gradebook.csv");
	ck_assert_str_eq(csv, "student,01-hello,total,max,status\nana,0,0,4,failed\n"
			      "bruno,,0,4,not graded\ncarla,,0,4,not graded\n");
	ck_assert_int_eq(tu_count_descendants(), 0);
	free(csv);
	course_free(&small);
	buf_free(&err);
	free(class_dir);
	free(out_dir);
	free(yaml);
	free(course_dir);
}
END_TEST

/* --only regrades one student and keeps everyone else's rows in every class file. */
START_TEST(only_one_student)
{
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	char *fixed = xasprintf("%s/class/carla/01-hello", dir);
	copy_folder("solutions/01-hello", fixed);
	run_batch("out", 2, false, "carla", &sum);
	ck_assert_int_eq(sum.students, 1);
	ck_assert_int_eq(sum.jobs, 1);
	ck_assert_int_eq(sum.reused, 0);
	char *csv = slurp("out", "gradebook.csv");
	ck_assert_str_eq(csv, "student,01-hello,02-long-message,total,max,status\n"
			      "ana,10,10,20,20,passed\n"
			      "bruno,0,0,0,20,compile_error\n"
			      "carla,10,,10,20,missing\n");
	free(csv);
	char *junit = slurp("out", "junit.xml");
	ck_assert_ptr_nonnull(strstr(junit, "<testsuite name=\"ana/02-long-message\""));
	ck_assert_ptr_nonnull(strstr(junit, "<testsuite name=\"carla/01-hello\" tests=\"5\" "
					    "failures=\"0\""));
	free(junit);
	free(fixed);
}
END_TEST

/* `s` with every number written "N": times and pids differ from run to run (the scores are
 * compared exactly in the gradebook and the summary). malloc'd. */
static char *without_numbers(const char *s)
{
	struct buf b = BUF_INIT;
	while (*s) {
		if (*s >= '0' && *s <= '9') {
			buf_puts(&b, "N");
			while ((*s >= '0' && *s <= '9') || *s == '.')
				s++;
		} else {
			buf_append(&b, s++, 1);
		}
	}
	return buf_detach(&b);
}

/* Two shards merged give what one run over the whole class gives. */
START_TEST(shards_merged_equal_whole)
{
	struct batch_summary whole, merged;
	run_batch("whole", 2, false, NULL, &whole);
	char *class_dir = xasprintf("%s/class", dir);
	for (int k = 1; k <= 2; k++) {
		char *out = xasprintf("%s/shard%d", dir, k);
		struct batch_options bo = { .jobs = 1, .out_dir = out, .shard_k = k, .shard_n = 2 };
		struct batch_summary sum;
		struct buf err = BUF_INIT;
		ck_assert_int_eq(batch_grade(&course, exs, 2, class_dir, &bo, &sum, &err), 0);
		ck_assert_int_lt(sum.students, 3); /* each shard has a share, not the whole class */
		buf_free(&err);
		free(out);
	}
	char *shards[] = { xasprintf("%s/shard1", dir), xasprintf("%s/shard2", dir) };
	char *out = xasprintf("%s/merged", dir);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(batch_merge(&course, exs, 2, (const char *const *)shards, 2, out, &merged,
				     &err),
			 0);
	ck_assert_int_eq(merged.students, whole.students);
	ck_assert_int_eq(merged.jobs, whole.jobs);
	static const char *const exact[] = { "gradebook.csv", "summary.txt" };
	for (size_t i = 0; i < 2; i++) {
		char *a = slurp("whole", exact[i]), *b = slurp("merged", exact[i]);
		ck_assert_str_eq(a, b);
		free(a), free(b);
	}
	static const char *const files[] = { "junit.xml",
					     "cases.csv",
					     "students/ana/results.json",
					     "students/bruno/results.json",
					     "students/carla/results.json",
					     "students/carla/01-hello/report.txt" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *a = slurp("whole", files[i]), *b = slurp("merged", files[i]);
		char *ta = without_numbers(a), *tb = without_numbers(b);
		ck_assert_msg(!strcmp(ta, tb), "%s differs", files[i]);
		free(a), free(b), free(ta), free(tb);
	}
	buf_free(&err);
	free(out);
	free(shards[0]);
	free(shards[1]);
	free(class_dir);
}
END_TEST

/* Students who hand in archives: unpacked safely, graded like folders; a broken one is an
 * error for that student only. */
START_TEST(archives)
{
	char *cmd =
		xasprintf("cd '%s/class' && mkdir -p dora/01-hello && cp ana/01-hello/* dora/01-hello/ "
			  "&& tar czf dora.tar.gz dora && rm -r dora && printf 'no' > eva.zip",
			  dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.students, 5);
	ck_assert_int_eq(sum.errors, 1);
	char *csv = slurp("out", "gradebook.csv");
	ck_assert_ptr_nonnull(strstr(csv, "\ndora,10,,10,20,missing\n"));
	ck_assert_ptr_nonnull(strstr(csv, "\neva,0,,0,20,error\n"));
	free(csv);
	char *why = slurp("out", "students/eva/01-hello/report.txt");
	ck_assert_ptr_nonnull(strstr(why, "eva.zip: "));
	free(why);
}
END_TEST

/* A result is reused only when nothing it depends on changed: not after --no-monitor, another
 * language, the instructor's view of hidden cases or other stress runs. */
START_TEST(reuse_key_covers_options)
{
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	extra.grade.no_monitor = true;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 0);
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 5);
	extra.grade.no_monitor = false;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 0);
	i18n_set("es");
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 0);
	char *txt = slurp("out", "students/carla/01-hello/report.txt");
	ck_assert_ptr_nonnull(strstr(txt, "Nota: 7.5/10"));
	free(txt);
	extra.show_hidden = true;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 0);
	/* --stress: a result graded with other stress runs is graded again */
	extra.grade.stress_runs = 1;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 0);
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 5);
	extra.grade.stress_runs = 2;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.reused, 0);
}
END_TEST

/* --show-hidden: the instructor's view of hidden cases, in every report of the class. */
START_TEST(show_hidden_in_class)
{
	struct batch_summary sum;
	run_batch("out", 2, false, "bruno", &sum);
	char *txt = slurp("out", "students/bruno/01-hello/report.txt");
	ck_assert_ptr_nonnull(strstr(txt, "This is a hidden case: its details are not shown."));
	free(txt);
	extra.show_hidden = true;
	run_batch("out", 2, false, "bruno", &sum);
	txt = slurp("out", "students/bruno/01-hello/report.txt");
	ck_assert_ptr_null(strstr(txt, "This is a hidden case"));
	ck_assert_ptr_nonnull(
		strstr(txt, "── mensaje con saltos de línea ──\n    command: ./hello"));
	free(txt);
}
END_TEST

/* A folder and an archive for the same student: which one? An error for that student, with
 * what to do, never both graded into the same files. */
START_TEST(ambiguous_student)
{
	char *cmd = xasprintf("cd '%s/class' && mkdir -p dup/01-hello && cp ana/01-hello/* "
			      "dup/01-hello/ && tar czf dup.tar.gz dup",
			      dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.errors, 1);
	char *csv = slurp("out", "gradebook.csv");
	ck_assert_ptr_nonnull(strstr(csv, "\ndup,0,,0,20,error\n"));
	free(csv);
	char *why = slurp("out", "students/dup/01-hello/report.txt");
	ck_assert_str_eq(why, "dup: more than one submission: the folder dup/ and dup.tar.gz; keep "
			      "only one of them in the class folder\n");
	free(why);
}
END_TEST

/* Students named like the class's files: they live apart, under students/. */
START_TEST(names_like_outputs)
{
	const char *names[] = { "gradebook.csv", "students", "summary.txt", ".lock" };
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s/class/%s/01-hello", dir, names[i]);
		copy_folder("solutions/01-hello", p);
		free(p);
	}
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.students, 6); /* ".lock" is hidden, as every dot-name */
	char *csv = slurp("out", "gradebook.csv");
	ck_assert_ptr_nonnull(strstr(csv, "\ngradebook.csv,10,,10,20,missing\n"));
	ck_assert_ptr_nonnull(strstr(csv, "\nstudents,10,,10,20,missing\n"));
	ck_assert_ptr_nonnull(strstr(csv, "\nsummary.txt,10,,10,20,missing\n"));
	free(csv);
	char *txt = slurp("out", "students/students/01-hello/report.txt");
	ck_assert_ptr_nonnull(strstr(txt, "Score: 10/10"));
	free(txt);
}
END_TEST

/* Another run holds the output folder: refused at once, naming the holder. */
START_TEST(output_folder_locked)
{
	char *out = xasprintf("%s/out", dir), *lock = xasprintf("%s/out/.lock", dir);
	ck_assert_int_eq(mkdir(out, 0755), 0);
	tu_write(out, ".lock", "pid 4242 on elsewhere since 2026-12-03 10:00:00, grading x\n");
	int fd = open(lock, O_RDWR);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	pid_t k = fork(); /* another process: flock is per open file */
	if (k == 0) {
		char *class_dir = xasprintf("%s/class", dir);
		struct batch_options bo = { .jobs = 1, .out_dir = out };
		struct batch_summary sum;
		struct buf err = BUF_INIT;
		int rc = batch_grade(&course, exs, 2, class_dir, &bo, &sum, &err);
		char *want = xasprintf("%s is in use by another pipegrade (pid 4242 on elsewhere "
				       "since 2026-12-03 10:00:00, grading x): wait until it ends, "
				       "or give another --out",
				       out);
		_exit(rc == BATCH_REFUSED && !strcmp(err.data, want) ? 0 : 1);
	}
	int status;
	ck_assert_int_eq(waitpid(k, &status, 0), k);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
	char *csv = xasprintf("%s/gradebook.csv", out);
	ck_assert_int_ne(access(csv, F_OK), 0); /* nothing was graded */
	free(csv);
	free(lock);
	free(out);
}
END_TEST

/* Every .json below `root` is valid JSON. */
static void all_json_valid(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", root, e->d_name);
		struct stat st;
		size_t n = strlen(e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			all_json_valid(p);
		} else if (n > 5 && !strcmp(e->d_name + n - 5, ".json")) {
			struct buf b = BUF_INIT;
			ck_assert_int_eq(read_file(p, &b), 0);
			ck_assert_msg(json_validate(b.data ? b.data : "", b.len) == 0,
				      "%s is not valid JSON", p);
			buf_free(&b);
		}
		free(p);
	}
	if (d)
		closedir(d);
}

/* The output folder fills up during a regrade: the student's old result is never shown as
 * current (on the progress line or anywhere), no file is left half written, the batch fails
 * naming the file. */
START_TEST(full_output_folder)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		tu_skip("full_output_folder", "needs root, for a small tmpfs as the output folder");
		return;
	}
	char *out = xasprintf("%s/out", dir);
	ck_assert_int_eq(mkdir(out, 0755), 0);
	ck_assert_int_eq(mount("tmpfs", out, "tmpfs", 0, "size=512k"), 0);
	struct batch_summary sum;
	run_batch("out", 1, false, "ana", &sum);
	ck_assert_int_eq(sum.lost_points, 0);
	char *filler = xasprintf("%s/filler", out);
	int fd = open(filler, O_WRONLY | O_CREAT, 0644);
	char block[4096];
	memset(block, 'x', sizeof block);
	while (write(fd, block, sizeof block) > 0)
		;
	close(fd);
	char *ana = xasprintf("%s/class/ana/01-hello", dir);
	copy_folder("tests/fixtures/01-hello/no-newline", ana);
	free(ana);
	char *progress = NULL;
	size_t plen = 0;
	FILE *pf = open_memstream(&progress, &plen);
	char *class_dir = xasprintf("%s/class", dir);
	struct batch_options bo = { .jobs = 1, .out_dir = out, .only = "ana", .progress = pf };
	struct buf err = BUF_INIT;
	ck_assert_int_eq(batch_grade(&course, exs, 2, class_dir, &bo, &sum, &err), BATCH_FAILED);
	fclose(pf);
	ck_assert_msg(strstr(err.data, "cannot write ") &&
			      strstr(err.data, "No space left on device"),
		      "%s", err.data);
	ck_assert_msg(!strstr(progress, "ana 01-hello: 10/10"), "%s", progress);
	/* the old result is gone: at most an error stands in its place, and the gradebook, if
	 * there is one, does not show it */
	char *tsv = xasprintf("%s/students/ana/01-hello/result.tsv", out);
	struct buf r = BUF_INIT;
	if (read_file(tsv, &r) == 0)
		ck_assert_ptr_nonnull(strstr(r.data, "\nstatus\terror\n"));
	buf_reset(&r);
	char *csv = xasprintf("%s/gradebook.csv", out);
	if (read_file(csv, &r) == 0)
		ck_assert_msg(!strstr(r.data, "\nana,10,"), "%s", r.data);
	free(csv);
	buf_free(&r);
	unlink(filler);
	all_json_valid(out);
	ck_assert_int_eq(umount2(out, MNT_DETACH), 0);
	free(tsv);
	free(progress);
	free(class_dir);
	buf_free(&err);
	free(filler);
	free(out);
}
END_TEST

/* A class where every case passes: no finding to count or sort (an empty list must not reach
 * qsort(), whose array may not be NULL: UBSan's nonnull check stops that), "none" twice in the
 * summary, and the class page written. */
START_TEST(everyone_passed)
{
	tu_rmdir(xasprintf("%s/class/bruno", dir));
	tu_rmdir(xasprintf("%s/class/carla", dir));
	struct batch_summary sum;
	run_batch("out", 2, false, NULL, &sum);
	ck_assert_int_eq(sum.students, 1);
	ck_assert_int_eq(sum.lost_points + sum.compile_errors + sum.missing + sum.errors, 0);
	char *summary = slurp("out", "summary.txt");
	ck_assert_msg(strstr(summary, "\nMost common findings:\n  none\n") &&
			      strstr(summary, "\nCases failed most often:\n  none\n"),
		      "%s", summary);
	free(summary);
	char *html = slurp("out", "summary.html");
	ck_assert_ptr_nonnull(strstr(html, "<td>ana</td>"));
	free(html);
}
END_TEST

START_TEST(shard_parsing)
{
	int k, n;
	ck_assert_int_eq(batch_parse_shard("2/3", &k, &n), 0);
	ck_assert_int_eq(k, 2);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(batch_parse_shard("0/3", &k, &n), -1);
	ck_assert_int_eq(batch_parse_shard("4/3", &k, &n), -1);
	ck_assert_int_eq(batch_parse_shard("1/", &k, &n), -1);
	ck_assert_int_eq(batch_parse_shard("x", &k, &n), -1);
}
END_TEST

START_TEST(class_or_submission)
{
	ck_assert(!batch_is_class(tu_path("solutions/01-hello")));
	ck_assert(!batch_is_class(tu_path("solutions/08-pipex"))); /* a Makefile and libft/ */
	ck_assert(batch_is_class(tu_path("tests/fixtures/01-hello")));
}
END_TEST

Suite *batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("batch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rerun_after_data_change);
	tcase_add_test(tc, class_or_submission);
	tcase_add_test(tc, shard_parsing);
	tcase_add_test(tc, show_hidden_in_class);
	tcase_add_test(tc, output_folder_locked);
	tcase_add_test(tc, full_output_folder);
	tcase_add_test(tc, everyone_passed);
	suite_add_tcase(s, tc);
	/* the slow ones apart: check_main.c runs them in parallel */
	tu_test_unit(s, gradebook, setup, teardown, 120);
	tu_test_unit(s, same_for_any_jobs, setup, teardown, 120);
	tu_test_unit(s, rerun_skips_unchanged, setup, teardown, 120);
	tu_test_unit(s, only_one_student, setup, teardown, 120);
	tu_test_unit(s, shards_merged_equal_whole, setup, teardown, 120);
	tu_test_unit(s, archives, setup, teardown, 120);
	tu_test_unit(s, reuse_key_covers_options, setup, teardown, 120);
	tu_test_unit(s, ambiguous_student, setup, teardown, 120);
	tu_test_unit(s, names_like_outputs, setup, teardown, 120);
	return s;
}
