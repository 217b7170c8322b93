/*
 * train/scan_avx2.c - one channel's split search with the test of split.c
 * four candidates at a time. Built with the ISA's flags, called only when
 * denai_cpu_features() has AVX2.
 *
 * tg_window (grow_impl.h, shared with split.c's scan1) keeps the running
 * sums of the candidates with min_leaf rows on both sides; this tests them
 * four at a time at
 * the best gain when the feature began (a larger best only turns more
 * away: each step of the test is monotone in it), and those it keeps are
 * taken in order by tg_take, as split.c's scan1 takes them: the split
 * found is scan1's, bit for bit. Every integer is below 2^51 in magnitude
 * (the caller checks), so its double is exact.
 */
#include "train/grow_impl.h"

#if defined(__AVX2__)
#include <string.h>

typedef int64_t v4l __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));
typedef double v4d __attribute__((vector_size(32)));

/* x as doubles, exactly when |x| < 2^51: x + 1.5 * 2^52 holds x in its
 * low mantissa bits. */
static inline v4d
to_d(v4l x)
{
	const v4u magic = { 0x4338000000000000, 0x4338000000000000,
	    0x4338000000000000, 0x4338000000000000 };
	const v4d off = { 0x1.8p52, 0x1.8p52, 0x1.8p52, 0x1.8p52 };
	v4u u = (v4u)x + magic;
	v4d d;

	memcpy(&d, &u, sizeof(d));
	return d - off;
}

void
denai_tsplit_scan1_avx2(const grower *w, const cand *node, cand *c,
    size_t f, double parent)
{
	const tgrow_params *p = w->p;
	int64_t G = node->g[0], HH = node->h, minh = p->min_hess;
	double l2 = p->l2, t = (parent + c->gain) * TG_PRUNE;
	const v4l z = { 0, 0, 0, 0 }, lane = { 0, 1, 2, 3 };
	const v4l vminh = z + minh, vhh = z + HH, vg = z + G;
	const v4l mask = z + (int64_t)TH_MASK;
	const v4d dz = { 0, 0, 0, 0 }, vl2 = dz + l2;
	int64_t pc[256 + 4], pg[256 + 4];
	uint8_t pb[256 + 4];
	int n = tg_window(w, node, f, pc, pg, pb);

	for (int i = n; i < n + 3; i++)
		pc[i] = pg[i] = 0;	/* lanes past the last: never taken */
	for (int i0 = 0; i0 < n; i0 += 4) {
		v4l cc, cg, lh, ok;
		v4d dl, dr, la, ra;

		memcpy(&cc, pc + i0, sizeof(cc));
		memcpy(&cg, pg + i0, sizeof(cg));
		lh = cc & mask;
		ok = (lh >= vminh) & (vhh - lh >= vminh) & (lane + i0 < n);
		dl = to_d(lh) + vl2;
		dr = to_d(vhh - lh) + vl2;
		la = to_d(cg);
		ra = to_d(vg - cg);
		la = la * la;
		ra = ra * ra;
		ok &= (dl > dz) & (dr > dz) &
		    (la * dr + ra * dl >= (dz + t) * (dl * dr));
		if ((ok[0] | ok[1] | ok[2] | ok[3]) != 0)
			for (int i = 0; i < 4; i++)
				if (ok[i])
					tg_take(c, f, pb[i0 + i],
					    (int64_t)((uint64_t)cc[i] >> TH_SHIFT),
					    lh[i], cg[i], G - cg[i], HH, l2,
					    parent, &t);
	}
}
#else
/* Not built for x86: never called, as denai_cpu_features() says 0. */
void
denai_tsplit_scan1_avx2(const grower *w, const cand *node, cand *c,
    size_t f, double parent)
{
	(void)w; (void)node; (void)c; (void)f; (void)parent;
}
#endif
