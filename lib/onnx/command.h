/*
 * onnx/command.h - a prediction from a local program instead of a graph:
 * the program gets the data point as one JSON line on its stdin and prints
 * the prediction on its stdout.
 */
#ifndef DENAI_ONNX_COMMAND_H
#define DENAI_ONNX_COMMAND_H

#include <jansson.h>

#include "err.h"
#include "eth/u256.h"

/*
 * Runs cmd with /bin/sh -c, writes data (compact JSON and a newline) to its
 * stdin and reads its stdout to EOF (the first 255 bytes kept), killing it
 * when timeout seconds pass first. The answer, trailing blanks removed, is
 * an unsigned decimal integer (sent as is) or a decimal number v (sent as
 * round(v * 10^decimals), negatives as int256; see denai_predict_scale).
 * The process's SIGPIPE is set to ignored, so a program that exits
 * without reading its input does not kill the caller.
 * Out: out, the prediction in decimal; *raw, the answer as printed (the
 * caller frees; set whenever the program exited 0, even when the answer
 * is no number; NULL otherwise).
 * Returns: 0, or -1 with err: DENAI_EPEER when the program timed out or
 * exited non-zero, DENAI_EDATA when it printed no usable number,
 * DENAI_EIO when it could not be started.
 */
int denai_predict_command(const char *cmd, const json_t *data,
    unsigned decimals, unsigned timeout, char out[DENAI_U256_DEC_MAX],
    char **raw, denai_err *err) DENAI_WUR;

#endif
