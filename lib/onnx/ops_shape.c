/*
 * onnx/ops_shape.c - the shape operators' table, and the ones that only
 * change the shape: Reshape Flatten Squeeze Unsqueeze Shape Identity
 * Dropout Constant ConstantOfShape. (ops_shape_copy.c holds the ones that
 * move elements: Transpose Concat Slice Expand Gather, and Cast, CastLike;
 * ops_shape_util.c the helpers both use, so calls go one way.)
 */
#include "onnx/ops_shape.h"

#include <stdlib.h>
#include <string.h>

static int
copy_as(denai_tensor *out, const denai_tensor *in, int rank,
    const int64_t *dims, denai_err *err)
{
	if (out == in)
		return 0;
	if (denai_tensor_reshape(out, in->dtype, rank, dims, err) != 0)
		return -1;
	return denai_shape_copy(out, 0, in, 0, in->count, err);
}

/* ---- Identity, Dropout ---- */

static int
identity_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return copy_as(out[0], in[0], in[0]->rank, in[0]->dims, err);
}

static int
dropout_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "ratio", "is_test", "seed",
	    NULL };

	return denai_node_check_attrs(n, known, err);
}

static int
dropout_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	if (n->nin > 2 && in[2] != NULL && in[2]->count > 0 &&
	    DENAI_T_U8(in[2])[0] != 0)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "training_mode is not supported");
	if (copy_as(out[0], in[0], in[0]->rank, in[0]->dims, err) != 0)
		return -1;
	if (n->nout > 1 && out[1] != NULL) {
		if (denai_tensor_reshape(out[1], DENAI_DT_BOOL, in[0]->rank,
		    in[0]->dims, err) != 0)
			return -1;
		memset(out[1]->data, 1, out[1]->count);
	}
	return 0;
}

/* ---- Reshape ---- */

static int
reshape_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "allowzero", NULL };
	int64_t az;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_int(n, "allowzero", 0, &az, err) != 0)
		return -1;
	n->state = (void *)(intptr_t)(az != 0);
	return 0;
}

static int
reshape_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	int64_t dims[DENAI_MAX_RANK];
	int r, infer = -1, allowzero = n->state != NULL;
	size_t known = 1;

	if ((r = denai_shape_ints(n, in[1], "shape", dims, DENAI_MAX_RANK,
	    err)) < 0)
		return -1;
	for (int i = 0; i < r; i++) {
		if (dims[i] == 0 && !allowzero) {
			if (i >= in[0]->rank)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "shape copies dim %d of a rank %d input",
				    i, in[0]->rank);
			dims[i] = in[0]->dims[i];
		}
		if (dims[i] == -1) {
			if (infer >= 0)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "shape has two -1 dims");
			infer = i;
			continue;
		}
		if (dims[i] < 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "bad dim %lld in shape", (long long)dims[i]);
		known *= (size_t)dims[i];
	}
	if (infer >= 0) {
		if (known == 0 || in[0]->count % known != 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "cannot infer the -1 dim: %zu elements, %zu known",
			    in[0]->count, known);
		dims[infer] = (int64_t)(in[0]->count / known);
		known *= (size_t)dims[infer];
	}
	if (known != in[0]->count)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "cannot reshape %zu elements to %zu", in[0]->count, known);
	return copy_as(out[0], in[0], r, dims, err);
}

/* ---- Flatten ---- */

static int
flatten_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "axis", NULL };
	int64_t axis;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_int(n, "axis", 1, &axis, err) != 0)
		return -1;
	if (axis < -DENAI_MAX_RANK || axis > DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EDATA, "bad axis %lld",
		    (long long)axis);
	n->state = (void *)(intptr_t)(axis + DENAI_MAX_RANK + 1);
	return 0;
}

static int
flatten_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	int64_t axis = (intptr_t)n->state - DENAI_MAX_RANK - 1;
	int64_t dims[2] = { 1, 1 };
	int r = in[0]->rank;

	if (axis < 0)
		axis += r;
	if (axis < 0 || axis > r)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "axis out of range for rank %d", r);
	for (int i = 0; i < r; i++)
		dims[i < axis ? 0 : 1] *= in[0]->dims[i];
	return copy_as(out[0], in[0], 2, dims, err);
}

/* ---- Squeeze, Unsqueeze ---- */

struct axes {
	int n, given;
	int64_t v[DENAI_MAX_RANK];
};

static int
axes_prepare(denai_node *n, denai_err *err)
{
	static const char *const known_old[] = { "axes", NULL };
	static const char *const known_new[] = { NULL };
	struct axes *a;
	const int64_t *v;
	size_t cnt;

	if (denai_node_check_attrs(n, n->opset < 13 ? known_old : known_new,
	    err) != 0 ||
	    denai_node_attr_ints(n, "axes", &v, &cnt, err) != 0)
		return -1;
	if (cnt > DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EUNSUP, "too many axes");
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	a->given = denai_node_attr(n, "axes") != NULL;
	a->n = (int)cnt;
	for (size_t i = 0; i < cnt; i++)
		a->v[i] = v[i];
	n->state = a;
	if (n->opset < 13 && strcmp(n->op_type, "Unsqueeze") == 0 &&
	    !a->given)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "attribute axes is required");
	return 0;
}

