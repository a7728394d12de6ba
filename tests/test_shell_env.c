/* test_shell_env.c: programs run as a shell would run them, and builds that speak to the
 * student: the environment of a case (nothing of pipegrade's own), `make` as typed (nothing in
 * MFLAGS or MAKEFLAGS), AddressSanitizer builds (elfinfo.c, and their leak checker turned
 * off), a build's warnings in the report, and two files that define main() named in words.
 * The submissions are in tests/fixtures/shell-env/ (its README says what each is for). */
#include <check.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfinfo.h"
#include "grade.h"
#include "i18n.h"
#include "run.h"
#include "sandbox.h"
#include "suites.h"
#include "testutil.h"

static char *dir; /* holds grading.yaml */
static char *yaml_path;
static struct course course;

static const char yaml[] = "defaults:\n"
			   "  compiler: cc\n"
			   "  cflags: [-std=c17, -Wall]\n"
			   "exercises:\n"
			   "  - id: env\n"
			   "    title: Environment\n"
			   "    binary: showenv\n"
			   "    limits: {wall: 10}\n"
			   "    cases:\n"
			   "      - name: env\n"
			   "        exit: 0\n"
			   "        points: 1\n"
			   "  - id: prog\n"
			   "    title: Hola\n"
			   "    binary: prog\n"
			   "    limits: {wall: 10}\n"
			   "    cases:\n"
			   "      - name: hola\n"
			   "        stdout: \"hola\\n\"\n"
			   "        exit: 0\n"
			   "        points: 1\n";

static void setup(void)
{
	i18n_set("en");
	dir = tu_mkdtemp();
	tu_write(dir, "grading.yaml", yaml);
	yaml_path = xasprintf("%s/grading.yaml", dir);
	struct buf err = BUF_INIT;
	int rc = config_load(yaml_path, &course, &err);
	ck_assert_msg(rc == 0, "%s", err.data ? err.data : "");
	buf_free(&err);
}

static void teardown(void)
{
	course_free(&course);
	free(yaml_path);
	tu_rmdir(dir);
}

static const char *fixture(const char *name)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/tests/fixtures/shell-env/%s", tu_top(), name);
	return path;
}

/* Grades `sub` as exercise `id` in this process. */
static void grade(const char *id, const char *sub, struct submission_result *res)
{
	const struct exercise *ex = course_find_exercise(&course, id);
	ck_assert_ptr_nonnull(ex);
	struct buf err = BUF_INIT;
	int rc = grade_submission(&course, ex, sub, NULL, res, &err);
	ck_assert_msg(rc == 0, "%s", err.data ? err.data : "");
	buf_free(&err);
	ck_assert_int_eq(tu_count_descendants(), 0);
}

/* Runs the pipegrade binary with `envp` and the arguments (NULL-terminated) from the
 * repository's top; it must exit. */
static void pipegrade(const char *const *envp, struct run_result *r, ...)
{
	struct strvec argv = STRVEC_INIT;
	strvec_push(&argv, "pipegrade");
	va_list ap;
	va_start(ap, r);
	for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
		strvec_push(&argv, a);
	va_end(ap);
	struct run_spec spec = RUN_SPEC_INIT;
	spec.file = tu_pipegrade();
	spec.argv = (const char *const *)argv.v;
	spec.envp = envp;
	spec.cwd = tu_top();
	spec.wall_s = 120;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(run_program(&spec, r, &err), 0);
	ck_assert_int_eq(r->end, RUN_EXITED);
	strvec_free(&argv);
	buf_free(&err);
	ck_assert_int_eq(tu_count_descendants(), 0);
}

/* What pipegrade's own environment holds in these tests: a secret of its own and the
 * variables of a make that runs it (`make check`), which no build or case may see. */
static const char *const grader_env[] = { "PATH=/usr/local/bin:/usr/bin:/bin",
					  "LC_ALL=C",
					  "NO_COLOR=1",
					  "PIPEGRADE_SECRET=s3cret",
					  "MAKEFLAGS=-j9 --no-print-directory",
					  "MFLAGS=-j9 --no-print-directory",
					  "MAKELEVEL=2",
					  NULL };

/* The line of `text` that starts with `prefix`, without it (malloc'd), or NULL. */
static char *line_value(const char *text, const char *prefix)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			return xmemdup(p + strlen(prefix), strcspn(p + strlen(prefix), "\n"));
	return NULL;
}

