/*
 * monitor_facts.h: what the process monitor found, as data: the processes of a case, the pipes
 * between them, the fds that hold each end, what each process waits on, the children it did not
 * wait for, what the exercise required of the structure and what the program did.
 *
 * The monitor (monitor*.c) fills these structs and never turns them into text; the reports
 * (report_*.c, report_monitor.h) turn them into sentences, JSON and pictures. The only text
 * here is what the system said as it was: a program's name (`exe`), what an fd is (`target`),
 * a system call's name (`call`). The first two are chosen by the submission: escape them for
 * the medium they go into.
 *
 * Ownership: a `struct monitor_snapshot` owns its arrays and, in each process, the `fds` and
 * `unwaited` arrays; monitor_snapshot_free() releases them. A `struct monitor_facts` is
 * allocated by monitor_facts_new() and released whole (snapshot included) by
 * monitor_facts_free(); a finding owns the facts it carries (findings.h). Nothing here points
 * outside its own snapshot: a snapshot can be moved (copied by value) freely, as long as only
 * one copy is freed.
 */
#ifndef PIPEGRADE_MONITOR_FACTS_H
#define PIPEGRADE_MONITOR_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "findings.h"
#include "monitor_where.h"
#include "procfs.h"

/* What a process waits on when the tree is found asleep. */
enum monitor_wait_kind {
	MONITOR_WAIT_NONE,         /* not waiting for good: running, or caught between two calls */
	MONITOR_WAIT_TIMED,        /* a sleep, poll or wait with a timeout: it wakes by itself */
	MONITOR_WAIT_PIPE_READ,    /* read() on a pipe of the submission */
	MONITOR_WAIT_PIPE_WRITE,   /* write() on a pipe of the submission (it is full) */
	MONITOR_WAIT_CHILD,        /* waitpid(), wait(), waitid(); a parent in vfork() */
	MONITOR_WAIT_SIGNAL,       /* pause() or sigsuspend() */
	MONITOR_WAIT_STOPPED,      /* stopped by a signal */
	MONITOR_WAIT_OTHER,        /* another call that will not return by itself */
	MONITOR_WAIT_THREAD,       /* futex() with no timeout in a process with other threads:
				    waits on another of its threads (pthread_join(), a mutex, a
				    condition variable); final only when they all wait for good.
				    A single-threaded process's futex() is OTHER. */
	MONITOR_WAIT_SOCKET_READ,  /* read() or recv() on a UNIX socket whose peer (the other end
				      of its pair, which alone can send to it) live processes of
				      the case hold: `ipc` */
	MONITOR_WAIT_SOCKET_WRITE, /* write() or send() on such a socket: it is full, and what it
				      sent waits unread at the peer */
	MONITOR_WAIT_FIFO_READ,    /* read() on a named FIFO that live processes of the case hold
				      open for writing: `ipc` */
	MONITOR_WAIT_FIFO_WRITE,   /* write() on a full named FIFO that live processes of the case
				      hold open for reading */
	MONITOR_WAIT_FIFO_OPEN,    /* open() of a named FIFO (`ipc`), which returns only once
				      another process opens its other side: `open_for` */
};

struct monitor_wait {
	enum monitor_wait_kind kind;
	const char *call;        /* the call: "read", "write", "waitpid", "waitid", "vfork",
				    "pause", "sigsuspend", "poll", "select", "accept", "open"...;
				    "" when none (stopped). Static storage, never freed. */
	int fd;                  /* the call's fd argument, or -1 */
	int pipe;                /* the pipe that fd is, as an index in the snapshot's pipes[]
				    (pipegrade's own included: a read of stdin), or -1 */
	int ipc;                 /* SOCKET_* and FIFO_*: the socket that fd is, or the FIFO it
				    reads, writes or opens, as an index in the snapshot's ipcs[];
				    else -1 */
	enum pipe_end open_for;  /* FIFO_OPEN: the side it opens the FIFO for, END_READ or
				    END_WRITE */
	char target[64];         /* OTHER, SOCKET_*, FIFO_READ and _WRITE with an fd: what
				    the fd is (procfs_fd_target(): a path, "socket:[123]"; for
				    pipegrade's own pipes its name); "" when unknown */
	pid_t waits_for;         /* CHILD: the pid waited for, -1 for any child */
	int stop_signal;         /* STOPPED: the signal that stopped it; else 0 */
	struct monitor_frame at; /* a stuck tree: the student's code that made the call (its
				    file, line and function, monitor_where.h); empty when unknown */
};

