/*
 * node/predict_record.h - what the prediction stage reads from a request
 * record: the data point ("data", or the JSON file at "data_path"), the
 * decimals ("model_decimals", else "decimals") and the model
 * ("model_path", cached by "model_sha256" when there is one).
 *
 * Nothing here changes the record; JSON values returned are the caller's,
 * graphs are the cache's (see onnx/cache.h).
 */
#ifndef DENAI_NODE_PREDICT_RECORD_H
#define DENAI_NODE_PREDICT_RECORD_H

#include <jansson.h>

#include "err.h"
#include "onnx/cache.h"
#include "onnx/graph.h"

/* The largest data_path file read. */
#define DENAI_PREDICT_MAX_DATA_FILE	((size_t)64 << 20)

/*
 * The record's decimals: "model_decimals", else "decimals", as a JSON
 * integer or a decimal string; absent or null is 0.
 * Returns: 0 and *d, or -1 (DENAI_EDATA) when it is not an integer from 0
 * to DENAI_PREDICT_MAX_DECIMALS.
 */
int denai_predict_record_decimals(unsigned *d, const json_t *rec,
    denai_err *err) DENAI_WUR;

/*
 * The record's data point: "data" (a new reference to it), else the JSON
 * file named by "data_path" (at most DENAI_PREDICT_MAX_DATA_FILE bytes).
 * Out: *data, a reference the caller drops.
 * Returns: 0, or -1 (DENAI_EDATA when there is neither or the file is not
 * JSON; the file's read error prefixed "data_path").
 */
int denai_predict_record_data(json_t **data, const json_t *rec,
    denai_err *err) DENAI_WUR;

/*
 * The record's model: the graph at "model_path", from c by "model_sha256"
 * (by the path when there is no sha256), loaded into c when missing.
 * Out: *g, owned by c.
 * Returns: 0, or -1 (DENAI_EDATA when there is no model_path; the load
 * error prefixed "model").
 */
int denai_predict_record_graph(denai_model_cache *c, denai_graph **g,
    const json_t *rec, denai_err *err) DENAI_WUR;

#endif
