/*
 * rpc.h - a JSON-RPC 2.0 client over HTTP(S) (libcurl), for Ethereum nodes.
 *
 * A denai_rpc holds one reused curl handle (so connections are kept alive)
 * and is used by one thread at a time; make one per thread. Calls that fail
 * to connect, time out, or get HTTP 429 or 5xx are retried with exponential
 * backoff (or the server's Retry-After), a bounded number of times, never
 * waiting more than backoff_max_ms between tries. JSON-RPC errors are not
 * retried.
 *
 * Every failure message names the method, the endpoint (without user,
 * path or query, which may hold API keys) and why:
 *   "eth_call to http://127.0.0.1:8545: connection refused (after 3 tries)"
 * Codes: DENAI_EPEER when the node could not be reached or answered
 * something that is not a JSON-RPC reply (callers may retry later);
 * DENAI_ESTATE when the node answered with a JSON-RPC error, whose code,
 * message and data (revert data, kept as hex for ABI decoding) the calls
 * that can revert (denai_rpc_call_err, denai_rpc_eth_call,
 * denai_rpc_estimate_gas) hand back to their caller in a denai_rpc_error.
 *
 * Ownership: params passed in are borrowed; results handed out are new
 * references the caller json_decref's.
 */
#ifndef DENAI_RPC_H
#define DENAI_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/u256.h"

typedef struct denai_rpc denai_rpc;

typedef struct denai_rpc_opts {
	long connect_timeout_ms;	/* default 5000 */
	long timeout_ms;		/* whole exchange, per try; default 30000 */
	int max_tries;			/* default 3 (1 = no retry) */
	long backoff_ms;		/* first wait; doubles; default 250 */
	long backoff_max_ms;		/* default 4000 */
	size_t max_reply;		/* bytes; default 64 MiB */
} denai_rpc_opts;

/* A JSON-RPC error object from the node. */
typedef struct denai_rpc_error {
	int set;			/* 1 when the node sent an error */
	long long code;
	char message[256];		/* truncated to fit */
	char *data;			/* heap: the data field, a hex string as
					 * sent, or other JSON as text; or NULL */
} denai_rpc_error;

/* Frees e->data and clears e. */
void denai_rpc_error_clear(denai_rpc_error *e);

void denai_rpc_opts_default(denai_rpc_opts *o);

/*
 * Makes a client for url (http:// or https:// only; opts may be NULL for
 * the defaults).
 * Returns: the client, or NULL with err filled (a bad URL, no memory).
 */
denai_rpc *denai_rpc_new(const char *url, const denai_rpc_opts *opts,
    denai_err *err);
void denai_rpc_free(denai_rpc *r);

/* Returns: the endpoint as messages show it (scheme://host:port). */
const char *denai_rpc_endpoint(const denai_rpc *r);


/*
 * Calls method with params (a JSON array or NULL for []).
 * Out: *result, a new reference (JSON null is a result too).
 * Returns: 0, or -1 (DENAI_EPEER, DENAI_ESTATE as above).
 */
int denai_rpc_call(denai_rpc *r, const char *method, const json_t *params,
    json_t **result, denai_err *err) DENAI_WUR;

/* denai_rpc_call, handing back the node's JSON-RPC error too.
 * Out: *rerr (may be NULL; cleared first): set when the node refused, with
 * its code, message and data (revert data as hex); the caller clears it
 * (denai_rpc_error_clear). */
int denai_rpc_call_err(denai_rpc *r, denai_rpc_error *rerr,
    const char *method, const json_t *params, json_t **result,
    denai_err *err) DENAI_WUR;

/* One request of a batch; result and error are filled by the call. */
typedef struct denai_rpc_req {
	const char *method;		/* in */
	const json_t *params;		/* in, borrowed; NULL for [] */
	json_t *result;			/* out: a new reference, or NULL */
	denai_rpc_error error;		/* out: set when the node refused */
} denai_rpc_req;

