/* monitor_where.c: a crashed process's stack, unwound with libdwfl (see monitor_where.h). */
#include "monitor_where.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WHERE_MAX_FRAMES 16 /* frames looked at, from the innermost */

/* The unwinding under way: the process, its program, and what was found so far. */
struct where_walk {
	pid_t pid;
	char exe[PATH_MAX]; /* /proc/PID/exe, as /proc/PID/maps names the program */
	struct monitor_where *w;
	int seen;         /* frames looked at */
	bool in_program;  /* a frame of the program was found: library frames after it are its
			      callers' (__libc_start_main...), not kept */
	bool done;        /* main() was reached */
	bool top_library; /* the innermost frame is in a library */
};

/* The pid being unwound, for the find_elf callback (libdwfl gives it no pointer of ours). */
static _Thread_local const struct where_walk *walking;

/* The program is opened through /proc/PID/exe: its path may not be reachable from pipegrade
 * (a sandbox's own root). The libraries go the standard way. */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	if (walking && modname && !strcmp(modname, walking->exe)) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/exe", (int)walking->pid);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			*file_name = strdup(modname);
			*elfp = NULL;
			return fd;
		}
	}
	return dwfl_linux_proc_find_elf(mod, userdata, modname, base, file_name, elfp);
}

/* Separate debug files only from this machine's /usr/lib/debug/.build-id: never debuginfod (no
 * network while grading). */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	(void)debuglink_file;
	(void)debuglink_crc;
	return dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name, NULL, 0,
					    debuginfo_file_name);
}

static void copy_name(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* The basename of a source file, and a line in it: nothing without both. */
static void set_file(struct monitor_frame *f, const char *src, int line)
{
	if (!src || line <= 0)
		return;
	const char *slash = strrchr(src, '/');
	copy_name(f->file, sizeof f->file, slash ? slash + 1 : src);
	f->line = line;
}

/* The name a program's code calls a function by: "main" for GCC's "main.cold" or
 * "contar.part.0"; "strlen" for the C library's "__strlen_avx2" (a variant of strlen() chosen
 * for the processor). */
static void plain_name(char *name, bool library)
{
	static const char *const variants[] = { "_avx", "_evex", "_sse", "_ssse", "_erms" };
	if (library && !strncmp(name, "__", 2)) {
		for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
			char *at = strstr(name + 2, variants[i]);
			if (at) {
				*at = '\0';
				memmove(name, name + 2, strlen(name + 2) + 1);
				break;
			}
		}
	}
	if (name[0] != '.')
		name[strcspn(name, ".")] = '\0';
}

/* "libc" for /usr/lib/x86_64-linux-gnu/libc.so.6. */
static void library_name(char *dst, size_t size, const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path ? path : "";
	size_t n = strcspn(base, ".");
	if (n >= size)
		n = size - 1;
	memcpy(dst, base, n);
	dst[n] = '\0';
}

/* The function's name, its source file's basename and line at pc, as far as the module
 * knows them. */
static void describe(Dwfl_Module *mod, Dwarf_Addr pc, struct monitor_frame *f)
{
	copy_name(f->function, sizeof f->function, dwfl_module_addrname(mod, pc));
	plain_name(f->function, f->library);
	if (f->library)
		return;
	Dwfl_Line *line = dwfl_module_getsrc(mod, pc);
	int lineno = 0;
	set_file(f, line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL, lineno);
}

/* Keeps a frame of the program; main() is the last one kept. */
static void add_frame(struct where_walk *ww, const struct monitor_frame *f)
{
	struct monitor_where *w = ww->w;
	if (w->nframes < MONITOR_WHERE_FRAMES)
		w->frames[w->nframes++] = *f;
	if (!strcmp(f->function, "main") || w->nframes == MONITOR_WHERE_FRAMES)
		ww->done = true;
}

/* With debug information, the functions at pc as the source has them: the compiler may have
 * put a function's code into its caller (inlining), and each such function is a frame of its
 * own, innermost first, with the line it was at (the innermost: pc's line; the others: the
 * line of the call). Returns false when the debug information does not say. */
