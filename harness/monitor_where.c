/* monitor_where.c: stacks of the student's processes, copied at a stop and unwound with libdwfl
 * when a finding needs them (see monitor_where.h). */
#include "monitor_where.h"

#include <dwarf.h>
#include <elf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

#include "util.h"

#define WHERE_MAX_FRAMES 16 /* frames looked at, from the innermost */

#define MAPS_MAX (256 * 1024) /* the most of /proc/PID/maps kept */

struct monitor_image {
	int refs;
	pid_t pid;
	char exe[PATH_MAX]; /* /proc/PID/exe, as /proc/PID/maps names the program */
	int exe_fd;         /* the program itself, open (close-on-exec) */
	char *maps;         /* /proc/PID/maps when the image was taken */
	size_t maps_len;
	Dwfl *dwfl;       /* the modules and their unwinding tables, at the first unwinding */
	bool dwfl_failed; /* ... which could not be built: never tried again */
	const struct monitor_stack *current; /* the stack being unwound */
};

struct monitor_stack {
	struct monitor_image *img;
	pid_t tid;
	bool all_regs; /* regs holds every register; else only sp and pc are known */
	struct user_regs_struct regs;
	unsigned long long sp, pc;
	size_t len; /* bytes of stack copied from sp up */
	unsigned char mem[];
};

/* The unwinding under way: the stack, its program, and what was found so far. */
struct where_walk {
	const struct monitor_image *img;
	struct monitor_where *w;
	int max_frames;       /* the program's frames wanted: 1 for a call site */
	int seen;             /* frames looked at */
	bool in_program;      /* a frame of the program was found: library frames after it are its
			      callers' (__libc_start_main...), not kept */
	bool done;            /* main() was reached, or max_frames */
	bool top_library;     /* the innermost frame is in a library */
	Dwfl_Module *lib_mod; /* the outermost library frame seen so far (top_library) */
	Dwarf_Addr lib_pc;
	const char *lib_name;
};

/* The image whose modules libdwfl is looking for (it gives find_elf no pointer of ours). */
static const struct monitor_image *finding;

