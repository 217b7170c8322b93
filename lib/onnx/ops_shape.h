/*
 * onnx/ops_shape.h - helpers and kernels shared by ops_shape*.c: the shape
 * operators move elements by their size, one loop for every dtype (strings
 * are duplicated instead of copied).
 */
#ifndef DENAI_ONNX_OPS_SHAPE_H
#define DENAI_ONNX_OPS_SHAPE_H

#include "onnx/node.h"

/* Copies n elements src[soff..] to dst[doff..] (same dtype).
 * Returns: 0, or -1 when out of memory for strings. */
int denai_shape_copy(denai_tensor *dst, size_t doff, const denai_tensor *src,
    size_t soff, size_t n, denai_err *err) DENAI_WUR;

/*
 * Reads a 1-D (or scalar) int64/int32 tensor into out (at most max values).
 * Returns: the count, or -1 with err naming the node and what (a label).
 */
int denai_shape_ints(const denai_node *n, const denai_tensor *t,
    const char *what, int64_t *out, int max, denai_err *err) DENAI_WUR;

/* Normalizes axis (negative counts from the end) against rank r.
 * Returns: 0, or -1 when out of [-r, r-1] (err names the node). */
int denai_shape_axis(const denai_node *n, int64_t axis, int r, int *out,
    denai_err *err) DENAI_WUR;

int denai_op_transpose_prepare(denai_node *, denai_err *);
int denai_op_transpose_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
int denai_op_concat_prepare(denai_node *, denai_err *);
int denai_op_concat_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
int denai_op_slice_prepare(denai_node *, denai_err *);
int denai_op_slice_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
int denai_op_expand_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
int denai_op_gather_prepare(denai_node *, denai_err *);
int denai_op_gather_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
int denai_op_cast_prepare(denai_node *, denai_err *);
int denai_op_cast_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
int denai_op_castlike_prepare(denai_node *, denai_err *);
int denai_op_castlike_run(const denai_node *, const denai_tensor *const *,
    denai_tensor *const *, denai_err *);
void denai_op_free(void *state);

#endif
