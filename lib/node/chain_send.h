/*
 * node/chain_send.h - sending to the DenAI contracts and decoding what
 * comes back: a transaction the contract would refuse is not sent and
 * comes back as an error code plus the contract's error name and
 * arguments (a denai_revert, decoded as the read path decodes it); one
 * that was mined comes back with its receipt. On top: a request (checked,
 * sent, its record read from the receipt), waiting for one, cancelling
 * one, and registering or retiring a model.
 *
 * Every call borrows the chain (node/chain_read.h) and a sender
 * (eth/txsend.h) the program opened; what it hands back in a
 * denai_chain_tx is the caller's (denai_chain_tx_clear).
 */
#ifndef DENAI_NODE_CHAIN_SEND_H
#define DENAI_NODE_CHAIN_SEND_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/txsend.h"
#include "eth/u256.h"
#include "node/chain_read.h"
#include "node/contract.h"

typedef struct denai_chain_tx {
	json_t *receipt;	/* a new reference once mined, else NULL */
	uint8_t hash[32];	/* the transaction's, once sent */
	denai_revert revert;	/* set when the contract refused */
} denai_chain_tx;

/* Drops tx's receipt and revert and zeroes it (a zeroed one is clear). */
void denai_chain_tx_clear(denai_chain_tx *tx);

/*
 * Sends fn(args) (args a JSON array) to contract to from s with value
 * (NULL: none) and waits for its receipt up to timeout_ms. The gas is
 * estimated first, so a call the contract would refuse is not sent.
 * Out: tx (cleared first).
 * Returns: 0 with tx->receipt of status 1; or -1: a refusal is
 * DENAI_EDATA "fn would revert: Name(args)" with tx->revert (name and
 * arguments), a transaction mined with status 0 DENAI_EDATA "fn reverted"
 * (tx->revert.set, no name); anything else as denai_sender_send_wait.
 */
int denai_chain_send(const denai_chain *c, denai_sender *s,
    denai_chain_tx *tx, const uint8_t to[DENAI_ADDR_LEN],
    enum denai_oracle_fn fn, const json_t *args, const denai_u256 *value,
    uint64_t timeout_ms, denai_err *err) DENAI_WUR;

/*
 * Estimates the gas of calldata cd (cdlen bytes) sent from s to contract
 * to with value (NULL: none), nothing sent. Out: *gas, the estimate (no
 * margin); rv (cleared first; the caller clears it): the contract's
 * refusal, decoded, when it would revert.
 * Returns: 0, or -1 (a refusal is DENAI_ESTATE, rv set when the node gave
 * revert data; else as denai_sender_estimate).
 */
int denai_chain_estimate(const denai_chain *c, denai_sender *s, uint64_t *gas,
    denai_revert *rv, const uint8_t to[DENAI_ADDR_LEN], const uint8_t *cd,
    size_t cdlen, const denai_u256 *value, denai_err *err) DENAI_WUR;

/*
 * What a refusal of submitSolution means for a miner's record:
 * "closed" (RequestNotOpen, RequestExpired: too late to serve it),
 * "already-submitted" (AlreadySubmitted), or NULL for a real failure.
 */
const char *denai_chain_submit_outcome(const denai_revert *rv);

/* Returns: 1 when rv is the registry refusing the key a right (no trainer
 * role: AccessControlUnauthorizedAccount; not the model's owner:
 * NotModelOwner), else 0. */
int denai_chain_revert_denied(const denai_revert *rv);

/* Returns: the first log of event ev in receipt (borrowed), or NULL. */
const json_t *denai_chain_receipt_log(const denai_chain *c,
    const json_t *receipt, enum denai_oracle_event ev);

/* A new prediction request. */
typedef struct denai_request_new {
	const char *model_id;		/* decimal */
	const char *data_cid;		/* the data point's CID */
	denai_u256 tip;			/* wei, sent as the value */
	const char *callback_gas;	/* decimal; a direct request's */
	const uint8_t *via;		/* a consumer contract, or NULL to
					 * ask the oracle directly */
	int sealed;			/* a sealed (commit-reveal) request:
					 * requestSealedPrediction */
} denai_request_new;

/*
 * Sends request rq from s and waits for it to be mined: the sender must
 * hold the tip (else DENAI_EDATA "insufficient funds: the tip is 1 ether,
 * 0xab.. holds 0.5 ether"), then requestPrediction (rq->sealed:
 * requestSealedPrediction) goes to the oracle, or through rq->via. Out:
 * *rec, the request record (node/oracle.h) of the receipt's
 * PredictionRequested ("sealed":true added for a sealed one), or NULL when
 * the receipt has none (a consumer that is not DenAI's); tx (clear it).
 * Returns: 0, or -1 as denai_chain_send.
 */
int denai_chain_request_send(const denai_chain *c, denai_sender *s,
    json_t **rec, denai_chain_tx *tx, const denai_request_new *rq,
    uint64_t timeout_ms, denai_err *err) DENAI_WUR;

/* cancelRequest(id) on the oracle, or cancel(id) through via (NULL: the
 * oracle). Out: tx. Returns: 0, or -1 as denai_chain_send. */
int denai_chain_request_cancel(const denai_chain *c, denai_sender *s,
    denai_chain_tx *tx, const uint8_t *via, const char *id,
    uint64_t timeout_ms, denai_err *err) DENAI_WUR;

/* Told after each read while a request stays open. */
typedef void (*denai_chain_wait_fn)(void *ctx, const char *id,
    const denai_request_info *info, uint64_t elapsed_ms);

/*
 * Reads request id (decimal) every 250 ms until it is no longer open,
 * calling fn (may be NULL) after each read that finds it open.
 * Out: info, its last state.
 * Returns: 0, or -1: DENAI_ESTATE "request 1 still open after 300 s (2
 * submissions)" when timeout_ms passes first, or a read failure.
 */
int denai_chain_request_wait(const denai_chain *c, denai_request_info *info,
    const char *id, uint64_t timeout_ms, denai_chain_wait_fn fn, void *ctx,
    denai_err *err) DENAI_WUR;

/*
 * registerModel(cid, sha256, decimals, description) from s. Out: model_id,
 * the id the registry gave (from the receipt's ModelRegistered; "" when it
 * has none); tx. Returns: 0, or -1 as denai_chain_send.
 */
int denai_chain_model_register(const denai_chain *c, denai_sender *s,
    char model_id[DENAI_U256_DEC_MAX], denai_chain_tx *tx, const char *cid,
    const uint8_t sha256[32], const char *decimals, const char *description,
    uint64_t timeout_ms, denai_err *err) DENAI_WUR;

/* retireModel(id) from s. Out: tx. Returns: 0, or -1 as denai_chain_send
 * (mined with status 0: "retireModel 7 reverted"). */
int denai_chain_model_retire(const denai_chain *c, denai_sender *s,
    denai_chain_tx *tx, const char *id, uint64_t timeout_ms, denai_err *err)
    DENAI_WUR;

#endif
