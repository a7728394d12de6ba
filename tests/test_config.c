/*
 * test_config.c: the "config" suite: loading grading.yaml (harness/config.c).
 *
 * Valid files: tests/config/full/grading.yaml (every key and form, checked value by value) and
 * small files written to a temporary directory. Errors: each kind of mistake in its own small
 * file, asserting the exact "path:line:column: message" lines and that the course stays empty.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "i18n.h"
#include "suites.h"
#include "testutil.h"
#include "util.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static const char minimal_case[] = "exercises:\n"
				   "  - id: e\n"
				   "    title: t\n"
				   "    binary: b\n"
				   "    cases:\n"
				   "      - name: c\n";

/* A temporary course directory with grading.yaml holding `yaml`. */
struct tmp_course {
	char *dir;
	char *path;
};

static struct tmp_course tmp_course_write(const char *yaml)
{
	struct tmp_course t;
	t.dir = tu_mkdtemp();
	t.path = xasprintf("%s/grading.yaml", t.dir);
	tu_write(t.dir, "grading.yaml", yaml);
	return t;
}

static void tmp_course_free(struct tmp_course *t)
{
	free(t->path);
	tu_rmdir(t->dir);
}

/* Loads `yaml` expecting success. */
static void load_ok(const char *yaml, struct course *c)
{
	struct tmp_course t = tmp_course_write(yaml);
	struct buf err = BUF_INIT;
	int rc = config_load(t.path, c, &err);
	ck_assert_msg(rc == 0, "config_load failed:\n%s", err.data ? err.data : "");
	ck_assert_uint_eq(err.len, 0);
	buf_free(&err);
	tmp_course_free(&t);
}

/* Loads `yaml` expecting failure; returns the error text with the temporary path replaced by
 * "F" and its directory by "DIR", so expectations can be written as constants. */
static char *load_errors(const char *yaml)
{
	struct tmp_course t = tmp_course_write(yaml);
	struct course c;
	struct buf err = BUF_INIT, out = BUF_INIT;
	ck_assert_int_eq(config_load(t.path, &c, &err), -1);
	ck_assert_ptr_null(c.exercises);
	ck_assert_ptr_null(c.compiler);
	ck_assert_ptr_null(c.cflags.v);
	ck_assert_uint_eq(c.nexercises, 0);
	course_free(&c);
	size_t plen = strlen(t.path), dlen = strlen(t.dir);
	for (size_t i = 0; i < err.len;) {
		if (!strncmp(err.data + i, t.path, plen)) {
			buf_puts(&out, "F");
			i += plen;
		} else if (!strncmp(err.data + i, t.dir, dlen)) {
			buf_puts(&out, "DIR");
			i += dlen;
		} else {
			buf_append(&out, err.data + i++, 1);
		}
	}
	buf_free(&err);
	tmp_course_free(&t);
	return buf_detach(&out);
}

/* Asserts the exact error output of `yaml`: one "F:line:col: message" line per argument. */
static void expect_errors(const char *yaml, const char *const *lines)
{
	struct buf want = BUF_INIT;
	for (size_t i = 0; lines[i]; i++)
		buf_printf(&want, "F:%s\n", lines[i]);
	char *got = load_errors(yaml);
	ck_assert_msg(!strcmp(got, want.data), "errors differ.\n--- got:\n%s--- want:\n%s", got,
		      want.data);
	free(got);
	buf_free(&want);
}

#define EXPECT_ERRORS(yaml, ...) expect_errors((yaml), (const char *const[]){ __VA_ARGS__, NULL })

/* A file with one case whose body (indented lines, after "- name: c") is `body`. */
static char *with_case(const char *body)
{
	return xasprintf("%s%s", minimal_case, body);
}

#define EXPECT_CASE_ERRORS(body, ...)                                                              \
	do {                                                                                       \
		char *y_ = with_case(body);                                                        \
		EXPECT_ERRORS(y_, __VA_ARGS__);                                                    \
		free(y_);                                                                          \
	} while (0)

static void assert_mem(const char *got, size_t got_len, const char *want, size_t want_len)
{
	ck_assert_uint_eq(got_len, want_len);
	ck_assert_msg(!memcmp(got, want, want_len), "bytes differ");
}

#define ASSERT_MEM(got, got_len, lit) assert_mem((got), (got_len), (lit), sizeof(lit) - 1)

/* The bytes a `struct data` stands for, as a case would get them. */
static void assert_data(const struct data *d, const char *want, size_t len)
{
	struct buf b = BUF_INIT, err = BUF_INIT;
	ck_assert_msg(data_load(d, &b, &err) == 0, "%s", err.data);
	assert_mem(b.data ? b.data : "", b.len, want, len);
	ck_assert_uint_eq(d->size, len);
	buf_free(&b);
	buf_free(&err);
}

#define ASSERT_DATA(d, lit) assert_data((d), (lit), sizeof(lit) - 1)

static void assert_limits(const struct limits *l, double wall, double cpu, long long out)
{
	ck_assert_double_eq(l->wall_s, wall);
	ck_assert_double_eq(l->cpu_s, cpu);
	ck_assert_int_eq(l->output_bytes, out);
}

/* The sandbox limits: memory, processes, file_size, open_files. */
static void assert_sandbox_limits(const struct limits *l, long long mem, int procs, long long file,
				  int fds)
{
	ck_assert_int_eq(l->memory_bytes, mem);
	ck_assert_int_eq(l->processes, procs);
	ck_assert_int_eq(l->file_bytes, file);
	ck_assert_int_eq(l->open_files, fds);
}

#define ASSERT_SANDBOX_DEFAULTS(l)                                                                 \
	assert_sandbox_limits((l), DEFAULT_MEMORY_BYTES, DEFAULT_PROCESSES, DEFAULT_FILE_BYTES,    \
			      DEFAULT_OPEN_FILES)

/* ---- valid files -------------------------------------------------------------------------- */

static struct course full;

static void full_setup(void)
{
	struct buf err = BUF_INIT;
	int rc = config_load(tu_path("tests/config/full/grading.yaml"), &full, &err);
	ck_assert_msg(rc == 0, "full example failed:\n%s", err.data ? err.data : "");
	buf_free(&err);
}

static void full_teardown(void)
{
	course_free(&full);
}

START_TEST(full_course_level)
{
	ck_assert_str_eq(full.path, tu_path("tests/config/full/grading.yaml"));
	ck_assert_str_eq(full.dir, tu_path("tests/config/full"));
	ck_assert_str_eq(ltext_get(&full.title), "Sistemas Operativos: tuberías");
	ck_assert_str_eq(full.compiler, "gcc");
	ck_assert_uint_eq(full.cflags.n, 3);
	ck_assert_str_eq(full.cflags.v[0], "-std=c17");
	ck_assert_str_eq(full.cflags.v[2], "-Werror");
	ck_assert_ptr_null(full.cflags.v[3]);
	ck_assert_double_eq(full.build_timeout_s, 30.5);
	ck_assert_int_eq(full.hidden_visibility, VIS_AFTER_PUBLISHED);
	assert_limits(&full.limits, 8, 4, 1024 * 1024);
	ck_assert_uint_eq(full.nexercises, 2);
}
END_TEST

START_TEST(full_exercises)
{
	const struct exercise *ex = &full.exercises[0];
	ck_assert_str_eq(ex->id, "01-hello");
	ck_assert_str_eq(ltext_get(&ex->title), "Hola, tubería");
	ck_assert_str_eq(ex->statement, tu_path("tests/config/full/exercises/01-hello/README.md"));
	ck_assert_str_eq(ex->binary, "hello");
	ck_assert_int_eq(ex->build, BUILD_MAKE);
	assert_limits(&ex->limits, 5, -1, 64 * 1024);
	ck_assert_uint_eq(ex->ncases, 4);
	ck_assert_int_eq(ex->line, 14);

	ex = &full.exercises[1];
	ck_assert_str_eq(ex->id, "02_pipe.v2");
	ck_assert_str_eq(ltext_get(&ex->title), "Pipe");
	ck_assert_ptr_null(ex->statement);
	ck_assert_int_eq(ex->build, BUILD_AUTO);
	assert_limits(&ex->limits, -1, -1, -1);
	ck_assert_uint_eq(ex->ncases, 1);
}
END_TEST