/* The directory and user name a program sees, as the sandbox in force makes them: /box and
 * "student" in the allow-list root; without it the case's own directory (`cwd`, as the
 * program printed it) and the machine's name for its uid. */
static void where_and_who(const char *cwd, char **home, char **user, char **pw_name)
{
	const struct sandbox_caps *caps = sandbox_caps();
	const struct passwd *pw = caps->fs_root ? NULL : getpwuid(caps->uid);
	*home = xstrdup(caps->fs_root ? "/box" : cwd);
	*user = xstrdup(caps->fs_root ? "student" : pw ? pw->pw_name : "student");
	*pw_name = xstrdup(caps->fs_root ? "student" : pw ? pw->pw_name : "(none)");
}

/* A case's whole environment, exactly; nothing of the grader's (a secret, make's variables,
 * an ASAN_OPTIONS) even when the grader has them. */
START_TEST(case_environment)
{
	setenv("PIPEGRADE_SECRET", "s3cret", 1);
	setenv("MAKEFLAGS", "-j9", 1);
	setenv("MFLAGS", "-j9", 1);
	setenv("MAKELEVEL", "2", 1);
	setenv("ASAN_OPTIONS", "detect_leaks=1", 1);
	setenv("LANG", "es_ES.UTF-8", 1);
	struct submission_result res;
	grade("env", fixture("showenv"), &res);
	ck_assert_msg(res.compiled, "%s", res.build_log.data);
	ck_assert_uint_eq(res.ncases, 1);
	const struct case_result *cr = &res.cases[0];
	ck_assert_int_eq(cr->findings.v[0].kind, FINDING_PASS);
	char *cwd = line_value(cr->out.data, "cwd=");
	ck_assert_ptr_nonnull(cwd);
	char *home, *user, *pw_name;
	where_and_who(cwd, &home, &user, &pw_name);
	char *want = xasprintf("PWD=%s\nHOME=%s\nUSER=%s\nLOGNAME=%s\nLANG=C\nLC_ALL=C\n"
			       "PATH=/usr/local/bin:/usr/bin:/bin\nTERM=dumb\nSHELL=/bin/sh\n"
			       "cwd=%s\nuid=%u name=%s\nhome writable: yes\n"
			       "environ: HOME LANG LC_ALL LOGNAME PATH PWD SHELL TERM USER\n",
			       home, home, user, user, home, (unsigned)sandbox_caps()->uid,
			       pw_name);
	ck_assert_str_eq(cr->out.data, want);
	ck_assert_uint_eq(res.notes.len, 0);
	free(want);
	free(cwd);
	free(home);
	free(user);
	free(pw_name);
	submission_result_free(&res);
}
END_TEST

/* A Makefile that passes $(MFLAGS) to cc builds, with pipegrade run under a make's variables
 * of its own: make runs as typed, and the log has no "Entering directory" notes. */
START_TEST(make_as_typed)
{
	struct run_result r;
	pipegrade(grader_env, &r, "grade", "-c", yaml_path, "-e", "prog", "-v", fixture("mflags"),
		  NULL);
	ck_assert_msg(r.exit_code == 0, "%s%s", r.out.data, r.err.data);
	ck_assert_msg(strstr(r.out.data, ")\n    make -C lib\n    cc -c msg.c -o msg.o\n"
					 "    MAKEFLAGS=[] MFLAGS=[] MAKELEVEL=[0]\n"
					 "    cc  -o prog prog.c lib/msg.o\n"),
		      "%s", r.out.data);
	ck_assert_ptr_null(strstr(r.out.data, "Entering directory"));
	ck_assert_ptr_null(strstr(r.out.data, "no-print-directory"));
	ck_assert_ptr_nonnull(strstr(r.out.data, "\nScore: 1/1\n"));
	run_result_free(&r);
}
END_TEST

/* Whether `cc -fsanitize=address` links a program here. */
static bool cc_links_asan(void)
{
	char *tmp = tu_mkdtemp();
	tu_write(tmp, "a.c", "int main(void) { return 0; }\n");
	const char *const argv[] = { "cc", "-fsanitize=address", "-o", "a", "a.c", NULL };
	const char *const envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL };
	struct run_result r;
	tu_run(argv, envp, tmp, &r);
	bool ok = r.exit_code == 0;
	run_result_free(&r);
	tu_rmdir(tmp);
	return ok;
}