/* The program is opened through the fd taken from /proc/PID/exe: its path may not be
 * reachable from pipegrade (a sandbox's own root), and the process may be gone. The libraries
 * go the standard way. */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	if (finding && modname && !strcmp(modname, finding->exe)) {
		int fd = fcntl(finding->exe_fd, F_DUPFD_CLOEXEC, 0);
		if (fd >= 0) {
			lseek(fd, 0, SEEK_SET);
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
	if (!strcmp(f->function, "main") || w->nframes >= ww->max_frames)
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

/* The outermost library frame before the program's: what the program called. Looking a name
 * up in a library's symbols is the dear part of unwinding: done for that one frame only, and
 * only when the whole stack is wanted (not for a call site). */
static void describe_entry(struct where_walk *ww)
{
	if (!ww->lib_mod || ww->max_frames == 1)
		return;
	struct monitor_frame *e = &ww->w->entry;
	memset(e, 0, sizeof *e);
	e->library = true;
	describe(ww->lib_mod, ww->lib_pc, e);
	library_name(e->file, sizeof e->file, ww->lib_name);
	ww->lib_mod = NULL;
}

static int on_frame(Dwfl_Frame *frame, void *arg)
{
	struct where_walk *ww = arg;
	Dwarf_Addr pc;
	bool activation = false;
	if (ww->seen++ >= WHERE_MAX_FRAMES || !dwfl_frame_pc(frame, &pc, &activation))
		return DWARF_CB_ABORT;
	if (!activation)
		pc--; /* a return address: the call is the instruction before it */
	Dwfl_Module *mod = dwfl_addrmodule(dwfl_thread_dwfl(dwfl_frame_thread(frame)), pc);
	const char *modname = mod ? dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
				  : NULL;
	bool program = modname && !strcmp(modname, ww->img->exe);
	if (ww->seen == 1)
		ww->top_library = !program;
	if (!program) {
		if (ww->in_program)
			return DWARF_CB_ABORT; /* the program's callers (the C library's start) */
		if (ww->top_library && mod) {  /* described once the walk is past it */
			ww->lib_mod = mod;
			ww->lib_pc = pc;
			ww->lib_name = modname;
		}
		return DWARF_CB_OK;
	}
	ww->in_program = true;
	describe_entry(ww);
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

/* ---- images ---- */

struct monitor_image *monitor_image_new(pid_t pid)
{
	struct monitor_image *img = calloc(1, sizeof *img);
	if (!img)
		return NULL;
	img->refs = 1;
	img->pid = pid;
	img->exe_fd = -1;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, img->exe, sizeof img->exe - 1);
	if (n > 0)
		img->exe_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	int fd = n > 0 && img->exe_fd >= 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct buf b = BUF_INIT;
	char chunk[8192];
	ssize_t got = 0;
	while (fd >= 0 && b.len < MAPS_MAX && (got = read(fd, chunk, sizeof chunk)) > 0)
		buf_append(&b, chunk, (size_t)got);
	if (fd >= 0)
		close(fd);
	if (n <= 0 || img->exe_fd < 0 || got < 0 || b.len == 0) {
		buf_free(&b);
		monitor_image_unref(img);
		return NULL;
	}
	img->exe[n] = '\0';
	img->maps = b.data;
	img->maps_len = b.len;
	return img;
}

struct monitor_image *monitor_image_ref(struct monitor_image *img)
{
	if (img)
		img->refs++;
	return img;
}

void monitor_image_unref(struct monitor_image *img)
{
	if (!img || --img->refs > 0)
		return;
	if (img->dwfl)
		dwfl_end(img->dwfl);
	if (img->exe_fd >= 0)
		close(img->exe_fd);
	free(img->maps);
	free(img);
}

/* ---- the stack libdwfl unwinds: the copy, not the process ---- */

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	(void)dwfl;
	const struct monitor_image *img = arg;
	if (*thread_argp || !img->current)
		return 0;
	*thread_argp = (void *)img->current;
	return img->current->tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	(void)dwfl;
	const struct monitor_image *img = arg;
	if (!img->current || img->current->tid != tid)
		return false;
	*thread_argp = (void *)img->current;
	return true;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	(void)dwfl;
	const struct monitor_stack *s = ((const struct monitor_image *)arg)->current;
	if (!s || s->len < sizeof *result || addr < s->sp || addr - s->sp > s->len - sizeof *result)
		return false;
	memcpy(result, s->mem + (addr - s->sp), sizeof *result);
	return true;
}

/* The registers, in DWARF's numbering for the machine. */
static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	const struct monitor_stack *s = thread_arg;
#if defined(__x86_64__)
	Dwarf_Word sp = s->sp, pc = s->pc;
	if (!s->all_regs) /* rsp (7) and rip (16, the return address column) */
		return dwfl_thread_state_registers(thread, 7, 1, &sp) &&
		       dwfl_thread_state_registers(thread, 16, 1, &pc);
	const struct user_regs_struct *r = &s->regs;
	Dwarf_Word d[17] = { r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp, r->r8,
			     r->r9,  r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rip };
	return dwfl_thread_state_registers(thread, 0, 17, d);
#elif defined(__aarch64__)
	Dwarf_Word sp = s->sp;
	dwfl_thread_state_register_pc(thread, s->pc);
	if (!s->all_regs) /* sp (31) */
		return dwfl_thread_state_registers(thread, 31, 1, &sp);
	Dwarf_Word d[32];
	for (int i = 0; i < 31; i++)
		d[i] = s->regs.regs[i];
	d[31] = s->regs.sp;
	return dwfl_thread_state_registers(thread, 0, 32, d);
#else
	(void)thread;
	(void)s;
	return false;
#endif
}

static void detach(Dwfl *dwfl, void *arg)
{
	(void)dwfl;
	(void)arg;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
	.detach = detach,
};

/* The image's modules, from its saved maps, attached to the copied stacks. */
static Dwfl *image_dwfl(struct monitor_image *img)
{
	if (img->dwfl || img->dwfl_failed)
		return img->dwfl;
	static char *debuginfo_path;
	static const Dwfl_Callbacks callbacks = {
		.find_elf = find_elf,
		.find_debuginfo = find_debuginfo,
		.debuginfo_path = &debuginfo_path,
	};
	img->dwfl_failed = true;
	Dwfl *dwfl = dwfl_begin(&callbacks);
	FILE *maps = dwfl ? fmemopen(img->maps, img->maps_len, "r") : NULL;
	bool ok = false;
	if (maps) {
		dwfl_report_begin(dwfl);
		ok = dwfl_linux_proc_maps_report(dwfl, maps) == 0 &&
		     dwfl_report_end(dwfl, NULL, NULL) == 0 &&
		     dwfl_attach_state(dwfl, NULL, img->pid, &thread_callbacks, img);
		fclose(maps);
	}
	if (!ok) {
		if (dwfl)
			dwfl_end(dwfl);
		return NULL;
	}
	img->dwfl_failed = false;
	return img->dwfl = dwfl;
}

/* ---- stacks ---- */

