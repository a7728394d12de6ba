/*
 * main.c: pipegrade's command line. Nothing but the CLI lives here.
 *
 * How a case flows through the program:
 *   config_load()       grading.yaml into plain structs (config.c; yamldoc.c reads the YAML)
 *   grade_submission()  for one submission of one exercise (grade.c):
 *     build_submission()  copy into a private directory and compile, with a time limit (build.c)
 *     run_program()       each case: fork, pipes, limits, one ppoll() loop, kill the tree (run.c)
 *       monitor_*()         trace every process; stuck trees, leaks, orphans (monitor*.c)
 *     compare_output()    what it printed against what the case expects (compare.c)
 *     findings            what happened as kinds and messages, and points (findings.c, grade.c)
 *   report_write_*()    text for people, JSON for machines (report_*.c)
 *
 * Exit status: 0 every case passed; 1 some case lost points; 2 usage or configuration error;
 * 3 pipegrade itself failed; 128+N stopped by signal N. A broken submission is never a
 * reason for 3.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "config.h"
#include "grade.h"
#include "i18n.h"
#include "report.h"
#include "report_monitor.h"

#define EXIT_ALL_PASSED 0
#define EXIT_LOST_POINTS 1
#define EXIT_USAGE 2
#define EXIT_INTERNAL 3

#ifndef PIPEGRADE_VERSION
#define PIPEGRADE_VERSION "0.1.0"
#endif

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_JUNIT };

struct cli {
	const char *config;
	const char *exercise;
	const char *only_case;
	const char *output;
	enum format format;
	int color; /* -1 auto, 0 never, 1 always */
	bool show_hidden;
	bool verbose;
	bool keep;
	bool explain;
	bool no_monitor;
	const char *graph;
	int jobs;            /* batch: workers at once; 0: one per core */
	const char *out_dir; /* batch: the output folder */
	bool force;
	const char *only;
	int shard_k, shard_n;
};

