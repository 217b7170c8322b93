/*
 * train/grow.c - one tree grown leaf-wise on integer histograms (hist.c)
 * with the split search of split.c.
 *
 * Of two children the one with fewer rows is built from its rows, the
 * other is its parent's histogram minus it. The open leaf with the largest
 * gain splits next (ties: the lower node number), until max_leaves leaves.
 * A split is one job on the pool: each thread splits its own copy of the
 * parent's rows (every copy in the same order: no thread reads rows
 * another CPU has just written), takes a run of features, builds the
 * small child's histogram for them, subtracts it from the large child's,
 * and searches both children on them; the threads' bests are
 * combined in thread order (the largest gain, ties to the lower feature),
 * which is the best a single thread finds, so the tree does not depend on
 * the thread count.
 */
#include "train/grow_impl.h"

#include <stdlib.h>
#include <string.h>

/* Stable partition of thread t's rows of c into bin <= c's bin, then the
 * rest: every thread's order is the same. */
static void
partition(grower *w, int t, const cand *c)
{
	const uint8_t *col = w->b->bin + (size_t)c->feat * w->b->rows;
	uint32_t *idx = w->v[t].idx, *tmp = w->v[t].tmp;
	size_t l = c->start, r = 0;

	for (size_t i = c->start; i < c->end; i++) {
		uint32_t x = idx[i];

		if (col[x] <= c->bin)
			idx[l++] = x;
		else
			tmp[r++] = x;
	}
	memcpy(idx + l, tmp, r * sizeof(*tmp));
}

/* Readies thread t's rows for the job: a copy of the caller's at the
 * root, or the split node's rows split. */
static void
rows_ready(grower *w, int t)
{
	if (w->init && t > 0)
		memcpy(w->v[t].idx, w->v[0].idx, w->n * sizeof(*w->v[t].idx));
	if (w->split != NULL)
		partition(w, t, w->split);
}

/* One thread's share of a job: its rows of the split node, then features
 * [f0, f1). */
static void
job_part(void *ctx, int t, int nt)
{
	grower *w = ctx;
	size_t cols = w->b->cols;
	size_t f0 = cols * (size_t)t / (size_t)nt;
	size_t f1 = cols * (size_t)(t + 1) / (size_t)nt;
	int K = w->p->K;

	rows_ready(w, t);
	if (w->build != NULL) {
		if (w->build->dense)
			denai_thist_gather(w, t, w->build);
		denai_thist_build(w, t, w->build, f0, f1);
	}
	if (w->large != NULL)
		denai_thist_sub(w, w->large, w->build, f0, f1);
	for (int s = 0; s < w->nscan; s++) {
		cand *best = &w->tbest[s][t];

		best->ok = 0;
		best->gain = 0;
		best->lg = w->tlg + ((size_t)s * TG_MAXT + (size_t)t) *
		    (size_t)K;
		for (size_t f = f0; f < f1; f++)
			if (w->mask[s][f])
				denai_tsplit_scan(w, w->scan[s], best, f,
				    w->parent[s]);
	}
}

/* Readies c for the job's search (or marks it unsplittable). */
static void
want_scan(grower *w, cand *c)
{
	const tgrow_params *p = w->p;

	c->ok = 0;
	c->gain = 0;
	if (c->n < 2 * p->min_leaf)
		return;
	denai_tsplit_pick(w, w->mask[w->nscan]);
	w->parent[w->nscan] = denai_tsplit_score(c->g, p->K, c->h, p->l2);
	w->scan[w->nscan++] = c;
}

