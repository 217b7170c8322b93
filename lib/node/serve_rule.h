/*
 * serve_rule.h - the one rule deciding whether a miner may still serve a
 * request, as the contract decides it.
 *
 * DenAI.sol takes a submission while block.number <= expiresAt. A
 * transaction sent after block head has been read lands in block head + 1
 * at the earliest, so it can still be taken only when head < expires_at.
 * At head == expires_at the request is closed to us: the next block is past
 * it. denai-watch, denai-mine --check-open and denai-submit all ask this.
 */
#ifndef DENAI_SERVE_RULE_H
#define DENAI_SERVE_RULE_H

#include <stdint.h>

/* Returns: 1 when a submission sent now (head the latest block) can still
 * land in time, else 0. */
int denai_request_can_serve(uint64_t head, uint64_t expires_at);

#endif
