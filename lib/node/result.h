/*
 * result.h - what became of a prediction request, as people and scripts
 * want to see it: its status, the prediction and whether the callback ran,
 * every submission (miner, prediction, transaction) and the miners who
 * agreed with the winning value, read from getRequest and the oracle's
 * SolutionSubmitted and PredictionFulfilled logs.
 */
#ifndef DENAI_RESULT_H
#define DENAI_RESULT_H

#include <jansson.h>

#include "node/deployment.h"
#include "err.h"
#include "node/oracle.h"
#include "eth/rpc.h"

/*
 * Returns: a new object {"type":"result", "request_id", "status",
 * "model_id", "data_cid", "requester", ["prediction", "callback_ok"],
 * "submissions": [{"miner","prediction","tx_hash"}], "agreed": [miners],
 * ["fulfil_tx_hash"]}; or NULL with err filled (an unknown request is
 * DENAI_EDATA "request 7 does not exist").
 */
json_t *denai_request_result(const denai_oracle *o, denai_rpc *rpc,
    const denai_deployment *dep, const char *id, denai_err *err);

/* The oracle's logs of event ev for request id (decimal), from the
 * deployment's block. Out: *logs, a new array. Returns: 0 or -1. */
int denai_request_logs(const denai_oracle *o, denai_rpc *rpc,
    const denai_deployment *dep, enum denai_oracle_event ev, const char *id,
    json_t **logs, denai_err *err) DENAI_WUR;

#endif
