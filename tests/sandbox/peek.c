/*
 * peek.c: looks for what a case must not see. Safe to run.
 *
 * For every path given as an argument, tries to open it (a file is read, a folder listed) and
 * prints "PATH: readable" or "PATH: denied (strerror)". Then prints the names in "/", sorted,
 * on one line after "root:". Exits 0.
 *
 * Inside the sandbox's allow-list root nothing of the machine is there but its system
 * directories: every path of a course, a class, the results or pipegrade's temporary files is
 * "denied (No such file or directory)", and the root holds exactly bin, box, dev, etc, lib*,
 * proc, run, sbin, tmp, usr and var (the lib* and bin/sbin that the machine has).
 */
#define _DEFAULT_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		char c;
		DIR *d = fd >= 0 ? fdopendir(dup(fd)) : NULL;
		int ok = fd >= 0 && (d ? readdir(d) != NULL : read(fd, &c, 1) >= 0);
		if (ok)
			printf("%s: readable\n", argv[i]);
		else
			printf("%s: denied (%s)\n", argv[i], strerror(errno));
		if (d)
			closedir(d);
		if (fd >= 0)
			close(fd);
	}
	DIR *root = opendir("/");
	char *names[64];
	int n = 0;
	struct dirent *e;
	while (root && n < 64 && (e = readdir(root)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	if (root)
		closedir(root);
	qsort(names, (size_t)n, sizeof *names, by_name);
	printf("root:");
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
	return 0;
}
