/* node/submit_check.c - the checks before submitSolution, one round trip
 * (node/submit_check.h). */
#include "node/submit_check.h"

#include <string.h>

#include "eth/abi.h"
#include "eth/hex.h"

enum { Q_REQUEST, Q_SUBMITTED, Q_GAS, Q_SUBMIT, NQ };

int
denai_submit_check_run(denai_submit_check *c, const denai_oracle *o,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN],
    const uint8_t miner[DENAI_ADDR_LEN], const denai_u256 *id,
    const json_t *args, denai_err *err)
{
	char dec[DENAI_U256_DEC_MAX], a[2 * DENAI_ADDR_LEN + 3];
	denai_contract_q q[NQ];
	denai_rpc_req fee[2];
	denai_abi_sig *const *errs;
	json_t *idargs, *minerargs, *feep;
	size_t nerrs;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(q, 0, sizeof(q));
	denai_u256_to_dec(dec, id);
	idargs = json_pack("[s]", dec);
	minerargs = json_pack("[ss]", dec,
	    denai_hex_encode(a, miner, DENAI_ADDR_LEN));
	feep = denai_rpc_fee_reqs(fee);
	q[Q_REQUEST].sig = denai_oracle_fn(o, DENAI_FN_GET_REQUEST);
	q[Q_REQUEST].args = idargs;
	q[Q_SUBMITTED].sig = denai_oracle_fn(o, DENAI_FN_HAS_SUBMITTED);
	q[Q_SUBMITTED].args = minerargs;
	q[Q_GAS].sig = denai_oracle_fn(o, DENAI_FN_SUBMIT_GAS_LIMIT);
	q[Q_GAS].args = idargs;
	q[Q_SUBMIT].sig = denai_oracle_fn(o, DENAI_FN_SUBMIT);
	q[Q_SUBMIT].args = args;
	q[Q_SUBMIT].from = miner;
	q[Q_SUBMIT].rv = &c->rv;
	errs = denai_oracle_errors(o, &nerrs);
	if (idargs == NULL || minerargs == NULL || feep == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if (denai_contract_calls(rpc, q, NQ, fee, 2, at, NULL, errs, nerrs,
	    err) != 0 ||
	    denai_oracle_request_decode(&c->info, q[Q_REQUEST].result,
	    err) != 0 ||
	    denai_rpc_fee_read(rpc, fee, &c->fees, err) != 0)
		goto out;
	if (denai_abi_value_u64(&c->gas, json_array_get(q[Q_GAS].result, 0),
	    err) != 0) {
		denai_err_prefix(err, "submitGasLimit result");
		goto out;
	}
	c->submitted = json_is_true(json_array_get(q[Q_SUBMITTED].result, 0));
	c->refused = q[Q_SUBMIT].result == NULL;
	rc = 0;
out:
	for (size_t i = 0; i < NQ; i++)
		json_decref(q[i].result);
	denai_rpc_req_clear(&fee[0]);
	denai_rpc_req_clear(&fee[1]);
	json_decref(idargs);
	json_decref(minerargs);
	json_decref(feep);
	return rc;
}

void
denai_submit_check_clear(denai_submit_check *c)
{
	denai_revert_clear(&c->rv);
	memset(c, 0, sizeof(*c));
}
