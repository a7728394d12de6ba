/* sandbox.c: uid, namespaces, mounts, cgroups and rlimits for each run (see sandbox.h). */
#include "sandbox.h"

#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define UID_BASE 64000
#define UID_SPAN 1000

static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t == '/' ? t : "/tmp";
}

uid_t sandbox_uid_of(pid_t pid)
{
	return (uid_t)(UID_BASE + pid % UID_SPAN);
}

/* ---- detection ---- */

/* A /proc of the program's own: a new instance that shows only the processes of its uid. */
static int mount_private_proc(void)
{
	return mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible");
}

/* In a throwaway child: can we make a PID namespace, fork its init (pid 1) and then a second
 * process in it (pid 2), as a run does? Everything it starts is reaped before it answers. */
static bool probe_pid_ns(void)
{
	pid_t q = fork();
	if (q < 0)
		return false;
	if (q == 0) {
		int hold[2];
		if (unshare(CLONE_NEWPID) < 0 || pipe(hold) < 0)
			_exit(1);
		pid_t init = fork(); /* lives until every write end of `hold` is gone */
		if (init == 0) {
			char c;
			close(hold[1]);
			_exit(read(hold[0], &c, 1) == 0 && getpid() == 1 ? 0 : 1);
		}
		pid_t second = init > 0 ? fork() : -1;
		if (second == 0)
			_exit(getpid() == 2 ? 0 : 1);
		close(hold[1]);
		int failed = init < 0 || second < 0, status;
		pid_t w;
		while ((w = wait(&status)) > 0 || (w < 0 && errno == EINTR))
			if (w > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
				failed = 1;
		_exit(failed);
	}
	int status;
	while (waitpid(q, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* In a throwaway child: can we make a mount namespace (1), and in it a private /proc (2)? */
static int probe_mounts(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0)
			_exit(0);
		/* private first, so that nothing mounted here shows outside */
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || mount_private_proc() < 0)
			_exit(1);
		_exit(2);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

/* The v1 hierarchy of `controller` we are in, if we may create groups there. */
static void find_cgroup(const char *controller, char *out, size_t size)
{
	out[0] = '\0';
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return;
	char line[512];
	size_t clen = strlen(controller);
	while (fgets(line, sizeof line, f)) {
		char *a = strchr(line, ':');
		char *b = a ? strchr(a + 1, ':') : NULL;
		if (!b || (size_t)(b - a - 1) != clen || strncmp(a + 1, controller, clen))
			continue;
		b[strcspn(b, "\n")] = '\0';
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%s", controller, b + 1);
		char procs[PATH_MAX + 16];
		snprintf(procs, sizeof procs, "%s/cgroup.procs", dir);
		if (access(dir, W_OK) == 0 && access(procs, F_OK) == 0 && strlen(dir) < size)
			snprintf(out, size, "%s", dir);
	}
	fclose(f);
}

/* An empty network namespace, kept alive by an fd: a throwaway child makes it, we open it. */
static int make_netns(void)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char ok = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		(void)!write(ready[1], &ok, 1);
		pause(); /* until the parent has opened the namespace */
		_exit(0);
	}
	close(ready[1]);
	int fd = -1;
	char ok = 'n';
	if (pid > 0 && read(ready[0], &ok, 1) == 1 && ok == 'y') {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	close(ready[0]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	return fd;
}

static struct sandbox_caps the_caps;
static char shared_pids[PATH_MAX], shared_mem[PATH_MAX];

static void remove_shared_cgroups(void)
{
	if (shared_pids[0])
		rmdir(shared_pids);
	if (shared_mem[0])
		rmdir(shared_mem);
}

const struct sandbox_caps *sandbox_caps(void)
{
	static bool done;
	struct sandbox_caps *c = &the_caps;
	if (done)
		return c;
	done = true;
	c->root = geteuid() == 0;
	c->uid_drop = c->root;
	c->uid = sandbox_uid_of(getpid());
	c->net_fd = c->own_pid_ns = -1;
	if (c->root) {
		int mounts = probe_mounts();
		c->mount_ns = mounts >= 1;
		c->proc_private = mounts >= 2;
		c->own_pid_ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		c->pid_ns = c->mount_ns && c->own_pid_ns >= 0 && probe_pid_ns();
		c->net_fd = make_netns();
		c->net_ns = c->mount_ns && c->net_fd >= 0;
		find_cgroup("pids", c->pids_cg, sizeof c->pids_cg);
		find_cgroup("memory", c->mem_cg, sizeof c->mem_cg);
	}
	return c;
}

void sandbox_describe(const struct sandbox_caps *caps, struct buf *in_force, struct buf *missing)
{
	if (caps->uid_drop)
		buf_printf(in_force, L("unprivileged uid %u, ", "uid sin privilegios %u, "),
			   (unsigned)caps->uid);
	if (caps->mount_ns)
		buf_puts(in_force, L("private mounts, ", "montajes privados, "));
	if (caps->pid_ns)
		buf_puts(in_force, L("PID namespace, ", "espacio de PID, "));
	if (caps->proc_private)
		buf_puts(in_force, L("private /proc, ", "/proc privado, "));
	if (caps->net_ns)
		buf_puts(in_force, L("no network, ", "sin red, "));
	if (caps->pids_cg[0])
		buf_puts(in_force, "cgroup pids, ");
	if (caps->mem_cg[0])
		buf_puts(in_force, L("cgroup memory, ", "cgroup memoria, "));
	buf_puts(in_force, "rlimits");
	if (!caps->root) {
		buf_puts(missing, L("not running as root: the program runs as your own user, sees your "
				    "files and the network, and the process and memory limits are per "
				    "process only",
				    "pipegrade no se ejecuta como root: el programa corre con tu propio "
				    "usuario, ve tus ficheros y la red, y los límites de procesos y "
				    "memoria son por proceso"));
		return;
	}
	if (!caps->mount_ns)
		buf_puts(missing, L("no mount namespace (files are not hidden); ",
				    "sin espacio de montajes (no se ocultan ficheros); "));
	if (caps->mount_ns && !caps->pid_ns)
		buf_puts(missing, L("no PID namespace; ", "sin espacio de PID; "));
	if (caps->mount_ns && !caps->proc_private)
		buf_puts(missing, L("no private /proc (the program sees other processes); ",
				    "sin /proc privado (el programa ve otros procesos); "));
	if (!caps->net_ns)
		buf_puts(missing, L("no network namespace; ", "sin espacio de red; "));
	if (!caps->pids_cg[0])
		buf_puts(missing, L("no cgroup v1 pids controller; ", "sin cgroup v1 pids; "));
	if (!caps->mem_cg[0])
		buf_puts(missing, L("no cgroup v1 memory controller (memory limited per process); ",
				    "sin cgroup v1 de memoria (memoria limitada por proceso); "));
	if (missing->len > 2)
		missing->len -= 2, missing->data[missing->len] = '\0';
}

bool sandbox_contains_hostile(const struct sandbox_caps *caps)
{
	return caps->uid_drop;
}

/* ---- preparing a run ---- */

static int write_text(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/* Removes the empty groups that pipegrade processes which are gone left behind (a process
 * killed outright has no chance to remove its own). */
static void remove_stale_cgroups(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "pipegrade-", 10))
			continue;
		pid_t pid = (pid_t)atoi(e->d_name + 10);
		if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) {
			char *dir = xasprintf("%s/%s", root, e->d_name);
			rmdir(dir); /* fails harmlessly while it still holds processes */
			free(dir);
		}
	}
	if (d)
		closedir(d);
}

