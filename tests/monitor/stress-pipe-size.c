/* Prints the capacity of a new pipe. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	printf("%d\n", fcntl(p[0], F_GETPIPE_SZ));
	return 0;
}
