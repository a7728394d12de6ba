/*
 * hwm.so: preloaded into pipegrade by timeit (-m), it appends "NAME VMHWM_KB" to the file named
 * by PGB_HWM_FILE when a process exits normally (exit() or a return from main), read from its
 * own /proc/self/status: the exact peak RSS of the process, which samples taken every 10 ms can
 * miss at the very end of a short run. Processes that end with _exit() or a signal write
 * nothing; timeit's samples cover them.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((destructor)) static void pgb_hwm_report(void)
{
	const char *out = getenv("PGB_HWM_FILE");
	if (!out)
		return;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return;
	char line[256], name[64] = "?";
	long hwm = -1;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "Name:", 5))
			sscanf(line + 5, "%63s", name);
		else if (!strncmp(line, "VmHWM:", 6))
			hwm = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	if (hwm < 0)
		return;
	char buf[128];
	int n = snprintf(buf, sizeof buf, "%s %ld\n", name, hwm);
	int fd = open(out, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd >= 0) {
		if (write(fd, buf, (size_t)n) < 0) {
			/* nothing to do: this is a measurement */
		}
		close(fd);
	}
}
