/* Opens a named FIFO for reading that no process will ever open for writing: open() waits
 * forever. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	if (mkfifo("canal", 0600) < 0)
		return 1;
	int fd = open("canal", O_RDONLY); /* blocks: nobody opens it for writing */
	return fd < 0;
}
