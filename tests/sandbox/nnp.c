/*
 * nnp.c: prints the NoNewPrivs and Seccomp lines of /proc/self/status, as they are (a tab
 * after the colon). Safe to run. Exits 0.
 *
 * Inside the sandbox, monitored or not: "NoNewPrivs:\t1" (set-user-ID programs gain nothing)
 * and "Seccomp:\t2" (a filter is installed).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "NoNewPrivs:", 11) || !strncmp(line, "Seccomp:", 8))
			fputs(line, stdout);
	if (f)
		fclose(f);
	return 0;
}
