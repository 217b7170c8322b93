/* dagpb.c - strict dag-pb decoding and canonical encoding. */
#include "ipfs/dagpb.h"

#include <stdlib.h>
#include <string.h>

#include "ipfs/varint.h"

/* Reads a field key: *field and *wire. */
static int
key(uint64_t *field, unsigned *wire, size_t *used, const uint8_t *in,
    size_t len, denai_err *err)
{
	uint64_t k;

	if (denai_varint_read_pb(&k, used, in, len, err) != 0)
		return -1;
	*field = k >> 3;
	*wire = (unsigned)(k & 7);
	return 0;
}

/* Reads a length-delimited field body at in[*off]; advances *off. */
static int
bytes_field(const uint8_t **p, size_t *n, const uint8_t *in, size_t len,
    size_t *off, denai_err *err)
{
	uint64_t l;
	size_t u;

	if (denai_varint_read_pb(&l, &u, in + *off, len - *off, err) != 0)
		return -1;
	*off += u;
	if (l > len - *off)
		return denai_err_set(err, DENAI_EDATA,
		    "field of %llu bytes runs past the end (%zu left)",
		    (unsigned long long)l, len - *off);
	*p = in + *off;
	*n = (size_t)l;
	*off += (size_t)l;
	return 0;
}

static int
decode_link(denai_dagpb_link *lk, const uint8_t *in, size_t len,
    denai_err *err)
{
	size_t off = 0, u, n;
	uint64_t field, last = 0;
	unsigned wire;
	const uint8_t *p;
	int has_hash = 0;

	memset(lk, 0, sizeof(*lk));
	while (off < len) {
		if (key(&field, &wire, &u, in + off, len - off, err) != 0)
			return -1;
		off += u;
		if (field < 1 || field > 3)
			return denai_err_set(err, DENAI_EDATA,
			    "unknown field %llu", (unsigned long long)field);
		if (field <= last)
			return denai_err_set(err, DENAI_EDATA,
			    "field %llu out of order or repeated",
			    (unsigned long long)field);
		last = field;
		if (field == 3) {
			if (wire != 0)
				return denai_err_set(err, DENAI_EDATA,
				    "Tsize has wire type %u, not 0", wire);
			if (denai_varint_read_pb(&lk->tsize, &u, in + off,
			    len - off, err) != 0)
				return denai_err_prefix(err, "Tsize");
			off += u;
			lk->has_tsize = 1;
			continue;
		}
		if (wire != 2)
			return denai_err_set(err, DENAI_EDATA,
			    "%s has wire type %u, not 2",
			    field == 1 ? "Hash" : "Name", wire);
		if (bytes_field(&p, &n, in, len, &off, err) != 0)
			return denai_err_prefix(err, "%s",
			    field == 1 ? "Hash" : "Name");
		if (field == 1) {
			if (denai_cid_read_any(&lk->cid, &u, p, n, err) != 0)
				return denai_err_prefix(err, "Hash");
			if (u != n)
				return denai_err_set(err, DENAI_EDATA,
				    "Hash has %zu bytes after the cid", n - u);
			has_hash = 1;
		} else {
			lk->name = p;
			lk->namelen = n;
			lk->has_name = 1;
		}
	}
	if (!has_hash)
		return denai_err_set(err, DENAI_EDATA, "link has no Hash");
	return 0;
}

