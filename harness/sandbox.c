/* sandbox.c: the grader's protections and each run's preparation (see sandbox.h); what runs in
 * the forked processes is in sandbox_child.c. */
#include "sandbox.h"

#include "i18n.h"
#include "sockdiag.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sandbox_caps the_caps;
static bool made;

/* ---- setting up the grader ---- */

static int write_proc_self(const char *file, const char *text)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/%s", file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/* Without root: a user namespace of our own, our uid and gid mapped to themselves, and a
 * mount namespace in it. */
static bool enter_userns(struct sandbox_caps *c)
{
	uid_t u = geteuid();
	gid_t g = getegid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		snprintf(c->userns_why, sizeof c->userns_why,
			 _("the kernel refused a user namespace (%s)"), strerror(errno));
		return false;
	}
	char map[64];
	snprintf(map, sizeof map, "%u %u 1", (unsigned)u, (unsigned)u);
	int rc = write_proc_self("setgroups", "deny") < 0 ? -1 : write_proc_self("uid_map", map);
	snprintf(map, sizeof map, "%u %u 1", (unsigned)g, (unsigned)g);
	if (rc == 0)
		rc = write_proc_self("gid_map", map);
	if (rc < 0)
		snprintf(c->broken, sizeof c->broken,
			 _("cannot map your user in pipegrade's user namespace: %s"),
			 strerror(errno));
	return rc == 0;
}

/* Is `uid` mapped in our user namespace (a root in a container may have only a few)? */
static bool uid_mapped(uid_t uid)
{
	struct buf b = BUF_INIT;
	bool found = false;
	if (read_file("/proc/self/uid_map", &b) == 0) {
		for (char *l = strtok(b.data, "\n"); l && !found; l = strtok(NULL, "\n")) {
			unsigned long inside, outside, count;
			if (sscanf(l, "%lu %lu %lu", &inside, &outside, &count) == 3)
				found = uid >= inside && uid - inside < count;
		}
	}
	buf_free(&b);
	return found;
}

/* RLIMIT_NPROC is counted per user namespace since Linux 5.14. */
static bool kernel_counts_per_userns(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	return uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	       (major > 5 || (major == 5 && minor >= 14));
}

/* An empty network namespace, kept alive by an fd: a throwaway child makes it, we open it. The
 * child also makes the monitor's diag socket in there (sock_diag only sees the sockets of its
 * own namespace) and sends it back; sockdiag.h keeps it. */
