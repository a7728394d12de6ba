/*
 * sha256.h: SHA-256 (FIPS 180-4), for sealed expectations: a hidden case's expected output
 * that the student kit keeps as a digest, checked without being shown (compare.h,
 * docs/student-kit.md).
 *
 * One context hashes one message, given in pieces of any size: sha256_init(), then
 * sha256_update() as often as needed, then sha256_final(). Nothing is allocated; nothing fails.
 */
#ifndef PIPEGRADE_SHA256_H
#define PIPEGRADE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32                   /* a digest */
#define SHA256_HEX (2 * SHA256_BYTES + 1) /* a digest in hexadecimal, with its NUL */

struct sha256 {
	uint32_t h[8];         /* the hash so far */
	uint64_t bytes;        /* message bytes hashed so far */
	unsigned char blk[64]; /* the block being filled */
	size_t fill;           /* bytes in blk */
};

void sha256_init(struct sha256 *s);
/* Adds `len` bytes of `data` (may be NULL when len is 0) to the message. */
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the digest of the whole message to `out`; `s` must be initialised again for reuse. */
void sha256_final(struct sha256 *s, unsigned char out[SHA256_BYTES]);

/* The digest of `len` bytes of `data`, in one call. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_BYTES]);

/* Writes `d` as 64 lowercase hexadecimal digits and a NUL to `hex`. */
void sha256_to_hex(const unsigned char d[SHA256_BYTES], char hex[SHA256_HEX]);

/* Reads exactly 64 hexadecimal digits (either case) from `hex` (`len` bytes) into `d`.
 * Returns 0, or -1 when `hex` is anything else (`d` is then unspecified). */
int sha256_from_hex(const char *hex, size_t len, unsigned char d[SHA256_BYTES]);

#endif
