/*
 * spawn: the "bare" side of the benchmarks. Starts a program directly with fork/exec, the way
 * a minimal grader would, with no sandbox, no monitor and no comparison.
 *
 *   spawn -n N [-t SEC] -- CMD [ARG...]
 *       runs CMD N times in a row
 *   spawn -c CASESDIR [-t SEC] [-E ERRDIR] -- CMD [ARG...]
 *       for each case folder CASESDIR/NNN (as written by dumpcases, in order) runs
 *       CMD ARG... followed by the case's arguments (CASESDIR/NNN/args, NUL-separated), with the
 *       case's stdin (CASESDIR/NNN/stdin, a file) and in CASESDIR/NNN/cwd when it exists
 *
 * Every run gets stdout and stderr pipes that spawn drains until end of file (like a grader
 * capturing the output), an environment of PATH, LC_ALL=C and HOME=/nonexistent like
 * pipegrade's, only fds 0, 1 and 2, and its own process group, killed after SEC seconds
 * (default 30). With -E, what a case wrote on stderr is kept in ERRDIR/NNN.err.
 * Prints "runs=R nonzero=Z killed=K" on stdout.
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "HOME=/nonexistent", NULL };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int nonzero, killed;

/* One run: argv, stdin path, working directory (or NULL), stderr copy (or NULL). */
static void run_one(char **argv, const char *in, const char *cwd, const char *errcopy, double limit)
{
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
		perror("spawn: pipe");
		exit(1);
	}
	int ec = -1;
	if (errcopy)
		ec = open(errcopy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid_t pid = fork();
	if (pid < 0) {
		perror("spawn: fork");
		exit(1);
	}
	if (pid == 0) {
		setpgid(0, 0);
		int fi = open(in ? in : "/dev/null", O_RDONLY);
		if (fi < 0)
			_exit(126);
		dup2(fi, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
		if (cwd && chdir(cwd) != 0)
			_exit(126);
		execve(argv[0], argv, env);
		if (!strchr(argv[0], '/'))
			execvpe(argv[0], argv, env);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	struct pollfd p[2] = { { .fd = po[0], .events = POLLIN }, { .fd = pe[0], .events = POLLIN } };
	int open_pipes = 2;
	double deadline = now() + limit;
	char buf[65536];
	while (open_pipes > 0) {
		double left = deadline - now();
		if (left <= 0) {
			kill(-pid, SIGKILL);
			killed++;
			break;
		}
		int r = poll(p, 2, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(p[i].fd, buf, sizeof buf);
			if (n > 0) {
				if (i == 1 && ec >= 0 && write(ec, buf, (size_t)n) < 0)
					perror("spawn: write");
			} else if (n == 0 || errno != EINTR) {
				close(p[i].fd);
				p[i].fd = -1;
				open_pipes--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	if (ec >= 0)
		close(ec);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL); /* whatever of the group is still there */
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		nonzero++;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void usage(void)
{
	fprintf(stderr, "usage: spawn -n N [-t SEC] -- CMD [ARG...]\n"
	                "       spawn -c CASESDIR [-t SEC] [-E ERRDIR] -- CMD [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long n = -1;
	const char *cases = NULL, *errdir = NULL;
	double limit = 30;
	int opt;
	while ((opt = getopt(argc, argv, "+n:c:t:E:")) != -1) {
		switch (opt) {
		case 'n': n = strtol(optarg, NULL, 10); break;
		case 'c': cases = optarg; break;
		case 't': limit = strtod(optarg, NULL); break;
		case 'E': errdir = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc || (n < 0) == (cases == NULL))
		usage();
	signal(SIGPIPE, SIG_IGN);
	char **cmd = argv + optind;
	int ncmd = argc - optind;
	int runs = 0;

	if (n >= 0) {
		for (long i = 0; i < n; i++, runs++)
			run_one(cmd, NULL, NULL, NULL, limit);
	} else {
		DIR *d = opendir(cases);
		if (!d) {
			perror(cases);
			return 1;
		}
		char **names = NULL;
		size_t nn = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			names = realloc(names, (nn + 1) * sizeof *names);
			names[nn++] = strdup(e->d_name);
		}
		closedir(d);
		qsort(names, nn, sizeof *names, cmpstr);
		for (size_t i = 0; i < nn; i++) {
			char path[4096], in[4096], work[4096], errcopy[4096];
			snprintf(path, sizeof path, "%s/%s/args", cases, names[i]);
			snprintf(in, sizeof in, "%s/%s/stdin", cases, names[i]);
			snprintf(work, sizeof work, "%s/%s/cwd", cases, names[i]);
			if (errdir)
				snprintf(errcopy, sizeof errcopy, "%s/%s.err", errdir, names[i]);
			/* argv = cmd + the case's NUL-separated arguments */
			char *data = NULL;
			size_t len = 0;
			FILE *f = fopen(path, "re");
			if (f) {
				char b[4096];
				size_t k;
				while ((k = fread(b, 1, sizeof b, f)) > 0) {
					data = realloc(data, len + k);
					memcpy(data + len, b, k);
					len += k;
				}
				fclose(f);
			}
			size_t nargs = 0;
			for (size_t j = 0; j < len; j++)
				nargs += data[j] == '\0';
			char **av = calloc((size_t)ncmd + nargs + 1, sizeof *av);
			for (int j = 0; j < ncmd; j++)
				av[j] = cmd[j];
			size_t k = (size_t)ncmd, start = 0;
			for (size_t j = 0; j < len; j++)
				if (data[j] == '\0') {
					av[k++] = data + start;
					start = j + 1;
				}
			struct stat sb;
			run_one(av, in, stat(work, &sb) == 0 ? work : NULL, errdir ? errcopy : NULL, limit);
			runs++;
			free(av);
			free(data);
			free(names[i]);
		}
		free(names);
	}
	printf("runs=%d nonzero=%d killed=%d\n", runs, nonzero, killed);
	return 0;
}
