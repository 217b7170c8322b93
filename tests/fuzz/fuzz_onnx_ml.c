/*
 * fuzz_onnx_ml.c - the ai.onnx.ml kernels on attributes and inputs the
 * input chooses: tree ensembles whose node lists point anywhere (cycles,
 * shared nodes, missing children, weights on branches, ids out of range,
 * lists of different lengths), SVMs with sizes that do not add up, label
 * encoders, scalers, ... Prepare and run either succeed or fail with a
 * message; nothing crashes, leaks, loops forever or reads out of bounds.
 *
 * Input: op, opset, then attributes (name, type, count, values), then the
 * input tensor (dtype, rank, dims) and its element bytes. Counts and
 * values are small, so trees and tensors stay small.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/node.h"

#include "fuzz_bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ops[] = {
	"TreeEnsembleClassifier", "TreeEnsembleRegressor", "TreeEnsemble",
	"LinearClassifier", "LinearRegressor", "SVMClassifier", "SVMRegressor",
	"Scaler", "Normalizer", "Imputer", "Binarizer", "ArrayFeatureExtractor",
	"LabelEncoder", "ZipMap",
};

/* Attribute names with their natural type. */
static const struct {
	const char *name;
	int type;
} names[] = {
	{ "nodes_treeids", DENAI_AT_INTS }, { "nodes_nodeids", DENAI_AT_INTS },
	{ "nodes_featureids", DENAI_AT_INTS },
	{ "nodes_truenodeids", DENAI_AT_INTS },
	{ "nodes_falsenodeids", DENAI_AT_INTS },
	{ "nodes_modes", DENAI_AT_STRINGS }, { "nodes_values", DENAI_AT_FLOATS },
	{ "nodes_missing_value_tracks_true", DENAI_AT_INTS },
	{ "class_treeids", DENAI_AT_INTS }, { "class_nodeids", DENAI_AT_INTS },
	{ "class_ids", DENAI_AT_INTS }, { "class_weights", DENAI_AT_FLOATS },
	{ "classlabels_int64s", DENAI_AT_INTS },
	{ "classlabels_strings", DENAI_AT_STRINGS },
	{ "classlabels_ints", DENAI_AT_INTS },
	{ "target_treeids", DENAI_AT_INTS }, { "target_nodeids", DENAI_AT_INTS },
	{ "target_ids", DENAI_AT_INTS }, { "target_weights", DENAI_AT_FLOATS },
	{ "n_targets", DENAI_AT_INT }, { "aggregate_function", DENAI_AT_STRING },
	{ "post_transform", DENAI_AT_STRING },
	{ "base_values", DENAI_AT_FLOATS },
	{ "nodes_values_as_tensor", DENAI_AT_TENSOR },
	{ "leaf_targetids", DENAI_AT_INTS }, { "leaf_weights", DENAI_AT_TENSOR },
	{ "nodes_falseleafs", DENAI_AT_INTS }, { "nodes_trueleafs", DENAI_AT_INTS },
	{ "nodes_splits", DENAI_AT_TENSOR }, { "tree_roots", DENAI_AT_INTS },
	{ "membership_values", DENAI_AT_TENSOR },
	{ "coefficients", DENAI_AT_FLOATS }, { "intercepts", DENAI_AT_FLOATS },
	{ "targets", DENAI_AT_INT }, { "kernel_type", DENAI_AT_STRING },
	{ "kernel_params", DENAI_AT_FLOATS },
	{ "vectors_per_class", DENAI_AT_INTS },
	{ "support_vectors", DENAI_AT_FLOATS }, { "rho", DENAI_AT_FLOATS },
	{ "prob_a", DENAI_AT_FLOATS }, { "prob_b", DENAI_AT_FLOATS },
	{ "n_supports", DENAI_AT_INT }, { "one_class", DENAI_AT_INT },
	{ "offset", DENAI_AT_FLOATS }, { "scale", DENAI_AT_FLOATS },
	{ "norm", DENAI_AT_STRING }, { "threshold", DENAI_AT_FLOAT },
	{ "imputed_value_floats", DENAI_AT_FLOATS },
	{ "imputed_value_int64s", DENAI_AT_INTS },
	{ "replaced_value_float", DENAI_AT_FLOAT },
	{ "keys_strings", DENAI_AT_STRINGS }, { "values_int64s", DENAI_AT_INTS },
	{ "keys_int64s", DENAI_AT_INTS }, { "values_strings", DENAI_AT_STRINGS },
	{ "keys_floats", DENAI_AT_FLOATS }, { "values_floats", DENAI_AT_FLOATS },
	{ "classes_strings", DENAI_AT_STRINGS },
	{ "default_int64", DENAI_AT_INT }, { "default_string", DENAI_AT_STRING },
	{ "nodes_modes", DENAI_AT_TENSOR }, { "unknown", DENAI_AT_INT },
};

