/* report_sched.c: stress mode in words (see report_monitor.h, docs/stress.md): a race finding's
 * message with the command that replays its run, and the interleaving of a stressed run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report_monitor.h"

#define RACE_MESSAGE_LINES 8 /* of the failing run's finding, in the race finding's message */
#define ROLE_COLUMNS 12      /* the name column of the interleaving */

/* ---- the race finding ---- */

/* `s` as one word for sh: as it is when it is made only of characters no shell reads
 * specially, else quoted. */
static void sh_word(struct buf *b, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_./-+,:=@%";
	size_t len = strlen(s);
	if (len && strspn(s, plain) == len)
		buf_puts(b, s);
	else
		buf_sh_quote(b, s, len);
}

char *report_replay_command(const char *exercise, const char *case_name, const char *submission,
			    unsigned long long seed)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "pipegrade grade -e ");
	sh_word(&b, exercise);
	buf_printf(&b, " --seed %llu --case ", seed);
	buf_sh_quote(&b, case_name, strlen(case_name));
	buf_puts(&b, " ");
	/* a path that starts with '-' would read as an option */
	if (submission[0] == '-')
		buf_puts(&b, "./");
	sh_word(&b, submission);
	return buf_detach(&b);
}

/* The first RACE_MESSAGE_LINES lines of `msg`, each indented by two spaces. */
static void quote_lines(struct buf *b, const char *msg)
{
	const char *p = msg;
	for (int line = 0; *p && line < RACE_MESSAGE_LINES; line++) {
		size_t n = strcspn(p, "\n");
		buf_printf(b, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	if (*p)
		buf_puts(b, _("  [...]\n"));
}

char *report_race_message(const struct finding_race *race, const char *command)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   _("%d of %d runs failed under stress (other interleavings, short reads, split "
		     "writes, smaller pipes: docs/stress.md)."),
		   race->failed, race->runs);
	const struct finding *f = findings_costly(&race->findings);
	if (f) {
		buf_printf(&b, _(" With seed %llu, %s:\n"), race->seed, finding_kind_name(f->kind));
		quote_lines(&b, f->message);
	} else {
		buf_puts(&b, "\n");
	}
	buf_printf(&b, _("Replay it with: %s"), command);
	return buf_detach(&b);
}

/* ---- the interleaving ---- */

const char *report_sched_step_kind_name(enum monitor_step_kind k)
{
	switch (k) {
	case MONITOR_STEP_START:
		return "start";
	case MONITOR_STEP_READ:
		return "read";
	case MONITOR_STEP_WRITE:
		return "write";
	case MONITOR_STEP_CLOSE:
		return "close";
	case MONITOR_STEP_WAIT:
		return "wait";
	case MONITOR_STEP_SLEEP:
		return "sleep";
	case MONITOR_STEP_FORK:
		return "fork";
	case MONITOR_STEP_EXIT:
		return "exit";
	}
	return "unknown";
}

const char *report_sched_role(const struct monitor_step *st, const struct monitor_snapshot *tree,
			      bool english, char *out, size_t size)
{
	const struct monitor_process *p = tree ? monitor_snapshot_find(tree, st->pid) : NULL;
	if (p)
		return report_monitor_role(p, english, out, size);
	struct monitor_process named = { .pid = st->pid };
	snprintf(named.role, sizeof named.role, "%s", st->role);
	return report_monitor_role(&named, english, out, size);
}

/* " on pipe A", " on stdout", " on a socket or FIFO": what a step's fd is. */
static void step_ipc(struct buf *b, const struct monitor_step *st)
{
	bool stdio = !strcmp(st->ipc, "stdin") || !strcmp(st->ipc, "stdout") ||
		     !strcmp(st->ipc, "stderr");
	if (!st->ipc[0])
		buf_puts(b, _(" on a socket or FIFO"));
	else if (stdio)
		buf_printf(b, _(" on %s"), st->ipc);
	else
		buf_printf(b, _(" on pipe %s"), st->ipc);
}

