/* node/contract.c - eth_call with ABI signatures; reverts decoded. */
#include "node/contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

void
denai_revert_clear(denai_revert *rv)
{
	if (rv == NULL)
		return;
	json_decref(rv->args);
	memset(rv, 0, sizeof(*rv));
}

int
denai_revert_is(const denai_revert *rv, const char *name)
{
	return rv != NULL && rv->set && strcmp(rv->name, name) == 0;
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
denai_revert_decode(denai_revert *rv, const char *hex,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err)
{
	json_t *dec;
	const char *name;

	denai_revert_clear(rv);
	if (denai_contract_revert_message(rv->message, sizeof(rv->message),
	    &dec, hex, errs, nerrs, err) != 0)
		return -1;
	rv->set = 1;
	name = json_string_value(json_object_get(dec, "error"));
	if (name != NULL) {
		snprintf(rv->name, sizeof(rv->name), "%s", name);
		rv->args = json_incref(json_object_get(dec, "args"));
	}
	json_decref(dec);
	return 0;
}

int
denai_revert_from_rpc(denai_revert *rv, const denai_rpc_error *re,
    denai_abi_sig *const *errs, size_t nerrs)
{
	denai_revert_clear(rv);
	if (re == NULL || !re->set || re->data == NULL)
		return 0;
	return denai_revert_decode(rv, re->data, errs, nerrs, NULL) == 0;
}

int
denai_contract_call(denai_rpc *rpc, json_t **result, denai_revert *rv,
    const uint8_t to[DENAI_ADDR_LEN], const uint8_t *from,
    const denai_abi_sig *sig, const json_t *args, const char *block,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err)
{
	uint8_t *cd = NULL, *ret = NULL;
	size_t cdlen, retlen;
	json_t *call = NULL, *noargs = NULL;
	denai_rpc_error re = { 0 };
	denai_revert local = { 0 };
	int rc = -1;

	*result = NULL;
	if (rv == NULL)
		rv = &local;
	denai_revert_clear(rv);
	if (args == NULL)
		args = noargs = json_array();
	if (denai_abi_calldata(&cd, &cdlen, sig, args, err) != 0)
		goto out;
	if ((call = denai_rpc_tx_object(to, from, cd, cdlen, NULL)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if (denai_rpc_eth_call(rpc, &ret, &retlen, &re, call,
	    block ? block : "latest", err) != 0) {
		if (err != NULL && err->code == DENAI_ESTATE &&
		    denai_revert_from_rpc(rv, &re, errs, nerrs))
			denai_err_set(err, DENAI_ESTATE, "%s reverted: %s",
			    sig->name, rv->message);
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
	denai_rpc_error_clear(&re);
	denai_revert_clear(&local);
	json_decref(noargs);
	json_decref(call);
	free(cd);
	free(ret);
	return rc;
}

/* The reply to q's eth_call in req, decoded into q->result. */
static int
call_reply(denai_contract_q *q, denai_rpc_req *req, const char *endpoint,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err)
{
	const char *s = json_string_value(req->result);
	denai_revert rv = { 0 };
	uint8_t *ret;
	size_t len, retlen;

	if (req->error.set && q->rv != NULL) {
		/* a refusal the caller asked to keep (result stays NULL) */
		(void)denai_revert_from_rpc(q->rv, &req->error, errs, nerrs);
		return 0;
	}
	if (req->error.set) {
		if (denai_revert_from_rpc(&rv, &req->error, errs, nerrs))
			denai_err_set(err, DENAI_ESTATE, "%s reverted: %s",
			    q->sig->name, rv.message);
		else
			denai_err_set(err, DENAI_ESTATE, "eth_call to %s: %s "
			    "(code %lld)", endpoint, req->error.message,
			    req->error.code);
		denai_revert_clear(&rv);
		return -1;
	}
	if (s == NULL || (len = strlen(s)) < 2 || s[0] != '0' || s[1] != 'x')
		return denai_err_set(err, DENAI_EPEER, "eth_call to %s: "
		    "malformed result: want a 0x hex string", endpoint);
	if ((ret = malloc(len / 2 + 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (denai_hex_decode(ret, len / 2 + 1, &retlen, s, len, 0, err) != 0) {
		free(ret);
		return denai_err_prefix(err, "eth_call to %s: malformed result",
		    endpoint);
	}
	if (q->sig->outputs == NULL)
		q->result = json_array();
	else if ((q->result = denai_abi_decode(q->sig->outputs, ret, retlen,
	    err)) == NULL)
		denai_err_prefix(err, "decoding the result of %s", q->sig->name);
	free(ret);
	return q->result != NULL ? 0 : -1;
}

int
denai_contract_calls(denai_rpc *rpc, denai_contract_q *q, size_t n,
    denai_rpc_req *extra, size_t nextra, const uint8_t to[DENAI_ADDR_LEN],
    const char *block, denai_abi_sig *const *errs, size_t nerrs,
    denai_err *err)
{
	denai_rpc_req *reqs = calloc(n + nextra ? n + nextra : 1,
	    sizeof(*reqs));
	json_t *noargs = json_array(), *call;
	uint8_t *cd;
	size_t cdlen, i;
	int rc = -1;

	for (i = 0; i < n; i++) {
		q[i].result = NULL;
		if (q[i].rv != NULL)
			denai_revert_clear(q[i].rv);
	}
	if (reqs == NULL || noargs == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (denai_abi_calldata(&cd, &cdlen, q[i].sig, q[i].args ?
		    q[i].args : noargs, err) != 0)
			goto out;
		call = denai_rpc_tx_object(to, q[i].from, cd, cdlen, NULL);
		free(cd);
		reqs[i].method = "eth_call";
		if (call == NULL || (reqs[i].params = json_pack("[os]", call,
		    block ? block : "latest")) == NULL) {
			denai_err_set(err, DENAI_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (nextra > 0)
		memcpy(reqs + n, extra, nextra * sizeof(*reqs));
	i = denai_rpc_batch(rpc, reqs, n + nextra, err) != 0;
	if (nextra > 0)
		memcpy(extra, reqs + n, nextra * sizeof(*reqs));
	if (i)
		goto out;
	for (i = 0; i < n; i++)
		if (call_reply(&q[i], &reqs[i], denai_rpc_endpoint(rpc), errs,
		    nerrs, err) != 0)
			goto out;
	rc = 0;
out:
	for (i = 0; reqs != NULL && i < n; i++) {
		json_decref((json_t *)reqs[i].params);
		denai_rpc_req_clear(&reqs[i]);
		if (rc != 0) {
			json_decref(q[i].result);
			q[i].result = NULL;
			if (q[i].rv != NULL)
				denai_revert_clear(q[i].rv);
		}
	}
	free(reqs);
	json_decref(noargs);
	return rc;
}
