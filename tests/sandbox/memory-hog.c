/*
 * memory-hog.c: HOSTILE-ish, do not run it outside a sandbox.
 *
 * Allocates 16 MiB chunks forever and touches every byte of each (memset), so the memory is
 * really used, not just reserved. The chunks are kept on a list reachable from a volatile
 * pointer, so the compiler cannot drop the allocations. Prints "got N MiB" every 64 MiB; when
 * malloc() fails it prints "malloc failed after N MiB" and exits 3.
 *
 * A sandbox should bound its memory. Under RLIMIT_AS (or RLIMIT_DATA) malloc fails: stdout is
 * a run of "got N MiB" lines ending with "malloc failed after N MiB", exit status 3, and the
 * case is a wrong_exit (or limit_memory, if the harness names it). Under a cgroup memory.max
 * the kernel's OOM killer ends it instead: a crash by SIGKILL after some "got" lines.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIB 16
#define CHUNK_BYTES ((size_t)CHUNK_MIB * 1024 * 1024)

static void *volatile chunks; /* each chunk starts with a pointer to the previous one */

int main(void)
{
	unsigned long long mib = 0;

	for (;;) {
		void *p = malloc(CHUNK_BYTES);
		if (p == NULL) {
			printf("malloc failed after %llu MiB\n", mib);
			return 3;
		}
		memset(p, 0xA5, CHUNK_BYTES);
		*(void **)p = chunks;
		chunks = p;
		mib += CHUNK_MIB;
		if (mib % 64 == 0) {
			printf("got %llu MiB\n", mib);
			fflush(stdout);
		}
	}
}
