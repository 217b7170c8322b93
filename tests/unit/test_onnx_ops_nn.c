/*
 * test_onnx_ops_nn.c - MatMul Gemm Softmax (ops_math.c), ArgMax and the
 * reductions (ops_reduce.c), Conv, pools and BatchNormalization
 * (ops_nn.c), driven directly with hand-worked answers and exact errors.
 */
#include <pthread.h>

#include "../tap.h"
#include "test_onnx_ops.h"

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

/* Gemm with transA and transB over K > 256 (B packed in several blocks of
 * k, partial sums through the output) against the plain ascending-k sum,
 * in float and double. */
static void
test_gemm_blocks(void)
{
	enum { M = 6, K = 600, N = 9 };
	static float at_[K * M], bt_[N * K], ref[M * N];
	static double atd[K * M], btd[N * K], refd[M * N];
	denai_tensor *a, *b, *y = out_t();
	denai_attr at[2] = { a_int("transA", 1), a_int("transB", 1) };

	for (int i = 0; i < K * M; i++)
		atd[i] = at_[i] = rnd();
	for (int i = 0; i < N * K; i++)
		btd[i] = bt_[i] = rnd();
	for (int i = 0; i < M; i++)
		for (int j = 0; j < N; j++) {
			float s = 0;
			double sd = 0;

			for (int k = 0; k < K; k++) {
				s = s + at_[k * M + i] * bt_[j * K + k];
				sd = sd + atd[k * M + i] * btd[j * K + k];
			}
			ref[i * N + j] = s;
			refd[i * N + j] = sd;
		}
	a = mk(FT, 2, D(K, M), at_);
	b = mk(FT, 2, D(N, K), bt_);
	ok(RUN("Gemm", 13, at, 2, y, a, b) == 0, "Gemm transA transB K=600");
	is_mem(y->data, ref, sizeof(ref),
	    "float Gemm over packed k blocks equals the ascending-k sum");
	a = mk(DENAI_DT_DOUBLE, 2, D(K, M), atd);
	b = mk(DENAI_DT_DOUBLE, 2, D(N, K), btd);
	ok(RUN("Gemm", 13, at, 2, y, a, b) == 0, "double Gemm K=600 runs");
	is_mem(y->data, refd, sizeof(refd),
	    "double Gemm over packed k blocks equals the ascending-k sum");
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
	x = mk(FT, 2, D(2, 2), F(1, -2, 3, 4));
	ax = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	ok(RUN("ReduceMin", 18, NULL, 0, y, x, ax) == 0, "ReduceMin runs");
	expect(y, FT, 2, D(2, 1), F(-2, 3), "ReduceMin");
	ok(RUN("ReduceProd", 18, NULL, 0, y, x, ax) == 0, "ReduceProd runs");
	expect(y, FT, 2, D(2, 1), F(-2, 12), "ReduceProd");
	ok(RUN("ReduceSumSquare", 18, NULL, 0, y, x, ax) == 0,
	    "ReduceSumSquare runs");
	expect(y, FT, 2, D(2, 1), F(5, 25), "ReduceSumSquare");
	ok(RUN("ReduceL1", 18, NULL, 0, y, x, ax) == 0, "ReduceL1 runs");
	expect(y, FT, 2, D(2, 1), F(3, 7), "ReduceL1");
	ok(RUN("ReduceL2", 18, NULL, 0, y, x, ax) == 0, "ReduceL2 runs");
	expect(y, FT, 2, D(2, 1), F(sqrtf(5), 5), "ReduceL2");
	x = mk(FT, 2, D(2, 2), F(1, 2, 3, 4));
	ok(RUN("ReduceLogSum", 18, NULL, 0, y, x, ax) == 0,
	    "ReduceLogSum runs");
	expect_near(y, 2, D(2, 1), DB(1.0986122886681098, 1.9459101090932196),
	    "ReduceLogSum");
	x = mk(DENAI_DT_INT64, 2, D(2, 2), I64(1, -2, 3, 4));
	ok(RUN("ReduceL1", 18, NULL, 0, y, x, ax) == 0, "ReduceL1 int64 runs");
	expect(y, DENAI_DT_INT64, 2, D(2, 1), I64(3, 7), "ReduceL1 int64");
	fails(RUN("ReduceL2", 18, NULL, 0, y, x, ax),
	    "node t (ReduceL2): input 0 has unsupported type int64",
	    "ReduceL2 of int64 error");
	{
		denai_attr am[1] = { a_int("axis", 1) };

		ok(RUN("ArgMin", 13, am, 1, y, x) == 0, "ArgMin runs");
		expect(y, DENAI_DT_INT64, 2, D(2, 1), I64(1, 0), "ArgMin");
	}
	x = mk(FT, 2, D(3, 2), F(0, 0, 1000, 1000, -INFINITY, -INFINITY));
	ax = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	at[0] = a_int("keepdims", 0);
	ok(RUN("ReduceLogSumExp", 18, at, 1, y, x, ax) == 0,
	    "ReduceLogSumExp runs");
	expect_near(y, 1, D(3), DB(0.6931471805599453, 1000.6931471805599,
	    -INFINITY), "ReduceLogSumExp (stable; all -inf gives -inf)");
	x = mk(FT, 2, D(2, 3), F(1, 2, 3, 4, 5, 6));
	ok(RUN("ReduceLogSumExp", 18, NULL, 0, y, x) == 0,
	    "ReduceLogSumExp over all runs");
	expect_near(y, 2, D(1, 1), DB(6.456193316018123),
	    "ReduceLogSumExp over all axes");
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
	{
		int64_t huge[2] = { 1, (int64_t)1 << 40 };

		at[0] = a_ints("dilations", huge, 2);
		fails(RUN("Conv", 11, at, 1, y, x, w),
		    "node t (Conv): attribute dilations value 1099511627776 "
		    "is out of range", "Conv huge dilation");
	}
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

/* Each thread evaluates its own Gemm node (as each graph has its own
 * nodes) on shared inputs, several times. */
struct job {
	denai_tensor *in[3], *y;
	int rc;
};

static void *
gemm_job(void *arg)
{
	struct job *j = arg;
	char name[] = "g", type[] = "Gemm", dom[] = "";
	int ins[3] = { 0, 1, 2 }, outs[1] = { 3 };
	const denai_op *op = denai_op_find("", "Gemm", 13);
	denai_err e;
	denai_node n;

	memset(&n, 0, sizeof(n));
	n.name = name;
	n.op_type = type;
	n.domain = dom;
	n.opset = 13;
	n.nin = 3;
	n.nout = 1;
	n.in = ins;
	n.out = outs;
	n.op = op;
	j->rc = op->prepare(&n, &e);
	for (int r = 0; r < 20 && j->rc == 0; r++)
		j->rc = op->run(&n, (const denai_tensor *const *)j->in, &j->y,
		    &e);
	op->free_state(n.state);
	return NULL;
}

static void
test_threads(void)
{
	enum { M = 16, K = 300, N = 40 };
	static float av[M * K], bv[K * N], cv[N];
	struct job one, two[2];
	pthread_t th[2];

	for (int i = 0; i < M * K; i++)
		av[i] = rnd() * 100;
	for (int i = 0; i < K * N; i++)
		bv[i] = rnd();
	for (int i = 0; i < N; i++)
		cv[i] = rnd();
	one.in[0] = mk(FT, 2, D(M, K), av);
	one.in[1] = mk(FT, 2, D(K, N), bv);
	one.in[2] = mk(FT, 1, D(N), cv);
	one.y = out_t();
	gemm_job(&one);
	ok(one.rc == 0, "Gemm in one thread runs");
	for (int t = 0; t < 2; t++) {
		two[t] = one;
		two[t].y = out_t();
		pthread_create(&th[t], NULL, gemm_job, &two[t]);
	}
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < 2; t++) {
		ok(two[t].rc == 0, "Gemm in thread %d of 2 runs", t);
		is_mem(two[t].y->data, one.y->data, sizeof(float) * M * N,
		    "Gemm bits in 2 threads equal those in 1");
	}
}

