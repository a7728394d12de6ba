/*
 * snoop.c: tries to read what a submission must not see. Safe to run.
 *
 * In this order it tries to read ../grading.yaml, ../../grading.yaml, the file named by the
 * environment variable PIPEGRADE_SECRET, /proc/<parent>/cmdline and /proc/<parent>/environ,
 * and to readlink /proc/<parent>/cwd, where <parent> is getppid(). For each it prints one line,
 * "NAME: ok N bytes" or "NAME: denied (strerror)", NAME being the path as tried; for the
 * environment variable NAME is "secret", and when the variable is not set at all the line is
 * "secret: denied (PIPEGRADE_SECRET not set)", so there are always six lines. Exits 0.
 *
 * Inside a working sandbox (an allow-list root, a PID namespace with a /proc of its own, a
 * cleaned environment) every line says "denied (No such file or directory)" but the secret's:
 * no grading.yaml is in the program's world, and its parent (pipegrade) is outside its PID
 * namespace, so getppid() is 0 and /proc/0 does not exist.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads the whole file and prints its line; the open and every read may fail. */
static void try_read(const char *name, const char *path)
{
	char buf[4096];
	unsigned long long total = 0;

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s: denied (%s)\n", name, strerror(errno));
		return;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			printf("%s: denied (%s)\n", name, strerror(errno));
			close(fd);
			return;
		}
		total += (unsigned long long)n;
	}
	close(fd);
	printf("%s: ok %llu bytes\n", name, total);
}

static void try_readlink(const char *path)
{
	char target[PATH_MAX];

	ssize_t n = readlink(path, target, sizeof target);
	if (n < 0)
		printf("%s: denied (%s)\n", path, strerror(errno));
	else
		printf("%s: ok %lld bytes\n", path, (long long)n);
}

int main(void)
{
	char path[64];
	long parent = (long)getppid();

	try_read("../grading.yaml", "../grading.yaml");
	try_read("../../grading.yaml", "../../grading.yaml");

	const char *secret = getenv("PIPEGRADE_SECRET");
	if (secret != NULL)
		try_read("secret", secret);
	else
		printf("secret: denied (PIPEGRADE_SECRET not set)\n");

	snprintf(path, sizeof path, "/proc/%ld/cmdline", parent);
	try_read(path, path);
	snprintf(path, sizeof path, "/proc/%ld/environ", parent);
	try_read(path, path);
	snprintf(path, sizeof path, "/proc/%ld/cwd", parent);
	try_readlink(path);
	return 0;
}
