/*
 * yamldoc.c: libyaml's parser events into a tree of `struct ynode` (see yamldoc.h), and the
 * diagnostics collector.
 *
 * This is the only file that includes <yaml.h>. The parser is driven event by event: scalars
 * and aliases become leaves, a mapping or sequence start opens a collection (pushed on a stack
 * at most YAMLDOC_MAX_DEPTH deep) and its end closes it. Anchors, tags and aliases are reported
 * where they are written (see docs/grading-yaml.md for why they are not supported); a syntax
 * error or too deep a nesting stops the parse, and the incomplete tree is dropped.
 */
#include "yamldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "i18n.h"

/* ---- diagnostics ---------------------------------------------------------------------------- */

struct diag {
	int line, col; /* 0: the message has no position */
	size_t seq;    /* order of recording, to keep the sort stable */
	char *msg;     /* one line, no newline; owned */
};

void diags_vadd(struct diags *d, int line, int col, const char *fmt, va_list ap)
{
	ALLOC_GROW(d->v, d->n + 1, d->cap);
	struct buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	for (size_t i = 0; i < b.len; i++) /* one line per message, whatever libc or regcomp said */
		if (b.data[i] == '\n' || b.data[i] == '\r')
			b.data[i] = ' ';
	d->v[d->n] = (struct diag){ line, col, d->n, buf_detach(&b) };
	d->n++;
}

void diags_add(struct diags *d, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diags_vadd(d, line, col, fmt, ap);
	va_end(ap);
}

/* diags_add() at the position of node `n`. */
static void __attribute__((format(printf, 3, 4)))
diags_add_at(struct diags *d, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diags_vadd(d, n->line, n->col, fmt, ap);
	va_end(ap);
}

static int diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diags_flush(struct diags *d, const char *path, struct buf *errors)
{
	if (d->n > 0)
		qsort(d->v, d->n, sizeof *d->v, diag_cmp);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *m = &d->v[i];
		if (m->line > 0)
			buf_printf(errors, "%s:%d:%d: %s\n", path, m->line, m->col, m->msg);
		else
			buf_printf(errors, "%s: %s\n", path, m->msg);
		free(m->msg);
	}
	free(d->v);
	*d = (struct diags)DIAGS_INIT;
}

/* ---- nodes ---------------------------------------------------------------------------------- */

static struct ynode *ynode_new(enum ynode_kind kind, yaml_mark_t mark)
{
	struct ynode *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->line = (int)mark.line + 1;
	n->col = (int)mark.column + 1;
	return n;
}

static void ynode_add(struct ynode *parent, struct ynode *kid)
{
	ALLOC_GROW(parent->kids, parent->nkids + 1, parent->cap);
	parent->kids[parent->nkids++] = kid;
}

/* Recursive, but the depth is bounded by YAMLDOC_MAX_DEPTH. */
void yamldoc_free(struct ynode *root)
{
	if (!root)
		return;
	for (size_t i = 0; i < root->nkids; i++)
		yamldoc_free(root->kids[i]);
	free(root->kids);
	free(root->text);
	free(root);
}

bool ynode_key_is(const struct ynode *n, const char *key)
{
	return n->kind == YNODE_SCALAR && n->len == strlen(key) && !memcmp(n->text, key, n->len);
}

bool ynode_same_text(const struct ynode *a, const struct ynode *b)
{
	return a->kind == YNODE_SCALAR && b->kind == YNODE_SCALAR && a->len == b->len &&
	       !memcmp(a->text, b->text, a->len);
}

const struct ynode *ynode_map_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (ynode_key_is(map->kids[i], key))
			return map->kids[i + 1];
	return NULL;
}

/* ---- parser events into a tree -------------------------------------------------------------- */

struct tree {
	struct diags *d;
	struct ynode *root;
	struct ynode *extra; /* roots of further documents, kept only to be freed */
	struct ynode *open[YAMLDOC_MAX_DEPTH]; /* collections being filled, innermost last */
	size_t depth;
	int ndocs;
};

static void tree_add(struct tree *t, struct ynode *n)
{
	if (t->depth > 0) {
		struct ynode *parent = t->open[t->depth - 1];
		/* An empty value takes its key's position, so a message about it points at the key. */
		if (parent->kind == YNODE_MAP && parent->nkids % 2 == 1 &&
		    n->kind == YNODE_SCALAR && n->plain && n->len == 0) {
			n->line = parent->kids[parent->nkids - 1]->line;
			n->col = parent->kids[parent->nkids - 1]->col;
		}
		ynode_add(parent, n);
	} else if (!t->root) {
		t->root = n;
	} else {
		if (!t->extra)
			t->extra = xcalloc(1, sizeof *t->extra);
		ynode_add(t->extra, n);
	}
}

