/* test_archive.c: real zip and tar.gz archives, written here with libarchive, unpacked into an
 * empty folder: files and modes, the single-folder unwrap, entries that would escape, links,
 * devices, the caps, odd names, and files that are no archive. */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "sandbox_slot.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

/* One entry of an archive built by a test. */
struct ent {
	const char *name;
	char kind;        /* 'f' file, 'd' folder, 's' symbolic link, 'h' hard link, 'p' FIFO */
	const char *data; /* a file's contents, or a link's target */
	int mode;         /* permission bits; 0: 0644 for files, 0755 for folders */
};

enum fmt { ZIP, TGZ, TAR };
static const char *const fmt_ext[] = { "zip", "tar.gz", "tar" };

static char *dir;  /* the test's temporary folder: archives, dest, outside */
static char *dest; /* dir/dest, where archives are unpacked */

/* archive_unpack(), or the same in a confined worker: every test runs with both. */
static int (*unpacker)(const char *, const char *, long long, long, struct buf *);

static void setup(void)
{
	dir = tu_mkdtemp();
	dest = xasprintf("%s/dest", dir);
	ck_assert_int_eq(mkdir(dest, 0755), 0);
	unpacker = archive_unpack;
}

static void setup_confined(void)
{
	setup();
	unpacker = archive_unpack_confined;
}

static void teardown(void)
{
	free(dest);
	tu_rmdir(dir);
}

static void add_entry(struct archive *a, const struct ent *en)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, en->name);
	size_t len = en->kind == 'f' && en->data ? strlen(en->data) : 0;
	mode_t type = en->kind == 'd'   ? AE_IFDIR
		      : en->kind == 's' ? AE_IFLNK
		      : en->kind == 'p' ? AE_IFIFO
					: AE_IFREG;
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, en->mode ? en->mode : en->kind == 'd' ? 0755 : 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	if (en->kind == 's')
		archive_entry_set_symlink(e, en->data);
	if (en->kind == 'h')
		archive_entry_set_hardlink(e, en->data);
	ck_assert_msg(archive_write_header(a, e) == ARCHIVE_OK, "%s: %s", en->name,
		      archive_error_string(a));
	if (len > 0)
		ck_assert_int_eq(archive_write_data(a, en->data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

/* Writes dir/name as a zip (stored, not deflated, so tests can find the data), a pax tar.gz
 * (what bsdtar writes) or a plain ustar tar (names as bytes, as GNU tar writes them), in
 * the C.UTF-8 locale as a student's machine would: the zip names non-ASCII names UTF-8. */
static char *make_archive(const char *name, enum fmt fmt, const struct ent *ents, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	ck_assert_ptr_nonnull(utf8);
	locale_t old = uselocale(utf8);
	struct archive *a = archive_write_new();
	if (fmt == ZIP) {
		ck_assert_int_eq(archive_write_set_format_zip(a), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_zip_set_compression_store(a), ARCHIVE_OK);
	} else if (fmt == TGZ) {
		ck_assert_int_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	} else {
		ck_assert_int_eq(archive_write_set_format_ustar(a), ARCHIVE_OK);
	}
	ck_assert_int_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++)
		add_entry(a, &ents[i]);
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	uselocale(old);
	freelocale(utf8);
	return path;
}

#define MAKE(name, fmt, ents) make_archive(name, fmt, ents, sizeof ents / sizeof ents[0])

/* Orders listing lines by their path (after the "d " or "f "). */
static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

/* Every path under root/rel, one line each, sorted: "d src 755", "f src/x.c 644", "l lnk". */
static void list_tree(const char *root, const char *rel, struct strvec *out)
{
	char *path = *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(path);
	ck_assert_ptr_nonnull(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		char *full = xasprintf("%s/%s", root, sub);
		struct stat st;
		ck_assert_int_eq(lstat(full, &st), 0);
		char *line = S_ISDIR(st.st_mode)   ? xasprintf("d %s %o", sub, st.st_mode & 07777)
			     : S_ISREG(st.st_mode) ? xasprintf("f %s %o", sub, st.st_mode & 07777)
						   : xasprintf("? %s", sub);
		strvec_push(out, line);
		if (S_ISDIR(st.st_mode))
			list_tree(root, sub, out);
		free(line);
		free(full);
		free(sub);
	}
	closedir(d);
	free(path);
}

static char *listing(const char *root)
{
	struct strvec v = STRVEC_INIT;
	list_tree(root, "", &v);
	if (v.n > 0)
		qsort(v.v, v.n, sizeof v.v[0], cmp_path);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < v.n; i++)
		buf_printf(&b, "%s\n", v.v[i]);
	strvec_free(&v);
	return buf_detach(&b);
}