/* Walks the node; counts links (links == NULL) or fills them. */
static int
walk(denai_dagpb_node *node, denai_dagpb_link *links, size_t *nlinks,
    const uint8_t *in, size_t len, denai_err *err)
{
	size_t off = 0, u, n, at, i = 0;
	uint64_t field;
	unsigned wire;
	const uint8_t *p;

	while (off < len) {
		at = off;
		if (key(&field, &wire, &u, in + off, len - off, err) != 0)
			return denai_err_prefix(err, "dag-pb at byte %zu", at);
		off += u;
		if (field != 1 && field != 2)
			return denai_err_set(err, DENAI_EDATA,
			    "dag-pb at byte %zu: unknown field %llu in PBNode",
			    at, (unsigned long long)field);
		if (wire != 2)
			return denai_err_set(err, DENAI_EDATA,
			    "dag-pb at byte %zu: %s has wire type %u, not 2",
			    at, field == 1 ? "Data" : "Links", wire);
		if (node->has_data)
			return denai_err_set(err, DENAI_EDATA,
			    "dag-pb at byte %zu: %s after Data", at,
			    field == 1 ? "second Data" : "Links");
		if (bytes_field(&p, &n, in, len, &off, err) != 0)
			return denai_err_prefix(err, "dag-pb at byte %zu", at);
		if (field == 1) {
			node->data = p;
			node->datalen = n;
			node->has_data = 1;
			continue;
		}
		if (links != NULL && decode_link(&links[i], p, n, err) != 0)
			return denai_err_prefix(err, "dag-pb link %zu", i);
		i++;
	}
	*nlinks = i;
	return 0;
}

int
denai_dagpb_decode(denai_dagpb_node *node, const uint8_t *in, size_t len,
    denai_err *err)
{
	size_t n;

	memset(node, 0, sizeof(*node));
	if (walk(node, NULL, &n, in, len, err) != 0)
		goto fail;
	memset(node, 0, sizeof(*node));
	if (n > 0 && (node->links = calloc(n, sizeof(*node->links))) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory for %zu links",
		    n);
		goto fail;
	}
	if (walk(node, node->links, &node->nlinks, in, len, err) != 0)
		goto fail;
	return 0;
fail:
	denai_dagpb_node_clear(node);
	return -1;
}

void
denai_dagpb_node_clear(denai_dagpb_node *node)
{
	if (node == NULL)
		return;
	free(node->links);
	memset(node, 0, sizeof(*node));
}

static size_t
link_len(const denai_dagpb_link *lk)
{
	size_t n = 1 + denai_varint_len(lk->cid.len) + lk->cid.len;

	if (lk->has_name)
		n += 1 + denai_varint_len(lk->namelen) + lk->namelen;
	if (lk->has_tsize)
		n += 1 + denai_varint_len(lk->tsize);
	return n;
}

size_t
denai_dagpb_encoded_len(const denai_dagpb_node *node)
{
	size_t n = 0, l;

	for (size_t i = 0; i < node->nlinks; i++) {
		l = link_len(&node->links[i]);
		n += 1 + denai_varint_len(l) + l;
	}
	if (node->has_data)
		n += 1 + denai_varint_len(node->datalen) + node->datalen;
	return n;
}

int
denai_dagpb_encode(uint8_t *out, size_t cap, size_t *outlen,
    const denai_dagpb_node *node, denai_err *err)
{
	size_t need = denai_dagpb_encoded_len(node), o = 0;

	*outlen = 0;
	if (need > cap)
		return denai_err_set(err, DENAI_EUSAGE,
		    "dag-pb: node needs %zu bytes, have %zu", need, cap);
	for (size_t i = 0; i < node->nlinks; i++) {
		const denai_dagpb_link *lk = &node->links[i];

		out[o++] = 0x12;
		o += denai_varint_put(out + o, link_len(lk));
		out[o++] = 0x0a;
		o += denai_varint_put(out + o, lk->cid.len);
		memcpy(out + o, lk->cid.bytes, lk->cid.len);
		o += lk->cid.len;
		if (lk->has_name) {
			out[o++] = 0x12;
			o += denai_varint_put(out + o, lk->namelen);
			if (lk->namelen > 0)
				memcpy(out + o, lk->name, lk->namelen);
			o += lk->namelen;
		}
		if (lk->has_tsize) {
			out[o++] = 0x18;
			o += denai_varint_put(out + o, lk->tsize);
		}
	}
	if (node->has_data) {
		out[o++] = 0x0a;
		o += denai_varint_put(out + o, node->datalen);
		if (node->datalen > 0)
			memcpy(out + o, node->data, node->datalen);
		o += node->datalen;
	}
	*outlen = o;
	return 0;
}
