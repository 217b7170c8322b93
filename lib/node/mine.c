/*
 * mine.c - a request record's proof-of-work job and request id, and the
 * chain's word on whether the request is still open (see mine.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"
#include "node/mine.h"
#include "node/serve_rule.h"
#include "node/record.h"

/* The record's difficulty: a decimal or 0x string, or a JSON integer. */
static int
get_difficulty(denai_u256 *d, const json_t *rec, denai_err *err)
{
	const json_t *v = json_object_get(rec, "difficulty");
	const char *s;

	if (v == NULL || json_is_null(v))
		return denai_err_set(err, DENAI_EDATA, "missing difficulty");
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return denai_err_set(err, DENAI_EDATA,
			    "difficulty: negative");
		denai_u256_from_u64(d, (uint64_t)json_integer_value(v));
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		if (denai_u256_parse(d, s, json_string_length(v), err) == -1)
			return denai_err_prefix(err, "difficulty");
	} else
		return denai_err_set(err, DENAI_EDATA,
		    "difficulty: expected a decimal string");
	if (denai_u256_is_zero(d))
		return denai_err_set(err, DENAI_EDATA,
		    "difficulty 0: no target (2^256-1)/0");
	return 0;
}

int
denai_mine_record_job(denai_pow_job *job, const json_t *rec, denai_err *err)
{
	const char *ch = denai_record_str(rec, "challenge");

	if (ch == NULL)
		return denai_err_set(err, DENAI_EDATA, "missing challenge");
	if (denai_hex_decode_exact(job->challenge, 32, ch, err) == -1)
		return denai_err_prefix(err, "challenge");
	return get_difficulty(&job->difficulty, rec, err);
}

int
denai_mine_record_request_id(denai_u256 *id, const json_t *rec,
    denai_err *err)
{
	const json_t *v = json_object_get(rec, "request_id");

	if (json_is_string(v)) {
		if (denai_u256_parse(id, json_string_value(v),
		    json_string_length(v), err) == -1)
			return denai_err_prefix(err, "request_id");
	} else if (json_is_integer(v) && json_integer_value(v) >= 0)
		denai_u256_from_u64(id, (uint64_t)json_integer_value(v));
	else {
		denai_err_set(err, DENAI_EDATA, "missing request_id");
		return 1;
	}
	return 0;
}

int
denai_mine_check_open(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t contract[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], const char **closed,
    denai_err *err)
{
	denai_request_info info;
	uint64_t block;
	int yes;

	*closed = NULL;
	if (denai_oracle_get_request(o, rpc, contract, id, &info, err) == -1)
		return -1;
	if (info.status != DENAI_REQ_OPEN) {
		*closed = "closed";
		return 0;
	}
	if (denai_rpc_block_number(rpc, &block, err) == -1)
		return -1;
	if (!denai_request_can_serve(block, info.expires_at)) {
		*closed = "closed";
		return 0;
	}
	if (denai_oracle_has_submitted(o, rpc, contract, id, miner, &yes,
	    err) == -1)
		return -1;
	if (yes)
		*closed = "already-submitted";
	return 0;
}

double
denai_mine_expected_hashes(const denai_u256 *a)
{
	return ldexp((double)a->w[3], 192) + ldexp((double)a->w[2], 128) +
	    ldexp((double)a->w[1], 64) + (double)a->w[0];
}

struct denai_mine_checker {
	denai_rpc *rpc;
	denai_oracle *oracle;
};

denai_mine_checker *
denai_mine_checker_new(const char *rpc_url, denai_err *err)
{
	denai_mine_checker *k = calloc(1, sizeof(*k));
	denai_rpc_opts ro;

	if (k == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	denai_rpc_opts_default(&ro);
	ro.connect_timeout_ms = 2000;
	ro.timeout_ms = 5000;
	ro.max_tries = 1;
	if ((k->rpc = denai_rpc_new(rpc_url, &ro, err)) == NULL ||
	    (k->oracle = denai_oracle_new(err)) == NULL) {
		denai_mine_checker_free(k);
		return NULL;
	}
	return k;
}

void
denai_mine_checker_free(denai_mine_checker *k)
{
	if (k == NULL)
		return;
	denai_oracle_free(k->oracle);
	denai_rpc_free(k->rpc);
	free(k);
}

int
denai_mine_checker_check(denai_mine_checker *k, const char **closed,
    const uint8_t contract[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], denai_err *err)
{
	return denai_mine_check_open(k->oracle, k->rpc, contract, id, miner,
	    closed, err);
}
