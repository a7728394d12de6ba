/* findings.c: kinds and lists of findings (see findings.h). */
#include "findings.h"

#include <stdlib.h>

#include "monitor_facts.h"
#include "util.h"

static const char *const names[FINDING_KIND_COUNT] = {
	[FINDING_PASS] = "pass",
	[FINDING_WRONG_OUTPUT] = "wrong_output",
	[FINDING_WRONG_EXIT] = "wrong_exit",
	[FINDING_TIMEOUT] = "timeout",
	[FINDING_CRASH] = "crash",
	[FINDING_COMPILE_ERROR] = "compile_error",
	[FINDING_LIMIT_OUTPUT] = "limit_output",
	[FINDING_DEADLOCK] = "deadlock",
	[FINDING_HANG] = "hang",
	[FINDING_FD_LEAK] = "fd_leak",
	[FINDING_ORPHAN] = "orphan",
	[FINDING_STRUCTURE] = "structure",
	[FINDING_LIMIT_MEMORY] = "limit_memory",
	[FINDING_LIMIT_PROCESSES] = "limit_processes",
	[FINDING_LIMIT_FILES] = "limit_files",
	[FINDING_RACE] = "race",
};

const char *finding_kind_name(enum finding_kind kind)
{
	return kind < FINDING_KIND_COUNT ? names[kind] : "unknown";
}

struct finding *findings_add(struct findings *f, enum finding_kind kind, const char *stream,
			     const char *message)
{
	ALLOC_GROW(f->v, f->n + 1, f->cap);
	struct finding *x = &f->v[f->n++];
	x->kind = kind;
	x->stream = stream ? xstrdup(stream) : NULL;
	x->message = xstrdup(message);
	x->details = NULL;
	x->line = 0;
	x->note = false;
	x->race = NULL;
	return x;
}

void finding_set_details(struct finding *f, struct monitor_facts *details)
{
	monitor_facts_free(f->details);
	f->details = details;
}

void finding_race_free(struct finding_race *race)
{
	if (!race)
		return;
	findings_free(&race->findings);
	free(race);
}

void finding_set_race(struct finding *f, struct finding_race *race)
{
	finding_race_free(f->race);
	f->race = race;
}

int findings_has(const struct findings *f, enum finding_kind kind)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == kind)
			return 1;
	return 0;
}

const struct finding *findings_costly(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		enum finding_kind k = f->v[i].kind;
		if (!f->v[i].note && k != FINDING_PASS && k != FINDING_FD_LEAK &&
		    k != FINDING_ORPHAN)
			return &f->v[i];
	}
	return NULL;
}

/* Frees what one finding owns. */
static void finding_free(struct finding *x)
{
	free(x->message);
	free(x->stream);
	monitor_facts_free(x->details);
	finding_race_free(x->race);
}

void findings_remove(struct findings *f, enum finding_kind kind)
{
	size_t kept = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i].kind == kind)
			finding_free(&f->v[i]);
		else
			f->v[kept++] = f->v[i];
	}
	f->n = kept;
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_free(&f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}
