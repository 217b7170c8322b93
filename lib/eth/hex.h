/*
 * hex.h - hex strings and byte strings.
 *
 * Input rules: an optional "0x"/"0X" prefix; digits in either case; an odd
 * number of digits is read as if a leading 0 were present (as quantities
 * are written in JSON-RPC) only where the function says so.
 */
#ifndef DENAI_HEX_H
#define DENAI_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * Decodes hex text (len characters, not NUL-terminated necessarily) into
 * out, which holds cap bytes. Odd-length input is refused unless allow_odd.
 * Out: *outlen, the byte count written (may be NULL).
 * Returns: 0, or -1 naming the first bad character and its position, an odd
 * length, or an output buffer too small.
 */
int denai_hex_decode(uint8_t *out, size_t cap, size_t *outlen,
    const char *hex, size_t len, int allow_odd, denai_err *err) DENAI_WUR;

/* Decodes exactly n bytes (2n digits after an optional 0x).
 * Returns: 0, or -1 when the text is not exactly that long or not hex. */
int denai_hex_decode_exact(uint8_t *out, size_t n, const char *hex,
    denai_err *err) DENAI_WUR;

/* Writes "0x" and 2n lowercase digits and a NUL into out, which must hold
 * 2n + 3 bytes. Returns: out. */
char *denai_hex_encode(char *out, const uint8_t *in, size_t n);

/* Returns: a new malloc'd "0x..." string for n bytes, or NULL on no memory. */
char *denai_hex_dup(const uint8_t *in, size_t n);

/* Returns: the value 0-15 of a hex digit, or -1. */
int denai_hex_digit(int c);

#endif
