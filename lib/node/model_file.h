/*
 * node/model_file.h - a model file as a trainer registers it: refused
 * before it costs gas unless the evaluator can run it, then stored in the
 * block store under its CID (the CID and the sha256 go on chain).
 */
#ifndef DENAI_NODE_MODEL_FILE_H
#define DENAI_NODE_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ipfs/cid.h"

/* The largest model file registered, in bytes. */
#define DENAI_MODEL_FILE_MAX ((size_t)256 << 20)

/*
 * Reads path (at most DENAI_MODEL_FILE_MAX bytes), loads it as the miners
 * would, and adds it to the block store in ipfs_dir (CIDv1).
 * Out: cid; sha256, the file's digest.
 * Returns: 0, or -1: the file unreadable as denai_file_read; a model the
 * evaluator cannot run DENAI_EDATA "path: why" (nothing stored); the store
 * failing as denai_blockstore_open and denai_ipfs_add.
 */
int denai_model_file_store(denai_cid *cid, uint8_t sha256[32],
    const char *path, const char *ipfs_dir, denai_err *err) DENAI_WUR;

#endif
