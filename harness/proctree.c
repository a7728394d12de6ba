/* proctree.c: descendants of a process through /proc (see proctree.h). */
#include "proctree.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void pidlist_add(struct pidlist *l, pid_t pid)
{
	ALLOC_GROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = pid;
}

int pidlist_has(const struct pidlist *l, pid_t pid)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == pid)
			return 1;
	return 0;
}

void pidlist_free(struct pidlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* Parses a "children" file: pids separated by spaces. */
static size_t parse_children(const char *path, struct pidlist *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	size_t added = 0;
	char chunk[4096], num[16];
	size_t nlen = 0;
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			char ch = chunk[i];
			if (ch >= '0' && ch <= '9' && nlen < sizeof num - 1) {
				num[nlen++] = ch;
				continue;
			}
			if (nlen) {
				num[nlen] = '\0';
				pidlist_add(out, (pid_t)atoi(num));
				added++;
				nlen = 0;
			}
		}
	}
	if (nlen) {
		num[nlen] = '\0';
		pidlist_add(out, (pid_t)atoi(num));
		added++;
	}
	close(fd);
	return added;
}

size_t proctree_children(pid_t pid, struct pidlist *out)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	size_t added = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char cpath[96];
		snprintf(cpath, sizeof cpath, "/proc/%d/task/%.16s/children", (int)pid, e->d_name);
		added += parse_children(cpath, out);
	}
	closedir(d);
	return added;
}

void proctree_descendants(pid_t root, struct pidlist *out)
{
	size_t first = out->n;
	proctree_children(root, out);
	/* Breadth first: the list grows while we walk it. */
	for (size_t i = first; i < out->n; i++)
		proctree_children(out->v[i], out);
}
