/*
 * onnx/ops_ml_tree.h - what the tree-ensemble kernels share between
 * loading (ops_ml_tree.c: attributes flattened into one node array) and
 * evaluating (ops_ml_tree_run.c). Internal to lib/onnx.
 */
#ifndef DENAI_ONNX_OPS_ML_TREE_H
#define DENAI_ONNX_OPS_ML_TREE_H

#include "onnx/ops_ml.h"

enum { M_LEQ, M_LT, M_GTE, M_GT, M_EQ, M_NEQ, M_MEMBER, M_LEAF };
enum { AGG_SUM, AGG_AVERAGE, AGG_MIN, AGG_MAX };
enum { K_CLASSIFIER, K_REGRESSOR, K_ENSEMBLE };

typedef struct tnode {
	double thr;
	int32_t feat;		/* -1 for a leaf */
	uint8_t mode;
	uint8_t mtrue;		/* missing value (NaN) goes the true way */
	int32_t t, f;		/* children; a leaf: first weight, count */
	int32_t set, nset;	/* BRANCH_MEMBER: its values in sets[] */
} tnode;

typedef struct tweight {
	int32_t id;
	double w;
} tweight;

typedef struct tree_state {
	int kind;
	tnode *nodes;
	size_t nnodes;
	int32_t *roots;
	size_t ntrees;
	tweight *w;
	size_t nw;
	double *sets;
	size_t nsets;
	double *base;
	size_t nbase;
	int64_t ntargets;	/* classes or targets */
	int32_t nfeat;		/* 1 + the largest feature id */
	int agg, post, dbl, simple;
	ml_labels labels;
	int binary_case, allpos;
} tree_state;

/* Shared by the loaders (ops_ml_tree.c, ops_ml_tree5.c). */
/* Sets s->simple: every branch is a plain <= with no missing-value rule. */
void denai_ml_tree_finish_flags(tree_state *s);
/* Fails n (DENAI_EDATA) unless an attribute has want entries. */
int denai_ml_tree_same_len(const denai_node *n, size_t want, size_t got,
    const char *name, denai_err *err);

#endif
