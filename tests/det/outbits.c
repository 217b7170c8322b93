/*
 * outbits.c - prints, for a fixed set of evaluations, a hash of the output
 * bits: one line per case, "name sets hash". Two builds of the evaluator
 * agree when their lines agree; tests/det/ (the .t files) compare the native build with
 * an arm64 build run under qemu-user and with a build made under hostile
 * CFLAGS.
 *
 * Cases: every ONNX node conformance case under DIR/onnx-node-tests (its
 * own inputs), and every .onnx model under MODELS fed pseudo-random rows
 * from a fixed seed, with infinities, NaNs, subnormals and -0 among them.
 * Then every elementwise and reduce operator below, on float and double
 * tensors full of specials (-0 first of all: a Relu compiled to fmax loses
 * its sign on some targets).
 * NaN payloads are not part of the promise (they never reach the chain), so
 * every NaN is hashed as one canonical NaN.
 *
 * usage: outbits SHARED_DIR MODELS_DIR
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx/fpenv.h"
#include "onnx/graph.h"
#include "onnx/model.h"
#include "train/rng.h"
#include "train/train.h"
#include "../unit/test_onnx_build.h"

#define ROWS 64
#define BATCH 4

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t
hash_tensor(uint64_t h, const denai_tensor *t)
{
	h = fnv(h, &t->dtype, sizeof(t->dtype));
	h = fnv(h, t->dims, sizeof(int64_t) * (size_t)t->rank);
	for (size_t e = 0; e < t->count; e++) {
		switch (t->dtype) {
		case DENAI_DT_FLOAT: {
			float v = DENAI_T_F32(t)[e];

			if (isnan(v))
				v = NAN;
			h = fnv(h, &v, sizeof(v));
			break;
		}
		case DENAI_DT_DOUBLE: {
			double v = DENAI_T_F64(t)[e];

			if (isnan(v))
				v = NAN;
			h = fnv(h, &v, sizeof(v));
			break;
		}
		case DENAI_DT_STRING:
			h = fnv(h, DENAI_T_STR(t)[e],
			    strlen(DENAI_T_STR(t)[e]) + 1);
			break;
		default:
			h = fnv(h, (const char *)t->data +
			    e * denai_dtype_size(t->dtype),
			    denai_dtype_size(t->dtype));
		}
	}
	return h;
}

static uint64_t
hash_outputs(uint64_t h, const denai_graph *g)
{
	for (int o = 0; o < denai_graph_noutputs(g); o++)
		h = hash_tensor(h, denai_graph_output(g, o));
	return h;
}

static int
read_tensor(denai_tensor *t, char **name, const char *path, denai_err *err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (denai_model_file_read(&buf, &len, path, (size_t)1 << 30, err) != 0)
		return -1;
	rc = denai_tensor_parse(t, name, buf, len, err);
	free(buf);
	return rc;
}

/* One conformance case: its model on each of its input sets. */
static void
conformance_case(const char *dir, const char *name)
{
	char path[4096];
	denai_graph *g = NULL;
	denai_tensor *t = NULL;
	denai_err err;
	uint64_t h = 0xcbf29ce484222325ull;
	int sets = 0;
	struct stat ds;

	if (stat(dir, &ds) != 0 || !S_ISDIR(ds.st_mode))
		return;		/* the folder's README */
	snprintf(path, sizeof(path), "%s/model.onnx", dir);
	if (denai_graph_load_file(&g, path, NULL, &err) != 0 ||
	    (t = denai_tensor_new()) == NULL) {
		printf("%s load-error\n", name);
		goto out;
	}
	for (int set = 0;; set++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/test_data_set_%d", dir, set);
		if (stat(path, &st) != 0)
			break;
		for (int i = 0; i < denai_graph_ninputs(g); i++) {
			char *in = NULL;
			int k;

			snprintf(path, sizeof(path),
			    "%s/test_data_set_%d/input_%d.pb", dir, set, i);
			if (read_tensor(t, &in, path, &err) != 0) {
				printf("%s input-error\n", name);
				free(in);
				goto out;
			}
			k = in != NULL ? denai_graph_input_index(g, in) : -1;
			free(in);
			if (denai_graph_set_input(g, k >= 0 ? k : i, t,
			    &err) != 0) {
				printf("%s input-error\n", name);
				goto out;
			}
		}
		if (denai_graph_run(g, &err) != 0) {
			printf("%s run-error\n", name);
			goto out;
		}
		h = hash_outputs(h, g);
		sets++;
	}
	printf("%s %d %016llx\n", name, sets, (unsigned long long)h);
out:
	denai_tensor_free(t);
	denai_graph_free(g);
}

static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A value in [-4, 4), a spread of magnitudes, and now and then a special. */
static double
draw(uint64_t *s)
{
	static const double special[] = { INFINITY, -INFINITY, NAN, -0.0,
	    0x1p-140, -0x1p-149, 0x1p-1030, 3.4028234663852886e38 };
	uint64_t r = next(s);
	double v = (double)(r >> 11) * 0x1p-53 * 8 - 4;

	if (r % 29 == 0)
		return special[(r >> 5) % 8];
	if (r % 3 == 0)
		v *= 100;
	return v;
}

