/*
 * archive.h: submissions that arrive as archives, one per student (ana.zip, bruno.tar.gz).
 *
 * archive_unpack() reads an archive twice with libarchive: the first pass only reads the
 * headers, checks every entry and the caps, and decides whether to unwrap a single top-level
 * folder; the second writes the files. So an archive that is refused for its entries, their
 * number or their declared size leaves nothing behind, and one that fails while writing (data
 * bigger than its header said, a damaged stream, a full disk) has what it wrote removed again.
 *
 * What is written: regular files (mode 0644, or 0755 when the entry had an exec bit) and
 * folders (0755), created with openat() under `dest` one path component at a time with
 * O_NOFOLLOW, so nothing is ever written through a link. What is not:
 *   - symbolic links and hard links are skipped, with a note (see archive_unpack);
 *   - macOS metadata ("__MACOSX/" at the top, ".DS_Store" and "._*" files) is skipped silently;
 *   - an absolute path, a ".." that climbs above the archive's top, a device, FIFO or socket
 *     entry makes the whole archive fail.
 * libarchive types stay inside archive.c.
 */
#ifndef PIPEGRADE_ARCHIVE_H
#define PIPEGRADE_ARCHIVE_H

#include <stdbool.h>

#include "util.h"

/* True when `path` names an archive pipegrade unpacks (.zip, .tar, .tar.gz, .tgz, .tar.xz,
 * .tar.bz2, in any letter case, with a name before the extension). Looks at the name only. */
bool archive_is_archive(const char *path);

/* The student's name for an archive file: its last path component without the archive
 * extension ("class/ana.zip" -> "ana", "bruno.tar.gz" -> "bruno"); the last component as it
 * is when it is not an archive name. malloc'd. */
char *archive_student_name(const char *path);

/*
 * Unpacks `path` into `dest`, an existing empty directory, safely (see the top of this file).
 * At most `max_entries` entries (every entry counts, skipped ones too) and at most `max_bytes`
 * bytes of file data in all; past either cap it stops and fails. When every unpacked entry is
 * inside one top-level folder, that folder is unwrapped: its contents go straight into dest
 * (one level only: "ana/src/x.c" becomes dest/src/x.c).
 *
 * Returns 0 when the archive was unpacked; `err` may then hold notes for the student, one line
 * each, about skipped links ("ana.zip: skipped \"lib\", a symbolic link: links are not
 * unpacked"). Returns -1 with a one-line message appended to `err` when it was refused or could
 * not be read ("ana.zip: entry \"../x\" would escape the submission's folder"), or when dest
 * is not an empty folder or could not be written (with the errno text); dest is then as it was.
 * Every fd it opens is close-on-exec and closed before it returns.
 */
int archive_unpack(const char *path, const char *dest, long long max_bytes, long max_entries,
		   struct buf *err);

/*
 * The same in a worker process of its own, confined (sandbox_confine_worker(): as root a
 * sandbox slot's unprivileged uid, which then owns dest and what is unpacked; no new
 * privileges; the system call filter, with exec refused; no fork; limits on file size, memory,
 * CPU time and open files), so that an archive crafted against libarchive reaches nothing but
 * dest. Only the archive and dest are open in it. Same results as archive_unpack(); a worker
 * that dies (a limit, a crash) is a refusal: "NAME: the unpacking stopped: Killed".
 */
int archive_unpack_confined(const char *path, const char *dest, long long max_bytes,
			    long max_entries, struct buf *err);

#endif
