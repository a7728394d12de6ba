/*
 * monitor_where.h: where a process was when a crash signal was delivered to it: the frames of
 * its stack that are the student's program (function, source file and line), read with
 * elfutils' libdwfl while the process is stopped under ptrace at the signal's delivery.
 *
 * The same for a call site: the stack of a process stopped in pipe(), fork(), dup2() or close(),
 * or asleep in read(), is copied then (registers and its top, monitor_stack_take()) and
 * unwound only when a finding needs it, so that a run in which nothing goes wrong pays a copy
 * per call, not an unwinding.
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

/* What a process has mapped (its program and libraries, as /proc/PID/maps listed them when
 * first asked) with its program held open: what unwinding a stack of it needs, even after the
 * process has gone on, exec'd or died. Shared, counted, by a process and the children it forks
 * until they exec; the unwinding's tables (libdwfl's) are built at the first unwinding and
 * kept with it. */
struct monitor_image;

/* The image of process `pid` (ptrace access needed); NULL when /proc cannot say. One
 * reference, the caller's. */
struct monitor_image *monitor_image_new(pid_t pid);
/* Another reference to `img` (NULL gives NULL). */
struct monitor_image *monitor_image_ref(struct monitor_image *img);
/* Drops a reference; the last one frees the image. NULL is fine. */
void monitor_image_unref(struct monitor_image *img);

/* A thread's registers and the top of its stack at one moment, copied: enough to unwind it
 * later. Holds a reference to its image. */
struct monitor_stack;

/* Bytes of stack a call site keeps: the C library's wrapper of a call (fork() included) and
 * the program's frame that called it fit in it. */
#define MONITOR_SITE_STACK 1024

/* Copies the registers of thread `tid`, stopped under ptrace, and up to `window` bytes of its
 * stack from the stack pointer up. NULL when it cannot (not stopped, no memory). */
struct monitor_stack *monitor_stack_take(pid_t tid, struct monitor_image *img, size_t window);

/* The same for a thread asleep in a system call (not stopped), from the stack pointer and
 * program counter /proc/PID/syscall shows: the other registers are not known, so only the
 * frames that need none of them are found (enough for the call site). */
struct monitor_stack *monitor_stack_take_asleep(pid_t tid, unsigned long long sp,
						unsigned long long pc, struct monitor_image *img);

void monitor_stack_free(struct monitor_stack *s);

/* Unwinds `s` into *w (zeroed first). Looks at no more than 16 frames. Returns 0 when some
 * frame was found, -1 when nothing is known (no symbols, the unwinding failed): *w is then
 * empty. */
int monitor_stack_where(const struct monitor_stack *s, struct monitor_where *w);

/* The call site: the innermost frame of the program itself (the code that called the
 * library's function the stack was taken in), into *f (zeroed first). Returns 0 when it has a
 * function or a line, -1 else (*f empty). */
int monitor_stack_site(const struct monitor_stack *s, struct monitor_frame *f);

/* Unwinds thread `tid` of process `pid`, stopped under ptrace (at a signal-delivery stop), into
 * *w: monitor_stack_where() of a stack taken now. */
int monitor_where_find(pid_t pid, pid_t tid, struct monitor_where *w);

#endif
