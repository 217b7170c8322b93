/* test_train.c - the trainer on in-memory data: bin edges reproduce the
 * partition as float32 thresholds; every algorithm and kind trains, gives
 * the same model bytes on 1 and 2 threads, loads in our evaluator and
 * predicts the training rows about as well as training said. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/graph.h"
#include "eth/u256.h"
#include "onnx/predict.h"
#include "train/train_impl.h"

#define ROWS 600
#define COLS 6

static float X[ROWS * COLS], YB[ROWS], YM[ROWS], YR[ROWS];

static double
unif(denai_rng *r)
{
	return (double)(denai_rng_next(r) >> 11) / 9007199254740992.0;
}

static void
make_data(void)
{
	denai_rng r;

	denai_rng_seed(&r, 42);
	for (size_t i = 0; i < ROWS; i++) {
		float *x = X + i * COLS;
		double s;

		x[0] = (float)(unif(&r) * 4 - 2);
		x[1] = (float)(int)(unif(&r) * 5);		/* 0..4 */
		x[2] = (float)(unif(&r) * 1000);
		x[3] = 7.0f;					/* constant */
		x[4] = i % 2 ? -0.0f : 0.0f;			/* signed zeros */
		x[5] = (float)(unif(&r) * 1e-3);
		s = x[0] + 0.5 * x[1] - x[2] / 500 + (unif(&r) - 0.5) * 0.3;
		YB[i] = s > 0 ? 5.0f : -3.0f;			/* labels -3, 5 */
		YM[i] = s < -0.5 ? 0.0f : s < 0.7 ? 1.0f : 2.0f;
		YR[i] = (float)(3 * x[0] + x[1] * x[1] + (unif(&r) - 0.5));
	}
}

static void
test_bins(void)
{
	static float x[3000];
	denai_train_data d = { 3000, 1, x, NULL };
	tbins b;
	denai_err err;
	denai_rng r;
	int bad = 0;

	denai_rng_seed(&r, 7);
	for (int i = 0; i < 3000; i++)	/* many distinct values, some equal */
		x[i] = i % 3 ? (float)unif(&r) : (float)(i % 50) * 0.25f;
	ok(denai_tbins_build(&b, &d, 255, 2, &err) == 0, "bins: built");
	ok(b.nbins[0] > 200 && b.nbins[0] <= 255, "bins: %d bins",
	    b.nbins[0]);
	for (int i = 0; i < 3000; i++)
		for (int e = 0; e + 1 < b.nbins[0]; e++)
			bad += (x[i] <= b.edge[e]) != (b.bin[i] <= e);
	is_int(bad, 0, "bins: x <= edge[e] iff bin <= e, every row and edge");
	denai_tbins_free(&b);
	for (int i = 0; i < 3000; i++)
		x[i] = (float)(i % 4);
	ok(denai_tbins_build(&b, &d, 255, 1, &err) == 0 && b.nbins[0] == 4,
	    "bins: four values, four bins");
	denai_tbins_free(&b);
	/* adjacent floats: the edge must be the lower one */
	for (int i = 0; i < 3000; i++)
		x[i] = i % 2 ? 1.0f : nextafterf(1.0f, 2.0f);
	ok(denai_tbins_build(&b, &d, 255, 1, &err) == 0 && b.nbins[0] == 2 &&
	    b.edge[0] == 1.0f, "bins: adjacent floats split at the lower");
	denai_tbins_free(&b);
}

/* An int256 decimal (two's complement) as a double. */
static double
signed_of(const char *dec)
{
	denai_u256 a, z, neg;
	char buf[DENAI_U256_DEC_MAX];
	denai_err err;

	if (denai_u256_parse_dec(&a, dec, strlen(dec), &err) != 0)
		return NAN;
	if (strlen(dec) < 70)
		return strtod(dec, NULL);
	denai_u256_from_u64(&z, 0);
	(void)denai_u256_sub(&neg, &z, &a);
	return -strtod(denai_u256_to_dec(buf, &neg), NULL);
}

/* Predicts every row with our evaluator; returns accuracy or R^2. */
static double
evaluate(const uint8_t *buf, size_t len, const float *y, int regress)
{
	denai_graph *g = NULL;
	denai_err err;
	double right = 0, ss = 0, sr = 0, mean = 0;

	if (denai_graph_load_mem(&g, buf, len, NULL, &err) != 0) {
		diag("load: %s", err.msg);
		return -1;
	}
	for (size_t i = 0; i < ROWS; i++) {
		json_t *row = json_array();
		char pred[DENAI_U256_DEC_MAX];
		double v;

		for (size_t f = 0; f < COLS; f++)
			json_array_append_new(row, json_real(X[i * COLS + f]));
		if (denai_predict(g, row, regress ? 6 : 0, NULL, pred,
		    &err) != 0) {
			diag("predict: %s", err.msg);
			json_decref(row);
			denai_graph_free(g);
			return -1;
		}
		json_decref(row);
		v = signed_of(pred);
		if (regress) {
			v /= 1e6;
			sr += (v - y[i]) * (v - y[i]);
			mean += y[i];
		} else
			right += v == y[i];
	}
	denai_graph_free(g);
	if (!regress)
		return right / ROWS;
	mean /= ROWS;
	for (size_t i = 0; i < ROWS; i++)
		ss += (y[i] - mean) * (y[i] - mean);
	return 1 - sr / ss;
}