/* This process's cgroup under `root` (made at first use, removed at exit), with `limit`
 * written to `limit_file`. Returns its path, or NULL. */
static const char *shared_cgroup(const char *root, char *dir, const char *limit_file,
				 long long limit, long long *written)
{
	if (!dir[0]) {
		remove_stale_cgroups(root);
		snprintf(dir, PATH_MAX, "%s/pipegrade-%d", root, (int)getpid());
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			dir[0] = '\0';
			return NULL;
		}
		static bool registered;
		if (!registered)
			atexit(remove_shared_cgroups);
		registered = true;
	}
	if (*written == limit)
		return dir; /* the groups are ours alone: what we wrote last is still there */
	char value[32];
	snprintf(value, sizeof value, "%lld", limit);
	if (write_text(dir, limit_file, value) < 0)
		return NULL;
	*written = limit;
	return dir;
}

static int copy_binary(const char *binary, const char *dir, struct buf *err)
{
	const char *base = strrchr(binary, '/');
	char *to = xasprintf("%s/%s", dir, base ? base + 1 : binary);
	int rc = link(binary, to) == 0 ? 0 : file_copy(binary, to, 0755);
	if (rc < 0)
		buf_printf(err, "cannot copy the program into %s: %s", dir, strerror(errno));
	free(to);
	return rc;
}

