/*
 * base58.h - base58 with the Bitcoin alphabet (base58btc), as CIDv0 and
 * multibase 'z' use it, and with the Flickr alphabet. Leading zero bytes
 * map to leading '1' characters (or the alphabet's first character).
 * The conversion is quadratic: meant for identifiers, not bulk data, so
 * inputs are capped at DENAI_BASE58_MAX bytes.
 *
 * The same big-number conversion serves any alphabet of 10 to 64 distinct
 * characters (its length is the radix): multibase base10 and base36 use it.
 */
#ifndef DENAI_BASE58_H
#define DENAI_BASE58_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DENAI_BASE58_MAX 1024

extern const char denai_base58_btc[];	/* "123...xyz", 58 characters */
extern const char denai_base58_flickr[];

/*
 * Encodes n bytes with alphabet (one of the above) into out, which holds
 * cap bytes, and NUL-terminates it.
 * Returns: 0, or -1 (DENAI_EUSAGE) when n > DENAI_BASE58_MAX or out is
 * too small.
 */
int denai_base58_encode(char *out, size_t cap, const uint8_t *in, size_t n,
    const char *alphabet, denai_err *err) DENAI_WUR;

/*
 * Decodes len characters of text into out (cap bytes).
 * Out: *outlen, the byte count.
 * Returns: 0, or -1 (DENAI_EDATA) naming the first character outside the
 * alphabet and its position, or when the result does not fit.
 */
int denai_base58_decode(uint8_t *out, size_t cap, size_t *outlen,
    const char *text, size_t len, const char *alphabet, denai_err *err)
    DENAI_WUR;

#endif
