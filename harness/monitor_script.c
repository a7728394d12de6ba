/* monitor_script.c: what the processes of an interpreted program (a Python script) say of
 * themselves on stderr: the traceback of an uncaught exception, and the stacks faulthandler
 * writes when a stuck process is asked for them (see monitor.h, monitor_int.h). */
#include "monitor_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A frame line of a traceback, `  File "hello.py", line 8, in leer`, or of faulthandler's
 * dump, `  File "hello.py", line 8 in leer`, into *f (the file's basename; no file when the
 * name does not fit, never a cut one). */
static bool frame_line(const char *line, struct monitor_frame *f)
{
	char file[256], fn[64];
	int lineno;
	if (sscanf(line, "  File \"%255[^\"]\", line %d, in %63s", file, &lineno, fn) != 3 &&
	    sscanf(line, "  File \"%255[^\"]\", line %d in %63s", file, &lineno, fn) != 3)
		return false;
	memset(f, 0, sizeof *f);
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;
	if (strlen(base) < sizeof f->file)
		memcpy(f->file, base, strlen(base) + 1);
	memcpy(f->function, fn, strlen(fn) + 1);
	f->line = lineno;
	return true;
}

/* The lines of `t` (n bytes) after the last occurrence of `head`, NUL-terminated in a copy
 * (free it); NULL when `head` is not there. */
static char *after_last(const unsigned char *t, size_t n, const char *head)
{
	char *text = xmemdup(t, n);
	char *last = NULL;
	for (char *at = text; (at = strstr(at, head)) != NULL; at++)
		last = at;
	if (!last) {
		free(text);
		return NULL;
	}
	memmove(text, last + strlen(head), strlen(last + strlen(head)) + 1);
	return text;
}

bool monitor_parse_traceback(const unsigned char *t, size_t n, const char *script,
			     struct monitor_exception *e)
{
	memset(e, 0, sizeof *e);
	char *text = after_last(t, n, "Traceback (most recent call last):\n");
	bool found = false, in_script = false;
	struct monitor_frame f;
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (frame_line(line, &f)) { /* outermost first: the last one kept is innermost */
			bool ours = !strcmp(f.file, script);
			if (ours || !in_script)
				e->at = f;
			in_script = in_script || ours;
			found = false; /* the exception's line comes after the last frame */
		} else if (line[0] && line[0] != ' ' && e->at.line > 0 && !found) {
			snprintf(e->what, sizeof e->what, "%s", line);
			found = true;
		}
		line = end ? end + 1 : NULL;
	}
	free(text);
	if (!found)
		memset(e, 0, sizeof *e);
	return found;
}

bool monitor_ask_stacks(struct monitor *m)
{
	bool asked = false;
	for (size_t i = 0; m->interpreted && m->stuck != FINDING_PASS && i < m->nprocs; i++) {
		struct mproc *p = &m->procs[i];
		if (!p->alive || !monitor_runs_student_code(p))
			continue;
		p->err_n = 0; /* from now on: its stacks */
		if (kill(p->pid, SIGABRT) == 0)
			p->asked = asked = true;
	}
	return asked;
}

bool monitor_stacks_done(const struct monitor *m)
{
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].asked && m->procs[i].alive)
			return false;
	return true;
}

/* The innermost frame of the script in the stack of the thread that got the signal (else its
 * innermost frame): the frame lines after "Current thread ... (most recent call first):". */
static bool current_frame(const struct monitor *m, const struct mproc *p, struct monitor_frame *f)
{
	char *text = after_last(p->err_tail, p->err_n, "Current thread ");
	bool found = false, ours = false;
	struct monitor_frame g;
	for (char *line = text; line && *line && !ours;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (frame_line(line, &g)) {
			ours = !strcmp(g.file, m->script);
			if (ours || !found)
				*f = g;
			found = true;
		} else if (found && line[0] != ' ') {
			break; /* the end of that thread's stack */
		}
		line = end ? end + 1 : NULL;
	}
	free(text);
	return found;
}

void monitor_read_stacks(struct monitor *m)
{
	struct monitor_snapshot *s = m->stuck_facts ? &m->stuck_facts->snap : NULL;
	for (size_t i = 0; s && i < s->nprocs; i++) {
		const struct mproc *p = monitor_proc(m, s->procs[i].pid);
		struct monitor_frame f;
		if (p && p->asked && !s->procs[i].wait.at.line && current_frame(m, p, &f))
			s->procs[i].wait.at = f;
	}
}
