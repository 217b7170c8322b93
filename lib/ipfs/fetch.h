/*
 * ipfs_fetch.h - verified fetch of IPFS objects: the local block store
 * first, then trustless HTTP gateways in order.
 *
 * Every block is asked for alone (GET <gateway>/ipfs/<cid>?format=raw,
 * Accept: application/vnd.ipld.raw) and checked against its CID before it
 * is used or stored; multi-block UnixFS files are walked block by block.
 * A gateway that answers with wrong bytes, a truncated body, an HTML page,
 * an HTTP error or nothing in time is reported through the warn callback
 * (naming the gateway and the CID) and the next one is tried; one that
 * sent wrong bytes or HTML is not asked again for the same object; one
 * that failed otherwise (timeout, HTTP error, truncation) is asked after
 * the others. retries rounds over the list follow the first, 200 ms apart
 * and more.
 * Blocks fetched are kept in the store.
 *
 * Ownership: the fetcher (_new/_free) borrows the block store and the
 * option strings, which must outlive it. Not thread-safe: one per thread.
 */
#ifndef DENAI_IPFS_FETCH_H
#define DENAI_IPFS_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs/blockstore.h"
#include "ipfs/cid.h"
#include "err.h"
#include "ipfs/unixfs.h"

#define DENAI_FETCH_MAX_DEFAULT	(16u << 20)

/* Receives one line about a gateway that failed ("gateway URL: CID: why"). */
typedef void (*denai_fetch_warn_fn)(void *arg, const char *msg);

typedef struct denai_fetch_opts {
	const char *gateways;	/* comma-separated base URLs, or NULL */
	long timeout_ms;	/* per block request; 0: 30000 */
	long connect_timeout_ms;	/* 0: 10000 */
	unsigned retries;	/* extra rounds over the gateways; */
	uint64_t max_size;	/* bytes per object; 0: 16 MiB */
	denai_fetch_warn_fn warn;	/* may be NULL */
	void *warn_arg;
} denai_fetch_opts;

typedef struct denai_fetcher denai_fetcher;

/*
 * Returns: a fetcher over bs (required) with the options (NULL for
 * defaults), or NULL with err filled (DENAI_EUSAGE for a gateway URL that
 * is not http:// or https://).
 */
denai_fetcher *denai_fetcher_new(denai_blockstore *bs,
    const denai_fetch_opts *opts, denai_err *err);
void denai_fetcher_free(denai_fetcher *f);

/* Returns: how many gateways are configured. */
size_t denai_fetcher_ngateways(const denai_fetcher *f);

/*
 * Gets one verified block: from the store, else from the gateways (and
 * then stores it).
 * Out: *block (malloc'd; the caller frees), *len.
 * Returns: 0, or -1: DENAI_EPEER when no source had it, DENAI_EUNSUP for a
 * CID that cannot be verified, DENAI_EIO. The message does not repeat the
 * CID (callers name it; denai_fetch_cat does).
 */
int denai_fetch_block(denai_fetcher *f, const denai_cid *cid, uint8_t **block,
    size_t *len, denai_err *err) DENAI_WUR;

/*
 * Streams the file root names (a raw block or a UnixFS file DAG) to sink,
 * every block verified, at most max bytes (0: the fetcher's max_size).
 * Returns: 0, or -1 with err filled (DENAI_ENOMEM when over the cap).
 */
int denai_fetch_cat(denai_fetcher *f, const denai_cid *root, uint64_t max,
    denai_unixfs_sink_fn sink, void *sink_ctx, uint64_t *size,
    denai_err *err) DENAI_WUR;

/* As denai_fetch_cat into memory: *out (malloc'd, NUL-terminated past
 * *len for convenience). */
int denai_fetch_mem(denai_fetcher *f, const denai_cid *root, uint64_t max,
    uint8_t **out, size_t *len, denai_err *err) DENAI_WUR;

/*
 * As denai_fetch_cat into the file path, written atomically (temporary
 * file, fsync, rename, mode 0644). When want_sha256 is not NULL the file's
 * sha256 must equal it, else nothing is written (DENAI_EDATA).
 * Out: sha256 (may be NULL), the file's sha256.
 */
int denai_fetch_file(denai_fetcher *f, const denai_cid *root, uint64_t max,
    const char *path, const uint8_t want_sha256[32], uint8_t sha256[32],
    denai_err *err) DENAI_WUR;

#endif
