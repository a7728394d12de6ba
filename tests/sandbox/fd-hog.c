/*
 * fd-hog.c: opens /dev/null again and again until open() fails, then tries pipe(). Safe to run
 * (it holds at most RLIMIT_NOFILE descriptors, all released at exit).
 *
 * Prints "opened N fds, then: strerror" (N not counting fds 0, 1 and 2), then "pipe: ok" or
 * "pipe: strerror". Exits 0.
 *
 * Inside a working sandbox RLIMIT_NOFILE is small: N is that limit minus the fds the program
 * started with (3), the error is "Too many open files" and the pipe line "pipe: Too many open
 * files". A sandbox that hides /dev/null shows up here as "opened 0 fds, then: No such file or
 * directory" and "pipe: ok". The case passes or fails on its expectations; no finding is
 * specific to it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	long opened = 0;
	int fds[2];

	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		opened++;
	}
	printf("opened %ld fds, then: %s\n", opened, strerror(errno));

	if (pipe(fds) < 0)
		printf("pipe: %s\n", strerror(errno));
	else
		printf("pipe: ok\n");
	return 0;
}
