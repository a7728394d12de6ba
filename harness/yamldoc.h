/*
 * yamldoc.h: a YAML file as a small tree of nodes, and the messages found while reading it.
 *
 * yamldoc.c is the only file that sees libyaml; no libyaml type appears here. yamldoc_parse()
 * turns libyaml's parser events into a tree of `struct ynode` (scalars, mappings, sequences),
 * each node carrying its 1-based line and column, so the schema layer (config.c) can check the
 * tree and point every message at the right place. It knows nothing of the schema: it rejects
 * only what no YAML file of ours may use (anchors, aliases, tags, more than one document,
 * nesting deeper than YAMLDOC_MAX_DEPTH) and reports syntax errors at libyaml's problem mark.
 *
 * Problems go to a `struct diags`, shared with the schema layer: every message is recorded
 * with its position and reading goes on, so one run reports them all; diags_flush() sorts them
 * by position and writes them as "path:line:column: message" lines.
 */
#ifndef PIPEGRADE_YAMLDOC_H
#define PIPEGRADE_YAMLDOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define YAMLDOC_MAX_DEPTH 64 /* nesting levels of collections; deeper is an error */

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_MAP,
	YNODE_SEQ,
	YNODE_BAD, /* an alias: already reported, to be checked no further */
};

/* One node of the tree. A node owns its text and its kids; yamldoc_free() on the root releases
 * the whole tree. Nodes are read-only for everyone but yamldoc.c. */
struct ynode {
	enum ynode_kind kind;
	int line, col;       /* 1-based. An empty plain scalar given as a mapping value has its
			      * key's position, so a message about the missing value points at the key */
	char *text;          /* scalar: its value, NUL-terminated, may hold NUL bytes; else NULL */
	size_t len;          /* scalar: bytes in text, without the final NUL */
	bool plain;          /* scalar written without quotes or block style (so `3`, `true` and
			      * `~` may be a number, a boolean or null; `"3"` is a string) */
	struct ynode **kids; /* map: key, value, key, value...; seq: items; in the file's order */
	size_t nkids;
	size_t cap; /* allocated slots of kids (yamldoc.c's business) */
};

/* ---- diagnostics ---------------------------------------------------------------------------- */

/* Messages with their positions, kept until diags_flush(). Start from DIAGS_INIT; `n` (the
 * number of messages so far) may be read, the rest is private. */
struct diags {
	struct diag *v;
	size_t n, cap;
};

#define DIAGS_INIT                                                                                 \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Records one message at line:col (1-based; line 0: the message has no position). Newlines and
 * carriage returns in the formatted text become spaces, so each message is one line. Cannot
 * fail (memory exhaustion aborts, as everywhere in pipegrade). */
void diags_vadd(struct diags *d, int line, int col, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
void diags_add(struct diags *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Sorts the messages by line, then column, then order of recording, and appends each to
 * `errors` as "path:line:column: message\n" ("path: message\n" when it has no position).
 * Releases them all: `d` is left as DIAGS_INIT, ready for reuse. */
void diags_flush(struct diags *d, const char *path, struct buf *errors);

/* ---- the tree -------------------------------------------------------------------------------- */

/* Parses the YAML text in `src` and stores in *root the tree of its first document (NULL when
 * `src` holds no document at all). Returns 0 when the tree is complete; it may still hold
 * YNODE_BAD nodes for aliases. Anchors, tags, aliases and any document after the first are
 * reported in `d` but do not stop the parse; further documents are dropped. Returns -1 when
 * the tree is incomplete: a syntax error (reported at libyaml's problem mark, with its context
 * when libyaml gives one), nesting deeper than YAMLDOC_MAX_DEPTH, or a parser that cannot
 * start; the reason is in `d` and *root is NULL. The caller owns *root: yamldoc_free(). */
int yamldoc_parse(const struct buf *src, struct diags *d, struct ynode **root);

/* Releases a tree (a root from yamldoc_parse(), or NULL). */
void yamldoc_free(struct ynode *root);

/* Whether `n` is a scalar whose text is exactly `key`. */
bool ynode_key_is(const struct ynode *n, const char *key);

/* Whether `a` and `b` are scalars with the same text (byte for byte, NUL bytes included). */
bool ynode_same_text(const struct ynode *a, const struct ynode *b);

/* The value of `key` in mapping `map` (its first occurrence), or NULL: when the key is absent,
 * or when `map` is NULL or not a mapping. The node belongs to the tree. */
const struct ynode *ynode_map_get(const struct ynode *map, const char *key);

#endif