/* The axes of a Squeeze/Unsqueeze: from the attribute or input 1. */
static int
get_axes(const denai_node *n, const denai_tensor *const *in,
    struct axes *a, denai_err *err)
{
	const struct axes *st = n->state;
	int k;

	*a = *st;
	if (n->opset >= 13 && n->nin > 1 && in[1] != NULL) {
		if ((k = denai_shape_ints(n, in[1], "axes", a->v,
		    DENAI_MAX_RANK, err)) < 0)
			return -1;
		a->n = k;
		a->given = 1;
	}
	return 0;
}

static int
squeeze_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	struct axes a;
	int r = in[0]->rank, drop[DENAI_MAX_RANK] = {0}, k = 0, ax = 0;
	int64_t dims[DENAI_MAX_RANK];

	if (get_axes(n, in, &a, err) != 0)
		return -1;
	if (!a.given)
		for (int i = 0; i < r; i++)
			drop[i] = in[0]->dims[i] == 1;
	for (int i = 0; i < a.n; i++) {
		if (denai_shape_axis(n, a.v[i], r, &ax, err) != 0)
			return -1;
		if (in[0]->dims[ax] != 1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "cannot squeeze axis %d of size %lld", ax,
			    (long long)in[0]->dims[ax]);
		drop[ax] = 1;
	}
	for (int i = 0; i < r; i++)
		if (!drop[i])
			dims[k++] = in[0]->dims[i];
	return copy_as(out[0], in[0], k, dims, err);
}

static int
unsqueeze_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	struct axes a;
	int r, add[DENAI_MAX_RANK] = {0}, ax = 0, k = 0;
	int64_t dims[DENAI_MAX_RANK];

	if (get_axes(n, in, &a, err) != 0)
		return -1;
	r = in[0]->rank + a.n;
	if (r > DENAI_MAX_RANK)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "rank %d over %d", r, DENAI_MAX_RANK);
	for (int i = 0; i < a.n; i++) {
		if (denai_shape_axis(n, a.v[i], r, &ax, err) != 0)
			return -1;
		if (add[ax])
			return denai_node_fail(n, err, DENAI_EDATA,
			    "axis %d given twice", ax);
		add[ax] = 1;
	}
	for (int i = 0; i < r; i++)
		dims[i] = add[i] ? 1 : in[0]->dims[k++];
	return copy_as(out[0], in[0], r, dims, err);
}

/* ---- Shape ---- */

struct range {
	int64_t start, end;
};

static int
shape_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "start", "end", NULL };
	struct range *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (denai_node_attr_int(n, "start", 0, &s->start, err) != 0 ||
	    denai_node_attr_int(n, "end", INT64_MAX, &s->end, err) != 0)
		return -1;
	return 0;
}

static int
shape_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct range *s = n->state;
	int64_t r = in[0]->rank, st = s->start, en = s->end, len;

	if (st < 0)
		st += r;
	if (en < 0)
		en += r;
	st = st < 0 ? 0 : st > r ? r : st;
	en = en < 0 ? 0 : en > r ? r : en;
	len = en > st ? en - st : 0;
	if (denai_tensor_reshape(out[0], DENAI_DT_INT64, 1, &len, err) != 0)
		return -1;
	for (int64_t i = 0; i < len; i++)
		DENAI_T_I64(out[0])[i] = in[0]->dims[st + i];
	return 0;
}

/* ---- Constant, ConstantOfShape ---- */

