/*
 * test_kit.c: sealed expectations and the student kit.
 *
 * SHA-256 against FIPS 180-4's examples; the digests of trailing_ws; grading.yaml's "sealed"
 * and "kit" keys and their errors; a sealed case graded on a small real program, right and
 * wrong. Then kit_write() on a small course of the test's own (hidden cases sealed and
 * omitted, the files they alone use left out, the same bytes twice), and the round trip of
 * the real course: `pipegrade kit`, the archive unpacked into an empty folder and built there
 * with make (as an ordinary user when the tests run as root), the reference solution of
 * 01-hello graded with full marks and a faulty submission without them; no hidden expected
 * output of any exercise and nothing of solutions/ anywhere in the kit.
 */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "config.h"
#include "grade.h"
#include "i18n.h"
#include "kit.h"
#include "run.h"
#include "sha256.h"
#include "suites.h"
#include "testutil.h"

#define USER_NAME "pipegrade-check" /* as in test_sandbox_user.c */
#define SEALED_SENTENCE                                                                            \
	"The output differs from the expected one, which is sealed in this kit: it is checked, "   \
	"not shown."

static char *hex_of(const void *data, size_t len)
{
	unsigned char d[SHA256_BYTES];
	char hex[SHA256_HEX];
	sha256(data, len, d);
	sha256_to_hex(d, hex);
	return xstrdup(hex);
}

/* ---- SHA-256 ------------------------------------------------------------------------------- */