/* Runs the job set up in w, then takes each searched node's best. */
static void
run_job(grower *w, size_t rows)
{
	const tgrow_params *p = w->p;
	size_t cols = w->b->cols;
	int K = p->K, nt = w->nv;

	if (w->build != NULL)
		w->build->dense = denai_thist_is_dense(w, w->build);
	/* a job under a few microseconds runs on the caller, which then
	 * splits the other threads' rows too */
	if ((rows + 256) * cols < (1u << 13))
		nt = 1;
	for (int t = nt; t < w->nv; t++)
		rows_ready(w, t);
	denai_tpool_run(nt > 1 ? p->pool : NULL, nt, job_part, w);
	for (int s = 0; s < w->nscan; s++) {
		cand *c = w->scan[s];

		for (int t = 0; t < nt; t++) {
			const cand *b = &w->tbest[s][t];

			if (b->ok && (b->gain > c->gain || (b->gain == c->gain &&
			    c->ok && b->feat < c->feat))) {
				c->ok = 1;
				c->gain = b->gain;
				c->feat = b->feat;
				c->bin = b->bin;
				c->ln = b->ln;
				c->lh = b->lh;
				memcpy(c->lg, b->lg, (size_t)K * sizeof(*c->lg));
			}
		}
	}
	w->split = w->build = w->large = NULL;
	w->init = 0;
	w->nscan = 0;
}

/* Frees a view's buffers (not v[0].idx: the caller's). */
static void
view_free(tview *v, int own_idx)
{
	if (own_idx)
		free(v->idx);
	free(v->tmp);
	free(v->og);
	free(v->oh);
	memset(v, 0, sizeof(*v));
}

void
denai_tgrow_ws_free(tgrow_ws *ws)
{
	while (ws->nh > 0)
		free(ws->hist[--ws->nh]);
	for (int t = 0; t < ws->nv; t++)
		view_free(&ws->v[t], t > 0);
	memset(ws, 0, sizeof(*ws));
}

/* The threads' views for n rows of K channels: an earlier tree's (ws), or
 * new. Returns: -1 when out of memory. */
static int
views_get(grower *w, tgrow_ws *ws, uint32_t *idx, size_t n, int K)
{
	size_t m = n ? n : 1;

	if (ws != NULL && ws->nv >= w->nv && ws->rows >= n && ws->K >= K) {
		memcpy(w->v, ws->v, (size_t)w->nv * sizeof(*w->v));
		memmove(ws->v, ws->v + w->nv,
		    (size_t)(ws->nv - w->nv) * sizeof(*ws->v));
		ws->nv -= w->nv;
	}
	w->v[0].idx = idx;
	for (int t = 0; t < w->nv; t++) {
		tview *v = &w->v[t];

		if (v->idx == NULL)
			v->idx = malloc(m * sizeof(*v->idx));
		if (v->tmp == NULL)
			v->tmp = malloc(m * sizeof(*v->tmp));
		if (v->og == NULL)
			v->og = malloc(m * (size_t)(K > 1 ? K : 2) *
			    sizeof(*v->og));
		if (v->oh == NULL)
			v->oh = malloc(m * sizeof(*v->oh));
		if (v->idx == NULL || v->tmp == NULL || v->og == NULL ||
		    v->oh == NULL)
			return -1;
	}
	return 0;
}

