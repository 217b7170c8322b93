/*
 * train/train.c - options, class labels, and the dispatch to the
 * algorithms (gbt.c, forest.c, linear.c).
 */
#include "train/train_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const algo_names[] = { "gbt", "rf", "linear" };

const char *
denai_train_algo_name(int algo)
{
	return algo >= 0 && algo < 3 ? algo_names[algo] : NULL;
}

int
denai_train_algo_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, algo_names[i]) == 0)
			return i;
	return -1;
}

void
denai_train_defaults(denai_train_opts *o, int algo, int kind)
{
	memset(o, 0, sizeof(*o));
	o->algo = algo;
	o->kind = kind;
	o->trees = 100;
	o->leaves = 31;
	o->bins = 255;
	o->lr = 0.1;
	o->l2 = algo == DENAI_ALGO_LINEAR ? 1.0 : 0.0;
	o->min_leaf = algo == DENAI_ALGO_GBT ? 20 : 1;
	o->iters = 300;
	o->seed = 0;
	o->threads = 1;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted distinct integer labels into m->classes, each row's class index
 * into yc. Returns: 0 or -1. */
static int
classes_of(denai_trained *m, const denai_train_data *d, int *yc,
    denai_err *err)
{
	int64_t *v = malloc(d->rows * sizeof(*v));
	size_t n = 0;

	if (v == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (size_t i = 0; i < d->rows; i++) {
		float y = d->y[i];

		if (!(y == floorf(y)) || fabsf(y) > 9.0e15f) {
			free(v);
			return denai_err_set(err, DENAI_EDATA,
			    "row %zu: class label %.9g is not an integer",
			    i + 1, (double)y);
		}
		v[i] = (int64_t)y;
	}
	qsort(v, d->rows, sizeof(*v), cmp_i64);
	for (size_t i = 0; i < d->rows; i++)
		if (n == 0 || v[i] != v[n - 1])
			v[n++] = v[i];
	if (n < 2 || n > DENAI_TRAIN_MAX_CLASSES) {
		free(v);
		return denai_err_set(err, DENAI_EDATA,
		    "%zu classes: a classifier needs 2..%d", n,
		    DENAI_TRAIN_MAX_CLASSES);
	}
	m->classes = v;
	m->nclass = n;
	for (size_t i = 0; i < d->rows; i++) {
		int64_t y = (int64_t)d->y[i];
		size_t lo = 0, hi = n;

		while (lo + 1 < hi) {
			size_t mid = (lo + hi) / 2;

			if (v[mid] <= y)
				lo = mid;
			else
				hi = mid;
		}
		yc[i] = (int)lo;
	}
	return 0;
}

denai_trained *
denai_train(const denai_train_data *d, const denai_train_opts *o,
    denai_train_metrics *mt, denai_err *err)
{
	denai_trained *m = NULL;
	denai_train_metrics dummy;
	int *yc = NULL, rc;

	if (mt == NULL)
		mt = &dummy;
	memset(mt, 0, sizeof(*mt));
	if (d->rows == 0 || d->cols == 0) {
		denai_err_set(err, DENAI_EDATA, "no rows or no features");
		return NULL;
	}
	if (d->rows > TH_MAX_ROWS) {
		denai_err_set(err, DENAI_EDATA, "%zu rows: at most %u",
		    d->rows, TH_MAX_ROWS);
		return NULL;
	}
	if (o->trees < 1 || o->trees > 100000 || o->leaves < 2 ||
	    o->leaves > 1024 || o->bins < 2 || o->bins > 255 ||
	    !(o->lr > 0 && o->lr <= 10) || !(o->l2 >= 0 && o->l2 < 1e12) ||
	    o->min_leaf < 1 || o->iters < 1 || o->iters > 100000 ||
	    o->threads < 1 || o->threads > 64 ||
	    (o->kind != DENAI_KIND_CLASSIFY && o->kind != DENAI_KIND_REGRESS)) {
		denai_err_set(err, DENAI_EUSAGE, "training options out of range");
		return NULL;
	}
	for (size_t i = 0; i < d->rows; i++)
		if (!isfinite(d->y[i])) {
			denai_err_set(err, DENAI_EDATA, "row %zu: label is "
			    "not a finite number", i + 1);
			return NULL;
		}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (yc = calloc(d->rows, sizeof(*yc))) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	m->algo = o->algo;
	m->kind = o->kind;
	m->cols = d->cols;
	if (o->kind == DENAI_KIND_CLASSIFY &&
	    classes_of(m, d, yc, err) != 0)
		goto fail;
	mt->classes = m->nclass;
	switch (o->algo) {
	case DENAI_ALGO_GBT:
		rc = denai_train_gbt(m, d, yc, o, mt, err);
		break;
	case DENAI_ALGO_RF:
		rc = denai_train_rf(m, d, yc, o, mt, err);
		break;
	case DENAI_ALGO_LINEAR:
		rc = denai_train_linear(m, d, yc, o, mt, err);
		break;
	default:
		rc = denai_err_set(err, DENAI_EUSAGE, "unknown algorithm");
		break;
	}
	if (rc != 0)
		goto fail;
	for (size_t i = 0; i < m->ntrees; i++)
		mt->nodes += m->trees[i].nnodes;
	free(yc);
	return m;
fail:
	free(yc);
	denai_trained_free(m);
	return NULL;
}
