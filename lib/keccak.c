/* keccak.c - portable Keccak-f[1600] and Keccak-256. */
#include "keccak.h"

#include <string.h>

const uint64_t denai_keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL(x, n) (((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

/*
 * One round as theta, then rho and pi together, then chi and iota, on 25
 * named lanes kept in registers. Lane (x, y) is a[x + 5y].
 */
void
denai_keccak_f1600(uint64_t a[25])
{
	uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
	uint64_t b[25];

	for (int r = 0; r < 24; r++) {
		c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
		c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
		c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
		c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
		c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
		d0 = c4 ^ ROL(c1, 1);
		d1 = c0 ^ ROL(c2, 1);
		d2 = c1 ^ ROL(c3, 1);
		d3 = c2 ^ ROL(c4, 1);
		d4 = c3 ^ ROL(c0, 1);

		/* b[y + 5*((2x + 3y) % 5)] = rol(a[x + 5y] ^ d[x], r[x][y]) */
		b[0]  = a[0] ^ d0;
		b[10] = ROL(a[1] ^ d1, 1);
		b[20] = ROL(a[2] ^ d2, 62);
		b[5]  = ROL(a[3] ^ d3, 28);
		b[15] = ROL(a[4] ^ d4, 27);
		b[16] = ROL(a[5] ^ d0, 36);
		b[1]  = ROL(a[6] ^ d1, 44);
		b[11] = ROL(a[7] ^ d2, 6);
		b[21] = ROL(a[8] ^ d3, 55);
		b[6]  = ROL(a[9] ^ d4, 20);
		b[7]  = ROL(a[10] ^ d0, 3);
		b[17] = ROL(a[11] ^ d1, 10);
		b[2]  = ROL(a[12] ^ d2, 43);
		b[12] = ROL(a[13] ^ d3, 25);
		b[22] = ROL(a[14] ^ d4, 39);
		b[23] = ROL(a[15] ^ d0, 41);
		b[8]  = ROL(a[16] ^ d1, 45);
		b[18] = ROL(a[17] ^ d2, 15);
		b[3]  = ROL(a[18] ^ d3, 21);
		b[13] = ROL(a[19] ^ d4, 8);
		b[14] = ROL(a[20] ^ d0, 18);
		b[24] = ROL(a[21] ^ d1, 2);
		b[9]  = ROL(a[22] ^ d2, 61);
		b[19] = ROL(a[23] ^ d3, 56);
		b[4]  = ROL(a[24] ^ d4, 14);

		for (int y = 0; y < 25; y += 5) {
			uint64_t t0 = b[y], t1 = b[y + 1], t2 = b[y + 2],
			    t3 = b[y + 3], t4 = b[y + 4];
			a[y]     = t0 ^ (~t1 & t2);
			a[y + 1] = t1 ^ (~t2 & t3);
			a[y + 2] = t2 ^ (~t3 & t4);
			a[y + 3] = t3 ^ (~t4 & t0);
			a[y + 4] = t4 ^ (~t0 & t1);
		}
		a[0] ^= denai_keccak_rc[r];
	}
}

static void
xor_byte(uint64_t st[25], size_t i, uint8_t v)
{
	st[i / 8] ^= (uint64_t)v << (8 * (i % 8));
}

static uint64_t
load64le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

void
denai_keccak256_init(denai_keccak_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

void
denai_keccak256_update(denai_keccak_ctx *ctx, const void *in, size_t len)
{
	const uint8_t *p = in;

	while (len > 0 && ctx->pos % 8 != 0) {
		xor_byte(ctx->st, ctx->pos++, *p++);
		len--;
		if (ctx->pos == DENAI_KECCAK256_RATE) {
			denai_keccak_f1600(ctx->st);
			ctx->pos = 0;
		}
	}
	while (len >= 8) {
		ctx->st[ctx->pos / 8] ^= load64le(p);
		ctx->pos += 8;
		p += 8;
		len -= 8;
		if (ctx->pos == DENAI_KECCAK256_RATE) {
			denai_keccak_f1600(ctx->st);
			ctx->pos = 0;
		}
	}
	while (len-- > 0)
		xor_byte(ctx->st, ctx->pos++, *p++);
}

void
denai_keccak256_final(denai_keccak_ctx *ctx, uint8_t out[32])
{
	xor_byte(ctx->st, ctx->pos, 0x01);
	xor_byte(ctx->st, DENAI_KECCAK256_RATE - 1, 0x80);
	denai_keccak_f1600(ctx->st);
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(ctx->st[i / 8] >> (8 * (i % 8)));
}

void
denai_keccak256(uint8_t out[32], const void *in, size_t len)
{
	denai_keccak_ctx ctx;

	denai_keccak256_init(&ctx);
	denai_keccak256_update(&ctx, in, len);
	denai_keccak256_final(&ctx, out);
}
