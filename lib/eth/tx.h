/*
 * tx.h - Ethereum transactions: EIP-1559 (type 2) and legacy (EIP-155, or
 * pre-EIP-155 when the chain id is 0): signing hash, signing, the raw
 * encoding eth_sendRawTransaction takes, its hash, and decoding.
 *
 * A denai_tx is a plain value owned by the caller; its data pointer is
 * borrowed (from the caller, or from the raw bytes it was decoded from)
 * and must outlive it. The access list is always empty when encoding.
 */
#ifndef DENAI_TX_H
#define DENAI_TX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "eth/secp.h"
#include "eth/u256.h"

enum denai_tx_type {
	DENAI_TX_LEGACY = 0,
	DENAI_TX_EIP1559 = 2,
};

typedef struct denai_tx {
	int type;			/* enum denai_tx_type */
	uint64_t chain_id;		/* legacy: 0 signs without EIP-155 */
	uint64_t nonce;
	denai_u256 gas_price;		/* legacy only */
	denai_u256 max_priority_fee;	/* type 2: max priority fee per gas */
	denai_u256 max_fee;		/* type 2: max fee per gas */
	uint64_t gas;			/* gas limit */
	int has_to;			/* 0: contract creation */
	uint8_t to[DENAI_ADDR_LEN];
	denai_u256 value;		/* wei */
	const uint8_t *data;		/* call data or init code (borrowed) */
	size_t datalen;
} denai_tx;

/* Out: hash, the hash the sender signs (keccak256 of the unsigned
 * encoding: type 2 prefixed with 0x02; legacy with chain id, 0, 0 appended
 * under EIP-155). Returns: 0, or -1 for an unknown type or no memory. */
int denai_tx_signing_hash(uint8_t hash[32], const denai_tx *tx,
    denai_err *err) DENAI_WUR;

/*
 * Encodes a signed transaction: 0x02 || rlp([chain id, nonce, priority fee,
 * max fee, gas, to, value, data, [], y parity, r, s]) for type 2, or
 * rlp([nonce, gas price, gas, to, value, data, v, r, s]) with
 * v = 35 + 2 * chain id + recid (27 + recid without a chain id).
 * Out: *raw, malloc'd, *rawlen bytes; the caller frees it.
 * Returns: 0, or -1.
 */
int denai_tx_encode(uint8_t **raw, size_t *rawlen, const denai_tx *tx,
    const denai_sig *sig, denai_err *err) DENAI_WUR;

/*
 * Signs tx with sk and encodes it.
 * Out: *raw and *rawlen as denai_tx_encode; hash (may be NULL), the
 * transaction hash keccak256(raw).
 * Returns: 0, or -1 for an invalid key, an unknown type or no memory.
 */
int denai_tx_sign(uint8_t **raw, size_t *rawlen, uint8_t hash[32],
    const denai_tx *tx, const uint8_t sk[32], denai_err *err) DENAI_WUR;

/* Out: hash, the transaction hash of raw bytes: keccak256(raw). */
void denai_tx_hash(uint8_t hash[32], const uint8_t *raw, size_t rawlen);

/*
 * Decodes a signed transaction (type 2 or legacy, whose v is 27 or 28, or
 * 35 + 2 * chain id + recid for chain ids from 1; a non-empty access list
 * or another type is refused as unsupported), checks its fields' canonical
 * form and widths (nonce and gas 64 bits, amounts 256 bits, to 0 or 20
 * bytes, r and s 1-32 bytes, no leading zeros) and recovers the sender.
 * Out: *tx (data points into raw), *sig, from (the sender).
 * Returns: 0, or -1 (DENAI_EDATA naming the field; DENAI_ECRYPTO for a
 * signature no key recovers from, or with a high s).
 */
int denai_tx_decode(denai_tx *tx, denai_sig *sig,
    uint8_t from[DENAI_ADDR_LEN], const uint8_t *raw, size_t rawlen,
    denai_err *err) DENAI_WUR;

#endif