static int make_netns(void)
{
	int ready[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ready) < 0)
		return -1;
	pid_t self = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		die_with_parent(self);
		char ok = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		(void)sockdiag_send_fd(ready[1], ok, ok == 'y' ? sockdiag_socket() : -1);
		pause(); /* until the parent has opened the namespace */
		_exit(0);
	}
	close(ready[1]);
	int fd = -1, diag = -1;
	char ok = 'n';
	if (pid > 0 && sockdiag_recv_fd(ready[0], &ok, &diag) == 0 && ok == 'y') {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	sockdiag_adopt(diag, fd);
	close(ready[0]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	return fd;
}

/* In a throwaway launcher: a PID namespace (1) and in it, in a copy of the root, a /proc of
 * its own (2), as a case will have them. */
static int probe_pid_ns(const struct sandbox_caps *c)
{
	pid_t self = getpid();
	pid_t q = fork();
	if (q < 0)
		return 0;
	if (q == 0) {
		die_with_parent(self);
		if (unshare(CLONE_NEWPID) < 0)
			_exit(0);
		pid_t k = fork();
		if (k == 0) {
			bool proc = c->root_fd >= 0 && setns(c->root_fd, CLONE_NEWNS) == 0 &&
				    unshare(CLONE_NEWNS) == 0 &&
				    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
					  "hidepid=invisible") == 0;
			_exit(getpid() != 1 ? 0 : proc ? 2 : 1);
		}
		int status = 0;
		while (k > 0 && waitpid(k, &status, 0) < 0 && errno == EINTR)
			;
		_exit(k > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 0);
	}
	int status;
	while (waitpid(q, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

static void at_exit(void)
{
	if (made && the_caps.owner == getpid())
		sandbox_cgroups_remove(&the_caps.cg);
}

/* A process forked from a grader does not use its parent's slot, namespaces or pipe. */
static void forget_inherited(struct sandbox_caps *c)
{
	sandbox_slot_release(&c->slot); /* our copy of the fd: the parent keeps its lock */
	int *fds[] = { &c->root_fd, &c->net_fd, &c->life_fd[0], &c->life_fd[1], &c->own_pid_ns };
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
}

static void set_up_root(struct sandbox_caps *c)
{
	struct buf err = BUF_INIT;
	if (sandbox_slot_acquire(&c->slot, &err) < 0) {
		snprintf(c->broken, sizeof c->broken, "%s", err.data);
		buf_free(&err);
		return;
	}
	c->uid_drop = true;
	c->uid = c->slot.uid;
	c->gid = (gid_t)c->slot.uid;
	c->nproc_own = true;
	c->nproc_others = 0; /* the slot's uid runs nothing but the case */
	c->mount_ns = unshare(CLONE_NEWNS) == 0;
	c->own_pid_ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
}

static void set_up_namespaces(struct sandbox_caps *c)
{
	c->mount_ns = c->mount_ns && mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) == 0;
	if (!c->mount_ns)
		return;
	struct buf err = BUF_INIT;
	struct sandbox_root_spec spec = { c->uid, c->gid, !c->root };
	c->root_fd = sandbox_root_make(&spec, &err);
	c->fs_root = c->root_fd >= 0;
	if (!c->fs_root)
		snprintf(c->root_why, sizeof c->root_why, "%s", err.data ? err.data : "?");
	buf_free(&err);
	int pid = probe_pid_ns(c);
	c->pid_ns = pid >= 1;
	c->proc_private = pid >= 2;
	c->net_fd = make_netns();
	c->net_ns = c->net_fd >= 0;
}

const struct sandbox_caps *sandbox_caps(void)
{
	struct sandbox_caps *c = &the_caps;
	if (made && c->owner == getpid())
		return c;
	if (made)
		forget_inherited(c);
	memset(c, 0, sizeof *c);
	made = true;
	c->owner = getpid();
	c->slot.n = c->slot.lock_fd = -1;
	c->root_fd = c->net_fd = c->life_fd[0] = c->life_fd[1] = c->own_pid_ns = -1;
	c->uid = geteuid();
	c->gid = getegid();
	c->filter = sandbox_filter_supported() && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
	c->root = geteuid() == 0 && uid_mapped(sandbox_slot_uid_base()) &&
		  uid_mapped(sandbox_slot_uid_base() + SANDBOX_SLOTS - 1);
	if (c->root) {
		set_up_root(c);
	} else if ((c->userns = enter_userns(c))) {
		c->mount_ns = true;
		c->nproc_own = kernel_counts_per_userns();
	}
	if (c->broken[0])
		return c;
	set_up_namespaces(c);
	/* pipegrade itself, and the namespace's init, count in the user namespace */
	if (c->userns)
		c->nproc_others = 1 + (c->pid_ns ? 1 : 0);
	sandbox_cgroups_init(&c->cg, c->root ? c->slot.n : -1);
	if (pipe2(c->life_fd, O_CLOEXEC) < 0)
		snprintf(c->broken, sizeof c->broken, _("cannot create a pipe: %s"),
			 strerror(errno));
	static bool registered;
	if (!registered)
		atexit(at_exit);
	registered = true;
	return c;
}

/* ---- what is in force ---- */

void sandbox_describe(const struct sandbox_caps *caps, struct buf *in_force, struct buf *missing)
{
	if (caps->uid_drop)
		buf_printf(in_force, _("unprivileged uid %u, "), (unsigned)caps->uid);
	if (caps->userns)
		buf_puts(in_force, _("user namespace, "));
	if (caps->fs_root)
		buf_puts(in_force, _("allow-list root, disk quota, "));
	if (caps->pid_ns)
		buf_puts(in_force, _("PID namespace, "));
	if (caps->proc_private)
		buf_puts(in_force, _("private /proc, "));
	if (caps->net_ns)
		buf_puts(in_force, _("no network, "));
	if (caps->cg.pids[0])
		buf_printf(in_force, _("cgroup%s pids, "), caps->cg.pids_v2 ? " v2" : "");
	if (caps->cg.mem[0])
		buf_printf(in_force, _("cgroup%s memory, "), caps->cg.mem_v2 ? " v2" : "");
	if (caps->filter)
		buf_puts(in_force, _("system call filter, "));
	buf_puts(in_force, _("new session, rlimits"));
	if (caps->broken[0])
		buf_printf(missing, "%s; ", caps->broken);
	if (!caps->root && !caps->userns)
		buf_printf(missing,
			   _("no user namespace: %s, so the program runs as your own user, "
			     "sees your files and the network; "),
			   caps->userns_why);
	if ((caps->root || caps->userns) && !caps->fs_root)
		buf_printf(missing,
			   _("no allow-list root (%s): the program sees the machine's files; "),
			   caps->root_why[0] ? caps->root_why : _("no mount namespace"));
	if ((caps->root || caps->userns) && !caps->pid_ns)
		buf_puts(missing, _("no PID namespace; "));
	if (caps->fs_root && !caps->proc_private)
		buf_puts(missing, _("no private /proc; "));
	if ((caps->root || caps->userns) && !caps->net_ns)
		buf_puts(missing, _("no network namespace; "));
	if (!caps->cg.pids[0] && !caps->nproc_own)
		buf_puts(missing,
			 _("no process limit of the case's own (your other processes count "
			   "against it); "));
	if (!caps->cg.mem[0])
		buf_printf(missing,
			   _("no memory cgroup%s%s (memory limited per process, by address "
			     "space); "),
			   caps->cg.why_not[0] ? ": " : "", caps->cg.why_not);
	if (caps->cg.swap_unlimited)
		buf_puts(missing, _("swap is not counted in the memory limit; "));
	if (!caps->filter)
		buf_puts(missing, _("no system call filter on this architecture; "));
	if (!caps->pid_ns && caps->filter && !caps->uid_drop)
		buf_puts(missing, _("signals to other processes are only refused while the monitor "
				    "watches; "));
	if (missing->len > 2)
		missing->len -= 2, missing->data[missing->len] = '\0';
}

bool sandbox_contains(const struct sandbox_caps *caps, enum sandbox_threat threat)
{
	if (caps->broken[0])
		return false;
	switch (threat) {
	case THREAT_FORK_BOMB:
		return caps->cg.pids[0] || caps->nproc_own;
	case THREAT_KILL_ALL:
		return caps->uid_drop || caps->pid_ns;
	case THREAT_MEMORY:
		return caps->root || caps->userns;
	}
	return false;
}

/* ---- preparing a run ---- */

static int copy_binary(const char *binary, const char *name, const char *dir, struct buf *err)
{
	char *to = xasprintf("%s/%s", dir, name);
	int rc = file_copy(binary, to, 0755);
	if (rc < 0)
		buf_printf(err, _("cannot copy the program into %s: %s"), dir, strerror(errno));
	free(to);
	return rc;
}

/* The paths to cover: those of `hide` a case could see through an allow-listed directory. */
static void plan_hiding(struct sandbox *sb, const char *const *hide)
{
	for (size_t i = 0; hide && hide[i]; i++) {
		char real[PATH_MAX];
		if (!realpath(hide[i], real) || !sandbox_root_exposes(real))
			continue;
		bool dup = false;
		for (size_t k = 0; k < sb->hide.n; k++)
			dup = dup || !strcmp(sb->hide.v[k], real);
		if (!dup)
			strvec_push(&sb->hide, real);
	}
}

/* Processes of uid `uid` we can see: without a count of the case's own, RLIMIT_NPROC must
 * leave room for them. */
static int count_processes_of(uid_t uid)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		char path[300];
		struct stat st;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s", e->d_name);
		n += stat(path, &st) == 0 && st.st_uid == uid;
	}
	if (d)
		closedir(d);
	return n;
}

