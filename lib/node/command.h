/*
 * node/command.h - a prediction from a local program instead of a graph:
 * the program gets the data point as one JSON line on its stdin and prints
 * the prediction on its stdout. Not ONNX: it lives beside the records
 * that denai-predict answers, and only borrows onnx/predict.h's scaling.
 */
#ifndef DENAI_NODE_COMMAND_H
#define DENAI_NODE_COMMAND_H

#include <jansson.h>

#include "err.h"
#include "eth/u256.h"

/*
 * Runs cmd with /bin/sh -c, writes data (compact JSON and a newline) to its
 * stdin and reads its stdout to EOF (the first 255 bytes kept), killing it
 * when timeout seconds pass first. The timeout covers the whole exchange:
 * writing the input (nonblocking, so a program that never reads a large
 * input cannot hang the caller), reading the answer and waiting for the
 * exit. The answer, trailing blanks removed, is an unsigned decimal
 * integer (sent as is) or a decimal number v (sent as
 * round(v * 10^decimals), negatives as int256; see denai_predict_scale).
 * No process-wide state is touched: SIGPIPE is blocked in the calling
 * thread while it writes (a program that exits without reading its input
 * raises EPIPE, not a signal) and one it raised is consumed before the
 * thread's mask is restored. The pipes are close-on-exec, so a program
 * run from another thread never inherits them; none is left open on any
 * return.
 * Out: out, the prediction in decimal; *raw, the answer as printed (the
 * caller frees; set whenever the program exited 0, even when the answer
 * is no number; NULL otherwise).
 * Returns: 0, or -1 with err: DENAI_EPEER when the program timed out or
 * exited non-zero, DENAI_EDATA when it printed no usable number,
 * DENAI_EIO when it could not be started.
 */
int denai_command_predict(char out[DENAI_U256_DEC_MAX], char **raw,
    const char *cmd, const json_t *data, unsigned decimals,
    unsigned timeout, denai_err *err) DENAI_WUR;

#endif
