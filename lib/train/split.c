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

/* One channel: the candidates of tg_window, in order. */
static void
scan1(const grower *w, const cand *node, cand *c, size_t f, double parent)
{
	int64_t G = node->g[0], HH = node->h, minh = w->p->min_hess;
	double l2 = w->p->l2, t = (parent + c->gain) * TG_PRUNE;
	int64_t pc[256], pg[256];
	uint8_t pb[256];
	int n = tg_window(w, node, f, pc, pg, pb);

	for (int i = 0; i < n; i++) {
		int64_t lh = pc[i] & (int64_t)TH_MASK;

		if (lh < minh || HH - lh < minh)
			continue;
		tg_take(c, f, pb[i], (int64_t)((uint64_t)pc[i] >> TH_SHIFT), lh,
		    pg[i], G - pg[i], HH, l2, parent, &t);
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

void
denai_tsplit_scan(const grower *w, const cand *node, cand *best, size_t f,
    double parent)
{
	if (w->b->nbins[f] < 2)
		return;
	if (w->p->K == 1) {
		if ((denai_cpu_features() & DENAI_CPU_AVX2) != 0 &&
		    (uint64_t)node->n < TG_VEC_BOUND / (w->gmax + 1))
			denai_tsplit_scan1_avx2(w, node, best, f, parent);
		else
			scan1(w, node, best, f, parent);
	}
	else
		scan_k(w, node, best, f, parent);
}
