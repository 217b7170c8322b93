/*
 * pow_kernel.h - the body of a PoW scan kernel (see pow_impl.h), written
 * once over W-lane vectors. pow_scalar.c, pow_avx2.c and pow_avx512.c each
 * define the vector type and operations, then include this file:
 *
 *   V, W              the vector type and its number of 64-bit lanes
 *   V_BCAST(x)        x in every lane
 *   V_XOR(a, b)       V_XOR5(a, b, c, d, e)
 *   V_ROL(a, n)       rotate each lane left by a constant 1..63
 *   V_SHL(a, n)       shift each lane left by a constant 1..32
 *   V_CHI(a, b, c)    a ^ (~b & c)
 *   V_NONCES(x)       lane j holds bswap32(x + j), zero-extended
 *   V_CAND(h, t)      bit j set when bswap64(lane j of h) <= t
 *   KERNEL_NAME       the function to define
 *   KERNEL_LOCALS     optional declarations at the top of it (constants)
 *   KERNEL_LANE_COMPLEMENT  when defined, with V_AND, V_OR, V_NOT: rounds
 *                     1-22 keep lanes 1, 2, 8, 12, 17, 20 complemented, so
 *                     that chi needs one NOT per row instead of five (the
 *                     Keccak team's lane complementing), for ISAs without
 *                     an and-not instruction
 *
 * The first round uses the constants of pow_impl.h; rounds 1-22 are the
 * usual theta, rho-pi, chi, iota done one output row at a time (two
 * state copies, a and e, in turn); the last round computes lane 0 only,
 * the hash's first eight bytes, which is all the candidate test needs.
 */
#include "eth/keccak.h"
#include "pow/pow_impl.h"

/* rol(v, n) for v < 2^32: a shift when nothing wraps. */
#define ROLV(x, n)	((n) <= 32 ? V_SHL(x, n) : V_ROL(x, n))
#define KB(i)		V_BCAST(k[i])
#define KV(i, n)	V_XOR(V_BCAST(k[i]), ROLV(v, n))

#define CHI_ROW(E, r0, r1, r2, r3, r4) do {				\
	E##r0 = V_CHI(b0, b1, b2);					\
	E##r1 = V_CHI(b1, b2, b3);					\
	E##r2 = V_CHI(b2, b3, b4);					\
	E##r3 = V_CHI(b3, b4, b0);					\
	E##r4 = V_CHI(b4, b0, b1);					\
} while (0)

