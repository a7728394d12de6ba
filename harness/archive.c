/*
 * archive.c: unpacking a student's archive with libarchive (see archive.h), loaded when the
 * first archive is unpacked (archive_lib.h).
 *
 * archive_unpack() opens the archive once and reads it twice through the same fd: the scan
 * pass reads only the headers (entry_plan() checks each one, the caps are applied to the
 * declared sizes, and the top-level names are gathered for the unwrap decision), the write pass
 * runs entry_plan() again on every entry and writes files and folders with openat() under
 * dest. Entry paths are made relative and clean lexically; since no link is ever created
 * under dest, the lexical path is where the data really goes.
 */
#include "archive.h"

#include "archive_lib.h"
#include "i18n.h"
#include "sandbox.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* libarchive's functions, loaded by the first archive_unpack() (archive_lib.h). */
static const struct archive_lib *la;

/* Longest entry path and deepest nesting unpacked: far beyond any real submission, and small
 * enough for the rest of pipegrade to handle the tree with full paths and one fd per level. */
#define MAX_PATH_BYTES 1024
#define MAX_DEPTH 64

static const char *const extensions[] = {
	".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2",
};

/* The length of the archive extension that `name` ends with (any case, after a non-empty
 * stem), or 0. */
static size_t extension_len(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
		size_t e = strlen(extensions[i]);
		if (n > e && strcasecmp(name + n - e, extensions[i]) == 0)
			return e;
	}
	return 0;
}

bool archive_is_archive(const char *path)
{
	char *base = path_basename(path);
	bool yes = extension_len(base) > 0;
	free(base);
	return yes;
}

char *archive_student_name(const char *path)
{
	char *base = path_basename(path);
	base[strlen(base) - extension_len(base)] = '\0';
	return base;
}

/* One archive_unpack() call. */
struct unpack {
	const char *name; /* the archive's file name, first in every message */
	int dest_fd;
	long long max_bytes, bytes;
	long max_entries, entries;
	bool writing;     /* false: the scan pass */
	char *top;        /* scan: the first top-level name of an entry to write */
	bool many_tops;   /* scan: entries to write under more than one top-level name */
	bool top_is_file; /* scan: an entry to write is a file at the top */
	size_t strip;     /* write: bytes cut from each path to unwrap the top folder */
	struct buf *err;
	struct buf notes; /* scan: one line per skipped link */
};

enum plan { PLAN_FAIL = -1, PLAN_SKIP, PLAN_FILE, PLAN_DIR };

static void fail(struct unpack *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct unpack *u, const char *fmt, ...)
{
	va_list ap;
	buf_printf(u->err, "%s: ", u->name);
	va_start(ap, fmt);
	buf_vprintf(u->err, fmt, ap);
	va_end(ap);
}

static void fail_too_big(struct unpack *u)
{
	fail(u,
	     _("the files inside add up to more than %lld bytes, the most pipegrade unpacks; "
	       "leave build outputs and data files out of the archive"),
	     u->max_bytes);
}

/* `s` in double quotes, with quotes, backslashes and control bytes escaped (malloc'd). */
static char *quoted(const char *s)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(&b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(&b, "\\x%02x", *p);
		else
			buf_append(&b, p, 1);
	}
	buf_puts(&b, "\"");
	return buf_detach(&b);
}

/* `name` made relative and clean: empty and "." components dropped, ".." taking back the
 * component before it. NULL when it is absolute or climbs above the top. malloc'd. */
static char *clean_path(const char *name)
{
	if (name[0] == '/')
		return NULL;
	struct buf out = BUF_INIT;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (out.len == 0) {
				buf_free(&out);
				return NULL;
			}
			char *slash = strrchr(out.data, '/');
			out.len = slash ? (size_t)(slash - out.data) : 0;
			out.data[out.len] = '\0';
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (out.len > 0)
				buf_puts(&out, "/");
			buf_append(&out, p, n);
		}
		p += n + (p[n] == '/');
	}
	return buf_detach(&out);
}

/* macOS leaves these in archives made in its Finder or with its tar; they are no part of a
 * submission. */
