/*
 * flood.c: writes 'x' to stdout forever, in 64 KiB chunks. Harmless: the harness caps output.
 *
 * It stops only when a write fails: by SIGPIPE when the reader has gone (the default action),
 * or, if SIGPIPE is ignored, on the EPIPE error, after saying so on stderr and exiting 1.
 *
 * A sandbox (or the plain harness) should stop reading at its output cap, kill the program
 * and report limit_output on stdout; what stdout holds is that many 'x' bytes, no newline.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static char chunk[CHUNK];

int main(void)
{
	unsigned long long total = 0;

	memset(chunk, 'x', sizeof chunk);
	for (;;) {
		size_t off = 0;
		while (off < sizeof chunk) {
			ssize_t n = write(STDOUT_FILENO, chunk + off, sizeof chunk - off);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "write failed after %llu bytes (%s)\n", total,
					strerror(errno));
				return 1;
			}
			off += (size_t)n;
			total += (unsigned long long)n;
		}
	}
}
