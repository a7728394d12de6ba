/* A thread waits in pthread_cond_wait() for a signal nobody sends, while the main thread waits
 * in pthread_join() for it: a hang with no pipe in it. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static bool ready;

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!ready) /* nobody sets it */
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, waiter, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	return 0;
}
