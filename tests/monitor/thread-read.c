/* A thread reads a pipe whose write end (fd 4) the main thread keeps open while it waits in
 * pthread_join() for that very thread: neither ever goes on. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2]; /* {3, 4} */

static void *reader(void *arg)
{
	char c;
	(void)arg;
	if (read(fds[0], &c, 1) < 0) /* blocks: fd 4 stays open in the process */
		perror("read");
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	if (pthread_create(&t, NULL, reader, NULL) != 0)
		return 1;
	pthread_join(t, NULL); /* the write end should have been closed (or written) first */
	close(fds[1]);
	return 0;
}
