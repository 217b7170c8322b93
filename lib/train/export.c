/*
 * train/export.c - a trained model as an ONNX ModelProto, written with
 * onnx/pbwrite.h: IR version 8, opsets "" 17 and ai.onnx.ml 3, one node.
 *
 * Trees: TreeEnsembleClassifier / TreeEnsembleRegressor with BRANCH_LEQ
 * nodes (x <= the split's float32 bin edge goes to the left child), node
 * ids 0.. in the trainer's order (children after their parent), trees in
 * training order. Boosting: one score (class id 0) with the log-odds start
 * as base value and LOGISTIC for two classes (onnxruntime's rule: label 1
 * iff score > 0 - a pair of leaf-only trees +1, -1 keeps that rule when no
 * leaf weight is negative, as tools/sklearn2onnx.py does); one score per
 * class with SOFTMAX for more; the mean as base value for regression.
 * Forest: weights p / trees summed, only class 1 for two classes (label 1
 * iff score > 0.5, sklearn's argmax with ties to class 0); regression
 * AVERAGE. Linear: LinearClassifier (one row, LOGISTIC, for two classes;
 * SOFTMAX rows otherwise) and LinearRegressor.
 */
#include "train/train_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/pbwrite.h"

#define MODEL_MAX (256u << 20)

enum { AT_FLOAT = 1, AT_INT = 2, AT_STRING = 3, AT_FLOATS = 6, AT_INTS = 7,
    AT_STRINGS = 8 };

static void
attr_begin(denai_pbw *a, const char *name, int type)
{
	denai_pbw_init(a, MODEL_MAX);
	denai_pbw_str(a, 1, name);
	denai_pbw_varint(a, 20, (uint64_t)type);
}

static void
attr_end(denai_pbw *node, denai_pbw *a)
{
	denai_pbw_msg(node, 5, a);
	denai_pbw_free(a);
}

static void
attr_int(denai_pbw *node, const char *name, int64_t v)
{
	denai_pbw a;

	attr_begin(&a, name, AT_INT);
	denai_pbw_varint(&a, 3, (uint64_t)v);
	attr_end(node, &a);
}

static void
attr_str(denai_pbw *node, const char *name, const char *s)
{
	denai_pbw a;

	attr_begin(&a, name, AT_STRING);
	denai_pbw_str(&a, 4, s);
	attr_end(node, &a);
}

static void
attr_ints(denai_pbw *node, const char *name, const int64_t *v, size_t n)
{
	denai_pbw a;

	attr_begin(&a, name, AT_INTS);
	denai_pbw_packed_i64(&a, 8, v, n);
	attr_end(node, &a);
}

static void
attr_floats(denai_pbw *node, const char *name, const float *v, size_t n)
{
	denai_pbw a;

	attr_begin(&a, name, AT_FLOATS);
	denai_pbw_packed_float(&a, 7, v, n);
	attr_end(node, &a);
}

static void
attr_leq_modes(denai_pbw *node, const uint8_t *leaf, size_t n)
{
	denai_pbw a;

	attr_begin(&a, "nodes_modes", AT_STRINGS);
	for (size_t i = 0; i < n; i++)
		denai_pbw_str(&a, 9, leaf[i] ? "LEAF" : "BRANCH_LEQ");
	attr_end(node, &a);
}

/* A ValueInfoProto for a tensor [N] or [N, d1] of elem type et. */
static void
value_info(denai_pbw *g, uint32_t field, const char *name, int et,
    int64_t d1)
{
	denai_pbw vi, tp, tt, sh, dim;

	denai_pbw_init(&vi, MODEL_MAX);
	denai_pbw_init(&tp, MODEL_MAX);
	denai_pbw_init(&tt, MODEL_MAX);
	denai_pbw_init(&sh, MODEL_MAX);
	denai_pbw_init(&dim, MODEL_MAX);
	denai_pbw_str(&dim, 2, "N");
	denai_pbw_msg(&sh, 1, &dim);
	if (d1 > 0) {
		denai_pbw_free(&dim);
		denai_pbw_init(&dim, MODEL_MAX);
		denai_pbw_varint(&dim, 1, (uint64_t)d1);
		denai_pbw_msg(&sh, 1, &dim);
	}
	denai_pbw_varint(&tt, 1, (uint64_t)et);
	denai_pbw_msg(&tt, 2, &sh);
	denai_pbw_msg(&tp, 1, &tt);
	denai_pbw_str(&vi, 1, name);
	denai_pbw_msg(&vi, 2, &tp);
	denai_pbw_msg(g, field, &vi);
	denai_pbw_free(&vi);
	denai_pbw_free(&tp);
	denai_pbw_free(&tt);
	denai_pbw_free(&sh);
	denai_pbw_free(&dim);
}