/* pipegrade and its ancestors (up to `max`), which a program without a PID namespace of its
 * own must not signal, monitored or not. */
static void ancestors(pid_t *out, int max)
{
	pid_t pid = getpid();
	for (int i = 0; i < max && pid > 1; i++) {
		out[i] = pid;
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
		struct buf b = BUF_INIT;
		const char *rp = read_file(path, &b) == 0 ? strrchr(b.data, ')') : NULL;
		int ppid = 0;
		pid = rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 ? (pid_t)ppid : 0;
		buf_free(&b);
	}
}

int sandbox_prepare(struct sandbox *sb, const struct limits *lim, const char *binary,
		    const char *name, const char *const *hide, struct buf *err)
{
	memset(sb, 0, sizeof *sb);
	sb->caps = sandbox_caps();
	sb->limits = *lim;
	sb->memory_peak = -1;
	sb->cgroup_fd = -1;
	sandbox_cgroup_run_init(&sb->cg);
	const struct sandbox_caps *c = sb->caps;
	if (c->broken[0]) {
		buf_printf(err, _("the sandbox is not available: %s"), c->broken);
		return -1;
	}
	if (sandbox_scratch_make(&sb->scratch, lim->disk_bytes, c->uid, c->gid, c->fs_root, err) <
	    0)
		return -1;
	sb->dir = sb->scratch.box;
	if (binary && copy_binary(binary, name, sb->dir, err) < 0)
		return -1;
	plan_hiding(sb, hide);
	/* without a PID namespace, the cgroup is what holds the whole tree */
	if (sandbox_cgroup_prepare(&the_caps.cg, lim, c->pid_ns ? 2 : 0, !c->pid_ns, &sb->cg, err) <
	    0)
		return -1;
	sb->cgroup_fd = sb->cg.dir_fd;
	sb->nproc_limit = lim->processes + 1 + c->nproc_others;
	if (!c->nproc_own && !c->cg.pids[0])
		sb->nproc_limit += count_processes_of(geteuid()) + 8;
	struct sandbox_filter_opts fo = { .guard_signals = !c->pid_ns };
	if (!c->pid_ns)
		ancestors(fo.guarded, SANDBOX_FILTER_GUARDED - 1);
	sandbox_filter_build(&sb->filter, &fo);
	return 0;
}

