/*
 * train/forest.c - a random forest: each tree grows on a bootstrap sample
 * (rows drawn with replacement, as counts) and searches sqrt(features)
 * features at each node for classification (all of them for regression),
 * leaf-wise up to opts.leaves leaves. Classification splits on Gini
 * (sum_k c_k^2 / n is the grower's G^2/H with G_k the class counts and H
 * the row weights), regression on variance (G: the centred labels in fixed
 * point). A leaf holds class proportions or the mean label.
 *
 * Tree t's generator is seeded with the t-th splitmix64 output from
 * opts.seed; trees are grown on the threads in turn (tree t on thread
 * t mod n) and kept in tree order, so the forest does not depend on the
 * thread count.
 */
#include "train/train_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct rf_job {
	const tbins *b;
	const denai_train_data *d;
	const int *yc;
	const denai_train_opts *o;
	int K, nval;
	double mean, sy;
	const int64_t *yq;	/* regression: quantized centred labels */
	uint64_t *seeds;
	tgrow *trees;
	float **values;
	int failed;
	denai_err err;
} rf_job;

static void
rf_thread(void *ctx, int t, int nt)
{
	rf_job *j = ctx;
	size_t rows = j->d->rows;
	int K = j->K;
	uint32_t *w = malloc(rows * sizeof(*w)), *idx = malloc(rows *
	    sizeof(*idx));
	int64_t *g = malloc(rows * (size_t)K * sizeof(*g));
	int64_t *h = malloc(rows * sizeof(*h));

	if (w == NULL || idx == NULL || g == NULL || h == NULL) {
		j->failed = 1;
		goto out;
	}
	for (int tr = t; tr < j->o->trees && !j->failed; tr += nt) {
		denai_rng rng;
		tgrow_params p = { 0 };
		size_t n = 0;
		tgrow *tg = &j->trees[tr];

		denai_rng_seed(&rng, j->seeds[tr]);
		memset(w, 0, rows * sizeof(*w));
		for (size_t i = 0; i < rows; i++)
			w[denai_rng_below(&rng, rows)]++;
		for (size_t i = 0; i < rows; i++) {
			if (w[i] == 0)
				continue;
			idx[n++] = (uint32_t)i;
			h[i] = w[i];
			if (K == 1 && j->yq != NULL)
				g[i] = (int64_t)w[i] * j->yq[i];
			else
				for (int k = 0; k < K; k++)
					g[i * (size_t)K + k] = k == j->yc[i] ?
					    w[i] : 0;
		}
		p.K = K;
		p.l2 = 0;
		p.min_leaf = j->o->min_leaf;
		p.min_hess = 1;
		p.max_leaves = j->o->leaves;
		p.threads = 1;
		p.rng = &rng;
		if (j->d->cols > 1 && j->o->kind == DENAI_KIND_CLASSIFY) {
			int mf = (int)floor(sqrt((double)j->d->cols));

			p.max_features = mf < 1 ? 1 : mf;
		}
		if (denai_tgrow_tree(tg, j->b, &p, g, h, idx, n, &j->err) != 0) {
			j->failed = 1;
			break;
		}
		if ((j->values[tr] = calloc(tg->nleaves * (size_t)j->nval,
		    sizeof(float))) == NULL) {
			j->failed = 1;
			break;
		}
		for (size_t l = 0; l < tg->nleaves; l++) {
			const tleaf *lf = &tg->leaves[l];
			float *v = j->values[tr] + l * (size_t)j->nval;

			if (j->yq != NULL)
				v[0] = (float)(j->mean + (double)lf->g[0] /
				    j->sy / (double)lf->h) + 0.0f;
			else
				for (int k = 0; k < K; k++)
					v[k] = (float)((double)lf->g[k] /
					    (double)lf->h) + 0.0f;
		}
	}
out:
	free(w);
	free(idx);
	free(g);
	free(h);
}

