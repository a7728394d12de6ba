/* jsoncheck.h: a strict JSON validator for the tests (RFC 8259 syntax, UTF-8 text). */
#ifndef PIPEGRADE_JSONCHECK_H
#define PIPEGRADE_JSONCHECK_H

#include <stddef.h>

/* Returns 0 when `text` is one valid JSON value (with surrounding whitespace), else the
 * 1-based offset of the first error. */
size_t json_validate(const char *text, size_t len);

#endif
