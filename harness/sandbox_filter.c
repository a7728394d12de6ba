/* sandbox_filter.c: the refusing seccomp filter of every build and case (see sandbox_filter.h). */
#include "sandbox_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000U
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif

#define TIOCSTI_CMD 0x5412U
#define TIOCLINUX_CMD 0x541CU

/* Both architectures are little-endian: an argument's low 32 bits come first. */
#define ARG_LO(i) ((unsigned int)(offsetof(struct seccomp_data, args) + 8 * (i)))

bool sandbox_filter_supported(void)
{
#ifdef FILTER_ARCH
	return true;
#else
	return false;
#endif
}

#ifdef FILTER_ARCH

/* A tiny assembler: jumps name labels, resolved when the program is complete. */
enum label {
	NEXT,
	ALLOW,
	EPERM_,
	ENOSYS_,
	IOCTL,
	CLONE,
	UNSHARE,
	KILL,
	KILL_ALLOW,
	SIGNAL_POSITIVE,
	NLABELS
};

struct fixup {
	unsigned short insn;
	unsigned char label;
	bool true_branch;
};

struct as {
	struct sandbox_filter *f;
	int at[NLABELS];
	struct fixup fix[64];
	int nfix;
};

static void emit(struct as *a, struct sock_filter insn)
{
	if (a->f->len < SANDBOX_FILTER_MAX)
		a->f->insns[a->f->len++] = insn;
}

static void mark(struct as *a, enum label l)
{
	a->at[l] = a->f->len;
}

static void load(struct as *a, unsigned int offset)
{
	emit(a, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset));
}

static void ret(struct as *a, unsigned int value)
{
	emit(a, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, value));
}

/* A conditional jump: `op` (BPF_JEQ, BPF_JGE, BPF_JSET) against k. */
static void jump(struct as *a, unsigned short op, unsigned int k, enum label yes, enum label no)
{
	unsigned short here = a->f->len;
	emit(a, (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, k, 0, 0));
	if (yes != NEXT && a->nfix < 64)
		a->fix[a->nfix++] = (struct fixup){ here, (unsigned char)yes, true };
	if (no != NEXT && a->nfix < 64)
		a->fix[a->nfix++] = (struct fixup){ here, (unsigned char)no, false };
}

/* Fills in the jumps' offsets. Classic BPF jumps forward only, and the kernel refuses a
 * program that does not (tests install both variants). */
static void resolve(struct as *a)
{
	for (int i = 0; i < a->nfix; i++) {
		int offset = a->at[a->fix[i].label] - (a->fix[i].insn + 1);
		struct sock_filter *insn = &a->f->insns[a->fix[i].insn];
		if (a->fix[i].true_branch)
			insn->jt = (unsigned char)offset;
		else
			insn->jf = (unsigned char)offset;
	}
}

/* kill(pid, sig): -1 and other process groups are refused; 0 (our group) and our own group
 * by number pass; a positive pid is refused when guarded, and else passes or goes to the
 * tracer. tkill and the others have only positive pids (the first argument). */
static void kill_rules(struct as *a, const pid_t *guarded)
{
	mark(a, KILL);
	load(a, ARG_LO(0));
	jump(a, BPF_JEQ, 0xFFFFFFFFU, EPERM_, NEXT); /* -1: every process we may signal */
	a->f->group_at = (short)a->f->len;
	jump(a, BPF_JEQ, 0, KILL_ALLOW, NEXT);            /* -pgid: patched in the child */
	jump(a, BPF_JSET, 0x80000000U, EPERM_, NEXT);     /* another process group */
	jump(a, BPF_JEQ, 0, KILL_ALLOW, SIGNAL_POSITIVE); /* 0: our own group */
	mark(a, KILL_ALLOW);
	ret(a, SECCOMP_RET_ALLOW);
	mark(a, SIGNAL_POSITIVE);
	load(a, ARG_LO(0));
	for (int i = 0; i < SANDBOX_FILTER_GUARDED && guarded[i] > 0; i++)
		jump(a, BPF_JEQ, (unsigned int)guarded[i], EPERM_, NEXT);
	a->f->positive_signal_at = (short)a->f->len;
	ret(a, SECCOMP_RET_ALLOW);
}

/* Which system calls go where, by number. */
struct dispatch {
	long nr;
	enum label to;
};

