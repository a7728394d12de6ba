/* Polls an empty pipe three times with a 200 ms timeout, then exits 0: never stuck. */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	if (pipe(fds) < 0)
		return 1;
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	for (int i = 0; i < 3; i++)
		if (poll(&p, 1, 200) != 0)
			return 1;
	close(fds[0]);
	close(fds[1]);
	return 0;
}
