/*
 * train/gbt.c - histogram gradient boosting, as sklearn's
 * HistGradientBoosting: binary log-loss (one tree an iteration on the raw
 * log-odds), multiclass log-loss (one tree per class an iteration, softmax)
 * and squared error. Leaf value: -lr * G / (H + l2), stored as float32;
 * the raw scores of the training rows are updated from the leaves' rows.
 *
 * Gradients and hessians go to the grower in fixed point: log-loss
 * gradients (|g| <= 1) times 2^30 and hessians (<= 1/4) times 2^24; squared error's
 * gradients times 2^(30 - e) where 2^e bounds this iteration's largest
 * |g|, hessians 1 (the row count). Rounding is to nearest, in double, the
 * same everywhere.
 */
#include "train/train_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/dmath.h"

#define QS 1073741824.0		/* 2^30 */
#define QH 16777216.0		/* 2^24 */

static int64_t
quant(double v, double s)
{
	return (int64_t)floor(v * s + 0.5);
}

/* Softmax of K raw scores into p. */
static void
softmax(const double *raw, double *p, int K)
{
	double mx = raw[0], sum = 0;

	for (int k = 1; k < K; k++)
		if (raw[k] > mx)
			mx = raw[k];
	for (int k = 0; k < K; k++)
		sum += (p[k] = denai_exp(raw[k] - mx));
	for (int k = 0; k < K; k++)
		p[k] /= sum;
}

