/*
 * key.h - the signing key of a program, from the environment only (never
 * from argv), in the order the Ethereum tools use:
 *
 *   1. DENAI_PRIVATE_KEY: 64 hex digits (0x optional), for development;
 *   2. ETH_KEYSTORE: a V3 keystore file, or a directory of them with
 *      ETH_FROM choosing the one whose address matches, decrypted with the
 *      password in the file named by ETH_PASSWORD (one trailing newline is
 *      dropped), or typed at a prompt when stdin is a terminal.
 *
 * A program flag (e.g. --keystore) overrides ETH_KEYSTORE. When ETH_FROM is
 * set it must match the loaded key's address. Failures are one line naming
 * what is missing or wrong ("no signing key: set DENAI_PRIVATE_KEY, or
 * ETH_KEYSTORE and ETH_PASSWORD").
 *
 * A cli_key holds the secret: the caller wipes it with cli_key_wipe.
 */
#ifndef DENAI_CLI_KEY_H
#define DENAI_CLI_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "eth/secp.h"

typedef struct cli_key {
	uint8_t sk[32];				/* the private key */
	uint8_t addr[DENAI_ADDR_LEN];		/* its address */
	char addr_hex[DENAI_ADDR_HEX_MAX];	/* EIP-55 "0x..." */
} cli_key;

/*
 * Loads the configured key into *k.
 * In: keystore, a --keystore flag value or NULL (then ETH_KEYSTORE).
 * Returns: 0, or -1 with err naming what is missing or wrong
 * (DENAI_EUSAGE when nothing is configured, DENAI_ECRYPTO for a wrong
 * password, DENAI_EDATA / DENAI_EIO for bad or unreadable files).
 */
int cli_key_load(cli_key *k, const char *keystore, denai_err *err) DENAI_WUR;

/*
 * The address this program acts as: the configured key's address (loading
 * and wiping the key), or ETH_FROM when no key is configured at all.
 * Out: addr, and addr_hex (EIP-55) when not NULL.
 * Returns: 0, or -1 as cli_key_load.
 */
int cli_key_address(uint8_t addr[DENAI_ADDR_LEN],
    char addr_hex[DENAI_ADDR_HEX_MAX], const char *keystore,
    denai_err *err) DENAI_WUR;

/* Wipes *k (explicit_bzero). */
void cli_key_wipe(cli_key *k);

/*
 * Reads a password: from the file ETH_PASSWORD names (one trailing "\n" or
 * "\r\n" dropped), else, when stdin is a terminal, from /dev/tty without
 * echo after printing prompt (asked twice when confirm is set).
 * Out: buf, NUL-terminated, cap bytes at most.
 * Returns: 0, or -1 (DENAI_EUSAGE when there is no password source).
 */
int cli_password_read(char *buf, size_t cap, const char *prompt, int confirm,
    denai_err *err) DENAI_WUR;

/* Prints prompt on /dev/tty and reads a line from it without echo (the
 * newline dropped). Out: buf, NUL-terminated. Returns: 0, or -1 (DENAI_EIO)
 * when there is no terminal. */
int cli_tty_prompt(char *buf, size_t cap, const char *prompt,
    denai_err *err) DENAI_WUR;

#endif
