/*
 * escape-write.c: tries to create files outside its working directory. Safe to run: it only
 * creates files that did not exist (O_EXCL) and removes them again before it exits.
 *
 * In this order it tries to create ../escaped.txt, /tmp/pipegrade-escaped.txt and, if HOME is
 * set, $HOME/escaped.txt (no line at all when HOME is unset), printing "PATH: created" or
 * "PATH: denied (strerror)" for each, PATH as tried. Then it creates inside.txt in its working
 * directory and prints "inside.txt: created" (or "inside.txt: denied (strerror)"); inside.txt is
 * left in place. Last, it unlinks every escaped file it created. Exits 0.
 *
 * Inside a working sandbox (dropped uid, mount namespace with a private /tmp, read-only or
 * hidden rest of the file system) every outside line says "denied" and inside.txt is created;
 * the test can also check that no escaped.txt appeared. A line "denied (File exists)" means a
 * leftover from an earlier run, which this program never touches.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TRIES 3

static char created[MAX_TRIES][4096];
static int ncreated;

/* Creates `path` if it does not exist yet; returns 0 or -1 with errno set. */
static int create_file(const char *path)
{
	static const char text[] = "written by escape-write\n";

	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, text, sizeof text - 1) < 0) {
		int saved = errno;
		close(fd);
		unlink(path);
		errno = saved;
		return -1;
	}
	return close(fd);
}

static void try_escape(const char *path)
{
	if (create_file(path) < 0) {
		printf("%s: denied (%s)\n", path, strerror(errno));
		return;
	}
	printf("%s: created\n", path);
	if (ncreated < MAX_TRIES)
		snprintf(created[ncreated++], sizeof created[0], "%s", path);
}

int main(void)
{
	try_escape("../escaped.txt");
	try_escape("/tmp/pipegrade-escaped.txt");

	const char *home = getenv("HOME");
	if (home != NULL) {
		char path[4096];
		int n = snprintf(path, sizeof path, "%s/escaped.txt", home);
		if (n > 0 && (size_t)n < sizeof path)
			try_escape(path);
		else
			printf("%s/escaped.txt: denied (%s)\n", home, strerror(ENAMETOOLONG));
	}

	if (create_file("inside.txt") < 0)
		printf("inside.txt: denied (%s)\n", strerror(errno));
	else
		printf("inside.txt: created\n");

	fflush(stdout);
	for (int i = 0; i < ncreated; i++)
		if (unlink(created[i]) < 0)
			fprintf(stderr, "could not remove %s (%s)\n", created[i], strerror(errno));
	return 0;
}
