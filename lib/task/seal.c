/* seal.c - the task seals, on node/seal.h's keccak256(abi.encode(...)). */
#include "task/seal.h"

#include "eth/hex.h"

int
denai_seal_test(uint8_t out[32], const char *test_cid, const uint8_t salt[32],
    denai_err *err)
{
	char s[67];

	return denai_seal_abi(out, "(string,bytes32)", json_pack("[ss]", test_cid,
	    denai_hex_encode(s, salt, 32)), err);
}

int
denai_seal_model(uint8_t out[32], const char *task_id,
    const uint8_t trainer[DENAI_ADDR_LEN], const uint8_t model_sha256[32],
    const uint8_t salt[32], denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3], h[67], s[67];

	return denai_seal_abi(out, "(uint256,address,bytes32,bytes32)",
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
	return denai_seal_abi(out, "(uint256,address,bool,address[],int256[],bytes32)",
	    json_pack("[ssbOOs]", task_id, denai_hex_encode(a, validator,
	    DENAI_ADDR_LEN), test_valid, trainers, scores,
	    denai_hex_encode(s, salt, 32)), err);
}
