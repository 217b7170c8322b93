/*
 * ops_math.c - MatMul, Gemm, Softmax, LogSoftmax.
 *
 * Reduction order, the determinism contract: every output of MatMul and
 * Gemm is the sum 0 + a0 b0 + a1 b1 + ... taken in ascending k, in the
 * element type, whatever the shapes, the path or the build: the float
 * kernels (onnx/mm.h: 16-byte vectors, AVX2, AVX-512 by cpuid) vectorise
 * across output columns (each lane doing the same sum), never across k,
 * and are tested to give the plain loop's bits. Softmax
 * sums in double in ascending order along the axis.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/bcast.h"
#include "onnx/dmath.h"
#include "onnx/kern.h"
#include "onnx/mm.h"

/*
 * The integer kernels (MatMul of int32, int64).
 * Two loop orders with the same arithmetic: rows of B contiguous (sbj 1):
 * o[i,:] += a(i,k) b[k,:] for k ascending; columns of B contiguous (sbk
 * 1, B transposed): four independent dot products at a time, each in
 * ascending k. U is the type the arithmetic happens in (unsigned for the
 * integer types, so that overflow wraps).
 */
#define MATMUL(name, T, U)						\
static void								\
name(const struct denai_mm *m, T *restrict o, const T *restrict a,		\
    const T *restrict b)						\
{									\
	size_t M = m->M, N = m->N, K = m->K;				\
	if (m->sbj == 1 || m->N == 1) {					\
		for (size_t i = 0; i < M; i++) {			\
			U *restrict oi = (U *)(o + i * N);		\
			for (size_t j = 0; j < N; j++)			\
				oi[j] = 0;				\
			for (size_t k = 0; k < K; k++) {		\
				U av = (U)a[(ptrdiff_t)i * m->sam +	\
				    (ptrdiff_t)k * m->sak];		\
				const T *restrict bk = b +		\
				    (ptrdiff_t)k * m->sbk;		\
				for (size_t j = 0; j < N; j++)		\
					oi[j] = oi[j] + av *		\
					    (U)bk[(ptrdiff_t)j * m->sbj]; \
			}						\
		}							\
		return;							\
	}								\
	for (size_t i = 0; i < M; i++) {				\
		const T *ai = a + (ptrdiff_t)i * m->sam;		\
		size_t j = 0;						\
		for (; j + 4 <= N; j += 4) {				\
			const T *b0 = b + (ptrdiff_t)j * m->sbj;	\
			const T *b1 = b0 + m->sbj, *b2 = b1 + m->sbj;	\
			const T *b3 = b2 + m->sbj;			\
			U s0 = 0, s1 = 0, s2 = 0, s3 = 0;		\
			for (size_t k = 0; k < K; k++) {		\
				ptrdiff_t kb = (ptrdiff_t)k * m->sbk;	\
				U av = (U)ai[(ptrdiff_t)k * m->sak];	\
				s0 = s0 + av * (U)b0[kb];		\
				s1 = s1 + av * (U)b1[kb];		\
				s2 = s2 + av * (U)b2[kb];		\
				s3 = s3 + av * (U)b3[kb];		\
			}						\
			o[i * N + j] = (T)s0;				\
			o[i * N + j + 1] = (T)s1;			\
			o[i * N + j + 2] = (T)s2;			\
			o[i * N + j + 3] = (T)s3;			\
		}							\
		for (; j < N; j++) {					\
			const T *bj = b + (ptrdiff_t)j * m->sbj;	\
			U s = 0;					\
			for (size_t k = 0; k < K; k++)			\
				s = s + (U)ai[(ptrdiff_t)k * m->sak] *	\
				    (U)bj[(ptrdiff_t)k * m->sbk];	\
			o[i * N + j] = (T)s;				\
		}							\
	}								\
}

MATMUL(mm_i32, int32_t, uint32_t)
MATMUL(mm_i64, int64_t, uint64_t)

static void
mm_any(int dt, const struct denai_mm *m, void *o, const void *a, const void *b)
{
	switch (dt) {
	case DENAI_DT_FLOAT:	denai_mm_f32(DENAI_MM_AUTO, m, o, a, b); break;
	case DENAI_DT_DOUBLE:	denai_mm_f64(DENAI_MM_AUTO, m, o, a, b); break;
	case DENAI_DT_INT32:	mm_i32(m, o, a, b); break;
	default:		mm_i64(m, o, a, b); break;
	}
}

