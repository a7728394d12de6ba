/*
 * forever.c: a parent and a child that sleep and never end. Safe to run, but it does not stop
 * by itself: kill it.
 *
 * Both sleep in nanosleep(), a timed wait the monitor never calls stuck, so a case only ends
 * at its wall-clock limit. A test kills pipegrade itself meanwhile, to see that nothing of the
 * case outlives it.
 */
#define _POSIX_C_SOURCE 200809L

#include <time.h>
#include <unistd.h>

int main(void)
{
	fork();
	struct timespec t = { 0, 50 * 1000 * 1000 };
	for (;;)
		nanosleep(&t, NULL);
}
