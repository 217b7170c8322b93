/*
 * onnx/ops_ml_tree_run.c - evaluating the tree ensembles that
 * ops_ml_tree.c loaded: each row walks every tree from its root to a leaf.
 *
 * Evaluation: trees in ascending tree id, each leaf's weights in attribute
 * order, summed in float (in double when the model gives *_as_tensor
 * doubles), then aggregated and post-transformed as onnxruntime does -
 * including its binary-classifier rules: with weights for one class only,
 * the label is "score > 0.5" when all weights are >= 0 and "score > 0"
 * otherwise; with weights for both classes it is "score of class 1 > 0".
 */
#include "onnx/ops_ml_tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
go_true(const tree_state *s, const tnode *t, double v)
{
	int c;

	switch (t->mode) {
	case M_LEQ:	c = v <= t->thr; break;
	case M_LT:	c = v < t->thr; break;
	case M_GTE:	c = v >= t->thr; break;
	case M_GT:	c = v > t->thr; break;
	case M_EQ:	c = v == t->thr; break;
	case M_NEQ:	c = v != t->thr; break;
	default:
		c = 0;
		for (int32_t i = 0; i < t->nset; i++)
			if (s->sets[t->set + i] == v) {
				c = 1;
				break;
			}
		break;
	}
	return c || (t->mtrue && isnan(v));
}

static const tnode *
leaf_of(const tree_state *s, const tnode *t, const double *x)
{
	const tnode *base = s->nodes;

	if (s->simple) {
		while (t->feat >= 0)
			t = base + (x[t->feat] <= t->thr ? t->t : t->f);
		return t;
	}
	while (t->feat >= 0)
		t = base + (go_true(s, t, x[t->feat]) ? t->t : t->f);
	return t;
}

/* Rounds to float unless the ensemble computes in double. */
#define FL(s, v) ((s)->dbl ? (v) : (double)(float)(v))

/* Aggregates one row into sc[ntargets] / has[ntargets]. */
static void
aggregate(const tree_state *s, const double *x, double *sc, uint8_t *has)
{
	for (int64_t k = 0; k < s->ntargets; k++) {
		sc[k] = 0.0;
		has[k] = 0;
	}
	for (size_t r = 0; r < s->ntrees; r++) {
		const tnode *l = leaf_of(s, s->nodes + s->roots[r], x);
		const tweight *w = s->w + l->t;

		for (int32_t j = 0; j < l->f; j++) {
			int32_t k = w[j].id;
			double v = w[j].w;

			switch (s->agg) {
			case AGG_MIN:
				if (!has[k] || v < sc[k])
					sc[k] = v;
				break;
			case AGG_MAX:
				if (!has[k] || v > sc[k])
					sc[k] = v;
				break;
			default:
				sc[k] = FL(s, sc[k] + v);
				break;
			}
			has[k] = 1;
		}
	}
}

/* Finishes a regressor row into y (float) as onnxruntime does. */
static void
finish_regressor(const tree_state *s, double *sc, const uint8_t *has,
    float *y)
{
	int64_t nt = s->ntargets;
	int usebase = s->nbase == (size_t)nt;

	if (nt == 1) {
		double origin = s->nbase == 1 ? s->base[0] : 0.0, v = sc[0];

		switch (s->agg) {
		case AGG_SUM:
			v = FL(s, v + origin);
			break;
		case AGG_AVERAGE:
			v = FL(s, FL(s, v / (double)s->ntrees) + origin);
			break;
		default:
			v = has[0] ? FL(s, v + origin) : origin;
			break;
		}
		y[0] = s->post == ML_PROBIT ? denai_ml_probit((float)v) : (float)v;
		return;
	}
	for (int64_t k = 0; k < nt; k++) {
		double v = sc[k], b = usebase ? s->base[k] : 0.0;

		switch (s->agg) {
		case AGG_SUM:
			v = usebase ? FL(s, v + b) : v;
			break;
		case AGG_AVERAGE:
			v = FL(s, v / (double)s->ntrees);
			v = usebase ? FL(s, v + b) : v;
			break;
		default:
			v = FL(s, b + (has[k] ? v : 0.0));
			break;
		}
		y[k] = has[k] ? (float)v : 0.0f;
	}
	denai_ml_post_row(y, (size_t)nt, s->post);
}

