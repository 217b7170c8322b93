/*
 * ops_nn.c - Conv, MaxPool, AveragePool, GlobalAveragePool and
 * BatchNormalization (inference) over 1, 2 or 3 spatial dimensions.
 *
 * One geometry (kernel, strides, dilations, pads, auto_pad, ceil_mode) is
 * shared by Conv and the pools; fewer than three spatial dims are walked
 * as three with leading dims of 1. Direct loops with a fixed order: a Conv
 * output is 0 + the products over input channel, then kernel positions in
 * row-major order (padding skipped), plus the bias last.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/kern.h"

#define SP 3	/* spatial dims walked */

enum { PAD_NOTSET, PAD_SAME_UPPER, PAD_SAME_LOWER, PAD_VALID };
enum { NN_CONV, NN_MAXPOOL, NN_AVGPOOL };

/* Parsed attributes; a zero-length list means "the default". */
struct nn_state {
	int kind;
	int auto_pad;
	int64_t group, ceil_mode, count_include_pad, storage_order;
	int nk, ns, nd, np;
	int64_t kernel[SP], strides[SP], dil[SP], pads[2 * SP];
	float epsilon;		/* BatchNormalization */
};

/* The geometry of one run, spatial dims padded in front to SP. */
struct geom {
	int64_t in[SP], k[SP], s[SP], d[SP], pb[SP], pe[SP], out[SP];
};

static int
get_list(denai_node *n, const char *name, int64_t *dst, int max, int *cnt,
    denai_err *err)
{
	const int64_t *v;
	size_t c;

	if (denai_node_attr_ints(n, name, &v, &c, err) != 0)
		return -1;
	if (c > (size_t)max)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "attribute %s has %zu values, at most %d supported", name,
		    c, max);
	for (size_t i = 0; i < c; i++)
		if (v[i] > INT32_MAX || v[i] < -INT32_MAX)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "attribute %s value %lld is out of range", name,
			    (long long)v[i]);
	if (c > 0)
		memcpy(dst, v, c * sizeof(int64_t));
	*cnt = (int)c;
	return 0;
}

static int
prep_nn(denai_node *n, denai_err *err)
{
	static const char *const conv[] = { "auto_pad", "dilations", "group",
	    "kernel_shape", "pads", "strides", NULL };
	static const char *const maxpool[] = { "auto_pad", "ceil_mode",
	    "dilations", "kernel_shape", "pads", "storage_order", "strides",
	    NULL };
	static const char *const avgpool[] = { "auto_pad", "ceil_mode",
	    "count_include_pad", "dilations", "kernel_shape", "pads",
	    "strides", NULL };
	struct nn_state *s;
	const char *ap;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	s->kind = strcmp(n->op_type, "Conv") == 0 ? NN_CONV :
	    strcmp(n->op_type, "MaxPool") == 0 ? NN_MAXPOOL : NN_AVGPOOL;
	if (denai_node_check_attrs(n, s->kind == NN_CONV ? conv :
	    s->kind == NN_MAXPOOL ? maxpool : avgpool, err) != 0)
		return -1;
	if (denai_node_attr_string(n, "auto_pad", "NOTSET", &ap, err) != 0 ||
	    denai_node_attr_int(n, "group", 1, &s->group, err) != 0 ||
	    denai_node_attr_int(n, "ceil_mode", 0, &s->ceil_mode, err) != 0 ||
	    denai_node_attr_int(n, "count_include_pad", 0,
	    &s->count_include_pad, err) != 0 ||
	    denai_node_attr_int(n, "storage_order", 0, &s->storage_order,
	    err) != 0 ||
	    get_list(n, "kernel_shape", s->kernel, SP, &s->nk, err) != 0 ||
	    get_list(n, "strides", s->strides, SP, &s->ns, err) != 0 ||
	    get_list(n, "dilations", s->dil, SP, &s->nd, err) != 0 ||
	    get_list(n, "pads", s->pads, 2 * SP, &s->np, err) != 0)
		return -1;
	if (strcmp(ap, "NOTSET") == 0)
		s->auto_pad = PAD_NOTSET;
	else if (strcmp(ap, "SAME_UPPER") == 0)
		s->auto_pad = PAD_SAME_UPPER;
	else if (strcmp(ap, "SAME_LOWER") == 0)
		s->auto_pad = PAD_SAME_LOWER;
	else if (strcmp(ap, "VALID") == 0)
		s->auto_pad = PAD_VALID;
	else
		return denai_node_fail(n, err, DENAI_EDATA,
		    "auto_pad \"%s\" is not NOTSET, SAME_UPPER, SAME_LOWER "
		    "or VALID", ap);
	if (s->kind != NN_CONV && s->nk == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "attribute kernel_shape is required");
	if (s->group < 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "group %lld is not positive", (long long)s->group);
	if (s->storage_order != 0 && s->storage_order != 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "storage_order %lld is not 0 or 1",
		    (long long)s->storage_order);
	for (int i = 0; i < s->ns; i++)
		if (s->strides[i] < 1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "strides must be positive");
	for (int i = 0; i < s->nd; i++)
		if (s->dil[i] < 1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "dilations must be positive");
	for (int i = 0; i < s->np; i++)
		if (s->pads[i] < 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "pads must not be negative");
	for (int i = 0; i < s->nk; i++)
		if (s->kernel[i] < 1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "kernel_shape must be positive");
	return 0;
}

