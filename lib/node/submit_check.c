/* node/submit_check.c - the checks before submitSolution, one round trip
 * (node/submit_check.h). */
#include "node/submit_check.h"

#include <stdlib.h>
#include <string.h>

#include "eth/abi.h"
#include "eth/hex.h"

enum { Q_REQUEST, Q_SUBMITTED, Q_GAS, NQ };
enum { X_FEE0, X_FEE1, X_ESTIMATE, NX };

int
denai_submit_check_run(denai_submit_check *c, const denai_oracle *o,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN],
    const uint8_t miner[DENAI_ADDR_LEN], const denai_u256 *id,
    const json_t *args, denai_err *err)
{
	char dec[DENAI_U256_DEC_MAX], a[2 * DENAI_ADDR_LEN + 3];
	denai_contract_q q[NQ];
	denai_rpc_req x[NX];
	denai_abi_sig *const *errs;
	json_t *idargs, *minerargs, *feep, *estp = NULL, *call = NULL;
	uint8_t *cd = NULL;
	size_t nerrs, cdlen;
	uint64_t est;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(q, 0, sizeof(q));
	denai_u256_to_dec(dec, id);
	idargs = json_pack("[s]", dec);
	minerargs = json_pack("[ss]", dec,
	    denai_hex_encode(a, miner, DENAI_ADDR_LEN));
	feep = denai_rpc_fee_reqs(x);
	x[X_ESTIMATE].method = "eth_estimateGas";
	q[Q_REQUEST].sig = denai_oracle_fn(o, DENAI_FN_GET_REQUEST);
	q[Q_REQUEST].args = idargs;
	q[Q_SUBMITTED].sig = denai_oracle_fn(o, DENAI_FN_HAS_SUBMITTED);
	q[Q_SUBMITTED].args = minerargs;
	q[Q_GAS].sig = denai_oracle_fn(o, DENAI_FN_SUBMIT_GAS_LIMIT);
	q[Q_GAS].args = idargs;
	errs = denai_oracle_errors(o, &nerrs);
	if (idargs == NULL || minerargs == NULL || feep == NULL ||
	    denai_oracle_calldata(o, DENAI_FN_SUBMIT, args, &cd, &cdlen,
	    err) != 0)
		goto out;
	/* the submission itself from the key: its gas, or its refusal */
	call = denai_rpc_tx_object(at, miner, cd, cdlen, NULL);
	if (call == NULL || (estp = json_pack("[O]", call)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	x[X_ESTIMATE].params = estp;
	if (denai_contract_calls(rpc, q, NQ, x, NX, at, NULL, errs, nerrs,
	    err) != 0 ||
	    denai_oracle_request_decode(&c->info, q[Q_REQUEST].result,
	    err) != 0 ||
	    denai_rpc_fee_read(rpc, x, &c->fees, err) != 0)
		goto out;
	if (denai_abi_value_u64(&c->gas, json_array_get(q[Q_GAS].result, 0),
	    err) != 0) {
		denai_err_prefix(err, "submitGasLimit result");
		goto out;
	}
	c->submitted = json_is_true(json_array_get(q[Q_SUBMITTED].result, 0));
	if (x[X_ESTIMATE].error.set) {
		c->refused = 1;
		(void)denai_revert_from_rpc(&c->rv, &x[X_ESTIMATE].error, errs,
		    nerrs);
	} else if (denai_rpc_quantity_u64(&est, x[X_ESTIMATE].result,
	    err) != 0) {
		denai_err_prefix(err, "eth_estimateGas result");
		goto out;
	} else if (est + est / 4 > c->gas) {
		c->gas = est + est / 4;
	}
	rc = 0;
out:
	for (size_t i = 0; i < NQ; i++)
		json_decref(q[i].result);
	for (size_t i = 0; i < NX; i++)
		denai_rpc_req_clear(&x[i]);
	json_decref(idargs);
	json_decref(minerargs);
	json_decref(feep);
	json_decref(estp);
	json_decref(call);
	free(cd);
	return rc;
}

void
denai_submit_check_clear(denai_submit_check *c)
{
	denai_revert_clear(&c->rv);
	memset(c, 0, sizeof(*c));
}
