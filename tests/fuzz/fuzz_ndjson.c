/*
 * fuzz_ndjson.c - a pipeline line: lib/record.c's parser, then the record's
 * data point (or the whole line read as JSON) fed to two small models
 * built once (a [N,3] float regressor, and a two-input double model):
 * feeding either fails with a message or runs, and outputs and the
 * prediction are produced without a crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/predict.h"
#include "node/record.h"
#include "../unit/test_onnx_build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static denai_graph *models[2];

static denai_graph *
build(int which)
{
	struct pbw g = PBW, m = PBW;
	denai_graph *gr = NULL;
	denai_err err;
	const char *const add_in[] = { "x", "one", NULL };
	const char *const two_in[] = { "a", "b", NULL };
	const char *const out[] = { "y", NULL };
	const float one = 1;

	if (which == 0) {
		pw_init(&g, "one", 1, NULL, 0, &one, 4);
		pw_node(&g, "Add", "add", add_in, out, NULL, NULL);
		pw_value(&g, 11, "x", 1, (const int64_t[]){ -1, 3 }, 2);
	} else {
		pw_node(&g, "Add", "add", two_in, out, NULL, NULL);
		pw_value(&g, 11, "a", 11, (const int64_t[]){ 2 }, 1);
		pw_value(&g, 11, "b", 11, (const int64_t[]){ -1, 2 }, 2);
	}
	pw_value(&g, 12, "y", which == 0 ? 1 : 11, NULL, -1);
	pw_model(&m, &g, 13, 0);
	if (denai_graph_load_mem(&gr, m.b, m.n, NULL, &err) != 0)
		abort();
	free(m.b);
	return gr;
}

static void
try_data(const json_t *d)
{
	for (int k = 0; k < 2; k++) {
		char pred[DENAI_U256_DEC_MAX];
		json_t *out = NULL;
		denai_err err;

		err.msg[0] = '\0';
		if (denai_predict(models[k], d, (unsigned)k * 6, &out, pred,
		    &err) != 0) {
			if (err.msg[0] == '\0')
				abort();
			continue;
		}
		json_decref(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *rec, *any;
	denai_err err;

	if (size > 1 << 16)
		return 0;
	if (models[0] == NULL) {
		models[0] = build(0);
		models[1] = build(1);
	}
	if (denai_record_parse(&rec, (const char *)data, size, &err) == 0) {
		const json_t *d = json_object_get(rec, "data");

		if (d != NULL)
			try_data(d);
		json_decref(rec);
	}
	any = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (any != NULL) {
		try_data(any);
		json_decref(any);
	}
	return 0;
}
