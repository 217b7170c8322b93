/* test_u256.c - u256 parse, print, compare and arithmetic. */
#include <stdint.h>
#include <string.h>

#include "../tap.h"
#include "eth/u256.h"

static denai_u256
P(const char *s)
{
	denai_u256 v;
	denai_err err;

	if (denai_u256_parse(&v, s, strlen(s), &err) != 0) {
		diag("parse %s: %s", s, err.msg);
		memset(&v, 0xee, sizeof(v));
	}
	return v;
}

static void
parse_err(const char *s, const char *want)
{
	denai_u256 v;
	denai_err err;
	char name[160];

	memset(&err, 0, sizeof(err));
	snprintf(name, sizeof(name), "parse \"%s\" fails: %s", s, want);
	ok(denai_u256_parse(&v, s, strlen(s), &err) == -1, "%s (rc)", name);
	is_str(err.msg, want, name);
	is_int(err.code, DENAI_EDATA, "code is EDATA");
}

static void
roundtrip(const char *dec, const char *hex)
{
	char d[DENAI_U256_DEC_MAX], h[DENAI_U256_HEX_MAX];
	denai_u256 a = P(dec), b = P(hex);

	is_str(denai_u256_to_dec(d, &a), dec, dec);
	is_str(denai_u256_to_hex(h, &a), hex, hex);
	ok(denai_u256_cmp(&a, &b) == 0, "%s == %s", dec, hex);
}

/* Multiplies a by b (wrapping) using mul_small and add, limb by limb, to
 * check divmod through q*b + r == a. */
