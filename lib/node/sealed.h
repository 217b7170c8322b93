/*
 * node/sealed.h - the submit stage's work for sealed (commit-reveal)
 * requests: a mined record marked "sealed":true is committed, then
 * revealed, without a stage of its own.
 *
 * For each such record the sealer draws a salt, seals the prediction
 * (node/seal.h), saves prediction, salt and seal in its state folder
 * (node/seal_state.h: written and synced before anything is sent), sends
 * commitSolution(requestId, seal, nonce), and once the quorum of seals is
 * in (sealedInfo's reveal deadline is set) sends revealSolution(requestId,
 * prediction, salt) from the state. The record goes out once, when the
 * reveal is mined: "status":"mined" with tx_hash, gas_used and
 * block_number of the reveal and commit_tx_hash, commit_gas_used and
 * commit_block_number of the commit; or "closed" (the request closed, the
 * seals' quorum was reached without it, the reveal window passed), or
 * "already-submitted" (this key committed and nothing here can reveal).
 *
 * The chain is the truth: before each step the sealer reads getRequest,
 * sealedInfo and hasSubmitted, so it never commits twice, and a sealer
 * started on a folder with states in it (after kill -9) picks each up
 * where the chain says it stands: commits what was never committed (with
 * the salt it kept), reveals what was. A state file is removed once its
 * request is settled for this miner.
 *
 * A denai_sealer is a heap object used by one thread; it borrows the chain
 * and the sender. The submit stage (submit.h) owns one and hands it the
 * records, the receipts of its tickets and the steps.
 */
#ifndef DENAI_NODE_SEALED_H
#define DENAI_NODE_SEALED_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"
#include "eth/txsend.h"
#include "eth/u256.h"
#include "node/chain_read.h"

typedef struct denai_sealer denai_sealer;

/* Receives each finished record (borrowed). */
typedef void (*denai_sealed_out_fn)(void *ctx, const json_t *rec);

/*
 * A sealer keeping its states in state_dir (created when missing); the
 * states already there are taken up at the first step.
 * Returns: the sealer, or NULL (a state file that cannot be read).
 */
denai_sealer *denai_sealer_new(const denai_chain *chain, denai_sender *sender,
    const char *state_dir, denai_sealed_out_fn out, void *ctx,
    denai_err *err);
void denai_sealer_free(denai_sealer *z);

/* Whether a record asks for the sealed path ("sealed":true). */
int denai_sealer_wants(const json_t *rec);

/*
 * Takes a mined sealed record whose request_id, prediction and nonce the
 * caller parsed. Returns: 0 (going on, or out already), or -1 with err:
 * DENAI_EPEER when the node could not be reached (nothing kept: take it
 * again later), anything else a failure of the record.
 */
int denai_sealer_take(denai_sealer *z, json_t *rec, const denai_u256 *id,
    const denai_u256 *prediction, denai_err *err) DENAI_WUR;

/* Hands over a receipt. Returns: 1 when d was one of the sealer's
 * transactions, else 0. */
int denai_sealer_done(denai_sealer *z, const denai_sender_done *d);

/*
 * Checks the sealed requests waiting for their reveal phase (once per new
 * block) and those taken up from the folder. Returns: 1 when the node
 * answered, 0 when nothing was due, or -1 when the node could not be
 * reached (DENAI_EPEER; what was due is tried at the next step). Failed
 * records go out as error records.
 */
int denai_sealer_step(denai_sealer *z, denai_err *err);

/* Records not finished; of them, transactions in flight. */
size_t denai_sealer_pending(const denai_sealer *z);
size_t denai_sealer_in_flight(const denai_sealer *z);

/* Error records written. */
unsigned long denai_sealer_failed(const denai_sealer *z);

/* Gives up on every unfinished record (an error record each, saying why);
 * their states stay in the folder for the next start. */
void denai_sealer_abandon(denai_sealer *z, const char *why);

#endif
