/* test_secp.c - keys, addresses, EIP-55, signatures and recovery:
 * ethereum/tests keyaddrtest, ethers accounts, EIP-55 and EIP-191 known
 * answers, and the error messages of bad input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "../tap.h"
#include "eth/hex.h"
#include "eth/keccak.h"
#include "eth/secp.h"
#include "eth/u256.h"

/* Loads a JSON file, gzip'd or not, from the shared vectors. */
static json_t *
load_vec(const char *rel)
{
	char path[1024], *buf = NULL;
	size_t len = 0, cap = 0;
	gzFile f;
	int n;
	json_t *j;

	snprintf(path, sizeof(path), "%s/vectors/%s", tap_shared_dir(), rel);
	if ((f = gzopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (len + 65536 > cap &&
		    (buf = realloc(buf, cap = cap * 2 + 65536)) == NULL)
			abort();
		if ((n = gzread(f, buf + len, 65536)) <= 0)
			break;
		len += (size_t)n;
	}
	gzclose(f);
	j = json_loadb(buf, len, 0, NULL);
	free(buf);
	return j;
}

static void
hex32(uint8_t out[32], const char *s)
{
	if (denai_hex_decode_exact(out, 32, s, NULL) != 0)
		abort();
}

static void
test_keyaddr(void)
{
	json_t *v = load_vec("ethereum-tests/BasicTests/keyaddrtest.json"), *e;
	size_t i;
	uint8_t sk[32], addr[20], want[20], h[32], rec[20];
	denai_sig sig;

	if (v == NULL) {
		skip("no ethereum-tests keyaddrtest.json");
		return;
	}
	denai_keccak256(h, "", 0);
	json_array_foreach(v, i, e) {
		hex32(sk, json_string_value(json_object_get(e, "key")));
		if (denai_hex_decode_exact(want, 20,
		    json_string_value(json_object_get(e, "addr")), NULL) != 0)
			abort();
		ok(denai_secp_address(addr, sk, NULL) == 0, "keyaddr %zu", i);
		is_mem(addr, want, 20, "keyaddr: address");
		/* (Its sig_of_emptystring hashes with an unstated nonce
		 * scheme; we check our own signature recovers instead.) */
		ok(denai_secp_sign(&sig, sk, h, NULL) == 0, "keyaddr: sign");
		ok(denai_secp_recover(rec, &sig, h, 0, NULL) == 0 &&
		    memcmp(rec, want, 20) == 0, "keyaddr: ours recovers");
	}
	json_decref(v);
}

static void
test_accounts(void)
{
	json_t *v = load_vec("ethers/accounts.json.gz"), *e;
	size_t i;
	int bad = 0, n = 0;
	uint8_t sk[32], addr[20], back[20];
	char got[DENAI_ADDR_HEX_MAX];
	const char *want;

	if (v == NULL) {
		skip("no ethers accounts.json.gz");
		return;
	}
	json_array_foreach(v, i, e) {
		want = json_string_value(json_object_get(e, "address"));
		hex32(sk, json_string_value(json_object_get(e, "privateKey")));
		if (denai_secp_address(addr, sk, NULL) != 0 ||
		    strcmp(denai_secp_addr_checksum(got, addr), want) != 0 ||
		    denai_secp_addr_parse(back, want, strlen(want), NULL) != 0 ||
		    memcmp(back, addr, 20) != 0) {
			if (bad++ < 3)
				diag("%s: got %s want %s",
				    json_string_value(json_object_get(e,
				    "name")), got, want);
		}
		n++;
	}
	ok(n > 200 && bad == 0, "ethers accounts: %d keys, %d wrong", n, bad);
	json_decref(v);
}

static void
test_eip55(void)
{
	/* The examples in EIP-55 itself. */
	static const char *const eip55[] = {
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	};
	uint8_t a[20];
	char out[DENAI_ADDR_HEX_MAX], low[DENAI_ADDR_HEX_MAX];
	denai_err err;

	for (size_t i = 0; i < sizeof(eip55) / sizeof(eip55[0]); i++) {
		ok(denai_secp_addr_parse(a, eip55[i], 42, NULL) == 0,
		    "eip55 parse %zu", i);
		is_str(denai_secp_addr_checksum(out, a), eip55[i],
		    "eip55 checksum");
	}
	/* All-lower and all-upper are accepted without a checksum. */
	for (size_t i = 0; i < 42; i++)
		low[i] = (char)(i < 2 ? eip55[0][i] :
		    eip55[0][i] >= 'A' && eip55[0][i] <= 'F' ?
		    eip55[0][i] + 32 : eip55[0][i]);
	low[42] = '\0';
	ok(denai_secp_addr_parse(a, low, 42, NULL) == 0, "all lower accepted");
	ok(denai_secp_addr_parse(a, low + 2, 40, NULL) == 0, "no 0x accepted");
	ok(denai_secp_addr_parse(a, "0x52908400098527886E0F7030069857D2E4169EE7",
	    42, NULL) == 0, "all upper accepted");
	/* One flipped case fails the checksum. */
	ok(denai_secp_addr_parse(a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
	    42, &err) == -1 && err.code == DENAI_EDATA, "bad checksum refused");
	is_str(err.msg, "bad address checksum (EIP-55): "
	    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD, want "
	    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "checksum message");
	ok(denai_secp_addr_parse(a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA",
	    40, &err) == -1, "short refused");
	is_str(err.msg, "bad address: 38 hex digits, want 40", "short message");
	ok(denai_secp_addr_parse(a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
	    42, &err) == -1, "bad digit refused");
	is_str(err.msg, "bad address: bad hex digit 'g' at position 39",
	    "bad digit message");
}

static void
test_keys(void)
{
	uint8_t sk[32] = {0}, addr[20], pub[64], h[32], rec[20];
	uint8_t n[32], b65[65];
	denai_sig sig, sig2;
	denai_err err;
	char a[DENAI_ADDR_HEX_MAX];

	ok(denai_secp_seckey_check(sk, &err) == -1 && err.code == DENAI_EDATA,
	    "zero key refused");
	is_str(err.msg, "invalid private key: zero or not below the curve order",
	    "zero key message");
	hex32(n, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
	ok(denai_secp_address(addr, n, &err) == -1, "key n refused");
	n[31] = 0x40;
	ok(denai_secp_address(addr, n, NULL) == 0, "key n-1 accepted");
	sk[31] = 1;
	ok(denai_secp_pubkey(pub, sk, NULL) == 0, "pubkey of 1");
	/* G's x coordinate. */
	hex32(h, "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
	is_mem(pub, h, 32, "pubkey of 1 is G");
	ok(denai_secp_address(addr, sk, NULL) == 0 &&
	    strcmp(denai_secp_addr_checksum(a, addr),
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf") == 0,
	    "address of key 1");
	/* Generated keys are valid and distinct. */
	ok(denai_secp_seckey_generate(sk, NULL) == 0 &&
	    denai_secp_seckey_check(sk, NULL) == 0, "generated key valid");
	ok(denai_secp_seckey_generate(n, NULL) == 0 && memcmp(sk, n, 32) != 0,
	    "generated keys differ");
	/* Sign, recover, the high-s twin is refused unless allowed. */
	denai_secp_eip191_hash(h, "hello", 5);
	ok(denai_secp_sign(&sig, sk, h, NULL) == 0, "sign");
	ok(denai_secp_sign(&sig2, sk, h, NULL) == 0 &&
	    memcmp(&sig, &sig2, sizeof(sig)) == 0, "deterministic");
	ok(sig.s[0] < 0x80, "low s");
	ok(denai_secp_address(addr, sk, NULL) == 0 &&
	    denai_secp_recover(rec, &sig, h, 0, NULL) == 0 &&
	    memcmp(rec, addr, 20) == 0, "recover");
	h[0] ^= 1;
	ok(denai_secp_recover(rec, &sig, h, 0, NULL) != 0 ||
	    memcmp(rec, addr, 20) != 0, "other hash recovers another key");
	h[0] ^= 1;
	{
		/* s' = n - s, recid flipped: the same signature, high s. */
		static const uint8_t order[32] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
			0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b,
			0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
		};
		int borrow = 0;

		sig2 = sig;
		for (int i = 31; i >= 0; i--) {
			int d = order[i] - sig.s[i] - borrow;

			borrow = d < 0;
			sig2.s[i] = (uint8_t)(d + (borrow ? 256 : 0));
		}
		sig2.recid ^= 1;
		ok(denai_secp_recover(rec, &sig2, h, 0, &err) == -1 &&
		    err.code == DENAI_ECRYPTO, "high s refused");
		is_str(err.msg, "bad signature: s is above secp256k1n/2",
		    "high s message");
		ok(denai_secp_recover(rec, &sig2, h, 1, NULL) == 0 &&
		    memcmp(rec, addr, 20) == 0, "high s recovers if allowed");
	}
	memset(sig2.r, 0, 32);
	sig2.s[0] = 1;
	ok(denai_secp_recover(rec, &sig2, h, 1, &err) == -1 &&
	    err.code == DENAI_ECRYPTO, "r = 0 refused");
	/* The 65-byte form. */
	denai_secp_sig_encode65(b65, &sig);
	ok(b65[64] == 27 + sig.recid, "v is 27 + recid");
	ok(denai_secp_sig_decode65(&sig2, b65, NULL) == 0 &&
	    memcmp(&sig2, &sig, sizeof(sig)) == 0, "65 bytes round trip");
	b65[64] = 29;
	ok(denai_secp_sig_decode65(&sig2, b65, &err) == -1, "v 29 refused");
	is_str(err.msg, "bad signature: v is 29, not 0, 1, 27 or 28",
	    "v message");
	explicit_bzero(sk, sizeof(sk));
}

static void
test_eip191(void)
{
	uint8_t h[32], want[32];

	/* ethers' hashMessage("hello world"), as published in its docs. */
	hex32(want, "d9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68");
	denai_secp_eip191_hash(h, "hello world", 11);
	is_mem(h, want, 32, "eip191 hash of 'hello world'");
}

int
main(void)
{
	test_keyaddr();
	test_accounts();
	test_eip55();
	test_keys();
	test_eip191();
	return done_testing();
}
