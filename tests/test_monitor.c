/*
 * test_monitor.c: the process monitor on real programs, compiled here:
 * read/read and write/write deadlocks (on pipes, socket pairs and named FIFOs), a stop signal,
 * a busy loop, legitimate sleeps, exec'd programs that inherit pipe ends, orphans and zombies. The monitor's facts are turned into
 * messages, JSON and graphs the way grade.c does (report_monitor.h); messages are compared
 * whole, with the pids (which change every run) written as "pid *". The programs live in
 * tests/monitor.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "monitor.h"
#include "report_monitor.h"
#include "grade.h"
#include "run.h"
#include "suites.h"
#include "testutil.h"

static const char *const env[] = { (char *)"PATH=/usr/local/bin:/usr/bin:/bin", (char *)"LC_ALL=C",
				   NULL };
static char *bindir;

static void setup(void)
{
	i18n_set("en");
	bindir = tu_mkdtemp();
}

static void teardown(void)
{
	tu_rmdir(bindir);
	bindir = NULL;
}

/* How a test program is built: with its symbols (the default), with debug information too, or
 * stripped of its symbols. */
enum build_how { BUILD_SYMBOLS, BUILD_DEBUG, BUILD_STRIPPED };

/* Compiles tests/monitor/NAME.c into the temporary directory, built `how`; returns the
 * binary's path. */
static char *compile(const char *name, enum build_how how)
{
	return tu_compile_monitor_program(bindir, name,
					  how == BUILD_DEBUG      ? "-g"
					  : how == BUILD_STRIPPED ? "-s"
								  : "-g0");
}

struct outcome {
	struct run_result r;
	struct monitor_conclusion c;
	struct findings f;   /* the fd_leak, orphan and structure findings, as grade.c adds them */
	char *stuck_message; /* stuck: the finding's message, JSON members and graph; else NULL */
	char *stuck_fields;
	char *graph_dot;
};

/* The JSON members of a finding's details, as results.json carries them (malloc'd). */
static char *details_json(const struct finding *f)
{
	struct buf j = BUF_INIT;
	ck_assert_ptr_nonnull(f->details);
	report_json_monitor_facts(&j, f->details);
	return buf_detach(&j);
}

/* Runs a test program, built `how`, under the monitor (in the temporary directory, where it
 * may make its FIFOs) and draws its conclusions. */
static void watch_built(const char *name, enum build_how how, double wall,
			const struct requires *req, struct outcome *o)
{
	char *bin = compile(name, how);
	const char *argv[] = { (char *)name, NULL };
	struct monitor *m = monitor_new();
	struct run_spec spec = { .file = bin,
				 .argv = argv,
				 .envp = env,
				 .cwd = bindir,
				 .wall_s = wall,
				 .cpu_s = wall,
				 .output_bytes = 1 << 20,
				 .grace_s = -1,
				 .monitor = m };
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, &o->r, &err), 0);
	ck_assert(o->r.monitored);
	o->f = (struct findings)FINDINGS_INIT;
	monitor_conclude(m, req, o->r.leftovers, &o->c);
	monitor_free(m);
	for (size_t i = 0; i < o->c.nfound; i++) {
		report_monitor_finding(&o->f, o->c.found[i]);
		o->c.found[i] = NULL;
	}
	o->stuck_message = o->stuck_fields = o->graph_dot = NULL;
	if (o->c.stuck_facts) {
		struct buf j = BUF_INIT;
		report_json_monitor_facts(&j, o->c.stuck_facts);
		o->stuck_fields = buf_detach(&j);
		o->stuck_message = report_monitor_message(o->c.stuck_facts);
		o->graph_dot = report_graph_dot(&o->c.stuck_facts->snap);
	}
	buf_free(&err);
	free(bin);
	ck_assert_int_eq(tu_count_descendants(), 0);
}

/* Runs a test program, built with its symbols, under the monitor. */
static void watch(const char *name, double wall, const struct requires *req, struct outcome *o)
{
	watch_built(name, BUILD_SYMBOLS, wall, req, o);
}

static void outcome_free(struct outcome *o)
{
	run_result_free(&o->r);
	monitor_conclusion_free(&o->c);
	findings_free(&o->f);
	free(o->stuck_message);
	free(o->stuck_fields);
	free(o->graph_dot);
}

/* `s` with every "pid 123", "\"pid\": 123", "tid 123" and "\"tid\": 123" written with "*" for
 * the number (malloc'd). */
static char *no_pids(const char *s)
{
	struct buf b = BUF_INIT;
	while (*s) {
		bool id = !strncmp(s, "pid ", 4) || !strncmp(s, "tid ", 4);
		bool json = !strncmp(s, "\"pid\": ", 7) || !strncmp(s, "\"tid\": ", 7);
		size_t n = id ? 4 : json ? 7 : 0;
		if (n && s[n] >= '0' && s[n] <= '9') {
			buf_append(&b, s, n);
			buf_puts(&b, "*");
			s += n;
			while (*s >= '0' && *s <= '9')
				s++;
		} else {
			buf_append(&b, s++, 1);
		}
	}
	return buf_detach(&b);
}

#define ASSERT_TEXT(got, want)                                                                     \
	do {                                                                                       \
		char *g_ = no_pids(got);                                                           \
		ck_assert_str_eq(g_, want);                                                        \
		free(g_);                                                                          \
	} while (0)

