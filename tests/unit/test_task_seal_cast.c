/* test_task_seal_cast.c - the three seals of docs/platform.md against
 * `cast keccak $(cast abi-encode ...)` on random fields: test set
 * (string,bytes32), model (uint256,address,bytes32,bytes32), scores
 * (uint256,address,bool,address[],int256[],bytes32). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "../diff/cast.h"
#include "eth/hex.h"
#include "task/seal.h"

#define N 12

static void
rnd_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

int
main(void)
{
	struct cast_batch enc = { 0 }, kec = { 0 };
	static char want[3 * N][67], arg[3 * N][4096];
	char salt[67], addr[43], sha[67], id[32], cid[80];
	uint8_t s[32], a[20], h[32], out[32];
	denai_err err;
	size_t k = 0;

	cast_init(20261206);
	for (int i = 0; i < N; i++, k++) {
		size_t len = 1 + rndn(70);
		rnd_bytes(s, 32);
		for (size_t j = 0; j < len; j++)
			cid[j] = (char)('a' + rndn(26));
		cid[len] = '\0';
		if (denai_seal_test(out, cid, s, &err) != 0)
			return printf("Bail out! %s\n", err.msg), 1;
		denai_hex_encode(want[k], out, 32);
		cast_add(&enc, "abi-encode", "f(string,bytes32)", cid,
		    denai_hex_encode(salt, s, 32), NULL);
	}
	for (int i = 0; i < N; i++, k++) {
		rnd_bytes(s, 32);
		rnd_bytes(a, 20);
		rnd_bytes(h, 32);
		snprintf(id, sizeof(id), "%llu", (unsigned long long)(i < 2 ?
		    (uint64_t)i : rnd()));
		if (denai_seal_model(out, id, a, h, s, &err) != 0)
			return printf("Bail out! %s\n", err.msg), 1;
		denai_hex_encode(want[k], out, 32);
		cast_add(&enc, "abi-encode", "f(uint256,address,bytes32,bytes32)",
		    id, denai_hex_encode(addr, a, 20), denai_hex_encode(sha, h,
		    32), denai_hex_encode(salt, s, 32), NULL);
	}
	for (int i = 0; i < N; i++, k++) {
		json_t *tr = json_array(), *sc = json_array();
		size_t n = i == 1 ? 1 : rndn(5), pos, pos2;
		char trl[2048] = "[", scl[2048] = "[";
		int valid = (int)rndn(2);

		rnd_bytes(s, 32);
		rnd_bytes(a, 20);
		snprintf(id, sizeof(id), "%d", i + 1);
		pos = 1;
		pos2 = 1;
		for (size_t j = 0; j < n; j++) {
			uint8_t t[20];
			char th[43], v[96];
			long long x = (long long)(rnd() >> 1) *
			    (rndn(2) ? -1 : 1);

			rnd_bytes(t, 20);
			if (j == 0 && i == 1)
				snprintf(v, sizeof(v), "%s",
				    "-57896044618658097711785492504343953926634992332820282019728792003956564819968");
			else
				snprintf(v, sizeof(v), "%lld", x);
			json_array_append_new(tr, json_string(
			    denai_hex_encode(th, t, 20)));
			json_array_append_new(sc, json_string(v));
			pos += (size_t)snprintf(trl + pos, sizeof(trl) - pos,
			    "%s%s", j ? "," : "", th);
			pos2 += (size_t)snprintf(scl + pos2, sizeof(scl) - pos2,
			    "%s%s", j ? "," : "", v);
		}
		snprintf(trl + pos, sizeof(trl) - pos, "]");
		snprintf(scl + pos2, sizeof(scl) - pos2, "]");
		snprintf(arg[k], sizeof(arg[k]), "%s", scl);
		if (denai_seal_scores(out, id, a, valid, tr, sc, s, &err) != 0)
			return printf("Bail out! %s\n", err.msg), 1;
		denai_hex_encode(want[k], out, 32);
		cast_add(&enc, "abi-encode",
		    "f(uint256,address,bool,address[],int256[],bytes32)", id,
		    denai_hex_encode(addr, a, 20), valid ? "true" : "false",
		    trl, arg[k], denai_hex_encode(salt, s, 32), NULL);
		json_decref(tr);
		json_decref(sc);
	}
	if (cast_run(&enc) != 0)
		return printf("Bail out! cast did not run\n"), 1;
	for (size_t i = 0; i < k; i++)
		cast_add(&kec, "keccak", enc.out[i], NULL);
	if (cast_run(&kec) != 0)
		return printf("Bail out! cast did not run\n"), 1;
	for (size_t i = 0; i < k; i++) {
		const char *what = i < N ? "test" : i < 2 * N ? "model" :
		    "scores";
		char name[64];

		snprintf(name, sizeof(name), "%s seal %zu matches cast", what, i);
		ok(enc.rc[i] == 0 && kec.rc[i] == 0, "%s seal %zu: cast ran",
		    what, i);
		is_str(want[i], kec.out[i], name);
	}
	/* Mismatched lists are refused. */
	{
		json_t *tr = json_pack("[s]",
		    "0x0000000000000000000000000000000000000001");
		json_t *sc = json_array();
		ok(denai_seal_scores(out, "1", a, 1, tr, sc, s, &err) != 0 &&
		    err.code == DENAI_EDATA, "trainers and scores of "
		    "different lengths refused");
		json_decref(tr);
		json_decref(sc);
	}
	cast_free(&enc);
	cast_free(&kec);
	return done_testing();
}
