/*
 * procfs.c: readers of /proc/PID for the monitor and the runner (see procfs.h).
 *
 * Every file is read with read(2) or readlink(2) into a buffer on the stack (no FILE streams,
 * no allocation except the caller's growing fd array and the DIR of /proc/PID/fd), and every
 * fd is closed before the call returns. procfs_pipe_fds() runs at every fork, exec and exit of
 * a student process, so it resolves names relative to one dirfd of /proc/PID: the kernel pins
 * that process, so a pid that is reused meanwhile cannot mix two processes' fds into one
 * answer.
 */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Writes "/proc/PID/name" into out (size >= 32 + strlen(name)). */
static void proc_path(char *out, pid_t pid, const char *name)
{
	char digits[16];
	int n = 0;
	unsigned long v = pid < 0 ? 0UL - (unsigned long)pid : (unsigned long)pid;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	memcpy(out, "/proc/", 6);
	out += 6;
	if (pid < 0)
		*out++ = '-';
	while (n > 0)
		*out++ = digits[--n];
	*out++ = '/';
	strcpy(out, name);
}

/* Writes "/proc/PID/name", or "/proc/PID/task/TID/name" when tid > 0, into out (size >= 64). */
static void item_path(char *out, pid_t pid, pid_t tid, const char *name)
{
	char rel[48];
	if (tid <= 0) {
		proc_path(out, pid, name);
		return;
	}
	snprintf(rel, sizeof rel, "task/%d/%s", (int)tid, name);
	proc_path(out, pid, rel);
}

/* close() that keeps errno, for error paths. */
static void close_keep_errno(int fd)
{
	int e = errno;
	close(fd);
	errno = e;
}

