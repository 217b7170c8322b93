/*
 * onnx/ops_ml_prep.c - the ai.onnx.ml preprocessing and plumbing
 * operators: Scaler, Normalizer, Imputer, Binarizer, ArrayFeatureExtractor,
 * LabelEncoder, ZipMap.
 *
 * ZipMap passes its float input through unchanged: the program that prints
 * the outputs turns it into a list of {label: probability} objects from
 * the node's class labels.
 */
#include "onnx/ops_ml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* x's element i as a double (float, double, int64, int32). */
static double
elem(const denai_tensor *x, size_t i)
{
	switch (x->dtype) {
	case DENAI_DT_FLOAT:	return DENAI_T_F32(x)[i];
	case DENAI_DT_DOUBLE:	return DENAI_T_F64(x)[i];
	case DENAI_DT_INT64:	return (double)DENAI_T_I64(x)[i];
	default:		return (double)DENAI_T_I32(x)[i];
	}
}

static int
numeric_in(const denai_node *n, const denai_tensor *x, denai_err *err)
{
	if (x->dtype != DENAI_DT_FLOAT && x->dtype != DENAI_DT_DOUBLE &&
	    x->dtype != DENAI_DT_INT64 && x->dtype != DENAI_DT_INT32)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "unsupported input type %s", denai_dtype_name(x->dtype));
	if (x->rank < 1)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must have rank 1 or more");
	return 0;
}

/* ------------------------------------------------------------ Scaler */

typedef struct scaler {
	const float *off, *scale;
	size_t noff, nscale;
} scaler;

int
denai_ml_scaler_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "offset", "scale", NULL };
	scaler *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	return denai_node_attr_floats(n, "offset", &s->off, &s->noff, err) ||
	    denai_node_attr_floats(n, "scale", &s->scale, &s->nscale, err) ?
	    -1 : 0;
}

static void
scale_row(const scaler *s, size_t nc, float *restrict y,
    const float *restrict x)
{
	if (s->noff > 1 && s->nscale > 1) {
		for (size_t f = 0; f < nc; f++)
			y[f] = (x[f] - s->off[f]) * s->scale[f];
		return;
	}
	for (size_t f = 0; f < nc; f++) {
		float o = s->noff == 0 ? 0.0f : s->off[s->noff > 1 ? f : 0];
		float k = s->nscale == 0 ? 1.0f :
		    s->scale[s->nscale > 1 ? f : 0];

		y[f] = (x[f] - o) * k;
	}
}

int
denai_ml_scaler_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const scaler *s = n->state;
	const denai_tensor *x = in[0];
	int64_t c;

	if (numeric_in(n, x, err) != 0)
		return -1;
	c = x->dims[x->rank - 1];
	if ((s->noff > 1 && (int64_t)s->noff != c) ||
	    (s->nscale > 1 && (int64_t)s->nscale != c))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "offset/scale have %zu/%zu values for %lld features",
		    s->noff, s->nscale, (long long)c);
	if (out[0] == NULL)
		return 0;
	if (denai_tensor_reshape(out[0], DENAI_DT_FLOAT, x->rank, x->dims,
	    err) != 0)
		return -1;
	if (x->dtype == DENAI_DT_FLOAT && c > 0) {
		/* Row by row: the same (x - o) * k per element, no modulo. */
		size_t nc = (size_t)c;

		for (size_t i = 0; i < x->count; i += nc)
			scale_row(s, nc, DENAI_T_F32(out[0]) + i,
			    DENAI_T_F32(x) + i);
		return 0;
	}
	for (size_t i = 0; i < x->count; i++) {
		size_t f = c > 0 ? i % (size_t)c : 0;
		float o = s->noff == 0 ? 0.0f : s->off[s->noff > 1 ? f : 0];
		float k = s->nscale == 0 ? 1.0f :
		    s->scale[s->nscale > 1 ? f : 0];

		if (x->dtype == DENAI_DT_FLOAT)
			DENAI_T_F32(out[0])[i] = (DENAI_T_F32(x)[i] - o) * k;
		else
			DENAI_T_F32(out[0])[i] = (float)((elem(x, i) -
			    (double)o) * (double)k);
	}
	return 0;
}

/* ------------------------------------------------------------ Normalizer */

enum { NORM_MAX, NORM_L1, NORM_L2 };

