/*
 * node/oracle.h - the DenAI contract as the C tools see it: views by
 * signature (node/chain_sig.h's table), the PredictionRequested log turned
 * into a pipeline request record, and getRequest read into a struct.
 * Typed reads and sends for programs are node/chain_read.h and
 * node/chain_send.h.
 *
 * The surface is docs/contracts.md.
 */
#ifndef DENAI_ORACLE_H
#define DENAI_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "eth/abi.h"
#include "err.h"
#include "eth/rpc.h"
#include "eth/secp.h"
#include "eth/u256.h"
#include "node/chain_sig.h"

/* Request status as getRequest reports it. */
enum denai_request_status {
	DENAI_REQ_NONE = 0,
	DENAI_REQ_OPEN = 1,
	DENAI_REQ_FULFILLED = 2,
	DENAI_REQ_CANCELLED = 3,
};

/* eth_call of a view fn on contract at with args. Out: *result array. */
int denai_oracle_call(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_oracle_fn fn,
    const json_t *args, json_t **result, denai_err *err) DENAI_WUR;

/* The same at a block ("0x1a", "latest"; NULL is "latest"). */
int denai_oracle_call_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_oracle_fn fn,
    const json_t *args, const char *block, json_t **result, denai_err *err)
    DENAI_WUR;

/*
 * Turns one eth_getLogs entry of PredictionRequested into a pipeline
 * request record: {"type":"request", "chain_id", "contract", "request_id",
 * "model_id", "data_cid", "tip", "requester", "challenge", "difficulty",
 * "block_number", "block_hash", "tx_hash", "log_index"}.
 * Returns: a new record, or NULL naming what is wrong with the log.
 */
json_t *denai_oracle_request_record(const denai_oracle *o, const json_t *log,
    uint64_t chain_id, denai_err *err);

/* Decodes any log of the oracle's events ({"event", "args", "named"}). */
json_t *denai_oracle_decode_log(const denai_oracle *o,
    enum denai_oracle_event ev, const json_t *log, denai_err *err);

typedef struct denai_request_info {
	uint8_t requester[DENAI_ADDR_LEN];
	denai_u256 model_id;
	char data_cid[128];
	denai_u256 tip;
	uint8_t challenge[32];
	denai_u256 difficulty;
	uint64_t callback_gas;
	uint64_t expires_at;
	int status;			/* enum denai_request_status */
	uint64_t submissions;
	denai_u256 prediction;
	int callback_ok;
} denai_request_info;

/* getRequest(id) on the oracle at. Returns: 0 or -1. */
int denai_oracle_get_request(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    denai_request_info *info, denai_err *err) DENAI_WUR;

/* A getRequest result (a JSON array of its outputs) as *info.
 * Returns: 0 or -1. */
int denai_oracle_request_decode(denai_request_info *info, const json_t *r,
    denai_err *err) DENAI_WUR;

/* The same at a block (NULL: "latest"). */
int denai_oracle_get_request_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const char *block, denai_request_info *info, denai_err *err) DENAI_WUR;

/* sealedInfo(id): whether a request is sealed and open (commit-reveal),
 * and once its quorum of seals is in, the last block of its reveal window
 * (else 0) and the reveals so far. */
typedef struct denai_sealed_info {
	int sealed;
	uint64_t reveal_deadline;
	uint64_t reveals;
} denai_sealed_info;

/*
 * getRequest(id), and hasSubmitted(id, miner) when miner is not NULL, and
 * sealedInfo(id) when si is not NULL, at one block (NULL: "latest") in one
 * round trip (a JSON-RPC batch). A contract without sealed requests
 * refuses sealedInfo: then none is sealed.
 * Out: *info, *submitted (0 when miner is NULL), *si. Returns: 0 or -1.
 */
int denai_oracle_request_view(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t *miner, const char *block, denai_request_info *info,
    int *submitted, denai_sealed_info *si, denai_err *err) DENAI_WUR;
/* The same, with nextra other requests in the batch (their replies are
 * left in extra[i], for the caller to read and clear; see
 * denai_contract_calls). */
int denai_oracle_request_view_with(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t *miner, const char *block, denai_request_info *info,
    int *submitted, denai_sealed_info *si, denai_rpc_req *extra,
    size_t nextra, denai_err *err) DENAI_WUR;

/* hasSubmitted(id, miner). Out: *yes. Returns: 0 or -1. */
int denai_oracle_has_submitted(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], int *yes, denai_err *err)
    DENAI_WUR;

/* The same at a block (NULL: "latest"). */
int denai_oracle_has_submitted_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], const char *block, int *yes,
    denai_err *err) DENAI_WUR;


/* Returns: "open", "fulfilled", "cancelled" or "none". */
const char *denai_request_status_name(int status);

#endif
