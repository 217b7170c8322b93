/*
 * seal.h - the three seals of docs/platform.md, each
 * keccak256(abi.encode(...)):
 *
 *   test set  (string testCid, bytes32 salt)
 *   model     (uint256 taskId, address trainer, bytes32 modelSha256,
 *              bytes32 salt)
 *   scores    (uint256 taskId, address validator, bool testSetValid,
 *              address[] trainers, int256[] scores, bytes32 salt)
 *
 * and fresh salts from the kernel's generator (denai_seal_salt, with the
 * ABI helper, lives in node/seal.h). Task ids and scores are
 * decimal strings as records carry them.
 */
#ifndef DENAI_SEAL_H
#define DENAI_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/secp.h"
#include "node/seal.h"

int denai_seal_test(uint8_t out[32], const char *test_cid,
    const uint8_t salt[32], denai_err *err) DENAI_WUR;

int denai_seal_model(uint8_t out[32], const char *task_id,
    const uint8_t trainer[DENAI_ADDR_LEN], const uint8_t model_sha256[32],
    const uint8_t salt[32], denai_err *err) DENAI_WUR;

/* trainers: a JSON array of "0x" addresses; scores: a JSON array of the
 * same length of int256 decimal strings (or integers). */
int denai_seal_scores(uint8_t out[32], const char *task_id,
    const uint8_t validator[DENAI_ADDR_LEN], int test_valid,
    const json_t *trainers, const json_t *scores, const uint8_t salt[32],
    denai_err *err) DENAI_WUR;

#endif
