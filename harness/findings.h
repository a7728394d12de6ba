/*
 * findings.h: what pipegrade found about one case, as a kind plus a message for the student.
 *
 * The kind names are shared by every report format, the tests and the course's tooling; they
 * never change once published. Ownership: a `struct findings` owns its array and every
 * message; findings_free() releases them.
 */
#ifndef PIPEGRADE_FINDINGS_H
#define PIPEGRADE_FINDINGS_H

#include <stddef.h>

enum finding_kind {
	FINDING_PASS,          /* the case met every expectation */
	FINDING_WRONG_OUTPUT,  /* stdout or stderr differ from the expected text */
	FINDING_WRONG_EXIT,    /* exited with another status than expected */
	FINDING_TIMEOUT,       /* wall-clock or CPU time limit reached */
	FINDING_CRASH,         /* killed by a signal (named in the message) */
	FINDING_COMPILE_ERROR, /* the submission did not build */
	FINDING_LIMIT_OUTPUT,  /* wrote more than the output limit */
	FINDING_DEADLOCK,      /* every process blocked on pipes or children, for good */
	FINDING_HANG,          /* stuck, but not on pipes: pause(), a stop signal, ... */
	FINDING_FD_LEAK,       /* a pipe end left open at exit, or inherited across exec */
	FINDING_ORPHAN,        /* a parent that did not wait for its children */
	FINDING_STRUCTURE,     /* fewer pipes or processes than the exercise requires */
	FINDING_LIMIT_MEMORY,  /* used more memory than the limit */
	FINDING_LIMIT_PROCESSES, /* tried to have more processes than the limit */
	FINDING_LIMIT_FILES,   /* a file bigger than the file size limit, or too many open files */
	FINDING_KIND_COUNT
};

struct finding {
	enum finding_kind kind;
	char *message;   /* plain text for the student, may span lines; owned */
	char *stream;    /* "stdout"/"stderr" for output findings, else NULL; owned */
	char *fields;    /* structured details as JSON object members ("processes": [...],
			    "pipes": [...]) for machine-readable reports, or NULL; owned */
};

struct findings {
	struct finding *v;
	size_t n;
	size_t cap;
};

#define FINDINGS_INIT { NULL, 0, 0 }

/* The stable name of a kind ("pass", "wrong_output", ...). */
const char *finding_kind_name(enum finding_kind kind);

/* Appends a finding; `message` is copied, `stream` may be NULL. Returns the new finding. */
struct finding *findings_add(struct findings *f, enum finding_kind kind, const char *stream,
			     const char *message);

/* Sets the finding's structured JSON members (copied). */
void finding_set_fields(struct finding *f, const char *json_members);

/* True when some finding of this kind is present. */
int findings_has(const struct findings *f, enum finding_kind kind);

void findings_free(struct findings *f);

#endif
