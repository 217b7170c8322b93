/* fuzz_keystore.c - V3 keystore parsing and parameter checks are bounded
 * and never ask for more than the limits; keystores whose KDF is tiny are
 * also opened (MAC check, decryption, address check). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/keystore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Tiny limits: at most 64 KiB for scrypt, 64 pbkdf2 rounds. */
	const denai_keystore_limits lim = { 64u << 10, 64 };
	denai_keystore ks;
	denai_err err;
	uint8_t sk[32];

	denai_err_clear(&err);
	if (denai_keystore_parse(&ks, (const char *)data, size, &lim,
	    &err) != 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (ks.kdf == DENAI_KDF_SCRYPT &&
	    128ull * ks.r * (ks.n + ks.p) > lim.max_mem)
		abort();
	if (ks.kdf == DENAI_KDF_PBKDF2 && ks.c > lim.max_c)
		abort();
	if (ks.ctlen < 1 || ks.ctlen > 32 || ks.dklen < 32 ||
	    ks.saltlen > sizeof(ks.salt))
		abort();
	if (denai_keystore_open(sk, &ks, "foobar", 6, &err) != 0) {
		for (int i = 0; i < 32; i++)
			if (sk[i] != 0)
				abort();	/* wiped on failure */
	}
	return 0;
}
