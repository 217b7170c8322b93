/*
 * train/linear.c - logistic regression (binary: one score row; multiclass:
 * softmax, one row per class) and linear regression.
 *
 * Features are standardised (mean, standard deviation, in double, in row
 * order); the coefficients are mapped back to the raw features at the end.
 * Logistic regression minimises the mean log-loss plus l2 / (2 rows) |w|^2
 * (sklearn's LogisticRegression with C = 1 / l2; the intercept is not
 * penalised) by Nesterov's accelerated gradient with a fixed number of
 * iterations and step 1 / L, L from 40 power iterations on Z'Z / rows.
 * Gradients are summed over fixed blocks of 4096 rows, the blocks spread
 * over the threads and added in block order, so the sum is the same for any
 * thread count. Linear regression solves the normal equations with a tiny
 * ridge (1e-9 rows) by Cholesky.
 */
#include "train/train_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/dmath.h"

#define BLOCK 4096

typedef struct lin {
	size_t rows, F;		/* F features + 1 (the intercept column) */
	double *z;		/* rows x F, standardised, last column 1 */
	const int *yc;
	int K, binary;
	const double *w;	/* K x F: the point the gradient is taken at */
	double *part;		/* blocks x K x F */
	double *lpart;		/* blocks: loss */
	size_t nblocks;
} lin;

static void
scores(const lin *l, const double *w, const double *z, double *s)
{
	for (int k = 0; k < l->K; k++) {
		const double *wk = w + (size_t)k * l->F;
		double a = 0;

		for (size_t f = 0; f < l->F; f++)
			a += z[f] * wk[f];
		s[k] = a;
	}
}

static void
grad_blocks(void *ctx, int t, int nt)
{
	lin *l = ctx;
	double s[DENAI_TRAIN_MAX_CLASSES];

	for (size_t bk = (size_t)t; bk < l->nblocks; bk += (size_t)nt) {
		double *gp = l->part + bk * (size_t)l->K * l->F, loss = 0;
		size_t end = (bk + 1) * BLOCK < l->rows ? (bk + 1) * BLOCK :
		    l->rows;

		memset(gp, 0, (size_t)l->K * l->F * sizeof(*gp));
		for (size_t i = bk * BLOCK; i < end; i++) {
			const double *z = l->z + i * l->F;

			scores(l, l->w, z, s);
			if (l->binary) {
				double p = denai_sigmoid(s[0]);
				double r = p - (l->yc[i] == 1);

				loss += denai_softplus(s[0]) -
				    (l->yc[i] == 1 ? s[0] : 0);
				for (size_t f = 0; f < l->F; f++)
					gp[f] += r * z[f];
			} else {
				double mx = s[0], sum = 0;

				for (int k = 1; k < l->K; k++)
					if (s[k] > mx)
						mx = s[k];
				for (int k = 0; k < l->K; k++)
					sum += (s[k] = denai_exp(s[k] - mx));
				loss -= denai_log(s[l->yc[i]] / sum);
				for (int k = 0; k < l->K; k++) {
					double r = s[k] / sum -
					    (l->yc[i] == k);
					double *gk = gp + (size_t)k * l->F;

					for (size_t f = 0; f < l->F; f++)
						gk[f] += r * z[f];
				}
			}
		}
		l->lpart[bk] = loss;
	}
}

/* Largest eigenvalue of Z'Z / rows, by power iteration from all ones. */
static double
lambda_max(const lin *l, double *v, double *u)
{
	double lam = 0;

	for (size_t f = 0; f < l->F; f++)
		v[f] = 1.0 / sqrt((double)l->F);
	for (int it = 0; it < 40; it++) {
		double nrm = 0;

		memset(u, 0, l->F * sizeof(*u));
		for (size_t i = 0; i < l->rows; i++) {
			const double *z = l->z + i * l->F;
			double a = 0;

			for (size_t f = 0; f < l->F; f++)
				a += z[f] * v[f];
			for (size_t f = 0; f < l->F; f++)
				u[f] += a * z[f];
		}
		for (size_t f = 0; f < l->F; f++)
			nrm += u[f] * u[f];
		nrm = sqrt(nrm);
		if (!(nrm > 0))
			return 1.0;
		for (size_t f = 0; f < l->F; f++)
			v[f] = u[f] / nrm;
		lam = nrm / (double)l->rows;
	}
	return lam;
}