/* What an fd is. Only FINDING_FD_LEAK facts hold fds that are not pipes. */
enum monitor_fd_kind {
	MONITOR_FD_PIPE,   /* an anonymous pipe: see `pipe` */
	MONITOR_FD_FILE,   /* a regular file */
	MONITOR_FD_FIFO,   /* a named FIFO */
	MONITOR_FD_SOCKET, /* a socket */
	MONITOR_FD_DEVICE, /* a device (/dev/null, a terminal) */
	MONITOR_FD_DIR,    /* a directory */
	MONITOR_FD_OTHER,  /* anything else (eventfd, epoll, ...) */
};

/* An fd a process holds: a pipe end, or (in an fd leak only) any other fd. */
struct monitor_fd {
	int fd;
	int pipe;          /* MONITOR_FD_PIPE: index in the snapshot's pipes[]; else -1 */
	enum pipe_end end; /* a pipe's end, END_READ, END_WRITE or END_BOTH (opened O_RDWR);
			      for the others the access mode: read-only, write-only, read/write */
	enum monitor_fd_kind kind;
	char name[48]; /* not a pipe: what procfs_fds() names it (a file's basename,
			      "infile.txt"; a device's path; "" for a socket), chosen by the
			      submission: escape it for the medium. "" for a pipe. */
	int ipc;       /* a stuck tree's socket or FIFO fd (kind SOCKET or FIFO): its index in
			  the snapshot's ipcs[]; else -1 */
};

/* How a process ended. */
enum monitor_end {
	MONITOR_END_RUNNING, /* still alive when the facts were taken */
	MONITOR_END_EXITED,  /* it called exit: see exit_code */
	MONITOR_END_KILLED,  /* a signal ended it */
};

/* Who sent the signal that killed a process, as the kernel said when it was delivered. */
enum monitor_sender {
	MONITOR_SENDER_UNKNOWN, /* not said: SIGKILL (killed without a delivery stop), a
				    signal the kernel sent (SIGPIPE, SIGXCPU...), a sender
				    outside the case */
	MONITOR_SENDER_FAULT,   /* its own instruction: a fault the kernel turned into the
				    signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) */
	MONITOR_SENDER_SELF,    /* the process itself: kill(), raise(), abort(), sigqueue() */
	MONITOR_SENDER_PROCESS, /* another process of the case: `sender` */
	MONITOR_SENDER_HARNESS, /* pipegrade */
};

/* The signal that killed a process, and what its delivery said. */
struct monitor_signal {
	int signo; /* the signal; 0 when the process was not killed by one */
	bool seen; /* its delivery was seen (never for SIGKILL): code, from, addr are set */
	int code;  /* si_code: SI_USER (kill()), SI_TKILL (raise(), abort()), SI_QUEUE
		      (sigqueue()), or the kernel's (> 0: SEGV_MAPERR...) */
	enum monitor_sender from;
	pid_t sender;  /* MONITOR_SENDER_PROCESS: the sender's pid, as the monitor knows it */
	bool has_addr; /* SIGSEGV or SIGBUS from a fault: `addr` is the address it touched */
	unsigned long long addr;
	struct monitor_where where; /* a crash signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
				       SIGTRAP, SIGSYS) seen at its delivery: the program's
				       frames then; empty when unknown (monitor_where.h) */
};

/* What a process wrote to pipegrade's stdout: the first bytes it passed to write() on fd 1
 * while fd 1 was pipegrade's stdout pipe, as the call got them (read at the call's entry: a
 * write that then failed is counted). Bytes the submission chose: escape them. */
#define MONITOR_OUT_HEAD 256
struct monitor_out {
	unsigned char head[MONITOR_OUT_HEAD];
	size_t n;       /* bytes in head; MONITOR_OUT_HEAD when there may be more */
	size_t at_fork; /* its parent's `n` when it forked this process: what the parent
			   wrote after the fork starts at head[at_fork] of the parent's */
};

/* An uncaught exception that ended a process of an interpreted program: the end of the
 * traceback it wrote to stderr. Bytes the submission chose: escape them. */
struct monitor_exception {
	char what[192];          /* its last line, "ValueError: invalid literal for int()...";
				    "" when the process did not end so */
	struct monitor_frame at; /* the traceback's innermost frame: file's basename, line and
				    function ("<module>" for the script's top level) */
};

