/* node/chain_read.c - typed reads of the DenAI contracts (chain_read.h). */
#include "node/chain_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"
#include "node/result.h"

int
denai_chain_call(const denai_chain *c, json_t **result, denai_revert *rv,
    enum denai_oracle_fn fn, const json_t *args, denai_err *err)
{
	denai_abi_sig *const *errs;
	size_t nerrs;

	errs = denai_oracle_errors(c->oracle, &nerrs);
	return denai_contract_call(c->rpc, result, rv, c->dep->oracle, NULL,
	    denai_oracle_fn(c->oracle, fn), args, NULL, errs, nerrs, err);
}

void
denai_model_info_clear(denai_model_info *m)
{
	free(m->description);
	memset(m, 0, sizeof(*m));
}

/* getModel(id) into m; *unknown set when the registry said
 * UnknownModel. */
static int
model_read(const denai_chain *c, denai_model_info *m, int *unknown,
    const char *id, denai_err *err)
{
	json_t *args = json_pack("[s]", id), *r = NULL;
	const char *cid, *sha, *trainer, *desc;
	denai_revert rv = { 0 };
	uint64_t dec;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	*unknown = 0;
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (denai_chain_call(c, &r, &rv, DENAI_FN_GET_MODEL, args, err) != 0) {
		if ((*unknown = denai_revert_is(&rv, "UnknownModel")))
			denai_err_set(err, DENAI_EDATA,
			    "model %s is not registered", id);
		goto out;
	}
	cid = json_string_value(json_array_get(r, 0));
	sha = json_string_value(json_array_get(r, 1));
	trainer = json_string_value(json_array_get(r, 4));
	desc = json_string_value(json_array_get(r, 5));
	if (cid == NULL || strlen(cid) >= sizeof(m->cid) || sha == NULL ||
	    trainer == NULL || desc == NULL ||
	    denai_hex_decode_exact(m->sha256, 32, sha, err) != 0 ||
	    denai_abi_value_u64(&dec, json_array_get(r, 2), err) != 0 ||
	    dec > 255 ||
	    denai_hex_decode_exact(m->trainer, DENAI_ADDR_LEN, trainer,
	    err) != 0) {
		denai_err_set(err, DENAI_EDATA, "getModel(%s): malformed result",
		    id);
		goto out;
	}
	if ((m->description = strdup(desc)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(m->cid, cid, strlen(cid) + 1);
	m->decimals = (unsigned)dec;
	m->active = json_is_true(json_array_get(r, 3));
	rc = 0;
out:
	if (rc != 0)
		denai_model_info_clear(m);
	denai_revert_clear(&rv);
	json_decref(args);
	json_decref(r);
	return rc;
}

int
denai_chain_model(const denai_chain *c, denai_model_info *m, const char *id,
    denai_err *err)
{
	int unknown;

	return model_read(c, m, &unknown, id, err);
}

int
denai_chain_model_usable(const denai_chain *c, denai_model_info *m,
    const char *id, denai_err *err)
{
	int unknown;

	if (model_read(c, m, &unknown, id, err) != 0) {
		if (unknown)
			denai_err_set(err, DENAI_EDATA, "model %s is not "
			    "registered (see denai-model list)", id);
		return -1;
	}
	if (!m->active) {
		denai_model_info_clear(m);
		return denai_err_set(err, DENAI_EDATA, "model %s is retired",
		    id);
	}
	return 0;
}

json_t *
denai_model_info_json(const denai_model_info *m, const char *id)
{
	char sha[2 * 32 + 3], tr[2 * DENAI_ADDR_LEN + 3];

	return json_pack("{s:s,s:s,s:s,s:I,s:b,s:s,s:s}", "model_id", id,
	    "cid", m->cid, "sha256", denai_hex_encode(sha, m->sha256, 32),
	    "decimals", (json_int_t)m->decimals, "active", m->active,
	    "trainer", denai_hex_encode(tr, m->trainer, DENAI_ADDR_LEN),
	    "description", m->description != NULL ? m->description : "");
}

int
denai_chain_model_count(const denai_chain *c, uint64_t *n, denai_err *err)
{
	json_t *r;
	int rc;

	*n = 0;
	if (denai_chain_call(c, &r, NULL, DENAI_FN_MODEL_COUNT, NULL,
	    err) != 0)
		return -1;
	rc = denai_abi_value_u64(n, json_array_get(r, 0), err);
	json_decref(r);
	return rc == 0 ? 0 : denai_err_prefix(err, "modelCount result");
}

int
denai_chain_request(const denai_chain *c, denai_request_info *info,
    const denai_u256 *id, denai_err *err)
{
	return denai_oracle_get_request(c->oracle, c->rpc, c->dep->oracle, id,
	    info, err);
}

json_t *
denai_chain_result(const denai_chain *c, const char *id, denai_err *err)
{
	return denai_request_result(c->oracle, c->rpc, c->dep, id, err);
}

int
denai_chain_submit_gas_limit(const denai_chain *c, uint64_t *gas,
    const char *id, denai_err *err)
{
	json_t *args = json_pack("[s]", id), *r = NULL;
	int rc;

	*gas = 0;
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_chain_call(c, &r, NULL, DENAI_FN_SUBMIT_GAS_LIMIT, args,
	    err);
	json_decref(args);
	if (rc == 0 && denai_abi_value_u64(gas, json_array_get(r, 0), err) != 0)
		rc = denai_err_prefix(err, "submitGasLimit result");
	json_decref(r);
	return rc;
}

int
denai_chain_balance(const denai_chain *c, denai_u256 *wei,
    const uint8_t addr[DENAI_ADDR_LEN], denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3];
	json_t *params, *r = NULL;
	int rc;

	params = json_pack("[ss]", denai_hex_encode(a, addr, DENAI_ADDR_LEN),
	    "latest");
	if (params == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_rpc_call(c->rpc, "eth_getBalance", params, &r, err);
	if (rc == 0)
		rc = denai_rpc_quantity(wei, r, err);
	json_decref(params);
	json_decref(r);
	return rc;
}
