/*
 * kit.h: the student kit (`pipegrade kit`, `make student-kit`): what a course gives its
 * students so that they can grade their own work before handing it in, without the course's
 * solutions and without the expected outputs of its hidden cases (docs/student-kit.md).
 *
 * The kit is one .tar.gz holding one folder, named after the archive (pipegrade-student-kit/
 * for pipegrade-student-kit.tar.gz), with:
 *   README.md, Makefile, install-deps  the kit's own files, from harness/kit/ in the course
 *                                      folder: how to build and use it
 *   harness/ (its .c and .h files)     pipegrade's sources, from the course folder
 *   grading.yaml                       the course's, written anew (below)
 *   po/LANG.po                         the message catalogs (the kit's make compiles them)
 *   exercises/...                      the course's exercises/ folder (statements, starters,
 *                                      data), less the files that only hidden cases expect,
 *                                      and the data of the cases left out
 *   any other file that the kit's grading.yaml names, at its place in the course folder
 * and nothing else: no solutions/ (no folder of that name is ever taken), no tests/, no
 * comment of the course's grading.yaml (a comment may name a solution or an answer).
 *
 * The kit's grading.yaml holds the course's settings and exercises, each value as the
 * course's file gives it. Visible cases are whole. The hidden cases of an exercise are, as its
 * `kit: {hidden: seal|omit}` (or the course's, in defaults; seal when neither says) chooses:
 *   seal  kept with their arguments, inputs and files, which they need to run, and with every
 *         expected output (stdout, stderr, the content of an expected file) replaced by its
 *         digest, `{sealed: "sha256:HEX", mode: MODE}` (compare_seal(), compare.h); their
 *         hints are left out, as pipegrade's reports keep them from students. An expectation
 *         in mode contains or regex cannot be sealed: it is left out, with a note.
 *   omit  left out, with the files only they use; an exercise left without cases is left out.
 *
 * Entries are sorted by name, with modes 0755 (folders, and files with an execute bit) or
 * 0644, owner 0 and one fixed time, so the same course gives the same bytes. Before it is
 * renamed into place, the archive is unpacked into a temporary folder and its grading.yaml
 * loaded and compared with what was planned: a kit that would not load is never written.
 */
#ifndef PIPEGRADE_KIT_H
#define PIPEGRADE_KIT_H

#include "util.h"

#define KIT_DEFAULT_OUTPUT "pipegrade-student-kit.tar.gz" /* `pipegrade kit` without -o */

/* kit_write()'s results. */
enum {
	KIT_OK = 0,
	KIT_FAILED = -1,     /* pipegrade failed: writing, reading, libarchive */
	KIT_BAD_COURSE = -2, /* the course cannot be made into a kit: grading.yaml has errors, or
				names a file outside the course folder or in solutions/, or
				the course folder lacks pipegrade's sources */
};

/*
 * Writes the student kit of the course `config_path` (grading.yaml; pipegrade's sources and
 * harness/kit/ are taken from its folder) to `out_path` (a .tar.gz; replaced when it exists,
 * left as it was on failure). Returns KIT_OK, with notes in `err`, one line each ("pipegrade
 * kit: ..."): what was left out and why, and a summary; or KIT_FAILED or KIT_BAD_COURSE with
 * the reasons in `err` (grading.yaml's errors as "path:line:column: message" lines). Every fd
 * it opens is close-on-exec and closed before it returns; its temporary folder is removed.
 */
int kit_write(const char *config_path, const char *out_path, struct buf *err);

#endif
