/* onnx/kern.c - helpers shared by the standard-domain kernels. */
#include "onnx/kern.h"

int
denai_kern_out(const denai_node *n, denai_tensor *t, int dtype, int rank,
    const int64_t *dims, denai_err *err)
{
	denai_err e;

	if (denai_tensor_reshape(t, dtype, rank, dims, &e) != 0)
		return denai_node_fail(n, err, e.code, "output: %s", e.msg);
	return 0;
}

int
denai_kern_bad_type(const denai_node *n, denai_err *err, int input, int dtype)
{
	return denai_node_fail(n, err, DENAI_EUNSUP,
	    "input %d has unsupported type %s", input, denai_dtype_name(dtype));
}

int
denai_kern_need(const denai_node *n, const denai_tensor *const *in,
    int count, denai_err *err)
{
	for (int i = 0; i < count; i++)
		if (in[i] == NULL)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "input %d is missing", i);
	return 0;
}

int
denai_kern_mixed(const denai_node *n, denai_err *err, int i, int j,
    const denai_tensor *a, const denai_tensor *b)
{
	return denai_node_fail(n, err, DENAI_EDATA,
	    "inputs %d and %d have different types (%s and %s)", i, j,
	    denai_dtype_name(a->dtype), denai_dtype_name(b->dtype));
}

int
denai_kern_axis(const denai_node *n, int64_t *axis, int r, denai_err *err)
{
	if (*axis < -r || *axis >= r || (r == 0 && *axis != 0))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "axis %lld is out of range for rank %d", (long long)*axis,
		    r);
	if (*axis < 0)
		*axis += r;
	return 0;
}

int
denai_kern_ints(const denai_node *n, const denai_tensor *t, int input,
    int64_t *out, int max, denai_err *err)
{
	if (t->dtype != DENAI_DT_INT64 && t->dtype != DENAI_DT_INT32)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input %d must be int64, not %s", input,
		    denai_dtype_name(t->dtype));
	if (t->rank > 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input %d must be 1-D, not of rank %d", input, t->rank);
	if (t->count > (size_t)max)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input %d has %zu values, at most %d allowed", input,
		    t->count, max);
	for (size_t i = 0; i < t->count; i++)
		out[i] = t->dtype == DENAI_DT_INT64 ? DENAI_T_I64(t)[i] :
		    DENAI_T_I32(t)[i];
	return (int)t->count;
}

double
denai_kern_get(const denai_tensor *t, size_t i)
{
	switch (t->dtype) {
	case DENAI_DT_FLOAT:	return DENAI_T_F32(t)[i];
	case DENAI_DT_DOUBLE:	return DENAI_T_F64(t)[i];
	case DENAI_DT_INT32:	return DENAI_T_I32(t)[i];
	case DENAI_DT_INT64:	return (double)DENAI_T_I64(t)[i];
	case DENAI_DT_BOOL:
	case DENAI_DT_UINT8:	return DENAI_T_U8(t)[i];
	case DENAI_DT_INT8:	return ((const int8_t *)t->data)[i];
	default:		return 0;
	}
}

size_t
denai_kern_prod(const int64_t *dims, int from, int to)
{
	size_t p = 1;

	for (int d = from; d < to; d++)
		p *= (size_t)dims[d];
	return p;
}
