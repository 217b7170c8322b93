/* test_multibase.c - every base against the multibase spec's CSV vectors
 * (../shared/vectors/multibase/tests), and refusals. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "eth/hex.h"
#include "ipfs/multibase.h"

static int nchecked, nskipped;

/* Reads `"..."` at p into out, expanding \xHH; returns its length. */
static size_t
quoted(uint8_t *out, size_t cap, const char *p)
{
	size_t n = 0;

	if ((p = strchr(p, '"')) == NULL)
		return 0;
	for (p++; *p && *p != '"' && n < cap; p++) {
		if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			out[n++] = (uint8_t)(denai_hex_digit(p[2]) << 4 |
			    denai_hex_digit(p[3]));
			p += 3;
		} else {
			out[n++] = (uint8_t)*p;
		}
	}
	return n;
}

static void
run_file(const char *dir, const char *name, int canonical)
{
	char path[1024], line[1024], enc[1024], label[64];
	uint8_t input[256], text[512], dec[256];
	size_t inlen = 0, tlen, dlen;
	denai_err err;
	FILE *f;
	int first = 1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *comma = strchr(line, ',');

		if (comma == NULL)
			continue;
		if (first) {
			inlen = quoted(input, sizeof(input), comma);
			first = 0;
			continue;
		}
		snprintf(label, sizeof(label), "%.*s", (int)(comma - line),
		    line);
		tlen = quoted(text, sizeof(text) - 1, comma);
		text[tlen] = '\0';
		if (denai_multibase_prefix(label) == 0) {
			/* base256emoji: refused by name of its prefix */
			memset(&err, 0, sizeof(err));
			ok(denai_multibase_decode(dec, sizeof(dec), &dlen, NULL,
			    (char *)text, tlen, &err) == -1 &&
			    err.code == DENAI_EUNSUP, "%s %s: refused (%s)",
			    name, label, err.msg);
			nskipped++;
			continue;
		}
		nchecked++;
		memset(&err, 0, sizeof(err));
		if (!ok(denai_multibase_decode(dec, sizeof(dec), &dlen, NULL,
		    (char *)text, tlen, &err) == 0 && dlen == inlen &&
		    memcmp(dec, input, inlen) == 0, "%s %s: decodes", name,
		    label))
			diag("%s", err.msg);
		if (!canonical)
			continue;
		if (!ok(denai_multibase_encode(enc, sizeof(enc),
		    (char)text[0], input, inlen, &err) == 0,
		    "%s %s: encodes", name, label))
			diag("%s", err.msg);
		else
			is_str(enc, (char *)text, "  to the vector");
	}
	fclose(f);
}

static void
bad(const char *text, int code, const char *want)
{
	uint8_t out[64];
	size_t n;
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(denai_multibase_decode(out, sizeof(out), &n, NULL, text,
	    strlen(text), &err) == -1 && err.code == code, "refuses \"%s\"",
	    text);
	is_str(err.msg, want, "  message");
}

int
main(void)
{
	char dir[1024], buf[64];
	uint8_t out[8];
	size_t n;
	denai_err err;

	snprintf(dir, sizeof(dir), "%s/vectors/multibase/tests",
	    tap_shared_dir());
	snprintf(buf, sizeof(buf), "x");
	{
		FILE *f;
		char p[1100];

		snprintf(p, sizeof(p), "%s/basic.csv", dir);
		if ((f = fopen(p, "r")) == NULL) {
			skip("no multibase vectors at ../shared");
			goto own;
		}
		fclose(f);
	}
	run_file(dir, "basic.csv", 1);
	run_file(dir, "leading_zero.csv", 1);
	run_file(dir, "two_leading_zeros.csv", 1);
	run_file(dir, "case_insensitivity.csv", 0);
	ok(nchecked >= 78, "checked %d vectors (%d refused as unsupported)",
	    nchecked, nskipped);
own:
	bad("", DENAI_EDATA, "multibase: empty text");
	bad("Qmabc", DENAI_EUNSUP, "multibase prefix 'Q' is not supported");
	bad("\x01" "abc", DENAI_EUNSUP,
	    "multibase prefix byte 0x01 is not supported");
	bad("bafy!", DENAI_EDATA, "base32: bad character '!' at position 4");
	bad("ba", DENAI_EDATA,
	    "base32: text of 1 characters is not a whole encoding");
	bad("bab", DENAI_EDATA,
	    "base32: text of 2 characters is not a whole encoding");
	bad("cae=====", DENAI_EDATA, "base32pad: bad padding");
	bad("f0", DENAI_EDATA,
	    "base16: text of 1 characters is not a whole encoding");
	bad("mAB", DENAI_EDATA,
	    "base64: text of 2 characters is not a whole encoding");
	bad("z0", DENAI_EDATA,
	    "base58btc: base58: bad character '0' at position 0");
	memset(&err, 0, sizeof(err));
	ok(denai_multibase_decode(out, 2, &n, NULL, "f000000", 7, &err) == -1,
	    "refuses output over the buffer");
	ok(denai_multibase_encode(buf, 4, 'b', out, 8, &err) == -1 &&
	    err.code == DENAI_EUSAGE, "encode refuses a short buffer");
	ok(denai_multibase_encode(buf, sizeof(buf), '?', out, 1, &err) == -1 &&
	    err.code == DENAI_EUNSUP, "encode refuses an unknown prefix");
	is_str(denai_multibase_name('z'), "base58btc", "name of 'z'");
	ok(denai_multibase_name('Q') == NULL, "no name for 'Q'");
	return done_testing();
}
