/*
 * onnx/describe.c - a model as JSON for people (see describe.h).
 */
#include <stdio.h>
#include <string.h>

#include "onnx/describe.h"
#include "onnx/tensor.h"

static json_t *
vi_json(const denai_value_info *vi)
{
	static const char *const kinds[] = { "unknown", "tensor", "sequence",
	    "map", "other" };
	json_t *o = json_object(), *shape;

	json_object_set_new(o, "name", json_string(vi->name));
	json_object_set_new(o, "kind", json_string(kinds[vi->kind >= 0 &&
	    vi->kind <= 4 ? vi->kind : 0]));
	if (vi->dtype != 0)
		json_object_set_new(o, "type",
		    json_string(denai_dtype_name(vi->dtype)));
	if (vi->rank >= 0) {
		shape = json_array();
		for (int d = 0; d < vi->rank; d++)
			json_array_append_new(shape, vi->dims[d] >= 0 ?
			    json_integer(vi->dims[d]) : vi->dim_param[d] ?
			    json_string(vi->dim_param[d]) : json_null());
		json_object_set_new(o, "shape", shape);
	}
	return o;
}

static int
is_init(const denai_model *m, const char *name)
{
	for (int i = 0; i < m->ninits; i++)
		if (strcmp(m->init_names[i], name) == 0)
			return 1;
	return 0;
}

int
denai_model_describe_json(json_t **out, const denai_model *m,
    const char *graph_error, denai_err *err)
{
	json_t *o = json_object(), *ops = json_object(), *a, *os;

	*out = NULL;
	if (o == NULL || ops == NULL) {
		json_decref(o);
		json_decref(ops);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	json_object_set_new(o, "ir_version", json_integer(m->ir_version));
	json_object_set_new(o, "producer", json_string(m->producer));
	json_object_set_new(o, "graph", json_string(m->graph_name));
	os = json_object();
	for (int i = 0; i < m->nopsets; i++)
		json_object_set_new(os, m->opset_domain[i][0] ?
		    m->opset_domain[i] : "ai.onnx",
		    json_integer(m->opset_version[i]));
	json_object_set_new(o, "opsets", os);
	a = json_array();
	for (int i = 0; i < m->ninputs; i++)
		if (!is_init(m, m->inputs[i].name))
			json_array_append_new(a, vi_json(&m->inputs[i]));
	json_object_set_new(o, "inputs", a);
	a = json_array();
	for (int i = 0; i < m->noutputs; i++)
		json_array_append_new(a, vi_json(&m->outputs[i]));
	json_object_set_new(o, "outputs", a);
	for (int i = 0; i < m->nnodes; i++) {
		char name[256];
		json_t *c;

		snprintf(name, sizeof(name), "%s%s%s", m->nodes[i].domain,
		    m->nodes[i].domain[0] ? "." : "", m->nodes[i].op_type);
		c = json_object_get(ops, name);
		json_object_set_new(ops, name, json_integer(c ?
		    json_integer_value(c) + 1 : 1));
	}
	json_object_set_new(o, "ops", ops);
	json_object_set_new(o, "nodes", json_integer(m->nnodes));
	json_object_set_new(o, "initializers", json_integer(m->ninits));
	json_object_set_new(o, "supported", json_boolean(graph_error == NULL));
	if (graph_error != NULL)
		json_object_set_new(o, "error", json_string(graph_error));
	*out = o;
	return 0;
}