/* Finishes a classifier row: *label gets a class index (or -1 - v for the
 * raw label v onnxruntime gives with weights on both of two classes). */
static void
finish_classifier(const tree_state *s, double *sc, uint8_t *has, float *z,
    int64_t *label)
{
	int64_t nc = s->ntargets;

	if (nc > 2) {
		int64_t best = -1;

		for (size_t k = 0; k < s->nbase && (int64_t)k < nc; k++) {
			if (!has[k]) {
				has[k] = 1;
				sc[k] = s->base[k];
			} else
				sc[k] = FL(s, sc[k] + s->base[k]);
		}
		for (int64_t k = 0; k < nc; k++)
			if (has[k] && (best == -1 || sc[k] > sc[best]))
				best = k;
		*label = best < 0 ? 0 : best;
		for (int64_t k = 0; k < nc; k++)
			z[k] = has[k] ? (float)sc[k] : 0.0f;
		denai_ml_post_row(z, (size_t)nc, s->post);
		return;
	}
	/* two classes */
	{
		int was = -1, size = 2;
		double pos;

		if (s->nbase == 2) {
			if (has[1]) {
				sc[1] = FL(s, s->base[1] + sc[0]);
				sc[0] = -sc[1];
			} else {
				sc[1] = FL(s, sc[1] + s->base[1]);
				sc[0] = FL(s, sc[0] + s->base[0]);
			}
		} else if (s->nbase == 1) {
			sc[0] = FL(s, sc[0] + s->base[0]);
			if (!has[1])
				size = 1;
		} else if (s->nbase == 0) {
			was = 3;
			if (!has[1])
				size = 1;
		}
		pos = size == 2 && has[1] ? sc[1] : has[0] ? sc[0] : 0.0;
		if (s->binary_case) {
			if (s->allpos) {
				was = pos > 0.5 ? 0 : 1;
				*label = pos > 0.5 ? 1 : 0;
			} else {
				was = pos > 0 ? 2 : 3;
				*label = pos > 0 ? 1 : 0;
			}
		} else
			*label = pos > 0 ? -2 : -1;	/* raw 1 / raw 0 */
		if (size == 2) {
			z[0] = has[0] ? (float)sc[0] : 0.0f;
			z[1] = has[1] ? (float)sc[1] : 0.0f;
			denai_ml_post_row(z, 2, s->post);
			return;
		}
		{
			float v = has[0] ? (float)sc[0] : 0.0f;

			z[1] = 0.0f;
			if (s->post == ML_PROBIT) {
				z[0] = denai_ml_probit(v);
				return;
			}
			switch (was) {
			case 0:
			case 1:
				z[0] = 1.0f - v;
				z[1] = v;
				break;
			case 2:
			case 3:
				if (s->post == ML_LOGISTIC) {
					z[0] = denai_ml_logistic(-v);
					z[1] = denai_ml_logistic(v);
				} else {
					z[0] = -v;
					z[1] = v;
				}
				break;
			default:
				z[0] = v;
				break;
			}
		}
	}
}

