/*
 * ops_reduce.c - ArgMax, ReduceSum, ReduceMean, ReduceMax.
 *
 * A reduction walks its input once in storage order, adding each element
 * into its output slot, so every output is accumulated in ascending input
 * order, in the element type (integers wrap). A reduction over no
 * elements gives 0 (Sum), NaN (Mean of floats; 0 for integers) or the
 * lowest value of the type (Max), as ONNX specifies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/kern.h"

struct red_state {
	int kind;		/* RED_* */
	int axes_input;		/* axes come as input 1 (else attribute) */
	int64_t keepdims, noop, last, axis;
	int naxes;
	int64_t axes[DENAI_MAX_RANK];
};

enum { RED_SUM, RED_MEAN, RED_MAX, RED_ARGMAX };

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
	if (strcmp(n->op_type, "ArgMax") == 0) {
		s->kind = RED_ARGMAX;
		if (denai_node_check_attrs(n, argmax, err) != 0 ||
		    denai_node_attr_int(n, "axis", 0, &s->axis, err) != 0 ||
		    denai_node_attr_int(n, "keepdims", 1, &s->keepdims,
		    err) != 0 ||
		    denai_node_attr_int(n, "select_last_index", 0, &s->last,
		    err) != 0)
			return -1;
		return 0;
	}
	s->kind = strcmp(n->op_type, "ReduceSum") == 0 ? RED_SUM :
	    strcmp(n->op_type, "ReduceMean") == 0 ? RED_MEAN : RED_MAX;
	s->axes_input = n->opset >= (s->kind == RED_SUM ? 13 : 18);
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
#define WALK(name, T, R, ACC)						\
static void								\
name(R *o, const T *x, const denai_tensor *xt, const ptrdiff_t *ost)	\
{									\
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

#define ACC_ADD(o, v) ((o) = (o) + (v))
#define ACC_MAX(o, v) ((o) = ((v) > (o) || (v) != (v)) ? (v) : (o))
#define ACC_UADD32(o, v) ((o) = (int32_t)((uint32_t)(o) + (uint32_t)(v)))
#define ACC_UADD64(o, v) ((o) = (int64_t)((uint64_t)(o) + (uint64_t)(v)))

WALK(sum_f32, float, float, ACC_ADD)
WALK(sum_f64, double, double, ACC_ADD)
WALK(sum_i32, int32_t, int32_t, ACC_UADD32)
WALK(sum_i64, int64_t, int64_t, ACC_UADD64)
WALK(max_f32, float, float, ACC_MAX)
WALK(max_f64, double, double, ACC_MAX)
WALK(max_i32, int32_t, int32_t, ACC_MAX)
WALK(max_i64, int64_t, int64_t, ACC_MAX)

static int
run_reduce(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct red_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t odims[DENAI_MAX_RANK];
	ptrdiff_t ost[DENAI_MAX_RANK];
	int red[DENAI_MAX_RANK], orank, dt;
	size_t cnt = 1;
	denai_tensor *y = out[0];

	if (denai_kern_need(n, in, 1, err) != 0)
		return -1;
	dt = x->dtype;
	if (dt != DENAI_DT_FLOAT && dt != DENAI_DT_DOUBLE &&
	    dt != DENAI_DT_INT32 && dt != DENAI_DT_INT64)
		return denai_kern_bad_type(n, err, 0, dt);
	if (reduced_dims(n, s, x, n->nin > 1 ? in[1] : NULL, red, err) < 0)
		return -1;
	orank = out_shape(x, red, s->keepdims != 0, odims, ost);
	if (y == NULL)
		return 0;
	if (denai_kern_out(n, y, dt, orank, odims, err) != 0)
		return -1;
	for (int d = 0; d < x->rank; d++)
		if (red[d])
			cnt *= (size_t)x->dims[d];
	for (size_t i = 0; i < y->count; i++)
		switch (dt) {
		case DENAI_DT_FLOAT:
			DENAI_T_F32(y)[i] = s->kind == RED_MAX ? -INFINITY : 0;
			break;
		case DENAI_DT_DOUBLE:
			DENAI_T_F64(y)[i] = s->kind == RED_MAX ? -INFINITY : 0;
			break;
		case DENAI_DT_INT32:
			DENAI_T_I32(y)[i] = s->kind == RED_MAX ? INT32_MIN : 0;
			break;
		default:
			DENAI_T_I64(y)[i] = s->kind == RED_MAX ? INT64_MIN : 0;
			break;
		}
	if (s->kind == RED_MAX) {
		switch (dt) {
		case DENAI_DT_FLOAT:	max_f32(y->data, x->data, x, ost); break;
		case DENAI_DT_DOUBLE:	max_f64(y->data, x->data, x, ost); break;
		case DENAI_DT_INT32:	max_i32(y->data, x->data, x, ost); break;
		default:		max_i64(y->data, x->data, x, ost); break;
		}
		return 0;
	}
	switch (dt) {
	case DENAI_DT_FLOAT:	sum_f32(y->data, x->data, x, ost); break;
	case DENAI_DT_DOUBLE:	sum_f64(y->data, x->data, x, ost); break;
	case DENAI_DT_INT32:	sum_i32(y->data, x->data, x, ost); break;
	default:		sum_i64(y->data, x->data, x, ost); break;
	}
	if (s->kind != RED_MEAN)
		return 0;
	for (size_t i = 0; i < y->count; i++)
		switch (dt) {
		case DENAI_DT_FLOAT:
			DENAI_T_F32(y)[i] /= (float)cnt;
			break;
		case DENAI_DT_DOUBLE:
			DENAI_T_F64(y)[i] /= (double)cnt;
			break;
		case DENAI_DT_INT32:
			DENAI_T_I32(y)[i] = cnt == 0 ? 0 :
			    (int32_t)(DENAI_T_I32(y)[i] / (int64_t)cnt);
			break;
		default:
			DENAI_T_I64(y)[i] = cnt == 0 ? 0 :
			    DENAI_T_I64(y)[i] / (int64_t)cnt;
			break;
		}
	return 0;
}

/* ArgMax: the first (or last) index of the largest value along axis. */
#define ARGMAX(name, T)							\
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
				if (e > best || (last && e == best)) {	\
					best = e;			\
					at = (int64_t)k;		\
				}					\
			}						\
			y[o * inner + i] = at;				\
		}							\
}

