/* task_submit.c - the transaction a task record calls for, if any. */
#include "task/task_submit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"
#include "eth/txsend.h"
#include "node/record.h"

static const char *
str(const json_t *rec, const char *k)
{
	return json_string_value(json_object_get(rec, k));
}

static int
need(const char **v, const json_t *rec, const char *k, denai_err *err)
{
	if ((*v = str(rec, k)) == NULL)
		return denai_err_set(err, DENAI_EDATA, "task record has no "
		    "\"%s\"", k);
	return 0;
}

/* A "0x" 32-byte hex field. */
static int
hash32(const char **v, uint8_t out[32], const json_t *rec, const char *k,
    denai_err *err)
{
	if (need(v, rec, k, err) != 0)
		return -1;
	if (denai_hex_decode_exact(out, 32, *v, err) != 0)
		return denai_err_prefix(err, "\"%s\"", k);
	return 0;
}

/* Refuses a phase before the window (a record too early is a caller's
 * mistake); a phase after it is a skip. Returns 1 in window, 0 after. */
static int
window(unsigned phase, unsigned want, const char *action, denai_err *err)
{
	if (phase == want)
		return 1;
	if (phase == DENAI_TASK_NONE)
		return denai_err_set(err, DENAI_EDATA, "no such task");
	if (phase < want && phase != DENAI_TASK_TEST_REVEAL)
		return denai_err_set(err, DENAI_EDATA, "%s: the task is in "
		    "phase %s, too early", action, denai_task_phase_name(phase));
	if (phase == DENAI_TASK_TEST_REVEAL && want > phase)
		return denai_err_set(err, DENAI_EDATA, "%s: the test set is "
		    "not revealed yet", action);
	return 0;
}

int
denai_task_plan_record(denai_task_plan *p, const denai_tasks *t,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN],
    const uint8_t me[DENAI_ADDR_LEN], const json_t *rec, denai_err *err)
{
	const char *action = str(rec, "action"), *id_s = NULL, *s, *cid;
	uint8_t h[32], salt[32];
	unsigned long long id = 0;
	denai_task_info info;
	denai_task_commit c;
	denai_u256 owed;
	int committed, revealed, w;
	char *end;

	memset(p, 0, sizeof(*p));
	if (action == NULL)
		return denai_err_set(err, DENAI_EDATA, "task record has no "
		    "\"action\"");
	if (strcmp(action, "withdraw") == 0) {
		if (denai_tasks_owed(t, rpc, at, me, &owed, err) != 0)
			return -1;
		if (denai_u256_is_zero(&owed))
			p->skip = "nothing-owed";
		p->fn = DENAI_TFN_WITHDRAW;
		p->args = json_array();
		return 0;
	}
	if (need(&id_s, rec, "task_id", err) != 0)
		return -1;
	id = strtoull(id_s, &end, 10);
	if (*id_s == '\0' || *end != '\0')
		return denai_err_set(err, DENAI_EDATA, "\"task_id\" is not a "
		    "decimal number");
	if (denai_tasks_get(t, rpc, at, id, &info, err) != 0)
		return -1;
	if (info.phase == DENAI_TASK_NONE)
		return denai_err_set(err, DENAI_EDATA, "task %s does not exist",
		    id_s);
	if (strcmp(action, "commit") == 0) {
		if (hash32(&s, h, rec, "seal", err) != 0 ||
		    denai_tasks_commit(t, rpc, at, id, me, &c, err) != 0)
			return -1;
		if (memcmp(c.seal, h, 32) == 0)
			p->skip = "already-committed";
		else if ((w = window(info.phase, DENAI_TASK_COMMIT, action,
		    err)) < 0)
			return -1;
		else if (w == 0)
			p->skip = "closed";
		p->fn = DENAI_TFN_COMMIT_MODEL;
		p->args = json_pack("[ss]", id_s, s);
		p->has_value = 1;
		p->value = info.commit_bond;
	} else if (strcmp(action, "reveal") == 0) {
		if (need(&cid, rec, "model_cid", err) != 0 ||
		    hash32(&s, h, rec, "model_sha256", err) != 0 ||
		    hash32(&s, salt, rec, "salt", err) != 0 ||
		    denai_tasks_commit(t, rpc, at, id, me, &c, err) != 0)
			return -1;
		if (c.revealed)
			p->skip = "already-revealed";
		else if ((w = window(info.phase, DENAI_TASK_MODEL_REVEAL, action,
		    err)) < 0)
			return -1;
		else if (w == 0)
			p->skip = "closed";
		p->fn = DENAI_TFN_REVEAL_MODEL;
		p->args = json_pack("[ssss]", id_s, cid,
		    str(rec, "model_sha256"), str(rec, "salt"));
	} else if (strcmp(action, "score_commit") == 0 ||
	    strcmp(action, "score_reveal") == 0) {
		int reveal = action[6] == 'r';
		const json_t *tr = json_object_get(rec, "trainers"),
		    *sc = json_object_get(rec, "scores"),
		    *valid = json_object_get(rec, "test_valid");

		if (!reveal && hash32(&s, h, rec, "seal", err) != 0)
			return -1;
		if (reveal && (hash32(&s, salt, rec, "salt", err) != 0 ||
		    !json_is_array(tr) || !json_is_array(sc) ||
		    !json_is_boolean(valid)))
			return denai_err_set(err, DENAI_EDATA, "score_reveal "
			    "needs \"test_valid\" (a boolean), \"trainers\", "
			    "\"scores\" (arrays) and \"salt\"");
		if (denai_tasks_validator_state(t, rpc, at, id, me, &committed,
		    &revealed, err) != 0)
			return -1;
		if (reveal ? revealed : committed)
			p->skip = reveal ? "already-revealed" :
			    "already-committed";
		else if ((w = window(info.phase, reveal ?
		    DENAI_TASK_SCORE_REVEAL : DENAI_TASK_SCORE_COMMIT, action,
		    err)) < 0)
			return -1;
		else if (w == 0)
			p->skip = "closed";
		if (reveal) {
			json_t *scores = json_array();
			size_t i;
			const json_t *v;

			/* int256 as decimal strings, whatever JSON gave. */
			json_array_foreach(sc, i, v)
				if (json_is_integer(v)) {
					char d[32];
					snprintf(d, sizeof(d), "%lld",
					    (long long)json_integer_value(v));
					json_array_append_new(scores,
					    json_string(d));
				} else {
					json_array_append(scores, (json_t *)v);
				}
			p->fn = DENAI_TFN_REVEAL_SCORES;
			p->args = json_pack("[sbOos]", id_s, json_is_true(valid),
			    (json_t *)tr, scores, str(rec, "salt"));
		} else {
			p->fn = DENAI_TFN_COMMIT_SCORES;
			p->args = json_pack("[ss]", id_s, s);
		}
	} else if (strcmp(action, "finalize") == 0) {
		if (info.phase == DENAI_TASK_FINALIZED)
			p->skip = "already-finalized";
		else if (info.phase == DENAI_TASK_CANCELLED)
			p->skip = "closed";
		else if (info.phase != DENAI_TASK_FINALIZABLE)
			return denai_err_set(err, DENAI_EDATA, "finalize: the "
			    "task is in phase %s, too early",
			    denai_task_phase_name(info.phase));
		p->fn = DENAI_TFN_FINALIZE;
		p->args = json_pack("[s]", id_s);
	} else {
		return denai_err_set(err, DENAI_EDATA, "unknown task action "
		    "\"%s\"", action);
	}
	if (p->args == NULL)
		return denai_err_set(err, DENAI_EDATA, "task record: bad "
		    "field values for %s", action);
	return 0;
}