static const struct dispatch always[] = {
	{ SYS_ioctl, IOCTL },     { SYS_clone, CLONE },    { SYS_clone3, ENOSYS_ },
	{ SYS_unshare, UNSHARE }, { SYS_add_key, EPERM_ }, { SYS_request_key, EPERM_ },
	{ SYS_keyctl, EPERM_ },
};

static const struct dispatch signals[] = {
	{ SYS_kill, KILL },
	{ SYS_pidfd_open, EPERM_ },
	{ SYS_pidfd_send_signal, EPERM_ },
	{ SYS_tkill, SIGNAL_POSITIVE },
	{ SYS_tgkill, SIGNAL_POSITIVE },
	{ SYS_rt_sigqueueinfo, SIGNAL_POSITIVE },
	{ SYS_rt_tgsigqueueinfo, SIGNAL_POSITIVE },
};

static const struct dispatch execs[] = {
	{ SYS_execve, EPERM_ },
	{ SYS_execveat, EPERM_ },
};

void sandbox_filter_build(struct sandbox_filter *f, const struct sandbox_filter_opts *opts)
{
	memset(f, 0, sizeof *f);
	f->group_at = f->positive_signal_at = -1;
	struct as a;
	memset(&a, 0, sizeof a);
	a.f = f;
	load(&a, offsetof(struct seccomp_data, arch));
	jump(&a, BPF_JEQ, FILTER_ARCH, NEXT, ENOSYS_);
	load(&a, offsetof(struct seccomp_data, nr));
#ifdef X32_BIT
	jump(&a, BPF_JGE, X32_BIT, ENOSYS_, NEXT);
#endif
	for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
		jump(&a, BPF_JEQ, (unsigned int)always[i].nr, always[i].to, NEXT);
	for (size_t i = 0; opts->guard_signals && i < sizeof signals / sizeof signals[0]; i++)
		jump(&a, BPF_JEQ, (unsigned int)signals[i].nr, signals[i].to, NEXT);
	for (size_t i = 0; opts->no_exec && i < sizeof execs / sizeof execs[0]; i++)
		jump(&a, BPF_JEQ, (unsigned int)execs[i].nr, execs[i].to, NEXT);
	mark(&a, ALLOW);
	ret(&a, SECCOMP_RET_ALLOW);
	/* jumps go forward only: each section ends with its own return */
	mark(&a, IOCTL);
	load(&a, ARG_LO(1));
	jump(&a, BPF_JEQ, TIOCSTI_CMD, EPERM_, NEXT);
	jump(&a, BPF_JEQ, TIOCLINUX_CMD, EPERM_, NEXT);
	ret(&a, SECCOMP_RET_ALLOW);
	mark(&a, CLONE);
	load(&a, ARG_LO(0));
	jump(&a, BPF_JSET, CLONE_UNTRACED | CLONE_NEWUSER, EPERM_, NEXT);
	ret(&a, SECCOMP_RET_ALLOW);
	mark(&a, UNSHARE);
	load(&a, ARG_LO(0));
	jump(&a, BPF_JSET, CLONE_NEWUSER, EPERM_, NEXT);
	ret(&a, SECCOMP_RET_ALLOW);
	if (opts->guard_signals)
		kill_rules(&a, opts->guarded);
	mark(&a, EPERM_);
	ret(&a, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	mark(&a, ENOSYS_);
	ret(&a, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	resolve(&a);
}

#else

void sandbox_filter_build(struct sandbox_filter *f, const struct sandbox_filter_opts *opts)
{
	(void)opts;
	memset(f, 0, sizeof *f);
	f->group_at = f->positive_signal_at = -1;
}

#endif

void sandbox_filter_set_group(struct sandbox_filter *f, pid_t pgid)
{
	if (f->group_at >= 0)
		f->insns[f->group_at].k = (unsigned int)-pgid;
}

void sandbox_filter_trace_signals(struct sandbox_filter *f)
{
	if (f->positive_signal_at >= 0)
		f->insns[f->positive_signal_at].k = SECCOMP_RET_TRACE | SANDBOX_FILTER_SIGNAL_EVENT;
}

int sandbox_filter_install(const struct sandbox_filter *f)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (f->len == 0)
		return 0;
	struct sock_fprog prog = { f->len, (struct sock_filter *)f->insns };
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
