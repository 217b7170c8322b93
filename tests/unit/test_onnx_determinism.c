/*
 * test_onnx_determinism.c - the evaluator gives identical output bits on
 * every run, and whether graphs run in one thread or in two at once.
 *
 * Models: one built here (MatMul, Add, Tanh, Exp, Log, Sigmoid, Softmax,
 * ReduceSum over a batch) and every .onnx file in examples/models (run
 * from the repository root). Inputs are pseudo-random rows from a fixed
 * seed, fed to every float/double input of declared rank.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/graph.h"
#include "test_onnx_build.h"

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define SERIES 40
#define BATCH 5

struct series {
	const uint8_t *model;
	size_t len;
	uint8_t *out;			/* every output of every run */
	size_t n, cap;
	char err[256];
	int rc;
};

static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
append(struct series *s, const void *p, size_t n)
{
	if (s->n + n > s->cap) {
		s->cap = (s->n + n) * 2;
		if ((s->out = realloc(s->out, s->cap)) == NULL)
			abort();
	}
	memcpy(s->out + s->n, p, n);
	s->n += n;
}

static int
fill(denai_graph *g, uint64_t *seed, denai_err *err)
{
	for (int i = 0; i < denai_graph_ninputs(g); i++) {
		const denai_value_info *vi = denai_graph_input_info(g, i);
		denai_tensor *t = denai_graph_input(g, i);
		int64_t dims[DENAI_MAX_RANK];

		if (vi->rank < 0 || (vi->dtype != DENAI_DT_FLOAT &&
		    vi->dtype != DENAI_DT_DOUBLE))
			return denai_err_set(err, DENAI_EUNSUP,
			    "input %s: not a float tensor of known rank",
			    vi->name);
		for (int d = 0; d < vi->rank; d++)
			dims[d] = vi->dims[d] >= 0 ? vi->dims[d] : BATCH;
		if (denai_tensor_reshape(t, vi->dtype, vi->rank, dims,
		    err) != 0)
			return -1;
		for (size_t e = 0; e < t->count; e++) {
			/* in [-4, 4), with a spread of magnitudes */
			double v = (double)(next(seed) >> 11) * 0x1p-53 * 8 -
			    4;

			if (e % 3 == 0)
				v *= 100;
			if (vi->dtype == DENAI_DT_FLOAT)
				DENAI_T_F32(t)[e] = (float)v;
			else
				DENAI_T_F64(t)[e] = v;
		}
	}
	return 0;
}

static void *
run_series(void *arg)
{
	struct series *s = arg;
	denai_graph *g = NULL;
	denai_err err;
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	s->rc = -1;
	if (denai_graph_load_mem(&g, s->model, s->len, NULL, &err) != 0)
		goto fail;
	for (int r = 0; r < SERIES; r++) {
		if (fill(g, &seed, &err) != 0 || denai_graph_run(g, &err) != 0)
			goto fail;
		for (int o = 0; o < denai_graph_noutputs(g); o++) {
			const denai_tensor *t = denai_graph_output(g, o);

			append(s, t->dims, sizeof(int64_t) * (size_t)t->rank);
			if (t->dtype == DENAI_DT_STRING)
				for (size_t e = 0; e < t->count; e++)
					append(s, DENAI_T_STR(t)[e],
					    strlen(DENAI_T_STR(t)[e]) + 1);
			else
				append(s, t->data, t->count *
				    denai_dtype_size(t->dtype));
		}
	}
	s->rc = 0;
	denai_graph_free(g);
	return NULL;
fail:
	snprintf(s->err, sizeof(s->err), "%s", err.msg);
	denai_graph_free(g);
	return NULL;
}

