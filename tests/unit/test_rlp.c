/* test_rlp.c - RLP builder and decoder: ethereum/tests and ethers vectors,
 * canonical-form rejections with their messages, typed reads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../tap.h"
#include "eth/hex.h"
#include "eth/rlp.h"

static uint8_t *
unhex(const char *s, size_t *n)
{
	size_t len = strlen(s);
	uint8_t *p = malloc(len / 2 + 1);
	denai_err err;

	if (p == NULL || denai_hex_decode(p, len / 2 + 1, n, s, len, 0,
	    &err) != 0) {
		diag("bad hex in test data: %s", s);
		free(p);
		*n = 0;
		return NULL;
	}
	return p;
}

/* Converts decimal text to minimal big-endian bytes (any size) in out,
 * which holds cap bytes. Returns: the byte count. */
static size_t
dec_to_be(uint8_t *out, size_t cap, const char *s)
{
	size_t n = 0;

	memset(out, 0, cap);
	for (; *s != '\0'; s++) {
		unsigned c = (unsigned)(*s - '0');

		for (size_t i = cap; i-- > 0;) {
			c += out[i] * 10u;
			out[i] = (uint8_t)c;
			c >>= 8;
		}
	}
	while (n < cap && out[n] == 0)
		n++;
	memmove(out, out + n, cap - n);
	return cap - n;
}

/* Appends an ethereum/tests "in" value: text strings as bytes, integers
 * and "#<decimal>" big integers as minimal integers, arrays as lists. */
static int
put_in(denai_rlp_buf *b, const json_t *v)
{
	size_t i;
	const json_t *e;

	if (json_is_array(v)) {
		denai_rlp_list_begin(b);
		json_array_foreach(v, i, e)
			if (put_in(b, e) != 0)
				return -1;
		denai_rlp_list_end(b);
	} else if (json_is_integer(v))
		denai_rlp_put_u64(b, (uint64_t)json_integer_value(v));
	else if (json_is_string(v) && json_string_value(v)[0] == '#') {
		uint8_t be[64];
		size_t n = dec_to_be(be, sizeof(be), json_string_value(v) + 1);

		denai_rlp_put_bytes(b, be, n);
	} else if (json_is_string(v))
		denai_rlp_put_bytes(b, (const uint8_t *)json_string_value(v),
		    json_string_length(v));
	else
		return -1;
	return 0;
}

/* Checks a decoded item against an "in" value. */
static int
match_in(const denai_rlp_item *it, const json_t *v)
{
	denai_rlp_iter iter;
	denai_rlp_item e;
	size_t i = 0;
	denai_u256 u;
	uint8_t be32[32];
	uint64_t x;

	if (json_is_array(v)) {
		if (denai_rlp_iter_init(&iter, it, NULL) != 0)
			return 0;
		while (denai_rlp_iter_next(&iter, &e, NULL) == 1)
			if (i >= json_array_size(v) ||
			    !match_in(&e, json_array_get(v, i++)))
				return 0;
		return i == json_array_size(v);
	}
	if (json_is_integer(v))
		return denai_rlp_get_u64(it, &x, NULL) == 0 &&
		    x == (uint64_t)json_integer_value(v);
	if (json_is_string(v) && json_string_value(v)[0] == '#') {
		uint8_t be[64];
		size_t n = dec_to_be(be, sizeof(be), json_string_value(v) + 1);

		if (n <= 32 && (denai_rlp_get_u256(it, &u, NULL) != 0 ||
		    (denai_u256_to_be32(be32, &u), 0) ||
		    memcmp(be32 + 32 - n, be, n) != 0))
			return 0;
		return !it->is_list && it->len == n &&
		    memcmp(it->p, be, n) == 0;
	}
	return !it->is_list && it->len == json_string_length(v) &&
	    memcmp(it->p, json_string_value(v), it->len) == 0;
}

