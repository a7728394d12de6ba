/* Orders its output by sleep() instead of by a pipe: the parent sleeps 10 s "so that the
 * child prints first". A plain run prints "hijo\npadre\n" after 10 s. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t k = fork();
	if (k == 0) {
		printf("hijo\n");
		return 0;
	}
	sleep(10);
	printf("padre\n");
	fflush(stdout);
	waitpid(k, NULL, 0);
	return 0;
}
