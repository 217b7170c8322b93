/*
 * onnx/ops_ml_svm.c - SVMClassifier and SVMRegressor (ai.onnx.ml).
 *
 * Kernels in float in feature order (RBF: exp(-gamma * |x - sv|^2); POLY:
 * (gamma * x.sv + coef0)^degree; SIGMOID: tanh(gamma * x.sv + coef0);
 * LINEAR: x.sv). The classifier follows libsvm's one-vs-one rule as
 * onnxruntime does: for classes i < j, the decision value is summed in
 * double over both classes' support vectors plus rho, a vote goes to i when
 * it is > 0 and to j otherwise, and the label is the first class with the
 * most votes (also when prob_a/prob_b turn the scores into probabilities).
 * Without support vectors the op is a linear model (liblinear mode).
 */
#include "onnx/ops_ml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/dmath.h"

enum { KL_LINEAR, KL_POLY, KL_RBF, KL_SIGMOID };

typedef struct svm {
	int kernel, post, proba, one_class, svc, allpos;
	float gamma, coef0, degree;
	const float *sv, *coef, *rho, *pa, *pb;
	size_t nsv, ncoef, nrho, npa;
	int64_t nvec, nfeat, nclass;
	const int64_t *vpc;
	int64_t *start;		/* first support vector of each class */
	ml_labels labels;
	/* scratch for one row, allocated at prepare (a graph runs in one
	 * thread at a time, so a prediction allocates nothing) */
	float *k, *sc, *r2, *q, *qp;
	int64_t *votes;
} svm;

void
denai_ml_svm_free(void *p)
{
	svm *s = p;

	if (s != NULL) {
		free(s->start);
		free(s->k);
		free(s->sc);
		free(s->r2);
		free(s->q);
		free(s->qp);
		free(s->votes);
	}
	free(s);
}

static int
kernel_parse(const denai_node *n, svm *s, denai_err *err)
{
	const char *k;
	const float *p;
	size_t np;

	if (denai_node_attr_string(n, "kernel_type", "LINEAR", &k, err) != 0 ||
	    denai_node_attr_floats(n, "kernel_params", &p, &np, err) != 0)
		return -1;
	if (strcmp(k, "LINEAR") == 0)
		s->kernel = KL_LINEAR;
	else if (strcmp(k, "POLY") == 0)
		s->kernel = KL_POLY;
	else if (strcmp(k, "RBF") == 0)
		s->kernel = KL_RBF;
	else if (strcmp(k, "SIGMOID") == 0)
		s->kernel = KL_SIGMOID;
	else
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "unsupported kernel_type %s", k);
	if (np != 0 && np != 3)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "kernel_params needs 3 values, has %zu", np);
	if (np == 3) {
		s->gamma = p[0];
		s->coef0 = p[1];
		s->degree = p[2];
	}
	return 0;
}

static float
kernel(const svm *s, const float *x, const float *v, int64_t nf)
{
	float acc = 0.0f;

	if (s->kernel == KL_RBF) {
		for (int64_t f = 0; f < nf; f++) {
			float d = x[f] - v[f];

			acc += d * d;
		}
		return denai_expf(-s->gamma * acc);
	}
	for (int64_t f = 0; f < nf; f++)
		acc += x[f] * v[f];
	switch (s->kernel) {
	case KL_POLY:
		acc = s->gamma * acc + s->coef0;
		if (s->degree == 2)
			return acc * acc;
		if (s->degree == 3)
			return acc * acc * acc;
		return denai_powf(acc, s->degree);
	case KL_SIGMOID:
		return denai_tanhf(s->gamma * acc + s->coef0);
	default:
		return acc;
	}
}