static denai_u256
mul(const denai_u256 *a, const denai_u256 *b)
{
	denai_u256 acc, t;

	denai_u256_from_u64(&acc, 0);
	for (int i = 3; i >= 0; i--) {
		/* acc = acc * 2^64 + a * b[i] */
		memmove(&acc.w[1], &acc.w[0], 3 * sizeof(uint64_t));
		acc.w[0] = 0;
		(void)denai_u256_mul_small(&t, a, b->w[i]);
		(void)denai_u256_add(&acc, &acc, &t);
	}
	return acc;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int
main(void)
{
	denai_u256 a, b, q, r, t, one, max;
	denai_err err;
	uint64_t rem;
	uint8_t be[32], be2[32];
	char buf[DENAI_U256_DEC_MAX];

	roundtrip("0", "0x0");
	roundtrip("1", "0x1");
	roundtrip("255", "0xff");
	roundtrip("18446744073709551615", "0xffffffffffffffff");
	roundtrip("18446744073709551616", "0x10000000000000000");
	roundtrip("10000000000000000000", "0x8ac7230489e80000");
	roundtrip("100000000000000000000000000000000000000",
	    "0x4b3b4ca85a86c47a098a224000000000");
	roundtrip("115792089237316195423570985008687907853269984665640564039457584007913129639935",
	    "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
	roundtrip("57896044618658097711785492504343953926634992332820282019728792003956564819968",
	    "0x8000000000000000000000000000000000000000000000000000000000000000");

	a = P("0X00FF");
	is_str(denai_u256_to_dec(buf, &a), "255", "0X prefix and leading zeros");
	a = P("000123");
	is_str(denai_u256_to_dec(buf, &a), "123", "decimal leading zeros");
	a = P("0xAbCdEf");
	is_str(denai_u256_to_dec(buf, &a), "11259375", "mixed case hex");

	parse_err("", "empty number");
	parse_err("0x", "empty hex number");
	parse_err("12a", "bad decimal digit 'a' at position 2");
	parse_err("-1", "bad decimal digit '-' at position 0");
	parse_err(" 1", "bad decimal digit ' ' at position 0");
	parse_err("0xfg", "bad hex digit 'g' at position 3");
	parse_err("0x1\x01", "bad hex digit (byte 0x01) at position 3");
	parse_err("115792089237316195423570985008687907853269984665640564039457584007913129639936",
	    "decimal number does not fit in 256 bits");
	parse_err("999999999999999999999999999999999999999999999999999999999999999999999999999999",
	    "decimal number does not fit in 256 bits");
	parse_err("0x10000000000000000000000000000000000000000000000000000000000000000",
	    "hex number has 65 digits, at most 64 allowed");

	/* parse stops at len, not at NUL. */
	ok(denai_u256_parse(&a, "12345", 3, &err) == 0 &&
	    strcmp(denai_u256_to_dec(buf, &a), "123") == 0, "len bounds the parse");

	/* be32 */
	for (int i = 0; i < 32; i++)
		be[i] = (uint8_t)(i + 1);
	denai_u256_from_be32(&a, be);
	is_int((long long)(a.w[0] & 0xff), 32, "from_be32: last byte least significant");
	is_int((long long)(a.w[3] >> 56), 1, "from_be32: first byte most significant");
	denai_u256_to_be32(be2, &a);
	is_mem(be2, be, 32, "be32 round trip");

	/* compare, add, sub */
	denai_u256_max(&max);
	denai_u256_from_u64(&one, 1);
	is_int(denai_u256_cmp(&one, &max), -1, "1 < max");
	is_int(denai_u256_cmp(&max, &one), 1, "max > 1");
	is_int(denai_u256_cmp(&max, &max), 0, "max == max");
	a = P("0x10000000000000000");
	b = P("0xffffffffffffffff");
	is_int(denai_u256_cmp(&a, &b), 1, "carry limb compares higher");
	is_int(denai_u256_add(&t, &max, &one), 1, "max + 1 carries");
	ok(denai_u256_is_zero(&t), "max + 1 wraps to 0");
	is_int(denai_u256_sub(&t, &t, &one), 1, "0 - 1 borrows");
	ok(denai_u256_cmp(&t, &max) == 0, "0 - 1 wraps to max");
	is_int(denai_u256_sub(&t, &a, &one), 0, "2^64 - 1 no borrow");
	ok(denai_u256_cmp(&t, &b) == 0, "2^64 - 1 == 0xffffffffffffffff");
	is_int(denai_u256_add(&t, &b, &one), 0, "2^64-1 + 1 no carry out");
	ok(denai_u256_cmp(&t, &a) == 0, "2^64-1 + 1 carries across limbs");

	/* mul_small, div_small */
	is_int(denai_u256_mul_small(&t, &max, 2), 1, "max * 2 overflows");
	is_int(denai_u256_mul_small(&t, &a, 0xffffffffffffffffULL), 0,
	    "2^64 * (2^64-1) fits");
	is_str(denai_u256_to_hex(buf, &t), "0xffffffffffffffff0000000000000000",
	    "2^64 * (2^64-1)");
	denai_u256_div_small(&q, &rem, &max, 10);
	is_str(denai_u256_to_dec(buf, &q),
	    "11579208923731619542357098500868790785326998466564056403945758400791312963993",
	    "max / 10");
	is_int((long long)rem, 5, "max % 10");

	/* divmod */
	ok(denai_u256_divmod(&q, &r, &max, &t, NULL) == 0, "divmod ok");
	memset(&t, 0, sizeof(t));
	memset(&err, 0, sizeof(err));
	ok(denai_u256_divmod(&q, &r, &max, &t, &err) == -1, "divmod by 0 fails");
	is_str(err.msg, "division by zero", "divmod by 0 message");
	a = P("115792089237316195423570985008687907853269984665640564039457584007913129639935");
	b = P("340282366920938463463374607431768211457");	/* 2^128 + 1 */
	ok(denai_u256_divmod(&q, &r, &a, &b, NULL) == 0, "max / (2^128+1)");
	is_str(denai_u256_to_dec(buf, &q), "340282366920938463463374607431768211455",
	    "max / (2^128+1) quotient");
	ok(denai_u256_is_zero(&r), "max / (2^128+1) remainder 0");
	b = P("0x8000000000000000000000000000000000000000000000000000000000000001");
	ok(denai_u256_divmod(&q, &r, &max, &b, NULL) == 0 && q.w[0] == 1 &&
	    q.w[1] == 0 && strcmp(denai_u256_to_hex(buf, &r),
	    "0x7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe") == 0,
	    "max / (2^255+1) exercises the top bit");
	ok(denai_u256_divmod(NULL, &r, &one, &max, NULL) == 0 &&
	    denai_u256_cmp(&r, &one) == 0, "1 %% max == 1, q may be NULL");

	/* Random q*b + r == a, r < b, over mixed limb widths. */
	int bad = 0;
	for (int i = 0; i < 2000; i++) {
		int wa = (int)(next() % 4), wb = (int)(next() % 4);

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		for (int k = 0; k <= wa; k++)
			a.w[k] = next() >> (next() % 64);
		for (int k = 0; k <= wb; k++)
			b.w[k] = next() >> (next() % 64);
		if (denai_u256_is_zero(&b))
			b.w[0] = 1;
		if (denai_u256_divmod(&q, &r, &a, &b, NULL) != 0) {
			bad++;
			continue;
		}
		t = mul(&q, &b);
		(void)denai_u256_add(&t, &t, &r);
		if (denai_u256_cmp(&t, &a) != 0 || denai_u256_cmp(&r, &b) >= 0)
			bad++;
	}
	is_int(bad, 0, "2000 random divmod: q*b + r == a and r < b");
	return done_testing();
}