static int
mm_type(int dt)
{
	return dt == DENAI_DT_FLOAT || dt == DENAI_DT_DOUBLE ||
	    dt == DENAI_DT_INT32 || dt == DENAI_DT_INT64;
}

static int
prep_none(denai_node *n, denai_err *err)
{
	static const char *const none[] = { NULL };

	return denai_node_check_attrs(n, none, err);
}

/* The batched walk: one call per row of batches, through bcast.h with
 * "elements" that are whole matrices. */
struct mm_batch {
	int dt;
	struct denai_mm m;
	size_t asz, bsz, osz;	/* matrix sizes in bytes */
};

static void
mm_rows(void *ctx, size_t n, void *o, const void *const *in,
    const ptrdiff_t *st)
{
	const struct mm_batch *c = ctx;

	for (size_t i = 0; i < n; i++)
		mm_any(c->dt, &c->m, (char *)o + i * c->osz,
		    (const char *)in[0] + (ptrdiff_t)i * st[0] *
		    (ptrdiff_t)c->asz, (const char *)in[1] + (ptrdiff_t)i *
		    st[1] * (ptrdiff_t)c->bsz);
}

static int
run_matmul(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *A = in[0], *B = in[1];
	denai_tensor ba, bb;
	const denai_tensor *batches[2] = { &ba, &bb };
	const void *p[2];
	int64_t dims[DENAI_MAX_RANK];
	struct mm_batch c;
	denai_bcast plan;
	denai_err e;
	int a1 = A->rank == 1, b1 = B->rank == 1, rank;
	size_t K2, sz;
	char sa[64], sb[64];

	if (denai_kern_need(n, in, 2, err) != 0)
		return -1;
	p[0] = A->data;
	p[1] = B->data;
	if (A->dtype != B->dtype)
		return denai_kern_mixed(n, err, 0, 1, A, B);
	if (!mm_type(A->dtype))
		return denai_kern_bad_type(n, err, 0, A->dtype);
	if (A->rank == 0 || B->rank == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "inputs must have rank 1 or more");
	memset(&c, 0, sizeof(c));
	c.dt = A->dtype;
	c.m.K = (size_t)A->dims[A->rank - 1];
	c.m.M = a1 ? 1 : (size_t)A->dims[A->rank - 2];
	K2 = (size_t)B->dims[b1 ? 0 : B->rank - 2];
	c.m.N = b1 ? 1 : (size_t)B->dims[B->rank - 1];
	if (K2 != c.m.K)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "shapes %s and %s do not multiply",
		    denai_tensor_shape_str(sa, sizeof(sa), A),
		    denai_tensor_shape_str(sb, sizeof(sb), B));
	c.m.sam = (ptrdiff_t)c.m.K;
	c.m.sak = 1;
	c.m.sbk = (ptrdiff_t)c.m.N;
	c.m.sbj = 1;
	/* Batch dims of each, as shapes of their own, broadcast. */
	memset(&ba, 0, sizeof(ba));
	memset(&bb, 0, sizeof(bb));
	ba.dtype = bb.dtype = A->dtype;
	ba.rank = a1 ? 0 : A->rank - 2;
	bb.rank = b1 ? 0 : B->rank - 2;
	memcpy(ba.dims, A->dims, sizeof(int64_t) * (size_t)ba.rank);
	memcpy(bb.dims, B->dims, sizeof(int64_t) * (size_t)bb.rank);
	if (denai_bcast_shape(&rank, dims, 2, batches, &e) != 0)
		return denai_node_fail(n, err, e.code, "batch %s", e.msg);
	{
		int r = rank;

		if (!a1)
			dims[r++] = (int64_t)c.m.M;
		if (!b1)
			dims[r++] = (int64_t)c.m.N;
		if (out[0] == NULL)
			return 0;
		if (denai_kern_out(n, out[0], A->dtype, r, dims, err) != 0)
			return -1;
	}
	if (out[0]->count == 0)
		return 0;
	sz = denai_dtype_size(A->dtype);
	c.asz = c.m.M * c.m.K * sz;
	c.bsz = c.m.K * c.m.N * sz;
	c.osz = c.m.M * c.m.N * sz;
	denai_bcast_plan(&plan, rank, dims, c.osz, 2, batches);
	plan.esize[0] = c.asz;	/* an element of the walk is a matrix */
	plan.esize[1] = c.bsz;
	denai_bcast_run(&plan, mm_rows, &c, out[0]->data, p);
	return 0;
}

