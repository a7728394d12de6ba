/* sandbox_root.c: the allow-list root and each case's scratch tmpfs (see sandbox_root.h). */
#include "sandbox_root.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* struct mount_attr and its flags (linux/mount.h), for older headers */
struct pg_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};
#define PG_ATTR_RDONLY 0x00000001ULL
#define PG_ATTR_NOSUID 0x00000002ULL
#define PG_ATTR_NODEV 0x00000004ULL
#define PG_ATTR_NOEXEC 0x00000008ULL

/* The machine's directories a program may see, read-only. */
static const char *const system_dirs[] = {
	"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32",
};

static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t == '/' ? t : "/tmp";
}

#define NSYSTEM (sizeof system_dirs / sizeof system_dirs[0])

bool sandbox_root_exposes(const char *path)
{
	/* where each system directory really is, resolved once ("" when missing) */
	static char real[NSYSTEM][PATH_MAX];
	static bool resolved;
	for (size_t i = 0; !resolved && i < NSYSTEM; i++) {
		char dir[64];
		snprintf(dir, sizeof dir, "/%s", system_dirs[i]);
		if (!realpath(dir, real[i]))
			real[i][0] = '\0';
	}
	resolved = true;
	for (size_t i = 0; i < NSYSTEM; i++) {
		size_t n = strlen(real[i]);
		if (n && !strncmp(path, real[i], n) && (path[n] == '/' || path[n] == '\0'))
			return true;
	}
	return false;
}

/* ---- building the root (in a helper process, see sandbox_root_make) ---- */

struct failure {
	int err;
	char what[160];
};

static struct failure fail;

static int failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records what failed, with errno, for the parent; returns -1. */
static int failed(const char *fmt, ...)
{
	fail.err = errno;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fail.what, sizeof fail.what, fmt, ap);
	va_end(ap);
	return -1;
}

/* Read-only, nosuid, nodev for a mount and everything below it; where mount_setattr() is
 * missing (before Linux 5.12), the top mount only, keeping the flags the kernel locks. */
static int make_read_only(const char *path, bool recursive, unsigned long long extra)
{
	struct pg_mount_attr a = { PG_ATTR_RDONLY | PG_ATTR_NOSUID | extra, 0, 0, 0 };
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &a,
		    sizeof a) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	struct statvfs sv;
	if (statvfs(path, &sv) < 0)
		return -1;
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID;
	flags |= (extra & PG_ATTR_NODEV) || (sv.f_flag & ST_NODEV) ? MS_NODEV : 0;
	flags |= (extra & PG_ATTR_NOEXEC) || (sv.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0;
	return mount(NULL, path, NULL, flags, NULL);
}

static int bind_read_only(const char *from, const char *to, unsigned long long extra)
{
	if (mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0)
		return failed(_("bind %s"), from);
	if (make_read_only(to, true, extra) < 0)
		return failed(_("make %s read-only"), to);
	return 0;
}

