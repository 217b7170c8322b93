/*
 * test_onnx_ops.c - the elementwise kernels (ops_elementwise.c) and the
 * broadcast walk (bcast.c), driven directly: nodes and tensors built here,
 * answers worked out by hand, errors with their exact messages.
 */
#include "../tap.h"
#include "onnx/bcast.h"
#include "test_onnx_ops.h"

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
	a = mk(FT, 1, D(3), F(0.5f, 2, -2));
	b = mk(FT, 0, NULL, F(1e22f));
	ok(RUN("Pow", 15, NULL, 0, y, a, b) == 0, "Pow x^1e22 runs");
	expect(y, FT, 1, D(3), F(0, INFINITY, INFINITY),
	    "Pow with a huge (even) exponent");
	a = mk(DENAI_DT_INT32, 1, D(2), I32(2, -1));
	b = mk(DENAI_DT_DOUBLE, 1, D(2), DB(1e300, -1e300));
	ok(RUN("Pow", 15, NULL, 0, y, a, b) == 0, "Pow int^1e300 runs");
	expect(y, DENAI_DT_INT32, 1, D(2), I32(-1, 1),
	    "Pow int32 with huge exponents saturates, then wraps to int32");
	a = mk(FT, 1, D(1), F(1));
	fails(call("Max", 13, NULL, 0, 2, (denai_tensor *[]){ a, NULL }, 1,
	    (denai_tensor *[]){ y }), "node t (Max): input 1 is missing",
	    "Max with a missing input");
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


