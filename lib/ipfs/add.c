/* ipfs_add.c - a buffer into the block store as a UnixFS file. */
#include "ipfs/add.h"

#include "ipfs/unixfs.h"

static int
put(void *ctx, const denai_cid *cid, const uint8_t *block, size_t len,
    denai_err *err)
{
	return denai_blockstore_put(ctx, cid, block, len, err);
}

int
denai_ipfs_add(denai_blockstore *bs, const uint8_t *p, size_t n,
    unsigned cid_version, denai_cid *cid, denai_err *err)
{
	denai_unixfs_builder *b;
	int rc;

	b = denai_unixfs_builder_new(cid_version, cid_version == 1, put, bs,
	    err);
	if (b == NULL)
		return -1;
	rc = denai_unixfs_builder_write(b, p, n, err) != 0 ||
	    denai_unixfs_builder_finish(b, cid, NULL, err) != 0 ? -1 : 0;
	denai_unixfs_builder_free(b);
	return rc;
}
