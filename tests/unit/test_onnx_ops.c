/*
 * test_onnx_ops.c - the standard-domain kernels (ops_elementwise, ops_math,
 * ops_reduce, ops_nn) and the broadcast walk, driven directly: nodes and
 * tensors built here, answers worked out by hand, errors with their exact
 * messages.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../tap.h"
#include "onnx/bcast.h"
#include "onnx/node.h"

#define D(...) ((const int64_t[]){ __VA_ARGS__ })
#define F(...) ((const float[]){ __VA_ARGS__ })
#define DB(...) ((const double[]){ __VA_ARGS__ })
#define I32(...) ((const int32_t[]){ __VA_ARGS__ })
#define I64(...) ((const int64_t[]){ __VA_ARGS__ })
#define U8(...) ((const uint8_t[]){ __VA_ARGS__ })

static denai_tensor *pool[512];
static int npool;

/* A tensor of dtype and shape holding data (count elements), kept in the
 * pool freed at exit. Strings are duplicated. */
static denai_tensor *
mk(int dt, int rank, const int64_t *dims, const void *data)
{
	denai_tensor *t = denai_tensor_new();
	denai_err err;

	if (t == NULL || denai_tensor_reshape(t, dt, rank, dims, &err) != 0) {
		diag("mk: %s", err.msg);
		exit(1);
	}
	if (dt == DENAI_DT_STRING)
		for (size_t i = 0; i < t->count; i++)
			DENAI_T_STR(t)[i] = strdup(((char *const *)data)[i]);
	else if (data != NULL && t->count > 0)
		memcpy(t->data, data, t->count * denai_dtype_size(dt));
	pool[npool++] = t;
	return t;
}

static denai_tensor *
out_t(void)
{
	return mk(DENAI_DT_FLOAT, 0, NULL, NULL);
}

static denai_attr
a_int(const char *name, int64_t v)
{
	denai_attr a;

	memset(&a, 0, sizeof(a));
	a.name = (char *)name;
	a.type = DENAI_AT_INT;
	a.i = v;
	return a;
}

static denai_attr
a_float(const char *name, float v)
{
	denai_attr a = a_int(name, 0);

	a.type = DENAI_AT_FLOAT;
	a.f = v;
	return a;
}

static denai_attr
a_ints(const char *name, const int64_t *v, size_t n)
{
	denai_attr a = a_int(name, 0);

	a.type = DENAI_AT_INTS;
	a.ints = (int64_t *)v;
	a.n = n;
	return a;
}

static denai_attr
a_str(const char *name, const char *s)
{
	denai_attr a = a_int(name, 0);

	a.type = DENAI_AT_STRING;
	a.s = (char *)s;
	a.slen = strlen(s);
	return a;
}

static denai_err err;

/*
 * Runs op (opset) named "t" on in[0..nin) (NULL: absent) into out[0..nout)
 * as the runtime would: find, prepare, run, free the state.
 * Returns: 0 or -1 with the global err filled.
 */
static int
call(const char *op, int opset, const denai_attr *attrs, int na, int nin,
    denai_tensor **in, int nout, denai_tensor **out)
{
	char name[] = "t", type[64], dom[] = "";
	int ins[8], outs[4], rc;
	const denai_op *o;
	denai_node n;

	memset(&n, 0, sizeof(n));
	memset(&err, 0, sizeof(err));
	snprintf(type, sizeof(type), "%s", op);
	n.name = name;
	n.op_type = type;
	n.domain = dom;
	n.opset = opset;
	n.nin = nin;
	n.nout = nout;
	for (int i = 0; i < nin; i++)
		ins[i] = in[i] != NULL ? i : -1;
	for (int i = 0; i < nout; i++)
		outs[i] = out[i] != NULL ? 10 + i : -1;
	n.in = ins;
	n.out = outs;
	n.attrs = (denai_attr *)attrs;
	n.nattrs = na;
	if ((o = denai_op_find("", op, opset)) == NULL)
		return denai_err_set(&err, DENAI_EUNSUP, "no op %s-%d", op,
		    opset);
	if (nin < o->min_in || nin > o->max_in)
		return denai_err_set(&err, DENAI_EDATA, "input count");
	n.op = o;
	rc = o->prepare != NULL ? o->prepare(&n, &err) : 0;
	if (rc == 0)
		rc = o->run(&n, (const denai_tensor *const *)in, out, &err);
	if (o->free_state != NULL)
		o->free_state(n.state);
	return rc;
}

/* One-output call with inputs listed. */
#define RUN(op, opset, attrs, na, y, ...)				\
	call(op, opset, attrs, na,					\
	    (int)(sizeof((denai_tensor *[]){ __VA_ARGS__ }) /		\
	    sizeof(denai_tensor *)), (denai_tensor *[]){ __VA_ARGS__ },	\
	    1, (denai_tensor *[]){ y })

static int
shape_is(const denai_tensor *t, int dt, int rank, const int64_t *dims,
    const char *name)
{
	char got[96];

	if (t->dtype != dt || t->rank != rank || (rank > 0 &&
	    memcmp(t->dims, dims, sizeof(int64_t) * (size_t)rank) != 0)) {
		ok(0, "%s: type and shape", name);
		diag("got %s of type %s", denai_tensor_shape_str(got,
		    sizeof(got), t), denai_dtype_name(t->dtype));
		return 0;
	}
	return 1;
}

/* Exact comparison of values (bits for floats, but -0 == +0 and NaN ==
 * NaN), after the type and shape. */
static void
expect(const denai_tensor *t, int dt, int rank, const int64_t *dims,
    const void *want, const char *name)
{
	size_t esz = denai_dtype_size(dt);

	if (!shape_is(t, dt, rank, dims, name))
		return;
	for (size_t i = 0; i < t->count; i++) {
		double g = 0, w = 0;
		int same;

		if (dt == DENAI_DT_FLOAT) {
			g = DENAI_T_F32(t)[i];
			w = ((const float *)want)[i];
			same = g == w || (isnan(g) && isnan(w));
		} else if (dt == DENAI_DT_DOUBLE) {
			g = DENAI_T_F64(t)[i];
			w = ((const double *)want)[i];
			same = g == w || (isnan(g) && isnan(w));
		} else if (dt == DENAI_DT_STRING)
			same = strcmp(DENAI_T_STR(t)[i],
			    ((char *const *)want)[i]) == 0;
		else
			same = memcmp((const char *)t->data + i * esz,
			    (const char *)want + i * esz, esz) == 0;
		if (!same) {
			ok(0, "%s", name);
			diag("element %zu: got %.9g want %.9g", i, g, w);
			return;
		}
	}
	ok(1, "%s", name);
}

