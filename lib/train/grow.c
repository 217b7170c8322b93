/*
 * train/grow.c - one tree grown leaf-wise on integer histograms.
 *
 * A node's histogram holds, per feature and bin, the row count and the
 * hessian sum packed in one uint64 (count << 44 | hessian: hessians are
 * below 2^44 / rows) and K int64 gradient sums, all fixed point, so a
 * histogram is the same whatever order rows are added in (a node with
 * every row is summed in row order, without gathering). Of two children the one
 * with fewer rows is built from its rows, the other is its parent's
 * histogram minus it. The open leaf with the largest gain splits next (ties:
 * the lower node number), until max_leaves leaves. A split's gain is
 *   sum_k GL_k^2 / (HL + l2) + GR_k^2 / (HR + l2) - G_k^2 / (H + l2)
 * computed in double from the integer sums in one fixed order; the best is
 * the largest positive gain, ties to the lower feature, then the lower bin.
 * Histograms are built with the features split across threads.
 */
#include "train/train_impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct cand {
	int node;
	size_t start, end;
	int64_t n, h;
	int64_t *g;		/* K */
	int64_t *hist;		/* NULL when it cannot split */
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
	uint32_t *idx, *tmp;
	int64_t *og;		/* a node's gradients in node order */
	uint64_t *oh;		/* its packed count and hessian */
	size_t *off;		/* per feature offset in a histogram */
	size_t hsize;		/* int64s per histogram */
	int S;			/* int64s per bin: count|h, g[K] */
	int full;		/* the node being built has every row */
	/* split search on threads: one best per thread */
	cand *sc;
	cand tbest[64];
	int64_t tlg[64];
	double sparent;
	uint8_t *mask;		/* features searched at this node */
	uint32_t *perm;
	/* the histogram being built */
	int64_t *hist;
	size_t hs, he;
} grower;

/* One channel, row-wise: each row's bins are one cache line of the
 * row-major copy, added for this thread's run of features. */
static void
build_part1(grower *w, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	size_t cols = b->cols;
	const uint8_t *rb = b->rowbin;
	int64_t *hist = w->hist;
	const size_t *off = w->off;

	for (size_t f = f0; f < f1; f++)
		memset(hist + off[f], 0, (size_t)b->nbins[f] * 2 *
		    sizeof(*hist));
	if (w->full) {
		for (size_t r = 0; r < b->rows; r++) {
			const uint8_t *row = rb + r * cols;
			uint64_t hp = (uint64_t)w->h[r] + TH_ONE;
			int64_t g = w->g[r];

			for (size_t f = f0; f < f1; f++) {
				int64_t *q = hist + 512 * f + 2 * (size_t)row[f];

				q[0] = (int64_t)((uint64_t)q[0] + hp);
				q[1] += g;
			}
		}
		return;
	}
	for (size_t i = w->hs; i < w->he; i++) {
		const uint8_t *row = rb + (size_t)w->idx[i] * cols;
		uint64_t hp = w->oh[i];
		int64_t g = w->og[i];

		for (size_t f = f0; f < f1; f++) {
			int64_t *q = hist + 512 * f + 2 * (size_t)row[f];

			q[0] = (int64_t)((uint64_t)q[0] + hp);
			q[1] += g;
		}
	}
}

static void
build_part(void *ctx, int t, int nt)
{
	grower *w = ctx;
	const tbins *b = w->b;
	int K = w->p->K, S = w->S;
	size_t rows = b->rows;

	if (K == 1) {
		build_part1(w, b->cols * (size_t)t / (size_t)nt,
		    b->cols * (size_t)(t + 1) / (size_t)nt);
		return;
	}
	for (size_t f = (size_t)t; f < b->cols; f += (size_t)nt) {
		int64_t *H = w->hist + w->off[f];
		const uint8_t *col = b->bin + f * rows;
		const uint32_t *idx = w->idx;

		memset(H, 0, (size_t)b->nbins[f] * (size_t)S * sizeof(*H));
		for (size_t i = w->hs; i < w->he; i++) {
			int64_t *q = H + (size_t)S * col[idx[i]];
			const int64_t *gi = w->og + i * (size_t)K;

			q[0] = (int64_t)((uint64_t)q[0] + w->oh[i]);
			for (int k = 0; k < K; k++)
				q[1 + k] += gi[k];
		}
	}
}