static int put_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0) {
		failed(_("write %s"), path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A file of the machine's /etc, copied (a symlink stays a symlink); a missing one is skipped. */
static int copy_etc(const char *name)
{
	char from[128], to[128], link[PATH_MAX];
	snprintf(from, sizeof from, "/etc/%s", name);
	snprintf(to, sizeof to, "etc/%s", name);
	struct stat st;
	if (lstat(from, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(from, link, sizeof link - 1);
		if (n < 0)
			return 0;
		link[n] = '\0';
		return symlink(link, to) == 0 ? 0 : failed(_("link %s"), to);
	}
	if (S_ISDIR(st.st_mode))
		return mkdir(to, 0755) == 0 ? bind_read_only(from, to, PG_ATTR_NODEV)
					    : failed("mkdir %s", to);
	if (S_ISREG(st.st_mode) && file_copy(from, to, 0644) < 0)
		return failed(_("copy %s"), from);
	return 0;
}

static int make_etc(const struct sandbox_root_spec *spec)
{
	static const char *const copied[] = {
		"ld.so.cache",  "ld.so.conf", "ld.so.conf.d", "localtime",
		"alternatives", "services",   "protocols",
	};
	char passwd[512], group[256];
	snprintf(passwd, sizeof passwd,
		 "root:x:0:0:root:/root:/usr/sbin/nologin\n"
		 "%s:x:%u:%u:%s:%s:/bin/sh\n"
		 "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
		 SANDBOX_USER, (unsigned)spec->uid, (unsigned)spec->gid, SANDBOX_USER, SANDBOX_BOX);
	snprintf(group, sizeof group, "root:x:0:\n%s:x:%u:\nnogroup:x:65534:\n", SANDBOX_USER,
		 (unsigned)spec->gid);
	if (mkdir("etc", 0755) < 0 || put_text("etc/passwd", passwd) < 0 ||
	    put_text("etc/group", group) < 0 ||
	    put_text("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost\n") < 0 ||
	    put_text("etc/hostname", "pipegrade\n") < 0 ||
	    put_text("etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\n"
					  "hosts: files\nservices: files\nprotocols: files\n") < 0)
		return fail.err ? -1 : failed("%s", "etc");
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
		if (copy_etc(copied[i]) < 0)
			return -1;
	return 0;
}

static int make_dev(void)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom" };
	static const char *const links[][2] = {
		{ "/proc/self/fd", "dev/fd" },
		{ "/proc/self/fd/0", "dev/stdin" },
		{ "/proc/self/fd/1", "dev/stdout" },
		{ "/proc/self/fd/2", "dev/stderr" },
	};
	if (mkdir("dev", 0755) < 0 || mkdir("dev/shm", 01777) < 0)
		return failed("%s", "mkdir dev");
	for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
		char from[64], to[64];
		snprintf(from, sizeof from, "/dev/%s", nodes[i]);
		snprintf(to, sizeof to, "dev/%s", nodes[i]);
		int fd = open(to, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return failed(_("create %s"), to);
		close(fd);
		if (mount(from, to, NULL, MS_BIND, NULL) < 0)
			return failed(_("bind %s"), from);
		struct pg_mount_attr a = { PG_ATTR_NOSUID | PG_ATTR_NOEXEC, 0, 0, 0 };
		syscall(SYS_mount_setattr, AT_FDCWD, to, 0, &a, sizeof a); /* a refinement only */
	}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (symlink(links[i][0], links[i][1]) < 0)
			return failed(_("link %s"), links[i][1]);
	return 0;
}

static int make_system_dirs(void)
{
	for (size_t i = 0; i < sizeof system_dirs / sizeof system_dirs[0]; i++) {
		char from[64], link[PATH_MAX];
		snprintf(from, sizeof from, "/%s", system_dirs[i]);
		struct stat st;
		if (lstat(from, &st) < 0)
			continue; /* lib32 and the like are optional */
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(from, link, sizeof link - 1);
			if (n < 0)
				return failed(_("read the link %s"), from);
			link[n] = '\0';
			if (symlink(link, system_dirs[i]) < 0)
				return failed(_("link %s"), system_dirs[i]);
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(system_dirs[i], 0755) < 0)
				return failed("mkdir %s", system_dirs[i]);
			if (bind_read_only(from, system_dirs[i], PG_ATTR_NODEV) < 0)
				return -1;
		}
	}
	return 0;
}