/* Floats within a relative 1e-6 (for the transcendental ops). */
static void
expect_near(const denai_tensor *t, int rank, const int64_t *dims,
    const double *want, const char *name)
{
	if (!shape_is(t, DENAI_DT_FLOAT, rank, dims, name))
		return;
	for (size_t i = 0; i < t->count; i++) {
		double g = DENAI_T_F32(t)[i];

		if (!(fabs(g - want[i]) <= 1e-6 * fabs(want[i]) + 1e-7) &&
		    !(isnan(g) && isnan(want[i])) && g != want[i]) {
			ok(0, "%s", name);
			diag("element %zu: got %.9g want %.9g", i, g, want[i]);
			return;
		}
	}
	ok(1, "%s", name);
}

static void
fails(int rc, const char *want, const char *name)
{
	ok(rc == -1, "%s fails", name);
	is_str(err.msg, want, name);
}

#define FT DENAI_DT_FLOAT

static void
test_bcast(void)
{
	denai_tensor *a, *b, *c, *y = out_t();
	denai_bcast plan;
	int64_t dims[DENAI_MAX_RANK];
	int rank;

	/* [2,3] + [3] */
	a = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	b = mk(FT, 1, D(3), F(10, 20, 30));
	ok(RUN("Add", 14, NULL, 0, y, a, b) == 0, "Add [2,3]+[3] runs");
	expect(y, FT, 2, D(2, 3), F(11, 22, 33, 14, 25, 36), "Add [2,3]+[3]");
	/* [2,1] + [1,3]: an outer sum */
	a = mk(FT, 2, D(2, 1), F(1, 2));
	b = mk(FT, 2, D(1, 3), F(10, 20, 30));
	ok(RUN("Add", 14, NULL, 0, y, a, b) == 0, "Add [2,1]+[1,3] runs");
	expect(y, FT, 2, D(2, 3), F(11, 21, 31, 12, 22, 32), "outer sum");
	/* scalar - vector */
	a = mk(FT, 0, NULL, F(1));
	b = mk(FT, 1, D(3), F(1, 2, 3));
	ok(RUN("Sub", 14, NULL, 0, y, a, b) == 0, "Sub scalar-[3] runs");
	expect(y, FT, 1, D(3), F(0, -1, -2), "Sub scalar-[3]");
	/* [2,3,2] * [1,3,1]: middle-dim broadcast, no merge possible */
	a = mk(FT, 3, D(2, 3, 2), F(1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2));
	b = mk(FT, 3, D(1, 3, 1), F(1, 10, 100));
	ok(RUN("Mul", 14, NULL, 0, y, a, b) == 0, "Mul [2,3,2]*[1,3,1] runs");
	expect(y, FT, 3, D(2, 3, 2), F(1, 1, 10, 10, 100, 100, 2, 2, 20, 20,
	    200, 200), "Mul [2,3,2]*[1,3,1]");
	/* zero-sized dims broadcast with 1 */
	a = mk(FT, 2, D(0, 3), NULL);
	b = mk(FT, 1, D(3), F(1, 2, 3));
	ok(RUN("Add", 14, NULL, 0, y, a, b) == 0, "Add [0,3]+[3] runs");
	expect(y, FT, 2, D(0, 3), F(0), "Add [0,3]+[3] is [0,3]");
	a = mk(FT, 1, D(0), NULL);
	b = mk(FT, 1, D(1), F(1));
	ok(RUN("Add", 14, NULL, 0, y, a, b) == 0, "Add [0]+[1] runs");
	expect(y, FT, 1, D(0), F(0), "Add [0]+[1] is [0]");
	b = mk(FT, 1, D(2), F(1, 2));
	fails(RUN("Add", 14, NULL, 0, y, a, b),
	    "node t (Add): shapes [0] and [2] do not broadcast",
	    "Add [0]+[2] error");
	a = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	b = mk(FT, 1, D(4), F(1, 2, 3, 4));
	fails(RUN("Add", 14, NULL, 0, y, a, b),
	    "node t (Add): shapes [2,3] and [4] do not broadcast",
	    "Add [2,3]+[4] error");
	/* The plan merges [2,3,4] + [2,3,4] into one row and keeps a
	 * broadcast middle dim apart. */
	a = mk(FT, 3, D(2, 3, 4), NULL);
	b = mk(FT, 3, D(2, 3, 4), NULL);
	c = mk(FT, 3, D(2, 1, 4), NULL);
	{
		const denai_tensor *ab[2] = { a, b }, *ac[2] = { a, c };

		ok(denai_bcast_shape(&rank, dims, 2, ab, NULL) == 0,
		    "shape of equal shapes");
		denai_bcast_plan(&plan, rank, dims, 4, 2, ab);
		ok(plan.rank == 1 && plan.dims[0] == 24 &&
		    plan.stride[0][0] == 1 && plan.stride[1][0] == 1,
		    "equal shapes merge into one row of 24");
		ok(denai_bcast_shape(&rank, dims, 2, ac, NULL) == 0,
		    "shape of [2,3,4] and [2,1,4]");
		denai_bcast_plan(&plan, rank, dims, 4, 2, ac);
		ok(plan.rank == 3 && plan.stride[1][1] == 0 &&
		    plan.stride[1][0] == 4 && plan.stride[1][2] == 1,
		    "a broadcast middle dim stays apart (stride 0)");
	}
	/* three-way: Where([2,1] cond, [3] x, scalar y) */
	a = mk(DENAI_DT_BOOL, 2, D(2, 1), U8(1, 0));
	b = mk(FT, 1, D(3), F(1, 2, 3));
	c = mk(FT, 0, NULL, F(-1));
	ok(RUN("Where", 16, NULL, 0, y, a, b, c) == 0, "Where runs");
	expect(y, FT, 2, D(2, 3), F(1, 2, 3, -1, -1, -1), "Where broadcast");
}

