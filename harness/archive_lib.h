/*
 * archive_lib.h: libarchive, loaded with dlopen() when the first archive is unpacked, not
 * linked into pipegrade.
 *
 * libarchive brings ICU, libxml2, libstdc++ and a handful of compression libraries: some
 * seventy mappings that every fork of every case would copy (about 0.1 ms a fork on a small
 * VM), for the few runs that unpack archives. Only archive.c (unpacking) and kit.c (writing
 * the student kit) use it; the table holds exactly the functions they call, typed from
 * libarchive's own headers.
 *
 * Ownership: the table is filled once per process and the library is never unloaded.
 */
#ifndef PIPEGRADE_ARCHIVE_LIB_H
#define PIPEGRADE_ARCHIVE_LIB_H

#include <archive.h>
#include <archive_entry.h>

#include "util.h"

struct archive_lib {
	__typeof__(archive_read_new) *read_new;
	__typeof__(archive_read_free) *read_free;
	__typeof__(archive_read_support_format_zip) *read_support_format_zip;
	__typeof__(archive_read_support_format_tar) *read_support_format_tar;
	__typeof__(archive_read_support_filter_gzip) *read_support_filter_gzip;
	__typeof__(archive_read_support_filter_bzip2) *read_support_filter_bzip2;
	__typeof__(archive_read_support_filter_xz) *read_support_filter_xz;
	__typeof__(archive_read_open_fd) *read_open_fd;
	__typeof__(archive_read_next_header) *read_next_header;
	__typeof__(archive_read_data) *read_data;
	__typeof__(archive_error_string) *error_string;
	__typeof__(archive_entry_filetype) *entry_filetype;
	__typeof__(archive_entry_size) *entry_size;
	__typeof__(archive_entry_size_is_set) *entry_size_is_set;
	__typeof__(archive_entry_perm) *entry_perm;
	__typeof__(archive_entry_pathname) *entry_pathname;
	__typeof__(archive_entry_pathname_utf8) *entry_pathname_utf8;
	__typeof__(archive_entry_hardlink) *entry_hardlink;
	/* writing (kit.c) */
	__typeof__(archive_write_new) *write_new;
	__typeof__(archive_write_free) *write_free;
	__typeof__(archive_write_set_format_pax_restricted) *write_set_format_pax_restricted;
	__typeof__(archive_write_add_filter_gzip) *write_add_filter_gzip;
	__typeof__(archive_write_set_options) *write_set_options;
	__typeof__(archive_write_open_fd) *write_open_fd;
	__typeof__(archive_write_header) *write_header;
	__typeof__(archive_write_data) *write_data;
	__typeof__(archive_write_close) *write_close;
	__typeof__(archive_entry_new) *entry_new;
	__typeof__(archive_entry_free) *entry_free;
	__typeof__(archive_entry_copy_pathname) *entry_copy_pathname;
	__typeof__(archive_entry_set_filetype) *entry_set_filetype;
	__typeof__(archive_entry_set_perm) *entry_set_perm;
	__typeof__(archive_entry_set_size) *entry_set_size;
	__typeof__(archive_entry_set_mtime) *entry_set_mtime;
};

/* The table, loading libarchive at the first call. NULL, with a message in `err`, when the
 * library or one of its functions cannot be found. */
const struct archive_lib *archive_lib(struct buf *err);

#endif
