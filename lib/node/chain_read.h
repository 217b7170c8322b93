/*
 * node/chain_read.h - typed reads of the DenAI contracts for programs: a
 * model, a request, a count, a balance, each returned as a struct decoded
 * once here. A contract's refusal is recognised by its decoded error name
 * (node/contract.h's denai_revert), never by searching a message.
 *
 * A denai_chain names what every call needs; it borrows everything it
 * points to (the program opens and closes them: cmd/common/chain.h).
 */
#ifndef DENAI_NODE_CHAIN_READ_H
#define DENAI_NODE_CHAIN_READ_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/rpc.h"
#include "eth/u256.h"
#include "node/chain_sig.h"
#include "node/contract.h"
#include "node/deployment.h"
#include "node/oracle.h"

typedef struct denai_chain {
	denai_rpc *rpc;			/* borrowed */
	const denai_oracle *oracle;	/* borrowed: the signature table */
	const denai_deployment *dep;	/* borrowed */
	uint64_t chain_id;		/* the node's */
} denai_chain;

/*
 * eth_call of the view fn with args (a JSON array, NULL for none) on the
 * deployment's oracle. Out: *result, a new array of fn's outputs; rv (may
 * be NULL; the caller clears it) the decoded refusal on a revert.
 * Returns: 0, or -1 (a revert is DENAI_ESTATE "fn reverted: Name(args)").
 */
int denai_chain_call(const denai_chain *c, json_t **result, denai_revert *rv,
    enum denai_oracle_fn fn, const json_t *args, denai_err *err) DENAI_WUR;

typedef struct denai_model_info {
	char cid[128];
	uint8_t sha256[32];
	unsigned decimals;
	int active;
	uint8_t trainer[DENAI_ADDR_LEN];
	char *description;	/* malloc'd; denai_model_info_clear frees */
} denai_model_info;

/* Frees m's description and zeroes m (a zeroed one is clear). */
void denai_model_info_clear(denai_model_info *m);

/*
 * getModel(id) (id in decimal), the one decoder of it. Out: m (clear it).
 * Returns: 0, or -1; an unknown model (the registry's UnknownModel) is
 * DENAI_EDATA "model 7 is not registered".
 */
int denai_chain_model(const denai_chain *c, denai_model_info *m,
    const char *id, denai_err *err) DENAI_WUR;

/*
 * A model a request may name: registered and active. Out: m (clear it).
 * Returns: 0, or -1 with DENAI_EDATA "model 9 is not registered (see
 * denai-model list)" or "model 7 is retired", or a read failure.
 */
int denai_chain_model_usable(const denai_chain *c, denai_model_info *m,
    const char *id, denai_err *err) DENAI_WUR;

/* Returns: a new object {"model_id", "cid", "sha256", "decimals",
 * "active", "trainer", "description"} (hex lowercase), or NULL. */
json_t *denai_model_info_json(const denai_model_info *m, const char *id);

/* modelCount(). Returns: 0, or -1. */
int denai_chain_model_count(const denai_chain *c, uint64_t *n,
    denai_err *err) DENAI_WUR;

/* getRequest(id). Out: info (status DENAI_REQ_NONE for no such request).
 * Returns: 0, or -1. */
int denai_chain_request(const denai_chain *c, denai_request_info *info,
    const denai_u256 *id, denai_err *err) DENAI_WUR;

/* What became of request id (decimal), as node/result.h builds it.
 * Returns: a new object, or NULL ("request 7 does not exist": EDATA). */
json_t *denai_chain_result(const denai_chain *c, const char *id,
    denai_err *err);

/* submitGasLimit(id): the gas a fulfilling submission of request id
 * (decimal) needs. Out: *gas. Returns: 0, or -1. */
int denai_chain_submit_gas_limit(const denai_chain *c, uint64_t *gas,
    const char *id, denai_err *err) DENAI_WUR;

/* eth_getBalance(addr, "latest"). Returns: 0, or -1. */
int denai_chain_balance(const denai_chain *c, denai_u256 *wei,
    const uint8_t addr[DENAI_ADDR_LEN], denai_err *err) DENAI_WUR;

#endif
