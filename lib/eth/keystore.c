/* keystore.c - V3 keystores: parse, open (decrypt), encrypt. */
#include "eth/keystore.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "eth/hex.h"
#include "eth/keccak.h"
#include "eth/secp.h"

#define MAX_JSON (64u << 10)	/* a keystore is well under 1 KiB */

static const denai_keystore_limits default_limits = {
	DENAI_KEYSTORE_MAX_MEM, DENAI_KEYSTORE_MAX_PBKDF2_C
};

/* Reads the hex string field name of obj (path is for messages) into out,
 * between min and cap bytes. */
static int
get_hex(const json_t *obj, const char *name, const char *path, uint8_t *out,
    size_t min, size_t cap, size_t *outlen, denai_err *err)
{
	const json_t *v = json_object_get(obj, name);
	const char *s;
	size_t got;

	if (v == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing field %s%s", path, name);
	if (!json_is_string(v))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: %s%s is not a string", path, name);
	s = json_string_value(v);
	if (denai_hex_decode(out, cap, &got, s, json_string_length(v), 0,
	    err) != 0)
		return denai_err_prefix(err, "keystore: %s%s", path, name);
	if (got < min)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: %s%s has %zu bytes, want at least %zu", path,
		    name, got, min);
	if (outlen != NULL)
		*outlen = got;
	return 0;
}

/* Reads the integer field name of obj, in [min, max]. */
static int
get_int(const json_t *obj, const char *name, uint64_t min, uint64_t max,
    uint64_t *out, denai_err *err)
{
	const json_t *v = json_object_get(obj, name);
	json_int_t i;

	if (v == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing field crypto.kdfparams.%s", name);
	if (!json_is_integer(v))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: crypto.kdfparams.%s is not an integer", name);
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i < min || (uint64_t)i > max)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: crypto.kdfparams.%s is %lld, not in %llu..%llu",
		    name, (long long)i, (unsigned long long)min,
		    (unsigned long long)max);
	*out = (uint64_t)i;
	return 0;
}

static const char *
get_str(const json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

static int
parse_scrypt(denai_keystore *ks, const json_t *kp,
    const denai_keystore_limits *lim, denai_err *err)
{
	uint64_t n, r, p;

	if (get_int(kp, "n", 2, UINT64_C(1) << 62, &n, err) != 0 ||
	    get_int(kp, "r", 1, UINT32_MAX, &r, err) != 0 ||
	    get_int(kp, "p", 1, UINT32_MAX, &p, err) != 0)
		return -1;
	if ((n & (n - 1)) != 0)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: scrypt n = %llu is not a power of 2",
		    (unsigned long long)n);
	if (r * p >= (UINT64_C(1) << 30))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: scrypt r * p = %llu is not below 2^30",
		    (unsigned long long)(r * p));
	/* 128 * r * (n + p) without overflow: n <= 2^62 and r < 2^32. */
	if (n + p > lim->max_mem / 128 / r)
		return denai_err_set(err, DENAI_ENOMEM,
		    "keystore: scrypt parameters (n=%llu, r=%llu, p=%llu) "
		    "need more than the %llu MiB allowed",
		    (unsigned long long)n, (unsigned long long)r,
		    (unsigned long long)p,
		    (unsigned long long)(lim->max_mem >> 20));
	ks->kdf = DENAI_KDF_SCRYPT;
	ks->n = n;
	ks->r = (uint32_t)r;
	ks->p = (uint32_t)p;
	return 0;
}

