/* secp.c - secp256k1 keys, addresses and recoverable signatures. */
#include "eth/secp.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "eth/hex.h"
#include "eth/keccak.h"

static secp256k1_context *ctx;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

/* secp256k1n / 2, big-endian: the largest s a low-s signature has. */
static const uint8_t half_n[32] = {
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d,
	0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

static int
fill_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	ssize_t got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static void
ctx_create(void)
{
	uint8_t seed[32];

	ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
	/* Blinding is a side-channel defence; a context without it still
	 * computes correct results, so a failed draw is not fatal. */
	if (ctx != NULL && fill_random(seed, sizeof(seed)) == 0) {
		int blinded = secp256k1_context_randomize(ctx, seed);

		(void)blinded;
	}
	explicit_bzero(seed, sizeof(seed));
}

static const secp256k1_context *
get_ctx(denai_err *err)
{
	pthread_once(&ctx_once, ctx_create);
	if (ctx == NULL)
		denai_err_set(err, DENAI_ENOMEM,
		    "cannot create the secp256k1 context");
	return ctx;
}

int
denai_secp_seckey_check(const uint8_t sk[32], denai_err *err)
{
	/* The static context suffices for key checks. */
	if (!secp256k1_ec_seckey_verify(secp256k1_context_static, sk))
		return denai_err_set(err, DENAI_EDATA,
		    "invalid private key: zero or not below the curve order");
	return 0;
}

int
denai_secp_seckey_generate(uint8_t sk[32], denai_err *err)
{
	for (int i = 0; i < 64; i++) {
		if (fill_random(sk, 32) != 0) {
			explicit_bzero(sk, 32);
			return denai_err_set(err, DENAI_EIO,
			    "getrandom: %s", strerror(errno));
		}
		if (secp256k1_ec_seckey_verify(secp256k1_context_static, sk))
			return 0;
	}
	explicit_bzero(sk, 32);
	return denai_err_set(err, DENAI_EIO, "random source gives no valid key");
}

int
denai_secp_pubkey(uint8_t pub[64], const uint8_t sk[32], denai_err *err)
{
	const secp256k1_context *c;
	secp256k1_pubkey pk;
	uint8_t ser[65];
	size_t len = sizeof(ser);

	if ((c = get_ctx(err)) == NULL)
		return -1;
	if (!secp256k1_ec_pubkey_create(c, &pk, sk))
		return denai_err_set(err, DENAI_EDATA,
		    "invalid private key: zero or not below the curve order");
	secp256k1_ec_pubkey_serialize(c, ser, &len, &pk,
	    SECP256K1_EC_UNCOMPRESSED);
	memcpy(pub, ser + 1, 64);
	return 0;
}

void
denai_secp_pub_address(uint8_t addr[DENAI_ADDR_LEN], const uint8_t pub[64])
{
	uint8_t h[32];

	denai_keccak256(h, pub, 64);
	memcpy(addr, h + 12, DENAI_ADDR_LEN);
}

int
denai_secp_address(uint8_t addr[DENAI_ADDR_LEN], const uint8_t sk[32],
    denai_err *err)
{
	uint8_t pub[64];

	if (denai_secp_pubkey(pub, sk, err) != 0)
		return -1;
	denai_secp_pub_address(addr, pub);
	return 0;
}

int
denai_secp_sign(denai_sig *sig, const uint8_t sk[32], const uint8_t hash[32],
    denai_err *err)
{
	const secp256k1_context *c;
	secp256k1_ecdsa_recoverable_signature rs;
	uint8_t out[64];
	int recid;

	if ((c = get_ctx(err)) == NULL)
		return -1;
	if (!secp256k1_ecdsa_sign_recoverable(c, &rs, hash, sk, NULL, NULL))
		return denai_err_set(err, DENAI_EDATA,
		    "invalid private key: zero or not below the curve order");
	secp256k1_ecdsa_recoverable_signature_serialize_compact(c, out, &recid,
	    &rs);
	memcpy(sig->r, out, 32);
	memcpy(sig->s, out + 32, 32);
	sig->recid = (uint8_t)recid;
	explicit_bzero(&rs, sizeof(rs));
	return 0;
}

int
denai_secp_recover(uint8_t addr[DENAI_ADDR_LEN], const denai_sig *sig,
    const uint8_t hash[32], int allow_high_s, denai_err *err)
{
	const secp256k1_context *c;
	secp256k1_ecdsa_recoverable_signature rs;
	secp256k1_pubkey pk;
	uint8_t in[64], ser[65];
	size_t len = sizeof(ser);

	if ((c = get_ctx(err)) == NULL)
		return -1;
	if (sig->recid > 3)
		return denai_err_set(err, DENAI_EDATA,
		    "bad signature: recovery id %u is not 0-3", sig->recid);
	if (!allow_high_s && memcmp(sig->s, half_n, 32) > 0)
		return denai_err_set(err, DENAI_ECRYPTO,
		    "bad signature: s is above secp256k1n/2");
	memcpy(in, sig->r, 32);
	memcpy(in + 32, sig->s, 32);
	if (!secp256k1_ecdsa_recoverable_signature_parse_compact(c, &rs, in,
	    sig->recid))
		return denai_err_set(err, DENAI_ECRYPTO,
		    "bad signature: r or s is zero or not below the curve order");
	if (!secp256k1_ecdsa_recover(c, &pk, &rs, hash))
		return denai_err_set(err, DENAI_ECRYPTO,
		    "bad signature: no public key recovers from it");
	secp256k1_ec_pubkey_serialize(c, ser, &len, &pk,
	    SECP256K1_EC_UNCOMPRESSED);
	denai_secp_pub_address(addr, ser + 1);
	return 0;
}

void
denai_secp_sig_encode65(uint8_t out[65], const denai_sig *sig)
{
	memcpy(out, sig->r, 32);
	memcpy(out + 32, sig->s, 32);
	out[64] = (uint8_t)(27 + sig->recid);
}

int
denai_secp_sig_decode65(denai_sig *sig, const uint8_t in[65], denai_err *err)
{
	uint8_t v = in[64];

	if (v == 27 || v == 28)
		v -= 27;
	else if (v != 0 && v != 1)
		return denai_err_set(err, DENAI_EDATA,
		    "bad signature: v is %u, not 0, 1, 27 or 28", in[64]);
	memcpy(sig->r, in, 32);
	memcpy(sig->s, in + 32, 32);
	sig->recid = v;
	return 0;
}

void
denai_secp_eip191_hash(uint8_t hash[32], const void *msg, size_t len)
{
	static const char pre[] = "\x19" "Ethereum Signed Message:\n";
	char num[24];
	denai_keccak_ctx k;
	int n;

	n = snprintf(num, sizeof(num), "%zu", len);
	denai_keccak256_init(&k);
	denai_keccak256_update(&k, pre, sizeof(pre) - 1);
	denai_keccak256_update(&k, num, (size_t)n);
	denai_keccak256_update(&k, msg, len);
	denai_keccak256_final(&k, hash);
}

/* Writes the 40 lowercase digits of addr into out (no prefix, no NUL). */
static void
addr_lower(char out[40], const uint8_t addr[DENAI_ADDR_LEN])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < DENAI_ADDR_LEN; i++) {
		out[2 * i] = digits[addr[i] >> 4];
		out[2 * i + 1] = digits[addr[i] & 15];
	}
}

