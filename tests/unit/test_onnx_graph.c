/* test_onnx_graph.c - the runtime: load errors naming the node, order,
 * folding, input checks, buffer reuse, and the shape operators. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/graph.h"
#include "test_onnx_build.h"

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })

static denai_graph *
load(struct pbw *g, int opset, int ml, denai_err *err)
{
	struct pbw m = PBW;
	denai_graph *gr = NULL;

	pw_model(&m, g, opset, ml);
	memset(err, 0, sizeof(*err));
	if (denai_graph_load_mem(&gr, m.b, m.n, NULL, err) != 0)
		gr = NULL;
	free(m.b);
	return gr;
}

static void
load_fails(const char *name, struct pbw *g, int opset, int ml,
    const char *want)
{
	denai_err err;
	denai_graph *gr = load(g, opset, ml, &err);

	ok(gr == NULL, "%s: load fails", name);
	is_str(err.msg, want, name);
	denai_graph_free(gr);
}

static void
set(denai_tensor *t, int dtype, int rank, const int64_t *dims,
    const void *data)
{
	denai_err err;

	if (denai_tensor_reshape(t, dtype, rank, dims, &err) != 0)
		abort();
	if (dtype == DENAI_DT_STRING) {
		for (size_t i = 0; i < t->count; i++)
			DENAI_T_STR(t)[i] = strdup(((char *const *)data)[i]);
	} else
		memcpy(t->data, data, t->count * denai_dtype_size(dtype));
}

/* Feeds input 0, runs, checks output 0's shape string and its elements
 * against want (count values of dtype). */
static void
run_check(const char *name, denai_graph *g, int dtype, int rank,
    const int64_t *dims, const void *in, const char *shape,
    const void *want)
{
	denai_err err;
	const denai_tensor *o;
	char buf[64];

	if (g == NULL) {
		ok(0, "%s: model loads", name);
		return;
	}
	set(denai_graph_input(g, 0), dtype, rank, dims, in);
	if (!ok(denai_graph_run(g, &err) == 0, "%s: runs", name)) {
		diag("%s", err.msg);
		return;
	}
	o = denai_graph_output(g, 0);
	is_str(denai_tensor_shape_str(buf, sizeof(buf), o), shape,
	    "output shape");
	if (o->dtype == DENAI_DT_STRING) {
		int same = 1;

		for (size_t i = 0; i < o->count; i++)
			same &= strcmp(DENAI_T_STR(o)[i],
			    ((char *const *)want)[i]) == 0;
		ok(same, "%s: strings", name);
	} else
		is_mem(o->data, want, o->count * denai_dtype_size(o->dtype),
		    name);
}

