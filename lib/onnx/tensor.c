/* onnx/tensor.c - tensors with reusable buffers. */
#include "onnx/tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
denai_dtype_size(int dtype)
{
	switch (dtype) {
	case DENAI_DT_FLOAT:	return 4;
	case DENAI_DT_UINT8:	return 1;
	case DENAI_DT_INT8:	return 1;
	case DENAI_DT_INT32:	return 4;
	case DENAI_DT_INT64:	return 8;
	case DENAI_DT_STRING:	return sizeof(char *);
	case DENAI_DT_BOOL:	return 1;
	case DENAI_DT_DOUBLE:	return 8;
	default:		return 0;
	}
}

const char *
denai_dtype_name(int dtype)
{
	switch (dtype) {
	case DENAI_DT_FLOAT:	return "float";
	case DENAI_DT_UINT8:	return "uint8";
	case DENAI_DT_INT8:	return "int8";
	case DENAI_DT_INT32:	return "int32";
	case DENAI_DT_INT64:	return "int64";
	case DENAI_DT_STRING:	return "string";
	case DENAI_DT_BOOL:	return "bool";
	case DENAI_DT_DOUBLE:	return "double";
	case DENAI_DT_UNDEFINED: return "undefined";
	case 10:		return "float16";
	case 4:			return "uint16";
	case 5:			return "int16";
	case 12:		return "uint32";
	case 13:		return "uint64";
	case 14:		return "complex64";
	case 15:		return "complex128";
	case 16:		return "bfloat16";
	default:		return "unknown";
	}
}

denai_tensor *
denai_tensor_new(void)
{
	return calloc(1, sizeof(denai_tensor));
}

/* Frees the strings of a string tensor and sets them NULL. */
static void
free_strings(denai_tensor *t)
{
	char **s = t->data;

	if (t->dtype != DENAI_DT_STRING || s == NULL)
		return;
	for (size_t i = 0; i < t->count; i++) {
		free(s[i]);
		s[i] = NULL;
	}
}

void
denai_tensor_free(denai_tensor *t)
{
	if (t == NULL)
		return;
	free_strings(t);
	free(t->data);
	free(t);
}

int
denai_tensor_reshape(denai_tensor *t, int dtype, int rank,
    const int64_t *dims, denai_err *err)
{
	size_t esz = denai_dtype_size(dtype), count = 1, bytes;
	void *p;

	if (esz == 0)
		return denai_err_set(err, DENAI_EUNSUP,
		    "unsupported tensor element type %s (%d)",
		    denai_dtype_name(dtype), dtype);
	if (rank < 0 || rank > DENAI_MAX_RANK)
		return denai_err_set(err, DENAI_EUNSUP,
		    "tensor rank %d is over the limit of %d", rank,
		    DENAI_MAX_RANK);
	for (int i = 0; i < rank; i++) {
		if (dims[i] < 0)
			return denai_err_set(err, DENAI_EDATA,
			    "negative tensor dimension %lld",
			    (long long)dims[i]);
		if (dims[i] != 0 && count > SIZE_MAX / esz / (uint64_t)dims[i])
			return denai_err_set(err, DENAI_ENOMEM,
			    "tensor element count overflows");
		count *= (size_t)dims[i];
	}
	bytes = count * esz;
	free_strings(t);
	if (bytes > t->cap || t->data == NULL) {
		size_t want = bytes < 16 ? 16 : bytes;

		p = realloc(t->data, want);
		if (p == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory for a tensor of %zu bytes", bytes);
		memset((char *)p + t->cap, 0, want - t->cap);
		t->data = p;
		t->cap = want;
	}
	if (dtype == DENAI_DT_STRING)
		memset(t->data, 0, bytes);
	t->dtype = dtype;
	t->rank = rank;
	for (int i = 0; i < rank; i++)
		t->dims[i] = dims[i];
	for (int i = rank; i < DENAI_MAX_RANK; i++)
		t->dims[i] = 0;
	t->count = count;
	return 0;
}

int
denai_tensor_copy(denai_tensor *dst, const denai_tensor *src, denai_err *err)
{
	if (dst == src)
		return 0;
	if (denai_tensor_reshape(dst, src->dtype, src->rank, src->dims,
	    err) != 0)
		return -1;
	if (src->dtype == DENAI_DT_STRING) {
		char **d = dst->data, *const *s = src->data;

		for (size_t i = 0; i < src->count; i++) {
			if (s[i] == NULL)
				continue;
			if ((d[i] = strdup(s[i])) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory copying strings");
		}
	} else if (src->count > 0)
		memcpy(dst->data, src->data,
		    src->count * denai_dtype_size(src->dtype));
	return 0;
}

char *
denai_tensor_shape_str(char *buf, size_t n, const denai_tensor *t)
{
	size_t off = 0;
	int k;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	k = snprintf(buf, n, "[");
	off = k > 0 ? (size_t)k : 0;
	for (int i = 0; i < t->rank && off < n; i++) {
		k = snprintf(buf + off, n - off, "%s%lld", i ? "," : "",
		    (long long)t->dims[i]);
		if (k < 0)
			break;
		off += (size_t)k;
	}
	if (off < n)
		snprintf(buf + off, n - off, "]");
	return buf;
}
