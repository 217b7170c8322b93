/*
 * onnx/predict.h - from a pipeline record's data point to a model's inputs,
 * and from its outputs to JSON and to the uint256 sent on chain.
 *
 * A data point is either one JSON array, nested as deep as the input's
 * rank (fed to a model's single input; one level less is read as one row
 * of a batch), or an object keyed by input names, each a nested array. The
 * tensor's shape is the nesting's; it must match the model's declared
 * rank and fixed dims, and every value must suit the element type (finite
 * numbers for float/double, integers for int32/int64, true/false or 0/1
 * for bool, strings for string).
 *
 * The prediction: the first output holding integers, bools or strings is a
 * classifier's label, sent as is (a string label as its index in the
 * producing node's classlabels_strings); otherwise the first float output's
 * first value v is a regression, sent as round(v * 10^decimals) (half away
 * from zero, computed exactly); negatives as two's complement int256.
 *
 * Nothing here keeps state; JSON values returned are the caller's.
 */
#ifndef DENAI_ONNX_PREDICT_H
#define DENAI_ONNX_PREDICT_H

#include <jansson.h>

#include "onnx/graph.h"
#include "eth/u256.h"

/* The most decimals a regressor may be registered with (10^77 < 2^256). */
#define DENAI_PREDICT_MAX_DECIMALS 77

/*
 * Fills g's inputs from data (see above), reusing their buffers.
 * Returns: 0, or -1 with err naming the input and the problem, e.g.
 * "input X expects 30 features per row, got 29".
 */
int denai_predict_feed(denai_graph *g, const json_t *data, denai_err *err)
    DENAI_WUR;

/*
 * Returns in *out a new object keyed by output names, each a nested array
 * in row-major order (a ZipMap output as a list of {label: probability}
 * objects; NaN and infinities as null). Returns: 0, or -1.
 */
int denai_predict_outputs(const denai_graph *g, json_t **out, denai_err *err)
    DENAI_WUR;

/* Writes the on-chain prediction of g's last run (decimal) into out.
 * Returns: 0, or -1 (no usable output, NaN, out of int256 range). */
int denai_predict_value(const denai_graph *g, unsigned decimals,
    char out[DENAI_U256_DEC_MAX], denai_err *err) DENAI_WUR;

/* r = round(v * 10^decimals), half away from zero, exactly, as int256
 * two's complement. Returns: 0, or -1 when v is not finite or the result
 * does not fit an int256. */
int denai_predict_scale(denai_u256 *r, double v, unsigned decimals,
    denai_err *err) DENAI_WUR;

/* Feeds data, runs g, and fills *outputs (may be NULL) and prediction
 * (may be NULL). Returns: 0, or -1. */
int denai_predict(denai_graph *g, const json_t *data, unsigned decimals,
    json_t **outputs, char prediction[DENAI_U256_DEC_MAX], denai_err *err)
    DENAI_WUR;

#endif
