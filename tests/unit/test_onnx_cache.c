/* test_onnx_cache.c - the graph cache: hits by key, LRU eviction, a failed
 * load evicting nothing; and what predict_record reads from a request
 * (decimals, data or data_path, model_path by model_sha256). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "onnx/cache.h"
#include "onnx/predict.h"
#include "node/predict_record.h"
#include "test_onnx_build.h"

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char dir[] = "/tmp/test_onnx_cache.XXXXXX";

/* Writes an Identity model to dir/name; returns its path (static). */
static const char *
model_file(const char *name)
{
	static char path[4][256];
	static int k;
	struct pbw g = PBW, m = PBW;
	char *p = path[k++ % 4];
	FILE *f;

	pw_node(&g, "Identity", "id", IN("x"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1, 1 }, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, (const int64_t[]){ -1, 1 }, 2);
	pw_model(&m, &g, 13, 0);
	snprintf(p, 256, "%s/%s", dir, name);
	if ((f = fopen(p, "wb")) == NULL || fwrite(m.b, 1, m.n, f) != m.n ||
	    fclose(f) != 0)
		diag("cannot write %s", p);
	free(m.b);
	return p;
}

static void
test_cache(void)
{
	denai_model_cache *c;
	denai_graph *a, *b, *g;
	denai_err err;
	const char *pa = model_file("a.onnx"), *pb = model_file("b.onnx");
	const char *pc = model_file("c.onnx");

	ok(denai_model_cache_new(0, &err) == NULL && err.code == DENAI_EUSAGE,
	    "a cache of 0 graphs is refused");
	if ((c = denai_model_cache_new(2, &err)) == NULL) {
		ok(0, "new: %s", err.msg);
		return;
	}
	ok(denai_model_cache_get(c, &a, NULL, pa, &err) == 0 && a != NULL,
	    "loads a (keyed by its path)");
	ok(denai_model_cache_get(c, &b, "sha-b", pb, &err) == 0 && b != NULL &&
	    b != a, "loads b (keyed by sha-b)");
	is_int((long long)denai_model_cache_size(c), 2, "holds two");
	unlink(pa);
	unlink(pb);
	ok(denai_model_cache_get(c, &g, NULL, pa, &err) == 0 && g == a,
	    "a again: the cached graph, the file not read");
	ok(denai_model_cache_get(c, &g, "sha-b", "/nonexistent", &err) == 0 &&
	    g == b, "by key sha-b, whatever the path");
	ok(denai_model_cache_get(c, &g, "sha-x", "/nonexistent/x.onnx",
	    &err) == -1 && strncmp(err.msg, "model: ", 7) == 0,
	    "a failed load: -1, \"model: ...\" (%s)", err.msg);
	is_int((long long)denai_model_cache_size(c), 2,
	    "a failed load evicts nothing");
	ok(denai_model_cache_get(c, &g, NULL, pa, &err) == 0 && g == a,
	    "a still cached");
	/* b is now the least recently used. */
	ok(denai_model_cache_get(c, &g, NULL, pc, &err) == 0 && g != NULL,
	    "loads c into a full cache");
	is_int((long long)denai_model_cache_size(c), 2, "still holds two");
	ok(denai_model_cache_get(c, &g, NULL, pa, &err) == 0 && g == a,
	    "a (recently used) was kept");
	ok(denai_model_cache_get(c, &g, "sha-b", pb, &err) == -1,
	    "b (least recently used) was evicted: its file is gone");
	denai_model_cache_free(c);
	denai_model_cache_free(NULL);
	unlink(pc);
}

static json_t *
rec(const char *text)
{
	json_error_t je;
	json_t *r = json_loads(text, 0, &je);

	if (r == NULL)
		diag("bad test JSON %s: %s", text, je.text);
	return r;
}

static void
decimals(const char *text, long long want)
{
	json_t *r = rec(text);
	unsigned d = 999;
	denai_err err;
	int rc = denai_predict_record_decimals(&d, r, &err);

	if (want < 0)
		ok(rc == -1 && err.code == DENAI_EDATA, "%s: refused (%s)",
		    text, rc ? err.msg : "");
	else
		ok(rc == 0 && d == (unsigned)want, "%s: %lld", text, want);
	json_decref(r);
}

static void
test_record(void)
{
	char path[256], *s = NULL;
	json_t *r, *data;
	denai_model_cache *c = denai_model_cache_new(1, NULL);
	denai_graph *g, *g2;
	denai_err err;
	FILE *f;
	const char *pm;

	decimals("{}", 0);
	decimals("{\"decimals\": null}", 0);
	decimals("{\"decimals\": 3}", 3);
	decimals("{\"decimals\": \"5\"}", 5);
	decimals("{\"model_decimals\": 2, \"decimals\": 9}", 2);
	decimals("{\"decimals\": 77}", 77);
	decimals("{\"decimals\": 78}", -1);
	decimals("{\"decimals\": -1}", -1);
	decimals("{\"decimals\": \"2x\"}", -1);
	decimals("{\"decimals\": \"\"}", -1);
	decimals("{\"decimals\": 1.5}", -1);

	r = rec("{\"data\": [1, 2], \"data_path\": \"/nonexistent\"}");
	ok(denai_predict_record_data(&data, r, &err) == 0 &&
	    json_equal(data, json_object_get(r, "data")),
	    "data wins over data_path");
	json_decref(data);
	json_decref(r);

	snprintf(path, sizeof(path), "%s/point.json", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("{\"x\": [[0.5]]}\n", f);
		fclose(f);
	}
	r = json_pack("{s:s}", "data_path", path);
	ok(denai_predict_record_data(&data, r, &err) == 0 &&
	    (s = json_dumps(data, JSON_COMPACT)) != NULL &&
	    strcmp(s, "{\"x\":[[0.5]]}") == 0, "data_path read");
	free(s);
	json_decref(data);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("[1, 2", f);
		fclose(f);
	}
	ok(denai_predict_record_data(&data, r, &err) == -1 &&
	    err.code == DENAI_EDATA && strstr(err.msg, "is not JSON") != NULL,
	    "data_path not JSON (%s)", err.msg);
	unlink(path);
	ok(denai_predict_record_data(&data, r, &err) == -1 &&
	    strncmp(err.msg, "data_path: ", 11) == 0,
	    "data_path missing (%s)", err.msg);
	json_decref(r);
	r = rec("{\"type\": \"request\"}");
	ok(denai_predict_record_data(&data, r, &err) == -1 &&
	    strcmp(err.msg, "request has no data or data_path") == 0,
	    "neither data nor data_path");
	ok(denai_predict_record_graph(c, &g, r, &err) == -1 &&
	    err.code == DENAI_EDATA &&
	    strcmp(err.msg, "request has no model_path") == 0,
	    "no model_path");
	json_decref(r);

	pm = model_file("m.onnx");
	r = json_pack("{s:s, s:s}", "model_path", pm, "model_sha256", "abc");
	ok(denai_predict_record_graph(c, &g, r, &err) == 0, "model_path read");
	json_decref(r);
	unlink(pm);
	r = json_pack("{s:s, s:s}", "model_path", "/elsewhere.onnx",
	    "model_sha256", "abc");
	ok(denai_predict_record_graph(c, &g2, r, &err) == 0 && g2 == g,
	    "cached by model_sha256");
	json_decref(r);
	denai_model_cache_free(c);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		skip_all("mkdtemp failed");
	test_cache();
	test_record();
	rmdir(dir);
	return done_testing();
}
