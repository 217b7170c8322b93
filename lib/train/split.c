/*
 * train/split.c - the split search of one node. A split's gain is
 *   sum_k GL_k^2 / (HL + l2) + GR_k^2 / (HR + l2) - G_k^2 / (H + l2)
 * computed in double from the integer sums in one fixed order; the best is
 * the largest positive gain, ties to the lower feature, then the lower bin.
 * An empty bin is skipped: its candidate repeats the one before it (the
 * same sums, the same gain, and a tie keeps the first), so scanning only
 * the bins of the histogram's nz finds the same split as scanning all.
 *
 * One channel, most candidates are turned away without a division. With
 * A = fl(GL^2), B = fl(GR^2), P the parent's score, C >= 0 the best gain so
 * far and u = 2^-53, the computed gain fl(fl(fl(A/dl) + fl(B/dr)) - P)
 * can exceed C only if X (1+u)^3 > P + C, X = A/dl + B/dr exactly (each
 * rounding gains at most a factor 1 + u, all terms being >= 0). The test
 *   fl(fl(A dr) + fl(B dl)) < fl(fl(fl(P + C) TG_PRUNE) fl(dl dr))
 * errs by a few u, far below TG_PRUNE's 1e-9: when it holds, X (1+u)^3 <
 * P + C, so the candidate would lose to C; the split found is the one the
 * divisions find, only sooner.
 */
#include "train/grow_impl.h"

#include <stdatomic.h>

#include <string.h>

#include "cpu.h"


double
denai_tsplit_score(const int64_t *g, int K, int64_t h, double l2)
{
	double s = 0, d = (double)h + l2;

	for (int k = 0; k < K; k++)
		s += (double)g[k] * (double)g[k] / d;
	return s;
}

/* Marks the features searched at a node: all, or max_features drawn
 * without replacement by a partial Fisher-Yates shuffle. */
void
denai_tsplit_pick(grower *w, uint8_t *mask)
{
	size_t cols = w->b->cols, mf = (size_t)w->p->max_features;

	if (mf == 0 || mf >= cols) {
		memset(mask, 1, cols);
		return;
	}
	memset(mask, 0, cols);
	for (size_t i = 0; i < cols; i++)
		w->perm[i] = (uint32_t)i;
	for (size_t i = 0; i < mf; i++) {
		size_t j = i + (size_t)denai_rng_below(w->p->rng, cols - i);
		uint32_t t = w->perm[i];

		w->perm[i] = w->perm[j];
		w->perm[j] = t;
		mask[w->perm[i]] = 1;
	}
}

/* One channel: the bins of nz below the last, in order. */
static void
scan1(const grower *w, const cand *node, cand *c, size_t f, double parent)
{
	const tgrow_params *p = w->p;
	const int64_t *H = node->hist + w->off[f];
	const uint64_t *nz = tg_nz(w, node) + 4 * f;
	uint64_t cum = 0;
	int64_t lg = 0, G = node->g[0], N = node->n, HH = node->h;
	int64_t minl = p->min_leaf, minh = p->min_hess;
	double l2 = p->l2, t = (parent + c->gain) * TG_PRUNE;
	int last = w->b->nbins[f] - 2;	/* the last bin a split may end */

	for (int wd = 0; wd <= last >> 6; wd++) {
		uint64_t m = nz[wd];

		if (wd == last >> 6 && (last & 63) != 63)
			m &= ((uint64_t)2 << (last & 63)) - 1;
		for (; m != 0; m &= m - 1) {
			int b = wd * 64 + __builtin_ctzll(m);
			const int64_t *q = H + 2 * (size_t)b;
			int64_t ln, lh;

			cum += (uint64_t)q[0];
			lg += q[1];
			ln = (int64_t)(cum >> TH_SHIFT);
			lh = (int64_t)(cum & TH_MASK);
			if (ln < minl)
				continue;
			if (N - ln < minl)
				return;
			if (lh < minh || HH - lh < minh)
				continue;
			tg_take(c, f, b, ln, lh, lg, G - lg, HH, l2, parent, &t);
		}
	}
}

/* K channels: every bin (the histogram is dense). */
static void
scan_k(const grower *w, const cand *c0, cand *c, size_t f, double parent)
{
	const tgrow_params *p = w->p;
	int K = p->K, S = w->S;
	int64_t lg[DENAI_TRAIN_MAX_CLASSES], rg[DENAI_TRAIN_MAX_CLASSES];
	const int64_t *H = c0->hist + w->off[f];
	uint64_t cum = 0;
	int nb = w->b->nbins[f];

	memset(lg, 0, (size_t)K * sizeof(*lg));
	for (int b = 0; b < nb - 1; b++) {
		const int64_t *q = H + (size_t)b * S;
		int64_t ln, lh;
		double gain;

		cum += (uint64_t)q[0];
		for (int k = 0; k < K; k++)
			lg[k] += q[1 + k];
		ln = (int64_t)(cum >> TH_SHIFT);
		lh = (int64_t)(cum & TH_MASK);
		if (ln < p->min_leaf)
			continue;
		if (c0->n - ln < p->min_leaf)
			break;
		if (lh < p->min_hess || c0->h - lh < p->min_hess ||
		    (double)lh + p->l2 <= 0 ||
		    (double)(c0->h - lh) + p->l2 <= 0)
			continue;
		for (int k = 0; k < K; k++)
			rg[k] = c0->g[k] - lg[k];
		gain = denai_tsplit_score(lg, K, lh, p->l2) +
		    denai_tsplit_score(rg, K, c0->h - lh, p->l2) - parent;
		if (gain > c->gain) {
			c->ok = 1;
			c->gain = gain;
			c->feat = (int)f;
			c->bin = b;
			c->ln = ln;
			c->lh = lh;
			memcpy(c->lg, lg, (size_t)K * sizeof(*lg));
		}
	}
}

/* Whether the CPU has AVX2 (asked once: cpuid traps under some
 * hypervisors). */
static int
vec(void)
{
	static atomic_uint cached;
	unsigned f = atomic_load_explicit(&cached, memory_order_relaxed);

	if (f == 0) {
		f = denai_cpu_features() | 0x80000000u;
		atomic_store_explicit(&cached, f, memory_order_relaxed);
	}
	return (f & DENAI_CPU_AVX2) != 0;
}

void
denai_tsplit_scan(const grower *w, const cand *node, cand *best, size_t f,
    double parent)
{
	if (w->b->nbins[f] < 2)
		return;
	if (w->p->K == 1) {
		if (vec() && (uint64_t)node->n < TG_VEC_BOUND / (w->gmax + 1))
			denai_tsplit_scan1_avx2(w, node, best, f, parent);
		else
			scan1(w, node, best, f, parent);
	}
	else
		scan_k(w, node, best, f, parent);
}
