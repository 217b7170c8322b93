/* node/model_file.c - a model file checked and stored for registration
 * (model_file.h). */
#include "node/model_file.h"

#include <stdlib.h>

#include <openssl/evp.h>

#include "fileio.h"
#include "ipfs/add.h"
#include "ipfs/blockstore.h"
#include "onnx/graph.h"

int
denai_model_file_store(denai_cid *cid, uint8_t sha256[32], const char *path,
    const char *ipfs_dir, denai_err *err)
{
	denai_blockstore *bs = NULL;
	denai_graph *g;
	unsigned dlen = 32;
	uint8_t *buf;
	size_t n;
	int rc = -1;

	if (denai_file_read(&buf, &n, path, DENAI_MODEL_FILE_MAX, err) != 0)
		return -1;
	/* Refuse what miners could not run, before it costs gas. */
	if (denai_graph_load_mem(&g, buf, n, NULL, err) != 0) {
		if (err != NULL)
			err->code = DENAI_EDATA;
		denai_err_prefix(err, "%s", path);
		goto out;
	}
	denai_graph_free(g);
	if (EVP_Digest(buf, n, sha256, &dlen, EVP_sha256(), NULL) != 1) {
		denai_err_set(err, DENAI_ENOMEM, "sha256 failed");
		goto out;
	}
	if ((bs = denai_blockstore_open(ipfs_dir, err)) == NULL ||
	    denai_ipfs_add(bs, buf, n, 1, cid, err) != 0)
		goto out;
	rc = 0;
out:
	denai_blockstore_close(bs);
	free(buf);
	return rc;
}
