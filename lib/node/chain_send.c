/* node/chain_send.c - sends to the DenAI contracts, decoded
 * (chain_send.h). */
#include "node/chain_send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eth/hex.h"
#include "eth/units.h"
#include "node/funds.h"

void
denai_chain_tx_clear(denai_chain_tx *tx)
{
	json_decref(tx->receipt);
	denai_revert_clear(&tx->revert);
	memset(tx, 0, sizeof(*tx));
}

int
denai_chain_revert_denied(const denai_revert *rv)
{
	return denai_revert_is(rv, "AccessControlUnauthorizedAccount") ||
	    denai_revert_is(rv, "NotModelOwner");
}

int
denai_chain_estimate(const denai_chain *c, denai_sender *s, uint64_t *gas,
    denai_revert *rv, const uint8_t to[DENAI_ADDR_LEN], const uint8_t *cd,
    size_t cdlen, const denai_u256 *value, denai_err *err)
{
	denai_abi_sig *const *errs;
	denai_rpc_error re = { 0 };
	size_t nerrs;
	int rc;

	denai_revert_clear(rv);
	errs = denai_oracle_errors(c->oracle, &nerrs);
	rc = denai_sender_estimate(s, gas, &re, to, cd, cdlen, value, err);
	if (rc != 0 && err != NULL && err->code == DENAI_ESTATE)
		(void)denai_revert_from_rpc(rv, &re, errs, nerrs);
	denai_rpc_error_clear(&re);
	return rc;
}

const char *
denai_chain_submit_outcome(const denai_revert *rv)
{
	if (denai_revert_is(rv, "RequestNotOpen") ||
	    denai_revert_is(rv, "RequestExpired"))
		return "closed";
	if (denai_revert_is(rv, "AlreadySubmitted"))
		return "already-submitted";
	return NULL;
}

int
denai_chain_send(const denai_chain *c, denai_sender *s, denai_chain_tx *tx,
    const uint8_t to[DENAI_ADDR_LEN], enum denai_oracle_fn fn,
    const json_t *args, const denai_u256 *value, uint64_t timeout_ms,
    denai_err *err)
{
	const char *name = denai_oracle_fn(c->oracle, fn)->name;
	denai_abi_sig *const *errs;
	denai_rpc_error re = { 0 };
	uint8_t *cd = NULL;
	size_t cdlen, nerrs;
	uint64_t gas, st = 0;
	int rc = -1;

	memset(tx, 0, sizeof(*tx));
	errs = denai_oracle_errors(c->oracle, &nerrs);
	if (denai_oracle_calldata(c->oracle, fn, args, &cd, &cdlen, err) != 0)
		return -1;
	if (denai_sender_gas_limit(s, &gas, &re, to, cd, cdlen, value,
	    err) != 0) {
		if (err != NULL && err->code == DENAI_ESTATE &&
		    denai_revert_from_rpc(&tx->revert, &re, errs, nerrs))
			denai_err_set(err, DENAI_EDATA, "%s would revert: %s",
			    name, tx->revert.message);
		goto out;
	}
	if (denai_sender_send_wait(s, to, cd, cdlen, value, gas, timeout_ms,
	    &tx->receipt, tx->hash, err) != 0)
		goto out;
	if (denai_rpc_quantity_u64(&st, json_object_get(tx->receipt,
	    "status"), NULL) != 0 || st != 1) {
		tx->revert.set = 1;
		snprintf(tx->revert.message, sizeof(tx->revert.message),
		    "reverted on chain");
		denai_err_set(err, DENAI_EDATA, "%s reverted", name);
		goto out;
	}
	rc = 0;
out:
	denai_rpc_error_clear(&re);
	free(cd);
	return rc;
}

const json_t *
denai_chain_receipt_log(const denai_chain *c, const json_t *receipt,
    enum denai_oracle_event ev)
{
	uint8_t topic[32];
	char t0[2 * 32 + 3];
	const json_t *v;
	size_t i;

	denai_oracle_topic0(c->oracle, topic, ev);
	denai_hex_encode(t0, topic, 32);
	json_array_foreach(json_object_get(receipt, "logs"), i, v) {
		const char *tp = json_string_value(json_array_get(
		    json_object_get(v, "topics"), 0));

		if (tp != NULL && strcasecmp(tp, t0) == 0)
			return v;
	}
	return NULL;
}

/*
 * The sender must hold the tip plus the most the request's gas can cost
 * (node/funds.h): a tip equal to the balance is bad input here, not a
 * failure at the node.
 */
static int
check_funds(const denai_chain *c, const uint8_t addr[DENAI_ADDR_LEN],
    const uint8_t to[DENAI_ADDR_LEN], enum denai_oracle_fn fn,
    const json_t *args, const denai_u256 *tip, denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3], e1[DENAI_U256_DEC_MAX + 2],
	    e2[DENAI_U256_DEC_MAX + 2], e3[DENAI_U256_DEC_MAX + 2];
	denai_u256 need, bal, gas;
	uint8_t *cd = NULL;
	size_t cdlen;
	int rc;

	if (denai_oracle_calldata(c->oracle, fn, args, &cd, &cdlen, err) != 0)
		return -1;
	rc = denai_funds_check(c, addr, to, cd, cdlen, tip, &need, &bal,
	    err);
	free(cd);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	denai_hex_encode(a, addr, DENAI_ADDR_LEN);
	if (denai_u256_sub(&gas, &need, tip) != 0 || denai_u256_is_zero(&gas))
		return denai_err_set(err, DENAI_EDATA, "insufficient funds: "
		    "the tip is %s ether, %s holds %s ether",
		    denai_units_ether(e1, tip), a, denai_units_ether(e2, &bal));
	return denai_err_set(err, DENAI_EDATA, "insufficient funds: the tip "
	    "is %s ether plus up to %s ether of gas, %s holds %s ether",
	    denai_units_ether(e1, tip), denai_units_ether(e3, &gas), a,
	    denai_units_ether(e2, &bal));
}

