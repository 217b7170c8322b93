/* test_onnx_predict.c - data points to inputs (and their errors), outputs
 * to JSON (ZipMap included), and the exact on-chain value. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/predict.h"
#include "test_onnx_build.h"

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })
/* 2^256 - k, the int256 form of -k */
#define NEG1 "115792089237316195423570985008687907853269984665640564039457584007913129639935"
#define NEG3 "115792089237316195423570985008687907853269984665640564039457584007913129639933"
#define NEG13 "115792089237316195423570985008687907853269984665640564039457584007913129639923"

static denai_graph *
load(struct pbw *g, int opset, int ml)
{
	struct pbw m = PBW;
	denai_graph *gr = NULL;
	denai_err err;

	pw_model(&m, g, opset, ml);
	if (denai_graph_load_mem(&gr, m.b, m.n, NULL, &err) != 0) {
		diag("load: %s", err.msg);
		gr = NULL;
	}
	free(m.b);
	return gr;
}

static void
scale(double v, unsigned d, const char *want)
{
	denai_u256 r;
	denai_err err;
	char got[320];

	if (denai_predict_scale(&r, v, d, &err) != 0)
		snprintf(got, sizeof(got), "error: %s", err.msg);
	else
		denai_u256_to_dec(got, &r);
	if (!ok(strcmp(got, want) == 0, "round(%.17g * 10^%u)", v, d)) {
		diag("     got: %s", got);
		diag("    want: %s", want);
	}
}

static void
test_scale(void)
{
	scale(0, 0, "0");
	scale(-0.0, 3, "0");
	scale(2.5, 0, "3");
	scale(-2.5, 0, NEG3);
	scale(0.5, 0, "1");
	scale(-0.5, 0, NEG1);
	scale(0.49999999999999994, 0, "0");
	scale(0.125, 2, "13");			/* 12.5 exactly: away */
	scale(-0.125, 2, NEG13);
	scale(1.005, 2, "100");			/* 1.00499999999999989... */
	scale(200.87336730957031, 0, "201");
	scale(81.693305969238281, 0, "82");
	scale(1e-300, 5, "0");
	scale(123.456, 3, "123456");
	scale(9007199254740993.0, 0, "9007199254740992");
	scale(1e20, 18, "100000000000000000000000000000000000000");
	scale(ldexp(1, 254), 0,
	    "28948022309329048855892746252171976963317496166410141009864396001978282409984");
	scale(ldexp(1, 255), 0, "error: prediction does not fit an int256");
	scale(1e300, 0, "error: prediction does not fit an int256");
	scale(1.0, 78, "error: decimals 78 is over 77");
	scale(1.0, 77, "error: prediction does not fit an int256");
	scale(0.5, 76,
	    "5000000000000000000000000000000000000000000000000000000000000000000000000000");
	scale(-1.0, 76,
	    "105792089237316195423570985008687907853269984665640564039457584007913129639936");
	scale(NAN, 0, "error: the model's output is not a finite number");
	scale(INFINITY, 0, "error: the model's output is not a finite number");
}

/* y = Add(x, 1): float input [N,3]. */
static denai_graph *
model_add(void)
{
	struct pbw g = PBW;

	pw_init(&g, "one", DENAI_DT_FLOAT, NULL, 0, (const float[]){ 1 }, 4);
	pw_node(&g, "Add", "a", IN("x", "one"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1, 3 }, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, (const int64_t[]){ -1, 3 }, 2);
	return load(&g, 13, 0);
}

static void
feed_fails(denai_graph *g, const char *json, const char *want)
{
	json_t *d = json_loads(json, JSON_DECODE_ANY, NULL);
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(d != NULL && denai_predict_feed(g, d, &err) == -1, "%s fails",
	    json);
	is_str(err.msg, want, json);
	json_decref(d);
}

static void
predicts(denai_graph *g, const char *json, unsigned dec,
    const char *want_pred, const char *want_out)
{
	json_t *d = json_loads(json, 0, NULL), *out = NULL;
	char pred[DENAI_U256_DEC_MAX] = "", *s = NULL;
	denai_err err;

	if (!ok(d != NULL && denai_predict(g, d, dec, &out, pred, &err) == 0,
	    "%s predicts", json))
		diag("%s", err.msg);
	else {
		s = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		is_str(pred, want_pred, "prediction");
		is_str(s, want_out, "outputs");
	}
	free(s);
	json_decref(out);
	json_decref(d);
}

