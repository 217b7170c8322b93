/*
 * ops_elementwise.c - Add Sub Mul Div Pow Max Min Sum Mean, the
 * comparisons and logical ops, Where (all through the one broadcast walk
 * of bcast.h), and the unary ops Relu LeakyRelu Sigmoid Tanh Exp Log Sqrt
 * Abs Neg Clip Reciprocal Floor Ceil Round Sign Softplus Not, and the
 * activations PRelu Elu Selu HardSigmoid HardSwish Softsign
 * ThresholdedRelu.
 *
 * Each kernel is one typed inner function per element type, generated
 * once by the macros below; an op is a row of function pointers by type.
 * Integer arithmetic wraps (two's complement, computed unsigned); integer
 * Div truncates toward zero and gives 0 for a zero divisor (so a model
 * never traps; ONNX leaves it undefined).
 *
 * GCC's -O2 vectorises only loops of known length: the row loops here
 * get its full vectoriser (lanes are independent IEEE operations, no
 * contraction: the bits are the scalar loop's; tests/det/ checks).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize", "vect-cost-model=dynamic")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/bcast.h"
#include "onnx/dmath.h"
#include "onnx/kern.h"

/* One row of kernels by element type; NULL where the type is refused. */
struct typed {
	void *f32, *f64, *i32, *i64, *b8, *str;
};

static void *
pick(const struct typed *t, int dtype)
{
	switch (dtype) {
	case DENAI_DT_FLOAT:	return t->f32;
	case DENAI_DT_DOUBLE:	return t->f64;
	case DENAI_DT_INT32:	return t->i32;
	case DENAI_DT_INT64:	return t->i64;
	case DENAI_DT_BOOL:	return t->b8;
	case DENAI_DT_STRING:	return t->str;
	default:		return NULL;
	}
}

/*
 * A binary inner function: o[i] = EXPR(x, y) over a row where each input
 * steps 0 or 1. The common stride patterns get their own loops so the
 * compiler can vectorise them; every lane computes the same IEEE
 * operation, so results do not depend on the path.
 */
#define BIN(name, T, R, EXPR)						\
static void								\
name(void *ctx, size_t n, void *o_, const void *const *in,		\
    const ptrdiff_t *st)						\
{									\
	R *restrict o = o_;						\
	const T *restrict a = in[0], *restrict b = in[1];		\
	(void)ctx;							\
	if (st[0] == 1 && st[1] == 1)					\
		for (size_t i = 0; i < n; i++) {			\
			T x = a[i], y = b[i];				\
			o[i] = (EXPR);					\
		}							\
	else if (st[0] == 1) {						\
		T y = b[0];						\
		for (size_t i = 0; i < n; i++) {			\
			T x = a[i];					\
			o[i] = (EXPR);					\
		}							\
	} else if (st[1] == 1) {					\
		T x = a[0];						\
		for (size_t i = 0; i < n; i++) {			\
			T y = b[i];					\
			o[i] = (EXPR);					\
		}							\
	} else								\
		for (size_t i = 0; i < n; i++) {			\
			T x = a[0], y = b[0];				\
			o[i] = (EXPR);					\
		}							\
}