ARGMAX(argmax_f32, float)
ARGMAX(argmax_f64, double)
ARGMAX(argmax_i32, int32_t)
ARGMAX(argmax_i64, int64_t)

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
		argmax_f32(out[0]->data, x->data, outer, len, inner, s->last != 0);
		break;
	case DENAI_DT_DOUBLE:
		argmax_f64(out[0]->data, x->data, outer, len, inner, s->last != 0);
		break;
	case DENAI_DT_INT32:
		argmax_i32(out[0]->data, x->data, outer, len, inner, s->last != 0);
		break;
	default:
		argmax_i64(out[0]->data, x->data, outer, len, inner, s->last != 0);
		break;
	}
	return 0;
}

#define RED(name, lo, hi, nin)						\
	{ "", name, lo, hi, 1, nin, 1, 1, prep_reduce, run_reduce, free }

const denai_op denai_ops_reduce[] = {
	{ "", "ArgMax", 1, 25, 1, 1, 1, 1, prep_reduce, run_argmax, free },
	RED("ReduceSum", 1, 12, 1),
	RED("ReduceSum", 13, 25, 2),
	RED("ReduceMean", 1, 17, 1),
	RED("ReduceMean", 18, 25, 2),
	RED("ReduceMax", 1, 17, 1),
	RED("ReduceMax", 18, 25, 2),
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
