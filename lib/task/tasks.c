/* tasks.c - the tasks contract's signatures, typed views and sends. */
#include "task/tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eth/hex.h"
#include "node/contract.h"
#include "node/roles.h"

static const char *const fn_sigs[DENAI_TFN_COUNT] = {
	[DENAI_TFN_CREATE] = "createTask(string,bytes32,uint8,string,uint8,"
	    "uint64[5],uint8,uint96,uint96)(uint256)",
	[DENAI_TFN_CANCEL] = "cancelTask(uint256)",
	[DENAI_TFN_COMMIT_MODEL] = "commitModel(uint256,bytes32)",
	[DENAI_TFN_REVEAL_TEST] = "revealTestSet(uint256,string,bytes32)",
	[DENAI_TFN_REVEAL_MODEL] =
	    "revealModel(uint256,string,bytes32,bytes32)",
	[DENAI_TFN_COMMIT_SCORES] = "commitScores(uint256,bytes32)",
	[DENAI_TFN_REVEAL_SCORES] =
	    "revealScores(uint256,bool,address[],int256[],bytes32)",
	[DENAI_TFN_FINALIZE] = "finalize(uint256)",
	[DENAI_TFN_WITHDRAW] = "withdraw()",
	[DENAI_TFN_TASK_COUNT] = "taskCount()(uint256)",
	[DENAI_TFN_PHASE_OF] = "phaseOf(uint256)(uint8)",
	[DENAI_TFN_GET_TASK] = "getTask(uint256)(address,uint8,uint8,uint8,"
	    "uint8,uint256,uint256,uint64[5],string,string,string)",
	[DENAI_TFN_GET_OUTCOME] =
	    "getOutcome(uint256)(uint8,address,int256,uint256)",
	[DENAI_TFN_TRAINERS_OF] = "trainersOf(uint256)(address[])",
	[DENAI_TFN_GET_COMMIT] = "getCommit(uint256,address)(bytes32,uint32,"
	    "bool,string,bytes32)",
	[DENAI_TFN_SCORE_OF] = "scoreOf(uint256,address)(bool,int256)",
	[DENAI_TFN_VALIDATOR_STATE] =
	    "validatorState(uint256,address)(bool,bool)",
	[DENAI_TFN_OPEN_TASKS] = "openTasks(uint256,uint256)(uint256[])",
	[DENAI_TFN_OWED] = "owed(address)(uint256)",
};

static const char *const ev_sigs[DENAI_TEV_COUNT] = {
	[DENAI_TEV_CREATED] = "TaskCreated(uint256 indexed taskId,address "
	    "indexed creator,string trainCid,uint8 kind,string labelColumn,"
	    "uint8 decimals,uint64[5] deadlines,uint8 quorum,uint256 reward,"
	    "uint256 commitBond)",
	[DENAI_TEV_CANCELLED] = "TaskCancelled(uint256 indexed taskId)",
	[DENAI_TEV_MODEL_COMMITTED] = "ModelCommitted(uint256 indexed taskId,"
	    "address indexed trainer,bytes32 seal,uint32 seq)",
	[DENAI_TEV_TEST_REVEALED] = "TestSetRevealed(uint256 indexed taskId,"
	    "string testCid)",
	[DENAI_TEV_MODEL_REVEALED] = "ModelRevealed(uint256 indexed taskId,"
	    "address indexed trainer,string modelCid,bytes32 modelSha256)",
	[DENAI_TEV_SCORES_COMMITTED] = "ScoresCommitted(uint256 indexed "
	    "taskId,address indexed validator)",
	[DENAI_TEV_SCORES_REVEALED] = "ScoresRevealed(uint256 indexed taskId,"
	    "address indexed validator,bool testSetValid)",
	[DENAI_TEV_FINALIZED] = "TaskFinalized(uint256 indexed taskId,uint8 "
	    "outcome,address winner,int256 score,uint256 modelId)",
	[DENAI_TEV_WITHDRAWN] = "Withdrawn(address indexed who,uint256 amount)",
};

/* The errors the contract may revert with: IDenAITasks.sol's, kept in
 * step (an unknown selector still decodes to its hex, so a missing entry
 * only makes a message less clear). */
