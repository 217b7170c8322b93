/* seal.c - commitments: keccak256 of the ABI encoding of their fields. */
#include "task/seal.h"

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

/* keccak256(abi.encode(values)) for the tuple type. Steals values. */
static int
seal(uint8_t out[32], const char *type, json_t *values, denai_err *err)
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
denai_seal_test(uint8_t out[32], const char *test_cid, const uint8_t salt[32],
    denai_err *err)
{
	char s[67];

	return seal(out, "(string,bytes32)", json_pack("[ss]", test_cid,
	    denai_hex_encode(s, salt, 32)), err);
}

int
denai_seal_model(uint8_t out[32], const char *task_id,
    const uint8_t trainer[DENAI_ADDR_LEN], const uint8_t model_sha256[32],
    const uint8_t salt[32], denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3], h[67], s[67];

	return seal(out, "(uint256,address,bytes32,bytes32)",
	    json_pack("[ssss]", task_id, denai_hex_encode(a, trainer,
	    DENAI_ADDR_LEN), denai_hex_encode(h, model_sha256, 32),
	    denai_hex_encode(s, salt, 32)), err);
}

int
denai_seal_scores(uint8_t out[32], const char *task_id,
    const uint8_t validator[DENAI_ADDR_LEN], int test_valid,
    const json_t *trainers, const json_t *scores, const uint8_t salt[32],
    denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3], s[67];

	if (!json_is_array(trainers) || !json_is_array(scores) ||
	    json_array_size(trainers) != json_array_size(scores))
		return denai_err_set(err, DENAI_EDATA, "scores seal: trainers "
		    "and scores must be arrays of the same length");
	return seal(out, "(uint256,address,bool,address[],int256[],bytes32)",
	    json_pack("[ssbOOs]", task_id, denai_hex_encode(a, validator,
	    DENAI_ADDR_LEN), test_valid, trainers, scores,
	    denai_hex_encode(s, salt, 32)), err);
}
