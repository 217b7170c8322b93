/*
 * onnx/tensor.h - tensors of the ONNX evaluator.
 *
 * A denai_tensor owns its data buffer and keeps its capacity: resizing to a
 * shape that fits reuses the buffer, so after the first prediction at a
 * given input shape, evaluation allocates nothing. Strings are stored as an
 * array of malloc'd NUL-terminated char* owned by the tensor.
 */
#ifndef DENAI_ONNX_TENSOR_H
#define DENAI_ONNX_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DENAI_MAX_RANK 8

/* Element types: the values are ONNX's TensorProto.DataType numbers. */
enum denai_dtype {
	DENAI_DT_UNDEFINED = 0,
	DENAI_DT_FLOAT = 1,
	DENAI_DT_UINT8 = 2,
	DENAI_DT_INT8 = 3,
	DENAI_DT_INT32 = 6,
	DENAI_DT_INT64 = 7,
	DENAI_DT_STRING = 8,
	DENAI_DT_BOOL = 9,	/* one uint8_t, 0 or 1 */
	DENAI_DT_DOUBLE = 11,
};

typedef struct denai_tensor {
	int dtype;			/* enum denai_dtype */
	int rank;			/* 0 for a scalar */
	int64_t dims[DENAI_MAX_RANK];
	size_t count;			/* product of dims (1 for a scalar) */
	void *data;			/* count elements of dtype */
	size_t cap;			/* bytes allocated at data */
	int is_const;			/* initializer or folded constant */
} denai_tensor;

/* Returns: the byte size of one element of dtype, or 0 if unsupported. */
size_t denai_dtype_size(int dtype);
/* Returns: the ONNX name of a dtype ("float", "int64", ...). */
const char *denai_dtype_name(int dtype);

/* Returns: a new empty tensor (dtype undefined, rank 0, count 0), or NULL. */
denai_tensor *denai_tensor_new(void);
void denai_tensor_free(denai_tensor *t);

/*
 * Gives t the type and shape asked for, growing its buffer only when it is
 * too small (new bytes are zero; string elements are freed and set NULL).
 * Returns: 0, or -1 on a negative dim, a rank over DENAI_MAX_RANK, an
 * element count overflow, or no memory.
 */
int denai_tensor_reshape(denai_tensor *t, int dtype, int rank,
    const int64_t *dims, denai_err *err) DENAI_WUR;

/* Makes dst a deep copy of src (reusing dst's buffer when it fits). */
int denai_tensor_copy(denai_tensor *dst, const denai_tensor *src,
    denai_err *err) DENAI_WUR;

/* Writes the shape as "[1,30]" into buf (size n). Returns: buf. */
char *denai_tensor_shape_str(char *buf, size_t n, const denai_tensor *t);

/* Typed views; no checks beyond the caller's knowledge of dtype. */
#define DENAI_T_F32(t) ((float *)(t)->data)
#define DENAI_T_F64(t) ((double *)(t)->data)
#define DENAI_T_I64(t) ((int64_t *)(t)->data)
#define DENAI_T_I32(t) ((int32_t *)(t)->data)
#define DENAI_T_U8(t) ((uint8_t *)(t)->data)
#define DENAI_T_STR(t) ((char **)(t)->data)

#endif
