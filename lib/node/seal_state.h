/*
 * node/seal_state.h - a miner's memory of its seals: for each sealed
 * request it commits to, the prediction and salt behind the seal, kept in
 * a state folder so that a restarted denai-submit still reveals (and never
 * draws a second salt for a request it may have committed to).
 *
 * Layout, one folder per chain, oracle and miner (mode 0700):
 *   <root>/submit-<chain_id>-<oracle hex>-<miner hex>/sealed-<id>.json
 * each {"version":1, "request_id", "prediction", "salt", "seal",
 * "record"} (the mined record as it came in), mode 0600, written
 * atomically (temporary file, fsync, rename, fsync of the folder) before
 * commitSolution is sent, and removed once the request is settled for this
 * miner (revealed and mined, or closed).
 *
 * A denai_seal_state is a plain value; denai_seal_state_clear wipes its
 * salt and drops its record.
 */
#ifndef DENAI_NODE_SEAL_STATE_H
#define DENAI_NODE_SEAL_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/secp.h"
#include "eth/u256.h"

typedef struct denai_seal_state {
	denai_u256 request_id;
	denai_u256 prediction;
	uint8_t salt[32];
	uint8_t seal[32];
	json_t *record;		/* a reference of its own, or NULL */
} denai_seal_state;

/* Drops s's record and zeroes s (the salt too). */
void denai_seal_state_clear(denai_seal_state *s);

/*
 * The state folder for chain_id, oracle and miner under root, created
 * (0700, with its parents) when missing. Out: dir (n bytes).
 * Returns: 0, or -1 (DENAI_EIO).
 */
int denai_seal_state_dir(char *dir, size_t n, const char *root,
    uint64_t chain_id, const uint8_t oracle[DENAI_ADDR_LEN],
    const uint8_t miner[DENAI_ADDR_LEN], denai_err *err) DENAI_WUR;

/* Writes s to dir/sealed-<id>.json (see above). Returns: 0, or -1. */
int denai_seal_state_save(const denai_seal_state *s, const char *dir,
    denai_err *err) DENAI_WUR;

/* Loads dir/sealed-<id>.json. Out: s. Returns: 1 found, 0 none, -1 (a
 * file that cannot be read or parsed: DENAI_EDATA naming it). */
int denai_seal_state_load(denai_seal_state *s, const char *dir,
    const denai_u256 *id, denai_err *err) DENAI_WUR;

/* Every sealed-*.json of dir, in request id order. Out: *list (malloc'd,
 * *n; clear each, then free). Returns: 0, or -1 (a bad file). */
int denai_seal_state_all(denai_seal_state **list, size_t *n,
    const char *dir, denai_err *err) DENAI_WUR;

/* Removes dir/sealed-<id>.json, if there. */
void denai_seal_state_remove(const char *dir, const denai_u256 *id);

#endif