START_TEST(full_first_case)
{
	const struct test_case *tc = &full.exercises[0].cases[0];
	ck_assert_str_eq(tc->name, "mensaje por defecto");
	ck_assert_int_eq(tc->line, 21);
	ck_assert_uint_eq(tc->args.n, 5);
	ck_assert_str_eq(tc->args.v[0], "uno");
	ck_assert_str_eq(tc->args.v[1], "dos tres");
	ck_assert_str_eq(tc->args.v[2], "3"); /* numbers keep their text */
	ck_assert_str_eq(tc->args.v[3], "2.50");
	ck_assert_str_eq(tc->args.v[4], "true");
	ASSERT_DATA(&tc->in, "texto\0con NUL\n");
	ck_assert(tc->out.set);
	ck_assert_int_eq(tc->out.mode, CMP_EXACT);
	ASSERT_DATA(&tc->out.want, "Hijo recibió: Hola\n");
	ck_assert(tc->err.set);
	ck_assert_int_eq(tc->err.mode, CMP_EXACT);
	ASSERT_DATA(&tc->err.want, "");
	ck_assert(tc->exit_set);
	ck_assert_int_eq(tc->exit_status, 0);
	ck_assert_double_eq(tc->points, 2.5);
	ck_assert(!tc->hidden);
	ck_assert_int_eq(tc->visibility, VIS_VISIBLE);
	assert_limits(&tc->limits, 2, 1.5, 512);
	ck_assert_str_eq(ltext_get(&tc->hint), "Cierra el extremo de escritura en el hijo.");
}
END_TEST

START_TEST(full_files_and_modes)
{
	const struct test_case *tc = &full.exercises[0].cases[1];
	ck_assert_str_eq(tc->name, "oculto");
	ASSERT_DATA(&tc->in, "a\0b\n");
	ck_assert_int_eq(tc->out.mode, CMP_TRAILING_WS);
	ASSERT_DATA(&tc->out.want, "3 lines\n");
	ck_assert(!tc->err.set);
	ck_assert_int_eq(tc->exit_status, 3);
	ck_assert_double_eq(tc->points, 0);
	ck_assert(tc->hidden);
	ck_assert_int_eq(tc->visibility, VIS_AFTER_PUBLISHED);
	ck_assert_ptr_null(ltext_get(&tc->hint));
	assert_limits(&tc->limits, 5, 4, 64 * 1024); /* exercise, course, exercise */

	tc = &full.exercises[0].cases[2];
	ASSERT_DATA(&tc->in, "ab\0ab\0ab\0ab\0");
	ck_assert_int_eq(tc->out.mode, CMP_CONTAINS);
	ASSERT_DATA(&tc->out.want, "abab");
	ck_assert_int_eq(tc->err.mode, CMP_REGEX);
	ASSERT_DATA(&tc->err.want, "^[0-9]+ lines$\n");
	ck_assert(!tc->exit_set);
	ck_assert_double_eq(tc->points, 1);
	assert_limits(&tc->limits, 5, 2, 64 * 1024); /* exercise, case, exercise */
}
END_TEST

START_TEST(full_scalar_styles)
{
	const struct test_case *tc = &full.exercises[0].cases[3];
	ck_assert_str_eq(tc->name, "bloques");
	ASSERT_DATA(&tc->in, "it's");
	ASSERT_DATA(&tc->out.want, "line 1\n  line 2\n");
	ASSERT_DATA(&tc->err.want, "folded text\n");
	ck_assert(tc->hidden);

	tc = &full.exercises[1].cases[0];
	ck_assert_str_eq(tc->name, "vacío");
	ASSERT_DATA(&tc->in, "");
	ASSERT_DATA(&tc->out.want, "\0");
	ck_assert_int_eq(tc->exit_status, 255);
	assert_limits(&tc->limits, 8, 4, 1024 * 1024); /* all from the course */
}
END_TEST

START_TEST(defaults_when_omitted)
{
	struct course c;
	load_ok(minimal_case, &c);
	ck_assert_ptr_null(ltext_get(&c.title));
	ck_assert_str_eq(c.lang, "en");
	ck_assert_str_eq(c.compiler, "cc");
	ck_assert_uint_eq(c.cflags.n, 4);
	const char *flags[] = { "-std=c17", "-Wall", "-Wextra", "-O2" };
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(c.cflags.v[i], flags[i]);
	ck_assert_double_eq(c.build_timeout_s, DEFAULT_BUILD_TIMEOUT_S);
	ck_assert_int_eq(c.hidden_visibility, VIS_HIDDEN);
	assert_limits(&c.limits, DEFAULT_WALL_S, DEFAULT_CPU_S, DEFAULT_OUTPUT_BYTES);
	ASSERT_SANDBOX_DEFAULTS(&c.limits);
	const struct exercise *ex = &c.exercises[0];
	assert_sandbox_limits(&ex->limits, -1, -1, -1, -1);
	ck_assert_int_eq(ex->build, BUILD_AUTO);
	ck_assert_ptr_null(ex->statement);
	const struct test_case *tc = &ex->cases[0];
	ck_assert_uint_eq(tc->args.n, 0);
	ck_assert_ptr_null(tc->in.text);
	ck_assert_ptr_null(tc->in.file);
	ck_assert_uint_eq(tc->in.size, 0);
	ck_assert(!tc->out.set && !tc->err.set && !tc->exit_set && !tc->hidden);
	ck_assert_double_eq(tc->points, 1);
	ck_assert_int_eq(tc->visibility, VIS_VISIBLE);
	ck_assert_ptr_null(ltext_get(&tc->hint));
	assert_limits(&tc->limits, DEFAULT_WALL_S, DEFAULT_CPU_S, DEFAULT_OUTPUT_BYTES);
	ASSERT_SANDBOX_DEFAULTS(&tc->limits);
	course_free(&c);
}
END_TEST

START_TEST(hidden_default_visibility)
{
	struct course c;
	char *y = with_case("        hidden: true\n      - name: d\n        hidden: FALSE\n");
	load_ok(y, &c);
	ck_assert_int_eq(c.exercises[0].cases[0].visibility, VIS_HIDDEN);
	ck_assert_int_eq(c.exercises[0].cases[1].visibility, VIS_VISIBLE);
	course_free(&c);
	free(y);
}
END_TEST

START_TEST(empty_cflags_and_limits)
{
	struct course c;
	load_ok("defaults: {cflags: [], limits: {output: 0}}\n"
		"exercises:\n"
		"  - {id: e, title: t, binary: b, limits: {cpu: 3600}, cases: [{name: c, limits: {wall: 0.25}}]}\n",
		&c);
	ck_assert_uint_eq(c.cflags.n, 0);
	assert_limits(&c.limits, DEFAULT_WALL_S, DEFAULT_CPU_S, 0);
	assert_limits(&c.exercises[0].cases[0].limits, 0.25, 3600, 0);
	course_free(&c);
}
END_TEST

START_TEST(output_sizes)
{
	static const struct {
		const char *text;
		long long bytes;
	} sizes[] = {
		{ "512B", 512 },       { "64KiB", 65536 },     { "\"1 MiB\"", 1048576 },
		{ "1GiB", 1LL << 30 }, { "1048576", 1048576 }, { "0", 0 },
		{ "'2048'", 2048 },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *body = xasprintf("        limits: {output: %s}\n", sizes[i].text);
		char *y = with_case(body);
		struct course c;
		load_ok(y, &c);
		ck_assert_int_eq(c.exercises[0].cases[0].limits.output_bytes, sizes[i].bytes);
		course_free(&c);
		free(y);
		free(body);
	}
}
END_TEST

/* One sandbox limit (by index: memory, processes, file_size, open_files, disk) of `l`. */
static long long sandbox_limit(const struct limits *l, size_t which)
{
	switch (which) {
	case 0:
		return l->memory_bytes;
	case 1:
		return l->processes;
	case 2:
		return l->file_bytes;
	case 3:
		return l->open_files;
	default:
		return l->disk_bytes;
	}
}

/* Each sandbox limit set at the three levels, with values at the ends of its range: a case
 * takes its own, else its exercise's, else the course's; the other limits stay built-in. */
