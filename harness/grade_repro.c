/* grade_repro.c: repro.sh for a kept build (see grade_repro.h). */
#include "grade_repro.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

static int write_data(const char *path, const char *data, size_t len, int mode)
{
	char *parent = path_dirname(path);
	int rc = make_dirs(parent);
	free(parent);
	int fd = rc < 0 ? -1
			: open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	rc = fd < 0 || write_all(fd, data, len) < 0 ? -1 : 0;
	if (fd >= 0 && (close(fd) < 0 || chmod(path, (mode_t)mode) < 0))
		rc = -1;
	return rc;
}

int grade_repro_add(struct grade_repro *r, const char *dir, size_t n, const struct test_case *tc,
		    const char *binary, const char *interpreter, const char *const *env,
		    const struct buf *in, struct buf *err)
{
	struct buf *b = &r->cases;
	char *stdin_path = xasprintf("%s/repro/%zu/stdin", dir, n);
	int rc = write_data(stdin_path, in->data ? in->data : "", in->len, 0644);
	if (rc < 0)
		buf_printf(err, _("cannot write %s: %s"), stdin_path, strerror(errno));
	free(stdin_path);
	buf_printf(b, "%zu)\t# ", n);
	buf_visible(b, tc->name, strlen(tc->name), false);
	buf_puts(b, "\n");
	for (size_t i = 0; rc == 0 && i < tc->nfiles; i++) {
		const struct case_file *f = &tc->files[i];
		struct buf data = BUF_INIT;
		char *path = xasprintf("%s/repro/%zu/files/%s", dir, n, f->path);
		if (data_load(&f->data, &data, err) < 0 ||
		    write_data(path, data.data ? data.data : "", data.len, f->perm) < 0) {
			if (!err->len)
				buf_printf(err, _("cannot write %s: %s"), path, strerror(errno));
			rc = -1;
		}
		free(path);
		buf_free(&data);
	}
	if (tc->nfiles)
		buf_printf(b, "\tcp -R \"$here/repro/%zu/files/.\" \"$box/\"\n", n);
	buf_puts(b, "\tcd \"$box\" && env -i");
	for (size_t i = 0; env[i]; i++) {
		const char *eq = strchr(env[i], '=');
		if (eq && (!strncmp(env[i], "HOME=", 5) || !strncmp(env[i], "PWD=", 4))) {
			buf_printf(b, " %.*s=\"$box\"", (int)(eq - env[i]), env[i]);
			continue;
		}
		buf_puts(b, " ");
		buf_sh_quote(b, env[i], strlen(env[i]));
	}
	if (interpreter) {
		buf_puts(b, " ");
		buf_sh_quote(b, interpreter, strlen(interpreter));
		buf_puts(b, " ");
	} else {
		buf_puts(b, " ./");
	}
	buf_sh_quote(b, binary, strlen(binary));
	for (size_t i = 0; i < tc->args.n; i++) {
		buf_puts(b, " ");
		buf_sh_quote(b, tc->args.v[i], strlen(tc->args.v[i]));
	}
	buf_printf(b, " <\"$here/repro/%zu/stdin\"\n\t;;\n", n);
	return rc;
}

int grade_repro_write(const struct grade_repro *r, const char *dir, const struct exercise *ex,
		      struct buf *err)
{
	struct buf s = BUF_INIT;
	buf_puts(&s, "#!/bin/sh\n# repro.sh: runs a case of ");
	buf_visible(&s, ex->id, strlen(ex->id), false);
	buf_puts(&s,
		 _(" as pipegrade ran it: the program in a fresh folder with the files the\n"
		   "# case provides, its arguments, its stdin and its environment; without the\n"
		   "# sandbox, the limits and the process monitor.\n"
		   "#   sh repro.sh      the first case that lost points\n"
		   "#   sh repro.sh N    case N (its number in 'pipegrade list')\n"));
	buf_printf(&s,
		   "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
		   "box=$(mktemp -d \"${TMPDIR:-/tmp}/pipegrade-repro.XXXXXX\") || exit 1\n"
		   "trap 'rm -rf \"$box\"' EXIT\n"
		   "cp \"$here/%s\" \"$box/\" || exit 1\n"
		   "n=${1:-%zu}\n"
		   "case $n in\n",
		   ex->binary, r->first_failed ? r->first_failed : 1);
	buf_append(&s, r->cases.data ? r->cases.data : "", r->cases.len);
	buf_puts(&s, _("*)\techo \"repro.sh: no case $n\" >&2\n\texit 2\n\t;;\nesac\n"));
	char *path = xasprintf("%s/repro.sh", dir);
	int rc = write_data(path, s.data, s.len, 0755);
	if (rc < 0)
		buf_printf(err, _("cannot write %s: %s"), path, strerror(errno));
	free(path);
	buf_free(&s);
	return rc;
}

void grade_repro_free(struct grade_repro *r)
{
	buf_free(&r->cases);
	r->first_failed = 0;
}
