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
#include "grade_target.h"
#include "i18n.h"
#include "kit.h"
#include "report.h"
#include "report_monitor.h"

#define EXIT_ALL_PASSED 0
#define EXIT_LOST_POINTS 1
#define EXIT_USAGE 2
#define EXIT_INTERNAL 3

#ifndef PIPEGRADE_VERSION
#define PIPEGRADE_VERSION "0.1.0"
#endif

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_JUNIT, FORMAT_GITHUB, FORMAT_TAP, FORMAT_MARKDOWN };

static const char *const format_names[] = { "text", "json", "junit", "github", "tap", "markdown" };
#define NFORMATS (sizeof format_names / sizeof format_names[0])

/* One report to write: -f FMT (to stdout) or -f FMT=FILE. */
struct output {
	enum format format;
	const char *path; /* NULL: stdout */
};

#define MAX_OUTPUTS 8

struct cli {
	const char *config;
	const char *exercise;
	const char *only_case;
	const char *output; /* -o: the file of the one report written to stdout otherwise */
	struct output outputs[MAX_OUTPUTS];
	size_t noutputs;
	bool failures_only;
	int color; /* -1 auto, 0 never, 1 always */
	bool show_hidden;
	bool verbose;
	bool keep;
	bool explain;
	bool no_monitor;
	int stress;              /* --stress N: stressed runs of every case; -1: grading.yaml's */
	unsigned long long seed; /* --seed S: a replay under S; 0: none */
	const char *graph;
	int jobs;            /* batch: workers at once; 0: one per core */
	const char *out_dir; /* batch: the output folder */
	bool force;
	const char *only;
	int shard_k, shard_n;
};