static void
test_arith(void)
{
	denai_tensor *a, *b, *c, *y = out_t();

	a = mk(DENAI_DT_INT32, 1, D(5), I32(-7, 7, 5, INT32_MIN, 9));
	b = mk(DENAI_DT_INT32, 1, D(5), I32(2, -2, 0, -1, 3));
	ok(RUN("Div", 14, NULL, 0, y, a, b) == 0, "Div int32 runs");
	expect(y, DENAI_DT_INT32, 1, D(5), I32(-3, -3, 0, INT32_MIN, 3),
	    "Div int32 truncates; x/0 = 0; MIN/-1 wraps");
	a = mk(DENAI_DT_INT32, 1, D(2), I32(INT32_MAX, -3));
	b = mk(DENAI_DT_INT32, 1, D(2), I32(2, 4));
	ok(RUN("Mul", 14, NULL, 0, y, a, b) == 0, "Mul int32 runs");
	expect(y, DENAI_DT_INT32, 1, D(2), I32(-2, -12), "Mul int32 wraps");
	a = mk(DENAI_DT_INT64, 1, D(2), I64(INT64_MAX, 5));
	b = mk(DENAI_DT_INT64, 0, NULL, I64(1));
	ok(RUN("Add", 14, NULL, 0, y, a, b) == 0, "Add int64 runs");
	expect(y, DENAI_DT_INT64, 1, D(2), I64(INT64_MIN, 6),
	    "Add int64 wraps");
	a = mk(DENAI_DT_DOUBLE, 1, D(3), DB(1, -1, 0));
	b = mk(DENAI_DT_DOUBLE, 1, D(3), DB(0, 0, 0));
	ok(RUN("Div", 14, NULL, 0, y, a, b) == 0, "Div double runs");
	expect(y, DENAI_DT_DOUBLE, 1, D(3), DB(INFINITY, -INFINITY, NAN),
	    "Div double by zero: inf, -inf, nan");
	/* Pow: float base with int64 exponent; int base */
	a = mk(FT, 1, D(3), F(2, 3, 4));
	b = mk(DENAI_DT_INT64, 1, D(3), I64(2, 3, -1));
	ok(RUN("Pow", 15, NULL, 0, y, a, b) == 0, "Pow float^int64 runs");
	expect(y, FT, 1, D(3), F(4, 27, 0.25f), "Pow float^int64");
	b = mk(FT, 0, NULL, F(0.5f));
	a = mk(FT, 1, D(2), F(4, 9));
	ok(RUN("Pow", 15, NULL, 0, y, a, b) == 0, "Pow x^0.5 runs");
	expect(y, FT, 1, D(2), F(2, 3), "Pow x^0.5 is sqrt");
	a = mk(DENAI_DT_INT64, 1, D(4), I64(2, 3, -2, 1));
	b = mk(DENAI_DT_INT64, 1, D(4), I64(10, -1, 3, -5));
	ok(RUN("Pow", 15, NULL, 0, y, a, b) == 0, "Pow int64 runs");
	expect(y, DENAI_DT_INT64, 1, D(4), I64(1024, 0, -8, 1),
	    "Pow int64 (3^-1 truncates to 0)");
	/* Max and Min, variadic with broadcast, NaN wins */
	a = mk(FT, 1, D(3), F(1, 5, 3));
	b = mk(FT, 0, NULL, F(2));
	c = mk(FT, 2, D(2, 1), F(4, 0));
	ok(RUN("Max", 13, NULL, 0, y, a, b, c) == 0, "Max of 3 runs");
	expect(y, FT, 2, D(2, 3), F(4, 5, 4, 2, 5, 3), "Max of [3], [], [2,1]");
	ok(RUN("Min", 13, NULL, 0, y, a, b, c) == 0, "Min of 3 runs");
	expect(y, FT, 2, D(2, 3), F(1, 2, 2, 0, 0, 0), "Min of [3], [], [2,1]");
	ok(RUN("Max", 13, NULL, 0, y, a) == 0, "Max of 1 runs");
	expect(y, FT, 1, D(3), F(1, 5, 3), "Max of one input is a copy");
	a = mk(FT, 1, D(2), F(NAN, 1));
	b = mk(FT, 1, D(2), F(1, NAN));
	ok(RUN("Min", 13, NULL, 0, y, a, b) == 0, "Min with NaN runs");
	expect(y, FT, 1, D(2), F(NAN, NAN), "Min propagates NaN");
	/* type errors */
	a = mk(FT, 1, D(1), F(1));
	b = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	fails(RUN("Add", 14, NULL, 0, y, a, b),
	    "node t (Add): inputs 0 and 1 have different types (float and "
	    "int64)", "Add float+int64 error");
	{
		const char *s[] = { "a" };

		a = mk(DENAI_DT_STRING, 1, D(1), s);
		fails(RUN("Mul", 14, NULL, 0, y, a, a),
		    "node t (Mul): input 0 has unsupported type string",
		    "Mul of strings error");
	}
	{
		denai_attr at = a_int("broadcast", 1);

		a = mk(FT, 1, D(1), F(1));
		fails(RUN("Add", 14, &at, 1, y, a, a),
		    "node t (Add): unsupported attribute broadcast",
		    "Add with a legacy attribute error");
	}
}

