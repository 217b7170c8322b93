/*
 * train/train.h - training models in C, deterministically, and writing
 * them as standard ONNX (ai.onnx.ml).
 *
 * Algorithms: histogram gradient-boosted trees (binary and multiclass
 * log-loss, squared error), a random forest (bootstrap, feature sampling,
 * Gini / variance), logistic and linear regression. Features are first
 * binned (up to 255 bins, quantile edges); every split decision is made on
 * integer histogram sums (fixed-point gradients), so the model does not
 * depend on the thread count or the order of additions. Tie-breaking is
 * fixed (the lower feature, then the lower bin, then the older leaf); the
 * only randomness is train/rng.h's xoshiro256** seeded from opts.seed.
 * Floating point is plain IEEE-754 double with no contraction (mk/build.mk)
 * and the elementary functions of onnx/dmath.h, so the same data and
 * options give the same model bytes on every machine, build and thread
 * count.
 *
 * A split "bin <= b" is exported as "x <= t" with t a float32 between the
 * largest training value in bin b and the smallest in bin b+1, so the
 * ONNX model partitions the float32 training rows exactly as training did.
 *
 * Ownership: denai_trained is a heap object (denai_train / denai_trained_free);
 * the data is the caller's and only read.
 */
#ifndef DENAI_TRAIN_TRAIN_H
#define DENAI_TRAIN_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum denai_train_algo { DENAI_ALGO_GBT, DENAI_ALGO_RF, DENAI_ALGO_LINEAR };
/* The task kinds of docs/platform.md. */
enum denai_train_kind { DENAI_KIND_CLASSIFY = 0, DENAI_KIND_REGRESS = 1 };

/* Largest number of classes a classifier may have. */
#define DENAI_TRAIN_MAX_CLASSES 256

typedef struct denai_train_opts {
	int algo;		/* enum denai_train_algo */
	int kind;		/* enum denai_train_kind */
	int trees;		/* boosting iterations / forest trees (100) */
	int leaves;		/* leaves per tree, 2..1024 (31) */
	int bins;		/* feature bins, 2..255 (255) */
	double lr;		/* gbt learning rate (0.1) */
	double l2;		/* gbt L2 on leaf values (0); linear: 1/C (1) */
	int min_leaf;		/* rows per leaf (gbt 20, rf 1) */
	int iters;		/* linear: gradient iterations (300) */
	uint64_t seed;		/* rf bootstrap and feature sampling */
	int threads;		/* 1..64 */
	/* Called after each tree or iteration (may be NULL). */
	void (*progress)(void *ctx, int done, int total);
	void *progress_ctx;
} denai_train_opts;

/* Fills *o with the defaults above for algo and kind. */
void denai_train_defaults(denai_train_opts *o, int algo, int kind);

/* Training data: rows x cols features, row-major float32, and the labels
 * (integers for classification). Both are only read. */
typedef struct denai_train_data {
	size_t rows, cols;
	const float *x;
	const float *y;
} denai_train_data;

typedef struct denai_train_metrics {
	double loss;		/* final training loss (log-loss or MSE) */
	double accuracy;	/* classification: fraction right on training */
	double r2;		/* regression: on training */
	size_t nodes;		/* tree nodes in the model */
	size_t classes;		/* classification */
} denai_train_metrics;

typedef struct denai_trained denai_trained;

/*
 * Trains a model.
 * Returns: the model, or NULL with err filled (DENAI_EDATA for data that
 * cannot be trained on: no rows, a non-integer class label, one class;
 * DENAI_EUSAGE for options out of range; DENAI_ENOMEM).
 */
denai_trained *denai_train(const denai_train_data *d, const denai_train_opts *o,
    denai_train_metrics *m, denai_err *err);
void denai_trained_free(denai_trained *m);

/*
 * The model as an ONNX ModelProto (IR 8, ai.onnx.ml 3): one float input
 * "X" [N, cols]; a classifier outputs "label" (int64 [N], the class label)
 * and "probabilities" (float [N, classes]); a regressor "variable" (float
 * [N, 1]). doc goes in the model's doc_string (may be NULL).
 * Out: *buf (malloc'd), *len. Returns: 0, or -1.
 */
int denai_trained_onnx(const denai_trained *m, const char *doc, uint8_t **buf,
    size_t *len, denai_err *err) DENAI_WUR;

/* Returns: "gbt", "rf", "linear" (or NULL); the algo for a name, or -1. */
const char *denai_train_algo_name(int algo);
int denai_train_algo_parse(const char *name);

#endif
