/*
 * ops_reduce.c - ArgMax, ArgMin, TopK, ReduceSum, ReduceMean, ReduceMax,
 * ReduceMin, ReduceProd, ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum,
 * ReduceLogSumExp.
 *
 * A reduction walks its input once in storage order, folding each element
 * into its output slot, so every output is accumulated in ascending input
 * order, in the element type (integers wrap). A reduction over no
 * elements gives its identity: 0 (sums), 1 (Prod), NaN (Mean of floats; 0
 * for integers), -inf or +inf (Max, Min: the type's extremes for
 * integers), -inf (LogSum), as ONNX specifies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/dmath.h"
#include "onnx/kern.h"

struct red_kind;

struct red_state {
	const struct red_kind *k;	/* NULL for ArgMax and ArgMin */
	int argmin;
	int axes_input;		/* axes come as input 1 (else attribute) */
	int64_t keepdims, noop, last, axis;
	int naxes;
	int64_t axes[DENAI_MAX_RANK];
};

static const struct red_kind *red_find(const char *name);
static int red_axes_input(const struct red_kind *k, int opset);

static int
prep_reduce(denai_node *n, denai_err *err)
{
	static const char *const attr_axes[] = { "axes", "keepdims", NULL };
	static const char *const in_axes[] = { "keepdims",
	    "noop_with_empty_axes", NULL };
	static const char *const argmax[] = { "axis", "keepdims",
	    "select_last_index", NULL };
	struct red_state *s;
	const int64_t *ax;
	size_t nax;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if ((s->k = red_find(n->op_type)) == NULL) {
		s->argmin = strcmp(n->op_type, "ArgMin") == 0;
		if (denai_node_check_attrs(n, argmax, err) != 0 ||
		    denai_node_attr_int(n, "axis", 0, &s->axis, err) != 0 ||
		    denai_node_attr_int(n, "keepdims", 1, &s->keepdims,
		    err) != 0 ||
		    denai_node_attr_int(n, "select_last_index", 0, &s->last,
		    err) != 0)
			return -1;
		return 0;
	}
	s->axes_input = red_axes_input(s->k, n->opset);
	if (denai_node_check_attrs(n, s->axes_input ? in_axes : attr_axes,
	    err) != 0 ||
	    denai_node_attr_int(n, "keepdims", 1, &s->keepdims, err) != 0 ||
	    denai_node_attr_int(n, "noop_with_empty_axes", 0, &s->noop,
	    err) != 0 ||
	    denai_node_attr_ints(n, "axes", &ax, &nax, err) != 0)
		return -1;
	if (nax > DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%zu axes, at most %d allowed", nax, DENAI_MAX_RANK);
	if (nax > 0)
		memcpy(s->axes, ax, nax * sizeof(int64_t));
	s->naxes = (int)nax;
	return 0;
}

/* Marks the reduced dims in red[]; none given means all (or none, noop).
 * Returns: the number of reduced dims, or -1. */
static int
reduced_dims(const denai_node *n, const struct red_state *s,
    const denai_tensor *x, const denai_tensor *axes_t, int *red,
    denai_err *err)
{
	int64_t axes[DENAI_MAX_RANK];
	int na = s->naxes, nred = 0;

	memcpy(axes, s->axes, sizeof(axes));
	if (s->axes_input && axes_t != NULL &&
	    (na = denai_kern_ints(n, axes_t, 1, axes, DENAI_MAX_RANK,
	    err)) < 0)
		return -1;
	if (s->axes_input && axes_t == NULL)
		na = 0;
	for (int d = 0; d < x->rank; d++)
		red[d] = na == 0 && !s->noop;
	for (int i = 0; i < na; i++) {
		int64_t a = axes[i];

		if (denai_kern_axis(n, &a, x->rank, err) != 0)
			return -1;
		if (red[a])
			return denai_node_fail(n, err, DENAI_EDATA,
			    "axis %lld is given twice", (long long)axes[i]);
		red[a] = 1;
	}
	for (int d = 0; d < x->rank; d++)
		nred += red[d];
	return nred;
}

/* Output dims, and each input dim's stride in the output (0 if reduced). */
static int
out_shape(const denai_tensor *x, const int *red, int keep, int64_t *odims,
    ptrdiff_t *ostride)
{
	int r = 0;
	ptrdiff_t st = 1;

	for (int d = x->rank - 1; d >= 0; d--) {
		ostride[d] = red[d] ? 0 : st;
		if (!red[d])
			st *= (ptrdiff_t)x->dims[d];
	}
	for (int d = 0; d < x->rank; d++)
		if (!red[d])
			odims[r++] = x->dims[d];
		else if (keep)
			odims[r++] = 1;
	return r;
}

/* Walks x in order, calling ACC(o[off], v) for each element. */
#define WALK(name, T, ACC)						\
static void								\
name(void *o_, const void *x_, const denai_tensor *xt,		\
    const ptrdiff_t *ost)						\
{									\
	T *o = o_;							\
	const T *x = x_;						\
	int64_t idx[DENAI_MAX_RANK] = { 0 };				\
	ptrdiff_t off = 0;						\
	int r = xt->rank;						\
	for (size_t i = 0; i < xt->count; i++) {			\
		T v = x[i];						\
		ACC(o[off], v);						\
		for (int d = r - 1; d >= 0; d--) {			\
			off += ost[d];					\
			if (++idx[d] < xt->dims[d])			\
				break;					\
			off -= ost[d] * (ptrdiff_t)xt->dims[d];		\
			idx[d] = 0;					\
		}							\
	}								\
}

/* Float accumulators; the integer ones compute unsigned, so they wrap. */
#define F_ADD(o, v) ((o) = (o) + (v))
#define F_MUL(o, v) ((o) = (o) * (v))
#define F_SQ(o, v) ((o) = (o) + (v) * (v))
#define F_ABS(o, v) ((o) = (o) + ((v) < 0 ? -(v) : (v)))
#define F_MAX(o, v) ((o) = ((v) > (o) || (v) != (v)) ? (v) : (o))
#define F_MIN(o, v) ((o) = ((v) < (o) || (v) != (v)) ? (v) : (o))
#define U_ADD(T, U, o, v) ((o) = (T)((U)(o) + (U)(v)))
#define U_MUL(T, U, o, v) ((o) = (T)((U)(o) * (U)(v)))
#define U_SQ(T, U, o, v) ((o) = (T)((U)(o) + (U)(v) * (U)(v)))
#define U_ABS(T, U, o, v) ((o) = (T)((U)(o) + ((v) < 0 ? 0 - (U)(v) : (U)(v))))

#define WALK4(op, FACC, UACC)						\
	WALK(op##_f32, float, FACC)					\
	WALK(op##_f64, double, FACC)					\
	WALK(op##_i32, int32_t, op##_I32)				\
	WALK(op##_i64, int64_t, op##_I64)
#define INT_ACC(op, UACC)						\
	static inline void op##_i32a(int32_t *o, int32_t v)		\
	{ UACC(int32_t, uint32_t, *o, v); }				\
	static inline void op##_i64a(int64_t *o, int64_t v)		\
	{ UACC(int64_t, uint64_t, *o, v); }
#define WALKF(op, FACC)							\
	WALK(op##_f32, float, FACC)					\
	WALK(op##_f64, double, FACC)

INT_ACC(sum, U_ADD)
INT_ACC(prod, U_MUL)
INT_ACC(sumsq, U_SQ)
INT_ACC(l1, U_ABS)
#define sum_I32(o, v) sum_i32a(&(o), v)
#define sum_I64(o, v) sum_i64a(&(o), v)
#define prod_I32(o, v) prod_i32a(&(o), v)
#define prod_I64(o, v) prod_i64a(&(o), v)
#define sumsq_I32(o, v) sumsq_i32a(&(o), v)
#define sumsq_I64(o, v) sumsq_i64a(&(o), v)
#define l1_I32(o, v) l1_i32a(&(o), v)
#define l1_I64(o, v) l1_i64a(&(o), v)
#define max_I32(o, v) F_MAX(o, v)
#define max_I64(o, v) F_MAX(o, v)
#define min_I32(o, v) F_MIN(o, v)
#define min_I64(o, v) F_MIN(o, v)

WALK4(sum, F_ADD, U_ADD)
WALK4(prod, F_MUL, U_MUL)
WALK4(sumsq, F_SQ, U_SQ)
WALK4(l1, F_ABS, U_ABS)
WALK4(max, F_MAX, _)
WALK4(min, F_MIN, _)

typedef void walk_fn(void *o, const void *x, const denai_tensor *xt,
    const ptrdiff_t *ost);

enum { INIT_ZERO, INIT_ONE, INIT_LOW, INIT_HIGH };
enum { POST_NONE, POST_MEAN, POST_SQRT, POST_LOG, POST_LSE };

struct red_kind {
	const char *name;
	int input_from;		/* the opset where axes became an input */
	walk_fn *walk[4];	/* float, double, int32, int64 (NULL: refused) */
	int init, post;
};

#define W4(op) { op##_f32, op##_f64, op##_i32, op##_i64 }
#define WF(op) { op##_f32, op##_f64, NULL, NULL }

static const struct red_kind kinds[] = {
	{ "ReduceSum", 13, W4(sum), INIT_ZERO, POST_NONE },
	{ "ReduceMean", 18, W4(sum), INIT_ZERO, POST_MEAN },
	{ "ReduceMax", 18, W4(max), INIT_LOW, POST_NONE },
	{ "ReduceMin", 18, W4(min), INIT_HIGH, POST_NONE },
	{ "ReduceProd", 18, W4(prod), INIT_ONE, POST_NONE },
	{ "ReduceSumSquare", 18, W4(sumsq), INIT_ZERO, POST_NONE },
	{ "ReduceL1", 18, W4(l1), INIT_ZERO, POST_NONE },
	{ "ReduceL2", 18, WF(sumsq), INIT_ZERO, POST_SQRT },
	{ "ReduceLogSum", 18, WF(sum), INIT_ZERO, POST_LOG },
	/* its walk only marks the types; see lse_* */
	{ "ReduceLogSumExp", 18, WF(sum), INIT_ZERO, POST_LSE },
	{ NULL, 0, { NULL, NULL, NULL, NULL }, 0, 0 },
};

static const struct red_kind *
red_find(const char *name)
{
	for (const struct red_kind *k = kinds; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static int
red_axes_input(const struct red_kind *k, int opset)
{
	return opset >= k->input_from;
}

static int
type_slot(int dt)
{
	switch (dt) {
	case DENAI_DT_FLOAT:	return 0;
	case DENAI_DT_DOUBLE:	return 1;
	case DENAI_DT_INT32:	return 2;
	case DENAI_DT_INT64:	return 3;
	default:		return -1;
	}
}

static void
fill(denai_tensor *y, int init)
{
	for (size_t i = 0; i < y->count; i++)
		switch (y->dtype) {
		case DENAI_DT_FLOAT:
			DENAI_T_F32(y)[i] = init == INIT_ONE ? 1 :
			    init == INIT_LOW ? -INFINITY :
			    init == INIT_HIGH ? INFINITY : 0;
			break;
		case DENAI_DT_DOUBLE:
			DENAI_T_F64(y)[i] = init == INIT_ONE ? 1 :
			    init == INIT_LOW ? -INFINITY :
			    init == INIT_HIGH ? INFINITY : 0;
			break;
		case DENAI_DT_INT32:
			DENAI_T_I32(y)[i] = init == INIT_ONE ? 1 :
			    init == INIT_LOW ? INT32_MIN :
			    init == INIT_HIGH ? INT32_MAX : 0;
			break;
		default:
			DENAI_T_I64(y)[i] = init == INIT_ONE ? 1 :
			    init == INIT_LOW ? INT64_MIN :
			    init == INIT_HIGH ? INT64_MAX : 0;
			break;
		}
}

static void
post(denai_tensor *y, int op, size_t cnt)
{
	for (size_t i = 0; i < y->count; i++)
		switch (y->dtype) {
		case DENAI_DT_FLOAT: {
			float *v = &DENAI_T_F32(y)[i];

			*v = op == POST_MEAN ? *v / (float)cnt :
			    op == POST_SQRT ? sqrtf(*v) : denai_logf(*v);
			break;
		}
		case DENAI_DT_DOUBLE: {
			double *v = &DENAI_T_F64(y)[i];

			*v = op == POST_MEAN ? *v / (double)cnt :
			    op == POST_SQRT ? sqrt(*v) : denai_log(*v);
			break;
		}
		case DENAI_DT_INT32:	/* Mean only */
			DENAI_T_I32(y)[i] = cnt == 0 ? 0 :
			    (int32_t)(DENAI_T_I32(y)[i] / (int64_t)cnt);
			break;
		default:
			DENAI_T_I64(y)[i] = cnt == 0 ? 0 :
			    DENAI_T_I64(y)[i] / (int64_t)cnt;
			break;
		}
}

/*
 * ReduceLogSumExp: max + log(sum exp(x - max)), one output at a time, the
 * reduced elements visited in storage order (twice: max, then the sum in
 * double). An infinite or NaN max, or no elements, gives the max (-inf).
 */
#define LSE(name, T)							\
static void								\
name(T *y, const T *x, const denai_tensor *xt, const int *red)		\
{									\
	int64_t kd[DENAI_MAX_RANK], rd[DENAI_MAX_RANK];			\
	int64_t ki[DENAI_MAX_RANK] = { 0 }, ri[DENAI_MAX_RANK];		\
	ptrdiff_t ks[DENAI_MAX_RANK], rs[DENAI_MAX_RANK], st = 1, base = 0; \
	size_t nout = 1, nred = 1;					\
	int nk = 0, nr = 0;						\
	for (int d = xt->rank - 1; d >= 0; d--) {			\
		if (red[d]) {						\
			rd[nr] = xt->dims[d];				\
			rs[nr++] = st;					\
			nred *= (size_t)xt->dims[d];			\
		} else {						\
			kd[nk] = xt->dims[d];				\
			ks[nk++] = st;					\
			nout *= (size_t)xt->dims[d];			\
		}							\
		st *= (ptrdiff_t)xt->dims[d];				\
	}								\
	/* kd, rd hold dims innermost first */				\
	for (size_t o = 0; o < nout; o++) {				\
		T mx = -INFINITY;					\
		double sum = 0;						\
		for (int pass = 0; pass < 2; pass++) {			\
			ptrdiff_t off = base;				\
			for (int d = 0; d < nr; d++)			\
				ri[d] = 0;				\
			for (size_t r = 0; r < nred; r++) {		\
				T v = x[off];				\
				if (pass == 0) {			\
					if (v > mx || v != v)		\
						mx = v;			\
				} else					\
					sum += denai_exp((double)v -	\
					    (double)mx);		\
				for (int d = 0; d < nr; d++) {		\
					off += rs[d];			\
					if (++ri[d] < rd[d])		\
						break;			\
					off -= rs[d] * (ptrdiff_t)rd[d]; \
					ri[d] = 0;			\
				}					\
			}						\
			if (pass == 0 && (nred == 0 || mx != mx ||	\
			    mx == INFINITY || mx == -INFINITY))		\
				break;					\
		}							\
		y[o] = (nred == 0 || mx != mx || mx == INFINITY ||	\
		    mx == -INFINITY) ? mx :				\
		    (T)((double)mx + denai_log(sum));			\
		for (int d = 0; d < nk; d++) {				\
			base += ks[d];					\
			if (++ki[d] < kd[d])				\
				break;					\
			base -= ks[d] * (ptrdiff_t)kd[d];		\
			ki[d] = 0;					\
		}							\
	}								\
}

LSE(lse_f32, float)
LSE(lse_f64, double)

static int
run_reduce(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct red_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t odims[DENAI_MAX_RANK];
	ptrdiff_t ost[DENAI_MAX_RANK];
	int red[DENAI_MAX_RANK], orank, slot;
	size_t cnt = 1;
	denai_tensor *y = out[0];

	if (denai_kern_need(n, in, 1, err) != 0)
		return -1;
	if ((slot = type_slot(x->dtype)) < 0 || s->k->walk[slot] == NULL)
		return denai_kern_bad_type(n, err, 0, x->dtype);
	if (reduced_dims(n, s, x, n->nin > 1 ? in[1] : NULL, red, err) < 0)
		return -1;
	orank = out_shape(x, red, s->keepdims != 0, odims, ost);
	if (y == NULL)
		return 0;
	if (denai_kern_out(n, y, x->dtype, orank, odims, err) != 0)
		return -1;
	for (int d = 0; d < x->rank; d++)
		if (red[d])
			cnt *= (size_t)x->dims[d];
	if (s->k->post == POST_LSE) {
		if (x->dtype == DENAI_DT_FLOAT)
			lse_f32(y->data, x->data, x, red);
		else
			lse_f64(y->data, x->data, x, red);
		return 0;
	}
	fill(y, s->k->init);
	s->k->walk[slot](y->data, x->data, x, ost);
	if (s->k->post != POST_NONE)
		post(y, s->k->post, cnt);
	return 0;
}

/* ArgMax (ArgMin): the first, or last, index of the largest (smallest)
 * value along axis. */
#define ARGMAX(name, T, BETTER)						\
static void								\
name(int64_t *y, const T *x, size_t outer, size_t len, size_t inner,	\
    int last)								\
{									\
	for (size_t o = 0; o < outer; o++)				\
		for (size_t i = 0; i < inner; i++) {			\
			const T *v = x + o * len * inner + i;		\
			T best = v[0];					\
			int64_t at = 0;					\
			for (size_t k = 1; k < len; k++) {		\
				T e = v[k * inner];			\
				if (e BETTER best || (last && e == best)) { \
					best = e;			\
					at = (int64_t)k;		\
				}					\
			}						\
			y[o * inner + i] = at;				\
		}							\
}

ARGMAX(argmax_f32, float, >)
ARGMAX(argmax_f64, double, >)
ARGMAX(argmax_i32, int32_t, >)
ARGMAX(argmax_i64, int64_t, >)
ARGMAX(argmin_f32, float, <)
ARGMAX(argmin_f64, double, <)
ARGMAX(argmin_i32, int32_t, <)
ARGMAX(argmin_i64, int64_t, <)

static int
run_argmax(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct red_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t axis = s->axis, odims[DENAI_MAX_RANK];
	size_t outer, len, inner;
	int r = 0, dt;

	if (denai_kern_need(n, in, 1, err) != 0)
		return -1;
	dt = x->dtype;
	if (dt != DENAI_DT_FLOAT && dt != DENAI_DT_DOUBLE &&
	    dt != DENAI_DT_INT32 && dt != DENAI_DT_INT64)
		return denai_kern_bad_type(n, err, 0, dt);
	if (x->rank == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must have rank 1 or more");
	if (denai_kern_axis(n, &axis, x->rank, err) != 0)
		return -1;
	if (x->dims[axis] == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "axis %lld has no elements", (long long)axis);
	outer = denai_kern_prod(x->dims, 0, (int)axis);
	len = (size_t)x->dims[axis];
	inner = denai_kern_prod(x->dims, (int)axis + 1, x->rank);
	for (int d = 0; d < x->rank; d++)
		if (d != axis)
			odims[r++] = x->dims[d];
		else if (s->keepdims)
			odims[r++] = 1;
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], DENAI_DT_INT64, r, odims, err) != 0)
		return -1;
	switch (dt) {
	case DENAI_DT_FLOAT:
		(s->argmin ? argmin_f32 : argmax_f32)(out[0]->data, x->data,
		    outer, len, inner, s->last != 0);
		break;
	case DENAI_DT_DOUBLE:
		(s->argmin ? argmin_f64 : argmax_f64)(out[0]->data, x->data,
		    outer, len, inner, s->last != 0);
		break;
	case DENAI_DT_INT32:
		(s->argmin ? argmin_i32 : argmax_i32)(out[0]->data, x->data,
		    outer, len, inner, s->last != 0);
		break;
	default:
		(s->argmin ? argmin_i64 : argmax_i64)(out[0]->data, x->data,
		    outer, len, inner, s->last != 0);
		break;
	}
	return 0;
}

/*
 * TopK: the k largest (or smallest) along axis, best first, ties to the
 * lower index; NaN counts as larger than every number (first when
 * largest, last when smallest). Kept by insertion into the outputs.
 */
struct topk_state {
	int64_t axis, largest, sorted;
};

static int
prep_topk(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "axis", "largest", "sorted",
	    NULL };
	struct topk_state *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	return denai_node_attr_int(n, "axis", -1, &s->axis, err) != 0 ||
	    denai_node_attr_int(n, "largest", 1, &s->largest, err) != 0 ||
	    denai_node_attr_int(n, "sorted", 1, &s->sorted, err) != 0 ? -1 : 0;
}

/* a beats b (b has the lower index, so a tie keeps b) */
#define BEATS(a, b, lg) ((lg) ? ((a) > (b) || ((a) != (a) && (b) == (b))) \
	: ((a) < (b) || ((b) != (b) && (a) == (a))))

/* With indices wanted, the list is kept as indices (values read through
 * them); else as values. Either way the same elements, in the same order. */
#define TOPK(name, T)							\
static void								\
name(T *yv, int64_t *yi, const T *x, size_t outer, size_t len,		\
    size_t inner, size_t k, int lg)					\
{									\
	for (size_t o = 0; o < outer; o++)				\
		for (size_t in = 0; in < inner; in++) {			\
			const T *v = x + o * len * inner + in;		\
			T *ov = yv != NULL ? yv + o * k * inner + in : NULL; \
			int64_t *oi = yi != NULL ? yi + o * k * inner + in : \
			    NULL;					\
			size_t cnt = 0;					\
			for (size_t j = 0; j < len && k > 0; j++) {	\
				T a = v[j * inner];			\
				size_t p;				\
				if (cnt == k && !BEATS(a, TK_AT(k - 1), lg)) \
					continue;			\
				p = cnt < k ? cnt++ : k - 1;		\
				for (; p > 0 && BEATS(a, TK_AT(p - 1), lg); \
				    p--)				\
					TK_MOVE(p);			\
				TK_PUT(p, a, j);			\
			}						\
			if (oi != NULL && ov != NULL)			\
				for (size_t p = 0; p < k; p++)		\
					ov[p * inner] =			\
					    v[oi[p * inner] * (int64_t)inner]; \
		}							\
}
#define TK_AT(p) (oi != NULL ? v[oi[(p) * inner] * (int64_t)inner] :	\
	ov[(p) * inner])
#define TK_MOVE(p) do {							\
	if (oi != NULL)							\
		oi[(p) * inner] = oi[((p) - 1) * inner];		\
	else								\
		ov[(p) * inner] = ov[((p) - 1) * inner];		\
} while (0)
#define TK_PUT(p, a, j) do {						\
	if (oi != NULL)							\
		oi[(p) * inner] = (int64_t)(j);				\
	else								\
		ov[(p) * inner] = (a);					\
} while (0)

TOPK(topk_f32, float)
TOPK(topk_f64, double)
TOPK(topk_i32, int32_t)
TOPK(topk_i64, int64_t)

static int
run_topk(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct topk_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t axis = s->axis, kv[1], odims[DENAI_MAX_RANK];
	size_t outer, len, inner, k;
	void *vp;
	int64_t *ip;
	int dt;

	if (denai_kern_need(n, in, 2, err) != 0)
		return -1;
	dt = x->dtype;
	if (type_slot(dt) < 0)
		return denai_kern_bad_type(n, err, 0, dt);
	if (denai_kern_ints(n, in[1], 1, kv, 1, err) != 1)
		return in[1]->count != 1 ? denai_node_fail(n, err,
		    DENAI_EDATA, "K must hold one value") : -1;
	if (x->rank == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must have rank 1 or more");
	if (denai_kern_axis(n, &axis, x->rank, err) != 0)
		return -1;
	if (kv[0] < 0 || kv[0] > x->dims[axis])
		return denai_node_fail(n, err, DENAI_EDATA,
		    "K %lld is not within 0 and %lld", (long long)kv[0],
		    (long long)x->dims[axis]);
	k = (size_t)kv[0];
	outer = denai_kern_prod(x->dims, 0, (int)axis);
	len = (size_t)x->dims[axis];
	inner = denai_kern_prod(x->dims, (int)axis + 1, x->rank);
	memcpy(odims, x->dims, sizeof(odims));
	odims[axis] = kv[0];
	if ((out[0] != NULL &&
	    denai_kern_out(n, out[0], dt, x->rank, odims, err) != 0) ||
	    (out[1] != NULL && denai_kern_out(n, out[1], DENAI_DT_INT64,
	    x->rank, odims, err) != 0))
		return -1;
	if ((out[0] == NULL && out[1] == NULL) || outer * k * inner == 0)
		return 0;
	vp = out[0] != NULL ? out[0]->data : NULL;
	ip = out[1] != NULL ? out[1]->data : NULL;
	switch (dt) {
	case DENAI_DT_FLOAT:
		topk_f32(vp, ip, x->data, outer, len,
		    inner, k, s->largest != 0);
		break;
	case DENAI_DT_DOUBLE:
		topk_f64(vp, ip, x->data, outer, len,
		    inner, k, s->largest != 0);
		break;
	case DENAI_DT_INT32:
		topk_i32(vp, ip, x->data, outer, len,
		    inner, k, s->largest != 0);
		break;
	default:
		topk_i64(vp, ip, x->data, outer, len,
		    inner, k, s->largest != 0);
		break;
	}
	return 0;
}

#define RED(name, lo, hi, nin)						\
	{ "", name, lo, hi, 1, nin, 1, 1, prep_reduce, run_reduce, free }

const denai_op denai_ops_reduce[] = {
	{ "", "ArgMax", 1, 25, 1, 1, 1, 1, prep_reduce, run_argmax, free },
	{ "", "ArgMin", 1, 25, 1, 1, 1, 1, prep_reduce, run_argmax, free },
	RED("ReduceSum", 1, 12, 1),
	RED("ReduceSum", 13, 25, 2),
	RED("ReduceMean", 1, 17, 1),
	RED("ReduceMean", 18, 25, 2),
	RED("ReduceMax", 1, 17, 1),
	RED("ReduceMax", 18, 25, 2),
	RED("ReduceMin", 1, 17, 1),
	RED("ReduceMin", 18, 25, 2),
	RED("ReduceProd", 1, 17, 1),
	RED("ReduceProd", 18, 25, 2),
	RED("ReduceSumSquare", 1, 17, 1),
	RED("ReduceSumSquare", 18, 25, 2),
	RED("ReduceL1", 1, 17, 1),
	RED("ReduceL1", 18, 25, 2),
	RED("ReduceL2", 1, 17, 1),
	RED("ReduceL2", 18, 25, 2),
	RED("ReduceLogSum", 1, 17, 1),
	RED("ReduceLogSum", 18, 25, 2),
	RED("ReduceLogSumExp", 1, 17, 1),
	RED("ReduceLogSumExp", 18, 25, 2),
	{ "", "TopK", 10, 25, 2, 2, 2, 2, prep_topk, run_topk, free },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
