/*
 * onnx/ops_shape_util.c - the helpers ops_shape.c and ops_shape_copy.c
 * share (see ops_shape.h): copying elements, reading an int tensor,
 * normalizing an axis, freeing a kernel's state. Calls nothing above it.
 */
#include "onnx/ops_shape.h"

#include <stdlib.h>
#include <string.h>

int
denai_shape_copy(denai_tensor *dst, size_t doff, const denai_tensor *src,
    size_t soff, size_t n, denai_err *err)
{
	size_t esz = denai_dtype_size(src->dtype);

	if (n == 0)
		return 0;
	if (src->dtype != DENAI_DT_STRING) {
		memcpy((char *)dst->data + doff * esz,
		    (const char *)src->data + soff * esz, n * esz);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		char **d = &DENAI_T_STR(dst)[doff + i];
		const char *s = DENAI_T_STR(src)[soff + i];

		free(*d);
		*d = NULL;
		if (s != NULL && (*d = strdup(s)) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory copying strings");
	}
	return 0;
}

int
denai_shape_ints(const denai_node *n, const denai_tensor *t,
    const char *what, int64_t *out, int max, denai_err *err)
{
	if (t->dtype != DENAI_DT_INT64 && t->dtype != DENAI_DT_INT32)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%s must be int64, not %s", what,
		    denai_dtype_name(t->dtype));
	if (t->rank > 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%s must be 1-D", what);
	if (t->count > (size_t)max)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "%s has %zu values, over %d", what, t->count, max);
	for (size_t i = 0; i < t->count; i++)
		out[i] = t->dtype == DENAI_DT_INT64 ? DENAI_T_I64(t)[i] :
		    DENAI_T_I32(t)[i];
	return (int)t->count;
}

int
denai_shape_axis(const denai_node *n, int64_t axis, int r, int *out,
    denai_err *err)
{
	if (axis < -(int64_t)r || axis >= r)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "axis %lld out of range for rank %d", (long long)axis, r);
	*out = (int)(axis < 0 ? axis + r : axis);
	return 0;
}

void
denai_op_free(void *state)
{
	free(state);
}