/* Training metrics: the forest's mean over trees, walking the bins. */
static void
rf_metrics(const denai_trained *m, const tbins *b, const denai_train_data *d,
    const int *yc, denai_train_metrics *mt)
{
	double loss = 0, right = 0, mean = 0, ss = 0;
	double acc[DENAI_TRAIN_MAX_CLASSES];
	int nv = m->nval;

	for (size_t i = 0; i < d->rows; i++) {
		memset(acc, 0, (size_t)nv * sizeof(*acc));
		for (size_t t = 0; t < m->ntrees; t++) {
			const ttree *tr = &m->trees[t];
			const tnode_t *nd = tr->nodes;

			while (nd->feat >= 0)
				nd = tr->nodes + (b->bin[(size_t)nd->feat *
				    b->rows + i] <= nd->bin ? nd->left :
				    nd->right);
			for (int k = 0; k < nv; k++)
				acc[k] += tr->values[(size_t)nd->leaf * nv + k];
		}
		if (m->kind == DENAI_KIND_REGRESS) {
			double e = acc[0] / (double)m->ntrees - d->y[i];

			loss += e * e;
			mean += d->y[i];
		} else {
			int best = 0;

			for (int k = 1; k < nv; k++)
				if (acc[k] > acc[best])
					best = k;
			right += best == yc[i];
			loss += 1 - acc[yc[i]] / (double)m->ntrees;
		}
	}
	mt->loss = loss / (double)d->rows;
	if (m->kind == DENAI_KIND_REGRESS) {
		mean /= (double)d->rows;
		for (size_t i = 0; i < d->rows; i++)
			ss += (d->y[i] - mean) * (d->y[i] - mean);
		mt->r2 = ss > 0 ? 1 - loss / ss : 0;
	} else
		mt->accuracy = right / (double)d->rows;
}

int
denai_train_rf(denai_trained *m, const denai_train_data *d, const int *yc,
    const denai_train_opts *o, denai_train_metrics *mt, denai_err *err)
{
	rf_job j = { 0 };
	tbins b;
	int64_t *yq = NULL;
	uint64_t s = o->seed;
	int rc = -1, nt;

	if (denai_tbins_build(&b, d, o->bins, o->threads, err) != 0)
		return -1;
	j.b = &b;
	j.d = d;
	j.yc = yc;
	j.o = o;
	j.K = m->kind == DENAI_KIND_CLASSIFY ? (int)m->nclass : 1;
	j.nval = j.K;
	j.seeds = malloc((size_t)o->trees * sizeof(*j.seeds));
	j.trees = calloc((size_t)o->trees, sizeof(*j.trees));
	j.values = calloc((size_t)o->trees, sizeof(*j.values));
	if (j.seeds == NULL || j.trees == NULL || j.values == NULL)
		goto nomem;
	for (int t = 0; t < o->trees; t++)
		j.seeds[t] = denai_splitmix64(&s);
	if (m->kind == DENAI_KIND_REGRESS) {
		double mx = 0;
		int e;

		if ((yq = malloc(d->rows * sizeof(*yq))) == NULL)
			goto nomem;
		for (size_t i = 0; i < d->rows; i++)
			j.mean += d->y[i];
		j.mean /= (double)d->rows;
		for (size_t i = 0; i < d->rows; i++)
			if (fabs(d->y[i] - j.mean) > mx)
				mx = fabs(d->y[i] - j.mean);
		frexp(mx, &e);
		j.sy = mx > 0 ? ldexp(1.0, 30 - e) : 1.0;
		for (size_t i = 0; i < d->rows; i++)
			yq[i] = (int64_t)floor((d->y[i] - j.mean) * j.sy + 0.5);
		j.yq = yq;
	}
	nt = o->threads < o->trees ? o->threads : o->trees;
	denai_tpar_run(nt, rf_thread, &j);
	if (j.failed) {
		if (j.err.code != 0) {
			if (err != NULL)
				*err = j.err;
			goto out;
		}
		goto nomem;
	}
	m->nval = j.nval;
	for (int t = 0; t < o->trees; t++) {
		if (denai_tmodel_add_tree(m, &j.trees[t], 0, j.nval, err) != 0)
			goto out;
		memcpy(m->trees[m->ntrees - 1].values, j.values[t],
		    j.trees[t].nleaves * (size_t)j.nval * sizeof(float));
		if (o->progress != NULL)
			o->progress(o->progress_ctx, t + 1, o->trees);
	}
	rf_metrics(m, &b, d, yc, mt);
	m->edge = b.edge;
	b.edge = NULL;
	rc = 0;
	goto out;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
out:
	for (int t = 0; j.trees != NULL && t < o->trees; t++) {
		denai_tgrow_free(&j.trees[t]);
		if (j.values != NULL)
			free(j.values[t]);
	}
	free(j.trees);
	free(j.values);
	free(j.seeds);
	free(yq);
	denai_tbins_free(&b);
	return rc;
}
