/*
 * txsend.h - sending transactions from one key: a local nonce counter so
 * several transactions can be in flight at once, EIP-1559 fees from the
 * node, gas estimated (with a margin) when not given, receipts polled
 * without blocking, and a transaction that stays pending replaced by the
 * same nonce with bumped fees. On a chain that mines each transaction at
 * once (its first two receipts were there at the first look), sends go
 * through eth_sendRawTransactionSync (EIP-7966), whose answer is the
 * receipt; a node without it, or one that kept such a send waiting over a
 * second, gets plain sends again.
 *
 * Each transaction sent gets a ticket (a small number); replacing it keeps
 * the ticket and changes the hash. A denai_sender is a heap object used by
 * one thread; it borrows the rpc client and copies the key (wiped on free).
 */
#ifndef DENAI_TXSEND_H
#define DENAI_TXSEND_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/rpc.h"
#include "eth/secp.h"
#include "eth/u256.h"

typedef struct denai_sender denai_sender;

typedef struct denai_sender_opts {
	unsigned gas_margin_pct;	/* added to estimates; default 25 */
	uint64_t replace_after_ms;	/* bump a tx pending this long; 20000 */
	unsigned bump_pct;		/* fee increase per bump; default 25 */
	unsigned max_bumps;		/* then give up waiting; default 5 */
	int legacy;			/* send legacy EIP-155 transactions */
} denai_sender_opts;

void denai_sender_opts_default(denai_sender_opts *o);

/* Reads the chain's nonce for the key's address ("pending"). */
denai_sender *denai_sender_new(denai_rpc *rpc, const uint8_t sk[32],
    uint64_t chain_id, const denai_sender_opts *opts, denai_err *err);
void denai_sender_free(denai_sender *s);

/* The sender's address. */
const uint8_t *denai_sender_address(const denai_sender *s);

/*
 * Estimates the gas of a call from this sender (to NULL: a deployment).
 * Out: *gas; rerr (may be NULL; cleared first; the caller clears it): on
 * a call that would revert (DENAI_ESTATE), the node's error with the
 * revert data (node/contract.h decodes it).
 * Returns: 0, or -1.
 */
int denai_sender_estimate(denai_sender *s, uint64_t *gas,
    denai_rpc_error *rerr, const uint8_t *to, const uint8_t *data,
    size_t len, const denai_u256 *value, denai_err *err) DENAI_WUR;

/*
 * The gas limit send would use for a call from this sender: the estimate
 * plus the margin. Out: *gas; rerr as denai_sender_estimate.
 * Returns: 0, or -1.
 */
int denai_sender_gas_limit(denai_sender *s, uint64_t *gas,
    denai_rpc_error *rerr, const uint8_t *to, const uint8_t *data,
    size_t len, const denai_u256 *value, denai_err *err) DENAI_WUR;

/* The fee figures the next send uses instead of asking the node (the
 * caller read them in its own batch: denai_rpc_fee_reqs); once. */
void denai_sender_use_fees(denai_sender *s, const denai_fee_figures *f);

/* When (denai_now_ms) the newest transaction in flight was sent; 0 when
 * none is in flight. */
uint64_t denai_sender_newest_ms(const denai_sender *s);

/*
 * Signs and sends a transaction (to NULL: contract creation) with gas
 * (0: estimate, plus the margin) and value (NULL: zero).
 * Out: *ticket, hash (may be NULL), *nonce (may be NULL).
 * Returns: 0, or -1 (an estimate that reverts is DENAI_ESTATE).
 */
int denai_sender_send(denai_sender *s, const uint8_t *to,
    const uint8_t *data, size_t len, const denai_u256 *value, uint64_t gas,
    unsigned *ticket, uint8_t hash[32], uint64_t *nonce, denai_err *err)
    DENAI_WUR;

/* A transaction that has left the pending set. */
typedef struct denai_sender_done {
	unsigned ticket;
	uint8_t hash[32];		/* of the version that was mined */
	json_t *receipt;		/* borrowed for the callback; NULL if
					 * given up after max_bumps */
	int ok;				/* receipt status 1 */
	uint64_t gas_used;
	uint64_t block_number;
	unsigned replaced;		/* how many times it was bumped */
} denai_sender_done;

typedef void (*denai_sender_done_fn)(void *ctx, const denai_sender_done *d);

/*
 * Checks the receipts of the pending transactions once: calls done for
 * each mined (or abandoned) one and forgets it; replaces those pending
 * longer than replace_after_ms.
 * Returns: the number still pending, or -1 when the node failed (they
 * stay pending; try again later).
 */
int denai_sender_poll(denai_sender *s, denai_sender_done_fn done, void *ctx,
    denai_err *err);

/* Number of transactions in flight. */
size_t denai_sender_pending(const denai_sender *s);

/*
 * Sends and waits for one transaction: polls every poll_ms until mined or
 * timeout_ms passes. Out: *receipt (new reference).
 * Returns: 0 (the receipt may still have status 0: check it), or -1.
 */
int denai_sender_send_wait(denai_sender *s, const uint8_t *to,
    const uint8_t *data, size_t len, const denai_u256 *value, uint64_t gas,
    uint64_t timeout_ms, json_t **receipt, uint8_t hash[32], denai_err *err)
    DENAI_WUR;

/* Returns: monotonic milliseconds (for callers' own loops). */
uint64_t denai_now_ms(void);

#endif
