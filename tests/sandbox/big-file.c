/*
 * big-file.c: writes big.bin in the working directory, 1 MiB at a time, up to 256 MiB.
 *
 * SIGXFSZ keeps its default action, so a file size limit (RLIMIT_FSIZE) kills the program at
 * the write that crosses it. If every write succeeds it prints "wrote 256 MiB" and exits 0; a
 * failed write (ENOSPC, EDQUOT, or EFBIG when SIGXFSZ was ignored by whoever started it)
 * prints "write failed after N MiB (strerror)" and exits 1. big.bin is left in place.
 *
 * Inside a working sandbox RLIMIT_FSIZE (or a small tmpfs or quota for the working directory)
 * is well below 256 MiB: the case is a crash by SIGXFSZ with empty stdout (or, on a full tmpfs,
 * a wrong_exit with "write failed after N MiB (No space left on device)").
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)
#define TOTAL_MIB 256

static char chunk[CHUNK];

/* Writes all of `len` bytes; returns 0 or -1 with errno set. */
static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(void)
{
	memset(chunk, 'b', sizeof chunk);
	int fd = open("big.bin", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		printf("open big.bin failed (%s)\n", strerror(errno));
		return 1;
	}
	for (int mib = 0; mib < TOTAL_MIB; mib++) {
		if (write_all(fd, chunk, sizeof chunk) < 0) {
			printf("write failed after %d MiB (%s)\n", mib, strerror(errno));
			close(fd);
			return 1;
		}
	}
	if (close(fd) < 0) {
		printf("write failed after %d MiB (%s)\n", TOTAL_MIB, strerror(errno));
		return 1;
	}
	printf("wrote %d MiB\n", TOTAL_MIB);
	return 0;
}
