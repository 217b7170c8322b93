/*
 * node/submit_check.h - what denai-submit asks the chain before it sends
 * submitSolution, in one round trip (a JSON-RPC batch): the request,
 * whether this key has submitted to it, the gas limit the contract names
 * as enough for any submission (submitGasLimit: sent as it is; an estimate
 * made while others' submissions are pending can be for a submission that
 * does not fulfil, and fall short), whether the submission would revert
 * (an eth_call of it from the key, with the contract's decoded error),
 * and the fee figures, whose block is the head the request's expiry is
 * checked against.
 */
#ifndef DENAI_NODE_SUBMIT_CHECK_H
#define DENAI_NODE_SUBMIT_CHECK_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/rpc.h"
#include "eth/secp.h"
#include "eth/u256.h"
#include "node/contract.h"
#include "node/oracle.h"

typedef struct denai_submit_check {
	denai_request_info info;
	int submitted;		/* this key has submitted to it */
	uint64_t gas;		/* submitGasLimit(id) */
	int refused;		/* submitSolution would revert ... */
	denai_revert rv;	/* ... with this decoded error, when set */
	denai_fee_figures fees;	/* fees.head: the latest block */
} denai_submit_check;

/*
 * Asks all of it for submitSolution(args) (a JSON array: id, prediction,
 * nonce) from miner to the oracle at `at`; id is args' first value.
 * Out: *c (denai_submit_check_clear it, also after a failure).
 * Returns: 0, or -1 (DENAI_EPEER when the node could not be reached).
 */
int denai_submit_check_run(denai_submit_check *c, const denai_oracle *o,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN],
    const uint8_t miner[DENAI_ADDR_LEN], const denai_u256 *id,
    const json_t *args, denai_err *err) DENAI_WUR;

void denai_submit_check_clear(denai_submit_check *c);

#endif