typedef struct flat {
	int64_t *tid, *nid, *fid, *tt, *ff;
	float *thr;
	uint8_t *leaf;
	size_t n;
	int64_t *wt, *wn, *wc;
	float *wv;
	size_t nw;
} flat;

static void
flat_free(flat *f)
{
	free(f->tid);
	free(f->nid);
	free(f->fid);
	free(f->tt);
	free(f->ff);
	free(f->thr);
	free(f->leaf);
	free(f->wt);
	free(f->wn);
	free(f->wc);
	free(f->wv);
}

/* Flattens the trees (plus nextra leaf-only trees with weights extra[])
 * into attribute arrays. Returns: 0 or -1. */
static int
flatten(const denai_trained *m, flat *f, const float *extra, int nextra)
{
	size_t nn = (size_t)nextra, nw = (size_t)nextra, at = 0, aw = 0;
	int binary_rf = m->algo == DENAI_ALGO_RF &&
	    m->kind == DENAI_KIND_CLASSIFY && m->nclass == 2;
	int perleaf = binary_rf ? 1 : m->nval;

	for (size_t t = 0; t < m->ntrees; t++) {
		nn += m->trees[t].nnodes;
		nw += m->trees[t].nleaves * (size_t)perleaf;
	}
	memset(f, 0, sizeof(*f));
	f->tid = malloc(nn * 8);
	f->nid = malloc(nn * 8);
	f->fid = malloc(nn * 8);
	f->tt = malloc(nn * 8);
	f->ff = malloc(nn * 8);
	f->thr = malloc(nn * 4);
	f->leaf = malloc(nn);
	f->wt = malloc(nw * 8);
	f->wn = malloc(nw * 8);
	f->wc = malloc(nw * 8);
	f->wv = malloc(nw * 4);
	if (f->tid == NULL || f->nid == NULL || f->fid == NULL ||
	    f->tt == NULL || f->ff == NULL || f->thr == NULL ||
	    f->leaf == NULL || f->wt == NULL || f->wn == NULL ||
	    f->wc == NULL || f->wv == NULL)
		return -1;
	for (size_t t = 0; t < m->ntrees + (size_t)nextra; t++) {
		const ttree *tr = t < m->ntrees ? &m->trees[t] : NULL;
		size_t nodes = tr != NULL ? tr->nnodes : 1;

		for (size_t i = 0; i < nodes; i++, at++) {
			const tnode_t *nd = tr != NULL ? &tr->nodes[i] : NULL;
			int isleaf = nd == NULL || nd->feat < 0;

			f->tid[at] = (int64_t)t;
			f->nid[at] = (int64_t)i;
			f->leaf[at] = (uint8_t)isleaf;
			f->fid[at] = isleaf ? 0 : nd->feat;
			f->tt[at] = isleaf ? 0 : nd->left;
			f->ff[at] = isleaf ? 0 : nd->right;
			f->thr[at] = isleaf ? 0.0f :
			    m->edge[(size_t)nd->feat * 255 + (size_t)nd->bin];
			if (!isleaf)
				continue;
			if (tr == NULL) {
				f->wt[aw] = (int64_t)t;
				f->wn[aw] = (int64_t)i;
				f->wc[aw] = 0;
				f->wv[aw++] = extra[t - m->ntrees];
				continue;
			}
			for (int k = 0; k < perleaf; k++, aw++) {
				int kk = binary_rf ? 1 : k;
				float v = tr->values[(size_t)nd->leaf *
				    (size_t)m->nval + (size_t)kk];

				f->wt[aw] = (int64_t)t;
				f->wn[aw] = (int64_t)i;
				f->wc[aw] = m->algo == DENAI_ALGO_GBT ?
				    tr->target : kk;
				if (m->algo == DENAI_ALGO_RF &&
				    m->kind == DENAI_KIND_CLASSIFY)
					v = (float)((double)v /
					    (double)m->ntrees) + 0.0f;
				f->wv[aw] = v;
			}
		}
	}
	f->n = at;
	f->nw = aw;
	return 0;
}