START_TEST(sandbox_limits_resolve)
{
	static const struct {
		const char *key, *course, *exercise, *kase;
		long long course_v, exercise_v, case_v, builtin;
	} keys[] = {
		{ "memory", "64GiB", "\"1 GiB\"", "1048576", 64LL << 30, 1LL << 30, 1LL << 20,
		  DEFAULT_MEMORY_BYTES },
		{ "processes", "4096", "1", "+8", 4096, 1, 8, DEFAULT_PROCESSES },
		{ "file_size", "16GiB", "0", "'512 KiB'", 16LL << 30, 0, 512 << 10,
		  DEFAULT_FILE_BYTES },
		{ "open_files", "65536", "4", "100", 65536, 4, 100, DEFAULT_OPEN_FILES },
		{ "disk", "16GiB", "1MiB", "'8 MiB'", 16LL << 30, 1 << 20, 8 << 20,
		  DEFAULT_DISK_BYTES },
	};
	for (size_t k = 0; k < 5; k++) {
		char *y =
			xasprintf("defaults: {limits: {%s: %s}}\n"
				  "exercises:\n"
				  "  - {id: e, title: t, binary: b, limits: {%s: %s},\n"
				  "     cases: [{name: c, limits: {%s: %s}}, {name: d, limits: {}}]}\n"
				  "  - {id: f, title: t, binary: b, cases: [{name: g}]}\n",
				  keys[k].key, keys[k].course, keys[k].key, keys[k].exercise,
				  keys[k].key, keys[k].kase);
		struct course c;
		load_ok(y, &c);
		const struct exercise *e = &c.exercises[0], *f = &c.exercises[1];
		ck_assert_int_eq(sandbox_limit(&c.limits, k), keys[k].course_v);
		ck_assert_int_eq(sandbox_limit(&e->limits, k), keys[k].exercise_v);
		ck_assert_int_eq(sandbox_limit(&f->limits, k), -1);
		ck_assert_int_eq(sandbox_limit(&e->cases[0].limits, k), keys[k].case_v);
		ck_assert_int_eq(sandbox_limit(&e->cases[1].limits, k), keys[k].exercise_v);
		ck_assert_int_eq(sandbox_limit(&f->cases[0].limits, k), keys[k].course_v);
		for (size_t other = 0; other < 5; other++)
			if (other != k)
				ck_assert_int_eq(sandbox_limit(&e->cases[0].limits, other),
						 keys[other].builtin);
		assert_limits(&e->cases[0].limits, DEFAULT_WALL_S, DEFAULT_CPU_S,
			      DEFAULT_OUTPUT_BYTES);
		course_free(&c);
		free(y);
	}
}
END_TEST

/* Every key resolves on its own: a case mixes its own, its exercise's, the course's and the
 * built-in limits. */
START_TEST(sandbox_limits_mixed)
{
	struct course c;
	load_ok("defaults: {limits: {memory: 256MiB, wall: 3}}\n"
		"exercises:\n"
		"  - id: e\n"
		"    title: t\n"
		"    binary: b\n"
		"    limits: {processes: 2, output: 4KiB}\n"
		"    cases:\n"
		"      - name: c\n"
		"        limits: {open_files: 16, cpu: 1}\n",
		&c);
	const struct test_case *tc = &c.exercises[0].cases[0];
	assert_sandbox_limits(&tc->limits, 256LL << 20, 2, DEFAULT_FILE_BYTES, 16);
	assert_limits(&tc->limits, 3, 1, 4096);
	assert_sandbox_limits(&c.exercises[0].limits, -1, 2, -1, -1);
	assert_sandbox_limits(&c.limits, 256LL << 20, DEFAULT_PROCESSES, DEFAULT_FILE_BYTES,
			      DEFAULT_OPEN_FILES);
	course_free(&c);
}
END_TEST

START_TEST(stdin_text_forms)
{
	struct course c;
	char *y = with_case("        stdin: {text: \"\\x00\\n\"}\n"
			    "      - name: d\n        stdin: \"\"\n"
			    "      - name: e\n        stdin: {repeat: \"\", times: 1000}\n"
			    "      - name: f\n        stdin: 42\n");
	load_ok(y, &c);
	const struct test_case *tc = c.exercises[0].cases;
	ASSERT_DATA(&tc[0].in, "\0\n");
	ASSERT_DATA(&tc[1].in, "");
	ASSERT_DATA(&tc[2].in, "");
	ASSERT_DATA(&tc[3].in, "42");
	course_free(&c);
	free(y);
}
END_TEST

START_TEST(stdin_repeat_large)
{
	struct course c;
	char *y = with_case("        stdin: {repeat: \"0123456789abcdef\", times: 1048576}\n");
	load_ok(y, &c);
	const struct test_case *tc = &c.exercises[0].cases[0];
	/* Kept as written until a case needs it... */
	ck_assert_uint_eq(tc->in.len, 16);
	ck_assert_uint_eq(tc->in.times, 1048576);
	ck_assert_uint_eq(tc->in.size, 16u << 20);
	/* ...then expanded whole. */
	struct buf b = BUF_INIT, err = BUF_INIT;
	ck_assert_int_eq(data_load(&tc->in, &b, &err), 0);
	ck_assert_uint_eq(b.len, 16u << 20);
	ck_assert(!memcmp(b.data, "0123456789abcdef0123", 20));
	ck_assert(!memcmp(b.data + b.len - 16, "0123456789abcdef", 16));
	ck_assert_int_eq(b.data[b.len], '\0');
	buf_free(&b);
	buf_free(&err);
	course_free(&c);
	free(y);
}
END_TEST

/* ---- errors ------------------------------------------------------------------------------- */

START_TEST(err_cannot_open)
{
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/nothere.yaml", dir);
	struct course c;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(path, &c, &err), -1);
	char *want = xasprintf("%s: cannot open: No such file or directory\n", path);
	ck_assert_str_eq(err.data, want);
	ck_assert_ptr_null(c.compiler);
	course_free(&c);
	free(want);
	free(path);
	buf_free(&err);
	tu_rmdir(dir);
}
END_TEST

START_TEST(err_syntax)
{
	EXPECT_ERRORS("exercises:\n  - id: a\n   title: b\n",
		      "3:4: syntax error: did not find expected '-' indicator "
		      "(while parsing a block collection at line 2, column 3)");
	/* Errors found before a syntax error are kept; nothing after it is checked. */
	EXPECT_ERRORS("a: &x 1\nb: \"open\n",
		      "1:4: YAML anchors (&x) are not supported; write the value out in full",
		      "3:1: syntax error: found unexpected end of stream "
		      "(while scanning a quoted scalar at line 2, column 4)");
	EXPECT_ERRORS("course: ok\ncourse: \xff\n",
		      "2:9: syntax error: invalid leading UTF-8 octet");
}
END_TEST

START_TEST(err_top_level)
{
	EXPECT_ERRORS("- a\n- b\n",
		      "1:1: the top level must be a mapping with an \"exercises\" list");
	EXPECT_ERRORS("",
		      "1:1: the file is empty; it must be a mapping with an \"exercises\" list");
	EXPECT_ERRORS("# only a comment\n",
		      "1:1: the file is empty; it must be a mapping with an \"exercises\" list");
	EXPECT_ERRORS("course: x\n", "1:1: the file needs an \"exercises\" list");
	EXPECT_ERRORS("exercises: []\n", "1:12: \"exercises\" must not be empty");
	EXPECT_ERRORS("exercises: {}\n", "1:12: \"exercises\" must be a list of exercises");
	EXPECT_ERRORS("exercises:\n",
		      "1:1: \"exercises\" must be a list of exercises; the value is empty");
	EXPECT_ERRORS("exercises: [1]\nx: 2\n---\ny: 3\n",
		      "1:13: an exercise must be a mapping with \"id\", \"title\", \"binary\" and \"cases\"",
		      "2:1: unknown key \"x\" at the top level; expected one of: course, defaults, exercises",
		      "3:1: only one YAML document is allowed in grading.yaml");
}
END_TEST

START_TEST(err_unknown_key)
{
	EXPECT_CASE_ERRORS("        stdot: \"a\\n\"\n",
			   "7:9: unknown key \"stdot\" in a case; expected one of: name, args, stdin, "
			   "stdout, stderr, exit, points, hidden, limits, hint, penalties, requires, monitor, files, expect_files, bonus, "
			   "fd_leak, stress");
	EXPECT_ERRORS("defaults: {compiler: cc, memory: 3}\nexercises: [{id: e, title: t, binary: b, "
		      "cases: [{name: c}], extra: 1, limits: {mem: 1}}]\n",
		      "1:26: unknown key \"memory\" in \"defaults\"; expected one of: compiler, cflags, "
		      "language, python, build_timeout, hidden_visibility, limits, penalties, monitor, kit, fd_leak, "
		      "stress, lang",
		      "2:62: unknown key \"extra\" in an exercise; expected one of: id, title, statement, "
		      "binary, build, language, limits, penalties, requires, monitor, bonus, kit, fd_leak, "
		      "stress, cases",
		      "2:81: unknown key \"mem\" in \"limits\"; expected one of: wall, cpu, output, "
		      "memory, processes, file_size, open_files, disk");
	EXPECT_CASE_ERRORS("        stdin: {txt: a}\n        stdout: {text: a, regex: b}\n",
			   "7:16: \"stdin\" needs one of \"text\", \"file\" or \"repeat\"",
			   "7:17: unknown key \"txt\" in \"stdin\"; expected one of: text, file, repeat, times",
			   "8:27: unknown key \"regex\" in \"stdout\"; expected one of: text, file, "
			   "sealed, mode");
	EXPECT_CASE_ERRORS("        \"a\\0\\nb\": 1\n        [x]: 1\n",
			   "7:9: unknown key \"a\\x00\\x0ab\" in a case; expected one of: name, args, stdin, "
			   "stdout, stderr, exit, points, hidden, limits, hint, penalties, requires, monitor, files, expect_files, bonus, "
			   "fd_leak, stress",
			   "8:9: a key must be a name, not a list or a mapping");
}
END_TEST