static struct monitor_stack *stack_new(pid_t tid, struct monitor_image *img, size_t window)
{
	struct monitor_stack *s = calloc(1, sizeof *s + window);
	if (!s)
		return NULL;
	s->tid = tid;
	s->img = monitor_image_ref(img);
	return s;
}

/* Copies up to `window` bytes from sp: fewer where the stack's mapping ends. A transfer stops
 * only between iovecs, so the remote side goes page by page. */
static void copy_stack(struct monitor_stack *s, size_t window)
{
	enum { PAGE = 4096, MAX_IOV = 64 };
	struct iovec local = { s->mem, window }, remote[MAX_IOV];
	uintptr_t at = (uintptr_t)s->sp, end = at + window;
	int n = 0;
	while (at < end && n < MAX_IOV) {
		uintptr_t next = (at / PAGE + 1) * PAGE;
		if (next > end || next < at)
			next = end;
		remote[n++] = (struct iovec){ (void *)at, next - at };
		at = next;
	}
	local.iov_len = at - (uintptr_t)s->sp;
	ssize_t got = process_vm_readv(s->tid, &local, 1, remote, (unsigned long)n, 0);
	s->len = got > 0 ? (size_t)got : 0;
}

struct monitor_stack *monitor_stack_take(pid_t tid, struct monitor_image *img, size_t window)
{
#if defined(__x86_64__) || defined(__aarch64__)
	if (!img)
		return NULL;
	struct monitor_stack *s = stack_new(tid, img, window);
	if (!s)
		return NULL;
	struct iovec io = { &s->regs, sizeof s->regs };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &io) < 0) {
		monitor_stack_free(s);
		return NULL;
	}
	s->all_regs = true;
#if defined(__x86_64__)
	s->sp = s->regs.rsp;
	s->pc = s->regs.rip;
#else
	s->sp = s->regs.sp;
	s->pc = s->regs.pc;
#endif
	copy_stack(s, window);
	return s;
#else
	(void)tid;
	(void)img;
	(void)window;
	return NULL;
#endif
}

struct monitor_stack *monitor_stack_take_asleep(pid_t tid, unsigned long long sp,
						unsigned long long pc, struct monitor_image *img)
{
#if defined(__x86_64__) || defined(__aarch64__)
	if (!img || !sp || !pc)
		return NULL;
	struct monitor_stack *s = stack_new(tid, img, MONITOR_SITE_STACK);
	if (!s)
		return NULL;
	s->sp = sp;
	s->pc = pc;
	copy_stack(s, MONITOR_SITE_STACK);
	return s;
#else
	(void)tid;
	(void)sp;
	(void)pc;
	(void)img;
	return NULL;
#endif
}

void monitor_stack_free(struct monitor_stack *s)
{
	if (!s)
		return;
	monitor_image_unref(s->img);
	free(s);
}

/* ---- unwinding ---- */

static int unwind(const struct monitor_stack *s, int max_frames, struct monitor_where *w)
{
	memset(w, 0, sizeof *w);
	finding = s ? s->img : NULL;
	Dwfl *dwfl = s ? image_dwfl(s->img) : NULL;
	if (!dwfl) {
		finding = NULL;
		return -1;
	}
	struct where_walk ww = { .img = s->img, .w = w, .max_frames = max_frames };
	s->img->current = s;
	dwfl_getthread_frames(dwfl, s->tid, on_frame, &ww);
	describe_entry(&ww); /* the walk never reached the program */
	s->img->current = NULL;
	finding = NULL;
	if (!w->nframes && !(ww.top_library && w->entry.function[0]))
		memset(w, 0, sizeof *w);
	if (!ww.top_library)
		memset(&w->entry, 0, sizeof w->entry);
	return w->nframes || w->entry.function[0] ? 0 : -1;
}

int monitor_stack_where(const struct monitor_stack *s, struct monitor_where *w)
{
	return unwind(s, MONITOR_WHERE_FRAMES, w);
}

int monitor_stack_site(const struct monitor_stack *s, struct monitor_frame *f)
{
	struct monitor_where w;
	memset(f, 0, sizeof *f);
	if (unwind(s, 1, &w) < 0 || w.nframes == 0)
		return -1;
	*f = w.frames[0];
	return f->function[0] || f->line ? 0 : -1;
}

int monitor_where_find(pid_t pid, pid_t tid, struct monitor_where *w)
{
	memset(w, 0, sizeof *w);
	struct monitor_image *img = monitor_image_new(pid);
	struct monitor_stack *s = monitor_stack_take(tid, img, 64 * 1024);
	int rc = s ? monitor_stack_where(s, w) : -1;
	monitor_stack_free(s);
	monitor_image_unref(img);
	return rc;
}