/* In the helper: the new root on a tmpfs at `at`, then pivoted into. */
static int build_root(const struct sandbox_root_spec *spec, const char *at)
{
	static const char *const empty[] = { "proc", "box", "tmp", "var", "var/tmp", "run" };
	if (unshare(CLONE_NEWNS) < 0)
		return failed("%s", _("unshare the mount namespace"));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return failed("%s", _("make the mounts private"));
	if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,nr_inodes=4096,mode=755") <
	    0)
		return failed(_("mount the root's tmpfs on %s"), at);
	if (chdir(at) < 0)
		return failed("chdir %s", at);
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
		if (mkdir(empty[i], 0755) < 0)
			return failed("mkdir %s", empty[i]);
	if (make_system_dirs() < 0 || make_etc(spec) < 0 || make_dev() < 0)
		return -1;
	if (spec->host_proc && mount("/proc", "proc", NULL, MS_BIND | MS_REC, NULL) < 0)
		return failed(_("bind %s"), "/proc");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return failed("%s", "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return failed("%s", _("detach the old root"));
	if (chdir("/") < 0 || make_read_only("/", false, PG_ATTR_NODEV) < 0)
		return failed("%s", _("make the root read-only"));
	return 0;
}

/* Where the helper mounts the new root while it builds it: any directory not copied into the
 * root will do, since the mount is the helper's alone (nothing is created, nothing left). */
static const char *staging_dir(void)
{
	static const char *const dirs[] = { "/tmp", "/var/tmp", "/mnt", "/run", "/srv" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		struct stat st;
		if (lstat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			return dirs[i];
	}
	return NULL;
}

int sandbox_root_make(const struct sandbox_root_spec *spec, struct buf *err)
{
	const char *at = staging_dir();
	int ready[2] = { -1, -1 }, ns = -1;
	if (!at || pipe2(ready, O_CLOEXEC) < 0) {
		buf_printf(err, _("cannot make the sandbox's root: %s"),
			   at ? strerror(errno)
			      : _("no /tmp, /var/tmp, /mnt, /run or /srv to build it on"));
		return -1;
	}
	pid_t self = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		die_with_parent(self);
		memset(&fail, 0, sizeof fail);
		(void)build_root(spec, at);
		(void)!write(ready[1], &fail, sizeof fail);
		pause(); /* until the parent has opened the namespace */
		_exit(0);
	}
	close(ready[1]);
	/* the helper's steps come translated; these, in English (N_()) until printed */
	struct failure got = { EIO, N_("start a helper") };
	if (pid < 0)
		got.err = errno;
	else if (read(ready[0], &got, sizeof got) != (ssize_t)sizeof got)
		got = (struct failure){ EIO, N_("build it (the helper died)") };
	if (pid > 0 && got.err == 0) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
		ns = open(path, O_RDONLY | O_CLOEXEC);
		if (ns < 0)
			got = (struct failure){ errno, N_("open its namespace") };
	}
	if (got.err)
		buf_printf(err, _("cannot make the sandbox's root (%s): %s"), _(got.what),
			   strerror(got.err));
	close(ready[0]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	return ns;
}

/* ---- the run's folder ---- */

/* Every scratch space of a process lives in a folder of its own,
 * $TMPDIR/pipegrade-run.NS-PID.XXXXXX (NS: the inode of the maker's PID namespace, PID: its
 * pid there), whose `lock` the process holds (flock) while it lives: a folder whose lock is free
 * belongs to a run that died (killed outright) and is removed by the next run. Its own goes at
 * exit. */
static char run_dir[4096];
static pid_t run_owner;
static int run_lock = -1;
static char *spare_case_dir; /* a case's mount point, unmounted and empty: the next case's */

static void remove_run_dir(void)
{
	if (run_owner == getpid() && run_dir[0])
		remove_tree(run_dir);
}

/* A folder whose `lock` is missing, made by a process that cannot be looked up (another PID
 * namespace) or that still exists (its pid reused?), is a run that died before making its lock
 * only when it is older than this: a live run makes its lock right after the folder. */
#define RUN_DIR_UNLOCKED_S 60

