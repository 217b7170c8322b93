/*
 * onnx/ops_ml_linear.c - LinearClassifier and LinearRegressor (ai.onnx.ml).
 *
 * score[c] = sum_f x[f] * coefficients[c * F + f], summed in float in
 * feature order, plus intercepts[c]. LinearClassifier's label and score
 * layout follow onnxruntime: one score row with two class labels gives the
 * label "score > 0" and the scores [1 - s, s] (s = logistic(score) under
 * LOGISTIC; other post transforms leave s as is, PROBIT is refused);
 * several rows give the first maximum.
 */
#include "onnx/ops_ml.h"

#include <stdlib.h>
#include <string.h>

typedef struct linear {
	const float *coef;	/* points into the node's attributes */
	size_t ncoef;
	const float *icpt;	/* may be NULL */
	size_t nicpt;
	int64_t targets;	/* score rows */
	int post;
	ml_labels labels;	/* classifier only */
	float *scratch;		/* one row of scores (the block's tail) */
} linear;

static int
linear_prepare(denai_node *n, int classifier, denai_err *err)
{
	static const char *const kc[] = { "coefficients", "intercepts",
	    "classlabels_ints", "classlabels_strings", "multi_class",
	    "post_transform", NULL };
	static const char *const kr[] = { "coefficients", "intercepts",
	    "targets", "post_transform", NULL };
	linear *s, *t;

	if (denai_node_check_attrs(n, classifier ? kc : kr, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (denai_node_attr_floats(n, "coefficients", &s->coef, &s->ncoef,
	    err) != 0 ||
	    denai_node_attr_floats(n, "intercepts", &s->icpt, &s->nicpt,
	    err) != 0 ||
	    denai_ml_post_parse(n, &s->post, err) != 0)
		return -1;
	if (s->ncoef == 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "coefficients are missing");
	if (classifier) {
		if (denai_ml_labels_parse(n, "classlabels_ints",
		    "classlabels_strings", &s->labels, err) != 0)
			return -1;
		s->targets = s->nicpt > 0 ? (int64_t)s->nicpt :
		    (int64_t)s->labels.n;
		if (s->targets == 1 && s->labels.n != 2)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "one score row needs two class labels, not %zu",
			    s->labels.n);
		if (s->targets == 1 && s->post == ML_PROBIT)
			return denai_node_fail(n, err, DENAI_EUNSUP,
			    "PROBIT with one score row is not supported");
		if (s->targets > 1 && (size_t)s->targets != s->labels.n)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "%lld score rows for %zu class labels",
			    (long long)s->targets, s->labels.n);
	} else {
		if (denai_node_attr_int(n, "targets", 1, &s->targets,
		    err) != 0)
			return -1;
		if (s->targets < 1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "targets must be positive");
	}
	if (s->ncoef % (size_t)s->targets != 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%zu coefficients do not split into %lld rows", s->ncoef,
		    (long long)s->targets);
	if (s->nicpt > 0 && s->nicpt != (size_t)s->targets)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%zu intercepts for %lld rows", s->nicpt,
		    (long long)s->targets);
	if ((t = realloc(s, sizeof(*s) + ((size_t)s->targets + 2) *
	    sizeof(float))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s = t;
	s->scratch = (float *)(void *)(s + 1);
	return 0;
}

int
denai_ml_linclass_prepare(denai_node *n, denai_err *err)
{
	return linear_prepare(n, 1, err);
}

int
denai_ml_linreg_prepare(denai_node *n, denai_err *err)
{
	return linear_prepare(n, 0, err);
}

/* score[c] for c < targets of one row. */
static void
scores(const linear *s, const float *x, int64_t nf, float *out)
{
	for (int64_t c = 0; c < s->targets; c++) {
		const float *w = s->coef + c * nf;
		float acc = 0.0f;

		for (int64_t f = 0; f < nf; f++)
			acc += x[f] * w[f];
		out[c] = acc + (s->nicpt > 0 ? s->icpt[c] : 0.0f);
	}
}

/* Checks the feature count; fetches the rows. */
static int
rows_of(const denai_node *n, const linear *s, const denai_tensor *x,
    const float **xf, float **owned, int64_t *rows, int64_t *nf,
    denai_err *err)
{
	if (denai_ml_input_f32(n, x, xf, owned, rows, nf, err) != 0)
		return -1;
	if (*nf * s->targets != (int64_t)s->ncoef) {
		free(*owned);
		*owned = NULL;
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input has %lld features, the coefficients %zu",
		    (long long)*nf, s->ncoef / (size_t)s->targets);
	}
	return 0;
}

int
denai_ml_linclass_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const linear *s = n->state;
	const float *xf;
	float *owned;
	int64_t rows, nf, zc;
	int two = s->targets == 1 && s->labels.n == 2, rc = -1;

	if (rows_of(n, s, in[0], &xf, &owned, &rows, &nf, err) != 0)
		return -1;
	zc = two ? 2 : s->targets;
	if (denai_ml_labels_shape(n, &s->labels, out[0], rows, err) != 0 ||
	    denai_ml_out2(out[1], DENAI_DT_FLOAT, rows, zc, err) != 0)
		goto out;
	for (int64_t r = 0; r < rows; r++) {
		float *sc = out[1] != NULL ? DENAI_T_F32(out[1]) + r * zc :
		    s->scratch;
		int64_t k = 0;

		scores(s, xf + r * nf, nf, sc);
		if (s->targets == 1) {
			float v = sc[0];

			if (s->labels.n == 2)
				k = v > 0 ? 1 : 0;
			if (denai_ml_label_set(n, &s->labels, out[0], r,
			    s->labels.n == 2 ? k : -1, v > 0 ? 1 : 0,
			    err) != 0)
				goto out;
			if (two) {
				if (s->post == ML_LOGISTIC)
					v = denai_ml_logistic(v);
				sc[0] = 1.0f - v;
				sc[1] = v;
			} else if (s->post == ML_PROBIT)
				sc[0] = denai_ml_probit(v);
			continue;
		}
		for (int64_t c = 1; c < s->targets; c++)
			if (sc[c] > sc[k])
				k = c;
		if (denai_ml_label_set(n, &s->labels, out[0], r, k, 0, err) != 0)
			goto out;
		denai_ml_post_row(sc, (size_t)s->targets, s->post);
	}
	rc = 0;
out:
	free(owned);
	return rc;
}

int
denai_ml_linreg_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const linear *s = n->state;
	const float *xf;
	float *owned;
	int64_t rows, nf;

	if (rows_of(n, s, in[0], &xf, &owned, &rows, &nf, err) != 0)
		return -1;
	if (denai_ml_out2(out[0], DENAI_DT_FLOAT, rows, s->targets, err) != 0) {
		free(owned);
		return -1;
	}
	for (int64_t r = 0; out[0] != NULL && r < rows; r++) {
		float *y = DENAI_T_F32(out[0]) + r * s->targets;

		scores(s, xf + r * nf, nf, y);
		if (s->targets == 1) {
			if (s->post == ML_PROBIT)
				y[0] = denai_ml_probit(y[0]);
		} else
			denai_ml_post_row(y, (size_t)s->targets, s->post);
	}
	free(owned);
	return 0;
}