/* Solves A x = b (A n x n symmetric positive definite, overwritten) by
 * Cholesky. Returns: 0, or -1 when A is not positive definite. */
static int
cholesky_solve(double *A, double *b, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		double d = A[j * n + j];

		for (size_t k = 0; k < j; k++)
			d -= A[j * n + k] * A[j * n + k];
		if (!(d > 0))
			return -1;
		d = sqrt(d);
		A[j * n + j] = d;
		for (size_t i = j + 1; i < n; i++) {
			double s = A[i * n + j];

			for (size_t k = 0; k < j; k++)
				s -= A[i * n + k] * A[j * n + k];
			A[i * n + j] = s / d;
		}
	}
	for (size_t i = 0; i < n; i++) {
		double s = b[i];

		for (size_t k = 0; k < i; k++)
			s -= A[i * n + k] * b[k];
		b[i] = s / A[i * n + i];
	}
	for (size_t i = n; i-- > 0;) {
		double s = b[i];

		for (size_t k = i + 1; k < n; k++)
			s -= A[k * n + i] * b[k];
		b[i] = s / A[i * n + i];
	}
	return 0;
}

int
denai_train_linear(denai_trained *m, const denai_train_data *d, const int *yc,
    const denai_train_opts *o, denai_train_metrics *mt, denai_err *err)
{
	size_t rows = d->rows, C = d->cols, F = C + 1;
	double *mu = calloc(C, sizeof(double)), *sd = calloc(C, sizeof(double));
	lin l = { 0 };
	double *w = NULL, *wp = NULL, *v = NULL, *gr = NULL;
	int rc = -1;

	l.rows = rows;
	l.F = F;
	l.yc = yc;
	l.z = malloc(rows * F * sizeof(double));
	if (mu == NULL || sd == NULL || l.z == NULL)
		goto nomem;
	for (size_t i = 0; i < rows; i++)
		for (size_t f = 0; f < C; f++)
			mu[f] += d->x[i * C + f];
	for (size_t f = 0; f < C; f++)
		mu[f] /= (double)rows;
	for (size_t i = 0; i < rows; i++)
		for (size_t f = 0; f < C; f++) {
			double e = d->x[i * C + f] - mu[f];

			sd[f] += e * e;
		}
	for (size_t f = 0; f < C; f++) {
		sd[f] = sqrt(sd[f] / (double)rows);
		if (!(sd[f] > 1e-30))
			sd[f] = 1.0;
	}
	for (size_t i = 0; i < rows; i++) {
		for (size_t f = 0; f < C; f++)
			l.z[i * F + f] = (d->x[i * C + f] - mu[f]) / sd[f];
		l.z[i * F + C] = 1.0;
	}
	if (m->kind == DENAI_KIND_REGRESS) {
		/* normal equations on the centred problem */
		double *A = calloc(F * F, sizeof(double)), *b = calloc(F,
		    sizeof(double));

		if (A == NULL || b == NULL) {
			free(A);
			free(b);
			goto nomem;
		}
		for (size_t i = 0; i < rows; i++) {
			const double *z = l.z + i * F;

			for (size_t r = 0; r < F; r++) {
				b[r] += z[r] * d->y[i];
				for (size_t c = 0; c <= r; c++)
					A[r * F + c] += z[r] * z[c];
			}
		}
		for (size_t r = 0; r < F; r++) {
			for (size_t c = 0; c < r; c++)
				A[c * F + r] = A[r * F + c];
			if (r < C)
				A[r * F + r] += 1e-9 * (double)rows;
		}
		if (cholesky_solve(A, b, F) != 0) {
			free(A);
			free(b);
			denai_err_set(err, DENAI_EDATA, "linear regression: "
			    "the normal equations are singular");
			goto out;
		}
		free(A);
		w = b;
		l.K = 1;
	} else {
		int K = m->nclass == 2 ? 1 : (int)m->nclass;
		double L, lam = o->l2 / (double)rows;

		l.K = K;
		l.binary = K == 1;
		l.nblocks = (rows + BLOCK - 1) / BLOCK;
		w = calloc((size_t)K * F, sizeof(double));
		wp = calloc((size_t)K * F, sizeof(double));
		v = calloc((size_t)K * F, sizeof(double));
		gr = calloc(F > (size_t)K * F ? F : (size_t)K * F,
		    sizeof(double));
		l.part = malloc(l.nblocks * (size_t)K * F * sizeof(double));
		l.lpart = malloc(l.nblocks * sizeof(double));
		if (w == NULL || wp == NULL || v == NULL || gr == NULL ||
		    l.part == NULL || l.lpart == NULL)
			goto nomem;
		L = lambda_max(&l, v, gr) * 1.1 * (l.binary ? 0.25 : 0.5) +
		    lam;
		memset(v, 0, (size_t)K * F * sizeof(double));
		for (int it = 0; it < o->iters; it++) {
			double beta = (double)it / (double)(it + 3);
			int nt = o->threads < (int)l.nblocks ? o->threads :
			    (int)l.nblocks;

			for (size_t j = 0; j < (size_t)K * F; j++)
				v[j] = w[j] + beta * (w[j] - wp[j]);
			l.w = v;
			denai_tpar_run(nt, grad_blocks, &l);
			memset(gr, 0, (size_t)K * F * sizeof(double));
			for (size_t bk = 0; bk < l.nblocks; bk++)
				for (size_t j = 0; j < (size_t)K * F; j++)
					gr[j] += l.part[bk * (size_t)K * F + j];
			memcpy(wp, w, (size_t)K * F * sizeof(double));
			for (size_t j = 0; j < (size_t)K * F; j++) {
				double gj = gr[j] / (double)rows;

				if (j % F != C)
					gj += lam * v[j];
				w[j] = v[j] - gj / L;
			}
			if (o->progress != NULL)
				o->progress(o->progress_ctx, it + 1, o->iters);
		}
	}
	/* back to raw features */
	m->ncoefrows = (size_t)l.K;
	m->coef = malloc((size_t)l.K * C * sizeof(float));
	m->icpt = malloc((size_t)l.K * sizeof(float));
	if (m->coef == NULL || m->icpt == NULL)
		goto nomem;
	for (int k = 0; k < l.K; k++) {
		const double *wk = w + (size_t)k * F;
		double b = wk[C];

		for (size_t f = 0; f < C; f++) {
			double c = wk[f] / sd[f];

			m->coef[(size_t)k * C + f] = (float)c + 0.0f;
			b -= c * mu[f];
		}
		m->icpt[k] = (float)b + 0.0f;
	}
	/* metrics at the final coefficients (standardised space) */
	{
		double loss = 0, right = 0, ss = 0, mean = 0, s[DENAI_TRAIN_MAX_CLASSES];

		for (size_t i = 0; i < rows; i++) {
			scores(&l, w, l.z + i * F, s);
			if (m->kind == DENAI_KIND_REGRESS) {
				loss += (s[0] - d->y[i]) * (s[0] - d->y[i]);
				mean += d->y[i];
			} else if (l.binary) {
				loss += denai_softplus(s[0]) -
				    (yc[i] == 1 ? s[0] : 0);
				right += (s[0] > 0) == (yc[i] == 1);
			} else {
				int best = 0;
				double mx, sum = 0;

				for (int k = 1; k < l.K; k++)
					if (s[k] > s[best])
						best = k;
				mx = s[best];
				for (int k = 0; k < l.K; k++)
					sum += denai_exp(s[k] - mx);
				loss += denai_log(sum) - (s[yc[i]] - mx);
				right += best == yc[i];
			}
		}
		mt->loss = loss / (double)rows;
		if (m->kind == DENAI_KIND_REGRESS) {
			mean /= (double)rows;
			for (size_t i = 0; i < rows; i++)
				ss += (d->y[i] - mean) * (d->y[i] - mean);
			mt->r2 = ss > 0 ? 1 - loss / ss : 0;
		} else
			mt->accuracy = right / (double)rows;
	}
	rc = 0;
	goto out;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
out:
	free(mu);
	free(sd);
	free(l.z);
	free(l.part);
	free(l.lpart);
	free(w);
	free(wp);
	free(v);
	free(gr);
	return rc;
}