static int
fill_raw(denai_graph *g, uint64_t *seed, denai_err *err)
{
	for (int i = 0; i < denai_graph_ninputs(g); i++) {
		const denai_value_info *vi = denai_graph_input_info(g, i);
		denai_tensor *t = denai_graph_input(g, i);
		int64_t dims[DENAI_MAX_RANK];

		if (vi->rank < 0 || (vi->dtype != DENAI_DT_FLOAT &&
		    vi->dtype != DENAI_DT_DOUBLE))
			return denai_err_set(err, DENAI_EUNSUP,
			    "input %s: not a float tensor", vi->name);
		for (int d = 0; d < vi->rank; d++)
			dims[d] = vi->dims[d] >= 0 ? vi->dims[d] : BATCH;
		if (denai_tensor_reshape(t, vi->dtype, vi->rank, dims,
		    err) != 0)
			return -1;
		for (size_t e = 0; e < t->count; e++) {
			double v = draw(seed);

			if (vi->dtype == DENAI_DT_FLOAT)
				DENAI_T_F32(t)[e] = (float)v;
			else
				DENAI_T_F64(t)[e] = v;
		}
	}
	return 0;
}

/*
 * The inputs are made with IEEE subnormals whatever the process runs with
 * (a -Ofast build starts with flush-to-zero on): the harness's own double
 * to float conversions must not differ between builds. The evaluator sets
 * its environment itself, and that is what is under test.
 */
static int
fill(denai_graph *g, uint64_t *seed, denai_err *err)
{
	denai_fpenv env;
	int rc;

	denai_fpenv_enter(&env);
	rc = fill_raw(g, seed, err);
	denai_fpenv_leave(&env);
	return rc;
}

static void
random_rows(const char *path, const char *name)
{
	denai_graph *g = NULL;
	denai_err err;
	uint64_t seed = 0x9e3779b97f4a7c15ull, h = 0xcbf29ce484222325ull;
	int r;

	if (denai_graph_load_file(&g, path, NULL, &err) != 0) {
		printf("%s load-error\n", name);
		return;
	}
	for (r = 0; r < ROWS; r++) {
		if (fill(g, &seed, &err) != 0 || denai_graph_run(g, &err) != 0) {
			printf("%s run-error\n", name);
			goto out;
		}
		h = hash_outputs(h, g);
	}
	printf("%s %d %016llx\n", name, r, (unsigned long long)h);
out:
	denai_graph_free(g);
}

/* y = op(x[, x2]) on a 16 x 16 tensor; reductions over axis 1. */
static void
one_op(const char *op, int dtype, int binary, int reduce)
{
	static const int64_t dims[] = { 16, 16 };
	struct pbw g = PBW, m = PBW, at = PBW;
	denai_graph *gr = NULL;
	denai_err err;
	uint64_t seed = 0x243f6a8885a308d3ull, h = 0xcbf29ce484222325ull;
	char name[64];

	snprintf(name, sizeof(name), "op_%s_%s", op,
	    dtype == DENAI_DT_FLOAT ? "f32" : "f64");
	if (reduce) {
		pw_attr_ints(&at, "axes", (const int64_t[]){ 1 }, 1);
		pw_attr_int(&at, "keepdims", 0);
	}
	pw_node(&g, op, "n0", binary ? (const char *[]){ "x", "x2", NULL } :
	    (const char *[]){ "x", NULL }, (const char *[]){ "y", NULL },
	    reduce ? &at : NULL, NULL);
	pw_value(&g, 11, "x", dtype, dims, 2);
	if (binary)
		pw_value(&g, 11, "x2", dtype, dims, 2);
	pw_value(&g, 12, "y", dtype, NULL, -1);
	pw_model(&m, &g, reduce ? 11 : 17, 0);
	if (denai_graph_load_mem(&gr, m.b, m.n, NULL, &err) != 0) {
		printf("%s load-error\n", name);
		goto out;
	}
	for (int r = 0; r < 4; r++) {
		if (fill(gr, &seed, &err) != 0) {
			printf("%s input-error\n", name);
			goto out;
		}
		if (r == 0) {	/* the specials, one of each, up front */
			denai_fpenv env;

			static const double sp[] = { -0.0, 0.0, INFINITY,
			    -INFINITY, NAN, 0x1p-149, -0x1p-149, 0x1p-1074,
			    -0x1p-1074, 1e-310, 3.4028234663852886e38, -1,
			    1, 0.5, -0.5, 88.72283935546875 };

			denai_fpenv_enter(&env);

			for (int i = 0; i < denai_graph_ninputs(gr); i++) {
				denai_tensor *t = denai_graph_input(gr, i);

				for (size_t e = 0; e < 16; e++) {
					size_t k = (e + (size_t)i) % 16;

					if (dtype == DENAI_DT_FLOAT)
						DENAI_T_F32(t)[e] = (float)sp[k];
					else
						DENAI_T_F64(t)[e] = sp[k];
				}
			}
			denai_fpenv_leave(&env);
		}
		if (denai_graph_run(gr, &err) != 0) {
			printf("%s run-error\n", name);
			goto out;
		}
		h = hash_outputs(h, gr);
	}
	printf("%s 4 %016llx\n", name, (unsigned long long)h);
out:
	denai_graph_free(gr);
	free(m.b);
}

