/* node/oracle.c - the DenAI contract's logs and views (its signatures are
 * node/chain_sig.c's table). */
#include "node/oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/contract.h"
#include "eth/hex.h"

int
denai_oracle_call(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_oracle_fn fn,
    const json_t *args, json_t **result, denai_err *err)
{
	return denai_oracle_call_at(o, rpc, at, fn, args, NULL, result, err);
}

int
denai_oracle_call_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_oracle_fn fn,
    const json_t *args, const char *block, json_t **result, denai_err *err)
{
	denai_abi_sig *const *errs;
	size_t nerrs;

	errs = denai_oracle_errors(o, &nerrs);
	return denai_contract_call(rpc, result, NULL, at, NULL,
	    denai_oracle_fn(o, fn), args, block, errs, nerrs, err);
}

/* Reads a log's topics and data. Out: *topics, *data malloc'd. */
static int
log_parts(const json_t *log, uint8_t (**topics)[32], size_t *nt,
    uint8_t **data, size_t *len, denai_err *err)
{
	const json_t *tp = json_object_get(log, "topics");
	const char *d = json_string_value(json_object_get(log, "data"));
	size_t i, dl;

	*topics = NULL;
	*data = NULL;
	if (!json_is_array(tp) || d == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "log has no topics array or no data");
	*nt = json_array_size(tp);
	if ((*topics = calloc(*nt ? *nt : 1, 32)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (i = 0; i < *nt; i++) {
		const char *t = json_string_value(json_array_get(tp, i));
		if (t == NULL || denai_hex_decode_exact((*topics)[i], 32, t,
		    err) != 0)
			goto fail;
	}
	dl = strlen(d);
	if ((*data = malloc(dl / 2 + 1)) == NULL ||
	    denai_hex_decode(*data, dl / 2 + 1, len, d, dl, 0, err) != 0)
		goto fail;
	return 0;
fail:
	free(*topics);
	free(*data);
	*topics = NULL;
	*data = NULL;
	return denai_err_prefix(err, "log");
}

json_t *
denai_oracle_decode_log(const denai_oracle *o, enum denai_oracle_event ev,
    const json_t *log, denai_err *err)
{
	uint8_t (*topics)[32];
	uint8_t *data;
	size_t nt = 0, len = 0;
	json_t *r;

	if (log_parts(log, &topics, &nt, &data, &len, err) != 0)
		return NULL;
	r = denai_abi_decode_log(denai_oracle_event(o, ev), (const uint8_t (*)[32])topics, nt,
	    data, len, err);
	free(topics);
	free(data);
	return r;
}

static int
copy_field(json_t *rec, const char *to, const json_t *log, const char *from,
    int as_number, denai_err *err)
{
	const json_t *v = json_object_get(log, from);
	uint64_t n;

	if (v == NULL)
		return denai_err_set(err, DENAI_EDATA, "log has no \"%s\"", from);
	if (!as_number)
		return json_object_set(rec, to, (json_t *)v) == 0 ? 0 :
		    denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (denai_rpc_quantity_u64(&n, v, err) != 0)
		return denai_err_prefix(err, "log \"%s\"", from);
	json_object_set_new(rec, to, json_integer((json_int_t)n));
	return 0;
}

json_t *
denai_oracle_request_record(const denai_oracle *o, const json_t *log,
    uint64_t chain_id, denai_err *err)
{
	json_t *dec, *named, *rec = NULL;
	const char *addr = json_string_value(json_object_get(log, "address"));
	uint8_t a[DENAI_ADDR_LEN];
	char hex[DENAI_ADDR_HEX_MAX];
	static const char *const fields[][2] = {
		{"request_id", "requestId"}, {"model_id", "modelId"},
		{"data_cid", "dataCid"}, {"tip", "tip"},
		{"requester", "requester"}, {"challenge", "challenge"},
		{"difficulty", "difficulty"},
	};

	if (addr == NULL || denai_secp_addr_parse(a, addr, strlen(addr),
	    err) != 0) {
		denai_err_prefix(err, "log address");
		return NULL;
	}
	if ((dec = denai_oracle_decode_log(o, DENAI_EV_REQUESTED, log, err))
	    == NULL)
		return NULL;
	named = json_object_get(dec, "named");
	rec = json_object();
	json_object_set_new(rec, "type", json_string("request"));
	json_object_set_new(rec, "chain_id", json_integer((json_int_t)chain_id));
	json_object_set_new(rec, "contract",
	    json_string(denai_secp_addr_checksum(hex, a)));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		json_object_set(rec, fields[i][0],
		    json_object_get(named, fields[i][1]));
	if (copy_field(rec, "block_number", log, "blockNumber", 1, err) != 0 ||
	    copy_field(rec, "block_hash", log, "blockHash", 0, err) != 0 ||
	    copy_field(rec, "tx_hash", log, "transactionHash", 0, err) != 0 ||
	    copy_field(rec, "log_index", log, "logIndex", 1, err) != 0) {
		json_decref(rec);
		rec = NULL;
	}
	json_decref(dec);
	return rec;
}

/* Field i of a decoded result array as a number. */
static int
num(denai_u256 *v, const json_t *r, size_t i, denai_err *err)
{
	return denai_abi_value_u256(v, json_array_get(r, i), err);
}

static int
num64(uint64_t *v, const json_t *r, size_t i, denai_err *err)
{
	return denai_abi_value_u64(v, json_array_get(r, i), err);
}

int
denai_oracle_get_request(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    denai_request_info *info, denai_err *err)
{
	return denai_oracle_get_request_at(o, rpc, at, id, NULL, info, err);
}

int
denai_oracle_request_decode(denai_request_info *info, const json_t *r,
    denai_err *err)
{
	const char *s;
	uint64_t status;

	memset(info, 0, sizeof(*info));
	s = json_string_value(json_array_get(r, 0));
	if (s == NULL || denai_hex_decode_exact(info->requester, DENAI_ADDR_LEN,
	    s, err) != 0 ||
	    num(&info->model_id, r, 1, err) != 0)
		goto bad;
	s = json_string_value(json_array_get(r, 2));
	snprintf(info->data_cid, sizeof(info->data_cid), "%s", s ? s : "");
	s = json_string_value(json_array_get(r, 4));
	if (num(&info->tip, r, 3, err) != 0 || s == NULL ||
	    denai_hex_decode_exact(info->challenge, 32, s, err) != 0 ||
	    num(&info->difficulty, r, 5, err) != 0 ||
	    num64(&info->callback_gas, r, 6, err) != 0 ||
	    num64(&info->expires_at, r, 7, err) != 0 ||
	    num64(&status, r, 8, err) != 0 ||
	    num64(&info->submissions, r, 9, err) != 0 ||
	    num(&info->prediction, r, 10, err) != 0)
		goto bad;
	info->status = (int)status;
	info->callback_ok = json_is_true(json_array_get(r, 11));
	return 0;
bad:
	return denai_err_prefix(err, "getRequest result");
}

int
denai_oracle_get_request_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const char *block, denai_request_info *info, denai_err *err)
{
	char dec[DENAI_U256_DEC_MAX];
	json_t *args, *r = NULL;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	args = json_pack("[s]", denai_u256_to_dec(dec, id));
	if (denai_oracle_call_at(o, rpc, at, DENAI_FN_GET_REQUEST, args, block,
	    &r, err) == 0)
		rc = denai_oracle_request_decode(info, r, err);
	json_decref(args);
	json_decref(r);
	return rc;
}

/* sealedInfo's result r into *si. */
static int
sealed_info(denai_sealed_info *si, const json_t *r, denai_err *err)
{
	si->sealed = json_is_true(json_array_get(r, 0));
	if (denai_abi_value_u64(&si->reveal_deadline, json_array_get(r, 1),
	    err) != 0 ||
	    denai_abi_value_u64(&si->reveals, json_array_get(r, 2), err) != 0)
		return denai_err_prefix(err, "sealedInfo result");
	return 0;
}

int
denai_oracle_request_view(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t *miner, const char *block, denai_request_info *info,
    int *submitted, denai_sealed_info *si, denai_err *err)
{
	return denai_oracle_request_view_with(o, rpc, at, id, miner, block,
	    info, submitted, si, NULL, 0, err);
}

int
denai_oracle_request_view_with(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t *miner, const char *block, denai_request_info *info,
    int *submitted, denai_sealed_info *si, denai_rpc_req *extra,
    size_t nextra, denai_err *err)
{
	char dec[DENAI_U256_DEC_MAX], a[2 * DENAI_ADDR_LEN + 3];
	denai_contract_q q[3];
	denai_revert rv = { 0 };
	denai_abi_sig *const *errs;
	size_t nerrs, n = 1, im = 0, is = 0;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	memset(q, 0, sizeof(q));
	*submitted = 0;
	if (si != NULL)
		memset(si, 0, sizeof(*si));
	denai_u256_to_dec(dec, id);
	q[0].sig = denai_oracle_fn(o, DENAI_FN_GET_REQUEST);
	q[0].args = json_pack("[s]", dec);
	if (miner != NULL) {
		im = n++;
		q[im].sig = denai_oracle_fn(o, DENAI_FN_HAS_SUBMITTED);
		q[im].args = json_pack("[ss]", dec,
		    denai_hex_encode(a, miner, DENAI_ADDR_LEN));
	}
	if (si != NULL) {
		/* a contract without sealed requests refuses the call */
		is = n++;
		q[is].sig = denai_oracle_fn(o, DENAI_FN_SEALED_INFO);
		q[is].args = json_pack("[s]", dec);
		q[is].rv = &rv;
	}
	errs = denai_oracle_errors(o, &nerrs);
	for (size_t i = 0; i < n; i++)
		if (q[i].args == NULL) {
			denai_err_set(err, DENAI_ENOMEM, "out of memory");
			goto out;
		}
	if (denai_contract_calls(rpc, q, n, extra, nextra, at, block, errs,
	    nerrs, err) != 0)
		goto out;
	rc = denai_oracle_request_decode(info, q[0].result, err);
	if (im != 0)
		*submitted = json_is_true(json_array_get(q[im].result, 0));
	if (rc == 0 && is != 0 && q[is].result != NULL)
		rc = sealed_info(si, q[is].result, err);
out:
	for (size_t i = 0; i < n; i++) {
		json_decref(q[i].result);
		json_decref((json_t *)q[i].args);
	}
	denai_revert_clear(&rv);
	return rc;
}

int
denai_oracle_has_submitted(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], int *yes, denai_err *err)
{
	return denai_oracle_has_submitted_at(o, rpc, at, id, miner, NULL, yes,
	    err);
}

int
denai_oracle_has_submitted_at(const denai_oracle *o, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const denai_u256 *id,
    const uint8_t miner[DENAI_ADDR_LEN], const char *block, int *yes,
    denai_err *err)
{
	char dec[DENAI_U256_DEC_MAX], a[2 * DENAI_ADDR_LEN + 3];
	json_t *args, *r = NULL;
	int rc;

	args = json_pack("[ss]", denai_u256_to_dec(dec, id),
	    denai_hex_encode(a, miner, DENAI_ADDR_LEN));
	rc = denai_oracle_call_at(o, rpc, at, DENAI_FN_HAS_SUBMITTED, args,
	    block, &r, err);
	if (rc == 0)
		*yes = json_is_true(json_array_get(r, 0));
	json_decref(args);
	json_decref(r);
	return rc;
}

const char *
denai_request_status_name(int status)
{
	switch (status) {
	case DENAI_REQ_OPEN:		return "open";
	case DENAI_REQ_FULFILLED:	return "fulfilled";
	case DENAI_REQ_CANCELLED:	return "cancelled";
	default:			return "none";
	}
}
