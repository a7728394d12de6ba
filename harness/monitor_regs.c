/* monitor_regs.c: changing a stopped tracee's system call (see monitor_int.h). The monitor
 * changes a call only to refuse a signal aimed outside the case, and in stress mode to give a
 * legal variant of it (a read cut short, a write in pieces, a sleep that ends at once). */
#include "monitor_int.h"

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404 /* the regset of arm64's system call number (elf.h) */
#endif

#if defined(__x86_64__)

int monitor_regs_get(pid_t pid, struct monitor_regs *r)
{
	return ptrace(PTRACE_GETREGS, pid, 0, &r->r) < 0 ? -1 : 0;
}

int monitor_regs_set(pid_t pid, const struct monitor_regs *r)
{
	return ptrace(PTRACE_SETREGS, pid, 0, &r->r) < 0 ? -1 : 0;
}

void monitor_regs_set_arg(struct monitor_regs *r, int i, unsigned long long v)
{
	unsigned long long *a[6] = {
		&r->r.rdi, &r->r.rsi, &r->r.rdx, &r->r.r10, &r->r.r8, &r->r.r9
	};
	*a[i] = v;
}

long long monitor_regs_ret(const struct monitor_regs *r)
{
	return (long long)r->r.rax;
}

void monitor_regs_set_ret(struct monitor_regs *r, long long v)
{
	r->r.rax = (unsigned long long)v;
}

void monitor_regs_reissue(struct monitor_regs *r, unsigned long long arg0)
{
	(void)arg0;    /* rdi still holds it */
	r->r.rip -= 2; /* back over `syscall` */
	r->r.rax = r->r.orig_rax;
}

int monitor_skip_call(pid_t pid, long long ret)
{
	struct monitor_regs r;
	if (monitor_regs_get(pid, &r) < 0)
		return -1;
	r.r.orig_rax = (unsigned long long)-1; /* no call */
	r.r.rax = (unsigned long long)ret;     /* and this is what it returns */
	return monitor_regs_set(pid, &r);
}

#elif defined(__aarch64__)

int monitor_regs_get(pid_t pid, struct monitor_regs *r)
{
	struct iovec iov = { &r->r, sizeof r->r };
	return ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0 ? -1 : 0;
}

int monitor_regs_set(pid_t pid, const struct monitor_regs *r)
{
	struct iovec iov = { (void *)&r->r, sizeof r->r };
	return ptrace(PTRACE_SETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0 ? -1 : 0;
}

void monitor_regs_set_arg(struct monitor_regs *r, int i, unsigned long long v)
{
	r->r.regs[i] = v;
}

long long monitor_regs_ret(const struct monitor_regs *r)
{
	return (long long)r->r.regs[0];
}

void monitor_regs_set_ret(struct monitor_regs *r, long long v)
{
	r->r.regs[0] = (unsigned long long)v;
}

void monitor_regs_reissue(struct monitor_regs *r, unsigned long long arg0)
{
	r->r.pc -= 4;        /* back over `svc #0`; x8 still holds the call's number */
	r->r.regs[0] = arg0; /* x0 held the return value */
}

int monitor_skip_call(pid_t pid, long long ret)
{
	struct monitor_regs r;
	if (monitor_regs_get(pid, &r) < 0)
		return -1;
	r.r.regs[0] = (unsigned long long)ret;
	if (monitor_regs_set(pid, &r) < 0)
		return -1;
	int none = -1;
	struct iovec nr = { &none, sizeof none };
	return ptrace(PTRACE_SETREGSET, pid, (void *)NT_ARM_SYSTEM_CALL, &nr) < 0 ? -1 : 0;
}

#else

int monitor_regs_get(pid_t pid, struct monitor_regs *r)
{
	(void)pid;
	(void)r;
	errno = ENOSYS;
	return -1;
}

int monitor_regs_set(pid_t pid, const struct monitor_regs *r)
{
	(void)pid;
	(void)r;
	errno = ENOSYS;
	return -1;
}

void monitor_regs_set_arg(struct monitor_regs *r, int i, unsigned long long v)
{
	(void)r;
	(void)i;
	(void)v;
}

long long monitor_regs_ret(const struct monitor_regs *r)
{
	(void)r;
	return -ENOSYS;
}

void monitor_regs_set_ret(struct monitor_regs *r, long long v)
{
	(void)r;
	(void)v;
}

void monitor_regs_reissue(struct monitor_regs *r, unsigned long long arg0)
{
	(void)r;
	(void)arg0;
}

int monitor_skip_call(pid_t pid, long long ret)
{
	(void)pid;
	(void)ret;
	errno = ENOSYS;
	return -1;
}

#endif