static int
parse_pbkdf2(denai_keystore *ks, const json_t *kp,
    const denai_keystore_limits *lim, denai_err *err)
{
	const char *prf = get_str(kp, "prf");
	uint64_t c;

	if (prf == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing field crypto.kdfparams.prf");
	if (strcmp(prf, "hmac-sha256") != 0)
		return denai_err_set(err, DENAI_EUNSUP,
		    "keystore: pbkdf2 prf '%.40s' is not supported "
		    "(only hmac-sha256)", prf);
	if (get_int(kp, "c", 1, UINT32_MAX, &c, err) != 0)
		return -1;
	if (c > lim->max_c)
		return denai_err_set(err, DENAI_ENOMEM,
		    "keystore: pbkdf2 c = %llu rounds is over the %u allowed",
		    (unsigned long long)c, lim->max_c);
	ks->kdf = DENAI_KDF_PBKDF2;
	ks->c = (uint32_t)c;
	return 0;
}

int
denai_keystore_parse_json(denai_keystore *ks, const json_t *root,
    const denai_keystore_limits *lim, denai_err *err)
{
	const json_t *cr, *kp, *v;
	const char *s;
	uint64_t dklen;

	memset(ks, 0, sizeof(*ks));
	if (lim == NULL)
		lim = &default_limits;
	if (!json_is_object(root))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: not a JSON object");
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 3)
		return denai_err_set(err, DENAI_EUNSUP,
		    "keystore: version is not 3");
	if ((cr = json_object_get(root, "crypto")) == NULL)
		cr = json_object_get(root, "Crypto");
	if (!json_is_object(cr))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing object crypto");
	if ((s = get_str(cr, "cipher")) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing field crypto.cipher");
	if (strcmp(s, "aes-128-ctr") != 0)
		return denai_err_set(err, DENAI_EUNSUP,
		    "keystore: cipher '%.40s' is not supported "
		    "(only aes-128-ctr)", s);
	if (get_hex(cr, "ciphertext", "crypto.", ks->ct, 1, sizeof(ks->ct),
	    &ks->ctlen, err) != 0 ||
	    get_hex(cr, "mac", "crypto.", ks->mac, 32, 32, NULL, err) != 0)
		return -1;
	if (!json_is_object(v = json_object_get(cr, "cipherparams")))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing object crypto.cipherparams");
	if (get_hex(v, "iv", "crypto.cipherparams.", ks->iv, 16, 16, NULL,
	    err) != 0)
		return -1;
	if (!json_is_object(kp = json_object_get(cr, "kdfparams")))
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing object crypto.kdfparams");
	if (get_hex(kp, "salt", "crypto.kdfparams.", ks->salt, 0,
	    sizeof(ks->salt), &ks->saltlen, err) != 0)
		return -1;
	if (get_int(kp, "dklen", 32, DENAI_KEYSTORE_MAX_DKLEN, &dklen,
	    err) != 0)
		return -1;
	ks->dklen = (uint32_t)dklen;
	if ((s = get_str(cr, "kdf")) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: missing field crypto.kdf");
	if (strcmp(s, "scrypt") == 0) {
		if (parse_scrypt(ks, kp, lim, err) != 0)
			return -1;
	} else if (strcmp(s, "pbkdf2") == 0) {
		if (parse_pbkdf2(ks, kp, lim, err) != 0)
			return -1;
	} else
		return denai_err_set(err, DENAI_EUNSUP,
		    "keystore: kdf '%.40s' is not supported "
		    "(only scrypt and pbkdf2)", s);
	if ((v = json_object_get(root, "address")) != NULL) {
		if (!json_is_string(v) || denai_secp_addr_parse(ks->addr,
		    json_string_value(v), json_string_length(v), err) != 0)
			return denai_err_set(err, DENAI_EDATA,
			    "keystore: bad address field");
		ks->has_addr = 1;
	}
	return 0;
}

int
denai_keystore_parse(denai_keystore *ks, const char *json, size_t len,
    const denai_keystore_limits *lim, denai_err *err)
{
	json_error_t je;
	json_t *root;
	int rc;

	memset(ks, 0, sizeof(*ks));
	if (len > MAX_JSON)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: %zu bytes is too large for a keystore", len);
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "keystore: not JSON: %s at line %d", je.text, je.line);
	rc = denai_keystore_parse_json(ks, root, lim, err);
	json_decref(root);
	return rc;
}

static int
kdf_run(uint8_t *dk, const denai_keystore *ks, const char *pw, size_t pwlen,
    denai_err *err)
{
	if (ks->kdf == DENAI_KDF_SCRYPT) {
		if (sodium_init() < 0)
			return denai_err_set(err, DENAI_ENOMEM,
			    "keystore: libsodium failed to start");
		if (crypto_pwhash_scryptsalsa208sha256_ll(
		    (const uint8_t *)pw, pwlen, ks->salt, ks->saltlen, ks->n,
		    ks->r, ks->p, dk, ks->dklen) != 0)
			return denai_err_set(err, errno == ENOMEM ?
			    DENAI_ENOMEM : DENAI_EDATA,
			    "keystore: scrypt failed: %s", strerror(errno));
		return 0;
	}
	if (ks->kdf == DENAI_KDF_PBKDF2) {
		if (pwlen > INT32_MAX || !PKCS5_PBKDF2_HMAC(pw, (int)pwlen,
		    ks->salt, (int)ks->saltlen, (int)ks->c, EVP_sha256(),
		    (int)ks->dklen, dk))
			return denai_err_set(err, DENAI_ENOMEM,
			    "keystore: pbkdf2 failed");
		return 0;
	}
	return denai_err_set(err, DENAI_EUSAGE, "keystore: not parsed");
}

/* AES-128-CTR of n bytes (encryption and decryption are the same). */
static int
aes_ctr(uint8_t *out, const uint8_t *in, size_t n, const uint8_t key[16],
    const uint8_t iv[16], denai_err *err)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, fin = 0, ok;

	ok = c != NULL &&
	    EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv) &&
	    EVP_EncryptUpdate(c, out, &len, in, (int)n) &&
	    EVP_EncryptFinal_ex(c, out + len, &fin) &&
	    (size_t)(len + fin) == n;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		return denai_err_set(err, DENAI_ENOMEM,
		    "keystore: aes-128-ctr failed");
	return 0;
}

