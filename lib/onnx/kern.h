/*
 * onnx/kern.h - small helpers the standard-domain kernels share (output
 * reshaping with the node named in errors, axis and int list reading).
 * Internal to lib/onnx/ops_*.c.
 */
#ifndef DENAI_ONNX_KERN_H
#define DENAI_ONNX_KERN_H

#include "onnx/node.h"

/* Reshapes an output; on failure, err names the node. Returns: 0 or -1. */
int denai_kern_out(const denai_node *n, denai_tensor *t, int dtype, int rank,
    const int64_t *dims, denai_err *err) DENAI_WUR;

/* Fails with "input I has unsupported type T" naming the node. */
int denai_kern_bad_type(const denai_node *n, denai_err *err, int input,
    int dtype);

/* Fails unless in[0..count) are all present ("input I is missing"). */
int denai_kern_need(const denai_node *n, const denai_tensor *const *in,
    int count, denai_err *err) DENAI_WUR;

/* Fails with "inputs I and J have different types (A and B)". */
int denai_kern_mixed(const denai_node *n, denai_err *err, int i, int j,
    const denai_tensor *a, const denai_tensor *b);

/*
 * Normalises *axis (negative counts from the end) against rank r, where
 * -r <= axis < r. Returns: 0, or -1 naming the node and the bad axis.
 */
int denai_kern_axis(const denai_node *n, int64_t *axis, int r,
    denai_err *err) DENAI_WUR;

/*
 * Copies up to max int64 values of an int64 (or int32) tensor of rank
 * 0 or 1 into out. Returns: the count, or -1 naming the node and input.
 */
int denai_kern_ints(const denai_node *n, const denai_tensor *t, int input,
    int64_t *out, int max, denai_err *err);

/* Returns: element i of a numeric tensor as double (0 for others). */
double denai_kern_get(const denai_tensor *t, size_t i);

/* The product of dims[from..to). */
size_t denai_kern_prod(const int64_t *dims, int from, int to);

#endif
