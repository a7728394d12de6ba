/* grade.c: build, run every case, compare, and turn what happened into findings and points
 * (see grade.h). */
#include "grade.h"
#include "grade_repro.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "compare.h"
#include "i18n.h"
#include "monitor.h"
#include "report_monitor.h"
#include "run.h"
#include "sandbox.h"

#define LOG_LINES_IN_FINDING 30
#define KEPT_OUTPUT (64 * 1024)

/* What a student's program starts with: the environment a login shell gives it
 * (sandbox_env()), nothing of pipegrade's own. A program linked with AddressSanitizer also
 * gets detect_leaks=0 in ASAN_OPTIONS: LeakSanitizer stops the program's threads with ptrace,
 * which it cannot do while the monitor traces them (and the filter refuses its
 * CLONE_UNTRACED), so it would end every case in an error of its own. */
static void case_env(const struct sandbox *sb, bool asan, struct strvec *env)
{
	sandbox_env(sb, env);
	if (!asan)
		return;
	for (size_t i = 0; i < env->n; i++) {
		if (!strncmp(env->v[i], "ASAN_OPTIONS=", 13)) { /* appended to what is set */
			char *v = xasprintf("%s:detect_leaks=0", env->v[i]);
			free(env->v[i]);
			env->v[i] = v;
			return;
		}
	}
	strvec_push(env, "ASAN_OPTIONS=detect_leaks=0");
}

/* The first `max` lines of a text. */
static void append_head(struct buf *out, const char *text, size_t len, int max)
{
	size_t i = 0;
	for (int line = 0; i < len && line < max; line++) {
		const char *nl = memchr(text + i, '\n', len - i);
		i = nl ? (size_t)(nl - text) + 1 : len;
	}
	compare_visible(out, text, i);
	if (i < len)
		buf_printf(out, _("[... %zu more bytes]\n"), len - i);
}

static void add_compile_error(struct case_result *cr, const struct build *b)
{
	struct buf msg = BUF_INIT;
	buf_puts(&msg, _("The submission did not build, so this case could not run.\n"));
	append_head(&msg, b->log.data, b->log.len, LOG_LINES_IN_FINDING);
	findings_add(&cr->findings, FINDING_COMPILE_ERROR, NULL, msg.data);
	buf_free(&msg);
}

static void add_crash(struct case_result *cr, const struct run_result *r)
{
	char *msg = xasprintf(_("The program was killed by %s: %s."), signal_name(r->term_signal),
			      report_signal_explanation(r->term_signal));
	findings_add(&cr->findings, FINDING_CRASH, NULL, msg);
	free(msg);
}

/* What the program had printed when it was stopped: its first lines, or that it printed
 * nothing. */
static void append_output_so_far(char **msg, const struct run_result *r)
{
	const struct buf *o = r->err_capped || (r->out.len == 0 && r->err.len) ? &r->err : &r->out;
	const char *stream = o == &r->out ? "stdout" : "stderr";
	struct buf b = BUF_INIT;
	buf_puts(&b, *msg);
	if (r->out.len == 0 && r->err.len == 0) {
		buf_puts(&b, _("\nIt printed nothing before that."));
	} else {
		buf_printf(&b, _("\nIts %s began with:\n"), stream);
		append_head(&b, o->data, o->len, 5);
		while (b.len && b.data[b.len - 1] == '\n')
			b.data[--b.len] = '\0';
	}
	free(*msg);
	*msg = buf_detach(&b);
}

/* The message of a timeout (the wall-clock or the CPU limit). `busy`: the monitor's sentence
 * on the processes that were running at the end (report_monitor_busy()), or NULL when none
 * was or the monitor did not run; without it, a wall-clock timeout may as well be a wait. */
static char *timeout_message(const struct run_result *r, const struct limits *lim, const char *busy)
{
	char *msg;
	if (r->end == RUN_CPU_LIMIT) {
		msg = xasprintf(_("The program used more than the CPU time limit of %g s and was "
				  "stopped: is there a loop that never ends?%s%s"),
				lim->cpu_s, busy ? " " : "", busy ? busy : "");
		return msg;
	}
	if (busy)
		msg = xasprintf(_("The program did not finish within the time limit of %g s and was "
				  "stopped. %s Is there a loop that never ends?"),
				lim->wall_s, busy);
	else
		msg = xasprintf(_("The program did not finish within the time limit of %g s and was "
				  "stopped. If it was waiting: read() on a pipe only returns 0 (end of "
				  "file) once every write end is closed, in every process."),
				lim->wall_s);
	append_output_so_far(&msg, r);
	return msg;
}

static void add_limit_finding(struct case_result *cr, const struct run_result *r,
			      const struct limits *lim)
{
	char *msg = NULL;
	if (r->end == RUN_TIMEOUT || r->end == RUN_CPU_LIMIT) {
		msg = timeout_message(r, lim, NULL);
		findings_add(&cr->findings, FINDING_TIMEOUT, NULL, msg);
	} else {
		const char *stream = r->out_capped ? "stdout" : "stderr";
		msg = xasprintf(_("The program wrote more than the output limit of %lld bytes to %s "
				  "and was stopped: is it printing in a loop that never ends?"),
				lim->output_bytes, stream);
		append_output_so_far(&msg, r);
		findings_add(&cr->findings, FINDING_LIMIT_OUTPUT, stream, msg);
	}
	free(msg);
}