static bool unsafe_to_hide(const char *p)
{
	static const char *const system[] = { "/", "/usr", "/bin", "/sbin", "/lib", "/lib32",
					      "/lib64", "/libx32", "/etc", "/proc", "/dev", "/sys",
					      "/var", "/run", "/opt" };
	for (size_t i = 0; i < sizeof system / sizeof system[0]; i++) {
		size_t n = strlen(p);
		/* p is a system directory or one of its parents */
		if (!strcmp(p, system[i]) || (n > 1 && !strncmp(system[i], p, n) && system[i][n] == '/'))
			return true;
	}
	return false;
}

static int by_length(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la < lb ? -1 : la > lb;
}

static void add_hidden(struct sandbox *sb, const char *path)
{
	char real[PATH_MAX];
	if (!path || !realpath(path, real) || unsafe_to_hide(real))
		return;
	for (size_t i = 0; i < sb->hide.n; i++)
		if (!strcmp(sb->hide.v[i], real))
			return;
	strvec_push(&sb->hide, real);
}

static void plan_mounts(struct sandbox *sb, const char *const *hide)
{
	static const char *const scratch[] = { "/tmp", "/var/tmp", "/dev/shm" };
	for (size_t i = 0; hide && hide[i]; i++)
		add_hidden(sb, hide[i]);
	add_hidden(sb, tmp_dir());
	add_hidden(sb, "/root");
	add_hidden(sb, "/home");
	qsort(sb->hide.v, sb->hide.n, sizeof *sb->hide.v, by_length);
	for (size_t i = 0, k = 0; i < 3; i++) {
		struct stat st;
		bool is_tmp = false;
		for (size_t h = 0; h < sb->hide.n; h++)
			is_tmp = is_tmp || !strcmp(sb->hide.v[h], scratch[i]);
		if (!is_tmp && stat(scratch[i], &st) == 0 && S_ISDIR(st.st_mode))
			sb->scratch[k++] = xstrdup(scratch[i]);
	}
	char real[PATH_MAX];
	sb->inside = xasprintf("%s/pipegrade-case", realpath(tmp_dir(), real) ? real : "/tmp");
}

static long long read_value(const char *dir, const char *file, const char *key);

/* The v1 `tasks` file of a cgroup, for the child to join it by itself (sandbox_child_enter):
 * a thread that writes "0" there moves without the kernel's global lock on thread groups,
 * which costs an RCU grace period (5-15 ms) when the parent writes the pid to cgroup.procs. */
static int open_tasks(const char *cg)
{
	if (!cg)
		return -1;
	char *path = xasprintf("%s/tasks", cg);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	return fd;
}

/* The shared cgroups, with this run's limits, and their counters before it. */
static void prepare_cgroups(struct sandbox *sb, const struct limits *lim)
{
	static long long pids_written = -1, mem_written = -1; /* the limits in force */
	if (sb->caps->pids_cg[0])
		sb->pids_cg = shared_cgroup(sb->caps->pids_cg, shared_pids, "pids.max", lim->processes,
					    &pids_written);
	if (sb->caps->mem_cg[0]) {
		char value[32];
		snprintf(value, sizeof value, "%lld", lim->memory_bytes);
		bool same = shared_mem[0] && mem_written == lim->memory_bytes;
		/* memsw must stay >= the memory limit: raise it first, lower it after */
		if (shared_mem[0] && !same)
			write_text(shared_mem, "memory.memsw.limit_in_bytes", "-1");
		sb->mem_cg = shared_cgroup(sb->caps->mem_cg, shared_mem, "memory.limit_in_bytes",
					   lim->memory_bytes, &mem_written);
		if (sb->mem_cg) {
			if (!same)
				write_text(sb->mem_cg, "memory.memsw.limit_in_bytes", value); /* no swap */
			write_text(sb->mem_cg, "memory.max_usage_in_bytes", "0");
			sb->mem_fail_before = read_value(sb->mem_cg, "memory.failcnt", NULL);
			sb->oom_before = read_value(sb->mem_cg, "memory.oom_control", "oom_kill ");
		}
	}
	if (sb->pids_cg) {
		char *events = xasprintf("%s/pids.events", sb->pids_cg);
		sb->pids_events_fd = open(events, O_RDONLY | O_CLOEXEC);
		free(events);
		sb->pids_max_before = read_value(sb->pids_cg, "pids.events", "max ");
	}
	sb->pids_tasks_fd = open_tasks(sb->pids_cg);
	sb->mem_tasks_fd = open_tasks(sb->mem_cg);
}