#define ASAN_NOTE                                                                                  \
	"The program is built with AddressSanitizer: its memory errors are caught, but leaks are " \
	"not checked (ASAN_OPTIONS=detect_leaks=0), because LeakSanitizer cannot run under "       \
	"pipegrade's process monitor.\n"
#define ASAN_AS_NOTE                                                                               \
	"Here memory is limited by address space (there is no memory cgroup), which "              \
	"AddressSanitizer cannot start under: build without -fsanitize=address to be graded on "   \
	"this machine.\n"

/* A submission built with -fsanitize=address passes its case (LeakSanitizer would end it
 * under the monitor), and the report says leaks were not checked. Where memory is limited by
 * address space alone, it cannot start, and the report says that too. */
START_TEST(asan_submission)
{
	TU_NEED(cc_links_asan(), "cc cannot link a program with -fsanitize=address here");
	bool cgroup = sandbox_caps()->cg.mem[0];
	struct submission_result res;
	grade("prog", fixture("asan"), &res);
	ck_assert_msg(res.compiled, "%s", res.build_log.data);
	ck_assert_uint_eq(res.ncases, 1);
	ck_assert_str_eq(res.notes.data, cgroup ? ASAN_NOTE : ASAN_NOTE ASAN_AS_NOTE);
	if (cgroup) {
		ck_assert_msg(res.cases[0].findings.v[0].kind == FINDING_PASS, "%s\n%s",
			      res.cases[0].findings.v[0].message, res.cases[0].err.data);
		ck_assert(res.cases[0].monitored);
		ck_assert_double_eq(res.score, 1);
	} else {
		ck_assert(!submission_passed(&res));
		ck_assert_ptr_nonnull(strstr(res.cases[0].err.data, "AddressSanitizer"));
	}
	submission_result_free(&res);

	struct run_result r;
	pipegrade(grader_env, &r, "grade", "-c", yaml_path, "-e", "prog", fixture("asan"), NULL);
	ck_assert_msg(r.exit_code == (cgroup ? 0 : 1), "%s%s", r.out.data, r.err.data);
	ck_assert_msg(strstr(r.out.data, cgroup ? " s)\nnote: " ASAN_NOTE "\n"
						: " s)\nnote: " ASAN_NOTE "note: " ASAN_AS_NOTE
						  "\n"),
		      "%s", r.out.data);
	run_result_free(&r);
}
END_TEST

/* ---- the ELF reader on hostile files ---- */

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

/* A minimal ELF64 (little-endian) without section headers, as `strip --strip-section-headers`
 * leaves one: a loadable segment over the whole file, a dynamic segment with DT_NEEDED
 * `needed`, DT_STRTAB and DT_STRSZ, and the string table. Returns its size (< 512). */
static size_t tiny_elf(unsigned char *f, const char *needed)
{
	enum { PH = 64, DYN = PH + 2 * 56, STR = DYN + 4 * 16 };
	const uint64_t base = 0x400000;
	memset(f, 0, 512);
	memcpy(f, "\177ELF\2\1\1", 7);
	put16(f + 16, 3);  /* ET_DYN */
	put16(f + 18, 62); /* x86-64 */
	put32(f + 20, 1);
	put64(f + 32, PH); /* e_phoff */
	put16(f + 52, 64); /* e_ehsize */
	put16(f + 54, 56); /* e_phentsize */
	put16(f + 56, 2);  /* e_phnum */
	size_t strsz = strlen(needed) + 2, size = STR + strsz;
	put32(f + PH, 1); /* PT_LOAD: the file at `base` */
	put64(f + PH + 16, base);
	put64(f + PH + 32, size);
	put64(f + PH + 40, size);
	put32(f + PH + 56, 2); /* PT_DYNAMIC */
	put64(f + PH + 56 + 8, DYN);
	put64(f + PH + 56 + 16, base + DYN);
	put64(f + PH + 56 + 32, 4 * 16);
	const uint64_t dyn[][2] = { { 1, 1 }, { 5, base + STR }, { 10, strsz }, { 0, 0 } };
	for (int i = 0; i < 4; i++) {
		put64(f + DYN + 16 * i, dyn[i][0]);
		put64(f + DYN + 16 * i + 8, dyn[i][1]);
	}
	memcpy(f + STR + 1, needed, strlen(needed));
	return size;
}

