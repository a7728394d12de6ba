/*
 * dumpcases: writes the cases of grading.yaml out as plain files, read with pipegrade's own
 * parser (config_load), so the bare runs of the benchmarks use exactly the arguments, stdin
 * and files pipegrade uses. Linked with pipegrade's objects (build/plain/harness/ *.o).
 *
 *   dumpcases GRADING EXERCISE OUTDIR
 *       OUTDIR/NNN/args   the arguments, each followed by a NUL
 *       OUTDIR/NNN/stdin  the bytes fed on stdin
 *       OUTDIR/NNN/wall   the case's wall-clock limit in seconds
 *       OUTDIR/NNN/cwd/   the case's working directory, with the files it puts there
 *       Cases marked `bonus` are skipped unless the exercise enables its bonus, as pipegrade
 *       does. Prints the number of cases.
 *   dumpcases -w GRADING
 *       prints "EXERCISE<TAB>INDEX<TAB>WALL<TAB>NAME" for every graded case of every exercise
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static void put(const char *path, const void *data, size_t len, int perm)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, len) != 0) {
		fprintf(stderr, "dumpcases: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (perm >= 0)
		fchmod(fd, (mode_t)perm);
	close(fd);
}

/* The bytes grading.yaml gives (a text, a repeat, a file), written to `path`. */
static void put_data(const char *path, const struct data *d, int perm)
{
	struct buf b = BUF_INIT, err = BUF_INIT;
	if (data_load(d, &b, &err) < 0) {
		fprintf(stderr, "dumpcases: %s", err.data);
		exit(1);
	}
	put(path, b.data ? b.data : "", b.len, perm);
	buf_free(&b);
	buf_free(&err);
}

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
	free(p);
}

static int graded(const struct exercise *ex, const struct test_case *tc)
{
	return !tc->bonus || ex->bonus;
}

int main(int argc, char **argv)
{
	struct course c;
	struct buf errors = BUF_INIT;
	if (argc == 3 && !strcmp(argv[1], "-w")) {
		if (config_load(argv[2], &c, &errors) != 0) {
			fputs(errors.data ? errors.data : "dumpcases: cannot load\n", stderr);
			return 1;
		}
		for (size_t i = 0; i < c.nexercises; i++) {
			const struct exercise *ex = &c.exercises[i];
			int k = 0;
			for (size_t j = 0; j < ex->ncases; j++)
				if (graded(ex, &ex->cases[j]))
					printf("%s\t%d\t%g\t%s\n", ex->id, k++, ex->cases[j].limits.wall_s,
					       ex->cases[j].name);
		}
		course_free(&c);
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: dumpcases GRADING EXERCISE OUTDIR | dumpcases -w GRADING\n");
		return 2;
	}
	if (config_load(argv[1], &c, &errors) != 0) {
		fputs(errors.data ? errors.data : "dumpcases: cannot load\n", stderr);
		return 1;
	}
	const struct exercise *ex = course_find_exercise(&c, argv[2]);
	if (!ex) {
		fprintf(stderr, "dumpcases: no exercise %s\n", argv[2]);
		return 1;
	}
	mkdirs(argv[3]);
	int k = 0;
	for (size_t j = 0; j < ex->ncases; j++) {
		const struct test_case *tc = &ex->cases[j];
		if (!graded(ex, tc))
			continue;
		char *dir = xasprintf("%s/%03d", argv[3], k++);
		mkdirs(dir);
		struct buf a = BUF_INIT;
		for (size_t i = 0; i < tc->args.n; i++)
			buf_append(&a, tc->args.v[i], strlen(tc->args.v[i]) + 1);
		char *p = xasprintf("%s/args", dir);
		put(p, a.data ? a.data : "", a.len, -1);
		free(p);
		buf_free(&a);
		p = xasprintf("%s/stdin", dir);
		put_data(p, &tc->in, -1);
		free(p);
		p = xasprintf("%s/wall", dir);
		char w[64];
		int wl = snprintf(w, sizeof w, "%g\n", tc->limits.wall_s);
		put(p, w, (size_t)wl, -1);
		free(p);
		p = xasprintf("%s/cwd", dir);
		mkdirs(p);
		free(p);
		for (size_t i = 0; i < tc->nfiles; i++) {
			char *f = xasprintf("%s/cwd/%s", dir, tc->files[i].path);
			char *d = path_dirname(f);
			mkdirs(d);
			put_data(f, &tc->files[i].data, tc->files[i].perm);
			free(d);
			free(f);
		}
		free(dir);
	}
	printf("%d\n", k);
	course_free(&c);
	return 0;
}