START_TEST(err_wrong_types)
{
	EXPECT_CASE_ERRORS("        exit: \"0\"\n"
			   "        points: -1\n"
			   "        hidden: yes\n"
			   "        args: uno\n"
			   "        hint: [x]\n"
			   "        stdin: [x]\n"
			   "        stdout: [x]\n"
			   "        limits: 3\n",
			   "7:15: \"exit\" must be an integer from 0 to 255; quoted values are strings, remove the quotes",
			   "8:17: \"points\" must be a number >= 0",
			   "9:17: \"hidden\" must be true or false",
			   "10:15: \"args\" must be a list of strings",
			   "11:15: \"hint\" must be a non-empty string or a mapping by language (en, "
			   "es, pt_BR)",
			   "12:16: \"stdin\" must be a string or a mapping with \"text\", \"file\" or \"repeat\"",
			   "13:17: \"stdout\" must be a string or a mapping with \"text\" or \"file\" and \"mode\"",
			   "14:17: \"limits\" must be a mapping with \"wall\", \"cpu\", \"output\", \"memory\", "
			   "\"processes\", \"file_size\", \"open_files\" or \"disk\"");
	EXPECT_CASE_ERRORS("        exit: 256\n        points: ten\n        hidden: \"true\"\n"
			   "      - name: d\n        exit: 1.0\n        points: 1e999\n",
			   "7:15: \"exit\" must be an integer from 0 to 255",
			   "8:17: \"points\" must be a number >= 0",
			   "9:17: \"hidden\" must be true or false; quoted values are strings, remove the quotes",
			   "11:15: \"exit\" must be an integer from 0 to 255",
			   "12:17: \"points\" must be a number >= 0");
}
END_TEST

START_TEST(err_empty_values)
{
	EXPECT_CASE_ERRORS("        stdout:\n        exit: ~\n        hint: null\n        args: [a, ~, [b]]\n",
			   "7:9: \"stdout\" must be a string or a mapping with \"text\" or \"file\" and \"mode\"; "
			   "the value is empty",
			   "8:15: \"exit\" must be an integer from 0 to 255; the value is empty",
			   "9:15: \"hint\" must be a non-empty string; the value is empty",
			   "10:19: each item of \"args\" must be a string; this one is empty",
			   "10:22: each item of \"args\" must be a string");
}
END_TEST

START_TEST(err_missing_required)
{
	EXPECT_ERRORS("exercises:\n  - title: t\n    cases:\n      - hint: h\n      - 3\n",
		      "2:5: an exercise needs an \"id\"", "2:5: an exercise needs a \"binary\"",
		      "4:9: a case needs a \"name\"",
		      "5:9: a case must be a mapping with \"name\" and its expectations");
	EXPECT_ERRORS("exercises:\n  - {id: e, binary: b}\n", "2:5: an exercise needs a \"title\"",
		      "2:5: an exercise needs a \"cases\" list");
	EXPECT_ERRORS("exercises:\n  - {id: e, title: t, binary: b, cases: []}\n",
		      "2:41: \"cases\" must not be empty");
}
END_TEST

START_TEST(err_duplicates)
{
	EXPECT_CASE_ERRORS("        stdout: a\n        exit: 1\n        stdout: b\n"
			   "      - name: c\n        stdin: {text: a, text: b}\n",
			   "9:9: duplicate key \"stdout\" (first given at line 7)",
			   "10:15: duplicate case name \"c\" (first used at line 6)",
			   "11:26: duplicate key \"text\" (first given at line 11)");
	EXPECT_ERRORS("exercises:\n"
		      "  - {id: e, title: t, binary: b, cases: [{name: c}]}\n"
		      "  - {id: f, title: t, binary: b, cases: [{name: c}]}\n"
		      "  - {id: e, title: t, binary: b, cases: [{name: c}]}\n",
		      "4:10: duplicate exercise id \"e\" (first used at line 2)");
}
END_TEST

START_TEST(err_missing_files)
{
	EXPECT_CASE_ERRORS("        stdin: {file: in.txt}\n"
			   "        stdout: {file: sub/out.txt, mode: contains}\n"
			   "        stderr: {file: /nonexistent/err.txt}\n",
			   "7:23: stdin file \"in.txt\" not found (looked in DIR)",
			   "8:24: stdout file \"sub/out.txt\" not found (looked in DIR)",
			   "9:24: stderr file \"/nonexistent/err.txt\" not found");
	/* A bad mode does not hide a missing file. */
	EXPECT_CASE_ERRORS("        stdout: {file: out.txt, mode: fuzzy}\n",
			   "7:24: stdout file \"out.txt\" not found (looked in DIR)",
			   "7:39: \"mode\" must be one of: exact, trailing_ws, contains, regex (got \"fuzzy\")");
	EXPECT_ERRORS("exercises:\n  - {id: e, title: t, statement: README.md, binary: b, cases: [{name: c}]}\n",
		      "2:34: statement file \"README.md\" not found (looked in DIR)");
	EXPECT_ERRORS("exercises:\n  - {id: e, title: t, statement: ., binary: b, cases: [{name: c}]}\n",
		      "2:34: statement file \".\" cannot be read: Is a directory");
}
END_TEST

START_TEST(files_next_to_yaml)
{
	/* A file next to grading.yaml in a temporary course: found, read, and its NUL kept. */
	struct tmp_course t = tmp_course_write(
		"exercises:\n  - id: e\n    title: t\n    binary: b\n"
		"    statement: st.md\n    cases:\n"
		"      - {name: c, stdin: {file: in.txt}, stdout: {file: out.txt}}\n");
	tu_write(t.dir, "in.txt", "hola\n");
	tu_write(t.dir, "out.txt", "");
	tu_write(t.dir, "st.md", "# t\n");
	struct course c;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(t.path, &c, &err), 0);
	const struct test_case *tc = &c.exercises[0].cases[0];
	ASSERT_DATA(&tc->in, "hola\n");
	ck_assert(tc->out.set);
	ASSERT_DATA(&tc->out.want, "");
	char *st = xasprintf("%s/st.md", t.dir);
	ck_assert_str_eq(c.exercises[0].statement, st);
	ck_assert_str_eq(c.dir, t.dir);
	free(st);
	course_free(&c);
	buf_free(&err);
	tmp_course_free(&t);
}
END_TEST

