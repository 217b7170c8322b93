/* cid.c - CIDv0 and CIDv1: binary and text forms, checks, computing. */
#include "ipfs/cid.h"

#include <string.h>

#include "ipfs/base58.h"
#include "ipfs/multibase.h"
#include "ipfs/varint.h"

const char *
denai_cid_codec_name(uint64_t codec)
{
	static const struct { uint64_t code; const char *name; } t[] = {
		{ 0x55, "raw" }, { 0x70, "dag-pb" }, { 0x71, "dag-cbor" },
		{ 0x72, "libp2p-key" }, { 0x0129, "dag-json" },
		{ 0x0200, "json" }, { 0x51, "cbor" }, { 0x78, "git-raw" },
		{ 0x90, "eth-block" }, { 0x0202, "car" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == codec)
			return t[i].name;
	return NULL;
}

int
denai_cid_read_any(denai_cid *cid, size_t *used, const uint8_t *in, size_t len,
    denai_err *err)
{
	denai_multihash mh;
	uint64_t version, codec;
	size_t a, b, m;

	memset(cid, 0, sizeof(*cid));
	if (used != NULL)
		*used = 0;
	if (len >= 2 && in[0] == DENAI_MH_SHA2_256 && in[1] == 32) {
		if (len < 34)
			return denai_err_set(err, DENAI_EDATA,
			    "cidv0 is truncated: %zu of 34 bytes", len);
		cid->version = 0;
		cid->codec = DENAI_CID_DAG_PB;
		cid->len = 34;
		cid->mh_off = 0;
		memcpy(cid->bytes, in, 34);
		if (used != NULL)
			*used = 34;
		return 0;
	}
	if (denai_varint_read_uv(&version, &a, in, len, err) != 0)
		return denai_err_prefix(err, "cid version");
	if (version != 1)
		return denai_err_set(err, DENAI_EDATA,
		    "cid version %llu is not 0 or 1",
		    (unsigned long long)version);
	if (denai_varint_read_uv(&codec, &b, in + a, len - a, err) != 0)
		return denai_err_prefix(err, "cid codec");
	if (denai_multihash_read(&mh, &m, in + a + b, len - a - b, err) != 0)
		return denai_err_prefix(err, "cid");
	cid->version = 1;
	cid->codec = codec;
	cid->len = a + b + m;
	cid->mh_off = a + b;
	memcpy(cid->bytes, in, cid->len);
	if (used != NULL)
		*used = cid->len;
	return 0;
}

denai_multihash
denai_cid_multihash(const denai_cid *cid)
{
	denai_multihash mh;
	denai_err e;

	if (denai_multihash_read(&mh, NULL, cid->bytes + cid->mh_off,
	    cid->len - cid->mh_off, &e) != 0)
		memset(&mh, 0, sizeof(mh));
	return mh;
}

int
denai_cid_check(const denai_cid *cid, denai_err *err)
{
	denai_multihash mh = denai_cid_multihash(cid);
	const char *name;

	if (cid->codec != DENAI_CID_RAW && cid->codec != DENAI_CID_DAG_PB) {
		if ((name = denai_cid_codec_name(cid->codec)) != NULL)
			return denai_err_set(err, DENAI_EUNSUP,
			    "cid codec %s (0x%llx) is not supported "
			    "(raw or dag-pb only)", name,
			    (unsigned long long)cid->codec);
		return denai_err_set(err, DENAI_EUNSUP,
		    "unknown cid codec 0x%llx (raw or dag-pb only)",
		    (unsigned long long)cid->codec);
	}
	if (denai_multihash_check(&mh, err) != 0)
		return denai_err_prefix(err, "cid");
	return 0;
}

int
denai_cid_from_bytes(denai_cid *cid, const uint8_t *in, size_t len,
    denai_err *err)
{
	size_t used;

	if (denai_cid_read_any(cid, &used, in, len, err) != 0)
		return -1;
	if (used != len)
		return denai_err_set(err, DENAI_EDATA,
		    "%zu bytes after the cid", len - used);
	return denai_cid_check(cid, err);
}

int
denai_cid_parse_any(denai_cid *cid, const char *text, size_t len,
    denai_err *err)
{
	uint8_t buf[DENAI_CID_BYTES_MAX + 8];
	size_t n, used;
	char prefix;

	memset(cid, 0, sizeof(*cid));
	if (len == 0)
		return denai_err_set(err, DENAI_EDATA, "empty cid");
	if (len > 2 * DENAI_CID_STR_MAX)
		return denai_err_set(err, DENAI_EDATA,
		    "cid of %zu characters is too long", len);
	if (len >= 2 && text[0] == 'Q' && text[1] == 'm' && len != 46)
		return denai_err_set(err, DENAI_EDATA,
		    "cidv0 'Qm...' must be 46 characters, not %zu", len);
	if (len == 46 && text[0] == 'Q' && text[1] == 'm') {
		if (denai_base58_decode(buf, sizeof(buf), &n, text, len,
		    denai_base58_btc, err) != 0)
			return denai_err_prefix(err, "cidv0");
		if (n != 34 || buf[0] != DENAI_MH_SHA2_256 || buf[1] != 32)
			return denai_err_set(err, DENAI_EDATA,
			    "cidv0 is not a sha2-256 multihash");
	} else {
		if (denai_multibase_decode(buf, sizeof(buf), &n, &prefix, text,
		    len, err) != 0)
			return denai_err_prefix(err, "cid");
		if (n > 0 && buf[0] == DENAI_MH_SHA2_256)
			return denai_err_set(err, DENAI_EDATA,
			    "cid: a cidv0 must be written in base58btc "
			    "without a multibase prefix");
	}
	if (denai_cid_read_any(cid, &used, buf, n, err) != 0)
		return -1;
	if (used != n)
		return denai_err_set(err, DENAI_EDATA,
		    "cid: %zu bytes after the multihash", n - used);
	return 0;
}

int
denai_cid_parse(denai_cid *cid, const char *text, size_t len, denai_err *err)
{
	if (denai_cid_parse_any(cid, text, len, err) != 0)
		return -1;
	return denai_cid_check(cid, err);
}

int
denai_cid_format(char *out, size_t cap, const denai_cid *cid, char prefix,
    denai_err *err)
{
	if (cid->version == 0)
		return denai_base58_encode(out, cap, cid->bytes, cid->len,
		    denai_base58_btc, err);
	return denai_multibase_encode(out, cap, prefix ? prefix : 'b',
	    cid->bytes, cid->len, err);
}

const char *
denai_cid_str(const denai_cid *cid)
{
	static _Thread_local char s[DENAI_CID_STR_MAX];

	if (denai_cid_format(s, sizeof(s), cid, 0, NULL) != 0)
		return "(bad cid)";
	return s;
}

int
denai_cid_of(denai_cid *cid, unsigned version, uint64_t codec,
    const uint8_t *data, size_t n, denai_err *err)
{
	size_t o = 0;

	memset(cid, 0, sizeof(*cid));
	if (version > 1 || (version == 0 && codec != DENAI_CID_DAG_PB))
		return denai_err_set(err, DENAI_EUSAGE,
		    "cid version %u with codec 0x%llx is impossible", version,
		    (unsigned long long)codec);
	if (version == 1) {
		o += denai_varint_put(cid->bytes + o, 1);
		o += denai_varint_put(cid->bytes + o, codec);
	}
	cid->version = version;
	cid->codec = codec;
	cid->mh_off = o;
	cid->len = o + denai_multihash_sha256(cid->bytes + o, 32, data, n);
	return 0;
}

int
denai_cid_verify(const denai_cid *cid, const uint8_t *data, size_t n,
    denai_err *err)
{
	denai_multihash mh = denai_cid_multihash(cid);

	if (cid->codec != DENAI_CID_RAW && cid->codec != DENAI_CID_DAG_PB)
		return denai_cid_check(cid, err);
	return denai_multihash_verify(&mh, data, n, err);
}

int
denai_cid_same_hash(const denai_cid *a, const denai_cid *b)
{
	size_t la = a->len - a->mh_off, lb = b->len - b->mh_off;

	return la == lb && memcmp(a->bytes + a->mh_off, b->bytes + b->mh_off,
	    la) == 0;
}
