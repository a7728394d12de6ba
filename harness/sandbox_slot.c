/* sandbox_slot.c: slots held by lock files (see sandbox_slot.h). */
#include "sandbox_slot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

/* Where the locks are: PIPEGRADE_SLOT_DIR, else /var/lib/pipegrade/slots (shared by every
 * grader of the machine), else, where /var/lib cannot be written (a read-only image),
 * /run/pipegrade/slots. Set by find_slot_dir(). */
static char the_dir[4096];

static const char *slot_dir(void)
{
	return the_dir[0] ? the_dir : "/var/lib/pipegrade/slots";
}

uid_t sandbox_slot_uid_base(void)
{
	const char *b = getenv("PIPEGRADE_UID_BASE");
	char *end;
	unsigned long v = b ? strtoul(b, &end, 10) : 0;
	if (b && *b && !*end && v >= 1000 && v < 4000000000UL)
		return (uid_t)v;
	return SANDBOX_UID_BASE;
}

/* A folder of ours that nobody else may write into (the locks are opened as root there). */
static int usable_dir(const char *path)
{
	struct stat st;
	if (make_dirs(path) < 0 || lstat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return errno = 0, -1;
	return 0;
}

static int find_slot_dir(struct buf *err)
{
	const char *env = getenv("PIPEGRADE_SLOT_DIR");
	const char *const tries[] = { env && *env == '/' ? env : "/var/lib/pipegrade/slots",
				      env && *env == '/' ? NULL : "/run/pipegrade/slots" };
	for (size_t i = 0; i < 2 && tries[i]; i++) {
		if (usable_dir(tries[i]) == 0) {
			snprintf(the_dir, sizeof the_dir, "%s", tries[i]);
			return 0;
		}
		/* TRANSLATORS: the first %s is "" or "; ", which joins two of these. */
		buf_printf(err, _("%scannot use %s for the sandbox's slots: %s"), i ? "; " : "",
			   tries[i],
			   errno ? strerror(errno)
				 : _("it must be a folder of pipegrade's user that nobody else can "
				     "write into"));
	}
	return -1;
}

static int open_lock(int n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%d", slot_dir(), n);
	return open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
}

/* Any live process of `uid` that we can see (a grader elsewhere that does not share our slot
 * directory, or the leftovers of one). */
static bool uid_has_processes(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;
	while (!found && d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300];
		struct stat st;
		snprintf(path, sizeof path, "/proc/%s", e->d_name);
		found = stat(path, &st) == 0 && st.st_uid == uid;
	}
	if (d)
		closedir(d);
	return found;
}

int sandbox_slot_acquire(struct sandbox_slot *s, struct buf *err)
{
	s->n = s->lock_fd = -1;
	struct buf why = BUF_INIT;
	int rc = find_slot_dir(&why);
	if (rc < 0)
		buf_append(err, why.data, why.len);
	buf_free(&why);
	if (rc < 0)
		return -1;
	uid_t base = sandbox_slot_uid_base();
	int start = (int)(getpid() % SANDBOX_SLOTS);
	for (int i = 0; i < SANDBOX_SLOTS; i++) {
		int n = (start + i) % SANDBOX_SLOTS;
		int fd = open_lock(n);
		if (fd < 0) {
			buf_printf(err, _("cannot open the lock of slot %d in %s: %s"), n,
				   slot_dir(), strerror(errno));
			return -1;
		}
		uid_t uid = base + (uid_t)n;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && !getpwuid(uid) &&
		    !uid_has_processes(uid)) {
			s->n = n;
			s->lock_fd = fd;
			s->uid = uid;
			return 0;
		}
		close(fd);
	}
	buf_printf(err, _("every sandbox slot (%d, in %s) is in use"), SANDBOX_SLOTS, slot_dir());
	return -1;
}

void sandbox_slot_release(struct sandbox_slot *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = s->n = -1;
}

bool sandbox_slot_if_free(int n, void (*stale)(int n, void *arg), void *arg)
{
	int fd = open_lock(n);
	if (fd < 0)
		return false;
	bool free_slot = flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (free_slot && stale)
		stale(n, arg);
	close(fd);
	return free_slot;
}
