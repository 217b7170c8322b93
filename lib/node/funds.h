/*
 * funds.h - can an account pay for a transaction: its value plus the most
 * its gas can cost (gas at the max fee a sender would offer now, margin
 * included). Checked before sending, so a tip the balance cannot cover is
 * refused as bad input (EX_DATAERR) instead of failing at the node.
 */
#ifndef DENAI_FUNDS_H
#define DENAI_FUNDS_H

#include <stdint.h>

#include "err.h"
#include "node/chain_read.h"
#include "eth/secp.h"
#include "eth/u256.h"

/*
 * Estimates the call (to, data, value) from addr on c's node, adds a 25%
 * margin, and compares value + gas * max fee (denai_rpc_fees) with addr's
 * balance (denai_chain_balance).
 * An estimate the node refuses for want of funds counts as not enough.
 * Out: *need, *balance (wei).
 * Returns: 1 enough, 0 not enough, -1 when the node could not tell.
 */
int denai_funds_check(const denai_chain *c, const uint8_t addr[DENAI_ADDR_LEN],
    const uint8_t to[DENAI_ADDR_LEN], const uint8_t *data, size_t len,
    const denai_u256 *value, denai_u256 *need, denai_u256 *balance,
    denai_err *err) DENAI_WUR;

#endif
