/*
 * validate/validate.h - judging a task's test set and scoring a model on
 * it, as every validator must, the same way (PLATFORM.md "Data").
 *
 * A test set is valid when it reads under the CSV limits, has the label
 * column, a header equal to the training set's, and labels that are
 * targets of the task's kind (integers in int64 for classification;
 * label * 10^decimals within int256 for regression). Its features are the
 * columns in header order without the label: one row is exactly the data
 * point a prediction request for the winner sends.
 *
 * A model is scored by predicting every row as the oracle would predict
 * that row alone (batch of one, the same feeding and the same on-chain
 * encoding, lib/onnx/predict.h), so the score is what the registered
 * model would earn. It is invalid, scoring type(int256).min, when it
 * breaks a limit (data/limits.h), has not exactly one tensor input taking
 * a row's features, fails to load, or fails on any row; the reason names
 * the first such row. Rows may be split among threads: the score and the
 * reason do not depend on how.
 *
 * Ownership: both structs are the caller's; _free releases what they
 * hold.
 */
#ifndef DENAI_VALIDATE_H
#define DENAI_VALIDATE_H

#include <stdint.h>

#include "err.h"
#include "data/csv.h"
#include "data/limits.h"
#include "data/score.h"

struct denai_testset {
	int valid;		/* 0: see reason */
	char reason[256];
	int kind;		/* enum denai_task_kind */
	unsigned decimals;
	struct denai_csv csv;	/* with texts */
	int label;		/* the label's column */
	size_t rows, nfeat;
	float *feat;		/* rows * nfeat */
	denai_u256 *target;	/* rows */
};

/*
 * Reads and judges the test set at test_path against the training set's
 * header (train_path may be NULL: no comparison) for a task of kind,
 * decimals and label column.
 * Returns: 0 with ts->valid saying the verdict (a malformed or unfit file
 * is a verdict, not an error), or -1 with err when a file cannot be read
 * here (DENAI_EIO) or memory runs out.
 */
int denai_testset_load(struct denai_testset *ts, const char *test_path,
    const char *train_path, const char *label, int kind, unsigned decimals,
    const struct denai_limits *l, denai_err *err) DENAI_WUR;
void denai_testset_free(struct denai_testset *ts);

struct denai_model_score {
	int valid;		/* 0: invalid, see reason */
	char reason[256];
	denai_u256 score;	/* int256 */
	uint64_t rows;		/* rows scored (all of them when valid) */
	uint64_t work;		/* the model's work per row (limits.h) */
};

/*
 * Scores the model file at model_path on ts (valid) under l, in jobs
 * threads (1 or more).
 * Returns: 0 with *r (valid or not), or -1 with err when the file cannot
 * be read here (DENAI_EIO) or memory runs out.
 */
int denai_validate_model(struct denai_model_score *r, const char *model_path,
    const struct denai_testset *ts, const struct denai_limits *l, int jobs,
    denai_err *err) DENAI_WUR;

#endif
