/* archive_lib.c: libarchive through dlopen() (see archive_lib.h). */
#include "archive_lib.h"

#include <dlfcn.h>
#include <stddef.h>

#include "i18n.h"

/* Every function of the table, by name, where it goes. */
static const struct {
	const char *name;
	size_t off;
} symbols[] = {
/* a macro that expands to a braced initializer */
// clang-format off
#define SYM(field, name) { #name, offsetof(struct archive_lib, field) }
	SYM(read_new, archive_read_new),
	SYM(read_free, archive_read_free),
	SYM(read_support_format_zip, archive_read_support_format_zip),
	SYM(read_support_format_tar, archive_read_support_format_tar),
	SYM(read_support_filter_gzip, archive_read_support_filter_gzip),
	SYM(read_support_filter_bzip2, archive_read_support_filter_bzip2),
	SYM(read_support_filter_xz, archive_read_support_filter_xz),
	SYM(read_open_fd, archive_read_open_fd),
	SYM(read_next_header, archive_read_next_header),
	SYM(read_data, archive_read_data),
	SYM(error_string, archive_error_string),
	SYM(entry_filetype, archive_entry_filetype),
	SYM(entry_size, archive_entry_size),
	SYM(entry_size_is_set, archive_entry_size_is_set),
	SYM(entry_perm, archive_entry_perm),
	SYM(entry_pathname, archive_entry_pathname),
	SYM(entry_pathname_utf8, archive_entry_pathname_utf8),
	SYM(entry_hardlink, archive_entry_hardlink),
	SYM(write_new, archive_write_new),
	SYM(write_free, archive_write_free),
	SYM(write_set_format_pax_restricted, archive_write_set_format_pax_restricted),
	SYM(write_add_filter_gzip, archive_write_add_filter_gzip),
	SYM(write_set_options, archive_write_set_options),
	SYM(write_open_fd, archive_write_open_fd),
	SYM(write_header, archive_write_header),
	SYM(write_data, archive_write_data),
	SYM(write_close, archive_write_close),
	SYM(entry_new, archive_entry_new),
	SYM(entry_free, archive_entry_free),
	SYM(entry_copy_pathname, archive_entry_copy_pathname),
	SYM(entry_set_filetype, archive_entry_set_filetype),
	SYM(entry_set_perm, archive_entry_set_perm),
	SYM(entry_set_size, archive_entry_set_size),
	SYM(entry_set_mtime, archive_entry_set_mtime),
#undef SYM
	// clang-format on
};

/* The sonames tried, newest first: the library's ABI has been 13 since libarchive 3.0. */
static const char *const sonames[] = { "libarchive.so.13", "libarchive.so" };

const struct archive_lib *archive_lib(struct buf *err)
{
	static struct archive_lib lib;
	static bool loaded;
	if (loaded)
		return &lib;
	void *h = NULL;
	for (size_t i = 0; !h && i < sizeof sonames / sizeof sonames[0]; i++)
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		buf_printf(err, _("cannot load libarchive (%s): %s"), sonames[0], dlerror());
		return NULL;
	}
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
		void *f = dlsym(h, symbols[i].name);
		if (!f) {
			buf_printf(err, _("libarchive has no %s: %s"), symbols[i].name, dlerror());
			return NULL;
		}
		/* POSIX: a function's address as dlsym() gives it, stored in its typed pointer */
		*(void **)((char *)&lib + symbols[i].off) = f;
	}
	loaded = true;
	return &lib;
}
