/* node/seal.c - commitments and salts (see seal.h). */
#include "node/seal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "eth/abi.h"
#include "eth/hex.h"
#include "eth/keccak.h"

int
denai_seal_salt(uint8_t salt[32], denai_err *err)
{
	size_t got = 0;

	while (got < 32) {
		ssize_t n = getrandom(salt + got, 32 - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return denai_err_set(err, DENAI_EIO, "getrandom: %s",
			    strerror(errno));
		}
		got += (size_t)n;
	}
	return 0;
}

int
denai_seal_abi(uint8_t out[32], const char *type, json_t *values,
    denai_err *err)
{
	denai_abi_type *t;
	uint8_t *enc = NULL;
	size_t len;
	int rc = -1;

	if (values == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if ((t = denai_abi_type_parse(type, strlen(type), err)) == NULL)
		goto out;
	if (denai_abi_encode(&enc, &len, t, values, err) != 0) {
		denai_err_prefix(err, "seal");
		goto out;
	}
	denai_keccak256(out, enc, len);
	rc = 0;
out:
	free(enc);
	denai_abi_type_free(t);
	json_decref(values);
	return rc;
}

int
denai_seal_prediction(uint8_t out[32], const denai_u256 *request_id,
    const uint8_t miner[DENAI_ADDR_LEN], const denai_u256 *prediction,
    const uint8_t salt[32], denai_err *err)
{
	char id[DENAI_U256_DEC_MAX], p[DENAI_U256_DEC_MAX];
	char a[2 * DENAI_ADDR_LEN + 3], s[67];

	return denai_seal_abi(out, "(uint256,address,uint256,bytes32)",
	    json_pack("[ssss]", denai_u256_to_dec(id, request_id),
	    denai_hex_encode(a, miner, DENAI_ADDR_LEN),
	    denai_u256_to_dec(p, prediction), denai_hex_encode(s, salt, 32)),
	    err);
}