START_TEST(read_read_cycle)
{
	struct outcome o;
	watch("read-read", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in read(fd 5) in main() on pipe B (created in main()), but "
		    "pipe B's write end is still open in: child 1 (fd 6). A reader only sees EOF when "
		    "every write end is closed.\n"
		    "child 1 (pid *, forked in main()) waits in read(fd 3) in main() on pipe A "
		    "(created in main()), but pipe A's write end is still open in: parent (fd 4). A "
		    "reader only sees EOF when every write end is closed.");
	char *fields = no_pids(o.stuck_fields);
	ck_assert_ptr_nonnull(
		strstr(fields, "{\"pid\": *, \"role\": \"child 1\", \"forked_at\": {\"function\": "
			       "\"main\"}, \"call\": \"read\", \"fd\": 3, \"pipe\": \"A\", "
			       "\"call_at\": {\"function\": \"main\"}}"));
	ck_assert_ptr_nonnull(
		strstr(fields, "\"read_ends\": [{\"pid\": *, \"role\": \"child 1\", "
			       "\"fd\": 3}], \"write_ends\": [{\"pid\": *, \"role\": \"parent\", "
			       "\"fd\": 4}]"));
	free(fields);
	ck_assert_uint_eq(o.f.n, 0);
	/* The same facts as data: the parent reads pipe B, child 1 pipe A; each holds the write
	 * end the other waits on. */
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	ck_assert_int_eq(o.c.stuck_facts->kind, FINDING_DEADLOCK);
	ck_assert_uint_eq(s->nprocs, 2);
	ck_assert_str_eq(s->procs[0].role, "");
	ck_assert_str_eq(s->procs[1].role, "1");
	ck_assert_int_eq(s->procs[1].parent, s->procs[0].pid);
	ck_assert_int_eq(s->procs[0].wait.kind, MONITOR_WAIT_PIPE_READ);
	ck_assert_str_eq(s->procs[0].wait.call, "read");
	ck_assert_int_eq(s->procs[0].wait.fd, 5);
	ck_assert_str_eq(s->pipes[s->procs[0].wait.pipe].name, "B");
	ck_assert_int_eq(s->procs[1].wait.kind, MONITOR_WAIT_PIPE_READ);
	ck_assert_int_eq(s->procs[1].wait.fd, 3);
	ck_assert_str_eq(s->pipes[s->procs[1].wait.pipe].name, "A");
	/* Where, without debug information: the functions, never a line. */
	ck_assert_str_eq(s->procs[0].wait.at.function, "main");
	ck_assert_str_eq(s->procs[0].wait.at.file, "");
	ck_assert_int_eq(s->procs[0].wait.at.line, 0);
	ck_assert_str_eq(s->procs[1].forked_at.function, "main");
	ck_assert_str_eq(s->procs[0].forked_at.function, ""); /* the main process */
	ck_assert_str_eq(s->pipes[s->procs[1].wait.pipe].made.function, "main");
	ck_assert_int_eq(s->pipes[s->procs[1].wait.pipe].made.line, 0);
	ck_assert_int_eq(o.c.tree.nprocs, 2);
	ck_assert_int_eq(o.c.tree.procs[1].pid, s->procs[1].pid);
	/* Both were waiting, not running, at the end. */
	ck_assert(!o.c.tree.procs[0].busy && !o.c.tree.procs[1].busy);
	ck_assert_ptr_null(report_monitor_busy(&o.c.tree));
	outcome_free(&o);
}
END_TEST

START_TEST(write_write_full)
{
	struct outcome o;
	watch("write-write", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in write(fd 4) in write_all() on pipe A (created in main()), "
		    "which is full (a pipe holds only 64 KiB), and nobody will read it: its read end "
		    "is open only in: child 1 (fd 3), blocked too. A writer waits while the pipe is "
		    "full; another process must read it at the same time.\n"
		    "child 1 (pid *, forked in main()) waits in write(fd 6) in write_all() on pipe B "
		    "(created in main()), which is full (a pipe holds only "
		    "64 KiB), and nobody will read it: its read end is open only in: parent (fd 5), "
		    "blocked too. A writer waits while the pipe is full; another process must read "
		    "it at the same time.");
	char *dot = no_pids(o.graph_dot);
	ck_assert_ptr_nonnull(strstr(dot, "-> pipeA [label=\"fd 4 (write)\", color=red"));
	ck_assert_ptr_nonnull(strstr(dot, "pipeA [shape=ellipse, label=\"pipe A\"];"));
	free(dot);
	outcome_free(&o);
}
END_TEST

START_TEST(stopped_child_is_a_hang)
{
	struct outcome o;
	watch("stopped", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_HANG);
	ASSERT_TEXT(o.stuck_message,
		    "child 1 (pid *, forked in main()) is stopped by SIGSTOP and will not go on until "
		    "it gets SIGCONT.\n"
		    "parent (pid *) waits in waitpid() in main() for child 1 (pid *).");
	outcome_free(&o);
}
END_TEST

/* A busy loop is never stuck: it runs into the time limit. */
START_TEST(busy_loop_is_not_stuck)
{
	struct outcome o;
	watch("busy", 0.5, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_TIMEOUT);
	ck_assert_int_eq(o.c.stuck, FINDING_PASS);
	ck_assert_ptr_null(o.c.stuck_facts);
	ck_assert_ptr_null(o.stuck_message);
	/* It was running when the time was up, and the monitor saw it; pipegrade's SIGKILL is
	 * no crash. */
	ck_assert_uint_eq(o.c.tree.nprocs, 1);
	ck_assert(o.c.tree.procs[0].busy);
	char *busy = report_monitor_busy(&o.c.tree);
	ASSERT_TEXT(busy, "parent (pid *) was running all along (busy: it used the CPU, it was not "
			  "waiting).");
	free(busy);
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);
}
END_TEST

/* A read on a socket whose peer no process holds (it was sent away in a message nobody
 * receives): nobody is known to answer, so a hang, named for what it waits on. */
START_TEST(socket_read_is_a_hang)
{
	struct outcome o;
	watch("socket-inflight", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_HANG);
	char *msg = no_pids(o.stuck_message);
	ck_assert_msg(!strncmp(msg, "parent (pid *) waits in read(fd 3) in main() on socket:[", 56),
		      "%s", msg);
	ck_assert_ptr_nonnull(strstr(msg, "], which never answers."));
	free(msg);
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	ck_assert_int_eq(s->procs[0].wait.kind, MONITOR_WAIT_OTHER);
	ck_assert_int_eq(s->procs[0].wait.ipc, -1);
	ck_assert_uint_eq(s->nipcs, 0);
	outcome_free(&o);
}
END_TEST

