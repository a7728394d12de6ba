/* sandbox_cgroup.c: cgroup v1 and v2 groups for the cases (see sandbox_cgroup.h). */
#include "sandbox_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "sandbox_slot.h"

/* ---- small files ---- */

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static bool has_file(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* The number after `key` (at a line's start) in a small file; the whole file's number when
 * key is NULL. -1 when there is none. */
static long long read_number(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], text[1024];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	if (!key)
		return atoll(text);
	size_t k = strlen(key);
	for (const char *at = text; at; at = strchr(at, '\n'), at = at ? at + 1 : NULL)
		if (!strncmp(at, key, k))
			return atoll(at + k);
	return -1;
}

static bool word_in(const char *dir, const char *file, const char *word)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	struct buf b = BUF_INIT;
	bool found = false;
	if (read_file(path, &b) == 0) {
		size_t n = strlen(word);
		for (char *at = b.data; (at = strstr(at, word)) != NULL; at += n)
			if ((at == b.data || at[-1] == ' ') &&
			    (at[n] == ' ' || at[n] == '\n' || !at[n]))
				found = true;
	}
	buf_free(&b);
	return found;
}

/* ---- where the hierarchies are ---- */

/* Our group in the hierarchy whose /proc/self/cgroup line has `controllers` ("pids", or "" for
 * v2), and its mount point; both "" when absent. */
static void find_hierarchy(const char *controllers, char *dir, size_t size, char *mount_dir,
			   size_t msize)
{
	dir[0] = mount_dir[0] = '\0';
	char path[PATH_MAX] = "";
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 64];
	while (f && fgets(line, sizeof line, f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		b[1 + strcspn(b + 1, "\n")] = '\0';
		bool v2 = !*controllers && !strcmp(a + 1, "") && !strncmp(line, "0:", 2);
		bool v1 = false; /* the controller is a whole item of the comma list */
		char *save = NULL;
		for (char *t = *controllers ? strtok_r(a + 1, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save))
			v1 = v1 || !strcmp(t, controllers);
		if (v1 || v2)
			snprintf(path, sizeof path, "%s", b + 1);
	}
	if (f)
		fclose(f);
	if (!path[0])
		return;
	/* the mount of that hierarchy: its root, and where it is */
	f = fopen("/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof line, f)) {
		char root[PATH_MAX], where[PATH_MAX], type[64], opts[512];
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, where) != 2 ||
		    sscanf(dash + 3, "%63s %*s %511s", type, opts) != 2)
			continue;
		bool match = false;
		if (!*controllers) {
			match = !strcmp(type, "cgroup2");
		} else if (!strcmp(type, "cgroup")) {
			char *save = NULL;
			for (char *t = strtok_r(opts, ",", &save); t;
			     t = strtok_r(NULL, ",", &save))
				match = match || !strcmp(t, controllers);
		}
		if (!match)
			continue;
		size_t rl = strlen(root);
		const char *rel = !strcmp(root, "/")         ? path
				  : !strncmp(path, root, rl) ? path + rl
							     : NULL;
		if (!rel)
			continue;
		snprintf(mount_dir, msize, "%s", where);
		snprintf(dir, size, "%s%s", where, !strcmp(rel, "/") ? "" : rel);
		break;
	}
	if (f)
		fclose(f);
}

/* ---- stale groups of slots nobody holds ---- */

static void kill_procs_of(const char *group)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/cgroup.procs", group);
	for (int round = 0; round < 50; round++) {
		struct buf b = BUF_INIT;
		if (read_file(path, &b) < 0 || b.len == 0) {
			buf_free(&b);
			return;
		}
		for (char *l = strtok(b.data, "\n"); l; l = strtok(NULL, "\n"))
			if (atoi(l) > 0)
				kill((pid_t)atoi(l), SIGKILL);
		buf_free(&b);
		usleep(2000);
	}
}

/* Kills what is in a group and below it, and removes it, children first (a grader that died
 * may have left its run's leaf). */
