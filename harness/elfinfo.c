/* elfinfo.c: a small, bounded reader of the ELF files builds make (see elfinfo.h).
 *
 * Every part of the file is read through part_get(), which refuses a range that does not lie
 * inside the file or is larger than PART_MAX, and copies it: nothing below ever looks past
 * what it was given. Field readers take an offset already checked against the part's size. */
#include "elfinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define PART_MAX (16U << 20) /* the most read of any one part (a table, a section) */

/* The ELF constants used here (as <elf.h> names them). */
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_DYNAMIC 6
#define SHT_DYNSYM 11
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_NEEDED 1
#define DT_STRTAB 5
#define DT_STRSZ 10

/* The file: read with pread() from `fd`, or from `mem`. */
struct src {
	int fd;
	const unsigned char *mem;
	uint64_t size;
};

/* A part of the file, copied. */
struct part {
	unsigned char *p;
	uint64_t len;
};

/* The file's layout, from its header. */
struct elf {
	const struct src *src;
	bool is64, big;
	uint64_t phoff, shoff;
	unsigned phentsize, phnum, shentsize, shnum;
};

static int pread_all(int fd, unsigned char *p, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, off += (uint64_t)n, len -= (uint64_t)n;
	}
	return 0;
}

/* [off, off + len) of the file; false (and an empty part) when it is not all inside the file,
 * is empty or larger than PART_MAX, or cannot be read. */
static bool part_get(const struct src *s, uint64_t off, uint64_t len, struct part *out)
{
	out->p = NULL;
	out->len = 0;
	if (len == 0 || len > PART_MAX || off > s->size || len > s->size - off)
		return false;
	unsigned char *p = xmalloc(len);
	if (s->mem)
		memcpy(p, s->mem + off, len);
	else if (pread_all(s->fd, p, len, off) < 0) {
		free(p);
		return false;
	}
	out->p = p;
	out->len = len;
	return true;
}

static void part_free(struct part *pt)
{
	free(pt->p);
	pt->p = NULL;
	pt->len = 0;
}

/* Unsigned fields of 1 to 8 bytes at `p`, in the file's byte order. */
static uint64_t get(const struct elf *e, const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v = v << 8 | p[e->big ? i : bytes - 1 - i];
	return v;
}

/* A field of the part at `off`, of 4 bytes, or of the class's word size (`word`); 0 when it
 * would lie outside the part. */
static uint64_t field(const struct elf *e, const struct part *pt, uint64_t off, bool word)
{
	unsigned bytes = word && e->is64 ? 8 : 4;
	if (off > pt->len || bytes > pt->len - off)
		return 0;
	return get(e, pt->p + off, bytes);
}

/* The NUL-terminated string at `idx` of a string table, or NULL when it does not start and end
 * inside the table. */
static const char *string_at(const struct part *strtab, uint64_t idx)
{
	if (idx >= strtab->len)
		return NULL;
	const char *s = (const char *)strtab->p + idx;
	return memchr(s, '\0', strtab->len - idx) ? s : NULL;
}

static bool asan_library(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	return !strncmp(base, "libasan.", 8) || !strncmp(base, "libclang_rt.asan", 16);
}

static bool parse_header(const struct src *s, struct elf *e)
{
	struct part h;
	if (!part_get(s, 0, s->size < 64 ? s->size : 64, &h))
		return false;
	bool ok = h.len >= 52 && !memcmp(h.p, "\177ELF", 4) &&
		  (h.p[4] == ELFCLASS32 || h.p[4] == ELFCLASS64) &&
		  (h.p[5] == ELFDATA2LSB || h.p[5] == ELFDATA2MSB);
	if (ok) {
		e->is64 = h.p[4] == ELFCLASS64;
		e->big = h.p[5] == ELFDATA2MSB;
		ok = !e->is64 || h.len >= 64;
	}
	if (ok) {
		/* the offsets after e_entry, then the table sizes */
		uint64_t at = e->is64 ? 0x20 : 0x1c, sizes = e->is64 ? 0x36 : 0x2a;
		e->phoff = field(e, &h, at, true);
		e->shoff = field(e, &h, at + (e->is64 ? 8 : 4), true);
		e->phentsize = (unsigned)get(e, h.p + sizes, 2);
		e->phnum = (unsigned)get(e, h.p + sizes + 2, 2);
		e->shentsize = (unsigned)get(e, h.p + sizes + 4, 2);
		e->shnum = (unsigned)get(e, h.p + sizes + 6, 2);
	}
	part_free(&h);
	return ok;
}