/* A read on one end of a socket pair whose other end the reader holds itself: nothing will
 * ever arrive, a deadlock with itself. */
START_TEST(socket_read_own_peer)
{
	struct outcome o;
	watch("socket-read", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in read(fd 3) in main() on end 1 of socket pair A, but "
		    "nothing will arrive: end 2, the only one that can send to it, is open only in: "
		    "parent itself (fd 4). A socket receives only what its other end sends, and sees "
		    "EOF only when every fd of the other end is closed.");
	outcome_free(&o);
}
END_TEST

/* Two processes each read their end of a socket pair first (multiprocessing.Pipe()'s ends
 * both recv()): a deadlock, told like a pipe's, with the sockets' peers from sock_diag. */
START_TEST(socket_pair_read_read)
{
	struct outcome o;
	watch("socketpair-read-read", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in read(fd 3) in main() on end 1 of socket pair A, but "
		    "nothing will arrive: end 2, the only one that can send to it, is open only in: "
		    "child 1 (fd 4), blocked too. A socket receives only what its other end sends, "
		    "and sees EOF only when every fd of the other end is closed.\n"
		    "child 1 (pid *, forked in main()) waits in read(fd 4) in main() on end 2 of "
		    "socket pair A, but nothing will arrive: end 1, the only one that can send to it, "
		    "is open only in: parent (fd 3), blocked too. A socket receives only what its "
		    "other end sends, and sees EOF only when every fd of the other end is closed.");
	/* The facts: two sockets, each the other's peer, each held by one process. */
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	ck_assert_uint_eq(s->nprocs, 2);
	ck_assert_uint_eq(s->nipcs, 2);
	const struct monitor_wait *w0 = &s->procs[0].wait, *w1 = &s->procs[1].wait;
	ck_assert_int_eq(w0->kind, MONITOR_WAIT_SOCKET_READ);
	ck_assert_int_eq(w1->kind, MONITOR_WAIT_SOCKET_READ);
	ck_assert_str_eq(w0->call, "read");
	ck_assert_int_eq(w0->fd, 3);
	ck_assert_int_eq(w0->pipe, -1);
	const struct monitor_ipc *a = &s->ipcs[w0->ipc], *b = &s->ipcs[w1->ipc];
	ck_assert_int_eq(a->kind, MONITOR_IPC_SOCKET);
	ck_assert_str_eq(a->name, "A");
	ck_assert_str_eq(b->name, "A");
	ck_assert_int_eq(a->end, 1);
	ck_assert_int_eq(b->end, 2);
	ck_assert_int_eq(a->peer, w1->ipc);
	ck_assert_int_eq(b->peer, w0->ipc);
	ck_assert_uint_ne(a->inode, 0);
	ck_assert_uint_eq(a->queued, 0);
	ck_assert_uint_eq(s->procs[0].nfds, 1 + 3); /* fd 3, and pipegrade's stdio pipes */
	const struct monitor_fd *f = &s->procs[0].fds[s->procs[0].nfds - 1];
	ck_assert_int_eq(f->kind, MONITOR_FD_SOCKET);
	ck_assert_int_eq(f->fd, 3);
	ck_assert_int_eq(f->ipc, w0->ipc);
	ck_assert_int_eq(f->pipe, -1);
	char *fields = no_pids(o.stuck_fields);
	ck_assert_ptr_nonnull(
		strstr(fields, "{\"pid\": *, \"role\": \"child 1\", \"forked_at\": {\"function\": "
			       "\"main\"}, \"call\": \"read\", \"fd\": 4, \"socket\": \"A\", "
			       "\"end\": 2, \"call_at\": {\"function\": \"main\"}}"));
	ck_assert_ptr_nonnull(strstr(fields, "\"pipes\": [], \"sockets\": [{\"pair\": \"A\", "
					     "\"end\": 1, \"inode\": "));
	ck_assert_ptr_nonnull(strstr(fields,
				     ", \"queued\": 0, \"held_by\": [{\"pid\": *, \"role\": "
				     "\"parent\", \"fd\": 3}]}, {\"pair\": \"A\", \"end\": 2, "));
	ck_assert_ptr_nonnull(strstr(fields, "\"held_by\": [{\"pid\": *, \"role\": \"child 1\", "
					     "\"fd\": 4}]}]"));
	free(fields);
	char *dot = no_pids(o.graph_dot);
	ck_assert_ptr_nonnull(strstr(dot, "[shape=ellipse, label=\"socket pair A\\nend 1\"];"));
	ck_assert_ptr_nonnull(strstr(dot, "[dir=both, style=dotted];"));
	ck_assert_ptr_nonnull(strstr(dot, "read(fd 3) on end 1 of socket pair A"));
	ck_assert_ptr_nonnull(strstr(dot, "[dir=none, label=\"fd 4\", color=red"));
	free(dot);
	char *text = report_graph_text(s);
	char *t2 = no_pids(text);
	ck_assert_ptr_nonnull(strstr(t2, "  child 1 (pid *) waits in read(fd 4) on end 2 of socket "
					 "pair A\n      fd 0: stdin\n"));
	ck_assert_ptr_nonnull(strstr(t2, "      fd 4: end 2 of socket pair A\n"));
	free(t2);
	free(text);
	i18n_set("es");
	char *es = report_monitor_message(o.c.stuck_facts);
	char *es2 = no_pids(es);
	ck_assert_ptr_nonnull(
		strstr(es2,
		       "padre (pid *) espera en read(fd 3) en main() sobre el extremo 1 del par de "
		       "sockets A, pero no llegará nada: el extremo 2, el único que puede enviarle "
		       "datos, solo está abierto en: hijo 1 (fd 4), también bloqueado. Un socket solo "
		       "recibe lo que envía su otro extremo, y solo recibe EOF cuando todos los "
		       "descriptores del otro extremo están cerrados.\n"));
	free(es2);
	free(es);
	outcome_free(&o);
}
END_TEST