static bool is_mac_metadata(const char *rel)
{
	if (strncmp(rel, "__MACOSX", 8) == 0 && (rel[8] == '/' || rel[8] == '\0'))
		return true;
	const char *last = strrchr(rel, '/');
	last = last ? last + 1 : rel;
	return strcmp(last, ".DS_Store") == 0 || strncmp(last, "._", 2) == 0;
}

static size_t depth_of(const char *rel)
{
	size_t d = 1;
	for (const char *p = rel; *p; p++)
		d += *p == '/';
	return d;
}

/* What the entry is, when it is to be written; a note or a failure otherwise. */
static enum plan entry_kind(struct unpack *u, struct archive_entry *e, const char *q)
{
	const char *link = la->entry_hardlink(e)               ? _("a hard link")
			   : la->entry_filetype(e) == AE_IFLNK ? _("a symbolic link")
							       : NULL;
	if (link) {
		if (!u->writing)
			/* TRANSLATORS: the archive, the entry, then "a hard link" or "a symbolic
			   link". */
			buf_printf(&u->notes, _("%s: skipped %s, %s: links are not unpacked\n"),
				   u->name, q, link);
		return PLAN_SKIP;
	}
	if (la->entry_filetype(e) == AE_IFREG)
		return PLAN_FILE;
	if (la->entry_filetype(e) == AE_IFDIR)
		return PLAN_DIR;
	fail(u,
	     _("entry %s is a device, FIFO or socket; a submission holds only files and folders"),
	     q);
	return PLAN_FAIL;
}

/* Scan pass: the top-level names of what will be written, and the declared sizes. */
static enum plan scan_entry(struct unpack *u, struct archive_entry *e, const char *rel,
			    enum plan kind)
{
	size_t top_len = strcspn(rel, "/");
	if (!u->top)
		u->top = xmemdup(rel, top_len);
	else if (strlen(u->top) != top_len || strncmp(u->top, rel, top_len) != 0)
		u->many_tops = true;
	if (kind == PLAN_FILE && rel[top_len] == '\0')
		u->top_is_file = true;
	if (kind == PLAN_FILE && la->entry_size_is_set(e)) {
		long long size = la->entry_size(e) > 0 ? la->entry_size(e) : 0;
		if (size > u->max_bytes - u->bytes) {
			fail_too_big(u);
			return PLAN_FAIL;
		}
		u->bytes += size;
	}
	return kind;
}

/* Write pass: `rel` without the single top-level folder found by the scan. */
static enum plan unwrap(struct unpack *u, char *rel, enum plan kind)
{
	size_t top_len = u->strip - 1;
	if (strncmp(rel, u->top, top_len) != 0 || (rel[top_len] != '/' && rel[top_len] != '\0')) {
		fail(u, "%s", _("the archive changed while it was being unpacked"));
		return PLAN_FAIL;
	}
	if (rel[top_len] == '\0')
		return PLAN_SKIP; /* the unwrapped folder itself */
	memmove(rel, rel + u->strip, strlen(rel + u->strip) + 1);
	return kind;
}

/* Checks one entry and decides what to do with it; when it is to be written, `*rel` is its
 * path under dest (malloc'd; unwrapped in the write pass). */
static enum plan entry_plan(struct unpack *u, struct archive_entry *e, char **rel)
{
	*rel = NULL;
	if (++u->entries > u->max_entries) {
		fail(u,
		     _("the archive holds more than %ld files and folders, the most pipegrade "
		       "unpacks"),
		     u->max_entries);
		return PLAN_FAIL;
	}
	const char *name = la->entry_pathname(e);
	if (!name)
		name = la->entry_pathname_utf8(e);
	if (!name) {
		fail(u, _("the name of entry %ld cannot be read"), u->entries);
		return PLAN_FAIL;
	}
	char *q = quoted(name);
	char *clean = clean_path(name);
	enum plan kind = PLAN_FAIL;
	if (!clean)
		fail(u, _("entry %s would escape the submission's folder"), q);
	else if (strlen(clean) > MAX_PATH_BYTES || depth_of(clean) > MAX_DEPTH)
		fail(u, _("entry %s is nested too deep (more than %d folders or %d bytes)"), q,
		     MAX_DEPTH, MAX_PATH_BYTES);
	else if (is_mac_metadata(clean))
		kind = PLAN_SKIP;
	else
		kind = entry_kind(u, e, q);
	if (kind == PLAN_FILE && clean[0] == '\0') {
		fail(u, _("entry %s is a file without a name"), q);
		kind = PLAN_FAIL;
	}
	if (kind > PLAN_SKIP && clean[0] == '\0')
		kind = PLAN_SKIP; /* the archive's top folder itself: that is dest */
	if (kind > PLAN_SKIP && !u->writing)
		kind = scan_entry(u, e, clean, kind);
	if (kind > PLAN_SKIP && u->writing && u->strip > 0)
		kind = unwrap(u, clean, kind);
	free(q);
	if (kind > PLAN_SKIP)
		*rel = clean;
	else
		free(clean);
	return kind;
}