static void remove_group(const char *group)
{
	DIR *d = opendir(group);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *child = xasprintf("%s/%s", group, e->d_name);
		remove_group(child);
		free(child);
	}
	if (d)
		closedir(d);
	if (has_file(group, "cgroup.kill"))
		write_file(group, "cgroup.kill", "1");
	kill_procs_of(group);
	for (int i = 0; i < 100 && rmdir(group) < 0 && errno == EBUSY; i++)
		usleep(2000);
}

struct stale_ctx {
	const char *parent;
	const char *prefix;
};

static void remove_stale(int n, void *arg)
{
	const struct stale_ctx *s = arg;
	char group[PATH_MAX + 64];
	snprintf(group, sizeof group, "%s/%s%d", s->parent, s->prefix, n);
	remove_group(group);
}

/* Removes the groups named PREFIX<N> under `parent` whose slot lock is free. */
static void remove_stale_groups(const char *parent, const char *prefix)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	size_t pl = strlen(prefix);
	struct stale_ctx ctx = { parent, prefix };
	while (d && (e = readdir(d)) != NULL) {
		char *end;
		if (strncmp(e->d_name, prefix, pl))
			continue;
		long n = strtol(e->d_name + pl, &end, 10);
		if (*end || n < 0 || n >= SANDBOX_SLOTS || end == e->d_name + pl)
			continue;
		sandbox_slot_if_free((int)n, remove_stale, &ctx);
	}
	if (d)
		closedir(d);
}

/* ---- the grader's groups ---- */

static bool make_group(char *out, const char *parent, const char *name)
{
	char group[PATH_MAX];
	snprintf(group, sizeof group, "%s/%s", parent, name);
	if (access(group, F_OK) == 0)
		remove_group(group); /* a former holder's; our slot lock makes it ours now */
	if (mkdir(group, 0755) < 0 && errno != EEXIST)
		return false;
	snprintf(out, PATH_MAX, "%s", group);
	return true;
}

static void init_v1(struct sandbox_cgroups *cg, int slot, const char *controller, char *out)
{
	char dir[PATH_MAX], mnt[PATH_MAX], name[64];
	find_hierarchy(controller, dir, sizeof dir, mnt, sizeof mnt);
	if (!dir[0] || access(dir, W_OK) < 0)
		return;
	remove_stale_groups(dir, "pipegrade-slot-");
	snprintf(name, sizeof name, "pipegrade-slot-%d", slot);
	if (!make_group(out, dir, name))
		/* TRANSLATORS: the first %s is a cgroup controller: pids or memory. */
		snprintf(cg->why_not, sizeof cg->why_not, _("cannot create a %s cgroup in %s: %s"),
			 controller, dir, strerror(errno));
}

/* Enables `ctrl` for the children of `dir` when `dir` offers it. */
static bool enable(const char *dir, const char *ctrl)
{
	char plus[32];
	snprintf(plus, sizeof plus, "+%s", ctrl);
	return word_in(dir, "cgroup.controllers", ctrl) &&
	       (word_in(dir, "cgroup.subtree_control", ctrl) ||
		write_file(dir, "cgroup.subtree_control", plus) == 0);
}

/* Uses `group` (v2) for whichever of pids and memory it offers and v1 does not. */
static void take_v2(struct sandbox_cgroups *cg, const char *group, const char *parent)
{
	snprintf(cg->unified, sizeof cg->unified, "%s", group);
	if (!cg->pids[0] && word_in(parent, "cgroup.subtree_control", "pids")) {
		snprintf(cg->pids, sizeof cg->pids, "%s", group);
		cg->pids_v2 = true;
	}
	if (!cg->mem[0] && word_in(parent, "cgroup.subtree_control", "memory")) {
		snprintf(cg->mem, sizeof cg->mem, "%s", group);
		cg->mem_v2 = true;
	}
}