/*
 * Fills g for k spatial dims of x (rank k + 2) and a kernel ker[k].
 * Returns: 0, or -1 when an attribute's length or the output size is bad.
 */
static int
geom_init(const denai_node *n, const struct nn_state *s, struct geom *g,
    const denai_tensor *x, const int64_t *ker, denai_err *err)
{
	int k = x->rank - 2, o = SP - k;

	if ((s->ns != 0 && s->ns != k) || (s->nd != 0 && s->nd != k) ||
	    (s->np != 0 && s->np != 2 * k) || (s->nk != 0 && s->nk != k))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "kernel_shape, strides, dilations or pads do not match "
		    "%d spatial dims", k);
	for (int i = 0; i < SP; i++) {
		g->in[i] = g->k[i] = g->s[i] = g->d[i] = g->out[i] = 1;
		g->pb[i] = g->pe[i] = 0;
	}
	for (int i = 0; i < k; i++) {
		int64_t in = x->dims[2 + i], dk, total, out;

		g->in[o + i] = in;
		g->k[o + i] = ker[i];
		g->s[o + i] = s->ns ? s->strides[i] : 1;
		g->d[o + i] = s->nd ? s->dil[i] : 1;
		dk = (ker[i] - 1) * g->d[o + i] + 1;
		switch (s->auto_pad) {
		case PAD_NOTSET:
			g->pb[o + i] = s->np ? s->pads[i] : 0;
			g->pe[o + i] = s->np ? s->pads[k + i] : 0;
			break;
		case PAD_SAME_UPPER:
		case PAD_SAME_LOWER:
			out = (in + g->s[o + i] - 1) / g->s[o + i];
			total = (out - 1) * g->s[o + i] + dk - in;
			if (total < 0)
				total = 0;
			g->pb[o + i] = s->auto_pad == PAD_SAME_UPPER ?
			    total / 2 : total - total / 2;
			g->pe[o + i] = total - g->pb[o + i];
			break;
		default:
			break;
		}
		total = in + g->pb[o + i] + g->pe[o + i] - dk;
		if (total < 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "kernel extent %lld is larger than the padded "
			    "input %lld", (long long)dk,
			    (long long)(in + g->pb[o + i] + g->pe[o + i]));
		if (s->ceil_mode) {
			out = (total + g->s[o + i] - 1) / g->s[o + i] + 1;
			/* The last window must start inside the input or
			 * its leading pad. */
			if ((out - 1) * g->s[o + i] >= in + g->pb[o + i])
				out--;
		} else
			out = total / g->s[o + i] + 1;
		g->out[o + i] = out;
	}
	return 0;
}