/* Both ends of a socket pair write until it is full, and neither reads: a deadlock of writers. */
START_TEST(socket_pair_write_write)
{
	struct outcome o;
	watch("socketpair-write-write", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in write(fd 3) in main() on end 1 of socket pair A, which "
		    "is full (what it sent waits unread at end 2), and nobody will read it: end 2 is "
		    "open only in: child 1 (fd 4), blocked too. A writer waits while the socket is "
		    "full; another process must read the other end at the same time.\n"
		    "child 1 (pid *, forked in main()) waits in write(fd 4) in main() on end 2 of "
		    "socket pair A, which is full (what it sent waits unread at end 1), and nobody "
		    "will read it: end 1 is open only in: parent (fd 3), blocked too. A writer waits "
		    "while the socket is full; another process must read the other end at the same "
		    "time.");
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	ck_assert_int_eq(s->procs[0].wait.kind, MONITOR_WAIT_SOCKET_WRITE);
	ck_assert_int_eq(s->procs[1].wait.kind, MONITOR_WAIT_SOCKET_WRITE);
	/* what each sent waits in the other's receive queue */
	ck_assert_uint_gt(s->ipcs[s->procs[0].wait.ipc].queued, 0);
	ck_assert_uint_gt(s->ipcs[s->procs[1].wait.ipc].queued, 0);
	outcome_free(&o);
}
END_TEST

/* A child reads a named FIFO until EOF while the parent, its only writer, waits for the child
 * first: a deadlock, told like a pipe's, with the FIFO's name. */
START_TEST(fifo_read_waits_for_writer)
{
	struct outcome o;
	watch("fifo-read", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_str_eq(o.r.out.data, "hola\n");
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "child 1 (pid *, forked in main()) waits in read(fd 3) in main() on the named "
		    "FIFO canal, but it is still open for writing in: parent (fd 3). A reader only "
		    "sees EOF when every process that opened it for writing has closed it.\n"
		    "parent (pid *) waits in waitpid() in main() for child 1 (pid *).");
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	const struct monitor_wait *w = &s->procs[1].wait;
	ck_assert_int_eq(w->kind, MONITOR_WAIT_FIFO_READ);
	ck_assert_uint_eq(s->nipcs, 1);
	ck_assert_int_eq(s->ipcs[w->ipc].kind, MONITOR_IPC_FIFO);
	ck_assert_str_eq(s->ipcs[w->ipc].name, "canal");
	ck_assert_uint_ne(s->ipcs[w->ipc].inode, 0);
	char *fields = no_pids(o.stuck_fields);
	ck_assert_ptr_nonnull(strstr(fields, "\"call\": \"read\", \"fd\": 3, \"fifo\": "
					     "\"canal\", \"call_at\""));
	ck_assert_ptr_nonnull(strstr(fields, "\"fifos\": [{\"name\": \"canal\", \"inode\": "));
	ck_assert_ptr_nonnull(
		strstr(fields,
		       ", \"read_ends\": [{\"pid\": *, \"role\": \"child 1\", \"fd\": 3}], "
		       "\"write_ends\": [{\"pid\": *, \"role\": \"parent\", \"fd\": 3}]}]"));
	free(fields);
	char *dot = no_pids(o.graph_dot);
	ck_assert_ptr_nonnull(strstr(dot, "[shape=ellipse, label=\"FIFO canal\"];"));
	ck_assert_ptr_nonnull(strstr(dot, " [label=\"fd 3 (read)\", color=red"));
	free(dot);
	i18n_set("es");
	char *es = report_monitor_message(o.c.stuck_facts);
	char *es2 = no_pids(es);
	ck_assert_ptr_nonnull(
		strstr(es2,
		       "hijo 1 (pid *, creado con fork() en main()) espera en read(fd 3) en main() "
		       "sobre la FIFO canal, pero sigue abierta para escritura en: padre (fd 3). Quien "
		       "lee solo recibe EOF cuando todos los que la abrieron para escribir la han "
		       "cerrado.\n"));
	free(es2);
	free(es);
	outcome_free(&o);
}
END_TEST

/* A child fills a named FIFO that the parent reads only after waiting for it. */
START_TEST(fifo_write_full)
{
	struct outcome o;
	watch("fifo-write", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "child 1 (pid *, forked in main()) waits in write(fd 3) in main() on the named "
		    "FIFO canal, which is full (a FIFO holds only 64 KiB), and nobody will read it: "
		    "it is open for reading only in: parent (fd 3), blocked too. A writer waits "
		    "while the FIFO is full; another process must read it at the same time.\n"
		    "parent (pid *) waits in waitpid() in main() for child 1 (pid *).");
	ck_assert_int_eq(o.c.stuck_facts->snap.procs[1].wait.kind, MONITOR_WAIT_FIFO_WRITE);
	outcome_free(&o);
}
END_TEST

/* open() of a named FIFO for reading that no process will open for writing. */
START_TEST(fifo_open_alone)
{
	struct outcome o;
	watch("fifo-open", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in open() in main() to open the named FIFO canal for "
		    "reading, which only returns once another process opens it for writing, and "
		    "every process of the case is blocked.");
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	const struct monitor_wait *w = &s->procs[0].wait;
	ck_assert_int_eq(w->kind, MONITOR_WAIT_FIFO_OPEN);
	ck_assert_int_eq(w->open_for, END_READ);
	ck_assert_str_eq(s->ipcs[w->ipc].name, "canal");
	ck_assert_uint_ne(s->ipcs[w->ipc].inode, 0);
	char *fields = no_pids(o.stuck_fields);
	ck_assert_ptr_nonnull(strstr(fields, "\"call\": \"open\", \"fifo\": \"canal\", "
					     "\"open_for\": \"read\""));
	free(fields);
	char *dot = no_pids(o.graph_dot);
	ck_assert_ptr_nonnull(strstr(dot, "open() of FIFO canal"));
	ck_assert_ptr_nonnull(strstr(dot, "[style=dashed, color=red, label=\"open()\"];"));
	free(dot);
	outcome_free(&o);
}
END_TEST