static void init_v2_root(struct sandbox_cgroups *cg, int slot)
{
	char dir[PATH_MAX], mnt[PATH_MAX], base[PATH_MAX + 16], name[64];
	find_hierarchy("", dir, sizeof dir, mnt, sizeof mnt);
	if (!mnt[0] || access(mnt, W_OK) < 0)
		return;
	snprintf(base, sizeof base, "%s/pipegrade", mnt);
	if (mkdir(base, 0755) < 0 && errno != EEXIST)
		return;
	for (int i = 0; i < 2; i++) {
		const char *ctrl = i ? "memory" : "pids";
		if (enable(mnt, ctrl))
			enable(base, ctrl); /* fails harmlessly where the top holds processes */
	}
	/* the slot's group holds the limits; each run's leaf below it holds the processes */
	remove_stale_groups(base, "slot-");
	snprintf(name, sizeof name, "slot-%d", slot);
	char group[PATH_MAX];
	if (make_group(group, base, name))
		take_v2(cg, group, base);
}

/* Without root: a delegated v2 group of our own, emptied of ourselves. */
static char own_v2[PATH_MAX], grader_v2[PATH_MAX + 64];

static void init_v2_user(struct sandbox_cgroups *cg)
{
	char mnt[PATH_MAX], leaf[PATH_MAX + 64], cases[PATH_MAX + 64];
	find_hierarchy("", own_v2, sizeof own_v2, mnt, sizeof mnt);
	if (!own_v2[0] || !strcmp(own_v2, mnt) || !has_file(own_v2, "cgroup.kill") ||
	    access(own_v2, W_OK) < 0) {
		snprintf(cg->why_not, sizeof cg->why_not, "%s",
			 _("no cgroup v2 group delegated to you"));
		own_v2[0] = '\0';
		return;
	}
	snprintf(leaf, sizeof leaf, "%s/pipegrade-grader-%d", own_v2, (int)getpid());
	snprintf(cases, sizeof cases, "%s/pipegrade-cases-%d", own_v2, (int)getpid());
	if (mkdir(leaf, 0755) < 0 || write_file(leaf, "cgroup.procs", "0") < 0) {
		rmdir(leaf);
		own_v2[0] = '\0';
		return;
	}
	snprintf(grader_v2, sizeof grader_v2, "%s", leaf);
	/* v2 enables controllers for the children of a group only when it holds no process */
	bool pids = enable(own_v2, "pids"), mem = enable(own_v2, "memory");
	if (mkdir(cases, 0755) < 0 && errno != EEXIST)
		return;
	take_v2(cg, cases, own_v2);
	if (!pids || !mem)
		snprintf(cg->why_not, sizeof cg->why_not, "%s",
			 _("your cgroup holds other processes, so its controllers cannot be used "
			   "(run pipegrade in a scope of its own: systemd-run --user --scope -p "
			   "Delegate=yes)"));
}

static bool swap_on(void)
{
	struct buf b = BUF_INIT;
	bool on = read_file("/proc/swaps", &b) == 0 && strchr(b.data, '\n') &&
		  strchr(b.data, '\n')[1] != '\0';
	buf_free(&b);
	return on;
}

void sandbox_cgroups_init(struct sandbox_cgroups *cg, int slot)
{
	memset(cg, 0, sizeof *cg);
	cg->pids_written = cg->mem_written = -1;
	if (slot >= 0) {
		init_v1(cg, slot, "pids", cg->pids);
		init_v1(cg, slot, "memory", cg->mem);
		init_v2_root(cg, slot);
	} else {
		init_v2_user(cg);
	}
	if (cg->mem[0] && !cg->mem_v2 && !has_file(cg->mem, "memory.memsw.limit_in_bytes"))
		cg->swap_unlimited = swap_on();
	if (cg->mem[0] && cg->mem_v2 && !has_file(cg->mem, "memory.swap.max"))
		cg->swap_unlimited = swap_on();
}

void sandbox_cgroups_remove(struct sandbox_cgroups *cg)
{
	const char *groups[] = { cg->pids, cg->mem, cg->unified };
	for (int i = 0; i < 3; i++) {
		if (!groups[i][0] || (i > 0 && !strcmp(groups[i], groups[i - 1])) ||
		    (i == 2 && !strcmp(groups[2], groups[0])))
			continue;
		rmdir(groups[i]);
	}
	if (grader_v2[0]) { /* back where we came from, and our leaf removed */
		write_file(own_v2, "cgroup.procs", "0");
		rmdir(grader_v2);
		grader_v2[0] = '\0';
	}
	cg->pids[0] = cg->mem[0] = cg->unified[0] = '\0';
}

