/*
 * test_onnx_ml.c - the ai.onnx.ml kernels on hand-computed cases: tree node
 * modes at their thresholds, NaN and missing-value tracking, base values
 * and aggregates, onnxruntime's binary-classifier label rules, the fixed
 * (tree-id) summation order, malformed trees refused at load, and the
 * linear, SVM and preprocessing kernels. (tests/onnx/ml_*.t compare the
 * same kernels with onnxruntime and sklearn.)
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "onnx/node.h"

#define ML "ai.onnx.ml"
#define NA(a) (sizeof(a) / sizeof((a)[0]))

static denai_attr
a_ints(const char *name, const int64_t *v, size_t n)
{
	denai_attr a = { 0 };

	a.name = (char *)name;
	a.type = DENAI_AT_INTS;
	a.ints = (int64_t *)v;
	a.n = n;
	return a;
}

static denai_attr
a_floats(const char *name, const float *v, size_t n)
{
	denai_attr a = { 0 };

	a.name = (char *)name;
	a.type = DENAI_AT_FLOATS;
	a.floats = (float *)v;
	a.n = n;
	return a;
}

static denai_attr
a_strs(const char *name, const char *const *v, size_t n)
{
	denai_attr a = { 0 };

	a.name = (char *)name;
	a.type = DENAI_AT_STRINGS;
	a.strings = (char **)v;
	a.n = n;
	return a;
}

static denai_attr
a_str(const char *name, const char *s)
{
	denai_attr a = { 0 };

	a.name = (char *)name;
	a.type = DENAI_AT_STRING;
	a.s = (char *)s;
	a.slen = strlen(s);
	return a;
}

/* A node of op_type with attrs; prepared. Returns: 0, or -1 with err. */
static int
mk(denai_node *nd, const char *op, int opset, denai_attr *attrs, int nattrs,
    denai_err *err)
{
	memset(nd, 0, sizeof(*nd));
	nd->name = "t";
	nd->op_type = (char *)op;
	nd->domain = ML;
	nd->opset = opset;
	nd->attrs = attrs;
	nd->nattrs = nattrs;
	if ((nd->op = denai_op_find(ML, op, opset)) == NULL)
		return denai_err_set(err, DENAI_EUNSUP, "no op %s", op);
	return nd->op->prepare != NULL ? nd->op->prepare(nd, err) : 0;
}

static void
unmk(denai_node *nd)
{
	if (nd->op != NULL && nd->op->free_state != NULL)
		nd->op->free_state(nd->state);
	nd->state = NULL;
}

/* Runs nd on one float row x[nf]; out0/out1 are the outputs. */
static int
run1(denai_node *nd, const float *x, int64_t nf, denai_tensor *o0,
    denai_tensor *o1, denai_err *err)
{
	denai_tensor *in = denai_tensor_new();
	int64_t dims[2] = { 1, nf };
	const denai_tensor *ins[1];
	denai_tensor *outs[2] = { o0, o1 };
	int rc;

	if (denai_tensor_reshape(in, DENAI_DT_FLOAT, 2, dims, err) != 0)
		return -1;
	memcpy(in->data, x, (size_t)nf * sizeof(float));
	ins[0] = in;
	rc = nd->op->run(nd, ins, outs, err);
	denai_tensor_free(in);
	return rc;
}

/* One stump: x[0] MODE 0.5 ? 1.5 : -2 (tree 0: node 0 branch, 1 true
 * leaf, 2 false leaf). */
static const int64_t st_tree[] = { 0, 0, 0 }, st_node[] = { 0, 1, 2 },
    st_feat[] = { 0, 0, 0 }, st_t[] = { 1, 0, 0 }, st_f[] = { 2, 0, 0 },
    st_wt[] = { 0, 0 }, st_wn[] = { 1, 2 }, st_wi[] = { 0, 0 };
static const float st_val[] = { 0.5f, 0, 0 }, st_w[] = { 1.5f, -2.0f };

