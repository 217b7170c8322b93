/* funds.c - value plus gas against the balance (see funds.h). */
#include "node/funds.h"

#include <string.h>
#include <strings.h>

#include "node/chain_read.h"

int
denai_funds_check(const denai_chain *c, const uint8_t addr[DENAI_ADDR_LEN],
    const uint8_t to[DENAI_ADDR_LEN], const uint8_t *data, size_t len,
    const denai_u256 *value, denai_u256 *need, denai_u256 *balance,
    denai_err *err)
{
	char v[DENAI_U256_HEX_MAX];
	denai_u256 max_fee, prio, cost;
	json_t *call;
	uint64_t gas = 0;
	int e;

	if (denai_chain_balance(c, balance, addr, err) != 0)
		return -1;
	*need = *value;
	if (denai_u256_cmp(balance, value) < 0)
		return 0;
	if ((call = denai_rpc_tx_object(to, addr, data, len,
	    denai_u256_to_hex(v, value))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	e = denai_rpc_estimate_gas(c->rpc, &gas, NULL, call, err);
	json_decref(call);
	if (e != 0) {
		/* "insufficient funds for gas * price + value" */
		if (err != NULL && err->code == DENAI_ESTATE &&
		    strcasestr(err->msg, "insufficient funds") != NULL)
			return 0;
		return -1;
	}
	gas += gas / 4;
	if (denai_rpc_fees(c->rpc, &max_fee, &prio, err) != 0)
		return -1;
	if (denai_u256_mul_small(&cost, &max_fee, gas) != 0 ||
	    denai_u256_add(need, value, &cost) != 0)
		return 0;
	return denai_u256_cmp(balance, need) >= 0;
}