/*
 * Sends n requests as one JSON-RPC batch and matches the replies by id
 * (in any order). Each request gets a result or an error.
 * Returns: 0 when the batch was answered (individual requests may still
 * have failed: see each .error.set), or -1 (DENAI_EPEER) when the batch
 * failed as a whole or a reply is missing, duplicated or malformed.
 * Release the outputs with denai_rpc_req_clear.
 */
int denai_rpc_batch(denai_rpc *r, denai_rpc_req *reqs, size_t n,
    denai_err *err) DENAI_WUR;
void denai_rpc_req_clear(denai_rpc_req *req);

/*
 * The reply parser, apart from the transport so it can be fuzzed. Strict:
 * one JSON object of at most len bytes, "jsonrpc" "2.0", "id" equal to id,
 * exactly one of "result" and "error", an error with an integer code and
 * a string message.
 * Out: *result (new reference) on success; rerr filled on a JSON-RPC error.
 * Returns: 0; or -1 with DENAI_ESTATE (a JSON-RPC error: err's message is
 * "<message> (code N[, data 0x...])") or DENAI_EPEER (a malformed reply).
 */
int denai_rpc_parse_reply(const char *body, size_t len, long long id,
    json_t **result, denai_rpc_error *rerr, denai_err *err) DENAI_WUR;

/* The same for a batch reply: an array with one reply per request, ids
 * first_id .. first_id + n - 1 in any order.
 * Returns: 0, or -1 (DENAI_EPEER) for a malformed batch reply. */
int denai_rpc_parse_batch(const char *body, size_t len, long long first_id,
    denai_rpc_req *reqs, size_t n, denai_err *err) DENAI_WUR;

/* Reads a JSON-RPC quantity ("0x" and 1-64 hex digits). Returns: 0 or -1. */
int denai_rpc_quantity(denai_u256 *v, const json_t *q, denai_err *err)
    DENAI_WUR;
/* The same, for values that must fit 64 bits. */
int denai_rpc_quantity_u64(uint64_t *v, const json_t *q, denai_err *err)
    DENAI_WUR;

/*
 * Thin helpers over the calls a node tool makes. Each returns 0, or -1
 * as denai_rpc_call (and DENAI_EPEER when the result has the wrong shape).
 */
int denai_rpc_chain_id(denai_rpc *r, uint64_t *id, denai_err *err) DENAI_WUR;
int denai_rpc_block_number(denai_rpc *r, uint64_t *n, denai_err *err)
    DENAI_WUR;
/* eth_getTransactionCount(addr, block), block "pending" when NULL. */
int denai_rpc_nonce(denai_rpc *r, const uint8_t addr[20], const char *block,
    uint64_t *nonce, denai_err *err) DENAI_WUR;
int denai_rpc_gas_price(denai_rpc *r, denai_u256 *wei, denai_err *err)
    DENAI_WUR;
int denai_rpc_max_priority_fee(denai_rpc *r, denai_u256 *wei,
    denai_err *err) DENAI_WUR;
/* The latest block's baseFeePerGas (-1, DENAI_EUNSUP, before London). */
int denai_rpc_base_fee(denai_rpc *r, denai_u256 *wei, denai_err *err)
    DENAI_WUR;
/*
 * Suggested EIP-1559 fees: priority = eth_maxPriorityFeePerGas (1 gwei
 * when the node lacks the method), max fee = 2 * the latest base fee +
 * priority (room for six full blocks of base fee growth).
 */
int denai_rpc_fees(denai_rpc *r, denai_u256 *max_fee, denai_u256 *priority,
    denai_err *err) DENAI_WUR;
/* eth_estimateGas(call) where call is a transaction object. On a revert,
 * DENAI_ESTATE and the node's error, revert data included, in *rerr (may
 * be NULL; see denai_rpc_call_err). */
