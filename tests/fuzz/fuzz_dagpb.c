/* fuzz_dagpb.c - the strict dag-pb decoder never reads past its input, and
 * what it accepts re-encodes to exactly the same bytes; the UnixFS reader
 * walks the block (as the root of a file whose other blocks are missing)
 * without crashing or looping. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs/cid.h"
#include "ipfs/dagpb.h"
#include "ipfs/unixfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct one { denai_cid cid; const uint8_t *p; size_t n; };

static int
get(void *ctx, const denai_cid *cid, uint8_t **out, size_t *len,
    denai_err *err)
{
	struct one *o = ctx;

	if (!denai_cid_same_hash(cid, &o->cid))
		return denai_err_set(err, DENAI_EPEER, "missing");
	if ((*out = malloc(o->n ? o->n : 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "no memory");
	memcpy(*out, o->p, o->n);
	*len = o->n;
	return 0;
}

static int
sink(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	(void)p;
	(void)err;
	*(size_t *)ctx += n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	denai_dagpb_node node;
	denai_unixfs_data ud;
	denai_err err;
	struct one o;
	uint8_t *out;
	size_t n, total = 0;
	uint64_t got;

	if (denai_dagpb_decode(&node, data, size, &err) == 0) {
		if (denai_dagpb_encoded_len(&node) != size ||
		    (out = malloc(size + 1)) == NULL)
			abort();
		if (denai_dagpb_encode(out, size, &n, &node, &err) != 0 ||
		    n != size || memcmp(out, data, size) != 0)
			abort();
		free(out);
		if (node.has_data && denai_unixfs_decode(&ud, node.data,
		    node.datalen, &err) == 0) {
			if (ud.has_data && (ud.data < node.data ||
			    ud.data + ud.datalen > node.data + node.datalen))
				abort();
			denai_unixfs_data_clear(&ud);
		}
		denai_dagpb_node_clear(&node);
	}
	if (denai_cid_of(&o.cid, 1, DENAI_CID_DAG_PB, data, size, &err) != 0)
		abort();
	o.p = data;
	o.n = size;
	if (denai_unixfs_cat(&o.cid, 1 << 20, get, &o, sink, &total, &got,
	    &err) == 0 && got != total)
		abort();
	return 0;
}
