/*
 * report_monitor.h: the process monitor's facts (monitor_facts.h) in words, JSON and pictures.
 *
 *  - report_monitor.c: the sentences of a finding (what each process waits on and who holds
 *    the end that would let it go on; the leaked fds; the children not waited for; the missing
 *    structure), in the language in force (i18n.h), and the names of processes ("parent",
 *    "child 1.2", "cat").
 *  - report_json.c: the same facts as JSON members of a finding (always in English), and the
 *    process tree.
 *  - report_graph.c: the processes and pipes of a stuck tree as a Graphviz graph and as the
 *    text picture --explain shows.
 *  - report_sched.c: stress mode in words: a race finding's message, the command that replays
 *    a run, and the interleaving of a stressed run (monitor_schedule) for --explain.
 *
 * Each function only reads the facts. Those that return a string return it malloc'd (the
 * caller frees it); none fails. Bytes that came from the submission (a program's name, what
 * an fd is) are escaped for JSON and DOT here; sentences and the text picture are plain text
 * that the text, XML, HTML and CSV writers make visible themselves (buf_visible()), like every
 * message.
 */
#ifndef PIPEGRADE_REPORT_MONITOR_H
#define PIPEGRADE_REPORT_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "findings.h"
#include "monitor_facts.h"
#include "util.h"

/* ---- report_monitor.c ---- */

/* The sentences of a finding about these facts (deadlock, hang, fd_leak, orphan, structure,
 * crash), for the student, in the language in force. Lines end with '\n' but the last. */
char *report_monitor_message(const struct monitor_facts *f);

/* What a signal that ended a process means, for the student, in the language in force
 * ("a segmentation fault: an access to memory that is not yours (...)"). Static storage. */
const char *report_signal_explanation(int sig);

/* "child 1 (pid 812) was running all along (busy: it used the CPU, it was not waiting).":
 * the processes of the tree (monitor_conclusion.tree) busy at the end; NULL when none was. */
char *report_monitor_busy(const struct monitor_snapshot *tree);

/* "«Hola» was written by parent and by child 1: the stdio buffer was copied by fork(); call
 * fflush(stdout) before fork().": said of the tree (monitor_conclusion.tree) when a process
 * running the submission's own code began its output to stdout with text that its parent,
 * also in its own code, wrote after forking it (whole lines, or all one of them wrote):
 * output left in the parent's stdio buffer before fork() and written by both. The first line
 * of that text is quoted (at most 60 bytes). NULL when no process did. `python`: said of a
 * Python script (sys.stdout.flush() before os.fork()). */
char *report_monitor_stdout_copies(const struct monitor_snapshot *tree, bool python);

/* Adds a finding of f->kind to `list` with report_monitor_message() as its message and `f`
 * as its details, which the finding then owns. Returns the finding (valid until the next
 * findings_add()). */
struct finding *report_monitor_finding(struct findings *list, struct monitor_facts *f);

/* Room for any process's name (a role is at most 47 bytes, a program's name 31), and for that
 * name with its pid. */
#define REPORT_ROLE_SIZE 64
#define REPORT_WHO_SIZE 96
#define REPORT_WHO_AT_SIZE (REPORT_WHO_SIZE + 160) /* and where it was forked */

/* A process's name in sentences and pictures: the program it exec'd ("cat"), or "parent",
 * "child 1.2" (in the language in force, or in English when `english`). Written into `out`
 * (truncated to size - 1 bytes); returns `out`. */
const char *report_monitor_role(const struct monitor_process *p, bool english, char *out,
				size_t size);

/* "child 1 (pid 812)", in the language in force, into `out`; returns `out`. */
const char *report_monitor_who(const struct monitor_process *p, char *out, size_t size);

/* "child 1 (pid 812, forked at hello.c:11)": the same with where its parent called fork(),
 * when that is known (a finding's process, monitor_process.forked_at). */
const char *report_monitor_who_at(const struct monitor_process *p, char *out, size_t size);