static void assert_listing(const char *root, const char *expected)
{
	char *got = listing(root);
	ck_assert_str_eq(got, expected);
	free(got);
}

static void assert_file(const char *rel, const char *contents)
{
	char *p = xasprintf("%s/%s", dest, rel);
	struct buf b = BUF_INIT;
	ck_assert_msg(read_file(p, &b) == 0, "%s: %s", p, strerror(errno));
	ck_assert_str_eq(b.data ? b.data : "", contents);
	buf_free(&b);
	free(p);
}

/* Unpacks into dest with generous caps; returns the result, `err` holds the message. */
static int unpack(const char *path, long long max_bytes, long max_entries, struct buf *err)
{
	int fds = tu_count_fds();
	int rc = unpacker(path, dest, max_bytes, max_entries, err);
	ck_assert_int_eq(tu_count_fds(), fds);
	return rc;
}

START_TEST(names)
{
	ck_assert(archive_is_archive("class/ana.zip"));
	ck_assert(archive_is_archive("bruno.tar.gz"));
	ck_assert(archive_is_archive("c.tgz"));
	ck_assert(archive_is_archive("d.tar"));
	ck_assert(archive_is_archive("e.tar.xz"));
	ck_assert(archive_is_archive("f.tar.bz2"));
	ck_assert(archive_is_archive("Gil.ZIP"));
	ck_assert(!archive_is_archive("ana"));
	ck_assert(!archive_is_archive("notes.gz"));
	ck_assert(!archive_is_archive("x.rar"));
	ck_assert(!archive_is_archive(".zip"));
	ck_assert(!archive_is_archive("class/ana.zip.txt"));
	const char *cases[][2] = {
		{ "ana.zip", "ana" }, { "class/bruno.tar.gz", "bruno" },
		{ "c.tgz", "c" },     { "d.e.tar.bz2", "d.e" },
		{ "Gil.ZIP", "Gil" }, { "folder/plain", "plain" },
		{ "x.tar.xz", "x" },  { "y.tar", "y" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = archive_student_name(cases[i][0]);
		ck_assert_str_eq(s, cases[i][1]);
		free(s);
	}
}
END_TEST

START_TEST(normal)
{
	const struct ent ents[] = {
		{ "main.c", 'f', "int main(void) { return 0; }\n", 0 },
		{ "run.sh", 'f', "#!/bin/sh\necho hi\n", 0750 },
		{ "src/", 'd', NULL, 0700 },
		{ "src/util.c", 'f', "int util;\n", 04666 },
		{ "docs/notes.txt", 'f', "", 0600 }, /* its folder has no entry of its own */
		{ "./empty/", 'd', NULL, 0 },
	};
	char *name = xasprintf("ana.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 1000, 10, &err) == 0, "%s", err.data);
	ck_assert_uint_eq(err.len, 0);
	assert_listing(dest, "d docs 755\n"
			     "f docs/notes.txt 644\n"
			     "d empty 755\n"
			     "f main.c 644\n"
			     "f run.sh 755\n"
			     "d src 755\n"
			     "f src/util.c 644\n");
	assert_file("main.c", "int main(void) { return 0; }\n");
	assert_file("run.sh", "#!/bin/sh\necho hi\n");
	assert_file("src/util.c", "int util;\n");
	assert_file("docs/notes.txt", "");
	free(path);
	free(name);
}
END_TEST

/* One top-level folder is unwrapped; macOS metadata does not count as a second one. */
START_TEST(wrapped)
{
	const struct ent ents[] = {
		{ "ana/", 'd', NULL, 0 },
		{ "ana/main.c", 'f', "int main;\n", 0 },
		{ "ana/src/util.c", 'f', "int util;\n", 0 },
		{ "ana/.DS_Store", 'f', "junk", 0 },
		{ "__MACOSX/", 'd', NULL, 0 },
		{ "__MACOSX/ana/._main.c", 'f', "junk", 0 },
	};
	char *name = xasprintf("ana.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 1000, 10, &err) == 0, "%s", err.data);
	ck_assert_uint_eq(err.len, 0);
	assert_listing(dest, "f main.c 644\nd src 755\nf src/util.c 644\n");
	assert_file("main.c", "int main;\n");
	assert_file("src/util.c", "int util;\n");
	free(path);
	free(name);
}
END_TEST

/* Only one level is unwrapped, and only a folder: a second top-level name or a single file
 * stays as it is. */
START_TEST(not_wrapped)
{
	const struct ent twice[] = { { "ana/ana/main.c", 'f', "x", 0 } };
	const struct ent two_tops[] = { { "ana/main.c", 'f', "x", 0 }, { "README", 'f', "r", 0 } };
	const struct ent one_file[] = { { "./main.c", 'f', "x", 0 } };
	struct buf err = BUF_INIT;
	char *p = MAKE("twice.tar.gz", TGZ, twice);
	ck_assert_int_eq(unpack(p, 100, 10, &err), 0);
	assert_listing(dest, "d ana 755\nf ana/main.c 644\n");
	free(p);
	ck_assert_int_eq(remove_tree(dest), 0);
	ck_assert_int_eq(mkdir(dest, 0755), 0);
	p = MAKE("two.zip", ZIP, two_tops);
	ck_assert_int_eq(unpack(p, 100, 10, &err), 0);
	assert_listing(dest, "f README 644\nd ana 755\nf ana/main.c 644\n");
	free(p);
	ck_assert_int_eq(remove_tree(dest), 0);
	ck_assert_int_eq(mkdir(dest, 0755), 0);
	p = MAKE("one.zip", ZIP, one_file);
	ck_assert_int_eq(unpack(p, 100, 10, &err), 0);
	assert_listing(dest, "f main.c 644\n");
	free(p);
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

/* A ".." that climbs out fails the whole archive before anything is written. */
START_TEST(escape)
{
	const struct ent ents[] = {
		{ "main.c", 'f', "x", 0 },
		{ "a/../../escape.txt", 'f', "gotcha", 0 },
	};
	const struct ent simple[] = { { "../escape.txt", 'f', "gotcha", 0 } };
	const struct ent inside[] = { { "a/../b.txt", 'f', "fine", 0 } };
	char *name = xasprintf("evil.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	char *want =
		xasprintf("%s: entry \"a/../../escape.txt\" would escape the submission's folder",
			  name);
	ck_assert_str_eq(err.data, want);
	assert_listing(dest, "");
	char *outside = xasprintf("%s/escape.txt", dir);
	ck_assert_int_ne(access(outside, F_OK), 0);
	free(path);
	free(want);

	buf_reset(&err);
	path = make_archive(name, (enum fmt)_i, simple, 1);
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	want = xasprintf("%s: entry \"../escape.txt\" would escape the submission's folder", name);
	ck_assert_str_eq(err.data, want);
	ck_assert_int_ne(access(outside, F_OK), 0);
	assert_listing(dest, "");
	free(path);

	buf_reset(&err);
	path = make_archive(name, (enum fmt)_i, inside, 1);
	ck_assert_int_eq(unpack(path, 100, 10, &err), 0);
	assert_listing(dest, "f b.txt 644\n");
	free(path);
	free(want);
	free(outside);
	free(name);
	buf_free(&err);
}
END_TEST

START_TEST(absolute)
{
	char *target = xasprintf("%s/abs.txt", dir);
	const struct ent ents[] = { { "main.c", 'f', "x", 0 }, { target, 'f', "gotcha", 0 } };
	char *name = xasprintf("evil.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	char *want = xasprintf("%s: entry \"%s\" would escape the submission's folder", name,
			       target);
	ck_assert_str_eq(err.data, want);
	ck_assert_int_ne(access(target, F_OK), 0);
	assert_listing(dest, "");
	buf_free(&err);
	free(want);
	free(path);
	free(name);
	free(target);
}
END_TEST

/* Links are skipped with a note; a file "under" a skipped link goes into a real folder. */
START_TEST(links)
{
	char *outside = xasprintf("%s/outside", dir);
	ck_assert_int_eq(mkdir(outside, 0755), 0);
	const struct ent ents[] = {
		{ "passwd", 's', "/etc/passwd", 0 },
		{ "lnk", 's', outside, 0 },
		{ "lnk/x.txt", 'f', "inside", 0 },
		{ "main.c", 'f', "x", 0 },
	};
	char *name = xasprintf("links.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 100, 10, &err) == 0, "%s", err.data);
	char *want = xasprintf("%s: skipped \"passwd\", a symbolic link: links are not unpacked\n"
			       "%s: skipped \"lnk\", a symbolic link: links are not unpacked\n",
			       name, name);
	ck_assert_str_eq(err.data, want);
	char *p = xasprintf("%s/passwd", dest);
	struct stat st;
	ck_assert_int_eq(lstat(p, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_listing(dest, "d lnk 755\nf lnk/x.txt 644\nf main.c 644\n");
	assert_listing(outside, "");
	buf_free(&err);
	free(p);
	free(want);
	free(path);
	free(name);
	free(outside);
}
END_TEST

START_TEST(hard_link)
{
	const struct ent ents[] = {
		{ "main.c", 'f', "x", 0 },
		{ "hard", 'h', "/etc/passwd", 0 },
		{ "copy", 'h', "main.c", 0 },
	};
	char *path = MAKE("hard.tar.gz", TGZ, ents);
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 100, 10, &err) == 0, "%s", err.data);
	ck_assert_str_eq(err.data,
			 "hard.tar.gz: skipped \"hard\", a hard link: links are not unpacked\n"
			 "hard.tar.gz: skipped \"copy\", a hard link: links are not unpacked\n");
	assert_listing(dest, "f main.c 644\n");
	buf_free(&err);
	free(path);
}
END_TEST

START_TEST(fifo)
{
	const struct ent ents[] = { { "main.c", 'f', "x", 0 }, { "pipe", 'p', NULL, 0 } };
	char *path = MAKE("fifo.tar.gz", TGZ, ents);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	ck_assert_str_eq(err.data, "fifo.tar.gz: entry \"pipe\" is a device, FIFO or socket; a "
				   "submission holds only files and folders");
	assert_listing(dest, "");
	buf_free(&err);
	free(path);
}
END_TEST

START_TEST(too_big)
{
	static char big[2001];
	memset(big, 'a', sizeof big - 1);
	const struct ent ents[] = { { "small.txt", 'f', "x", 0 }, { "big.txt", 'f', big, 0 } };
	char *name = xasprintf("big.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 1000, 10, &err), -1);
	char *want = xasprintf("%s: the files inside add up to more than 1000 bytes, the most "
			       "pipegrade unpacks; leave build outputs and data files out of the "
			       "archive",
			       name);
	ck_assert_str_eq(err.data, want);
	assert_listing(dest, "");
	buf_reset(&err);
	ck_assert_int_eq(unpack(path, 2001, 10, &err), 0);
	assert_listing(dest, "f big.txt 644\nf small.txt 644\n");
	buf_free(&err);
	free(want);
	free(path);
	free(name);
}
END_TEST

START_TEST(too_many)
{
	const struct ent ents[] = {
		{ "a", 'f', "1", 0 },
		{ "b/", 'd', NULL, 0 },
		{ "b/c", 'f', "3", 0 },
		{ "d", 'f', "4", 0 },
	};
	char *path = MAKE("many.zip", ZIP, ents);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 3, &err), -1);
	ck_assert_str_eq(err.data, "many.zip: the archive holds more than 3 files and folders, the "
				   "most pipegrade unpacks");
	assert_listing(dest, "");
	buf_free(&err);
	free(path);
}
END_TEST

/* Data that fails while written (a bad CRC, seen only when the data is read) leaves dest
 * empty again. */
START_TEST(damaged_data)
{
	const struct ent ents[] = {
		{ "a.txt", 'f', "first file\n", 0 },
		{ "b.txt", 'f', "SECOND-FILE-DATA\n", 0 },
	};
	char *path = MAKE("bad.zip", ZIP, ents);
	struct buf zip = BUF_INIT;
	ck_assert_int_eq(read_file(path, &zip), 0);
	char *data = memmem(zip.data, zip.len, "SECOND-FILE-DATA", 16);
	ck_assert_ptr_nonnull(data);
	data[0] = 'X';
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(zip.data, 1, zip.len, f), zip.len);
	fclose(f);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	const char *want = "bad.zip: entry \"b.txt\" cannot be read: ";
	ck_assert_msg(strncmp(err.data, want, strlen(want)) == 0, "%s", err.data);
	ck_assert_ptr_nonnull(strstr(err.data, "CRC"));
	assert_listing(dest, "");
	buf_free(&err);
	buf_free(&zip);
	free(path);
}
END_TEST

/* Replaces every `from` in the file with `to` (as long), as a hex editor would. */
static void patch_file(const char *path, const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	ck_assert_int_eq(read_file(path, &b), 0);
	int found = 0;
	for (char *p = b.data; (p = memmem(p, b.len - (size_t)(p - b.data), from, strlen(from)));
	     found++)
		memcpy(p, to, strlen(to));
	ck_assert_int_gt(found, 0);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.data, 1, b.len, f), b.len);
	ck_assert_int_eq(fclose(f), 0);
	buf_free(&b);
}

/* Spaces, leading dashes, UTF-8 and bytes that are not UTF-8 are kept as they are. */
START_TEST(odd_names)
{
	const struct ent ents[] = {
		{ "my file.c", 'f', "space\n", 0 },
		{ "-rf", 'f', "dash\n", 0 },
		{ "dir with space/--help", 'f', "both\n", 0 },
		{ "caf\xc3\xa9.c", 'f', "utf8\n", 0 },
		{ "raw-##.txt", 'f', "latin1\n", 0 },
	};
	char *name = xasprintf("odd.%s", fmt_ext[_i]);
	char *path = make_archive(name, (enum fmt)_i, ents, sizeof ents / sizeof ents[0]);
	if (_i == ZIP) /* a zip without the UTF-8 flag, from a Latin-1 machine */
		patch_file(path, "raw-##.txt", "raw-\xe9\xff.txt");
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 100, 10, &err) == 0, "%s", err.data);
	ck_assert_uint_eq(err.len, 0);
	const char *raw = _i == ZIP ? "raw-\xe9\xff.txt" : "raw-##.txt";
	char *want = xasprintf("f -rf 644\n"
			       "f caf\xc3\xa9.c 644\n"
			       "d dir with space 755\n"
			       "f dir with space/--help 644\n"
			       "f my file.c 644\n"
			       "f %s 644\n",
			       raw);
	assert_listing(dest, want);
	assert_file("my file.c", "space\n");
	assert_file("-rf", "dash\n");
	assert_file("dir with space/--help", "both\n");
	assert_file("caf\xc3\xa9.c", "utf8\n");
	assert_file(raw, "latin1\n");
	free(want);
	free(path);
	free(name);
}
END_TEST