static void
one(int algo, int kind, const float *y, const char *name, double want)
{
	denai_train_data d = { ROWS, COLS, X, y };
	denai_train_opts o;
	denai_train_metrics mt;
	denai_err err;
	uint8_t *b1 = NULL, *b2 = NULL;
	size_t n1 = 0, n2 = 0;
	double q;

	for (int th = 1; th <= 2; th++) {
		denai_trained *m;
		uint8_t **b = th == 1 ? &b1 : &b2;
		size_t *n = th == 1 ? &n1 : &n2;

		denai_train_defaults(&o, algo, kind);
		o.trees = 20;
		o.threads = th;
		o.seed = 99;
		o.iters = 200;
		m = denai_train(&d, &o, &mt, &err);
		if (!ok(m != NULL, "%s: trains on %d thread(s)", name, th)) {
			diag("%s", err.msg);
			return;
		}
		ok(denai_trained_onnx(m, "test", b, n, &err) == 0,
		    "%s: exports", name);
		denai_trained_free(m);
	}
	ok(n1 == n2 && n1 > 0 && memcmp(b1, b2, n1) == 0,
	    "%s: same bytes on 1 and 2 threads (%zu)", name, n1);
	q = evaluate(b1, n1, y, kind == DENAI_KIND_REGRESS);
	ok(q >= want, "%s: evaluator %s %.4f >= %.2f (training said %.4f)",
	    name, kind == DENAI_KIND_REGRESS ? "R^2" : "accuracy", q, want,
	    kind == DENAI_KIND_REGRESS ? mt.r2 : mt.accuracy);
	free(b1);
	free(b2);
}

/* Big enough that every threaded path runs (histograms, the split scan,
 * gradients, linear blocks): the bytes must not depend on the threads. */
static void
test_wide(void)
{
	enum { WR = 17000, WC = 260 };
	float *x = malloc((size_t)WR * WC * sizeof(float));
	float *y = malloc(WR * sizeof(float));
	denai_rng r;

	denai_rng_seed(&r, 11);
	for (size_t i = 0; i < WR; i++) {
		double s = 0;

		for (size_t f = 0; f < WC; f++) {
			x[i * WC + f] = (float)(int)(unif(&r) * 300);
			s += f < 8 ? x[i * WC + f] * (f % 2 ? 1 : -1) : 0;
		}
		y[i] = s + (unif(&r) - 0.5) * 100 > 0;
	}
	for (int algo = 0; algo < 3; algo++) {
		denai_train_data d = { WR, WC, x, y };
		denai_train_opts o;
		uint8_t *b[2] = { NULL, NULL };
		size_t n[2] = { 0, 0 };
		denai_err err;

		for (int th = 0; th < 2; th++) {
			denai_trained *m;

			denai_train_defaults(&o, algo, DENAI_KIND_CLASSIFY);
			o.trees = 3;
			o.iters = 5;
			o.threads = th + 1;
			m = denai_train(&d, &o, NULL, &err);
			if (m == NULL || denai_trained_onnx(m, NULL, &b[th],
			    &n[th], &err) != 0)
				diag("%s", err.msg);
			denai_trained_free(m);
		}
		ok(n[0] > 0 && n[0] == n[1] && memcmp(b[0], b[1], n[0]) == 0,
		    "wide %s: same bytes on 1 and 2 threads",
		    denai_train_algo_name(algo));
		free(b[0]);
		free(b[1]);
	}
	free(x);
	free(y);
}

static void
test_errors(void)
{
	float y1[ROWS], yf[ROWS];
	denai_train_data d = { ROWS, COLS, X, y1 };
	denai_train_opts o;
	denai_err err;

	for (int i = 0; i < ROWS; i++) {
		y1[i] = 1.0f;
		yf[i] = i % 2 ? 0.5f : 1.0f;
	}
	denai_train_defaults(&o, DENAI_ALGO_GBT, DENAI_KIND_CLASSIFY);
	ok(denai_train(&d, &o, NULL, &err) == NULL && err.code == DENAI_EDATA,
	    "one class is refused: %s", err.msg);
	d.y = yf;
	ok(denai_train(&d, &o, NULL, &err) == NULL && err.code == DENAI_EDATA,
	    "a fractional class label is refused: %s", err.msg);
	o.bins = 256;
	d.y = YB;
	ok(denai_train(&d, &o, NULL, &err) == NULL &&
	    err.code == DENAI_EUSAGE, "256 bins are refused");
}

int
main(void)
{
	make_data();
	test_bins();
	one(DENAI_ALGO_GBT, DENAI_KIND_CLASSIFY, YB, "gbt binary", 0.9);
	one(DENAI_ALGO_GBT, DENAI_KIND_CLASSIFY, YM, "gbt multiclass", 0.85);
	one(DENAI_ALGO_GBT, DENAI_KIND_REGRESS, YR, "gbt regression", 0.9);
	one(DENAI_ALGO_RF, DENAI_KIND_CLASSIFY, YB, "rf binary", 0.9);
	one(DENAI_ALGO_RF, DENAI_KIND_CLASSIFY, YM, "rf multiclass", 0.85);
	one(DENAI_ALGO_RF, DENAI_KIND_REGRESS, YR, "rf regression", 0.8);
	one(DENAI_ALGO_LINEAR, DENAI_KIND_CLASSIFY, YB, "logistic binary", 0.9);
	one(DENAI_ALGO_LINEAR, DENAI_KIND_CLASSIFY, YM, "logistic multiclass",
	    0.8);
	one(DENAI_ALGO_LINEAR, DENAI_KIND_REGRESS, YR, "linear regression",
	    0.8);
	test_wide();
	test_errors();
	return done_testing();
}
