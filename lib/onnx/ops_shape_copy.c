/*
 * onnx/ops_shape_copy.c - shape operators that move elements: Transpose
 * Concat Slice Expand Gather, and Cast. One strided copy serves every
 * dtype: elements move by their size (strings are duplicated).
 */
#include "onnx/ops_shape.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Row-major strides of t, in elements. */
static void
strides_of(const denai_tensor *t, int64_t *st)
{
	int64_t s = 1;

	for (int d = t->rank - 1; d >= 0; d--) {
		st[d] = s;
		s *= t->dims[d];
	}
}

/*
 * Fills out (already shaped, rank r) from in: out element idx takes
 * in[base + sum idx[d] * sst[d]]. Runs along a contiguous last axis are
 * copied at once.
 */
static int
strided_copy(denai_tensor *out, const denai_tensor *in, const int64_t *sst,
    int64_t base, denai_err *err)
{
	int r = out->rank;
	int64_t idx[DENAI_MAX_RANK] = {0}, off = base;
	size_t o = 0, total = out->count, inner;
	int last;

	if (total == 0)
		return 0;
	if (r == 0)
		return denai_shape_copy(out, 0, in, (size_t)base, 1, err);
	inner = sst[r - 1] == 1 ? (size_t)out->dims[r - 1] : 1;
	last = inner > 1 ? r - 2 : r - 1;
	while (o < total) {
		if (denai_shape_copy(out, o, in, (size_t)off, inner, err) != 0)
			return -1;
		o += inner;
		for (int d = last; d >= 0; d--) {
			idx[d]++;
			off += sst[d];
			if (idx[d] < out->dims[d])
				break;
			off -= sst[d] * out->dims[d];
			idx[d] = 0;
		}
	}
	return 0;
}

/* ---- Transpose ---- */

struct perm {
	int n;
	int p[DENAI_MAX_RANK];
};

int
denai_op_transpose_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "perm", NULL };
	const int64_t *v;
	size_t cnt;
	struct perm *p;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_ints(n, "perm", &v, &cnt, err) != 0)
		return -1;
	if (cnt > DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "perm of rank over %d", DENAI_MAX_RANK);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = p;
	p->n = denai_node_attr(n, "perm") != NULL ? (int)cnt : -1;
	for (size_t i = 0; i < cnt; i++) {
		if (v[i] < 0 || v[i] >= (int64_t)cnt)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "perm holds %lld", (long long)v[i]);
		p->p[i] = (int)v[i];
		for (size_t j = 0; j < i; j++)
			if (p->p[j] == p->p[i])
				return denai_node_fail(n, err, DENAI_EDATA,
				    "perm repeats %d", p->p[i]);
	}
	return 0;
}

int
denai_op_transpose_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct perm *p = n->state;
	int r = in[0]->rank, perm[DENAI_MAX_RANK];
	int64_t st[DENAI_MAX_RANK], sst[DENAI_MAX_RANK], dims[DENAI_MAX_RANK];

	if (p->n >= 0 && p->n != r)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "perm has %d axes for a rank %d input", p->n, r);
	for (int i = 0; i < r; i++)
		perm[i] = p->n >= 0 ? p->p[i] : r - 1 - i;
	strides_of(in[0], st);
	for (int i = 0; i < r; i++) {
		dims[i] = in[0]->dims[perm[i]];
		sst[i] = st[perm[i]];
	}
	if (denai_tensor_reshape(out[0], in[0]->dtype, r, dims, err) != 0)
		return -1;
	return strided_copy(out[0], in[0], sst, 0, err);
}

/* ---- Concat ---- */

int
denai_op_concat_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "axis", NULL };
	int64_t axis;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_int(n, "axis", INT64_MIN, &axis, err) != 0)
		return -1;
	if (axis == INT64_MIN)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "attribute axis is required");
	if (axis < -DENAI_MAX_RANK || axis >= DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EDATA, "bad axis %lld",
		    (long long)axis);
	n->state = (void *)(intptr_t)(axis + DENAI_MAX_RANK + 1);
	return 0;
}

