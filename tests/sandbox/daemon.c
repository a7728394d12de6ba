/*
 * daemon.c: leaves a classic double-forked daemon behind.
 *
 * The program forks; the child calls setsid() (new session, no terminal) and forks again, and
 * exits at once. The grandchild, now re-parented away from the program, closes fds 0, 1 and 2,
 * ignores SIGTERM, SIGHUP and SIGINT and sleeps in a loop forever. The program waits for the
 * intermediate child (so the daemon exists when it reports), prints "daemon started" and
 * exits 0.
 *
 * A sandbox should still find and kill the daemon when the case ends: it escaped the process
 * group and the session, but not a child subreaper, a PID namespace or a cgroup. Stdout is
 * "daemon started", exit 0; the harness may report orphan (a descendant outlived the main
 * process), and nothing may be left running after the run.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void daemon_body(void)
{
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	for (;;)
		sleep(60);
}

int main(void)
{
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		if (setsid() < 0)
			_exit(1);
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(1);
		if (grandchild == 0)
			daemon_body();
		_exit(0);
	}

	int status;
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("waitpid");
			return 1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "the intermediate child failed\n");
		return 1;
	}
	printf("daemon started\n");
	return 0;
}
