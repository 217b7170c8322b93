/* unixfs_build.c - a file's balanced DAG, as `ipfs add` builds it. */
#include "ipfs/unixfs.h"

#include <stdlib.h>
#include <string.h>

#include "ipfs/dagpb.h"
#include "ipfs/varint.h"

#define MAX_LEVELS 40		/* 2^40 chunks at 2 links a node */

struct entry {
	denai_cid cid;
	uint64_t tsize;		/* the subtree's block bytes (link Tsize) */
	uint64_t fsize;		/* the subtree's file bytes (blocksizes) */
};

struct denai_unixfs_builder {
	unsigned version;
	int raw_leaves;
	denai_unixfs_put_fn put;
	void *ctx;
	size_t chunksize, maxlinks;
	uint8_t *chunk;		/* chunksize bytes */
	size_t fill;
	uint64_t nchunks, size;
	uint8_t *block;		/* room for the largest node */
	size_t blockcap;
	uint8_t *ud;		/* a parent's UnixFS Data */
	denai_dagpb_link *links;	/* maxlinks */
	struct entry *level[MAX_LEVELS];	/* maxlinks each */
	size_t nlevel[MAX_LEVELS];
	int top;		/* highest level holding or having held entries */
};

denai_unixfs_builder *
denai_unixfs_builder_new(unsigned cid_version, int raw_leaves,
    denai_unixfs_put_fn put, void *ctx, denai_err *err)
{
	return denai_unixfs_builder_new_with(cid_version, raw_leaves,
	    DENAI_UNIXFS_CHUNK, DENAI_UNIXFS_LINKS, put, ctx, err);
}

denai_unixfs_builder *
denai_unixfs_builder_new_with(unsigned cid_version, int raw_leaves,
    size_t chunk_size, size_t max_links, denai_unixfs_put_fn put, void *ctx,
    denai_err *err)
{
	denai_unixfs_builder *b;
	size_t pcap;

	if (cid_version > 1 || chunk_size < 1 ||
	    chunk_size > DENAI_UNIXFS_CHUNK_MAX || max_links < 2 ||
	    max_links > DENAI_UNIXFS_LINKS_MAX) {
		denai_err_set(err, DENAI_EUSAGE, "unixfs builder: cid version "
		    "%u, chunk size %zu, %zu links a node: not possible",
		    cid_version, chunk_size, max_links);
		return NULL;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL)
		goto nomem;
	b->version = cid_version;
	b->raw_leaves = raw_leaves != 0;
	b->put = put;
	b->ctx = ctx;
	b->chunksize = chunk_size;
	b->maxlinks = max_links;
	/* A leaf: chunk plus headers; a parent: links of < 64 bytes and a
	 * UnixFS Data of < 12 bytes a link. */
	pcap = 32 + max_links * (64 + 12);
	b->blockcap = chunk_size + 64 > pcap ? chunk_size + 64 : pcap;
	if ((b->chunk = malloc(chunk_size)) == NULL ||
	    (b->block = malloc(b->blockcap)) == NULL ||
	    (b->ud = malloc(16 + max_links * 11)) == NULL ||
	    (b->links = calloc(max_links, sizeof(*b->links))) == NULL)
		goto nomem;
	return b;
nomem:
	denai_unixfs_builder_free(b);
	denai_err_set(err, DENAI_ENOMEM, "out of memory for the file builder");
	return NULL;
}

void
denai_unixfs_builder_free(denai_unixfs_builder *b)
{
	if (b == NULL)
		return;
	free(b->chunk);
	free(b->block);
	free(b->ud);
	free(b->links);
	for (int i = 0; i < MAX_LEVELS; i++)
		free(b->level[i]);
	free(b);
}

/* Makes a block's CID and hands it to put. */
static int
emit(denai_unixfs_builder *b, struct entry *e, unsigned version,
    uint64_t codec, const uint8_t *block, size_t len, denai_err *err)
{
	if (denai_cid_of(&e->cid, version, codec, block, len, err) != 0)
		return -1;
	if (b->put != NULL && b->put(b->ctx, &e->cid, block, len, err) != 0)
		return -1;
	return 0;
}

/* UnixFS Data {Type File, Data?, filesize, blocksizes*} into out. */
static size_t
unixfs_file(uint8_t *out, const uint8_t *data, size_t n, uint64_t filesize,
    const struct entry *kids, size_t nkids)
{
	size_t o = 0;

	out[o++] = 0x08;
	out[o++] = DENAI_UNIXFS_FILE;
	if (n > 0) {
		out[o++] = 0x12;
		o += denai_varint_put(out + o, n);
		memcpy(out + o, data, n);
		o += n;
	}
	out[o++] = 0x18;
	o += denai_varint_put(out + o, filesize);
	for (size_t i = 0; i < nkids; i++) {
		out[o++] = 0x20;
		o += denai_varint_put(out + o, kids[i].fsize);
	}
	return o;
}