static int
float_type(const denai_node *n, const denai_tensor *t, int i, denai_err *err)
{
	if (t == NULL)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input %d is missing", i);
	if (t->dtype != DENAI_DT_FLOAT && t->dtype != DENAI_DT_DOUBLE)
		return denai_kern_bad_type(n, err, i, t->dtype);
	return 0;
}

static int
spatial_rank(const denai_node *n, const denai_tensor *x, denai_err *err)
{
	if (x->rank < 3 || x->rank > 2 + SP)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "input of rank %d: 1 to %d spatial dims supported",
		    x->rank, SP);
	return 0;
}

/* Output dims [N, C, out...] of a geometry. */
static void
out_dims(int64_t *od, const denai_tensor *x, int64_t c, const struct geom *g)
{
	int k = x->rank - 2;

	od[0] = x->dims[0];
	od[1] = c;
	for (int i = 0; i < k; i++)
		od[2 + i] = g->out[SP - k + i];
}

#define CONV(name, T)							\
static void								\
name(T *y, const T *x, const T *w, const T *b, const struct geom *g,	\
    int64_t N, int64_t C, int64_t M, int64_t G)				\
{									\
	int64_t cg = C / G, mg = M / G;					\
	int64_t isz = g->in[0] * g->in[1] * g->in[2];			\
	int64_t ksz = g->k[0] * g->k[1] * g->k[2];			\
	for (int64_t nn = 0; nn < N; nn++)				\
	for (int64_t m = 0; m < M; m++) {				\
		int64_t grp = m / mg;					\
		const T *wm = w + m * cg * ksz;				\
		for (int64_t o0 = 0; o0 < g->out[0]; o0++)		\
		for (int64_t o1 = 0; o1 < g->out[1]; o1++)		\
		for (int64_t o2 = 0; o2 < g->out[2]; o2++) {		\
			T sum = 0;					\
			int64_t b0 = o0 * g->s[0] - g->pb[0];		\
			int64_t b1 = o1 * g->s[1] - g->pb[1];		\
			int64_t b2 = o2 * g->s[2] - g->pb[2];		\
			for (int64_t c = 0; c < cg; c++) {		\
				const T *xc = x + (nn * C + grp * cg + c) *	\
				    isz;				\
				const T *wc = wm + c * ksz;		\
				for (int64_t k0 = 0; k0 < g->k[0]; k0++) { \
				int64_t i0 = b0 + k0 * g->d[0];		\
				if (i0 < 0 || i0 >= g->in[0])		\
					continue;			\
				for (int64_t k1 = 0; k1 < g->k[1]; k1++) { \
				int64_t i1 = b1 + k1 * g->d[1];		\
				if (i1 < 0 || i1 >= g->in[1])		\
					continue;			\
				for (int64_t k2 = 0; k2 < g->k[2]; k2++) { \
					int64_t i2 = b2 + k2 * g->d[2];	\
					if (i2 < 0 || i2 >= g->in[2])	\
						continue;		\
					sum = sum + xc[(i0 * g->in[1] +	\
					    i1) * g->in[2] + i2] *	\
					    wc[(k0 * g->k[1] + k1) *	\
					    g->k[2] + k2];		\
				}					\
				}					\
				}					\
			}						\
			if (b != NULL)					\
				sum = sum + b[m];			\
			*y++ = sum;					\
		}							\
	}								\
}

CONV(conv_f32, float)
CONV(conv_f64, double)