START_TEST(sha256_vectors)
{
	static const struct {
		const char *msg;
		const char *hex;
	} v[] = {
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *hex = hex_of(v[i].msg, strlen(v[i].msg));
		ck_assert_str_eq(hex, v[i].hex);
		free(hex);
	}
	/* one million 'a', in pieces of every size from 1 to 1000 bytes, and whole */
	char *a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	struct sha256 s;
	unsigned char d[SHA256_BYTES];
	char hex[SHA256_HEX];
	sha256_init(&s);
	for (size_t done = 0, n = 1; done < 1000000; done += n, n = n % 1000 + 1)
		sha256_update(&s, a + done, n < 1000000 - done ? n : 1000000 - done);
	sha256_final(&s, d);
	sha256_to_hex(d, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	char *whole = hex_of(a, 1000000);
	ck_assert_str_eq(whole, hex);
	free(whole);
	free(a);
	/* around the padding's edges (55 bytes fit in one block with the length, 56 do not),
	 * as an independent implementation (Python's hashlib) gives them */
	static const struct {
		size_t n;
		const char *hex;
	} edge[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char as[120];
	memset(as, 'a', sizeof as);
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		char *h = hex_of(as, edge[i].n);
		ck_assert_msg(!strcmp(h, edge[i].hex), "%zu bytes: %s", edge[i].n, h);
		free(h);
	}
	/* hexadecimal, both ways */
	static const char upper[] =
		"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
	static const char bad[] = "ga7816bf8f01cfea414140de5dae2223"
				  "b00361a396177a9cb410ff61f20015ad";
	unsigned char back[SHA256_BYTES];
	ck_assert_int_eq(sha256_from_hex(v[0].hex, 64, back), 0);
	sha256_to_hex(back, hex);
	ck_assert_str_eq(hex, v[0].hex);
	ck_assert_int_eq(sha256_from_hex(upper, 64, back), 0);
	sha256_to_hex(back, hex);
	ck_assert_str_eq(hex, v[0].hex);
	ck_assert_int_eq(sha256_from_hex(v[0].hex, 63, back), -1);
	ck_assert_int_eq(sha256_from_hex(bad, 64, back), -1);
}
END_TEST

/* ---- compare: digests ---------------------------------------------------------------------- */

#define SEAL_EQ(mode, a, b)                                                                        \
	do {                                                                                       \
		unsigned char da_[SHA256_BYTES], db_[SHA256_BYTES];                                \
		compare_seal(mode, a, sizeof(a) - 1, da_);                                         \
		compare_seal(mode, b, sizeof(b) - 1, db_);                                         \
		ck_assert_msg(memcmp(da_, db_, SHA256_BYTES) == 0, "%s: \"%s\" and \"%s\" differ", \
			      #mode, a, b);                                                        \
	} while (0)

#define SEAL_NE(mode, a, b)                                                                        \
	do {                                                                                       \
		unsigned char da_[SHA256_BYTES], db_[SHA256_BYTES];                                \
		compare_seal(mode, a, sizeof(a) - 1, da_);                                         \
		compare_seal(mode, b, sizeof(b) - 1, db_);                                         \
		ck_assert_msg(memcmp(da_, db_, SHA256_BYTES) != 0, "%s: \"%s\" and \"%s\" agree",  \
			      #mode, a, b);                                                        \
	} while (0)

/* A sealed comparison of `actual` against the digest of `expected`, as compare_output() does
 * it; the explanation in `why`. */
static enum compare_result cmp_sealed(enum cmp_mode mode, const char *expected, size_t elen,
				      const char *actual, size_t alen, struct buf *why)
{
	unsigned char d[SHA256_BYTES];
	compare_seal(mode, expected, elen, d);
	struct wanted w = { (const char *)d, sizeof d,
			    mode == CMP_EXACT ? CMP_SEALED_EXACT : CMP_SEALED_TRAILING_WS };
	return compare_output(&w, actual, alen, why);
}

START_TEST(seal_modes)
{
	ck_assert(compare_can_seal(CMP_EXACT));
	ck_assert(compare_can_seal(CMP_TRAILING_WS));
	ck_assert(!compare_can_seal(CMP_CONTAINS));
	ck_assert(!compare_can_seal(CMP_REGEX));
	/* exact: the bytes as they are */
	unsigned char d[SHA256_BYTES];
	char hex[SHA256_HEX];
	compare_seal(CMP_EXACT, "abc", 3, d);
	sha256_to_hex(d, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	SEAL_NE(CMP_EXACT, "hola\n", "hola \n");
	SEAL_NE(CMP_EXACT, "a\nb\n", "a\r\nb\r\n");
	/* trailing_ws: the text as the mode reads it, "a\nb\n" here */
	compare_seal(CMP_TRAILING_WS, "a \t\r\nb\n\n \n", 10, d);
	unsigned char plain[SHA256_BYTES];
	sha256("a\nb\n", 4, plain);
	ck_assert_int_eq(memcmp(d, plain, SHA256_BYTES), 0);
	SEAL_EQ(CMP_TRAILING_WS, "a\nb", "a \nb\n\n");
	SEAL_EQ(CMP_TRAILING_WS, "a\nb\n", "a\r\nb\r\n");
	SEAL_EQ(CMP_TRAILING_WS, "a\nb\n", "a\t \r\nb");
	SEAL_EQ(CMP_TRAILING_WS, "", "\n \n\t\n");
	SEAL_EQ(CMP_TRAILING_WS, "a\0\n", "a\0 \n");
	SEAL_NE(CMP_TRAILING_WS, "a b\n", "a  b\n");
	SEAL_NE(CMP_TRAILING_WS, "a\nb\n", " a\nb\n");
	SEAL_NE(CMP_TRAILING_WS, "a\nb\n", "a\n\nb\n");
	SEAL_NE(CMP_TRAILING_WS, "a\rb\n", "ab\n");
	SEAL_NE(CMP_TRAILING_WS, "a\0\n", "a\n");
	/* compare_output() on a digest: the same verdicts as on the text, no expected bytes */
	struct buf why = BUF_INIT;
	ck_assert_int_eq(cmp_sealed(CMP_EXACT, "hola\n", 5, "hola\n", 5, &why), COMPARE_MATCH);
	ck_assert_uint_eq(why.len, 0);
	ck_assert_int_eq(cmp_sealed(CMP_TRAILING_WS, "x\ny", 3, "x \ny\n\n", 6, &why),
			 COMPARE_MATCH);
	ck_assert_int_eq(cmp_sealed(CMP_EXACT, "secreto 42\n", 11, "hola\n", 5, &why),
			 COMPARE_MISMATCH);
	ck_assert_str_eq(why.data, SEALED_SENTENCE "\n"
						   "your output (1 line):\n"
						   "  1   hola\n");
	buf_reset(&why);
	ck_assert_int_eq(cmp_sealed(CMP_TRAILING_WS, "secreto\n", 8, "secreto 2\n", 10, &why),
			 COMPARE_MISMATCH);
	ck_assert_ptr_nonnull(strstr(why.data, SEALED_SENTENCE));
	ck_assert_ptr_null(strstr(why.data, "first difference"));
	buf_free(&why);
	/* a digest of the wrong size is refused, never matched */
	struct wanted bad = { "abc", 3, CMP_SEALED_EXACT };
	ck_assert_int_eq(compare_output(&bad, "abc", 3, NULL), COMPARE_BAD_PATTERN);
}
END_TEST

/* ---- grading.yaml: sealed and kit ---------------------------------------------------------- */

static char *dir; /* each test's temporary folder */

static void setup(void)
{
	i18n_set("en");
	dir = tu_mkdtemp();
	chmod(dir, 0755);
}

static void teardown(void)
{
	tu_rmdir(dir);
	dir = NULL;
}

/* Writes `yaml` as dir/grading.yaml and loads it; the errors in `errors` when it fails. */
static int load(const char *yaml, struct course *c, struct buf *errors)
{
	tu_write(dir, "grading.yaml", yaml);
	char *path = xasprintf("%s/grading.yaml", dir);
	int rc = config_load(path, c, errors);
	free(path);
	return rc;
}

/* The errors of `yaml`, without the path in front of each line. */
static char *load_errors(const char *yaml)
{
	struct course c;
	struct buf err = BUF_INIT, out = BUF_INIT;
	ck_assert_int_eq(load(yaml, &c, &err), -1);
	char *prefix = xasprintf("%s/grading.yaml:", dir);
	for (char *line = err.data; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
		size_t skip = strncmp(line, prefix, strlen(prefix)) ? 0 : strlen(prefix);
		buf_append(&out, line + skip, n - skip);
		line += n;
	}
	free(prefix);
	buf_free(&err);
	course_free(&c);
	return buf_detach(&out);
}

#define HEAD                                                                                       \
	"exercises:\n"                                                                             \
	"  - id: e\n"                                                                              \
	"    title: t\n"                                                                           \
	"    binary: echo\n"                                                                       \
	"    limits: {wall: 5}\n"                                                                  \
	"    cases:\n"

START_TEST(sealed_loads)
{
	char *h1 = hex_of("hola\n", 5), *h2 = hex_of("x\n", 2), *h3 = hex_of("5\n", 2);
	char *yaml = xasprintf(HEAD
			       "      - name: c\n"
			       "        stdout: {sealed: \"sha256:%s\", mode: exact}\n"
			       "        stderr: {sealed: \"sha256:%s\", mode: trailing_ws}\n"
			       "        expect_files:\n"
			       "          - {path: out, sealed: \"sha256:%s\", perm: \"0644\"}\n"
			       "        hidden: true\n"
			       "      - name: d\n"
			       "        stdout: {sealed: \"SHA256:%s\"}\n",
			       h1, h2, h3, h1);
	struct course c;
	struct buf err = BUF_INIT;
	/* the prefix is lowercase: "SHA256:" is refused */
	ck_assert_int_eq(load(yaml, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, "14:26: \"sealed\" must be a digest: \"sha256:\" "
					       "followed by 64 hexadecimal digits\n"));
	buf_free(&err);
	free(yaml);
	yaml = xasprintf(HEAD "      - name: c\n"
			      "        stdout: {sealed: \"sha256:%s\", mode: exact}\n"
			      "        stderr: {sealed: \"sha256:%s\", mode: trailing_ws}\n"
			      "        expect_files:\n"
			      "          - {path: out, sealed: \"sha256:%s\", perm: \"0644\"}\n"
			      "        hidden: true\n"
			      "      - name: d\n"
			      "        stdout: {sealed: \"sha256:%s\"}\n",
			 h1, h2, h3, h1);
	int rc = load(yaml, &c, &err);
	ck_assert_msg(rc == 0, "%s", err.data);
	const struct test_case *tc = &c.exercises[0].cases[0];
	unsigned char d[SHA256_BYTES];
	ck_assert(tc->out.set);
	ck_assert_int_eq(tc->out.mode, CMP_SEALED_EXACT);
	ck_assert_uint_eq(tc->out.want.len, SHA256_BYTES);
	sha256("hola\n", 5, d);
	ck_assert_int_eq(memcmp(tc->out.want.text, d, SHA256_BYTES), 0);
	ck_assert_int_eq(tc->err.mode, CMP_SEALED_TRAILING_WS);
	ck_assert_str_eq(cmp_mode_name(tc->err.mode), "trailing_ws");
	ck_assert_int_eq(tc->expect_files[0].exp.mode, CMP_SEALED_EXACT);
	ck_assert_int_eq(tc->expect_files[0].perm, 0644);
	ck_assert_int_eq(c.exercises[0].cases[1].out.mode, CMP_SEALED_EXACT); /* the default */
	course_free(&c);
	buf_free(&err);
	free(yaml);
	free(h1);
	free(h2);
	free(h3);
}
END_TEST

START_TEST(sealed_errors)
{
	char *h = hex_of("", 0);
	char *yaml = xasprintf(HEAD "      - name: c\n"
				    "        stdout: {sealed: \"sha256:%s\", mode: regex}\n"
				    "        stderr: {mode: contains, sealed: \"sha256:%s\"}\n"
				    "        expect_files:\n"
				    "          - {path: o, sealed: \"sha256:%s\", mode: regex}\n"
				    "          - {path: p, sealed: \"sha256:12\"}\n"
				    "          - {path: q, absent: true, sealed: \"sha256:%s\"}\n"
				    "      - name: d\n"
				    "        stdout: {text: a, sealed: \"sha256:%s\"}\n"
				    "        stderr: {sealed: 3}\n",
			       h, h, h, h, h);
	char *errors = load_errors(yaml);
#define NOT_SEALABLE                                                                               \
	": only exact and trailing_ws can be checked against a digest; give the expected text "    \
	"instead\n"
#define NOT_DIGEST "\"sealed\" must be a digest: \"sha256:\" followed by 64 hexadecimal digits\n"
	ck_assert_str_eq(errors,
			 "8:107: a sealed \"stdout\" cannot be compared in mode regex" NOT_SEALABLE
			 "9:24: a sealed \"stderr\" cannot be compared in mode "
			 "contains" NOT_SEALABLE
			 "11:112: a sealed \"expect_files\" cannot be compared in mode "
			 "regex" NOT_SEALABLE "12:31: " NOT_DIGEST
			 "13:31: an absent file has no \"text\", \"file\", \"sealed\", \"mode\" or "
			 "\"perm\"\n"
			 "15:35: \"stdout\" takes only one of \"text\", \"file\" or \"sealed\"\n"
			 "16:26: " NOT_DIGEST);
#undef NOT_SEALABLE
#undef NOT_DIGEST
	free(errors);
	free(yaml);
	free(h);
}
END_TEST

START_TEST(kit_key)
{
	struct course c;
	struct buf err = BUF_INIT;
	int rc = load("defaults: {kit: {hidden: omit}}\n" HEAD "      - name: c\n"
		      "  - id: f\n    title: t\n    binary: b\n    kit: {hidden: seal}\n"
		      "    cases: [{name: c}]\n",
		      &c, &err);
	ck_assert_msg(rc == 0, "%s", err.data);
	ck_assert_int_eq(c.kit_hidden, KIT_HIDDEN_OMIT);
	ck_assert_int_eq(c.exercises[0].kit_hidden, KIT_HIDDEN_UNSET);
	ck_assert_int_eq(c.exercises[1].kit_hidden, KIT_HIDDEN_SEAL);
	course_free(&c);
	buf_free(&err);
	char *errors = load_errors("defaults: {kit: {hidden: show}}\n" HEAD "      - name: c\n"
				   "  - id: f\n    title: t\n    binary: b\n    kit: {seal: true}\n"
				   "    cases: [{name: c}]\n"
				   "  - id: g\n    title: t\n    binary: b\n    kit: omit\n"
				   "    cases: [{name: c}]\n");
	ck_assert_str_eq(errors,
			 "1:26: \"hidden\" must be one of: seal, omit (got \"show\")\n"
			 "12:11: unknown key \"seal\" in \"kit\"; expected one of: hidden\n"
			 "17:10: \"kit\" must be a mapping with \"hidden\": seal or omit\n");
	free(errors);
}
END_TEST

/* ---- grading a sealed case ----------------------------------------------------------------- */

/* Grades `source` as echo.c against the one exercise of `c`. */
static void grade_source(const struct course *c, const char *source, struct submission_result *res)
{
	char *sub = xasprintf("%s/sub", dir);
	mkdir(sub, 0755);
	tu_write(sub, "echo.c", source);
	struct buf err = BUF_INIT;
	int rc = grade_submission(c, &c->exercises[0], sub, NULL, res, &err);
	ck_assert_msg(rc == 0, "%s", err.data);
	ck_assert_int_eq(tu_count_descendants(), 0);
	buf_free(&err);
	free(sub);
}

START_TEST(grade_sealed)
{
	char *h1 = hex_of("hola mundo\n", 11), *h2 = hex_of("uno\ndos\n", 8);
	char *yaml = xasprintf(HEAD "      - name: eco\n"
				    "        args: [hola, mundo]\n"
				    "        stdout: {sealed: \"sha256:%s\", mode: exact}\n"
				    "        exit: 0\n"
				    "        points: 2\n"
				    "        hidden: true\n"
				    "      - name: lineas\n"
				    "        args: [\"uno \", \"\\ndos\\n\\n\"]\n"
				    "        stdout: {sealed: \"sha256:%s\", mode: trailing_ws}\n"
				    "        points: 3\n",
			       h1, h2);
	struct course c;
	struct buf err = BUF_INIT;
	ck_assert_msg(load(yaml, &c, &err) == 0, "%s", err.data);
	static const char good[] = "#include <stdio.h>\n"
				   "int main(int argc, char **argv) {\n"
				   "  for (int i = 1; i < argc; i++)\n"
				   "    printf(\"%s%s\", argv[i], i + 1 < argc ? \" \" : \"\");\n"
				   "  printf(\"\\n\");\n  return 0;\n}\n";
	struct submission_result res;
	grade_source(&c, good, &res);
	ck_assert_double_eq(res.score, 5);
	ck_assert(submission_passed(&res));
	for (size_t i = 0; i < 2; i++)
		ck_assert_int_eq(res.cases[i].findings.v[0].kind, FINDING_PASS);
	submission_result_free(&res);
	/* wrong: commas between the words, and the case says so without the expected bytes */
	static const char wrong[] = "#include <stdio.h>\n"
				    "int main(int argc, char **argv) {\n"
				    "  for (int i = 1; i < argc; i++) printf(\"%s,\", argv[i]);\n"
				    "  printf(\"\\n\");\n  return 0;\n}\n";
	grade_source(&c, wrong, &res);
	ck_assert_double_eq(res.score, 0);
	for (size_t i = 0; i < 2; i++) {
		const struct findings *f = &res.cases[i].findings;
		ck_assert_uint_eq(f->n, 1);
		ck_assert_int_eq(f->v[0].kind, FINDING_WRONG_OUTPUT);
		ck_assert_ptr_nonnull(strstr(f->v[0].message, SEALED_SENTENCE));
		ck_assert_ptr_null(strstr(f->v[0].message, "first difference"));
	}
	ck_assert_str_eq(res.cases[0].findings.v[0].message,
			 "stdout is not what was expected.\n" SEALED_SENTENCE "\n"
			 "your output (1 line):\n"
			 "  1   hola,mundo,\n");
	ck_assert_ptr_null(strstr(res.cases[0].findings.v[0].message, "hola mundo"));
	submission_result_free(&res);
	course_free(&c);
	buf_free(&err);
	free(yaml);
	free(h1);
	free(h2);
}
END_TEST

/* ---- kit_write() on a course of the test's own --------------------------------------------- */

/* An archive's entries: name, type, permission bits, and the content of one of them. */
struct listing {
	struct strvec names;
	struct buf lines;   /* "NAME MODE TYPE UID MTIME\n" per entry */
	struct buf content; /* of `want` */
};

static void list_archive(const char *path, const char *want, struct listing *l)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	ck_assert_int_eq(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	struct archive_entry *e;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		strvec_push(&l->names, name);
		buf_printf(&l->lines, "%s %04o %s %lld %lld\n", name,
			   (unsigned)archive_entry_perm(e),
			   archive_entry_filetype(e) == AE_IFDIR ? "d" : "f",
			   (long long)archive_entry_uid(e), (long long)archive_entry_mtime(e));
		char chunk[8192];
		la_ssize_t n;
		while ((n = archive_read_data(a, chunk, sizeof chunk)) > 0)
			if (want && !strcmp(name, want))
				buf_append(&l->content, chunk, (size_t)n);
	}
	archive_read_free(a);
	buf_append(&l->content, "", 0);
}

static void listing_free(struct listing *l)
{
	strvec_free(&l->names);
	buf_free(&l->lines);
	buf_free(&l->content);
}

static void mkdirs(const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	for (char *s = strchr(p + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

/* Reads a whole file (the test fails when it cannot). */
static void slurp(const char *path, struct buf *out)
{
	ck_assert_msg(read_file(path, out) == 0, "cannot read %s", path);
}

START_TEST(kit_small_course)
{
	/* a course with pipegrade's sources (harness/, linked), two exercises, a solution */
	char *harness = xasprintf("%s/harness", dir);
	char *top = realpath(tu_top(), NULL);
	char *real_harness = xasprintf("%s/harness", top);
	ck_assert_int_eq(symlink(real_harness, harness), 0);
	mkdirs("exercises/a/data");
	mkdirs("exercises/a/solutions");
	mkdirs("exercises/b");
	mkdirs("solutions/a");
	mkdirs("inputs");
	tu_write(dir, "exercises/a/README.md", "# a\n");
	tu_write(dir, "exercises/a/a.c", "int main(void) { return 0; }\n");
	tu_write(dir, "exercises/a/data/in.txt", "entrada\n");
	tu_write(dir, "exercises/a/data/visible.out", "se ve\n");
	tu_write(dir, "exercises/a/data/hidden.out", "oculto 1234\n");
	tu_write(dir, "exercises/a/solutions/a.c", "solucion escondida\n");
	tu_write(dir, "exercises/b/omitted.in", "solo del caso omitido\n");
	tu_write(dir, "solutions/a/a.c", "solucion\n");
	tu_write(dir, "inputs/shared.txt", "compartido\n");
	char *run = xasprintf("%s/exercises/a/run.sh", dir);
	tu_write(dir, "exercises/a/run.sh", "#!/bin/sh\n");
	chmod(run, 0755);
	free(run);
	tu_write(dir, "grading.yaml",
		 "# solutions/a/a.c is the reference\n"
		 "course: {es: Curso, en: Course}\n"
		 "defaults: {kit: {hidden: seal}, limits: {wall: 2}, lang: es}\n"
		 "exercises:\n"
		 "  - id: a\n"
		 "    title: \"A: uno\"\n"
		 "    statement: exercises/a/README.md\n"
		 "    binary: a\n"
		 "    cases:\n"
		 "      - name: visible\n"
		 "        stdin: {file: exercises/a/data/in.txt}\n"
		 "        stdout: {file: exercises/a/data/visible.out}\n"
		 "        hint:\n"
		 "          es: \"una pista\"\n"
		 "          en: \"a hint, long enough not to fit on one line of the kit's "
		 "grading.yaml\"\n"
		 "      - name: oculto\n"
		 "        hidden: true\n"
		 "        args: [\"x y\", 3, -1, \"\\u2028\\x85\\t\"]\n"
		 "        stdin: {file: inputs/shared.txt}\n"
		 "        stdout: {file: exercises/a/data/hidden.out}\n"
		 "        stderr: {text: \"^uso\", mode: regex}\n"
		 "        expect_files:\n"
		 "          - {path: f, text: \"fichero oculto\\n\", mode: trailing_ws,\n"
		 "             perm: \"0600\"}\n"
		 "          - {path: g, absent: true}\n"
		 "        hint: {es: \"la salida es oculto 1234\", en: \"the output is oculto 1234\"}\n"
		 "  - id: b\n"
		 "    title: B\n"
		 "    binary: b\n"
		 "    kit: {hidden: omit}\n"
		 "    cases:\n"
		 "      - name: visible\n"
		 "        stdout: \"b\\n\"\n"
		 "      - name: omitido\n"
		 "        hidden: true\n"
		 "        stdin: {file: exercises/b/omitted.in}\n"
		 "        stdout: \"respuesta omitida\\n\"\n");
	char *yaml = xasprintf("%s/grading.yaml", dir);
	char *out = xasprintf("%s/kit.tar.gz", dir), *again = xasprintf("%s/again/kit.tar.gz", dir);
	struct buf err = BUF_INIT;
	int rc = kit_write(yaml, out, &err);
	ck_assert_msg(rc == KIT_OK, "%s", err.data);
	ck_assert_ptr_nonnull(strstr(err.data,
				     "pipegrade kit: a, hidden case \"oculto\": its stderr "
				     "(mode regex) is left out of the kit: only exact and "
				     "trailing_ws expectations can be sealed\n"));
	ck_assert_ptr_nonnull(strstr(err.data, "pipegrade kit: exercises/a/solutions/ left out: no "
					       "folder named solutions goes into a kit\n"));
	ck_assert_ptr_nonnull(strstr(err.data, "pipegrade kit: 2 exercises and 3 cases, of which 1 "
					       "hidden and sealed; hidden cases omitted: 1; files "
					       "withheld: 2; files in the kit: "));
	/* the same bytes from the same course, wherever and whenever it is written */
	mkdirs("again");
	buf_reset(&err);
	ck_assert_int_eq(kit_write(yaml, again, &err), KIT_OK);
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	slurp(out, &b1);
	slurp(again, &b2);
	ck_assert(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);
	buf_free(&b1);
	buf_free(&b2);

	struct listing l = { STRVEC_INIT, BUF_INIT, BUF_INIT };
	list_archive(out, "kit/grading.yaml", &l);
	/* sorted, owned by 0, one time, 0755 folders and programs, 0644 the rest */
	for (size_t i = 0; i < l.names.n; i++) { /* folders end in '/' in the archive */
		size_t n = strlen(l.names.v[i]);
		if (n > 1 && l.names.v[i][n - 1] == '/')
			l.names.v[i][n - 1] = '\0';
	}
	for (size_t i = 1; i < l.names.n; i++)
		ck_assert_msg(strcmp(l.names.v[i - 1], l.names.v[i]) < 0, "%s before %s",
			      l.names.v[i - 1], l.names.v[i]);
	ck_assert_ptr_nonnull(strstr(l.lines.data,
				     "kit/ 0755 d 0 946684800\n"
				     "kit/Makefile 0644 f 0 946684800\n"
				     "kit/README.md 0644 f 0 946684800\n"
				     "kit/exercises/ 0755 d 0 946684800\n"
				     "kit/exercises/a/ 0755 d 0 946684800\n"
				     "kit/exercises/a/README.md 0644 f 0 946684800\n"
				     "kit/exercises/a/a.c 0644 f 0 946684800\n"
				     "kit/exercises/a/data/ 0755 d 0 946684800\n"
				     "kit/exercises/a/data/in.txt 0644 f 0 946684800\n"
				     "kit/exercises/a/data/visible.out 0644 f 0 946684800\n"
				     "kit/exercises/a/run.sh 0755 f 0 946684800\n"
				     "kit/grading.yaml 0644 f 0 946684800\n"
				     "kit/harness/ 0755 d 0 946684800\n"));
	ck_assert_ptr_nonnull(strstr(l.lines.data, "kit/harness/kit.c 0644 f 0 946684800\n"));
	ck_assert_ptr_nonnull(strstr(l.lines.data, "kit/inputs/shared.txt 0644 f 0 946684800\n"
						   "kit/install-deps 0755 f 0 946684800\n"));
	/* withheld: the hidden case's expected file, the omitted case's input, solutions */
	ck_assert_ptr_null(strstr(l.lines.data, "hidden.out"));
	ck_assert_ptr_null(strstr(l.lines.data, "omitted.in"));
	ck_assert_ptr_null(strstr(l.lines.data, "solutions"));
	ck_assert_ptr_null(strstr(l.lines.data, "kit/harness/kit/"));
	/* grading.yaml: no comment of the course's, the hidden case sealed, the omitted one gone */
	char *d_out = hex_of("oculto 1234\n", 12), *d_file = hex_of("fichero oculto\n", 15);
	char *sealed = xasprintf("      - name: oculto\n"
				 "        hidden: true\n"
				 "        args: [\"x y\", 3, -1, \"\\u2028\\u0085\\t\"]\n"
				 "        stdin: {file: inputs/shared.txt}\n"
				 "        stdout: {sealed: \"sha256:%s\", mode: exact}\n"
				 "        expect_files:\n"
				 "          - {path: f, sealed: \"sha256:%s\", mode: trailing_ws, "
				 "perm: \"0600\"}\n"
				 "          - {path: g, absent: true}\n"
				 "\n  - id: b\n",
				 d_out, d_file);
	ck_assert_msg(strstr(l.content.data, sealed), "%s", l.content.data);
	ck_assert_ptr_nonnull(strstr(l.content.data, "defaults:\n  limits: {wall: 2}\n"));
	/* texts by language stay maps: flow style when they fit on the line, else block */
	ck_assert_ptr_nonnull(strstr(l.content.data, "course: {es: Curso, en: Course}\n"));
	ck_assert_ptr_nonnull(strstr(l.content.data, "  limits: {wall: 2}\n  lang: es\n"));
	ck_assert_msg(strstr(l.content.data,
			     "        hint:\n"
			     "          es: \"una pista\"\n"
			     "          en: \"a hint, long enough not to fit on one "
			     "line of the kit's grading.yaml\"\n"),
		      "%s", l.content.data);
	ck_assert_ptr_nonnull(strstr(l.content.data, "    title: \"A: uno\"\n"));
	ck_assert_ptr_null(strstr(l.content.data, "solutions"));
	ck_assert_ptr_null(strstr(l.content.data, "oculto 1234"));
	ck_assert_ptr_null(strstr(l.content.data, "omitido"));
	ck_assert_ptr_null(strstr(l.content.data, "respuesta"));
	ck_assert_ptr_null(strstr(l.content.data, "kit:"));
	ck_assert_ptr_null(strstr(l.content.data, "^uso"));
	listing_free(&l);
	free(sealed);
	free(d_out);
	free(d_file);

	/* a course that names a solution cannot be a kit, and no archive is left */
	tu_write(dir, "grading.yaml",
		 "exercises:\n  - id: a\n    title: A\n    binary: a\n    cases:\n"
		 "      - name: c\n        stdin: {file: solutions/a/a.c}\n");
	char *none = xasprintf("%s/none.tar.gz", dir);
	buf_reset(&err);
	ck_assert_int_eq(kit_write(yaml, none, &err), KIT_BAD_COURSE);
	ck_assert_ptr_nonnull(strstr(err.data,
				     "pipegrade kit: line 7 of grading.yaml names "
				     "\"solutions/a/a.c\", which cannot go into a kit: the "
				     "files it names must be inside the course folder, and "
				     "not in solutions/\n"));
	ck_assert_int_eq(access(none, F_OK), -1);
	free(none);
	buf_free(&err);
	free(yaml);
	free(out);
	free(again);
	free(real_harness);
	free(top);
	free(harness);
}
END_TEST

/* ---- the round trip of the real course ----------------------------------------------------- */

/* The ordinary user the kit is built and used as when the tests run as root (created, as
 * test_sandbox_user.c does, when it is missing); NULL when it cannot be had. */
static const struct passwd *the_user(void)
{
	const struct passwd *pw = getpwnam(USER_NAME);
	if (pw)
		return pw;
	int lock = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	pw = getpwnam(USER_NAME);
	if (!pw) {
		pid_t k = fork();
		if (k == 0) {
			int null = open("/dev/null", O_RDWR | O_CLOEXEC);
			dup2(null, 1);
			execlp("useradd", "useradd", "-m", "-s", "/usr/sbin/nologin", USER_NAME,
			       (char *)NULL);
			_exit(127);
		}
		int status;
		waitpid(k, &status, 0);
		pw = getpwnam(USER_NAME);
	}
	if (lock >= 0)
		close(lock);
	return pw;
}

/* Runs `argv` in `cwd` with `env` (as `pw` when not NULL), stdin closed, in a session of its
 * own; its stdout and stderr together into `out`; its exit status (128 + signal). Killed with
 * everything in its session after 300 s. */
static int run_in(const struct passwd *pw, const char *const *argv, const char *const *env,
		  const char *cwd, struct buf *out)
{
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid_t k = fork();
	ck_assert_int_ge(k, 0);
	if (k == 0) {
		setsid();
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (pw && (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
			   setuid(pw->pw_uid) < 0))
			_exit(126);
		if (chdir(cwd) < 0)
			_exit(125);
		execvpe(argv[0], (char *const *)argv, (char *const *)env);
		_exit(127);
	}
	close(p[1]);
	double end = now_monotonic() + 300;
	struct pollfd pf = { p[0], POLLIN, 0 };
	for (;;) {
		if (now_monotonic() > end) {
			kill(-k, SIGKILL);
			break;
		}
		if (poll(&pf, 1, 1000) <= 0)
			continue;
		char chunk[8192];
		ssize_t n = read(p[0], chunk, sizeof chunk);
		if (n <= 0)
			break;
		buf_append(out, chunk, (size_t)n);
	}
	close(p[0]);
	buf_append(out, "", 0);
	int status;
	ck_assert_int_eq(waitpid(k, &status, 0), k);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Every file under `root` that is not a folder: its name below `root` in `names`, its path in
 * `paths`. */
static void read_tree(const char *root, const char *rel, struct strvec *names, struct strvec *paths)
{
	char *path = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	ck_assert_msg(d != NULL, "cannot read %s", path);
	const struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		char *full = xasprintf("%s/%s", root, sub);
		struct stat st;
		ck_assert_int_eq(lstat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			read_tree(root, sub, names, paths);
		} else {
			strvec_push(names, sub);
			strvec_push(paths, full);
		}
		free(sub);
		free(full);
	}
	closedir(d);
	free(path);
}

/* The contents of every regular file under `root`. */
struct tree {
	struct strvec names;
	struct buf *data;
	size_t n;
};

static void tree_read(const char *root, struct tree *t)
{
	struct strvec paths = STRVEC_INIT;
	t->names = (struct strvec)STRVEC_INIT;
	read_tree(root, "", &t->names, &paths);
	t->n = paths.n;
	t->data = xcalloc(t->n ? t->n : 1, sizeof *t->data);
	for (size_t i = 0; i < t->n; i++)
		slurp(paths.v[i], &t->data[i]);
	strvec_free(&paths);
}

static void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		buf_free(&t->data[i]);
	free(t->data);
	strvec_free(&t->names);
}

/* The file of `t` that holds `len` bytes of `s`, or NULL. */
static const char *tree_find(const struct tree *t, const char *s, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->data[i].len >= len && memmem(t->data[i].data, t->data[i].len, s, len))
			return t->names.v[i];
	return NULL;
}

/* What must not be in the kit: every hidden case's expected output (stdout, stderr, expected
 * files) of the real course that is not shown elsewhere on purpose (a visible case expects
 * it too, or a statement or starter of exercises/ quotes it), every file of solutions/ and
 * every line of at least 40 characters of them that exercises/ does not hold (the starters
 * share their scaffolding with the solutions). */
struct secret {
	char *what;
	struct buf bytes;
};

struct secrets {
	struct secret *v;
	size_t n, cap;
	size_t outputs, lines; /* how many of each kind */
};

static void secret_add(struct secrets *s, const char *what, const char *p, size_t len)
{
	ALLOC_GROW(s->v, s->n + 1, s->cap);
	struct secret *x = &s->v[s->n++];
	x->what = xstrdup(what);
	x->bytes = (struct buf)BUF_INIT;
	buf_append(&x->bytes, p, len);
}

static void expectation(const struct expect *e, struct buf *out)
{
	struct buf why = BUF_INIT;
	buf_reset(out);
	if (e->set)
		ck_assert_int_eq(data_load(&e->want, out, &why), 0);
	buf_append(out, "", 0);
	buf_free(&why);
}

/* Whether a visible case of `c` expects exactly `b`. */
static bool visible_expects(const struct course *c, const struct buf *b)
{
	struct buf x = BUF_INIT;
	bool found = false;
	for (size_t e = 0; e < c->nexercises && !found; e++) {
		const struct exercise *ex = &c->exercises[e];
		for (size_t j = 0; j < ex->ncases && !found; j++) {
			const struct test_case *tc = &ex->cases[j];
			const struct expect *all[] = { &tc->out, &tc->err };
			for (size_t k = 0; !tc->hidden && k < 2 && !found; k++) {
				expectation(all[k], &x);
				found = all[k]->set && x.len == b->len &&
					memcmp(x.data, b->data, b->len) == 0;
			}
			for (size_t k = 0; !tc->hidden && k < tc->nexpect_files && !found; k++) {
				expectation(&tc->expect_files[k].exp, &x);
				found = tc->expect_files[k].exp.set && x.len == b->len &&
					memcmp(x.data, b->data, b->len) == 0;
			}
		}
	}
	buf_free(&x);
	return found;
}

static void hidden_outputs(const struct course *c, const struct tree *published, struct secrets *s)
{
	struct buf b = BUF_INIT;
	for (size_t e = 0; e < c->nexercises; e++) {
		const struct exercise *ex = &c->exercises[e];
		for (size_t j = 0; j < ex->ncases; j++) {
			const struct test_case *tc = &ex->cases[j];
			size_t n = 2 + tc->nexpect_files;
			for (size_t k = 0; tc->hidden && k < n; k++) {
				const struct expect *x = k == 0   ? &tc->out
							 : k == 1 ? &tc->err
								  : &tc->expect_files[k - 2].exp;
				expectation(x, &b);
				if (b.len == 0 || visible_expects(c, &b) ||
				    tree_find(published, b.data, b.len))
					continue;
				char *what = xasprintf("%s \"%s\", expectation %zu", ex->id,
						       tc->name, k);
				secret_add(s, what, b.data, b.len);
				s->outputs++;
				free(what);
			}
		}
	}
	buf_free(&b);
}

static void solution_lines(const struct tree *sol, const struct tree *published, struct secrets *s)
{
	for (size_t i = 0; i < sol->n; i++) {
		const struct buf *f = &sol->data[i];
		char *what = xasprintf("solutions/%s", sol->names.v[i]);
		secret_add(s, what, f->data, f->len);
		for (size_t pos = 0; pos < f->len;) {
			const char *p = f->data + pos, *nl = memchr(p, '\n', f->len - pos);
			size_t len = nl ? (size_t)(nl - p) : f->len - pos;
			pos += len + 1;
			while (len > 0 && (*p == ' ' || *p == '\t'))
				p++, len--;
			while (len > 0 && strchr(" \t\r", p[len - 1]))
				len--;
			if (len < 40 || tree_find(published, p, len))
				continue;
			secret_add(s, what, p, len);
			s->lines++;
		}
		free(what);
	}
}

static void secrets_free(struct secrets *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].what);
		buf_free(&s->v[i].bytes);
	}
	free(s->v);
}

/* Nothing of `s` in the unpacked kit, and no solutions folder. */
static void check_kit_holds_no_secret(const char *kit)
{
	struct course c;
	struct buf err = BUF_INIT;
	ck_assert_msg(config_load(tu_path("grading.yaml"), &c, &err) == 0, "%s", err.data);
	struct tree published, sol, k;
	tree_read(tu_path("exercises"), &published);
	tree_read(tu_path("solutions"), &sol);
	tree_read(kit, &k);
	struct secrets s = { 0 };
	hidden_outputs(&c, &published, &s);
	solution_lines(&sol, &published, &s);
	ck_assert_uint_ge(s.outputs, 8);
	ck_assert_uint_ge(s.lines, 100);
	for (size_t i = 0; i < s.n; i++) {
		const char *where = tree_find(&k, s.v[i].bytes.data, s.v[i].bytes.len);
		ck_assert_msg(!where, "%s is in the kit, in %s", s.v[i].what, where);
	}
	for (size_t i = 0; i < k.n; i++) {
		const char *name = k.names.v[i];
		ck_assert_msg(strncmp(name, "solutions", 9) && !strstr(name, "/solutions"),
			      "the kit holds %s", name);
	}
	ck_assert(k.n > 50);
	const char *y = NULL;
	for (size_t i = 0; i < k.n; i++)
		if (!strcmp(k.names.v[i], "grading.yaml"))
			y = k.data[i].data;
	ck_assert_ptr_nonnull(y);
	ck_assert_ptr_null(strstr(y, "solutions"));
	ck_assert_ptr_nonnull(strstr(y, "sealed: \"sha256:"));
	secrets_free(&s);
	tree_free(&published);
	tree_free(&sol);
	tree_free(&k);
	course_free(&c);
	buf_free(&err);
}

/* A folder of the test's for the user: made, and theirs. */
static char *user_folder(const struct passwd *pw, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	if (pw)
		ck_assert_int_eq(chown(p, pw->pw_uid, pw->pw_gid), 0);
	return p;
}

/* Copies `from` (a file or a folder) into `to`, readable by anyone. */
static void copy_in(const char *from, const char *to)
{
	struct buf out = BUF_INIT;
	const char *cp[] = { "cp", "-r", from, to, NULL };
	const char *env[] = { "PATH=/usr/bin:/bin", NULL };
	ck_assert_int_eq(run_in(NULL, cp, env, "/", &out), 0);
	const char *mod[] = { "chmod", "-R", "a+rX", to, NULL };
	ck_assert_int_eq(run_in(NULL, mod, env, "/", &out), 0);
	buf_free(&out);
}

START_TEST(kit_round_trip)
{
	const struct passwd *pw = NULL;
	if (geteuid() == 0) {
		pw = the_user();
		TU_NEED(pw, "running as root, and the ordinary user " USER_NAME
			    " cannot be created (useradd) to build and use the kit as");
	}
	/* pipegrade kit, as the course's instructor runs it */
	char *archive = xasprintf("%s/pipegrade-student-kit.tar.gz", dir);
	const char *kit_argv[] = { tu_pipegrade(), "kit",   "-c", tu_path("grading.yaml"),
				   "-o",           archive, NULL };
	struct run_result r;
	tu_run(kit_argv, NULL, NULL, &r);
	ck_assert_msg(r.exit_code == 0, "%s", r.err.data);
	ck_assert_ptr_nonnull(strstr(r.out.data, "wrote "));
	run_result_free(&r);
	chmod(archive, 0644);

	/* unpacked into an empty folder, as the student */
	char *home = pw ? xasprintf("HOME=%s", pw->pw_dir) : xasprintf("HOME=%s", dir);
	char *tmp = user_folder(pw, "tmp"), *work = user_folder(pw, "work");
	char *tmpdir = xasprintf("TMPDIR=%s", tmp);
	const char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", home, "LC_ALL=C.UTF-8", tmpdir,
			      NULL };
	struct buf out = BUF_INIT;
	const char *untar[] = { "tar", "-xzf", archive, NULL };
	ck_assert_msg(run_in(pw, untar, env, work, &out) == 0, "%s", out.data);
	char *kit = xasprintf("%s/pipegrade-student-kit", work);
	check_kit_holds_no_secret(kit);

	/* built with make */
	buf_reset(&out);
	const char *make[] = { "make", "-j2", NULL };
	ck_assert_msg(run_in(pw, make, env, kit, &out) == 0, "make in the kit failed:\n%s",
		      out.data);
	char *bin = xasprintf("%s/pipegrade", kit);
	ck_assert_int_eq(access(bin, X_OK), 0);

	/* the reference solution of 01-hello: every case, hidden ones included, passes */
	char *sol = xasprintf("%s/sol", dir);
	copy_in(tu_path("solutions/01-hello"), sol);
	buf_reset(&out);
	const char *good[] = { "./pipegrade", "grade",  "-e", "01-hello", "--color",
			       "never",       "--lang", "en", sol,        NULL };
	int rc = run_in(pw, good, env, kit, &out);
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out.data);
	ck_assert_ptr_nonnull(strstr(out.data, "Score: 10/10"));
	ck_assert_ptr_nonnull(strstr(out.data, "(hidden)"));

	/* a faulty one: exit 1, its hidden cases failed by digest */
	char *bad = xasprintf("%s/bad", dir);
	copy_in(tu_path("tests/fixtures/01-hello/ignores-argument"), bad);
	buf_reset(&out);
	const char *wrong[] = { "./pipegrade",   "grade", "-e",     "01-hello",
				"--color",       "never", "--lang", "en",
				"--show-hidden", bad,     NULL };
	rc = run_in(pw, wrong, env, kit, &out);
	ck_assert_msg(rc == 1, "exit %d:\n%s", rc, out.data);
	ck_assert_ptr_nonnull(strstr(out.data, "Score: 2/10"));
	ck_assert_ptr_nonnull(strstr(out.data, SEALED_SENTENCE));
	ck_assert_ptr_null(strstr(out.data, "Hijo recibió: primera"));
	ck_assert_int_eq(tu_count_descendants(), 0);

	buf_free(&out);
	free(bad);
	free(sol);
	free(bin);
	free(kit);
	free(tmpdir);
	free(tmp);
	free(work);
	free(home);
	free(archive);
}
END_TEST

Suite *kit_suite(void)
{
	Suite *s = suite_create("kit");
	TCase *tc = tcase_create("kit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sha256_vectors);
	tcase_add_test(tc, seal_modes);
	tcase_add_test(tc, sealed_loads);
	tcase_add_test(tc, sealed_errors);
	tcase_add_test(tc, kit_key);
	tcase_add_test(tc, grade_sealed);
	tcase_add_test(tc, kit_small_course);
	suite_add_tcase(s, tc);
	tu_test_unit(s, kit_round_trip, setup, teardown, 600);
	return s;
}
