/*
 * train/stage.h - denai-train as a pipeline stage: what it does with one
 * {"type":"task"} record (docs/platform.md "Records").
 *
 *   action "commit", with train_path (added by denai-fetch): trains on the
 *     CSV (label_column, kind; the stage's algorithm or gbt; seed = the task
 *     id's low 64 bits), puts the model in the block store as one raw block
 *     (CIDv1 raw, so the CID's digest is the model's sha256), draws a salt,
 *     seals, and saves model, salt and seal in the state folder (job.h)
 *     BEFORE the record goes on with model_cid, model_sha256, seal, algo
 *     and model_path added (commit_bond passes through). When the state
 *     for the task exists, it is reused: the same model, salt and seal,
 *     never another model.
 *   action "reveal": adds model_cid, model_sha256, salt and model_path from
 *     the state (an error when there is none).
 *   anything else passes through.
 */
#ifndef DENAI_TRAIN_STAGE_H
#define DENAI_TRAIN_STAGE_H

#include <jansson.h>

#include "err.h"
#include "ipfs/blockstore.h"
#include "train/train.h"

typedef struct denai_train_stage {
	const char *state_dir;
	denai_blockstore *bs;
	uint8_t trainer[20];
	int algo;		/* -1: gbt */
	denai_train_opts opts;	/* trees, leaves, ...; kind, algo, seed per task */
	/* Called once a model is trained (may be NULL). */
	void (*trained)(void *ctx, const json_t *rec, double seconds,
	    const void *result);
	void *trained_ctx;
} denai_train_stage;

/* Handles one task record in place. Returns: 0 (emit rec), or -1 with err
 * (an error record goes in its place). */
int denai_train_stage_record(denai_train_stage *s, json_t *rec,
    denai_err *err) DENAI_WUR;

#endif