/* Gives the views back to ws for the next tree (or frees them). */
static void
views_put(grower *w, tgrow_ws *ws, size_t n, int K)
{
	if (ws != NULL && ws->nv == 0) {
		for (int t = 0; t < w->nv; t++)
			ws->v[t] = w->v[t];
		ws->v[0].idx = NULL;
		ws->nv = w->nv;
		ws->rows = n;
		ws->K = K;
		memset(w->v, 0, sizeof(w->v));
		return;
	}
	for (int t = 0; t < w->nv; t++)
		view_free(&w->v[t], t > 0);
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
	size_t hall = 0;

	memset(t, 0, sizeof(*t));
	if (K < 1 || K > DENAI_TRAIN_MAX_CLASSES)
		return denai_err_set(err, DENAI_EUSAGE, "bad channel count");
	w.b = b;
	w.p = p;
	w.g = g;
	w.h = h;
	w.nv = p->pool == NULL ? 1 : p->threads;
	if (w.nv > (int)b->cols)
		w.nv = (int)b->cols;
	if (w.nv > TG_MAXT)
		w.nv = TG_MAXT;
	if (w.nv < 1)
		w.nv = 1;
	for (size_t i = 0; K == 1 && i < n; i++) {
		uint64_t a = g[idx[i]] < 0 ? -(uint64_t)g[idx[i]] :
		    (uint64_t)g[idx[i]];

		if (a > w.gmax)
			w.gmax = a;
	}
	w.S = 1 + K;
	w.off = malloc(b->cols * sizeof(*w.off));
	w.mask[0] = malloc(2 * b->cols);
	w.mask[1] = w.mask[0] != NULL ? w.mask[0] + b->cols : NULL;
	w.tlg = malloc(2 * TG_MAXT * (size_t)K * sizeof(*w.tlg));
	w.perm = malloc(b->cols * sizeof(*w.perm));
	c = calloc(maxnodes, sizeof(*c));
	cg = calloc(maxnodes * 2 * (size_t)K, sizeof(*cg));
	t->nodes = calloc(maxnodes, sizeof(*t->nodes));
	t->leaves = calloc((size_t)L, sizeof(*t->leaves));
	t->gbuf = calloc((size_t)L * (size_t)K, sizeof(*t->gbuf));
	if (views_get(&w, p->ws, idx, n, K) != 0 ||
	    w.off == NULL || w.mask[0] == NULL || w.tlg == NULL ||
	    w.perm == NULL || c == NULL ||
	    cg == NULL || t->nodes == NULL || t->leaves == NULL ||
	    t->gbuf == NULL)
		goto nomem;
	for (size_t f = 0; f < b->cols; f++) {
		/* 256 bins a feature, so the row-wise loop needs no table */
		w.off[f] = w.hsize;
		w.hsize += K == 1 ? TG_STRIDE1 : 256 * (size_t)w.S;
	}
	hall = w.hsize + 4 * b->cols;	/* and its nz */
	if (p->ws != NULL) {
		/* histograms of an earlier tree of the same shape */
		if (p->ws->hsize != hall)
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
	else if (((v) = malloc(hall * sizeof(int64_t))) == NULL) \
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
	/* its sums, as its histogram's (integers: in any order) */
	c[0].n = (int64_t)n;
	for (size_t i = 0; i < n; i++) {
		size_t r = idx[i];

		c[0].h += h[r];
		for (int k = 0; k < K; k++)
			c[0].g[k] += g[r * (size_t)K + (size_t)k];
	}
	w.n = n;
	w.init = 1;
	w.build = &c[0];
	want_scan(&w, &c[0]);
	run_job(&w, n);
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
			/* the last split: the caller's rows only */
			partition(&w, 0, pc);
			free_hist[nfree++] = pc->hist;
			pc->hist = NULL;
			break;
		}
		small = lc->n <= rc2->n ? lc : rc2;
		large = small == lc ? rc2 : lc;
		if (large->n < 2 * p->min_leaf) {
			/* neither child can split: no histogram is needed,
			 * and only the caller's rows (the leaves') are split */
			partition(&w, 0, pc);
			lc->ok = rc2->ok = 0;
			free_hist[nfree++] = pc->hist;
			pc->hist = NULL;
			continue;
		}
		NEWHIST(small->hist);
		large->hist = pc->hist;
		large->dense = pc->dense;
		pc->hist = NULL;
		w.split = pc;
		w.build = small;
		w.large = large;
		want_scan(&w, lc);
		want_scan(&w, rc2);
		run_job(&w, (size_t)small->n);
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
		p->ws->hsize = hall;
		while (nfree > 0 && p->ws->nh < 1100)
			p->ws->hist[p->ws->nh++] = free_hist[--nfree];
	}
	views_put(&w, rc == 0 ? p->ws : NULL, n, K);
	while (nfree > 0)
		free(free_hist[--nfree]);
	free(c);
	free(cg);
	free(w.off);
	free(w.mask[0]);
	free(w.tlg);
	free(w.perm);
	return rc;
#undef NEWHIST
}