int
denai_chain_request_send(const denai_chain *c, denai_sender *s,
    json_t **rec, denai_chain_tx *tx, const denai_request_new *rq,
    uint64_t timeout_ms, denai_err *err)
{
	char tip[DENAI_U256_DEC_MAX];
	const json_t *log;
	json_t *args;
	enum denai_oracle_fn fn = rq->via != NULL ?
	    (rq->sealed ? DENAI_FN_CONSUMER_REQUEST_SEALED :
	    DENAI_FN_CONSUMER_REQUEST) :
	    (rq->sealed ? DENAI_FN_REQUEST_SEALED : DENAI_FN_REQUEST);
	int rc;

	*rec = NULL;
	memset(tx, 0, sizeof(*tx));
	denai_u256_to_dec(tip, &rq->tip);
	args = json_pack("[sss]", rq->model_id, rq->data_cid,
	    rq->via != NULL ? tip : rq->callback_gas);
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (check_funds(c, denai_sender_address(s), rq->via != NULL ?
	    rq->via : c->dep->oracle, fn, args, &rq->tip, err) != 0) {
		json_decref(args);
		return -1;
	}
	rc = denai_chain_send(c, s, tx, rq->via != NULL ? rq->via :
	    c->dep->oracle, fn, args, &rq->tip, timeout_ms, err);
	json_decref(args);
	if (rc != 0)
		return -1;
	if ((log = denai_chain_receipt_log(c, tx->receipt,
	    DENAI_EV_REQUESTED)) != NULL &&
	    (*rec = denai_oracle_request_record(c->oracle, log, c->chain_id,
	    err)) == NULL)
		return -1;
	if (*rec != NULL && rq->sealed)
		json_object_set_new(*rec, "sealed", json_true());
	return 0;
}

int
denai_chain_request_cancel(const denai_chain *c, denai_sender *s,
    denai_chain_tx *tx, const uint8_t *via, const char *id,
    uint64_t timeout_ms, denai_err *err)
{
	json_t *args = json_pack("[s]", id);
	int rc;

	memset(tx, 0, sizeof(*tx));
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_chain_send(c, s, tx, via != NULL ? via : c->dep->oracle,
	    via != NULL ? DENAI_FN_CONSUMER_CANCEL : DENAI_FN_CANCEL, args,
	    NULL, timeout_ms, err);
	json_decref(args);
	return rc;
}

int
denai_chain_request_wait(const denai_chain *c, denai_request_info *info,
    const char *id, uint64_t timeout_ms, denai_chain_wait_fn fn, void *ctx,
    denai_err *err)
{
	uint64_t start = denai_now_ms(), elapsed;
	denai_u256 rid;

	if (denai_u256_parse(&rid, id, strlen(id), err) != 0)
		return -1;
	for (;;) {
		struct timespec pause = { 0, 250 * 1000000 };

		if (denai_chain_request(c, info, &rid, err) != 0)
			return -1;
		if (info->status != DENAI_REQ_OPEN)
			return 0;
		elapsed = denai_now_ms() - start;
		if (elapsed > timeout_ms)
			return denai_err_set(err, DENAI_ESTATE, "request %s "
			    "still open after %llu s (%llu submissions)", id,
			    (unsigned long long)(timeout_ms / 1000),
			    (unsigned long long)info->submissions);
		if (fn != NULL)
			fn(ctx, id, info, elapsed);
		nanosleep(&pause, NULL);
	}
}

int
denai_chain_model_register(const denai_chain *c, denai_sender *s,
    char model_id[DENAI_U256_DEC_MAX], denai_chain_tx *tx, const char *cid,
    const uint8_t sha256[32], const char *decimals, const char *description,
    uint64_t timeout_ms, denai_err *err)
{
	char sha[2 * 32 + 3];
	const json_t *log;
	const char *mid;
	json_t *args, *dec;
	int rc;

	model_id[0] = '\0';
	memset(tx, 0, sizeof(*tx));
	args = json_pack("[ssss]", cid, denai_hex_encode(sha, sha256, 32),
	    decimals, description);
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_chain_send(c, s, tx, c->dep->oracle,
	    DENAI_FN_REGISTER_MODEL, args, NULL, timeout_ms, err);
	json_decref(args);
	if (rc != 0)
		return -1;
	if ((log = denai_chain_receipt_log(c, tx->receipt,
	    DENAI_EV_MODEL_REGISTERED)) == NULL)
		return 0;
	if ((dec = denai_oracle_decode_log(c->oracle,
	    DENAI_EV_MODEL_REGISTERED, log, err)) == NULL)
		return -1;
	mid = json_string_value(json_object_get(json_object_get(dec, "named"),
	    "modelId"));
	snprintf(model_id, DENAI_U256_DEC_MAX, "%s", mid != NULL ? mid : "");
	json_decref(dec);
	return 0;
}

int
denai_chain_model_retire(const denai_chain *c, denai_sender *s,
    denai_chain_tx *tx, const char *id, uint64_t timeout_ms, denai_err *err)
{
	json_t *args = json_pack("[s]", id);
	int rc;

	memset(tx, 0, sizeof(*tx));
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_chain_send(c, s, tx, c->dep->oracle, DENAI_FN_RETIRE_MODEL,
	    args, NULL, timeout_ms, err);
	json_decref(args);
	if (rc != 0 && tx->revert.set && tx->revert.name[0] == '\0' &&
	    tx->receipt != NULL)
		denai_err_set(err, DENAI_EDATA, "retireModel %s reverted", id);
	return rc;
}