int
denai_ml_svmclass_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "classlabels_ints",
	    "classlabels_strings", "coefficients", "kernel_params",
	    "kernel_type", "post_transform", "prob_a", "prob_b", "rho",
	    "support_vectors", "vectors_per_class", NULL };
	size_t nvpc, npb;
	svm *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (kernel_parse(n, s, err) != 0 || denai_ml_post_parse(n, &s->post,
	    err) != 0 ||
	    denai_ml_labels_parse(n, "classlabels_ints", "classlabels_strings",
	    &s->labels, err) != 0 ||
	    denai_node_attr_ints(n, "vectors_per_class", &s->vpc, &nvpc,
	    err) != 0 ||
	    denai_node_attr_floats(n, "support_vectors", &s->sv, &s->nsv,
	    err) != 0 ||
	    denai_node_attr_floats(n, "coefficients", &s->coef, &s->ncoef,
	    err) != 0 ||
	    denai_node_attr_floats(n, "rho", &s->rho, &s->nrho, err) != 0 ||
	    denai_node_attr_floats(n, "prob_a", &s->pa, &s->npa, err) != 0 ||
	    denai_node_attr_floats(n, "prob_b", &s->pb, &npb, err) != 0)
		return -1;
	s->nclass = (int64_t)s->labels.n;
	if (s->npa != npb)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "prob_a and prob_b differ in size");
	s->proba = s->npa > 0;
	if (s->ncoef == 0 || s->nrho == 0 || s->nclass < 2 ||
	    s->nclass > 65535)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "needs coefficients, rho and 2 to 65535 class labels");
	for (size_t i = 0; i < nvpc; i++) {
		if (s->vpc[i] < 0 || s->vpc[i] > INT32_MAX)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "bad vectors_per_class");
		s->nvec += s->vpc[i];
	}
	s->allpos = 1;
	for (size_t i = 0; i < s->ncoef; i++)
		if (!(s->coef[i] >= 0.0f))
			s->allpos = 0;
	if (s->nvec > 0) {
		int64_t npair = s->nclass * (s->nclass - 1) / 2;

		s->svc = 1;
		if (nvpc != (size_t)s->nclass)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "vectors_per_class has %zu entries for %lld classes",
			    nvpc, (long long)s->nclass);
		if (s->nsv % (size_t)s->nvec != 0 || s->nsv == 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "support_vectors do not split into %lld vectors",
			    (long long)s->nvec);
		s->nfeat = (int64_t)s->nsv / s->nvec;
		if (s->ncoef < (size_t)((s->nclass - 1) * s->nvec) ||
		    s->nrho < (size_t)npair ||
		    (s->proba && s->npa < (size_t)npair))
			return denai_node_fail(n, err, DENAI_EDATA,
			    "coefficients, rho or prob_a too short");
		if ((s->start = malloc((size_t)s->nclass * sizeof(int64_t))) ==
		    NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		for (int64_t i = 0, at = 0; i < s->nclass; i++) {
			s->start[i] = at;
			at += s->vpc[i];
		}
	} else {
		s->kernel = KL_LINEAR;
		if (s->ncoef % (size_t)s->nclass != 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "coefficients do not split into %lld classes",
			    (long long)s->nclass);
		s->nfeat = (int64_t)s->ncoef / s->nclass;
	}
	{
		size_t nc = (size_t)s->nclass, np = nc * (nc - 1) / 2;

		s->k = malloc(((size_t)s->nvec + 1) * sizeof(float));
		s->sc = malloc(((np > nc ? np : nc) + 2) * sizeof(float));
		s->votes = malloc(nc * sizeof(int64_t));
		s->r2 = malloc(nc * nc * sizeof(float));
		s->q = malloc(nc * nc * sizeof(float));
		s->qp = malloc(nc * sizeof(float));
		if (!s->k || !s->sc || !s->votes || !s->r2 || !s->q || !s->qp)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
	}
	return 0;
}

/* libsvm's pairwise coupling (Wu, Lin and Weng), in float like
 * onnxruntime; r is nc x nc, p gets nc probabilities. */