static void
check_model(const char *name, const uint8_t *model, size_t len)
{
	struct series a[3], t[2];
	pthread_t th[2];
	int same = 1;

	memset(a, 0, sizeof(a));
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 3; i++) {
		a[i].model = model;
		a[i].len = len;
		run_series(&a[i]);
	}
	if (a[0].rc != 0) {
		skip(a[0].err);
		goto out;
	}
	for (int i = 1; i < 3; i++)
		same &= a[i].rc == 0 && a[i].n == a[0].n &&
		    memcmp(a[i].out, a[0].out, a[0].n) == 0;
	ok(same, "%s: 3 runs of %d batches give identical bits (%zu bytes)",
	    name, SERIES, a[0].n);
	for (int i = 0; i < 2; i++) {
		t[i].model = model;
		t[i].len = len;
		if (pthread_create(&th[i], NULL, run_series, &t[i]) != 0)
			abort();
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	same = 1;
	for (int i = 0; i < 2; i++)
		same &= t[i].rc == 0 && t[i].n == a[0].n &&
		    memcmp(t[i].out, a[0].out, a[0].n) == 0;
	ok(same, "%s: two graphs in two threads give the one-thread bits",
	    name);
out:
	for (int i = 0; i < 3; i++)
		free(a[i].out);
	for (int i = 0; i < 2; i++)
		free(t[i].out);
}

/* A small network with the transcendental functions and reductions. */
static void
built_model(struct pbw *m)
{
	struct pbw g = PBW, at = PBW;
	float w1[6 * 8], b1[8], w2[8 * 3];
	uint64_t s = 42;

	for (int i = 0; i < 48; i++)
		w1[i] = (float)((double)(next(&s) >> 11) * 0x1p-53 - 0.5);
	for (int i = 0; i < 8; i++)
		b1[i] = (float)((double)(next(&s) >> 11) * 0x1p-53 - 0.5);
	for (int i = 0; i < 24; i++)
		w2[i] = (float)((double)(next(&s) >> 11) * 0x1p-53 - 0.5);
	pw_init(&g, "w1", DENAI_DT_FLOAT, (const int64_t[]){ 6, 8 }, 2, w1,
	    sizeof(w1));
	pw_init(&g, "b1", DENAI_DT_FLOAT, (const int64_t[]){ 8 }, 1, b1,
	    sizeof(b1));
	pw_init(&g, "w2", DENAI_DT_FLOAT, (const int64_t[]){ 8, 3 }, 2, w2,
	    sizeof(w2));
	pw_node(&g, "MatMul", "mm1", IN("x", "w1"), IN("h0"), NULL, NULL);
	pw_node(&g, "Add", "add1", IN("h0", "b1"), IN("h1"), NULL, NULL);
	pw_node(&g, "Tanh", "tanh", IN("h1"), IN("h2"), NULL, NULL);
	pw_node(&g, "MatMul", "mm2", IN("h2", "w2"), IN("z"), NULL, NULL);
	pw_attr_int(&at, "axis", 1);
	pw_node(&g, "Softmax", "sm", IN("z"), IN("p"), &at, NULL);
	pw_node(&g, "Sigmoid", "sg", IN("h1"), IN("q"), NULL, NULL);
	pw_node(&g, "Exp", "ex", IN("q"), IN("eq"), NULL, NULL);
	pw_node(&g, "Log", "lg", IN("eq"), IN("lq"), NULL, NULL);
	at = (struct pbw)PBW;
	pw_attr_int(&at, "keepdims", 0);
	pw_node(&g, "ReduceSum", "rs", IN("lq"), IN("r"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1, 6 }, 2);
	pw_value(&g, 12, "p", DENAI_DT_FLOAT, NULL, -1);
	pw_value(&g, 12, "r", DENAI_DT_FLOAT, NULL, -1);
	pw_model(m, &g, 13, 0);
}

int
main(void)
{
	struct pbw m = PBW;
	DIR *d;
	struct dirent *e;

	built_model(&m);
	check_model("built-in network", m.b, m.n);
	free(m.b);
	if ((d = opendir("examples/models")) == NULL) {
		diag("no examples/models here: only the built-in model");
		return done_testing();
	}
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		uint8_t *buf;
		size_t len;
		denai_err err;
		size_t nl = strlen(e->d_name);

		if (nl < 5 || strcmp(e->d_name + nl - 5, ".onnx") != 0)
			continue;
		snprintf(path, sizeof(path), "examples/models/%s", e->d_name);
		if (denai_model_file_read(&buf, &len, path, (size_t)1 << 30,
		    &err) != 0) {
			ok(0, "%s: %s", path, err.msg);
			continue;
		}
		check_model(e->d_name, buf, len);
		free(buf);
	}
	closedir(d);
	return done_testing();
}
