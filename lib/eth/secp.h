/*
 * secp.h - secp256k1 keys, Ethereum addresses and recoverable signatures,
 * over libsecp256k1 and its recovery module.
 *
 * The library context is created once, on first use, behind pthread_once,
 * randomised against side channels, and shared read-only by every thread.
 * Private keys are 32 big-endian bytes held by the caller, who wipes them
 * (explicit_bzero) when done; functions here wipe their own copies.
 *
 * Signatures are deterministic (RFC 6979) and low-s, so they equal what
 * cast, geth and ethers produce for the same key and hash.
 */
#ifndef DENAI_SECP_H
#define DENAI_SECP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DENAI_ADDR_LEN 20
#define DENAI_ADDR_HEX_MAX 43	/* "0x", 40 digits and a NUL */

/* A recoverable signature: r, s (big-endian) and the recovery id 0 or 1
 * (the parity of R's y; 2 and 3 never occur for real keys). */
typedef struct denai_sig {
	uint8_t r[32];
	uint8_t s[32];
	uint8_t recid;
} denai_sig;

/* Returns: 0 if sk is a valid private key (1 <= sk < n), else -1. */
int denai_secp_seckey_check(const uint8_t sk[32], denai_err *err) DENAI_WUR;

/* Fills sk with a fresh random valid private key (getrandom(2)).
 * Returns: 0, or -1 if the system has no randomness to give. */
int denai_secp_seckey_generate(uint8_t sk[32], denai_err *err) DENAI_WUR;

/* Out: pub, the uncompressed public key x || y (64 bytes, no 0x04).
 * Returns: 0, or -1 for an invalid private key. */
int denai_secp_pubkey(uint8_t pub[64], const uint8_t sk[32],
    denai_err *err) DENAI_WUR;

/* Out: addr, the last 20 bytes of keccak256(x || y). */
void denai_secp_pub_address(uint8_t addr[DENAI_ADDR_LEN],
    const uint8_t pub[64]);

/* Out: addr, the Ethereum address of a private key.
 * Returns: 0, or -1 for an invalid private key. */
int denai_secp_address(uint8_t addr[DENAI_ADDR_LEN], const uint8_t sk[32],
    denai_err *err) DENAI_WUR;

/*
 * Signs a 32-byte hash (no hashing is done here).
 * Out: *sig, low-s, with its recovery id.
 * Returns: 0, or -1 for an invalid private key.
 */
int denai_secp_sign(denai_sig *sig, const uint8_t sk[32],
    const uint8_t hash[32], denai_err *err) DENAI_WUR;

/*
 * Recovers the signer's address from a hash and a signature. Signatures
 * with a high s are refused (as Ethereum transactions require) unless
 * allow_high_s.
 * Returns: 0, or -1 (DENAI_ECRYPTO) when r or s is out of range or no key
 * recovers.
 */
int denai_secp_recover(uint8_t addr[DENAI_ADDR_LEN], const denai_sig *sig,
    const uint8_t hash[32], int allow_high_s, denai_err *err) DENAI_WUR;

/* Out: out, r || s || v with v = 27 + recid (as cast wallet sign prints). */
void denai_secp_sig_encode65(uint8_t out[65], const denai_sig *sig);

/* Reads r || s || v where v is 0, 1, 27 or 28.
 * Returns: 0, or -1 (DENAI_EDATA) for another v. */
int denai_secp_sig_decode65(denai_sig *sig, const uint8_t in[65],
    denai_err *err) DENAI_WUR;

/* Out: hash, the EIP-191 personal_sign hash of msg:
 * keccak256("\x19Ethereum Signed Message:\n" || decimal len || msg). */
void denai_secp_eip191_hash(uint8_t hash[32], const void *msg, size_t len);

/* Writes "0x" and the EIP-55 mixed-case checksummed hex of addr.
 * Returns: out. */
char *denai_secp_addr_checksum(char out[DENAI_ADDR_HEX_MAX],
    const uint8_t addr[DENAI_ADDR_LEN]);

/*
 * Parses an address of exactly len characters: an optional "0x" and 40 hex
 * digits, either all one case or in EIP-55 mixed case, whose checksum must
 * then hold.
 * Returns: 0, or -1 (DENAI_EDATA) naming the length, the bad digit or the
 * failed checksum.
 */
int denai_secp_addr_parse(uint8_t addr[DENAI_ADDR_LEN], const char *s,
    size_t len, denai_err *err) DENAI_WUR;

#endif