/* The four numeric types of an arithmetic op; U is the unsigned twin. */
#define ARITH(op, FEXPR, IEXPR)						\
	BIN(op##_f32, float, float, FEXPR)				\
	BIN(op##_f64, double, double, FEXPR)				\
	BIN(op##_i32, int32_t, int32_t, IEXPR(int32_t, uint32_t))	\
	BIN(op##_i64, int64_t, int64_t, IEXPR(int64_t, uint64_t))

#define I_ADD(T, U) (T)((U)x + (U)y)
#define I_SUB(T, U) (T)((U)x - (U)y)
#define I_MUL(T, U) (T)((U)x * (U)y)
#define I_DIV(T, U) (y == 0 ? 0 : y == -1 ? (T)(0 - (U)x) : x / y)
#define I_MAX(T, U) (x > y ? x : y)
#define I_MIN(T, U) (x < y ? x : y)

ARITH(add, x + y, I_ADD)
ARITH(sub, x - y, I_SUB)
ARITH(mul, x * y, I_MUL)
ARITH(div, x / y, I_DIV)
/* NaN wins in Max and Min, as in numpy. */
ARITH(max, x != x || x > y ? x : y, I_MAX)
ARITH(min, x != x || x < y ? x : y, I_MIN)

#define CMP(op, EXPR)							\
	BIN(op##_f32, float, uint8_t, EXPR)				\
	BIN(op##_f64, double, uint8_t, EXPR)				\
	BIN(op##_i32, int32_t, uint8_t, EXPR)				\
	BIN(op##_i64, int64_t, uint8_t, EXPR)

CMP(less, x < y)
CMP(greater, x > y)
CMP(less_eq, x <= y)
CMP(greater_eq, x >= y)
CMP(equal, x == y)
#define I_PRELU(T, U) (x < 0 ? (T)((U)y * (U)x) : x)
ARITH(prelu, x < 0 ? y * x : x, I_PRELU)
BIN(and_b8, uint8_t, uint8_t, x && y)
BIN(or_b8, uint8_t, uint8_t, x || y)
BIN(xor_b8, uint8_t, uint8_t, !x != !y)
BIN(equal_b8, uint8_t, uint8_t, x == y)
typedef const char *cstr;
BIN(equal_str, cstr, uint8_t,
    strcmp(x != NULL ? x : "", y != NULL ? y : "") == 0)

#define ROW4(op) { op##_f32, op##_f64, op##_i32, op##_i64, NULL, NULL }

struct binop {
	const char *name;
	struct typed k;
	int out_bool;
	int mean;		/* divide the folded sum by the input count */
};

#define ROWB(op) { NULL, NULL, NULL, NULL, op##_b8, NULL }

static const struct binop binops[] = {
	{ "Add", ROW4(add), 0, 0 },
	{ "Sub", ROW4(sub), 0, 0 },
	{ "Mul", ROW4(mul), 0, 0 },
	{ "Div", ROW4(div), 0, 0 },
	{ "Max", ROW4(max), 0, 0 },
	{ "Min", ROW4(min), 0, 0 },
	{ "PRelu", ROW4(prelu), 0, 0 },
	{ "Sum", ROW4(add), 0, 0 },
	{ "Mean", { add_f32, add_f64, NULL, NULL, NULL, NULL }, 0, 1 },
	{ "Less", ROW4(less), 1, 0 },
	{ "Greater", ROW4(greater), 1, 0 },
	{ "LessOrEqual", ROW4(less_eq), 1, 0 },
	{ "GreaterOrEqual", ROW4(greater_eq), 1, 0 },
	{ "And", ROWB(and), 1, 0 },
	{ "Or", ROWB(or), 1, 0 },
	{ "Xor", ROWB(xor), 1, 0 },
	{ "Equal", { equal_f32, equal_f64, equal_i32, equal_i64, equal_b8,
	    equal_str }, 1, 0 },
	{ NULL, { NULL, NULL, NULL, NULL, NULL, NULL }, 0, 0 },
};

/* Parsed attributes of every op of this file. */
struct ew_state {
	const struct binop *bin;
	const struct unop *un;
	float alpha, beta;		/* activations' attributes */
	float lo, hi;			/* Clip before opset 11 */
};

static int
new_state(denai_node *n, const char *const *known, denai_err *err)
{
	struct ew_state *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	return 0;
}

static int
prep_binary(denai_node *n, denai_err *err)
{
	static const char *const none[] = { NULL };
	struct ew_state *s;

	if (new_state(n, none, err) != 0)
		return -1;
	s = n->state;
	for (s->bin = binops; s->bin->name != NULL; s->bin++)
		if (strcmp(s->bin->name, n->op_type) == 0)
			break;
	if (s->bin->name == NULL)
		return denai_node_fail(n, err, DENAI_EUNSUP, "no kernel");
	return 0;
}

/* Output shape of inputs in[0..nin), with errors naming the node. */
static int
bshape(const denai_node *n, int *rank, int64_t *dims, int nin,
    const denai_tensor *const *in, denai_err *err)
{
	denai_err e;

	if (denai_bcast_shape(rank, dims, nin, in, &e) != 0)
		return denai_node_fail(n, err, e.code, "%s", e.msg);
	return 0;
}

/* Applies fn to (a, b) into o, which has the broadcast shape. */
static void
apply2(denai_bcast_fn *fn, void *ctx, denai_tensor *o, const denai_tensor *a,
    const denai_tensor *b)
{
	const denai_tensor *ab[2] = { a, b };
	const void *p[2] = { a->data, b->data };
	denai_bcast plan;

	denai_bcast_plan(&plan, o->rank, o->dims, denai_dtype_size(o->dtype),
	    2, ab);
	denai_bcast_run(&plan, fn, ctx, o->data, p);
}

/* Add Sub Mul Div Less Greater Equal, and variadic Max Min. */
static int
run_binary(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct ew_state *s = n->state;
	denai_bcast_fn *fn;
	int64_t dims[DENAI_MAX_RANK];
	int rank, nin = n->nin, dt;

	if (denai_kern_need(n, in, nin, err) != 0)
		return -1;
	dt = in[0]->dtype;
	for (int i = 1; i < nin; i++)
		if (in[i]->dtype != dt)
			return denai_kern_mixed(n, err, 0, i, in[0], in[i]);
	if ((fn = (denai_bcast_fn *)pick(&s->bin->k, dt)) == NULL)
		return denai_kern_bad_type(n, err, 0, dt);
	if (bshape(n, &rank, dims, nin, in, err) != 0)
		return -1;
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], s->bin->out_bool ? DENAI_DT_BOOL : dt,
	    rank, dims, err) != 0)
		return -1;
	if (nin == 1) {
		/* Max, Min, Sum or Mean of one tensor: a copy. */
		if (out[0]->count > 0)
			memcpy(out[0]->data, in[0]->data,
			    out[0]->count * denai_dtype_size(dt));
		return 0;
	}
	/* Folds left to right; from the second step the output is also the
	 * left input, read and written at the same element. */
	apply2(fn, NULL, out[0], in[0], in[1]);
	for (int i = 2; i < nin; i++)
		apply2(fn, NULL, out[0], out[0], in[i]);
	if (s->bin->mean)
		for (size_t i = 0; i < out[0]->count; i++) {
			if (dt == DENAI_DT_FLOAT)
				DENAI_T_F32(out[0])[i] /= (float)nin;
			else
				DENAI_T_F64(out[0])[i] /= (double)nin;
		}
	return 0;
}

/* Pow: base of T, exponent of any numeric type, read as double. */
static double
load_d(const void *p, ptrdiff_t i, int dt)
{
	switch (dt) {
	case DENAI_DT_FLOAT:	return ((const float *)p)[i];
	case DENAI_DT_DOUBLE:	return ((const double *)p)[i];
	case DENAI_DT_INT32:	return ((const int32_t *)p)[i];
	default:		return (double)((const int64_t *)p)[i];
	}
}

/* x^y for an integer base: exact with wrapping, truncating for y < 0. */
static int64_t
ipow(int64_t x, double y)
{
	uint64_t r = 1, b = (uint64_t)x;
	double d;

	if (y != y)
		return 0;
	if (y < 0 || y >= 0x1p63 || y != (double)(int64_t)y) {
		if (y < 0 && y > -0x1p63 && y == (double)(int64_t)y)
			return x == 1 ? 1 : x == -1 ? ((int64_t)y & 1 ? -1 : 1) : 0;
		d = denai_pow((double)x, y);
		if (!(d > -0x1p63 && d < 0x1p63))
			return d != d ? 0 : d < 0 ? INT64_MIN : INT64_MAX;
		return (int64_t)d;
	}
	for (uint64_t e = (uint64_t)y; e != 0; e >>= 1) {
		if (e & 1)
			r *= b;
		b *= b;
	}
	return (int64_t)r;
}

#define POWK(name, T, EXPR)						\
static void								\
name(void *ctx, size_t n, void *o_, const void *const *in,		\
    const ptrdiff_t *st)						\
{									\
	T *o = o_;							\
	const T *a = in[0];						\
	int edt = *(const int *)ctx;					\
	for (size_t i = 0; i < n; i++) {				\
		T x = a[(ptrdiff_t)i * st[0]];				\
		double y = load_d(in[1], (ptrdiff_t)i * st[1], edt);	\
		o[i] = (EXPR);						\
	}								\
}

POWK(pow_f32, float, denai_powf(x, (float)y))
POWK(pow_f64, double, denai_pow(x, y))
POWK(pow_i32, int32_t, (int32_t)ipow(x, y))
POWK(pow_i64, int64_t, ipow(x, y))

static const struct typed pow_k = ROW4(pow);

static int
run_pow(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	denai_bcast_fn *fn;
	int64_t dims[DENAI_MAX_RANK];
	int rank, edt;

	if (denai_kern_need(n, in, 2, err) != 0)
		return -1;
	edt = in[1]->dtype;
	if ((fn = (denai_bcast_fn *)pick(&pow_k, in[0]->dtype)) == NULL)
		return denai_kern_bad_type(n, err, 0, in[0]->dtype);
	if (pick(&pow_k, edt) == NULL)
		return denai_kern_bad_type(n, err, 1, edt);
	if (bshape(n, &rank, dims, 2, in, err) != 0)
		return -1;
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], in[0]->dtype, rank, dims, err) != 0)
		return -1;
	apply2(fn, &edt, out[0], in[0], in[1]);
	return 0;
}

/* Where: cond ? X : Y, copying elements by size; strings duplicated. */
#define WHERE(name, T)							\
static void								\
name(void *ctx, size_t n, void *o_, const void *const *in,		\
    const ptrdiff_t *st)						\
{									\
	T *o = o_;							\
	const uint8_t *c = in[0];					\
	const T *x = in[1], *y = in[2];					\
	(void)ctx;							\
	for (size_t i = 0; i < n; i++) {				\
		ptrdiff_t k = (ptrdiff_t)i;				\
		o[i] = c[k * st[0]] ? x[k * st[1]] : y[k * st[2]];	\
	}								\
}

WHERE(where_8, uint8_t)
WHERE(where_32, uint32_t)
WHERE(where_64, uint64_t)

static void
where_str(void *ctx, size_t n, void *o_, const void *const *in,
    const ptrdiff_t *st)
{
	char **o = o_;
	const uint8_t *c = in[0];
	char *const *x = in[1], *const *y = in[2];
	int *failed = ctx;

	for (size_t i = 0; i < n; i++) {
		ptrdiff_t k = (ptrdiff_t)i;
		const char *v = c[k * st[0]] ? x[k * st[1]] : y[k * st[2]];

		if ((o[i] = strdup(v != NULL ? v : "")) == NULL)
			*failed = 1;
	}
}

static int
run_where(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const void *p[3];
	int64_t dims[DENAI_MAX_RANK];
	denai_bcast_fn *fn;
	denai_bcast plan;
	int rank, dt, failed = 0;

	if (denai_kern_need(n, in, 3, err) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		p[i] = in[i]->data;
	dt = in[1]->dtype;

	if (in[0]->dtype != DENAI_DT_BOOL)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "condition must be bool, not %s",
		    denai_dtype_name(in[0]->dtype));
	if (in[2]->dtype != dt)
		return denai_kern_mixed(n, err, 1, 2, in[1], in[2]);
	if (dt == DENAI_DT_STRING)
		fn = where_str;
	else {
		switch (denai_dtype_size(dt)) {
		case 1:		fn = where_8; break;
		case 4:		fn = where_32; break;
		case 8:		fn = where_64; break;
		default:	return denai_kern_bad_type(n, err, 1, dt);
		}
	}
	if (bshape(n, &rank, dims, 3, in, err) != 0)
		return -1;
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], dt, rank, dims, err) != 0)
		return -1;
	denai_bcast_plan(&plan, rank, dims, denai_dtype_size(dt), 3, in);
	denai_bcast_run(&plan, fn, &failed, out[0]->data, p);
	if (failed)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	return 0;
}