int
denai_op_concat_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *a = in[0];
	int64_t dims[DENAI_MAX_RANK], outer = 1, inner = 1, off = 0;
	int r = a->rank, axis;

	if (denai_shape_axis(n, (intptr_t)n->state - DENAI_MAX_RANK - 1, r,
	    &axis, err) != 0)
		return -1;
	for (int d = 0; d < r; d++)
		dims[d] = a->dims[d];
	dims[axis] = 0;
	for (int k = 0; k < n->nin; k++) {
		const denai_tensor *b = in[k];

		if (b == NULL)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "input %d is absent", k);
		if (b->dtype != a->dtype || b->rank != r)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "input %d differs in type or rank", k);
		for (int d = 0; d < r; d++)
			if (d != axis && b->dims[d] != a->dims[d])
				return denai_node_fail(n, err, DENAI_EDATA,
				    "input %d differs in dim %d", k, d);
		dims[axis] += b->dims[axis];
	}
	for (int d = 0; d < axis; d++)
		outer *= dims[d];
	for (int d = axis + 1; d < r; d++)
		inner *= dims[d];
	if (denai_tensor_reshape(out[0], a->dtype, r, dims, err) != 0)
		return -1;
	for (int64_t o = 0; o < outer; o++)
		for (int k = 0; k < n->nin; k++) {
			int64_t run = in[k]->dims[axis] * inner;

			if (denai_shape_copy(out[0], (size_t)off, in[k],
			    (size_t)(o * run), (size_t)run, err) != 0)
				return -1;
			off += run;
		}
	return 0;
}

/* ---- Slice ---- */

struct slice_attrs {
	int n;				/* -1: opset >= 10 (inputs) */
	int64_t starts[DENAI_MAX_RANK], ends[DENAI_MAX_RANK];
	int64_t axes[DENAI_MAX_RANK];
	int has_axes;
};

int
denai_op_slice_prepare(denai_node *n, denai_err *err)
{
	static const char *const known_old[] = { "starts", "ends", "axes",
	    NULL };
	static const char *const known_new[] = { NULL };
	struct slice_attrs *s;
	const int64_t *st, *en, *ax;
	size_t nst, nen, nax;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	s->n = -1;
	if (n->opset >= 10) {
		if (n->nin < 3)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "starts and ends inputs are required");
		return denai_node_check_attrs(n, known_new, err);
	}
	if (denai_node_check_attrs(n, known_old, err) != 0 ||
	    denai_node_attr_ints(n, "starts", &st, &nst, err) != 0 ||
	    denai_node_attr_ints(n, "ends", &en, &nen, err) != 0 ||
	    denai_node_attr_ints(n, "axes", &ax, &nax, err) != 0)
		return -1;
	if (nst != nen || nst > DENAI_MAX_RANK ||
	    (denai_node_attr(n, "axes") != NULL && nax != nst))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "starts, ends and axes differ in length");
	s->n = (int)nst;
	s->has_axes = denai_node_attr(n, "axes") != NULL;
	for (size_t i = 0; i < nst; i++) {
		s->starts[i] = st[i];
		s->ends[i] = en[i];
		s->axes[i] = s->has_axes ? ax[i] : (int64_t)i;
	}
	return 0;
}

