/*
 * keccak.h - Keccak-256 as Ethereum uses it (original padding 0x01, not
 * SHA3's 0x06), over our own portable Keccak-f[1600].
 *
 * The context is fixed-size, owned by the caller, has no interior pointers
 * and may be copied to fork a hash.
 */
#ifndef DENAI_KECCAK_H
#define DENAI_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define DENAI_KECCAK256_RATE 136	/* bytes absorbed per permutation */

typedef struct denai_keccak_ctx {
	uint64_t st[25];	/* lanes, little-endian byte order within */
	size_t pos;		/* bytes absorbed into the current block */
} denai_keccak_ctx;

/* The Keccak-f[1600] permutation, 24 rounds, in place. */
void denai_keccak_f1600(uint64_t st[25]);

/* Round constants, for SIMD implementations that share them. */
extern const uint64_t denai_keccak_rc[24];

void denai_keccak256_init(denai_keccak_ctx *ctx);
void denai_keccak256_update(denai_keccak_ctx *ctx, const void *in, size_t len);
/* Out: the 32-byte digest. The context must be initialised again to reuse. */
void denai_keccak256_final(denai_keccak_ctx *ctx, uint8_t out[32]);

/* One-shot Keccak-256 of len bytes. */
void denai_keccak256(uint8_t out[32], const void *in, size_t len);

#endif