/* Random bytes from a fixed seed (xorshift): the same file every run. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* `n` rounds of `data` with a few bytes changed (most in the headers) and cut at a random
 * length; the reader must never look outside the copy (a sanitizer build would stop it). */
static void mutate_and_parse(const unsigned char *data, size_t len, int n, uint64_t *seed)
{
	unsigned char *copy = xmalloc(len);
	for (int i = 0; i < n; i++) {
		memcpy(copy, data, len);
		for (int k = (int)(next_random(seed) % 8); k >= 0; k--) {
			size_t at = next_random(seed) % 2
					    ? next_random(seed) % (len < 256 ? len : 256)
					    : next_random(seed) % len;
			copy[at] = (unsigned char)next_random(seed);
		}
		size_t cut = next_random(seed) % 4 ? len : next_random(seed) % len;
		unsigned char *exact = xmalloc(cut ? cut
						   : 1); /* no slack for a read past the end */
		memcpy(exact, copy, cut);
		struct elfinfo ei;
		elfinfo_parse(exact, cut, &ei);
		ck_assert(ei.elf || !ei.asan);
		free(exact);
	}
	free(copy);
}

START_TEST(elf_reader_hostile)
{
	unsigned char f[512];
	struct elfinfo ei;
	size_t n = tiny_elf(f, "libasan.so.8");
	elfinfo_parse(f, n, &ei);
	ck_assert(ei.elf && ei.asan);
	elfinfo_parse(f, tiny_elf(f, "/usr/lib/libclang_rt.asan-x86_64.so"), &ei);
	ck_assert(ei.elf && ei.asan);
	elfinfo_parse(f, tiny_elf(f, "libc.so.6"), &ei);
	ck_assert(ei.elf && !ei.asan);
	elfinfo_parse(f, tiny_elf(f, "libasanx.so"), &ei);
	ck_assert(!ei.asan);
	/* every cut of the file short of its last byte leaves the name unreadable */
	n = tiny_elf(f, "libasan.so.8");
	for (size_t cut = 0; cut < n; cut++) {
		unsigned char *exact = xmalloc(cut ? cut : 1);
		memcpy(exact, f, cut);
		elfinfo_parse(exact, cut, &ei);
		ck_assert_msg(!ei.asan, "cut at %zu", cut);
		ck_assert(ei.elf == (cut >= 64));
		free(exact);
	}
	/* offsets, addresses, sizes and string indexes past the end, or that wrap around: e_phoff,
	 * the loadable segment's offset and address, the dynamic segment's offset and size, and
	 * the values of DT_NEEDED, DT_STRTAB and DT_STRSZ */
	const size_t fields[] = { 32,           64 + 8,  64 + 16,  64 + 56 + 8,
				  64 + 56 + 32, 176 + 8, 176 + 24, 176 + 40 };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const uint64_t bad[] = { n, UINT64_MAX, UINT64_MAX - 8, 1ULL << 63 };
		for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
			tiny_elf(f, "libasan.so.8");
			put64(f + fields[i], bad[j]);
			elfinfo_parse(f, n, &ei);
			ck_assert(ei.elf && !ei.asan);
		}
	}
	/* files on disk: cut short, garbage, empty, a directory, none */
	char *tmp = tu_mkdtemp();
	char *path = xasprintf("%s/prog", tmp);
	const char *const texts[] = { "\177ELF\2\1\1", "#!/bin/sh\necho hola\n", "" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		tu_write(tmp, "prog", texts[i]);
		ck_assert_int_eq(elfinfo_read(path, &ei), 0);
		ck_assert(!ei.elf && !ei.asan);
	}
	ck_assert_int_eq(elfinfo_read(tmp, &ei), -1);
	ck_assert(!ei.elf && !ei.asan);
	unlink(path);
	ck_assert_int_eq(elfinfo_read(path, &ei), -1);
	/* through a link: never */
	ck_assert_int_eq(symlink("/proc/self/exe", path), 0);
	ck_assert_int_eq(elfinfo_read(path, &ei), -1);
	free(path);
	tu_rmdir(tmp);
	/* section headers that point nowhere: the segments still say */
	tiny_elf(f, "libasan.so.8");
	put64(f + 40, UINT64_MAX - 8);
	put16(f + 58, 64);
	put16(f + 60, 1000);
	elfinfo_parse(f, n, &ei);
	ck_assert(ei.elf && ei.asan);
	/* a little fuzzing: the tiny file, and a real program with sections */
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	mutate_and_parse(f, tiny_elf(f, "libasan.so.8"), 20000, &seed);
	char *true_path = tu_which("true");
	ck_assert_ptr_nonnull(true_path);
	struct buf prog = BUF_INIT;
	ck_assert_int_eq(read_file(true_path, &prog), 0);
	elfinfo_parse(prog.data, prog.len, &ei);
	ck_assert(ei.elf && !ei.asan);
	mutate_and_parse((const unsigned char *)prog.data, prog.len, 2000, &seed);
	buf_free(&prog);
	free(true_path);
}
END_TEST

