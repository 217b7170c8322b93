/* test_u256_cast.c - u256 parse/print and hex decoding against cast:
 *   1,000 random u256 values printed by us in decimal, and in mangled hex
 *   (mixed case, leading zeros), parsed by `cast abi-encode f(uint256[])`
 *   (batched) and compared with our value and our parse of the same text;
 *   cast's decimal printing (`cast abi-decode --json`) against to_dec;
 *   `cast to-dec` / `cast to-hex` one by one, and their refusals;
 *   1,000 random mixed-case hex byte strings through `cast abi-encode
 *   f(bytes[])`, and valid and broken hex one by one through `f(bytes)`. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "../diff/cast.h"
#include "eth/abi.h"
#include "eth/hex.h"
#include "eth/u256.h"

#define N 1000
#define CHUNK 250
#define NONE 40

static denai_u256 vals[N];
static char dec[N][DENAI_U256_DEC_MAX], mhex[N][70];

static void
rnd_u256(denai_u256 *v, size_t i)
{
	int bits = (int)rndn(257);

	for (int k = 0; k < 4; k++)
		v->w[k] = rnd();
	for (int k = 0; k < 4; k++) {
		int lo = 64 * k;

		if (bits <= lo)
			v->w[k] = 0;
		else if (bits < lo + 64)
			v->w[k] &= ((uint64_t)1 << (bits - lo)) - 1;
	}
	switch (i) {
	case 0: denai_u256_from_u64(v, 0); break;
	case 1: denai_u256_from_u64(v, 1); break;
	case 2: denai_u256_from_u64(v, UINT64_MAX); break;
	case 3: denai_u256_max(v); break;
	case 4: denai_u256_from_u64(v, 0); v->w[1] = 1; break;
	case 5: denai_u256_max(v); v->w[0]--; break;
	case 6: denai_u256_from_u64(v, 0); v->w[3] = (uint64_t)1 << 63; break;
	}
}

/* Our hex, mangled: random case and up to 64 digits of leading zeros. */
static void
mangle(char *out, const denai_u256 *v)
{
	char h[DENAI_U256_HEX_MAX];
	size_t nd, z;

	denai_u256_to_hex(h, v);
	nd = strlen(h + 2);
	z = rndn(4) == 0 ? rndn(64 - nd + 1) : 0;
	strcpy(out, "0x");
	memset(out + 2, '0', z);
	strcpy(out + 2 + z, h + 2);
	for (char *p = out + 2; *p; p++)
		if (rndn(2))
			*p = (char)toupper((unsigned char)*p);
}

/* Joins strs[from..to) as "[a,b,...]" into a new string. */
static char *
join(char (*strs)[70], size_t stride, size_t from, size_t to)
{
	size_t n = 3;
	char *s, *p;

	for (size_t i = from; i < to; i++)
		n += strlen((char *)strs + i * stride) + 1;
	if ((s = malloc(n)) == NULL)
		abort();
	p = s;
	*p++ = '[';
	for (size_t i = from; i < to; i++) {
		if (i > from)
			*p++ = ',';
		strcpy(p, (char *)strs + i * stride);
		p += strlen(p);
	}
	*p++ = ']';
	*p = '\0';
	return s;
}

/* Compares a cast uint256[] encoding (hex) with vals[from..to). Returns:
 * the number of differing values. */
static size_t
cmp_words(const char *hx, size_t from, size_t to, const char *what)
{
	size_t n, bad = 0, cnt = to - from;
	uint8_t *b = malloc(strlen(hx) / 2 + 1);
	denai_u256 v;

	if (b == NULL || denai_hex_decode(b, strlen(hx) / 2 + 1, &n, hx,
	    strlen(hx), 0, NULL) != 0 || n != 64 + 32 * cnt) {
		diag("%s: cast output is not a uint256[%zu] encoding: %.100s",
		    what, cnt, hx);
		free(b);
		return cnt;
	}
	for (size_t i = 0; i < cnt; i++) {
		denai_u256_from_be32(&v, b + 64 + 32 * i);
		if (denai_u256_cmp(&v, &vals[from + i]) != 0 && bad++ < 3)
			diag("%s: value %zu: cast read %s as something else",
			    what, from + i, what[0] == 'd' ? dec[from + i] :
			    mhex[from + i]);
	}
	free(b);
	return bad;
}