static void
test_topk(void)
{
	denai_tensor *x, *k, *v = out_t(), *ix = out_t();
	denai_attr at[2];

	x = mk(FT, 2, D(2, 4), F(3, 1, 3, 2, 0, 5, 5, 4));
	k = mk(DENAI_DT_INT64, 1, D(1), I64(2));
	ok(call("TopK", 11, NULL, 0, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, ix }) == 0, "TopK runs");
	expect(v, FT, 2, D(2, 2), F(3, 3, 5, 5), "TopK values");
	expect(ix, DENAI_DT_INT64, 2, D(2, 2), I64(0, 2, 1, 2),
	    "TopK indices, ties to the lower index");
	k = mk(DENAI_DT_INT64, 1, D(1), I64(3));
	at[0] = a_int("largest", 0);
	ok(call("TopK", 11, at, 1, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, ix }) == 0, "TopK smallest runs");
	expect(v, FT, 2, D(2, 3), F(1, 2, 3, 0, 4, 5), "TopK smallest values");
	expect(ix, DENAI_DT_INT64, 2, D(2, 3), I64(1, 3, 0, 0, 3, 1),
	    "TopK smallest indices");
	ok(call("TopK", 11, at, 1, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, NULL }) == 0, "TopK values only runs");
	expect(v, FT, 2, D(2, 3), F(1, 2, 3, 0, 4, 5),
	    "TopK values without indices");
	x = mk(FT, 2, D(2, 3), F(1, 5, 2, 4, 0, 2));
	k = mk(DENAI_DT_INT64, 1, D(1), I64(1));
	at[0] = a_int("axis", 0);
	ok(call("TopK", 11, at, 1, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, ix }) == 0, "TopK axis 0 runs");
	expect(v, FT, 2, D(1, 3), F(4, 5, 2), "TopK axis 0 values");
	expect(ix, DENAI_DT_INT64, 2, D(1, 3), I64(1, 0, 0),
	    "TopK axis 0 indices");
	x = mk(FT, 1, D(3), F(1, NAN, 3));
	k = mk(DENAI_DT_INT64, 1, D(1), I64(2));
	ok(call("TopK", 11, NULL, 0, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, ix }) == 0, "TopK with NaN runs");
	expect(ix, DENAI_DT_INT64, 1, D(2), I64(1, 2), "TopK: NaN is largest");
	at[0] = a_int("largest", 0);
	ok(call("TopK", 11, at, 1, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, ix }) == 0, "TopK smallest with NaN runs");
	expect(ix, DENAI_DT_INT64, 1, D(2), I64(0, 2),
	    "TopK smallest: NaN is last");
	k = mk(DENAI_DT_INT64, 1, D(1), I64(4));
	fails(call("TopK", 11, NULL, 0, 2, (denai_tensor *[]){ x, k }, 2,
	    (denai_tensor *[]){ v, ix }), "node t (TopK): K 4 is not within 0 "
	    "and 3", "TopK K too large");
}

int
main(void)
{
	test_matmul();
	test_gemm_blocks();
	test_softmax();
	test_reduce();
	test_topk();
	test_nn();
	test_threads();
	for (int i = 0; i < npool; i++)
		denai_tensor_free(pool[i]);
	return done_testing();
}