static void
test_compare(void)
{
	denai_tensor *a, *b, *y = out_t();
	const char *s1[] = { "cat", "dog", "" }, *s2[] = { "dog" };

	a = mk(FT, 1, D(3), F(1, 2, NAN));
	b = mk(FT, 0, NULL, F(2));
	ok(RUN("Less", 13, NULL, 0, y, a, b) == 0, "Less runs");
	expect(y, DENAI_DT_BOOL, 1, D(3), U8(1, 0, 0), "Less");
	ok(RUN("Greater", 13, NULL, 0, y, a, b) == 0, "Greater runs");
	expect(y, DENAI_DT_BOOL, 1, D(3), U8(0, 0, 0), "Greater");
	ok(RUN("Equal", 13, NULL, 0, y, a, b) == 0, "Equal runs");
	expect(y, DENAI_DT_BOOL, 1, D(3), U8(0, 1, 0), "Equal (NaN unequal)");
	a = mk(DENAI_DT_INT64, 2, D(2, 1), I64(1, 2));
	b = mk(DENAI_DT_INT64, 1, D(2), I64(2, 1));
	ok(RUN("Equal", 13, NULL, 0, y, a, b) == 0, "Equal int64 runs");
	expect(y, DENAI_DT_BOOL, 2, D(2, 2), U8(0, 1, 1, 0), "Equal int64");
	a = mk(DENAI_DT_BOOL, 1, D(2), U8(1, 0));
	b = mk(DENAI_DT_BOOL, 1, D(2), U8(1, 1));
	ok(RUN("Equal", 13, NULL, 0, y, a, b) == 0, "Equal bool runs");
	expect(y, DENAI_DT_BOOL, 1, D(2), U8(1, 0), "Equal bool");
	a = mk(DENAI_DT_STRING, 1, D(3), s1);
	b = mk(DENAI_DT_STRING, 1, D(1), s2);
	ok(RUN("Equal", 19, NULL, 0, y, a, b) == 0, "Equal string runs");
	expect(y, DENAI_DT_BOOL, 1, D(3), U8(0, 1, 0), "Equal string bcast");
	fails(RUN("Less", 13, NULL, 0, y, a, b),
	    "node t (Less): input 0 has unsupported type string",
	    "Less of strings error");
	{
		const char *x[] = { "yes" }, *n[] = { "no" };
		const char *want[] = { "yes", "no" };
		denai_tensor *c = mk(DENAI_DT_BOOL, 1, D(2), U8(1, 0));

		a = mk(DENAI_DT_STRING, 0, NULL, x);
		b = mk(DENAI_DT_STRING, 0, NULL, n);
		ok(RUN("Where", 16, NULL, 0, y, c, a, b) == 0,
		    "Where strings runs");
		expect(y, DENAI_DT_STRING, 1, D(2), want, "Where strings");
		fails(RUN("Where", 16, NULL, 0, y, a, a, b),
		    "node t (Where): condition must be bool, not string",
		    "Where with a string condition error");
	}
}

static void
test_unary(void)
{
	denai_tensor *x, *y = out_t(), *lo, *hi;
	denai_attr at[2];

	x = mk(FT, 1, D(4), F(-2, -0.5f, 0, 3));
	ok(RUN("Relu", 14, NULL, 0, y, x) == 0, "Relu runs");
	expect(y, FT, 1, D(4), F(0, 0, 0, 3), "Relu");
	at[0] = a_float("alpha", 0.5f);
	ok(RUN("LeakyRelu", 16, at, 1, y, x) == 0, "LeakyRelu runs");
	expect(y, FT, 1, D(4), F(-1, -0.25f, 0, 3), "LeakyRelu alpha 0.5");
	ok(RUN("LeakyRelu", 16, NULL, 0, y, x) == 0, "LeakyRelu default");
	expect(y, FT, 1, D(4), F(-0.02f, -0.005f, 0, 3),
	    "LeakyRelu default alpha 0.01");
	ok(RUN("Abs", 13, NULL, 0, y, x) == 0, "Abs runs");
	expect(y, FT, 1, D(4), F(2, 0.5f, 0, 3), "Abs");
	ok(RUN("Neg", 13, NULL, 0, y, x) == 0, "Neg runs");
	expect(y, FT, 1, D(4), F(2, 0.5f, -0.0f, -3), "Neg");
	x = mk(DENAI_DT_INT32, 1, D(3), I32(-5, INT32_MIN, 7));
	ok(RUN("Abs", 13, NULL, 0, y, x) == 0, "Abs int32 runs");
	expect(y, DENAI_DT_INT32, 1, D(3), I32(5, INT32_MIN, 7),
	    "Abs int32 (MIN stays)");
	ok(RUN("Relu", 14, NULL, 0, y, x) == 0, "Relu int32 runs");
	expect(y, DENAI_DT_INT32, 1, D(3), I32(0, 0, 7), "Relu int32");
	fails(RUN("Sigmoid", 13, NULL, 0, y, x),
	    "node t (Sigmoid): input 0 has unsupported type int32",
	    "Sigmoid of int32 error");
	x = mk(FT, 1, D(4), F(0, 1, -1, 100));
	ok(RUN("Sigmoid", 13, NULL, 0, y, x) == 0, "Sigmoid runs");
	expect_near(y, 1, D(4), DB(0.5, 0.7310585786300049,
	    0.2689414213699951, 1), "Sigmoid");
	ok(RUN("Tanh", 13, NULL, 0, y, x) == 0, "Tanh runs");
	expect_near(y, 1, D(4), DB(0, 0.7615941559557649,
	    -0.7615941559557649, 1), "Tanh");
	ok(RUN("Exp", 13, NULL, 0, y, x) == 0, "Exp runs");
	expect_near(y, 1, D(4), DB(1, 2.718281828459045, 0.36787944117144233,
	    INFINITY), "Exp (100 overflows float)");
	x = mk(FT, 1, D(4), F(1, 0, -1, 4));
	ok(RUN("Log", 13, NULL, 0, y, x) == 0, "Log runs");
	expect_near(y, 1, D(4), DB(0, -INFINITY, NAN, 1.3862943611198906),
	    "Log");
	ok(RUN("Sqrt", 13, NULL, 0, y, x) == 0, "Sqrt runs");
	expect_near(y, 1, D(4), DB(1, 0, NAN, 2), "Sqrt");
	at[0] = a_int("alpha", 1);
	fails(RUN("LeakyRelu", 16, at, 1, y, x),
	    "node t (LeakyRelu): attribute alpha is of type int, expected "
	    "float", "LeakyRelu alpha of the wrong type error");
	at[0] = a_float("beta", 1);
	fails(RUN("Relu", 14, at, 1, y, x),
	    "node t (Relu): unsupported attribute beta",
	    "Relu with an unknown attribute error");

	/* Clip: attributes before 11, optional inputs from 11 */
	x = mk(FT, 1, D(4), F(-3, -1, 1, 3));
	at[0] = a_float("min", -2);
	at[1] = a_float("max", 2);
	ok(RUN("Clip", 6, at, 2, y, x) == 0, "Clip-6 runs");
	expect(y, FT, 1, D(4), F(-2, -1, 1, 2), "Clip-6 attributes");
	ok(RUN("Clip", 6, at + 1, 1, y, x) == 0, "Clip-6 max only runs");
	expect(y, FT, 1, D(4), F(-3, -1, 1, 2), "Clip-6 max only");
	hi = mk(FT, 0, NULL, F(0));
	ok(RUN("Clip", 13, NULL, 0, y, x, NULL, hi) == 0,
	    "Clip-13 max only runs");
	expect(y, FT, 1, D(4), F(-3, -1, 0, 0), "Clip-13 max only");
	lo = mk(FT, 0, NULL, F(2));
	hi = mk(FT, 0, NULL, F(1));
	ok(RUN("Clip", 13, NULL, 0, y, x, lo, hi) == 0, "Clip min>max runs");
	expect(y, FT, 1, D(4), F(1, 1, 1, 1), "Clip min > max gives max");
	x = mk(DENAI_DT_INT64, 1, D(3), I64(-9, 5, 9));
	lo = mk(DENAI_DT_INT64, 0, NULL, I64(0));
	ok(RUN("Clip", 13, NULL, 0, y, x, lo) == 0, "Clip int64 runs");
	expect(y, DENAI_DT_INT64, 1, D(3), I64(0, 5, 9), "Clip int64 min only");
	lo = mk(FT, 0, NULL, F(0));
	fails(RUN("Clip", 13, NULL, 0, y, x, lo),
	    "node t (Clip): input 1 is float, not int64 like the input",
	    "Clip bound of another type error");
	lo = mk(DENAI_DT_INT64, 1, D(2), I64(0, 1));
	fails(RUN("Clip", 13, NULL, 0, y, x, lo),
	    "node t (Clip): input 1 must be a scalar, not of 2 elements",
	    "Clip bound not a scalar error");
	at[0] = a_float("min", 0);
	fails(RUN("Clip", 13, at, 1, y, x),
	    "node t (Clip): unsupported attribute min",
	    "Clip-13 with a min attribute error");
}

