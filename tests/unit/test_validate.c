/* test_validate.c - scoring models built here against the protocol's
 * limits (nodes, declared elements, work per row), input shapes and types
 * (float fast path, double and int64 through the oracle's JSON feeding),
 * a model that fails on one row (the same first row whatever the threads),
 * and test-set verdicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "test_onnx_build.h"
#include "onnx/tensor.h"
#include "validate/validate.h"

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char dir[] = "/tmp/test_validate_XXXXXX";

static const char *
put(const char *name, const void *p, size_t n)
{
	static char path[8][256];
	static int k;
	char *s = path[k++ % 8];
	FILE *f;

	snprintf(s, 256, "%s/%s", dir, name);
	if ((f = fopen(s, "wb")) == NULL || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
	return s;
}

static const char *
put_model(const char *name, struct pbw *g, int opset)
{
	struct pbw m = PBW;
	const char *p;

	pw_model(&m, g, opset, 0);
	p = put(name, m.b, m.n);
	free(m.b);
	return p;
}

/* Scores model on the CSV text; returns the reason or the score. */
static const char *
score(const char *model, const char *csv, int kind, unsigned dec, int jobs)
{
	static char out[300];
	struct denai_testset ts;
	struct denai_model_score ms;
	denai_err err;

	if (denai_testset_load(&ts, put("t.csv", csv, strlen(csv)), NULL, "y",
	    kind, dec, denai_limits_get(1), &err) != 0)
		return snprintf(out, sizeof(out), "error %s", err.msg), out;
	if (!ts.valid) {
		snprintf(out, sizeof(out), "test: %s", ts.reason);
		denai_testset_free(&ts);
		return out;
	}
	if (denai_validate_model(&ms, model, &ts, denai_limits_get(1), jobs,
	    &err) != 0)
		snprintf(out, sizeof(out), "error %s", err.msg);
	else if (!ms.valid)
		snprintf(out, sizeof(out), "%s", ms.reason);
	else
		denai_int256_to_dec(out, &ms.score);
	denai_testset_free(&ts);
	return out;
}

static void
like(const char *got, const char *want, const char *name)
{
	if (!ok(strstr(got, want) != NULL, "%s", name)) {
		diag("got:  %s", got);
		diag("want: %s", want);
	}
}

