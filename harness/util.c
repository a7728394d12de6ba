/* util.c: buffers, allocation, vectors, clock and file helpers (see util.h). */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
	static const char msg[] = "pipegrade: out of memory\n";
	(void)!write(2, msg, sizeof msg - 1);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

char *xmemdup(const void *p, size_t n)
{
	char *s = xmalloc(n + 1);
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

/* b->data is never NULL once b->cap is not 0; the test of b->data says so to the analyzer. */
static void buf_grow(struct buf *b, size_t extra)
{
	if (b->data && b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->data && b->len + extra + 1 <= b->cap)
		return;
	b->cap = b->len + extra + 1;
	b->data = xrealloc(b->data, b->cap);
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void strvec_push(struct strvec *sv, const char *s)
{
	ALLOC_GROW(sv->v, sv->n + 2, sv->cap);
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void strvec_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strvec_sort(struct strvec *sv, size_t first)
{
	if (sv->n > first) /* never qsort(NULL, 0, ...) */
		qsort(sv->v + first, sv->n - first, sizeof *sv->v, cmp_strings);
}

double now_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		buf_reserve(out, (size_t)st.st_size); /* no doubling for a file of known size */
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		buf_append(out, chunk, (size_t)n);
	}
	if (!out->data)
		buf_append(out, "", 0);
	close(fd);
	return 0;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* remove_tree_at() walks down and back up holding one directory open at a time (two for an
 * instant), so neither the depth of a tree nor the fds left to the process can stop it. Its
 * memory: the path walked (a name and an identity per level) and the directories given up. */
struct tree_level {
	char *name; /* in the level above */
	dev_t dev;
	ino_t ino;
};

struct tree_walk {
	struct tree_level *level;
	size_t depth, cap;
	struct tree_level *failed; /* directories that could not be emptied: not entered again */
	size_t nfailed, failed_cap;
	int rc;
};

static void walk_push(struct tree_walk *w, const char *name, const struct stat *st)
{
	ALLOC_GROW(w->level, w->depth + 1, w->cap);
	w->level[w->depth++] = (struct tree_level){ xstrdup(name), st->st_dev, st->st_ino };
}

static bool walk_failed(const struct tree_walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->nfailed; i++)
		if (w->failed[i].dev == st->st_dev && w->failed[i].ino == st->st_ino)
			return true;
	return false;
}

static void walk_give_up(struct tree_walk *w, const struct tree_level *l)
{
	ALLOC_GROW(w->failed, w->nfailed + 1, w->failed_cap);
	w->failed[w->nfailed++] = (struct tree_level){ NULL, l->dev, l->ino };
	w->rc = -1;
}

/* Opens the directory `name` in `dir` without following a link; one we own but may not read
 * (a program's chmod 0) is made readable first. -1 with errno (ENOTDIR, ELOOP: not a dir). */
static int open_dir_at(int dir, const char *name, struct stat *st)
{
	int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && fstatat(dir, name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st->st_mode) && fchmodat(dir, name, 0700, 0) == 0)
		fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, st) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Removes the entry `name` of the open directory `d` when it is not a directory (0), or
 * says it is one (1); -1 when it cannot go. */
