/* test_onnx_describe.c - a model described as JSON: keys in order, inputs
 * without initializers, shapes with symbolic dims, op counts, and the
 * supported/error pair. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/describe.h"
#include "test_onnx_build.h"

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })

int
main(void)
{
	struct pbw g = PBW, m = PBW;
	float one[3] = { 1, 1, 1 };
	denai_model *mod = NULL;
	denai_err err;
	json_t *o = NULL;
	char *s = NULL;

	pw_init(&g, "one", DENAI_DT_FLOAT, (const int64_t[]){ 3 }, 1, one,
	    sizeof(one));
	pw_node(&g, "Add", "a", IN("x", "one"), IN("t"), NULL, NULL);
	pw_node(&g, "Add", "b", IN("t", "one"), IN("u"), NULL, NULL);
	pw_node(&g, "Relu", "r", IN("u"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1, 3 }, 2);
	pw_value(&g, 11, "one", DENAI_DT_FLOAT, (const int64_t[]){ 3 }, 1);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	pw_model(&m, &g, 13, 0);
	if (denai_model_load_mem(&mod, m.b, m.n, 0, &err) != 0) {
		ok(0, "load: %s", err.msg);
		return done_testing();
	}
	free(m.b);

	ok(denai_model_describe_json(&o, mod, NULL, &err) == 0 && o != NULL,
	    "describes a model");
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	is_str(s, "{\"ir_version\":8,\"producer\":\"test\",\"graph\":\"g\","
	    "\"opsets\":{\"ai.onnx\":13},"
	    "\"inputs\":[{\"name\":\"x\",\"kind\":\"tensor\",\"type\":\"float\","
	    "\"shape\":[\"N\",3]}],"
	    "\"outputs\":[{\"name\":\"y\",\"kind\":\"tensor\",\"type\":\"float\"}],"
	    "\"ops\":{\"Add\":2,\"Relu\":1},\"nodes\":3,\"initializers\":1,"
	    "\"supported\":true}", "the description, in order");
	free(s);
	json_decref(o);

	ok(denai_model_describe_json(&o, mod, "node r: no", &err) == 0,
	    "describes it with a graph error");
	is_str(json_string_value(json_object_get(o, "error")), "node r: no",
	    "error given");
	ok(json_is_false(json_object_get(o, "supported")), "not supported");
	json_decref(o);
	denai_model_free(mod);
	return done_testing();
}