static void
ethereum_tests(const char *dir)
{
	char path[1024];
	json_t *root, *t;
	const char *name;
	json_error_t jerr;

	snprintf(path, sizeof(path), "%s/vectors/ethereum-tests/RLPTests/"
	    "rlptest.json", dir);
	if ((root = json_load_file(path, JSON_ALLOW_NUL, &jerr)) == NULL) {
		skip("ethereum-tests rlptest.json not found");
		return;
	}
	json_object_foreach(root, name, t) {
		denai_rlp_buf b;
		denai_rlp_item it;
		uint8_t *want, *got = NULL;
		size_t wantlen, gotlen = 0;

		want = unhex(json_string_value(json_object_get(t, "out")),
		    &wantlen);
		denai_rlp_buf_init(&b);
		if (put_in(&b, json_object_get(t, "in")) != 0 ||
		    denai_rlp_buf_finish(&b, &got, &gotlen, NULL) != 0) {
			denai_rlp_buf_free(&b);
			ok(0, "rlptest %s: encodes", name);
		} else if (ok(gotlen == wantlen, "rlptest %s: encoded length %zu",
		    name, wantlen))
			is_mem(got, want, wantlen, "rlptest encoding matches");
		ok(denai_rlp_decode(&it, want, wantlen, NULL) == 0 &&
		    match_in(&it, json_object_get(t, "in")),
		    "rlptest %s: decodes to the input", name);
		free(got);
		free(want);
	}
	json_decref(root);

	snprintf(path, sizeof(path), "%s/vectors/ethereum-tests/RLPTests/"
	    "invalidRLPTest.json", dir);
	if ((root = json_load_file(path, 0, &jerr)) == NULL) {
		skip("ethereum-tests invalidRLPTest.json not found");
		return;
	}
	json_object_foreach(root, name, t) {
		denai_rlp_item it;
		denai_err err;
		uint8_t *in;
		size_t n;
		const char *hx = json_string_value(json_object_get(t, "out"));

		in = unhex(hx, &n);
		memset(&err, 0, sizeof(err));
		ok(denai_rlp_decode(&it, in, n, &err) == -1 &&
		    err.code == DENAI_EDATA, "invalidRLP %s rejected: %s",
		    name, err.msg);
		free(in);
	}
	json_decref(root);
}

static void
ethers_tests(const char *dir)
{
	char path[1024];
	json_t *root, *t;
	json_error_t jerr;
	size_t i;

	snprintf(path, sizeof(path), "%s/vectors/ethers/rlp.json.gz", dir);
	/* jansson cannot read gzip: go through zcat. */
	char cmd[1100];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "zcat '%s' 2>/dev/null", path);
	if ((f = popen(cmd, "r")) == NULL ||
	    (root = json_loadf(f, 0, &jerr)) == NULL) {
		if (f != NULL)
			pclose(f);
		skip("ethers rlp.json.gz not found");
		return;
	}
	pclose(f);
	json_array_foreach(root, i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		const json_t *dec = json_object_get(t, "decoded");
		denai_rlp_buf b;
		uint8_t *want, *got = NULL;
		size_t wantlen, gotlen = 0;
		denai_err err;
		json_t *back;

		want = unhex(json_string_value(json_object_get(t, "encoded")),
		    &wantlen);
		denai_rlp_buf_init(&b);
		if (denai_rlp_put_json(&b, dec, &err) != 0 ||
		    denai_rlp_buf_finish(&b, &got, &gotlen, &err) != 0) {
			denai_rlp_buf_free(&b);
			ok(0, "ethers %s: encodes (%s)", name, err.msg);
		} else
			ok(gotlen == wantlen && memcmp(got, want, gotlen) == 0,
			    "ethers %s: encoding matches", name);
		back = denai_rlp_to_json(want, wantlen, &err);
		ok(back != NULL && json_equal(back, dec),
		    "ethers %s: decodes to the same JSON", name);
		json_decref(back);
		free(got);
		free(want);
	}
	json_decref(root);
}

static void
bad(const char *hx, const char *want)
{
	uint8_t *in;
	size_t n;
	denai_rlp_item it;
	denai_err err;

	in = unhex(hx, &n);
	memset(&err, 0, sizeof(err));
	ok(denai_rlp_decode(&it, in, n, &err) == -1, "%s rejected", hx);
	is_str(err.msg, want, "  message");
	free(in);
}

static void
enc(denai_rlp_buf *b, const char *want, const char *name)
{
	uint8_t *out;
	size_t n;
	denai_err err;
	char *h;

	if (denai_rlp_buf_finish(b, &out, &n, &err) != 0) {
		ok(0, "%s: %s", name, err.msg);
		return;
	}
	h = denai_hex_dup(out, n);
	is_str(h, want, name);
	free(h);
	free(out);
}