static int
tree_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const tree_state *s = n->state;
	const denai_tensor *x = in[0];
	int64_t rows, cols, nt = s->ntargets;
	double xbuf[256], scbuf[64], *xd = xbuf, *sc = scbuf;
	uint8_t hasbuf[64], *has = hasbuf;
	float zbuf[64], *z = zbuf;
	denai_tensor *y = s->kind == K_CLASSIFIER ? out[1] : out[0];
	int rc = -1;

	if (x->rank == 1) {
		rows = 1;
		cols = x->dims[0];
	} else if (x->rank == 2) {
		rows = x->dims[0];
		cols = x->dims[1];
	} else
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input must have rank 1 or 2, not %d", x->rank);
	if (x->dtype != DENAI_DT_FLOAT && x->dtype != DENAI_DT_DOUBLE &&
	    x->dtype != DENAI_DT_INT64 && x->dtype != DENAI_DT_INT32)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "unsupported input type %s", denai_dtype_name(x->dtype));
	if (s->kind == K_ENSEMBLE && x->dtype != DENAI_DT_FLOAT &&
	    x->dtype != DENAI_DT_DOUBLE)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "input must be float or double");
	if (cols < s->nfeat)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input has %lld features, the trees use %d",
		    (long long)cols, s->nfeat);
	if ((cols > 256 && (xd = malloc((size_t)cols * sizeof(double))) ==
	    NULL) || (nt > 64 && ((sc = malloc((size_t)nt *
	    sizeof(double))) == NULL || (has = malloc((size_t)nt)) == NULL ||
	    (z = malloc((size_t)nt * sizeof(float))) == NULL))) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if (s->kind == K_CLASSIFIER) {
		if (denai_ml_labels_shape(n, &s->labels, out[0], rows, err) != 0)
			goto out;
	}
	if (denai_ml_out2(y, s->kind == K_ENSEMBLE ? x->dtype : DENAI_DT_FLOAT,
	    rows, nt, err) != 0)
		goto out;
	for (int64_t r = 0; r < rows; r++) {
		size_t o = (size_t)(r * cols);

		for (int64_t f = 0; f < cols; f++)
			switch (x->dtype) {
			case DENAI_DT_FLOAT:
				xd[f] = DENAI_T_F32(x)[o + f];
				break;
			case DENAI_DT_DOUBLE:
				xd[f] = DENAI_T_F64(x)[o + f];
				break;
			case DENAI_DT_INT64:
				xd[f] = (float)DENAI_T_I64(x)[o + f];
				break;
			default:
				xd[f] = (float)DENAI_T_I32(x)[o + f];
				break;
			}
		aggregate(s, xd, sc, has);
		if (s->kind == K_CLASSIFIER) {
			int64_t label;

			finish_classifier(s, sc, has, z, &label);
			if (denai_ml_label_set(n, &s->labels, out[0], r,
			    label >= 0 ? label : -1, label == -2 ? 1 : 0,
			    err) != 0)
				goto out;
		} else if (s->kind == K_REGRESSOR)
			finish_regressor(s, sc, has, z);
		else {
			for (int64_t k = 0; k < nt; k++) {
				double v = has[k] ? sc[k] : 0.0;

				if (s->agg == AGG_AVERAGE)
					v = FL(s, v / (double)s->ntrees);
				if (y != NULL && y->dtype == DENAI_DT_DOUBLE)
					DENAI_T_F64(y)[r * nt + k] = v;
				z[k] = (float)v;
			}
			if (s->post != ML_NONE)
				denai_ml_post_row(z, (size_t)nt, s->post);
			if (y != NULL && y->dtype == DENAI_DT_DOUBLE) {
				if (s->post != ML_NONE)
					for (int64_t k = 0; k < nt; k++)
						DENAI_T_F64(y)[r * nt + k] =
						    z[k];
				continue;
			}
		}
		if (y != NULL)
			memcpy(DENAI_T_F32(y) + r * nt, z,
			    (size_t)nt * sizeof(float));
	}
	rc = 0;
out:
	if (xd != xbuf)
		free(xd);
	if (sc != scbuf)
		free(sc);
	if (has != hasbuf)
		free(has);
	if (z != zbuf)
		free(z);
	return rc;
}

int
denai_ml_treeclass_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return tree_run(n, in, out, err);
}

int
denai_ml_treereg_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return tree_run(n, in, out, err);
}

int
denai_ml_tree5_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	return tree_run(n, in, out, err);
}
