/*
 * ignore-signals.c: leaves behind a child in its own process group that ignores every signal
 * it can.
 *
 * The child calls setpgid(0, 0), sets SIG_IGN for every signal from 1 to SIGRTMAX except
 * SIGKILL and SIGSTOP (the ones glibc reserves for itself are refused and skipped), and sleeps
 * in a loop forever. The parent also calls setpgid(child, child), so the child is in its own
 * group whichever of them runs first, prints "child in its own group" and exits 0 without
 * waiting.
 *
 * A sandbox must not rely on killing the program's process group, nor on SIGTERM: it should
 * find the child through a subreaper, PID namespace or cgroup and SIGKILL it. Stdout is
 * "child in its own group", exit 0; the harness may report orphan, and nothing may be left
 * running after the run.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

static void ignore_everything(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig <= SIGRTMAX; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		(void)sigaction(sig, &sa, NULL); /* EINVAL for glibc's reserved signals */
	}
}

int main(void)
{
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		setpgid(0, 0);
		ignore_everything();
		for (;;)
			sleep(60);
	}
	if (setpgid(child, child) < 0 && getpgid(child) != child) {
		perror("setpgid");
		return 1;
	}
	printf("child in its own group\n");
	return 0;
}