static void
every_op(void)
{
	static const char *unary[] = { "Relu", "LeakyRelu", "Sigmoid", "Tanh",
	    "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil",
	    "Round", "Sign", "Softplus", "Elu", "Selu", "HardSigmoid",
	    "HardSwish", "Softsign", "ThresholdedRelu",
	    "Identity", "Softmax", "LogSoftmax", NULL };
	static const char *binary[] = { "Add", "Sub", "Mul", "Div", "Pow",
	    "Max", "Min", "Sum", "Mean", "PRelu", "Less", "Greater", "Equal",
	    "LessOrEqual", "GreaterOrEqual", NULL };
	static const char *reduce[] = { "ReduceSum", "ReduceMean",
	    "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
	    "ReduceLogSumExp", "ReduceSumSquare", "ReduceLogSum", NULL };
	static const int types[] = { DENAI_DT_FLOAT, DENAI_DT_DOUBLE };

	for (int t = 0; t < 2; t++) {
		for (int i = 0; unary[i]; i++)
			one_op(unary[i], types[t], 0, 0);
		for (int i = 0; binary[i]; i++)
			one_op(binary[i], types[t], 1, 0);
		for (int i = 0; reduce[i]; i++)
			one_op(reduce[i], types[t], 0, 1);
	}
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls fn on each entry of dir whose name ends in suffix, sorted. */
static int
each(const char *dir, const char *suffix, void (*fn)(const char *,
    const char *))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, sl = strlen(suffix);

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (e->d_name[0] == '.' || l < sl ||
		    strcmp(e->d_name + l - sl, suffix) != 0)
			continue;
		if (n == cap && (names = realloc(names,
		    (cap = cap ? cap * 2 : 64) * sizeof(*names))) == NULL)
			abort();
		if ((names[n++] = strdup(e->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fn(path, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* The trainer: every algorithm and kind on a fixed synthetic set, one
 * line per model with a hash of its ONNX bytes (which must not depend on
 * the compiler, its flags or the architecture). */
static void
train_models(void)
{
	enum { R = 400, C = 5 };
	static float x[R * C], yb[R], ym[R], yr[R];
	static const char *const kinds[] = { "binary", "multi", "reg" };
	denai_rng r;

	denai_rng_seed(&r, 5);
	for (int i = 0; i < R; i++) {
		double s = 0;

		for (int f = 0; f < C; f++) {
			x[i * C + f] = (float)((double)(denai_rng_next(&r) >> 11) /
			    9007199254740992.0 * 4 - 2);
			s += (f + 1) * x[i * C + f] * (f % 2 ? -1 : 1);
		}
		yb[i] = s > 0;
		ym[i] = s < -1 ? 0 : s < 1 ? 1 : 2;
		yr[i] = (float)(s * s / 3 + x[i * C]);
	}
	for (int a = 0; a < 3; a++)
		for (int k = 0; k < 3; k++) {
			denai_train_data d = { R, C, x, k == 0 ? yb : k == 1 ?
			    ym : yr };
			denai_train_opts o;
			denai_trained *m;
			denai_err err;
			uint8_t *buf = NULL;
			size_t len = 0;

			denai_train_defaults(&o, a, k == 2 ? DENAI_KIND_REGRESS :
			    DENAI_KIND_CLASSIFY);
			o.trees = 10;
			o.iters = 50;
			o.seed = 3;
			if ((m = denai_train(&d, &o, NULL, &err)) == NULL ||
			    denai_trained_onnx(m, NULL, &buf, &len, &err) != 0)
				printf("train_%s_%s error\n",
				    denai_train_algo_name(a), kinds[k]);
			else
				printf("train_%s_%s %zu %016llx\n",
				    denai_train_algo_name(a), kinds[k], len,
				    (unsigned long long)fnv(14695981039346656037ull,
				    buf, len));
			denai_trained_free(m);
			free(buf);
		}
}

int
main(int argc, char **argv)
{
	char dir[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: outbits SHARED_DIR MODELS_DIR\n");
		return 64;
	}
	snprintf(dir, sizeof(dir), "%s/onnx-node-tests", argv[1]);
	if (each(dir, "", conformance_case) != 0) {
		fprintf(stderr, "outbits: cannot read %s\n", dir);
		return 66;
	}
	if (each(argv[2], ".onnx", random_rows) != 0) {
		fprintf(stderr, "outbits: cannot read %s\n", argv[2]);
		return 66;
	}
	every_op();
	train_models();
	return 0;
}