int sandbox_prepare(struct sandbox *sb, const struct limits *lim, const char *binary,
		    const char *use_dir, const char *const *hide, struct buf *err)
{
	memset(sb, 0, sizeof *sb);
	sb->caps = sandbox_caps();
	sb->limits = *lim;
	sb->dir_fd = sb->pids_events_fd = sb->pids_tasks_fd = sb->mem_tasks_fd = -1;
	sb->memory_peak = -1;
	if (use_dir) {
		sb->dir = xstrdup(use_dir);
		sb->keep_dir = true;
	} else {
		sb->dir = xasprintf("%s/pipegrade-case.XXXXXX", tmp_dir());
		if (!mkdtemp(sb->dir)) {
			buf_printf(err, "cannot create a working directory in %s: %s", tmp_dir(),
				   strerror(errno));
			return -1;
		}
		if (binary && copy_binary(binary, sb->dir, err) < 0)
			return -1;
		if (sandbox_give(sb->caps, sb->dir) < 0) {
			buf_printf(err, "cannot give %s to the sandbox's user: %s", sb->dir, strerror(errno));
			return -1;
		}
	}
	sb->dir_fd = open(sb->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sb->dir_fd < 0) {
		buf_printf(err, "%s: %s", sb->dir, strerror(errno));
		return -1;
	}
	if (sb->caps->mount_ns)
		plan_mounts(sb, hide);
	else
		sb->inside = xstrdup(sb->dir);
	prepare_cgroups(sb, lim);
	return 0;
}

int sandbox_give(const struct sandbox_caps *caps, const char *path)
{
	if (!caps->uid_drop)
		return 0;
	if (lchown(path, caps->uid, caps->uid) < 0)
		return -1;
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = xasprintf("%s/%s", path, e->d_name);
		rc |= sandbox_give(caps, sub);
		free(sub);
	}
	closedir(d);
	return rc;
}

/* ---- in the child (async-signal-safe from here on) ---- */

static void set_limit(int resource, rlim_t value)
{
	struct rlimit r = { value, value };
	setrlimit(resource, &r);
}

/* mkdir -p, on a copy of the path (no allocation). */
static void make_path(const char *path)
{
	char p[PATH_MAX];
	size_t n = strlen(path);
	if (n >= sizeof p)
		return;
	memcpy(p, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		mkdir(p, 0755);
		p[i] = c;
	}
}

static int enter_mounts(const struct sandbox *sb)
{
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS) < 0 ||
	    (sb->caps->net_ns && setns(sb->caps->net_fd, CLONE_NEWNET) < 0) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	/* The bind source must be a path of this new namespace: hold the directory before it
	 * is covered. (close-on-exec: it goes at exec.) */
	int dir_fd = open(sb->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return -1;
	/* Scratch space first: a directory hidden below /tmp is then already gone. */
	for (size_t i = 0; i < 3 && sb->scratch[i]; i++)
		mount("tmpfs", sb->scratch[i], "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777");
	for (size_t i = 0; i < sb->hide.n; i++)
		mount("tmpfs", sb->hide.v[i], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		      "size=64k,mode=755"); /* fails harmlessly under an already covered parent */
	char from[64];
	int n = 0;
	/* "/proc/self/fd/N" without stdio: build the number by hand */
	const char prefix[] = "/proc/self/fd/";
	memcpy(from, prefix, sizeof prefix - 1);
	n = sizeof prefix - 1;
	char digits[12];
	int d = 0, v = dir_fd;
	do
		digits[d++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (d > 0)
		from[n++] = digits[--d];
	from[n] = '\0';
	make_path(sb->inside);
	return mount(from, sb->inside, NULL, MS_BIND | MS_REC, NULL);
}

/* The init of the program's PID namespace: holds no fd (no pipe end, so no EOF is held back),
 * lets the kernel reap every orphan it adopts (SIGCHLD ignored), and waits to be killed at the
 * end of the run, which ends the namespace and everything left in it. */
static void ns_init(void)
{
	/* pipegrade killed outright (SIGKILL, no chance to clean up): this init dies with it, and
	 * with the init every process of the namespace. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	syscall(SYS_close_range, 0U, ~0U, 0U);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* nothing of pipegrade's handlers */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;)
		pause();
}