static const char *const err_sigs[] = {
	"UnknownTask(uint256)", "WrongPhase(uint256,uint8)",
	"InvalidDeadlines()", "InvalidQuorum(uint256,uint256)",
	"InvalidAmount()", "InvalidTask()", "NotCreator(uint256,address)",
	"HasCommits(uint256)", "WrongBond(uint256,uint256)",
	"TooManyTrainers(uint256)", "TooManyValidators(uint256)",
	"ZeroSeal()", "WrongSeal(uint256,address)",
	"NotCommitted(uint256,address)", "AlreadyCommitted(uint256,address)",
	"AlreadyRevealed(uint256,address)", "InvalidModelCid()",
	"NotValidator(address)", "NotEligible(uint256,address)",
	"UnknownTrainer(uint256,address)", "DuplicateTrainer(uint256,address)",
	"LengthMismatch()", "FinalizeGasTooLow(uint256)",
	"NothingToWithdraw(address)", "TransferFailed(address,uint256)",
	"AccessControlUnauthorizedAccount(address,bytes32)",
	"ReentrancyGuardReentrantCall()",
};
#define NERRS (sizeof(err_sigs) / sizeof(err_sigs[0]))

struct denai_tasks {
	denai_abi_sig *fn[DENAI_TFN_COUNT];
	denai_abi_sig *ev[DENAI_TEV_COUNT];
	denai_abi_sig *errs[NERRS];
};

denai_tasks *
denai_tasks_new(denai_err *err)
{
	denai_tasks *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < DENAI_TFN_COUNT; i++)
		if ((t->fn[i] = denai_abi_sig_parse(fn_sigs[i], err)) == NULL)
			goto fail;
	for (size_t i = 0; i < DENAI_TEV_COUNT; i++)
		if ((t->ev[i] = denai_abi_sig_parse(ev_sigs[i], err)) == NULL)
			goto fail;
	for (size_t i = 0; i < NERRS; i++)
		if ((t->errs[i] = denai_abi_sig_parse(err_sigs[i], err)) == NULL)
			goto fail;
	return t;
fail:
	denai_tasks_free(t);
	return NULL;
}

void
denai_tasks_free(denai_tasks *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < DENAI_TFN_COUNT; i++)
		denai_abi_sig_free(t->fn[i]);
	for (size_t i = 0; i < DENAI_TEV_COUNT; i++)
		denai_abi_sig_free(t->ev[i]);
	for (size_t i = 0; i < NERRS; i++)
		denai_abi_sig_free(t->errs[i]);
	free(t);
}

const denai_abi_sig *
denai_tasks_fn(const denai_tasks *t, enum denai_tasks_fn fn)
{
	return t->fn[fn];
}

const denai_abi_sig *
denai_tasks_event(const denai_tasks *t, enum denai_tasks_event ev)
{
	return t->ev[ev];
}

denai_abi_sig *const *
denai_tasks_errors(const denai_tasks *t, size_t *n)
{
	*n = NERRS;
	return t->errs;
}

const char *
denai_task_phase_name(unsigned phase)
{
	static const char *const names[] = { "none", "commit", "test_reveal",
	    "model_reveal", "score_commit", "score_reveal", "finalizable",
	    "finalized", "cancelled" };

	return phase < sizeof(names) / sizeof(names[0]) ? names[phase] :
	    "unknown";
}

const char *
denai_task_kind_name(unsigned kind)
{
	return kind == 0 ? "classification" : kind == 1 ? "regression" :
	    "unknown";
}

const char *
denai_task_outcome_name(unsigned outcome)
{
	static const char *const names[] = { "pending", "winner",
	    "no_valid_model", "test_set_invalid", "no_score" };

	return outcome < 5 ? names[outcome] : "unknown";
}

const char *
denai_task_deadline_name(unsigned i)
{
	static const char *const names[DENAI_DL_COUNT] = { "commit",
	    "test_reveal", "model_reveal", "score_commit", "score_reveal" };

	return i < DENAI_DL_COUNT ? names[i] : "unknown";
}

int
denai_tasks_calldata(const denai_tasks *t, enum denai_tasks_fn fn,
    const json_t *args, uint8_t **cd, size_t *len, denai_err *err)
{
	json_t *none = NULL;
	int rc;

	if (args == NULL)
		args = none = json_array();
	rc = denai_abi_calldata(cd, len, t->fn[fn], args, err);
	json_decref(none);
	return rc;
}

int
denai_tasks_call(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_tasks_fn fn,
    const json_t *args, json_t **result, denai_err *err)
{
	return denai_contract_call(rpc, result, NULL, at, NULL, t->fn[fn], args,
	    NULL, t->errs, NERRS, err);
}

