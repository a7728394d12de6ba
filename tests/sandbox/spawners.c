/*
 * spawners.c: every ordinary way to start a process or a thread. Safe to run.
 *
 * fork() and wait, vfork() and exec of /bin/true, posix_spawn() of /bin/echo (glibc uses
 * clone3, or clone when clone3 is refused), and pthread_create() and join. Prints "fork ok",
 * "vfork ok", "posix_spawn ok" (after echo's own "spawned"), "thread ok", or "WHAT failed
 * (strerror)". Exits 0.
 *
 * The sandbox's filter refuses clone3 with ENOSYS: glibc then uses clone, and all four work,
 * watched by the monitor like any other process.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *thread_main(void *arg)
{
	return arg;
}

static void report(const char *what, int ok, int err)
{
	if (ok)
		printf("%s ok\n", what);
	else
		printf("%s failed (%s)\n", what, strerror(err));
	fflush(stdout);
}

int main(void)
{
	int status = -1;
	pid_t k = fork();
	if (k == 0)
		_exit(0);
	report("fork", k > 0 && waitpid(k, &status, 0) == k && status == 0, errno);
	k = vfork();
	if (k == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	report("vfork", k > 0 && waitpid(k, &status, 0) == k && status == 0, errno);
	char *argv[] = { "echo", "spawned", NULL };
	int rc = posix_spawn(&k, "/bin/echo", NULL, NULL, argv, environ);
	report("posix_spawn", rc == 0 && waitpid(k, &status, 0) == k && status == 0, rc);
	pthread_t t;
	static int token;
	void *back = NULL;
	rc = pthread_create(&t, NULL, thread_main, &token);
	report("thread", rc == 0 && pthread_join(t, &back) == 0 && back == &token, rc);
	return 0;
}