int denai_rpc_estimate_gas(denai_rpc *r, uint64_t *gas,
    denai_rpc_error *rerr, const json_t *call, denai_err *err) DENAI_WUR;
/* eth_call(call, block or "latest"). Out: *out, malloc'd return data. On
 * a revert, DENAI_ESTATE and the node's error in *rerr (may be NULL). */
int denai_rpc_eth_call(denai_rpc *r, uint8_t **out, size_t *outlen,
    denai_rpc_error *rerr, const json_t *call, const char *block,
    denai_err *err) DENAI_WUR;

/* Returns: a new transaction object {"to": "0x..", "data": "0x..",
 * ["from"], ["value"]} for eth_call and eth_estimateGas (to NULL: a
 * deployment; from NULL: none), or NULL out of memory. */
json_t *denai_rpc_tx_object(const uint8_t *to, const uint8_t *from,
    const uint8_t *data, size_t len, const char *value);
/* eth_sendRawTransaction. Out: hash, the transaction hash the node gives. */
int denai_rpc_send_raw(denai_rpc *r, const uint8_t *raw, size_t rawlen,
    uint8_t hash[32], denai_err *err) DENAI_WUR;
/* eth_sendRawTransactionSync (EIP-7966): sends raw and answers with its
 * receipt once mined. Out: *receipt (NULL when the node's wait ran out:
 * *unknown = 2, sent); *unknown = 1 when the node lacks the method
 * (nothing was sent). Returns: 0, or -1. */
int denai_rpc_send_raw_sync(denai_rpc *r, const uint8_t *raw, size_t rawlen,
    json_t **receipt, int *unknown, denai_err *err) DENAI_WUR;
/* eth_getTransactionReceipt. Out: *receipt, or NULL while not mined. */
int denai_rpc_receipt(denai_rpc *r, const uint8_t hash[32], json_t **receipt,
    denai_err *err) DENAI_WUR;
/* eth_getLogs(filter). Out: *logs, an array. */
int denai_rpc_get_logs(denai_rpc *r, const json_t *filter, json_t **logs,
    denai_err *err) DENAI_WUR;

typedef struct denai_rpc_block {
	uint64_t number;
	uint8_t hash[32];
	uint8_t parent_hash[32];
	uint64_t timestamp;
	int has_base_fee;
	denai_u256 base_fee;
	int has_bloom;		/* logsBloom given (eth/bloom.h) */
	uint8_t bloom[256];
} denai_rpc_block;

/*
 * The latest block's base fee and eth_maxPriorityFeePerGas in one round
 * trip (a batch). Out: *base; *priority with *has_priority = 1 when the
 * node gave one (0: it refused or lacks the method).
 * Returns: 0; -1 as denai_rpc_base_fee.
 */
int denai_rpc_fee_figures(denai_rpc *r, denai_u256 *base,
    denai_u256 *priority, int *has_priority, denai_err *err) DENAI_WUR;

/* The same figures, asked inside a caller's batch: denai_rpc_fee_reqs
 * fills q[0..1] (returns their params, to json_decref after the batch; NULL
 * when out of memory), denai_rpc_fee_read reads the replies. */
typedef struct denai_fee_figures {
	uint64_t head;		/* the latest block's number */
	denai_u256 base;
	denai_u256 priority;
	int has_priority;
} denai_fee_figures;

json_t *denai_rpc_fee_reqs(denai_rpc_req q[2]);
int denai_rpc_fee_read(denai_rpc *r, const denai_rpc_req q[2],
    denai_fee_figures *f, denai_err *err) DENAI_WUR;

/* eth_getBlockByNumber(tag, false) for "latest", "0x1a", ...
 * Returns: 0; -1 with DENAI_EDATA when there is no such block. */
int denai_rpc_get_block(denai_rpc *r, const char *tag, denai_rpc_block *b,
    denai_err *err) DENAI_WUR;

#endif