char *
denai_secp_addr_checksum(char out[DENAI_ADDR_HEX_MAX],
    const uint8_t addr[DENAI_ADDR_LEN])
{
	uint8_t h[32];
	char *d = out + 2;
	int nib;

	out[0] = '0';
	out[1] = 'x';
	addr_lower(d, addr);
	denai_keccak256(h, d, 40);
	for (int i = 0; i < 40; i++) {
		nib = i % 2 == 0 ? h[i / 2] >> 4 : h[i / 2] & 15;
		if (d[i] >= 'a' && nib >= 8)
			d[i] = (char)(d[i] - 'a' + 'A');
	}
	out[42] = '\0';
	return out;
}

int
denai_secp_addr_parse(uint8_t addr[DENAI_ADDR_LEN], const char *s, size_t len,
    denai_err *err)
{
	char want[DENAI_ADDR_HEX_MAX];
	int upper = 0, lower = 0;
	size_t i = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (len - i != 40)
		return denai_err_set(err, DENAI_EDATA,
		    "bad address: %zu hex digits, want 40", len - i);
	if (denai_hex_decode(addr, DENAI_ADDR_LEN, NULL, s + i, 40, 0,
	    err) != 0)
		return denai_err_prefix(err, "bad address");
	for (size_t j = i; j < len; j++) {
		if (s[j] >= 'a' && s[j] <= 'f')
			lower = 1;
		else if (s[j] >= 'A' && s[j] <= 'F')
			upper = 1;
	}
	if (upper && lower) {
		denai_secp_addr_checksum(want, addr);
		if (memcmp(want + 2, s + i, 40) != 0)
			return denai_err_set(err, DENAI_EDATA,
			    "bad address checksum (EIP-55): %.*s, want %s",
			    (int)(len > 42 ? 42 : len), s, want);
	}
	return 0;
}
