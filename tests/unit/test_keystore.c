/* test_keystore.c - V3 keystores: ethereum/tests and geth vectors (scrypt
 * and pbkdf2, short keys, broken files), parameter caps, wrong passwords,
 * and encrypt/decrypt round trips. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../tap.h"
#include "eth/hex.h"
#include "eth/keystore.h"
#include "eth/secp.h"

static char *
slurp(const char *rel, size_t *len)
{
	char path[1024], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/vectors/%s", tap_shared_dir(), rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The texts of the cases already checked (the files share some). */
static char *seen[64];
static size_t nseen;

static int
already_seen(char *text)
{
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i], text) == 0)
			return 1;
	if (nseen < sizeof(seen) / sizeof(seen[0]))
		seen[nseen++] = strdup(text);
	return 0;
}

/* Whether a case's KDF is cheap enough to run twice (scrypt n*r*p and
 * pbkdf2 rounds up to 2^16). */
static int
cheap(const char *text)
{
	denai_keystore ks;

	if (denai_keystore_parse(&ks, text, strlen(text), NULL, NULL) != 0)
		return 0;
	if (ks.kdf == DENAI_KDF_SCRYPT)
		return ks.n * ks.r * ks.p <= 65536;
	return ks.c <= 65536;
}

/* Checks every {json, password, priv} case of a vector file. */
static void
test_cases(const char *rel)
{
	json_t *v, *c;
	char path[1024], *text, hex[67];
	const char *name, *pw;
	uint8_t sk[32];
	denai_err err;

	snprintf(path, sizeof(path), "%s/vectors/%s", tap_shared_dir(), rel);
	if ((v = json_load_file(path, 0, NULL)) == NULL) {
		skip(rel);
		return;
	}
	json_object_foreach(v, name, c) {
		text = json_dumps(json_object_get(c, "json"), JSON_SORT_KEYS);
		if (already_seen(text)) {
			free(text);
			continue;
		}
		pw = json_string_value(json_object_get(c, "password"));
		denai_err_clear(&err);
		ok(denai_keystore_decrypt(sk, text, strlen(text), pw,
		    strlen(pw), &err) == 0, "%s: decrypts", name);
		if (err.code != 0)
			diag("%s", err.msg);
		/* Keys shorter than 32 bytes are written without "0x" zeros. */
		denai_hex_encode(hex, sk, 32);
		{
			const char *want = json_string_value(
			    json_object_get(c, "priv"));

			ok(strlen(want) <= 64 && strcmp(hex + 2 + 64 -
			    strlen(want), want) == 0, "%s: private key", name);
		}
		if (cheap(text))
			ok(denai_keystore_decrypt(sk, text, strlen(text), "x", 1,
			    &err) == -1 && err.code == DENAI_ECRYPTO,
			    "%s: wrong password refused", name);
		free(text);
	}
	json_decref(v);
}

static void
test_geth_dir(void)
{
	static const struct {
		const char *file, *addr;
		int code;
	} cases[] = {
		{ "UTC--2016-03-22T12-57-55.920751759Z--7ef5a6135f1fd6a02593eedc869c6d41d934aef8",
		  "7ef5a6135f1fd6a02593eedc869c6d41d934aef8", 0 },
		{ "aaa", "f466859ead1932d743d622cb74fc058882e8648a", 0 },
		{ "zzz", "289d485d9771714cce91d3393d764e1311907acc", 0 },
		{ "no-address", "f466859ead1932d743d622cb74fc058882e8648a", 0 },
		{ "zero", NULL, DENAI_EDATA },
		{ "garbage", NULL, DENAI_EDATA },
		{ "empty", NULL, DENAI_EDATA },
	};
	char rel[256], *text;
	size_t len;
	uint8_t sk[32], addr[20], want[20];
	denai_err err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(rel, sizeof(rel),
		    "go-ethereum/accounts/keystore/testdata/keystore/%s",
		    cases[i].file);
		if ((text = slurp(rel, &len)) == NULL) {
			skip(rel);
			continue;
		}
		denai_err_clear(&err);
		if (cases[i].code == 0) {
			ok(denai_keystore_decrypt(sk, text, len, "foobar", 6,
			    &err) == 0, "geth %s: decrypts", cases[i].file);
			if (denai_hex_decode_exact(want, 20, cases[i].addr,
			    NULL) != 0 || denai_secp_address(addr, sk, NULL))
				abort();
			is_mem(addr, want, 20, "geth: address");
		} else {
			ok(denai_keystore_decrypt(sk, text, len, "foobar", 6,
			    &err) == -1 && err.code == cases[i].code,
			    "geth %s: refused (%s)", cases[i].file, err.msg);
		}
		free(text);
	}
	text = slurp("go-ethereum/accounts/keystore/testdata/keystore/zero",
	    &len);
	if (text != NULL) {
		ok(denai_keystore_decrypt(sk, text, len, "foobar", 6, &err) == -1,
		    "zero address refused");
		is_str(err.msg, "keystore: the key's address "
		    "0xf466859eAD1932D743d622CB74FC058882E8648A does not match "
		    "the address field 0x0000000000000000000000000000000000000000",
		    "address mismatch message");
		free(text);
	}
}

/* A parse that must fail with code and message. */
static void
refuse(const char *json, int code, const char *msg, const char *name)
{
	denai_keystore ks;
	denai_err err;

	denai_err_clear(&err);
	ok(denai_keystore_parse(&ks, json, strlen(json), NULL, &err) == -1 &&
	    err.code == code, "%s: refused", name);
	is_str(err.msg, msg, name);
}

