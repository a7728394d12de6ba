/*
 * config_int.h: what the two halves of the grading.yaml loader share (config.c: the walk, the
 * course/exercise/case structure, limits, penalties, requires, resolution and the public API;
 * config_data.c: the data a case feeds or expects, and every file named in grading.yaml). Not for
 * use outside the config module.
 */
#ifndef PIPEGRADE_CONFIG_INT_H
#define PIPEGRADE_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "util.h"
#include "yamldoc.h"

/* ---- config.c: the loader and its messages ---- */

/* One load of grading.yaml. Lives on config_load()'s stack; borrows `dir` and `c`. */
struct loader {
	const char *dir; /* the directory of grading.yaml */
	struct course *c;
	struct diags diags; /* every problem found so far */
};

/* Records a problem at the position of `n`; the walk goes on. */
__attribute__((format(printf, 3, 4))) void err_at(struct loader *ld, const struct ynode *n,
						  const char *fmt, ...);

/* A user-written text quoted for a message: escapes control bytes, cuts long texts. */
struct quoted {
	char s[256];
};

/* The text of scalar `n`, quoted into `q`; returns q->s. */
const char *quote_node(struct quoted *q, const struct ynode *n);

/* `"key" must be EXPECTED`, with a hint for empty values and quoted numbers or booleans. */
void type_error(struct loader *ld, const char *key, const struct ynode *val, const char *expected);

/* ---- config.c: scalar values ---- */

/* A scalar that can be used as a string: anything but a null. */
bool node_is_text(const struct ynode *n);
bool node_has_nul(const struct ynode *n);
/* A plain (unquoted) integer or boolean scalar into *v; false if `n` is not one. */
bool node_int(const struct ynode *n, long long *v);
bool node_bool(const struct ynode *n, bool *v);

/* ---- config.c: names of enumerations ---- */

struct name_value {
	const char *name;
	int value;
};

#define NV_COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* "exact", "trailing_ws", "contains", "regex": one row per enum cmp_mode that "mode" names (a
 * sealed mode is named by its unsealed one, beside "sealed"). */
extern const struct name_value cmp_modes[CMP_REGEX + 1];

/* Stores the value of a scalar naming one of `t`, or reports "must be one of: ...". Returns 0
 * or -1. */
int nv_from_node(struct loader *ld, const char *key, const struct ynode *val,
		 const struct name_value *t, size_t n, int *value);

/* ---- config.c: mappings, the key tables ---- */

/* Checks and stores one value; `field` is the target struct plus the rule's offset. */
typedef void key_fn(struct loader *ld, const char *key, const struct ynode *val, void *field);

struct key_rule {
	const char *key;
	key_fn *fn;
	size_t off;          /* handed to fn as target + off */
	const char *missing; /* NULL: optional; else the message when the key is absent */
};

struct map_kind {
	const char *where; /* "in a case": where an unknown key was found */
	const struct key_rule *rules;
	size_t nrules; /* at most 64 */
};

#define RULES(t) (t), (sizeof(t) / sizeof((t)[0]))

/* Walks a mapping: each known key's handler gets its value; reports unknown, duplicate and
 * missing keys. `map` must be a YNODE_MAP. */
void map_walk(struct loader *ld, const struct ynode *map, const struct map_kind *mk, void *target);

/* ---- config_data.c: key handlers for the exercise and case tables ---- */

/* statement: a readable regular file; stores its resolved path (char **). */
void set_statement(struct loader *ld, const char *key, const struct ynode *val, void *field);
/* stdin: a string, or a mapping with text, file or repeat+times (struct test_case *). */
void parse_stdin(struct loader *ld, const char *key, const struct ynode *val, void *field);
/* stdout/stderr: a string (exact), or a mapping with text or file and mode (struct expect *). */
void parse_expect(struct loader *ld, const char *key, const struct ynode *val, void *field);
/* files / expect_files: a non-empty list of mappings (struct test_case *). */
void parse_files(struct loader *ld, const char *key, const struct ynode *val, void *field);
/* kit: a mapping with "hidden", seal or omit (enum kit_hidden *). */
void parse_kit(struct loader *ld, const char *key, const struct ynode *val, void *field);

#endif