static void add_limit_files(struct case_result *cr, const struct limits *lim)
{
	char *msg = xasprintf(_("The program wrote a file bigger than the file size limit of %lld "
				"bytes and was stopped (SIGXFSZ)."),
			      lim->file_bytes);
	findings_add(&cr->findings, FINDING_LIMIT_FILES, NULL, msg);
	free(msg);
}

/* What the sandbox saw: the process, memory and disk limits reached. They explain the rest (a
 * failed fork, an allocation that failed, an OOM kill, a write that failed), so they come
 * first and the case's other findings about the same run are dropped. `vm_peak_failed`: the
 * monitor's largest address-space peak of a process that ended badly (0: none, or unknown). */
static void add_sandbox_findings(struct case_result *cr, const struct sandbox *sb,
				 const struct run_result *r, int max_alive,
				 long long vm_peak_failed)
{
	const struct limits *lim = &cr->tc->limits;
	char *msg = NULL;
	enum finding_kind kind = FINDING_PASS;
	/* Where only RLIMIT_AS holds the memory, a failed allocation shows as a process that
	 * ends badly close to the limit. */
	bool near_as_limit = !sb->caps->cg.mem[0] && vm_peak_failed * 4 >= lim->memory_bytes * 3;
	if (sb->hit_processes || r->end == RUN_PROCESS_LIMIT || max_alive > lim->processes) {
		kind = FINDING_LIMIT_PROCESSES;
		msg = xasprintf(_("The program tried to have more than %d processes at once (the process "
				  "limit), so fork() failed. Is fork() called in a loop that never "
				  "ends, or by the children as well as the parent?"),
				lim->processes);
	} else if (sb->hit_memory || near_as_limit) {
		kind = FINDING_LIMIT_MEMORY;
		msg = xasprintf(_("The program used more than the memory limit of %lld MiB: an "
				  "allocation failed or the process was killed."),
				lim->memory_bytes >> 20);
	} else if (sb->hit_disk) {
		kind = FINDING_LIMIT_FILES;
		msg = xasprintf(_("The program filled its disk space of %lld MiB (its directory, /tmp, "
				  "/var/tmp, /dev/shm and /run together), so a write failed with ENOSPC."),
				lim->disk_bytes >> 20);
	}
	if (!msg)
		return;
	findings_free(&cr->findings);
	findings_add(&cr->findings, kind, NULL, msg);
	free(msg);
}

