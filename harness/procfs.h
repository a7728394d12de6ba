/*
 * procfs.h: what /proc says about one process, read with bounded buffers.
 *
 * Every reader takes a pid and fills a plain struct; a process that has vanished is normal, not
 * an error: the readers return -1 with errno ESRCH or ENOENT and the caller moves on. Nothing
 * here keeps an fd open past a call, and every fd opened is O_CLOEXEC. /proc/PID/stat is parsed
 * after the last ')' because the command name is chosen by the program and may contain ") ".
 *
 * Errors: ENOENT or ESRCH (the process is gone), EACCES (no ptrace access: syscall needs it),
 * EPROTO (a file did not have the expected format). A zombie is still there: stat answers (state
 * 'Z'), it has no fds (an empty list), no wchan and no syscall (SC_UNKNOWN), and no exe (-1).
 */
#ifndef PIPEGRADE_PROCFS_H
#define PIPEGRADE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* From /proc/PID/stat and /proc/PID/status. */
struct proc_stat {
	pid_t tgid; /* its thread group (status' Tgid): its own pid for a process,
				       the process's for one of its other threads; 0 if unknown */
	char state; /* R, S, D, T, t, Z, X, I ... */
	pid_t ppid;
	pid_t pgid;
	pid_t sid;
	char comm[64];            /* command name (at most 15 bytes + NUL in the kernel) */
	unsigned long long utime; /* clock ticks */
	unsigned long long stime;
	unsigned long long start_time;    /* clock ticks after boot */
	unsigned long long ctxt_switches; /* voluntary + nonvoluntary (from status) */
	long long vm_peak_kib; /* the largest its address space has been (status' VmPeak),
				       KiB; 0 when status has none (a zombie, a kernel thread) */
	int threads;
	pid_t ns_pid; /* its pid in its own (innermost) PID namespace (status' NSpid); 0 if
				       unknown */
	int ns_depth; /* how many PID namespaces see it (NSpid's numbers); 0 if unknown */
};

/* Reads stat (and the thread group, the context switches and VmPeak from status) into *st
 * (zeroed first); comm is what is between the first '(' and the last ')'. Works for a thread's
 * id too (/proc/TID is there, though not listed). Returns 0 or -1. */
int procfs_stat(pid_t pid, struct proc_stat *st);

/* The same for one thread `tid` of process `pid` (/proc/PID/task/TID/stat and status): its own
 * state, CPU time and context switches (threads, tgid and VmPeak are the process's). A thread
 * that has gone is normal: -1 (ENOENT or ESRCH). */
int procfs_task_stat(pid_t pid, pid_t tid, struct proc_stat *st);

/* The thread ids of process `pid` (/proc/PID/task): the first `max` of them, in ascending order,
 * into `out`. Returns how many threads it has (more than `max` when `out` was too small: the
 * rest are left out), or -1 (the process has gone). One directory read, no allocation. */
int procfs_tasks(pid_t pid, pid_t *out, size_t max);

/* True when `pid` is a process (or thread) that still runs: its stat is there and its state is
 * neither zombie ('Z') nor dead ('X'). A process that has gone is simply not live. Reads stat
 * only. */
bool procfs_is_live(pid_t pid);

/* The kernel function the process sleeps in (/proc/PID/wchan), e.g. "anon_pipe_read",
 * "pipe_read", "do_wait", "hrtimer_nanosleep", "__do_sys_pause", "do_signal_stop"; "" when
 * running or unknown ("0"). Truncated to size - 1 bytes. Returns 0 or -1. */
int procfs_wchan(pid_t pid, char *out, size_t size);

/* The system call the process is blocked in (/proc/PID/syscall). RUNNING: runnable (running or
 * preempted). UNKNOWN: blocked outside any system call ("-1 sp pc": stopped while running its
 * own code, or a zombie). A process stopped by a signal while in a system call still reports
 * that call as BLOCKED: look at the state ('T'/'t') before believing it waits on the call. */
struct proc_syscall {
	enum { SC_RUNNING, SC_BLOCKED, SC_UNKNOWN } what;
	long nr; /* syscall number (x86-64 numbering on x86-64) when BLOCKED */
	unsigned long long args[6];
	unsigned long long sp, pc; /* BLOCKED: the user stack pointer and program counter
				      (inside the C library's wrapper of the call); else 0 */
};

/* Fills *sc (nr -1 and args 0 unless BLOCKED). Returns 0 or -1. */
int procfs_syscall(pid_t pid, struct proc_syscall *sc);

/* The same for one thread `tid` of process `pid` (/proc/PID/task/TID/syscall); -1 when the
 * thread has gone. */
int procfs_task_syscall(pid_t pid, pid_t tid, struct proc_syscall *sc);

/* One open fd that is an anonymous pipe (its /proc/PID/fd link reads "pipe:[inode]"). A named
 * FIFO reads as its path and is not listed. */
enum pipe_end { END_READ, END_WRITE, END_BOTH };

struct proc_fd {
	int fd;
	unsigned long inode; /* the pipe's inode number (from "pipe:[N]") */
	enum pipe_end end; /* from the access mode in fdinfo's "flags" (O_RDONLY/O_WRONLY/O_RDWR) */
	bool cloexec;      /* O_CLOEXEC set on this fd */
};

