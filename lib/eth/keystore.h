/*
 * keystore.h - V3 keystores (Web3 Secret Storage), as geth, cast and ethers
 * write them: a private key encrypted with AES-128-CTR under a key derived
 * from a password by scrypt or PBKDF2-HMAC-SHA256, authenticated by
 * keccak256(derived[16..32] || ciphertext).
 *
 * Reading is split in two so the parser can be fuzzed without running a
 * KDF: denai_keystore_parse checks the JSON and its parameters (refusing
 * any that would ask for more memory or work than the caller's limits),
 * denai_keystore_open runs the KDF, checks the MAC in constant time and
 * decrypts. A denai_keystore is a plain value owned by the caller.
 * Passwords are bytes (UTF-8 as typed), not normalised.
 */
#ifndef DENAI_KEYSTORE_H
#define DENAI_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

#define DENAI_KEYSTORE_MAX_MEM (1ull << 30)	/* default cap: 1 GiB */
#define DENAI_KEYSTORE_MAX_PBKDF2_C (1u << 24)	/* default cap on rounds */
#define DENAI_KEYSTORE_MAX_SALT 128
#define DENAI_KEYSTORE_MAX_DKLEN 128
#define DENAI_KEYSTORE_NAME_MAX 160	/* room for any struct tm */

/* geth's "standard" scrypt parameters (256 MiB, about a second) and its
 * "light" ones (4 MiB). */
#define DENAI_SCRYPT_STANDARD_N (1u << 18)
#define DENAI_SCRYPT_STANDARD_P 1
#define DENAI_SCRYPT_LIGHT_N (1u << 12)
#define DENAI_SCRYPT_LIGHT_P 6

enum denai_kdf { DENAI_KDF_SCRYPT = 1, DENAI_KDF_PBKDF2 };

typedef struct denai_keystore {
	int kdf;			/* enum denai_kdf */
	uint64_t n;			/* scrypt: cost, a power of 2 */
	uint32_t r, p;			/* scrypt: block size, parallelism */
	uint32_t c;			/* pbkdf2: rounds */
	uint32_t dklen;			/* derived key length, >= 32 */
	uint8_t salt[DENAI_KEYSTORE_MAX_SALT];
	size_t saltlen;
	uint8_t iv[16];
	uint8_t ct[32];			/* ciphertext, ctlen bytes */
	size_t ctlen;			/* 1-32 (short keys lost leading zeros) */
	uint8_t mac[32];
	int has_addr;			/* the optional "address" field */
	uint8_t addr[20];
} denai_keystore;

/* What a keystore may ask of this machine. */
typedef struct denai_keystore_limits {
	uint64_t max_mem;		/* scrypt: 128 * r * (n + p) bytes */
	uint32_t max_c;			/* pbkdf2 rounds */
} denai_keystore_limits;

/*
 * Parses and checks a keystore given as JSON text of len bytes (limits may
 * be NULL for the defaults above). Accepts "crypto" or "Crypto", version 3,
 * cipher aes-128-ctr, kdf scrypt (n a power of 2 above 1, r, p >= 1) or
 * pbkdf2 (prf hmac-sha256), dklen 32..128, hex fields with or without 0x.
 * Returns: 0, or -1 (DENAI_EDATA naming the field; DENAI_EUNSUP for another
 * cipher, kdf or prf; DENAI_ENOMEM for parameters over the limits).
 */
int denai_keystore_parse(denai_keystore *ks, const char *json, size_t len,
    const denai_keystore_limits *limits, denai_err *err) DENAI_WUR;
/* The same, from a parsed JSON value. */
int denai_keystore_parse_json(denai_keystore *ks, const json_t *root,
    const denai_keystore_limits *limits, denai_err *err) DENAI_WUR;

/*
 * Derives the key from the password, checks the MAC (constant time),
 * decrypts, and checks that the result is a valid private key whose
 * address matches the "address" field when there is one.
 * Out: sk (wiped on failure).
 * Returns: 0, or -1: DENAI_ECRYPTO "wrong password or corrupt keystore
 * (MAC mismatch)"; DENAI_EDATA for an invalid key or an address mismatch;
 * DENAI_ENOMEM when the KDF cannot get its memory.
 */
int denai_keystore_open(uint8_t sk[32], const denai_keystore *ks,
    const char *pw, size_t pwlen, denai_err *err) DENAI_WUR;

/* denai_keystore_parse then denai_keystore_open, with default limits. */
int denai_keystore_decrypt(uint8_t sk[32], const char *json, size_t len,
    const char *pw, size_t pwlen, denai_err *err) DENAI_WUR;

/*
 * Encrypts sk into a new scrypt keystore with a random salt (32 bytes), iv
 * and id (UUID v4), r = 8, the given n (a power of 2 above 1) and p
 * (DENAI_SCRYPT_STANDARD_* for real keys; tests may use n = 2).
 * Returns: a new JSON object, or NULL with err filled.
 */
json_t *denai_keystore_encrypt(const uint8_t sk[32], const char *pw,
    size_t pwlen, uint64_t n, uint32_t p, denai_err *err);

/* Writes geth's file name for a key made at time t (UTC):
 * "UTC--2006-01-02T15-04-05.000000000Z--<40 lowercase hex digits>".
 * Returns: out. */
char *denai_keystore_filename(char out[DENAI_KEYSTORE_NAME_MAX], const uint8_t addr[20],
    long long t_sec, long t_nsec);

#endif
