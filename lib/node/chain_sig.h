/*
 * node/chain_sig.h - the one signature table: every function, event and
 * custom error of the contracts the tools call (the oracle and registry,
 * the example consumer, the ERC-20), parsed once. Selectors, topics and
 * revert decoding all come from here; no other file spells a signature.
 *
 * A denai_oracle is a heap object from denai_oracle_new, freed with
 * denai_oracle_free; it holds parsed signatures only and may be shared
 * read-only between threads. The surface is docs/contracts.md.
 */
#ifndef DENAI_NODE_CHAIN_SIG_H
#define DENAI_NODE_CHAIN_SIG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/abi.h"

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
	DENAI_FN_CONSUMER_CANCEL,	/* ExampleConsumer.cancel(uint256) */
	DENAI_FN_SET_OPEN_MINING,	/* setOpenMining(bool) */
	DENAI_FN_REQUEST_SEALED,	/* requestSealedPrediction(uint256,string,uint32)(uint256) */
	DENAI_FN_CONSUMER_REQUEST_SEALED, /* ExampleConsumer.requestSealedPrediction(uint256,string,uint256) */
	DENAI_FN_COMMIT,		/* commitSolution(uint256,bytes32,uint256) */
	DENAI_FN_REVEAL,		/* revealSolution(uint256,uint256,bytes32) */
	DENAI_FN_SEALED_INFO,		/* sealedInfo(uint256)(bool,uint256,uint256) */
	DENAI_FN_OPEN_SEALED,		/* openSealedRequests(uint256,uint256)(uint256[]) */
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

/* Out: topic, topics[0] of ev's logs. */
void denai_oracle_topic0(const denai_oracle *o, uint8_t topic[32],
    enum denai_oracle_event ev);

/* Calldata for fn with args (a JSON array). Out: *cd malloc'd. */
int denai_oracle_calldata(const denai_oracle *o, enum denai_oracle_fn fn,
    const json_t *args, uint8_t **cd, size_t *len, denai_err *err)
    DENAI_WUR;

#endif