/* Another thread of a multi-threaded process (not its main thread) in a stuck tree. */
struct monitor_thread {
	pid_t tid;
	int number;               /* 2, 3, ...: its place among the process's threads by thread
				     id (the main thread is 1) */
	struct monitor_wait wait; /* what it waits on */
};

/* A process of the case (a thread-group leader: threads are not processes here; a stuck tree
 * lists a multi-threaded process's other threads in `threads`). */
struct monitor_process {
	pid_t pid;
	pid_t parent;      /* the traced process that forked it; 0 for the main process */
	char role[48];     /* where it stands in the tree: "" for the main process, "1" for
				    its first child, "1.2" for that one's second child */
	char exe[32];      /* the program it exec'd (the basename of /proc/PID/exe, "cat");
				    "" while it runs the student's own code */
	double started_at; /* seconds from the start of the run */
	double exec_at;    /* when it exec'd `exe`; -1 when it did not */
	double ended_at;   /* when it was reaped; -1 while alive */
	enum monitor_end end;
	int exit_code;                  /* MONITOR_END_EXITED: its exit status (0-255) */
	struct monitor_wait wait;       /* what it (its main thread) waits on (a stuck tree's
				    snapshot); kind NONE else */
	struct monitor_thread *threads; /* a stuck tree: its other threads, by number (owned);
					   none for a single-threaded process */
	size_t nthreads, threads_cap;
	struct monitor_fd *fds; /* fds it holds (owned), by fd number: pipe fds, and in an fd
				    leak the others too; which ones depends on the facts (below) */
	size_t nfds, fds_cap;
	pid_t *unwaited; /* children alive or zombie when it exited (owned) */
	size_t nunwaited;
	struct monitor_signal killed_by; /* MONITOR_END_KILLED: the signal, when known */
	bool busy; /* its CPU time grew in the last samples before the run ended (it was
		      running, not waiting); only while the main process lived */
	struct monitor_out out; /* its first bytes to pipegrade's stdout (the process tree) */
	struct monitor_exception exception; /* an interpreted program's process that exited
					       after an uncaught exception (FINDING_CRASH) */
	struct monitor_frame forked_at;     /* a finding's process: where its parent called fork()
					   (monitor_where.h); empty when unknown, and in the
					   process tree */
};

/* A pipe of the case, named in the order the monitor first saw it. */
struct monitor_pipe {
	char name[16];             /* "A", "B", ..., "Z", "AA"...; "stdin", "stdout" or "stderr" for
				    pipegrade's own */
	unsigned long inode;       /* the pipe's inode number (pipe:[N]) */
	bool harness;              /* one of pipegrade's stdio pipes, not the student's */
	int capacity;              /* bytes it holds, when stress mode made it smaller; else 0
				      (Linux's default, 64 KiB) */
	struct monitor_frame made; /* a finding's pipe: where the student's program called
				      pipe() to make it; empty when unknown, and in the tree */
};

/* A UNIX socket or a named FIFO of a stuck tree: one that a process waits on, and a waited
 * socket's peer. Found when the tree is stuck (monitor_sock.c), not followed during the run. */
enum monitor_ipc_kind {
	MONITOR_IPC_SOCKET, /* one socket of a connected pair (socketpair(), or connect() and
			       accept()): what one of the pair sends, the other receives */
	MONITOR_IPC_FIFO,   /* a named FIFO (mkfifo) */
};

struct monitor_ipc {
	enum monitor_ipc_kind kind;
	char name[48];       /* SOCKET: its pair's name, "A", "B", ... in the order the
				 snapshot's processes hold them (the two sockets of a pair share
				 it; the names are not the pipes'); FIFO: the basename of its
				 path ("canal"), chosen by the submission: escape it for the
				 medium; "" when unknown */
	int end;             /* SOCKET: 1 or 2, which socket of its pair (1: the one the first
				 process holding either holds at its lowest fd); FIFO: 0 */
	int peer;            /* SOCKET: its peer, the other end of the pair, in ipcs[]; else -1 */
	unsigned long inode; /* the socket's inode (socket:[N]) or the FIFO's; 0 when unknown */
	unsigned int queued; /* SOCKET: bytes sent to it and not read yet (its receive queue,
				 as sock_diag says) */
};