int
main(void)
{
	struct pbw g = PBW, a = PBW;
	const char *m;
	char name[32];

	if (mkdtemp(dir) == NULL)
		return 1;

	/* Identity on float [N,2]: the first value is the prediction. */
	pw_node(&g, "Identity", "id", IN("x"), IN("p"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){ -1, 2 }, 2);
	pw_value(&g, 12, "p", DENAI_DT_FLOAT, (int64_t[]){ -1, 2 }, 2);
	m = put_model("id.onnx", &g, 13);
	g = (struct pbw)PBW;
	is_str(score(m, "a,b,y\n1.5,0,1\n-2.5,9,-2\n-2.25,0,-2\n", 1, 0, 1),
	    "-2", "regression: predictions round half away from zero");
	is_str(score(m, "a,y,b\n1.25,1.2,0\n0.5,0.5,0\n", 1, 1, 1),
	    "-1", "decimals 1: 13 vs 12, 5 vs 5");
	is_str(score(m, "a,b,y\n1,0,1\n2,0,3\n", 0, 0, 2),
	    "1", "classification on a float output: round(v) == label");
	like(score(m, "a,b,c,y\n1,0,0,1\n", 0, 0, 1),
	    "wrong input width: 'x' takes [N,2], a row has 3 features",
	    "wrong width");
	like(score(m, "a,b,y\n1,0,1.5\n", 0, 0, 1),
	    "test: line 2 (row 1): the label '1.5' is not an integer",
	    "a fractional class label makes the test set invalid");

	/* Double input: fed from the texts, as the JSON path does. */
	pw_node(&g, "Identity", "id", IN("x"), IN("p"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_DOUBLE, (int64_t[]){ 2 }, 1);
	pw_value(&g, 12, "p", DENAI_DT_DOUBLE, (int64_t[]){ 2 }, 1);
	m = put_model("dbl.onnx", &g, 13);
	g = (struct pbw)PBW;
	is_str(score(m, "a,b,y\n0.1000000000000000055511151231257827,0,0.1\n",
	    1, 18, 1), "-36", "a double input keeps the text's double");

	/* Log: NaN on a negative row; the reason names the first bad row. */
	pw_node(&g, "Log", "log", IN("x"), IN("p"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	pw_value(&g, 12, "p", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	m = put_model("log.onnx", &g, 13);
	g = (struct pbw)PBW;
	{
		char csv[20000];
		size_t o = (size_t)sprintf(csv, "x,y\n");

		for (int i = 0; i < 1000; i++)
			o += (size_t)sprintf(csv + o, "%d,0\n",
			    i == 700 || i == 900 ? -1 : 1);
		like(score(m, csv, 1, 0, 1), "no prediction for row 701",
		    "NaN on row 701: invalid");
		like(score(m, csv, 1, 0, 4), "no prediction for row 701",
		    "  the same reason with 4 threads");
	}

	/* Two inputs. */
	pw_node(&g, "Add", "add", IN("x", "z"), IN("p"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	pw_value(&g, 11, "z", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	pw_value(&g, 12, "p", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	m = put_model("two.onnx", &g, 13);
	g = (struct pbw)PBW;
	like(score(m, "x,y\n1,1\n", 1, 0, 1), "wrong input: the model has 2 "
	    "inputs", "two inputs");

	/* 10,001 nodes. */
	for (int i = 0; i < 10001; i++) {
		char in[32], out[32];

		snprintf(in, sizeof(in), i ? "v%d" : "x", i);
		snprintf(out, sizeof(out), i == 10000 ? "p" : "v%d", i + 1);
		snprintf(name, sizeof(name), "n%d", i);
		pw_node(&g, "Relu", name, IN(in), IN(out), NULL, NULL);
	}
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	pw_value(&g, 12, "p", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	m = put_model("deep.onnx", &g, 13);
	g = (struct pbw)PBW;
	like(score(m, "x,y\n1,1\n", 1, 0, 1), "breaks a limit: the model has "
	    "10001 nodes, over the limit of 10000", "10,001 nodes");

	/* A declared output of 2^24 + 1 elements. */
	pw_node(&g, "Identity", "id", IN("x"), IN("p"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){ -1, 1 }, 2);
	pw_value(&g, 12, "p", DENAI_DT_FLOAT, (int64_t[]){ 16777217 }, 1);
	m = put_model("wide.onnx", &g, 13);
	g = (struct pbw)PBW;
	like(score(m, "x,y\n1,1\n", 1, 0, 1), "breaks a limit: 'p' is "
	    "declared with 16777217 elements", "2^24 + 1 declared elements");

	/* Work: 40 MatMuls by a 1023 x 1023 matrix, ~2^21 each. */
	{
		float *w = calloc(1023 * 1023, sizeof(float));
		char csv[8192];
		size_t o = 0;

		for (int i = 0; i < 1023; i++)
			w[i * 1023 + i] = 1;
		pw_init(&g, "W", DENAI_DT_FLOAT, (int64_t[]){ 1023, 1023 }, 2,
		    w, 1023 * 1023 * sizeof(float));
		free(w);
		for (int i = 0; i < 40; i++) {
			char in[32], out[32];

			snprintf(in, sizeof(in), i ? "v%d" : "x", i);
			snprintf(out, sizeof(out), i == 39 ? "p" : "v%d", i + 1);
			snprintf(name, sizeof(name), "mm%d", i);
			pw_node(&g, "MatMul", name, IN(in, "W"), IN(out), NULL,
			    NULL);
		}
		pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){ -1, 1023 },
		    2);
		pw_value(&g, 12, "p", DENAI_DT_FLOAT, (int64_t[]){ -1, 1023 },
		    2);
		m = put_model("work.onnx", &g, 13);
		g = (struct pbw)PBW;
		for (int i = 0; i < 1023; i++)
			o += (size_t)sprintf(csv + o, "c%d,", i);
		o += (size_t)sprintf(csv + o, "y\n");
		for (int i = 0; i < 1023; i++)
			o += (size_t)sprintf(csv + o, "1,");
		sprintf(csv + o, "1\n");
		like(score(m, csv, 1, 0, 1), "breaks a limit on row 1: the "
		    "model's work per row is", "40 products of 1023 x 1023: work per row over 2^26");
	}
	(void)a;
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			diag("could not remove %s", dir);
	}
	return done_testing();
}
