/* result.c - a request's outcome from its state and its logs. */
#include "node/result.h"

#include <stdio.h>
#include <string.h>

#include "eth/hex.h"

int
denai_request_logs(const denai_oracle *o, denai_rpc *rpc,
    const denai_deployment *dep, enum denai_oracle_event ev, const char *id,
    json_t **logs, denai_err *err)
{
	uint8_t topic[32], be[32];
	char t0[67], t1[67], a[2 * DENAI_ADDR_LEN + 3], from[24];
	denai_u256 rid;
	json_t *f;
	int rc;

	*logs = NULL;
	if (denai_u256_parse(&rid, id, strlen(id), err) != 0)
		return denai_err_prefix(err, "request id");
	denai_u256_to_be32(be, &rid);
	denai_abi_topic0(topic, denai_oracle_event(o, ev));
	snprintf(from, sizeof(from), "0x%llx", (unsigned long long)dep->block);
	f = json_pack("{s:s,s:[ss],s:s,s:s}", "address",
	    denai_hex_encode(a, dep->oracle, DENAI_ADDR_LEN), "topics",
	    denai_hex_encode(t0, topic, 32), denai_hex_encode(t1, be, 32),
	    "fromBlock", from, "toBlock", "latest");
	rc = denai_rpc_get_logs(rpc, f, logs, err);
	json_decref(f);
	return rc;
}

/* Adds the submissions, and the miners who gave winning (may be NULL). */
static int
add_submissions(const denai_oracle *o, denai_rpc *rpc,
    const denai_deployment *dep, const char *id, const char *winning,
    json_t *res, denai_err *err)
{
	json_t *subs = json_array(), *agreed = json_array(), *logs, *v, *dec, *n;
	const char *p;
	size_t i;
	int rc = -1;

	if (denai_request_logs(o, rpc, dep, DENAI_EV_SUBMITTED, id, &logs,
	    err) != 0)
		goto out;
	json_array_foreach(logs, i, v) {
		if ((dec = denai_oracle_decode_log(o, DENAI_EV_SUBMITTED, v,
		    err)) == NULL)
			goto out;
		n = json_object_get(dec, "named");
		json_array_append_new(subs, json_pack("{s:O,s:O,s:O}", "miner",
		    json_object_get(n, "miner"), "prediction",
		    json_object_get(n, "prediction"), "tx_hash",
		    json_object_get(v, "transactionHash")));
		p = json_string_value(json_object_get(n, "prediction"));
		if (winning != NULL && p != NULL && strcmp(winning, p) == 0)
			json_array_append(agreed, json_object_get(n, "miner"));
		json_decref(dec);
	}
	json_object_set(res, "submissions", subs);
	json_object_set(res, "agreed", agreed);
	rc = 0;
out:
	json_decref(logs);
	json_decref(subs);
	json_decref(agreed);
	return rc;
}

json_t *
denai_request_result(const denai_oracle *o, denai_rpc *rpc,
    const denai_deployment *dep, const char *id, denai_err *err)
{
	denai_request_info info;
	denai_u256 rid;
	char pd[DENAI_U256_DEC_MAX], md[DENAI_U256_DEC_MAX],
	    a[DENAI_ADDR_HEX_MAX];
	json_t *res, *logs = NULL;
	int done;

	if (denai_u256_parse(&rid, id, strlen(id), err) != 0 ||
	    denai_oracle_get_request(o, rpc, dep->oracle, &rid, &info, err) != 0)
		return NULL;
	if (info.status == DENAI_REQ_NONE) {
		denai_err_set(err, DENAI_EDATA, "request %s does not exist", id);
		return NULL;
	}
	done = info.status == DENAI_REQ_FULFILLED;
	res = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "result",
	    "request_id", id, "status", denai_request_status_name(info.status),
	    "model_id", denai_u256_to_dec(md, &info.model_id), "data_cid",
	    info.data_cid, "requester",
	    denai_secp_addr_checksum(a, info.requester));
	if (done) {
		json_object_set_new(res, "prediction",
		    json_string(denai_u256_to_dec(pd, &info.prediction)));
		json_object_set_new(res, "callback_ok",
		    json_boolean(info.callback_ok));
	}
	if (add_submissions(o, rpc, dep, id, done ? pd : NULL, res, err) != 0 ||
	    denai_request_logs(o, rpc, dep, DENAI_EV_FULFILLED, id, &logs,
	    err) != 0) {
		json_decref(res);
		return NULL;
	}
	if (json_array_size(logs) > 0)
		json_object_set(res, "fulfil_tx_hash", json_object_get(
		    json_array_get(logs, 0), "transactionHash"));
	json_decref(logs);
	return res;
}
