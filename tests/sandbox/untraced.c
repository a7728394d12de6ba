/*
 * untraced.c: tries to start processes the monitor cannot see. Safe to run.
 *
 * Calls clone(CLONE_UNTRACED) (a child the tracer does not follow), clone3() (its flags are in
 * memory, out of a seccomp filter's sight) and unshare(CLONE_NEWUSER). Prints one line each,
 * "WHAT: ok" or "WHAT: denied (strerror)"; a child that did start exits at once and is waited
 * for. Exits 0.
 *
 * Inside the sandbox: "clone(CLONE_UNTRACED): denied (Operation not permitted)", "clone3:
 * denied (Function not implemented)" (so that glibc falls back to clone), "unshare(CLONE_NEWUSER):
 * denied (Operation not permitted)".
 */
#define _GNU_SOURCE

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static void report(const char *what, long rc)
{
	if (rc >= 0)
		printf("%s: ok\n", what);
	else
		printf("%s: denied (%s)\n", what, strerror(errno));
	fflush(stdout);
}

int main(void)
{
	long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	report("clone(CLONE_UNTRACED)", pid);
	uint64_t args[11] = { 0 };
	args[4] = SIGCHLD; /* exit_signal */
	pid = syscall(SYS_clone3, args, sizeof args);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	report("clone3", pid);
	report("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
	return 0;
}