/* ---- what the build says ---- */

/* A build that warned: it passes, and the report shows the warning under "build: ok". */
START_TEST(warnings_shown)
{
	struct run_result r;
	pipegrade(grader_env, &r, "grade", "-c", yaml_path, "-e", "prog", fixture("warning"), NULL);
	ck_assert_msg(r.exit_code == 0, "%s%s", r.out.data, r.err.data);
	const char *build = strstr(r.out.data, "\nbuild: ok (");
	ck_assert_ptr_nonnull(build);
	char *head = xmemdup(build, strstr(build, "\n\n") - build);
	ck_assert_msg(strstr(head, " s)\n    prog.c:") && strstr(head, "\n    prog.c:5:") &&
			      strstr(head, "warning: unused variable 'sin_usar'"),
		      "%s", r.out.data);
	free(head);
	run_result_free(&r);

	struct submission_result res;
	grade("prog", fixture("warning"), &res);
	ck_assert(submission_passed(&res));
	ck_assert_ptr_nonnull(strstr(res.build_warnings.data, "unused variable 'sin_usar'"));
	submission_result_free(&res);
	grade("prog", fixture("asan/prog.c"), &res); /* no warning: nothing kept */
	ck_assert(submission_passed(&res));
	ck_assert_uint_eq(res.build_warnings.len, 0);
	submission_result_free(&res);
}
END_TEST

#define TWO_MAINS                                                                                  \
	" both define main(): a program has one main; remove or rename one (a copy left in the "   \
	"folder?)\n"

/* Two files define main(): every case is a compile_error whose message names them. */
START_TEST(two_mains)
{
	struct submission_result res;
	grade("prog", fixture("two-mains"), &res);
	ck_assert(!res.compiled);
	const struct finding *f = &res.cases[0].findings.v[0];
	ck_assert_int_eq(f->kind, FINDING_COMPILE_ERROR);
	ck_assert_msg(!strncmp(f->message,
			       "The submission did not build, so this case could not run.\n"
			       "copia.c and hello.c" TWO_MAINS,
			       strlen("The submission did not build, so this case could not run.\n"
				      "copia.c and hello.c" TWO_MAINS)),
		      "%s", f->message);
	submission_result_free(&res);
}
END_TEST

/* The same with a file name that would act on a terminal: it is named, made visible. */
START_TEST(two_mains_hostile_name)
{
	char *sub = tu_mkdtemp();
	tu_write(sub, "hello.c", "int main(void) { return 0; }\n");
	tu_write(sub, "co\033[2Jpia\n.c", "int main(void) { return 1; }\n");
	struct submission_result res;
	grade("prog", sub, &res);
	ck_assert(!res.compiled);
	ck_assert_msg(!strncmp(res.build_log.data, "co\\x1b[2Jpia\\x0a.c and hello.c" TWO_MAINS,
			       strlen("co\\x1b[2Jpia\\x0a.c and hello.c" TWO_MAINS)),
		      "%s", res.build_log.data);
	submission_result_free(&res);
	tu_rmdir(sub);
}
END_TEST

Suite *shell_env_suite(void)
{
	Suite *s = suite_create("shell_env");
	TCase *tc = tcase_create("shell_env");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, case_environment);
	tcase_add_test(tc, make_as_typed);
	tcase_add_test(tc, elf_reader_hostile);
	tcase_add_test(tc, warnings_shown);
	tcase_add_test(tc, two_mains);
	tcase_add_test(tc, two_mains_hostile_name);
	suite_add_tcase(s, tc);
	tu_test_unit(s, asan_submission, setup, teardown, 120);
	return s;
}
