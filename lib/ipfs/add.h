/*
 * ipfs_add.h - putting a whole buffer or file into the block store as a
 * UnixFS file, the way `ipfs add --cid-version 1 --raw-leaves` (or the
 * CIDv0 default) does, returning its CID.
 */
#ifndef DENAI_IPFS_ADD_H
#define DENAI_IPFS_ADD_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs/blockstore.h"
#include "ipfs/cid.h"
#include "err.h"

/* Stores p[0..n) as a file; cid_version 0 (dag-pb leaves) or 1 (raw
 * leaves). Out: *cid. Returns: 0 or -1. */
int denai_ipfs_add(denai_blockstore *bs, const uint8_t *p, size_t n,
    unsigned cid_version, denai_cid *cid, denai_err *err) DENAI_WUR;

#endif