/* The inode of this process's PID namespace; 0 when unknown. */
static unsigned long pid_ns_inode(void)
{
	struct stat st;
	return stat("/proc/self/ns/pid", &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* Is the process that made run folder `name` ("pipegrade-run.NS-PID.XXXXXX") known to be
 * gone: made in this PID namespace by a pid that no longer exists, or is a zombie? */
static bool maker_gone(const char *name)
{
	unsigned long ns;
	int pid, end = 0;
	if (sscanf(name, "pipegrade-run.%lu-%d.%n", &ns, &pid, &end) != 2 || end == 0 || pid <= 0 ||
	    ns == 0 || ns != pid_ns_inode())
		return false;
	if (kill(pid, 0) < 0)
		return errno == ESRCH;
	char path[48], buf[256];
	snprintf(path, sizeof path, "/proc/%d/stat", pid); /* a zombie is gone too */
	FILE *f = fopen(path, "re");
	bool zombie = false;
	if (f) {
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		const char *paren = strrchr(buf, ')');
		zombie = paren && paren[1] == ' ' && paren[2] == 'Z';
		fclose(f);
	}
	return zombie;
}

/* Removes the folders of runs that are gone (ours only: the same user, and a free lock, or no
 * lock and a maker that is gone or no lock for long). A run's lock appears already locked (made
 * under another name, then renamed), so no lock can be taken for free while its run is
 * starting; until it appears, the maker's pid in the folder's name says whether it lives. */
static void remove_dead_runs(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "pipegrade-run.", 14))
			continue;
		char *dir = xasprintf("%s/%s", tmp, e->d_name), *lock = xasprintf("%s/lock", dir);
		struct stat st;
		bool ours = lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid();
		int fd = ours ? open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (fd >= 0 ? flock(fd, LOCK_EX | LOCK_NB) == 0
			    : ours && errno == ENOENT &&
				      (maker_gone(e->d_name) ||
				       time(NULL) - st.st_mtime > RUN_DIR_UNLOCKED_S))
			remove_tree(dir); /* its mounts went with its mount namespace */
		if (fd >= 0)
			close(fd);
		free(lock);
		free(dir);
	}
	if (d)
		closedir(d);
}