/* Opens (creating when missing, 0755) the folder `name` inside `parent`, never through a
 * link. Returns the fd or -1. */
static int open_dir_at(int parent, const char *name)
{
	bool made = mkdirat(parent, name, 0755) == 0;
	if (!made && errno != EEXIST)
		return -1;
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && made && fchmod(fd, 0755) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Opens the folder that holds `rel` (or `rel` itself when `whole`), creating what is missing
 * one component at a time. Returns an fd the caller closes, or -1 with errno set; `*leaf` is
 * the last component of `rel`. */
static int open_parent(int dest_fd, char *rel, bool whole, const char **leaf)
{
	int fd = fcntl(dest_fd, F_DUPFD_CLOEXEC, 0);
	char *comp = rel;
	for (char *slash; fd >= 0; comp = slash + 1) {
		slash = strchr(comp, '/');
		if (!slash && !whole)
			break;
		if (slash)
			*slash = '\0';
		int next = open_dir_at(fd, comp);
		int saved = errno;
		close(fd);
		errno = saved;
		fd = next;
		if (!slash)
			break;
		*slash = '/';
	}
	*leaf = comp;
	return fd;
}

/* Copies the entry's data into fd, within the byte cap. */
static int copy_data(struct unpack *u, struct archive *a, int fd, const char *q)
{
	char block[64 * 1024];
	for (;;) {
		la_ssize_t n = la->read_data(a, block, sizeof block);
		if (n == 0)
			return 0;
		if (n < 0) {
			fail(u, _("entry %s cannot be read: %s"), q, la->error_string(a));
			return -1;
		}
		if (n > u->max_bytes - u->bytes) {
			fail_too_big(u);
			return -1;
		}
		u->bytes += n;
		if (write_all(fd, block, (size_t)n) < 0) {
			fail(u, _("cannot write %s: %s"), q, strerror(errno));
			return -1;
		}
	}
}

/* Writes one regular file (replacing an earlier entry of the same name, as tar does). */
static int write_file(struct unpack *u, struct archive *a, int dir, const char *leaf, const char *q,
		      mode_t mode)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dir, leaf, flags, 0600);
	if (fd < 0 && errno == EEXIST && unlinkat(dir, leaf, 0) == 0)
		fd = openat(dir, leaf, flags, 0600);
	if (fd < 0) {
		fail(u, _("cannot create %s: %s"), q, strerror(errno));
		return -1;
	}
	int rc = copy_data(u, a, fd, q);
	if (rc == 0 && fchmod(fd, mode) < 0) {
		fail(u, _("cannot set the mode of %s: %s"), q, strerror(errno));
		rc = -1;
	}
	if (close(fd) < 0 && rc == 0) {
		fail(u, _("cannot write %s: %s"), q, strerror(errno));
		rc = -1;
	}
	return rc;
}

static int write_entry(struct unpack *u, struct archive *a, struct archive_entry *e, char *rel,
		       enum plan kind)
{
	const char *leaf;
	int dir = open_parent(u->dest_fd, rel, kind == PLAN_DIR, &leaf);
	char *q = quoted(rel);
	int rc = 0;
	if (dir < 0) {
		fail(u, _("cannot create the folder for %s: %s"), q, strerror(errno));
		rc = -1;
	} else if (kind == PLAN_FILE) {
		mode_t mode = la->entry_perm(e) & 0111 ? 0755 : 0644;
		rc = write_file(u, a, dir, leaf, q, mode);
	}
	if (dir >= 0)
		close(dir);
	free(q);
	return rc;
}