static uint64_t rng = 0x243f6a8885a308d3ULL;

static float
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (float)((double)(rng >> 40) / (double)(1 << 24) * 2 - 1);
}

static void
test_matmul(void)
{
	denai_tensor *a, *b, *c, *y = out_t(), *y2 = out_t();
	denai_attr at[4];

	a = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	b = mk(FT, 2, D(3, 2), F(1, 0, 0, 1, 1, 1));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul 2-D runs");
	expect(y, FT, 2, D(2, 2), F(4, 5, 10, 11), "MatMul [2,3]x[3,2]");
	a = mk(FT, 1, D(3), F(1, 2, 3));
	b = mk(FT, 1, D(3), F(4, 5, 6));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul 1-D x 1-D runs");
	expect(y, FT, 0, NULL, F(32), "MatMul 1-D x 1-D is a scalar");
	a = mk(FT, 1, D(2), F(1, 2));
	b = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul 1-D x 2-D runs");
	expect(y, FT, 1, D(3), F(9, 12, 15), "MatMul [2]x[2,3] is [3]");
	a = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	b = mk(FT, 1, D(3), F(1, 1, 1));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul 2-D x 1-D runs");
	expect(y, FT, 1, D(2), F(6, 15), "MatMul [2,3]x[3] is [2]");
	a = mk(FT, 1, D(2), F(1, 2));
	b = mk(FT, 3, D(2, 2, 2), F(1, 2, 3, 4, 5, 6, 7, 8));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul 1-D x 3-D runs");
	expect(y, FT, 2, D(2, 2), F(7, 10, 19, 22), "MatMul [2]x[2,2,2]");
	/* batch broadcast [2,1,2,2] x [3,2,2] -> [2,3,2,2] */
	a = mk(FT, 4, D(2, 1, 2, 2), F(1, 0, 0, 1, 2, 0, 0, 2));
	b = mk(FT, 3, D(3, 2, 2), F(1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 1, 1));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul batched runs");
	expect(y, FT, 4, D(2, 3, 2, 2), F(1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 1, 1,
	    2, 4, 6, 8, 10, 12, 14, 16, 2, 2, 2, 2),
	    "MatMul batch broadcast [2,1,2,2]x[3,2,2]");
	a = mk(DENAI_DT_INT64, 2, D(1, 2), I64(INT64_MAX, 2));
	b = mk(DENAI_DT_INT64, 2, D(2, 1), I64(2, 3));
	ok(RUN("MatMul", 13, NULL, 0, y, a, b) == 0, "MatMul int64 runs");
	expect(y, DENAI_DT_INT64, 2, D(1, 1), I64(4), "MatMul int64 wraps");
	a = mk(FT, 2, D(2, 3), NULL);
	b = mk(FT, 2, D(2, 2), NULL);
	fails(RUN("MatMul", 13, NULL, 0, y, a, b),
	    "node t (MatMul): shapes [2,3] and [2,2] do not multiply",
	    "MatMul shape error");
	a = mk(FT, 3, D(2, 1, 3), NULL);
	b = mk(FT, 3, D(3, 3, 1), NULL);
	fails(RUN("MatMul", 13, NULL, 0, y, a, b),
	    "node t (MatMul): batch shapes [2] and [3] do not broadcast",
	    "MatMul batch error");

	/* Gemm */
	a = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	b = mk(FT, 2, D(3, 2), F(1, 0, 0, 1, 1, 1));
	c = mk(FT, 1, D(2), F(2, 4));
	at[0] = a_float("alpha", 2);
	at[1] = a_float("beta", 0.5f);
	ok(RUN("Gemm", 13, at, 2, y, a, b, c) == 0, "Gemm runs");
	expect(y, FT, 2, D(2, 2), F(9, 12, 21, 24), "Gemm alpha, beta, C [2]");
	a = mk(FT, 2, D(3, 2), F(1, 4, 2, 5, 3, 6));
	c = mk(FT, 2, D(2, 1), F(10, 20));
	at[0] = a_int("transA", 1);
	ok(RUN("Gemm", 13, at, 1, y, a, b, c) == 0, "Gemm transA runs");
	expect(y, FT, 2, D(2, 2), F(14, 15, 30, 31), "Gemm transA, C [2,1]");
	c = mk(FT, 1, D(3), F(1, 2, 3));
	fails(RUN("Gemm", 13, at, 1, y, a, b, c),
	    "node t (Gemm): C of shape [3] does not broadcast to [2,2]",
	    "Gemm C shape error");
	at[0] = a_int("transC", 1);
	fails(RUN("Gemm", 13, at, 1, y, a, b),
	    "node t (Gemm): unsupported attribute transC",
	    "Gemm unknown attribute error");

	/* Both loop orders, and MatMul, give the bits of a plain ascending-k
	 * float sum. */
	{
		enum { M = 5, K = 37, N = 11 };
		float av[M * K], bv[K * N], bt[N * K], ref[M * N];

		for (int i = 0; i < M * K; i++)
			av[i] = rnd();
		for (int k = 0; k < K; k++)
			for (int j = 0; j < N; j++)
				bt[j * K + k] = bv[k * N + j] = rnd();
		for (int i = 0; i < M; i++)
			for (int j = 0; j < N; j++) {
				float s = 0;

				for (int k = 0; k < K; k++)
					s = s + av[i * K + k] * bv[k * N + j];
				ref[i * N + j] = s;
			}
		a = mk(FT, 2, D(M, K), av);
		b = mk(FT, 2, D(K, N), bv);
		c = mk(FT, 2, D(N, K), bt);
		ok(RUN("Gemm", 13, NULL, 0, y, a, b) == 0, "Gemm 5x37x11 runs");
		at[0] = a_int("transB", 1);
		ok(RUN("Gemm", 13, at, 1, y2, a, c) == 0,
		    "Gemm transB 5x37x11 runs");
		is_mem(y->data, ref, sizeof(ref),
		    "Gemm equals the ascending-k sum bit for bit");
		is_mem(y2->data, ref, sizeof(ref),
		    "Gemm transB equals the ascending-k sum bit for bit");
		ok(RUN("MatMul", 13, NULL, 0, y2, a, b) == 0,
		    "MatMul 5x37x11 runs");
		is_mem(y2->data, ref, sizeof(ref),
		    "MatMul equals the ascending-k sum bit for bit");
	}
}

