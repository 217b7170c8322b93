/*
 * oracle.h - the DenAI contract as the C tools see it: its function, event
 * and error signatures (parsed once), the PredictionRequested log turned
 * into a pipeline request record, and getRequest read into a struct.
 *
 * The surface is docs/contracts.md. A denai_oracle is a heap object from
 * denai_oracle_new, freed with denai_oracle_free; it holds parsed
 * signatures only and may be shared read-only between threads.
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

enum denai_oracle_fn {
	DENAI_FN_REQUEST,		/* requestPrediction(uint256,string,uint32) */
	DENAI_FN_SUBMIT,		/* submitSolution(uint256,uint256,uint256) */
	DENAI_FN_CANCEL,		/* cancelRequest(uint256) */
	DENAI_FN_WITHDRAW,		/* withdraw() */
	DENAI_FN_GET_REQUEST,		/* getRequest(uint256)(...) */
	DENAI_FN_OPEN_REQUESTS,		/* openRequests(uint256,uint256)(uint256[]) */
	DENAI_FN_LANE_COUNT,		/* laneCount()(uint256) */
	DENAI_FN_HAS_SUBMITTED,		/* hasSubmitted(uint256,address)(bool) */
	DENAI_FN_DIFFICULTY,		/* difficulty()(uint256) */
	DENAI_FN_QUORUM,		/* quorum()(uint256) */
	DENAI_FN_REQUEST_COUNT,		/* requestCount()(uint256) */
	DENAI_FN_OWED,			/* owed(address)(uint256,uint256) */
	DENAI_FN_TOKEN,			/* token()(address) */
	DENAI_FN_REGISTER_MODEL,	/* registerModel(string,bytes32,uint8,string)(uint256) */
	DENAI_FN_RETIRE_MODEL,		/* retireModel(uint256) */
	DENAI_FN_GET_MODEL,		/* getModel(uint256)(string,bytes32,uint8,bool,address,string) */
	DENAI_FN_MODEL_COUNT,		/* modelCount()(uint256) */
	DENAI_FN_CONSUMER_REQUEST,	/* ExampleConsumer.requestPrediction(uint256,string,uint256) */
	DENAI_FN_CONSUMER_RESPONSES,	/* ExampleConsumer.responses(uint256)(uint256,address,bool) */
	DENAI_FN_BALANCE_OF,		/* ERC-20 balanceOf(address)(uint256) */
	DENAI_FN_SUBMIT_GAS_LIMIT,	/* submitGasLimit(uint256)(uint256) */
	DENAI_FN_COUNT
};

enum denai_oracle_event {
	DENAI_EV_REQUESTED,		/* PredictionRequested */
	DENAI_EV_SUBMITTED,		/* SolutionSubmitted */
	DENAI_EV_FULFILLED,		/* PredictionFulfilled */
	DENAI_EV_CANCELLED,		/* RequestCancelled */
	DENAI_EV_MODEL_REGISTERED,	/* ModelRegistered */
	DENAI_EV_COUNT
};

/* Request status as getRequest reports it. */
enum denai_request_status {
	DENAI_REQ_NONE = 0,
	DENAI_REQ_OPEN = 1,
	DENAI_REQ_FULFILLED = 2,
	DENAI_REQ_CANCELLED = 3,
};

typedef struct denai_oracle denai_oracle;

denai_oracle *denai_oracle_new(denai_err *err);
void denai_oracle_free(denai_oracle *o);

const denai_abi_sig *denai_oracle_fn(const denai_oracle *o,
    enum denai_oracle_fn fn);
const denai_abi_sig *denai_oracle_event(const denai_oracle *o,
    enum denai_oracle_event ev);
/* The contract's custom errors, for revert decoding. */
denai_abi_sig *const *denai_oracle_errors(const denai_oracle *o,
    size_t *n);

/* Calldata for fn with args (a JSON array). Out: *cd malloc'd. */
int denai_oracle_calldata(const denai_oracle *o, enum denai_oracle_fn fn,
    const json_t *args, uint8_t **cd, size_t *len, denai_err *err)
    DENAI_WUR;

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

/* The same at a block (NULL: "latest"). */
int denai_oracle_get_request_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const char *block, denai_request_info *info, denai_err *err) DENAI_WUR;

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

typedef struct denai_model_info {
	char cid[128];
	uint8_t sha256[32];
	unsigned decimals;
	int active;
	uint8_t trainer[DENAI_ADDR_LEN];
} denai_model_info;

/* getModel(id) on the registry at. An unknown model is DENAI_EDATA
 * ("model 7 is not registered"). Returns: 0 or -1. */
int denai_oracle_get_model(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const char *id, denai_model_info *info,
    denai_err *err) DENAI_WUR;

/* Returns: "open", "fulfilled", "cancelled" or "none". */
const char *denai_request_status_name(int status);

#endif