/* Adds the read support pipegrade uses, all built into libarchive (no external programs). */
static int support_formats(struct unpack *u, struct archive *a)
{
	if (la->read_support_format_zip(a) != ARCHIVE_OK ||
	    la->read_support_format_tar(a) != ARCHIVE_OK ||
	    la->read_support_filter_gzip(a) != ARCHIVE_OK ||
	    la->read_support_filter_bzip2(a) != ARCHIVE_OK ||
	    la->read_support_filter_xz(a) != ARCHIVE_OK) {
		fail(u, _("libarchive cannot read it: %s"), la->error_string(a));
		return -1;
	}
	return 0;
}

/* One pass over the archive open on `fd`, from its start. */
static int unpack_pass(struct unpack *u, int fd)
{
	if (lseek(fd, 0, SEEK_SET) < 0) {
		fail(u, _("cannot rewind it: %s"), strerror(errno));
		return -1;
	}
	u->entries = 0;
	u->bytes = 0;
	struct archive *a = la->read_new();
	int rc = support_formats(u, a);
	if (rc == 0 && la->read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
		fail(u, "%s", la->error_string(a));
		rc = -1;
	}
	while (rc == 0) {
		struct archive_entry *e;
		int r = la->read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			fail(u, "%s", la->error_string(a));
			rc = -1;
			break;
		}
		char *rel;
		enum plan kind = entry_plan(u, e, &rel);
		if (kind == PLAN_FAIL)
			rc = -1;
		else if (kind != PLAN_SKIP && u->writing)
			rc = write_entry(u, a, e, rel, kind);
		free(rel);
	}
	la->read_free(a);
	return rc;
}

/* The names in the folder open on dir_fd ("." and ".." left out). Returns 0 or -1. */
static int list_dir(int dir_fd, struct strvec *names)
{
	int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strvec_push(names, de->d_name);
	closedir(d);
	return 0;
}

/* Removes what a failed write pass left in dest (which was empty before). */
static void empty_dest(int dest_fd)
{
	struct strvec names = STRVEC_INIT;
	list_dir(dest_fd, &names);
	for (size_t i = 0; i < names.n; i++)
		remove_tree_at(dest_fd, names.v[i]);
	strvec_free(&names);
}

/* Checks that dest is an empty folder. */
static int check_dest(struct unpack *u, int fd, const char *dest)
{
	struct strvec names = STRVEC_INIT;
	if (fd < 0 || list_dir(fd, &names) < 0)
		fail(u, _("cannot open the folder to unpack into, %s: %s"), dest, strerror(errno));
	else if (names.n > 0)
		fail(u, _("the folder to unpack into, %s, is not empty"), dest);
	int rc = u->err->len > 0 ? -1 : 0;
	strvec_free(&names);
	return rc;
}