/* Anchors and tags are not supported: reports them at the node. */
static void tree_check_props(struct tree *t, const struct ynode *n, const yaml_char_t *anchor,
			     const yaml_char_t *tag)
{
	if (anchor)
		diags_add_at(t->d, n,
			     _("YAML anchors (&%s) are not supported; write the value out in full"),
			     (const char *)anchor);
	if (tag) {
		static const char core[] = "tag:yaml.org,2002:"; /* what "!!" stands for */
		const char *name = (const char *)tag;
		bool short_form = !strncmp(name, core, sizeof core - 1);
		diags_add_at(t->d, n, _("YAML tags (%s%s) are not supported; remove the tag"),
			     short_form ? "!!" : "", short_form ? name + sizeof core - 1 : name);
	}
}

static void tree_scalar(struct tree *t, const yaml_event_t *ev)
{
	struct ynode *n = ynode_new(YNODE_SCALAR, ev->start_mark);
	n->text = xmemdup(ev->data.scalar.value, ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	tree_check_props(t, n, ev->data.scalar.anchor, ev->data.scalar.tag);
	tree_add(t, n);
}

static void tree_alias(struct tree *t, const yaml_event_t *ev)
{
	struct ynode *n = ynode_new(YNODE_BAD, ev->start_mark);
	diags_add_at(t->d, n,
		     _("YAML aliases (*%s) are not supported; write the value out in full"),
		     (const char *)ev->data.alias.anchor);
	tree_add(t, n);
}

static int tree_open(struct tree *t, const yaml_event_t *ev)
{
	bool map = ev->type == YAML_MAPPING_START_EVENT;
	struct ynode *n = ynode_new(map ? YNODE_MAP : YNODE_SEQ, ev->start_mark);
	if (map)
		tree_check_props(t, n, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
	else
		tree_check_props(t, n, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
	tree_add(t, n);
	if (t->depth == YAMLDOC_MAX_DEPTH) {
		diags_add_at(t->d, n, _("nested too deeply (more than %d levels)"),
			     YAMLDOC_MAX_DEPTH);
		return -1;
	}
	t->open[t->depth++] = n;
	return 0;
}

/* Returns 0 to go on, 1 at the end of the stream, -1 to stop. */
static int tree_event(struct tree *t, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++t->ndocs == 2)
			diags_add(t->d, (int)ev->start_mark.line + 1,
				  (int)ev->start_mark.column + 1,
				  _("only one YAML document is allowed in grading.yaml"));
		return 0;
	case YAML_SCALAR_EVENT:
		tree_scalar(t, ev);
		return 0;
	case YAML_ALIAS_EVENT:
		tree_alias(t, ev);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return tree_open(t, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		t->depth--;
		return 0;
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		return 0;
	}
	return 0;
}

/* Line and column (1-based, in characters) of a byte offset of the text. */
static void offset_position(const struct buf *src, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < src->len; i++) {
		unsigned char ch = (unsigned char)src->data[i];
		if (ch == '\n') {
			++*line;
			*col = 1;
		} else if ((ch & 0xC0) != 0x80) {
			++*col;
		}
	}
}

/* Reports libyaml's error at its problem mark (at the byte offset for encoding errors, whose
 * mark libyaml does not fill in). */
static void tree_syntax_error(struct diags *d, const yaml_parser_t *p, const struct buf *src)
{
	int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
	if (p->error == YAML_READER_ERROR)
		offset_position(src, p->problem_offset, &line, &col);
	struct buf msg = BUF_INIT;
	buf_printf(&msg, _("syntax error: %s"),
		   p->problem ? p->problem : _("cannot parse the file"));
	if (p->context)
		buf_printf(&msg, _(" (%s at line %d, column %d)"), p->context,
			   (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
	diags_add(d, line, col, "%s", msg.data);
	buf_free(&msg);
}

/* Feeds the parser's events to the tree until the end of the stream. Returns 0, or -1 when the
 * tree is incomplete (reported). */
static int tree_build(struct tree *t, yaml_parser_t *p, const struct buf *src)
{
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			tree_syntax_error(t->d, p, src);
			return -1;
		}
		int rc = tree_event(t, &ev);
		yaml_event_delete(&ev);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
}

int yamldoc_parse(const struct buf *src, struct diags *d, struct ynode **root)
{
	struct tree t = { .d = d };
	yaml_parser_t p;
	*root = NULL;
	if (!yaml_parser_initialize(&p)) {
		diags_add(d, 0, 0, "%s", _("cannot start the YAML parser"));
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)src->data, src->len);
	int rc = tree_build(&t, &p, src);
	yaml_parser_delete(&p);
	yamldoc_free(t.extra);
	if (rc < 0) {
		yamldoc_free(t.root);
		return -1;
	}
	*root = t.root;
	return 0;
}