#define KS_HEAD "{\"version\":3,\"crypto\":{\"cipher\":\"aes-128-ctr\"," \
	"\"ciphertext\":\"00\",\"mac\":\"" \
	"0000000000000000000000000000000000000000000000000000000000000000\"," \
	"\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"

static void
test_refusals(void)
{
	refuse("[]", DENAI_EDATA, "keystore: not a JSON object", "array");
	refuse("{", DENAI_EDATA,
	    "keystore: not JSON: string or '}' expected near end of file "
	    "at line 1", "truncated");
	refuse("{\"version\":1}", DENAI_EUNSUP, "keystore: version is not 3",
	    "version 1");
	refuse(KS_HEAD "\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":32,"
	    "\"n\":1073741824,\"r\":8,\"p\":1,\"salt\":\"00\"}}}",
	    DENAI_ENOMEM, "keystore: scrypt parameters (n=1073741824, r=8, "
	    "p=1) need more than the 1024 MiB allowed", "memory cap");
	refuse(KS_HEAD "\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":32,"
	    "\"n\":1000,\"r\":8,\"p\":1,\"salt\":\"00\"}}}",
	    DENAI_EDATA, "keystore: scrypt n = 1000 is not a power of 2",
	    "n not a power of 2");
	refuse(KS_HEAD "\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":16,"
	    "\"n\":2,\"r\":8,\"p\":1,\"salt\":\"00\"}}}",
	    DENAI_EDATA, "keystore: crypto.kdfparams.dklen is 16, not in 32..128",
	    "dklen 16");
	refuse(KS_HEAD "\"kdf\":\"argon2\",\"kdfparams\":{\"dklen\":32,"
	    "\"salt\":\"00\"}}}", DENAI_EUNSUP, "keystore: kdf 'argon2' is not "
	    "supported (only scrypt and pbkdf2)", "unknown kdf");
	refuse(KS_HEAD "\"kdf\":\"pbkdf2\",\"kdfparams\":{\"dklen\":32,"
	    "\"c\":4294967295,\"prf\":\"hmac-sha256\",\"salt\":\"00\"}}}",
	    DENAI_ENOMEM, "keystore: pbkdf2 c = 4294967295 rounds is over the "
	    "16777216 allowed", "pbkdf2 cap");
	refuse(KS_HEAD "\"kdf\":\"pbkdf2\",\"kdfparams\":{\"dklen\":32,"
	    "\"c\":1,\"prf\":\"hmac-sha512\",\"salt\":\"00\"}}}",
	    DENAI_EUNSUP, "keystore: pbkdf2 prf 'hmac-sha512' is not supported "
	    "(only hmac-sha256)", "prf");
	refuse("{\"version\":3,\"crypto\":{\"cipher\":\"aes-128-ctr\","
	    "\"ciphertext\":\"0g\"}}", DENAI_EDATA,
	    "keystore: crypto.ciphertext: bad hex digit 'g' at position 1",
	    "bad hex");
	refuse("{\"version\":3,\"crypto\":{\"cipher\":\"aes-128-cbc\"}}",
	    DENAI_EUNSUP, "keystore: cipher 'aes-128-cbc' is not supported "
	    "(only aes-128-ctr)", "cipher");
	refuse(KS_HEAD "\"kdf\":\"scrypt\"}}", DENAI_EDATA,
	    "keystore: missing object crypto.kdfparams", "no kdfparams");
}

static void
test_roundtrip(void)
{
	uint8_t sk[32], back[32];
	json_t *ks;
	char *text;
	denai_err err;
	int good = 0;

	for (int i = 0; i < 20; i++) {
		if (denai_secp_seckey_generate(sk, NULL) != 0 ||
		    (ks = denai_keystore_encrypt(sk, "pässword", 9, 2, 1,
		    &err)) == NULL)
			break;
		text = json_dumps(ks, 0);
		if (denai_keystore_decrypt(back, text, strlen(text), "pässword",
		    9, &err) == 0 && memcmp(sk, back, 32) == 0 &&
		    denai_keystore_decrypt(back, text, strlen(text), "pässwort",
		    9, &err) == -1 && strcmp(err.msg, "wrong password or "
		    "corrupt keystore (MAC mismatch)") == 0)
			good++;
		free(text);
		json_decref(ks);
	}
	is_int(good, 20, "20 keystores round trip, wrong password refused");
	ok(denai_keystore_encrypt(sk, "", 0, 3, 1, &err) == NULL &&
	    err.code == DENAI_EUSAGE, "encrypt refuses n = 3");
	/* The standard parameters are what a new keystore records. */
	ks = denai_keystore_encrypt(sk, "", 0, 4096, 6, &err);
	ok(ks != NULL && json_integer_value(json_object_get(json_object_get(
	    json_object_get(ks, "crypto"), "kdfparams"), "n")) == 4096,
	    "light parameters recorded");
	json_decref(ks);
	{
		char name[DENAI_KEYSTORE_NAME_MAX];
		uint8_t a[20];

		memset(a, 0xab, 20);
		is_str(denai_keystore_filename(name, a, 1458651475, 920751759),
		    "UTC--2016-03-22T12-57-55.920751759Z--"
		    "abababababababababababababababababababab", "file name");
	}
}

int
main(void)
{
	test_cases("ethereum-tests/KeyStoreTests/basic_tests.json");
	test_cases("go-ethereum/accounts/keystore/testdata/v3_test_vector.json");
	test_geth_dir();
	test_refusals();
	test_roundtrip();
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	return done_testing();
}