/* The same socket pair graded for real: built and run in the sandbox, whose network namespace
 * only the diag socket the sandbox made in there can see into. */
START_TEST(socket_pair_in_sandbox)
{
	char *dir = tu_mkdtemp();
	tu_write(dir, "grading.yaml",
		 "exercises:\n  - id: sp\n    title: Socket pair\n    binary: prog\n"
		 "    cases:\n      - {name: run, limits: {wall: 10}}\n");
	char *path = xasprintf("%s/grading.yaml", dir);
	struct course course;
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(path, &course, &err) == 0, "%s", err.data);
	char *sub = xasprintf("%s/tests/monitor/socketpair-read-read.c", tu_top());
	struct submission_result res;
	ck_assert_msg(grade_submission(&course, &course.exercises[0], sub, NULL, &res, &err) == 0,
		      "%s", err.data);
	const struct findings *f = &res.cases[0].findings;
	ck_assert_uint_ge(f->n, 1);
	ck_assert_int_eq(f->v[0].kind, FINDING_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(f->v[0].message,
				     " on end 1 of socket pair A, but nothing will arrive: end 2, "
				     "the only one that can send to it, is open only in: child 1 "
				     "(fd 4), blocked too."));
	ck_assert_ptr_nonnull(strstr(f->v[0].message, " on end 2 of socket pair A, "));
	ck_assert_uint_eq(f->v[0].details->snap.nipcs, 2);
	ck_assert_int_eq(tu_count_descendants(), 0);
	submission_result_free(&res);
	course_free(&course);
	buf_free(&err);
	free(sub);
	free(path);
	tu_rmdir(dir);
}
END_TEST

/* poll() with a timeout wakes by itself: not stuck, however long it sleeps. */
START_TEST(poll_with_timeout_is_not_stuck)
{
	struct outcome o;
	watch("poll-timeout", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_int_eq(o.r.exit_code, 0);
	ck_assert(o.r.wall_s >= 0.6);
	ck_assert_int_eq(o.c.stuck, FINDING_PASS);
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);
}
END_TEST