static void
metrics(const denai_trained *m, const denai_train_data *d, const int *yc,
    const double *raw, int K, denai_train_metrics *mt)
{
	double loss = 0, right = 0, p[DENAI_TRAIN_MAX_CLASSES];
	double mean = 0, ss = 0;

	for (size_t i = 0; i < d->rows; i++) {
		const double *r = raw + i * (size_t)K;

		if (m->kind == DENAI_KIND_REGRESS) {
			double e = r[0] - d->y[i];

			loss += e * e;
			mean += d->y[i];
		} else if (K == 1) {
			loss += denai_softplus(r[0]) - (yc[i] ? r[0] : 0);
			right += (r[0] > 0) == (yc[i] == 1);
		} else {
			int best = 0;

			softmax(r, p, K);
			for (int k = 1; k < K; k++)
				if (r[k] > r[best])
					best = k;
			right += best == yc[i];
			loss -= denai_log(p[yc[i]] > 1e-300 ? p[yc[i]] : 1e-300);
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

/* Per-row work of an iteration, split in contiguous row ranges over the
 * pool (each row's result depends on that row only). */
typedef struct grad_job {
	size_t rows;
	int K, k, what;		/* what: 0 softmax, 1 binary, 2 multiclass */
	const int *yc;
	const double *raw;
	double *prob;
	int64_t *g, *h;
	double sg, sh;
} grad_job;

static void
grad_part(void *ctx, int t, int nt)
{
	grad_job *j = ctx;
	size_t s = j->rows * (size_t)t / (size_t)nt;
	size_t e = j->rows * (size_t)(t + 1) / (size_t)nt;
	int K = j->K;

	for (size_t i = s; i < e; i++) {
		double pr;

		switch (j->what) {
		case 0:
			softmax(j->raw + i * (size_t)K, j->prob + i * (size_t)K,
			    K);
			break;
		case 1:
			pr = denai_sigmoid(j->raw[i]);
			j->g[i] = quant(pr - (j->yc[i] == 1), j->sg);
			j->h[i] = quant(pr * (1 - pr), j->sh);
			break;
		default:
			pr = j->prob[i * (size_t)K + j->k];
			j->g[i] = quant(pr - (j->yc[i] == j->k), j->sg);
			j->h[i] = quant(pr * (1 - pr), j->sh);
			break;
		}
	}
}

int
denai_train_gbt(denai_trained *m, const denai_train_data *d, const int *yc,
    const denai_train_opts *o, denai_train_metrics *mt, denai_err *err)
{
	size_t rows = d->rows;
	int K = m->kind == DENAI_KIND_CLASSIFY && m->nclass > 2 ?
	    (int)m->nclass : 1, rc = -1;
	tbins b;
	double *raw = NULL, *prob = NULL;
	int64_t *g = NULL, *h = NULL;
	uint32_t *idx = NULL;
	tgrow tg = { 0 };
	tpool *pool = NULL;
	static const tgrow_ws ws0;
	tgrow_ws ws = ws0;

	if (denai_tbins_build(&b, d, o->bins, o->threads, err) != 0)
		return -1;
	pool = denai_tpool_new(o->threads);
	raw = malloc(rows * (size_t)K * sizeof(*raw));
	prob = K > 1 ? malloc(rows * (size_t)K * sizeof(*prob)) : NULL;
	g = malloc(rows * sizeof(*g));
	h = malloc(rows * sizeof(*h));
	idx = malloc(rows * sizeof(*idx));
	if (raw == NULL || (K > 1 && prob == NULL) || g == NULL ||
	    h == NULL || idx == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	/* the constant start */
	m->nbase = (size_t)K;
	if (m->kind == DENAI_KIND_REGRESS) {
		double s = 0;

		for (size_t i = 0; i < rows; i++)
			s += d->y[i];
		m->base[0] = (float)(s / (double)rows);
	} else if (K == 1) {
		size_t c1 = 0;
		double p;

		for (size_t i = 0; i < rows; i++)
			c1 += yc[i] == 1;
		p = (double)c1 / (double)rows;
		m->base[0] = (float)(denai_log(p) - denai_log1p(-p));
	} else {
		size_t cnt[DENAI_TRAIN_MAX_CLASSES] = { 0 };
		double lg[DENAI_TRAIN_MAX_CLASSES], mean = 0;

		for (size_t i = 0; i < rows; i++)
			cnt[yc[i]]++;
		for (int k = 0; k < K; k++)
			mean += (lg[k] = denai_log((double)cnt[k] /
			    (double)rows));
		mean /= K;
		for (int k = 0; k < K; k++)
			m->base[k] = (float)(lg[k] - mean);
	}
	for (size_t i = 0; i < rows; i++)
		for (int k = 0; k < K; k++)
			raw[i * (size_t)K + k] = m->base[k];
	m->nval = 1;
	for (int it = 0; it < o->trees; it++) {
		grad_job gj = { rows, K, 0, 0, yc, raw, prob, g, h, QS, QH };
		int gt = rows >= 16384 ? o->threads : 1;

		if (K > 1)
			denai_tpool_run(pool, gt, grad_part, &gj);
		for (int k = 0; k < K; k++) {
			double sg = QS, sh = QH, mx = 0;
			tgrow_params p = { 0 };

			if (m->kind == DENAI_KIND_REGRESS) {
				int e;

				for (size_t i = 0; i < rows; i++) {
					double a = fabs(raw[i] - d->y[i]);

					if (a > mx)
						mx = a;
				}
				frexp(mx, &e);
				sg = mx > 0 ? ldexp(1.0, 30 - e) : 1.0;
				sh = 1.0;
				for (size_t i = 0; i < rows; i++) {
					g[i] = quant(raw[i] - d->y[i], sg);
					h[i] = 1;
				}
			} else {
				gj.k = k;
				gj.what = K == 1 ? 1 : 2;
				denai_tpool_run(pool, gt, grad_part, &gj);
			}
			for (size_t i = 0; i < rows; i++)
				idx[i] = (uint32_t)i;
			p.K = 1;
			p.l2 = o->l2 * sh;
			p.min_leaf = o->min_leaf;
			p.min_hess = m->kind == DENAI_KIND_REGRESS ? 0 :
			    (int64_t)ceil(1e-3 * sh);
			p.max_leaves = o->leaves;
			p.threads = o->threads;
			p.pool = pool;
			p.ws = &ws;
			if (denai_tgrow_tree(&tg, &b, &p, g, h, idx, rows, err) != 0 ||
			    denai_tmodel_add_tree(m, &tg, k, 1, err) != 0)
				goto out;
			for (size_t l = 0; l < tg.nleaves; l++) {
				const tleaf *lf = &tg.leaves[l];
				double den = (double)lf->h / sh + o->l2;
				float v = den > 0 ? (float)(-o->lr *
				    ((double)lf->g[0] / sg) / den) : 0.0f;

				if (!isfinite(v))
					v = 0.0f;
				m->trees[m->ntrees - 1].values[l] = v + 0.0f;
				for (size_t j = lf->start; j < lf->end; j++)
					raw[(size_t)idx[j] * K + k] += v;
			}
			denai_tgrow_free(&tg);
		}
		if (o->progress != NULL)
			o->progress(o->progress_ctx, it + 1, o->trees);
	}
	metrics(m, d, yc, raw, K, mt);
	m->edge = b.edge;
	b.edge = NULL;
	rc = 0;
out:
	denai_tgrow_ws_free(&ws);
	denai_tpool_free(pool);
	denai_tgrow_free(&tg);
	denai_tbins_free(&b);
	free(raw);
	free(prob);
	free(g);
	free(h);
	free(idx);
	return rc;
}
