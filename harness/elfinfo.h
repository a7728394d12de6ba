/*
 * elfinfo.h: what pipegrade needs to know of a program a build made, read from its ELF file.
 *
 * Today that is one thing: whether the program is linked with AddressSanitizer, whose leak
 * checker cannot run under pipegrade's process monitor (grade.c then turns it off).
 *
 * The file was made by a submission's build, so it is hostile: it may be cut short, lie about
 * its sizes and offsets, or not be ELF at all. Only the parts needed are read (the ELF header;
 * the section headers and the dynamic section, dynamic symbols, symbol table and their string
 * tables; without sections, the program headers and the dynamic segment), each checked to lie
 * inside the file and capped in size before it is read, and every count, index and string
 * checked before use. Whatever is wrong with the file, the answer is "not ASan", never a
 * crash. ELF32 and ELF64, either byte order.
 */
#ifndef PIPEGRADE_ELFINFO_H
#define PIPEGRADE_ELFINFO_H

#include <stdbool.h>
#include <stddef.h>

struct elfinfo {
	bool elf;  /* the file starts with a valid ELF header */
	bool asan; /* linked with AddressSanitizer: a DT_NEEDED entry naming libasan (gcc) or
		      libclang_rt.asan (clang -shared-libasan), or the symbol __asan_init in
		      .dynsym (clang's static runtime exports it) or .symtab (gcc
		      -static-libasan, when not stripped) */
};

/* Reads the ELF file at `path` (never through a symbolic link). Returns 0 with `info` filled,
 * or -1 with errno when the file cannot be opened or its size read; `info` then says neither
 * ELF nor ASan. */
int elfinfo_read(const char *path, struct elfinfo *info);

/* The same for `len` bytes of a file already in memory (`data` may be NULL when `len` is 0). */
void elfinfo_parse(const void *data, size_t len, struct elfinfo *info);

#endif