static void
test_feed(void)
{
	denai_graph *g = model_add();

	if (!ok(g != NULL, "add model loads"))
		return;
	predicts(g, "[1, 2.5, -3]", 0, "2", "{\"y\":[[2.0,3.5,-2.0]]}");
	predicts(g, "[[1, 2, 3], [4, 5, 6]]", 1, "20",
	    "{\"y\":[[2.0,3.0,4.0],[5.0,6.0,7.0]]}");
	predicts(g, "{\"x\": [[0.25, 0, 0]]}", 2, "125",
	    "{\"y\":[[1.25,1.0,1.0]]}");
	feed_fails(g, "[1, 2]", "input 'x' expects 3 features per row, got 2");
	feed_fails(g, "[[1, 2, 3], [4, 5]]",
	    "input 'x': ragged array: [1] has 2 values where the first has 3");
	feed_fails(g, "[[1, 2, 3], 4]",
	    "input 'x': ragged array: [1] has no list of 0 values where the "
	    "first has 3");
	feed_fails(g, "[[1, 2, 3], [4, 5, [6]]]",
	    "input 'x': ragged array: [1,2] is nested deeper than the first "
	    "row");
	feed_fails(g, "[1, \"2\", 3]", "input 'x': value at [1] is not a "
	    "number");
	feed_fails(g, "[1, null, 3]", "input 'x': value at [1] is not a "
	    "number");
	feed_fails(g, "[1, 1e39, 3]", "input 'x': value at [1] is out of "
	    "float range");
	feed_fails(g, "[[[1, 2, 3]]]", "input 'x' expects shape [N,3], got "
	    "[1,1,3]");
	feed_fails(g, "{\"z\": [1, 2, 3]}", "the model has no input called "
	    "'z'");
	feed_fails(g, "{}", "input 'x' is missing from the data");
	feed_fails(g, "\"hello\"", "the data must be a JSON array or an "
	    "object of arrays");
	feed_fails(g, "[[[[[[[[[1]]]]]]]]]", "input 'x': nested over 8 deep");
	denai_graph_free(g);
}

static void
test_labels(void)
{
	struct pbw g = PBW, at = PBW;
	denai_graph *gr;

	/* A LinearClassifier with string labels, then a ZipMap. */
	pw_attr_floats(&at, "coefficients", (const float[]){ 1, 0, -1, 0 },
	    4);
	pw_attr_floats(&at, "intercepts", (const float[]){ 0, 0 }, 2);
	pw_attr_strings(&at, "classlabels_strings",
	    (const char *const[]){ "pos", "neg" }, 2);
	pw_node(&g, "LinearClassifier", "lc", IN("x"), IN("label", "scores"),
	    &at, "ai.onnx.ml");
	at = (struct pbw)PBW;
	pw_attr_strings(&at, "classlabels_strings",
	    (const char *const[]){ "pos", "neg" }, 2);
	pw_node(&g, "ZipMap", "zm", IN("scores"), IN("probs"), &at,
	    "ai.onnx.ml");
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1, 2 }, 2);
	pw_value(&g, 12, "label", DENAI_DT_STRING, (const int64_t[]){ -1 },
	    1);
	pw_value(&g, 12, "probs", DENAI_DT_FLOAT, NULL, -1);
	if ((gr = load(&g, 13, 1)) == NULL) {
		ok(0, "linear classifier model loads");
		return;
	}
	predicts(gr, "[2, 5]", 0, "0",
	    "{\"label\":[\"pos\"],\"probs\":[{\"pos\":2.0,\"neg\":-2.0}]}");
	predicts(gr, "[[-1, 0], [3, 0]]", 0, "1",
	    "{\"label\":[\"neg\",\"pos\"],\"probs\":[{\"pos\":-1.0,\"neg\":1.0},"
	    "{\"pos\":3.0,\"neg\":-3.0}]}");
	denai_graph_free(gr);

	/* An int64 label: Cast of the input; negatives as int256. */
	g = (struct pbw)PBW;
	at = (struct pbw)PBW;
	pw_attr_int(&at, "to", DENAI_DT_INT64);
	pw_node(&g, "Cast", "c", IN("x"), IN("y"), &at, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1 }, 1);
	pw_value(&g, 12, "y", DENAI_DT_INT64, (const int64_t[]){ -1 }, 1);
	if ((gr = load(&g, 13, 0)) == NULL) {
		ok(0, "cast model loads");
		return;
	}
	predicts(gr, "[7.9]", 4, "7", "{\"y\":[7]}");
	predicts(gr, "[-3, 1]", 4, NEG3, "{\"y\":[-3,1]}");
	denai_graph_free(gr);
}

int
main(void)
{
	test_scale();
	test_feed();
	test_labels();
	return done_testing();
}