static int64_t
clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int
denai_op_slice_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct slice_attrs *sa = n->state;
	const denai_tensor *x = in[0];
	int64_t starts[DENAI_MAX_RANK], ends[DENAI_MAX_RANK];
	int64_t axes[DENAI_MAX_RANK], steps[DENAI_MAX_RANK];
	int64_t st[DENAI_MAX_RANK], dims[DENAI_MAX_RANK], sst[DENAI_MAX_RANK];
	int64_t b[DENAI_MAX_RANK], step[DENAI_MAX_RANK], base = 0;
	int k, r = x->rank, seen[DENAI_MAX_RANK] = {0};

	if (sa->n >= 0) {
		k = sa->n;
		memcpy(starts, sa->starts, sizeof(starts));
		memcpy(ends, sa->ends, sizeof(ends));
		memcpy(axes, sa->axes, sizeof(axes));
		for (int i = 0; i < k; i++)
			steps[i] = 1;
	} else {
		int ke;

		if ((k = denai_shape_ints(n, in[1], "starts", starts,
		    DENAI_MAX_RANK, err)) < 0 ||
		    (ke = denai_shape_ints(n, in[2], "ends", ends,
		    DENAI_MAX_RANK, err)) < 0)
			return -1;
		if (ke != k)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "starts and ends differ in length");
		for (int i = 0; i < k; i++) {
			axes[i] = i;
			steps[i] = 1;
		}
		for (int j = 3; j < 5 && j < n->nin; j++) {
			int kk;

			if (in[j] == NULL)
				continue;
			kk = denai_shape_ints(n, in[j], j == 3 ? "axes" :
			    "steps", j == 3 ? axes : steps, DENAI_MAX_RANK,
			    err);
			if (kk < 0)
				return -1;
			if (kk != k)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "%s differ in length from starts",
				    j == 3 ? "axes" : "steps");
		}
	}
	for (int d = 0; d < r; d++) {
		b[d] = 0;
		step[d] = 1;
		dims[d] = x->dims[d];
	}
	for (int i = 0; i < k; i++) {
		int ax;
		int64_t dim, s, e;

		if (denai_shape_axis(n, axes[i], r, &ax, err) != 0)
			return -1;
		if (seen[ax]++)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "axis %d sliced twice", ax);
		if (steps[i] == 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "step 0");
		dim = x->dims[ax];
		s = starts[i];
		e = ends[i];
		if (s < 0)
			s += dim;
		if (e < 0)
			e += dim;
		if (steps[i] < -INT64_MAX)
			steps[i] = -INT64_MAX;
		if (steps[i] > 0) {
			s = clamp(s, 0, dim);
			e = clamp(e, 0, dim);
			dims[ax] = e > s ? (e - s - 1) / steps[i] + 1 : 0;
		} else {
			s = clamp(s, 0, dim - 1);
			e = clamp(e, -1, dim - 1);
			dims[ax] = s > e ? (s - e - 1) / -steps[i] + 1 : 0;
		}
		b[ax] = s;
		step[ax] = steps[i];
	}
	strides_of(x, st);
	for (int d = 0; d < r; d++) {
		sst[d] = st[d] * step[d];
		if (dims[d] > 0)
			base += b[d] * st[d];
	}
	if (denai_tensor_reshape(out[0], x->dtype, r, dims, err) != 0)
		return -1;
	return strided_copy(out[0], x, sst, base, err);
}

/* ---- Expand ---- */

int
denai_op_expand_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *x = in[0];
	int64_t shape[DENAI_MAX_RANK], dims[DENAI_MAX_RANK];
	int64_t st[DENAI_MAX_RANK], sst[DENAI_MAX_RANK];
	int k, r;

	if ((k = denai_shape_ints(n, in[1], "shape", shape, DENAI_MAX_RANK,
	    err)) < 0)
		return -1;
	r = k > x->rank ? k : x->rank;
	strides_of(x, st);
	for (int d = 0; d < r; d++) {
		int dx = d - (r - x->rank), ds = d - (r - k);
		int64_t a = dx >= 0 ? x->dims[dx] : 1;
		int64_t s = ds >= 0 ? shape[ds] : 1;

		if (a != s && a != 1 && s != 1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "cannot broadcast dim %lld to %lld",
			    (long long)a, (long long)s);
		dims[d] = a == 1 ? s : a;
		sst[d] = dx >= 0 && a != 1 ? st[dx] : 0;
	}
	if (denai_tensor_reshape(out[0], x->dtype, r, dims, err) != 0)
		return -1;
	return strided_copy(out[0], x, sst, 0, err);
}

/* ---- Gather ---- */

