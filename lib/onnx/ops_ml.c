/*
 * onnx/ops_ml.c - what the ai.onnx.ml kernels share: post transforms,
 * input rows, class labels. (The table is ops_ml_table.c's: it calls the
 * kernels, the kernels call this file, nothing calls back.)
 */
#include "onnx/ops_ml.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/dmath.h"

void
denai_ml_free(void *state)
{
	free(state);
}

int
denai_ml_post_parse(const denai_node *n, int *post, denai_err *err)
{
	static const char *const names[] = { "NONE", "LOGISTIC", "SOFTMAX",
	    "SOFTMAX_ZERO", "PROBIT" };
	const char *s;

	if (denai_node_attr_string(n, "post_transform", "NONE", &s, err) != 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*post = i;
			return 0;
		}
	return denai_node_fail(n, err, DENAI_EUNSUP,
	    "unsupported post_transform %s", s);
}

/* 1 / (1 + exp(-|x|)), mirrored for negative x, as onnxruntime does. */
float
denai_ml_logistic(float x)
{
	float v = 1.0f / (1.0f + denai_expf(-fabsf(x)));

	return x < 0 ? 1.0f - v : v;
}

/* sqrt(2) * erfinv(2x - 1) with the same approximation as onnxruntime. */
float
denai_ml_probit(float val)
{
	float x = 2.0f * val - 1.0f, sgn = x < 0 ? -1.0f : 1.0f, l, v, v2, v3;

	x = (1.0f - x) * (1.0f + x);
	l = denai_logf(x);
	v = 2.0f / (3.14159265358979f * 0.147f) + 0.5f * l;
	v2 = 1.0f / 0.147f * l;
	v3 = -v + sqrtf(v * v - v2);
	return 1.41421356f * (sgn * sqrtf(v3));
}

void
denai_ml_softmax(float *v, size_t n)
{
	float mx = -3.402823466e+38f, sum = 0.0f;

	for (size_t i = 0; i < n; i++)
		if (v[i] > mx)
			mx = v[i];
	for (size_t i = 0; i < n; i++) {
		v[i] = denai_expf(v[i] - mx);
		sum += v[i];
	}
	for (size_t i = 0; i < n; i++)
		v[i] /= sum;
}

/* Softmax that leaves (near) zero scores at zero weight. */
void
denai_ml_softmax_zero(float *v, size_t n)
{
	float mx = -3.402823466e+38f, sum = 0.0f, eneg;

	for (size_t i = 0; i < n; i++)
		if (v[i] > mx)
			mx = v[i];
	eneg = denai_expf(-mx);
	for (size_t i = 0; i < n; i++) {
		if (v[i] > 0.0000001f || v[i] < -0.0000001f) {
			v[i] = denai_expf(v[i] - mx);
			sum += v[i];
		} else
			v[i] *= eneg;
	}
	for (size_t i = 0; i < n; i++)
		v[i] /= sum;
}

void
denai_ml_post_row(float *v, size_t n, int post)
{
	switch (post) {
	case ML_LOGISTIC:
		for (size_t i = 0; i < n; i++)
			v[i] = denai_ml_logistic(v[i]);
		break;
	case ML_PROBIT:
		for (size_t i = 0; i < n; i++)
			v[i] = denai_ml_probit(v[i]);
		break;
	case ML_SOFTMAX:
		denai_ml_softmax(v, n);
		break;
	case ML_SOFTMAX_ZERO:
		denai_ml_softmax_zero(v, n);
		break;
	default:
		break;
	}
}

int
denai_ml_input_f32(const denai_node *n, const denai_tensor *x, const float **xf,
    float **owned, int64_t *rows, int64_t *cols, denai_err *err)
{
	float *f;

	*owned = NULL;
	if (x->rank == 1) {
		*rows = 1;
		*cols = x->dims[0];
	} else if (x->rank == 2) {
		*rows = x->dims[0];
		*cols = x->dims[1];
	} else
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must have rank 1 or 2, not %d", x->rank);
	if (x->dtype == DENAI_DT_FLOAT) {
		*xf = x->data;
		return 0;
	}
	if (x->dtype != DENAI_DT_DOUBLE && x->dtype != DENAI_DT_INT64 &&
	    x->dtype != DENAI_DT_INT32)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "unsupported input type %s", denai_dtype_name(x->dtype));
	if ((f = malloc((x->count ? x->count : 1) * sizeof(float))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (size_t i = 0; i < x->count; i++)
		switch (x->dtype) {
		case DENAI_DT_DOUBLE:
			f[i] = (float)DENAI_T_F64(x)[i];
			break;
		case DENAI_DT_INT64:
			f[i] = (float)DENAI_T_I64(x)[i];
			break;
		default:
			f[i] = (float)DENAI_T_I32(x)[i];
			break;
		}
	*xf = f;
	*owned = f;
	return 0;
}

int
denai_ml_labels_parse(const denai_node *n, const char *ints_name,
    const char *strs_name, ml_labels *l, denai_err *err)
{
	size_t ni = 0, ns = 0;

	memset(l, 0, sizeof(*l));
	if (denai_node_attr_ints(n, ints_name, &l->ints, &ni, err) != 0 ||
	    denai_node_attr_strings(n, strs_name, &l->strs, &ns, err) != 0)
		return -1;
	if (ni > 0 && ns > 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "both %s and %s are given", ints_name, strs_name);
	if (ni == 0 && ns == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "no class labels (%s or %s)", ints_name, strs_name);
	if (ni == 0)
		l->ints = NULL;
	if (ns == 0)
		l->strs = NULL;
	l->n = ni > 0 ? ni : ns;
	return 0;
}

int
denai_ml_labels_shape(const denai_node *n, const ml_labels *l, denai_tensor *y,
    int64_t rows, denai_err *err)
{
	if (y == NULL)
		return 0;
	if (denai_tensor_reshape(y, l->strs != NULL ? DENAI_DT_STRING :
	    DENAI_DT_INT64, 1, &rows, err) != 0)
		return denai_err_prefix(err, "node %s (%s)", n->name,
		    n->op_type);
	return 0;
}

int
denai_ml_label_set(const denai_node *n, const ml_labels *l, denai_tensor *y,
    int64_t i, int64_t k, int64_t v, denai_err *err)
{
	char buf[24];
	const char *s;

	if (y == NULL)
		return 0;
	if (k >= (int64_t)l->n)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "class index %" PRId64 " out of range", k);
	if (l->strs == NULL) {
		DENAI_T_I64(y)[i] = k >= 0 ? l->ints[k] : v;
		return 0;
	}
	if (k >= 0)
		s = l->strs[k];
	else if (v >= 0 && (uint64_t)v < l->n)
		s = l->strs[v];	/* onnxruntime's raw labels index strings */
	else {
		snprintf(buf, sizeof(buf), "%" PRId64, v);
		s = buf;
	}
	free(DENAI_T_STR(y)[i]);
	if ((DENAI_T_STR(y)[i] = strdup(s)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return 0;
}

int
denai_ml_out2(denai_tensor *t, int dtype, int64_t rows, int64_t cols,
    denai_err *err)
{
	int64_t d[2] = { rows, cols };

	if (t == NULL)
		return 0;
	return denai_tensor_reshape(t, dtype, 2, d, err);
}
