/*
 * u256.h - unsigned 256-bit integers: parse, print, compare, arithmetic.
 *
 * A denai_u256 is a plain value (four 64-bit limbs, least significant
 * first), owned by whoever holds it. Arithmetic wraps modulo 2^256 unless a
 * function says it reports overflow.
 */
#ifndef DENAI_U256_H
#define DENAI_U256_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct denai_u256 {
	uint64_t w[4];		/* w[0] least significant */
} denai_u256;

#define DENAI_U256_DEC_MAX 79	/* 78 digits and a NUL */
#define DENAI_U256_HEX_MAX 67	/* "0x", 64 digits and a NUL */

void denai_u256_from_u64(denai_u256 *r, uint64_t v);
void denai_u256_max(denai_u256 *r);			/* 2^256 - 1 */
int denai_u256_is_zero(const denai_u256 *a);
/* Returns: -1, 0 or 1 as a <, ==, > b. */
int denai_u256_cmp(const denai_u256 *a, const denai_u256 *b);

/* Big-endian 32-byte form, as ABI words and hashes are. */
void denai_u256_from_be32(denai_u256 *r, const uint8_t in[32]);
void denai_u256_to_be32(uint8_t out[32], const denai_u256 *a);

/*
 * Parses decimal digits, or "0x" followed by 1-64 hex digits, of exactly len
 * characters (no sign, no spaces). Returns: 0, or -1 naming the bad
 * character or the overflow.
 */
int denai_u256_parse(denai_u256 *r, const char *s, size_t len,
    denai_err *err) DENAI_WUR;
int denai_u256_parse_dec(denai_u256 *r, const char *s, size_t len,
    denai_err *err) DENAI_WUR;
int denai_u256_parse_hex(denai_u256 *r, const char *s, size_t len,
    denai_err *err) DENAI_WUR;

/* Writes the decimal form (no leading zeros; "0" for zero) into out, which
 * holds DENAI_U256_DEC_MAX bytes. Returns: out. */
char *denai_u256_to_dec(char out[DENAI_U256_DEC_MAX], const denai_u256 *a);
/* Writes "0x" and minimal lowercase hex ("0x0" for zero). Returns: out. */
char *denai_u256_to_hex(char out[DENAI_U256_HEX_MAX], const denai_u256 *a);

/* r = a + b, r = a - b (wrapping). Returns: the carry or borrow (0 or 1). */
int denai_u256_add(denai_u256 *r, const denai_u256 *a, const denai_u256 *b);
int denai_u256_sub(denai_u256 *r, const denai_u256 *a, const denai_u256 *b);
/* r = a * m (wrapping). Returns: 1 if the product overflowed, else 0. */
int denai_u256_mul_small(denai_u256 *r, const denai_u256 *a, uint64_t m);
/* q = a / d, *rem = a % d for d != 0 (rem may be NULL). */
void denai_u256_div_small(denai_u256 *q, uint64_t *rem, const denai_u256 *a,
    uint64_t d);
/* q = a / b, r = a % b (either may be NULL). Returns: 0, or -1 if b is 0. */
int denai_u256_divmod(denai_u256 *q, denai_u256 *r, const denai_u256 *a,
    const denai_u256 *b, denai_err *err) DENAI_WUR;

#endif