/* Gemm: Y = alpha A' B' + beta C, C broadcast to [M, N]. */
struct gemm_state {
	float alpha, beta;
	int64_t ta, tb;
};

static int
prep_gemm(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "alpha", "beta", "transA",
	    "transB", NULL };
	struct gemm_state *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (denai_node_attr_float(n, "alpha", 1.0f, &s->alpha, err) != 0 ||
	    denai_node_attr_float(n, "beta", 1.0f, &s->beta, err) != 0 ||
	    denai_node_attr_int(n, "transA", 0, &s->ta, err) != 0 ||
	    denai_node_attr_int(n, "transB", 0, &s->tb, err) != 0)
		return -1;
	return 0;
}

/* y = alpha y + beta c(i,j), c(i,j) = c[i*sci + j*scj] (c may be NULL). */
#define GEMM_POST(name, T)						\
static void								\
name(T *y, size_t M, size_t N, double alpha, double beta, const T *c,	\
    ptrdiff_t sci, ptrdiff_t scj)					\
{									\
	T al = (T)alpha, be = (T)beta;					\
	for (size_t i = 0; i < M; i++)					\
		for (size_t j = 0; j < N; j++) {			\
			T v = y[i * N + j];				\
			if (alpha != 1)					\
				v = al * v;				\
			if (c != NULL)					\
				v = v + be * c[(ptrdiff_t)i * sci +	\
				    (ptrdiff_t)j * scj];		\
			y[i * N + j] = v;				\
		}							\
}

GEMM_POST(gemm_post_f32, float)
GEMM_POST(gemm_post_f64, double)

static int
run_gemm(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct gemm_state *s = n->state;
	const denai_tensor *A = in[0], *B = in[1];
	const denai_tensor *C = n->nin > 2 ? in[2] : NULL;
	struct denai_mm m;
	int64_t dims[2];
	ptrdiff_t sci = 0, scj = 0;
	size_t K2;
	char sa[64], sb[64];

	if (denai_kern_need(n, in, 2, err) != 0)
		return -1;
	if (A->dtype != B->dtype)
		return denai_kern_mixed(n, err, 0, 1, A, B);
	if (A->dtype != DENAI_DT_FLOAT && A->dtype != DENAI_DT_DOUBLE)
		return denai_kern_bad_type(n, err, 0, A->dtype);
	if (C != NULL && C->dtype != A->dtype)
		return denai_kern_mixed(n, err, 0, 2, A, C);
	if (A->rank != 2 || B->rank != 2)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "A and B must be matrices, not %s and %s",
		    denai_tensor_shape_str(sa, sizeof(sa), A),
		    denai_tensor_shape_str(sb, sizeof(sb), B));
	m.M = (size_t)A->dims[s->ta ? 1 : 0];
	m.K = (size_t)A->dims[s->ta ? 0 : 1];
	K2 = (size_t)B->dims[s->tb ? 1 : 0];
	m.N = (size_t)B->dims[s->tb ? 0 : 1];
	if (K2 != m.K)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "shapes %s and %s do not multiply (transA %d, transB %d)",
		    denai_tensor_shape_str(sa, sizeof(sa), A),
		    denai_tensor_shape_str(sb, sizeof(sb), B), s->ta != 0,
		    s->tb != 0);
	m.sam = s->ta ? 1 : (ptrdiff_t)m.K;
	m.sak = s->ta ? (ptrdiff_t)m.M : 1;
	m.sbk = s->tb ? 1 : (ptrdiff_t)m.N;
	m.sbj = s->tb ? (ptrdiff_t)m.K : 1;
	if (C != NULL) {
		int64_t cm = C->rank >= 2 ? C->dims[C->rank - 2] : 1;
		int64_t cn = C->rank >= 1 ? C->dims[C->rank - 1] : 1;

		if (C->rank > 2 || (cm != 1 && cm != (int64_t)m.M) ||
		    (cn != 1 && cn != (int64_t)m.N))
			return denai_node_fail(n, err, DENAI_EDATA,
			    "C of shape %s does not broadcast to [%zu,%zu]",
			    denai_tensor_shape_str(sa, sizeof(sa), C), m.M,
			    m.N);
		sci = cm == 1 ? 0 : (ptrdiff_t)cn;
		scj = cn == 1 ? 0 : 1;
		if (s->beta == 0)
			C = NULL;
	}
	if (out[0] == NULL)
		return 0;
	dims[0] = (int64_t)m.M;
	dims[1] = (int64_t)m.N;
	if (denai_kern_out(n, out[0], A->dtype, 2, dims, err) != 0)
		return -1;
	mm_any(A->dtype, &m, out[0]->data, A->data, B->data);
	if (A->dtype == DENAI_DT_FLOAT)
		gemm_post_f32(out[0]->data, m.M, m.N, s->alpha, s->beta,
		    C != NULL ? C->data : NULL, sci, scj);
	else
		gemm_post_f64(out[0]->data, m.M, m.N, s->alpha, s->beta,
		    C != NULL ? C->data : NULL, sci, scj);
	return 0;
}

