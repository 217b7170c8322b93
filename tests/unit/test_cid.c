/* test_cid.c - CIDv0 and CIDv1: parsing, printing, round trips through
 * every text form, the ipld dag-pb fixtures' names, and refusals that name
 * what was found. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "ipfs/base58.h"
#include "ipfs/cid.h"
#include "eth/hex.h"
#include "ipfs/multibase.h"

#define EMPTY_SHA256 \
	"0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static denai_cid
P(const char *s)
{
	denai_cid c;
	denai_err err;

	if (denai_cid_parse(&c, s, strlen(s), &err) != 0) {
		diag("parse %s: %s", s, err.msg);
		memset(&c, 0, sizeof(c));
	}
	return c;
}

static const char *
F(const denai_cid *c, char prefix)
{
	static char s[DENAI_CID_STR_MAX];
	static denai_err err;

	if (denai_cid_format(s, sizeof(s), c, prefix, &err) != 0)
		return err.msg;
	return s;
}

static void
bad(const char *text, int code, const char *want)
{
	denai_cid c;
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(denai_cid_parse(&c, text, strlen(text), &err) == -1 &&
	    err.code == code, "refuses %.60s", text);
	is_str(err.msg, want, "  message");
}

static void
fixtures(void)
{
	char dir[1024];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/vectors/ipld-codec-fixtures/fixtures",
	    tap_shared_dir());
	if ((d = opendir(dir)) == NULL) {
		skip("no ipld fixtures at ../shared");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char sub[2048], name[256];
		struct dirent *e;
		DIR *d2;

		if (strncmp(de->d_name, "dagpb_", 6) != 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if ((d2 = opendir(sub)) == NULL)
			continue;
		while ((e = readdir(d2)) != NULL) {
			char *dot = strstr(e->d_name, ".dag-pb");
			denai_cid c;

			if (dot == NULL)
				continue;
			snprintf(name, sizeof(name), "%.*s",
			    (int)(dot - e->d_name), e->d_name);
			c = P(name);
			ok(c.version == 1 && c.codec == DENAI_CID_DAG_PB,
			    "fixture %s: cidv1 dag-pb", de->d_name);
			is_str(F(&c, 0), name, "  prints back");
			n++;
		}
		closedir(d2);
	}
	closedir(d);
	ok(n >= 15, "%d fixture names", n);
}

int
main(void)
{
	static const uint8_t empty_file[] = { 0x0a, 0x04, 0x08, 0x02, 0x18, 0x00 };
	denai_cid a, b, c;
	denai_multihash mh;
	denai_err err;
	uint8_t bytes[DENAI_CID_BYTES_MAX + 4];
	char s[DENAI_CID_STR_MAX], t[DENAI_CID_STR_MAX];
	size_t used;
	char *hx;

	/* The empty raw block. */
	a = P("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
	mh = denai_cid_multihash(&a);
	ok(a.version == 1 && a.codec == DENAI_CID_RAW && mh.code == 0x12 &&
	    mh.len == 32, "empty raw: v1 raw sha2-256");
	hx = denai_hex_dup(mh.digest, 32);
	is_str(hx, EMPTY_SHA256, "empty raw: digest is sha256(\"\")");
	free(hx);
	ok(denai_cid_verify(&a, (const uint8_t *)"", 0, &err) == 0,
	    "empty raw: verifies the empty block");
	ok(denai_cid_verify(&a, (const uint8_t *)"x", 1, &err) == -1 &&
	    err.code == DENAI_EDATA, "empty raw: refuses other bytes");
	ok(denai_cid_of(&b, 1, DENAI_CID_RAW, (const uint8_t *)"", 0,
	    &err) == 0 && b.len == a.len && memcmp(a.bytes, b.bytes, a.len) ==
	    0, "empty raw: computed");

	/* The empty UnixFS file, `ipfs add /dev/null`. */
	a = P("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
	ok(a.version == 0 && a.codec == DENAI_CID_DAG_PB && a.len == 34,
	    "empty file: v0 dag-pb");
	is_str(F(&a, 0), "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
	    "empty file: prints back");
	ok(denai_cid_verify(&a, empty_file, sizeof(empty_file), &err) == 0,
	    "empty file: verifies its block");
	ok(denai_cid_of(&b, 0, DENAI_CID_DAG_PB, empty_file,
	    sizeof(empty_file), &err) == 0 && denai_cid_same_hash(&a, &b) &&
	    b.len == 34, "empty file: computed");
	/* The same as CIDv1 (what `ipfs cid base32` prints). */
	ok(denai_cid_of(&c, 1, DENAI_CID_DAG_PB, empty_file,
	    sizeof(empty_file), &err) == 0, "v1 of the empty file");
	is_str(F(&c, 0),
	    "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y",
	    "  in base32 (ipfs add --cid-version 1 --raw-leaves=false)");
	ok(denai_cid_same_hash(&a, &c), "  same multihash as the v0");
	snprintf(s, sizeof(s), "%s", F(&c, 'z'));
	b = P(s);
	ok(s[0] == 'z' && b.len == c.len && memcmp(b.bytes, c.bytes, c.len) ==
	    0, "  base58btc form %s parses back", s);
	snprintf(t, sizeof(t), "%s", F(&c, 'B'));
	b = P(t);
	ok(t[0] == 'B' && b.len == c.len && memcmp(b.bytes, c.bytes, c.len) ==
	    0, "  base32upper form %s parses back", t);
	snprintf(t, sizeof(t), "%s", F(&c, 'f'));
	b = P(t);
	ok(b.len == c.len && memcmp(b.bytes, c.bytes, c.len) == 0,
	    "  base16 form parses back");

	/* Binary forms. */
	ok(denai_cid_read_any(&b, &used, a.bytes, a.len, &err) == 0 &&
	    used == 34 && b.version == 0, "binary v0 reads");
	memcpy(bytes, c.bytes, c.len);
	bytes[c.len] = 0x99;
	ok(denai_cid_read_any(&b, &used, bytes, c.len + 1, &err) == 0 &&
	    used == c.len, "binary v1 reads, leaving what follows");
	ok(denai_cid_from_bytes(&b, bytes, c.len + 1, &err) == -1,
	    "from_bytes refuses trailing bytes: %s", err.msg);
	ok(denai_cid_from_bytes(&b, bytes, c.len - 1, &err) == -1,
	    "from_bytes refuses a truncated cid: %s", err.msg);

	fixtures();

	/* Refusals naming what was found. */
	bad("bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
	    DENAI_EUNSUP,
	    "cid codec dag-cbor (0x71) is not supported (raw or dag-pb only)");
	bad("bafkqaaa", DENAI_EUNSUP,
	    "cid: multihash identity (0x0) is not supported (only sha2-256)");
	/* v1 raw with a sha2-512 multihash */
	memset(bytes, 0xab, sizeof(bytes));
	bytes[0] = 1; bytes[1] = 0x55; bytes[2] = 0x13; bytes[3] = 0x40;
	if (denai_multibase_encode(s, sizeof(s), 'b', bytes, 68, &err) == 0)
		bad(s, DENAI_EUNSUP, "cid: multihash sha2-512 (0x13) is not "
		    "supported (only sha2-256)");
	/* v1 raw with a sha2-256 digest truncated to 20 bytes */
	bytes[2] = 0x12; bytes[3] = 20;
	if (denai_multibase_encode(s, sizeof(s), 'b', bytes, 24, &err) == 0)
		bad(s, DENAI_EUNSUP, "cid: sha2-256 multihash truncated to 20 "
		    "bytes is not supported");
	bytes[1] = 0x80; bytes[2] = 0x70; bytes[3] = 0x12; bytes[4] = 32;
	if (denai_multibase_encode(s, sizeof(s), 'b', bytes, 37, &err) == 0)
		bad(s, DENAI_EUNSUP, "unknown cid codec 0x3800 (raw or dag-pb "
		    "only)");
	bytes[1] = 0x55; bytes[2] = 0x12; bytes[3] = 32; bytes[4] = 0xab;
	bytes[0] = 2;
	if (denai_multibase_encode(s, sizeof(s), 'b', bytes, 36, &err) == 0)
		bad(s, DENAI_EDATA, "cid version 2 is not 0 or 1");
	bytes[0] = 1;
	if (denai_multibase_encode(s, sizeof(s), 'b', bytes, 30, &err) == 0)
		bad(s, DENAI_EDATA, "cid: multihash is truncated: digest of 32 "
		    "bytes, 26 left");
	if (denai_multibase_encode(s, sizeof(s), 'b', bytes, 37, &err) == 0)
		bad(s, DENAI_EDATA, "cid: 1 bytes after the multihash");
	if (denai_multibase_encode(s, sizeof(s), 'b', a.bytes, 34, &err) == 0)
		bad(s, DENAI_EDATA, "cid: a cidv0 must be written in base58btc "
		    "without a multibase prefix");
	bad("", DENAI_EDATA, "empty cid");
	bad("QmXXX", DENAI_EDATA, "cidv0 'Qm...' must be 46 characters, not 5");
	bad("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQ0", DENAI_EDATA,
	    "cidv0: base58: bad character '0' at position 45");
	bad("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyk",
	    DENAI_EDATA, "cid: base32: text of 57 characters is not a whole "
	    "encoding");
	bad("xyz", DENAI_EUNSUP, "cid: multibase prefix 'x' is not "
	    "supported");
	ok(denai_cid_of(&b, 0, DENAI_CID_RAW, empty_file, 6, &err) == -1 &&
	    err.code == DENAI_EUSAGE, "cidv0 with codec raw is impossible");
	is_str(denai_cid_codec_name(0x70), "dag-pb", "codec name");
	return done_testing();
}
