/*
 * fill.c: HOSTILE-ish: tries to fill the machine's disks; run it only under a disk quota.
 *
 * Writes 1 MiB blocks into DIR/pipegrade-fill for each DIR of ".", "/tmp", "/var/tmp",
 * "/dev/shm", "/run", "/run/lock" and "/var/lock", until a write fails or 64 MiB are written
 * there, and prints "DIR: N MiB" with ", then: strerror" when a write or the open failed.
 * Deletes nothing. Exits 0.
 *
 * Inside the sandbox everything it can write is one tmpfs of the case's disk quota: the MiB
 * written add up to at most the quota, the first write past it fails with "No space left on
 * device", the rest is refused or also full, and nothing is left on the machine after the case.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char block[1 << 20];

int main(void)
{
	static const char *const dirs[] = { ".", "/tmp", "/var/tmp", "/dev/shm", "/run",
					    "/run/lock", "/var/lock" };
	memset(block, 'f', sizeof block);
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/pipegrade-fill", dirs[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int mib = 0, err = fd < 0 ? errno : 0;
		while (fd >= 0 && mib < 64) {
			ssize_t n = write(fd, block, sizeof block);
			if (n != (ssize_t)sizeof block) {
				err = n < 0 ? errno : ENOSPC;
				break;
			}
			mib++;
		}
		if (err)
			printf("%s: %d MiB, then: %s\n", dirs[i], mib, strerror(err));
		else
			printf("%s: %d MiB\n", dirs[i], mib);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
