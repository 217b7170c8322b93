/* test_node_seal.c - the prediction seal of a sealed request against a
 * value computed with cast (`cast keccak $(cast abi-encode
 * "f(uint256,address,uint256,bytes32)" 7 0x7099...79C8 1 0x..aa)`), salts,
 * and the state folder: save, load, list in id order, remove, mode 0600,
 * a bad file named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "eth/hex.h"
#include "node/seal.h"
#include "node/seal_state.h"

static void
u256(denai_u256 *v, const char *s)
{
	if (denai_u256_parse(v, s, strlen(s), NULL) != 0)
		abort();
}

int
main(void)
{
	uint8_t miner[20], salt[32] = { 0 }, s1[32], s2[32], out[32];
	char hex[67], dir[] = "/tmp/denai-seal-XXXXXX", path[512];
	denai_u256 id, pred, id2;
	denai_seal_state st = { 0 }, got, *all;
	struct stat sb;
	denai_err err;
	size_t n;

	salt[31] = 0xaa;
	if (denai_hex_decode_exact(miner, 20,
	    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", NULL) != 0)
		abort();
	u256(&id, "7");
	u256(&pred, "1");
	ok(denai_seal_prediction(out, &id, miner, &pred, salt, &err) == 0,
	    "seal computed");
	is_str(denai_hex_encode(hex, out, 32),
	    "0x15947d21b0f63bfb891120611b715f29583a7893f4923253657547a50217be45",
	    "seal = keccak256(abi.encode(7, miner, 1, salt)), as cast says");
	u256(&pred, "2");
	ok(denai_seal_prediction(s1, &id, miner, &pred, salt, &err) == 0 &&
	    memcmp(s1, out, 32) != 0, "another prediction, another seal");
	miner[19] ^= 1;
	u256(&pred, "1");
	ok(denai_seal_prediction(s2, &id, miner, &pred, salt, &err) == 0 &&
	    memcmp(s2, out, 32) != 0, "another miner, another seal (no copying "
	    "a seal)");
	ok(denai_seal_salt(s1, &err) == 0 && denai_seal_salt(s2, &err) == 0 &&
	    memcmp(s1, s2, 32) != 0, "two salts differ");

	/* The state folder. */
	if (mkdtemp(dir) == NULL)
		abort();
	ok(denai_seal_state_all(&all, &n, dir, &err) == 0 && n == 0,
	    "an empty folder: no state");
	st.request_id = id;
	st.prediction = pred;
	memcpy(st.salt, s1, 32);
	memcpy(st.seal, out, 32);
	st.record = json_pack("{s:s,s:s,s:b}", "type", "request", "nonce",
	    "0x5", "sealed", 1);
	ok(denai_seal_state_save(&st, dir, &err) == 0, "saved");
	snprintf(path, sizeof(path), "%s/sealed-7.json", dir);
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "sealed-7.json, mode 0600");
	ok(denai_seal_state_load(&got, dir, &id, &err) == 1 &&
	    denai_u256_cmp(&got.prediction, &pred) == 0 &&
	    memcmp(got.salt, s1, 32) == 0 && memcmp(got.seal, out, 32) == 0 &&
	    json_equal(got.record, st.record), "loaded back as saved");
	denai_seal_state_clear(&got);
	u256(&st.request_id, "3");
	ok(denai_seal_state_save(&st, dir, &err) == 0, "a second one saved");
	ok(denai_seal_state_all(&all, &n, dir, &err) == 0 && n == 2 &&
	    denai_u256_cmp(&all[0].request_id, &st.request_id) == 0 &&
	    denai_u256_cmp(&all[1].request_id, &id) == 0,
	    "both listed, in id order");
	for (size_t i = 0; i < n; i++)
		denai_seal_state_clear(&all[i]);
	free(all);
	u256(&id2, "4");
	ok(denai_seal_state_load(&got, dir, &id2, &err) == 0,
	    "no state for request 4");
	denai_seal_state_remove(dir, &st.request_id);
	denai_seal_state_remove(dir, &id);
	ok(denai_seal_state_load(&got, dir, &id, &err) == 0, "removed");
	{
		FILE *f = fopen(path, "w");
		fputs("{\"version\":1}", f);
		fclose(f);
	}
	ok(denai_seal_state_all(&all, &n, dir, &err) != 0 &&
	    err.code == DENAI_EDATA && strstr(err.msg, "sealed-7.json") != NULL,
	    "a bad file is refused, named");
	unlink(path);
	rmdir(dir);
	json_decref(st.record);
	return done_testing();
}