static void
test_more(void)
{
	denai_tensor *a, *b, *c, *y = out_t();

	a = mk(FT, 1, D(3), F(1, 2, 3));
	b = mk(FT, 0, NULL, F(10));
	c = mk(FT, 2, D(2, 1), F(100, 200));
	ok(RUN("Sum", 13, NULL, 0, y, a, b, c) == 0, "Sum of 3 runs");
	expect(y, FT, 2, D(2, 3), F(111, 112, 113, 211, 212, 213),
	    "Sum of [3], [], [2,1]");
	ok(RUN("Mean", 13, NULL, 0, y, a, b) == 0, "Mean of 2 runs");
	expect(y, FT, 1, D(3), F(5.5f, 6, 6.5f), "Mean of [3], []");
	a = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	fails(RUN("Mean", 13, NULL, 0, y, a, a),
	    "node t (Mean): input 0 has unsupported type int64",
	    "Mean of int64 error");
	a = mk(DENAI_DT_INT32, 1, D(3), I32(1, 2, 3));
	b = mk(DENAI_DT_INT32, 0, NULL, I32(2));
	ok(RUN("LessOrEqual", 16, NULL, 0, y, a, b) == 0, "LessOrEqual runs");
	expect(y, DENAI_DT_BOOL, 1, D(3), U8(1, 1, 0), "LessOrEqual");
	ok(RUN("GreaterOrEqual", 16, NULL, 0, y, a, b) == 0,
	    "GreaterOrEqual runs");
	expect(y, DENAI_DT_BOOL, 1, D(3), U8(0, 1, 1), "GreaterOrEqual");
	a = mk(DENAI_DT_BOOL, 1, D(4), U8(0, 0, 1, 1));
	b = mk(DENAI_DT_BOOL, 1, D(4), U8(0, 1, 0, 1));
	ok(RUN("And", 7, NULL, 0, y, a, b) == 0, "And runs");
	expect(y, DENAI_DT_BOOL, 1, D(4), U8(0, 0, 0, 1), "And");
	ok(RUN("Or", 7, NULL, 0, y, a, b) == 0, "Or runs");
	expect(y, DENAI_DT_BOOL, 1, D(4), U8(0, 1, 1, 1), "Or");
	ok(RUN("Xor", 7, NULL, 0, y, a, b) == 0, "Xor runs");
	expect(y, DENAI_DT_BOOL, 1, D(4), U8(0, 1, 1, 0), "Xor");
	ok(RUN("Not", 1, NULL, 0, y, a) == 0, "Not runs");
	expect(y, DENAI_DT_BOOL, 1, D(4), U8(1, 1, 0, 0), "Not");
	a = mk(FT, 1, D(1), F(1));
	fails(RUN("And", 7, NULL, 0, y, a, a),
	    "node t (And): input 0 has unsupported type float",
	    "And of floats error");
	a = mk(FT, 1, D(6), F(2.5f, -2.5f, 3.5f, -0.4f, 4, 1.5f));
	ok(RUN("Round", 11, NULL, 0, y, a) == 0, "Round runs");
	expect(y, FT, 1, D(6), F(2, -2, 4, -0.0f, 4, 2), "Round ties to even");
	ok(RUN("Floor", 13, NULL, 0, y, a) == 0, "Floor runs");
	expect(y, FT, 1, D(6), F(2, -3, 3, -1, 4, 1), "Floor");
	ok(RUN("Ceil", 13, NULL, 0, y, a) == 0, "Ceil runs");
	expect(y, FT, 1, D(6), F(3, -2, 4, -0.0f, 4, 2), "Ceil");
	ok(RUN("Reciprocal", 13, NULL, 0, y, a) == 0, "Reciprocal runs");
	expect(y, FT, 1, D(6), F(0.4f, -0.4f, 1 / 3.5f, -2.5f, 0.25f,
	    1 / 1.5f), "Reciprocal");
	ok(RUN("Sign", 13, NULL, 0, y, a) == 0, "Sign runs");
	expect(y, FT, 1, D(6), F(1, -1, 1, -1, 1, 1), "Sign");
	a = mk(DENAI_DT_INT64, 1, D(3), I64(-7, 0, 9));
	ok(RUN("Sign", 13, NULL, 0, y, a) == 0, "Sign int64 runs");
	expect(y, DENAI_DT_INT64, 1, D(3), I64(-1, 0, 1), "Sign int64");
	a = mk(FT, 2, D(2, 2), F(-1, -1, 1, 1));
	b = mk(FT, 1, D(2), F(0.5f, 2));
	ok(RUN("PRelu", 16, NULL, 0, y, a, b) == 0, "PRelu runs");
	expect(y, FT, 2, D(2, 2), F(-0.5f, -2, 1, 1), "PRelu slope [2]");
	a = mk(FT, 1, D(3), F(-1, 0, 2));
	ok(RUN("Elu", 6, NULL, 0, y, a) == 0, "Elu runs");
	expect_near(y, 1, D(3), DB(-0.6321205588285577, 0, 2), "Elu");
	a = mk(FT, 1, D(2), F(-1, 1));
	ok(RUN("Selu", 6, NULL, 0, y, a) == 0, "Selu runs");
	expect_near(y, 1, D(2), DB(-1.1113307412864781, 1.0507010221481323),
	    "Selu defaults");
	a = mk(FT, 1, D(4), F(-3, 0, 1, 3));
	ok(RUN("HardSigmoid", 6, NULL, 0, y, a) == 0, "HardSigmoid runs");
	expect_near(y, 1, D(4), DB(0, 0.5, 0.7, 1), "HardSigmoid defaults");
	a = mk(FT, 1, D(5), F(-4, -1, 0, 1, 4));
	ok(RUN("HardSwish", 14, NULL, 0, y, a) == 0, "HardSwish runs");
	expect_near(y, 1, D(5), DB(0, -1 / 3.0, 0, 2 / 3.0, 4), "HardSwish");
	a = mk(FT, 1, D(3), F(-1, 0, 3));
	ok(RUN("Softsign", 1, NULL, 0, y, a) == 0, "Softsign runs");
	expect(y, FT, 1, D(3), F(-0.5f, 0, 0.75f), "Softsign");
	a = mk(FT, 1, D(3), F(0.5f, 1, 2));
	ok(RUN("ThresholdedRelu", 10, NULL, 0, y, a) == 0,
	    "ThresholdedRelu runs");
	expect(y, FT, 1, D(3), F(0, 0, 2), "ThresholdedRelu alpha 1");
	{
		denai_attr at[1] = { a_float("alpha", 1) };

		fails(RUN("HardSwish", 14, at, 1, y, a),
		    "node t (HardSwish): unsupported attribute alpha",
		    "HardSwish takes no alpha");
	}
	a = mk(FT, 1, D(4), F(0, 1, -100, 100));
	ok(RUN("Softplus", 1, NULL, 0, y, a) == 0, "Softplus runs");
	expect_near(y, 1, D(4), DB(0.6931471805599453, 1.3132616875182228,
	    3.720075976020836e-44, 100), "Softplus");
}

int
main(void)
{
	test_bcast();
	test_arith();
	test_compare();
	test_unary();
	test_more();
	for (int i = 0; i < npool; i++)
		denai_tensor_free(pool[i]);
	return done_testing();
}