static float
stump(const char *mode, float x, int mtrue, float base, denai_err *err)
{
	const char *modes[] = { mode, "LEAF", "LEAF" };
	const int64_t miss[] = { mtrue, 0, 0 };
	denai_attr at[14];
	denai_node nd;
	denai_tensor *y = denai_tensor_new();
	float v = NAN;
	int n = 0;

	at[n++] = a_ints("nodes_treeids", st_tree, 3);
	at[n++] = a_ints("nodes_nodeids", st_node, 3);
	at[n++] = a_ints("nodes_featureids", st_feat, 3);
	at[n++] = a_strs("nodes_modes", modes, 3);
	at[n++] = a_floats("nodes_values", st_val, 3);
	at[n++] = a_ints("nodes_truenodeids", st_t, 3);
	at[n++] = a_ints("nodes_falsenodeids", st_f, 3);
	at[n++] = a_ints("nodes_missing_value_tracks_true", miss, 3);
	at[n++] = a_ints("target_treeids", st_wt, 2);
	at[n++] = a_ints("target_nodeids", st_wn, 2);
	at[n++] = a_ints("target_ids", st_wi, 2);
	at[n++] = a_floats("target_weights", st_w, 2);
	if (base != 0)
		at[n++] = a_floats("base_values", &base, 1);
	if (mk(&nd, "TreeEnsembleRegressor", 3, at, n, err) == 0 &&
	    run1(&nd, &x, 1, y, NULL, err) == 0)
		v = DENAI_T_F32(y)[0];
	unmk(&nd);
	denai_tensor_free(y);
	return v;
}

static void
test_modes(void)
{
	static const struct {
		const char *mode;
		float x, want;
	} c[] = {
		{ "BRANCH_LEQ", 0.5f, 1.5f }, { "BRANCH_LEQ", 0.6f, -2 },
		{ "BRANCH_LT", 0.5f, -2 }, { "BRANCH_LT", 0.4f, 1.5f },
		{ "BRANCH_GTE", 0.5f, 1.5f }, { "BRANCH_GTE", 0.4f, -2 },
		{ "BRANCH_GT", 0.5f, -2 }, { "BRANCH_GT", 0.6f, 1.5f },
		{ "BRANCH_EQ", 0.5f, 1.5f }, { "BRANCH_EQ", 0.4f, -2 },
		{ "BRANCH_NEQ", 0.5f, -2 }, { "BRANCH_NEQ", 0.4f, 1.5f },
	};
	denai_err err;

	for (size_t i = 0; i < NA(c); i++) {
		float v = stump(c[i].mode, c[i].x, 0, 0, &err);

		if (!ok(v == c[i].want, "%s at x=%g gives %g", c[i].mode,
		    c[i].x, c[i].want))
			diag("got %g (%s)", v, err.msg);
	}
	ok(stump("BRANCH_LEQ", NAN, 0, 0, &err) == -2.0f,
	    "NaN goes the false way");
	ok(stump("BRANCH_LEQ", NAN, 1, 0, &err) == 1.5f,
	    "NaN goes the true way with missing_value_tracks_true");
	ok(stump("BRANCH_LEQ", 0.0f, 0, 10.0f, &err) == 11.5f,
	    "base_values are added");
	ok(isnan(stump("BRANCH_SOMETIMES", 0.0f, 0, 0, &err)) &&
	    strstr(err.msg, "BRANCH_SOMETIMES") != NULL,
	    "an unknown node mode fails the load: %s", err.msg);
}

/*
 * Three one-leaf trees listed in attribute order 2, 1, 0, weighing 1, -1e8
 * and 1e8 by tree id 0, 1, 2. Summed in float in tree-id order,
 * (1 + -1e8) rounds to -1e8 and the sum is 0; in attribute order it would
 * be (1e8 + -1e8) + 1 = 1.
 */