static void
mac_of(uint8_t mac[32], const uint8_t *dk, const uint8_t *ct, size_t ctlen)
{
	denai_keccak_ctx k;

	denai_keccak256_init(&k);
	denai_keccak256_update(&k, dk + 16, 16);
	denai_keccak256_update(&k, ct, ctlen);
	denai_keccak256_final(&k, mac);
}

int
denai_keystore_open(uint8_t sk[32], const denai_keystore *ks, const char *pw,
    size_t pwlen, denai_err *err)
{
	uint8_t dk[DENAI_KEYSTORE_MAX_DKLEN], mac[32], pt[32], addr[20];
	char want[DENAI_ADDR_HEX_MAX], got[DENAI_ADDR_HEX_MAX];
	int rc = -1;

	memset(sk, 0, 32);
	if (ks->ctlen == 0 || ks->ctlen > 32 || ks->dklen < 32 ||
	    ks->dklen > sizeof(dk)) {
		denai_err_set(err, DENAI_EUSAGE, "keystore: not parsed");
		goto out;
	}
	if (kdf_run(dk, ks, pw, pwlen, err) != 0)
		goto out;
	mac_of(mac, dk, ks->ct, ks->ctlen);
	if (CRYPTO_memcmp(mac, ks->mac, 32) != 0) {
		denai_err_set(err, DENAI_ECRYPTO,
		    "wrong password or corrupt keystore (MAC mismatch)");
		goto out;
	}
	if (aes_ctr(pt, ks->ct, ks->ctlen, dk, ks->iv, err) != 0)
		goto out;
	/* A key that lost its leading zero bytes is right-aligned. */
	memcpy(sk + 32 - ks->ctlen, pt, ks->ctlen);
	if (denai_secp_address(addr, sk, err) != 0) {
		denai_err_prefix(err, "keystore");
		goto out;
	}
	if (ks->has_addr && memcmp(addr, ks->addr, 20) != 0) {
		denai_err_set(err, DENAI_EDATA, "keystore: the key's address "
		    "%s does not match the address field %s",
		    denai_secp_addr_checksum(got, addr),
		    denai_secp_addr_checksum(want, ks->addr));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		explicit_bzero(sk, 32);
	explicit_bzero(dk, sizeof(dk));
	explicit_bzero(pt, sizeof(pt));
	return rc;
}

int
denai_keystore_decrypt(uint8_t sk[32], const char *json, size_t len,
    const char *pw, size_t pwlen, denai_err *err)
{
	denai_keystore ks;

	if (denai_keystore_parse(&ks, json, len, NULL, err) != 0) {
		memset(sk, 0, 32);
		return -1;
	}
	return denai_keystore_open(sk, &ks, pw, pwlen, err);
}

static int
set_hex(json_t *obj, const char *name, const uint8_t *p, size_t n)
{
	char buf[2 * 64 + 3];

	denai_hex_encode(buf, p, n);
	return json_object_set_new(obj, name, json_string(buf + 2));
}

json_t *
denai_keystore_encrypt(const uint8_t sk[32], const char *pw, size_t pwlen,
    uint64_t n, uint32_t p, denai_err *err)
{
	denai_keystore ks;
	uint8_t uuid[16], addr[20];
	char id[37];
	json_t *root = NULL, *cr, *kp, *cp;
	int bad;

	memset(&ks, 0, sizeof(ks));
	if (n < 2 || (n & (n - 1)) != 0 || p < 1 ||
	    n + p > DENAI_KEYSTORE_MAX_MEM / 128 / 8) {
		denai_err_set(err, DENAI_EUSAGE, "keystore: scrypt n = %llu, "
		    "p = %u are not usable parameters", (unsigned long long)n,
		    p);
		goto out;
	}
	if (denai_secp_address(addr, sk, err) != 0)
		goto out;
	ks.kdf = DENAI_KDF_SCRYPT;
	ks.n = n;
	ks.r = 8;
	ks.p = p;
	ks.dklen = 32;
	ks.saltlen = 32;
	ks.ctlen = 32;
	if (getrandom(ks.salt, 32, 0) != 32 || getrandom(ks.iv, 16, 0) != 16 ||
	    getrandom(uuid, 16, 0) != 16) {
		denai_err_set(err, DENAI_EIO, "keystore: getrandom failed");
		goto out;
	}
	uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);
	uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
	snprintf(id, sizeof(id), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", uuid[0], uuid[1], uuid[2], uuid[3],
	    uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10],
	    uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
	{
		uint8_t dk[32];

		if (kdf_run(dk, &ks, pw, pwlen, err) != 0 ||
		    aes_ctr(ks.ct, sk, 32, dk, ks.iv, err) != 0) {
			explicit_bzero(dk, sizeof(dk));
			goto out;
		}
		mac_of(ks.mac, dk, ks.ct, 32);
		explicit_bzero(dk, sizeof(dk));
	}
	root = json_object();
	cr = json_object();
	kp = json_object();
	cp = json_object();
	bad = root == NULL || cr == NULL || kp == NULL || cp == NULL;
	bad |= set_hex(root, "address", addr, 20);
	bad |= json_object_set_new(root, "crypto", cr);
	bad |= json_object_set_new(cr, "cipher", json_string("aes-128-ctr"));
	bad |= set_hex(cr, "ciphertext", ks.ct, 32);
	bad |= json_object_set_new(cr, "cipherparams", cp);
	bad |= set_hex(cp, "iv", ks.iv, 16);
	bad |= json_object_set_new(cr, "kdf", json_string("scrypt"));
	bad |= json_object_set_new(cr, "kdfparams", kp);
	bad |= json_object_set_new(kp, "dklen", json_integer(32));
	bad |= json_object_set_new(kp, "n", json_integer((json_int_t)n));
	bad |= json_object_set_new(kp, "p", json_integer(p));
	bad |= json_object_set_new(kp, "r", json_integer(8));
	bad |= set_hex(kp, "salt", ks.salt, 32);
	bad |= set_hex(cr, "mac", ks.mac, 32);
	bad |= json_object_set_new(root, "id", json_string(id));
	bad |= json_object_set_new(root, "version", json_integer(3));
	if (bad) {
		json_decref(root);
		root = NULL;
		denai_err_set(err, DENAI_ENOMEM, "keystore: out of memory");
	}
out:
	explicit_bzero(&ks, sizeof(ks));
	return root;
}

char *
denai_keystore_filename(char out[DENAI_KEYSTORE_NAME_MAX], const uint8_t addr[20], long long t_sec,
    long t_nsec)
{
	struct tm tm;
	time_t t = (time_t)t_sec;
	char hex[43];

	gmtime_r(&t, &tm);
	denai_hex_encode(hex, addr, 20);
	snprintf(out, DENAI_KEYSTORE_NAME_MAX, "UTC--%04d-%02d-%02dT%02d-%02d-%02d.%09ldZ--%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, t_nsec, hex + 2);
	return out;
}