/* Two children sleeping a second each, joined by a pipe: it simply takes a second. */
START_TEST(sleepers_are_not_stuck)
{
	struct outcome o;
	struct requires req = { 1, 2, true };
	watch("sleep-pipeline", 10, &req, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_int_eq(o.r.exit_code, 0);
	ck_assert(o.r.wall_s >= 1.0);
	ck_assert_int_eq(o.c.stuck, FINDING_PASS);
	ck_assert_int_eq(o.c.processes, 3);
	ck_assert_int_eq(o.c.forks, 2);
	ck_assert_int_eq(o.c.pipes, 1);
	/* Structure met, no orphan; but each child exits holding its end of the pipe. */
	ck_assert_uint_eq(o.f.n, 2);
	ck_assert_int_eq(o.f.v[0].kind, FINDING_FD_LEAK);
	ASSERT_TEXT(o.f.v[0].message,
		    "child 1 (pid *, forked in main()) exited with fd 4 (the write end of pipe A, "
		    "created in main()) still open. The kernel closes every fd at exit, so that did no "
		    "harm here; but as long as a process lives on, a pipe end it keeps open can keep "
		    "another process from ever seeing EOF, and every program it execs inherits what it "
		    "holds. Close each fd as soon as you are done with it.");
	char *json = details_json(&o.f.v[0]);
	char *fields = no_pids(json);
	free(json);
	ck_assert_str_eq(fields, "\"at\": \"exit\", \"processes\": [{\"pid\": *, \"role\": "
				 "\"child 1\", \"forked_at\": {\"function\": \"main\"}}], "
				 "\"fds\": [{\"fd\": 4, \"kind\": \"pipe\", \"pipe\": \"A\", "
				 "\"end\": \"write\", \"created_at\": {\"function\": \"main\"}}]");
	free(fields);
	ck_assert_int_eq(o.f.v[1].kind, FINDING_FD_LEAK);
	ck_assert_ptr_nonnull(strstr(o.f.v[1].message, "child 2 (pid "));
	ck_assert_ptr_nonnull(
		strstr(o.f.v[1].message,
		       "exited with fd 3 (the read end of pipe A, created in main())"));
	outcome_free(&o);
}
END_TEST

/* cat inherits both ends of the pipe: it waits for an EOF that its own fd 4 prevents. */
START_TEST(exec_inherits_write_end)
{
	struct outcome o;
	watch("exec-leak", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_str_eq(o.r.out.data, "hola\n");
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "cat (pid *, forked in main()) waits in read(fd 0) on pipe A (created in main()), "
		    "but pipe A's write end is still open in: cat itself (fd 4). A reader only sees EOF "
		    "when every write end is closed.\n"
		    "parent (pid *) waits in waitpid() in main() for cat (pid *).");
	ck_assert_uint_eq(o.f.n, 1);
	ck_assert_int_eq(o.f.v[0].kind, FINDING_FD_LEAK);
	ASSERT_TEXT(o.f.v[0].message,
		    "cat (pid *, forked in main()) started with fd 3 (the read end of pipe A, created "
		    "in main()), fd 4 (the write end of pipe A) open: it was not meant to inherit them. Close the pipe ends a process does "
		    "not use before exec() (or create the pipe with O_CLOEXEC).");
	char *json = details_json(&o.f.v[0]);
	char *fields = no_pids(json);
	free(json);
	ck_assert_str_eq(fields, "\"at\": \"exec\", \"processes\": [{\"pid\": *, \"role\": "
				 "\"cat\", \"forked_at\": {\"function\": \"main\"}}], \"fds\": "
				 "[{\"fd\": 3, \"kind\": \"pipe\", \"pipe\": \"A\", \"end\": "
				 "\"read\", \"created_at\": {\"function\": \"main\"}}, {\"fd\": 4, "
				 "\"kind\": \"pipe\", \"pipe\": \"A\", \"end\": \"write\", "
				 "\"created_at\": {\"function\": \"main\"}}]");
	free(fields);
	outcome_free(&o);
}
END_TEST

START_TEST(exec_done_right)
{
	struct outcome o;
	struct requires req = { 1, 1, true };
	watch("exec-clean", 10, &req, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_int_eq(o.r.exit_code, 0);
	ck_assert_str_eq(o.r.out.data, "hola\n");
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);
}
END_TEST

/* Every fd above 2 is followed, not only pipes: a file, a device and a socket inherited at
 * exec, and the same kept at exit. The parent closes them: nothing of it. */
START_TEST(files_and_sockets_leak)
{
	struct outcome o;
	watch("exec-files", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_int_eq(o.r.exit_code, 0);
	ck_assert_uint_eq(o.f.n, 2);
	ck_assert_int_eq(o.f.v[0].kind, FINDING_FD_LEAK);
	ASSERT_TEXT(o.f.v[0].message,
		    "true (pid *, forked in main()) started with fd 3 (exec-files, read-only), fd 4 (/dev/null, "
		    "write-only), fd 5 (a socket) open: a program should start with only fds 0, 1 and "
		    "2. Close every other fd before exec(), once dup2() has put what it needs on 0 and "
		    "1 (or open files with O_CLOEXEC).");
	char *json = details_json(&o.f.v[0]);
	char *fields = no_pids(json);
	free(json);
	ck_assert_str_eq(fields,
			 "\"at\": \"exec\", \"processes\": [{\"pid\": *, \"role\": "
			 "\"true\", \"forked_at\": {\"function\": \"main\"}}], \"fds\": [{\"fd\": 3, \"kind\": \"file\", \"name\": "
			 "\"exec-files\", \"mode\": \"read-only\"}, {\"fd\": 4, \"kind\": "
			 "\"device\", \"name\": \"/dev/null\", \"mode\": \"write-only\"}, "
			 "{\"fd\": 5, \"kind\": \"socket\", \"mode\": \"read/write\"}]");
	free(fields);
	ck_assert_int_eq(o.f.v[1].kind, FINDING_FD_LEAK);
	ASSERT_TEXT(o.f.v[1].message,
		    "child 2 (pid *, forked in main()) exited with fd 3 (exec-files, read-only), fd 4 (/dev/null, "
		    "write-only), fd 5 (a socket) still open. The kernel closes every fd at exit, so "
		    "that did no harm here; but every program a process execs inherits the fds it "
		    "holds. Close each fd as soon as you are done with it.");
	json = details_json(&o.f.v[1]);
	ck_assert_ptr_nonnull(strstr(json, "\"at\": \"exit\""));
	free(json);
	outcome_free(&o);
}
END_TEST

START_TEST(child_leaves_grandchild)
{
	struct outcome o;
	watch("double-fork", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_uint_eq(o.f.n, 1);
	ck_assert_int_eq(o.f.v[0].kind, FINDING_ORPHAN);
	ASSERT_TEXT(o.f.v[0].message,
		    "child 1 (pid *) exited without waiting for child 1.1 (pid *, forked in main()). A parent must "
		    "waitpid() for every child it creates; otherwise the child is left an orphan (or "
		    "a zombie).");
	outcome_free(&o);
}
END_TEST

START_TEST(zombie_left)
{
	struct outcome o;
	watch("zombie-parent", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_uint_eq(o.f.n, 1);
	ck_assert_int_eq(o.f.v[0].kind, FINDING_ORPHAN);
	ASSERT_TEXT(o.f.v[0].message,
		    "parent (pid *) exited without waiting for child 1 (pid *, forked in main()). A parent must "
		    "waitpid() for every child it creates; otherwise the child is left an orphan (or "
		    "a zombie).");
	outcome_free(&o);
}
END_TEST

/* The same verdict in Spanish. */
START_TEST(spanish)
{
	i18n_set("es");
	struct outcome o;
	watch("read-read", 10, NULL, &o);
	ASSERT_TEXT(o.stuck_message,
		    "padre (pid *) espera en read(fd 5) en main() sobre la tubería B (creada en main()), "
		    "pero el extremo de "
		    "escritura de la tubería B sigue abierto en: hijo 1 (fd 6). Quien lee solo recibe "
		    "EOF cuando todos los extremos de escritura están cerrados.\n"
		    "hijo 1 (pid *, creado con fork() en main()) espera en read(fd 3) en main() sobre "
		    "la tubería A (creada en main()), pero el extremo de "
		    "escritura de la tubería A sigue abierto en: padre (fd 4). Quien lee solo recibe "
		    "EOF cuando todos los extremos de escritura están cerrados.");
	/* Machine-readable fields stay in English. */
	ck_assert_ptr_nonnull(strstr(o.stuck_fields, "\"role\": \"child 1\""));
	outcome_free(&o);
}
END_TEST

/* The finding's message and JSON members, with the pids written as "*". */
static void assert_crash(const struct outcome *o, const char *message, const char *json)
{
	ck_assert_msg(o->f.n == 1 && o->f.v[0].kind == FINDING_CRASH, "%zu findings: %s", o->f.n,
		      o->f.n ? o->f.v[0].message : "");
	ASSERT_TEXT(o->f.v[0].message, message);
	char *fields = details_json(&o->f.v[0]);
	ASSERT_TEXT(fields, json);
	free(fields);
}

/* A child that writes through a NULL pointer after reading: a crash finding of its own (the
 * parent exits 0), with the signal and the address from the kernel's siginfo, and the function
 * it was in from the program's symbols (no debug information: no line). */
START_TEST(child_crash)
{
	struct outcome o;
	watch("child-segv", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_int_eq(o.r.exit_code, 0);
	assert_crash(&o,
		     "child 1 (pid *) was killed by SIGSEGV at address 0x0: a segmentation fault: "
		     "an access to memory that is not yours (a NULL or uninitialised pointer, an "
		     "index out of bounds). It happened in main().",
		     "\"processes\": [{\"pid\": *, \"role\": \"child 1\", \"forked_at\": "
		     "{\"function\": \"main\"}, \"signal\": \"SIGSEGV\", \"address\": \"0x0\", "
		     "\"frames\": [{\"function\": \"main\"}]}]");
	const struct monitor_signal *k = &o.f.v[0].details->snap.procs[0].killed_by;
	ck_assert_int_eq(k->signo, SIGSEGV);
	ck_assert_int_eq(k->from, MONITOR_SENDER_FAULT);
	ck_assert(k->has_addr);
	ck_assert_int_eq(o.c.tree.procs[1].end, MONITOR_END_KILLED);
	outcome_free(&o);
}
END_TEST

/* With debug information (-g), the crash names the source file and line. */
START_TEST(crash_with_debug_info)
{
	struct outcome o;
	watch_built("child-segv", BUILD_DEBUG, 10, NULL, &o);
	assert_crash(&o,
		     "child 1 (pid *) was killed by SIGSEGV at address 0x0: a segmentation fault: "
		     "an access to memory that is not yours (a NULL or uninitialised pointer, an "
		     "index out of bounds). It happened at child-segv.c:22 in main().",
		     "\"processes\": [{\"pid\": *, \"role\": \"child 1\", \"forked_at\": "
		     "{\"function\": \"main\", \"file\": \"child-segv.c\", \"line\": 14}, "
		     "\"signal\": \"SIGSEGV\", \"address\": \"0x0\", \"frames\": [{\"function\": "
		     "\"main\", \"file\": \"child-segv.c\", \"line\": 22}]}]");
	outcome_free(&o);
}
END_TEST

/* Stripped and without debug information: no function, no line (never a wrong one); the
 * message is the signal's alone. */
START_TEST(crash_without_symbols)
{
	struct outcome o;
	watch_built("child-segv", BUILD_STRIPPED, 10, NULL, &o);
	assert_crash(&o,
		     "child 1 (pid *) was killed by SIGSEGV at address 0x0: a segmentation fault: "
		     "an access to memory that is not yours (a NULL or uninitialised pointer, an "
		     "index out of bounds).",
		     "\"processes\": [{\"pid\": *, \"role\": \"child 1\", \"signal\": \"SIGSEGV\", "
		     "\"address\": \"0x0\"}]");
	const struct monitor_where *w = &o.f.v[0].details->snap.procs[0].killed_by.where;
	ck_assert_int_eq(w->nframes, 0);
	ck_assert(!w->entry.library);
	outcome_free(&o);
}
END_TEST

/* kill(getpid(), SIGTERM): the kernel names the sender, and the sender is the process. */
START_TEST(killed_by_itself)
{
	struct outcome o;
	watch("kill-self", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_SIGNALED);
	ck_assert_int_eq(o.r.term_signal, SIGTERM);
	assert_crash(&o,
		     "The program was killed by SIGTERM, sent by itself (kill()): a signal it did "
		     "not handle.",
		     "\"processes\": [{\"pid\": *, \"role\": \"parent\", \"signal\": \"SIGTERM\", "
		     "\"sender\": \"itself\", \"call\": \"kill\"}]");
	outcome_free(&o);
}
END_TEST

/* A child's kill(parent, SIGTERM): the sender is named with its role and pid. */
START_TEST(killed_by_child)
{
	struct outcome o;
	watch("kill-child", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_SIGNALED);
	ck_assert_int_eq(o.r.term_signal, SIGTERM);
	ck_assert_uint_eq(o.c.tree.nprocs, 2);
	char *json = xasprintf("\"processes\": [{\"pid\": *, \"role\": \"parent\", \"signal\": "
			       "\"SIGTERM\", \"sender\": \"process\", \"sender_pid\": %d, "
			       "\"sender_role\": \"child 1\", \"call\": \"kill\"}]",
			       (int)o.c.tree.procs[1].pid);
	assert_crash(&o,
		     "The program was killed by SIGTERM, sent by child 1 (pid *): a signal it did "
		     "not handle.",
		     json);
	free(json);
	outcome_free(&o);
}
END_TEST

/* The first bytes each process wrote to stdout, and the sentence on output written twice. */
START_TEST(stdout_written_twice)
{
	struct outcome o;
	watch("stdout-copies", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_str_eq(o.r.out.data, "Hola\nhijo\nHola\npadre\notro\n");
	const struct monitor_snapshot *t = &o.c.tree;
	ck_assert_uint_eq(t->nprocs, 3);
	const char *want[] = { "Hola\npadre\n", "Hola\nhijo\n", "otro\n" };
	const size_t at_fork[] = { 0, 0, 11 };
	for (size_t i = 0; i < 3; i++) {
		const struct monitor_out *out = &t->procs[i].out;
		ck_assert_uint_eq(out->n, strlen(want[i]));
		ck_assert_mem_eq(out->head, want[i], out->n);
		ck_assert_uint_eq(out->at_fork, at_fork[i]);
	}
	char *why = report_monitor_stdout_copies(t, false);
	ck_assert_str_eq(why, "«Hola» was written by parent and by child 1: the stdio buffer was "
			      "copied by fork(); call fflush(stdout) before fork().");
	free(why);
	i18n_set("es");
	why = report_monitor_stdout_copies(t, false);
	ck_assert_str_eq(why, "«Hola» lo escribió padre y también hijo 1: fork() copió el búfer de "
			      "stdio; llama a fflush(stdout) antes de fork().");
	free(why);
	outcome_free(&o);
}
END_TEST

/* A thread reads a pipe whose write end the main thread keeps while it joins that thread: a
 * deadlock, told thread by thread. */
START_TEST(thread_reads_own_pipe)
{
	struct outcome o;
	watch("thread-read", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_DEADLOCK);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *), thread 2 (tid *), waits in read(fd 3) in reader() on pipe A "
		    "(created in main()), but pipe A's write end is still open in: parent (fd 4). A "
		    "reader only sees EOF when every write end is closed.\n"
		    "parent (pid *) waits in futex() in main() for another thread of its process "
		    "(pthread_join(), a mutex or a condition variable), and every thread of the "
		    "process is blocked.");
	const struct monitor_snapshot *s = &o.c.stuck_facts->snap;
	ck_assert_uint_eq(s->nprocs, 1);
	ck_assert_int_eq(s->procs[0].wait.kind, MONITOR_WAIT_THREAD);
	ck_assert_str_eq(s->procs[0].wait.call, "futex");
	ck_assert_uint_eq(s->procs[0].nthreads, 1);
	const struct monitor_thread *t = &s->procs[0].threads[0];
	ck_assert_int_eq(t->number, 2);
	ck_assert_int_gt(t->tid, s->procs[0].pid);
	ck_assert_int_eq(t->wait.kind, MONITOR_WAIT_PIPE_READ);
	ck_assert_int_eq(t->wait.fd, 3);
	ck_assert_str_eq(s->pipes[t->wait.pipe].name, "A");
	char *fields = no_pids(o.stuck_fields);
	ck_assert_ptr_nonnull(
		strstr(fields,
		       "{\"pid\": *, \"role\": \"parent\", \"call\": "
		       "\"futex\", \"call_at\": {\"function\": \"main\"}, \"threads\": "
		       "[{\"thread\": 2, \"tid\": *, \"call\": \"read\", \"fd\": 3, \"pipe\": "
		       "\"A\", \"call_at\": {\"function\": \"reader\"}}]}"));
	free(fields);
	char *dot = no_pids(o.graph_dot);
	ck_assert_ptr_nonnull(strstr(dot, "thread 2: read(fd 3) on pipe A"));
	ck_assert_ptr_nonnull(strstr(dot, " [label=\"fd 3 (read)\", color=red"));
	free(dot);
	char *text = report_graph_text(s);
	char *t2 = no_pids(text);
	ck_assert_ptr_nonnull(strstr(t2, "    thread 2 (tid *) waits in read(fd 3) on pipe A\n"));
	free(t2);
	free(text);
	outcome_free(&o);
}
END_TEST

/* A thread that computes for 0.3 s, then writes the pipe another thread reads: the reader's
 * wait is not final while a thread runs. */
START_TEST(thread_computing_is_not_stuck)
{
	struct outcome o;
	watch("thread-compute", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_EXITED);
	ck_assert_int_eq(o.r.exit_code, 0);
	ck_assert_str_eq(o.r.out.data, "done\n");
	ck_assert(o.r.wall_s >= 0.3);
	ck_assert_int_eq(o.c.stuck, FINDING_PASS);
	ck_assert_ptr_null(o.c.stuck_facts);
	outcome_free(&o);
}
END_TEST

/* pthread_cond_wait() for a signal nobody sends, pthread_join() of that thread: a hang naming
 * both threads. */
START_TEST(thread_cond_wait_is_a_hang)
{
	struct outcome o;
	watch("thread-cond", 10, NULL, &o);
	ck_assert_int_eq(o.r.end, RUN_STUCK);
	ck_assert_int_eq(o.c.stuck, FINDING_HANG);
	ASSERT_TEXT(o.stuck_message,
		    "parent (pid *) waits in futex() in main() for another thread of its process "
		    "(pthread_join(), a mutex or a condition variable), and every thread of the "
		    "process is blocked.\n"
		    "parent (pid *), thread 2 (tid *), waits in futex() in waiter() for another thread of its "
		    "process (pthread_join(), a mutex or a condition variable), and every thread of "
		    "the process is blocked.");
	const struct monitor_process *p = &o.c.stuck_facts->snap.procs[0];
	ck_assert_int_eq(p->wait.kind, MONITOR_WAIT_THREAD);
	ck_assert_uint_eq(p->nthreads, 1);
	ck_assert_int_eq(p->threads[0].wait.kind, MONITOR_WAIT_THREAD);
	i18n_set("es");
	char *es = report_monitor_message(o.c.stuck_facts);
	char *es2 = no_pids(es);
	ck_assert_ptr_nonnull(
		strstr(es2, "padre (pid *), hilo 2 (tid *), espera en futex() en waiter() a otro "
			    "hilo de su proceso"));
	free(es2);
	free(es);
	outcome_free(&o);
}
END_TEST

Suite *monitor_suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc = tu_tcase(s, "stuck", NULL); /* a unit of check_main.c's */
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, read_read_cycle);
	tcase_add_test(tc, write_write_full);
	tcase_add_test(tc, stopped_child_is_a_hang);
	tcase_add_test(tc, busy_loop_is_not_stuck);
	tcase_add_test(tc, socket_read_is_a_hang);
	tcase_add_test(tc, socket_read_own_peer);
	tcase_add_test(tc, socket_pair_read_read);
	tcase_add_test(tc, socket_pair_write_write);
	tcase_add_test(tc, fifo_read_waits_for_writer);
	tcase_add_test(tc, fifo_write_full);
	tcase_add_test(tc, fifo_open_alone);
	tcase_add_test(tc, socket_pair_in_sandbox);
	tcase_add_test(tc, poll_with_timeout_is_not_stuck);
	tcase_add_test(tc, sleepers_are_not_stuck);
	tcase_add_test(tc, exec_inherits_write_end);
	tcase_add_test(tc, spanish);
	tcase_add_test(tc, thread_reads_own_pipe);
	tcase_add_test(tc, thread_computing_is_not_stuck);
	tcase_add_test(tc, thread_cond_wait_is_a_hang);
	tc = tu_tcase(s, "after", NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exec_done_right);
	tcase_add_test(tc, files_and_sockets_leak);
	tcase_add_test(tc, child_leaves_grandchild);
	tcase_add_test(tc, zombie_left);
	tcase_add_test(tc, child_crash);
	tcase_add_test(tc, crash_with_debug_info);
	tcase_add_test(tc, crash_without_symbols);
	tcase_add_test(tc, killed_by_itself);
	tcase_add_test(tc, killed_by_child);
	tcase_add_test(tc, stdout_written_twice);
	return s;
}
