/*
 * timeit: runs one command and prints how long it took and how much memory it used.
 *
 *   timeit [-m NAME [-p HWM.SO]] [-i IN] [-o OUT] [-e ERR] [-C DIR] -- CMD [ARG...]
 *
 * Prints one line on stdout:
 *
 *   WALL_S TREE_RSS_KB NAME_RSS_KB NAME_SUM_KB STATUS
 *
 * WALL_S       wall-clock seconds from just before fork() to just after wait4() (CLOCK_MONOTONIC)
 * TREE_RSS_KB  ru_maxrss of getrusage(RUSAGE_CHILDREN) after the wait: the largest RSS of any
 *              process of the tree that was waited for (the kernel folds every reaped
 *              descendant's peak into its parent's), so it includes compilers and graded programs
 * NAME_RSS_KB  with -m NAME: the largest VmHWM seen, every 10 ms, in /proc/PID/status of the
 *              processes of the tree whose name is NAME (e.g. pipegrade and its workers); else 0.
 *              With -p, also what bench/hwm.c (preloaded) wrote when such a process exited:
 *              the exact peak of each one that ends with exit()
 * NAME_SUM_KB  with -m NAME: the largest sum of the Pss (/proc/PID/smaps_rollup: each page
 *              shared after fork() counted once, split between its sharers) of those processes
 *              seen at one sample: what all of them used together
 * STATUS       the exit status, or 128 + the signal
 *
 * The command starts with stdin IN (default /dev/null), stdout OUT and stderr ERR (default
 * /dev/null), in DIR (default: here), and with only fds 0, 1 and 2 open. It is a benchmark
 * helper: it never fails because the command did.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *watch_name;
static long max_hwm_kb, max_sum_kb;

/* The Pss of one process in kB, or 0. */
static long read_pss(pid_t pid)
{
	char path[64], line[256];
	long pss = 0;
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Pss:", 4)) {
			pss = strtol(line + 4, NULL, 10);
			break;
		}
	fclose(f);
	return pss;
}

/* Reads Name and VmHWM of one process; returns 0 when it could. */
static int read_status(pid_t pid, char *name, size_t namelen, long *hwm)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	*hwm = 0;
	name[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "Name:", 5)) {
			char *p = line + 5;
			while (*p == ' ' || *p == '\t')
				p++;
			p[strcspn(p, "\n")] = '\0';
			snprintf(name, namelen, "%s", p);
		} else if (!strncmp(line, "VmHWM:", 6)) {
			*hwm = strtol(line + 6, NULL, 10);
		}
	}
	fclose(f);
	return 0;
}

/* One sample: walks the tree from `root` through /proc/PID/task/TID/children. */
static void sample(pid_t root)
{
	enum { MAXP = 8192 };
	static pid_t stack[MAXP];
	size_t n = 0;
	long sum = 0;
	stack[n++] = root;
	while (n > 0) {
		pid_t pid = stack[--n];
		char name[256];
		long hwm;
		if (read_status(pid, name, sizeof name, &hwm) == 0 && !strcmp(name, watch_name)) {
			if (hwm > max_hwm_kb)
				max_hwm_kb = hwm;
			sum += read_pss(pid);
		}
		char dpath[64];
		snprintf(dpath, sizeof dpath, "/proc/%d/task", (int)pid);
		DIR *d = opendir(dpath);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char cpath[320];
			snprintf(cpath, sizeof cpath, "/proc/%d/task/%s/children", (int)pid, e->d_name);
			FILE *f = fopen(cpath, "re");
			if (!f)
				continue;
			long c;
			while (fscanf(f, "%ld", &c) == 1 && n < MAXP)
				stack[n++] = (pid_t)c;
			fclose(f);
		}
		closedir(d);
	}
	if (sum > max_sum_kb)
		max_sum_kb = sum;
}

static void usage(void)
{
	fprintf(stderr, "usage: timeit [-m NAME] [-i IN] [-o OUT] [-e ERR] [-C DIR] -- CMD [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null", *err = "/dev/null", *dir = NULL;
	const char *preload = NULL;
	char hwm_file[] = "/tmp/timeit-hwm.XXXXXX";
	int opt;
	while ((opt = getopt(argc, argv, "+m:p:i:o:e:C:")) != -1) {
		switch (opt) {
		case 'm': watch_name = optarg; break;
		case 'p': preload = optarg; break;
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'e': err = optarg; break;
		case 'C': dir = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	char **cmd = argv + optind;
	if (preload && watch_name) {
		int fd = mkstemp(hwm_file);
		if (fd < 0) {
			preload = NULL;
		} else {
			fchmod(fd, 0666); /* sandboxed processes run as another uid */
			close(fd);
		}
	} else {
		preload = NULL;
	}

	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 1;
	}
	if (pid == 0) {
		int fi = open(in, O_RDONLY);
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fi < 0 || fo < 0 || fe < 0) {
			perror("timeit: open");
			_exit(127);
		}
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
			for (int fd = 3; fd < 1024; fd++)
				close(fd);
		if (dir && chdir(dir) != 0)
			_exit(127);
		if (preload) {
			setenv("LD_PRELOAD", preload, 1);
			setenv("PGB_HWM_FILE", hwm_file, 1);
		}
		execvp(cmd[0], cmd);
		_exit(127);
	}

	int st = 0;
	struct rusage ru;
	if (watch_name) {
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		for (;;) {
			if (pfd >= 0) {
				struct pollfd p = { .fd = pfd, .events = POLLIN };
				int r = poll(&p, 1, 10);
				if (r > 0)
					break;
			} else {
				siginfo_t si = { 0 };
				if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
				    si.si_pid == pid)
					break;
				usleep(2000);
			}
			sample(pid);
		}
		if (pfd >= 0)
			close(pfd);
	}
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	double t1 = now();
	getrusage(RUSAGE_CHILDREN, &ru);
	if (preload) {
		FILE *f = fopen(hwm_file, "re");
		char name[256];
		long hwm;
		while (f && fscanf(f, "%255s %ld", name, &hwm) == 2)
			if (!strcmp(name, watch_name) && hwm > max_hwm_kb)
				max_hwm_kb = hwm;
		if (f)
			fclose(f);
		unlink(hwm_file);
	}
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("%.4f %ld %ld %ld %d\n", t1 - t0, ru.ru_maxrss, max_hwm_kb, max_sum_kb, status);
	return 0;
}
