/* unixfs.c - the UnixFS Data message and reading files from their DAG. */
#include "ipfs/unixfs.h"

#include <stdlib.h>
#include <string.h>

#include "ipfs/dagpb.h"
#include "ipfs/varint.h"

#define MAX_DEPTH 32

const char *
denai_unixfs_type_name(uint64_t type)
{
	static const char *names[] = {
		"raw", "directory", "file", "metadata", "symlink",
		"hamt-sharded directory",
	};

	return type < 6 ? names[type] : "unknown type";
}

void
denai_unixfs_data_clear(denai_unixfs_data *d)
{
	if (d == NULL)
		return;
	free(d->blocksizes);
	memset(d, 0, sizeof(*d));
}

static int
push_size(denai_unixfs_data *d, size_t *cap, uint64_t v, denai_err *err)
{
	uint64_t *p;

	if (d->nblocksizes == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		if ((p = realloc(d->blocksizes, *cap * sizeof(*p))) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory for blocksizes");
		d->blocksizes = p;
	}
	d->blocksizes[d->nblocksizes++] = v;
	return 0;
}

int
denai_unixfs_decode(denai_unixfs_data *d, const uint8_t *in, size_t len,
    denai_err *err)
{
	size_t off = 0, u, cap = 0, end;
	uint64_t k, v, field;
	unsigned wire;
	int has_type = 0;

	memset(d, 0, sizeof(*d));
	while (off < len) {
		if (denai_varint_read_pb(&k, &u, in + off, len - off, err) != 0)
			goto bad;
		off += u;
		field = k >> 3;
		wire = (unsigned)(k & 7);
		if (wire == 0) {
			if (denai_varint_read_pb(&v, &u, in + off, len - off,
			    err) != 0)
				goto bad;
			off += u;
		} else if (wire == 2) {
			if (denai_varint_read_pb(&v, &u, in + off, len - off,
			    err) != 0)
				goto bad;
			off += u;
			if (v > len - off) {
				denai_err_set(err, DENAI_EDATA,
				    "field %llu runs past the end",
				    (unsigned long long)field);
				goto bad;
			}
		} else if (wire == 1 || wire == 5) {
			v = wire == 1 ? 8 : 4;
			if (v > len - off) {
				denai_err_set(err, DENAI_EDATA,
				    "field %llu runs past the end",
				    (unsigned long long)field);
				goto bad;
			}
			off += (size_t)v;
			continue;
		} else {
			denai_err_set(err, DENAI_EDATA, "bad wire type %u",
			    wire);
			goto bad;
		}
		if (field == 1 && wire == 0) {
			d->type = v;
			has_type = 1;
		} else if (field == 2 && wire == 2) {
			d->data = in + off;
			d->datalen = (size_t)v;
			d->has_data = 1;
		} else if (field == 3 && wire == 0) {
			d->filesize = v;
			d->has_filesize = 1;
		} else if (field == 4 && wire == 0) {
			if (push_size(d, &cap, v, err) != 0)
				goto fail;
		} else if (field == 4 && wire == 2) {
			end = off + (size_t)v;
			while (off < end) {
				uint64_t s;

				if (denai_varint_read_pb(&s, &u, in + off,
				    end - off, err) != 0)
					goto bad;
				off += u;
				if (push_size(d, &cap, s, err) != 0)
					goto fail;
			}
			continue;
		} else if (field >= 1 && field <= 4) {
			denai_err_set(err, DENAI_EDATA,
			    "field %llu has wire type %u",
			    (unsigned long long)field, wire);
			goto bad;
		}
		if (wire == 2)
			off += (size_t)v;
	}
	if (!has_type) {
		denai_err_set(err, DENAI_EDATA, "no Type");
		goto bad;
	}
	return 0;
bad:
	denai_err_prefix(err, "unixfs");
fail:
	denai_unixfs_data_clear(d);
	return -1;
}

struct walk {
	denai_unixfs_get_fn get;
	void *get_ctx;
	denai_unixfs_sink_fn sink;
	void *sink_ctx;
	uint64_t max, total, blocks, max_blocks;
};

static int
emit(struct walk *w, const uint8_t *p, size_t n, denai_err *err)
{
	if (n > w->max - w->total)
		return denai_err_set(err, DENAI_ENOMEM,
		    "file is over the cap of %llu bytes",
		    (unsigned long long)w->max);
	w->total += n;
	if (n == 0)
		return 0;
	return w->sink(w->sink_ctx, p, n, err);
}

/* Reads the subtree at cid; want is the size its parent promised, or
 * UINT64_MAX when none was. */
static int
walk_node(struct walk *w, const denai_cid *cid, uint64_t want, int depth,
    denai_err *err)
{
	denai_dagpb_node node;
	denai_unixfs_data ud;
	uint8_t *block = NULL;
	uint64_t start = w->total, sum;
	size_t len, i;
	int rc = -1;

	memset(&node, 0, sizeof(node));
	memset(&ud, 0, sizeof(ud));
	if (depth > MAX_DEPTH)
		return denai_err_set(err, DENAI_EDATA,
		    "dag is deeper than %d levels", MAX_DEPTH);
	if (++w->blocks > w->max_blocks)
		return denai_err_set(err, DENAI_ENOMEM,
		    "file has over %llu blocks",
		    (unsigned long long)w->max_blocks);
	if (w->get(w->get_ctx, cid, &block, &len, err) != 0)
		return -1;
	if (cid->codec == DENAI_CID_RAW) {
		rc = emit(w, block, len, err);
		goto check;
	}
	if (denai_dagpb_decode(&node, block, len, err) != 0)
		goto fail;
	if (!node.has_data) {
		denai_err_set(err, DENAI_EDATA, "dag-pb node has no UnixFS Data");
		goto fail;
	}
	if (denai_unixfs_decode(&ud, node.data, node.datalen, err) != 0)
		goto fail;
	if (ud.type != DENAI_UNIXFS_FILE && ud.type != DENAI_UNIXFS_RAW) {
		denai_err_set(err, DENAI_EUNSUP, "is a unixfs %s, not a file",
		    denai_unixfs_type_name(ud.type));
		goto fail;
	}
	if (ud.nblocksizes != 0 && ud.nblocksizes != node.nlinks) {
		denai_err_set(err, DENAI_EDATA,
		    "unixfs node has %zu blocksizes for %zu links",
		    ud.nblocksizes, node.nlinks);
		goto fail;
	}
	sum = ud.datalen;
	for (i = 0; i < ud.nblocksizes; i++) {
		if (ud.blocksizes[i] > UINT64_MAX - sum) {
			denai_err_set(err, DENAI_EDATA, "blocksizes overflow");
			goto fail;
		}
		sum += ud.blocksizes[i];
	}
	if (ud.has_filesize && ud.nblocksizes == node.nlinks &&
	    ud.filesize != sum) {
		denai_err_set(err, DENAI_EDATA,
		    "unixfs filesize %llu but the blocks hold %llu",
		    (unsigned long long)ud.filesize, (unsigned long long)sum);
		goto fail;
	}
	if (ud.has_filesize && ud.filesize > w->max - w->total) {
		denai_err_set(err, DENAI_ENOMEM,
		    "file of %llu bytes is over the cap of %llu bytes",
		    (unsigned long long)ud.filesize,
		    (unsigned long long)w->max);
		goto fail;
	}
	if (ud.has_data && emit(w, ud.data, ud.datalen, err) != 0)
		goto fail;
	for (i = 0; i < node.nlinks; i++) {
		denai_cid child = node.links[i].cid;

		if (denai_cid_check(&child, err) != 0 ||
		    walk_node(w, &child, ud.nblocksizes ? ud.blocksizes[i] :
		    UINT64_MAX, depth + 1, err) != 0) {
			denai_err_prefix(err, "link %zu (%s)", i,
			    denai_cid_str(&child));
			goto fail;
		}
	}
	rc = 0;
check:
	if (rc == 0 && want != UINT64_MAX && w->total - start != want)
		rc = denai_err_set(err, DENAI_EDATA,
		    "block holds %llu bytes but its parent says %llu",
		    (unsigned long long)(w->total - start),
		    (unsigned long long)want);
fail:
	denai_unixfs_data_clear(&ud);
	denai_dagpb_node_clear(&node);
	free(block);
	return rc;
}

int
denai_unixfs_cat(const denai_cid *root, uint64_t max_size,
    denai_unixfs_get_fn get, void *get_ctx, denai_unixfs_sink_fn sink,
    void *sink_ctx, uint64_t *size, denai_err *err)
{
	struct walk w = { get, get_ctx, sink, sink_ctx, max_size, 0, 0, 0 };
	int rc;

	/* Real files have one block per 256 KiB or so; allow small chunkers
	 * but not a DAG of empty nodes that makes us walk forever. */
	w.max_blocks = 1024 + max_size / 256;
	rc = walk_node(&w, root, UINT64_MAX, 0, err);
	if (size != NULL)
		*size = w.total;
	return rc;
}