pid_t sandbox_pid_ns_begin(const struct sandbox *sb)
{
	if (!sb->caps->pid_ns)
		return 0;
	if (unshare(CLONE_NEWPID) < 0)
		return -1;
	pid_t init = fork();
	if (init == 0)
		ns_init();
	if (init < 0)
		sandbox_pid_ns_end(sb);
	return init;
}

void sandbox_pid_ns_end(const struct sandbox *sb)
{
	if (sb->caps->pid_ns)
		setns(sb->caps->own_pid_ns, CLONE_NEWPID); /* our next children: ours again */
}

/* In the process that runs the program, in the namespace: its own /proc, the uid, the cwd. */
static int enter_last(const struct sandbox *sb)
{
	if (sb->caps->proc_private && mount_private_proc() < 0)
		return -1;
	if (sb->caps->uid_drop) {
		gid_t gid = (gid_t)sb->caps->uid;
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(sb->caps->uid, sb->caps->uid, sb->caps->uid) < 0)
			return -1;
	}
	return chdir(sb->inside);
}

/* Moves the calling (single-threaded) process into a cgroup through its tasks file. */
static int join_self(const char *cg, int tasks_fd)
{
	if (!cg)
		return 0;
	if (tasks_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	return write(tasks_fd, "0", 1) == 1 ? 0 : -1;
}

int sandbox_child_enter(const struct sandbox *sb)
{
	const struct limits *l = &sb->limits;
	/* First the cgroups, before anything of the program can run, let alone fork. */
	if (join_self(sb->pids_cg, sb->pids_tasks_fd) < 0 || join_self(sb->mem_cg, sb->mem_tasks_fd) < 0)
		return -1;
	set_limit(RLIMIT_NOFILE, (rlim_t)l->open_files);
	set_limit(RLIMIT_FSIZE, (rlim_t)l->file_bytes);
	if (!sb->mem_cg)
		set_limit(RLIMIT_AS, (rlim_t)l->memory_bytes);
	/* With a pids cgroup, it holds the limit (and counts when it is reached); RLIMIT_NPROC,
	 * per uid, stays a little above it as a second fence. */
	if (sb->caps->uid_drop)
		set_limit(RLIMIT_NPROC, (rlim_t)l->processes + (sb->pids_cg ? 8 : 0));
	if (sb->caps->mount_ns && enter_mounts(sb) < 0)
		return -1;
	return enter_last(sb);
}

/* ---- the parent ---- */

/* A number after `key` in a small cgroup file. */
static long long read_value(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX], text[512];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	const char *at = key ? strstr(text, key) : text;
	return at ? atoll(at + (key ? strlen(key) : 0)) : -1;
}

bool sandbox_poll(struct sandbox *sb)
{
	if (sb->pids_events_fd < 0)
		return false;
	char text[64];
	ssize_t n = pread(sb->pids_events_fd, text, sizeof text - 1, 0);
	if (n > 4) {
		text[n] = '\0';
		if (!strncmp(text, "max ", 4) && atoll(text + 4) > sb->pids_max_before)
			sb->hit_processes = true;
	}
	return sb->hit_processes;
}

void sandbox_collect(struct sandbox *sb)
{
	sandbox_poll(sb);
	if (sb->mem_cg) {
		sb->memory_peak = read_value(sb->mem_cg, "memory.max_usage_in_bytes", NULL);
		sb->hit_memory = read_value(sb->mem_cg, "memory.failcnt", NULL) > sb->mem_fail_before ||
				 read_value(sb->mem_cg, "memory.oom_control", "oom_kill ") > sb->oom_before;
	}
}

void sandbox_free(struct sandbox *sb)
{
	if (sb->dir_fd >= 0)
		close(sb->dir_fd);
	if (sb->pids_events_fd >= 0)
		close(sb->pids_events_fd);
	if (sb->pids_tasks_fd >= 0)
		close(sb->pids_tasks_fd);
	if (sb->mem_tasks_fd >= 0)
		close(sb->mem_tasks_fd);
	if (sb->dir && !sb->keep_dir)
		remove_tree(sb->dir);
	free(sb->dir);
	free(sb->inside);
	strvec_free(&sb->hide);
	for (int i = 0; i < 3; i++)
		free(sb->scratch[i]);
	memset(sb, 0, sizeof *sb);
	sb->dir_fd = sb->pids_events_fd = sb->pids_tasks_fd = sb->mem_tasks_fd = -1;
}