static void
test_softmax(void)
{
	denai_tensor *x, *y = out_t();
	denai_attr at[1];

	x = mk(FT, 2, D(2, 3), F(1, 2, 3, 0, 0, 0));
	ok(RUN("Softmax", 13, NULL, 0, y, x) == 0, "Softmax-13 runs");
	expect_near(y, 2, D(2, 3), DB(0.09003057317038046, 0.24472847105479764,
	    0.6652409557748219, 1 / 3.0, 1 / 3.0, 1 / 3.0), "Softmax-13 rows");
	ok(RUN("LogSoftmax", 13, NULL, 0, y, x) == 0, "LogSoftmax-13 runs");
	expect_near(y, 2, D(2, 3), DB(-2.4076059644443806, -1.4076059644443806,
	    -0.4076059644443806, -1.0986122886681098, -1.0986122886681098,
	    -1.0986122886681098), "LogSoftmax-13 rows");
	x = mk(FT, 3, D(2, 2, 2), F(1, 2, 3, 4, 0, 0, 0, 0));
	at[0] = a_int("axis", 1);
	ok(RUN("Softmax", 11, at, 1, y, x) == 0, "Softmax-11 axis 1 runs");
	expect_near(y, 3, D(2, 2, 2), DB(0.03205860328008499,
	    0.08714431874203257, 0.23688281808991013, 0.6439142598879722,
	    0.25, 0.25, 0.25, 0.25), "Softmax-11 coerces to 2-D at axis 1");
	ok(RUN("Softmax", 13, at, 1, y, x) == 0, "Softmax-13 axis 1 runs");
	expect_near(y, 3, D(2, 2, 2), DB(0.11920292202211755,
	    0.11920292202211755, 0.8807970779778823, 0.8807970779778823,
	    0.5, 0.5, 0.5, 0.5), "Softmax-13 normalises along axis 1 only");
	x = mk(FT, 1, D(2), F(1000, 1000));
	ok(RUN("Softmax", 13, NULL, 0, y, x) == 0, "Softmax large runs");
	expect_near(y, 1, D(2), DB(0.5, 0.5), "Softmax of large values");
	at[0] = a_int("axis", 3);
	fails(RUN("Softmax", 13, at, 1, y, x),
	    "node t (Softmax): axis 3 is out of range for rank 1",
	    "Softmax axis error");
	x = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	fails(RUN("Softmax", 13, NULL, 0, y, x),
	    "node t (Softmax): input 0 has unsupported type int64",
	    "Softmax int64 error");
}