#define THETA(A) do {							\
	c0 = V_XOR5(A##00, A##05, A##10, A##15, A##20);			\
	c1 = V_XOR5(A##01, A##06, A##11, A##16, A##21);			\
	c2 = V_XOR5(A##02, A##07, A##12, A##17, A##22);			\
	c3 = V_XOR5(A##03, A##08, A##13, A##18, A##23);			\
	c4 = V_XOR5(A##04, A##09, A##14, A##19, A##24);			\
	d0 = V_XOR(c4, V_ROL(c1, 1));					\
	d1 = V_XOR(c0, V_ROL(c2, 1));					\
	d2 = V_XOR(c1, V_ROL(c3, 1));					\
	d3 = V_XOR(c2, V_ROL(c4, 1));					\
	d4 = V_XOR(c3, V_ROL(c0, 1));					\
} while (0)

#define ROUND(A, E, rc) do {						\
	THETA(A);							\
	b0 = V_XOR(A##00, d0);						\
	b1 = V_ROL(V_XOR(A##06, d1), 44);				\
	b2 = V_ROL(V_XOR(A##12, d2), 43);				\
	b3 = V_ROL(V_XOR(A##18, d3), 21);				\
	b4 = V_ROL(V_XOR(A##24, d4), 14);				\
	CHI_ROW(E, 00, 01, 02, 03, 04);					\
	E##00 = V_XOR(E##00, V_BCAST(rc));				\
	b0 = V_ROL(V_XOR(A##03, d3), 28);				\
	b1 = V_ROL(V_XOR(A##09, d4), 20);				\
	b2 = V_ROL(V_XOR(A##10, d0), 3);				\
	b3 = V_ROL(V_XOR(A##16, d1), 45);				\
	b4 = V_ROL(V_XOR(A##22, d2), 61);				\
	CHI_ROW(E, 05, 06, 07, 08, 09);					\
	b0 = V_ROL(V_XOR(A##01, d1), 1);				\
	b1 = V_ROL(V_XOR(A##07, d2), 6);				\
	b2 = V_ROL(V_XOR(A##13, d3), 25);				\
	b3 = V_ROL(V_XOR(A##19, d4), 8);				\
	b4 = V_ROL(V_XOR(A##20, d0), 18);				\
	CHI_ROW(E, 10, 11, 12, 13, 14);					\
	b0 = V_ROL(V_XOR(A##04, d4), 27);				\
	b1 = V_ROL(V_XOR(A##05, d0), 36);				\
	b2 = V_ROL(V_XOR(A##11, d1), 10);				\
	b3 = V_ROL(V_XOR(A##17, d2), 15);				\
	b4 = V_ROL(V_XOR(A##23, d3), 56);				\
	CHI_ROW(E, 15, 16, 17, 18, 19);					\
	b0 = V_ROL(V_XOR(A##02, d2), 62);				\
	b1 = V_ROL(V_XOR(A##08, d3), 55);				\
	b2 = V_ROL(V_XOR(A##14, d4), 39);				\
	b3 = V_ROL(V_XOR(A##15, d0), 41);				\
	b4 = V_ROL(V_XOR(A##21, d1), 2);				\
	CHI_ROW(E, 20, 21, 22, 23, 24);					\
} while (0)

/*
 * The same round on a state with lanes 1, 2, 8, 12, 17 and 20 complemented,
 * giving the same. Theta and rho-pi are unchanged; each row's chi is
 * rewritten with AND, OR and one NOT for the complemented inputs it meets.
 */
#define ROUND_LC(A, E, rc) do {						\
	THETA(A);							\
	b0 = V_XOR(A##00, d0);						\
	b1 = V_ROL(V_XOR(A##06, d1), 44);				\
	b2 = V_ROL(V_XOR(A##12, d2), 43);				\
	b3 = V_ROL(V_XOR(A##18, d3), 21);				\
	b4 = V_ROL(V_XOR(A##24, d4), 14);				\
	E##00 = V_XOR(V_XOR(b0, V_OR(b1, b2)), V_BCAST(rc));		\
	E##01 = V_XOR(b1, V_OR(V_NOT(b2), b3));				\
	E##02 = V_XOR(b2, V_AND(b3, b4));				\
	E##03 = V_XOR(b3, V_OR(b4, b0));				\
	E##04 = V_XOR(b4, V_AND(b0, b1));				\
	b0 = V_ROL(V_XOR(A##03, d3), 28);				\
	b1 = V_ROL(V_XOR(A##09, d4), 20);				\
	b2 = V_ROL(V_XOR(A##10, d0), 3);				\
	b3 = V_ROL(V_XOR(A##16, d1), 45);				\
	b4 = V_ROL(V_XOR(A##22, d2), 61);				\
	E##05 = V_XOR(b0, V_OR(b1, b2));				\
	E##06 = V_XOR(b1, V_AND(b2, b3));				\
	E##07 = V_XOR(b2, V_OR(b3, V_NOT(b4)));				\
	E##08 = V_XOR(b3, V_OR(b4, b0));				\
	E##09 = V_XOR(b4, V_AND(b0, b1));				\
	b0 = V_ROL(V_XOR(A##01, d1), 1);				\
	b1 = V_ROL(V_XOR(A##07, d2), 6);				\
	b2 = V_ROL(V_XOR(A##13, d3), 25);				\
	b3 = V_ROL(V_XOR(A##19, d4), 8);				\
	b4 = V_ROL(V_XOR(A##20, d0), 18);				\
	E##10 = V_XOR(b0, V_OR(b1, b2));				\
	E##11 = V_XOR(b1, V_AND(b2, b3));				\
	E##12 = V_XOR(b2, V_AND(V_NOT(b3), b4));			\
	E##13 = V_XOR(V_NOT(b3), V_OR(b4, b0));				\
	E##14 = V_XOR(b4, V_AND(b0, b1));				\
	b0 = V_ROL(V_XOR(A##04, d4), 27);				\
	b1 = V_ROL(V_XOR(A##05, d0), 36);				\
	b2 = V_ROL(V_XOR(A##11, d1), 10);				\
	b3 = V_ROL(V_XOR(A##17, d2), 15);				\
	b4 = V_ROL(V_XOR(A##23, d3), 56);				\
	E##15 = V_XOR(b0, V_AND(b1, b2));				\
	E##16 = V_XOR(b1, V_OR(b2, b3));				\
	E##17 = V_XOR(b2, V_OR(V_NOT(b3), b4));				\
	E##18 = V_XOR(V_NOT(b3), V_AND(b4, b0));			\
	E##19 = V_XOR(b4, V_OR(b0, b1));				\
	b0 = V_ROL(V_XOR(A##02, d2), 62);				\
	b1 = V_ROL(V_XOR(A##08, d3), 55);				\
	b2 = V_ROL(V_XOR(A##14, d4), 39);				\
	b3 = V_ROL(V_XOR(A##15, d0), 41);				\
	b4 = V_ROL(V_XOR(A##21, d1), 2);				\
	E##20 = V_XOR(b0, V_AND(V_NOT(b1), b2));			\
	E##21 = V_XOR(V_NOT(b1), V_OR(b2, b3));				\
	E##22 = V_XOR(b2, V_AND(b3, b4));				\
	E##23 = V_XOR(b3, V_OR(b4, b0));				\
	E##24 = V_XOR(b4, V_AND(b0, b1));				\
} while (0)

#ifdef KERNEL_LANE_COMPLEMENT
#define ROUND_1_22	ROUND_LC
#else
#define ROUND_1_22	ROUND
#endif

long
KERNEL_NAME(const struct denai_pow_pre *pre, uint32_t lo, uint32_t count)
{
	const uint64_t *k = pre->k;
	V a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12;
	V a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24;
	V e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12;
	V e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
	V b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, v, h;
	uint64_t i;
	unsigned m;
#ifdef KERNEL_LOCALS
	KERNEL_LOCALS
#endif

	for (i = 0; i < count; i += W) {
		v = V_NONCES((uint32_t)(lo + i));

		/* Round 0: only the lanes that v reaches are computed. */
		b0 = KB(0); b1 = KV(1, 44); b2 = KB(2); b3 = KB(3);
		b4 = KV(4, 15);
		CHI_ROW(a, 00, 01, 02, 03, 04);
		a00 = V_XOR(a00, V_BCAST(denai_keccak_rc[0]));
		b0 = KB(5); b1 = KV(6, 21); b2 = KV(7, 3); b3 = KV(8, 45);
		b4 = KB(9);
		CHI_ROW(a, 05, 06, 07, 08, 09);
		b0 = KV(10, 1); b1 = KB(11); b2 = KB(12); b3 = KV(13, 9);
		b4 = KB(14);
		CHI_ROW(a, 10, 11, 12, 13, 14);
		b0 = KV(15, 28); b1 = KB(16); b2 = KV(17, 10); b3 = KB(18);
		b4 = KB(19);
		CHI_ROW(a, 15, 16, 17, 18, 19);
		b0 = KB(20); b1 = KB(21); b2 = KV(22, 40); b3 = KB(23);
		b4 = KV(24, 2);
		CHI_ROW(a, 20, 21, 22, 23, 24);
#ifdef KERNEL_LANE_COMPLEMENT
		a01 = V_NOT(a01); a02 = V_NOT(a02); a08 = V_NOT(a08);
		a12 = V_NOT(a12); a17 = V_NOT(a17); a20 = V_NOT(a20);
#endif

		for (int r = 1; r < 23; r += 2) {
			ROUND_1_22(a, e, denai_keccak_rc[r]);
			ROUND_1_22(e, a, denai_keccak_rc[r + 1]);
		}

		/* Round 23, lane 0 only. */
		c0 = V_XOR5(a00, a05, a10, a15, a20);
		c1 = V_XOR5(a01, a06, a11, a16, a21);
		c2 = V_XOR5(a02, a07, a12, a17, a22);
		c3 = V_XOR5(a03, a08, a13, a18, a23);
		c4 = V_XOR5(a04, a09, a14, a19, a24);
		d0 = V_XOR(c4, V_ROL(c1, 1));
		d1 = V_XOR(c0, V_ROL(c2, 1));
		d2 = V_XOR(c1, V_ROL(c3, 1));
#ifdef KERNEL_LANE_COMPLEMENT
		/* c0-c3, d0, a12 complemented: chi becomes b0 ^ (b1 | b2). */
		h = V_XOR(V_XOR(a00, d0), V_OR(V_ROL(V_XOR(a06, d1), 44),
		    V_ROL(V_XOR(a12, d2), 43)));
#else
		h = V_CHI(V_XOR(a00, d0), V_ROL(V_XOR(a06, d1), 44),
		    V_ROL(V_XOR(a12, d2), 43));
#endif
		h = V_XOR(h, V_BCAST(denai_keccak_rc[23]));

		m = V_CAND(h, pre->target_hi);
		if (count - i < W)
			m &= (1u << (count - i)) - 1;
		if (m != 0)
			return (long)(i + (unsigned)__builtin_ctz(m));
	}
	return -1;
}