/* What a step did, in words: "write(fd 4) 12 bytes on pipe A". */
static void step_words(struct buf *b, const struct monitor_step *st)
{
	switch (st->kind) {
	case MONITOR_STEP_START:
		buf_puts(b, _("starts"));
		break;
	case MONITOR_STEP_READ:
		buf_printf(b, "read(fd %d)", st->fd);
		step_ipc(b, st);
		if (st->cut >= 0)
			buf_printf(b, _(", cut to %lld bytes"), st->cut);
		break;
	case MONITOR_STEP_WRITE:
		buf_printf(b,
			   st->bytes == 1 ? _("write(fd %d) %lld byte")
					  : _("write(fd %d) %lld bytes"),
			   st->fd, st->bytes);
		step_ipc(b, st);
		if (st->cut >= 0)
			buf_printf(b, _(", split: a piece of %lld bytes"), st->cut);
		break;
	case MONITOR_STEP_CLOSE:
		buf_printf(b, "close(fd %d)", st->fd);
		step_ipc(b, st);
		break;
	case MONITOR_STEP_WAIT:
		buf_puts(b, _("wait() for a child"));
		break;
	case MONITOR_STEP_SLEEP:
		buf_puts(b, _("sleep: returned at once"));
		break;
	case MONITOR_STEP_FORK:
		buf_puts(b, "fork()");
		break;
	case MONITOR_STEP_EXIT:
		buf_puts(b, _("exits"));
		break;
	}
}

/* The first line: what the seed chose. */
static void sched_choices(struct buf *b, const struct monitor_schedule *s)
{
	buf_printf(b, _("seed %llu chose: "), s->seed);
	if (s->pipe_size > 0)
		buf_printf(b, _("pipes of %d bytes"), s->pipe_size);
	else
		buf_puts(b, _("pipes of their usual size"));
	buf_printf(b,
		   _(", %d%% of reads cut short, %d%% of split writes giving way, depth %d (%d "
		     "priority changes among %d steps)\n"),
		   s->short_reads, s->split_writes, s->depth, s->depth > 0 ? s->depth - 1 : 0,
		   s->horizon);
}

/* The last lines: the steps not kept, and where the scheduler stopped choosing. */
static void sched_end(struct buf *b, const struct monitor_schedule *s)
{
	if (s->total > s->nsteps)
		buf_printf(b, _("  ... and %zu more steps (only the first %zu are kept)\n"),
			   s->total - s->nsteps, s->nsteps);
	if (s->off == MONITOR_SCHED_THREADS)
		buf_printf(b,
			   _("from step %zu on, the processes ran as usual: one started a thread, "
			     "and threads share memory, which the scheduler cannot see\n"),
			   s->off_at);
	else if (s->off == MONITOR_SCHED_STEPS)
		buf_printf(b,
			   _("from step %zu on, the processes ran as usual: too many steps to "
			     "choose each one\n"),
			   s->off_at);
}

char *report_sched_text(const struct monitor_schedule *s, const struct monitor_snapshot *tree)
{
	struct buf b = BUF_INIT;
	sched_choices(&b, s);
	if (s->nsteps == 0)
		buf_puts(&b, _("no step was recorded\n"));
	for (size_t i = 0; i < s->nsteps; i++) {
		const struct monitor_step *st = &s->steps[i];
		char role[REPORT_ROLE_SIZE];
		report_sched_role(st, tree, false, role, sizeof role);
		buf_printf(&b, "%6zu  ", i + 1);
		size_t start = b.len; /* a program's name, made visible to be padded to its width */
		buf_visible(&b, role, strlen(role), false);
		for (size_t w = utf8_columns(b.data + start); w < ROLE_COLUMNS; w++)
			buf_puts(&b, " ");
		buf_puts(&b, " ");
		step_words(&b, st);
		buf_puts(&b, "\n");
	}
	sched_end(&b, s);
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_detach(&b);
}