static int unlink_entry(DIR *d, const char *name)
{
	if (unlinkat(dirfd(d), name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno == EISDIR)
		return 1;
	if ((errno == EACCES || errno == EPERM) && fchmod(dirfd(d), 0700) == 0)
		return unlinkat(dirfd(d), name, 0) == 0 ? 0 : errno == EISDIR ? 1 : -1;
	return -1;
}

/* Leaves the current directory (level depth-1) for its parent, checked to be the directory we
 * came from, and removes it there. Returns the parent's stream, or NULL (the walk stops). */
static DIR *walk_up(struct tree_walk *w, DIR *cur)
{
	struct tree_level *here = &w->level[w->depth - 1], *above = &w->level[w->depth - 2];
	struct stat st;
	int up = openat(dirfd(cur), "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	closedir(cur);
	if (up < 0 || fstat(up, &st) < 0 || st.st_dev != above->dev || st.st_ino != above->ino) {
		if (up >= 0)
			close(up); /* moved under our feet: stop rather than remove elsewhere */
		w->rc = -1;
		return NULL;
	}
	if (unlinkat(up, here->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		walk_give_up(w, here);
	free(here->name);
	w->depth--;
	DIR *d = fdopendir(up);
	if (!d) {
		close(up);
		w->rc = -1;
	}
	return d;
}

int remove_tree_at(int parent, const char *name)
{
	struct stat st;
	int fd = open_dir_at(parent, name, &st);
	if (fd < 0)
		return unlinkat(parent, name, 0) == 0 || errno == ENOENT ? 0 : -1;
	struct tree_walk w = { 0 };
	walk_push(&w, name, &st);
	DIR *cur = fdopendir(fd);
	if (!cur) {
		close(fd);
		w.rc = -1;
	}
	while (cur) {
		struct dirent *e = readdir(cur);
		if (!e) {
			if (w.depth == 1)
				break;
			cur = walk_up(&w, cur);
			continue;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int kind = unlink_entry(cur, e->d_name);
		if (kind < 0)
			w.rc = -1;
		if (kind <= 0)
			continue;
		int sub = open_dir_at(dirfd(cur), e->d_name, &st);
		if (sub < 0 || walk_failed(&w, &st)) {
			if (sub >= 0)
				close(sub);
			else
				w.rc = -1;
			continue;
		}
		DIR *down = fdopendir(sub);
		if (!down) {
			close(sub);
			w.rc = -1;
			continue;
		}
		walk_push(&w, e->d_name, &st);
		closedir(cur);
		cur = down;
	}
	if (cur) {
		closedir(cur);
		if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			w.rc = -1;
	}
	for (size_t i = 0; i < w.depth; i++)
		free(w.level[i].name);
	free(w.level);
	free(w.failed);
	return w.rc;
}

int remove_tree(const char *path)
{
	return remove_tree_at(AT_FDCWD, path);
}

/* A copy of `path` without its trailing slashes (a lone "/" stays). */
static char *strip_slashes(const char *path)
{
	char *copy = xstrdup(path);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	return copy;
}

char *path_dirname(const char *path)
{
	char *copy = strip_slashes(path);
	char *slash = strrchr(copy, '/');
	char *dir = !slash          ? xstrdup(".")
		    : slash == copy ? xstrdup("/")
				    : xmemdup(copy, (size_t)(slash - copy));
	free(copy);
	return dir;
}

char *path_basename(const char *path)
{
	char *copy = strip_slashes(path);
	char *slash = strrchr(copy, '/');
	char *base = xstrdup(slash && slash[1] ? slash + 1 : copy);
	free(copy);
	return base;
}

void hash_bytes(unsigned long long *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		*h = (*h ^ p[i]) * 1099511628211ULL;
}

/* Hashes a file's bytes a chunk at a time: big grading data never sits in memory whole. */
static void hash_file(unsigned long long *h, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	ssize_t n;
	while (fd >= 0 && ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			hash_bytes(h, chunk, (size_t)n);
	if (fd >= 0)
		close(fd);
}

void hash_tree(unsigned long long *h, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISREG(st.st_mode)) {
		hash_file(h, path);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	struct strvec names = STRVEC_INIT;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			strvec_push(&names, e->d_name);
	if (d)
		closedir(d);
	strvec_sort(&names, 0);
	for (size_t i = 0; i < names.n; i++) {
		char *sub = xasprintf("%s/%s", path, names.v[i]);
		hash_bytes(h, names.v[i], strlen(names.v[i]) + 1);
		hash_tree(h, sub);
		free(sub);
	}
	strvec_free(&names);
}

size_t utf8_columns(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

size_t utf8_decode(const unsigned char *s, size_t left, unsigned int *cp)
{
	unsigned char c = s[0];
	size_t n;
	unsigned int min;
	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		n = 2, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 3, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		n = 4, min = 0x10000;
	else
		return 0;
	if (n > left)
		return 0;
	unsigned int v = c & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	if (cp)
		*cp = v;
	return n;
}

/* Valid code points that buf_visible() shows as \u{X}: C1 controls, zero-width, direction
 * and bidi controls, the byte order mark, and the noncharacters. */
bool utf8_hidden(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff || (cp >= 0xfdd0 && cp <= 0xfdef) ||
	       (cp & 0xfffe) == 0xfffe;
}

/* Whether the ASCII byte `c` is a control byte buf_visible() shows as \xNN. */
static bool byte_hidden(unsigned char c, bool keep_newlines)
{
	return (c < 0x20 && c != '\t' && !(c == '\n' && keep_newlines)) || c == 0x7f;
}

void buf_visible(struct buf *out, const char *s, size_t len, bool keep_newlines)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t plain = 0; /* start of the run of bytes kept as they are */
	for (size_t i = 0; i < len;) {
		unsigned int cp = 0;
		size_t n = utf8_decode(u + i, len - i, &cp);
		if (n == 1 ? !byte_hidden(u[i], keep_newlines) : n > 1 && !utf8_hidden(cp)) {
			i += n;
			continue;
		}
		buf_append(out, u + plain, i - plain);
		if (n > 1) {
			buf_printf(out, "\\u{%x}", cp);
			i += n;
		} else {
			buf_printf(out, "\\x%02x", u[i]);
			i++;
		}
		plain = i;
	}
	buf_append(out, u + plain, len - plain);
}

void buf_markup(struct buf *out, const char *s)
{
	struct buf v = BUF_INIT;
	buf_visible(&v, s, s ? strlen(s) : 0, true);
	for (size_t i = 0; i < v.len; i++) {
		const char *ref = v.data[i] == '&'    ? "&amp;"
				  : v.data[i] == '<'  ? "&lt;"
				  : v.data[i] == '>'  ? "&gt;"
				  : v.data[i] == '"'  ? "&quot;"
				  : v.data[i] == '\'' ? "&#39;"
						      : NULL;
		if (ref)
			buf_puts(out, ref);
		else
			buf_append(out, v.data + i, 1);
	}
	buf_free(&v);
}

void die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(0);
}

int make_dirs(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
	char *parent = path_dirname(path);
	int rc = strcmp(parent, path) ? make_dirs(parent) : 0;
	free(parent);
	return rc == 0 && (mkdir(path, 0755) == 0 || errno == EEXIST) ? 0 : -1;
}

int file_copy(const char *from, const char *to, unsigned int mode)
{
	struct buf data = BUF_INIT;
	int fd = -1, rc = read_file(from, &data);
	if (rc == 0) {
		unlink(to);
		fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
	}
	if (rc < 0 || fd < 0 || write_all(fd, data.data, data.len) < 0)
		rc = -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	int e = errno;
	buf_free(&data);
	errno = e;
	return rc;
}

void buf_sh_quote(struct buf *out, const char *s, size_t len)
{
	buf_puts(out, "'");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			buf_puts(out, "'\\''");
		else
			buf_append(out, s + i, 1);
	}
	buf_puts(out, "'");
}

void buf_json_string(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	buf_append(out, "\"", 1);
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		unsigned int cp = 0;
		size_t n = c >= 0x80 ? utf8_decode(u + i, len - i, &cp) : 1;
		if (c == '"' || c == '\\')
			buf_printf(out, "\\%c", c);
		else if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\u%04x", c);
		else if (n == 0)
			buf_puts(out, "\\ufffd");
		else if (c >= 0x80 && utf8_hidden(cp) && cp > 0xffff) /* as a surrogate pair */
			buf_printf(out, "\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10),
				   0xdc00 + ((cp - 0x10000) & 0x3ff));
		else if (c >= 0x80 && utf8_hidden(cp))
			buf_printf(out, "\\u%04x", cp);
		else
			buf_append(out, u + i, n);
		i += n ? n : 1;
	}
	buf_append(out, "\"", 1);
}

const char *signal_name(int sig)
{
	static char name[32];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(name, sizeof name, "SIG%s", abbrev);
	else
		snprintf(name, sizeof name, "signal %d", sig);
	return name;
}
