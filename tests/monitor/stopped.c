/* The child stops itself with raise(SIGSTOP) (it would exit 0 if ever continued); the parent waits for it in waitpid() forever. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) { /* no WUNTRACED: a stop does not end the wait */
		perror("waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
