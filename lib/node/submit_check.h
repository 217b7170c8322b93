/*
 * node/submit_check.h - what denai-submit asks the chain before it sends
 * submitSolution, in one round trip (a JSON-RPC batch): the request,
 * whether this key has submitted to it, the fee figures (whose block is
 * the head the request's expiry is checked against), and the gas:
 * eth_estimateGas of the submission from the key (or its refusal, with
 * the contract's decoded error) and submitGasLimit, the limit the contract
 * names as enough for any submission; the larger of the estimate plus 25%
 * and that is sent (an estimate made while others' submissions are
 * pending can be for a submission that does not fulfil, and fall short).
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
	uint64_t gas;		/* the gas limit to send */
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
