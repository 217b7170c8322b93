/*
 * shape.h - does a data point fit a model, checked before a request is
 * sent: a point of the wrong shape is accepted on chain, every miner then
 * fails on it, and the tip stays locked until the request expires.
 */
#ifndef DENAI_SHAPE_H
#define DENAI_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ipfs/fetch.h"

/* The largest model file the check loads (bytes). */
#define DENAI_SHAPE_MODEL_MAX	(256u << 20)

/*
 * Gets the model file (model_cid) through f (the local store first, then
 * its gateways), checks it against sha256 (the registry's), loads it, and
 * feeds it the data point (len bytes of JSON) the way the predict stage
 * will, without running it.
 * Returns: 0 when the point fits; -1 with DENAI_EDATA naming the mismatch
 * ("input X expects 30 features per row, got 10"), or another code when
 * the model could not be had or loaded (the caller may send unchecked).
 */
int denai_shape_check(denai_fetcher *f, const char *model_cid,
    const uint8_t sha256[32], const uint8_t *data, size_t len,
    denai_err *err) DENAI_WUR;

#endif
