/*
 * dagpb.h - the dag-pb codec (codec 0x70): a PBNode with optional Data
 * bytes and a list of PBLinks {Hash (a binary CID), Name, Tsize}.
 *
 * Decoding is strict, as the IPLD dag-pb spec asks: only fields 1 and 2 in
 * a node, Links before Data, Data at most once; in a link only Hash, Name,
 * Tsize, in that order, each at most once, Hash required and a whole CID;
 * correct wire types; lengths inside the input. Re-encoding a decoded node
 * gives back the same bytes.
 *
 * Ownership: a decoded node points into the input bytes (Data, Names) and
 * owns only its links array; denai_dagpb_node_clear frees it.
 */
#ifndef DENAI_DAGPB_H
#define DENAI_DAGPB_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs/cid.h"
#include "err.h"

typedef struct denai_dagpb_link {
	denai_cid cid;		/* Hash, read with denai_cid_read_any */
	const uint8_t *name;	/* Name bytes (not NUL-terminated) */
	size_t namelen;
	int has_name;
	uint64_t tsize;
	int has_tsize;
} denai_dagpb_link;

typedef struct denai_dagpb_node {
	const uint8_t *data;
	size_t datalen;
	int has_data;
	denai_dagpb_link *links;	/* nlinks entries, heap */
	size_t nlinks;
} denai_dagpb_node;

/*
 * Decodes a dag-pb block (len bytes) into *node.
 * Returns: 0, or -1 (DENAI_EDATA naming the field and offset, DENAI_ENOMEM).
 * On failure *node holds nothing to free.
 */
int denai_dagpb_decode(denai_dagpb_node *node, const uint8_t *in, size_t len,
    denai_err *err) DENAI_WUR;

/* Frees the links array and zeroes node. node may be NULL. */
void denai_dagpb_node_clear(denai_dagpb_node *node);

/* Returns: the encoded length of node. */
size_t denai_dagpb_encoded_len(const denai_dagpb_node *node);

/*
 * Encodes node into out (cap bytes).
 * Out: *outlen. Returns: 0, or -1 (DENAI_EUSAGE) when out is too small.
 */
int denai_dagpb_encode(uint8_t *out, size_t cap, size_t *outlen,
    const denai_dagpb_node *node, denai_err *err) DENAI_WUR;

#endif
