/*
 * unixfs.h - UnixFS files: the Data message inside dag-pb nodes, building
 * a file's DAG the way `ipfs add` does, and reading a file back from its
 * DAG block by block.
 *
 * Building (balanced layout, fixed 256 KiB chunks, at most 174 links a
 * node, the defaults of kubo and js-ipfs):
 *   - leaves are the chunks: raw blocks (CIDv1, codec raw) with raw_leaves,
 *     else dag-pb nodes holding UnixFS {Type File, Data chunk, filesize};
 *   - a file of one chunk is that leaf alone (bafkrei... or Qm...);
 *   - otherwise leaves are grouped 174 at a time under dag-pb parents
 *     holding UnixFS {Type File, filesize, blocksizes}, and parents grouped
 *     the same way, until one root is left; links have an empty Name and
 *     Tsize = the child's block size plus its children's Tsizes.
 * `ipfs add` is {cid_version 0, raw_leaves 0}; `ipfs add --cid-version 1`
 * is {1, 1}.
 *
 * Ownership: the builder is a heap object (_new/_free). Blocks handed to
 * the put callback live only during the call.
 */
#ifndef DENAI_UNIXFS_H
#define DENAI_UNIXFS_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs/cid.h"
#include "err.h"

#define DENAI_UNIXFS_CHUNK	262144
#define DENAI_UNIXFS_LINKS	174
#define DENAI_UNIXFS_CHUNK_MAX	(1u << 20)	/* kubo's limit */
#define DENAI_UNIXFS_LINKS_MAX	4096

enum denai_unixfs_type {
	DENAI_UNIXFS_RAW = 0, DENAI_UNIXFS_DIRECTORY = 1, DENAI_UNIXFS_FILE = 2,
	DENAI_UNIXFS_METADATA = 3, DENAI_UNIXFS_SYMLINK = 4,
	DENAI_UNIXFS_HAMT = 5,
};

/* A decoded UnixFS Data message; data points into the input. */
typedef struct denai_unixfs_data {
	uint64_t type;
	const uint8_t *data;
	size_t datalen;
	int has_data;
	uint64_t filesize;
	int has_filesize;
	uint64_t *blocksizes;	/* nblocksizes entries, heap */
	size_t nblocksizes;
} denai_unixfs_data;

/*
 * Decodes a UnixFS Data message (len bytes). Unknown and metadata fields
 * (hashType, fanout, mode, mtime) are skipped; blocksizes may be packed.
 * Returns: 0, or -1 (DENAI_EDATA, DENAI_ENOMEM). Free with _clear.
 */
int denai_unixfs_decode(denai_unixfs_data *d, const uint8_t *in, size_t len,
    denai_err *err) DENAI_WUR;
void denai_unixfs_data_clear(denai_unixfs_data *d);

/* Returns: the name of a UnixFS type ("file", "directory", ...). */
const char *denai_unixfs_type_name(uint64_t type);

/* Called with each block the builder makes, leaves first, root last. */
typedef int (*denai_unixfs_put_fn)(void *ctx, const denai_cid *cid,
    const uint8_t *block, size_t len, denai_err *err);

typedef struct denai_unixfs_builder denai_unixfs_builder;

/*
 * Starts building a file. cid_version 0 or 1; raw_leaves 0 or 1; put may
 * be NULL to compute the CID only.
 * Returns: the builder, or NULL with err filled.
 */
denai_unixfs_builder *denai_unixfs_builder_new(unsigned cid_version,
    int raw_leaves, denai_unixfs_put_fn put, void *ctx, denai_err *err);
void denai_unixfs_builder_free(denai_unixfs_builder *b);

/* As denai_unixfs_builder_new with another chunk size (1 byte to 1 MiB,
 * `ipfs add --chunker=size-N`) and links a node (2 to 4096). */
denai_unixfs_builder *denai_unixfs_builder_new_with(unsigned cid_version,
    int raw_leaves, size_t chunk_size, size_t max_links,
    denai_unixfs_put_fn put, void *ctx, denai_err *err);

/* Adds n bytes of the file. Returns: 0, or -1 if put failed. */
int denai_unixfs_builder_write(denai_unixfs_builder *b, const uint8_t *p,
    size_t n, denai_err *err) DENAI_WUR;

/* Ends the file. Out: *root, the file's CID; *size (may be NULL), its
 * length in bytes. Returns: 0, or -1 if put failed. */
int denai_unixfs_builder_finish(denai_unixfs_builder *b, denai_cid *root,
    uint64_t *size, denai_err *err) DENAI_WUR;

/* Computes the CID of a whole buffer. Returns: 0 or -1. */
int denai_unixfs_cid_of(denai_cid *root, unsigned cid_version, int raw_leaves,
    const uint8_t *p, size_t n, denai_err *err) DENAI_WUR;

/*
 * Reading. get returns in *block a malloc'd block that it has already
 * verified against cid (the caller of the walk frees nothing); sink takes
 * the file's bytes in order.
 */
typedef int (*denai_unixfs_get_fn)(void *ctx, const denai_cid *cid,
    uint8_t **block, size_t *len, denai_err *err);
typedef int (*denai_unixfs_sink_fn)(void *ctx, const uint8_t *p, size_t n,
    denai_err *err);

/*
 * Reads the file named by root (a raw block, or a dag-pb UnixFS File or
 * Raw node and its children, depth first) and gives its bytes to sink.
 * Checks that each node's filesize and blocksizes agree with what its
 * children hold; refuses directories, symlinks and shards by name; stops
 * with DENAI_ENOMEM once the file would pass max_size bytes.
 * Out: *size (may be NULL), the bytes given to sink.
 * Returns: 0, or -1 with err from get, sink or the checks.
 */
int denai_unixfs_cat(const denai_cid *root, uint64_t max_size,
    denai_unixfs_get_fn get, void *get_ctx, denai_unixfs_sink_fn sink,
    void *sink_ctx, uint64_t *size, denai_err *err) DENAI_WUR;

#endif
