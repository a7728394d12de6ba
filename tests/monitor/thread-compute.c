/* Two threads and no deadlock: one computes for 0.3 s, then writes a pipe and joins the other,
 * which waits in read() on that pipe meanwhile. The main thread joins the first. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static pthread_t reader_thread;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *reader(void *arg)
{
	char c;
	(void)arg;
	if (read(fds[0], &c, 1) != 1) /* waits while the other thread computes */
		perror("read");
	return NULL;
}

static void *computer(void *arg)
{
	volatile unsigned long x = 0;
	(void)arg;
	for (double end = now() + 0.3; now() < end;) /* busy: it uses the CPU */
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	if (write(fds[1], "x", 1) != 1)
		perror("write");
	pthread_join(reader_thread, NULL);
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	if (pthread_create(&reader_thread, NULL, reader, NULL) != 0 ||
	    pthread_create(&t, NULL, computer, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