int
denai_ml_normalizer_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "norm", NULL };
	const char *v;
	int *s;

	if (denai_node_check_attrs(n, known, err) != 0 ||
	    denai_node_attr_string(n, "norm", "MAX", &v, err) != 0)
		return -1;
	if ((s = malloc(sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (strcmp(v, "MAX") == 0)
		*s = NORM_MAX;
	else if (strcmp(v, "L1") == 0)
		*s = NORM_L1;
	else if (strcmp(v, "L2") == 0)
		*s = NORM_L2;
	else
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "unsupported norm %s", v);
	return 0;
}

int
denai_ml_normalizer_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	int norm = *(const int *)n->state;
	const denai_tensor *x = in[0];
	size_t c, rows;

	if (numeric_in(n, x, err) != 0)
		return -1;
	if (x->rank > 2)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must have rank 1 or 2");
	if (out[0] == NULL)
		return 0;
	if (denai_tensor_reshape(out[0], DENAI_DT_FLOAT, x->rank, x->dims,
	    err) != 0)
		return -1;
	c = (size_t)x->dims[x->rank - 1];
	rows = c > 0 ? x->count / c : 0;
	for (size_t r = 0; r < rows; r++) {
		float *y = DENAI_T_F32(out[0]) + r * c, acc;

		for (size_t i = 0; i < c; i++)
			y[i] = (float)elem(x, r * c + i);
		if (norm == NORM_MAX) {
			acc = -3.402823466e+38f;
			for (size_t i = 0; i < c; i++)
				acc = y[i] > acc ? y[i] : acc;
		} else {
			acc = 0.0f;
			for (size_t i = 0; i < c; i++)
				acc += norm == NORM_L1 ? fabsf(y[i]) :
				    y[i] * y[i];
			if (norm == NORM_L2)
				acc = sqrtf(acc);
		}
		for (size_t i = 0; i < c; i++)
			y[i] /= acc;
	}
	return 0;
}

/* ------------------------------------------------------------ Imputer */

typedef struct imputer {
	const float *vf;
	const int64_t *vi;
	size_t nvf, nvi;
	float rf;
	int64_t ri;
} imputer;

int
denai_ml_imputer_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "imputed_value_floats",
	    "imputed_value_int64s", "replaced_value_float",
	    "replaced_value_int64", NULL };
	imputer *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (denai_node_attr_floats(n, "imputed_value_floats", &s->vf, &s->nvf,
	    err) != 0 ||
	    denai_node_attr_ints(n, "imputed_value_int64s", &s->vi, &s->nvi,
	    err) != 0 ||
	    denai_node_attr_float(n, "replaced_value_float", 0.0f, &s->rf,
	    err) != 0 ||
	    denai_node_attr_int(n, "replaced_value_int64", 0, &s->ri,
	    err) != 0)
		return -1;
	if ((s->nvf == 0) == (s->nvi == 0))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "needs one of imputed_value_floats, imputed_value_int64s");
	return 0;
}

int
denai_ml_imputer_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const imputer *s = n->state;
	const denai_tensor *x = in[0];
	size_t c, nv = s->nvf ? s->nvf : s->nvi;

	if (numeric_in(n, x, err) != 0)
		return -1;
	if ((s->nvf && x->dtype != DENAI_DT_FLOAT) ||
	    (s->nvi && x->dtype != DENAI_DT_INT64))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input type %s does not match the imputed values",
		    denai_dtype_name(x->dtype));
	c = (size_t)x->dims[x->rank - 1];
	if (nv != 1 && nv != c)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%zu imputed values for %zu features", nv, c);
	if (out[0] == NULL)
		return 0;
	if (denai_tensor_copy(out[0], x, err) != 0)
		return -1;
	for (size_t i = 0; i < x->count; i++) {
		size_t f = nv == 1 ? 0 : i % c;

		if (s->nvf) {
			float v = DENAI_T_F32(x)[i];

			if (isnan(s->rf) ? isnan(v) : v == s->rf)
				DENAI_T_F32(out[0])[i] = s->vf[f];
		} else if (DENAI_T_I64(x)[i] == s->ri)
			DENAI_T_I64(out[0])[i] = s->vi[f];
	}
	return 0;
}

/* ------------------------------------------------------------ Binarizer */

int
denai_ml_binarizer_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "threshold", NULL };
	float *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = malloc(sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	return denai_node_attr_float(n, "threshold", 0.0f, s, err);
}