/* mkdir -p */
/* Puts the case's input files in its directory, owned by the sandbox's user. */
static int place_files(const struct test_case *tc, const struct sandbox *sb, struct buf *err)
{
	for (size_t i = 0; i < tc->nfiles; i++) {
		const struct case_file *f = &tc->files[i];
		char *path = xasprintf("%s/%s", sb->dir, f->path);
		char *parent = path_dirname(path);
		make_dirs(parent);
		struct buf data = BUF_INIT;
		if (data_load(&f->data, &data, err) < 0) {
			free(parent);
			free(path);
			return -1;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
		int rc = fd < 0 || write_all(fd, data.data, data.len) < 0 ? -1 : 0;
		buf_free(&data);
		if (fd >= 0 && (close(fd) < 0 || fchmodat(AT_FDCWD, path, (mode_t)f->perm, 0) < 0))
			rc = -1;
		if (rc == 0)
			rc = sandbox_give(sb->caps, parent);
		if (rc < 0)
			buf_printf(err, _("cannot put %s in the case's directory: %s"), f->path,
				   strerror(errno));
		free(parent);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The bytes a case feeds and expects, read from grading.yaml's data for the time of one run
 * (config.h: data_load()): stdin, stdout, stderr, and each expect_files' content. */
struct case_data {
	struct buf in, out, err;
	struct buf *files; /* one per expect_files entry */
	size_t nfiles;
};

static void case_data_free(struct case_data *d)
{
	buf_free(&d->in);
	buf_free(&d->out);
	buf_free(&d->err);
	for (size_t i = 0; i < d->nfiles; i++)
		buf_free(&d->files[i]);
	free(d->files);
	memset(d, 0, sizeof *d);
}

/* Returns 0, or -1 with a message in `err` (a data file vanished since grading.yaml was read). */
static int case_data_load(const struct test_case *tc, struct case_data *d, struct buf *err)
{
	memset(d, 0, sizeof *d);
	d->nfiles = tc->nexpect_files;
	d->files = xcalloc(d->nfiles ? d->nfiles : 1, sizeof *d->files);
	int rc = data_load(&tc->in, &d->in, err) < 0 ||
				 data_load(&tc->out.want, &d->out, err) < 0 ||
				 data_load(&tc->err.want, &d->err, err) < 0
			 ? -1
			 : 0;
	for (size_t i = 0; rc == 0 && i < d->nfiles; i++)
		rc = data_load(&tc->expect_files[i].exp.want, &d->files[i], err);
	if (rc < 0) {
		case_data_free(d);
		buf_puts(err, _("cannot read the case's data named in grading.yaml"));
	}
	return rc;
}

static struct wanted wanted(const struct expect *e, const struct buf *b)
{
	return (struct wanted){ b->data, b->len, e->mode };
}

/* One file the program had to leave (or not) in its directory; `want` holds its expected
 * content. */
static void check_file(struct case_result *cr, const struct expect_file *ef, const struct buf *want,
		       const char *dir)
{
	char *path = xasprintf("%s/%s", dir, ef->path);
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	char *msg = NULL;
	if (ef->absent && exists)
		msg = xasprintf(_("The program left the file %s, which should not exist."),
				ef->path);
	else if (!ef->absent && (!exists || !S_ISREG(st.st_mode)))
		msg = xasprintf(_("The program did not leave the file %s."), ef->path);
	else if (!ef->absent && ef->perm >= 0 && (int)(st.st_mode & 07777) != ef->perm)
		msg = xasprintf(_("The file %s has mode %04o; expected %04o."), ef->path,
				(unsigned)(st.st_mode & 07777), (unsigned)ef->perm);
	if (!msg && exists && ef->exp.set) {
		struct buf got = BUF_INIT, why = BUF_INIT;
		struct wanted w = wanted(&ef->exp, want);
		if (read_file(path, &got) < 0)
			msg = xasprintf(_("The file %s cannot be read: %s."), ef->path,
					strerror(errno));
		else if (compare_output(&w, got.data, got.len, &why) != COMPARE_MATCH)
			msg = xasprintf(_("The file %s is not what was expected.\n%s"), ef->path,
					why.data ? why.data : "");
		buf_free(&got);
		buf_free(&why);
	}
	if (msg) {
		char *stream = xasprintf("file %s", ef->path);
		findings_add(&cr->findings, FINDING_WRONG_OUTPUT, stream, msg);
		free(stream);
	}
	free(msg);
	free(path);
}

/* Compares one stream (`want` holds its expected bytes); a bad regex was already rejected
 * when loading grading.yaml. */
static void check_stream(struct case_result *cr, const struct expect *exp, const struct buf *want,
			 const char *stream, const struct buf *got)
{
	if (!exp->set)
		return;
	struct buf why = BUF_INIT;
	struct wanted w = wanted(exp, want);
	if (compare_output(&w, got->data, got->len, &why) != COMPARE_MATCH) {
		char *msg = xasprintf(_("%s is not what was expected.\n%s"), stream,
				      why.data ? why.data : "");
		findings_add(&cr->findings, FINDING_WRONG_OUTPUT, stream, msg);
		free(msg);
	}
	buf_free(&why);
}

static void check_exit(struct case_result *cr, const struct test_case *tc,
		       const struct run_result *r)
{
	if (!tc->exit_set || r->exit_code == tc->exit_status)
		return;
	char *msg = xasprintf(_("The exit status was %d; expected %d."), r->exit_code,
			      tc->exit_status);
	findings_add(&cr->findings, FINDING_WRONG_EXIT, NULL, msg);
	free(msg);
}

/* Turns how the run ended into findings. */
static void judge(struct case_result *cr, const struct test_case *tc, const struct case_data *d,
		  const struct run_result *r, const char *dir)
{
	switch (r->end) {
	case RUN_TIMEOUT:
	case RUN_CPU_LIMIT:
	case RUN_OUTPUT_LIMIT:
		add_limit_finding(cr, r, &tc->limits);
		break;
	case RUN_SIGNALED:
		if (r->term_signal == SIGXFSZ)
			add_limit_files(cr, &tc->limits);
		else
			add_crash(cr, r);
		break;
	case RUN_EXEC_FAILED: {
		char *msg = xasprintf(_("The program could not be started: %s."),
				      strerror(r->exec_errno));
		findings_add(&cr->findings, FINDING_CRASH, NULL, msg);
		free(msg);
		break;
	}
	case RUN_INTERRUPTED:   /* not judged: grade_case() stops grading */
	case RUN_STUCK:         /* judged with the monitor's verdict: see add_monitor_findings() */
	case RUN_PROCESS_LIMIT: /* judged with the sandbox's: see add_sandbox_findings() */
		break;
	case RUN_EXITED:
		check_stream(cr, &tc->out, &d->out, "stdout", &r->out);
		check_stream(cr, &tc->err, &d->err, "stderr", &r->err);
		for (size_t i = 0; i < tc->nexpect_files; i++)
			check_file(cr, &tc->expect_files[i], &d->files[i], dir);
		check_exit(cr, tc, r);
		break;
	}
}

/* fd_leak and orphan cost a part of the case; every other finding all of it; a note
 * nothing. A case with nothing but notes passes. */
static void score_case(struct case_result *cr)
{
	size_t counted = 0;
	for (size_t i = 0; i < cr->findings.n; i++)
		counted += !cr->findings.v[i].note;
	if (counted == 0) {
		findings_add(&cr->findings, FINDING_PASS, NULL, _("passed"));
		cr->score = cr->max_score;
		return;
	}
	const struct penalties *pen = &cr->tc->penalties;
	double kept = 1;
	bool leak = false, orphan = false;
	for (size_t i = 0; i < cr->findings.n; i++) {
		enum finding_kind k = cr->findings.v[i].kind;
		if (cr->findings.v[i].note)
			continue;
		if (k == FINDING_FD_LEAK && !leak)
			kept -= pen->fd_leak, leak = true;
		else if (k == FINDING_ORPHAN && !orphan)
			kept -= pen->orphan, orphan = true;
		else if (k != FINDING_FD_LEAK && k != FINDING_ORPHAN)
			kept = 0;
	}
	cr->score = kept > 0 ? cr->max_score * kept : 0;
}

/* What the case's fd_leak policy says of these facts: LEAK_PENALTY for any other finding
 * (and for a policy left unset). */
static enum leak_policy leak_policy_of(const struct test_case *tc, const struct monitor_facts *f)
{
	if (f->kind != FINDING_FD_LEAK)
		return LEAK_PENALTY;
	enum leak_policy p = f->at_exec ? tc->fd_leak.at_exec : tc->fd_leak.at_exit;
	return p == LEAK_UNSET ? LEAK_PENALTY : p;
}

/* The monitor's facts about a process killed by a signal. The main process's end is the
 * run's: its crash finding (judge()) takes them, and their words, when they are about the same
 * signal. Another process's crash is a finding of its own, put first (after the crashes
 * already there): it explains the others (no output, a wrong exit status). Returns true when
 * the facts were taken. */
static bool add_crash_facts(struct case_result *cr, const struct run_result *r,
			    struct monitor_facts *f, size_t *front)
{
	const struct monitor_process *p = &f->snap.procs[0];
	if (p->parent == 0 && !p->role[0]) {
		if (r->end != RUN_SIGNALED || p->killed_by.signo != r->term_signal)
			return false;
		for (size_t i = 0; i < cr->findings.n; i++) {
			struct finding *x = &cr->findings.v[i];
			if (x->kind != FINDING_CRASH || x->details)
				continue;
			free(x->message);
			x->message = report_monitor_message(f);
			finding_set_details(x, f);
			return true;
		}
		return false;
	}
	report_monitor_finding(&cr->findings, f);
	struct finding *v = cr->findings.v;
	struct finding crash = v[cr->findings.n - 1];
	memmove(&v[*front + 1], &v[*front], (cr->findings.n - 1 - *front) * sizeof *v);
	v[(*front)++] = crash;
	return true;
}

/* A timeout while the monitor saw processes running (not waiting) at the end: its message
 * says which, instead of the hint about waits. */
static void note_busy(struct case_result *cr, const struct run_result *r,
		      const struct monitor_snapshot *tree)
{
	if (r->end != RUN_TIMEOUT && r->end != RUN_CPU_LIMIT)
		return;
	char *busy = report_monitor_busy(tree);
	for (size_t i = 0; busy && i < cr->findings.n; i++) {
		struct finding *x = &cr->findings.v[i];
		if (x->kind == FINDING_TIMEOUT) {
			free(x->message);
			x->message = timeout_message(r, &cr->tc->limits, busy);
			break;
		}
	}
	free(busy);
}

/* A wrong stdout whose start two processes wrote, the parent after forking the other: its
 * message says that fork() copied the stdio buffer (report_monitor_stdout_copies()). */
static void note_stdout_copies(struct case_result *cr, const struct monitor_snapshot *tree,
			       bool python)
{
	for (size_t i = 0; i < cr->findings.n; i++) {
		struct finding *x = &cr->findings.v[i];
		if (x->kind != FINDING_WRONG_OUTPUT || !x->stream || strcmp(x->stream, "stdout"))
			continue;
		char *why = report_monitor_stdout_copies(tree, python);
		if (why) {
			size_t len = strlen(x->message);
			while (len && x->message[len - 1] == '\n')
				len--;
			char *msg = xasprintf("%.*s\n%s", (int)len, x->message, why);
			free(x->message);
			x->message = msg;
		}
		free(why);
		return;
	}
}

/* The monitor's verdict (deadlock or hang) first, then crashes (see add_crash_facts()), leaks,
 * orphans and structure: each a finding with the monitor's facts as its details and the
 * reports' sentences about them; a timeout's message names the processes busy at the end, a
 * wrong stdout's the processes that wrote it twice; the result keeps the process tree.
 * Returns the largest address-space peak of a process that ended badly (see
 * add_sandbox_findings). */
static long long add_monitor_findings(struct case_result *cr, struct monitor *mon,
				      const struct run_result *r, bool python)
{
	const struct test_case *tc = cr->tc;
	struct monitor_conclusion c;
	/* A program stopped half-way has not shown its whole structure: judge it only when it
	 * ran to its end. */
	monitor_conclude(mon, r->end == RUN_EXITED ? &tc->requires : NULL, r->leftovers, &c);
	if (r->end == RUN_STUCK && c.stuck_facts) {
		cr->stuck_after_s = c.stuck_after_s;
		report_monitor_finding(&cr->findings, c.stuck_facts);
		c.stuck_facts = NULL;
	}
	size_t front = 0;
	for (size_t i = 0; i < c.nfound; i++) {
		if (c.found[i]->kind == FINDING_CRASH) {
			if (add_crash_facts(cr, r, c.found[i], &front))
				c.found[i] = NULL; /* else freed with the conclusion */
			continue;
		}
		enum leak_policy policy = leak_policy_of(tc, c.found[i]);
		if (policy == LEAK_OFF)
			continue; /* freed with the conclusion */
		report_monitor_finding(&cr->findings, c.found[i])->note = policy == LEAK_NOTE;
		c.found[i] = NULL;
	}
	if (c.max_fds >= tc->limits.open_files) {
		char *msg =
			xasprintf(_("A process of the program had %d files open at once: the limit "
				    "on open files. Beyond it open(), pipe() and dup() fail with "
				    "EMFILE; close what you no longer need."),
				  c.max_fds);
		findings_add(&cr->findings, FINDING_LIMIT_FILES, NULL, msg);
		free(msg);
	}
	note_busy(cr, r, &c.tree);
	note_stdout_copies(cr, &c.tree, python);
	cr->processes = c.processes;
	cr->max_alive = c.max_alive;
	cr->tree = c.tree; /* moved: a snapshot points nowhere outside itself */
	memset(&c.tree, 0, sizeof c.tree);
	cr->pipes = c.pipes;
	cr->schedule = c.schedule; /* moved: a stressed run's interleaving (seed 0: none) */
	memset(&c.schedule, 0, sizeof c.schedule);
	long long vm_peak_failed = c.vm_peak_failed;
	monitor_conclusion_free(&c);
	return vm_peak_failed;
}

/* An exec that failed: the submission's fault when what it built is not a program that can
 * run (not an executable format, or its interpreter or loader missing); pipegrade's for
 * anything else (it could not run the file it put there: a noexec mount, a limit...). */
static bool exec_failure_is_ours(int e, const char *dir, const char *binary)
{
	if (e == ENOEXEC || e == ELIBBAD)
		return false;
	if (e == ENOENT) {
		char *path = xasprintf("%s/%s", dir, binary);
		bool there = access(path, F_OK) == 0;
		free(path);
		return !there;
	}
	return true;
}

/* What every run of every case shares: the program built, the result the cases belong to,
 * the folders their sandboxes hide, and --no-monitor. */
struct case_ctx {
	const struct build *b;
	struct submission_result *res;
	const char *const *hide;
	bool no_monitor;
};

/* What one run of a case is made of: its data, its sandbox with its files in place, its
 * argv and environment. */
struct case_setup {
	struct case_data d;
	struct sandbox sb;
	struct strvec argv, env;
};

static void case_setup_free(struct case_setup *s)
{
	strvec_free(&s->argv);
	strvec_free(&s->env);
	sandbox_free(&s->sb);
	case_data_free(&s->d);
}

/* ./BINARY ARGS..., or for a script PYTHON -X faulthandler SCRIPT ARGS...: the interpreter is
 * the student's program, the script its first argument; with faulthandler, a stuck process
 * asked for its stacks says the line it waits at. */
static void case_argv(const struct submission_result *res, const struct test_case *tc,
		      struct strvec *argv)
{
	const struct exercise *ex = res->ex;
	if (ex->language == PROG_PYTHON) {
		strvec_push(argv, res->python);
		strvec_push(argv, "-X");
		strvec_push(argv, "faulthandler");
		strvec_push(argv, ex->binary);
	} else {
		char *argv0 = xasprintf("./%s", ex->binary);
		strvec_push(argv, argv0);
		free(argv0);
	}
	for (size_t i = 0; i < tc->args.n; i++)
		strvec_push(argv, tc->args.v[i]);
}

/* Prepares a fresh run of the case. Returns 0, or -1 with a message in `err` (nothing then to
 * free). */
static int case_setup_make(const struct case_ctx *x, const struct test_case *tc,
			   struct case_setup *s, struct buf *err)
{
	memset(s, 0, sizeof *s);
	if (case_data_load(tc, &s->d, err) < 0)
		return -1;
	if (sandbox_prepare(&s->sb, &tc->limits, x->b->binary, x->res->ex->binary, x->hide, err) <
		    0 ||
	    place_files(tc, &s->sb, err) < 0) {
		sandbox_free(&s->sb);
		case_data_free(&s->d);
		return -1;
	}
	case_argv(x->res, tc, &s->argv);
	case_env(&s->sb, x->b->asan, &s->env);
	return 0;
}

/* The monitor of one run, or NULL when the case is not watched; `seed` > 0: a stressed run. */
static struct monitor *case_monitor(const struct case_ctx *x, const struct test_case *tc,
				    unsigned long long seed)
{
	if (!tc->monitor || x->no_monitor)
		return NULL;
	struct monitor *mon = monitor_new();
	if (x->res->ex->language == PROG_PYTHON)
		monitor_set_interpreted(mon, x->res->ex->binary);
	if (seed)
		monitor_set_stress(mon, seed);
	return mon;
}

static void case_spec(struct run_spec *spec, struct case_setup *s, const struct test_case *tc,
		      struct monitor *mon)
{
	spec->file = s->argv.v[0];
	spec->argv = (const char *const *)s->argv.v;
	spec->envp = (const char *const *)s->env.v;
	spec->sandbox = &s->sb;
	spec->stdin_data = s->d.in.data;
	spec->stdin_len = s->d.in.len;
	spec->wall_s = tc->limits.wall_s;
	spec->cpu_s = tc->limits.cpu_s;
	spec->output_bytes = tc->limits.output_bytes;
	spec->monitor = mon;
}

/* A run that ended (not interrupted) into `cr`: how it ended, its findings, its score and the
 * start of its outputs. */
static void case_judge(const struct case_ctx *x, struct case_result *cr, const struct case_setup *s,
		       struct monitor *mon, const struct run_result *r)
{
	cr->ran = true;
	cr->wall_s = r->wall_s;
	cr->cpu_s = r->cpu_s;
	cr->exit_code = r->end == RUN_EXITED ? r->exit_code : -1;
	cr->term_signal = r->end == RUN_SIGNALED ? r->term_signal : 0;
	judge(cr, cr->tc, &s->d, r, s->sb.dir);
	cr->monitor_wanted = mon != NULL;
	cr->monitored = r->monitored;
	bool python = x->res->ex->language == PROG_PYTHON;
	long long vm_peak_failed = r->monitored ? add_monitor_findings(cr, mon, r, python) : 0;
	add_sandbox_findings(cr, &s->sb, r, cr->max_alive, vm_peak_failed);
	score_case(cr);
	/* What reports carry of the output (it was compared whole): enough to look at, without
	 * keeping megabytes per case in memory. */
	buf_append(&cr->out, r->out.data, r->out.len < KEPT_OUTPUT ? r->out.len : KEPT_OUTPUT);
	buf_append(&cr->err, r->err.data, r->err.len < KEPT_OUTPUT ? r->err.len : KEPT_OUTPUT);
}

/* Runs the case once, from a fresh sandbox, and judges the run into `cr`; `seed` > 0: under
 * stress (when the case is watched). `repro`: the kept build's repro.sh gets the case. A run
 * interrupted by a signal sets res->interrupted and leaves `cr` as it was. Returns -1 when
 * pipegrade itself failed. */
static int case_run(const struct case_ctx *x, struct case_result *cr, unsigned long long seed,
		    struct grade_repro *repro, struct buf *err)
{
	const struct exercise *ex = x->res->ex;
	const struct test_case *tc = cr->tc;
	struct case_setup s;
	if (case_setup_make(x, tc, &s, err) < 0)
		return -1;
	size_t number = (size_t)(tc - ex->cases) + 1; /* as `pipegrade list` numbers it */
	if (repro && grade_repro_add(repro, x->b->workdir, number, tc, ex->binary, x->res->python,
				     (const char *const *)s.env.v, &s.d.in, err) < 0) {
		case_setup_free(&s);
		return -1;
	}
	struct monitor *mon = case_monitor(x, tc, seed);
	struct run_spec spec = RUN_SPEC_INIT;
	case_spec(&spec, &s, tc, mon);
	struct run_result r;
	int rc = run_program(&spec, &r, err);
	buf_free(&s.d.in); /* fed: not needed for judging */
	sandbox_collect(&s.sb);
	if (rc == 0 && r.end == RUN_EXEC_FAILED &&
	    exec_failure_is_ours(r.exec_errno, s.sb.dir, ex->binary)) {
		buf_printf(err, _("cannot start the program pipegrade built (./%s): %s"),
			   ex->binary, strerror(r.exec_errno));
		rc = -1;
	}
	if (rc == 0 && r.end == RUN_INTERRUPTED)
		x->res->interrupted = r.interrupted;
	else if (rc == 0)
		case_judge(x, cr, &s, mon, &r);
	run_result_free(&r);
	monitor_free(mon);
	case_setup_free(&s);
	return rc;
}

static void case_result_free(struct case_result *cr)
{
	findings_free(&cr->findings);
	buf_free(&cr->out);
	buf_free(&cr->err);
	monitor_snapshot_free(&cr->tree);
	monitor_schedule_free(&cr->schedule);
}

/* ---- stress mode (grade.h, docs/stress.md) ---- */

/* Appends `sentence` (a line) to the result's notes, unless it is there already. */
static void note_once(struct submission_result *res, const char *sentence)
{
	if (!res->notes.data || !strstr(res->notes.data, sentence))
		buf_printf(&res->notes, "%s\n", sentence);
}

/* Whether a stressed run failed: it has a finding that costs the whole case, other than a
 * timeout (a stressed run is slower by design: one that only runs out of time is not a race,
 * docs/stress.md). */
static bool stress_run_failed(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		enum finding_kind k = f->v[i].kind;
		if (!f->v[i].note && k != FINDING_PASS && k != FINDING_FD_LEAK &&
		    k != FINDING_ORPHAN && k != FINDING_TIMEOUT)
			return true;
	}
	return false;
}

/* One stressed run of the case under `seed`, in a result of its own: a failure is counted,
 * and the first one's findings go to `*race` (made then). Returns -1 when pipegrade failed. */
static int stress_run(const struct case_ctx *x, struct case_result *cr, unsigned long long seed,
		      struct finding_race **race, struct buf *err)
{
	struct case_result run = { .tc = cr->tc, .max_score = cr->max_score, .exit_code = -1 };
	int rc = case_run(x, &run, seed, NULL, err);
	if (rc == 0 && run.ran) {
		cr->stress_runs++;
		if (stress_run_failed(&run.findings)) {
			cr->stress_failed++;
			if (!*race) {
				*race = xcalloc(1, sizeof **race);
				(*race)->seed = seed;
				(*race)->findings = run.findings; /* moved */
				run.findings = (struct findings)FINDINGS_INIT;
			}
		}
	}
	case_result_free(&run);
	return rc;
}

/* The race finding, first, in place of the pass: the case scores 0. Its message (report_sched.c)
 * ends with the command that replays the failing run. */
static void add_race(struct submission_result *res, struct case_result *cr,
		     struct finding_race *race)
{
	race->runs = cr->stress_runs;
	race->failed = cr->stress_failed;
	char *cmd = report_replay_command(res->ex->id, cr->tc->name, res->submission, race->seed);
	char *msg = report_race_message(race, cmd);
	findings_remove(&cr->findings, FINDING_PASS);
	finding_set_race(findings_add(&cr->findings, FINDING_RACE, NULL, msg), race);
	struct finding *v = cr->findings.v, added = v[cr->findings.n - 1];
	memmove(&v[1], &v[0], (cr->findings.n - 1) * sizeof *v);
	v[0] = added;
	score_case(cr);
	free(msg);
	free(cmd);
}

/* The stressed runs of a case whose plain run passed, under the seeds 1 to `runs`; a race
 * finding when some failed. Stops when pipegrade is interrupted. Returns -1 when pipegrade
 * itself failed. */
static int stress_case(const struct case_ctx *x, struct case_result *cr, int runs, struct buf *err)
{
	struct finding_race *race = NULL;
	int rc = 0;
	for (int i = 1; rc == 0 && i <= runs && !x->res->interrupted; i++)
		rc = stress_run(x, cr, (unsigned long long)i, &race, err);
	if (race && rc == 0 && !x->res->interrupted)
		add_race(x->res, cr, race);
	else
		finding_race_free(race);
	return rc;
}

/* Why a case was not stressed, or not replayed under its seed (`replay`), in the notes, once:
 * the monitor was off for it, or the kernel refused it (`refused`). */
static void note_unwatched(struct submission_result *res, bool replay, bool refused)
{
	if (replay)
		note_once(res,
			  _("The cases the process monitor did not watch ran without the seed: "
			    "a replay needs the monitor."));
	else if (refused)
		note_once(res,
			  _("The cases with stress runs were not stressed: the kernel refused "
			    "to let pipegrade trace their processes (ptrace), which stress mode "
			    "needs."));
	else
		note_once(res,
			  _("The cases with stress runs that the process monitor does not "
			    "watch (monitor: false, or --no-monitor) were not stressed: stress "
			    "mode needs the monitor."));
}

/* The stressed runs a case gets: --stress's, else grading.yaml's. */
static int stress_runs_of(const struct test_case *tc, const struct grade_options *opt)
{
	return opt && opt->stress_runs >= 0 ? opt->stress_runs : tc->stress.runs;
}

/* Grades one case of a built program: its plain run, then its stressed runs when it has some
 * and the plain run passed; in a replay (opt->seed), its one run under that seed. Returns -1
 * when pipegrade itself failed. */
static int grade_case(const struct case_ctx *x, struct case_result *cr,
		      const struct grade_options *opt, struct grade_repro *repro, struct buf *err)
{
	unsigned long long seed = opt ? opt->seed : 0;
	int rc = case_run(x, cr, seed, repro, err);
	if (rc < 0 || x->res->interrupted || !cr->ran)
		return rc;
	if (seed) {
		if (cr->monitored)
			cr->seed = seed;
		else
			note_unwatched(x->res, true, false);
		return 0;
	}
	int runs = stress_runs_of(cr->tc, opt);
	if (runs == 0 || findings_costly(&cr->findings))
		return 0;
	if (!cr->monitored) {
		note_unwatched(x->res, false, cr->monitor_wanted);
		return 0;
	}
	return stress_case(x, cr, runs, err);
}

const struct monitor_facts *case_stuck_facts(const struct case_result *cr)
{
	for (size_t i = 0; i < cr->findings.n; i++) {
		const struct finding *f = &cr->findings.v[i];
		if ((f->kind == FINDING_DEADLOCK || f->kind == FINDING_HANG) && f->details)
			return f->details;
	}
	return NULL;
}

/* Keeps only the cases before `first` (the others were not graded). */
static void drop_cases_from(struct submission_result *res, size_t first)
{
	for (size_t i = first; i < res->ncases; i++) {
		res->max_score -= res->cases[i].max_score;
		case_result_free(&res->cases[i]);
	}
	res->ncases = first;
}

static void init_cases(const struct exercise *ex, const struct grade_options *opt,
		       struct submission_result *res)
{
	res->cases = xcalloc(ex->ncases, sizeof *res->cases);
	for (size_t i = 0; i < ex->ncases; i++) {
		const struct test_case *tc = &ex->cases[i];
		if (opt && opt->only_case && strcmp(opt->only_case, tc->name))
			continue;
		if (tc->bonus && !ex->bonus)
			continue; /* the bonus is graded only when the exercise enables it */
		struct case_result *cr = &res->cases[res->ncases++];
		cr->tc = tc;
		cr->max_score = tc->points;
		cr->exit_code = -1;
		res->max_score += tc->points;
	}
	res->total_cases = res->ncases;
}

/* An AddressSanitizer build: what that changes (case_env()). */
static void note_asan(struct submission_result *res)
{
	buf_puts(&res->notes,
		 _("The program is built with AddressSanitizer: its memory errors are caught, but "
		   "leaks are not checked (ASAN_OPTIONS=detect_leaks=0), because LeakSanitizer "
		   "cannot run under pipegrade's process monitor.\n"));
	if (!sandbox_caps()->cg.mem[0])
		buf_puts(&res->notes,
			 _("Here memory is limited by address space (there is no memory cgroup), "
			   "which AddressSanitizer cannot start under: build without "
			   "-fsanitize=address to be graded on this machine.\n"));
}

/* The interpreter `name` as the cases run it: a path as given, else the first executable file
 * of that name in the sandbox's PATH (the allow-list root shows the same system folders).
 * NULL when there is none. */
static char *find_interpreter(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	char *found = NULL;
	for (const char *d = SANDBOX_PATH; !found && *d;) {
		size_t n = strcspn(d, ":");
		char *p = xasprintf("%.*s/%s", (int)n, d, name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
			found = p;
		else
			free(p);
		d += n + (d[n] == ':');
	}
	return found;
}

/* A replay: what the notes say of it. */
static void note_replay(struct submission_result *res, unsigned long long seed)
{
	buf_printf(&res->notes,
		   _("Each case ran once, under seed %llu (--seed), instead of its plain run: "
		     "with the interleaving and the perturbations that seed chose "
		     "(docs/stress.md).\n"),
		   seed);
}

/* Every case of the submission, built or not, in order, until one is interrupted. `repro`: a
 * kept build's repro.sh (NULL: none), which gets the cases whose details are shown. Returns
 * -1 when pipegrade itself failed. */
static int grade_cases(const struct build *b, struct submission_result *res,
		       const struct grade_options *opt, const char *const *hide,
		       struct grade_repro *repro, struct buf *err)
{
	struct case_ctx x = { b, res, hide, opt && opt->no_monitor };
	if (b->ok && opt && opt->seed)
		note_replay(res, opt->seed);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < res->ncases; i++) {
		struct case_result *cr = &res->cases[i];
		if (b->ok) {
			bool shown = !cr->tc->hidden || (opt && opt->show_hidden);
			struct grade_repro *r = shown ? repro : NULL;
			rc = grade_case(&x, cr, opt, r, err);
			if (rc == 0 && r && !r->first_failed &&
			    !findings_has(&cr->findings, FINDING_PASS))
				r->first_failed = (size_t)(cr->tc - res->ex->cases) + 1;
		} else {
			add_compile_error(cr, b);
			score_case(cr);
		}
		if (res->interrupted) {
			drop_cases_from(res, i);
			break;
		}
		res->score += cr->score;
	}
	return rc;
}

int grade_submission(const struct course *c, const struct exercise *ex, const char *submission,
		     const struct grade_options *opt, struct submission_result *res,
		     struct buf *err)
{
	memset(res, 0, sizeof *res);
	double start = now_monotonic();
	res->ex = ex;
	res->submission = xstrdup(submission);
	struct buf in_force = BUF_INIT, missing = BUF_INIT;
	sandbox_describe(sandbox_caps(), &in_force, &missing);
	res->protections = buf_detach(&in_force);
	res->unprotected = missing.len ? buf_detach(&missing) : NULL;
	buf_free(&missing);
	init_cases(ex, opt, res);
	if (ex->language == PROG_PYTHON && !(res->python = find_interpreter(c->python))) {
		buf_printf(err,
			   _("cannot grade %s: its submissions are Python scripts, and %s is not "
			     "installed here (looked for in %s)"),
			   ex->id, c->python, SANDBOX_PATH);
		return -1;
	}
	char *parent = path_dirname(submission); /* other students' submissions, usually */
	const char *const hide[] = { c->dir, submission, parent, NULL };
	struct build b;
	struct build_options bo = { hide, opt ? opt->cache_dir : NULL };
	bool keep = opt && opt->keep_workdir;
	struct grade_repro repro = GRADE_REPRO_INIT;
	int rc = build_submission(c, ex, submission, &bo, &b, err);
	if (rc == 0) {
		res->compiled = b.ok;
		res->nothing_to_build = b.nothing_to_build;
		res->interrupted = b.interrupted;
		if (b.interrupted)
			drop_cases_from(res, 0);
		res->build_s = b.secs;
		buf_append(&res->build_log, b.log.data, b.log.len);
		buf_append(&res->build_warnings, b.warnings.data, b.warnings.len);
		if (b.ok && b.asan)
			note_asan(res);
		rc = grade_cases(&b, res, opt, hide, keep ? &repro : NULL, err);
	}
	if (rc == 0 && keep && b.ok && b.workdir && !res->interrupted &&
	    grade_repro_write(&repro, b.workdir, ex, err) < 0)
		rc = -1;
	if (rc == 0 && keep && b.workdir && !(res->workdir = build_keep(&b, err)))
		rc = -1;
	grade_repro_free(&repro);
	build_free(&b);
	free(parent);
	res->wall_s = now_monotonic() - start;
	return rc;
}

void submission_result_free(struct submission_result *res)
{
	for (size_t i = 0; i < res->ncases; i++)
		case_result_free(&res->cases[i]);
	free(res->cases);
	free(res->submission);
	free(res->python);
	free(res->workdir);
	free(res->protections);
	free(res->unprotected);
	buf_free(&res->build_log);
	buf_free(&res->build_warnings);
	buf_free(&res->notes);
	memset(res, 0, sizeof *res);
}

bool submission_passed(const struct submission_result *res)
{
	for (size_t i = 0; i < res->ncases; i++)
		if (!findings_has(&res->cases[i].findings, FINDING_PASS))
			return false;
	return true;
}