/* One read() retried on EINTR. */
static ssize_t read_retry(int fd, char *buf, size_t size)
{
	ssize_t n;
	do
		n = read(fd, buf, size);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Reads up to size - 1 bytes of a file (opened relative to dirfd) and NUL-terminates them.
 * Returns the length, or -1 with errno set. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	while (len < size - 1) {
		ssize_t n = read_retry(fd, buf + len, size - 1 - len);
		if (n < 0) {
			close_keep_errno(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Copies s (at most len bytes) into out, truncated to size - 1 bytes. */
static void copy_out(char *out, size_t size, const char *s, size_t len)
{
	if (size == 0)
		return;
	if (len > size - 1)
		len = size - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* ---- stat and status ---- */

/* Moves *p past the next space-separated field and returns where it starts (NULL at the end). */
static const char *next_field(const char **p)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (*s == '\0' || *s == '\n')
		return NULL;
	const char *start = s;
	while (*s && *s != ' ' && *s != '\n')
		s++;
	*p = s;
	return start;
}

/* Fills st from the fields after the command name (field 3 onwards, numbered as in proc(5)). */
static int parse_stat_fields(const char *p, struct proc_stat *st)
{
	for (int field = 3; field <= 22; field++) {
		const char *f = next_field(&p);
		if (!f)
			return -1;
		switch (field) {
		case 3:
			st->state = *f;
			break;
		case 4:
			st->ppid = (pid_t)strtol(f, NULL, 10);
			break;
		case 5:
			st->pgid = (pid_t)strtol(f, NULL, 10);
			break;
		case 6:
			st->sid = (pid_t)strtol(f, NULL, 10);
			break;
		case 14:
			st->utime = strtoull(f, NULL, 10);
			break;
		case 15:
			st->stime = strtoull(f, NULL, 10);
			break;
		case 20:
			st->threads = (int)strtol(f, NULL, 10);
			break;
		case 22:
			st->start_time = strtoull(f, NULL, 10);
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Reads /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold ") " itself, so the
 * name ends at the LAST ')'. */
static int read_stat(pid_t pid, pid_t tid, struct proc_stat *st)
{
	char path[64], buf[2048];
	item_path(path, pid, tid, "stat");
	if (read_small(AT_FDCWD, path, buf, sizeof buf) < 0)
		return -1;
	const char *lp = strchr(buf, '(');
	const char *rp = strrchr(buf, ')');
	if (!lp || !rp || rp < lp || parse_stat_fields(rp + 1, st) < 0) {
		errno = EPROTO;
		return -1;
	}
	copy_out(st->comm, sizeof st->comm, lp + 1, (size_t)(rp - lp - 1));
	return 0;
}

/* The number after `name` (which ends with ':') when `line` starts with it. */
static bool status_value(const char *line, const char *name, unsigned long long *value)
{
	size_t n = strlen(name);
	if (strncmp(line, name, n) != 0)
		return false;
	*value = strtoull(line + n, NULL, 10);
	return true;
}

/* NSpid's numbers ("12345\t2"): its pid in each PID namespace that sees it, the innermost
 * last. */
static void status_nspid(const char *s, struct proc_stat *st)
{
	char *end;
	for (unsigned long long v = strtoull(s, &end, 10); end != s; v = strtoull(s, &end, 10)) {
		st->ns_pid = (pid_t)v;
		st->ns_depth++;
		s = end;
	}
}

/* Takes what st needs from one line of /proc/PID/status. */
static void status_line(const char *line, struct proc_stat *st)
{
	unsigned long long v;
	if (status_value(line, "voluntary_ctxt_switches:", &v) ||
	    status_value(line, "nonvoluntary_ctxt_switches:", &v))
		st->ctxt_switches += v;
	else if (status_value(line, "Tgid:", &v))
		st->tgid = (pid_t)v;
	else if (status_value(line, "VmPeak:", &v))
		st->vm_peak_kib = (long long)v;
	else if (!strncmp(line, "NSpid:", 6))
		status_nspid(line + 6, st);
}

/* Reads the thread group, the context switches (summed) and VmPeak of /proc/PID/status. The
 * file grows with the number of CPUs (Cpus_allowed...), so it is scanned line by line through
 * a fixed buffer; a line longer than the buffer is skipped. */
static int read_status(pid_t pid, pid_t tid, struct proc_stat *st)
{
	char path[64], buf[4096];
	item_path(path, pid, tid, "status");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	bool skipping = false;
	ssize_t n;
	while ((n = read_retry(fd, buf + len, sizeof buf - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		char *line = buf, *nl;
		while ((nl = memchr(line, '\n', (size_t)(buf + len - line))) != NULL) {
			*nl = '\0';
			if (!skipping)
				status_line(line, st);
			skipping = false;
			line = nl + 1;
		}
		len -= (size_t)(line - buf);
		memmove(buf, line, len);
		if (len == sizeof buf - 1) {
			skipping = true;
			len = 0;
		}
	}
	if (n < 0) {
		close_keep_errno(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int procfs_stat(pid_t pid, struct proc_stat *st)
{
	memset(st, 0, sizeof *st);
	if (read_stat(pid, 0, st) < 0)
		return -1;
	return read_status(pid, 0, st);
}

int procfs_task_stat(pid_t pid, pid_t tid, struct proc_stat *st)
{
	memset(st, 0, sizeof *st);
	if (read_stat(pid, tid, st) < 0)
		return -1;
	return read_status(pid, tid, st);
}

static int parse_fd_name(const char *name);

int procfs_tasks(pid_t pid, pid_t *out, size_t max)
{
	char path[64];
	proc_path(path, pid, "task");
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < INT_MAX) {
		int tid = parse_fd_name(e->d_name);
		if (tid <= 0)
			continue;
		/* insertion sort: the first `max` in ascending order */
		size_t k = (size_t)n < max ? (size_t)n : max;
		while (k > 0 && out[k - 1] > (pid_t)tid) {
			if (k < max)
				out[k] = out[k - 1];
			k--;
		}
		if (k < max)
			out[k] = (pid_t)tid;
		n++;
	}
	closedir(d);
	return n;
}

bool procfs_is_live(pid_t pid)
{
	struct proc_stat st;
	memset(&st, 0, sizeof st);
	return read_stat(pid, 0, &st) == 0 && st.state != 'Z' && st.state != 'X';
}

/* ---- wchan and syscall ---- */

/* A zombie has no fds, no system call and no wait channel, and only root may read those
 * files of it (EACCES otherwise): after a failed read, true when that is why. */
static bool zombie_hidden(pid_t pid)
{
	struct proc_stat st;
	int e = errno;
	bool hidden = e == EACCES && procfs_stat(pid, &st) == 0 && st.state == 'Z';
	errno = e;
	return hidden;
}

int procfs_wchan(pid_t pid, char *out, size_t size)
{
	char path[48], buf[128];
	proc_path(path, pid, "wchan");
	ssize_t len = read_small(AT_FDCWD, path, buf, sizeof buf);
	if (len < 0 && zombie_hidden(pid))
		len = 0, buf[0] = '\0';
	if (len < 0)
		return -1;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	if (strcmp(buf, "0") == 0)
		len = 0;
	copy_out(out, size, buf, (size_t)len);
	return 0;
}

/* Parses "NR 0xARG1 ... 0xARG6 0xSP 0xPC" (NR -1: blocked, but not in a system call). */
static int parse_syscall(const char *buf, struct proc_syscall *sc)
{
	char *end;
	errno = 0;
	sc->nr = strtol(buf, &end, 10);
	if (end == buf || errno)
		return -1;
	if (sc->nr < 0) {
		sc->what = SC_UNKNOWN;
		sc->nr = -1;
		return 0;
	}
	for (int i = 0; i < 6; i++) {
		const char *p = end;
		sc->args[i] = strtoull(p, &end, 16);
		if (end == p || errno)
			return -1;
	}
	const char *p = end;
	sc->sp = strtoull(p, &end, 16);
	if (end != p && !errno) {
		p = end;
		sc->pc = strtoull(p, &end, 16);
	}
	if (end == p || errno)
		sc->sp = sc->pc = 0;
	sc->what = SC_BLOCKED;
	return 0;
}

static int read_syscall(pid_t pid, pid_t tid, struct proc_syscall *sc)
{
	char path[64], buf[256];
	memset(sc, 0, sizeof *sc);
	sc->what = SC_UNKNOWN;
	sc->nr = -1;
	item_path(path, pid, tid, "syscall");
	if (read_small(AT_FDCWD, path, buf, sizeof buf) < 0)
		return tid <= 0 && zombie_hidden(pid) ? 0 : -1;
	if (strncmp(buf, "running", 7) == 0) {
		sc->what = SC_RUNNING;
		return 0;
	}
	if (parse_syscall(buf, sc) < 0) {
		memset(sc, 0, sizeof *sc);
		sc->what = SC_UNKNOWN;
		sc->nr = -1;
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int procfs_syscall(pid_t pid, struct proc_syscall *sc)
{
	return read_syscall(pid, 0, sc);
}

int procfs_task_syscall(pid_t pid, pid_t tid, struct proc_syscall *sc)
{
	return read_syscall(pid, tid, sc);
}

/* ---- pipe fds ---- */

/* The fd number a /proc/PID/fd entry names, or -1 for "." and "..". */
static int parse_fd_name(const char *name)
{
	long v = 0;
	if (*name == '\0')
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*name - '0');
	}
	return v <= INT_MAX ? (int)v : -1;
}

/* The inode of a "pipe:[N]" link target, or 0 when the target is anything else. */
static unsigned long pipe_inode(const char *target, size_t len)
{
	static const char prefix[] = "pipe:[";
	if (len < sizeof prefix + 1 || memcmp(target, prefix, sizeof prefix - 1) != 0 ||
	    target[len - 1] != ']')
		return 0;
	unsigned long ino = 0;
	for (size_t i = sizeof prefix - 1; i < len - 1; i++) {
		if (target[i] < '0' || target[i] > '9')
			return 0;
		ino = ino * 10 + (unsigned long)(target[i] - '0');
	}
	return ino;
}

/* Where the "flags:" line of fdinfo text starts, if it is there whole; else NULL. */
static const char *flags_line(const char *buf)
{
	const char *f = strncmp(buf, "flags:", 6) == 0 ? buf : strstr(buf, "\nflags:");
	if (f && *f == '\n')
		f++;
	return f && strchr(f, '\n') ? f : NULL;
}

/* The octal "flags:" of an fdinfo file. Stops reading as soon as that line is in: fdinfo comes
 * whole in the first read, and this runs for every pipe fd. Returns 0, or -1 with errno set
 * (ENOENT: the fd was closed meanwhile). */
static int fdinfo_flags(int infodir, const char *name, unsigned long *flags)
{
	char buf[256];
	int fd = openat(infodir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	const char *f = NULL;
	buf[0] = '\0';
	while (!f && len < sizeof buf - 1) {
		ssize_t n = read_retry(fd, buf + len, sizeof buf - 1 - len);
		if (n < 0) {
			close_keep_errno(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		f = flags_line(buf);
	}
	close(fd);
	if (!f) {
		errno = EPROTO;
		return -1;
	}
	*flags = strtoul(f + 6, NULL, 8);
	return 0;
}

static enum pipe_end end_from_flags(unsigned long flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return END_READ;
	case O_WRONLY:
		return END_WRITE;
	default:
		return END_BOTH;
	}
}

/* Adds one pipe fd, keeping v sorted by fd (the kernel lists fds in order, so this is cheap). */
static void fds_insert(struct proc_fds *out, const struct proc_fd *pf)
{
	ALLOC_GROW(out->v, out->n + 1, out->cap);
	size_t i = out->n++;
	while (i > 0 && out->v[i - 1].fd > pf->fd) {
		out->v[i] = out->v[i - 1];
		i--;
	}
	out->v[i] = *pf;
}

/* What a non-pipe fd's link target names (`len` bytes of `target`), and its name as
 * struct proc_file keeps it. `fddir` and `name` locate the fd for fstatat(). Returns 0, or -1
 * when the fd was closed meanwhile. */
static int classify_file(int fddir, const char *name, char *target, size_t len,
			 struct proc_file *pf)
{
	static const char socket_prefix[] = "socket:[", deleted[] = " (deleted)";
	const char *shown = target;
	pf->kind = PFK_OTHER;
	if (len >= sizeof socket_prefix - 1 &&
	    !memcmp(target, socket_prefix, sizeof socket_prefix - 1)) {
		pf->kind = PFK_SOCKET;
		pf->ino = strtoul(target + sizeof socket_prefix - 1, NULL, 10);
		shown = "";
	} else if (target[0] == '/') {
		size_t dl = sizeof deleted - 1;
		if (len > dl && !memcmp(target + len - dl, deleted, dl))
			target[len -= dl] = '\0';
		struct stat st;
		if (fstatat(fddir, name, &st, 0) < 0) {
			if (errno == ENOENT)
				return -1;
		} else if (S_ISREG(st.st_mode)) {
			pf->kind = PFK_FILE;
		} else if (S_ISFIFO(st.st_mode)) {
			pf->kind = PFK_FIFO;
		} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
			pf->kind = PFK_DEVICE;
		} else if (S_ISDIR(st.st_mode)) {
			pf->kind = PFK_DIR;
		}
		if (pf->kind != PFK_OTHER) { /* stat'd */
			pf->ino = st.st_ino;
			pf->dev = st.st_dev;
		}
		const char *base = strrchr(target, '/');
		if (pf->kind != PFK_DEVICE && base && base[1])
			shown = base + 1;
	}
	copy_out(pf->name, sizeof pf->name, shown, strlen(shown));
	return 0;
}

/* Adds one non-pipe fd, keeping v sorted by fd. */
static void files_insert(struct proc_files *out, const struct proc_file *pf)
{
	ALLOC_GROW(out->v, out->n + 1, out->cap);
	size_t i = out->n++;
	while (i > 0 && out->v[i - 1].fd > pf->fd) {
		out->v[i] = out->v[i - 1];
		i--;
	}
	out->v[i] = *pf;
}

/* The access mode and close-on-exec flag of an fd, from its fdinfo (*infodir is
 * /proc/PID/fdinfo, opened on the first call). Returns 0, or -1 with errno set. */
static int fd_flags(int procfd, int *infodir, const char *name, unsigned long *flags)
{
	if (*infodir < 0) {
		*infodir = openat(procfd, "fdinfo", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (*infodir < 0)
			return -1;
	}
	return fdinfo_flags(*infodir, name, flags);
}

/* Looks at one entry of /proc/PID/fd: adds it to out if it is a pipe, or to `files` (when
 * not NULL) if it is anything else above 2. Without `out` (procfs_ipc_fds()), only sockets and
 * named FIFOs go to `files`, at any fd. An fd closed meanwhile (ENOENT) is skipped. Returns 0
 * or -1. */
static int scan_fd(int procfd, int fddir, int *infodir, const char *name, int fd,
		   struct proc_fds *out, struct proc_files *files)
{
	char target[PATH_MAX];
	ssize_t len = readlinkat(fddir, name, target, sizeof target - 1);
	if (len < 0)
		return errno == ENOENT ? 0 : -1;
	target[len] = '\0';
	struct proc_fd pf = { .fd = fd, .inode = pipe_inode(target, (size_t)len) };
	if (pf.inode == 0 && (!files || (fd <= 2 && out)))
		return 0;
	if (pf.inode && !out)
		return 0; /* a pipe, not asked for */
	unsigned long flags;
	if (pf.inode == 0) {
		struct proc_file f = { .fd = fd };
		if (classify_file(fddir, name, target, (size_t)len, &f) < 0)
			return 0;
		if (!out && f.kind != PFK_SOCKET && f.kind != PFK_FIFO)
			return 0;
		if (fd_flags(procfd, infodir, name, &flags) < 0)
			return errno == ENOENT ? 0 : -1;
		f.mode = end_from_flags(flags);
		files_insert(files, &f);
		return 0;
	}
	if (fd_flags(procfd, infodir, name, &flags) < 0)
		return errno == ENOENT ? 0 : -1;
	pf.end = end_from_flags(flags);
	pf.cloexec = (flags & O_CLOEXEC) != 0;
	fds_insert(out, &pf);
	return 0;
}

/* Lists /proc/PID/fd (through the dirfd procfd) into out (and files; without out, only the
 * sockets and FIFOs into files). Returns 0 or -1. */
static int scan_fd_dir(int procfd, struct proc_fds *out, struct proc_files *files)
{
	int fddir = openat(procfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fddir < 0)
		return -1;
	DIR *d = fdopendir(fddir);
	if (!d) {
		close_keep_errno(fddir);
		return -1;
	}
	int infodir = -1, rc = 0;
	struct dirent *e;
	errno = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		int fd = parse_fd_name(e->d_name);
		if (fd < 0)
			continue;
		if (out)
			out->total++;
		rc = scan_fd(procfd, fddir, &infodir, e->d_name, fd, out, files);
		errno = 0;
	}
	if (rc == 0 && errno != 0)
		rc = -1;
	int e2 = errno;
	if (infodir >= 0)
		close(infodir);
	closedir(d);
	errno = e2;
	return rc;
}

int procfs_fds(pid_t pid, struct proc_fds *out, struct proc_files *files)
{
	char path[48];
	out->n = 0;
	out->total = 0;
	if (files)
		files->n = 0;
	proc_path(path, pid, "");
	int procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -1;
	int rc = scan_fd_dir(procfd, out, files);
	close_keep_errno(procfd);
	if (rc < 0) {
		out->n = 0;
		out->total = 0;
		if (files)
			files->n = 0;
	}
	return rc < 0 && zombie_hidden(pid) ? 0 : rc;
}

int procfs_ipc_fds(pid_t pid, struct proc_files *files)
{
	char path[48];
	files->n = 0;
	proc_path(path, pid, "");
	int procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -1;
	int rc = scan_fd_dir(procfd, NULL, files);
	close_keep_errno(procfd);
	if (rc < 0)
		files->n = 0;
	return rc < 0 && zombie_hidden(pid) ? 0 : rc;
}

int procfs_pipe_fds(pid_t pid, struct proc_fds *out)
{
	return procfs_fds(pid, out, NULL);
}

void proc_files_free(struct proc_files *files)
{
	free(files->v);
	files->v = NULL;
	files->n = 0;
	files->cap = 0;
}

const struct proc_fd *proc_fds_find(const struct proc_fds *fds, int fd)
{
	size_t lo = 0, hi = fds->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fds->v[mid].fd == fd)
			return &fds->v[mid];
		if (fds->v[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void proc_fds_free(struct proc_fds *fds)
{
	free(fds->v);
	fds->v = NULL;
	fds->n = 0;
	fds->cap = 0;
	fds->total = 0;
}

/* ---- exe ---- */

int procfs_exe_name(pid_t pid, char *out, size_t size)
{
	static const char deleted[] = " (deleted)";
	char path[48], target[PATH_MAX];
	proc_path(path, pid, "exe");
	ssize_t len = readlink(path, target, sizeof target - 1);
	if (len < 0)
		return -1;
	target[len] = '\0';
	size_t dl = sizeof deleted - 1;
	if ((size_t)len > dl && strcmp(target + len - dl, deleted) == 0)
		target[len -= (ssize_t)dl] = '\0';
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	copy_out(out, size, base, strlen(base));
	return 0;
}

bool procfs_signal_caught(pid_t pid, int sig)
{
	char path[48], line[128];
	proc_path(path, pid, "status");
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	unsigned long long mask = 0;
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = sscanf(line, "SigCgt: %llx", &mask) == 1;
	fclose(f);
	return found && sig >= 1 && sig <= 64 && (mask >> (sig - 1) & 1);
}

/* ---- one fd ---- */

/* Reads the link /proc/PID/fd/FD into out (size >= 1), NUL-terminated and truncated to size - 1
 * bytes. Returns its length, or -1 with errno set and `out` empty. */
static ssize_t fd_link(pid_t pid, int fd, char *out, size_t size)
{
	char name[24], path[64];
	out[0] = '\0';
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	snprintf(name, sizeof name, "fd/%d", fd);
	proc_path(path, pid, name);
	ssize_t n = readlink(path, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	return n;
}

bool procfs_fd_is_pipe(pid_t pid, int fd)
{
	char target[64];
	ssize_t n = fd_link(pid, fd, target, sizeof target);
	return n > 0 && pipe_inode(target, (size_t)n) != 0;
}

int procfs_fd_target(pid_t pid, int fd, char *out, size_t size)
{
	return fd_link(pid, fd, out, size) < 0 ? -1 : 0;
}