int
denai_op_gather_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "axis", NULL };
	int64_t axis;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_int(n, "axis", 0, &axis, err) != 0)
		return -1;
	if (axis < -DENAI_MAX_RANK || axis >= DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EDATA, "bad axis %lld",
		    (long long)axis);
	n->state = (void *)(intptr_t)(axis + DENAI_MAX_RANK + 1);
	return 0;
}

int
denai_op_gather_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *x = in[0], *ix = in[1];
	int64_t dims[DENAI_MAX_RANK], outer = 1, inner = 1, dim;
	int axis, r = 0;
	size_t o = 0;

	if (denai_shape_axis(n, (intptr_t)n->state - DENAI_MAX_RANK - 1,
	    x->rank, &axis, err) != 0)
		return -1;
	if (ix->dtype != DENAI_DT_INT64 && ix->dtype != DENAI_DT_INT32)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "indices must be int64 or int32");
	if (x->rank - 1 + ix->rank > DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EUNSUP, "rank too high");
	for (int d = 0; d < axis; d++) {
		dims[r++] = x->dims[d];
		outer *= x->dims[d];
	}
	for (int d = 0; d < ix->rank; d++)
		dims[r++] = ix->dims[d];
	for (int d = axis + 1; d < x->rank; d++) {
		dims[r++] = x->dims[d];
		inner *= x->dims[d];
	}
	dim = x->dims[axis];
	if (denai_tensor_reshape(out[0], x->dtype, r, dims, err) != 0)
		return -1;
	for (int64_t a = 0; a < outer; a++)
		for (size_t k = 0; k < ix->count; k++) {
			int64_t i = ix->dtype == DENAI_DT_INT64 ?
			    DENAI_T_I64(ix)[k] : DENAI_T_I32(ix)[k];

			if (i < -dim || i >= dim)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "index %lld out of range [%lld, %lld)",
				    (long long)i, (long long)-dim,
				    (long long)dim);
			if (i < 0)
				i += dim;
			if (denai_shape_copy(out[0], o, x,
			    (size_t)((a * dim + i) * inner), (size_t)inner,
			    err) != 0)
				return -1;
			o += (size_t)inner;
		}
	return 0;
}

/* ---- Cast ---- */

static int
dtype_by_name(const char *s)
{
	static const struct { const char *name; int dt; } names[] = {
		{ "FLOAT", DENAI_DT_FLOAT }, { "DOUBLE", DENAI_DT_DOUBLE },
		{ "INT64", DENAI_DT_INT64 }, { "INT32", DENAI_DT_INT32 },
		{ "INT8", DENAI_DT_INT8 }, { "UINT8", DENAI_DT_UINT8 },
		{ "BOOL", DENAI_DT_BOOL }, { "STRING", DENAI_DT_STRING },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].dt;
	return 0;
}

int
denai_op_cast_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "to", "saturate", "round_mode",
	    NULL };
	const denai_attr *a;
	int64_t to = 0;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((a = denai_node_attr(n, "to")) == NULL)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "attribute to is required");
	if (a->type == DENAI_AT_STRING)
		to = dtype_by_name(a->s);
	else if (denai_node_attr_int(n, "to", 0, &to, err) != 0)
		return -1;
	if (to <= 0 || to > 16 || denai_dtype_size((int)to) == 0)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "cast to %s is not supported", denai_dtype_name((int)to));
	n->state = (void *)(intptr_t)to;
	return 0;
}

static int
is_floating(int dt)
{
	return dt == DENAI_DT_FLOAT || dt == DENAI_DT_DOUBLE;
}

/* Reads element i as a double (floating types) or int64 (the others). */
static void
get_num(const denai_tensor *t, size_t i, double *d, int64_t *v)
{
	switch (t->dtype) {
	case DENAI_DT_FLOAT:	*d = DENAI_T_F32(t)[i]; break;
	case DENAI_DT_DOUBLE:	*d = DENAI_T_F64(t)[i]; break;
	case DENAI_DT_INT64:	*v = DENAI_T_I64(t)[i]; break;
	case DENAI_DT_INT32:	*v = DENAI_T_I32(t)[i]; break;
	case DENAI_DT_INT8:	*v = ((const int8_t *)t->data)[i]; break;
	default:		*v = DENAI_T_U8(t)[i]; break;
	}
}