int
main(void)
{
	denai_rlp_buf b;
	denai_rlp_item it, e;
	denai_rlp_iter iter;
	denai_err err;
	denai_u256 u;
	uint8_t *out, addr[20];
	size_t n;
	uint64_t v;
	char h[DENAI_U256_HEX_MAX];

	ethereum_tests(tap_shared_dir());
	ethers_tests(tap_shared_dir());

	/* Builder. */
	denai_rlp_buf_init(&b);
	denai_rlp_put_u64(&b, 0);
	enc(&b, "0x80", "u64 0 is the empty string");
	denai_rlp_put_u64(&b, 0x7f);
	enc(&b, "0x7f", "u64 0x7f is one byte");
	denai_rlp_put_u64(&b, 0x80);
	enc(&b, "0x8180", "u64 0x80");
	denai_rlp_put_u64(&b, UINT64_MAX);
	enc(&b, "0x88ffffffffffffffff", "u64 max");
	denai_u256_max(&u);
	denai_rlp_put_u256(&b, &u);
	enc(&b, "0xa0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    "u256 max");
	denai_u256_from_u64(&u, 0);
	denai_rlp_put_u256(&b, &u);
	enc(&b, "0x80", "u256 0");
	denai_u256_from_u64(&u, 0x0400);
	denai_rlp_put_u256(&b, &u);
	enc(&b, "0x820400", "u256 0x400 minimal");
	denai_rlp_put_str(&b, "");
	enc(&b, "0x80", "empty string");
	enc(&b, "0x", "nothing appended is empty");
	denai_rlp_list_begin(&b);
	denai_rlp_list_begin(&b);
	denai_rlp_list_end(&b);
	denai_rlp_list_begin(&b);
	denai_rlp_list_begin(&b);
	denai_rlp_list_end(&b);
	denai_rlp_list_end(&b);
	denai_rlp_put_raw(&b, (const uint8_t *)"\xc0", 1);
	denai_rlp_list_end(&b);
	enc(&b, "0xc4c0c1c0c0", "nested lists and raw");
	/* A list payload of 56 bytes switches to the long form. */
	denai_rlp_list_begin(&b);
	for (int i = 0; i < 14; i++)
		denai_rlp_put_str(&b, "abc");
	denai_rlp_list_end(&b);
	ok(denai_rlp_buf_finish(&b, &out, &n, NULL) == 0 && n == 58 &&
	    out[0] == 0xf8 && out[1] == 56, "56-byte list payload: f8 38");
	free(out);

	denai_rlp_list_end(&b);
	ok(denai_rlp_buf_finish(&b, &out, &n, &err) == -1 && out == NULL,
	    "list_end without begin fails at finish");
	is_str(err.msg, "rlp: list_end without list_begin, or lists nested "
	    "deeper than 32", "  message");
	denai_rlp_list_begin(&b);
	denai_rlp_list_begin(&b);
	denai_rlp_list_end(&b);
	ok(denai_rlp_buf_finish(&b, &out, &n, &err) == -1, "open list fails");
	is_str(err.msg, "rlp: 1 list left open", "  message");
	for (int i = 0; i < 33; i++)
		denai_rlp_list_begin(&b);
	ok(denai_rlp_buf_finish(&b, &out, &n, &err) == -1 &&
	    err.code == DENAI_EUSAGE, "33 nested lists refused");
	denai_rlp_buf_free(&b);
	denai_rlp_buf_free(NULL);

	/* Decoder error messages. */
	bad("0x", "rlp: input ends at offset 0 where an item should start");
	bad("0x8100", "rlp: item at offset 0: single byte 0x00 below 0x80 "
	    "encoded as a string");
	bad("0xb800", "rlp: item at offset 0: length has a leading zero byte");
	bad("0xb90040", "rlp: item at offset 0: length has a leading zero byte");
	bad("0xb801ff", "rlp: item at offset 0: long form used for a 1-byte "
	    "payload");
	bad("0xf803112233", "rlp: item at offset 0: long form used for a "
	    "3-byte payload");
	bad("0x83aabb", "rlp: item at offset 0: 3-byte payload runs past the "
	    "end of the input (2 bytes left)");
	bad("0xba0100", "rlp: item at offset 0: 3-byte length runs past the "
	    "end of the input");
	bad("0x8080", "rlp: 1 trailing bytes after the item at offset 1");
	bad("0xc3c28100", "rlp: item at offset 2: single byte 0x00 below 0x80 "
	    "encoded as a string");
	bad("0xc2c183", "rlp: item at offset 2: 3-byte payload runs past the "
	    "end of the input (0 bytes left)");
	bad("0xbf0f000000000000021111", "rlp: item at offset 0: "
	    "1080863910568919042-byte payload runs past the end of the input "
	    "(2 bytes left)");
	bad("0xbf0f0000", "rlp: item at offset 0: 8-byte length runs past the "
	    "end of the input");

	/* Nesting: 1025 lists (1024 inside the top one) decode, 1026 do not.
	 * Built inside out with the builder. */
	{
		uint8_t *deep;
		size_t dn;
		json_t *j;

		for (int levels = 1025; levels <= 1026; levels++) {
			denai_rlp_buf_init(&b);
			denai_rlp_put_raw(&b, (const uint8_t *)"\xc0", 1);
			ok(denai_rlp_buf_finish(&b, &deep, &dn, NULL) == 0,
			    "seed");
			for (int k = 1; k < levels; k++) {
				denai_rlp_buf_init(&b);
				denai_rlp_list_begin(&b);
				denai_rlp_put_raw(&b, deep, dn);
				denai_rlp_list_end(&b);
				free(deep);
				if (denai_rlp_buf_finish(&b, &deep, &dn, NULL) != 0)
					break;
			}
			if (levels == 1025) {
				ok(denai_rlp_decode(&it, deep, dn, &err) == 0,
				    "1025 nested lists decode");
				j = denai_rlp_to_json(deep, dn, NULL);
				ok(j != NULL, "  and go to JSON");
				json_decref(j);
			} else {
				ok(denai_rlp_decode(&it, deep, dn, &err) == -1,
				    "1026 nested lists refused");
				ok(strstr(err.msg, "lists nested deeper than 1024") !=
				    NULL, "  message: %s", err.msg);
			}
			free(deep);
		}
	}

	/* Typed reads. */
	out = unhex("0xf84e8203e8880102030405060708891122334455667788998094d8da6bf269"
	    "64af9d7eed9e03e53415d37aa96045a0ffffffffffffffffffffffffffffffff"
	    "ffffffffffffffffffffffffffffffffc0", &n);
	ok(out != NULL && denai_rlp_decode(&it, out, n, &err) == 0 &&
	    it.is_list, "typed list decodes");
	ok(denai_rlp_list_count(&it, &n, NULL) == 0 && n == 7, "7 elements");
	ok(denai_rlp_iter_init(&iter, &it, NULL) == 0, "iter init");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 &&
	    denai_rlp_get_u64(&e, &v, NULL) == 0 && v == 1000, "u64 1000");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 &&
	    denai_rlp_get_u64(&e, &v, NULL) == 0 && v == 0x0102030405060708ULL,
	    "u64 8 bytes");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 &&
	    denai_rlp_get_u64(&e, &v, &err) == -1, "u64 of 9 bytes refused");
	is_str(err.msg, "rlp: item at offset 14: 9-byte integer is wider than "
	    "8 bytes", "  message");
	ok(denai_rlp_get_u256(&e, &u, NULL) == 0 &&
	    strcmp(denai_u256_to_hex(h, &u), "0x112233445566778899") == 0,
	    "u256 of 9 bytes");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 &&
	    denai_rlp_get_u64(&e, &v, NULL) == 0 && v == 0, "u64 0");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 &&
	    denai_rlp_get_fixed(&e, addr, 20, NULL) == 0 && addr[0] == 0xd8 &&
	    addr[19] == 0x45, "20-byte address");
	ok(denai_rlp_get_fixed(&e, addr, 19, &err) == -1, "fixed 19 refused");
	is_str(err.msg, "rlp: item at offset 25: expected 19 bytes, got 20",
	    "  message");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 &&
	    denai_rlp_get_u256(&e, &u, NULL) == 0 && u.w[3] == UINT64_MAX,
	    "u256 32 bytes");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 1 && e.is_list &&
	    denai_rlp_get_u64(&e, &v, &err) == -1, "u64 of a list refused");
	is_str(err.msg, "rlp: item at offset 79: expected an integer, got a "
	    "list", "  message");
	ok(denai_rlp_iter_next(&iter, &e, NULL) == 0, "end of list");
	free(out);

	out = unhex("0x820001", &n);
	ok(denai_rlp_decode(&it, out, n, NULL) == 0 &&
	    denai_rlp_get_u64(&it, &v, &err) == -1, "integer 0x0001 refused");
	is_str(err.msg, "rlp: item at offset 0: integer has a leading zero "
	    "byte", "  message");
	ok(denai_rlp_iter_init(&iter, &it, &err) == -1, "iter on a string");
	is_str(err.msg, "rlp: item at offset 0 is a string, not a list",
	    "  message");
	free(out);

	/* read leaves the rest; decode refuses it. */
	out = unhex("0x0102", &n);
	ok(denai_rlp_read(&it, out, n, 7, NULL) == 0 && it.rawlen == 1 &&
	    it.off == 7, "read takes one item and reports its offset");
	free(out);

	/* JSON put errors. */
	json_t *j = json_loads("[\"0x01\",[\"0xzz\"]]", 0, NULL);
	denai_rlp_buf_init(&b);
	ok(denai_rlp_put_json(&b, j, &err) == -1, "bad hex in json refused");
	is_str(err.msg, "rlp: [1][0]: bad hex digit 'z' at position 2",
	    "  message");
	denai_rlp_buf_free(&b);
	json_decref(j);
	j = json_loads("[1,{}]", 0, NULL);
	ok(denai_rlp_put_json(&b, j, &err) == -1, "object refused");
	is_str(err.msg, "rlp: [1]: expected a hex string, an integer or an "
	    "array", "  message");
	denai_rlp_buf_free(&b);
	json_decref(j);
	return done_testing();
}
