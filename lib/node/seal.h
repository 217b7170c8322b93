/*
 * node/seal.h - commitments: keccak256(abi.encode(...)) of their fields,
 * and fresh salts from the kernel's generator. The prediction seal of a
 * sealed request (docs/contracts.md) is
 *
 *   keccak256(abi.encode(uint256 requestId, address miner,
 *                        uint256 prediction, bytes32 salt))
 *
 * which DenAI.revealSolution recomputes. lib/task's seals (task/seal.h)
 * are built on the same two helpers.
 */
#ifndef DENAI_NODE_SEAL_H
#define DENAI_NODE_SEAL_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/secp.h"
#include "eth/u256.h"

/* Out: 32 random bytes (getrandom). Returns: 0, or -1 (DENAI_EIO). */
int denai_seal_salt(uint8_t salt[32], denai_err *err) DENAI_WUR;

/*
 * keccak256(abi.encode(values)) for the tuple type ("(uint256,bytes32)");
 * values is a JSON array as eth/abi.h encodes it, and is stolen (NULL is
 * DENAI_ENOMEM, so a json_pack may be passed as it is).
 * Returns: 0, or -1 (DENAI_EDATA for values that do not fit the type).
 */
int denai_seal_abi(uint8_t out[32], const char *type, json_t *values,
    denai_err *err) DENAI_WUR;

/* The prediction seal above. Returns: 0, or -1 (no memory). */
int denai_seal_prediction(uint8_t out[32], const denai_u256 *request_id,
    const uint8_t miner[DENAI_ADDR_LEN], const denai_u256 *prediction,
    const uint8_t salt[32], denai_err *err) DENAI_WUR;

#endif
