/*
 * findings.h: what pipegrade found about one case, as a kind plus a message for the student,
 * and for the process monitor's findings the facts behind them (monitor_facts.h).
 *
 * The kind names are shared by every report format, the tests and the course's tooling; they
 * never change once published. Ownership: a `struct findings` owns its array and every
 * message, stream and details; findings_free() releases them.
 */
#ifndef PIPEGRADE_FINDINGS_H
#define PIPEGRADE_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

struct monitor_facts;
struct finding_race;

enum finding_kind {
	FINDING_PASS,            /* the case met every expectation */
	FINDING_WRONG_OUTPUT,    /* stdout or stderr differ from the expected text */
	FINDING_WRONG_EXIT,      /* exited with another status than expected */
	FINDING_TIMEOUT,         /* wall-clock or CPU time limit reached */
	FINDING_CRASH,           /* killed by a signal (named in the message) */
	FINDING_COMPILE_ERROR,   /* the submission did not build */
	FINDING_LIMIT_OUTPUT,    /* wrote more than the output limit */
	FINDING_DEADLOCK,        /* every process blocked on pipes or children, for good */
	FINDING_HANG,            /* stuck, but not on pipes: pause(), a stop signal, ... */
	FINDING_FD_LEAK,         /* a pipe end left open at exit, or inherited across exec */
	FINDING_ORPHAN,          /* a parent that did not wait for its children */
	FINDING_STRUCTURE,       /* fewer pipes or processes than the exercise requires */
	FINDING_LIMIT_MEMORY,    /* used more memory than the limit */
	FINDING_LIMIT_PROCESSES, /* tried to have more processes than the limit */
	FINDING_LIMIT_FILES, /* a file bigger than the file size limit, or too many open files */
	FINDING_RACE, /* under stress (docs/stress.md), some run failed where the plain run passed:
			 the data is in finding.race */
	FINDING_KIND_COUNT
};

struct finding {
	enum finding_kind kind;
	char *message;                 /* plain text for the student, may span lines; owned */
	char *stream;                  /* "stdout"/"stderr" for output findings, else NULL; owned */
	struct monitor_facts *details; /* deadlock, hang, fd_leak, orphan, structure and
			    crash (when the process monitor ran): what
			    the monitor found (processes, pipes, fds, waits: monitor_facts.h),
			    which machine-readable reports render (report_json.c); NULL for the
			    others; owned */
	int line;  /* the line of the submission's main source file it is about (CI annotations
		     point there: report_github.c), or 0 when none is known (findings_add()) */
	bool note; /* shown to the student but costs no points (an fd_leak under grading.yaml's
		      `fd_leak` policy `note`): a case whose findings are all notes passes, and
		      carries a `pass` finding after them; false from findings_add() */
	struct finding_race *race; /* a race finding: the stressed runs and the first that failed;
				      NULL for every other kind and from findings_add(); owned */
};

struct findings {
	struct finding *v;
	size_t n;
	size_t cap;
};

#define FINDINGS_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* What a race finding knows (grade.c makes it): the case ran `runs` more times under stress,
 * with the seeds 1 to runs, and `failed` of those runs did not meet the expectations that its
 * plain run met. Owned by its finding; findings_free() frees it, its findings with it. */
struct finding_race {
	unsigned long long seed;  /* the first failing run's seed (pipegrade grade --seed) */
	int runs;                 /* stressed runs made */
	int failed;               /* of them, those that failed (>= 1) */
	struct findings findings; /* the first failing run's findings, as a case has them */
};

/* The stable name of a kind ("pass", "wrong_output", ...). */
const char *finding_kind_name(enum finding_kind kind);

/* Appends a finding; `message` is copied, `stream` may be NULL. Returns the new finding (valid
 * until the next findings_add()), with no details. */
struct finding *findings_add(struct findings *f, enum finding_kind kind, const char *stream,
			     const char *message);

/* Gives the finding its details, which it then owns (NULL: none); frees those it had. */
void finding_set_details(struct finding *f, struct monitor_facts *details);

/* Frees the race data and its findings (NULL: nothing). */
void finding_race_free(struct finding_race *race);

/* Gives the finding its race data, which it then owns (NULL: none); frees what it had. */
void finding_set_race(struct finding *f, struct finding_race *race);

/* Removes every finding of this kind, freeing what each owns; keeps the others in order. */
void findings_remove(struct findings *f, enum finding_kind kind);

/* The first finding that costs its case all its points: any but pass, a note, fd_leak and
 * orphan (grade.h). NULL when there is none. */
const struct finding *findings_costly(const struct findings *f);

/* True when some finding of this kind is present. */
int findings_has(const struct findings *f, enum finding_kind kind);

void findings_free(struct findings *f);

#endif