int
main(void)
{
	struct cast_batch b = { 0 };
	size_t bad_dec = 0, bad_hex = 0, bad_print = 0, bad_one = 0,
	    bad_ref = 0, bad_bytes = 0, bad_byte1 = 0;
	size_t i_enc_dec[N / CHUNK], i_enc_hex[N / CHUNK], i_abidec;
	size_t i_todec[NONE], i_tohex[NONE], i_ref[NONE], i_bytes[N / CHUNK];
	size_t i_byte1[NONE];
	static char bhex[N][70], one[NONE][80], ref[NONE][100];
	static char bnorm[N][70];
	int one_ok[NONE];
	uint8_t *enc = NULL;
	size_t enclen;
	denai_err err;
	denai_abi_type *arr;
	json_t *a;
	char *s;

	cast_init(20261126);
	arr = denai_abi_type_parse("(uint256[])", 11, &err);
	for (size_t i = 0; i < N; i++) {
		denai_u256 p;

		rnd_u256(&vals[i], i);
		denai_u256_to_dec(dec[i], &vals[i]);
		mangle(mhex[i], &vals[i]);
		/* Our parsers read back our own printing. */
		if (denai_u256_parse(&p, dec[i], strlen(dec[i]), NULL) != 0 ||
		    denai_u256_cmp(&p, &vals[i]) != 0)
			bad_dec++;
		if (denai_u256_parse(&p, mhex[i], strlen(mhex[i]), NULL) != 0 ||
		    denai_u256_cmp(&p, &vals[i]) != 0)
			bad_hex++;
	}
	for (size_t c = 0; c < N / CHUNK; c++) {
		s = join((char (*)[70])dec, DENAI_U256_DEC_MAX, c * CHUNK,
		    (c + 1) * CHUNK);
		i_enc_dec[c] = cast_add(&b, "abi-encode", "f(uint256[])", s,
		    NULL);
		free(s);
		s = join(mhex, 70, c * CHUNK, (c + 1) * CHUNK);
		i_enc_hex[c] = cast_add(&b, "abi-encode", "f(uint256[])", s,
		    NULL);
		free(s);
	}
	/* Our encoding of all values for cast to print in decimal. */
	a = json_array();
	for (size_t i = 0; i < N; i++)
		json_array_append_new(a, json_string(dec[i]));
	{
		json_t *args = json_pack("[o]", a);

		if (denai_abi_encode(&enc, &enclen, arr, args, &err) != 0)
			diag("encode: %s", err.msg);
		json_decref(args);
	}
	s = denai_hex_dup(enc, enclen);
	i_abidec = cast_add(&b, "abi-decode", "--json", "f()(uint256[])", s,
	    NULL);
	free(s);
	/* One by one: to-dec of our hex, to-hex of our decimal. */
	for (size_t i = 0; i < NONE; i++) {
		size_t k = rndn(N);

		i_todec[i] = cast_add(&b, "to-dec", mhex[k], NULL);
		i_tohex[i] = cast_add(&b, "to-hex", dec[k], NULL);
		one_ok[i] = (int)k;
	}
	/* Refusals: too large in decimal and hex, bad digits. */
	for (size_t i = 0; i < NONE; i++) {
		denai_u256 m;

		denai_u256_max(&m);
		switch (i % 4) {
		case 0:	/* 2^256 + k in decimal */
			denai_u256_to_dec(ref[i], &m);
			ref[i][strlen(ref[i]) - 1] += (char)(1 + rndn(4));
			break;
		case 1:	/* 65 significant hex digits */
			snprintf(ref[i], sizeof(ref[i]), "0x%x%s",
			    (unsigned)(1 + rndn(15)), mhex[rndn(N)] + 2);
			while (strlen(ref[i]) < 67)
				memmove(ref[i] + 3, ref[i] + 2,
				    strlen(ref[i] + 2) + 1), ref[i][2] = 'f';
			break;
		case 2:	/* a bad digit in decimal */
			strcpy(ref[i], dec[rndn(N)]);
			ref[i][rndn(strlen(ref[i]))] = "g.:/"[rndn(4)];
			break;
		case 3:	/* a bad digit in hex */
			strcpy(ref[i], mhex[rndn(N)]);
			ref[i][2 + rndn(strlen(ref[i]) - 2)] = "gxG"[rndn(3)];
			break;
		}
		i_ref[i] = cast_add(&b, i % 2 ? "to-dec" : "to-hex", ref[i],
		    NULL);
	}
	/* Hex byte strings: mixed case, even length, batched in bytes[]. */
	for (size_t i = 0; i < N; i++) {
		size_t len = rndn(30);
		char *h = rnd_hex(len, NULL);

		strcpy(bnorm[i], h);
		for (char *p = h + 2; *p; p++)
			if (rndn(2))
				*p = (char)toupper((unsigned char)*p);
		strcpy(bhex[i], h);
		free(h);
	}
	for (size_t c = 0; c < N / CHUNK; c++) {
		s = join(bhex, 70, c * CHUNK, (c + 1) * CHUNK);
		i_bytes[c] = cast_add(&b, "abi-encode", "f(bytes[])", s, NULL);
		free(s);
	}
	/* One by one, hex that is valid or broken: odd length, a bad digit,
	 * no prefix. ("0X" and "" are ours only: hex.h allows them.) */
	for (size_t i = 0; i < NONE; i++) {
		char *h = rnd_hex(1 + rndn(20), NULL);

		switch (i % 5) {
		case 1: h[strlen(h) - 1] = '\0'; break;
		case 2: h[2 + rndn(strlen(h) - 2)] = "gzX -"[rndn(5)]; break;
		case 3: memmove(h, h + 2, strlen(h) - 1); break;
		case 4: h[2 + rndn(strlen(h) - 2)] = 'F'; break;
		}
		snprintf(one[i], sizeof(one[i]), "%s", h);
		free(h);
		i_byte1[i] = cast_add(&b, "abi-encode", "f(bytes)", one[i],
		    NULL);
	}

	if (cast_run(&b) != 0)
		skip_all("cannot run cast");

	is_int((long long)bad_dec, 0, "parse_dec reads to_dec of 1000 values");
	is_int((long long)bad_hex, 0, "parse reads 1000 mangled to_hex values");
	bad_dec = bad_hex = 0;
	for (size_t c = 0; c < N / CHUNK; c++) {
		bad_dec += cmp_words(b.out[i_enc_dec[c]], c * CHUNK,
		    (c + 1) * CHUNK, "dec");
		bad_hex += cmp_words(b.out[i_enc_hex[c]], c * CHUNK,
		    (c + 1) * CHUNK, "hex");
	}
	ok(bad_dec == 0, "cast reads our to_dec of %d values as the same "
	    "numbers (%zu differ)", N, bad_dec);
	ok(bad_hex == 0, "cast reads our mangled to_hex of %d values as the "
	    "same numbers (%zu differ)", N, bad_hex);

	/* cast --json prints small numbers bare and large ones quoted. */
	{
		char *q = cast_quote_numbers(b.out[i_abidec]);
		json_t *j = json_loads(q, 0, NULL), *l = json_array_get(j, 0);
		size_t n = json_array_size(l);

		bad_print = n == N ? 0 : N;
		for (size_t i = 0; i < n && i < N; i++) {
			const char *got = json_string_value(json_array_get(l, i));

			if ((got == NULL || strcmp(got, dec[i]) != 0) &&
			    bad_print++ < 3)
				diag("value %zu: cast prints %s, to_dec %s", i,
				    got ? got : "?", dec[i]);
		}
		ok(bad_print == 0, "to_dec prints %d values as cast abi-decode "
		    "does (%zu differ)", N, bad_print);
		json_decref(j);
		free(q);
	}

	for (size_t i = 0; i < NONE; i++) {
		char h[DENAI_U256_HEX_MAX];
		size_t k = (size_t)one_ok[i];

		if (b.rc[i_todec[i]] != 0 || strcmp(b.out[i_todec[i]],
		    dec[k]) != 0 || b.rc[i_tohex[i]] != 0 ||
		    strcmp(b.out[i_tohex[i]], denai_u256_to_hex(h, &vals[k])) !=
		    0) {
			if (bad_one++ < 3)
				diag("%s: cast to-dec %s, to-hex %s", dec[k],
				    b.out[i_todec[i]], b.out[i_tohex[i]]);
		}
	}
	ok(bad_one == 0, "to_dec/to_hex equal cast to-dec/to-hex on %d values "
	    "(%zu differ)", NONE, bad_one);
	for (size_t i = 0; i < NONE; i++) {
		denai_u256 m;
		int ours = denai_u256_parse(&m, ref[i], strlen(ref[i]), NULL);

		if (b.rc[i_ref[i]] == 0 || ours == 0) {
			if (bad_ref++ < 3)
				diag("%s: cast rc %d (%s), ours %d", ref[i],
				    b.rc[i_ref[i]], b.out[i_ref[i]], ours);
		}
	}
	ok(bad_ref == 0, "%d overflowing or malformed numbers refused by both "
	    "(%zu differ)", NONE, bad_ref);

	/* bytes[]: our decode of the mixed-case text, our encoder. */
	{
		denai_abi_type *bt = denai_abi_type_parse("(bytes[])", 9, &err);

		for (size_t c = 0; c < N / CHUNK; c++) {
			json_t *l = json_array(), *args;
			char *h;

			for (size_t i = c * CHUNK; i < (c + 1) * CHUNK; i++) {
				uint8_t raw[40];
				size_t n;
				char norm[90];

				if (denai_hex_decode(raw, sizeof(raw), &n, bhex[i],
				    strlen(bhex[i]), 0, NULL) != 0 ||
				    strcmp(denai_hex_encode(norm, raw, n),
				    bnorm[i]) != 0)
					bad_bytes++;
				json_array_append_new(l, json_string(bnorm[i]));
			}
			args = json_pack("[o]", l);
			free(enc);
			enc = NULL;
			if (denai_abi_encode(&enc, &enclen, bt, args, NULL) != 0)
				bad_bytes += CHUNK;
			h = denai_hex_dup(enc, enclen);
			if (strcmp(h, b.out[i_bytes[c]]) != 0 &&
			    bad_bytes++ < 3)
				diag("bytes[] chunk %zu differs", c);
			free(h);
			json_decref(args);
		}
		ok(bad_bytes == 0, "hex_decode of %d mixed-case strings equals "
		    "cast's reading (%zu differ)", N, bad_bytes);
		for (size_t i = 0; i < NONE; i++) {
			uint8_t raw[40];
			size_t n;
			int ours = denai_hex_decode(raw, sizeof(raw), &n, one[i],
			    strlen(one[i]), 0, NULL);
			int same;

			if (ours == 0) {
				/* offset 0x20, length, bytes padded. */
				uint8_t w[32 * 4];
				char h[2 * sizeof(w) + 3];

				memset(w, 0, sizeof(w));
				w[31] = 0x20;
				w[63] = (uint8_t)n;
				memcpy(w + 64, raw, n);
				denai_hex_encode(h, w, 64 + (n + 31) / 32 * 32);
				same = b.rc[i_byte1[i]] == 0 &&
				    strcmp(h, b.out[i_byte1[i]]) == 0;
			} else
				same = b.rc[i_byte1[i]] != 0;
			if (!same && bad_byte1++ < 3)
				diag("\"%s\": cast rc %d, ours %d", one[i],
				    b.rc[i_byte1[i]], ours);
		}
		ok(bad_byte1 == 0, "%d valid and broken hex strings accepted or "
		    "refused as cast does (%zu differ)", NONE, bad_byte1);
		denai_abi_type_free(bt);
	}
	free(enc);
	denai_abi_type_free(arr);
	cast_free(&b);
	return done_testing();
}