static bool inlined_frames(Dwfl_Module *mod, Dwarf_Addr pc, struct where_walk *ww)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, pc, &bias);
	Dwarf_Die *scopes = NULL;
	int n = cu ? dwarf_getscopes(cu, pc - bias, &scopes) : -1;
	int first = 0; /* the innermost function: the first scope that is not a block */
	while (first < n && dwarf_tag(&scopes[first]) != DW_TAG_inlined_subroutine &&
	       dwarf_tag(&scopes[first]) != DW_TAG_subprogram)
		first++;
	Dwarf_Die inner;
	bool found = first < n;
	if (found)
		inner = scopes[first];
	free(scopes);
	scopes = NULL;
	/* that function and the scopes that hold it, the callers it was inlined into included */
	n = found ? dwarf_getscopes_die(&inner, &scopes) : -1;
	if (n <= 0) {
		free(scopes);
		return false;
	}
	Dwarf_Files *files = NULL;
	size_t nfiles = 0;
	if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
		files = NULL;
	Dwfl_Line *line = dwfl_module_getsrc(mod, pc);
	int lineno = 0;
	const char *src = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
	bool any = false;
	for (int i = 0; i < n && !ww->done; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		const char *name = dwarf_diename(&scopes[i]);
		if (!name)
			break;
		struct monitor_frame f;
		memset(&f, 0, sizeof f);
		copy_name(f.function, sizeof f.function, name);
		set_file(&f, src, lineno);
		add_frame(ww, &f);
		any = true;
		if (tag == DW_TAG_subprogram)
			break;
		/* the caller's place: the call this code stands for */
		Dwarf_Attribute attr;
		Dwarf_Word file = 0, call = 0;
		src = NULL;
		lineno = 0;
		if (files &&
		    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &file) == 0 &&
		    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &call) == 0 &&
		    file < nfiles && call <= INT_MAX) {
			src = dwarf_filesrc(files, file, NULL, NULL);
			lineno = (int)call;
		}
	}
	free(scopes);
	return any;
}

static int on_frame(Dwfl_Frame *frame, void *arg)
{
	struct where_walk *ww = arg;
	struct monitor_where *w = ww->w;
	Dwarf_Addr pc;
	bool activation = false;
	if (ww->seen++ >= WHERE_MAX_FRAMES || !dwfl_frame_pc(frame, &pc, &activation))
		return DWARF_CB_ABORT;
	if (!activation)
		pc--; /* a return address: the call is the instruction before it */
	Dwfl_Module *mod = dwfl_addrmodule(dwfl_thread_dwfl(dwfl_frame_thread(frame)), pc);
	const char *modname = mod ? dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
				  : NULL;
	bool program = modname && !strcmp(modname, ww->exe);
	if (ww->seen == 1)
		ww->top_library = !program;
	if (!program) {
		if (ww->in_program)
			return DWARF_CB_ABORT; /* the program's callers (the C library's start) */
		if (ww->top_library && mod) {
			/* the outermost library frame before the program's: what it called */
			memset(&w->entry, 0, sizeof w->entry);
			w->entry.library = true;
			describe(mod, pc, &w->entry);
			library_name(w->entry.file, sizeof w->entry.file, modname);
		}
		return DWARF_CB_OK;
	}
	ww->in_program = true;
	if (inlined_frames(mod, pc, ww))
		return ww->done ? DWARF_CB_ABORT : DWARF_CB_OK;
	struct monitor_frame f;
	memset(&f, 0, sizeof f);
	describe(mod, pc, &f);
	if (!f.function[0])
		return DWARF_CB_ABORT; /* no symbols: nothing said, not even the frames above */
	add_frame(ww, &f);
	return ww->done ? DWARF_CB_ABORT : DWARF_CB_OK;
}

int monitor_where_find(pid_t pid, pid_t tid, struct monitor_where *w)
{
	memset(w, 0, sizeof *w);
	struct where_walk *ww = calloc(1, sizeof *ww);
	if (!ww)
		return -1;
	ww->pid = pid;
	ww->w = w;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, ww->exe, sizeof ww->exe - 1);
	if (n <= 0) {
		free(ww);
		return -1;
	}
	ww->exe[n] = '\0';

	static char *debuginfo_path;
	const Dwfl_Callbacks callbacks = {
		.find_elf = find_elf,
		.find_debuginfo = find_debuginfo,
		.debuginfo_path = &debuginfo_path,
	};
	Dwfl *dwfl = dwfl_begin(&callbacks);
	walking = ww;
	if (dwfl) {
		dwfl_report_begin(dwfl);
		if (dwfl_linux_proc_report(dwfl, pid) == 0 &&
		    dwfl_report_end(dwfl, NULL, NULL) == 0 &&
		    dwfl_linux_proc_attach(dwfl, pid, true) == 0)
			dwfl_getthread_frames(dwfl, tid, on_frame, ww);
		dwfl_end(dwfl);
	}
	walking = NULL;
	if (!w->nframes && !(ww->top_library && w->entry.function[0]))
		memset(w, 0, sizeof *w);
	if (!ww->top_library)
		memset(&w->entry, 0, sizeof w->entry);
	int found = w->nframes || w->entry.function[0] ? 0 : -1;
	free(ww);
	return found;
}
