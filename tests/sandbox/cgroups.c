/*
 * cgroups.c: prints the cgroups it runs in, and those of a child it forks. Safe to run.
 *
 * For the cgroup v1 `pids` and `memory` controllers, from /proc/self/cgroup, it prints one
 * line each, "pids NAME" and "memory NAME", NAME being the last component of the group's path
 * ("/" for the root), or "pids none" when the controller is not mounted. Then a child it
 * forks prints its own two lines, prefixed with "child ". Exits 0.
 *
 * Inside a working sandbox with cgroup v1, every NAME is the grader's group, `pipegrade-slot-N`
 * (N: the grader's slot): the program joined it before exec, and its children are born in it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The last component of this process's group for controller `ctl`, into `name`. */
static void group_of(const char *ctl, char *name, size_t size)
{
	char line[1024];
	snprintf(name, size, "none");
	FILE *f = fopen("/proc/self/cgroup", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *list = strchr(line, ':'), *path = list ? strchr(list + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (strcmp(list + 1, ctl))
			continue;
		char *last = strrchr(path, '/');
		snprintf(name, size, "%s", last && last[1] ? last + 1 : "/");
		break;
	}
	if (f)
		fclose(f);
}

static void show(const char *who)
{
	char name[256];
	group_of("pids", name, sizeof name);
	printf("%spids %s\n", who, name);
	group_of("memory", name, sizeof name);
	printf("%smemory %s\n", who, name);
	fflush(stdout);
}

int main(void)
{
	show("");
	pid_t pid = fork();
	if (pid == 0) {
		show("child ");
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return 0;
}