START_TEST(err_regex_and_mode)
{
	char *y = with_case("        stdout: {text: \"a(b\", mode: regex}\n"
			    "        stderr: {text: a, mode: fuzzy}\n");
	char *got = load_errors(y);
	const char *want1 = "F:7:24: bad regex in \"stdout\": ";
	ck_assert_msg(!strncmp(got, want1, strlen(want1)), "got:\n%s", got);
	const char *nl = strchr(got, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_str_eq(nl + 1,
			 "F:8:33: \"mode\" must be one of: exact, trailing_ws, contains, regex "
			 "(got \"fuzzy\")\n");
	free(got);
	free(y);
	EXPECT_CASE_ERRORS("        stdout: {text: \"a\\0\", mode: regex}\n        stderr: {text: a, mode: 3}\n",
			   "7:24: bad regex in \"stdout\": a regex cannot contain NUL bytes",
			   "8:33: \"mode\" must be one of: exact, trailing_ws, contains, regex (got \"3\")");
}
END_TEST

#define TOO_BIG(n)                                                                                 \
	"the regular expression is too big once its repetitions are expanded: about " n " parts "  \
	"(the most is 1000); use smaller {m,n} counts or * and +"

/* A regex that would take regcomp() gigabytes and minutes is refused at once, at its place. */
START_TEST(err_regex_too_big)
{
	EXPECT_CASE_ERRORS("        stdout: {text: \"a{1,32767}{1,32767}\", mode: regex}\n"
			   "        stderr: {text: \"(a{1,200}){1,200}\", mode: regex}\n",
			   "7:24: bad regex in \"stdout\": " TOO_BIG("1073676289"),
			   "8:24: bad regex in \"stderr\": " TOO_BIG("40200"));
}
END_TEST

/* Modest counts load. */
START_TEST(regex_modest_counts)
{
	struct course c;
	char *y = with_case(
		"        stdout: {text: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$', mode: regex}\n"
		"        stderr: {text: \"(ab|cd){2,5}\", mode: regex}\n"
		"      - name: d\n"
		"        stdout: {text: \"x{0,100}\", mode: regex}\n");
	load_ok(y, &c);
	ck_assert_uint_eq(c.exercises[0].ncases, 2);
	ASSERT_DATA(&c.exercises[0].cases[0].out.want, "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
	ASSERT_DATA(&c.exercises[0].cases[0].err.want, "(ab|cd){2,5}");
	ASSERT_DATA(&c.exercises[0].cases[1].out.want, "x{0,100}");
	course_free(&c);
	free(y);
}
END_TEST

START_TEST(err_limits)
{
	EXPECT_ERRORS("defaults:\n  build_timeout: 0\n  limits: {wall: -1, cpu: 3601, output: 2GiB}\n"
		      "exercises:\n  - id: e\n    title: t\n    binary: b\n    limits: {output: 1 MB, wall: \"5\"}\n"
		      "    cases:\n      - {name: c, limits: {output: -1, cpu: 0}}\n",
		      "2:18: \"build_timeout\" must be a number of seconds greater than 0 and at most 3600",
		      "3:18: \"wall\" must be a number of seconds greater than 0 and at most 3600",
		      "3:27: \"cpu\" must be a number of seconds greater than 0 and at most 3600",
		      "3:41: \"output\" must be a size from 0 to 1GiB: a whole number of bytes, optionally "
		      "with a unit B, KiB, MiB or GiB (e.g. 64KiB)",
		      "8:22: \"output\" must be a size from 0 to 1GiB: a whole number of bytes, optionally "
		      "with a unit B, KiB, MiB or GiB (e.g. 64KiB)",
		      "8:34: \"wall\" must be a number of seconds greater than 0 and at most 3600; quoted "
		      "values are strings, remove the quotes",
		      "10:36: \"output\" must be a size from 0 to 1GiB: a whole number of bytes, optionally "
		      "with a unit B, KiB, MiB or GiB (e.g. 64KiB)",
		      "10:45: \"cpu\" must be a number of seconds greater than 0 and at most 3600");
}
END_TEST

#define MEMORY_ERR                                                                                 \
	"\"memory\" must be a size from 1MiB to 64GiB: a whole number of bytes, "                  \
	"optionally with a unit B, KiB, MiB or GiB (e.g. 512MiB)"
#define FILE_SIZE_ERR                                                                              \
	"\"file_size\" must be a size from 0 to 16GiB: a whole number of bytes, "                  \
	"optionally with a unit B, KiB, MiB or GiB (e.g. 64MiB)"
#define PROCESSES_ERR "\"processes\" must be an integer from 1 to 4096"
#define OPEN_FILES_ERR "\"open_files\" must be an integer from 4 to 65536"
#define QUOTED "; quoted values are strings, remove the quotes"
#define EMPTY "; the value is empty"

START_TEST(err_sandbox_limits)
{
	/* Negative, zero or below the minimum, too big, wrong type, quoted integer, empty: at
	 * each level. Sizes may be quoted, so a bad quoted size does not blame the quotes. */
	EXPECT_ERRORS("defaults:\n"
		      "  limits: {memory: -1, processes: 0, file_size: 17GiB, open_files: 3}\n"
		      "exercises:\n"
		      "  - id: e\n"
		      "    title: t\n"
		      "    binary: b\n"
		      "    limits: {memory: 0, processes: 4097, file_size: -1, open_files: 65537}\n"
		      "    cases:\n"
		      "      - name: c\n"
		      "        limits: {memory: 65GiB, processes: \"8\", file_size: [1], open_files: '64'}\n"
		      "      - name: d\n"
		      "        limits: {memory: 1048575, processes: 2.5, file_size: 1.5MiB, open_files: ~}\n"
		      "      - name: f\n"
		      "        limits: {memory: \"512\", processes: -3, file_size: 16 GB, open_files: true}\n"
		      "      - name: g\n"
		      "        limits: {memory: 68719476737, processes: 4096.0, file_size: 17179869185,\n"
		      "                 open_files: -4}\n"
		      "      - name: h\n"
		      "        limits:\n"
		      "          memory:\n"
		      "          processes: {}\n"
		      "          file_size: 1KB\n"
		      "          open_files: 0x100\n",
		      "2:20: " MEMORY_ERR, "2:35: " PROCESSES_ERR, "2:49: " FILE_SIZE_ERR,
		      "2:68: " OPEN_FILES_ERR, "7:22: " MEMORY_ERR, "7:36: " PROCESSES_ERR,
		      "7:53: " FILE_SIZE_ERR, "7:69: " OPEN_FILES_ERR, "10:26: " MEMORY_ERR,
		      "10:44: " PROCESSES_ERR QUOTED, "10:60: " FILE_SIZE_ERR,
		      "10:77: " OPEN_FILES_ERR QUOTED, "12:26: " MEMORY_ERR,
		      "12:46: " PROCESSES_ERR, "12:62: " FILE_SIZE_ERR,
		      "12:82: " OPEN_FILES_ERR EMPTY, "14:26: " MEMORY_ERR, "14:44: " PROCESSES_ERR,
		      "14:59: " FILE_SIZE_ERR, "14:78: " OPEN_FILES_ERR, "16:26: " MEMORY_ERR,
		      "16:50: " PROCESSES_ERR, "16:69: " FILE_SIZE_ERR, "17:30: " OPEN_FILES_ERR,
		      "20:11: " MEMORY_ERR EMPTY, "21:22: " PROCESSES_ERR, "22:22: " FILE_SIZE_ERR,
		      "23:23: " OPEN_FILES_ERR);
}
END_TEST

#define DISK_ERR                                                                                   \
	"\"disk\" must be a size from 1MiB to 16GiB: a whole number of bytes, "                    \
	"optionally with a unit B, KiB, MiB or GiB (e.g. 128MiB)"

/* disk: the whole case's quota, 1 MiB to 16 GiB. */
START_TEST(err_disk_limit)
{
	EXPECT_ERRORS("defaults: {limits: {disk: 1048575}}\n"
		      "exercises:\n"
		      "  - {id: e, title: t, binary: b, limits: {disk: 17GiB},\n"
		      "     cases: [{name: c, limits: {disk: -1}}, {name: d, limits: {disk: \"x\"}}]}\n",
		      "1:27: " DISK_ERR, "3:49: " DISK_ERR, "4:39: " DISK_ERR, "4:70: " DISK_ERR);
}
END_TEST

START_TEST(err_inputs)
{
	EXPECT_CASE_ERRORS("        stdin: {text: a, file: b.txt}\n"
			   "      - name: d\n        stdin: {repeat: a}\n"
			   "      - name: e\n        stdin: {times: 3}\n"
			   "      - name: f\n        stdin: {repeat: abc, times: 100000000}\n"
			   "      - name: g\n        stdin: {repeat: a, times: -1}\n"
			   "      - name: h\n        stdout: {file: x, text: y}\n",
			   "7:32: \"stdin\" takes only one of \"text\", \"file\" or \"repeat\"",
			   "9:16: \"repeat\" needs \"times\"",
			   "11:16: \"stdin\" needs one of \"text\", \"file\" or \"repeat\"",
			   "11:24: \"times\" goes only with \"repeat\"",
			   "13:37: \"repeat\" (3 bytes) 100000000 times is more than the 256 MiB that stdin may hold",
			   "15:35: \"times\" must be an integer >= 0",
			   "17:33: \"stdout\" takes only one of \"text\", \"file\" or "
			   "\"sealed\"");
}
END_TEST

START_TEST(err_names)
{
	EXPECT_ERRORS("exercises:\n  - id: \"01 hello\"\n    title: \"\"\n    binary: ../x\n    build: cmake\n"
		      "    cases:\n      - name: \"a\\0b\"\n  - {id: .., title: t, binary: b, cases: [{name: c}]}\n",
		      "2:9: \"id\" must be made of letters, digits, \".\", \"_\" and \"-\" (got \"01 hello\")",
		      "3:12: \"title\" must be a non-empty string",
		      "4:13: \"binary\" must be made of letters, digits, \".\", \"_\" and \"-\" (got \"../x\")",
		      "5:12: \"build\" must be one of: auto, cc, make (got \"cmake\")",
		      "7:15: \"name\" cannot contain NUL bytes",
		      "8:10: \"id\" must be made of letters, digits, \".\", \"_\" and \"-\" (got \"..\")");
}
END_TEST

START_TEST(err_yaml_features)
{
	EXPECT_ERRORS("defaults: {limits: &fast {wall: 1}}\nexercises:\n  - id: e\n    title: t\n    binary: b\n"
		      "    limits: *fast\n    cases: [{name: !!str c, exit: !!int 1}]\n",
		      "1:20: YAML anchors (&fast) are not supported; write the value out in full",
		      "6:13: YAML aliases (*fast) are not supported; write the value out in full",
		      "7:20: YAML tags (!!str) are not supported; remove the tag",
		      "7:35: YAML tags (!!int) are not supported; remove the tag");
	struct buf deep = BUF_INIT;
	buf_puts(&deep, "exercises: ");
	for (int i = 0; i < 70; i++)
		buf_puts(&deep, "[");
	for (int i = 0; i < 70; i++)
		buf_puts(&deep, "]");
	buf_puts(&deep, "\n");
	EXPECT_ERRORS(deep.data, "1:75: nested too deeply (more than 64 levels)");
	buf_free(&deep);
}
END_TEST

START_TEST(err_many_in_order)
{
	/* Errors at many levels of one file come out together, in file order, and long or
	 * strange texts are quoted on one line. */
	EXPECT_ERRORS("course: Curso\n"
		      "exercises:\n"
		      "  - id: e1\n"
		      "    title: t\n"
		      "    binary: b\n"
		      "    cases:\n"
		      "      - name: uno\n"
		      "        stdout: {text: x, mode: regexp}\n"
		      "        exit: -3\n"
		      "      - name: dos\n"
		      "        stdinn: x\n"
		      "  - id: e2\n"
		      "    cases:\n"
		      "      - name: \"a very long case name that goes on and on and on past the cut\"\n"
		      "        points: x\n"
		      "defaults:\n"
		      "  hidden_visibility: visible\n",
		      "8:33: \"mode\" must be one of: exact, trailing_ws, contains, regex (got \"regexp\")",
		      "9:15: \"exit\" must be an integer from 0 to 255",
		      "11:9: unknown key \"stdinn\" in a case; expected one of: name, args, stdin, stdout, "
		      "stderr, exit, points, hidden, limits, hint, penalties, requires, monitor, files, expect_files, bonus, "
		      "fd_leak, stress",
		      "12:5: an exercise needs a \"title\"", "12:5: an exercise needs a \"binary\"",
		      "15:17: \"points\" must be a number >= 0",
		      "17:22: \"hidden_visibility\" must be one of: hidden, after_published (got \"visible\")");
}
END_TEST

/* fd_leak: a policy for leaks at exit and at exec, in defaults, an exercise or a case; each
 * key resolves on its own (case, exercise, defaults, built-in penalty), beside penalties. */
START_TEST(fd_leak_policy)
{
	struct course c;
	load_ok("defaults: {fd_leak: {at_exit: note}, penalties: {fd_leak: 0.5}}\n"
		"exercises:\n"
		"  - id: e\n"
		"    title: t\n"
		"    binary: b\n"
		"    fd_leak: {at_exec: off}\n"
		"    cases:\n"
		"      - name: c\n"
		"      - name: d\n"
		"        fd_leak: {at_exit: penalty}\n"
		"  - id: f\n"
		"    title: t\n"
		"    binary: b\n"
		"    cases:\n"
		"      - name: c\n"
		"        fd_leak: {at_exec: note}\n",
		&c);
	ck_assert_int_eq(c.fd_leak.at_exit, LEAK_NOTE);
	ck_assert_int_eq(c.fd_leak.at_exec, LEAK_PENALTY);
	ck_assert_int_eq(c.exercises[0].fd_leak.at_exit, LEAK_UNSET);
	ck_assert_int_eq(c.exercises[0].fd_leak.at_exec, LEAK_OFF);
	const struct test_case *tc = &c.exercises[0].cases[0];
	ck_assert_int_eq(tc->fd_leak.at_exit, LEAK_NOTE);
	ck_assert_int_eq(tc->fd_leak.at_exec, LEAK_OFF);
	ck_assert_double_eq(tc->penalties.fd_leak, 0.5);
	tc = &c.exercises[0].cases[1];
	ck_assert_int_eq(tc->fd_leak.at_exit, LEAK_PENALTY);
	ck_assert_int_eq(tc->fd_leak.at_exec, LEAK_OFF);
	tc = &c.exercises[1].cases[0];
	ck_assert_int_eq(tc->fd_leak.at_exit, LEAK_NOTE);
	ck_assert_int_eq(tc->fd_leak.at_exec, LEAK_NOTE);
	course_free(&c);
	load_ok(minimal_case, &c);
	ck_assert_int_eq(c.exercises[0].cases[0].fd_leak.at_exit, LEAK_PENALTY);
	ck_assert_int_eq(c.exercises[0].cases[0].fd_leak.at_exec, LEAK_PENALTY);
	course_free(&c);
}
END_TEST

START_TEST(err_fd_leak_policy)
{
	EXPECT_CASE_ERRORS("        fd_leak: {at_exit: warn, at_exec: 1, at_start: off}\n"
			   "      - name: d\n        fd_leak: note\n"
			   "      - name: e\n        fd_leak: {at_exit: }\n",
			   "7:28: \"at_exit\" must be one of: penalty, note, off (got \"warn\")",
			   "7:43: \"at_exec\" must be one of: penalty, note, off (got \"1\")",
			   "7:46: unknown key \"at_start\" in \"fd_leak\"; expected one of: at_exit, "
			   "at_exec",
			   "9:18: \"fd_leak\" must be a mapping with \"at_exit\" or \"at_exec\"",
			   "11:19: \"at_exit\" must be one of: penalty, note, off; the value is empty");
	/* The fraction stays in penalties: fd_leak there is a number, not a policy. */
	EXPECT_CASE_ERRORS("        penalties: {fd_leak: {at_exit: note}}\n",
			   "7:30: \"fd_leak\" must be a fraction of the case's points from 0 to 1");
}
END_TEST

/* stress: {runs: N} in defaults, an exercise or a case; the case's over the exercise's over
 * the defaults', 0 when none says. */
START_TEST(stress_runs_resolve)
{
	struct course c;
	load_ok("defaults: {stress: {runs: 20}}\n"
		"exercises:\n"
		"  - id: e\n"
		"    title: t\n"
		"    binary: b\n"
		"    stress: {runs: 5}\n"
		"    cases:\n"
		"      - name: c\n"
		"      - name: d\n"
		"        stress: {runs: 0}\n"
		"      - name: x\n"
		"        stress: {}\n"
		"  - id: f\n"
		"    title: t\n"
		"    binary: b\n"
		"    cases:\n"
		"      - name: c\n"
		"      - name: d\n"
		"        stress:\n"
		"          runs: 1000\n",
		&c);
	ck_assert_int_eq(c.stress.runs, 20);
	ck_assert_int_eq(c.exercises[0].stress.runs, 5);
	ck_assert_int_eq(c.exercises[0].cases[0].stress.runs, 5);
	ck_assert_int_eq(c.exercises[0].cases[1].stress.runs, 0);
	ck_assert_int_eq(c.exercises[0].cases[2].stress.runs, 5);
	ck_assert_int_eq(c.exercises[1].stress.runs, -1);
	ck_assert_int_eq(c.exercises[1].cases[0].stress.runs, 20);
	ck_assert_int_eq(c.exercises[1].cases[1].stress.runs, 1000);
	course_free(&c);
	load_ok(minimal_case, &c);
	ck_assert_int_eq(c.stress.runs, 0);
	ck_assert_int_eq(c.exercises[0].cases[0].stress.runs, 0);
	course_free(&c);
}
END_TEST

START_TEST(err_stress)
{
	EXPECT_CASE_ERRORS("        stress: {runs: -1, depth: 3}\n"
			   "      - name: d\n        stress: 5\n"
			   "      - name: e\n        stress: {runs: 1001}\n"
			   "      - name: f\n        stress: {runs: \"3\"}\n"
			   "      - name: g\n        stress: {runs: 2.5}\n"
			   "      - name: h\n        stress: {runs: }\n",
			   "7:24: \"runs\" must be an integer from 0 to 1000",
			   "7:28: unknown key \"depth\" in \"stress\"; expected one of: runs",
			   "9:17: \"stress\" must be a mapping with \"runs\"",
			   "11:24: \"runs\" must be an integer from 0 to 1000",
			   "13:24: \"runs\" must be an integer from 0 to 1000; quoted values are strings, "
			   "remove the quotes",
			   "15:24: \"runs\" must be an integer from 0 to 1000",
			   "17:18: \"runs\" must be an integer from 0 to 1000; the value is empty");
	EXPECT_ERRORS("defaults: {stress: {runs: yes}}\nexercises: [{id: e, title: t, binary: b, "
		      "stress: [1], cases: [{name: c}]}]\n",
		      "1:27: \"runs\" must be an integer from 0 to 1000",
		      "2:50: \"stress\" must be a mapping with \"runs\"");
}
END_TEST

START_TEST(err_appends)
{
	/* Errors are appended to what the buffer held; course_free() after a failure is harmless. */
	struct tmp_course t = tmp_course_write("exercises: 3\n");
	struct course c;
	struct buf err = BUF_INIT;
	buf_puts(&err, "before\n");
	ck_assert_int_eq(config_load(t.path, &c, &err), -1);
	char *want = xasprintf("before\n%s:1:12: \"exercises\" must be a list of exercises\n",
			       t.path);
	ck_assert_str_eq(err.data, want);
	course_free(&c);
	course_free(&c);
	free(want);
	buf_free(&err);
	tmp_course_free(&t);
}
END_TEST

/* ---- small API ---------------------------------------------------------------------------- */

START_TEST(find_exercise)
{
	ck_assert_ptr_eq(course_find_exercise(&full, "01-hello"), &full.exercises[0]);
	ck_assert_ptr_eq(course_find_exercise(&full, "02_pipe.v2"), &full.exercises[1]);
	ck_assert_ptr_null(course_find_exercise(&full, "01-hell"));
	ck_assert_ptr_null(course_find_exercise(&full, ""));
	struct course empty = { 0 };
	ck_assert_ptr_null(course_find_exercise(&empty, "01-hello"));
}
END_TEST

START_TEST(cmp_mode_names)
{
	static const struct {
		const char *name;
		enum cmp_mode mode;
	} modes[] = {
		{ "exact", CMP_EXACT },
		{ "trailing_ws", CMP_TRAILING_WS },
		{ "contains", CMP_CONTAINS },
		{ "regex", CMP_REGEX },
	};
	for (size_t i = 0; i < 4; i++) {
		enum cmp_mode m = CMP_EXACT;
		ck_assert_int_eq(cmp_mode_parse(modes[i].name, &m), 0);
		ck_assert_int_eq(m, modes[i].mode);
		ck_assert_str_eq(cmp_mode_name(modes[i].mode), modes[i].name);
	}
	enum cmp_mode m = CMP_CONTAINS;
	ck_assert_int_eq(cmp_mode_parse("Exact", &m), -1);
	ck_assert_int_eq(cmp_mode_parse("", &m), -1);
	ck_assert_int_eq(cmp_mode_parse("regexp", &m), -1);
	ck_assert_int_eq(m, CMP_CONTAINS);
	ck_assert_str_eq(cmp_mode_name((enum cmp_mode)42), "unknown");
}
END_TEST

/* files and expect_files: paths stay inside the case's directory, modes are octal. */
START_TEST(err_files)
{
	EXPECT_CASE_ERRORS("        files: [{path: /etc/passwd, text: a}, {text: b},\n"
			   "                {path: ../x, text: c, perm: rw}]\n"
			   "        expect_files: [{path: out, absent: true, text: d}, {path: \"a/../../b\"}]\n",
			   "7:24: \"path\" must stay inside the case's directory: a relative path without \"..\"",
			   "7:47: a file needs a \"path\"",
			   "8:24: \"path\" must stay inside the case's directory: a relative path without \"..\"",
			   "8:45: \"perm\" must be octal permission bits, such as \"0644\"",
			   "9:44: an absent file has no \"text\", \"file\", \"sealed\", \"mode\" or "
			   "\"perm\"",
			   "9:67: \"path\" must stay inside the case's directory: a relative path without \"..\"");
	EXPECT_CASE_ERRORS("        files: []\n",
			   "7:16: \"files\" must be a non-empty list of files");
}
END_TEST

/* Data files are checked when grading.yaml is read, but read only when a case needs them; the
 * exercise lists each once, for content hashes. */
START_TEST(data_files_read_late)
{
	char *y = with_case("        stdin: {file: in.txt}\n"
			    "        stdout: {file: out.txt, mode: trailing_ws}\n"
			    "        stderr: {file: in.txt}\n"
			    "        files: [{path: copy.txt, file: in.txt}]\n"
			    "        expect_files: [{path: r.txt, file: re.txt, mode: regex}]\n");
	struct tmp_course t = tmp_course_write(y);
	tu_write(t.dir, "in.txt", "uno\n");
	tu_write(t.dir, "out.txt", "dos\n");
	tu_write(t.dir, "re.txt", "^[0-9]+$");
	struct course c;
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(t.path, &c, &err) == 0, "%s", err.data);
	const struct test_case *tc = &c.exercises[0].cases[0];
	char *in = xasprintf("%s/in.txt", t.dir), *out = xasprintf("%s/out.txt", t.dir);
	ck_assert_str_eq(tc->in.file, in);
	ck_assert_ptr_null(tc->in.text);
	ck_assert_uint_eq(tc->in.size, 4);
	ck_assert_str_eq(tc->out.want.file, out);
	/* A regex is read at once (to check it): later changes to its file do not count. */
	ck_assert_ptr_null(tc->expect_files[0].exp.want.file);
	ASSERT_DATA(&tc->expect_files[0].exp.want, "^[0-9]+$");

	struct strvec paths = STRVEC_INIT;
	exercise_data_files(&c.exercises[0], &paths);
	ck_assert_uint_eq(paths.n, 2);
	ck_assert_str_eq(paths.v[0], in);
	ck_assert_str_eq(paths.v[1], out);
	strvec_free(&paths);

	/* What the file holds when the case runs is what the case gets. */
	tu_write(t.dir, "in.txt", "tres\n");
	struct buf b = BUF_INIT;
	ck_assert_int_eq(data_load(&tc->in, &b, &err), 0);
	ck_assert_str_eq(b.data, "tres\n");
	ck_assert_int_eq(data_load(&tc->files[0].data, &b, &err), 0);
	ck_assert_str_eq(b.data, "tres\ntres\n"); /* appended */

	/* A file gone since loading: an error naming it, nothing read. */
	ck_assert_int_eq(unlink(out), 0);
	buf_reset(&b);
	ck_assert_int_eq(data_load(&tc->out.want, &b, &err), -1);
	char *msg = xasprintf("%s: No such file or directory\n", out);
	ck_assert_str_eq(err.data, msg);
	ck_assert_uint_eq(b.len, 0);
	free(msg);
	free(in);
	free(out);
	buf_free(&b);
	buf_free(&err);
	course_free(&c);
	tmp_course_free(&t);
	free(y);
}
END_TEST

/* language: python on an exercise or in defaults, the interpreter's name; C by default. */
START_TEST(languages)
{
	struct course c;
	load_ok("defaults: {python: python3.11}\nexercises:\n"
		"  - {id: a, title: t, binary: a, cases: [{name: x}]}\n"
		"  - {id: p, title: t, binary: p.py, language: python, cases: [{name: x}]}\n",
		&c);
	ck_assert_int_eq(c.exercises[0].language, PROG_C);
	ck_assert_ptr_null(c.exercises[0].python);
	ck_assert_int_eq(c.exercises[1].language, PROG_PYTHON);
	ck_assert_str_eq(c.exercises[1].python, "python3.11");
	course_free(&c);
	load_ok("defaults: {language: python}\nexercises:\n"
		"  - {id: p, title: t, binary: p.py, cases: [{name: x}]}\n"
		"  - {id: a, title: t, binary: a, language: c, cases: [{name: x}]}\n",
		&c);
	ck_assert_int_eq(c.exercises[0].language, PROG_PYTHON);
	ck_assert_str_eq(c.exercises[0].python, "python3");
	ck_assert_int_eq(c.exercises[1].language, PROG_C);
	course_free(&c);
	EXPECT_ERRORS("exercises: [{id: e, title: t, binary: b, language: rust, cases: [{name: c}]}]\n",
		      "1:52: \"language\" must be one of: c, python (got \"rust\")");
}
END_TEST

/* ---- texts by language: course, title, hint ------------------------------------------------ */

static const char ltext_yaml[] = "course: {es: Curso, en: Course}\n"
				 "defaults: {lang: es}\n"
				 "exercises:\n"
				 "  - id: e\n"
				 "    title: Título\n"
				 "    binary: b\n"
				 "    cases:\n"
				 "      - name: a\n"
				 "        hint: {pt_BR: Dica, es: Pista}\n"
				 "      - name: b\n"
				 "        hint:\n"
				 "          pt-BR: Só em português\n"
				 "          en: Only in English\n"
				 "      - name: c\n"
				 "        hint: {en: Hint, es: Pista C, pt_BR: Dica C}\n"
				 "      - name: d\n";

/* The text of each of course, title and the hints of a, b, c and d in `lang`. */
static void assert_ltexts(const struct course *c, const char *lang, const char *course,
			  const char *a, const char *b, const char *cc)
{
	ck_assert_int_eq(i18n_set(lang), 0);
	const struct exercise *ex = &c->exercises[0];
	ck_assert_str_eq(ltext_get(&c->title), course);
	ck_assert_str_eq(ltext_get(&ex->title), "Título"); /* a plain string: in any language */
	ck_assert_str_eq(ltext_get(&ex->cases[0].hint), a);
	ck_assert_str_eq(ltext_get(&ex->cases[1].hint), b);
	ck_assert_str_eq(ltext_get(&ex->cases[2].hint), cc);
	ck_assert_ptr_null(ltext_get(&ex->cases[3].hint));
}

/* A string or a map; the language in force, else the course's (defaults.lang), else the first
 * given; the pick follows i18n_set(). */
START_TEST(ltext_pick)
{
	struct course c;
	load_ok(ltext_yaml, &c);
	ck_assert_str_eq(c.lang, "es");
	const struct ltext *h = &c.exercises[0].cases[1].hint;
	ck_assert_uint_eq(h->n, 2);
	ck_assert_str_eq(h->v[0].lang, "pt_BR"); /* "pt-BR" is pt_BR */
	ck_assert_str_eq(h->v[1].lang, "en");
	ck_assert_str_eq(h->base, "es");
	ck_assert_uint_eq(c.exercises[0].title.n, 1);
	ck_assert_ptr_null(c.exercises[0].title.v[0].lang); /* plain: the course's language */
	/* course, a, b, c: en has no "a" (es, the course's) and b has no es (the first) */
	assert_ltexts(&c, "en", "Course", "Pista", "Only in English", "Hint");
	assert_ltexts(&c, "es", "Curso", "Pista", "Só em português", "Pista C");
	assert_ltexts(&c, "pt_BR", "Curso", "Dica", "Só em português", "Dica C");
	assert_ltexts(&c, "pt-BR", "Curso", "Dica", "Só em português", "Dica C");
	ck_assert_int_eq(i18n_set("en"), 0);
	course_free(&c);
	ck_assert_uint_eq(c.title.n, 0);

	/* English by default: a map without en and a course in en shows its first text */
	load_ok("course: Pipes\nexercises:\n"
		"  - {id: e, title: {pt_BR: Canos, es: Tuberías}, binary: b, cases: [{name: x}]}\n",
		&c);
	ck_assert_str_eq(c.lang, "en");
	ck_assert_str_eq(ltext_get(&c.exercises[0].title), "Canos");
	ck_assert_str_eq(ltext_get(&c.title), "Pipes");
	ck_assert_int_eq(i18n_set("es"), 0);
	ck_assert_str_eq(ltext_get(&c.exercises[0].title), "Tuberías");
	ck_assert_str_eq(ltext_get(&c.title), "Pipes");
	ck_assert_int_eq(i18n_set("en"), 0);
	course_free(&c);

	/* structs built by hand */
	struct ltext t = LTEXT_PLAIN("x");
	ck_assert_str_eq(ltext_get(&t), "x");
	ck_assert_ptr_null(ltext_get(&(struct ltext){ 0 }));
}
END_TEST

START_TEST(err_ltext)
{
	EXPECT_ERRORS("course: {fr: Cours}\n"
		      "defaults: {lang: fr}\n"
		      "exercises:\n"
		      "  - id: e\n"
		      "    title: {}\n"
		      "    binary: b\n"
		      "    cases:\n"
		      "      - name: a\n"
		      "        hint: {es: [x], en: ~, pt_BR: \"\"}\n"
		      "      - name: b\n"
		      "        hint: {es: a, es: b, pt-BR: c, pt_BR: d}\n"
		      "      - name: c\n"
		      "        hint: [a]\n"
		      "      - name: d\n"
		      "        hint: {[x]: a, en: {a: b}, \"es\\0\": c}\n",
		      "1:10: unknown key \"fr\" in \"course\"; expected one of: en, es, pt_BR",
		      "2:18: \"lang\" must be one of: en, es, pt_BR (got \"fr\")",
		      "5:12: \"title\" must not be empty: give its text in at least one language "
		      "(en, es, pt_BR)",
		      "9:20: \"es\" must be a non-empty string",
		      "9:29: \"en\" must be a non-empty string; the value is empty",
		      "9:39: \"pt_BR\" must be a non-empty string",
		      "11:23: duplicate key \"es\" (first given at line 11)",
		      "11:40: duplicate key \"pt_BR\" (first given at line 11)",
		      "13:15: \"hint\" must be a non-empty string or a mapping by language (en, es, "
		      "pt_BR)",
		      "15:16: a key must be a name, not a list or a mapping",
		      "15:28: \"en\" must be a non-empty string",
		      "15:36: unknown key \"es\\x00\" in \"hint\"; expected one of: en, es, pt_BR");
	EXPECT_ERRORS("defaults: {lang: ~}\nexercises: [{id: e, title: t, binary: b, cases: [{name: "
		      "c}]}]\n",
		      "1:18: \"lang\" must be one of: en, es, pt_BR; the value is empty");
}
END_TEST

START_TEST(files_loaded)
{
	char *y = with_case(
		"        files: [{path: in.txt, repeat: ab, times: 3, perm: \"0600\"}]\n"
		"        expect_files:\n"
		"          - {path: out.txt, text: \"x\\n\", mode: trailing_ws, perm: 644}\n"
		"          - {path: gone, absent: true}\n"
		"        bonus: true\n");
	struct course c;
	struct buf err = BUF_INIT;
	char *dir = tu_mkdtemp();
	tu_write(dir, "g.yaml", y);
	char *path = xasprintf("%s/g.yaml", dir);
	ck_assert_msg(config_load(path, &c, &err) == 0, "%s", err.data);
	const struct test_case *tc = &c.exercises[0].cases[0];
	ck_assert_uint_eq(tc->nfiles, 1);
	ck_assert_str_eq(tc->files[0].path, "in.txt");
	ASSERT_DATA(&tc->files[0].data, "ababab");
	ck_assert_int_eq(tc->files[0].perm, 0600);
	ck_assert_uint_eq(tc->nexpect_files, 2);
	ASSERT_DATA(&tc->expect_files[0].exp.want, "x\n");
	ck_assert_int_eq(tc->expect_files[0].exp.mode, CMP_TRAILING_WS);
	ck_assert_int_eq(tc->expect_files[0].perm, 0644);
	ck_assert(tc->expect_files[1].absent);
	ck_assert(!tc->expect_files[1].exp.set);
	ck_assert(tc->bonus);
	ck_assert(!c.exercises[0].bonus);
	course_free(&c);
	buf_free(&err);
	free(path);
	free(y);
	tu_rmdir(dir);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");

	TCase *tc = tcase_create("valid");
	tcase_add_checked_fixture(tc, full_setup, full_teardown);
	tcase_add_test(tc, full_course_level);
	tcase_add_test(tc, full_exercises);
	tcase_add_test(tc, full_first_case);
	tcase_add_test(tc, full_files_and_modes);
	tcase_add_test(tc, full_scalar_styles);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_test(tc, defaults_when_omitted);
	tcase_add_test(tc, fd_leak_policy);
	tcase_add_test(tc, stress_runs_resolve);
	tcase_add_test(tc, hidden_default_visibility);
	tcase_add_test(tc, empty_cflags_and_limits);
	tcase_add_test(tc, output_sizes);
	tcase_add_test(tc, sandbox_limits_resolve);
	tcase_add_test(tc, sandbox_limits_mixed);
	tcase_add_test(tc, stdin_text_forms);
	tcase_add_test(tc, stdin_repeat_large);
	tcase_add_test(tc, data_files_read_late);
	tcase_add_test(tc, files_next_to_yaml);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, err_cannot_open);
	tcase_add_test(tc, err_syntax);
	tcase_add_test(tc, err_top_level);
	tcase_add_test(tc, err_unknown_key);
	tcase_add_test(tc, err_files);
	tcase_add_test(tc, files_loaded);
	tcase_add_test(tc, languages);
	tcase_add_test(tc, ltext_pick);
	tcase_add_test(tc, err_ltext);
	tcase_add_test(tc, err_wrong_types);
	tcase_add_test(tc, err_empty_values);
	tcase_add_test(tc, err_missing_required);
	tcase_add_test(tc, err_duplicates);
	tcase_add_test(tc, err_missing_files);
	tcase_add_test(tc, err_regex_and_mode);
	tcase_add_test(tc, err_regex_too_big);
	tcase_add_test(tc, regex_modest_counts);
	tcase_add_test(tc, err_limits);
	tcase_add_test(tc, err_sandbox_limits);
	tcase_add_test(tc, err_disk_limit);
	tcase_add_test(tc, err_inputs);
	tcase_add_test(tc, err_names);
	tcase_add_test(tc, err_yaml_features);
	tcase_add_test(tc, err_many_in_order);
	tcase_add_test(tc, err_appends);
	tcase_add_test(tc, err_fd_leak_policy);
	tcase_add_test(tc, err_stress);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_checked_fixture(tc, full_setup, full_teardown);
	tcase_add_test(tc, find_exercise);
	tcase_add_test(tc, cmp_mode_names);
	suite_add_tcase(s, tc);
	return s;
}
