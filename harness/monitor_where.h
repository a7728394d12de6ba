/*
 * monitor_where.h: where a process was when a crash signal was delivered to it: the frames of
 * its stack that are the student's program (function, source file and line), read with
 * elfutils' libdwfl while the process is stopped under ptrace at the signal's delivery.
 *
 * Facts only: the reports (report_monitor.c, report_json.c) turn them into words. Names come
 * from the program's symbols, files and lines from its debug information (DWARF): without
 * debug information only the functions are known, without symbols nothing is (never a guess).
 * Only local files are read (no debuginfod, no network).
 */
#ifndef PIPEGRADE_MONITOR_WHERE_H
#define PIPEGRADE_MONITOR_WHERE_H

#include <stdbool.h>
#include <sys/types.h>

#define MONITOR_WHERE_FRAMES 8 /* the student's frames kept, innermost first */

/* One frame of the stack. */
struct monitor_frame {
	char function[64]; /* "contar"; "" when the program has no symbol for it */
	char file[64];     /* the student's frames: the source file's basename ("eof-wc.c"),
			      "" without debug information; a library frame: the library's
			      name ("libc") */
	int line;          /* the line in `file`; 0 when unknown */
	bool library;      /* a frame of a shared library, not of the student's program */
};

/* Where the process was. Names are chosen by the submission: escape them for the medium. */
struct monitor_where {
	/* the crash happened inside a library the program called (strlen(NULL)): the library
	 * function the program's code called, with library true; else library false and
	 * function "" */
	struct monitor_frame entry;
	struct monitor_frame frames[MONITOR_WHERE_FRAMES]; /* the program's own frames,
							       innermost first, up to main() */
	int nframes;
};

/* Unwinds thread `tid` of process `pid`, stopped under ptrace (at a signal-delivery stop), into
 * *w (zeroed first). Looks at no more than 16 frames. Returns 0 when some frame was found, -1
 * when nothing is known (no symbols, the unwinding failed): *w is then empty. */
int monitor_where_find(pid_t pid, pid_t tid, struct monitor_where *w);

#endif