void
denai_tasks_revert(const denai_tasks *t, const char *hex, char *name,
    size_t ncap, char *why, size_t wcap)
{
	denai_revert rv = { 0 };

	if (ncap > 0)
		name[0] = '\0';
	if (hex == NULL || denai_revert_decode(&rv, hex, (denai_abi_sig *const *)
	    t->errs, NERRS, NULL) != 0) {
		snprintf(why, wcap, "reverted without data");
		return;
	}
	snprintf(why, wcap, "%s", rv.message);
	if (ncap > 0)
		snprintf(name, ncap, "%s", rv.name);
	denai_revert_clear(&rv);
}

/* ---- typed views ---- */

static int
addr_of(uint8_t a[DENAI_ADDR_LEN], const json_t *s, denai_err *err)
{
	const char *x = json_string_value(s);

	if (x == NULL)
		return denai_err_set(err, DENAI_EDATA, "expected an address");
	return denai_hex_decode_exact(a, DENAI_ADDR_LEN, x, err);
}

static int
str_of(char *out, size_t cap, const json_t *s, denai_err *err)
{
	const char *x = json_string_value(s);

	if (x == NULL)
		return denai_err_set(err, DENAI_EDATA, "expected a string");
	if (strlen(x) >= cap)
		return denai_err_set(err, DENAI_EDATA, "string over %zu bytes",
		    cap - 1);
	memcpy(out, x, strlen(x) + 1);
	return 0;
}

static json_t *
id_args(uint64_t id, const uint8_t *addr)
{
	char a[2 * DENAI_ADDR_LEN + 3], d[24];

	snprintf(d, sizeof(d), "%llu", (unsigned long long)id);
	if (addr == NULL)
		return json_pack("[s]", d);
	return json_pack("[ss]", d, denai_hex_encode(a, addr, DENAI_ADDR_LEN));
}

/* Calls fn(id[, addr]). */
static int
call_id(const denai_tasks *t, denai_rpc *rpc, const uint8_t *at,
    enum denai_tasks_fn fn, uint64_t id, const uint8_t *addr, json_t **r,
    denai_err *err)
{
	json_t *args = id_args(id, addr);
	int rc;

	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_tasks_call(t, rpc, at, fn, args, r, err);
	json_decref(args);
	return rc;
}

int
denai_tasks_count(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t *n, denai_err *err)
{
	json_t *r;
	int rc;

	if (denai_tasks_call(t, rpc, at, DENAI_TFN_TASK_COUNT, NULL, &r,
	    err) != 0)
		return -1;
	rc = denai_abi_value_u64(n, json_array_get(r, 0), err);
	json_decref(r);
	return rc;
}

int
denai_tasks_phase(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id, unsigned *phase,
    denai_err *err)
{
	json_t *r;
	uint64_t p = 0;
	int rc;

	if (call_id(t, rpc, at, DENAI_TFN_PHASE_OF, id, NULL, &r, err) != 0)
		return -1;
	rc = denai_abi_value_u64(&p, json_array_get(r, 0), err);
	*phase = (unsigned)p;
	json_decref(r);
	return rc;
}

int
denai_tasks_get(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id, denai_task_info *info,
    denai_err *err)
{
	json_t *r;
	const json_t *dl;
	uint64_t v[4];
	int rc = -1;

	memset(info, 0, sizeof(*info));
	info->id = id;
	if (call_id(t, rpc, at, DENAI_TFN_GET_TASK, id, NULL, &r, err) != 0) {
		/* A contract may revert on an unknown id instead of
		 * returning zeros: that is phase none, not a failure. */
		if (err != NULL && err->code == DENAI_ESTATE &&
		    strstr(err->msg, "UnknownTask") != NULL) {
			info->phase = DENAI_TASK_NONE;
			return 0;
		}
		return -1;
	}
	dl = json_array_get(r, 7);
	if (addr_of(info->creator, json_array_get(r, 0), err) != 0)
		goto bad;
	for (int i = 0; i < 4; i++)
		if (denai_abi_value_u64(&v[i], json_array_get(r, 1 + i), err) != 0)
			goto bad;
	info->kind = (unsigned)v[0];
	info->decimals = (unsigned)v[1];
	info->quorum = (unsigned)v[2];
	info->phase = (unsigned)v[3];
	if (denai_abi_value_u256(&info->reward, json_array_get(r, 5), err) != 0 ||
	    denai_abi_value_u256(&info->commit_bond, json_array_get(r, 6), err) != 0 ||
	    json_array_size(dl) != DENAI_DL_COUNT)
		goto bad;
	for (unsigned i = 0; i < DENAI_DL_COUNT; i++)
		if (denai_abi_value_u64(&info->deadlines[i], json_array_get(dl, i), err) != 0)
			goto bad;
	if (str_of(info->train_cid, sizeof(info->train_cid),
	    json_array_get(r, 8), err) != 0 ||
	    str_of(info->test_cid, sizeof(info->test_cid),
	    json_array_get(r, 9), err) != 0 ||
	    str_of(info->label_column, sizeof(info->label_column),
	    json_array_get(r, 10), err) != 0)
		goto bad;
	rc = 0;
	goto out;
bad:
	denai_err_prefix(err, "getTask(%llu) result", (unsigned long long)id);
out:
	json_decref(r);
	return rc;
}

