/*
 * contract.h - calling contracts through JSON-RPC with ABI signatures:
 * eth_call with decoded results, revert data decoded into a message.
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

/*
 * eth_call of sig with args (a JSON array, NULL for none) on contract to,
 * at block ("latest" when NULL), from (may be NULL).
 * Out: *result, a new JSON array of sig's outputs.
 * Returns: 0, or -1; a revert is DENAI_ESTATE with the decoded reason
 * ("reverted: RequestNotOpen(7)") using the custom errors errs[0..nerrs).
 */
int denai_contract_call(denai_rpc *rpc, const uint8_t to[DENAI_ADDR_LEN],
    const uint8_t *from, const denai_abi_sig *sig, const json_t *args,
    const char *block, denai_abi_sig *const *errs, size_t nerrs,
    json_t **result, denai_err *err) DENAI_WUR;

/*
 * Decodes revert data (hex text as nodes send it, "0x..."), into one line
 * for people: "Error message", "panic: arithmetic overflow or underflow",
 * "AlreadySubmitted(3, 0xabc...)", or "reverted without data".
 * Out: *decoded (may be NULL), the abi.h revert object when one matched.
 * Returns: 0 with msg filled (cap bytes), or -1 when hex is not hex.
 */
int denai_contract_revert_message(char *msg, size_t cap, json_t **decoded,
    const char *hex, denai_abi_sig *const *errs, size_t nerrs,
    denai_err *err) DENAI_WUR;

/* Returns: a new transaction object {"to": "0x..", "data": "0x..",
 * ["from"], ["value"]} for eth_call and eth_estimateGas, or NULL. */
json_t *denai_contract_callobj(const uint8_t to[DENAI_ADDR_LEN],
    const uint8_t *from, const uint8_t *data, size_t len, const char *value);

#endif