static void
test_order(void)
{
	const int64_t tree[] = { 2, 1, 0 }, node[] = { 0, 0, 0 },
	    zero[] = { 0, 0, 0 };
	const char *modes[] = { "LEAF", "LEAF", "LEAF" };
	const float val[] = { 0, 0, 0 };
	const float w[] = { 1e8f, -1e8f, 1.0f };
	denai_attr at[] = {
		a_ints("nodes_treeids", tree, 3), a_ints("nodes_nodeids", node, 3),
		a_ints("nodes_featureids", zero, 3), a_strs("nodes_modes", modes, 3),
		a_floats("nodes_values", val, 3),
		a_ints("nodes_truenodeids", zero, 3),
		a_ints("nodes_falsenodeids", zero, 3),
		a_ints("target_treeids", tree, 3), a_ints("target_nodeids", node, 3),
		a_ints("target_ids", zero, 3), a_floats("target_weights", w, 3),
	};
	denai_node nd;
	denai_err err;
	denai_tensor *y = denai_tensor_new();
	float x = 0, v = NAN;


	if (mk(&nd, "TreeEnsembleRegressor", 1, at, NA(at), &err) == 0 &&
	    run1(&nd, &x, 1, y, NULL, &err) == 0)
		v = DENAI_T_F32(y)[0];
	else
		diag("%s", err.msg);
	ok(v == 0.0f, "trees are summed in float in tree-id order (got %g)",
	    v);
	unmk(&nd);
	denai_tensor_free(y);
}

/* A binary classifier of two one-leaf trees with the given weights. */
static int64_t
binary(const int64_t *ids, const float *w, size_t nw, float *p0, float *p1)
{
	const int64_t tree[] = { 0, 1 }, node[] = { 0, 0 }, zero[] = { 0, 0 },
	    wtree[] = { 0, 1, 0, 1 }, wnode[] = { 0, 0, 0, 0 },
	    labels[] = { 0, 1 };
	const char *modes[] = { "LEAF", "LEAF" };
	const float val[] = { 0, 0 };
	denai_attr at[] = {
		a_ints("nodes_treeids", tree, 2), a_ints("nodes_nodeids", node, 2),
		a_ints("nodes_featureids", zero, 2), a_strs("nodes_modes", modes, 2),
		a_floats("nodes_values", val, 2),
		a_ints("nodes_truenodeids", zero, 2),
		a_ints("nodes_falsenodeids", zero, 2),
		a_ints("class_treeids", wtree, nw), a_ints("class_nodeids", wnode, nw),
		a_ints("class_ids", ids, nw), a_floats("class_weights", w, nw),
		a_ints("classlabels_int64s", labels, 2),
	};
	denai_node nd;
	denai_err err;
	denai_tensor *y = denai_tensor_new(), *z = denai_tensor_new();
	float x = 0;
	int64_t label = -1;

	if (mk(&nd, "TreeEnsembleClassifier", 3, at, NA(at), &err) == 0 &&
	    run1(&nd, &x, 1, y, z, &err) == 0) {
		label = DENAI_T_I64(y)[0];
		*p0 = DENAI_T_F32(z)[0];
		*p1 = DENAI_T_F32(z)[1];
	} else
		diag("%s", err.msg);
	unmk(&nd);
	denai_tensor_free(y);
	denai_tensor_free(z);
	return label;
}

static void
test_binary_rules(void)
{
	const int64_t ones[] = { 1, 1 }, zeros[] = { 0, 0 },
	    both[] = { 0, 0, 1, 1 };
	const float quarter[] = { 0.25f, 0.25f }, q3[] = { 0.25f, 0.5f },
	    mixed[] = { 0.5f, -0.25f }, m0[] = { 0.5f, -0.5f },
	    bothw[] = { 0.45f, 0.45f, 0.05f, 0.05f };
	float p0, p1;

	ok(binary(ones, quarter, 2, &p0, &p1) == 0 && p1 == 0.5f,
	    "class-1 weights >= 0: a score of exactly 0.5 is class 0");
	ok(binary(ones, q3, 2, &p0, &p1) == 1 && p1 == 0.75f,
	    "class-1 weights >= 0: 0.75 is class 1");
	ok(binary(ones, mixed, 2, &p0, &p1) == 1 && p1 == 0.25f,
	    "mixed weights: a score of 0.25 > 0 is class 1");
	ok(binary(ones, m0, 2, &p0, &p1) == 0 && p1 == 0.0f,
	    "mixed weights: a score of 0 (a tie) is class 0");
	ok(binary(zeros, mixed, 2, &p0, &p1) == 1 && p0 == -0.25f &&
	    p1 == 0.25f, "class-0 weights only: the score is class 1's, "
	    "scores are [-s, s]");
	/* onnxruntime's rule with weights on both classes: class 1 whenever
	 * its score is > 0, although class 0's is larger here. */
	ok(binary(both, bothw, 4, &p0, &p1) == 1 && p0 == 0.9f && p1 == 0.1f,
	    "weights on both classes: label 1 when class 1's score > 0 "
	    "(onnxruntime's rule)");
}