/* Unary ops: y[i] = EXPR(x) over contiguous data. */
typedef void unfn(const struct ew_state *s, size_t n, void *y,
    const void *x, const void *lo, const void *hi);

#define UN(name, T, EXPR)						\
static void								\
name(const struct ew_state *s, size_t n, void *y_, const void *x_,	\
    const void *lo_, const void *hi_)					\
{									\
	T *restrict y = y_;						\
	const T *restrict xs = x_;					\
	(void)s; (void)lo_; (void)hi_;					\
	for (size_t i = 0; i < n; i++) {				\
		T x = xs[i];						\
		y[i] = (EXPR);						\
	}								\
}

#define UN_F(op, FEXPR, DEXPR)						\
	UN(op##_f32, float, FEXPR)					\
	UN(op##_f64, double, DEXPR)
#define UN_ALL(op, FEXPR, IEXPR)					\
	UN(op##_f32, float, FEXPR)					\
	UN(op##_f64, double, FEXPR)					\
	UN(op##_i32, int32_t, IEXPR(int32_t, uint32_t))			\
	UN(op##_i64, int64_t, IEXPR(int64_t, uint64_t))

#define I_RELU(T, U) (x > 0 ? x : 0)
#define I_ABS(T, U) (x < 0 ? (T)(0 - (U)x) : x)
#define I_NEG(T, U) (T)(0 - (U)x)

/*
 * Relu decides on the sign bit, not on a comparison: clang 14 for arm64
 * compiles x < 0 ? 0 : x to fmaxnm, which turns -0 into +0 and NaN into 0.
 * A negative non-zero value (finite or -inf) gives +0; -0 and NaN pass
 * unchanged, on every target (tests/det/arm64.t).
 */
static inline float
relu_f32v(float x)
{
	uint32_t u;

	memcpy(&u, &x, sizeof(u));
	return (u >> 31) != 0 && (u & 0x7fffffffu) - 1 < 0x7f800000u ?
	    0.0f : x;
}

static inline double
relu_f64v(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return (u >> 63) != 0 &&
	    (u & 0x7fffffffffffffffull) - 1 < 0x7ff0000000000000ull ? 0.0 : x;
}

/* Relu of float, 8 at a time in signed integer vectors with the same
 * test (negative, |x| non-zero and not NaN: 0 < |u| <= 0x7f800000): the
 * result is u & ~mask, bits for bits what relu_f32v gives. */
typedef int32_t relu_v4i __attribute__((vector_size(16)));

static void
relu_f32(const struct ew_state *s, size_t n, void *y_, const void *x_,
    const void *lo_, const void *hi_)
{
	float *restrict y = y_;
	const float *restrict xs = x_;
	size_t i = 0;

	(void)s; (void)lo_; (void)hi_;
	for (; i + 8 <= n; i += 8) {
		relu_v4i u[2], m;

		memcpy(u, xs + i, sizeof(u));
		for (int h = 0; h < 2; h++) {
			relu_v4i abs = u[h] & 0x7fffffff;

			m = (u[h] >> 31) & (relu_v4i)(abs > 0) &
			    (relu_v4i)(abs < 0x7f800001);
			u[h] &= ~m;
		}
		memcpy(y + i, u, sizeof(u));
	}
	for (; i < n; i++)
		y[i] = relu_f32v(xs[i]);
}

UN(relu_f64, double, relu_f64v(x))
UN(relu_i32, int32_t, I_RELU(int32_t, uint32_t))
UN(relu_i64, int64_t, I_RELU(int64_t, uint64_t))
UN_ALL(abs, x < 0 ? -x : x == 0 ? 0 : x, I_ABS)
UN_ALL(neg, -x, I_NEG)
UN_F(leaky, x < 0 ? s->alpha * x : x, x < 0 ? (double)s->alpha * x : x)
UN_F(sigmoid, denai_sigmoidf(x), denai_sigmoid(x))
UN_F(tanh, denai_tanhf(x), denai_tanh(x))
UN_F(exp, denai_expf(x), denai_exp(x))
UN_F(log, denai_logf(x), denai_log(x))
UN_F(sqrt, sqrtf(x), sqrt(x))
UN_F(recip, 1.0f / x, 1.0 / x)
UN_F(floor, floorf(x), floor(x))
UN_F(ceil, ceilf(x), ceil(x))
UN_F(round, rintf(x), rint(x))		/* ties to even, as ONNX says */
UN_F(softplus, denai_softplusf(x), denai_softplus(x))
UN(not_b8, uint8_t, !x)
UN_F(elu, x < 0 ? (float)(s->alpha * denai_expm1(x)) : x,
    x < 0 ? s->alpha * denai_expm1(x) : x)
/* Selu: beta holds gamma. */
UN_F(selu, x > 0 ? s->beta * x :
    (float)((double)s->beta * ((double)s->alpha * denai_exp(x) - s->alpha)),
    x > 0 ? s->beta * x : s->beta * (s->alpha * denai_exp(x) - s->alpha))
#define HARD(v) ((v) < 0 ? 0 : (v) > 1 ? 1 : (v))
UN_F(hsigmoid, HARD(s->alpha * x + s->beta),
    HARD((double)s->alpha * x + s->beta))
UN_F(hswish, x * HARD(x * (1.0f / 6) + 0.5f), x * HARD(x * (1.0 / 6) + 0.5))
UN_F(softsign, x / (1 + (x < 0 ? -x : x)), x / (1 + (x < 0 ? -x : x)))
UN_F(thrrelu, x > s->alpha ? x : 0, x > s->alpha ? x : 0)

#define I_SIGN(T, U) (T)((x > 0) - (x < 0))
UN_ALL(sign, x > 0 ? 1 : x < 0 ? -1 : x, I_SIGN)

/* Clip: y = min(max(x, lo), hi), so lo > hi gives hi, as ONNX says. */
#define CLIP(name, T)							\
static void								\
name(const struct ew_state *s, size_t n, void *y_, const void *x_,	\
    const void *lo_, const void *hi_)					\
{									\
	T *y = y_;							\
	const T *xs = x_, lo = *(const T *)lo_, hi = *(const T *)hi_;	\
	(void)s;							\
	for (size_t i = 0; i < n; i++) {				\
		T v = xs[i];						\
		v = v < lo ? lo : v;					\
		y[i] = v > hi ? hi : v;					\
	}								\
}

CLIP(clip_f32, float)
CLIP(clip_f64, double)
CLIP(clip_i32, int32_t)
CLIP(clip_i64, int64_t)

struct unop {
	const char *name;
	struct typed k;
};

#define ROWF(op) { op##_f32, op##_f64, NULL, NULL, NULL, NULL }

static const struct unop unops[] = {
	{ "Relu", ROW4(relu) },
	{ "Abs", ROW4(abs) },
	{ "Neg", ROW4(neg) },
	{ "LeakyRelu", ROWF(leaky) },
	{ "Sigmoid", ROWF(sigmoid) },
	{ "Tanh", ROWF(tanh) },
	{ "Exp", ROWF(exp) },
	{ "Log", ROWF(log) },
	{ "Sqrt", ROWF(sqrt) },
	{ "Clip", ROW4(clip) },
	{ "Reciprocal", ROWF(recip) },
	{ "Floor", ROWF(floor) },
	{ "Ceil", ROWF(ceil) },
	{ "Round", ROWF(round) },
	{ "Softplus", ROWF(softplus) },
	{ "Sign", ROW4(sign) },
	{ "Not", { NULL, NULL, NULL, NULL, not_b8, NULL } },
	{ "Elu", ROWF(elu) },
	{ "Selu", ROWF(selu) },
	{ "HardSigmoid", ROWF(hsigmoid) },
	{ "HardSwish", ROWF(hswish) },
	{ "Softsign", ROWF(softsign) },
	{ "ThresholdedRelu", ROWF(thrrelu) },
	{ NULL, { NULL, NULL, NULL, NULL, NULL, NULL } },
};

/* The float attributes of the activations, with their defaults. */
static const struct act {
	const char *op, *a;
	float adef;
	const char *b;
	float bdef;
} acts[] = {
	{ "LeakyRelu", "alpha", 0.01f, NULL, 0 },
	{ "Elu", "alpha", 1.0f, NULL, 0 },
	{ "Selu", "alpha", 1.67326319217681884765625f, "gamma",
	    1.05070102214813232421875f },
	{ "HardSigmoid", "alpha", 0.2f, "beta", 0.5f },
	{ "ThresholdedRelu", "alpha", 1.0f, NULL, 0 },
	{ NULL, NULL, 0, NULL, 0 },
};

static int
prep_unary(denai_node *n, denai_err *err)
{
	static const char *const clip6[] = { "min", "max", NULL };
	const char *known[3] = { NULL, NULL, NULL };
	int is_clip6 = strcmp(n->op_type, "Clip") == 0 && n->opset < 11;
	const struct act *a;
	struct ew_state *s;

	for (a = acts; a->op != NULL; a++)
		if (strcmp(a->op, n->op_type) == 0)
			break;
	known[0] = a->a;
	known[1] = a->b;
	if (new_state(n, is_clip6 ? clip6 : known, err) != 0)
		return -1;
	s = n->state;
	for (s->un = unops; s->un->name != NULL; s->un++)
		if (strcmp(s->un->name, n->op_type) == 0)
			break;
	if (s->un->name == NULL)
		return denai_node_fail(n, err, DENAI_EUNSUP, "no kernel");
	if (a->a != NULL &&
	    denai_node_attr_float(n, a->a, a->adef, &s->alpha, err) != 0)
		return -1;
	if (a->b != NULL &&
	    denai_node_attr_float(n, a->b, a->bdef, &s->beta, err) != 0)
		return -1;
	if (is_clip6 &&
	    (denai_node_attr_float(n, "min", -INFINITY, &s->lo, err) != 0 ||
	    denai_node_attr_float(n, "max", INFINITY, &s->hi, err) != 0))
		return -1;
	return 0;
}

/* Clip's bound of type dt: the optional scalar input, or the extreme. */
static int
clip_bound(const denai_node *n, const denai_tensor *t, int input, int dt,
    int upper, void *v, denai_err *err)
{
	if (t != NULL && t->count != 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input %d must be a scalar, not of %zu elements", input,
		    t->count);
	if (t != NULL && t->dtype != dt)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input %d is %s, not %s like the input", input,
		    denai_dtype_name(t->dtype), denai_dtype_name(dt));
	if (t != NULL) {
		memcpy(v, t->data, denai_dtype_size(dt));
		return 0;
	}
	switch (dt) {
	case DENAI_DT_FLOAT:	*(float *)v = upper ? INFINITY : -INFINITY; break;
	case DENAI_DT_DOUBLE:	*(double *)v = upper ? INFINITY : -INFINITY; break;
	case DENAI_DT_INT32:	*(int32_t *)v = upper ? INT32_MAX : INT32_MIN; break;
	default:		*(int64_t *)v = upper ? INT64_MAX : INT64_MIN; break;
	}
	return 0;
}

static int
run_unary(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct ew_state *s = n->state;
	const denai_tensor *x = in[0];
	double lo[1], hi[1];	/* room for any bound, aligned */
	unfn *fn;

	if (denai_kern_need(n, in, 1, err) != 0)
		return -1;

	if ((fn = (unfn *)pick(&s->un->k, x->dtype)) == NULL)
		return denai_kern_bad_type(n, err, 0, x->dtype);
	if (s->un->k.f32 == (void *)clip_f32 && n->opset < 11) {
		if (x->dtype == DENAI_DT_FLOAT) {
			memcpy(lo, &s->lo, sizeof(float));
			memcpy(hi, &s->hi, sizeof(float));
		} else if (x->dtype == DENAI_DT_DOUBLE) {
			lo[0] = s->lo;
			hi[0] = s->hi;
		} else
			return denai_kern_bad_type(n, err, 0, x->dtype);
	} else if (s->un->k.f32 == (void *)clip_f32 && (clip_bound(n,
	    n->nin > 1 ? in[1] : NULL, 1, x->dtype, 0, lo, err) != 0 ||
	    clip_bound(n, n->nin > 2 ? in[2] : NULL, 2, x->dtype, 1, hi,
	    err) != 0))
		return -1;
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], x->dtype, x->rank, x->dims, err) != 0)
		return -1;
	fn(s, x->count, out[0]->data, x->data, lo, hi);
	return 0;
}

static int
prep_where(denai_node *n, denai_err *err)
{
	static const char *const none[] = { NULL };

	return denai_node_check_attrs(n, none, err);
}

#define OPS_BIN(name, lo, hi, nmin, nmax)				\
	{ "", name, lo, hi, nmin, nmax, 1, 1, prep_binary, run_binary, free }
#define OPS_UN(name, lo, hi, nmax)					\
	{ "", name, lo, hi, 1, nmax, 1, 1, prep_unary, run_unary, free }

const denai_op denai_ops_elementwise[] = {
	OPS_BIN("Add", 7, 25, 2, 2),
	OPS_BIN("Sub", 7, 25, 2, 2),
	OPS_BIN("Mul", 7, 25, 2, 2),
	OPS_BIN("Div", 7, 25, 2, 2),
	OPS_BIN("Max", 8, 25, 1, 64),
	OPS_BIN("Min", 8, 25, 1, 64),
	OPS_BIN("Less", 7, 25, 2, 2),
	OPS_BIN("Greater", 7, 25, 2, 2),
	OPS_BIN("Equal", 7, 25, 2, 2),
	OPS_BIN("PRelu", 7, 25, 2, 2),
	OPS_BIN("Sum", 8, 25, 1, 64),
	OPS_BIN("Mean", 8, 25, 1, 64),
	OPS_BIN("LessOrEqual", 12, 25, 2, 2),
	OPS_BIN("GreaterOrEqual", 12, 25, 2, 2),
	OPS_BIN("And", 7, 25, 2, 2),
	OPS_BIN("Or", 7, 25, 2, 2),
	OPS_BIN("Xor", 7, 25, 2, 2),
	{ "", "Pow", 7, 25, 2, 2, 1, 1, prep_where, run_pow, NULL },
	{ "", "Where", 9, 25, 3, 3, 1, 1, prep_where, run_where, NULL },
	OPS_UN("Relu", 6, 25, 1),
	OPS_UN("LeakyRelu", 6, 25, 1),
	OPS_UN("Sigmoid", 6, 25, 1),
	OPS_UN("Tanh", 6, 25, 1),
	OPS_UN("Exp", 6, 25, 1),
	OPS_UN("Log", 6, 25, 1),
	OPS_UN("Sqrt", 6, 25, 1),
	OPS_UN("Abs", 6, 25, 1),
	OPS_UN("Neg", 6, 25, 1),
	OPS_UN("Clip", 6, 10, 1),
	OPS_UN("Clip", 11, 25, 3),
	OPS_UN("Reciprocal", 6, 25, 1),
	OPS_UN("Floor", 6, 25, 1),
	OPS_UN("Ceil", 6, 25, 1),
	OPS_UN("Round", 11, 25, 1),
	OPS_UN("Softplus", 1, 25, 1),
	OPS_UN("Sign", 9, 25, 1),
	OPS_UN("Not", 1, 25, 1),
	OPS_UN("Elu", 6, 25, 1),
	OPS_UN("Selu", 6, 25, 1),
	OPS_UN("HardSigmoid", 6, 25, 1),
	OPS_UN("HardSwish", 14, 25, 1),
	OPS_UN("Softsign", 1, 25, 1),
	OPS_UN("ThresholdedRelu", 10, 25, 1),
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