static void usage(FILE *f)
{
	/* TRANSLATORS: the start of pipegrade --help. Keep "pipegrade", the commands, the
	   options and the words in capitals (PATH, DIR, FILE, ID, SHARD_DIR) as they are. */
	fputs(_("usage: pipegrade grade [options] PATH\n"
		"       pipegrade class [options] DIR\n"
		"       pipegrade check-config [FILE]\n"
		"       pipegrade list [FILE]\n"
		"       pipegrade merge [-c FILE] [-e all|ID] --out DIR SHARD_DIR...\n"
		"       pipegrade kit [-c FILE] [-o FILE.tar.gz]\n"
		"       pipegrade --help | --version\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help: what pipegrade does, lines of at most 80 columns. */
	fputs(_("Grades C submissions of Unix pipe exercises: compiles each one, runs every case\n"
		"of its exercise with limits, watches its processes and pipes, compares what it\n"
		"printed and how it exited, and scores it.\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, the commands. Keep the command names, and the
	   descriptions starting in column 18, lines of at most 80 columns. */
	fputs(_("commands:\n"
		"  grade          grade one student's work. PATH is a submission's folder (named\n"
		"                 after its exercise, or give -e ID), one source file (hello.c is\n"
		"                 the exercise whose program is hello), or a repository with\n"
		"                 exercise folders at its top (01-hello/, 03-eof-wc/...: each is\n"
		"                 graded as the exercise it is named after)\n"
		"  class          grade a whole class: DIR holds a folder or an archive per student\n"
		"  check-config   check grading.yaml and report every error as FILE:LINE:COLUMN\n"
		"  list           list the exercises and their cases\n"
		"  merge          join the output folders of sharded class runs into one\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, a heading. */
	fputs(_("options:\n"), f);
	/* TRANSLATORS: pipegrade --help, one option: keep the option's names and its argument
	   (FILE, ID, N...), the description starting in column 25, lines of at most 80 columns;
	   so for every option that follows. */
	fputs(_("  -c, --config FILE     the course's grading file; without it: $PIPEGRADE_CONFIG,\n"
		"                        else grading.yaml here or in a folder above, else the\n"
		"                        course installed with pipegrade\n"
		"                        (share/pipegrade/grading.yaml beside its bin folder)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option ("all" is a value: keep it). */
	fputs(_("  -e, --exercise ID     the exercise to grade; all: every exercise folder of PATH\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --case CASE       grade only this case: its number in 'pipegrade list', its\n"
		"                        name, or the start of it (accents and case do not matter)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option: keep the format names (text, json, junit,
	   github, tap, markdown). */
	fputs(_("  -f, --format FMT[=FILE]  a report, to FILE or to stdout: text (the default),\n"
		"                        json (Gradescope's results.json), junit (XML), github\n"
		"                        (annotations; and $GITHUB_STEP_SUMMARY when set), tap\n"
		"                        (TAP 13) or markdown. Give -f more than once for several;\n"
		"                        the text report still goes to stdout when every other\n"
		"                        one goes to a file (docs/formats.md, docs/ci.md)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("  -o, --output FILE     write the report meant for stdout to FILE\n"), f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --failures-only   list only the cases that lost points\n"), f);
	/* TRANSLATORS: pipegrade --help, one option: keep the language codes and the names of
	   the environment variables. */
	fputs(_("      --lang LANG       en, es or pt_BR, anywhere on the line (default: from\n"
		"                        LANGUAGE, LC_ALL, LC_MESSAGES or LANG)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option: auto, always and never are its values,
	   NO_COLOR a variable: keep them. */
	fputs(_("      --color WHEN      auto (default), always or never; NO_COLOR disables auto\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --show-hidden     show the details of hidden cases (for instructors)\n"), f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("  -v, --verbose         show the build output even when it succeeded\n"), f);
	/* TRANSLATORS: pipegrade --help, one option: "sh DIR/repro.sh [N]" is a command. */
	fputs(_("      --keep            keep the temporary build directory and print its path;\n"
		"                        sh DIR/repro.sh [N] runs a case by hand as it was run\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --explain         for a deadlock or hang, show every process and pipe; for\n"
		"                        a case replayed with --seed, which process ran at each\n"
		"                        step\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option: "dot -Tpng FILE.dot" is a command. */
	fputs(_("      --graph FILE.dot  write the processes and pipes of the first deadlocked or\n"
		"                        hung case as a Graphviz graph (dot -Tpng FILE.dot)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option: fd_leak is the name of a finding. */
	fputs(_("      --no-monitor      do not watch the processes (no deadlock, hang, fd_leak,\n"
		"                        orphan, structure or race findings; hangs become timeouts)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --stress N        run every case N more times under stress, with the seeds\n"
		"                        1 to N: other interleavings, short reads, split writes,\n"
		"                        smaller pipes (docs/stress.md); a run that fails where\n"
		"                        the plain run passed is a race finding, which names its\n"
		"                        seed. Over grading.yaml's stress runs; 0: none (0-1000)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --seed S          replay: run each case once, under seed S (the one a race\n"
		"                        finding names), instead of its plain run; with --case\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, a heading: keep "pipegrade class DIR". */
	fputs(_("a class (pipegrade class DIR):\n"), f);
	/* TRANSLATORS: pipegrade --help, one option of a class ("all" is a value: keep it). */
	fputs(_("  -e all                grade every exercise (the default; each student folder then\n"
		"                        holds one folder per exercise, named by its id)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option of a class. */
	fputs(_("  -j, --jobs N          grade N submissions at once (default: one per core)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option of a class: keep the names of the files
	   and folders it writes, and "results", the folder's default name. */
	fputs(_("      --out DIR         where the gradebook and reports go (default: results):\n"
		"                        gradebook.csv, cases.csv, junit.xml, summary.txt and\n"
		"                        summary.html, and students/NAME/ for each student;\n"
		"                        one run at a time (DIR/.lock)\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option of a class. */
	fputs(_("      --force           regrade everything, even what did not change\n"), f);
	/* TRANSLATORS: pipegrade --help, one option of a class. */
	fputs(_("      --only STUDENT    grade one student (the others' results are kept)\n"), f);
	/* TRANSLATORS: pipegrade --help, one option of a class. */
	fputs(_("      --shard K/N       grade only shard K of N of the students (for several\n"
		"                        machines); 'pipegrade merge' joins the shards' folders\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, the end of a class's options, indented by 2. */
	fputs(_("  A rerun grades only what changed, and what an interrupted run did not grade.\n"
		"  -o, --format, --graph, --case, --seed, --keep and --explain are for one\n"
		"  student.\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("  -h, --help            this help\n"), f);
	/* TRANSLATORS: pipegrade --help, one option. */
	fputs(_("      --version         pipegrade's version\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help: the exit statuses, the text after the numbers in
	   column 14; keep the signal names. */
	fputs(_("exit status: 0 every case passed, 1 some case lost points,\n"
		"             2 usage or grading.yaml error, or nothing found to grade,\n"
		"             3 pipegrade itself failed,\n"
		"             128+N stopped by signal N (SIGINT, SIGTERM, SIGHUP): every process\n"
		"             of the case is killed and the report is marked incomplete.\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help: the sandbox, then its environment variables; keep
	   their names, their descriptions in column 24, and the paths and numbers. */
	fputs(_("sandbox: every build and case runs in namespaces of its own with an allow-list\n"
		"root, a disk quota, a system call filter and limits, as root or not; each\n"
		"report names the protections in force and what is missing (docs/sandbox.md).\n"
		"  TMPDIR               where builds and cases get their private folders\n"
		"  PIPEGRADE_CONFIG     the course's grading file, when -c does not give one\n"
		"  PIPEGRADE_SLOT_DIR   as root: the lock files of the sandbox slots, which every\n"
		"                       grader on the machine must share (/var/lib/pipegrade/slots)\n"
		"  PIPEGRADE_UID_BASE   as root: the first of the 500 uids of the slots (60600)\n"
		"\n"),
	      f);
	/* TRANSLATORS: pipegrade --help: examples; translate only the explanations (starting
	   in column 46), never the commands. */
	fputs(_("examples:\n"
		"  pipegrade grade 01-hello/                  a folder named after its exercise\n"
		"  pipegrade grade hello.c                    one file, named after the program\n"
		"  pipegrade grade .                          a repository: every exercise folder\n"
		"  pipegrade grade -e 02-long-message -f json=results.json ana/\n"
		"  pipegrade grade --case 3 --failures-only 03-eof-wc/\n"
		"  pipegrade grade --stress 20 06-fan-in/      each case 20 more times, stressed\n"
		"  pipegrade grade --seed 4 --case 2 --explain 06-fan-in/\n"
		"                                             replay the run a race finding names\n"
		"  pipegrade class -j 4 --out results submissions/\n"
		"  pipegrade check-config -c grading.yaml\n"),
	      f);
}

/* -f FMT or -f FMT=FILE, given up to MAX_OUTPUTS times. */
static int parse_format(const char *arg, struct cli *cli)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	size_t f = 0;
	while (f < NFORMATS &&
	       !(strlen(format_names[f]) == len && !strncmp(format_names[f], arg, len)))
		f++;
	if (f == NFORMATS) {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < NFORMATS; i++)
			buf_printf(&names, "%s%s", i ? (i + 1 == NFORMATS ? _(" or ") : ", ") : "",
				   format_names[i]);
		/* TRANSLATORS: the last %s is the list of the formats, "text, json, ... or
		   markdown". */
		fprintf(stderr, _("pipegrade: unknown format '%.*s' (use %s)\n"), (int)len, arg,
			names.data);
		buf_free(&names);
		return -1;
	}
	if (eq && !eq[1]) {
		fprintf(stderr, _("pipegrade: -f %s= names no file\n"), format_names[f]);
		return -1;
	}
	if (cli->noutputs == MAX_OUTPUTS) {
		fprintf(stderr,
			P_("pipegrade: at most %d -f option\n",
			   "pipegrade: at most %d -f options\n", MAX_OUTPUTS),
			MAX_OUTPUTS);
		return -1;
	}
	cli->outputs[cli->noutputs++] = (struct output){ (enum format)f, eq ? eq + 1 : NULL };
	return 0;
}

/* --stress N: a whole number from 0 to MAX_STRESS_RUNS. */
static int parse_stress(const char *arg, int *runs)
{
	size_t n = strlen(arg);
	if (n == 0 || n > 4 || strspn(arg, "0123456789") != n || atoi(arg) > MAX_STRESS_RUNS) {
		fprintf(stderr,
			_("pipegrade: --stress takes a number of stressed runs from 0 to %d (0: "
			  "none), not '%s'\n"),
			MAX_STRESS_RUNS, arg);
		return -1;
	}
	*runs = atoi(arg);
	return 0;
}

/* --seed S: a whole number from 1 to 2^64 - 1. */
static int parse_seed(const char *arg, unsigned long long *seed)
{
	size_t n = strlen(arg);
	unsigned long long v = 0;
	errno = 0;
	if (n && strspn(arg, "0123456789") == n)
		v = strtoull(arg, NULL, 10);
	if (v == 0 || errno) {
		fprintf(stderr,
			_("pipegrade: --seed takes the seed of a run, from 1 to %llu (the one a race "
			  "finding names), not '%s'\n"),
			ULLONG_MAX, arg);
		return -1;
	}
	*seed = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct cli *cli)
{
	enum {
		OPT_CASE = 256,
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
		OPT_SHARD,
		OPT_FAILURES_ONLY,
		OPT_STRESS,
		OPT_SEED
	};
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "exercise", required_argument, NULL, 'e' },
		{ "case", required_argument, NULL, OPT_CASE },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
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
		{ "failures-only", no_argument, NULL, OPT_FAILURES_ONLY },
		{ "stress", required_argument, NULL, OPT_STRESS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "c:e:f:o:vhj:", longopts, NULL)) != -1) {
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
				fputs(_("pipegrade: --shard takes K/N with 1 <= K <= N\n"), stderr);
				return -1;
			}
			break;
		case 'j':
			cli->jobs = atoi(optarg);
			if (cli->jobs < 1 || cli->jobs > 256) {
				fputs(_("pipegrade: -j takes a number of workers from 1 to 256\n"),
				      stderr);
				return -1;
			}
			break;
		case 'f':
			if (parse_format(optarg, cli) < 0)
				return -1;
			break;
		case OPT_FAILURES_ONLY:
			cli->failures_only = true;
			break;
		case OPT_STRESS:
			if (parse_stress(optarg, &cli->stress) < 0)
				return -1;
			break;
		case OPT_SEED:
			if (parse_seed(optarg, &cli->seed) < 0)
				return -1;
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				cli->color = -1;
			else if (!strcmp(optarg, "always"))
				cli->color = 1;
			else if (!strcmp(optarg, "never"))
				cli->color = 0;
			else {
				fputs(_("pipegrade: --color takes auto, always or never\n"),
				      stderr);
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
			fputs(_("Try 'pipegrade --help'.\n"), stderr);
			return -1;
		}
	}
	return 0;
}

/* The course installed beside pipegrade by `make install`: PREFIX/share/pipegrade/grading.yaml
 * for PREFIX/bin/pipegrade (the binary's real path, links resolved), into `out` when it is
 * there. */
static bool installed_config(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *bin = strrchr(exe, '/'); /* exe: PREFIX/bin/pipegrade */
	if (bin)
		*bin = '\0';
	char *prefix = bin ? strrchr(exe, '/') : NULL;
	if (!prefix)
		return false;
	*prefix = '\0';
	int len = snprintf(out, size, "%s/share/pipegrade/grading.yaml", exe);
	return len > 0 && (size_t)len < size && access(out, F_OK) == 0;
}

/* grading.yaml in the current folder ("grading.yaml", as the user would name it) or the
 * nearest folder above that has one, into `out`. */
static bool config_above(char *out, size_t size)
{
	char dir[PATH_MAX];
	if (access("grading.yaml", F_OK) == 0)
		return snprintf(out, size, "grading.yaml") > 0;
	if (!getcwd(dir, sizeof dir))
		return false;
	for (;;) {
		int len = snprintf(out, size, "%s/grading.yaml", strcmp(dir, "/") ? dir : "");
		if (len > 0 && (size_t)len < size && access(out, F_OK) == 0)
			return true;
		char *slash = strrchr(dir, '/');
		if (!strcmp(dir, "/") || !slash)
			return false;
		if (slash == dir)
			strcpy(dir, "/");
		else
			*slash = '\0';
	}
}

/* The course's grading file when -c gives none: $PIPEGRADE_CONFIG, else grading.yaml in the
 * current folder or a folder above, else the installed course. NULL after saying where it
 * looked. The string is static (pipegrade reads one course per run). */
static const char *find_config(void)
{
	static char path[PATH_MAX + 64];
	const char *env = getenv("PIPEGRADE_CONFIG");
	if (env && *env)
		return env;
	if (config_above(path, sizeof path) || installed_config(path, sizeof path))
		return path;
	fputs(_("pipegrade: no grading.yaml: none given with -c FILE, PIPEGRADE_CONFIG is not set, "
		"none in this folder or a folder above it, and no course installed beside "
		"pipegrade (PREFIX/share/pipegrade/grading.yaml, by make install). Give the "
		"course's grading file with -c FILE, or set PIPEGRADE_CONFIG=FILE.\n"),
	      stderr);
	return NULL;
}

static int load_course(const struct cli *cli, struct course *c)
{
	struct buf errors = BUF_INIT;
	int rc = config_load(cli->config, c, &errors);
	if (rc < 0)
		fputs(errors.data ? errors.data : _("pipegrade: cannot load the grading file\n"),
		      stderr);
	buf_free(&errors);
	return rc;
}

static bool use_color(const struct cli *cli, FILE *out)
{
	if (cli->color >= 0)
		return cli->color == 1;
	const char *no = getenv("NO_COLOR");
	return !(no && *no) && isatty(fileno(out));
}

static int write_format(FILE *out, enum format f, const struct submission_result *res, size_t n,
			const struct report_options *ro)
{
	switch (f) {
	case FORMAT_JSON:
		return report_write_json(out, res, n, ro);
	case FORMAT_JUNIT:
		return report_write_junit(out, res, n, ro);
	case FORMAT_GITHUB:
		return report_write_github(out, res, n, ro);
	case FORMAT_TAP:
		return report_write_tap(out, res, n, ro);
	case FORMAT_MARKDOWN:
		return report_write_markdown(out, res, n, ro);
	case FORMAT_TEXT:
		break;
	}
	return report_write_text(out, res, n, ro);
}

/* The reports the -f options ask for, each to its file or to stdout in the order given; the
 * text report goes to stdout when every other one goes to a file. -o names the file of the
 * reports that would go to stdout. */
static int write_reports(const struct cli *cli, const struct submission_result *res, size_t n)
{
	struct output text = { FORMAT_TEXT, NULL };
	const struct output *outs = cli->outputs;
	size_t nouts = cli->noutputs, to_stdout = 0;
	for (size_t i = 0; i < nouts; i++)
		to_stdout += !outs[i].path;
	struct output *all = xcalloc(nouts + 1, sizeof *all);
	memcpy(all, outs, nouts * sizeof *outs);
	if (!to_stdout)
		all[nouts++] = text;
	int rc = 0;
	FILE *std = stdout;
	if (cli->output && !(std = fopen(cli->output, "we"))) {
		fprintf(stderr, _("pipegrade: cannot write %s: %s\n"), cli->output,
			strerror(errno));
		free(all);
		return -1;
	}
	for (size_t i = 0; i < nouts && rc == 0; i++) {
		const char *path = all[i].path ? all[i].path : cli->output;
		FILE *out = all[i].path ? fopen(all[i].path, "we") : std;
		if (!out) {
			fprintf(stderr, _("pipegrade: cannot write %s: %s\n"), path,
				strerror(errno));
			rc = -1;
			break;
		}
		struct report_options ro = { .color = use_color(cli, out),
					     .show_hidden = cli->show_hidden,
					     .verbose = cli->verbose,
					     .explain = cli->explain,
					     .failures_only = cli->failures_only };
		rc = write_format(out, all[i].format, res, n, &ro);
		int e = errno;
		if (out != std && fclose(out) != 0 && rc == 0)
			rc = -1, e = errno;
		if (rc < 0 && path)
			/* TRANSLATORS: the first %s is a format's name: text, json, junit... */
			fprintf(stderr, _("pipegrade: cannot write the %s report to %s: %s\n"),
				format_names[all[i].format], path, strerror(e));
		else if (rc < 0)
			/* TRANSLATORS: %s is a format's name: text, json, junit... */
			fprintf(stderr, _("pipegrade: cannot write the %s report: %s\n"),
				format_names[all[i].format], strerror(e));
	}
	if (std != stdout && fclose(std) != 0 && rc == 0) {
		fprintf(stderr, _("pipegrade: cannot write %s: %s\n"), cli->output,
			strerror(errno));
		rc = -1;
	}
	/* GitHub's job summary, when the github format was asked for and GitHub gives one */
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	bool github = false;
	for (size_t i = 0; i < nouts; i++)
		github = github || all[i].format == FORMAT_GITHUB;
	if (rc == 0 && github && summary && *summary) {
		struct report_options ro = { .show_hidden = cli->show_hidden };
		if ((rc = report_append_step_summary(summary, res, n, &ro)) < 0)
			fprintf(stderr, _("pipegrade: cannot write the step summary to %s: %s\n"),
				summary, strerror(errno));
	}
	free(all);
	return rc;
}

/* Writes the graph of the first deadlocked or hung case (not a hidden one, unless they are
 * shown); says so when there is none. */
static int write_graph(const char *path, const struct submission_result *res, size_t n,
		       bool show_hidden)
{
	const struct monitor_facts *stuck = NULL;
	const struct case_result *cr = NULL;
	for (size_t r = 0; r < n && !stuck; r++)
		for (size_t i = 0; i < res[r].ncases && !stuck; i++)
			if ((!res[r].cases[i].tc->hidden || show_hidden) &&
			    (stuck = case_stuck_facts(&res[r].cases[i])) != NULL)
				cr = &res[r].cases[i];
	if (!stuck) {
		fputs(show_hidden
			      ? _("pipegrade: no case deadlocked or hung: no graph written\n")
			      : _("pipegrade: no case deadlocked or hung (of those whose details "
				  "are shown): no graph written\n"),
		      stderr);
		return 0;
	}
	char *dot = report_graph_dot(&stuck->snap);
	FILE *f = fopen(path, "we");
	int rc = f && fputs(dot, f) != EOF ? 0 : -1;
	free(dot);
	int e = errno;
	if (f && fclose(f) != 0 && rc == 0) /* closed once, whether or not it fails */
		rc = -1, e = errno;
	if (rc < 0) {
		fprintf(stderr, _("pipegrade: cannot write %s: %s\n"), path, strerror(e));
		return -1;
	}
	fprintf(stderr, _("pipegrade: graph of case \"%s\" written to %s\n"), cr->tc->name, path);
	return 0;
}

/* Grades what `grade PATH` found and writes the reports; returns the exit status. */
static int grade_targets(const struct cli *cli, const struct course *c,
			 const struct grade_targets *t, const char *only_case)
{
	struct grade_options go = { .only_case = only_case,
				    .keep_workdir = cli->keep,
				    .show_hidden = cli->show_hidden,
				    .no_monitor = cli->no_monitor,
				    .stress_runs = cli->stress,
				    .seed = cli->seed };
	struct submission_result *res = xcalloc(t->n, sizeof *res);
	struct buf err = BUF_INIT;
	size_t n = 0;
	int status = EXIT_ALL_PASSED;
	for (; n < t->n; n++) {
		if (grade_submission(c, t->v[n].ex, t->v[n].path, &go, &res[n], &err) < 0) {
			fprintf(stderr, _("pipegrade: internal error: %s\n"),
				err.data ? err.data : "?");
			status = EXIT_INTERNAL;
			submission_result_free(&res[n]); /* what it holds so far */
			break;
		}
		if (res[n].workdir)
			fprintf(stderr, _("pipegrade: build directory kept: %s\n"), res[n].workdir);
		if (!submission_passed(&res[n]))
			status = EXIT_LOST_POINTS;
		if (res[n].interrupted) {
			status = 128 + res[n].interrupted;
			n++;
			break;
		}
	}
	if (status != EXIT_INTERNAL && write_reports(cli, res, n) < 0)
		status = EXIT_INTERNAL;
	if (cli->graph && status != EXIT_INTERNAL &&
	    write_graph(cli->graph, res, n, cli->show_hidden) < 0)
		status = EXIT_INTERNAL;
	for (size_t i = 0; i < n; i++)
		submission_result_free(&res[i]);
	free(res);
	buf_free(&err);
	return status;
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
		fprintf(stderr, _("pipegrade: no exercise '%s' in %s (see 'pipegrade list')\n"),
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
	printf(_("\nResults in %s/ (gradebook.csv, cases.csv, summary.html, students/).\n"),
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
	const char *bad = cli->output      ? "-o"
			  : cli->noutputs  ? "--format"
			  : cli->graph     ? "--graph"
			  : cli->only_case ? "--case"
			  : cli->seed      ? "--seed"
			  : cli->keep      ? "--keep"
			  : cli->explain   ? "--explain"
					   : NULL;
	if (bad)
		fprintf(stderr,
			/* TRANSLATORS: %s is an option: -o, --format, --graph... */
			_("pipegrade: %s is for one submission; a class writes every report, in "
			  "every format, into --out (see docs/batch.md)\n"),
			bad);
	return bad == NULL;
}

/* --stress and --seed run under the process monitor: neither goes with --no-monitor, nor a
 * replay (one run under one seed) with stress runs. Said rather than ignored. */
static bool stress_options_ok(const struct cli *cli)
{
	const char *with = cli->seed && cli->stress >= 0                       ? "--stress"
			   : (cli->seed || cli->stress > 0) && cli->no_monitor ? "--no-monitor"
									       : NULL;
	if (with && cli->seed)
		fprintf(stderr,
			/* TRANSLATORS: %s is an option, --stress or --no-monitor. */
			_("pipegrade: --seed runs the cases under the process monitor, each once, "
			  "under that seed: it cannot go with %s (docs/stress.md)\n"),
			with);
	else if (with)
		fprintf(stderr,
			/* TRANSLATORS: %s is an option, --no-monitor. */
			_("pipegrade: --stress runs the cases under the process monitor: it cannot "
			  "go with %s (docs/stress.md)\n"),
			with);
	return with == NULL;
}

/* A class folder: every student, one worker per submission, a gradebook. */
static int grade_class(const struct cli *cli, const struct course *c, const char *class_dir)
{
	if (!class_options_ok(cli) || !stress_options_ok(cli))
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
		.grade = { .no_monitor = cli->no_monitor, .stress_runs = cli->stress },
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
				err.data ? err.data : _("the batch failed"));
		status = sum.interrupted ? 128 + sum.interrupted
			 : rc < 0        ? EXIT_INTERNAL
			 : sum.jobs == 0 ? EXIT_USAGE
					 : batch_status(&sum);
		if (rc == 0 && sum.jobs == 0 && !sum.interrupted && cli->only)
			fprintf(stderr,
				_("pipegrade: nothing graded: %s holds no student (a folder, or a "
				  ".zip or .tar.gz archive, per student) of that name (--only)\n"),
				class_dir);
		else if (rc == 0 && sum.jobs == 0 && !sum.interrupted)
			fprintf(stderr,
				_("pipegrade: nothing graded: %s holds no student (a folder, or a "
				  ".zip or .tar.gz archive, per student)\n"),
				class_dir);
	}
	buf_free(&err);
	free(exs);
	return status;
}

/* Can `path` be written (the file, or a new file in its folder)? Says why not. Checked before
 * grading, so that a class or a long case is not graded for nothing. */
static bool writable(const char *path, bool graph)
{
	char *dir = path_dirname(path);
	bool ok = access(path, F_OK) == 0 ? access(path, W_OK) == 0 : access(dir, W_OK | X_OK) == 0;
	if (!ok)
		fprintf(stderr,
			graph ? _("pipegrade: cannot write the graph %s: %s\n")
			      : _("pipegrade: cannot write the report %s: %s\n"),
			path, strerror(errno));
	free(dir);
	return ok;
}

/* The files the reports go to, checked before grading (nothing is graded for nothing). */
static bool outputs_writable(const struct cli *cli)
{
	for (size_t i = 0; i < cli->noutputs; i++)
		if (cli->outputs[i].path && !writable(cli->outputs[i].path, false))
			return false;
	return (!cli->output || writable(cli->output, false)) &&
	       (!cli->graph || writable(cli->graph, true));
}

/* pipegrade grade PATH: one student's work (grade_target.h). */
static int cmd_grade(const struct cli *cli, int argc, char **argv)
{
	if (argc != 1) {
		fputs(_("pipegrade grade: give exactly one PATH: a submission's folder or file, or a "
			"repository with exercise folders at its top\n"),
		      stderr);
		return EXIT_USAGE;
	}
	if (!stress_options_ok(cli))
		return EXIT_USAGE;
	struct stat st;
	if (stat(argv[0], &st) < 0) {
		fprintf(stderr, "pipegrade: %s: %s\n", argv[0], strerror(errno));
		return EXIT_USAGE;
	}
	struct course c;
	if (load_course(cli, &c) < 0)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct grade_targets t = GRADE_TARGETS_INIT;
	struct buf err = BUF_INIT;
	const struct test_case *tc = NULL;
	if (cli->exercise && strcmp(cli->exercise, "all") &&
	    !course_find_exercise(&c, cli->exercise)) {
		fprintf(stderr, _("pipegrade: no exercise '%s' in %s (see 'pipegrade list')\n"),
			cli->exercise, cli->config);
	} else if (grade_targets_find(&c, argv[0], cli->exercise, &t, &err) < 0) {
		fprintf(stderr, "pipegrade: %s\n", err.data);
	} else if (cli->only_case && t.n > 1) {
		fprintf(stderr,
			/* TRANSLATORS: PATH holds %zu exercises (always more than one). */
			P_("pipegrade: --case is for one exercise, and %s holds %zu: give the "
			   "exercise with -e ID\n",
			   "pipegrade: --case is for one exercise, and %s holds %zu: give the "
			   "exercise with -e ID\n",
			   t.n),
			argv[0], t.n);
	} else if (cli->only_case && !(tc = grade_find_case(t.v[0].ex, cli->only_case, &err))) {
		fprintf(stderr, "pipegrade: %s\n", err.data);
	} else if (outputs_writable(cli)) {
		status = grade_targets(cli, &c, &t, tc ? tc->name : NULL);
	}
	grade_targets_free(&t);
	buf_free(&err);
	course_free(&c);
	return status;
}

/* pipegrade class DIR: a folder of students. */
static int cmd_class(const struct cli *cli, int argc, char **argv)
{
	if (argc != 1) {
		fputs(_("pipegrade class: give exactly one DIR, the folder of the students' folders "
			"or archives\n"),
		      stderr);
		return EXIT_USAGE;
	}
	struct stat st;
	if (stat(argv[0], &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pipegrade: %s: %s\n", argv[0],
			access(argv[0], F_OK) < 0 ? strerror(errno) : _("not a folder"));
		return EXIT_USAGE;
	}
	struct course c;
	if (load_course(cli, &c) < 0)
		return EXIT_USAGE;
	int rc = grade_class(cli, &c, argv[0]);
	course_free(&c);
	return rc;
}

static int cmd_merge(const struct cli *cli, int argc, char **argv)
{
	if (argc < 1 || !cli->out_dir) {
		fputs(_("pipegrade merge: give --out DIR and the shards' output folders\n"),
		      stderr);
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
				err.data ? err.data : _("the merge failed"));
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
	/* TRANSLATORS: %s is the grading file; the sentence goes on with "%zu cases". */
	printf(P_("%s: ok, %zu exercises, ", "%s: ok, %zu exercises, ", c.nexercises), cli->config,
	       c.nexercises);
	printf(P_("%zu cases\n", "%zu cases\n", ncases), ncases);
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
		/* TRANSLATORS: an exercise in pipegrade list: its id, its title, then its cases
		   and the points they add up to. */
		printf(P_("%s  %s  (%zu cases, %g points)\n", "%s  %s  (%zu cases, %g points)\n",
			  graded),
		       ex->id, ltext_get(&ex->title), graded, total);
		for (size_t k = 0; k < ex->ncases; k++) {
			const struct test_case *tc = &ex->cases[k];
			int pad = 40 - (int)utf8_columns(tc->name);
			printf("    %s%*s %g%s%s\n", tc->name, pad > 0 ? pad : 0, "", tc->points,
			       tc->hidden ? _("  hidden") : "",
			       tc->bonus ? (ex->bonus ? _("  bonus") : _("  bonus (not graded)"))
					 : "");
		}
	}
	course_free(&c);
	return EXIT_ALL_PASSED;
}

/* pipegrade kit: the student kit of the course (kit.h). */
static int cmd_kit(const struct cli *cli, int argc)
{
	if (argc > 0) {
		fputs(_("pipegrade: kit takes no arguments: pipegrade kit [-c FILE] [-o "
			"FILE.tar.gz]\n"),
		      stderr);
		return EXIT_USAGE;
	}
	const char *out = cli->output ? cli->output : KIT_DEFAULT_OUTPUT;
	const char *config = cli->config ? cli->config : find_config();
	if (!config)
		return EXIT_USAGE;
	struct buf err = BUF_INIT;
	int rc = kit_write(config, out, &err);
	if (err.len)
		fputs(err.data, stderr);
	buf_free(&err);
	if (rc == KIT_OK)
		printf(_("wrote %s\n"), out);
	return rc == KIT_OK ? EXIT_ALL_PASSED : rc == KIT_BAD_COURSE ? EXIT_USAGE : EXIT_INTERNAL;
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

/* --lang LANG (or --lang=LANG) anywhere on the command line, before or after the command: it
 * is taken out of argv (the last one wins), and the language set, else the environment's.
 * Returns 0, or -1 after saying what is wrong. */
static int take_lang(int *argc, char **argv)
{
	const char *lang = NULL;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) { /* the rest are operands */
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strncmp(argv[i], "--lang=", 7)) {
			lang = argv[i] + 7;
		} else if (!strcmp(argv[i], "--lang")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, _("pipegrade: --lang needs a language: %s\n"),
					"en, es, pt_BR");
				return -1;
			}
			lang = argv[++i];
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	*argc = out;
	if (!lang) {
		i18n_set(i18n_from_env());
	} else if (i18n_set(lang) < 0) {
		fprintf(stderr, _("pipegrade: unknown language '%s' (pipegrade speaks: %s)\n"),
			lang, "en, es, pt_BR");
		return -1;
	}
	if (lang && !i18n_catalog_found())
		fprintf(stderr,
			_("pipegrade: no message catalog for '%s' in %s (build it with make): "
			  "messages stay in English\n"),
			i18n_get(), i18n_localedir());
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { .color = -1, .stress = -1 };
	block_stop_signals();
	i18n_init();
	if (take_lang(&argc, argv) < 0)
		return EXIT_USAGE;
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
	bool known = !strcmp(cmd, "grade") || !strcmp(cmd, "class") || !strcmp(cmd, "merge") ||
		     config_cmd;
	if (known && !cli.config && !(cli.config = find_config()))
		return EXIT_USAGE;
	if (!strcmp(cmd, "grade"))
		return cmd_grade(&cli, rest, args);
	if (!strcmp(cmd, "class"))
		return cmd_class(&cli, rest, args);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(&cli, rest, args);
	if (!strcmp(cmd, "kit"))
		return cmd_kit(&cli, rest);
	if (config_cmd && rest <= 1)
		return !strcmp(cmd, "list") ? cmd_list(&cli) : cmd_check_config(&cli);
	fprintf(stderr, _("pipegrade: unknown command '%s'. Try 'pipegrade --help'.\n"), cmd);
	return EXIT_USAGE;
}
