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

/* The sentences of a finding about these facts (deadlock, hang, fd_leak, orphan, structure),
 * for the student, in the language in force. Lines end with '\n' but the last. */
char *report_monitor_message(const struct monitor_facts *f);

/* Adds a finding of f->kind to `list` with report_monitor_message() as its message and `f`
 * as its details, which the finding then owns. Returns the finding (valid until the next
 * findings_add()). */
struct finding *report_monitor_finding(struct findings *list, struct monitor_facts *f);

/* Room for any process's name (a role is at most 47 bytes, a program's name 31), and for that
 * name with its pid. */
#define REPORT_ROLE_SIZE 64
#define REPORT_WHO_SIZE 96

/* A process's name in sentences and pictures: the program it exec'd ("cat"), or "parent",
 * "child 1.2" (in the language in force, or in English when `english`). Written into `out`
 * (truncated to size - 1 bytes); returns `out`. */
const char *report_monitor_role(const struct monitor_process *p, bool english, char *out,
				size_t size);

/* "child 1 (pid 812)", in the language in force, into `out`; returns `out`. */
const char *report_monitor_who(const struct monitor_process *p, char *out, size_t size);

/* "read", "write" or "read/write": the name of a pipe end, in the language in force (or in
 * English when `english`). Static storage. */
const char *report_monitor_end_name(enum pipe_end e, bool english);

/* ---- report_json.c ---- */

/* Appends the facts as the members of a finding's JSON object, without braces and without a
 * separator before the first or after the last: `"processes": [...], "pipes": [...]` (stuck),
 * `"processes": [...], "fds": [...]` (fd_leak), `"processes": [{"pid", "unwaited"}]`
 * (orphan), `"pipes": N, "forks": N` (structure). Appends nothing for an orphan finding
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