/* A double to int64, truncating; NaN and out of range give INT64_MIN
 * (what x86's cvttsd2si gives, so onnxruntime agrees there). */
static int64_t
to_i64(double d)
{
	if (isnan(d) || d >= 9223372036854775808.0 ||
	    d < -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

static void
put_num(denai_tensor *t, size_t i, int fl, double d, int64_t v)
{
	switch (t->dtype) {
	case DENAI_DT_FLOAT:
		DENAI_T_F32(t)[i] = fl ? (float)d : (float)v;
		break;
	case DENAI_DT_DOUBLE:
		DENAI_T_F64(t)[i] = fl ? d : (double)v;
		break;
	case DENAI_DT_INT64:
		DENAI_T_I64(t)[i] = fl ? to_i64(d) : v;
		break;
	case DENAI_DT_INT32:
		if (fl)
			DENAI_T_I32(t)[i] = d > -2147483649.0 &&
			    d < 2147483648.0 ? (int32_t)d : INT32_MIN;
		else
			DENAI_T_I32(t)[i] = (int32_t)(uint32_t)v;
		break;
	case DENAI_DT_INT8:
		((int8_t *)t->data)[i] = (int8_t)(uint8_t)(fl ? to_i64(d) : v);
		break;
	case DENAI_DT_UINT8:
		DENAI_T_U8(t)[i] = (uint8_t)(fl ? to_i64(d) : v);
		break;
	case DENAI_DT_BOOL:
		DENAI_T_U8(t)[i] = fl ? d != 0 : v != 0;
		break;
	}
}

static int
num_to_string(char **out, const denai_tensor *t, size_t i)
{
	char buf[64];
	double d = 0;
	int64_t v = 0;

	get_num(t, i, &d, &v);
	if (!is_floating(t->dtype))
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
	else if (isnan(d))
		snprintf(buf, sizeof(buf), "NaN");
	else if (isinf(d))
		snprintf(buf, sizeof(buf), d > 0 ? "INF" : "-INF");
	else
		snprintf(buf, sizeof(buf), t->dtype == DENAI_DT_FLOAT ?
		    "%.9g" : "%.17g", d);
	free(*out);
	return (*out = strdup(buf)) == NULL ? -1 : 0;
}

static int
cast_to(const denai_node *n, const denai_tensor *x, denai_tensor *y, int to,
    denai_err *err)
{
	if (denai_tensor_reshape(y, to, x->rank, x->dims, err) != 0)
		return -1;
	if (to == x->dtype)
		return denai_shape_copy(y, 0, x, 0, x->count, err);
	for (size_t i = 0; i < x->count; i++) {
		double d = 0;
		int64_t v = 0;
		int fl;

		if (to == DENAI_DT_STRING) {
			if (num_to_string(&DENAI_T_STR(y)[i], x, i) != 0)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			continue;
		}
		if (x->dtype == DENAI_DT_STRING) {
			const char *s = DENAI_T_STR(x)[i];
			char *end;

			if (s == NULL)
				s = "";
			errno = 0;
			fl = is_floating(to);
			if (fl)
				d = strtod(s, &end);
			else
				v = strtoll(s, &end, 10);
			if (end == s || *end != '\0')
				return denai_node_fail(n, err, DENAI_EDATA,
				    "cannot cast string \"%.40s\" to %s", s,
				    denai_dtype_name(to));
		} else {
			fl = is_floating(x->dtype);
			get_num(x, i, &d, &v);
		}
		put_num(y, i, fl, d, v);
	}
	return 0;
}

int
denai_op_cast_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return cast_to(n, in[0], out[0], (int)(intptr_t)n->state, err);
}

int
denai_op_castlike_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "saturate", "round_mode", NULL };

	return denai_node_check_attrs(n, known, err);
}

int
denai_op_castlike_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return cast_to(n, in[0], out[0], in[1]->dtype, err);
}
