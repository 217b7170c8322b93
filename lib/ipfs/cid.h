/*
 * cid.h - content identifiers: CIDv0 ("Qm...", base58btc of a sha2-256
 * multihash, codec dag-pb) and CIDv1 (multibase of version, codec,
 * multihash; printed in base32 lower, "b...").
 *
 * A denai_cid is a fixed-size value the caller owns; it holds the binary
 * form. Parsing comes in two strengths: the _any functions read every
 * well-formed CID (any codec, any multihash), for tools that must skip over
 * CIDs they cannot use (CAR files); the plain ones also demand what DenAI
 * can verify - codec raw (0x55) or dag-pb (0x70), multihash sha2-256 of 32
 * bytes - and refuse anything else with a message naming what was found.
 */
#ifndef DENAI_CID_H
#define DENAI_CID_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ipfs/multihash.h"

#define DENAI_CID_RAW		0x55
#define DENAI_CID_DAG_PB	0x70
#define DENAI_CID_BYTES_MAX	(1 + 9 + 9 + DENAI_MH_MAX)
#define DENAI_CID_STR_MAX	160	/* any CID printed in base32 or base58 */

typedef struct denai_cid {
	unsigned version;	/* 0 or 1 */
	uint64_t codec;		/* 0x70 for version 0 */
	size_t len;		/* bytes of the binary form */
	uint8_t bytes[DENAI_CID_BYTES_MAX];	/* binary CID (v0: multihash) */
	size_t mh_off;		/* where the multihash starts in bytes */
} denai_cid;

/*
 * Reads a binary CID from the start of in (len bytes): a CIDv0 is a bare
 * sha2-256 multihash (0x12 0x20 ...), a CIDv1 is 0x01, codec, multihash.
 * Out: *cid; *used (may be NULL), the bytes it took.
 * Returns: 0, or -1 (DENAI_EDATA) when malformed.
 */
int denai_cid_read_any(denai_cid *cid, size_t *used, const uint8_t *in,
    size_t len, denai_err *err) DENAI_WUR;

/* As denai_cid_read_any, and the whole of in must be the CID, and it must
 * pass denai_cid_check. */
int denai_cid_from_bytes(denai_cid *cid, const uint8_t *in, size_t len,
    denai_err *err) DENAI_WUR;

/* Parses a CID string (len characters; NUL-terminated text may pass
 * strlen). Returns: 0, or -1 (DENAI_EDATA, DENAI_EUNSUP) naming the fault. */
int denai_cid_parse_any(denai_cid *cid, const char *text, size_t len,
    denai_err *err) DENAI_WUR;

/* denai_cid_parse_any, then denai_cid_check. */
int denai_cid_parse(denai_cid *cid, const char *text, size_t len,
    denai_err *err) DENAI_WUR;

/*
 * Checks that DenAI can verify the CID: codec raw or dag-pb, multihash
 * sha2-256 of 32 bytes.
 * Returns: 0, or -1 (DENAI_EUNSUP) naming the codec or hash found.
 */
int denai_cid_check(const denai_cid *cid, denai_err *err) DENAI_WUR;

/* Returns: the multihash inside cid (pointing into it). */
denai_multihash denai_cid_multihash(const denai_cid *cid);

/*
 * Writes the CID's string into out (cap bytes, DENAI_CID_STR_MAX is
 * enough): version 0 in base58btc, version 1 in the multibase named by
 * prefix ('b' base32 lower when prefix is 0).
 * Returns: 0, or -1 (DENAI_EUSAGE, DENAI_EUNSUP) when out is too small or
 * the base unknown.
 */
int denai_cid_format(char *out, size_t cap, const denai_cid *cid, char prefix,
    denai_err *err) DENAI_WUR;

/* Returns: a per-thread static string for messages: the CID in its default
 * form, or "(bad cid)"; the next call in the same thread overwrites it. */
const char *denai_cid_str(const denai_cid *cid);

/*
 * Builds the CID of a block: version 0 (codec must be dag-pb) or 1, codec,
 * and the sha2-256 of the n bytes of data.
 * Returns: 0, or -1 (DENAI_EUSAGE) for version 0 with another codec.
 */
int denai_cid_of(denai_cid *cid, unsigned version, uint64_t codec,
    const uint8_t *data, size_t n, denai_err *err) DENAI_WUR;

/*
 * Checks that data is the block cid names (cid must pass denai_cid_check).
 * Returns: 0, or -1: DENAI_EDATA when the hash differs, DENAI_EUNSUP.
 */
int denai_cid_verify(const denai_cid *cid, const uint8_t *data, size_t n,
    denai_err *err) DENAI_WUR;

/* Returns: 1 when a and b name the same block content (same multihash),
 * else 0. */
int denai_cid_same_hash(const denai_cid *a, const denai_cid *b);

/* Returns: the name of a codec ("raw", "dag-pb", "dag-cbor", ...) or NULL. */
const char *denai_cid_codec_name(uint64_t codec);

#endif