/*
 * Softmax and LogSoftmax. Before opset 13 the input is taken as a matrix
 * [prod(dims[:axis]), prod(dims[axis:])] and each row normalised; from 13
 * each vector along the one axis. Both are (outer, len, inner) walks.
 */
struct softmax_state {
	int64_t axis;
	int log;
};

static int
prep_softmax(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "axis", NULL };
	struct softmax_state *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	s->log = strcmp(n->op_type, "LogSoftmax") == 0;
	return denai_node_attr_int(n, "axis", n->opset < 13 ? 1 : -1,
	    &s->axis, err);
}

#define SOFTMAX(name, T, EXP)						\
static void								\
name(T *y, const T *x, size_t outer, size_t len, size_t inner, int lg)	\
{									\
	for (size_t o = 0; o < outer; o++)				\
		for (size_t in = 0; in < inner; in++) {			\
			size_t base = o * len * inner + in;		\
			const T *xv = x + base;				\
			T *yv = y + base;				\
			T mx = xv[0];					\
			double sum = 0;					\
			for (size_t k = 1; k < len; k++)		\
				if (xv[k * inner] > mx)			\
					mx = xv[k * inner];		\
			for (size_t k = 0; k < len; k++) {		\
				T e = EXP(xv[k * inner] - mx);		\
				sum += e;				\
				if (!lg)				\
					yv[k * inner] = e;		\
			}						\
			if (lg) {					\
				double ls = denai_log(sum);		\
				for (size_t k = 0; k < len; k++)	\
					yv[k * inner] = (T)((double)	\
					    (xv[k * inner] - mx) - ls);	\
			} else						\
				for (size_t k = 0; k < len; k++)	\
					yv[k * inner] = (T)(yv[k *	\
					    inner] / sum);		\
		}							\
}

SOFTMAX(softmax_f32, float, denai_expf)
SOFTMAX(softmax_f64, double, denai_exp)

static int
run_softmax(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct softmax_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t axis = s->axis;
	size_t outer, len, inner;

	if (denai_kern_need(n, in, 1, err) != 0)
		return -1;
	if (x->dtype != DENAI_DT_FLOAT && x->dtype != DENAI_DT_DOUBLE)
		return denai_kern_bad_type(n, err, 0, x->dtype);
	if (x->rank == 0 && (axis == 0 || axis == -1)) {
		outer = len = inner = 1;
	} else {
		if (denai_kern_axis(n, &axis, x->rank, err) != 0)
			return -1;
		outer = denai_kern_prod(x->dims, 0, (int)axis);
		if (n->opset < 13) {
			len = denai_kern_prod(x->dims, (int)axis, x->rank);
			inner = 1;
		} else {
			len = (size_t)x->dims[axis];
			inner = denai_kern_prod(x->dims, (int)axis + 1,
			    x->rank);
		}
	}
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], x->dtype, x->rank, x->dims, err) != 0)
		return -1;
	if (x->count == 0 || len == 0)
		return 0;
	if (x->dtype == DENAI_DT_FLOAT)
		softmax_f32(out[0]->data, x->data, outer, len, inner, s->log);
	else
		softmax_f64(out[0]->data, x->data, outer, len, inner, s->log);
	return 0;
}

const denai_op denai_ops_math[] = {
	{ "", "MatMul", 1, 25, 2, 2, 1, 1, prep_none, run_matmul, NULL },
	{ "", "Gemm", 7, 25, 2, 3, 1, 1, prep_gemm, run_gemm, free },
	{ "", "Softmax", 1, 25, 1, 1, 1, 1, prep_softmax, run_softmax, free },
	{ "", "LogSoftmax", 1, 25, 1, 1, 1, 1, prep_softmax, run_softmax,
	    free },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
