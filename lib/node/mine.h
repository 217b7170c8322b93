/*
 * mine.h - what the mining stage reads from a request record and asks the
 * chain: the proof-of-work job's challenge and difficulty, the request id,
 * and whether the request can still take a miner's submission.
 *
 * Nothing here keeps state or changes the record; outputs are fixed-size
 * values the caller owns, and strings returned are static.
 */
#ifndef DENAI_MINE_H
#define DENAI_MINE_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "node/oracle.h"
#include "pow/pow.h"
#include "eth/rpc.h"
#include "eth/u256.h"

/*
 * Fills job's challenge (the record's "challenge", 32 bytes in hex) and
 * difficulty ("difficulty": a decimal or 0x string, or a non-negative JSON
 * integer; not 0). Nothing else in job is touched.
 * Returns: 0, or -1 (DENAI_EDATA naming the field).
 */
int denai_mine_record_job(denai_pow_job *job, const json_t *rec,
    denai_err *err) DENAI_WUR;

/*
 * The record's "request_id": a decimal or 0x string, or a non-negative
 * JSON integer.
 * Returns: 0 and *id; 1 when there is none usable (absent, null, another
 * type, negative; err "missing request_id"); -1 when the string does not
 * parse (err prefixed "request_id").
 */
int denai_mine_record_request_id(denai_u256 *id, const json_t *rec,
    denai_err *err) DENAI_WUR;

/*
 * Asks the oracle at contract whether request id can still take miner's
 * submission: getRequest's status (open) and expiresAt (the last block
 * taking one) against the block number, and hasSubmitted(id, miner).
 * Out: *closed, NULL while it can; "closed" (not open, or expired: the
 * next block is past expiresAt) or "already-submitted" when it cannot.
 * Returns: 0, or -1 when the node could not tell (*closed NULL).
 */
int denai_mine_check_open(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t contract[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], const char **closed,
    denai_err *err) DENAI_WUR;

/*
 * The chain client of --check-open: quick to give up (2 s to connect, 5 s
 * per exchange, one try), so a check never holds the search up, and the
 * signature table. A heap object (denai_mine_checker_free), used by one
 * thread.
 * Returns: the checker, or NULL with err (a bad URL is DENAI_EUSAGE).
 */
typedef struct denai_mine_checker denai_mine_checker;

denai_mine_checker *denai_mine_checker_new(const char *rpc_url,
    denai_err *err);
void denai_mine_checker_free(denai_mine_checker *k);

/* denai_mine_check_open through k. */
int denai_mine_checker_check(denai_mine_checker *k, const char **closed,
    const uint8_t contract[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], denai_err *err) DENAI_WUR;

/* Returns: the expected number of hashes to find a solution at
 * difficulty (the difficulty as a double, rounded). */
double denai_mine_expected_hashes(const denai_u256 *difficulty);

#endif