static void
test_load_errors(void)
{
	struct pbw g = PBW, at = PBW;
	const int64_t dn3[2] = { -1, 3 };

	pw_node(&g, "Relu", "r1", IN("b"), IN("a"), NULL, NULL);
	pw_node(&g, "Relu", "r2", IN("a"), IN("b"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "a", DENAI_DT_FLOAT, dn3, 2);
	load_fails("cycle", &g, 13, 0,
	    "node r1 (Relu): the graph has a cycle through this node");

	g = (struct pbw)PBW;
	pw_node(&g, "Relu", "r", IN("zz"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	load_fails("undefined input", &g, 13, 0,
	    "node r (Relu): input zz is not defined");

	g = (struct pbw)PBW;
	pw_node(&g, "Relu", "r1", IN("x"), IN("y"), NULL, NULL);
	pw_node(&g, "Relu", "r2", IN("x"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	load_fails("defined twice", &g, 13, 0,
	    "node r2 (Relu): output y is already defined");

	g = (struct pbw)PBW;
	pw_node(&g, "FooBar", "f", IN("x"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	load_fails("unsupported op", &g, 13, 0,
	    "node f (FooBar): unsupported operator FooBar (domain ai.onnx, "
	    "opset 13)");

	g = (struct pbw)PBW;
	pw_node(&g, "Scaler", NULL, IN("x"), IN("y"), NULL, "ai.onnx.ml");
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	load_fails("domain not imported", &g, 13, 0,
	    "node (Scaler): domain ai.onnx.ml is not imported by the model");

	g = (struct pbw)PBW;
	pw_attr_int(&at, "bogus", 1);
	pw_node(&g, "Transpose", "t", IN("x"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	load_fails("unsupported attribute", &g, 13, 0,
	    "node t (Transpose): unsupported attribute bogus");

	g = (struct pbw)PBW;
	pw_node(&g, "Transpose", "t", IN("x", "x"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	load_fails("too many inputs", &g, 13, 0,
	    "node t (Transpose): 2 inputs, expected 1 to 1");

	g = (struct pbw)PBW;
	pw_node(&g, "Relu", "r", IN("x"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "q", DENAI_DT_FLOAT, dn3, 2);
	load_fails("output not computed", &g, 13, 0,
	    "graph output q is not computed by any node");

	/* A shape error found by the warm-up run at load. */
	g = (struct pbw)PBW;
	pw_init(&g, "s", DENAI_DT_INT64, (const int64_t[]){ 1 }, 1,
	    (const int64_t[]){ 4 }, 8);
	pw_node(&g, "Reshape", "r", IN("x", "s"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	load_fails("warm-up shape error", &g, 13, 0,
	    "running on zero inputs at load: node r (Reshape): cannot "
	    "reshape 3 elements to 4");
}

static void
test_runtime(void)
{
	struct pbw g = PBW;
	denai_err err;
	denai_graph *gr;
	const int64_t dn3[2] = { -1, 3 }, d13[2] = { 1, 3 }, d3[1] = { 3 };
	const float x[3] = { -1, 2, -3 }, w[3] = { 10, 20, 30 };

	/* Nodes out of order: y = Relu(t); t = Add(x, c); c = Constant. */
	struct pbw at = PBW, ct = PBW;
	pw_tensor(&ct, NULL, DENAI_DT_FLOAT, d3, 1, w, sizeof(w));
	{
		struct pbw a = PBW;
		pw_str(&a, 1, "value");
		pw_int(&a, 20, 4);
		pw_msg(&a, 5, &ct);
		pw_msg(&at, 5, &a);
	}
	pw_node(&g, "Relu", "relu", IN("t"), IN("y"), NULL, NULL);
	pw_node(&g, "Add", "add", IN("x", "c"), IN("t"), NULL, NULL);
	pw_node(&g, "Constant", "const", NULL, IN("c"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn3, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn3, 2);
	gr = load(&g, 13, 0, &err);
	if (!ok(gr != NULL, "out-of-order graph loads"))
		diag("%s", err.msg);
	else {
		is_int(denai_graph_nrun(gr), 2, "the Constant is folded");
		run_check("out of order", gr, DENAI_DT_FLOAT, 2, d13, x,
		    "[1,3]", (const float[]){ 9, 22, 27 });
		const void *p = denai_graph_output(gr, 0)->data;
		ok(denai_graph_run(gr, &err) == 0 &&
		    denai_graph_output(gr, 0)->data == p,
		    "a second run reuses the output buffer");

		/* input checks */
		denai_tensor *t = denai_tensor_new();
		set(t, DENAI_DT_FLOAT, 2, (const int64_t[]){ 1, 4 },
		    (const float[]){ 1, 2, 3, 4 });
		ok(denai_graph_set_input(gr, 0, t, &err) == -1,
		    "wrong feature count refused");
		is_str(err.msg, "input x expects shape [N,3], got [1,4]",
		    "shape message");
		set(t, DENAI_DT_DOUBLE, 2, d13, (const double[]){ 1, 2, 3 });
		ok(denai_graph_set_input(gr, 0, t, &err) == -1,
		    "wrong type refused");
		is_str(err.msg, "input x expects float elements, got double",
		    "type message");
		set(t, DENAI_DT_FLOAT, 1, d3, x);
		ok(denai_graph_set_input(gr, 0, t, &err) == -1,
		    "wrong rank refused");
		is_str(err.msg, "input x expects shape [N,3], got [3]",
		    "rank message");
		set(t, DENAI_DT_FLOAT, 2, (const int64_t[]){ 2, 3 },
		    (const float[]){ 1, 1, 1, -100, 0, 0 });
		ok(denai_graph_set_input(gr, 0, t, &err) == 0 &&
		    denai_graph_run(gr, &err) == 0 &&
		    denai_graph_output(gr, 0)->count == 6 &&
		    DENAI_T_F32(denai_graph_output(gr, 0))[3] == 0 &&
		    DENAI_T_F32(denai_graph_output(gr, 0))[5] == 30,
		    "a batch of two rows");
		denai_tensor_free(t);
	}
	denai_graph_free(gr);
}

static void
test_shape_ops(void)
{
	struct pbw g, at;
	denai_err err;
	const int64_t d23[2] = { 2, 3 }, d234[3] = { 2, 3, 4 };
	const float f6[6] = { 1, 2, 3, 4, 5, 6 };
	float f24[24];

	for (int i = 0; i < 24; i++)
		f24[i] = (float)i;

	/* Transpose [2,3,4] perm (2,0,1) -> [4,2,3]: out[k][i][j] =
	 * in[i][j][k]. */
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_ints(&at, "perm", (const int64_t[]){ 2, 0, 1 }, 3);
	pw_node(&g, "Transpose", "t", IN("x"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, d234, 3);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	{
		float want[24];
		for (int k = 0; k < 4; k++)
			for (int i = 0; i < 2; i++)
				for (int j = 0; j < 3; j++)
					want[k * 6 + i * 3 + j] =
					    f24[i * 12 + j * 4 + k];
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("transpose", gr, DENAI_DT_FLOAT, 3, d234, f24,
		    "[4,2,3]", want);
		denai_graph_free(gr);
	}

	/* Slice (opset 13) with a negative step on axis 1, and a clamped
	 * end on axis 0: x[0:99, ::-2] of [2,3] -> [[3,1],[6,4]]. */
	g = (struct pbw)PBW;
	pw_init(&g, "st", DENAI_DT_INT64, (const int64_t[]){ 2 }, 1,
	    (const int64_t[]){ 0, -1 }, 16);
	pw_init(&g, "en", DENAI_DT_INT64, (const int64_t[]){ 2 }, 1,
	    (const int64_t[]){ 99, INT64_MIN }, 16);
	pw_init(&g, "ax", DENAI_DT_INT64, (const int64_t[]){ 2 }, 1,
	    (const int64_t[]){ 0, 1 }, 16);
	pw_init(&g, "sp", DENAI_DT_INT64, (const int64_t[]){ 2 }, 1,
	    (const int64_t[]){ 1, -2 }, 16);
	pw_node(&g, "Slice", "s", IN("x", "st", "en", "ax", "sp"), IN("y"),
	    NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, d23, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	{
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("slice negative step", gr, DENAI_DT_FLOAT, 2, d23,
		    f6, "[2,2]", (const float[]){ 3, 1, 6, 4 });
		denai_graph_free(gr);
	}

	/* Slice opset 1 (attributes). */
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_ints(&at, "starts", (const int64_t[]){ 1 }, 1);
	pw_attr_ints(&at, "ends", (const int64_t[]){ 3 }, 1);
	pw_attr_ints(&at, "axes", (const int64_t[]){ 1 }, 1);
	pw_node(&g, "Slice", "s", IN("x"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, d23, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	{
		denai_graph *gr = load(&g, 9, 0, &err);
		run_check("slice opset 9", gr, DENAI_DT_FLOAT, 2, d23, f6,
		    "[2,2]", (const float[]){ 2, 3, 5, 6 });
		denai_graph_free(gr);
	}

	/* Unsqueeze: attribute form (opset 11) and input form (13). */
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_ints(&at, "axes", (const int64_t[]){ 0, -1 }, 2);
	pw_node(&g, "Unsqueeze", "u", IN("x"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, d23, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	{
		denai_graph *gr = load(&g, 11, 0, &err);
		run_check("unsqueeze attr", gr, DENAI_DT_FLOAT, 2, d23, f6,
		    "[1,2,3,1]", f6);
		denai_graph_free(gr);
	}
	g = (struct pbw)PBW;
	pw_init(&g, "a", DENAI_DT_INT64, (const int64_t[]){ 1 }, 1,
	    (const int64_t[]){ 1 }, 8);
	pw_node(&g, "Unsqueeze", "u", IN("x", "a"), IN("y"), NULL, NULL);
	pw_node(&g, "Squeeze", "s", IN("y"), IN("z"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, d23, 2);
	pw_value(&g, 12, "z", DENAI_DT_FLOAT, NULL, -1);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	{
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("unsqueeze input, squeeze all", gr, DENAI_DT_FLOAT,
		    2, d23, f6, "[2,3]", f6);
		if (gr != NULL) {
			char b[32];
			is_str(denai_tensor_shape_str(b, sizeof(b),
			    denai_graph_output(gr, 1)), "[2,1,3]",
			    "unsqueeze output shape");
		}
		denai_graph_free(gr);
	}

	/* Expand [3] to [2,3], Gather axis 1 on strings, Concat strings. */
	g = (struct pbw)PBW;
	pw_init(&g, "s", DENAI_DT_INT64, (const int64_t[]){ 2 }, 1,
	    (const int64_t[]){ 2, 1 }, 16);
	pw_node(&g, "Expand", "e", IN("x", "s"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ 3 }, 1);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	{
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("expand", gr, DENAI_DT_FLOAT, 1,
		    (const int64_t[]){ 3 }, f6, "[2,3]",
		    (const float[]){ 1, 2, 3, 1, 2, 3 });
		denai_graph_free(gr);
	}
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_int(&at, "axis", 1);
	pw_init(&g, "i", DENAI_DT_INT64, (const int64_t[]){ 2 }, 1,
	    (const int64_t[]){ -1, 0 }, 16);
	pw_node(&g, "Gather", "g", IN("x", "i"), IN("y"), &at, NULL);
	at = (struct pbw)PBW;
	pw_attr_int(&at, "axis", 0);
	pw_node(&g, "Concat", "c", IN("y", "x"), IN("z"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_STRING, (const int64_t[]){ 1, 2 }, 2);
	pw_value(&g, 12, "z", DENAI_DT_STRING, NULL, -1);
	{
		const char *const s[2] = { "ab", "cd" };
		const char *const want[4] = { "cd", "ab", "ab", "cd" };
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("gather + concat strings", gr, DENAI_DT_STRING, 2,
		    (const int64_t[]){ 1, 2 }, s, "[2,2]", want);
		denai_graph_free(gr);
	}

	/* Gather out of range is a run-time error naming the node. */
	g = (struct pbw)PBW;
	pw_init(&g, "i", DENAI_DT_INT64, (const int64_t[]){ 1 }, 1,
	    (const int64_t[]){ 5 }, 8);
	pw_node(&g, "Gather", "g", IN("x", "i"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_INT64, (const int64_t[]){ 3 }, 1);
	pw_value(&g, 12, "y", DENAI_DT_INT64, NULL, -1);
	{
		denai_graph *gr = load(&g, 13, 0, &err);
		if (ok(gr != NULL, "gather model loads (int input: no "
		    "warm-up)")) {
			set(denai_graph_input(gr, 0), DENAI_DT_INT64, 1,
			    (const int64_t[]){ 3 },
			    (const int64_t[]){ 1, 2, 3 });
			ok(denai_graph_run(gr, &err) == -1,
			    "gather out of range fails");
			is_str(err.msg, "node g (Gather): index 5 out of range "
			    "[-3, 3)", "gather message");
		}
		denai_graph_free(gr);
	}

	/* Cast float -> int64 (truncation; NaN and huge to INT64_MIN),
	 * float -> string, string -> double. */
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_int(&at, "to", DENAI_DT_INT64);
	pw_node(&g, "Cast", "c", IN("x"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ 4 }, 1);
	pw_value(&g, 12, "y", DENAI_DT_INT64, NULL, -1);
	{
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("cast float to int64", gr, DENAI_DT_FLOAT, 1,
		    (const int64_t[]){ 4 },
		    (const float[]){ -2.7f, 2.7f, NAN, 1e30f }, "[4]",
		    (const int64_t[]){ -2, 2, INT64_MIN, INT64_MIN });
		denai_graph_free(gr);
	}
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_int(&at, "to", DENAI_DT_STRING);
	pw_node(&g, "Cast", "c", IN("x"), IN("s"), &at, NULL);
	at = (struct pbw)PBW;
	pw_attr_int(&at, "to", DENAI_DT_DOUBLE);
	pw_node(&g, "Cast", "d", IN("s"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ 3 }, 1);
	pw_value(&g, 12, "y", DENAI_DT_DOUBLE, NULL, -1);
	pw_value(&g, 12, "s", DENAI_DT_STRING, NULL, -1);
	{
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("cast float to string to double", gr,
		    DENAI_DT_FLOAT, 1, (const int64_t[]){ 3 },
		    (const float[]){ 0.1f, -INFINITY, 3 }, "[3]",
		    (const double[]){ 0.100000001, -INFINITY, 3 });
		if (gr != NULL) {
			const denai_tensor *s = denai_graph_output(gr, 1);
			ok(strcmp(DENAI_T_STR(s)[0], "0.100000001") == 0 &&
			    strcmp(DENAI_T_STR(s)[1], "-INF") == 0 &&
			    strcmp(DENAI_T_STR(s)[2], "3") == 0,
			    "float to string");
		}
		denai_graph_free(gr);
	}

	/* Shape with start/end, ConstantOfShape, Dropout with mask,
	 * Flatten. */
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_int(&at, "start", 1);
	pw_node(&g, "Shape", "sh", IN("x"), IN("s"), &at, NULL);
	pw_node(&g, "ConstantOfShape", "k", IN("s"), IN("y"), NULL, NULL);
	pw_node(&g, "Dropout", "d", IN("x"), IN("dx", "mask"), NULL, NULL);
	pw_node(&g, "Flatten", "f", IN("dx"), IN("fl"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, d234, 3);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	pw_value(&g, 12, "mask", DENAI_DT_BOOL, NULL, -1);
	pw_value(&g, 12, "fl", DENAI_DT_FLOAT, NULL, -1);
	{
		float z[12] = { 0 };
		denai_graph *gr = load(&g, 13, 0, &err);
		run_check("shape + constant of shape", gr, DENAI_DT_FLOAT, 3,
		    d234, f24, "[3,4]", z);
		if (gr != NULL) {
			char b[32];
			const denai_tensor *m = denai_graph_output(gr, 1);
			const denai_tensor *fl = denai_graph_output(gr, 2);
			ok(m->dtype == DENAI_DT_BOOL && m->count == 24 &&
			    DENAI_T_U8(m)[23] == 1, "dropout mask all true");
			is_str(denai_tensor_shape_str(b, sizeof(b), fl),
			    "[2,12]", "flatten shape");
			ok(DENAI_T_F32(fl)[13] == 13, "flatten data");
		}
		denai_graph_free(gr);
	}
}


static void
test_tensor_node(void)
{
	denai_tensor *t = denai_tensor_new(), *c = denai_tensor_new();
	denai_err err;
	char b[64];
	void *p;
	const int64_t big[2] = { INT64_MAX / 2, 4 };
	const char *const strs[2] = { "x", "yz" };

	ok(denai_tensor_reshape(t, DENAI_DT_FLOAT, 2,
	    (const int64_t[]){ 4, 4 }, &err) == 0 && t->count == 16,
	    "reshape to [4,4]");
	p = t->data;
	ok(denai_tensor_reshape(t, DENAI_DT_INT32, 1,
	    (const int64_t[]){ 8 }, &err) == 0 && t->data == p &&
	    t->count == 8, "a smaller shape keeps the buffer");
	is_str(denai_tensor_shape_str(b, sizeof(b), t), "[8]", "shape [8]");
	ok(denai_tensor_reshape(t, DENAI_DT_DOUBLE, 0, NULL, &err) == 0 &&
	    t->count == 1, "scalar");
	is_str(denai_tensor_shape_str(b, sizeof(b), t), "[]", "scalar shape");
	ok(denai_tensor_reshape(t, DENAI_DT_FLOAT, 1,
	    (const int64_t[]){ -1 }, &err) == -1, "negative dim fails");
	is_str(err.msg, "negative tensor dimension -1", "negative dim message");
	ok(denai_tensor_reshape(t, DENAI_DT_FLOAT, 2, big, &err) == -1,
	    "element count overflow fails");
	is_str(err.msg, "tensor element count overflows", "overflow message");
	ok(denai_tensor_reshape(t, DENAI_DT_FLOAT, 9,
	    (const int64_t[]){ 1, 1, 1, 1, 1, 1, 1, 1, 1 }, &err) == -1,
	    "rank 9 fails");
	ok(denai_tensor_reshape(t, 10, 0, NULL, &err) == -1 &&
	    err.code == DENAI_EUNSUP, "float16 is unsupported");
	set(t, DENAI_DT_STRING, 1, (const int64_t[]){ 2 }, strs);
	ok(denai_tensor_copy(c, t, &err) == 0 && c->count == 2 &&
	    DENAI_T_STR(c)[1] != DENAI_T_STR(t)[1] &&
	    strcmp(DENAI_T_STR(c)[1], "yz") == 0, "string copy is deep");
	ok(denai_tensor_reshape(c, DENAI_DT_STRING, 1,
	    (const int64_t[]){ 3 }, &err) == 0 && DENAI_T_STR(c)[0] == NULL &&
	    DENAI_T_STR(c)[2] == NULL, "reshaped strings are NULL");
	denai_tensor_free(t);
	denai_tensor_free(c);
	denai_tensor_free(NULL);

	/* Attribute readers and checks. */
	denai_attr attrs[2];
	denai_node n;
	int64_t i;
	float f;
	const char *s;
	const int64_t *iv;
	size_t cnt;
	static const char *const known[] = { "axis", NULL };

	memset(attrs, 0, sizeof(attrs));
	memset(&n, 0, sizeof(n));
	attrs[0].name = "axis";
	attrs[0].type = DENAI_AT_FLOAT;
	attrs[0].f = 2.5f;
	attrs[1].name = "mode";
	attrs[1].type = DENAI_AT_STRING;
	attrs[1].s = "x";
	n.name = "n1";
	n.op_type = "Op";
	n.domain = "";
	n.attrs = attrs;
	n.nattrs = 2;
	ok(denai_node_attr_int(&n, "axis", 0, &i, &err) == -1,
	    "int reader on a float attribute fails");
	is_str(err.msg, "node n1 (Op): attribute axis is of type float, "
	    "expected int", "attribute type message");
	ok(denai_node_attr_float(&n, "axis", 0, &f, &err) == 0 && f == 2.5f,
	    "float reader");
	ok(denai_node_attr_int(&n, "absent", 7, &i, &err) == 0 && i == 7,
	    "default for an absent attribute");
	ok(denai_node_attr_string(&n, "mode", NULL, &s, &err) == 0 &&
	    strcmp(s, "x") == 0, "string reader");
	ok(denai_node_attr_ints(&n, "none", &iv, &cnt, &err) == 0 &&
	    iv == NULL && cnt == 0, "absent list");
	ok(denai_node_check_attrs(&n, known, &err) == -1,
	    "an unknown attribute fails the check");
	is_str(err.msg, "node n1 (Op): unsupported attribute mode",
	    "check_attrs message");
	n.name = "";
	denai_node_fail(&n, &err, DENAI_EDATA, "bad %d", 3);
	is_str(err.msg, "node (Op): bad 3", "node_fail without a name");
}

int
main(void)
{
	test_tensor_node();
	test_load_errors();
	test_runtime();
	test_shape_ops();
	return done_testing();
}
