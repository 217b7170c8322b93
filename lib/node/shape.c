/* shape.c - a data point against a model before sending (see shape.h). */
#include "node/shape.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ipfs/cid.h"
#include "ipfs/multihash.h"
#include "onnx/graph.h"
#include "onnx/predict.h"

int
denai_shape_check(denai_fetcher *f, const char *model_cid,
    const uint8_t sha256[32], const uint8_t *data, size_t len,
    denai_err *err)
{
	uint8_t *buf = NULL, mh[DENAI_MH_MAX];
	denai_graph_opts go;
	denai_graph *g = NULL;
	denai_cid cid;
	json_error_t je;
	json_t *v = NULL;
	size_t n = 0;
	int rc = -1;

	if (denai_cid_parse(&cid, model_cid, strlen(model_cid), err) != 0)
		return denai_err_prefix(err, "model cid");
	if (denai_fetch_mem(f, &cid, DENAI_SHAPE_MODEL_MAX, &buf, &n,
	    err) != 0) {
		denai_err_prefix(err, "model file %s", model_cid);
		if (err != NULL && err->code == DENAI_EDATA)
			err->code = DENAI_EPEER;	/* not the point's fault */
		return -1;
	}
	if (denai_multihash_sha256(mh, 32, buf, n) == 0 ||
	    memcmp(mh + 2, sha256, 32) != 0) {
		denai_err_set(err, DENAI_ECRYPTO, "model file %s does not match "
		    "the registry's sha256", model_cid);
		goto out;
	}
	memset(&go, 0, sizeof(go));
	go.max_bytes = DENAI_SHAPE_MODEL_MAX;
	go.no_warmup = 1;
	if (denai_graph_load_mem(&g, buf, n, &go, err) != 0) {
		denai_err_prefix(err, "model file %s", model_cid);
		if (err != NULL && err->code == DENAI_EDATA)
			err->code = DENAI_EUNSUP;
		goto out;
	}
	if ((v = json_loadb((const char *)data, len, 0, &je)) == NULL) {
		denai_err_set(err, DENAI_EDATA, "not JSON: %s", je.text);
		goto out;
	}
	if (denai_predict_feed(g, v, err) != 0) {
		if (err != NULL)
			err->code = DENAI_EDATA;
		goto out;
	}
	rc = 0;
out:
	json_decref(v);
	denai_graph_free(g);
	free(buf);
	return rc;
}