/* ---- a run ---- */

static int open_in(const char *dir, const char *file, int flags)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	return open(path, flags | O_CLOEXEC);
}

static int set_memory_v1(struct sandbox_cgroups *cg, long long bytes)
{
	char value[32];
	snprintf(value, sizeof value, "%lld", bytes);
	bool memsw = has_file(cg->mem, "memory.memsw.limit_in_bytes");
	/* memsw must stay >= the memory limit: raised first, lowered after */
	if (memsw && write_file(cg->mem, "memory.memsw.limit_in_bytes", "-1") < 0)
		return -1;
	if (write_file(cg->mem, "memory.limit_in_bytes", value) < 0)
		return -1;
	return memsw ? write_file(cg->mem, "memory.memsw.limit_in_bytes", value) : 0;
}

static int set_memory_v2(struct sandbox_cgroups *cg, long long bytes)
{
	char value[32];
	snprintf(value, sizeof value, "%lld", bytes);
	if (write_file(cg->mem, "memory.max", value) < 0)
		return -1;
	return has_file(cg->mem, "memory.swap.max") ? write_file(cg->mem, "memory.swap.max", "0")
						    : 0;
}

static int set_limits(struct sandbox_cgroups *cg, const struct limits *lim, int extra_pids,
		      struct buf *err)
{
	long long pids = lim->processes + (cg->pids_v2 ? extra_pids : 0);
	if (cg->pids[0] && cg->pids_written != pids) {
		char value[32];
		snprintf(value, sizeof value, "%lld", pids);
		if (write_file(cg->pids, "pids.max", value) < 0) {
			buf_printf(err, _("cannot set the process limit in %s: %s"), cg->pids,
				   strerror(errno));
			return -1;
		}
		cg->pids_written = pids;
	}
	if (cg->mem[0] && cg->mem_written != lim->memory_bytes) {
		if ((cg->mem_v2 ? set_memory_v2 : set_memory_v1)(cg, lim->memory_bytes) < 0) {
			buf_printf(err, _("cannot set the memory limit in %s: %s"), cg->mem,
				   strerror(errno));
			cg->mem_written = -1;
			return -1;
		}
		cg->mem_written = lim->memory_bytes;
	}
	return 0;
}

void sandbox_cgroup_run_init(struct sandbox_cgroup_run *run)
{
	memset(run, 0, sizeof *run);
	for (int i = 0; i < SANDBOX_CG_JOINS; i++)
		run->join_fd[i] = -1;
	run->v2_join_fd = run->pids_events_fd = run->kill_fd = run->dir_fd = -1;
}

