/* send.c - transactions to the tasks contract: estimate (reverts decoded
 * into the contract's error name), send, wait; the id of a created task. */
#include "task/tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eth/hex.h"

/* Turns a failed estimate into "fn would revert: Name(args)". */
static int
revert_err(const denai_tasks *t, const denai_rpc_error *re,
    enum denai_tasks_fn fn, char *errname, denai_err *err)
{
	char why[300];

	if (err == NULL || err->code != DENAI_ESTATE)
		return -1;
	denai_tasks_revert(t, re->set ? re->data : NULL, errname,
	    errname ? DENAI_TASK_ERRNAME_MAX : 0, why, sizeof(why));
	return denai_err_set(err, DENAI_ESTATE, "%s would revert: %s",
	    denai_tasks_fn(t, fn)->name, why);
}

int
denai_tasks_prepare(const denai_tasks *t, denai_sender *s, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_tasks_fn fn,
    const json_t *args, const denai_u256 *value, uint8_t **cd, size_t *cdlen,
    uint64_t *gas, char *errname, denai_err *err)
{
	denai_rpc_error re;

	(void)rpc;
	if (errname != NULL)
		errname[0] = '\0';
	*cd = NULL;
	if (denai_tasks_calldata(t, fn, args, cd, cdlen, err) != 0)
		return -1;
	memset(&re, 0, sizeof(re));
	if (denai_sender_estimate(s, gas, &re, at, *cd, *cdlen, value,
	    err) != 0) {
		free(*cd);
		*cd = NULL;
		(void)revert_err(t, &re, fn, errname, err);
		denai_rpc_error_clear(&re);
		return -1;
	}
	denai_rpc_error_clear(&re);
	*gas += *gas / 4;
	return 0;
}

int
denai_tasks_send_wait(const denai_tasks *t, denai_sender *s, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_tasks_fn fn,
    const json_t *args, const denai_u256 *value, uint64_t timeout_ms,
    json_t **receipt, uint8_t hash[32], char *errname, denai_err *err)
{
	uint8_t *cd;
	size_t cdlen;
	uint64_t gas, st = 0;
	int rc;

	*receipt = NULL;
	if (denai_tasks_prepare(t, s, rpc, at, fn, args, value, &cd, &cdlen,
	    &gas, errname, err) != 0)
		return -1;
	rc = denai_sender_send_wait(s, at, cd, cdlen, value, gas, timeout_ms,
	    receipt, hash, err);
	free(cd);
	if (rc != 0)
		return -1;
	if (denai_rpc_quantity_u64(&st, json_object_get(*receipt, "status"),
	    NULL) != 0 || st != 1)
		return denai_err_set(err, DENAI_ESTATE, "%s reverted on chain",
		    denai_tasks_fn(t, fn)->name);
	return 0;
}

int
denai_tasks_created_id(const denai_tasks *t, const json_t *receipt,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t *id, denai_err *err)
{
	uint8_t topic[32], a[DENAI_ADDR_LEN], idw[32];
	char t0[67];
	const json_t *logs = json_object_get(receipt, "logs"), *v;
	size_t i;

	denai_abi_topic0(topic, denai_tasks_event(t, DENAI_TEV_CREATED));
	denai_hex_encode(t0, topic, 32);
	json_array_foreach(logs, i, v) {
		const json_t *tp = json_object_get(v, "topics");
		const char *addr = json_string_value(json_object_get(v,
		    "address"));
		const char *s0 = json_string_value(json_array_get(tp, 0));
		const char *s1 = json_string_value(json_array_get(tp, 1));

		if (addr == NULL || s0 == NULL || s1 == NULL ||
		    strcasecmp(s0, t0) != 0 ||
		    denai_secp_addr_parse(a, addr, strlen(addr), NULL) != 0 ||
		    memcmp(a, at, DENAI_ADDR_LEN) != 0)
			continue;
		if (denai_hex_decode_exact(idw, 32, s1, err) != 0)
			return denai_err_prefix(err, "TaskCreated topic");
		for (int k = 0; k < 24; k++)
			if (idw[k] != 0)
				return denai_err_set(err, DENAI_EDATA,
				    "task id over 64 bits");
		*id = 0;
		for (int k = 24; k < 32; k++)
			*id = *id << 8 | idw[k];
		return 0;
	}
	return denai_err_set(err, DENAI_EDATA,
	    "the transaction emitted no TaskCreated");
}