static void
test_reduce(void)
{
	denai_tensor *x, *ax, *y = out_t();
	denai_attr at[3];
	int64_t axes[1] = { 0 };

	x = mk(FT, 2, D(2, 2), F(2, 1, 3, 10));
	at[0] = a_int("axis", 0);
	ok(RUN("ArgMax", 13, at, 1, y, x) == 0, "ArgMax runs");
	expect(y, DENAI_DT_INT64, 2, D(1, 2), I64(1, 1), "ArgMax axis 0");
	at[0] = a_int("axis", -1);
	at[1] = a_int("keepdims", 0);
	ok(RUN("ArgMax", 13, at, 2, y, x) == 0, "ArgMax axis -1 runs");
	expect(y, DENAI_DT_INT64, 1, D(2), I64(0, 1), "ArgMax no keepdims");
	x = mk(FT, 2, D(2, 2), F(1, 1, 2, 2));
	at[0] = a_int("axis", 1);
	ok(RUN("ArgMax", 13, at, 1, y, x) == 0, "ArgMax ties runs");
	expect(y, DENAI_DT_INT64, 2, D(2, 1), I64(0, 0), "ArgMax first of ties");
	at[1] = a_int("select_last_index", 1);
	ok(RUN("ArgMax", 13, at, 2, y, x) == 0, "ArgMax last runs");
	expect(y, DENAI_DT_INT64, 2, D(2, 1), I64(1, 1),
	    "ArgMax select_last_index");

	x = mk(FT, 2, D(2, 2), F(1, 2, 3, 4));
	ax = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	at[0] = a_int("keepdims", 0);
	ok(RUN("ReduceSum", 13, at, 1, y, x, ax) == 0, "ReduceSum runs");
	expect(y, FT, 1, D(2), F(3, 7), "ReduceSum axes [1]");
	ok(RUN("ReduceSum", 13, NULL, 0, y, x) == 0, "ReduceSum all runs");
	expect(y, FT, 2, D(1, 1), F(10), "ReduceSum without axes: all");
	ax = mk(DENAI_DT_INT64, 1, D(0), NULL);
	ok(RUN("ReduceSum", 13, NULL, 0, y, x, ax) == 0,
	    "ReduceSum empty axes runs");
	expect(y, FT, 2, D(1, 1), F(10), "ReduceSum empty axes: all");
	at[0] = a_int("noop_with_empty_axes", 1);
	ok(RUN("ReduceSum", 13, at, 1, y, x, ax) == 0, "ReduceSum noop runs");
	expect(y, FT, 2, D(2, 2), F(1, 2, 3, 4), "ReduceSum noop: a copy");
	ax = mk(DENAI_DT_INT64, 1, D(1), I64(-2));
	ok(RUN("ReduceSum", 13, NULL, 0, y, x, ax) == 0,
	    "ReduceSum axis -2 runs");
	expect(y, FT, 2, D(1, 2), F(4, 6), "ReduceSum axes [-2]");
	at[0] = a_ints("axes", axes, 1);
	at[1] = a_int("keepdims", 0);
	ok(RUN("ReduceMean", 11, at, 2, y, x) == 0, "ReduceMean-11 runs");
	expect(y, FT, 1, D(2), F(2, 3), "ReduceMean-11 axes attribute");
	ok(RUN("ReduceSum", 11, at, 2, y, x) == 0, "ReduceSum-11 runs");
	expect(y, FT, 1, D(2), F(4, 6), "ReduceSum-11 axes attribute");
	ax = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	ok(RUN("ReduceMax", 18, NULL, 0, y, x, ax) == 0, "ReduceMax-18 runs");
	expect(y, FT, 2, D(2, 1), F(2, 4), "ReduceMax-18 axes input");
	x = mk(DENAI_DT_INT32, 2, D(2, 0), NULL);
	ok(RUN("ReduceMax", 18, NULL, 0, y, x, ax) == 0,
	    "ReduceMax empty runs");
	expect(y, DENAI_DT_INT32, 2, D(2, 1), I32(INT32_MIN, INT32_MIN),
	    "ReduceMax of nothing is the lowest value");
	ok(RUN("ReduceSum", 13, NULL, 0, y, x, ax) == 0,
	    "ReduceSum empty runs");
	expect(y, DENAI_DT_INT32, 2, D(2, 1), I32(0, 0),
	    "ReduceSum of nothing is 0");
	x = mk(FT, 2, D(2, 2), F(1, 2, 3, 4));
	ax = mk(DENAI_DT_INT64, 1, D(2), I64(1, -1));
	fails(RUN("ReduceSum", 13, NULL, 0, y, x, ax),
	    "node t (ReduceSum): axis -1 is given twice", "duplicate axes");
	ax = mk(DENAI_DT_INT64, 1, D(1), I64(2));
	fails(RUN("ReduceSum", 13, NULL, 0, y, x, ax),
	    "node t (ReduceSum): axis 2 is out of range for rank 2",
	    "axis out of range");
	ax = mk(FT, 1, D(1), F(1));
	fails(RUN("ReduceMean", 18, NULL, 0, y, x, ax),
	    "node t (ReduceMean): input 1 must be int64, not float",
	    "axes of floats");
	at[0] = a_ints("axes", axes, 1);
	fails(RUN("ReduceSum", 13, at, 1, y, x),
	    "node t (ReduceSum): unsupported attribute axes",
	    "ReduceSum-13 axes attribute error");
}