static void
test_malformed(void)
{
	/* node 0 branches to leaf 1 and node 2; node 2 to leaf 3 and f2 */
	static const struct {
		const char *what;
		int64_t f2;		/* node 2's false child (4: leaf 4) */
		int64_t wnode;		/* where the weight sits */
		int64_t wid;		/* its class id */
	} c[] = {
		{ "a cycle", 2, 1, 0 },
		{ "a missing child", 9, 1, 0 },
		{ "a weight on a branch", 4, 2, 0 },
		{ "a class id out of range", 4, 1, 5 },
	};
	const int64_t tree[] = { 0, 0, 0, 0, 0 }, node[] = { 0, 1, 2, 3, 4 },
	    feat[] = { 0, 0, 0, 0, 0 }, labels[] = { 0, 1 };
	const char *modes[] = { "BRANCH_LEQ", "LEAF", "BRANCH_LEQ", "LEAF",
	    "LEAF" };
	const float val[] = { 0, 0, 0, 0, 0 }, w[] = { 1 };

	for (size_t i = 0; i < NA(c); i++) {
		const int64_t t[] = { 1, 0, 3, 0, 0 },
		    f[] = { 2, 0, c[i].f2, 0, 0 },
		    wt[] = { 0 }, wn[] = { c[i].wnode }, wi[] = { c[i].wid };
		denai_attr at[] = {
			a_ints("nodes_treeids", tree, 5),
			a_ints("nodes_nodeids", node, 5),
			a_ints("nodes_featureids", feat, 5),
			a_strs("nodes_modes", modes, 5),
			a_floats("nodes_values", val, 5),
			a_ints("nodes_truenodeids", t, 5),
			a_ints("nodes_falsenodeids", f, 5),
			a_ints("class_treeids", wt, 1),
			a_ints("class_nodeids", wn, 1), a_ints("class_ids", wi, 1),
			a_floats("class_weights", w, 1),
			a_ints("classlabels_int64s", labels, 2),
		};
		denai_node nd;
		denai_err err;

		err.msg[0] = '\0';
		ok(mk(&nd, "TreeEnsembleClassifier", 3, at, NA(at), &err) != 0 &&
		    err.code == DENAI_EDATA, "%s fails the load: %s", c[i].what,
		    err.msg);
		unmk(&nd);
	}
	{
		const int64_t valid[] = { 1, 0, 3, 0, 0 }, f[] = { 2, 0, 4, 0, 0 },
		    wt[] = { 0 }, wn[] = { 1 }, wi[] = { 1 };
		denai_attr at[] = {
			a_ints("nodes_treeids", tree, 5),
			a_ints("nodes_nodeids", node, 5),
			a_ints("nodes_featureids", feat, 5),
			a_strs("nodes_modes", modes, 5),
			a_floats("nodes_values", val, 5),
			a_ints("nodes_truenodeids", valid, 5),
			a_ints("nodes_falsenodeids", f, 5),
			a_ints("class_treeids", wt, 1),
			a_ints("class_nodeids", wn, 1), a_ints("class_ids", wi, 1),
			a_floats("class_weights", w, 1),
			a_ints("classlabels_int64s", labels, 2),
		};
		denai_node nd;
		denai_err err;

		ok(mk(&nd, "TreeEnsembleClassifier", 3, at, NA(at), &err) == 0,
		    "the same tree well formed loads");
		unmk(&nd);
	}
	{
		const int64_t t[] = { 1, 2, 0 };
		denai_attr at[] = {
			a_ints("nodes_treeids", tree, 3),
			a_ints("nodes_nodeids", node, 2),
			a_ints("nodes_truenodeids", t, 3),
		};
		denai_node nd;
		denai_err err;

		ok(mk(&nd, "TreeEnsembleRegressor", 3, at, NA(at), &err) != 0,
		    "lists of different lengths fail the load: %s", err.msg);
		unmk(&nd);
	}
	{
		denai_attr at[] = { a_str("frobnicate", "yes") };
		denai_node nd;
		denai_err err;

		ok(mk(&nd, "TreeEnsembleRegressor", 3, at, NA(at), &err) != 0 &&
		    strstr(err.msg, "frobnicate") != NULL,
		    "an unknown attribute fails the load: %s", err.msg);
		unmk(&nd);
	}
}

