/* task_record.c - task and submission records from the chain's views. */
#include "task/task_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

static void
set_u64(json_t *o, const char *k, uint64_t v)
{
	char d[24];

	snprintf(d, sizeof(d), "%llu", (unsigned long long)v);
	set_str(o, k, d);
}

static void
set_u256(json_t *o, const char *k, const denai_u256 *v)
{
	char d[DENAI_U256_DEC_MAX];

	set_str(o, k, denai_u256_to_dec(d, v));
}

static void
set_addr(json_t *o, const char *k, const uint8_t a[DENAI_ADDR_LEN])
{
	char h[DENAI_ADDR_HEX_MAX];

	set_str(o, k, denai_secp_addr_checksum(h, a));
}

static void
set_hash(json_t *o, const char *k, const uint8_t h[32])
{
	char x[67];

	set_str(o, k, denai_hex_encode(x, h, 32));
}

static json_t *
deadlines(const denai_task_info *t)
{
	json_t *d = json_object();

	for (unsigned i = 0; i < DENAI_DL_COUNT; i++)
		json_object_set_new(d, denai_task_deadline_name(i),
		    json_integer((json_int_t)t->deadlines[i]));
	return d;
}

/* The fields every record about task t carries. */
static json_t *
base(const char *type, const denai_task_info *t, uint64_t chain_id,
    const uint8_t contract[DENAI_ADDR_LEN])
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	set_str(o, "type", type);
	json_object_set_new(o, "chain_id", json_integer((json_int_t)chain_id));
	set_addr(o, "contract", contract);
	set_u64(o, "task_id", t->id);
	return o;
}

json_t *
denai_task_record(const denai_task_info *t, uint64_t chain_id,
    const uint8_t contract[DENAI_ADDR_LEN], const char *action)
{
	json_t *o = base("task", t, chain_id, contract);

	if (o == NULL)
		return NULL;
	set_str(o, "phase", denai_task_phase_name(t->phase));
	if (action != NULL)
		set_str(o, "action", action);
	set_addr(o, "creator", t->creator);
	set_str(o, "train_cid", t->train_cid);
	set_str(o, "test_cid", t->test_cid);
	set_str(o, "kind", denai_task_kind_name(t->kind));
	set_str(o, "label_column", t->label_column);
	json_object_set_new(o, "decimals", json_integer(t->decimals));
	json_object_set_new(o, "quorum", json_integer(t->quorum));
	set_u256(o, "reward", &t->reward);
	set_u256(o, "commit_bond", &t->commit_bond);
	json_object_set_new(o, "deadlines", deadlines(t));
	return o;
}

json_t *
denai_task_submission_record(const denai_task_info *t, uint64_t chain_id,
    const uint8_t contract[DENAI_ADDR_LEN],
    const uint8_t trainer[DENAI_ADDR_LEN], const denai_task_commit *c)
{
	json_t *o = base("submission", t, chain_id, contract);

	if (o == NULL)
		return NULL;
	set_addr(o, "trainer", trainer);
	json_object_set_new(o, "seq", json_integer(c->seq));
	set_str(o, "model_cid", c->model_cid);
	set_hash(o, "model_sha256", c->model_sha256);
	set_str(o, "test_cid", t->test_cid);
	set_str(o, "train_cid", t->train_cid);
	set_str(o, "kind", denai_task_kind_name(t->kind));
	set_str(o, "label_column", t->label_column);
	json_object_set_new(o, "decimals", json_integer(t->decimals));
	json_object_set_new(o, "deadlines", deadlines(t));
	return o;
}

json_t *
denai_task_show(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t chain_id, uint64_t id,
    denai_err *err)
{
	denai_task_info info;
	denai_task_commit c;
	denai_task_outcome oc;
	uint8_t (*tr)[DENAI_ADDR_LEN] = NULL;
	char score[DENAI_TASK_INT_MAX];
	size_t n = 0;
	json_t *o = NULL, *list;
	int settled;

	if (denai_tasks_get(t, rpc, at, id, &info, err) != 0)
		return NULL;
	if (info.phase == DENAI_TASK_NONE) {
		denai_err_set(err, DENAI_EDATA, "task %llu does not exist",
		    (unsigned long long)id);
		return NULL;
	}
	if (denai_tasks_trainers(t, rpc, at, id, &tr, &n, err) != 0)
		return NULL;
	if ((o = denai_task_record(&info, chain_id, at, NULL)) == NULL ||
	    (list = json_array()) == NULL)
		goto nomem;
	json_object_set_new(o, "trainers", list);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();

		if (e == NULL)
			goto nomem;
		if (denai_tasks_commit(t, rpc, at, id, tr[i], &c, err) != 0 ||
		    denai_tasks_score(t, rpc, at, id, tr[i], &settled, score,
		    err) != 0) {
			json_decref(e);
			goto fail;
		}
		set_addr(e, "trainer", tr[i]);
		json_object_set_new(e, "seq", json_integer(c.seq));
		set_hash(e, "seal", c.seal);
		json_object_set_new(e, "revealed", json_boolean(c.revealed));
		if (c.revealed) {
			set_str(e, "model_cid", c.model_cid);
			set_hash(e, "model_sha256", c.model_sha256);
		}
		json_object_set_new(e, "settled", json_boolean(settled));
		if (settled)
			set_str(e, "score", score);
		json_array_append_new(list, e);
	}
	if (info.phase == DENAI_TASK_FINALIZED) {
		json_t *e;

		if (denai_tasks_outcome(t, rpc, at, id, &oc, err) != 0)
			goto fail;
		if ((e = json_object()) == NULL)
			goto nomem;
		set_str(e, "outcome", denai_task_outcome_name(oc.outcome));
		if (oc.outcome == 1) {
			set_addr(e, "winner", oc.winner);
			set_str(e, "score", oc.score);
			set_u256(e, "model_id", &oc.model_id);
		}
		json_object_set_new(o, "outcome", e);
	}
	free(tr);
	return o;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
fail:
	free(tr);
	json_decref(o);
	return NULL;
}
