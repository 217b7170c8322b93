/*
 * multihash.h - self-describing hashes: varint code, varint digest length,
 * digest. Any well-formed multihash can be read (and its algorithm named in
 * messages); only sha2-256 (0x12) can be computed and verified here.
 */
#ifndef DENAI_MULTIHASH_H
#define DENAI_MULTIHASH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DENAI_MH_SHA2_256	0x12
#define DENAI_MH_DIGEST_MAX	64	/* longest digest read */
#define DENAI_MH_MAX		(2 * 9 + DENAI_MH_DIGEST_MAX)

/* A multihash read from bytes; digest points into the input. */
typedef struct denai_multihash {
	uint64_t code;
	size_t len;		/* digest length */
	const uint8_t *digest;
} denai_multihash;

/*
 * Reads one multihash from the start of in (len bytes).
 * Out: *mh; *used (may be NULL), the bytes it took (the rest of in is left).
 * Returns: 0, or -1 (DENAI_EDATA) when truncated, when a varint is bad, or
 * when the digest is over DENAI_MH_DIGEST_MAX bytes.
 */
int denai_multihash_read(denai_multihash *mh, size_t *used, const uint8_t *in,
    size_t len, denai_err *err) DENAI_WUR;

/* Returns: the name of a multihash code ("sha2-256", "sha1", "identity",
 * ...), or NULL when this table does not know it. */
const char *denai_multihash_name(uint64_t code);

/*
 * Computes the sha2-256 multihash of data into out (room for
 * DENAI_MH_MAX), its digest truncated to dlen bytes (1 to 32; 32 is the
 * only length CIDs here accept).
 * Returns: the multihash length, or 0 when dlen is out of range.
 */
size_t denai_multihash_sha256(uint8_t *out, size_t dlen, const uint8_t *data,
    size_t n);

/*
 * Checks that mh is a full-length sha2-256 multihash.
 * Returns: 0, or -1 (DENAI_EUNSUP) naming the algorithm or length found.
 */
int denai_multihash_check(const denai_multihash *mh, denai_err *err)
    DENAI_WUR;

/*
 * Checks that data hashes to mh (which must pass denai_multihash_check).
 * Returns: 0, or -1: DENAI_EUNSUP as above, DENAI_EDATA on a mismatch.
 */
int denai_multihash_verify(const denai_multihash *mh, const uint8_t *data,
    size_t n, denai_err *err) DENAI_WUR;

#endif