/* A tar made where names are Latin-1: the bytes stay as they are. */
START_TEST(latin1_tar)
{
	const struct ent ents[] = { { "caf\xe9-\xff.txt", 'f', "latin1\n", 0 } };
	char *path = MAKE("latin1.tar", TAR, ents);
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 100, 10, &err) == 0, "%s", err.data);
	assert_listing(dest, "f caf\xe9-\xff.txt 644\n");
	assert_file("caf\xe9-\xff.txt", "latin1\n");
	free(path);
}
END_TEST

START_TEST(not_an_archive)
{
	tu_write(dir, "notes.zip", "these are my notes, not a zip\n");
	char *path = xasprintf("%s/notes.zip", dir);
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	ck_assert_str_eq(err.data, "notes.zip: Unrecognized archive format");
	assert_listing(dest, "");
	buf_reset(&err);
	char *missing = xasprintf("%s/gone.zip", dir);
	ck_assert_int_eq(unpack(missing, 100, 10, &err), -1);
	ck_assert_str_eq(err.data, "gone.zip: cannot open it: No such file or directory");
	buf_free(&err);
	free(missing);
	free(path);
}
END_TEST

/* dest must be empty: pipegrade never mixes an archive into files already there. */
START_TEST(dest_not_empty)
{
	const struct ent ents[] = { { "main.c", 'f', "new", 0 } };
	char *path = MAKE("ana.zip", ZIP, ents);
	tu_write(dest, "main.c", "old");
	struct buf err = BUF_INIT;
	ck_assert_int_eq(unpack(path, 100, 10, &err), -1);
	char *want = xasprintf("ana.zip: the folder to unpack into, %s, is not empty", dest);
	ck_assert_str_eq(err.data, want);
	assert_file("main.c", "old");
	buf_free(&err);
	free(want);
	free(path);
}
END_TEST