static void
build_hist(grower *w, int64_t *hist, size_t s, size_t e)
{
	int K = w->p->K, nt = w->p->threads;

	w->full = K == 1 && s == 0 && e == w->b->rows;
	if (!w->full)
		for (size_t i = s; i < e; i++) {
			uint32_t r = w->idx[i];

			w->oh[i] = (uint64_t)w->h[r] + TH_ONE;
			for (int k = 0; k < K; k++)
				w->og[i * (size_t)K + k] =
				    w->g[(size_t)r * K + k];
		}
	w->hist = hist;
	w->hs = s;
	w->he = e;
	if ((e - s) * w->b->cols < (1u << 14))
		nt = 1;
	if (nt > (int)w->b->cols)
		nt = (int)w->b->cols;
	if (w->p->pool != NULL)
		denai_tpool_run(w->p->pool, nt, build_part, w);
	else
		denai_tpar_run(nt, build_part, w);
}

/* Marks the features searched at this node: all, or max_features drawn
 * without replacement by a partial Fisher-Yates shuffle. */
static void
pick_features(grower *w)
{
	size_t cols = w->b->cols, mf = (size_t)w->p->max_features;

	if (mf == 0 || mf >= cols) {
		memset(w->mask, 1, cols);
		return;
	}
	memset(w->mask, 0, cols);
	for (size_t i = 0; i < cols; i++)
		w->perm[i] = (uint32_t)i;
	for (size_t i = 0; i < mf; i++) {
		size_t j = i + (size_t)denai_rng_below(w->p->rng, cols - i);
		uint32_t t = w->perm[i];

		w->perm[i] = w->perm[j];
		w->perm[j] = t;
		w->mask[w->perm[i]] = 1;
	}
}

static double
score(const int64_t *g, int K, int64_t h, double l2)
{
	double s = 0, d = (double)h + l2;

	for (int k = 0; k < K; k++)
		s += (double)g[k] * (double)g[k] / d;
	return s;
}

/* find_split's scan of feature f for one channel: the same arithmetic,
 * in the same order, without the per-channel loops; the best goes to *c. */
static void
find_split1(grower *w, const cand *node, cand *c, size_t f, double parent)
{
	const tgrow_params *p = w->p;
	const int64_t *H = node->hist + w->off[f];
	uint64_t cum = 0;
	int64_t lg = 0, G = node->g[0], N = node->n, HH = node->h;
	int64_t minl = p->min_leaf, minh = p->min_hess;
	double l2 = p->l2;
	int nb = w->b->nbins[f];

	for (int b = 0; b < nb - 1; b++) {
		const int64_t *q = H + 2 * (size_t)b;
		double dl, dr, gain;
		int64_t rg, ln, lh;

		/* no test for an empty bin: its candidate repeats the one
		 * before (same sums, same gain, and ties keep the first), and
		 * the branch on sparse bins mispredicts */
		cum += (uint64_t)q[0];
		lg += q[1];
		ln = (int64_t)(cum >> TH_SHIFT);
		lh = (int64_t)(cum & TH_MASK);
		if (ln < minl)
			continue;
		if (N - ln < minl)
			break;
		dl = (double)lh + l2;
		dr = (double)(HH - lh) + l2;
		if (lh < minh || HH - lh < minh || dl <= 0 || dr <= 0)
			continue;
		rg = G - lg;
		gain = (double)lg * (double)lg / dl +
		    (double)rg * (double)rg / dr - parent;
		if (gain > c->gain) {
			c->ok = 1;
			c->gain = gain;
			c->feat = (int)f;
			c->bin = b;
			c->ln = ln;
			c->lh = lh;
			c->lg[0] = lg;
		}
	}
}

