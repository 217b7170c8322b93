/* onnx/bcast.c - numpy broadcasting: output shape, planned walk. */
#include "onnx/bcast.h"

#include <string.h>

int
denai_bcast_shape(int *rank, int64_t *dims, int nin,
    const denai_tensor *const *in, denai_err *err)
{
	char a[96], b[96];
	int r = 0;

	for (int i = 0; i < nin; i++)
		if (in[i]->rank > r)
			r = in[i]->rank;
	for (int d = 0; d < r; d++) {
		int64_t dim = 1;
		int from = -1;

		for (int i = 0; i < nin; i++) {
			int k = d - (r - in[i]->rank);
			int64_t di;

			if (k < 0 || (di = in[i]->dims[k]) == 1)
				continue;
			if (dim == 1) {
				dim = di;
				from = i;
			} else if (di != dim)
				return denai_err_set(err, DENAI_EDATA,
				    "shapes %s and %s do not broadcast",
				    denai_tensor_shape_str(a, sizeof(a),
				    in[from]), denai_tensor_shape_str(b,
				    sizeof(b), in[i]));
		}
		dims[d] = dim;
	}
	*rank = r;
	return 0;
}

void
denai_bcast_plan(denai_bcast *b, int rank, const int64_t *dims,
    size_t osize, int nin, const denai_tensor *const *in)
{
	ptrdiff_t st[DENAI_BCAST_MAX][DENAI_MAX_RANK];
	int r = 0;

	memset(b, 0, sizeof(*b));
	b->nin = nin;
	b->osize = osize;
	b->count = 1;
	for (int d = 0; d < rank; d++)
		b->count *= (size_t)dims[d];
	/* Each input's element strides, aligned right, 0 where broadcast. */
	for (int i = 0; i < nin; i++) {
		ptrdiff_t s = 1;
		int off = rank - in[i]->rank;

		b->esize[i] = denai_dtype_size(in[i]->dtype);
		for (int d = rank - 1; d >= 0; d--) {
			int k = d - off;

			if (k < 0 || in[i]->dims[k] == 1)
				st[i][d] = 0;
			else {
				st[i][d] = s;
				s *= (ptrdiff_t)in[i]->dims[k];
			}
		}
	}
	/* Drop dims of 1; merge a dim into the one before when every input
	 * steps through the pair as through one dim. */
	for (int d = 0; d < rank; d++) {
		int merge = r > 0;

		if (dims[d] == 1)
			continue;
		for (int i = 0; i < nin && merge; i++)
			if (b->stride[i][r - 1] != st[i][d] * dims[d])
				merge = 0;
		if (merge) {
			b->dims[r - 1] *= dims[d];
			for (int i = 0; i < nin; i++)
				b->stride[i][r - 1] = st[i][d];
			continue;
		}
		b->dims[r] = dims[d];
		for (int i = 0; i < nin; i++)
			b->stride[i][r] = st[i][d];
		r++;
	}
	if (r == 0) {
		b->dims[0] = 1;
		r = 1;
	}
	b->rank = r;
}

void
denai_bcast_run(const denai_bcast *b, denai_bcast_fn *fn, void *ctx,
    void *out, const void *const *in)
{
	int64_t idx[DENAI_MAX_RANK] = { 0 };
	ptrdiff_t off[DENAI_BCAST_MAX] = { 0 }, inner[DENAI_BCAST_MAX];
	const void *p[DENAI_BCAST_MAX];
	size_t n = (size_t)b->dims[b->rank - 1], rows;
	char *o = out;

	if (b->count == 0)
		return;
	rows = b->count / n;
	for (int i = 0; i < b->nin; i++)
		inner[i] = b->stride[i][b->rank - 1];
	for (size_t row = 0; row < rows; row++) {
		for (int i = 0; i < b->nin; i++)
			p[i] = (const char *)in[i] + off[i] * (ptrdiff_t)b->esize[i];
		fn(ctx, n, o + row * n * b->osize, p, inner);
		for (int d = b->rank - 2; d >= 0; d--) {
			for (int i = 0; i < b->nin; i++)
				off[i] += b->stride[i][d];
			if (++idx[d] < b->dims[d])
				break;
			for (int i = 0; i < b->nin; i++)
				off[i] -= b->stride[i][d] * b->dims[d];
			idx[d] = 0;
		}
	}
}