/* Processes and pipes at one moment, or over the run: see where each is used. */
struct monitor_snapshot {
	struct monitor_process *procs;
	size_t nprocs, procs_cap;
	struct monitor_pipe *pipes;
	size_t npipes, pipes_cap;
	struct monitor_ipc *ipcs; /* a stuck tree's sockets and FIFOs (see monitor_facts) */
	size_t nipcs, ipcs_cap;
};

#define MONITOR_SNAPSHOT_INIT                                                                      \
	{                                                                                          \
		NULL, 0, 0, NULL, 0, 0, NULL, 0, 0                                                 \
	}

/* The structure the exercise asked for and what the program did. */
struct monitor_structure {
	struct requires req; /* what was required (config.h) */
	int pipes;           /* pipes the program created */
	int forks;           /* processes it created with fork() */
	bool few_pipes;      /* fewer pipes than req.pipes */
	bool few_forks;      /* fewer forks than req.forks */
	bool unconnected;    /* req.connected, it created pipes, and no pipe ever had its write
				    end in one process only and its read end in another only */
};

/* The facts behind one finding of the monitor. `snap` holds, by kind:
 *  - FINDING_DEADLOCK, FINDING_HANG: every process alive when the tree was found stuck, each
 *    with its wait and every pipe fd it held (pipegrade's own included), and every pipe seen
 *    in the run (pipegrade's included), in the order first seen. It is a deadlock when some
 *    process waits on a pipe (MONITOR_WAIT_PIPE_READ or _WRITE), a socket pair
 *    (MONITOR_WAIT_SOCKET_*) or a named FIFO (MONITOR_WAIT_FIFO_*). The sockets and FIFOs
 *    waited on, and the waited sockets' peers, are in `ipcs`, and every live process's fds on
 *    them in its fds (kind SOCKET or FIFO, with `ipc`). A multi-threaded process's
 *    other threads are in its `threads`, each with its wait (the main thread's is `wait`).
 *  - FINDING_FD_LEAK: one process; its fds are every fd above 2 (pipes, files, FIFOs,
 *    sockets, devices...) it inherited at exec (`at_exec`, a program it exec'd) or still held
 *    when it exited (its own code); `pipes` holds only the pipes those fds are.
 *  - FINDING_ORPHAN: the process that exited without waiting first, with its `unwaited`
 *    children; then those of the children the monitor traced (for their roles). No process
 *    at all when the finding is about `leftovers`.
 *  - FINDING_STRUCTURE: nothing; see `structure`.
 *  - FINDING_CRASH: the process killed by a signal, with `killed_by`; then the process that
 *    sent it, when that is another process of the case (for its role). Or, in an interpreted
 *    program, the process that exited after an uncaught exception, with `exception`. */
struct monitor_facts {
	enum finding_kind kind;
	struct monitor_snapshot snap;
	bool at_exec;  /* FD_LEAK: inherited at exec (true) or kept at exit (false) */
	int leftovers; /* ORPHAN without processes: how many were still running when the
				    main process ended (pipegrade killed them) */
	struct monitor_structure structure; /* STRUCTURE */
};

/* A new, empty set of facts of this kind (free with monitor_facts_free()). */
struct monitor_facts *monitor_facts_new(enum finding_kind kind);

/* Frees the facts and everything in them; NULL is fine. */
void monitor_facts_free(struct monitor_facts *f);

/* Appends a process, zeroed but for exec_at and ended_at (-1), wait.fd and wait.pipe (-1) and
 * wait.call (""). The pointer is valid until the next call. */
struct monitor_process *monitor_snapshot_add_process(struct monitor_snapshot *s);

/* The index of the pipe with p's inode in s->pipes, appended (a copy of *p) when it is not
 * there yet. */
int monitor_snapshot_add_pipe(struct monitor_snapshot *s, const struct monitor_pipe *p);

/* Appends another thread to a process of a snapshot, with its wait. */
void monitor_process_add_thread(struct monitor_process *p, pid_t tid, int number,
				const struct monitor_wait *wait);

/* Appends a pipe fd to a process of a snapshot. */
void monitor_process_add_fd(struct monitor_process *p, int fd, int pipe, enum pipe_end end);

/* Appends an fd that is not a pipe (kind not MONITOR_FD_PIPE), opened with access mode
 * `mode`, named `name` (copied, truncated to 47 bytes). */
void monitor_process_add_file(struct monitor_process *p, int fd, enum monitor_fd_kind kind,
			      const char *name, enum pipe_end mode);