/* This process's run folder, made at the first call. NULL with a message. */
static const char *the_run_dir(struct buf *err)
{
	if (run_owner == getpid() && run_dir[0])
		return run_dir;
	if (run_lock >= 0)
		close(run_lock); /* a forked process makes its own */
	run_lock = -1;
	run_dir[0] = '\0';
	run_owner = getpid();
	free(spare_case_dir); /* a forked process's parent's */
	spare_case_dir = NULL;
	remove_dead_runs(tmp_dir());
	snprintf(run_dir, sizeof run_dir, "%s/pipegrade-run.%lu-%d.XXXXXX", tmp_dir(),
		 pid_ns_inode(), (int)getpid());
	char *lock = NULL, *fresh = NULL;
	if (!mkdtemp(run_dir) || chmod(run_dir, 0755) < 0 ||
	    (run_lock = open(fresh = xasprintf("%s/lock.new", run_dir),
			     O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    flock(run_lock, LOCK_EX) < 0 ||
	    rename(fresh, lock = xasprintf("%s/lock", run_dir)) < 0) {
		buf_printf(err, _("cannot create a working directory in %s: %s"), tmp_dir(),
			   strerror(errno));
		run_dir[0] = '\0';
		free(fresh);
		free(lock);
		return NULL;
	}
	free(fresh);
	free(lock);
	static bool registered;
	if (!registered)
		atexit(remove_run_dir);
	registered = true;
	return run_dir;
}

/* ---- a case's scratch space ---- */

static const char *const scratch_names[SCRATCH_N] = { "box", "tmp", "var-tmp", "shm", "run" };
static const char *const scratch_places[SCRATCH_N] = { SANDBOX_BOX, "/tmp", "/var/tmp", "/dev/shm",
						       "/run" };
static const mode_t scratch_modes[SCRATCH_N] = { 0755, 01777, 01777, 01777, 0755 };

int sandbox_scratch_make(struct sandbox_scratch *s, long long bytes, uid_t owner, gid_t group,
			 bool mount_it, struct buf *err)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < SCRATCH_N; i++)
		s->tree[i] = -1;
	const char *run = the_run_dir(err);
	if (!run)
		return -1;
	if (mount_it && spare_case_dir) { /* its own mount hides what the folder holds */
		s->dir = spare_case_dir;
		spare_case_dir = NULL;
	} else if (!mkdtemp(s->dir = xasprintf("%s/case.XXXXXX", run))) {
		buf_printf(err, _("cannot create a working directory in %s: %s"), run,
			   strerror(errno));
		free(s->dir);
		s->dir = NULL;
		return -1;
	}
	s->box = xasprintf("%s/box", s->dir);
	/* without a mount of our own the folder itself is the way in (mkdtemp made it 0700) */
	if (!mount_it && geteuid() == 0 && chown(s->dir, owner, group) < 0) {
		buf_printf(err, _("cannot give %s to the sandbox's user: %s"), s->dir,
			   strerror(errno));
		return -1;
	}
	if (mount_it) {
		char opts[96];
		long long inodes = bytes / 8192 < 1024 ? 1024 : bytes / 8192;
		snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%lld,mode=755", bytes, inodes);
		if (mount("tmpfs", s->dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
			buf_printf(err, _("cannot mount the case's tmpfs on %s: %s"), s->dir,
				   strerror(errno));
			return -1;
		}
		s->mounted = true;
	}
	for (int i = 0; i < SCRATCH_N; i++) {
		char *p = xasprintf("%s/%s", s->dir, scratch_names[i]);
		int rc = mkdir(p, scratch_modes[i]) < 0 || chmod(p, scratch_modes[i]) < 0 ? -1 : 0;
		if (rc == 0 && i == SCRATCH_BOX && geteuid() == 0 && chown(p, owner, group) < 0)
			rc = -1;
		if (rc == 0 && mount_it &&
		    (s->tree[i] = (int)syscall(SYS_open_tree, AT_FDCWD, p,
					       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0)
			rc = -1;
		if (rc < 0)
			buf_printf(err, _("cannot prepare %s: %s"), p, strerror(errno));
		free(p);
		if (rc < 0)
			return -1;
		if (!mount_it)
			break; /* without a mount namespace, only the box is used */
	}
	return 0;
}

bool sandbox_scratch_full(const struct sandbox_scratch *s)
{
	struct statvfs sv;
	return s->mounted && statvfs(s->dir, &sv) == 0 && sv.f_bavail == 0;
}

void sandbox_scratch_free(struct sandbox_scratch *s)
{
	for (int i = 0; i < SCRATCH_N; i++)
		if (s->tree[i] >= 0)
			close(s->tree[i]);
	if (s->mounted && umount2(s->dir, MNT_DETACH) == 0 && !spare_case_dir &&
	    run_owner == getpid()) {
		spare_case_dir = s->dir; /* kept for the next case: no mkdir and rmdir a case */
		s->dir = NULL;
	} else if (!s->mounted && s->dir) {
		remove_tree(s->dir);
	}
	if (s->dir)
		rmdir(s->dir);
	free(s->dir);
	free(s->box);
	memset(s, 0, sizeof *s);
	for (int i = 0; i < SCRATCH_N; i++)
		s->tree[i] = -1;
}

int sandbox_scratch_enter(const struct sandbox_scratch *s, char *const *hide, const char **what)
{
	for (int i = 0; i < SCRATCH_N; i++) {
		if (syscall(SYS_move_mount, s->tree[i], "", AT_FDCWD, scratch_places[i],
			    MOVE_MOUNT_F_EMPTY_PATH) < 0) {
			*what = scratch_places[i];
			return -1;
		}
	}
	for (size_t i = 0; hide && hide[i]; i++) {
		if (mount("tmpfs", hide[i], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
			  "size=4k,mode=755") < 0 &&
		    errno != ENOENT) {
			*what = hide[i];
			return -1;
		}
	}
	return 0;
}