/* One thread's share of a one-channel split search. */
static void
split_part(void *ctx, int t, int nt)
{
	grower *w = ctx;
	cand *best = &w->tbest[t];

	best->ok = 0;
	best->gain = 0;
	best->lg = &w->tlg[t];
	for (size_t f = (size_t)t; f < w->b->cols; f += (size_t)nt)
		if (w->mask[f] && w->b->nbins[f] >= 2)
			find_split1(w, w->sc, best, f, w->sparent);
}

static void
find_split(grower *w, cand *c)
{
	const tgrow_params *p = w->p;
	int K = p->K, S = w->S;
	int64_t lg[DENAI_TRAIN_MAX_CLASSES], rg[DENAI_TRAIN_MAX_CLASSES];
	double parent = score(c->g, K, c->h, p->l2);

	c->ok = 0;
	c->gain = 0;
	if (c->n < 2 * p->min_leaf)
		return;
	pick_features(w);
	if (K == 1) {
		int nt = p->threads;

		if (nt > (int)w->b->cols)
			nt = (int)w->b->cols;
		if (nt > 64)
			nt = 64;
		/* a scan is tens of microseconds: threads only pay for
		 * themselves on wide data */
		if (w->hsize < (1u << 17) || p->pool == NULL)
			nt = 1;
		w->sc = c;
		w->sparent = parent;
		denai_tpool_run(nt > 1 ? p->pool : NULL, nt, split_part, w);
		/* the best of the threads' bests: the largest gain, ties to
		 * the lower feature (each thread's best is its lowest) */
		for (int t = 0; t < nt; t++) {
			const cand *b = &w->tbest[t];

			if (b->ok && (b->gain > c->gain || (b->gain == c->gain &&
			    c->ok && b->feat < c->feat))) {
				c->ok = 1;
				c->gain = b->gain;
				c->feat = b->feat;
				c->bin = b->bin;
				c->ln = b->ln;
				c->lh = b->lh;
				c->lg[0] = b->lg[0];
			}
		}
		return;
	}
	for (size_t f = 0; f < w->b->cols; f++) {
		const int64_t *H = c->hist + w->off[f];
		uint64_t cum = 0;
		int nb = w->b->nbins[f];

		if (!w->mask[f] || nb < 2)
			continue;
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
			if (c->n - ln < p->min_leaf)
				break;
			if (lh < p->min_hess || c->h - lh < p->min_hess ||
			    (double)lh + p->l2 <= 0 ||
			    (double)(c->h - lh) + p->l2 <= 0)
				continue;
			for (int k = 0; k < K; k++)
				rg[k] = c->g[k] - lg[k];
			gain = score(lg, K, lh, p->l2) +
			    score(rg, K, c->h - lh, p->l2) - parent;
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
}

/* Stable partition of idx[s..e) into bin <= b, then the rest. */
static void
partition(grower *w, const cand *c)
{
	const uint8_t *col = w->b->bin + (size_t)c->feat * w->b->rows;
	size_t l = c->start, r = 0;

	for (size_t i = c->start; i < c->end; i++) {
		uint32_t x = w->idx[i];

		if (col[x] <= c->bin)
			w->idx[l++] = x;
		else
			w->tmp[r++] = x;
	}
	memcpy(w->idx + l, w->tmp, r * sizeof(*w->tmp));
}

void
denai_tgrow_ws_free(tgrow_ws *ws)
{
	while (ws->nh > 0)
		free(ws->hist[--ws->nh]);
	free(ws->tmp);
	free(ws->og);
	free(ws->oh);
	memset(ws, 0, sizeof(*ws));
}

void
denai_tgrow_free(tgrow *t)
{
	free(t->nodes);
	free(t->leaves);
	free(t->gbuf);
	memset(t, 0, sizeof(*t));
}

int
denai_tgrow_tree(tgrow *t, const tbins *b, const tgrow_params *p,
    const int64_t *g, const int64_t *h, uint32_t *idx, size_t n,
    denai_err *err)
{
	grower w = { 0 };
	int K = p->K, L = p->max_leaves, nc = 0, rc = -1;
	size_t maxnodes = 2 * (size_t)L;
	cand *c = NULL;
	int64_t *cg = NULL, *free_hist[1100];
	int nfree = 0;

	memset(t, 0, sizeof(*t));
	if (K < 1 || K > DENAI_TRAIN_MAX_CLASSES)
		return denai_err_set(err, DENAI_EUSAGE, "bad channel count");
	w.b = b;
	w.p = p;
	w.g = g;
	w.h = h;
	w.idx = idx;
	w.S = 1 + K;
	w.off = malloc(b->cols * sizeof(*w.off));
	w.mask = malloc(b->cols);
	w.perm = malloc(b->cols * sizeof(*w.perm));
	if (p->ws != NULL && p->ws->rows >= n && p->ws->K >= K &&
	    p->ws->tmp != NULL) {
		w.tmp = p->ws->tmp;
		w.og = p->ws->og;
		w.oh = p->ws->oh;
		p->ws->tmp = NULL;
		p->ws->og = NULL;
		p->ws->oh = NULL;
	} else {
		w.tmp = malloc((n ? n : 1) * sizeof(*w.tmp));
		w.og = malloc((n ? n : 1) * (size_t)K * sizeof(*w.og));
		w.oh = malloc((n ? n : 1) * sizeof(*w.oh));
	}
	c = calloc(maxnodes, sizeof(*c));
	cg = calloc(maxnodes * 2 * (size_t)K, sizeof(*cg));
	t->nodes = calloc(maxnodes, sizeof(*t->nodes));
	t->leaves = calloc((size_t)L, sizeof(*t->leaves));
	t->gbuf = calloc((size_t)L * (size_t)K, sizeof(*t->gbuf));
	if (w.off == NULL || w.mask == NULL || w.perm == NULL ||
	    w.tmp == NULL || w.og == NULL || w.oh == NULL || c == NULL ||
	    cg == NULL || t->nodes == NULL || t->leaves == NULL ||
	    t->gbuf == NULL)
		goto nomem;
	for (size_t f = 0; f < b->cols; f++) {
		/* 256 bins a feature, so the row-wise loop needs no table */
		w.off[f] = w.hsize;
		w.hsize += 256 * (size_t)w.S;
	}
	if (p->ws != NULL) {
		/* histograms of an earlier tree of the same shape */
		if (p->ws->hsize != w.hsize)
			while (p->ws->nh > 0)
				free(p->ws->hist[--p->ws->nh]);
		while (p->ws->nh > 0 && nfree < 1100)
			free_hist[nfree++] = p->ws->hist[--p->ws->nh];
	}
	for (size_t i = 0; i < maxnodes; i++) {
		c[i].g = cg + 2 * i * (size_t)K;
		c[i].lg = c[i].g + K;
	}
#define NEWHIST(v) do { \
	if (nfree > 0) \
		(v) = free_hist[--nfree]; \
	else if (((v) = malloc(w.hsize * sizeof(int64_t))) == NULL) \
		goto nomem; \
} while (0)

	/* the root */
	c[0].node = 0;
	c[0].start = 0;
	c[0].end = n;
	t->nodes[0].feat = -1;
	t->nnodes = 1;
	nc = 1;
	NEWHIST(c[0].hist);
	build_hist(&w, c[0].hist, 0, n);
	{
		uint64_t cum = 0;

		for (int bb = 0; bb < b->nbins[0]; bb++) {
			const int64_t *q = c[0].hist + (size_t)bb * w.S;

			cum += (uint64_t)q[0];
			for (int k = 0; k < K; k++)
				c[0].g[k] += q[1 + k];
		}
		c[0].n = (int64_t)(cum >> TH_SHIFT);
		c[0].h = (int64_t)(cum & TH_MASK);
	}
	find_split(&w, &c[0]);
	for (int leaves = 1; leaves < L; leaves++) {
		int best = -1;
		cand *pc, *lc, *rc2, *small, *large;

		for (int i = 0; i < nc; i++)
			if (c[i].hist != NULL && c[i].ok &&
			    (best < 0 || c[i].gain > c[best].gain))
				best = i;
		if (best < 0)
			break;
		pc = &c[best];
		partition(&w, pc);
		lc = &c[nc];
		rc2 = &c[nc + 1];
		lc->node = (int)t->nnodes;
		rc2->node = (int)t->nnodes + 1;
		t->nodes[pc->node] = (tnode_t){ pc->feat, pc->bin, lc->node,
		    rc2->node, -1 };
		t->nodes[lc->node].feat = -1;
		t->nodes[rc2->node].feat = -1;
		t->nnodes += 2;
		lc->start = pc->start;
		lc->end = pc->start + (size_t)pc->ln;
		rc2->start = lc->end;
		rc2->end = pc->end;
		lc->n = pc->ln;
		lc->h = pc->lh;
		rc2->n = pc->n - pc->ln;
		rc2->h = pc->h - pc->lh;
		for (int k = 0; k < K; k++) {
			lc->g[k] = pc->lg[k];
			rc2->g[k] = pc->g[k] - pc->lg[k];
		}
		nc += 2;
		/* the parent is no longer a leaf */
		pc->ok = 0;
		if (leaves + 1 >= L) {
			free_hist[nfree++] = pc->hist;
			pc->hist = NULL;
			break;
		}
		small = lc->n <= rc2->n ? lc : rc2;
		large = small == lc ? rc2 : lc;
		NEWHIST(small->hist);
		build_hist(&w, small->hist, small->start, small->end);
		large->hist = pc->hist;
		pc->hist = NULL;
		for (size_t f = 0; f < b->cols; f++) {
			int64_t *lh = large->hist + w.off[f];
			const int64_t *sh = small->hist + w.off[f];
			size_t m = (size_t)b->nbins[f] * (size_t)w.S;

			for (size_t i = 0; i < m; i++)
				lh[i] -= sh[i];
		}
		find_split(&w, lc);
		find_split(&w, rc2);
		for (cand *x = lc; x <= rc2; x++)
			if (!x->ok) {
				free_hist[nfree++] = x->hist;
				x->hist = NULL;
			}
	}
	/* leaves, numbered in node order */
	for (size_t nd = 0; nd < t->nnodes; nd++) {
		if (t->nodes[nd].feat >= 0)
			continue;
		for (int i = 0; i < nc; i++)
			if (c[i].node == (int)nd) {
				tleaf *lf = &t->leaves[t->nleaves];

				lf->start = c[i].start;
				lf->end = c[i].end;
				lf->n = c[i].n;
				lf->h = c[i].h;
				lf->g = t->gbuf + t->nleaves * (size_t)K;
				memcpy(lf->g, c[i].g, (size_t)K * sizeof(int64_t));
				t->nodes[nd].leaf = (int32_t)t->nleaves++;
				break;
			}
	}
	rc = 0;
	goto out;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory growing a tree");
	denai_tgrow_free(t);
out:
	for (int i = 0; c != NULL && i < nc; i++)
		if (c[i].hist != NULL && nfree < 1100)
			free_hist[nfree++] = c[i].hist;
		else
			free(c[i].hist);
	if (p->ws != NULL && rc == 0) {
		p->ws->hsize = w.hsize;
		while (nfree > 0 && p->ws->nh < 1100)
			p->ws->hist[p->ws->nh++] = free_hist[--nfree];
		if (p->ws->tmp == NULL && w.tmp != NULL && w.og != NULL &&
		    w.oh != NULL) {
			p->ws->tmp = w.tmp;
			p->ws->og = w.og;
			p->ws->oh = w.oh;
			p->ws->rows = n;
			p->ws->K = K;
			w.tmp = NULL;
			w.og = NULL;
			w.oh = NULL;
		}
	}
	while (nfree > 0)
		free(free_hist[--nfree]);
	free(c);
	free(cg);
	free(w.off);
	free(w.mask);
	free(w.perm);
	free(w.tmp);
	free(w.og);
	free(w.oh);
	return rc;
#undef NEWHIST
}
