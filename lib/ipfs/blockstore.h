/*
 * blockstore.h - a directory of blocks by content address: the local IPFS
 * store every DenAI program can use without an IPFS daemon.
 *
 * Layout: <dir>/blocks/<xy>/<key>, where key is the block's multihash in
 * base32 lower (no multibase prefix) and xy the two characters before its
 * last one (flatfs's next-to-last/2 sharding). Keying by multihash lets a
 * block be found under any CID version or codec.
 *
 * Writes go to a temporary file in the same folder, are fsync'd and then
 * renamed into place, so readers never see a partial block and several
 * processes can add the same blocks at once. Every read is verified
 * against the CID asked for; a block that fails is removed.
 *
 * Ownership: denai_blockstore is a heap object (_open/_close).
 */
#ifndef DENAI_BLOCKSTORE_H
#define DENAI_BLOCKSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs/cid.h"
#include "err.h"
#include "fileio.h"

/* Largest block stored or fetched (what bitswap carries). */
#define DENAI_BLOCK_MAX (2u << 20)

typedef struct denai_blockstore denai_blockstore;

/*
 * Opens the store at dir, creating the folders (mode 0755) when missing.
 * Returns: the store, or NULL with err filled (DENAI_EIO naming the path).
 */
denai_blockstore *denai_blockstore_open(const char *dir, denai_err *err);
void denai_blockstore_close(denai_blockstore *bs);

/* Returns: the store's folder (owned by bs). */
const char *denai_blockstore_dir(const denai_blockstore *bs);

/*
 * Stores a block after checking that it matches cid (which must pass
 * denai_cid_check). A block already present is left as it is.
 * Returns: 0, or -1 (DENAI_EDATA on a mismatch, DENAI_EIO).
 */
int denai_blockstore_put(denai_blockstore *bs, const denai_cid *cid,
    const uint8_t *block, size_t len, denai_err *err) DENAI_WUR;

/*
 * Reads and verifies the block cid names.
 * Out: *block (malloc'd, the caller frees) and *len.
 * Returns: 1 when found, 0 when absent, -1 with err filled on an I/O error
 * or a corrupt block (DENAI_EDATA; the bad file is removed).
 */
int denai_blockstore_get(denai_blockstore *bs, const denai_cid *cid,
    uint8_t **block, size_t *len, denai_err *err) DENAI_WUR;

/* Returns: 1 if a block for cid's multihash is present, else 0. */
int denai_blockstore_has(denai_blockstore *bs, const denai_cid *cid);

#endif