static void
coupling(int64_t nc, const float *r, float *p, float *q, float *qp)
{
	float eps = 0.005f / (float)nc;

	for (int64_t i = 0; i < nc * nc; i++)
		q[i] = 0.0f;
	for (int64_t i = 0; i < nc; i++) {
		p[i] = 1.0f / (float)nc;
		for (int64_t j = 0; j < i; j++) {
			q[i * nc + i] += r[j * nc + i] * r[j * nc + i];
			q[i * nc + j] = q[j * nc + i];
		}
		for (int64_t j = i + 1; j < nc; j++) {
			q[i * nc + i] += r[j * nc + i] * r[j * nc + i];
			q[i * nc + j] = -r[j * nc + i] * r[i * nc + j];
		}
	}
	for (int loop = 0; loop < 100; loop++) {
		float pqp = 0.0f, maxerr = 0.0f;

		for (int64_t i = 0; i < nc; i++) {
			qp[i] = 0.0f;
			for (int64_t j = 0; j < nc; j++)
				qp[i] += q[i * nc + j] * p[j];
			pqp += p[i] * qp[i];
		}
		for (int64_t i = 0; i < nc; i++) {
			float e = fabsf(qp[i] - pqp);

			if (e > maxerr)
				maxerr = e;
		}
		if (maxerr < eps)
			break;
		for (int64_t i = 0; i < nc; i++) {
			float diff = (-qp[i] + pqp) / q[i * nc + i];

			p[i] += diff;
			pqp = (pqp + diff * (diff * q[i * nc + i] + 2 * qp[i])) /
			    (1 + diff) / (1 + diff);
			for (int64_t j = 0; j < nc; j++) {
				qp[j] = (qp[j] + diff * q[i * nc + j]) /
				    (1 + diff);
				p[j] /= (1 + diff);
			}
		}
	}
}

int
denai_ml_svmclass_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const svm *s = n->state;
	const float *xf;
	float *owned = NULL, *k = s->k, *sc = s->sc, *r2 = s->r2, *q = s->q,
	    *qp = s->qp;
	int64_t rows, nf, nc = s->nclass, npair = nc * (nc - 1) / 2, zc;
	int64_t *votes = s->votes;
	int rc = -1;

	if (denai_ml_input_f32(n, in[0], &xf, &owned, &rows, &nf, err) != 0)
		return -1;
	if (nf != s->nfeat) {
		denai_node_fail(n, err, DENAI_EDATA,
		    "input has %lld features, the model %lld", (long long)nf,
		    (long long)s->nfeat);
		goto out;
	}
	zc = s->svc && !s->proba ? (nc > 2 ? npair : 2) : nc;
	if (denai_ml_labels_shape(n, &s->labels, out[0], rows, err) != 0 ||
	    denai_ml_out2(out[1], DENAI_DT_FLOAT, rows, zc, err) != 0)
		goto out;
	for (int64_t row = 0; row < rows; row++) {
		const float *x = xf + row * nf;
		float maxw = 0.0f;
		int64_t best = 0;

		if (s->svc) {
			int64_t idx = 0;

			for (int64_t v = 0; v < s->nvec; v++)
				k[v] = kernel(s, x, s->sv + v * nf, nf);
			memset(votes, 0, (size_t)nc * sizeof(int64_t));
			for (int64_t i = 0; i < nc - 1; i++)
				for (int64_t j = i + 1; j < nc; j++, idx++) {
					const float *ci = s->coef +
					    (j - 1) * s->nvec + s->start[i];
					const float *cj = s->coef +
					    i * s->nvec + s->start[j];
					double sum = 0.0;

					for (int64_t m = 0; m < s->vpc[i]; m++)
						sum += ci[m] * k[s->start[i] + m];
					for (int64_t m = 0; m < s->vpc[j]; m++)
						sum += cj[m] * k[s->start[j] + m];
					sum += s->rho[idx];
					sc[idx] = (float)sum;
					votes[sum > 0 ? i : j]++;
				}
			for (int64_t c = 1; c < nc; c++)
				if (votes[c] > votes[best])
					best = c;
			if (s->proba) {
				for (int64_t i = 0, pi = 0; i < nc - 1; i++)
					for (int64_t j = i + 1; j < nc;
					    j++, pi++) {
						float v1 = 1.0f - denai_ml_logistic(
						    sc[pi] * s->pa[pi] +
						    s->pb[pi]);

						v1 = v1 < 1.0e-7f ? 1.0e-7f : v1;
						v1 = v1 > 1 - 1.0e-7f ?
						    1 - 1.0e-7f : v1;
						r2[i * nc + j] = v1;
						r2[j * nc + i] = 1 - v1;
					}
				coupling(nc, r2, sc, q, qp);
			}
		} else {
			for (int64_t c = 0; c < nc; c++)
				sc[c] = kernel(s, x, s->coef + c * nf, nf) +
				    s->rho[0];
			for (int64_t c = 1; c < nc; c++)
				if (sc[c] > sc[best])
					best = c;
			maxw = sc[best];
		}
		if (nc == 2 && !s->proba && ((s->allpos && maxw >= 0.5f) ||
		    (maxw > 0 && !s->allpos)))
			best = 1;
		if (denai_ml_label_set(n, &s->labels, out[0], row, best, 0,
		    err) != 0)
			goto out;
		if (out[1] == NULL)
			continue;
		if (s->svc && !s->proba && nc <= 2) {
			float v = sc[0], *z = DENAI_T_F32(out[1]) + row * 2;

			if (s->post == ML_PROBIT) {
				z[0] = denai_ml_probit(v);
				z[1] = 0.0f;
			} else if (s->post == ML_NONE) {
				z[0] = -v;
				z[1] = v;
			} else {
				if (s->post == ML_LOGISTIC)
					v = denai_ml_logistic(v);
				z[0] = 1.0f - v;
				z[1] = v;
			}
			continue;
		}
		denai_ml_post_row(sc, (size_t)zc, s->post);
		memcpy(DENAI_T_F32(out[1]) + row * zc, sc,
		    (size_t)zc * sizeof(float));
	}
	rc = 0;
