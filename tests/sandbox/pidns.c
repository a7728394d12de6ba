/*
 * pidns.c: prints the pids it sees in its PID namespace. Safe to run.
 *
 * Prints "pid P ppid Q" for itself; then a child prints "child pid P ppid Q", forks a
 * grandchild and exits at once; the grandchild waits (1 s at most) until it has been adopted,
 * and its line "orphan ppid Q" reaches stdout through the program, which prints it last.
 * Exits 0.
 *
 * In a PID namespace whose init is pipegrade's (pid 1), the program is pid 2 and its parent,
 * pipegrade, is outside the namespace (ppid 0): "pid 2 ppid 0", "child pid 3 ppid 2",
 * "orphan ppid 1". Without one, the pids are the machine's and the orphan goes to pipegrade,
 * a child subreaper.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	printf("pid %d ppid %d\n", (int)getpid(), (int)getppid());
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		printf("child pid %d ppid %d\n", (int)getpid(), (int)getppid());
		fflush(stdout);
		pid_t mine = getpid();
		if (fork() == 0) {
			close(p[0]);
			for (int i = 0; i < 1000 && getppid() == mine; i++)
				usleep(1000);
			dprintf(p[1], "orphan ppid %d\n", (int)getppid());
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	waitpid(child, NULL, 0);
	char line[64];
	ssize_t n = read(p[0], line, sizeof line);
	if (n > 0)
		fwrite(line, 1, (size_t)n, stdout);
	return 0;
}
