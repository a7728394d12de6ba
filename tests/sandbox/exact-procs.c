/*
 * exact-procs.c: has exactly 4 processes alive at once, then ends. Safe to run.
 *
 * The main process forks 3 children that each block on a pipe until all of them exist; the
 * main process then closes the pipe and waits for them. Prints "4 processes" and exits 0.
 *
 * Graded with `processes: 4`, it stays within the limit and must pass: using the limit
 * exactly is not going over it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int hold[2], ready[2];
	if (pipe(hold) < 0 || pipe(ready) < 0)
		return 1;
	for (int i = 0; i < 3; i++) {
		pid_t k = fork();
		if (k == 0) {
			char c;
			close(hold[1]);
			close(ready[0]);
			(void)!write(ready[1], "r", 1);
			close(ready[1]);
			(void)!read(hold[0], &c, 1); /* until the parent closes it */
			close(hold[0]);
			_exit(0);
		}
	}
	close(hold[0]);
	close(ready[1]);
	char c;
	for (int i = 0; i < 3; i++)
		(void)!read(ready[0], &c, 1);
	close(hold[1]);
	close(ready[0]);
	while (wait(NULL) > 0)
		;
	printf("4 processes\n");
	return 0;
}
