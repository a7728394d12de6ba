/* Output written twice: the parent's printf() before fork() stays in its stdio buffer (stdout
 * is a pipe), which fork() copies, so the parent and child 1 both write "Hola\n". Child 1 then
 * writes to fd 1 made a pipe of its own (not stdout: not kept). The parent flushes before
 * forking child 2, which writes only its own line. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2];

	printf("Hola\n");
	pid_t a = fork();
	if (a == 0) {
		printf("hijo\n");
		fflush(stdout);
		if (pipe(fds) == 0 && dup2(fds[1], STDOUT_FILENO) == STDOUT_FILENO)
			(void)!write(STDOUT_FILENO, "a la tubería\n", 14);
		_exit(0);
	}
	waitpid(a, NULL, 0);
	printf("padre\n");
	fflush(stdout);
	pid_t b = fork();
	if (b == 0) {
		printf("otro\n");
		return 0;
	}
	waitpid(b, NULL, 0);
	return 0;
}
