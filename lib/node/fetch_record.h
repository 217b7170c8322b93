/*
 * fetch_record.h - what the fetch stage does to a request record: fetch
 * and check its data point (data_cid) and its model (model_cid, checked
 * against model_sha256), write them under the store folder and add where
 * they are to the record; and fill in a model's CID, sha256 and decimals
 * from an entry found by model id (the caller looks the id up: a --models
 * map, the chain's registry).
 *
 * Ownership: a denai_fetch_record is a fixed-size context the caller owns
 * and zero-fills, then sets its first five fields; the fetcher and dir it
 * points to are the caller's and outlive it. The record is changed in
 * place; every JSON value added is the record's.
 */
#ifndef DENAI_FETCH_RECORD_H
#define DENAI_FETCH_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "ipfs/fetch.h"

/* How many verified model files a context remembers (later ones are
 * checked again each time). */
#define DENAI_FETCH_RECORD_VERIFIED	64
/* The size of a model id's text, NUL included (longer ids are cut). */
#define DENAI_FETCH_MODEL_ID_MAX	80

typedef struct denai_fetch_record {
	denai_fetcher *f;		/* where blocks come from */
	const char *dir;		/* the store folder, absolute */
	uint64_t max;			/* the most bytes of a data point */
	uint64_t model_max;		/* the most bytes of a model */
	uint64_t inline_max;		/* data points up to this go inline */
	/* Internal: the sha256s of model files checked so far. */
	uint8_t verified[DENAI_FETCH_RECORD_VERIFIED][32];
	size_t nverified;
} denai_fetch_record;

/*
 * Fetches the file named by the record's "data_cid" (at most fr->max
 * bytes, every block verified) and checks that it is a data point: a
 * non-empty nested array of numbers, or a non-empty object of them keyed
 * by input name. Up to fr->inline_max bytes it is added as "data";
 * larger, it is written once to <dir>/data/<cid>.json and its path added
 * as "data_path".
 * Returns: 0, or -1 (DENAI_EDATA naming the CID for a bad data point; the
 * fetch error prefixed "data"; DENAI_EIO when the file cannot be made).
 */
int denai_fetch_record_data(denai_fetch_record *fr, json_t *rec,
    denai_err *err) DENAI_WUR;

/*
 * The record's model id ("model_id", a string or an integer) as text, when
 * the record lacks "model_cid" or "model_sha256" and so needs looking up.
 * Returns: 0 and id; 1 when the record has both (nothing to look up);
 * -1 (DENAI_EDATA) when it has neither them nor a model_id.
 */
int denai_fetch_record_model_id(char id[DENAI_FETCH_MODEL_ID_MAX],
    const json_t *rec, denai_err *err) DENAI_WUR;

/*
 * Adds a looked-up entry ({"cid", "sha256", "decimals"?}) for model id to
 * the record: "model_cid", "model_sha256", and "model_decimals" unless the
 * record has it. source names where the entry came from, for the message.
 * Returns: 0, or -1 (DENAI_EDATA "<source> <id> needs \"cid\" and
 * \"sha256\" strings").
 */
int denai_fetch_record_set_model(json_t *rec, const char *id,
    const json_t *entry, const char *source, denai_err *err) DENAI_WUR;

/*
 * Makes <dir>/models/<sha256 hex>.onnx hold the model named by the
 * record's "model_cid" whose sha256 is "model_sha256": kept when a file
 * there already has that hash (checked once per context), else fetched
 * (at most fr->model_max bytes) and written only if its sha256 matches.
 * Sets "model_sha256" to the 0x-prefixed lowercase hex and adds
 * "model_path".
 * Returns: 0, or -1 (DENAI_EDATA for a missing or malformed field; the
 * fetch error prefixed "model"; DENAI_EIO when the folder cannot be made).
 */
int denai_fetch_record_model(denai_fetch_record *fr, json_t *rec,
    denai_err *err) DENAI_WUR;

#endif