static int
make_leaf(denai_unixfs_builder *b, struct entry *e, denai_err *err)
{
	uint8_t *p = b->block;
	size_t ulen, o = 0;

	e->fsize = b->fill;
	if (b->raw_leaves) {
		e->tsize = b->fill;
		return emit(b, e, 1, DENAI_CID_RAW, b->chunk, b->fill, err);
	}
	/* PBNode {Data: UnixFS}: build UnixFS after room for its header. */
	ulen = 2 + (b->fill ? 1 + denai_varint_len(b->fill) : 0) + b->fill +
	    1 + denai_varint_len(b->fill);
	p[o++] = 0x0a;
	o += denai_varint_put(p + o, ulen);
	o += unixfs_file(p + o, b->chunk, b->fill, b->fill, NULL, 0);
	e->tsize = o;
	return emit(b, e, b->version, DENAI_CID_DAG_PB, p, o, err);
}

static int
make_parent(denai_unixfs_builder *b, struct entry *e, const struct entry *kids,
    size_t n, denai_err *err)
{
	denai_dagpb_node node;
	uint64_t fsize = 0, tsize = 0;
	size_t ulen, len;

	for (size_t i = 0; i < n; i++) {
		fsize += kids[i].fsize;
		tsize += kids[i].tsize;
		memset(&b->links[i], 0, sizeof(b->links[i]));
		b->links[i].cid = kids[i].cid;
		b->links[i].name = (const uint8_t *)"";
		b->links[i].has_name = 1;
		b->links[i].tsize = kids[i].tsize;
		b->links[i].has_tsize = 1;
	}
	ulen = unixfs_file(b->ud, NULL, 0, fsize, kids, n);
	memset(&node, 0, sizeof(node));
	node.links = b->links;
	node.nlinks = n;
	node.data = b->ud;
	node.datalen = ulen;
	node.has_data = 1;
	if (denai_dagpb_encode(b->block, b->blockcap, &len, &node, err) != 0)
		return -1;
	e->fsize = fsize;
	e->tsize = tsize + len;
	return emit(b, e, b->version, DENAI_CID_DAG_PB, b->block, len, err);
}

/* Adds e at level lv, reducing full levels upward. */
static int
add(denai_unixfs_builder *b, int lv, const struct entry *e, denai_err *err)
{
	struct entry parent;

	if (lv >= MAX_LEVELS)
		return denai_err_set(err, DENAI_ENOMEM, "file is too large");
	if (b->level[lv] == NULL && (b->level[lv] = calloc(b->maxlinks,
	    sizeof(*b->level[lv]))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (lv > b->top)
		b->top = lv;
	b->level[lv][b->nlevel[lv]++] = *e;
	if (b->nlevel[lv] < b->maxlinks)
		return 0;
	if (make_parent(b, &parent, b->level[lv], b->nlevel[lv], err) != 0)
		return -1;
	b->nlevel[lv] = 0;
	return add(b, lv + 1, &parent, err);
}

static int
flush_chunk(denai_unixfs_builder *b, denai_err *err)
{
	struct entry e;

	if (make_leaf(b, &e, err) != 0)
		return -1;
	b->nchunks++;
	b->fill = 0;
	return add(b, 0, &e, err);
}

int
denai_unixfs_builder_write(denai_unixfs_builder *b, const uint8_t *p,
    size_t n, denai_err *err)
{
	size_t k;

	while (n > 0) {
		k = b->chunksize - b->fill;
		if (k > n)
			k = n;
		memcpy(b->chunk + b->fill, p, k);
		b->fill += k;
		b->size += k;
		p += k;
		n -= k;
		if (b->fill == b->chunksize && flush_chunk(b, err) != 0)
			return -1;
	}
	return 0;
}

int
denai_unixfs_builder_finish(denai_unixfs_builder *b, denai_cid *root,
    uint64_t *size, denai_err *err)
{
	struct entry parent;
	int lv;

	if ((b->fill > 0 || b->nchunks == 0) && flush_chunk(b, err) != 0)
		return -1;
	/* Reduce what is left at each level; the top level's lone entry is
	 * the root (a single chunk is its own root). */
	for (lv = 0; lv < b->top; lv++) {
		if (b->nlevel[lv] == 0)
			continue;
		if (make_parent(b, &parent, b->level[lv], b->nlevel[lv],
		    err) != 0)
			return -1;
		b->nlevel[lv] = 0;
		if (add(b, lv + 1, &parent, err) != 0)
			return -1;
	}
	while (b->nlevel[b->top] > 1) {
		if (make_parent(b, &parent, b->level[b->top],
		    b->nlevel[b->top], err) != 0)
			return -1;
		b->nlevel[b->top] = 0;
		if (add(b, b->top + 1, &parent, err) != 0)
			return -1;
	}
	if (b->nlevel[b->top] == 0) {
		/* The top level just filled and moved up: impossible, as
		 * add() raises top; kept for safety. */
		return denai_err_set(err, DENAI_EUSAGE, "builder has no root");
	}
	*root = b->level[b->top][0].cid;
	if (size != NULL)
		*size = b->size;
	return 0;
}

int
denai_unixfs_cid_of(denai_cid *root, unsigned cid_version, int raw_leaves,
    const uint8_t *p, size_t n, denai_err *err)
{
	denai_unixfs_builder *b;
	int rc = -1;

	if ((b = denai_unixfs_builder_new(cid_version, raw_leaves, NULL, NULL,
	    err)) == NULL)
		return -1;
	if (denai_unixfs_builder_write(b, p, n, err) == 0 &&
	    denai_unixfs_builder_finish(b, root, NULL, err) == 0)
		rc = 0;
	denai_unixfs_builder_free(b);
	return rc;
}
