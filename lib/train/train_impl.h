/*
 * train/train_impl.h - what the trainer's files share: the binned data,
 * the histogram tree grower, the model, the thread helper.
 */
#ifndef DENAI_TRAIN_IMPL_H
#define DENAI_TRAIN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "train/rng.h"
#include "train/train.h"


typedef struct tpool tpool;

/* ---- binning (bin.c) */

typedef struct tbins {
	size_t rows, cols;
	uint8_t *bin;		/* cols x rows, column-major */
	uint8_t *rowbin;	/* rows x cols, row-major (the same bins) */
	uint16_t *nbins;	/* per feature, 1..256 */
	float *edge;		/* cols x 255: bin b is x <= edge[b] */
} tbins;

/* Bins d's features into at most maxbins bins each. Returns: 0 or -1. */
int denai_tbins_build(tbins *b, const denai_train_data *d, int maxbins,
    int threads, denai_err *err);
void denai_tbins_free(tbins *b);

/* ---- one tree (grow.c) */

/* A histogram bin packs its row count and hessian sum: count << 44 | h.
 * Rows are fewer than 2^20 and every row's hessian below 2^24. */
#define TH_SHIFT 44
#define TH_ONE (1ull << TH_SHIFT)
#define TH_MASK (TH_ONE - 1)
#define TH_MAX_ROWS ((1u << 20) - 1)
#define TH_MAX_HESS (1ll << 24)

typedef struct tnode_t {
	int32_t feat;		/* -1 for a leaf */
	int32_t bin;		/* go left when bin <= this */
	int32_t left, right;
	int32_t leaf;		/* leaf number, for leaves */
} tnode_t;

typedef struct tleaf {
	size_t start, end;	/* its rows: idx[start..end) */
	int64_t n, h;		/* rows, hessian sum */
	int64_t *g;		/* K gradient sums (into tgrow.gbuf) */
} tleaf;

/* Buffers one grower hands to the next (the caller's; free with
 * denai_tgrow_ws_free), so a boosting run does not map and fault fresh
 * pages for every tree. */
/* One thread's copy of a tree's row order and scratch (each thread keeps
 * its own, so that no job reads rows another CPU has just written). */
typedef struct tview {
	uint32_t *idx;		/* the rows, node by node */
	uint32_t *tmp;		/* a partition's right side */
	int64_t *og;		/* a node's gradients in node order */
	uint64_t *oh;		/* K > 1: its packed count and hessian */
} tview;

typedef struct tgrow_ws {
	int64_t *hist[1100];
	int nh;
	size_t hsize;
	tview v[64];		/* v[0].idx is the caller's, never kept */
	int nv;
	size_t rows;
	int K;
} tgrow_ws;

void denai_tgrow_ws_free(tgrow_ws *ws);

typedef struct tgrow_params {
	int K;			/* gradient channels */
	double l2;		/* in hessian units */
	int64_t min_leaf;	/* rows */
	int64_t min_hess;	/* hessian units */
	int max_leaves;
	int max_features;	/* 0: every feature at every node */
	denai_rng *rng;		/* for max_features */
	int threads;
	tpool *pool;		/* NULL: threads started per histogram */
	tgrow_ws *ws;		/* NULL: buffers for this tree only */
} tgrow_params;

typedef struct tgrow {
	tnode_t *nodes;
	size_t nnodes;
	tleaf *leaves;
	size_t nleaves;
	int64_t *gbuf;
} tgrow;

/*
 * Grows one tree, leaf-wise, on rows idx[0..n) (permuted in place so each
 * leaf's rows are contiguous). g: rows x K gradient sums per row, h: rows
 * hessians (fixed point, any scale), cnt: NULL or a per-row weight that
 * multiplies nothing but is the row count (1 when NULL).
 * Returns: 0, or -1 (ENOMEM).
 */
int denai_tgrow_tree(tgrow *t, const tbins *b, const tgrow_params *p,
    const int64_t *g, const int64_t *h, uint32_t *idx, size_t n,
    denai_err *err);
void denai_tgrow_free(tgrow *t);

/* ---- the model */

typedef struct ttree {
	tnode_t *nodes;		/* leaves' .leaf index values */
	size_t nnodes;
	float *values;		/* nleaves x nval */
	size_t nleaves;
	int target;		/* gbt multiclass: the class; else 0 */
} ttree;

struct denai_trained {
	int algo, kind;
	size_t cols;
	size_t nclass;		/* classification */
	int64_t *classes;
	/* trees: thresholds as float edges */
	ttree *trees;
	size_t ntrees;
	int nval;		/* values per leaf */
	float *edge;		/* cols x 255, copied from the bins */
	float base[DENAI_TRAIN_MAX_CLASSES];
	size_t nbase;
	/* linear: rows x cols coefficients */
	float *coef, *icpt;
	size_t ncoefrows;
};

int denai_train_gbt(denai_trained *m, const denai_train_data *d, const int *yc,
    const denai_train_opts *o, denai_train_metrics *mt, denai_err *err);
int denai_train_rf(denai_trained *m, const denai_train_data *d, const int *yc,
    const denai_train_opts *o, denai_train_metrics *mt, denai_err *err);
int denai_train_linear(denai_trained *m, const denai_train_data *d, const int *yc,
    const denai_train_opts *o, denai_train_metrics *mt, denai_err *err);

/* Copies a grown tree (its structure) into the model's tree list. */
int denai_tmodel_add_tree(denai_trained *m, const tgrow *g, int target, int nval,
    denai_err *err);

/* Runs fn(ctx, i, n) for i in 0..n-1 on n threads (n == 1: inline; a
 * thread that cannot start has its share run by the caller). */
void denai_tpar_run(int n, void (*fn)(void *ctx, int i, int n), void *ctx);

/* A pool of n - 1 workers plus the caller (NULL when n <= 1 or no thread
 * starts: denai_tpool_run then runs inline). denai_tpool_run runs fn(ctx, i, n) for
 * i < min(n, threads) and returns when all are done. */
tpool *denai_tpool_new(int n);
void denai_tpool_run(tpool *p, int n, void (*fn)(void *ctx, int i, int n),
    void *ctx);
void denai_tpool_free(tpool *p);

#endif
