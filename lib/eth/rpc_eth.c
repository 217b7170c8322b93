/* rpc_eth.c - thin helpers over the eth_* calls the node tools make. */
#include "eth/rpc.h"

#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

/* Calls method with params (stolen; may be NULL) and hands back the
 * result, or -1 with the node's error in *rerr (may be NULL). */
static int
call_e(denai_rpc *r, denai_rpc_error *rerr, const char *method,
    json_t *params, json_t **res, denai_err *err)
{
	int rc;

	if (params == NULL && (params = json_array()) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_rpc_call_err(r, rerr, method, params, res, err);
	json_decref(params);
	return rc;
}

static int
call(denai_rpc *r, const char *method, json_t *params, json_t **res,
    denai_err *err)
{
	return call_e(r, NULL, method, params, res, err);
}

/* A result of the wrong shape: an EPEER naming the method. */
static int
shape(denai_rpc *r, const char *method, denai_err *err)
{
	return denai_err_prefix(err, "%s to %s", method, denai_rpc_endpoint(r));
}

static int
call_u64(denai_rpc *r, denai_rpc_error *rerr, const char *method,
    json_t *params, uint64_t *v, denai_err *err)
{
	json_t *res;
	int rc;

	if (call_e(r, rerr, method, params, &res, err) != 0)
		return -1;
	rc = denai_rpc_quantity_u64(v, res, err);
	json_decref(res);
	return rc == 0 ? 0 : shape(r, method, err);
}

static int
call_u256(denai_rpc *r, const char *method, denai_u256 *v, denai_err *err)
{
	json_t *res;
	int rc;

	if (call(r, method, NULL, &res, err) != 0)
		return -1;
	rc = denai_rpc_quantity(v, res, err);
	json_decref(res);
	return rc == 0 ? 0 : shape(r, method, err);
}

static json_t *
hex_json(const uint8_t *p, size_t n)
{
	char *s = denai_hex_dup(p, n);
	json_t *j = s != NULL ? json_string(s) : NULL;

	free(s);
	return j;
}

/* Reads a "0x" byte string of exactly n bytes (n 0: any length, into a
 * malloc'd *out). */
static int
get_bytes(const json_t *v, uint8_t *fixed, size_t n, uint8_t **out,
    size_t *outlen, denai_err *err)
{
	const char *s = json_string_value(v);
	size_t len;

	if (s == NULL || (len = json_string_length(v)) < 2 || s[0] != '0' ||
	    s[1] != 'x')
		return denai_err_set(err, DENAI_EPEER,
		    "malformed result: want a 0x hex string");
	if (fixed != NULL) {
		if (denai_hex_decode_exact(fixed, n, s, err) != 0)
			return denai_err_prefix(err, "malformed result");
		return 0;
	}
	if ((*out = malloc(len / 2 + 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (denai_hex_decode(*out, len / 2 + 1, outlen, s, len, 0, err) != 0) {
		free(*out);
		*out = NULL;
		return denai_err_prefix(err, "malformed result");
	}
	return 0;
}

int
denai_rpc_chain_id(denai_rpc *r, uint64_t *id, denai_err *err)
{
	return call_u64(r, NULL, "eth_chainId", NULL, id, err);
}

int
denai_rpc_block_number(denai_rpc *r, uint64_t *n, denai_err *err)
{
	return call_u64(r, NULL, "eth_blockNumber", NULL, n, err);
}

int
denai_rpc_nonce(denai_rpc *r, const uint8_t addr[20], const char *block,
    uint64_t *nonce, denai_err *err)
{
	json_t *p = json_pack("[os]", hex_json(addr, 20),
	    block != NULL ? block : "pending");

	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return call_u64(r, NULL, "eth_getTransactionCount", p, nonce, err);
}

int
denai_rpc_gas_price(denai_rpc *r, denai_u256 *wei, denai_err *err)
{
	return call_u256(r, "eth_gasPrice", wei, err);
}

int
denai_rpc_max_priority_fee(denai_rpc *r, denai_u256 *wei, denai_err *err)
{
	return call_u256(r, "eth_maxPriorityFeePerGas", wei, err);
}

int
denai_rpc_base_fee(denai_rpc *r, denai_u256 *wei, denai_err *err)
{
	denai_rpc_block b;

	if (denai_rpc_get_block(r, "latest", &b, err) != 0)
		return -1;
	if (!b.has_base_fee)
		return denai_err_set(err, DENAI_EUNSUP, "eth_getBlockByNumber "
		    "to %s: the latest block has no base fee (before London)",
		    denai_rpc_endpoint(r));
	*wei = b.base_fee;
	return 0;
}

int
denai_rpc_fees(denai_rpc *r, denai_u256 *max_fee, denai_u256 *priority,
    denai_err *err)
{
	denai_rpc_error rerr = { 0 };
	denai_u256 base;
	json_t *res;
	int rc;

	rc = call_e(r, &rerr, "eth_maxPriorityFeePerGas", NULL, &res, err);
	if (rc == 0) {
		rc = denai_rpc_quantity(priority, res, err);
		json_decref(res);
		if (rc != 0)
			return shape(r, "eth_maxPriorityFeePerGas", err);
	} else {
		/* -32601: method not found. Anything else is a failure. */
		rc = rerr.set && rerr.code == -32601;
		denai_rpc_error_clear(&rerr);
		if (!rc)
			return -1;
		denai_u256_from_u64(priority, 1000000000);
	}
	if (denai_rpc_base_fee(r, &base, err) != 0)
		return -1;
	if (denai_u256_add(max_fee, &base, &base) ||
	    denai_u256_add(max_fee, max_fee, priority))
		return denai_err_set(err, DENAI_EPEER, "eth_getBlockByNumber "
		    "to %s: base fee too large", denai_rpc_endpoint(r));
	return 0;
}

int
denai_rpc_estimate_gas(denai_rpc *r, uint64_t *gas, denai_rpc_error *rerr,
    const json_t *tx, denai_err *err)
{
	json_t *p = json_pack("[O]", tx);

	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return call_u64(r, rerr, "eth_estimateGas", p, gas, err);
}

int
denai_rpc_eth_call(denai_rpc *r, uint8_t **out, size_t *outlen,
    denai_rpc_error *rerr, const json_t *tx, const char *block,
    denai_err *err)
{
	json_t *p = json_pack("[Os]", tx, block != NULL ? block : "latest");
	json_t *res;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (call_e(r, rerr, "eth_call", p, &res, err) != 0)
		return -1;
	rc = get_bytes(res, NULL, 0, out, outlen, err);
	json_decref(res);
	return rc == 0 ? 0 : shape(r, "eth_call", err);
}

int
denai_rpc_send_raw(denai_rpc *r, const uint8_t *raw, size_t rawlen,
    uint8_t hash[32], denai_err *err)
{
	json_t *p = json_pack("[o]", hex_json(raw, rawlen)), *res;
	int rc;

	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (call(r, "eth_sendRawTransaction", p, &res, err) != 0)
		return -1;
	rc = get_bytes(res, hash, 32, NULL, NULL, err);
	json_decref(res);
	return rc == 0 ? 0 : shape(r, "eth_sendRawTransaction", err);
}

int
denai_rpc_send_raw_sync(denai_rpc *r, const uint8_t *raw, size_t rawlen,
    json_t **receipt, int *unknown, denai_err *err)
{
	json_t *p = json_pack("[o]", hex_json(raw, rawlen)), *res;
	denai_rpc_error re = { 0 };
	int rc;

	*receipt = NULL;
	*unknown = 0;
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = call_e(r, &re, "eth_sendRawTransactionSync", p, &res, err);
	if (rc != 0) {
		/* -32601: no such method (nothing sent); 4: sent, not mined
		 * within the node's wait (EIP-7966) */
		*unknown = !re.set ? 0 : re.code == -32601 ? 1 :
		    re.code == 4 ? 2 : 0;
		denai_rpc_error_clear(&re);
		return *unknown == 2 ? 0 : -1;
	}
	denai_rpc_error_clear(&re);
	if (!json_is_object(res)) {
		json_decref(res);
		denai_err_set(err, DENAI_EPEER,
		    "malformed result: a receipt is not an object");
		return shape(r, "eth_sendRawTransactionSync", err);
	}
	*receipt = res;
	return 0;
}

int
denai_rpc_receipt(denai_rpc *r, const uint8_t hash[32], json_t **receipt,
    denai_err *err)
{
	json_t *p = json_pack("[o]", hex_json(hash, 32)), *res;

	*receipt = NULL;
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (call(r, "eth_getTransactionReceipt", p, &res, err) != 0)
		return -1;
	if (json_is_null(res)) {
		json_decref(res);
		return 0;
	}
	if (!json_is_object(res)) {
		json_decref(res);
		denai_err_set(err, DENAI_EPEER,
		    "malformed result: a receipt is not an object");
		return shape(r, "eth_getTransactionReceipt", err);
	}
	*receipt = res;
	return 0;
}

int
denai_rpc_get_logs(denai_rpc *r, const json_t *filter, json_t **logs,
    denai_err *err)
{
	json_t *p = json_pack("[O]", filter), *res;

	*logs = NULL;
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (call(r, "eth_getLogs", p, &res, err) != 0)
		return -1;
	if (!json_is_array(res)) {
		json_decref(res);
		denai_err_set(err, DENAI_EPEER,
		    "malformed result: logs are not an array");
		return shape(r, "eth_getLogs", err);
	}
	*logs = res;
	return 0;
}

/* An eth_getBlockByNumber result res (for block tag) as *b. */
static int
block_of(denai_rpc *r, const json_t *res, const char *tag,
    denai_rpc_block *b, denai_err *err)
{
	const json_t *fee;

	memset(b, 0, sizeof(*b));
	if (json_is_null(res))
		return denai_err_set(err, DENAI_EDATA, "eth_getBlockByNumber "
		    "to %s: no block %.40s", denai_rpc_endpoint(r), tag);
	if (!json_is_object(res)) {
		denai_err_set(err, DENAI_EPEER,
		    "malformed result: a block is not an object");
		goto bad;
	}
	if (denai_rpc_quantity_u64(&b->number, json_object_get(res, "number"),
	    err) != 0 ||
	    denai_rpc_quantity_u64(&b->timestamp, json_object_get(res,
	    "timestamp"), err) != 0 ||
	    get_bytes(json_object_get(res, "hash"), b->hash, 32, NULL, NULL,
	    err) != 0 ||
	    get_bytes(json_object_get(res, "parentHash"), b->parent_hash, 32,
	    NULL, NULL, err) != 0)
		goto bad;
	if ((fee = json_object_get(res, "baseFeePerGas")) != NULL) {
		if (denai_rpc_quantity(&b->base_fee, fee, err) != 0)
			goto bad;
		b->has_base_fee = 1;
	}
	/* the bloom only spares work: one that does not read is not used */
	b->has_bloom = get_bytes(json_object_get(res, "logsBloom"), b->bloom,
	    sizeof(b->bloom), NULL, NULL, NULL) == 0;
	return 0;
bad:
	return shape(r, "eth_getBlockByNumber", err);
}

int
denai_rpc_get_block(denai_rpc *r, const char *tag, denai_rpc_block *b,
    denai_err *err)
{
	json_t *p = json_pack("[sb]", tag, 0), *res;
	int rc;

	memset(b, 0, sizeof(*b));
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (call(r, "eth_getBlockByNumber", p, &res, err) != 0)
		return -1;
	rc = block_of(r, res, tag, b, err);
	json_decref(res);
	return rc;
}

json_t *
denai_rpc_fee_reqs(denai_rpc_req q[2])
{
	json_t *p = json_pack("[sb]", "latest", 0);

	memset(q, 0, 2 * sizeof(*q));
	q[0].method = "eth_getBlockByNumber";
	q[0].params = p;
	q[1].method = "eth_maxPriorityFeePerGas";
	return p;
}

int
denai_rpc_fee_read(denai_rpc *r, const denai_rpc_req q[2],
    denai_fee_figures *f, denai_err *err)
{
	denai_rpc_block b;

	memset(f, 0, sizeof(*f));
	if (q[0].error.set)
		return denai_err_set(err, DENAI_ESTATE, "eth_getBlockByNumber to "
		    "%s: %s (code %lld)", denai_rpc_endpoint(r),
		    q[0].error.message, q[0].error.code);
	if (block_of(r, q[0].result, "latest", &b, err) != 0)
		return -1;
	if (!b.has_base_fee)
		return denai_err_set(err, DENAI_EUNSUP, "eth_getBlockByNumber "
		    "to %s: the latest block has no base fee (before London)",
		    denai_rpc_endpoint(r));
	f->head = b.number;
	f->base = b.base_fee;
	f->has_priority = !q[1].error.set &&
	    denai_rpc_quantity(&f->priority, q[1].result, NULL) == 0;
	return 0;
}

int
denai_rpc_fee_figures(denai_rpc *r, denai_u256 *base, denai_u256 *priority,
    int *has_priority, denai_err *err)
{
	denai_rpc_req q[2];
	json_t *p = denai_rpc_fee_reqs(q);
	denai_fee_figures f;
	int rc = -1;

	*has_priority = 0;
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (denai_rpc_batch(r, q, 2, err) == 0 &&
	    denai_rpc_fee_read(r, q, &f, err) == 0) {
		*base = f.base;
		*priority = f.priority;
		*has_priority = f.has_priority;
		rc = 0;
	}
	denai_rpc_req_clear(&q[0]);
	denai_rpc_req_clear(&q[1]);
	json_decref(p);
	return rc;
}

json_t *
denai_rpc_tx_object(const uint8_t *to, const uint8_t *from,
    const uint8_t *data, size_t len, const char *value)
{
	char a[2 * 20 + 3];
	char *d;
	json_t *o = json_object();

	if (o == NULL || (d = denai_hex_dup(data, len)) == NULL) {
		json_decref(o);
		return NULL;
	}
	if (to != NULL)
		json_object_set_new(o, "to",
		    json_string(denai_hex_encode(a, to, 20)));
	if (from != NULL)
		json_object_set_new(o, "from",
		    json_string(denai_hex_encode(a, from, 20)));
	json_object_set_new(o, "data", json_string(d));
	if (value != NULL)
		json_object_set_new(o, "value", json_string(value));
	free(d);
	return o;
}