void
denai_task_plan_free(denai_task_plan *p)
{
	json_decref(p->args);
	p->args = NULL;
}

int
denai_task_submit(const denai_tasks *t, denai_sender *sender,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN], json_t *rec,
    unsigned long line, unsigned *ticket, json_t **out)
{
	char name[DENAI_TASK_ERRNAME_MAX] = "";
	denai_task_plan p;
	uint8_t *cd = NULL;
	size_t cdlen;
	uint64_t gas;
	denai_err err;

	*out = NULL;
	if (denai_record_is(rec, "submission")) {
		*out = json_incref(rec);
		json_object_set_new(*out, "status", json_string("scored"));
		return 0;
	}
	if (denai_task_plan_record(&p, t, rpc, at, denai_sender_address(sender),
	    rec, &err) != 0)
		goto bad;
	if (p.skip != NULL) {
		*out = json_incref(rec);
		json_object_set_new(*out, "status", json_string(p.skip));
		denai_task_plan_free(&p);
		return 0;
	}
	if (denai_tasks_prepare(t, sender, rpc, at, p.fn, p.args, p.has_value ?
	    &p.value : NULL, &cd, &cdlen, &gas, name, &err) != 0) {
		denai_task_plan_free(&p);
		/* Another node may have done it (finalize), or the window
		 * closed, since the check: asked again, the chain says so. */
		if (err.code == DENAI_ESTATE && denai_task_plan_record(&p, t,
		    rpc, at, denai_sender_address(sender), rec, NULL) == 0 &&
		    p.skip != NULL) {
			*out = json_incref(rec);
			json_object_set_new(*out, "status", json_string(p.skip));
			denai_task_plan_free(&p);
			return 0;
		}
		denai_task_plan_free(&p);
		goto bad;
	}
	if (denai_sender_send(sender, at, cd, cdlen, p.has_value ? &p.value :
	    NULL, gas, ticket, NULL, NULL, &err) != 0) {
		denai_task_plan_free(&p);
		goto bad;
	}
	denai_task_plan_free(&p);
	free(cd);
	return 1;
bad:
	free(cd);
	*out = denai_record_error_new("submit", rec, line, err.msg);
	if (*out != NULL && name[0] != '\0')
		json_object_set_new(*out, "revert", json_string(name));
	return 0;
}
