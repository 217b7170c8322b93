/* test_multihash.c - multihash reading against the multihash spec's
 * test_cases.csv; sha2-256 computed and verified (also truncated as the
 * vectors ask), every other algorithm refused by name; varint rules. */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "eth/hex.h"
#include "ipfs/multihash.h"
#include "ipfs/varint.h"

static uint64_t
code_of(const char *alg)
{
	if (strcmp(alg, "sha1") == 0)
		return 0x11;
	if (strcmp(alg, "sha2-256") == 0)
		return 0x12;
	if (strcmp(alg, "sha2-512") == 0)
		return 0x13;
	if (strcmp(alg, "sha3") == 0)
		return 0x14;	/* sha3-512 */
	return 0xffff;
}

static void
vectors(void)
{
	char path[1024], line[1024], alg[32], inhex[256], mhhex[512];
	uint8_t in[128], mhb[128], got[DENAI_MH_MAX];
	size_t inlen, mhlen, used, n;
	unsigned bits;
	denai_multihash mh;
	denai_err err;
	int rows = 0, sha = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vectors/multihash/tests/values/"
	    "test_cases.csv", tap_shared_dir());
	if ((f = fopen(path, "r")) == NULL) {
		skip("no multihash vectors at ../shared");
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%31[^,],%u,%255[^,],%511s", alg, &bits, inhex,
		    mhhex) != 4)
			continue;
		/* The input column is hashed as ASCII text. */
		inlen = strlen(inhex);
		if (inlen > sizeof(in) ||
		    denai_hex_decode(mhb, sizeof(mhb), &mhlen, mhhex,
		    strlen(mhhex), 0, &err) != 0) {
			ok(0, "vector line hex: %s", line);
			continue;
		}
		memcpy(in, inhex, inlen);
		rows++;
		if (!ok(denai_multihash_read(&mh, &used, mhb, mhlen, &err) ==
		    0 && used == mhlen && mh.code == code_of(alg) &&
		    mh.len == bits / 8, "%s/%u: reads code and length", alg,
		    bits))
			diag("%s", err.msg);
		if (mh.code != DENAI_MH_SHA2_256) {
			memset(&err, 0, sizeof(err));
			ok(denai_multihash_verify(&mh, in, inlen, &err) == -1 &&
			    err.code == DENAI_EUNSUP &&
			    strstr(err.msg, denai_multihash_name(mh.code)) !=
			    NULL, "%s/%u: refused: %s", alg, bits, err.msg);
			continue;
		}
		sha++;
		n = denai_multihash_sha256(got, bits / 8, in, inlen);
		ok(n == mhlen && memcmp(got, mhb, n) == 0,
		    "sha2-256/%u: computed", bits);
		if (bits == 256)
			ok(denai_multihash_verify(&mh, in, inlen, &err) == 0,
			    "sha2-256/256: verifies");
		else
			ok(denai_multihash_verify(&mh, in, inlen, &err) == -1 &&
			    err.code == DENAI_EUNSUP,
			    "sha2-256/%u: truncated digest refused: %s", bits,
			    err.msg);
	}
	fclose(f);
	ok(rows >= 30 && sha >= 6, "%d vectors, %d of them sha2-256", rows,
	    sha);
}

static void
varint_bad(const char *hex, int pb, const char *want)
{
	uint8_t b[16];
	size_t n, used;
	uint64_t v;
	denai_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	if (denai_hex_decode(b, sizeof(b), &n, hex, strlen(hex), 0, &err) != 0)
		return;
	rc = pb ? denai_varint_read_pb(&v, &used, b, n, &err) :
	    denai_varint_read_uv(&v, &used, b, n, &err);
	ok(rc == -1, "varint %s refused (%s)", hex, pb ? "pb" : "uv");
	is_str(err.msg, want, "  message");
}

int
main(void)
{
	static const uint8_t hello[] = "hello";
	uint8_t mh[DENAI_MH_MAX], b[16];
	denai_multihash m;
	denai_err err;
	uint64_t v;
	size_t n, used;
	char *hx;

	vectors();

	/* sha256("hello") is published everywhere. */
	n = denai_multihash_sha256(mh, 32, hello, 5);
	ok(n == 34 && mh[0] == 0x12 && mh[1] == 0x20, "sha2-256 header");
	hx = denai_hex_dup(mh + 2, 32);
	is_str(hx, "0x2cf24dba5fb0a30e26e83b2ac5b9e29e"
	    "1b161e5c1fa7425e73043362938b9824", "sha2-256 of hello");
	free(hx);
	ok(denai_multihash_read(&m, &used, mh, n, &err) == 0 &&
	    denai_multihash_verify(&m, hello, 5, &err) == 0, "verifies");
	ok(denai_multihash_verify(&m, (const uint8_t *)"hellp", 5, &err) ==
	    -1 && err.code == DENAI_EDATA, "mismatch refused: %s", err.msg);
	ok(denai_multihash_read(&m, &used, mh, 20, &err) == -1,
	    "truncated multihash refused: %s", err.msg);
	b[0] = 0x12; b[1] = 0x41;
	ok(denai_multihash_read(&m, &used, b, 2, &err) == -1,
	    "digest over 64 bytes refused: %s", err.msg);
	b[0] = 0x00; b[1] = 0x00;
	ok(denai_multihash_read(&m, &used, b, 2, &err) == 0 &&
	    denai_multihash_check(&m, &err) == -1 &&
	    strstr(err.msg, "identity") != NULL, "identity refused: %s",
	    err.msg);
	b[0] = 0xe3; b[1] = 0x07; b[2] = 0x00;
	ok(denai_multihash_read(&m, &used, b, 3, &err) == 0 &&
	    denai_multihash_check(&m, &err) == -1 &&
	    strstr(err.msg, "0x3e3") != NULL, "unknown code named: %s",
	    err.msg);

	/* varints */
	n = denai_varint_put(b, 300);
	ok(n == 2 && b[0] == 0xac && b[1] == 0x02, "300 is ac 02");
	ok(denai_varint_read_uv(&v, &used, b, n, &err) == 0 && v == 300 &&
	    used == 2, "reads 300");
	n = denai_varint_put(b, UINT64_MAX);
	ok(n == 10 && denai_varint_len(UINT64_MAX) == 10, "2^64-1 takes 10");
	ok(denai_varint_read_pb(&v, &used, b, n, &err) == 0 &&
	    v == UINT64_MAX, "pb reads 2^64-1");
	varint_bad("ffffffffffffffffff01", 0, "varint longer than 9 bytes");
	varint_bad("ffffffffffffffffff02", 1, "varint overflows 64 bits");
	varint_bad("8000", 0, "varint is not minimally encoded");
	varint_bad("8080", 1, "varint is truncated");
	varint_bad("", 0, "varint is truncated");
	return done_testing();
}