int
denai_tasks_outcome(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id, denai_task_outcome *o,
    denai_err *err)
{
	json_t *r;
	uint64_t oc = 0;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	if (call_id(t, rpc, at, DENAI_TFN_GET_OUTCOME, id, NULL, &r, err) != 0)
		return -1;
	if (denai_abi_value_u64(&oc, json_array_get(r, 0), err) != 0 ||
	    addr_of(o->winner, json_array_get(r, 1), err) != 0 ||
	    str_of(o->score, sizeof(o->score), json_array_get(r, 2), err) != 0 ||
	    denai_abi_value_u256(&o->model_id, json_array_get(r, 3), err) != 0)
		denai_err_prefix(err, "getOutcome(%llu) result",
		    (unsigned long long)id);
	else
		rc = 0;
	o->outcome = (unsigned)oc;
	json_decref(r);
	return rc;
}

int
denai_tasks_trainers(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    uint8_t (**trainers)[DENAI_ADDR_LEN], size_t *n, denai_err *err)
{
	json_t *r, *a;
	size_t i;

	*trainers = NULL;
	*n = 0;
	if (call_id(t, rpc, at, DENAI_TFN_TRAINERS_OF, id, NULL, &r, err) != 0)
		return -1;
	a = json_array_get(r, 0);
	if (json_array_size(a) > 0) {
		if ((*trainers = calloc(json_array_size(a),
		    DENAI_ADDR_LEN)) == NULL) {
			json_decref(r);
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		}
		for (i = 0; i < json_array_size(a); i++)
			if (addr_of((*trainers)[i], json_array_get(a, i),
			    err) != 0) {
				free(*trainers);
				*trainers = NULL;
				json_decref(r);
				return denai_err_prefix(err, "trainersOf");
			}
		*n = i;
	}
	json_decref(r);
	return 0;
}

int
denai_tasks_commit(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    const uint8_t trainer[DENAI_ADDR_LEN], denai_task_commit *c,
    denai_err *err)
{
	json_t *r;
	uint64_t seq = 0;
	const char *s, *h;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (call_id(t, rpc, at, DENAI_TFN_GET_COMMIT, id, trainer, &r,
	    err) != 0)
		return -1;
	s = json_string_value(json_array_get(r, 0));
	h = json_string_value(json_array_get(r, 4));
	if (s == NULL || denai_hex_decode_exact(c->seal, 32, s, err) != 0 ||
	    denai_abi_value_u64(&seq, json_array_get(r, 1), err) != 0 ||
	    str_of(c->model_cid, sizeof(c->model_cid), json_array_get(r, 3),
	    err) != 0 || h == NULL ||
	    denai_hex_decode_exact(c->model_sha256, 32, h, err) != 0)
		denai_err_prefix(err, "getCommit result");
	else
		rc = 0;
	c->seq = (uint32_t)seq;
	c->revealed = json_is_true(json_array_get(r, 2));
	json_decref(r);
	return rc;
}

int
denai_tasks_score(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    const uint8_t trainer[DENAI_ADDR_LEN], int *settled,
    char score[DENAI_TASK_INT_MAX], denai_err *err)
{
	json_t *r;
	int rc;

	if (call_id(t, rpc, at, DENAI_TFN_SCORE_OF, id, trainer, &r, err) != 0)
		return -1;
	*settled = json_is_true(json_array_get(r, 0));
	rc = str_of(score, DENAI_TASK_INT_MAX, json_array_get(r, 1), err);
	json_decref(r);
	return rc;
}