/* Opens the archive, a regular file (O_NONBLOCK: a FIFO must not hang the harness). */
static int open_archive(const char *path, struct buf *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char *name = path_basename(path);
	if (fd < 0 || fstat(fd, &st) < 0) {
		buf_printf(err, _("%s: cannot open it: %s"), name, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		buf_printf(err, _("%s: it is not a regular file"), name);
	} else {
		free(name);
		return fd;
	}
	free(name);
	if (fd >= 0)
		close(fd);
	return -1;
}

static int unpack_fds(int fd, const char *name, int dest_fd, const char *dest, long long max_bytes,
		      long max_entries, struct buf *err)
{
	if (!la && !(la = archive_lib(err)))
		return -1;
	struct buf errors = BUF_INIT;
	struct unpack u = { .name = name,
			    .max_bytes = max_bytes,
			    .max_entries = max_entries,
			    .err = &errors,
			    .notes = BUF_INIT };
	u.dest_fd = check_dest(&u, dest_fd, dest) < 0 ? -1 : dest_fd;
	/* Names are bytes: in the C locale libarchive cannot turn a zip's UTF-8 names into the
	 * locale's charset and drops them, in C.UTF-8 it copies them as they are (and copies the
	 * bytes of names without a charset as they are in either). uselocale() is this thread's;
	 * the other categories stay as they are (LC_MESSAGES: the messages' language, i18n.h). */
	locale_t base = duplocale(LC_GLOBAL_LOCALE);
	locale_t utf8 = base ? newlocale(LC_CTYPE_MASK, "C.UTF-8", base) : (locale_t)0;
	if (base && !utf8)
		freelocale(base);
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
	int rc = u.dest_fd < 0 ? -1 : unpack_pass(&u, fd);
	if (rc == 0) {
		u.writing = true;
		if (u.top && !u.many_tops && !u.top_is_file)
			u.strip = strlen(u.top) + 1;
		rc = unpack_pass(&u, fd);
		if (rc < 0)
			empty_dest(u.dest_fd);
	}
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	struct buf *out = rc == 0 ? &u.notes : &errors;
	if (out->len > 0)
		buf_append(err, out->data, out->len);
	buf_free(&u.notes);
	buf_free(&errors);
	free(u.top);
	return rc;
}

int archive_unpack(const char *path, const char *dest, long long max_bytes, long max_entries,
		   struct buf *err)
{
	int fd = open_archive(path, err);
	if (fd < 0)
		return -1;
	int dest_fd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *name = path_basename(path);
	int rc = unpack_fds(fd, name, dest_fd, dest, max_bytes, max_entries, err);
	if (dest_fd >= 0)
		close(dest_fd);
	close(fd);
	free(name);
	return rc;
}

/* ---- in a confined worker ---- */

/* The worker: confined (sandbox.h), it unpacks and writes its result, the message after it. */
static void __attribute__((noreturn))
worker(int fd, const char *name, int dest_fd, const char *dest, long long max_bytes,
       long max_entries, const struct sandbox_slot *slot, int report)
{
	struct buf msg = BUF_INIT;
	const char *what = "";
	int keep[] = { fd, dest_fd, report, 2 };
	int rc = sandbox_confine_worker(slot, max_bytes, keep, 4, &what);
	if (rc < 0)
		/* TRANSLATORS: the archive, then the step that failed: "set the user"... */
		buf_printf(&msg, _("%s: cannot confine the unpacking (%s): %s"), name,
			   *what ? _(what) : "", strerror(errno));
	else
		rc = unpack_fds(fd, name, dest_fd, dest, max_bytes, max_entries, &msg);
	(void)!write_all(report, &rc, sizeof rc);
	(void)!write_all(report, msg.data ? msg.data : "", msg.len);
	_exit(0);
}

int archive_unpack_confined(const char *path, const char *dest, long long max_bytes,
			    long max_entries, struct buf *err)
{
	int fd = open_archive(path, err);
	if (fd < 0)
		return -1;
	char *name = path_basename(path);
	int dest_fd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rep[2] = { -1, -1 };
	struct sandbox_slot slot = { -1, -1, 0 };
	int rc = -1;
	if (dest_fd < 0 || pipe2(rep, O_CLOEXEC) < 0 ||
	    (geteuid() == 0 &&
	     (sandbox_slot_acquire(&slot, err) < 0 || fchown(dest_fd, slot.uid, slot.uid) < 0))) {
		if (!err->len)
			buf_printf(err, _("%s: cannot prepare the folder to unpack into, %s: %s"),
				   name, dest, strerror(errno));
		goto out;
	}
	pid_t self = getpid();
	pid_t k = fork();
	if (k == 0) {
		die_with_parent(self);
		worker(fd, name, dest_fd, dest, max_bytes, max_entries, &slot, rep[1]);
	}
	close(rep[1]);
	rep[1] = -1;
	struct buf got = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	while ((n = read(rep[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			buf_append(&got, chunk, (size_t)n);
	int status = 0;
	while (k > 0 && waitpid(k, &status, 0) < 0 && errno == EINTR)
		;
	if (got.len >= sizeof rc) {
		memcpy(&rc, got.data, sizeof rc);
		if (got.len > sizeof rc)
			buf_append(err, got.data + sizeof rc, got.len - sizeof rc);
	} else {
		buf_printf(err, _("%s: the unpacking stopped: %s"), name,
			   k < 0                 ? strerror(errno)
			   : WIFSIGNALED(status) ? strsignal(WTERMSIG(status))
						 : _("no answer"));
		empty_dest(dest_fd);
	}
	buf_free(&got);
out:
	sandbox_slot_release(&slot);
	for (int i = 0; i < 2; i++)
		if (rep[i] >= 0)
			close(rep[i]);
	if (dest_fd >= 0)
		close(dest_fd);
	close(fd);
	free(name);
	return rc;
}
