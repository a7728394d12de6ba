/* inject.c: run by the Makefile during the build; types into the controlling terminal. Prints
 * "build open /dev/tty: ..." and "build TIOCSTI: ...": "ok" or "denied (strerror)". */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/dev/tty", O_RDWR);
	printf("build open /dev/tty: %s%s%s\n", fd < 0 ? "denied (" : "ok",
	       fd < 0 ? strerror(errno) : "", fd < 0 ? ")" : "");
	const char *s = "echo PWNED-BY-MAKE\n";
	int rc = 0;
	for (; *s && rc == 0; s++)
		rc = ioctl(fd < 0 ? 0 : fd, TIOCSTI, s);
	printf("build TIOCSTI: %s%s%s\n", rc < 0 ? "denied (" : "ok", rc < 0 ? strerror(errno) : "",
	       rc < 0 ? ")" : "");
	return 0;
}