static int
run_conv(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct nn_state *s = n->state;
	const denai_tensor *x = in[0], *w = in[1];
	const denai_tensor *b = n->nin > 2 ? in[2] : NULL;
	int64_t od[2 + SP], C, M, ker[SP];
	struct geom g;
	char sx[64], sw[64];
	int k;

	if (float_type(n, x, 0, err) != 0 || spatial_rank(n, x, err) != 0 ||
	    denai_kern_need(n, in, 2, err) != 0)
		return -1;
	if (w->dtype != x->dtype)
		return denai_kern_mixed(n, err, 0, 1, x, w);
	if (b != NULL && b->dtype != x->dtype)
		return denai_kern_mixed(n, err, 0, 2, x, b);
	k = x->rank - 2;
	C = x->dims[1];
	M = w->rank == x->rank ? w->dims[0] : 0;
	if (w->rank != x->rank || C % s->group != 0 || M % s->group != 0 ||
	    w->dims[1] != C / s->group)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "weights %s do not fit input %s with group %lld",
		    denai_tensor_shape_str(sw, sizeof(sw), w),
		    denai_tensor_shape_str(sx, sizeof(sx), x),
		    (long long)s->group);
	for (int i = 0; i < k; i++) {
		ker[i] = w->dims[2 + i];
		if (s->nk != 0 && s->kernel[i] != ker[i])
			return denai_node_fail(n, err, DENAI_EDATA,
			    "kernel_shape does not match weights %s",
			    denai_tensor_shape_str(sw, sizeof(sw), w));
	}
	if (b != NULL && (b->rank != 1 || b->dims[0] != M))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "bias %s is not [%lld]",
		    denai_tensor_shape_str(sw, sizeof(sw), b), (long long)M);
	if (geom_init(n, s, &g, x, ker, err) != 0)
		return -1;
	out_dims(od, x, M, &g);
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], x->dtype, x->rank, od, err) != 0)
		return -1;
	if (out[0]->count == 0)
		return 0;
	if (x->dtype == DENAI_DT_FLOAT)
		conv_f32(out[0]->data, x->data, w->data,
		    b != NULL ? b->data : NULL, &g, x->dims[0], C, M, s->group);
	else
		conv_f64(out[0]->data, x->data, w->data,
		    b != NULL ? b->data : NULL, &g, x->dims[0], C, M, s->group);
	return 0;
}

/*
 * Pools: for each output position, the window's positions inside the
 * input. Max keeps the first largest (its flat index for Indices: plane
 * offset plus the row-major, or with storage_order 1 column-major, index
 * in the plane); Average divides the sum of the positions inside the input
 * by their count, or with count_include_pad by the count of positions
 * inside the padded input.
 */
#define POOL(name, T)							\
static void								\
name(T *y, int64_t *idx, const T *x, const struct geom *g, int64_t planes, \
    int max, int incl, int colmajor)					\
{									\
	int64_t isz = g->in[0] * g->in[1] * g->in[2];			\
	for (int64_t p = 0; p < planes; p++) {				\
		const T *xp = x + p * isz;				\
		for (int64_t o0 = 0; o0 < g->out[0]; o0++)		\
		for (int64_t o1 = 0; o1 < g->out[1]; o1++)		\
		for (int64_t o2 = 0; o2 < g->out[2]; o2++) {		\
			int64_t b0 = o0 * g->s[0] - g->pb[0];		\
			int64_t b1 = o1 * g->s[1] - g->pb[1];		\
			int64_t b2 = o2 * g->s[2] - g->pb[2];		\
			T acc = max ? -INFINITY : 0;			\
			int64_t cnt = 0, pad = 0, at = -1;		\
			for (int64_t k0 = 0; k0 < g->k[0]; k0++) {	\
			int64_t i0 = b0 + k0 * g->d[0];			\
			for (int64_t k1 = 0; k1 < g->k[1]; k1++) {	\
			int64_t i1 = b1 + k1 * g->d[1];			\
			for (int64_t k2 = 0; k2 < g->k[2]; k2++) {	\
				int64_t i2 = b2 + k2 * g->d[2], at2;	\
				T v;					\
				if (i0 >= -g->pb[0] &&			\
				    i0 < g->in[0] + g->pe[0] &&		\
				    i1 >= -g->pb[1] &&			\
				    i1 < g->in[1] + g->pe[1] &&		\
				    i2 >= -g->pb[2] &&			\
				    i2 < g->in[2] + g->pe[2])		\
					pad++;				\
				if (i0 < 0 || i0 >= g->in[0] || i1 < 0 || \
				    i1 >= g->in[1] || i2 < 0 ||		\
				    i2 >= g->in[2])			\
					continue;			\
				at2 = (i0 * g->in[1] + i1) * g->in[2] + i2; \
				v = xp[at2];				\
				cnt++;					\
				if (!max)				\
					acc = acc + v;			\
				else if (v > acc || at < 0) {		\
					acc = v;			\
					at = colmajor ? (i2 * g->in[1] + \
					    i1) * g->in[0] + i0 : at2;	\
				}					\
			}						\
			}						\
			}						\
			if (!max)					\
				acc = acc / (T)(incl ? pad : cnt);	\
			*y++ = acc;					\
			if (idx != NULL)				\
				*idx++ = p * isz + (at < 0 ? 0 : at);	\
		}							\
	}								\
}

