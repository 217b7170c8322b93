/* contract.c - eth_call with ABI signatures; revert messages. */
#include "node/contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

json_t *
denai_contract_callobj(const uint8_t to[DENAI_ADDR_LEN], const uint8_t *from,
    const uint8_t *data, size_t len, const char *value)
{
	char a[2 * DENAI_ADDR_LEN + 3];
	char *d;
	json_t *o = json_object();

	if (o == NULL || (d = denai_hex_dup(data, len)) == NULL) {
		json_decref(o);
		return NULL;
	}
	if (to != NULL)
		json_object_set_new(o, "to",
		    json_string(denai_hex_encode(a, to, DENAI_ADDR_LEN)));
	if (from != NULL)
		json_object_set_new(o, "from",
		    json_string(denai_hex_encode(a, from, DENAI_ADDR_LEN)));
	json_object_set_new(o, "data", json_string(d));
	if (value != NULL)
		json_object_set_new(o, "value", json_string(value));
	free(d);
	return o;
}

int
denai_contract_revert_message(char *msg, size_t cap, json_t **decoded,
    const char *hex, denai_abi_sig *const *errs, size_t nerrs, denai_err *err)
{
	uint8_t *data = NULL;
	size_t n = 0, len = hex ? strlen(hex) : 0;
	json_t *dec = NULL;
	denai_err derr;
	int rc = -1;

	if (decoded != NULL)
		*decoded = NULL;
	if (len > 0 && (data = malloc(len / 2 + 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (len > 0 && denai_hex_decode(data, len / 2 + 1, &n, hex, len, 0,
	    err) != 0)
		goto out;
	dec = denai_abi_decode_revert(data, n, errs, nerrs, &derr);
	if (dec == NULL)
		snprintf(msg, cap, "%s", derr.msg);
	else
		snprintf(msg, cap, "%s",
		    json_string_value(json_object_get(dec, "message")));
	if (decoded != NULL) {
		*decoded = dec;
		dec = NULL;
	}
	rc = 0;
out:
	json_decref(dec);
	free(data);
	return rc;
}

int
denai_contract_call(denai_rpc *rpc, const uint8_t to[DENAI_ADDR_LEN],
    const uint8_t *from, const denai_abi_sig *sig, const json_t *args,
    const char *block, denai_abi_sig *const *errs, size_t nerrs,
    json_t **result, denai_err *err)
{
	uint8_t *cd = NULL, *ret = NULL;
	size_t cdlen, retlen;
	json_t *call = NULL, *noargs = NULL;
	const denai_rpc_error *re;
	char why[256];
	int rc = -1;

	*result = NULL;
	if (args == NULL)
		args = noargs = json_array();
	if (denai_abi_calldata(&cd, &cdlen, sig, args, err) != 0)
		goto out;
	if ((call = denai_contract_callobj(to, from, cd, cdlen, NULL)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if (denai_rpc_eth_call(rpc, call, block ? block : "latest", &ret,
	    &retlen, err) != 0) {
		re = denai_rpc_last_error(rpc);
		if (err != NULL && err->code == DENAI_ESTATE && re->set &&
		    re->data != NULL && denai_contract_revert_message(why,
		    sizeof(why), NULL, re->data, errs, nerrs, NULL) == 0)
			denai_err_set(err, DENAI_ESTATE, "%s reverted: %s",
			    sig->name, why);
		goto out;
	}
	if (sig->outputs == NULL) {
		*result = json_array();
	} else if ((*result = denai_abi_decode(sig->outputs, ret, retlen,
	    err)) == NULL) {
		denai_err_prefix(err, "decoding the result of %s", sig->name);
		goto out;
	}
	rc = 0;
out:
	json_decref(noargs);
	json_decref(call);
	free(cd);
	free(ret);
	return rc;
}
