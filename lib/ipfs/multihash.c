/* multihash.c - reading multihashes; sha2-256 through OpenSSL. */
#include "ipfs/multihash.h"

#include <string.h>

#include <openssl/sha.h>

#include "ipfs/varint.h"

int
denai_multihash_read(denai_multihash *mh, size_t *used, const uint8_t *in,
    size_t len, denai_err *err)
{
	uint64_t code, dlen;
	size_t a, b;

	memset(mh, 0, sizeof(*mh));
	if (denai_varint_read_uv(&code, &a, in, len, err) != 0)
		return denai_err_prefix(err, "multihash code");
	if (denai_varint_read_uv(&dlen, &b, in + a, len - a, err) != 0)
		return denai_err_prefix(err, "multihash length");
	if (dlen > DENAI_MH_DIGEST_MAX)
		return denai_err_set(err, DENAI_EDATA,
		    "multihash digest of %llu bytes is over %d",
		    (unsigned long long)dlen, DENAI_MH_DIGEST_MAX);
	if (dlen > len - a - b)
		return denai_err_set(err, DENAI_EDATA,
		    "multihash is truncated: digest of %llu bytes, %zu left",
		    (unsigned long long)dlen, len - a - b);
	mh->code = code;
	mh->len = (size_t)dlen;
	mh->digest = in + a + b;
	if (used != NULL)
		*used = a + b + (size_t)dlen;
	return 0;
}

const char *
denai_multihash_name(uint64_t code)
{
	static const struct { uint64_t code; const char *name; } t[] = {
		{ 0x00, "identity" }, { 0x11, "sha1" }, { 0x12, "sha2-256" },
		{ 0x13, "sha2-512" }, { 0x14, "sha3-512" },
		{ 0x15, "sha3-384" }, { 0x16, "sha3-256" },
		{ 0x17, "sha3-224" }, { 0x1b, "keccak-256" },
		{ 0x1e, "blake3" }, { 0x20, "sha2-384" },
		{ 0x22, "murmur3-x64-64" }, { 0xd5, "md5" },
		{ 0x1012, "sha2-256-trunc254-padded" },
		{ 0xb220, "blake2b-256" }, { 0xb240, "blake2b-512" },
		{ 0xb260, "blake2s-256" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

size_t
denai_multihash_sha256(uint8_t *out, size_t dlen, const uint8_t *data,
    size_t n)
{
	uint8_t d[SHA256_DIGEST_LENGTH];

	if (dlen == 0 || dlen > sizeof(d))
		return 0;
	SHA256(data, n, d);
	out[0] = DENAI_MH_SHA2_256;
	out[1] = (uint8_t)dlen;
	memcpy(out + 2, d, dlen);
	return 2 + dlen;
}

int
denai_multihash_check(const denai_multihash *mh, denai_err *err)
{
	const char *name = denai_multihash_name(mh->code);

	if (mh->code != DENAI_MH_SHA2_256) {
		if (name != NULL)
			return denai_err_set(err, DENAI_EUNSUP,
			    "multihash %s (0x%llx) is not supported "
			    "(only sha2-256)", name,
			    (unsigned long long)mh->code);
		return denai_err_set(err, DENAI_EUNSUP,
		    "unknown multihash code 0x%llx (only sha2-256 is "
		    "supported)", (unsigned long long)mh->code);
	}
	if (mh->len != SHA256_DIGEST_LENGTH)
		return denai_err_set(err, DENAI_EUNSUP,
		    "sha2-256 multihash truncated to %zu bytes is not "
		    "supported", mh->len);
	return 0;
}

int
denai_multihash_verify(const denai_multihash *mh, const uint8_t *data,
    size_t n, denai_err *err)
{
	uint8_t d[SHA256_DIGEST_LENGTH];

	if (denai_multihash_check(mh, err) != 0)
		return -1;
	SHA256(data, n, d);
	if (memcmp(d, mh->digest, sizeof(d)) != 0)
		return denai_err_set(err, DENAI_EDATA,
		    "sha2-256 of the %zu bytes does not match", n);
	return 0;
}
