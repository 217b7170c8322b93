/*
 * pow_impl.h - what pow.c shares with its scan kernels (pow_scalar.c,
 * pow_avx2.c, pow_avx512.c); not part of the library's interface.
 *
 * The 84-byte message fills lanes 0-10 of the Keccak state; the nonce's
 * last four bytes are the low half of lane 10 (byte-swapped, as lanes are
 * little-endian). A kernel runs nonces whose upper 224 bits are fixed, so
 * only that half-lane changes, and the first round is mostly constant:
 * after theta, rho and pi the 25 lanes b[i] (row-major, as chi reads them)
 * are k[i] for 14 of them and k[i] ^ rol(v, r) for 11, where v is the
 * changing half-lane. pow.c computes k once per range of 2^32 nonces.
 */
#ifndef DENAI_POW_IMPL_H
#define DENAI_POW_IMPL_H

#include <stdint.h>

struct denai_pow_pre {
	uint64_t k[25];		/* round 0 after theta, rho, pi, with v = 0 */
	uint64_t target_hi;	/* the target's first 64 bits, big-endian */
};

/*
 * Scans the nonces whose low 32 bits run lo .. lo + count - 1 (count >= 1,
 * lo + count <= 2^32) under pre.
 * Returns: the offset of the first one whose hash's first 64 bits, read
 * big-endian, are <= pre->target_hi (a candidate pow.c checks in full), or
 * -1 when there is none.
 */
typedef long (*denai_pow_scan_fn)(const struct denai_pow_pre *pre,
    uint32_t lo, uint32_t count);

long denai_pow_scan_scalar(const struct denai_pow_pre *, uint32_t, uint32_t);
long denai_pow_scan_avx2(const struct denai_pow_pre *, uint32_t, uint32_t);
long denai_pow_scan_avx512(const struct denai_pow_pre *, uint32_t, uint32_t);

#endif