/* A table of `num` entries of `entsize` bytes (at least `min`) at `off`. */
static bool table_get(const struct elf *e, uint64_t off, unsigned num, unsigned entsize,
		      unsigned min, struct part *out)
{
	out->p = NULL;
	out->len = 0;
	if (num == 0 || entsize < min)
		return false;
	return part_get(e->src, off, (uint64_t)num * entsize, out);
}

/* ---- with sections ---- */

struct section {
	uint64_t type, offset, size, link;
};

static struct section section_at(const struct elf *e, const struct part *shdrs, unsigned i)
{
	uint64_t at = (uint64_t)i * e->shentsize;
	struct section sec = { field(e, shdrs, at + 4, false), 0, 0, 0 };
	sec.offset = field(e, shdrs, at + (e->is64 ? 24 : 16), true);
	sec.size = field(e, shdrs, at + (e->is64 ? 32 : 20), true);
	sec.link = field(e, shdrs, at + (e->is64 ? 40 : 24), false);
	return sec;
}

/* The string table a section links to. */
static bool linked_strtab(const struct elf *e, const struct part *shdrs, const struct section *sec,
			  struct part *out)
{
	out->p = NULL;
	out->len = 0;
	if (sec->link >= e->shnum)
		return false;
	struct section str = section_at(e, shdrs, (unsigned)sec->link);
	return str.type == SHT_STRTAB && part_get(e->src, str.offset, str.size, out);
}

/* The dynamic entries of `dyn` (a part of the file) that name a needed library: an ASan one? */
static bool needs_asan(const struct elf *e, const struct part *dyn, const struct part *strtab)
{
	uint64_t entsize = e->is64 ? 16 : 8;
	for (uint64_t at = 0; at + entsize <= dyn->len; at += entsize) {
		uint64_t tag = field(e, dyn, at, true);
		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED)
			continue;
		const char *name = string_at(strtab, field(e, dyn, at + entsize / 2, true));
		if (name && asan_library(name))
			return true;
	}
	return false;
}

/* A symbol table section: does it hold __asan_init? */
static bool has_asan_init(const struct elf *e, const struct part *syms, const struct part *strtab)
{
	uint64_t entsize = e->is64 ? 24 : 16;
	for (uint64_t at = 0; at + entsize <= syms->len; at += entsize) {
		const char *name = string_at(strtab, field(e, syms, at, false));
		if (name && !strcmp(name, "__asan_init"))
			return true;
	}
	return false;
}

/* Looks at every dynamic, dynamic symbol and symbol table section. Returns whether there was
 * a dynamic section. */
static bool sections_say(const struct elf *e, struct elfinfo *info)
{
	struct part shdrs;
	if (!table_get(e, e->shoff, e->shnum, e->shentsize, e->is64 ? 64 : 40, &shdrs))
		return false;
	bool dynamic = false;
	for (unsigned i = 0; i < e->shnum && !info->asan; i++) {
		struct section sec = section_at(e, &shdrs, i);
		if (sec.type != SHT_DYNAMIC && sec.type != SHT_DYNSYM && sec.type != SHT_SYMTAB)
			continue;
		struct part data, strtab;
		if (!part_get(e->src, sec.offset, sec.size, &data))
			continue;
		if (linked_strtab(e, &shdrs, &sec, &strtab)) {
			if (sec.type == SHT_DYNAMIC)
				info->asan = needs_asan(e, &data, &strtab);
			else
				info->asan = has_asan_init(e, &data, &strtab);
		}
		dynamic |= sec.type == SHT_DYNAMIC;
		part_free(&data);
		part_free(&strtab);
	}
	part_free(&shdrs);
	return dynamic;
}