/* "read", "write" or "read/write": the name of a pipe end, in the language in force (or in
 * English when `english`). Static storage. */
const char *report_monitor_end_name(enum pipe_end e, bool english);

/* "read-only", "write-only" or "read/write": the access mode of an fd that is not a pipe, in
 * the language in force (or in English when `english`). Static storage. */
const char *report_monitor_mode_name(enum pipe_end e, bool english);

/* "pipe", "file", "fifo", "socket", "device", "directory" or "other": what an fd is, for
 * machines (JSON). Static storage. */
const char *report_monitor_fd_kind_name(enum monitor_fd_kind k);

/* ---- report_sched.c: stress mode (docs/stress.md) ---- */

/* The command that replays one run of a case: `pipegrade grade -e EXERCISE --seed SEED --case
 * 'CASE' SUBMISSION`, each word that needs it quoted for a POSIX shell (whatever bytes the
 * case's name and the path hold). */
char *report_replay_command(const char *exercise, const char *case_name, const char *submission,
			    unsigned long long seed);

/* The message of a race finding, in the language in force: how many stressed runs failed, the
 * first lines of the first failing run's first finding that cost the case (findings_costly()),
 * and `command`, which replays it (report_replay_command()). Lines end with '\n' but the last. */
char *report_race_message(const struct finding_race *race, const char *command);

/* "read", "write", "close", "wait", "sleep", "fork", "start" or "exit": a step's kind, for
 * machines (JSON). Static storage. */
const char *report_sched_step_kind_name(enum monitor_step_kind k);

/* The name of the process that took a step, as report_monitor_role() names it: the program it
 * exec'd when `tree` (may be NULL) knows its pid, else "parent" or "child 1.2". */
const char *report_sched_role(const struct monitor_step *st, const struct monitor_snapshot *tree,
			      bool english, char *out, size_t size);

/* The interleaving of a stressed run, for --explain, in the language in force: a first line
 * with what the seed chose (pipe size, short reads, split writes, depth), then one line per
 * step kept ("     3  child 1       write(fd 4) 12 bytes on pipe A"), then the steps not kept
 * and where the scheduler stopped choosing, if it did. `tree`: the run's processes, for their
 * names (may be NULL). */
char *report_sched_text(const struct monitor_schedule *s, const struct monitor_snapshot *tree);

/* ---- report_json.c ---- */

/* Appends the facts as the members of a finding's JSON object, without braces and without a
 * separator before the first or after the last: `"processes": [...], "pipes": [...]` (stuck;
 * then `"sockets": [...]` and `"fifos": [...]` when some process waits on one),
 * `"at": "exec"|"exit", "processes": [...], "fds": [...]` (fd_leak), `"processes": [{"pid", "unwaited"}]`
 * (orphan), `"pipes": N, "forks": N` (structure), `"processes": [{"pid", "role", "signal",
 * "address", "sender", "sender_pid", "sender_role", "call"}]` (crash; the address and the
 * sender's members only when known). Appends nothing for an orphan finding
 * about leftovers. */
void report_json_monitor_facts(struct buf *j, const struct monitor_facts *f);

/* The process tree (monitor_conclusion.tree) as a JSON array: for each process its pid,
 * parent, role, when it started, exec'd (only when it did) and ended, and how it ended
 * ("exit N", "killed", or null while running). */
char *report_json_process_tree(const struct monitor_snapshot *tree);

/* ---- report_graph.c ---- */

/* The processes (as red boxes with their role, pid and wait), the student's pipes (ellipses)
 * and the fds joining them of a stuck tree's snapshot, as a Graphviz DOT digraph; the fd a
 * process is blocked on and its waits for children are drawn in red. */
char *report_graph_dot(const struct monitor_snapshot *s);

/* The same as text, for --explain: each process, what it waits in, and its pipe fds. */
char *report_graph_text(const struct monitor_snapshot *s);

#endif
