/* pow_scalar.c - the portable PoW scan kernel: one nonce per permutation. */
#include <stdint.h>

static inline uint64_t
bswap64(uint64_t x)
{
	x = (x & 0x00ff00ff00ff00ffULL) << 8 | (x >> 8 & 0x00ff00ff00ff00ffULL);
	x = (x & 0x0000ffff0000ffffULL) << 16 | (x >> 16 & 0x0000ffff0000ffffULL);
	return x << 32 | x >> 32;
}

static inline uint64_t
bswap32(uint32_t x)
{
	return (uint64_t)((x & 0xffu) << 24 | (x & 0xff00u) << 8 |
	    (x >> 8 & 0xff00u) | x >> 24);
}

typedef uint64_t V;
#define W			1
#define V_BCAST(x)		((uint64_t)(x))
#define V_XOR(a, b)		((a) ^ (b))
#define V_XOR5(a, b, c, d, e)	((a) ^ (b) ^ (c) ^ (d) ^ (e))
#define V_ROL(a, n)		((a) << (n) | (a) >> (64 - (n)))
#define V_SHL(a, n)		((a) << (n))
#define V_CHI(a, b, c)		((a) ^ (~(b) & (c)))
#define V_NONCES(x)		bswap32(x)
#define V_CAND(h, t)		(bswap64(h) <= (t) ? 1u : 0u)
#define KERNEL_NAME		denai_pow_scan_scalar
#if defined(__x86_64__) && !defined(__BMI__)
/* No and-not instruction: complement lanes so chi needs fewer NOTs. */
#define KERNEL_LANE_COMPLEMENT
#define V_AND(a, b)		((a) & (b))
#define V_OR(a, b)		((a) | (b))
#define V_NOT(a)		(~(a))
#endif

#include "pow/pow_kernel.h"
