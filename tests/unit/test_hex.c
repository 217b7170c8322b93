/* test_hex.c - hex decoding rules (prefix, case, odd length, bounds) and
 * encoding, with exact error messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "eth/hex.h"

static void
dec_ok(const char *in, int odd, const char *want_hex, const char *name)
{
	uint8_t out[64];
	size_t n = 99;
	denai_err err;
	char h[200];

	if (!ok(denai_hex_decode(out, sizeof(out), &n, in, strlen(in), odd,
	    &err) == 0, "%s: decodes", name)) {
		diag("%s", err.msg);
		return;
	}
	is_str(denai_hex_encode(h, out, n), want_hex, name);
}

static void
dec_bad(const char *in, size_t len, size_t cap, int odd, const char *msg)
{
	uint8_t out[64];
	size_t n = 99;
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(denai_hex_decode(out, cap, &n, in, len, odd, &err) == -1 &&
	    err.code == DENAI_EDATA && n == 0, "\"%.*s\" refused", (int)len,
	    in);
	is_str(err.msg, msg, "  message");
}

int
main(void)
{
	uint8_t b[32], all[256];
	char h[600], *d;
	denai_err err;
	size_t n;

	dec_ok("", 0, "0x", "empty");
	dec_ok("0x", 0, "0x", "bare prefix");
	dec_ok("0X", 0, "0x", "bare upper prefix");
	dec_ok("00", 0, "0x00", "zero byte");
	dec_ok("0xDeAdBeEf", 0, "0xdeadbeef", "mixed case");
	dec_ok("0XABCDEF", 0, "0xabcdef", "upper prefix and digits");
	dec_ok("abc", 1, "0x0abc", "odd allowed: leading 0 nibble");
	dec_ok("0x1", 1, "0x01", "odd single digit");
	dec_bad("abc", 3, 64, 0, "hex string has an odd number of digits (3)");
	dec_bad("0x1", 3, 64, 0, "hex string has an odd number of digits (1)");
	dec_bad("0xg0", 4, 64, 0, "bad hex digit 'g' at position 2");
	dec_bad("0x0g", 4, 64, 0, "bad hex digit 'g' at position 3");
	dec_bad("0x 0", 4, 64, 0, "bad hex digit ' ' at position 2");
	dec_bad("12\0014", 4, 64, 0, "bad hex digit (byte 0x01) at position 2");
	dec_bad("0x0x", 4, 64, 1, "bad hex digit 'x' at position 3");
	dec_bad("x0", 2, 64, 0, "bad hex digit 'x' at position 0");
	dec_bad("0x12345678", 10, 3, 0, "hex string too long: 4 bytes, at most "
	    "3 allowed");
	dec_bad("0x123", 5, 1, 1, "hex string too long: 2 bytes, at most 1 "
	    "allowed");
	dec_bad("0xzz", 4, 64, 1, "bad hex digit 'z' at position 2");
	dec_bad("0xz", 3, 64, 1, "bad hex digit 'z' at position 2");

	/* len bounds the read: "0x12" followed by garbage. */
	ok(denai_hex_decode(b, sizeof(b), &n, "0x12zz", 4, 0, NULL) == 0 &&
	    n == 1 && b[0] == 0x12, "reads only len characters");
	ok(denai_hex_decode(b, 1, &n, "0x12", 4, 0, NULL) == 0 && n == 1,
	    "exactly cap bytes fit");
	ok(denai_hex_decode(b, 0, NULL, "", 0, 0, NULL) == 0,
	    "empty into cap 0, NULL outlen");

	/* decode_exact */
	ok(denai_hex_decode_exact(b, 4, "0xdeadbeef", NULL) == 0 &&
	    b[0] == 0xde && b[3] == 0xef, "decode_exact 4");
	ok(denai_hex_decode_exact(b, 4, "0xdeadbe", &err) == -1,
	    "decode_exact short refused");
	is_str(err.msg, "expected 4 bytes of hex, got 3", "  message");
	ok(denai_hex_decode_exact(b, 4, "0xdeadbeef00", &err) == -1,
	    "decode_exact long refused");
	is_str(err.msg, "hex string too long: 5 bytes, at most 4 allowed",
	    "  message");
	ok(denai_hex_decode_exact(b, 2, "abc", &err) == -1,
	    "decode_exact odd refused");

	/* encode, dup, digit */
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	denai_hex_encode(h, all, 256);
	ok(strlen(h) == 514 && strncmp(h, "0x000102", 8) == 0 &&
	    strcmp(h + 508, "fdfeff") == 0, "encode all bytes, lowercase");
	ok(denai_hex_decode(all, sizeof(all), &n, h, strlen(h), 0, NULL) == 0 &&
	    n == 256 && all[200] == 200, "round trip all bytes");
	is_str(denai_hex_encode(h, all, 0), "0x", "encode nothing");
	d = denai_hex_dup((const uint8_t *)"\x01\xab", 2);
	is_str(d, "0x01ab", "dup");
	free(d);
	{
		int good = 1;

		for (int c = 0; c < 256; c++) {
			int want = c >= '0' && c <= '9' ? c - '0' :
			    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			good &= denai_hex_digit(c) == want;
		}
		ok(good, "hex_digit over all 256 byte values");
	}
	return done_testing();
}