POOL(pool_f32, float)
POOL(pool_f64, double)

static int
run_pool(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct nn_state *s = n->state;
	const denai_tensor *x = in[0];
	denai_tensor *ind = n->nout > 1 ? out[1] : NULL;
	int64_t od[2 + SP];
	struct geom g;
	int64_t planes;
	int colmajor = s->storage_order == 1;

	if (float_type(n, x, 0, err) != 0 || spatial_rank(n, x, err) != 0)
		return -1;
	if (geom_init(n, s, &g, x, s->kernel, err) != 0)
		return -1;
	out_dims(od, x, x->dims[1], &g);
	if (out[0] != NULL &&
	    denai_kern_out(n, out[0], x->dtype, x->rank, od, err) != 0)
		return -1;
	if (ind != NULL &&
	    denai_kern_out(n, ind, DENAI_DT_INT64, x->rank, od, err) != 0)
		return -1;
	if (out[0] == NULL || out[0]->count == 0)
		return 0;
	planes = x->dims[0] * x->dims[1];
	if (x->dtype == DENAI_DT_FLOAT)
		pool_f32(out[0]->data, ind != NULL ? ind->data : NULL, x->data,
		    &g, planes, s->kind == NN_MAXPOOL,
		    s->count_include_pad != 0, colmajor);
	else
		pool_f64(out[0]->data, ind != NULL ? ind->data : NULL, x->data,
		    &g, planes, s->kind == NN_MAXPOOL,
		    s->count_include_pad != 0, colmajor);
	return 0;
}

static int
prep_none(denai_node *n, denai_err *err)
{
	static const char *const none[] = { NULL };

	return denai_node_check_attrs(n, none, err);
}

/* GlobalAveragePool: the mean of each [N, C] plane, summed in order. */
static int
run_gap(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *x = in[0];
	int64_t od[DENAI_MAX_RANK];
	size_t planes, psz;

	if (float_type(n, x, 0, err) != 0)
		return -1;
	if (x->rank < 2)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input of rank %d, at least 2 needed", x->rank);
	od[0] = x->dims[0];
	od[1] = x->dims[1];
	for (int i = 2; i < x->rank; i++)
		od[i] = 1;
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], x->dtype, x->rank, od, err) != 0)
		return -1;
	planes = (size_t)(x->dims[0] * x->dims[1]);
	psz = denai_kern_prod(x->dims, 2, x->rank);
	for (size_t p = 0; p < planes; p++) {
		if (x->dtype == DENAI_DT_FLOAT) {
			const float *v = DENAI_T_F32(x) + p * psz;
			float sum = 0;

			for (size_t i = 0; i < psz; i++)
				sum = sum + v[i];
			DENAI_T_F32(out[0])[p] = sum / (float)psz;
		} else {
			const double *v = DENAI_T_F64(x) + p * psz;
			double sum = 0;

			for (size_t i = 0; i < psz; i++)
				sum = sum + v[i];
			DENAI_T_F64(out[0])[p] = sum / (double)psz;
		}
	}
	return 0;
}