/* In the confined worker, as root, what is unpacked belongs to a sandbox slot's unprivileged
 * uid, the one the worker ran as: not to root. */
START_TEST(confined_worker_unprivileged)
{
	if (geteuid() != 0) {
		tu_skip("confined_worker_unprivileged",
			"as an ordinary user the worker keeps your uid");
		return;
	}
	const struct ent ents[] = { { "main.c", 'f', "int main(void) { return 0; }\n", 0 } };
	char *path = MAKE("ana.zip", ZIP, ents);
	struct buf err = BUF_INIT;
	ck_assert_msg(unpack(path, 1000, 10, &err) == 0, "%s", err.data);
	char *file = xasprintf("%s/main.c", dest);
	struct stat st, d;
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(stat(dest, &d), 0);
	uid_t base = sandbox_slot_uid_base();
	ck_assert_uint_ge(st.st_uid, base);
	ck_assert_uint_lt(st.st_uid, base + SANDBOX_SLOTS);
	ck_assert_uint_eq(d.st_uid, st.st_uid);
	buf_free(&err);
	free(file);
	free(path);
}
END_TEST

static void add_all(TCase *tc)
{
	tcase_add_loop_test(tc, normal, ZIP, TAR + 1);
	tcase_add_loop_test(tc, wrapped, ZIP, TAR + 1);
	tcase_add_test(tc, not_wrapped);
	tcase_add_loop_test(tc, escape, ZIP, TAR + 1);
	tcase_add_loop_test(tc, absolute, ZIP, TAR + 1);
	tcase_add_loop_test(tc, links, ZIP, TAR + 1);
	tcase_add_test(tc, hard_link);
	tcase_add_test(tc, fifo);
	tcase_add_loop_test(tc, too_big, ZIP, TAR + 1);
	tcase_add_test(tc, too_many);
	tcase_add_test(tc, damaged_data);
	tcase_add_loop_test(tc, odd_names, ZIP, TAR + 1);
	tcase_add_test(tc, latin1_tar);
	tcase_add_test(tc, not_an_archive);
	tcase_add_test(tc, dest_not_empty);
}

Suite *archive_suite(void)
{
	Suite *s = suite_create("archive");
	TCase *tc = tcase_create("archive");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, names);
	add_all(tc);
	suite_add_tcase(s, tc);
	tc = tcase_create("confined");
	tcase_add_checked_fixture(tc, setup_confined, teardown);
	add_all(tc);
	tcase_add_test(tc, confined_worker_unprivileged);
	suite_add_tcase(s, tc);
	return s;
}