static const char *const words[] = {
	"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ",
	"BRANCH_NEQ", "LEAF", "BRANCH_MEMBER", "NONE", "LOGISTIC", "SOFTMAX",
	"SOFTMAX_ZERO", "PROBIT", "SUM", "AVERAGE", "MIN", "MAX", "LINEAR",
	"RBF", "POLY", "SIGMOID", "L1", "L2", "a", "b", "",
};

#define MAXATTR 24
#define MAXN 24

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	denai_attr attrs[MAXATTR];
	int64_t ints[MAXATTR][MAXN];
	float floats[MAXATTR][MAXN];
	char *strs[MAXATTR][MAXN];
	denai_tensor *in[2] = { 0 }, *out[2] = { 0 };
	char name[] = "f", type[40], dom[] = "ai.onnx.ml";
	int ins[2] = { 0, 1 }, outs[2] = { 2, 3 }, na, rc, nin;
	const denai_op *op;
	denai_node n;
	denai_err err;

	memset(&n, 0, sizeof(n));
	memset(attrs, 0, sizeof(attrs));
	snprintf(type, sizeof(type), "%s", ops[byte(&r) % N(ops)]);
	n.opset = 1 + (int)(byte(&r) % 5);
	if ((op = denai_op_find(dom, type, n.opset)) == NULL)
		return 0;
	na = (int)(byte(&r) % (MAXATTR + 1));
	for (int i = 0; i < na; i++) {
		denai_attr *a = &attrs[i];
		unsigned k = byte(&r) % N(names), t = byte(&r);

		a->name = (char *)names[k].name;
		a->type = t % 8 == 0 ? (int)(1 + t / 8 % 8) : names[k].type;
		a->n = byte(&r) % (MAXN + 1);
		switch (a->type) {
		case DENAI_AT_INT:
			a->i = (int8_t)byte(&r);
			break;
		case DENAI_AT_FLOAT:
			a->f = (float)(int8_t)byte(&r) / 8;
			break;
		case DENAI_AT_STRING:
			a->s = (char *)words[byte(&r) % N(words)];
			a->slen = strlen(a->s);
			break;
		case DENAI_AT_INTS:
			for (size_t j = 0; j < a->n; j++)
				ints[i][j] = (int64_t)(byte(&r) % 12) - 1;
			a->ints = ints[i];
			break;
		case DENAI_AT_FLOATS:
			for (size_t j = 0; j < a->n; j++)
				floats[i][j] = (float)(int8_t)byte(&r) / 16;
			a->floats = floats[i];
			break;
		case DENAI_AT_STRINGS:
			for (size_t j = 0; j < a->n; j++)
				strs[i][j] = (char *)words[byte(&r) % N(words)];
			a->strings = strs[i];
			break;
		case DENAI_AT_TENSOR: {
			int dt = byte(&r) % 3 == 0 ? DENAI_DT_DOUBLE :
			    byte(&r) % 2 ? DENAI_DT_UINT8 : DENAI_DT_FLOAT;
			int64_t d = (int64_t)a->n;

			if ((a->t = denai_tensor_new()) == NULL ||
			    denai_tensor_reshape(a->t, dt, 1, &d, &err) != 0)
				goto out;
			for (size_t j = 0; j < a->n; j++) {
				int v = (int8_t)byte(&r);

				if (dt == DENAI_DT_DOUBLE)
					DENAI_T_F64(a->t)[j] = v == 127 ?
					    0.0 / 0.0 : v / 16.0;
				else if (dt == DENAI_DT_FLOAT)
					DENAI_T_F32(a->t)[j] = v == 127 ?
					    0.0f / 0.0f : (float)v / 16;
				else
					DENAI_T_U8(a->t)[j] = (uint8_t)(v & 7);
			}
			break;
		}
		default:
			a->type = DENAI_AT_INT;
			break;
		}
	}
	nin = op->min_in;
	for (int i = 0; i < nin; i++) {
		static const int dts[] = { DENAI_DT_FLOAT, DENAI_DT_FLOAT,
		    DENAI_DT_DOUBLE, DENAI_DT_INT64, DENAI_DT_INT32,
		    DENAI_DT_STRING };
		int64_t dims[3];
		int rank = (int)(byte(&r) % 4), dt = dts[byte(&r) % N(dts)];

		if (i == 1)
			dt = DENAI_DT_INT64;
		for (int d = 0; d < rank; d++)
			dims[d] = byte(&r) % 6;
		if ((in[i] = denai_tensor_new()) == NULL ||
		    denai_tensor_reshape(in[i], dt, rank, dims, &err) != 0)
			goto out;
		for (size_t k = 0; k < in[i]->count; k++)
			switch (dt) {
			case DENAI_DT_FLOAT:
				DENAI_T_F32(in[i])[k] = (float)(int8_t)byte(&r) / 8;
				break;
			case DENAI_DT_DOUBLE:
				DENAI_T_F64(in[i])[k] = (int8_t)byte(&r) / 8.0;
				break;
			case DENAI_DT_INT64:
				DENAI_T_I64(in[i])[k] = (int64_t)(byte(&r) % 8) - 1;
				break;
			case DENAI_DT_INT32:
				DENAI_T_I32(in[i])[k] = (int32_t)(byte(&r) % 8) - 1;
				break;
			default:
				if (byte(&r) % 5 != 0 &&
				    (DENAI_T_STR(in[i])[k] = strdup(words[byte(&r) %
				    N(words)])) == NULL)
					goto out;
				break;
			}
	}
	for (int i = 0; i < 2; i++)
		if ((out[i] = denai_tensor_new()) == NULL)
			goto out;
	n.name = name;
	n.op_type = type;
	n.domain = dom;
	n.nin = nin;
	n.nout = op->max_out;
	n.in = ins;
	n.out = outs;
	n.attrs = attrs;
	n.nattrs = na;
	n.op = op;
	memset(&err, 0, sizeof(err));
	rc = op->prepare != NULL ? op->prepare(&n, &err) : 0;
	if (rc == 0) {
		denai_tensor *o[2] = { out[0], byte(&r) % 4 ? out[1] : NULL };

		rc = op->run(&n, (const denai_tensor *const *)in, o, &err);
		if (rc == 0)
			rc = op->run(&n, (const denai_tensor *const *)in, o,
			    &err);
	}
	if (rc != 0 && err.msg[0] == '\0')
		abort();	/* a failure always says why */
	if (op->free_state != NULL)
		op->free_state(n.state);
out:
	for (int i = 0; i < MAXATTR; i++)
		denai_tensor_free(attrs[i].t);
	for (int i = 0; i < 2; i++) {
		denai_tensor_free(in[i]);
		denai_tensor_free(out[i]);
	}
	return 0;
}