static int
constant_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "value", "value_float",
	    "value_floats", "value_int", "value_ints", "value_string",
	    "value_strings", NULL };
	const denai_attr *a;
	denai_tensor *t;
	int64_t dim;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if (n->nattrs != 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "exactly one value attribute is needed, got %d",
		    n->nattrs);
	a = &n->attrs[0];
	if ((t = denai_tensor_new()) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = t;
	dim = (int64_t)a->n;
	switch (a->type) {
	case DENAI_AT_TENSOR:
		return denai_tensor_copy(t, a->t, err);
	case DENAI_AT_FLOAT:
		if (denai_tensor_reshape(t, DENAI_DT_FLOAT, 0, NULL, err) != 0)
			return -1;
		DENAI_T_F32(t)[0] = a->f;
		return 0;
	case DENAI_AT_INT:
		if (denai_tensor_reshape(t, DENAI_DT_INT64, 0, NULL, err) != 0)
			return -1;
		DENAI_T_I64(t)[0] = a->i;
		return 0;
	case DENAI_AT_FLOATS:
		if (denai_tensor_reshape(t, DENAI_DT_FLOAT, 1, &dim, err) != 0)
			return -1;
		if (a->n > 0)
			memcpy(t->data, a->floats, a->n * sizeof(float));
		return 0;
	case DENAI_AT_INTS:
		if (denai_tensor_reshape(t, DENAI_DT_INT64, 1, &dim, err) != 0)
			return -1;
		if (a->n > 0)
			memcpy(t->data, a->ints, a->n * sizeof(int64_t));
		return 0;
	case DENAI_AT_STRING:
		if (denai_tensor_reshape(t, DENAI_DT_STRING, 0, NULL, err) != 0)
			return -1;
		if ((DENAI_T_STR(t)[0] = strdup(a->s)) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		return 0;
	case DENAI_AT_STRINGS:
		if (denai_tensor_reshape(t, DENAI_DT_STRING, 1, &dim, err) != 0)
			return -1;
		for (size_t i = 0; i < a->n; i++)
			if ((DENAI_T_STR(t)[i] = strdup(a->strings[i])) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
		return 0;
	default:
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "attribute %s of this type is not supported", a->name);
	}
}

static void
constant_free(void *state)
{
	denai_tensor_free(state);
}

static int
constant_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return denai_tensor_copy(out[0], n->state, err);
}

static int
cos_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "value", NULL };
	const denai_tensor *v;
	denai_tensor *t;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_tensor(n, "value", &v, err) != 0)
		return -1;
	if (v != NULL && (v->count != 1 || v->dtype == DENAI_DT_STRING))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "value must hold one number");
	if ((t = denai_tensor_new()) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = t;
	if (v != NULL)
		return denai_tensor_copy(t, v, err);
	if (denai_tensor_reshape(t, DENAI_DT_FLOAT, 0, NULL, err) != 0)
		return -1;
	DENAI_T_F32(t)[0] = 0.0f;
	return 0;
}

static int
cos_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *v = n->state;
	int64_t dims[DENAI_MAX_RANK];
	int r;
	size_t esz = denai_dtype_size(v->dtype);

	if ((r = denai_shape_ints(n, in[0], "shape", dims, DENAI_MAX_RANK,
	    err)) < 0)
		return -1;
	if (denai_tensor_reshape(out[0], v->dtype, r, dims, err) != 0)
		return -1;
	for (size_t i = 0; i < out[0]->count; i++)
		memcpy((char *)out[0]->data + i * esz, v->data, esz);
	return 0;
}

#define ANY (-1)

const denai_op denai_ops_shape[] = {
	{ "", "Identity", 1, 25, 1, 1, 1, 1, NULL, identity_run, NULL },
	{ "", "Dropout", 1, 25, 1, 3, 1, 2, dropout_prepare, dropout_run,
	    NULL },
	{ "", "Reshape", 5, 25, 2, 2, 1, 1, reshape_prepare, reshape_run,
	    NULL },
	{ "", "Flatten", 1, 25, 1, 1, 1, 1, flatten_prepare, flatten_run,
	    NULL },
	{ "", "Squeeze", 1, 25, 1, 2, 1, 1, axes_prepare, squeeze_run,
	    denai_op_free },
	{ "", "Unsqueeze", 1, 25, 1, 2, 1, 1, axes_prepare, unsqueeze_run,
	    denai_op_free },
	{ "", "Shape", 1, 25, 1, 1, 1, 1, shape_prepare, shape_run,
	    denai_op_free },
	{ "", "Constant", 1, 25, 0, 0, 1, 1, constant_prepare, constant_run,
	    constant_free },
	{ "", "ConstantOfShape", 9, 25, 1, 1, 1, 1, cos_prepare, cos_run,
	    constant_free },
	{ "", "Transpose", 1, 25, 1, 1, 1, 1, denai_op_transpose_prepare,
	    denai_op_transpose_run, denai_op_free },
	{ "", "Concat", 1, 25, 1, ANY, 1, 1, denai_op_concat_prepare,
	    denai_op_concat_run, NULL },
	{ "", "Slice", 1, 25, 1, 5, 1, 1, denai_op_slice_prepare,
	    denai_op_slice_run, denai_op_free },
	{ "", "Expand", 8, 25, 2, 2, 1, 1, NULL, denai_op_expand_run, NULL },
	{ "", "Gather", 1, 25, 2, 2, 1, 1, denai_op_gather_prepare,
	    denai_op_gather_run, NULL },
	{ "", "Cast", 1, 25, 1, 1, 1, 1, denai_op_cast_prepare,
	    denai_op_cast_run, NULL },
	{ "", "CastLike", 15, 25, 2, 2, 1, 1, denai_op_castlike_prepare,
	    denai_op_castlike_run, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
