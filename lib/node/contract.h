/*
 * node/contract.h - calling contracts through JSON-RPC with ABI
 * signatures: eth_call with decoded results, and a contract's refusal
 * (revert data) decoded into a denai_revert: the error's name, its
 * arguments and one line for people. The read path (denai_contract_call)
 * and the send path (node/chain_send.h) decode reverts with the same
 * function, denai_revert_from_rpc.
 *
 * Signatures carry their outputs ("getModel(uint256)(string,bytes32,...)").
 * Results are new JSON arrays (see abi.h for the value forms).
 */
#ifndef DENAI_CONTRACT_H
#define DENAI_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "eth/abi.h"
#include "err.h"
#include "eth/rpc.h"
#include "eth/secp.h"

/* A contract's refusal, decoded. Owned by the caller: clear it with
 * denai_revert_clear (a zeroed one is clear). */
typedef struct denai_revert {
	int set;		/* 1: the contract reverted */
	char name[64];		/* the error's name: a custom error
				 * ("UnknownModel"), "Error" (a reason
				 * string), "Panic"; "" when the data
				 * matched none or there was none */
	json_t *args;		/* its arguments, a new JSON array in
				 * abi.h's forms; NULL when no name */
	char message[256];	/* for people: "UnknownModel(7)",
				 * "panic: ...", "reverted without data" */
} denai_revert;

void denai_revert_clear(denai_revert *rv);

/* Returns: 1 when rv is the contract's error named name, else 0. */
int denai_revert_is(const denai_revert *rv, const char *name);

/*
 * Decodes revert data (hex text as nodes send it, "0x...") with the custom
 * errors errs[0..nerrs) into rv (cleared first; set on success).
 * Returns: 0, or -1 when hex is not hex (err) or out of memory.
 */
int denai_revert_decode(denai_revert *rv, const char *hex,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err) DENAI_WUR;

/*
 * Decodes the revert a node reported in its JSON-RPC error re (a refusal
 * carrying revert data). Out: rv (cleared first).
 * Returns: 1 when re was a revert (rv set), else 0.
 */
int denai_revert_from_rpc(denai_revert *rv, const denai_rpc_error *re,
    denai_abi_sig *const *errs, size_t nerrs);

/*
 * eth_call of sig with args (a JSON array, NULL for none) on contract to,
 * at block ("latest" when NULL), from (may be NULL).
 * Out: *result, a new JSON array of sig's outputs; rv (may be NULL): on a
 * revert, the decoded error (clear it).
 * Returns: 0, or -1; a revert is DENAI_ESTATE with the decoded reason
 * ("getRequest reverted: RequestNotOpen(7)") using the custom errors
 * errs[0..nerrs).
 */
int denai_contract_call(denai_rpc *rpc, json_t **result, denai_revert *rv,
    const uint8_t to[DENAI_ADDR_LEN], const uint8_t *from,
    const denai_abi_sig *sig, const json_t *args, const char *block,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err) DENAI_WUR;

/* One call of a batch (denai_contract_calls); zero it, then fill in. */
typedef struct denai_contract_q {
	const denai_abi_sig *sig;	/* in */
	const json_t *args;		/* in: a JSON array, or NULL */
	const uint8_t *from;		/* in: the caller, or NULL */
	denai_revert *rv;		/* in: may be refused; or NULL */
	json_t *result;			/* out: as denai_contract_call's */
} denai_contract_q;

/*
 * denai_contract_call for n calls to contract to at one block, sent as one
 * JSON-RPC batch with nextra other requests (their replies are left in
 * extra[i], for the caller to read and clear): one round trip where n +
 * nextra calls took as many. Every call must succeed, except that a call
 * with rv set may be refused (its result stays NULL, and a revert's
 * decoded error goes to *rv, cleared first); the first failure is
 * reported as denai_contract_call reports it, and no result is left.
 * Out: q[i].result (json_decref each). Returns: 0, or -1.
 */
int denai_contract_calls(denai_rpc *rpc, denai_contract_q *q, size_t n,
    denai_rpc_req *extra, size_t nextra, const uint8_t to[DENAI_ADDR_LEN],
    const char *block, denai_abi_sig *const *errs, size_t nerrs,
    denai_err *err) DENAI_WUR;

/*
 * Decodes revert data into one line for people (see denai_revert.message).
 * Out: *decoded (may be NULL), the abi.h revert object when one matched.
 * Returns: 0 with msg filled (cap bytes), or -1 when hex is not hex.
 * (For denai-submit until it moves onto node/chain_send.h; new code uses
 * denai_revert_decode.)
 */
int denai_contract_revert_message(char *msg, size_t cap, json_t **decoded,
    const char *hex, denai_abi_sig *const *errs, size_t nerrs,
    denai_err *err) DENAI_WUR;

#endif