static int
tree_node(const denai_trained *m, denai_pbw *node)
{
	flat f;
	int classify = m->kind == DENAI_KIND_CLASSIFY, nextra = 0;
	const char *pre = classify ? "class_" : "target_";
	char nm[32];
	static const float extra[2] = { 1.0f, -1.0f };

	if (m->algo == DENAI_ALGO_GBT && classify && m->nclass == 2) {
		int neg = 0;

		for (size_t t = 0; t < m->ntrees && !neg; t++)
			for (size_t l = 0; l < m->trees[t].nleaves; l++)
				neg |= m->trees[t].values[l] < 0;
		if (!neg)
			nextra = 2;
	}
	if (flatten(m, &f, extra, nextra) != 0) {
		flat_free(&f);
		return -1;
	}
	denai_pbw_str(node, 4, classify ? "TreeEnsembleClassifier" :
	    "TreeEnsembleRegressor");
	attr_ints(node, "nodes_treeids", f.tid, f.n);
	attr_ints(node, "nodes_nodeids", f.nid, f.n);
	attr_ints(node, "nodes_featureids", f.fid, f.n);
	attr_leq_modes(node, f.leaf, f.n);
	attr_floats(node, "nodes_values", f.thr, f.n);
	attr_ints(node, "nodes_truenodeids", f.tt, f.n);
	attr_ints(node, "nodes_falsenodeids", f.ff, f.n);
	snprintf(nm, sizeof(nm), "%streeids", pre);
	attr_ints(node, nm, f.wt, f.nw);
	snprintf(nm, sizeof(nm), "%snodeids", pre);
	attr_ints(node, nm, f.wn, f.nw);
	snprintf(nm, sizeof(nm), "%sids", pre);
	attr_ints(node, nm, f.wc, f.nw);
	snprintf(nm, sizeof(nm), "%sweights", pre);
	attr_floats(node, nm, f.wv, f.nw);
	if (m->nbase > 0)
		attr_floats(node, "base_values", m->base, m->nbase);
	if (classify) {
		attr_ints(node, "classlabels_int64s", m->classes, m->nclass);
		attr_str(node, "post_transform", m->algo != DENAI_ALGO_GBT ?
		    "NONE" : m->nclass == 2 ? "LOGISTIC" : "SOFTMAX");
	} else {
		attr_int(node, "n_targets", 1);
		attr_str(node, "aggregate_function",
		    m->algo == DENAI_ALGO_RF ? "AVERAGE" : "SUM");
		attr_str(node, "post_transform", "NONE");
	}
	flat_free(&f);
	return 0;
}

static void
linear_node(const denai_trained *m, denai_pbw *node)
{
	int classify = m->kind == DENAI_KIND_CLASSIFY;

	denai_pbw_str(node, 4, classify ? "LinearClassifier" :
	    "LinearRegressor");
	attr_floats(node, "coefficients", m->coef, m->ncoefrows * m->cols);
	attr_floats(node, "intercepts", m->icpt, m->ncoefrows);
	if (classify) {
		attr_ints(node, "classlabels_ints", m->classes, m->nclass);
		attr_str(node, "post_transform", m->nclass == 2 ? "LOGISTIC" :
		    "SOFTMAX");
	} else {
		attr_int(node, "targets", 1);
		attr_str(node, "post_transform", "NONE");
	}
}

int
denai_trained_onnx(const denai_trained *m, const char *doc, uint8_t **buf,
    size_t *len, denai_err *err)
{
	denai_pbw model, graph, node, ops;
	int classify = m->kind == DENAI_KIND_CLASSIFY, rc = -1;

	*buf = NULL;
	*len = 0;
	denai_pbw_init(&model, MODEL_MAX);
	denai_pbw_init(&graph, MODEL_MAX);
	denai_pbw_init(&node, MODEL_MAX);
	denai_pbw_init(&ops, MODEL_MAX);
	denai_pbw_str(&node, 1, "X");
	if (classify) {
		denai_pbw_str(&node, 2, "label");
		denai_pbw_str(&node, 2, "probabilities");
	} else
		denai_pbw_str(&node, 2, "variable");
	denai_pbw_str(&node, 3, m->algo == DENAI_ALGO_LINEAR ? "linear" :
	    "trees");
	if (m->algo == DENAI_ALGO_LINEAR)
		linear_node(m, &node);
	else if (tree_node(m, &node) != 0) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	denai_pbw_str(&node, 7, "ai.onnx.ml");
	denai_pbw_msg(&graph, 1, &node);
	denai_pbw_str(&graph, 2, "denai");
	value_info(&graph, 11, "X", 1, (int64_t)m->cols);
	if (classify) {
		value_info(&graph, 12, "label", 7, 0);
		value_info(&graph, 12, "probabilities", 1, (int64_t)m->nclass);
	} else
		value_info(&graph, 12, "variable", 1, 1);
	denai_pbw_varint(&model, 1, 8);
	denai_pbw_str(&model, 2, "denai-train");
	denai_pbw_str(&model, 3, "1");
	if (doc != NULL)
		denai_pbw_str(&model, 6, doc);
	denai_pbw_msg(&model, 7, &graph);
	denai_pbw_str(&ops, 1, "");
	denai_pbw_varint(&ops, 2, 17);
	denai_pbw_msg(&model, 8, &ops);
	denai_pbw_free(&ops);
	denai_pbw_init(&ops, MODEL_MAX);
	denai_pbw_str(&ops, 1, "ai.onnx.ml");
	denai_pbw_varint(&ops, 2, 3);
	denai_pbw_msg(&model, 8, &ops);
	rc = denai_pbw_take(&model, buf, len, err);
out:
	denai_pbw_free(&model);
	denai_pbw_free(&graph);
	denai_pbw_free(&node);
	denai_pbw_free(&ops);
	return rc;
}