int
denai_ml_binarizer_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	float th = *(const float *)n->state;
	const denai_tensor *x = in[0];

	if (numeric_in(n, x, err) != 0)
		return -1;
	if (out[0] == NULL)
		return 0;
	if (denai_tensor_reshape(out[0], x->dtype, x->rank, x->dims, err) != 0)
		return -1;
	for (size_t i = 0; i < x->count; i++) {
		int b = elem(x, i) > (double)th;

		switch (x->dtype) {
		case DENAI_DT_FLOAT:
			DENAI_T_F32(out[0])[i] = (float)b;
			break;
		case DENAI_DT_DOUBLE:
			DENAI_T_F64(out[0])[i] = b;
			break;
		case DENAI_DT_INT64:
			DENAI_T_I64(out[0])[i] = b;
			break;
		default:
			DENAI_T_I32(out[0])[i] = b;
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------ ArrayFeatureExtractor */

int
denai_ml_afe_prepare(denai_node *n, denai_err *err)
{
	return denai_node_check_attrs(n, NULL, err);
}

int
denai_ml_afe_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const denai_tensor *x = in[0], *ix = in[1];
	int64_t dims[DENAI_MAX_RANK], c, k;
	int rank = x->rank;
	size_t esz = denai_dtype_size(x->dtype), rows;

	if (ix->dtype != DENAI_DT_INT64)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "indices must be int64");
	if (rank < 1 || esz == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "bad input (rank %d, type %s)", rank,
		    denai_dtype_name(x->dtype));
	c = x->dims[rank - 1];
	k = (int64_t)ix->count;
	for (int64_t i = 0; i < k; i++)
		if (DENAI_T_I64(ix)[i] < 0 || DENAI_T_I64(ix)[i] >= c)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "index %lld out of range for %lld features",
			    (long long)DENAI_T_I64(ix)[i], (long long)c);
	if (out[0] == NULL)
		return 0;
	if (rank == 1) {
		dims[0] = 1;
		dims[1] = k;
		rank = 2;
	} else {
		memcpy(dims, x->dims, sizeof(dims));
		dims[rank - 1] = k;
	}
	if (denai_tensor_reshape(out[0], x->dtype, rank, dims, err) != 0)
		return -1;
	rows = c > 0 ? x->count / (size_t)c : 0;
	for (size_t r = 0; r < rows; r++)
		for (int64_t i = 0; i < k; i++) {
			size_t from = r * (size_t)c +
			    (size_t)DENAI_T_I64(ix)[i], to = r * (size_t)k +
			    (size_t)i;

			if (x->dtype == DENAI_DT_STRING) {
				const char *sv = DENAI_T_STR(x)[from];

				if (sv != NULL && (DENAI_T_STR(out[0])[to] =
				    strdup(sv)) == NULL)
					return denai_err_set(err, DENAI_ENOMEM,
					    "out of memory");
			} else
				memcpy((char *)out[0]->data + to * esz,
				    (const char *)x->data + from * esz, esz);
		}
	return 0;
}

/* ------------------------------------------------------------ LabelEncoder */

enum { LE_STR = 1, LE_INT, LE_FLOAT };

typedef struct labelenc {
	int kt, vt;			/* key and value types */
	int v1;				/* opset 1 classes_strings form */
	size_t n;
	char *const *ks;
	const int64_t *ki;
	const float *kf;
	char *const *vs;
	const int64_t *vi;
	const float *vf;
	const char *ds;
	int64_t di;
	float df;
} labelenc;

void
denai_ml_labelenc_free(void *p)
{
	free(p);
}

