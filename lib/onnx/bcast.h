/*
 * onnx/bcast.h - the one multidirectional (numpy) broadcasting iterator
 * behind every elementwise operator of more than one input.
 *
 * denai_bcast_shape computes the output shape of up to DENAI_BCAST_MAX
 * inputs; denai_bcast_plan turns it into a walk: dimensions of size 1 are
 * dropped and neighbours that every input steps through alike are merged,
 * so the walk is a few outer loops around one long inner row. A kernel is
 * one typed inner function, called once per inner row with the row's
 * length, output pointer, input pointers and each input's stride in
 * elements along the row (0 for a broadcast input, else 1):
 *
 *	static void add_f32(void *ctx, size_t n, void *o,
 *	    const void *const *in, const ptrdiff_t *st);
 *
 * The output is always contiguous. The plan is a fixed-size value owned by
 * the caller; it holds no pointers.
 */
#ifndef DENAI_ONNX_BCAST_H
#define DENAI_ONNX_BCAST_H

#include <stddef.h>

#include "onnx/tensor.h"

#define DENAI_BCAST_MAX 3

typedef void denai_bcast_fn(void *ctx, size_t n, void *out,
    const void *const *in, const ptrdiff_t *stride);

typedef struct denai_bcast {
	int nin;
	int rank;				/* of the walk, after merging */
	int64_t dims[DENAI_MAX_RANK];
	size_t esize[DENAI_BCAST_MAX];		/* element sizes */
	size_t osize;
	/* stride[i][d]: input i's step in elements along dims[d] */
	ptrdiff_t stride[DENAI_BCAST_MAX][DENAI_MAX_RANK];
	size_t count;				/* output elements */
} denai_bcast;

/*
 * Out: *rank and dims (DENAI_MAX_RANK) of the broadcast of the nin shapes.
 * Returns: 0, or -1 (DENAI_EDATA) naming the two dims that do not match.
 */
int denai_bcast_shape(int *rank, int64_t *dims, int nin,
    const denai_tensor *const *in, denai_err *err) DENAI_WUR;

/*
 * Plans the walk of an output of shape (rank, dims) with element size
 * osize over nin inputs that broadcast to it (checked by the caller with
 * denai_bcast_shape, or an input may be the output itself).
 */
void denai_bcast_plan(denai_bcast *b, int rank, const int64_t *dims,
    size_t osize, int nin, const denai_tensor *const *in);

/* Calls fn over every inner row: out and in[] are the buffers. */
void denai_bcast_run(const denai_bcast *b, denai_bcast_fn *fn, void *ctx,
    void *out, const void *const *in);

#endif