/* Appends a stuck tree's fd on socket or FIFO `ipc` (an index in the snapshot's ipcs[]), as
 * monitor_process_add_file() does, with `ipc` set. */
void monitor_process_add_ipc_fd(struct monitor_process *p, int fd, int ipc,
				enum monitor_fd_kind kind, const char *name, enum pipe_end mode);

/* The process with this pid in the snapshot, or NULL. */
const struct monitor_process *monitor_snapshot_find(const struct monitor_snapshot *s, pid_t pid);

/* The place in the student's code a finding is most about, when known (a line needs debug
 * information): a crash's innermost frame of the program; in a stuck tree the call a pipe's
 * reader waits in (else a writer's, else any process's); an fd leak's first pipe, where it
 * was made (else where the process was forked); an orphan's first child, where it was
 * forked. NULL when none is known. */
const struct monitor_frame *monitor_facts_site(const struct monitor_facts *f);

/* Frees every array of the snapshot and leaves it empty (as MONITOR_SNAPSHOT_INIT). */
void monitor_snapshot_free(struct monitor_snapshot *s);

/* ---- stress mode: the interleaving a seed chose (monitor_sched.c, docs/stress.md) ---- */

/* What a process did at one step of a stressed run: a call through which processes interact,
 * at which the scheduler chose who went next. */
enum monitor_step_kind {
	MONITOR_STEP_START, /* a new process's first instruction (after fork), or a program's
			       start after exec */
	MONITOR_STEP_READ,  /* read() on a pipe, socket or FIFO: `fd`, `ipc`, `bytes`, `cut` */
	MONITOR_STEP_WRITE, /* write() on one: `fd`, `ipc`, `bytes`, `cut` */
	MONITOR_STEP_CLOSE, /* close(), dup2(), dup3() or close_range() dropping such an fd */
	MONITOR_STEP_WAIT,  /* wait(), waitpid(), waitid() */
	MONITOR_STEP_SLEEP, /* sleep(), nanosleep(), clock_nanosleep(): returned at once (the
			       others may just as well have been that slow) */
	MONITOR_STEP_FORK,  /* fork() (the new process's start is a step of its own) */
	MONITOR_STEP_EXIT,  /* the process ends, closing what it held */
};

/* One step: who ran, and what. */
struct monitor_step {
	enum monitor_step_kind kind;
	pid_t pid;
	char role[48];   /* as monitor_process.role: "" for the main process, "1.2"... */
	int fd;          /* READ, WRITE, CLOSE: the fd; else -1 */
	char ipc[16];    /* READ, WRITE, CLOSE: the pipe's name ("A", "stdout"...) or "" when the
			    fd is a socket or FIFO */
	long long bytes; /* READ, WRITE: the count the program asked for */
	long long cut;   /* READ: the count a short read was cut to (the writes pending before
			    it, whole); WRITE: the size of this piece of a split write; else -1 */
};

/* Why a stressed run stopped choosing who runs, part of the way (the rest ran as usual). */
enum monitor_sched_off {
	MONITOR_SCHED_ON,      /* it chose every step */
	MONITOR_SCHED_THREADS, /* a process started a thread: threads share memory, which the
				  scheduler cannot see */
	MONITOR_SCHED_STEPS,   /* more than MONITOR_SCHED_MAX_STEPS steps */
};

/* The interleaving of a stressed run, and the perturbations its seed chose. */
struct monitor_schedule {
	unsigned long long seed;    /* 0: the run was not stressed (nothing else is set) */
	int depth;                  /* PCT depth d: d - 1 priority change points */
	int horizon;                /* the steps the change points were drawn among */
	int pipe_size;              /* bytes each new pipe was shrunk to (F_SETPIPE_SZ); 0: none */
	int short_reads;            /* percent of reads cut at a write boundary */
	int split_writes;           /* percent of split points (writes over PIPE_BUF are cut into
				    PIPE_BUF pieces) at which the writer gives way */
	struct monitor_step *steps; /* in order, at most MONITOR_STEPS_KEPT; owned */
	size_t nsteps, steps_cap;
	size_t total;               /* steps taken, kept or not */
	enum monitor_sched_off off; /* when it stopped choosing */
	size_t off_at;              /* ... at which step */
};

/* Steps a schedule keeps (the first ones); more are counted in `total`. */
#define MONITOR_STEPS_KEPT 2000

/* Frees the steps and zeroes the schedule. */
void monitor_schedule_free(struct monitor_schedule *s);

#endif