/* The pipe fds of a process, sorted by fd, in a growable array the caller owns. */
struct proc_fds {
	struct proc_fd *v;
	size_t n;
	size_t cap;
	int total; /* how many fds of any kind the process has open (for the
				     * calling process itself, with the 2 the call has open) */
};

#define PROC_FDS_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

/* Replaces `out`'s contents with the pipe fds of `pid` (/proc/PID/fd and /proc/PID/fdinfo),
 * reusing its array. An fd the process closes while we read is left out; a zombie has none.
 * Returns 0, or -1 (the process has gone) with out->n and out->total 0. */
int procfs_pipe_fds(pid_t pid, struct proc_fds *out);

/* What an fd that is not an anonymous pipe is (procfs_fds()). */
enum proc_file_kind {
	PFK_FILE,   /* a regular file */
	PFK_FIFO,   /* a named FIFO (mkfifo) */
	PFK_SOCKET, /* a socket ("socket:[N]") */
	PFK_DEVICE, /* a character or block device (/dev/null, a terminal) */
	PFK_DIR,    /* a directory (opendir, open(O_DIRECTORY)) */
	PFK_OTHER,  /* anything else: an anon inode (eventfd, epoll...), a file gone */
};

/* One open fd that is not an anonymous pipe. */
struct proc_file {
	int fd;
	enum proc_file_kind kind;
	enum pipe_end mode;     /* its access mode, from fdinfo's "flags" (END_READ: read-only,
			       END_WRITE: write-only, END_BOTH: read/write) */
	char name[48];          /* PFK_DEVICE: the path ("/dev/null"); PFK_OTHER: the link as it
			       reads ("anon_inode:[eventfd]"); else the path's basename
			       ("infile.txt"), without the " (deleted)" the kernel adds; "" for a
			       socket. Bytes the program chose: escape them before showing them.
			       Truncated to 47 bytes. */
	unsigned long ino;      /* PFK_SOCKET: the socket's inode (the N of "socket:[N]"); the
			       others with a path: the file's st_ino; 0 when unknown */
	unsigned long long dev; /* with a path: the file's st_dev (with `ino`, a FIFO's
				   identity); else 0 */
};

/* The fds that are not pipes, sorted by fd, in a growable array the caller owns. */
struct proc_files {
	struct proc_file *v;
	size_t n;
	size_t cap;
};

#define PROC_FILES_INIT                                                                            \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* procfs_pipe_fds(), and besides, when `files` is not NULL, every other fd above 2 of `pid`
 * into `files` (replaced, reusing its array): what it is (one fstatat() of /proc/PID/fd/FD,
 * which never opens it), its name and its access mode. Bounded like the rest: one readlink of
 * at most PATH_MAX bytes and one fdinfo read per fd. Returns 0, or -1 (the process has gone)
 * with both lists empty. */
int procfs_fds(pid_t pid, struct proc_fds *pipes, struct proc_files *files);

/* The fds of `pid` that are sockets or named FIFOs, 0, 1 and 2 included, into `files`
 * (replaced, reusing its array), each with its identity (`ino`, `dev`): who holds which socket or
 * FIFO, for the monitor. Bounded like procfs_fds(). Returns 0, or -1 (the process has gone) with
 * the list empty. */
int procfs_ipc_fds(pid_t pid, struct proc_files *files);

/* Frees the array and leaves `files` empty (as PROC_FILES_INIT). */
void proc_files_free(struct proc_files *files);

/* The pipe fd with this number, or NULL. */
const struct proc_fd *proc_fds_find(const struct proc_fds *fds, int fd);

/* Frees the array and leaves `fds` empty (as PROC_FDS_INIT), ready for reuse. */
void proc_fds_free(struct proc_fds *fds);

/* True when `fd` of `pid` is an anonymous pipe, from one readlink of /proc/PID/fd/FD (cheaper
 * than procfs_pipe_fds() when one fd is in question). False when it is anything else, is not
 * open, `fd` is negative, or the process has gone. */
bool procfs_fd_is_pipe(pid_t pid, int fd);

/* What `fd` of `pid` is, as the /proc/PID/fd/FD link reads: "pipe:[123]", "socket:[456]",
 * "/dev/null", a path (bytes the program chose: escape them before showing them). Truncated to
 * size - 1 bytes (size >= 1). Returns 0, or -1 with `out` empty (not open, or gone). */
int procfs_fd_target(pid_t pid, int fd, char *out, size_t size);

/* The basename of /proc/PID/exe (what the process runs now), without the " (deleted)" the
 * kernel adds when the file was removed, into `out` (truncated to size - 1 bytes). Returns 0,
 * or -1 (gone, a zombie or a kernel thread: ENOENT). */
int procfs_exe_name(pid_t pid, char *out, size_t size);

/* Whether process `pid` has a handler for signal `sig` (status' SigCgt): then the signal does
 * not end it by itself. False when it cannot be read. */
bool procfs_signal_caught(pid_t pid, int sig);

#endif
