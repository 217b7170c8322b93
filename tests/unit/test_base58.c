/* test_base58.c - base58btc against Bitcoin Core's base58 vectors, round
 * trips, leading zeros, and refusals. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "ipfs/base58.h"
#include "eth/hex.h"

/* Bitcoin Core src/test/data/base58_encode_decode.json */
static const char *vec[][2] = {
	{ "", "" },
	{ "61", "2g" },
	{ "626262", "a3gV" },
	{ "636363", "aPEr" },
	{ "73696d706c792061206c6f6e6720737472696e67",
	  "2cFupjhnEsSn59qHXstmK2ffpLv2" },
	{ "00eb15231dfceb60925886b67d065299925915aeb172c06647",
	  "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L" },
	{ "516b6fcd0f", "ABnLTmg" },
	{ "bf4f89001e670274dd", "3SEo3LWLoPntC" },
	{ "572e4794", "3EFU7m" },
	{ "ecac89cad93923c02321", "EJDM8drfXA6uyA" },
	{ "10c8511e", "Rt5zm" },
	{ "00000000000000000000", "1111111111" },
	{ "000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff48"
	  "0d6dd43dc62a641155a5",
	  "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" },
};

static void
bad(const char *text, const char *want)
{
	uint8_t out[64];
	size_t n;
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(denai_base58_decode(out, sizeof(out), &n, text, strlen(text),
	    denai_base58_btc, &err) == -1, "refuses \"%s\"", text);
	is_str(err.msg, want, "  message");
	is_int(err.code, DENAI_EDATA, "  code is EDATA");
}

int
main(void)
{
	uint8_t bin[256], back[256];
	char text[512];
	size_t n, m, i;
	denai_err err;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		if (denai_hex_decode(bin, sizeof(bin), &n, vec[i][0],
		    strlen(vec[i][0]), 0, &err) != 0)
			return diag("bad vector %zu", i), 1;
		ok(denai_base58_encode(text, sizeof(text), bin, n,
		    denai_base58_btc, &err) == 0, "encode %zu", i);
		is_str(text, vec[i][1], "  gives the vector");
		ok(denai_base58_decode(back, sizeof(back), &m, vec[i][1],
		    strlen(vec[i][1]), denai_base58_btc, &err) == 0 &&
		    m == n && memcmp(back, bin, n) == 0, "decode %zu", i);
	}
	/* Round trips of random bytes with 0-3 leading zeros. */
	srand(7);
	for (i = 0; i < 200; i++) {
		size_t len = (size_t)rand() % 80, z = (size_t)rand() % 4, j;
		int good = 1;

		for (j = 0; j < len; j++)
			bin[j] = j < z ? 0 : (uint8_t)rand();
		good &= denai_base58_encode(text, sizeof(text), bin, len,
		    denai_base58_btc, &err) == 0;
		for (j = 0; j < z && j < len; j++)
			good &= text[j] == '1';
		good &= denai_base58_decode(back, sizeof(back), &m, text,
		    strlen(text), denai_base58_btc, &err) == 0 && m == len &&
		    memcmp(back, bin, len) == 0;
		if (!good) {
			ok(0, "round trip %zu", i);
			tap_hex("in", bin, len);
		}
	}
	ok(1, "200 random round trips");

	bad("0abc", "base58: bad character '0' at position 0");
	bad("abOc", "base58: bad character 'O' at position 2");
	bad("abIl", "base58: bad character 'I' at position 2");
	bad("ab\xff", "base58: bad byte 0xff at position 2");
	memset(&err, 0, sizeof(err));
	ok(denai_base58_decode(back, 2, &m, "2g2g", 4, denai_base58_btc,
	    &err) == -1 && err.code == DENAI_EDATA,
	    "refuses output over the buffer");
	ok(denai_base58_encode(text, 3, (const uint8_t *)"bbb", 3,
	    denai_base58_btc, &err) == -1 && err.code == DENAI_EUSAGE,
	    "encode refuses a short buffer");
	ok(denai_base58_encode(text, sizeof(text), bin, DENAI_BASE58_MAX + 1,
	    denai_base58_btc, &err) == -1, "encode refuses over the cap");
	return done_testing();
}