/* ---- without sections: the program headers, as the loader reads them ---- */

/* The file offset of the address `vaddr`, from the loadable segments; false when none maps
 * it. */
static bool file_offset(const struct elf *e, const struct part *phdrs, uint64_t vaddr,
			uint64_t *off)
{
	for (unsigned i = 0; i < e->phnum; i++) {
		uint64_t at = (uint64_t)i * e->phentsize;
		if (field(e, phdrs, at, false) != PT_LOAD)
			continue;
		uint64_t offset = field(e, phdrs, at + (e->is64 ? 8 : 4), true);
		uint64_t start = field(e, phdrs, at + (e->is64 ? 16 : 8), true);
		uint64_t filesz = field(e, phdrs, at + (e->is64 ? 32 : 16), true);
		if (vaddr >= start && vaddr - start < filesz &&
		    offset <= UINT64_MAX - (vaddr - start)) {
			*off = offset + (vaddr - start);
			return true;
		}
	}
	return false;
}

/* The string table the dynamic segment names (DT_STRTAB, DT_STRSZ). */
static bool dynamic_strtab(const struct elf *e, const struct part *phdrs, const struct part *dyn,
			   struct part *out)
{
	uint64_t entsize = e->is64 ? 16 : 8, addr = 0, size = 0;
	bool have_addr = false;
	for (uint64_t at = 0; at + entsize <= dyn->len; at += entsize) {
		uint64_t tag = field(e, dyn, at, true), val = field(e, dyn, at + entsize / 2, true);
		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB)
			addr = val, have_addr = true;
		else if (tag == DT_STRSZ)
			size = val;
	}
	uint64_t off;
	out->p = NULL;
	out->len = 0;
	return have_addr && file_offset(e, phdrs, addr, &off) && part_get(e->src, off, size, out);
}

static void segments_say(const struct elf *e, struct elfinfo *info)
{
	struct part phdrs;
	if (!table_get(e, e->phoff, e->phnum, e->phentsize, e->is64 ? 56 : 32, &phdrs))
		return;
	for (unsigned i = 0; i < e->phnum && !info->asan; i++) {
		uint64_t at = (uint64_t)i * e->phentsize;
		if (field(e, &phdrs, at, false) != PT_DYNAMIC)
			continue;
		struct part dyn, strtab;
		if (!part_get(e->src, field(e, &phdrs, at + (e->is64 ? 8 : 4), true),
			      field(e, &phdrs, at + (e->is64 ? 32 : 16), true), &dyn))
			continue;
		if (dynamic_strtab(e, &phdrs, &dyn, &strtab))
			info->asan = needs_asan(e, &dyn, &strtab);
		part_free(&dyn);
		part_free(&strtab);
	}
	part_free(&phdrs);
}

static void parse(const struct src *s, struct elfinfo *info)
{
	memset(info, 0, sizeof *info);
	struct elf e = { .src = s };
	if (!parse_header(s, &e))
		return;
	info->elf = true;
	if (!sections_say(&e, info) && !info->asan)
		segments_say(&e, info);
}

void elfinfo_parse(const void *data, size_t len, struct elfinfo *info)
{
	struct src s = { -1, data, data ? len : 0 };
	parse(&s, info);
}

int elfinfo_read(const char *path, struct elfinfo *info)
{
	memset(info, 0, sizeof *info);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int e = fstat(fd, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	struct src s = { fd, NULL, (uint64_t)st.st_size };
	parse(&s, info);
	close(fd);
	return 0;
}
