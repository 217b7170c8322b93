/*
 * multibase.h - self-describing base encodings: a one-character prefix
 * names the base ('b' base32 lower, 'z' base58btc, 'f' base16, ...).
 *
 * Supported: base2 '0', base8 '7', base10 '9', base16 'f' 'F', base32hex
 * 'v' 'V', base32hexpad 't' 'T', base32 'b' 'B', base32pad 'c' 'C', base32z
 * 'h', base36 'k' 'K', base58flickr 'Z', base58btc 'z', base64 'm',
 * base64pad 'M', base64url 'u', base64urlpad 'U'. Others (base256emoji,
 * identity) are refused, naming the prefix.
 *
 * Decoding the case-insensitive bases (2, 8, 10, 16, 32*, 36) accepts
 * either case; encoding writes the case the prefix names.
 */
#ifndef DENAI_MULTIBASE_H
#define DENAI_MULTIBASE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Returns: the base's name for a prefix ("base32"), or NULL if unknown. */
const char *denai_multibase_name(char prefix);

/* Returns: the prefix character for a base's name, or 0 if unknown. */
char denai_multibase_prefix(const char *name);

/*
 * Encodes n bytes in the base named by prefix, prefix first, into out
 * (cap bytes) and NUL-terminates it.
 * Returns: 0, or -1 (DENAI_EUNSUP) for an unknown prefix, (DENAI_EUSAGE)
 * when out is too small or the input too long for a radix base (over
 * DENAI_BASE58_MAX bytes).
 */
int denai_multibase_encode(char *out, size_t cap, char prefix,
    const uint8_t *in, size_t n, denai_err *err) DENAI_WUR;

/*
 * Decodes multibase text (len characters: prefix then digits) into out
 * (cap bytes).
 * Out: *outlen, the byte count; *prefix (may be NULL), the prefix seen.
 * Returns: 0, or -1: DENAI_EUNSUP naming an unknown prefix, DENAI_EDATA
 * naming a bad character and its position, a bad length or padding, or
 * output over cap.
 */
int denai_multibase_decode(uint8_t *out, size_t cap, size_t *outlen,
    char *prefix, const char *text, size_t len, denai_err *err) DENAI_WUR;

/* Returns: an upper bound on the encoded length of n bytes, prefix and NUL
 * included, for any supported base. */
size_t denai_multibase_encoded_max(size_t n);

#endif
