/* The child reads until EOF but keeps the write end open: a deadlock, stressed or not. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t k = fork();
	if (k == 0) {
		char c;
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	if (write(p[1], "x", 1) != 1)
		return 1;
	close(p[1]);
	waitpid(k, NULL, 0);
	return 0;
}