int sandbox_give(const struct sandbox_caps *caps, const char *path)
{
	if (!caps->uid_drop)
		return 0;
	if (lchown(path, caps->uid, caps->gid) < 0)
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

const char *sandbox_program_dir(const struct sandbox *sb)
{
	return sb->caps->fs_root ? SANDBOX_BOX : sb->dir;
}

/* The name the programs' uid has where they run: the allow-list root's /etc/passwd calls it
 * SANDBOX_USER; without the root they see the machine's, where a slot's uid has no entry. */
static const char *program_user(const struct sandbox_caps *caps)
{
	if (caps->fs_root)
		return SANDBOX_USER;
	const struct passwd *pw = getpwuid(caps->uid);
	return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : SANDBOX_USER;
}

static void push_var(struct strvec *env, const char *name, const char *value)
{
	char *var = xasprintf("%s=%s", name, value);
	strvec_push(env, var);
	free(var);
}

void sandbox_env(const struct sandbox *sb, struct strvec *env)
{
	const char *dir = sandbox_program_dir(sb), *user = program_user(sb->caps);
	push_var(env, "PATH", SANDBOX_PATH);
	push_var(env, "HOME", dir);
	push_var(env, "PWD", dir);
	push_var(env, "USER", user);
	push_var(env, "LOGNAME", user);
	push_var(env, "LANG", "C");
	push_var(env, "LC_ALL", "C");
	push_var(env, "TERM", "dumb");
	push_var(env, "SHELL", "/bin/sh");
}

/* ---- the parent, while and after it runs ---- */

bool sandbox_poll(struct sandbox *sb)
{
	if (sandbox_cgroup_hit_processes(&sb->cg))
		sb->hit_processes = true;
	return sb->hit_processes;
}

int sandbox_kill(const struct sandbox *sb)
{
	return sandbox_cgroup_kill(&sb->cg);
}

void sandbox_collect(struct sandbox *sb)
{
	sandbox_poll(sb);
	bool hit;
	sandbox_cgroup_memory(&sb->caps->cg, &sb->cg, &hit, &sb->memory_peak);
	sb->hit_memory = sb->hit_memory || hit;
	sb->hit_disk = sandbox_scratch_full(&sb->scratch);
}

void sandbox_free(struct sandbox *sb)
{
	sandbox_cgroup_run_free(&sb->cg); /* the cgroup fd too */
	sandbox_scratch_free(&sb->scratch);
	strvec_free(&sb->hide);
	memset(sb, 0, sizeof *sb);
	sb->cgroup_fd = -1;
	sandbox_cgroup_run_init(&sb->cg);
}