static void
test_linear_svm_prep(void)
{
	const float coef[] = { 1, -1 }, icpt[] = { 0 }, rho[] = { 1 },
	    kp[] = { 0, 0, 0 }, svc[] = { 2, 3 }, off[] = { 1 }, sc[] = { 2 };
	const int64_t labels[] = { 3, 7 };
	const char *classes[] = { "a", "b" };
	denai_node nd;
	denai_err err;
	denai_tensor *y = denai_tensor_new(), *z = denai_tensor_new();
	float x1[] = { 2, 1 }, x0[] = { 1, 1 }, x3 = 3;

	{
		denai_attr at[] = { a_floats("coefficients", coef, 2),
		    a_floats("intercepts", icpt, 1),
		    a_ints("classlabels_ints", labels, 2) };

		ok(mk(&nd, "LinearClassifier", 1, at, NA(at), &err) == 0 &&
		    run1(&nd, x1, 2, y, z, &err) == 0 &&
		    DENAI_T_I64(y)[0] == 7 && DENAI_T_F32(z)[0] == 0.0f &&
		    DENAI_T_F32(z)[1] == 1.0f,
		    "LinearClassifier: score 1 > 0 is the second label, "
		    "scores [1-s, s]");
		ok(run1(&nd, x0, 2, y, z, &err) == 0 && DENAI_T_I64(y)[0] == 3,
		    "LinearClassifier: score 0 is the first label");
		unmk(&nd);
	}
	{
		denai_attr at[] = { a_floats("coefficients", svc, 2),
		    a_floats("rho", rho, 1), a_floats("kernel_params", kp, 3) };

		ok(mk(&nd, "SVMRegressor", 1, at, NA(at), &err) == 0 &&
		    run1(&nd, x0, 2, y, NULL, &err) == 0 &&
		    DENAI_T_F32(y)[0] == 6.0f, "SVMRegressor (linear): "
		    "2 + 3 + 1 = 6");
		unmk(&nd);
	}
	{
		denai_attr at[] = { a_floats("offset", off, 1),
		    a_floats("scale", sc, 1) };

		ok(mk(&nd, "Scaler", 1, at, NA(at), &err) == 0 &&
		    run1(&nd, &x3, 1, y, NULL, &err) == 0 &&
		    DENAI_T_F32(y)[0] == 4.0f, "Scaler: (3 - 1) * 2 = 4");
		unmk(&nd);
	}
	{
		denai_attr at[] = { a_strs("classes_strings", classes, 2) };
		denai_tensor *in = denai_tensor_new();
		int64_t d = 2;
		const denai_tensor *ins[1] = { in };
		denai_tensor *outs[1] = { y };

		if (denai_tensor_reshape(in, DENAI_DT_INT64, 1, &d, &err) == 0) {
			DENAI_T_I64(in)[0] = 1;
			DENAI_T_I64(in)[1] = 5;
		}
		ok(mk(&nd, "LabelEncoder", 1, at, NA(at), &err) == 0 &&
		    nd.op->run(&nd, ins, outs, &err) == 0 &&
		    y->dtype == DENAI_DT_STRING &&
		    strcmp(DENAI_T_STR(y)[0], "b") == 0 &&
		    strcmp(DENAI_T_STR(y)[1], "_Unused") == 0,
		    "LabelEncoder v1: int64 to its class string, else "
		    "_Unused");
		unmk(&nd);
		denai_tensor_free(in);
	}
	denai_tensor_free(y);
	denai_tensor_free(z);
}

int
main(void)
{
	test_modes();
	test_order();
	test_binary_rules();
	test_malformed();
	test_linear_svm_prep();
	return done_testing();
}