int
denai_tasks_validator_state(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    const uint8_t validator[DENAI_ADDR_LEN], int *committed, int *revealed,
    denai_err *err)
{
	json_t *r;

	if (call_id(t, rpc, at, DENAI_TFN_VALIDATOR_STATE, id, validator, &r,
	    err) != 0)
		return -1;
	*committed = json_is_true(json_array_get(r, 0));
	*revealed = json_is_true(json_array_get(r, 1));
	json_decref(r);
	return 0;
}

int
denai_tasks_open(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t offset, uint64_t limit,
    uint64_t **ids, size_t *n, denai_err *err)
{
	char o[24], l[24];
	json_t *args, *r, *a;
	size_t i;

	*ids = NULL;
	*n = 0;
	snprintf(o, sizeof(o), "%llu", (unsigned long long)offset);
	snprintf(l, sizeof(l), "%llu", (unsigned long long)limit);
	args = json_pack("[ss]", o, l);
	if (denai_tasks_call(t, rpc, at, DENAI_TFN_OPEN_TASKS, args, &r,
	    err) != 0) {
		json_decref(args);
		return -1;
	}
	json_decref(args);
	a = json_array_get(r, 0);
	if (json_array_size(a) > 0 &&
	    (*ids = calloc(json_array_size(a), sizeof(**ids))) == NULL) {
		json_decref(r);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	for (i = 0; i < json_array_size(a); i++)
		if (denai_abi_value_u64(&(*ids)[i], json_array_get(a, i), err) != 0) {
			free(*ids);
			*ids = NULL;
			json_decref(r);
			return denai_err_prefix(err, "openTasks");
		}
	*n = i;
	json_decref(r);
	return 0;
}

int
denai_tasks_owed(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const uint8_t who[DENAI_ADDR_LEN],
    denai_u256 *amount, denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3];
	json_t *args, *r;
	int rc;

	args = json_pack("[s]", denai_hex_encode(a, who, DENAI_ADDR_LEN));
	rc = denai_tasks_call(t, rpc, at, DENAI_TFN_OWED, args, &r, err);
	json_decref(args);
	if (rc != 0)
		return -1;
	rc = denai_abi_value_u256(amount, json_array_get(r, 0), err);
	json_decref(r);
	return rc;
}

int
denai_tasks_at(uint8_t at[DENAI_ADDR_LEN], const denai_deployment *d,
    denai_err *err)
{
	if (!d->has_tasks)
		return denai_err_set(err, DENAI_EUSAGE, "the deployment has no "
		    "tasks contract (deployed before it: run denai-deploy again)");
	memcpy(at, d->tasks, DENAI_ADDR_LEN);
	return 0;
}

int
denai_tasks_is_validator(denai_rpc *rpc, const uint8_t oracle[DENAI_ADDR_LEN],
    const uint8_t who[DENAI_ADDR_LEN], int *yes, denai_err *err)
{
	uint8_t id[32];
	char ih[67], a[2 * DENAI_ADDR_LEN + 3];
	denai_abi_sig *sig;
	json_t *args, *r;
	int rc = -1;

	*yes = 0;
	if (denai_role_id(id, "VALIDATOR_ROLE", err) != 0 ||
	    (sig = denai_abi_sig_parse("hasRole(bytes32,address)(bool)",
	    err)) == NULL)
		return -1;
	args = json_pack("[ss]", denai_hex_encode(ih, id, 32),
	    denai_hex_encode(a, who, DENAI_ADDR_LEN));
	if (denai_contract_call(rpc, &r, NULL, oracle, NULL, sig, args, NULL,
	    NULL, 0, err) == 0) {
		*yes = json_is_true(json_array_get(r, 0));
		json_decref(r);
		rc = 0;
	}
	json_decref(args);
	denai_abi_sig_free(sig);
	return rc;
}

int
denai_tasks_deadlines(denai_rpc *rpc, const uint64_t windows[DENAI_DL_COUNT],
    uint64_t deadlines[DENAI_DL_COUNT], denai_err *err)
{
	uint64_t head;

	if (denai_rpc_block_number(rpc, &head, err) != 0)
		return -1;
	for (unsigned i = 0; i < DENAI_DL_COUNT; i++) {
		if (windows[i] > UINT32_MAX)
			return denai_err_set(err, DENAI_EUSAGE, "a window of "
			    "%llu blocks", (unsigned long long)windows[i]);
		head += windows[i];
		deadlines[i] = head;
	}
	return 0;
}

int
denai_tasks_head(denai_rpc *rpc, uint64_t *head, denai_err *err)
{
	return denai_rpc_block_number(rpc, head, err);
}