/* BatchNormalization, inference: y = (x - mean) / sqrt(var + eps) *
 * scale + B per channel (dim 1). Training mode is refused at load. */
static int
prep_bn(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "epsilon", "momentum",
	    "training_mode", "spatial", NULL };
	struct nn_state *s;
	int64_t train, spatial;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_node_fail(n, err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (denai_node_attr_float(n, "epsilon", 1e-5f, &s->epsilon, err) != 0 ||
	    denai_node_attr_int(n, "training_mode", 0, &train, err) != 0 ||
	    denai_node_attr_int(n, "spatial", 1, &spatial, err) != 0)
		return -1;
	if (train != 0)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "training_mode is not supported (inference only)");
	if (spatial != 1)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "spatial 0 is not supported");
	for (int i = 1; i < n->nout; i++)
		if (n->out[i] >= 0)
			return denai_node_fail(n, err, DENAI_EUNSUP,
			    "output %d (training statistics) is not supported",
			    i);
	return 0;
}

#define BN(name, T)							\
static void								\
name(T *y, const T *x, const T *sc, const T *bias, const T *mean,	\
    const T *var, size_t N, size_t C, size_t psz, double eps)		\
{									\
	for (size_t nn = 0; nn < N; nn++)				\
		for (size_t c = 0; c < C; c++) {			\
			T den = (T)sqrt((double)(var[c] + (T)eps));	\
			size_t base = (nn * C + c) * psz;		\
			for (size_t i = 0; i < psz; i++)		\
				y[base + i] = (x[base + i] - mean[c]) /	\
				    den * sc[c] + bias[c];		\
		}							\
}

BN(bn_f32, float)
BN(bn_f64, double)

static int
run_bn(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const struct nn_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t C;
	size_t psz;
	char sx[64], sp[64];

	if (float_type(n, x, 0, err) != 0)
		return -1;
	if (x->rank < 2)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input of rank %d, at least 2 needed", x->rank);
	if (denai_kern_need(n, in, 5, err) != 0)
		return -1;
	C = x->dims[1];
	for (int i = 1; i < 5; i++) {
		if (in[i]->dtype != x->dtype)
			return denai_kern_mixed(n, err, 0, i, x, in[i]);
		if (in[i]->rank != 1 || in[i]->dims[0] != C)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "input %d of shape %s does not match channels "
			    "of %s", i,
			    denai_tensor_shape_str(sp, sizeof(sp), in[i]),
			    denai_tensor_shape_str(sx, sizeof(sx), x));
	}
	if (out[0] == NULL)
		return 0;
	if (denai_kern_out(n, out[0], x->dtype, x->rank, x->dims, err) != 0)
		return -1;
	psz = denai_kern_prod(x->dims, 2, x->rank);
	if (x->dtype == DENAI_DT_FLOAT)
		bn_f32(out[0]->data, x->data, in[1]->data, in[2]->data,
		    in[3]->data, in[4]->data, (size_t)x->dims[0], (size_t)C,
		    psz, s->epsilon);
	else
		bn_f64(out[0]->data, x->data, in[1]->data, in[2]->data,
		    in[3]->data, in[4]->data, (size_t)x->dims[0], (size_t)C,
		    psz, s->epsilon);
	return 0;
}

const denai_op denai_ops_nn[] = {
	{ "", "Conv", 1, 25, 2, 3, 1, 1, prep_nn, run_conv, free },
	{ "", "MaxPool", 1, 25, 1, 1, 1, 2, prep_nn, run_pool, free },
	{ "", "AveragePool", 7, 25, 1, 1, 1, 1, prep_nn, run_pool, free },
	{ "", "GlobalAveragePool", 1, 25, 1, 1, 1, 1, prep_none, run_gap,
	    NULL },
	{ "", "BatchNormalization", 7, 25, 5, 5, 1, 5, prep_bn, run_bn, free },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};
