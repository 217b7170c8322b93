/* test_keccak.c - Keccak-256: ethers' published vectors, known answers,
 * and incremental hashing across rate boundaries equal to one-shot. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../tap.h"
#include "eth/hex.h"
#include "eth/keccak.h"

static void
kat(const char *msg, const char *want)
{
	uint8_t d[32];
	char h[67];

	denai_keccak256(d, msg, strlen(msg));
	is_str(denai_hex_encode(h, d, 32), want, msg[0] ? msg : "(empty)");
}

static void
ethers(void)
{
	char cmd[1100];
	json_t *root, *t;
	json_error_t jerr;
	FILE *f;
	size_t i, good = 0, total = 0;

	snprintf(cmd, sizeof(cmd), "zcat '%s/vectors/ethers/hashes.json.gz' "
	    "2>/dev/null", tap_shared_dir());
	if ((f = popen(cmd, "r")) == NULL ||
	    (root = json_loadf(f, 0, &jerr)) == NULL) {
		if (f != NULL)
			pclose(f);
		skip("ethers hashes.json.gz not found");
		return;
	}
	pclose(f);
	json_array_foreach(root, i, t) {
		const char *data = json_string_value(json_object_get(t, "data"));
		const char *want = json_string_value(json_object_get(t,
		    "keccak256"));
		size_t len = strlen(data), n;
		uint8_t *in = malloc(len / 2 + 1), d[32];
		char h[67];

		total++;
		if (in != NULL && denai_hex_decode(in, len / 2 + 1, &n, data,
		    len, 0, NULL) == 0) {
			denai_keccak256(d, in, n);
			if (strcmp(denai_hex_encode(h, d, 32), want) == 0)
				good++;
			else
				diag("%s: got %s want %s", json_string_value(
				    json_object_get(t, "name")), h, want);
		}
		free(in);
	}
	ok(total > 200 && good == total, "ethers keccak256: %zu of %zu match",
	    good, total);
	json_decref(root);
}

int
main(void)
{
	static uint8_t buf[1000];
	uint8_t one[32], inc[32], fork1[32], fork2[32];
	denai_keccak_ctx c, c2;
	int bad = 0;

	kat("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	kat("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
	kat("transfer(address,uint256)",
	    "0xa9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b");
	kat("Transfer(address,address,uint256)",
	    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
	ethers();

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	/* Every split point of messages around the 136-byte rate. */
	static const size_t lens[] = { 0, 1, 7, 8, 9, 84, 135, 136, 137, 271,
	    272, 273, 999 };
	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		size_t len = lens[k];

		denai_keccak256(one, buf, len);
		for (size_t s = 0; s <= len; s += len > 300 ? 37 : 1) {
			denai_keccak256_init(&c);
			denai_keccak256_update(&c, buf, s);
			denai_keccak256_update(&c, buf + s, len - s);
			denai_keccak256_final(&c, inc);
			bad += memcmp(one, inc, 32) != 0;
		}
		/* Byte at a time. */
		denai_keccak256_init(&c);
		for (size_t s = 0; s < len; s++)
			denai_keccak256_update(&c, buf + s, 1);
		denai_keccak256_final(&c, inc);
		bad += memcmp(one, inc, 32) != 0;
	}
	is_int(bad, 0, "incremental updates at every split equal one-shot");

	/* A copied context forks the hash. */
	denai_keccak256_init(&c);
	denai_keccak256_update(&c, "abc", 3);
	c2 = c;
	denai_keccak256_update(&c, "def", 3);
	denai_keccak256_final(&c, fork1);
	denai_keccak256_final(&c2, fork2);
	denai_keccak256(one, "abcdef", 6);
	is_mem(fork1, one, 32, "fork continues: abc+def");
	denai_keccak256(one, "abc", 3);
	is_mem(fork2, one, 32, "fork keeps: abc");
	return done_testing();
}