out:
	free(owned);
	return rc;
}

int
denai_ml_svmreg_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "coefficients", "kernel_params",
	    "kernel_type", "n_supports", "one_class", "post_transform", "rho",
	    "support_vectors", NULL };
	int64_t oc;
	svm *s;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	if (kernel_parse(n, s, err) != 0 || denai_ml_post_parse(n, &s->post,
	    err) != 0 ||
	    denai_node_attr_int(n, "n_supports", 0, &s->nvec, err) != 0 ||
	    denai_node_attr_int(n, "one_class", 0, &oc, err) != 0 ||
	    denai_node_attr_floats(n, "support_vectors", &s->sv, &s->nsv,
	    err) != 0 ||
	    denai_node_attr_floats(n, "coefficients", &s->coef, &s->ncoef,
	    err) != 0 ||
	    denai_node_attr_floats(n, "rho", &s->rho, &s->nrho, err) != 0)
		return -1;
	s->one_class = oc != 0;
	if (s->ncoef == 0 || s->nrho == 0 || s->nvec < 0)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "needs coefficients and rho");
	if (s->nvec > 0) {
		s->svc = 1;
		if (s->nsv == 0 || s->nsv % (size_t)s->nvec != 0 ||
		    s->ncoef < (size_t)s->nvec)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "support_vectors or coefficients do not match "
			    "n_supports %lld", (long long)s->nvec);
		s->nfeat = (int64_t)(s->nsv / (size_t)s->nvec);
	} else {
		s->kernel = KL_LINEAR;
		s->nfeat = (int64_t)s->ncoef;
	}
	return 0;
}

int
denai_ml_svmreg_run(const denai_node *n, const denai_tensor *const *in,
    denai_tensor *const *out, denai_err *err)
{
	const svm *s = n->state;
	const float *xf;
	float *owned;
	int64_t rows, nf;

	if (denai_ml_input_f32(n, in[0], &xf, &owned, &rows, &nf, err) != 0)
		return -1;
	if (nf != s->nfeat) {
		free(owned);
		return denai_node_fail(n, err, DENAI_EDATA,
		    "input has %lld features, the model %lld", (long long)nf,
		    (long long)s->nfeat);
	}
	if (denai_ml_out2(out[0], DENAI_DT_FLOAT, rows, 1, err) != 0) {
		free(owned);
		return -1;
	}
	for (int64_t r = 0; out[0] != NULL && r < rows; r++) {
		const float *x = xf + r * nf;
		float y = 0.0f;

		if (s->svc) {
			for (int64_t v = 0; v < s->nvec; v++)
				y += kernel(s, x, s->sv + v * nf, nf) *
				    s->coef[v];
			y += s->rho[0];
		} else
			y = kernel(s, x, s->coef, nf) + s->rho[0];
		if (s->one_class)
			y = y > 0.0f ? 1.0f : -1.0f;
		DENAI_T_F32(out[0])[r] = y;
	}
	free(owned);
	return 0;
}