static void
test_nn(void)
{
	denai_tensor *x, *w, *b, *y = out_t(), *ind = out_t();
	denai_attr at[4];
	int64_t pads[4] = { 1, 1, 1, 1 }, two[2] = { 2, 2 }, one[1] = { 2 };

	x = mk(FT, 4, D(1, 1, 3, 3), F(0, 1, 2, 3, 4, 5, 6, 7, 8));
	w = mk(FT, 4, D(1, 1, 2, 2), F(1, 1, 1, 1));
	ok(RUN("Conv", 11, NULL, 0, y, x, w) == 0, "Conv runs");
	expect(y, FT, 4, D(1, 1, 2, 2), F(8, 12, 20, 24), "Conv 2x2 of ones");
	b = mk(FT, 1, D(1), F(1));
	at[0] = a_ints("pads", pads, 4);
	at[1] = a_ints("strides", two, 2);
	ok(RUN("Conv", 11, at, 2, y, x, w, b) == 0, "Conv pads strides runs");
	expect(y, FT, 4, D(1, 1, 2, 2), F(1, 4, 10, 25),
	    "Conv pads 1, strides 2, bias");
	x = mk(FT, 4, D(1, 2, 1, 2), F(1, 2, 3, 4));
	w = mk(FT, 4, D(2, 1, 1, 1), F(2, 3));
	at[0] = a_int("group", 2);
	ok(RUN("Conv", 11, at, 1, y, x, w) == 0, "Conv group runs");
	expect(y, FT, 4, D(1, 2, 1, 2), F(2, 4, 9, 12), "Conv group 2");
	x = mk(FT, 3, D(1, 1, 5), F(1, 2, 3, 4, 5));
	w = mk(FT, 3, D(1, 1, 3), F(1, 0, -1));
	at[0] = a_str("auto_pad", "SAME_UPPER");
	ok(RUN("Conv", 11, at, 1, y, x, w) == 0, "Conv 1-D SAME runs");
	expect(y, FT, 3, D(1, 1, 5), F(-2, -2, -2, -2, 4), "Conv 1-D SAME_UPPER");
	at[0] = a_ints("dilations", one, 1);
	ok(RUN("Conv", 11, at, 1, y, x, w) == 0, "Conv 1-D dilated runs");
	expect(y, FT, 3, D(1, 1, 1), F(-4), "Conv 1-D dilation 2");
	at[0] = a_str("auto_pad", "SAME");
	fails(RUN("Conv", 11, at, 1, y, x, w),
	    "node t (Conv): auto_pad \"SAME\" is not NOTSET, SAME_UPPER, "
	    "SAME_LOWER or VALID", "Conv bad auto_pad");
	x = mk(FT, 4, D(1, 1, 3, 3), NULL);
	w = mk(FT, 4, D(1, 2, 2, 2), NULL);
	fails(RUN("Conv", 11, NULL, 0, y, x, w),
	    "node t (Conv): weights [1,2,2,2] do not fit input [1,1,3,3] "
	    "with group 1", "Conv weights error");

	x = mk(FT, 4, D(1, 1, 4, 4), F(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 13, 14, 15));
	at[0] = a_ints("kernel_shape", two, 2);
	at[1] = a_ints("strides", two, 2);
	ok(call("MaxPool", 12, at, 2, 1, &x, 2, (denai_tensor *[]){ y, ind })
	    == 0, "MaxPool with Indices runs");
	expect(y, FT, 4, D(1, 1, 2, 2), F(5, 7, 13, 15), "MaxPool 2x2/2");
	expect(ind, DENAI_DT_INT64, 4, D(1, 1, 2, 2), I64(5, 7, 13, 15),
	    "MaxPool Indices");
	at[2] = a_int("storage_order", 1);
	ok(call("MaxPool", 12, at, 3, 1, &x, 2, (denai_tensor *[]){ y, ind })
	    == 0, "MaxPool column-major runs");
	expect(ind, DENAI_DT_INT64, 4, D(1, 1, 2, 2), I64(5, 13, 7, 15),
	    "MaxPool Indices, storage_order 1");
	x = mk(FT, 4, D(1, 1, 3, 3), F(0, 1, 2, 3, 4, 5, 6, 7, 8));
	at[2] = a_int("ceil_mode", 1);
	ok(RUN("MaxPool", 12, at, 3, y, x) == 0, "MaxPool ceil runs");
	expect(y, FT, 4, D(1, 1, 2, 2), F(4, 5, 7, 8), "MaxPool ceil_mode");
	fails(RUN("MaxPool", 12, NULL, 0, y, x),
	    "node t (MaxPool): attribute kernel_shape is required",
	    "MaxPool without kernel_shape");
	at[2] = a_int("count_include_pad", 1);
	fails(RUN("MaxPool", 12, at, 3, y, x),
	    "node t (MaxPool): unsupported attribute count_include_pad",
	    "MaxPool with an AveragePool attribute");

	x = mk(FT, 4, D(1, 1, 2, 2), F(1, 2, 3, 4));
	at[0] = a_ints("kernel_shape", two, 2);
	at[1] = a_ints("pads", pads, 4);
	ok(RUN("AveragePool", 19, at, 2, y, x) == 0, "AveragePool runs");
	expect(y, FT, 4, D(1, 1, 3, 3), F(1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4),
	    "AveragePool pads, padding not counted");
	at[2] = a_int("count_include_pad", 1);
	ok(RUN("AveragePool", 19, at, 3, y, x) == 0,
	    "AveragePool count_include_pad runs");
	expect(y, FT, 4, D(1, 1, 3, 3), F(0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f,
	    0.75f, 1.75f, 1), "AveragePool count_include_pad");

	x = mk(FT, 4, D(1, 2, 2, 2), F(1, 2, 3, 4, 0, 0, 0, 8));
	ok(RUN("GlobalAveragePool", 22, NULL, 0, y, x) == 0, "GAP runs");
	expect(y, FT, 4, D(1, 2, 1, 1), F(2.5f, 2), "GlobalAveragePool");

	{
		denai_tensor *in[5], *outs[3] = { y, ind, out_t() };

		in[0] = mk(FT, 4, D(1, 2, 1, 2), F(1, 3, 0, 4));
		in[1] = mk(FT, 1, D(2), F(2, 1));
		in[2] = mk(FT, 1, D(2), F(1, 0));
		in[3] = mk(FT, 1, D(2), F(1, 2));
		in[4] = mk(FT, 1, D(2), F(4, 16));
		at[0] = a_float("epsilon", 0);
		ok(call("BatchNormalization", 15, at, 1, 5, in, 1, outs) == 0,
		    "BatchNormalization runs");
		expect(y, FT, 4, D(1, 2, 1, 2), F(1, 3, -0.5f, 0.5f),
		    "BatchNormalization");
		at[0] = a_int("training_mode", 1);
		fails(call("BatchNormalization", 15, at, 1, 5, in, 1, outs),
		    "node t (BatchNormalization): training_mode is not "
		    "supported (inference only)", "BatchNormalization training");
		fails(call("BatchNormalization", 15, NULL, 0, 5, in, 3, outs),
		    "node t (BatchNormalization): output 1 (training "
		    "statistics) is not supported",
		    "BatchNormalization with running outputs");
		in[4] = mk(FT, 1, D(3), F(4, 16, 1));
		fails(call("BatchNormalization", 15, NULL, 0, 5, in, 1, outs),
		    "node t (BatchNormalization): input 4 of shape [3] does "
		    "not match channels of [1,2,1,2]",
		    "BatchNormalization parameter shape");
	}
}

int
main(void)
{
	test_bcast();
	test_arith();
	test_compare();
	test_unary();
	test_matmul();
	test_softmax();
	test_reduce();
	test_nn();
	for (int i = 0; i < npool; i++)
		denai_tensor_free(pool[i]);
	return done_testing();
}
