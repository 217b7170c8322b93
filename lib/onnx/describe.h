/*
 * onnx/describe.h - a model described for people, as JSON: its IR version,
 * producer, graph name, opsets, inputs (initializers left out) and outputs
 * with their types and shapes, how often each op is used, and whether the
 * evaluator supports it.
 */
#ifndef DENAI_ONNX_DESCRIBE_H
#define DENAI_ONNX_DESCRIBE_H

#include <jansson.h>

#include "err.h"
#include "onnx/model.h"

/*
 * Describes m. graph_error is why m does not load as a graph (becomes
 * "supported": false and "error"), or NULL when it does.
 * Keys, in order: ir_version, producer, graph, opsets {domain: version},
 * inputs and outputs [{name, kind, type?, shape?}], ops {op: count},
 * nodes, initializers, supported, error?.
 * Out: *out, a new object (the caller's).
 * Returns: 0, or -1 with err (DENAI_ENOMEM).
 */
int denai_model_describe_json(json_t **out, const denai_model *m,
    const char *graph_error, denai_err *err) DENAI_WUR;

#endif
