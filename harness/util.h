/*
 * util.h: small helpers shared by every part of pipegrade.
 *
 * Ownership: a `struct buf` owns its `data`; buf_free() releases it and leaves an empty buffer.
 * Allocation failures abort the program (xmalloc and friends): pipegrade cannot do anything
 * useful without memory, and checking every allocation would hide the logic.
 *
 * Threads: pipegrade is single-threaded (a class is graded by forked worker processes), and
 * some functions rely on it: signal_name() returns static storage, overwritten by the next
 * call; nothing here locks. docs/design.md ("Conventions") lists every such function.
 */
#ifndef PIPEGRADE_UTIL_H
#define PIPEGRADE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A growable byte buffer. `data` is always NUL-terminated when non-NULL (the NUL is not counted
 * in `len`), so text can be used as a C string, but it may also hold NUL bytes. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void buf_append(struct buf *b, const void *data, size_t len);
/* Makes room for `extra` more bytes, exactly (no doubling): for data of a known size. */
void buf_reserve(struct buf *b, size_t extra);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Gives the buffer's memory to the caller (never NULL) and leaves `b` empty. */
char *buf_detach(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t n); /* copies n bytes and adds a NUL */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A NULL-terminated vector of owned strings (argv-like). */
struct strvec {
	char **v;
	size_t n;
	size_t cap;
};

#define STRVEC_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void strvec_push(struct strvec *sv, const char *s);
void strvec_free(struct strvec *sv);
/* Sorts v[first..n) by strcmp (byte order, as LC_ALL=C). */
void strvec_sort(struct strvec *sv, size_t first);

/* Monotonic clock in seconds. */
double now_monotonic(void);

/* Reads a whole file into `out` (appending). Returns 0, or -1 with errno set. */
int read_file(const char *path, struct buf *out);

/* Writes all of `len` bytes to fd, retrying on EINTR and short writes. Returns 0 or -1. */
int write_all(int fd, const void *data, size_t len);

/* First thing in a forked helper that must not outlive `parent` (the pid that forked it, taken
 * before the fork): SIGKILL when the parent dies, and _exit(0) at once when it died before
 * that was armed. Only async-signal-safe calls. */
void die_with_parent(pid_t parent);

/* mkdir -p, folders made 0755 (less the umask). Returns 0, or -1 with errno (ENOTDIR when a
 * part of the path is not a folder). */
int make_dirs(const char *path);

/* The directory part of a path, trailing slashes ignored ("." when there is none, "/" for a
 * file in the root), and the last component. Both malloc'd. */
char *path_dirname(const char *path);
char *path_basename(const char *path);

/* The valid UTF-8 sequence at `s` (at most `left` bytes): its length (1 for ASCII, 2-4), with
 * its code point in *cp when cp is not NULL; 0 when the bytes are not valid UTF-8 (bad lead or
 * continuation byte, overlong form, surrogate, beyond U+10FFFF, cut short). On a NUL-terminated
 * string `left` may be SIZE_MAX: the NUL is never a continuation byte. */
size_t utf8_decode(const unsigned char *s, size_t left, unsigned int *cp);

/* The width of the UTF-8 string `s` on a terminal, counted as one column per character (what
 * the aligned listings need: no wide characters are expected in case names). */
size_t utf8_columns(const char *s);

/* Whether the code point `cp` (U+0080 and above) is one buf_visible() hides (see below):
 * invisible, direction-changing or forbidden in XML. */
bool utf8_hidden(unsigned int cp);

/* Makes room for `n` elements in the array `v` whose capacity is `cap` (both lvalues; `v` may
 * be NULL with `cap` 0): when n > cap, cap grows to twice its size (at least 8), or to n when
 * that is more, and `v` is reallocated (xrealloc: out of memory aborts). After it, v[0..n-1]
 * may be written. As git's ALLOC_GROW. */
#define ALLOC_GROW(v, n, cap)                                                                      \
	do {                                                                                       \
		if ((size_t)(n) > (size_t)(cap)) {                                                 \
			size_t grow_ = (cap) ? 2 * (size_t)(cap) : 8;                              \
			(cap) = grow_ < (size_t)(n) ? (size_t)(n) : grow_;                         \
			(v) = xrealloc((v), (size_t)(cap) * sizeof *(v));                          \
		}                                                                                  \
	} while (0)