static void usage(FILE *f)
{
	fputs("usage: pipegrade grade [options] SUBMISSION\n"
	      "       pipegrade check-config [FILE]\n"
	      "       pipegrade list [FILE]\n"
	      "       pipegrade merge [-c FILE] [-e all|ID] --out DIR SHARD_DIR...\n"
	      "       pipegrade --help | --version\n"
	      "\n"
	      "Grades a C submission of a Unix pipe exercise: compiles it, runs every case of the\n"
	      "exercise with limits, compares what it printed and how it exited, and scores it.\n"
	      "SUBMISSION is a folder with the student's .c files (or a Makefile), or one .c file.\n"
	      "\n"
	      "commands:\n"
	      "  grade          grade one submission, or a whole class\n"
	      "  check-config   check grading.yaml and report every error as FILE:LINE:COLUMN\n"
	      "  list           list the exercises and their cases\n"
	      "  merge          join the output folders of sharded runs into one\n"
	      "\n"
	      "options:\n"
	      "  -c, --config FILE     the course's grading file (default: ./grading.yaml; without\n"
	      "                        one, the course installed with pipegrade, in\n"
	      "                        share/pipegrade/grading.yaml beside its bin folder)\n"
	      "  -e, --exercise ID     the exercise to grade (default: the only one, or the one\n"
	      "                        whose id is the submission's folder name)\n"
	      "      --case NAME       grade only this case\n"
	      "  -f, --format FMT      text (default), json (Gradescope results.json) or junit\n"
	      "  -o, --output FILE     write the report to FILE instead of stdout\n"
	      "      --lang LANG       en or es (default: from LANG / LC_ALL)\n"
	      "      --color WHEN      auto (default), always or never; NO_COLOR disables auto\n"
	      "      --show-hidden     show the details of hidden cases (for instructors)\n"
	      "  -v, --verbose         show the build output even when it succeeded\n"
	      "      --keep            keep the temporary build directory and print its path\n"
	      "      --explain         for a deadlock or hang, show every process and pipe\n"
	      "      --graph FILE.dot  write the processes and pipes of the first deadlocked or\n"
	      "                        hung case as a Graphviz graph (dot -Tpng FILE.dot)\n"
	      "      --no-monitor      do not watch the processes (no deadlock, hang, fd_leak,\n"
	      "                        orphan or structure findings; hangs become timeouts)\n"
	      "\n"
	      "a whole class (SUBMISSION is a folder of student folders, or of .zip/.tar.gz\n"
	      "archives, one per student):\n"
	      "  -e all                grade every exercise (each student folder then holds one\n"
	      "                        folder per exercise, named by its id)\n"
	      "  -j, --jobs N          grade N submissions at once (default: one per core)\n"
	      "      --out DIR         where the gradebook and reports go (default: results):\n"
	      "                        gradebook.csv, cases.csv, junit.xml, summary.txt and\n"
	      "                        summary.html, and students/NAME/ for each student;\n"
	      "                        one run at a time (DIR/.lock)\n"
	      "      --force           regrade everything, even what did not change\n"
	      "      --only STUDENT    grade one student (the others' results are kept)\n"
	      "      --shard K/N       grade only shard K of N of the students (for several\n"
	      "                        machines); 'pipegrade merge' joins the shards' folders\n"
	      "  A rerun grades only what changed, and what an interrupted run did not grade.\n"
	      "  -o, --format, --graph, --case, --keep and --explain are for one submission.\n"
	      "\n"
	      "  -h, --help            this help\n"
	      "      --version         pipegrade's version\n"
	      "\n"
	      "exit status: 0 every case passed, 1 some case lost points,\n"
	      "             2 usage or grading.yaml error, 3 pipegrade itself failed,\n"
	      "             128+N stopped by signal N (SIGINT, SIGTERM, SIGHUP): every process\n"
	      "             of the case is killed and the report is marked incomplete.\n"
	      "\n"
	      "sandbox: every build and case runs in namespaces of its own with an allow-list\n"
	      "root, a disk quota, a system call filter and limits, as root or not; each\n"
	      "report names the protections in force and what is missing (docs/sandbox.md).\n"
	      "  TMPDIR               where builds and cases get their private folders\n"
	      "  PIPEGRADE_SLOT_DIR   as root: the lock files of the sandbox slots, which every\n"
	      "                       grader on the machine must share (/var/lib/pipegrade/slots)\n"
	      "  PIPEGRADE_UID_BASE   as root: the first of the 500 uids of the slots (60600)\n"
	      "\n"
	      "examples:\n"
	      "  pipegrade grade -e 01-hello submissions/ana\n"
	      "  pipegrade grade -e 02-long-message --format json -o results.json ana/\n"
	      "  pipegrade grade -e all -j 4 --out results submissions/\n"
	      "  pipegrade check-config -c grading.yaml\n",
	      f);
}

static int parse_options(int argc, char **argv, struct cli *cli)
{
	enum {
		OPT_CASE = 256,
		OPT_LANG,
		OPT_COLOR,
		OPT_SHOW_HIDDEN,
		OPT_KEEP,
		OPT_VERSION,
		OPT_EXPLAIN,
		OPT_GRAPH,
		OPT_NO_MONITOR,
		OPT_OUT,
		OPT_FORCE,
		OPT_ONLY,
		OPT_SHARD
	};
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "exercise", required_argument, NULL, 'e' },
		{ "case", required_argument, NULL, OPT_CASE },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "show-hidden", no_argument, NULL, OPT_SHOW_HIDDEN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "graph", required_argument, NULL, OPT_GRAPH },
		{ "no-monitor", no_argument, NULL, OPT_NO_MONITOR },
		{ "jobs", required_argument, NULL, 'j' },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "c:e:f:o:vhj:", longopts, NULL)) != -1) {
		enum lang lang;
		switch (opt) {
		case 'c':
			cli->config = optarg;
			break;
		case 'e':
			cli->exercise = optarg;
			break;
		case OPT_CASE:
			cli->only_case = optarg;
			break;
		case 'o':
			cli->output = optarg;
			break;
		case 'v':
			cli->verbose = true;
			break;
		case OPT_SHOW_HIDDEN:
			cli->show_hidden = true;
			break;
		case OPT_KEEP:
			cli->keep = true;
			break;
		case OPT_EXPLAIN:
			cli->explain = true;
			break;
		case OPT_GRAPH:
			cli->graph = optarg;
			break;
		case OPT_NO_MONITOR:
			cli->no_monitor = true;
			break;
		case OPT_OUT:
			cli->out_dir = optarg;
			break;
		case OPT_FORCE:
			cli->force = true;
			break;
		case OPT_ONLY:
			cli->only = optarg;
			break;
		case OPT_SHARD:
			if (batch_parse_shard(optarg, &cli->shard_k, &cli->shard_n) < 0) {
				fprintf(stderr, "pipegrade: --shard takes K/N with 1 <= K <= N\n");
				return -1;
			}
			break;
		case 'j':
			cli->jobs = atoi(optarg);
			if (cli->jobs < 1 || cli->jobs > 256) {
				fprintf(stderr,
					"pipegrade: -j takes a number of workers from 1 to 256\n");
				return -1;
			}
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				cli->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				cli->format = FORMAT_JSON;
			else if (!strcmp(optarg, "junit"))
				cli->format = FORMAT_JUNIT;
			else {
				fprintf(stderr,
					"pipegrade: unknown format '%s' (use text, json or junit)\n",
					optarg);
				return -1;
			}
			break;
		case OPT_LANG:
			if (i18n_parse(optarg, &lang) < 0) {
				fprintf(stderr, "pipegrade: unknown language '%s' (use en or es)\n",
					optarg);
				return -1;
			}
			i18n_set(lang);
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				cli->color = -1;
			else if (!strcmp(optarg, "always"))
				cli->color = 1;
			else if (!strcmp(optarg, "never"))
				cli->color = 0;
			else {
				fprintf(stderr, "pipegrade: --color takes auto, always or never\n");
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_ALL_PASSED);
		case OPT_VERSION:
			printf("pipegrade %s\n", PIPEGRADE_VERSION);
			exit(EXIT_ALL_PASSED);
		default:
			fputs("Try 'pipegrade --help'.\n", stderr);
			return -1;
		}
	}
	return 0;
}