int
denai_ml_labelenc_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "classes_strings",
	    "default_float", "default_int64", "default_string", "keys_floats",
	    "keys_int64s", "keys_strings", "values_floats", "values_int64s",
	    "values_strings", NULL };
	size_t nks, nki, nkf, nvs, nvi, nvf, ncs;
	char *const *cs;
	labelenc *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (denai_node_attr_strings(n, "classes_strings", &cs, &ncs,
	    err) != 0 ||
	    denai_node_attr_strings(n, "keys_strings", &s->ks, &nks, err) != 0 ||
	    denai_node_attr_ints(n, "keys_int64s", &s->ki, &nki, err) != 0 ||
	    denai_node_attr_floats(n, "keys_floats", &s->kf, &nkf, err) != 0 ||
	    denai_node_attr_strings(n, "values_strings", &s->vs, &nvs,
	    err) != 0 ||
	    denai_node_attr_ints(n, "values_int64s", &s->vi, &nvi, err) != 0 ||
	    denai_node_attr_floats(n, "values_floats", &s->vf, &nvf,
	    err) != 0 ||
	    denai_node_attr_string(n, "default_string", "_Unused", &s->ds,
	    err) != 0 ||
	    denai_node_attr_int(n, "default_int64", -1, &s->di, err) != 0 ||
	    denai_node_attr_float(n, "default_float", -0.0f, &s->df,
	    err) != 0)
		return -1;
	if (n->opset < 2 || ncs > 0) {
		/* opset 1: strings <-> their index in classes_strings */
		s->ks = s->vs = cs;
		s->n = ncs;
		s->kt = LE_STR;
		s->vt = LE_INT;		/* or the reverse, by input type */
		s->v1 = 1;
		return 0;
	}
	if ((nks > 0) + (nki > 0) + (nkf > 0) != 1 ||
	    (nvs > 0) + (nvi > 0) + (nvf > 0) != 1)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "needs one keys_* and one values_* list");
	s->kt = nks ? LE_STR : nki ? LE_INT : LE_FLOAT;
	s->vt = nvs ? LE_STR : nvi ? LE_INT : LE_FLOAT;
	s->n = nks + nki + nkf;
	if (s->n != nvs + nvi + nvf)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%zu keys for %zu values", s->n, nvs + nvi + nvf);
	return 0;
}

int
denai_ml_labelenc_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const labelenc *s = n->state;
	const denai_tensor *x = in[0];
	int v1 = s->v1;
	int kt = s->kt, vt = s->vt, odt;

	if (v1 && x->dtype == DENAI_DT_INT64) {
		kt = LE_INT;
		vt = LE_STR;
	}
	if ((kt == LE_STR && x->dtype != DENAI_DT_STRING) ||
	    (kt == LE_INT && x->dtype != DENAI_DT_INT64) ||
	    (kt == LE_FLOAT && x->dtype != DENAI_DT_FLOAT))
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input type %s does not match the keys",
		    denai_dtype_name(x->dtype));
	if (out[0] == NULL)
		return 0;
	odt = vt == LE_STR ? DENAI_DT_STRING : vt == LE_INT ? DENAI_DT_INT64 :
	    DENAI_DT_FLOAT;
	if (denai_tensor_reshape(out[0], odt, x->rank, x->dims, err) != 0)
		return -1;
	for (size_t i = 0; i < x->count; i++) {
		ptrdiff_t hit = -1;
		const char *sv;

		if (v1 && kt == LE_INT) {
			int64_t k = DENAI_T_I64(x)[i];

			hit = k >= 0 && (size_t)k < s->n ? (ptrdiff_t)k : -1;
		} else
			for (size_t j = 0; j < s->n && hit < 0; j++)
				if (kt == LE_STR ? (DENAI_T_STR(x)[i] != NULL &&
				    strcmp(DENAI_T_STR(x)[i], s->ks[j]) == 0) :
				    kt == LE_INT ? DENAI_T_I64(x)[i] == s->ki[j] :
				    DENAI_T_F32(x)[i] == s->kf[j])
					hit = (ptrdiff_t)j;
		switch (vt) {
		case LE_INT:
			DENAI_T_I64(out[0])[i] = hit < 0 ? s->di :
			    v1 ? (int64_t)hit : s->vi[hit];
			break;
		case LE_FLOAT:
			DENAI_T_F32(out[0])[i] = hit < 0 ? s->df : s->vf[hit];
			break;
		default:
			sv = hit < 0 ? s->ds : s->vs[hit];
			if ((DENAI_T_STR(out[0])[i] = strdup(sv)) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ ZipMap */

int
denai_ml_zipmap_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "classlabels_int64s",
	    "classlabels_strings", NULL };
	ml_labels *l;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = l;
	return denai_ml_labels_parse(n, "classlabels_int64s", "classlabels_strings",
	    l, err);
}

int
denai_ml_zipmap_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const ml_labels *l = n->state;
	const denai_tensor *x = in[0];

	if (x->dtype != DENAI_DT_FLOAT || x->rank < 1 || x->rank > 2 ||
	    x->dims[x->rank - 1] != (int64_t)l->n)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must be float [N, %zu]", l->n);
	return out[0] == NULL ? 0 : denai_tensor_copy(out[0], x, err);
}
