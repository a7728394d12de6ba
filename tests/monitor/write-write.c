/* write/write cycle: the parent writes 1 MiB to pipe A (fd 4) before reading pipe B (fd 5); the child writes 1 MiB to pipe B (fd 6) before reading pipe A (fd 3): both block in write() on full pipes. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL (1024 * 1024)
#define CHUNK (64 * 1024)

static char buf[CHUNK];

/* Writes TOTAL bytes to fd in CHUNK-byte writes. Returns 0, or -1 on error. */
static int write_all(int fd)
{
	for (size_t done = 0; done < TOTAL;) {
		ssize_t n = write(fd, buf, CHUNK);
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Reads fd until end of file. Returns 0, or -1 on error. */
static int drain(int fd)
{
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		;
	return n < 0 ? -1 : 0;
}

int main(void)
{
	int a[2], b[2]; /* a = {3, 4}, b = {5, 6} */
	memset(buf, 'x', sizeof buf);
	if (pipe(a) < 0 || pipe(b) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* Child: keeps A's read end (fd 3) and B's write end (fd 6). */
		close(a[1]);
		close(b[0]);
		if (write_all(b[1]) < 0) /* blocks once B is full: the parent is not reading it */
			_exit(1);
		close(b[1]);
		_exit(drain(a[0]) < 0 ? 1 : 0);
	}
	/* Parent: keeps A's write end (fd 4) and B's read end (fd 5). */
	close(a[0]);
	close(b[1]);
	if (write_all(a[1]) < 0) /* blocks once A is full: the child is not reading it */
		return 1;
	close(a[1]);
	if (drain(b[0]) < 0)
		return 1;
	close(b[0]);
	waitpid(pid, NULL, 0);
	return 0;
}