/* The grading file when none is given: ./grading.yaml, or else, when there is none, the course
 * that `make install` put beside pipegrade: PREFIX/share/pipegrade/grading.yaml for
 * PREFIX/bin/pipegrade (the binary's real path, links resolved). The returned string is static. */
static const char *default_config(void)
{
	static char installed[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n;
	if (access("grading.yaml", F_OK) == 0 ||
	    (n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
		return "grading.yaml";
	exe[n] = '\0';
	char *bin = strrchr(exe, '/'); /* exe: PREFIX/bin/pipegrade */
	if (bin)
		*bin = '\0';
	char *prefix = bin ? strrchr(exe, '/') : NULL;
	if (!prefix)
		return "grading.yaml";
	*prefix = '\0';
	snprintf(installed, sizeof installed, "%s/share/pipegrade/grading.yaml", exe);
	return access(installed, F_OK) == 0 ? installed : "grading.yaml";
}

static int load_course(const struct cli *cli, struct course *c)
{
	struct buf errors = BUF_INIT;
	int rc = config_load(cli->config, c, &errors);
	if (rc < 0)
		fputs(errors.data ? errors.data : "pipegrade: cannot load the grading file\n",
		      stderr);
	buf_free(&errors);
	return rc;
}

static const struct exercise *pick_exercise(const struct course *c, const struct cli *cli,
					    const char *submission)
{
	if (cli->exercise) {
		const struct exercise *ex = course_find_exercise(c, cli->exercise);
		if (!ex)
			fprintf(stderr,
				"pipegrade: no exercise '%s' in %s (see 'pipegrade list')\n",
				cli->exercise, cli->config);
		return ex;
	}
	if (c->nexercises == 1)
		return &c->exercises[0];
	char *base = path_basename(submission);
	const struct exercise *ex = course_find_exercise(c, base);
	free(base);
	if (!ex)
		fprintf(stderr,
			"pipegrade: which exercise? Give it with -e ID (see 'pipegrade list')\n");
	return ex;
}

static bool use_color(const struct cli *cli, FILE *out)
{
	if (cli->color >= 0)
		return cli->color == 1;
	const char *no = getenv("NO_COLOR");
	return !(no && *no) && isatty(fileno(out));
}

static int write_report(const struct cli *cli, const struct submission_result *res)
{
	FILE *out = stdout;
	if (cli->output && !(out = fopen(cli->output, "we"))) {
		fprintf(stderr, "pipegrade: cannot write %s: %s\n", cli->output, strerror(errno));
		return -1;
	}
	struct report_options ro = { .color = use_color(cli, out),
				     .show_hidden = cli->show_hidden,
				     .verbose = cli->verbose,
				     .explain = cli->explain };
	int rc = cli->format == FORMAT_JSON    ? report_write_json(out, res, &ro)
		 : cli->format == FORMAT_JUNIT ? report_write_junit(out, res, &ro)
					       : report_write_text(out, res, &ro);
	if (out != stdout && fclose(out) != 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "pipegrade: cannot write the report: %s\n", strerror(errno));
	return rc;
}

/* Writes the graph of the first deadlocked or hung case; says so when there is none. */
static int write_graph(const char *path, const struct submission_result *res)
{
	for (size_t i = 0; i < res->ncases; i++) {
		const struct monitor_facts *stuck = case_stuck_facts(&res->cases[i]);
		if (!stuck)
			continue;
		char *dot = report_graph_dot(&stuck->snap);
		FILE *f = fopen(path, "we");
		int rc = f && fputs(dot, f) != EOF ? 0 : -1;
		free(dot);
		int e = errno;
		if (f && fclose(f) != 0 && rc == 0) /* closed once, whether or not it fails */
			rc = -1, e = errno;
		if (rc < 0) {
			fprintf(stderr, "pipegrade: cannot write %s: %s\n", path, strerror(e));
			return -1;
		}
		fprintf(stderr, "pipegrade: graph of case \"%s\" written to %s\n",
			res->cases[i].tc->name, path);
		return 0;
	}
	fprintf(stderr, "pipegrade: no case deadlocked or hung: no graph written\n");
	return 0;
}

/* Grades one submission and writes its report; returns the exit status. */
static int grade_one(const struct cli *cli, const struct course *c, const struct exercise *ex,
		     const char *submission)
{
	struct grade_options go = { .only_case = cli->only_case,
				    .keep_workdir = cli->keep,
				    .no_monitor = cli->no_monitor };
	struct submission_result res;
	struct buf err = BUF_INIT;
	int status;
	if (grade_submission(c, ex, submission, &go, &res, &err) < 0) {
		fprintf(stderr, "pipegrade: internal error: %s\n", err.data ? err.data : "?");
		status = EXIT_INTERNAL;
	} else if (write_report(cli, &res) < 0) {
		status = EXIT_INTERNAL;
	} else if (res.interrupted) {
		status = 128 + res.interrupted;
	} else {
		status = submission_passed(&res) ? EXIT_ALL_PASSED : EXIT_LOST_POINTS;
	}
	if (res.workdir)
		fprintf(stderr, "pipegrade: build directory kept: %s\n", res.workdir);
	if (cli->graph && status != EXIT_INTERNAL && write_graph(cli->graph, &res) < 0)
		status = EXIT_INTERNAL;
	buf_free(&err);
	submission_result_free(&res);
	return status;
}

static bool has_case(const struct exercise *ex, const char *name)
{
	for (size_t i = 0; i < ex->ncases; i++)
		if (!strcmp(ex->cases[i].name, name))
			return true;
	fprintf(stderr, "pipegrade: exercise %s has no case '%s' (see 'pipegrade list')\n", ex->id,
		name);
	return false;
}

/* The exercises -e names ("all" or none: every one). NULL after saying why. */
static const struct exercise **chosen_exercises(const struct cli *cli, const struct course *c,
						size_t *n)
{
	const struct exercise **exs = xcalloc(c->nexercises, sizeof *exs);
	bool all = !cli->exercise || !strcmp(cli->exercise, "all");
	*n = 0;
	for (size_t i = 0; i < c->nexercises; i++)
		if (all || !strcmp(c->exercises[i].id, cli->exercise))
			exs[(*n)++] = &c->exercises[i];
	if (*n == 0) {
		fprintf(stderr, "pipegrade: no exercise '%s' in %s (see 'pipegrade list')\n",
			cli->exercise, cli->config);
		free(exs);
		return NULL;
	}
	return exs;
}

/* Prints the summary a batch left in its output folder. */
static void print_summary(const char *out_dir)
{
	char *path = xasprintf("%s/summary.txt", out_dir);
	struct buf text = BUF_INIT;
	if (read_file(path, &text) == 0)
		fputs(text.data, stdout);
	printf(L("\nResults in %s/ (gradebook.csv, cases.csv, summary.html, students/).\n",
		 "\nResultados en %s/ (gradebook.csv, cases.csv, summary.html, students/).\n"),
	       out_dir);
	buf_free(&text);
	free(path);
}

/* The exit status of a class run: of the submissions it graded. */
static int batch_status(const struct batch_summary *sum)
{
	return sum->interrupted                                          ? 128 + sum->interrupted
	       : sum->errors                                             ? EXIT_INTERNAL
	       : sum->lost_points || sum->compile_errors || sum->missing ? EXIT_LOST_POINTS
									 : EXIT_ALL_PASSED;
}

/* Options for one submission's report make no sense for a class, which writes every format
 * into --out: said rather than ignored. */
static bool class_options_ok(const struct cli *cli)
{
	const char *bad = cli->output                  ? "-o"
			  : cli->format != FORMAT_TEXT ? "--format"
			  : cli->graph                 ? "--graph"
			  : cli->only_case             ? "--case"
			  : cli->keep                  ? "--keep"
			  : cli->explain               ? "--explain"
						       : NULL;
	if (bad)
		fprintf(stderr,
			"pipegrade: %s is for one submission; a class writes every report, in "
			"every format, into --out (see docs/batch.md)\n",
			bad);
	return bad == NULL;
}

/* A class folder: every student, one worker per submission, a gradebook. */
static int grade_class(const struct cli *cli, const struct course *c, const char *class_dir)
{
	if (!class_options_ok(cli))
		return EXIT_USAGE;
	size_t n;
	const struct exercise **exs = chosen_exercises(cli, c, &n);
	if (!exs)
		return EXIT_USAGE;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct batch_options bo = {
		.jobs = cli->jobs ? cli->jobs : (cores > 0 ? (int)cores : 1),
		.out_dir = cli->out_dir ? cli->out_dir : "results",
		.force = cli->force,
		.only = cli->only,
		.progress = stderr,
		.progress_tty = isatty(2),
		.grade = { .no_monitor = cli->no_monitor },
		.show_hidden = cli->show_hidden,
		.shard_k = cli->shard_k,
		.shard_n = cli->shard_n,
	};
	struct batch_summary sum;
	struct buf err = BUF_INIT;
	int rc = batch_grade(c, exs, n, class_dir, &bo, &sum, &err), status;
	if (rc == BATCH_REFUSED) {
		fprintf(stderr, "pipegrade: %s\n", err.data);
		status = EXIT_USAGE;
	} else {
		if (rc == 0 || sum.jobs)
			print_summary(bo.out_dir);
		if (rc < 0)
			fprintf(stderr, "pipegrade: %s\n",
				err.data ? err.data : "the batch failed");
		status = sum.interrupted ? 128 + sum.interrupted
			 : rc < 0        ? EXIT_INTERNAL
					 : batch_status(&sum);
	}
	buf_free(&err);
	free(exs);
	return status;
}

/* Can `path` be written (the file, or a new file in its folder)? Says why not. Checked before
 * grading, so that a class or a long case is not graded for nothing. */
static bool writable(const char *path, const char *what)
{
	char *dir = path_dirname(path);
	bool ok = access(path, F_OK) == 0 ? access(path, W_OK) == 0 : access(dir, W_OK | X_OK) == 0;
	if (!ok)
		fprintf(stderr, "pipegrade: cannot write %s %s: %s\n", what, path, strerror(errno));
	free(dir);
	return ok;
}

static int cmd_grade(const struct cli *cli, int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr,
			"pipegrade grade: give exactly one SUBMISSION (a folder or a .c file)\n");
		return EXIT_USAGE;
	}
	struct stat st;
	if (stat(argv[0], &st) < 0) {
		fprintf(stderr, "pipegrade: %s: %s\n", argv[0], strerror(errno));
		return EXIT_USAGE;
	}
	struct course c;
	if (load_course(cli, &c) < 0)
		return EXIT_USAGE;
	if (S_ISDIR(st.st_mode) && batch_is_class(argv[0])) {
		int rc = grade_class(cli, &c, argv[0]);
		course_free(&c);
		return rc;
	}
	const struct exercise *ex = pick_exercise(&c, cli, argv[0]);
	int status = EXIT_USAGE;
	if (ex && (!cli->only_case || has_case(ex, cli->only_case)) &&
	    (!cli->output || writable(cli->output, "the report")) &&
	    (!cli->graph || writable(cli->graph, "the graph")))
		status = grade_one(cli, &c, ex, argv[0]);
	course_free(&c);
	return status;
}

static int cmd_merge(const struct cli *cli, int argc, char **argv)
{
	if (argc < 1 || !cli->out_dir) {
		fprintf(stderr, "pipegrade merge: give --out DIR and the shards' output folders\n");
		return EXIT_USAGE;
	}
	struct course c;
	if (load_course(cli, &c) < 0)
		return EXIT_USAGE;
	size_t n;
	const struct exercise **exs = chosen_exercises(cli, &c, &n);
	int status = EXIT_USAGE;
	if (exs) {
		struct batch_summary sum;
		struct buf err = BUF_INIT;
		int rc = batch_merge(&c, exs, n, (const char *const *)argv, (size_t)argc,
				     cli->out_dir, &sum, &err);
		if (rc < 0) {
			fprintf(stderr, "pipegrade: %s\n",
				err.data ? err.data : "the merge failed");
			status = rc == BATCH_REFUSED ? EXIT_USAGE : EXIT_INTERNAL;
		} else {
			print_summary(cli->out_dir);
			status = batch_status(&sum);
		}
		buf_free(&err);
	}
	free(exs);
	course_free(&c);
	return status;
}

static int cmd_check_config(const struct cli *cli)
{
	struct course c;
	if (load_course(cli, &c) < 0)
		return EXIT_USAGE;
	size_t ncases = 0;
	for (size_t i = 0; i < c.nexercises; i++)
		ncases += c.exercises[i].ncases;
	printf("%s: ok, %zu exercises, %zu cases\n", cli->config, c.nexercises, ncases);
	course_free(&c);
	return EXIT_ALL_PASSED;
}

static int cmd_list(const struct cli *cli)
{
	struct course c;
	if (load_course(cli, &c) < 0)
		return EXIT_USAGE;
	for (size_t i = 0; i < c.nexercises; i++) {
		const struct exercise *ex = &c.exercises[i];
		double total = 0;
		size_t graded = 0;
		for (size_t k = 0; k < ex->ncases; k++)
			if (!ex->cases[k].bonus || ex->bonus)
				total += ex->cases[k].points, graded++;
		printf("%s  %s  (%zu cases, %g points)\n", ex->id, ex->title, graded, total);
		for (size_t k = 0; k < ex->ncases; k++) {
			const struct test_case *tc = &ex->cases[k];
			int pad = 40 - (int)utf8_columns(tc->name);
			printf("    %s%*s %g%s%s\n", tc->name, pad > 0 ? pad : 0, "", tc->points,
			       tc->hidden ? "  hidden" : "",
			       tc->bonus ? (ex->bonus ? "  bonus" : "  bonus (not graded)") : "");
		}
	}
	course_free(&c);
	return EXIT_ALL_PASSED;
}

/* SIGINT, SIGTERM and SIGHUP stay pending until a run reads them from its signalfd: then the
 * run kills its processes and grading stops with a report marked incomplete (see run.h). A
 * signal that comes between two runs is taken by the next one. */
static void block_stop_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int main(int argc, char **argv)
{
	struct cli cli = { .color = -1 };
	block_stop_signals();
	i18n_set(i18n_from_env());
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_ALL_PASSED;
	}
	if (!strcmp(cmd, "--version")) {
		printf("pipegrade %s\n", PIPEGRADE_VERSION);
		return EXIT_ALL_PASSED;
	}
	if (parse_options(argc - 1, argv + 1, &cli) < 0)
		return EXIT_USAGE;
	int rest = argc - 1 - optind;
	char **args = argv + 1 + optind;
	bool config_cmd = !strcmp(cmd, "check-config") || !strcmp(cmd, "list");
	if (config_cmd && rest == 1)
		cli.config = args[0]; /* pipegrade check-config FILE */
	if (!cli.config)
		cli.config = default_config();
	if (!strcmp(cmd, "grade"))
		return cmd_grade(&cli, rest, args);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(&cli, rest, args);
	if (config_cmd && rest <= 1)
		return !strcmp(cmd, "list") ? cmd_list(&cli) : cmd_check_config(&cli);
	fprintf(stderr, "pipegrade: unknown command '%s'. Try 'pipegrade --help'.\n", cmd);
	return EXIT_USAGE;
}
