/*
 * train/grow_impl.h - what the tree grower's files share (grow.c: the
 * tree, hist.c: histograms, split.c: the split search): a node being
 * grown and the grower's state.
 *
 * A histogram holds, per feature, 256 bins of S int64s (count << 44 |
 * hessian, then K gradient sums) and, after the hsize int64s, 4 words a
 * feature of a bitmap "nz": the bins that may be non-zero. A bin outside
 * nz is zero whatever its memory holds (a histogram built from few rows
 * touches only its rows' bins); every bin with a row is in nz. A "dense"
 * histogram has every bin below nbins written (zero or not).
 */
#ifndef DENAI_TRAIN_GROW_IMPL_H
#define DENAI_TRAIN_GROW_IMPL_H

#include "train/train_impl.h"

#define TG_MAXT 64		/* threads of one job */
/* int64s a feature of a one-channel histogram: 256 bins and a pad, so
 * that features are not 4 KiB apart (loads and stores to the same bin of
 * neighbouring features would alias) */
#define TG_STRIDE1 (2 * 256 + 8)

typedef struct cand {
	int node;
	size_t start, end;	/* its rows: idx[start..end) */
	int64_t n, h;
	int64_t *g;		/* K */
	int64_t *hist;		/* NULL when it cannot split */
	int dense;		/* every bin of hist written */
	int ok;			/* a split was found */
	double gain;
	int feat, bin;
	int64_t ln, lh;
	int64_t *lg;		/* K */
} cand;

typedef struct grower {
	const tbins *b;
	const tgrow_params *p;
	const int64_t *g, *h;
	uint64_t gmax;		/* K = 1: the largest |g| of the tree's rows */
	tview v[TG_MAXT];	/* each thread's rows; v[0].idx is the caller's */
	int nv;			/* threads a job may run on */
	size_t *off;		/* per feature offset in a histogram */
	size_t hsize;		/* int64s per histogram, before its nz */
	int S;			/* int64s per bin: count|h, g[K] */
	uint32_t *perm;
	/* one job (grow.c): each thread splits its rows of `split` (may be
	 * NULL), builds `build` from its rows, then large -= build (large
	 * may be NULL), then searches scan[0..nscan) */
	cand *split, *build, *large;
	int init;		/* the root's job: copy the caller's rows */
	size_t n;		/* the tree's rows */
	cand *scan[2];
	uint8_t *mask[2];	/* features searched, per scanned node */
	double parent[2];	/* their scores */
	int nscan;
	cand tbest[2][TG_MAXT];	/* each thread's best, per scanned node */
	int64_t *tlg;		/* their lg: 2 x TG_MAXT x K */
} grower;

static inline uint64_t *
tg_nz(const grower *w, const cand *c)
{
	return (uint64_t *)(c->hist + w->hsize);
}

/* The one-channel split test (split.c says why it is exact): a candidate
 * that PRUNE's bound turns away cannot beat the best gain so far. */
#define TG_PRUNE (1.0 - 1e-9)

/* One channel: takes the split at bin b of feature f (left: ln rows,
 * hessian lh, gradient lg; right gradient rg) into c when it beats c's
 * gain; *t is the bound of the best so far, (parent + gain) * TG_PRUNE. */
static inline void
tg_take(cand *c, size_t f, int b, int64_t ln, int64_t lh, int64_t lg,
    int64_t rg, int64_t hh, double l2, double parent, double *t)
{
	double dl = (double)lh + l2, dr = (double)(hh - lh) + l2;
	double la, ra, gain;

	if (dl <= 0 || dr <= 0)
		return;
	la = (double)lg * (double)lg;
	ra = (double)rg * (double)rg;
	/* without dividing: a candidate this test turns away cannot beat
	 * the best */
	if (la * dr + ra * dl < *t * (dl * dr))
		return;
	gain = la / dl + ra / dr - parent;
	if (gain > c->gain) {
		c->ok = 1;
		c->gain = gain;
		c->feat = (int)f;
		c->bin = b;
		c->ln = ln;
		c->lh = lh;
		c->lg[0] = lg;
		*t = (parent + gain) * TG_PRUNE;
	}
}

/*
 * One channel: the split candidates of feature f of node, in bin order:
 * the bins of nz up to the last a split may end, from the first with
 * min_leaf rows on the left to the last with min_leaf rows on the right.
 * Out: per candidate, the left side's count|hessian (pc) and gradient
 * (pg) and the bin (pb); each array holds 256. Returns: how many.
 */
static inline int
tg_window(const grower *w, const cand *node, size_t f, int64_t *pc,
    int64_t *pg, uint8_t *pb)
{
	const int64_t *H = node->hist + w->off[f];
	const uint64_t *nz = tg_nz(w, node) + 4 * f;
	int64_t minl = w->p->min_leaf, lg = 0;
	uint64_t cum = 0, minc = (uint64_t)minl << TH_SHIFT;
	uint64_t maxc = (uint64_t)(node->n - minl + 1) << TH_SHIFT;
	int last = w->b->nbins[f] - 2;	/* the last bin a split may end */
	int n = 0;

	for (int wd = 0; wd <= last >> 6; wd++) {
		uint64_t m = nz[wd];

		if (wd == last >> 6 && (last & 63) != 63)
			m &= ((uint64_t)2 << (last & 63)) - 1;
		for (; m != 0; m &= m - 1) {
			int b = wd * 64 + __builtin_ctzll(m);

			cum += (uint64_t)H[2 * (size_t)b];
			lg += H[2 * (size_t)b + 1];
			if (cum < minc)
				continue;
			if (cum >= maxc)
				return n;	/* and every later bin */
			pc[n] = (int64_t)cum;
			pg[n] = lg;
			pb[n++] = (uint8_t)b;
		}
	}
	return n;
}

/* hist.c: c's histogram for features [f0, f1) from its rows in thread
 * t's order (dense, or only the rows' bins for a small node); then
 * large's minus small's. */
void denai_thist_build(grower *w, int t, cand *c, size_t f0, size_t f1);
int denai_thist_is_dense(const grower *w, const cand *c);
void denai_thist_sub(const grower *w, cand *large, const cand *small,
    size_t f0, size_t f1);
/* Gathers c's rows' gradients into thread t's og (and oh), before a
 * dense build. */
void denai_thist_gather(grower *w, int t, const cand *c);

/* split.c: the node's score, the features to search at a node, and the
 * best split of feature f into *best when it beats best->gain. */
double denai_tsplit_score(const int64_t *g, int K, int64_t h, double l2);
void denai_tsplit_pick(grower *w, uint8_t *mask);
void denai_tsplit_scan(const grower *w, const cand *node, cand *best,
    size_t f, double parent);
/* scan_avx2.c: one channel, four candidates at a time, the split scan1
 * finds; for a node whose gradient sums stay below TG_VEC_BOUND (rows
 * times the largest |g|), on a CPU with AVX2 */
#define TG_VEC_BOUND ((uint64_t)1 << 51)
void denai_tsplit_scan1_avx2(const grower *w, const cand *node, cand *best,
    size_t f, double parent);

#endif