/* Appends `len` bytes of `s` (any bytes, NUL included; `s` may be NULL when `len` is 0) to
 * `out`, with everything that could act on a terminal or is not valid text made visible, for
 * people to read (not to parse back: a backslash stays a single backslash):
 *   - each byte of invalid or cut UTF-8 (bad lead or continuation byte, overlong form,
 *     surrogate, beyond U+10FFFF, truncated at the end) as `\xNN`, two lowercase hex digits;
 *   - C0 control bytes 0x00-0x1f as `\xNN` too (ESC is `\x1b`, CR is `\x0d`), except '\t',
 *     and '\n' when `keep_newlines`; DEL as `\x7f`;
 *   - C1 controls U+0080-U+009F, the Arabic letter mark U+061C, zero-width and direction
 *     marks U+200B-U+200F, the line and paragraph separators U+2028-U+2029, bidi embeddings
 *     and overrides U+202A-U+202E, U+2060-U+2069 (word joiner, bidi isolates...), the byte
 *     order mark U+FEFF and every noncharacter (U+FDD0-U+FDEF and the last two code points of
 *     every plane: U+FFFE, U+FFFF, ..., U+10FFFE, U+10FFFF) as `\u{X}`, X in lowercase hex
 *     without leading zeros (`\u{85}`, `\u{202e}`, `\u{fffe}`, `\u{10ffff}`).
 * Everything else (printable ASCII, spaces, tabs, valid UTF-8 such as "recibió") is kept as
 * it is. The result is valid UTF-8 with no control byte but '\t' (and '\n' when kept), so it
 * is safe on a terminal and in XML, HTML and CSV once their own markup is escaped. `out->data`
 * is non-NULL afterwards, even when nothing was appended. */
void buf_visible(struct buf *out, const char *s, size_t len, bool keep_newlines);

/* Appends the C string `s` (NULL: nothing) as HTML or XML 1.0 character data or a quoted
 * attribute value: first made visible by buf_visible() keeping newlines, then '&', '<', '>',
 * '"' and '\'' as references. What is left is valid UTF-8 made only of XML 1.0 Chars, so a
 * document stays well-formed whatever a program printed. */
void buf_markup(struct buf *out, const char *s);

/* Appends `s` (len bytes, any bytes) to `out` as a JSON string literal, quotes included: '"',
 * '\\', '\n' and '\t' as their short escapes; other control characters, DEL and the code points
 * buf_visible() hides (utf8_hidden: U+FFFE, U+202E...) as \uXXXX escapes (a surrogate pair
 * beyond U+FFFF), which keep the text exact; each byte of invalid UTF-8 as \ufffd. Everything
 * else is copied. The result is valid JSON and valid UTF-8. Cannot fail. */
void buf_json_string(struct buf *out, const char *s, size_t len);

/* Appends `s` (len bytes, any bytes) to `out` as one word for a POSIX shell: between single
 * quotes, every byte as it is, a quote as '\''. Cannot fail. */
void buf_sh_quote(struct buf *out, const char *s, size_t len);

/* The name of a signal, "SIGSEGV", or "signal N" for one the C library does not name. Points
 * to static storage, overwritten by the next call. */
const char *signal_name(int sig);

/* How often a running case is looked at, in seconds: the run loop wakes this often (and only
 * while the main process lives) to read the sandbox's counters and to let the process monitor
 * sample the tree (monitor_tick()). A stuck tree is recognised a few ticks after it settles. */
#define WATCH_TICK_S 0.02

/* The most fds a process of a case may have open: the ceiling of grading.yaml's open_files
 * limit (config.h), so a walk over fd numbers (the monitor following close_range(), run's
 * fallback when close_range() is missing) stops there. */
#define FD_CEILING 65536

/* close_range()'s flag that marks the fds close-on-exec instead of closing them: the kernel's
 * definition where its header has one (the C library may have defined it already, identically). */
#if defined(__has_include)
#if __has_include(<linux/close_range.h>)
#include <linux/close_range.h>
#endif
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* FNV-1a, 64 bits: content hashes for reruns and the compile cache (not for security). */
#define HASH_INIT 14695981039346656037ULL
void hash_bytes(unsigned long long *h, const void *data, size_t len);
/* Hashes a file's bytes, or a directory's names and files in sorted order (links and special
 * files are skipped). */
void hash_tree(unsigned long long *h, const char *path);

/* Copies the file `from` to `to` (replaced when it exists, never through a link), with
 * permission bits `mode`. Returns 0 or -1 with errno set. */
int file_copy(const char *from, const char *to, unsigned int mode);

/* Removes a directory tree (like rm -rf, without following symlinks). A directory inside that
 * we may not read or write (a program's chmod 0) is made ours to empty when we own it. Any
 * depth, with at most two fds open at a time; a directory moved while we walk it stops the
 * walk rather than let it remove elsewhere. Returns 0, or -1 when something could not be
 * removed (everything else is). */
int remove_tree(const char *path);

/* The same for `name` in the directory `dir_fd`. */
int remove_tree_at(int dir_fd, const char *name);

#endif