int sandbox_cgroup_prepare(struct sandbox_cgroups *cg, const struct limits *lim, int extra_pids,
			   bool kill_group, struct sandbox_cgroup_run *run, struct buf *err)
{
	sandbox_cgroup_run_init(run);
	if (set_limits(cg, lim, extra_pids, err) < 0)
		return -1;
	int n = 0;
	if (cg->pids[0] && !cg->pids_v2)
		run->join_fd[n++] = open_in(cg->pids, "tasks", O_WRONLY);
	if (cg->mem[0] && !cg->mem_v2)
		run->join_fd[n++] = open_in(cg->mem, "tasks", O_WRONLY);
	if (cg->unified[0] && (kill_group || cg->pids_v2 || cg->mem_v2)) {
		snprintf(run->leaf, sizeof run->leaf, "%s/run", cg->unified);
		if (access(run->leaf, F_OK) == 0)
			remove_group(run->leaf); /* a run of ours that pipegrade could not end */
		if (mkdir(run->leaf, 0755) < 0) {
			buf_printf(err, _("cannot create the run's cgroup %s: %s"), run->leaf,
				   strerror(errno));
			run->leaf[0] = '\0';
			return -1;
		}
		run->v2_join_fd = open_in(run->leaf, "cgroup.procs", O_WRONLY);
		run->dir_fd = open(run->leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	for (int i = 0; i < n + 1; i++) {
		if ((i < n ? run->join_fd[i] : run->leaf[0] ? run->v2_join_fd : 0) < 0) {
			buf_printf(err, _("cannot open a cgroup of the sandbox: %s"),
				   strerror(errno));
			return -1;
		}
	}
	if (cg->pids[0]) {
		run->pids_events_fd = open_in(cg->pids, "pids.events", O_RDONLY);
		run->pids_max_before = read_number(cg->pids, "pids.events", "max ");
	}
	if (cg->mem[0] && !cg->mem_v2) {
		write_file(cg->mem, "memory.max_usage_in_bytes", "0");
		run->mem_max_before = read_number(cg->mem, "memory.failcnt", NULL);
		run->oom_before = read_number(cg->mem, "memory.oom_control", "oom_kill ");
	} else if (cg->mem[0]) {
		write_file(cg->mem, "memory.peak", "0"); /* resettable since Linux 6.12 */
		run->mem_max_before = read_number(cg->mem, "memory.events", "max ");
		run->oom_before = read_number(cg->mem, "memory.events", "oom_kill ");
	}
	if (run->leaf[0] && has_file(run->leaf, "cgroup.kill"))
		run->kill_fd = open_in(run->leaf, "cgroup.kill", O_WRONLY);
	return 0;
}

int sandbox_cgroup_join(const struct sandbox_cgroup_run *run, bool in_v2)
{
	for (int i = 0; i < SANDBOX_CG_JOINS && run->join_fd[i] >= 0; i++)
		if (write(run->join_fd[i], "0", 1) != 1)
			return -1;
	if (!in_v2 && run->v2_join_fd >= 0 && write(run->v2_join_fd, "0", 1) != 1)
		return -1;
	return 0;
}

bool sandbox_cgroup_hit_processes(const struct sandbox_cgroup_run *run)
{
	if (run->pids_events_fd < 0)
		return false;
	char text[128];
	ssize_t n = pread(run->pids_events_fd, text, sizeof text - 1, 0);
	if (n <= 4)
		return false;
	text[n] = '\0';
	const char *at = strstr(text, "max ");
	return at && (at == text || at[-1] == '\n') && atoll(at + 4) > run->pids_max_before;
}

void sandbox_cgroup_memory(const struct sandbox_cgroups *cg, const struct sandbox_cgroup_run *run,
			   bool *hit, long long *peak)
{
	*hit = false;
	*peak = -1;
	if (!cg->mem[0])
		return;
	if (!cg->mem_v2) {
		*peak = read_number(cg->mem, "memory.max_usage_in_bytes", NULL);
		*hit = read_number(cg->mem, "memory.failcnt", NULL) > run->mem_max_before ||
		       read_number(cg->mem, "memory.oom_control", "oom_kill ") > run->oom_before;
	} else {
		*peak = read_number(cg->mem, "memory.peak", NULL);
		*hit = read_number(cg->mem, "memory.events", "max ") > run->mem_max_before ||
		       read_number(cg->mem, "memory.events", "oom_kill ") > run->oom_before;
	}
}

int sandbox_cgroup_kill(const struct sandbox_cgroup_run *run)
{
	if (run->kill_fd < 0)
		return -1;
	return pwrite(run->kill_fd, "1", 1, 0) == 1 ? 0 : -1;
}

void sandbox_cgroup_run_free(struct sandbox_cgroup_run *run)
{
	for (int i = 0; i < SANDBOX_CG_JOINS; i++)
		if (run->join_fd[i] >= 0)
			close(run->join_fd[i]);
	if (run->v2_join_fd >= 0)
		close(run->v2_join_fd);
	if (run->pids_events_fd >= 0)
		close(run->pids_events_fd);
	if (run->kill_fd >= 0)
		close(run->kill_fd);
	if (run->dir_fd >= 0)
		close(run->dir_fd);
	if (run->leaf[0]) /* empty by now: every process of the run was reaped */
		for (int i = 0; i < 100 && rmdir(run->leaf) < 0 && errno == EBUSY; i++)
			usleep(1000);
	sandbox_cgroup_run_init(run);
}
