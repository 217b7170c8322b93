/*
 * tasks.h - the tasks contract (contracts/src/DenAITasks.sol) as the C
 * tools see it: its function, event and error signatures (parsed once),
 * typed reads of its views into structs, calldata for its transactions,
 * and reverts decoded into the contract's error name.
 *
 * The surface is docs/platform.md. A denai_tasks is a heap object from
 * denai_tasks_new, freed with denai_tasks_free; it holds parsed signatures
 * only and may be shared read-only between threads. Task ids are uint256
 * on chain; the C side takes them as uint64_t (a larger id is refused as
 * bad data).
 */
#ifndef DENAI_TASKS_H
#define DENAI_TASKS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "eth/abi.h"
#include "err.h"
#include "eth/rpc.h"
#include "eth/secp.h"
#include "eth/txsend.h"
#include "eth/u256.h"
#include "node/deployment.h"

enum denai_tasks_fn {
	DENAI_TFN_CREATE,		/* createTask(...)(uint256) */
	DENAI_TFN_CANCEL,		/* cancelTask(uint256) */
	DENAI_TFN_COMMIT_MODEL,		/* commitModel(uint256,bytes32) */
	DENAI_TFN_REVEAL_TEST,		/* revealTestSet(uint256,string,bytes32) */
	DENAI_TFN_REVEAL_MODEL,		/* revealModel(uint256,string,bytes32,bytes32) */
	DENAI_TFN_COMMIT_SCORES,	/* commitScores(uint256,bytes32) */
	DENAI_TFN_REVEAL_SCORES,	/* revealScores(uint256,bool,address[],int256[],bytes32) */
	DENAI_TFN_FINALIZE,		/* finalize(uint256) */
	DENAI_TFN_WITHDRAW,		/* withdraw() */
	DENAI_TFN_TASK_COUNT,		/* taskCount()(uint256) */
	DENAI_TFN_PHASE_OF,		/* phaseOf(uint256)(uint8) */
	DENAI_TFN_GET_TASK,		/* getTask(uint256)(...) */
	DENAI_TFN_GET_OUTCOME,		/* getOutcome(uint256)(uint8,address,int256,uint256) */
	DENAI_TFN_TRAINERS_OF,		/* trainersOf(uint256)(address[]) */
	DENAI_TFN_GET_COMMIT,		/* getCommit(uint256,address)(...) */
	DENAI_TFN_SCORE_OF,		/* scoreOf(uint256,address)(bool,int256) */
	DENAI_TFN_VALIDATOR_STATE,	/* validatorState(uint256,address)(bool,bool) */
	DENAI_TFN_OPEN_TASKS,		/* openTasks(uint256,uint256)(uint256[]) */
	DENAI_TFN_OWED,			/* owed(address)(uint256) */
	DENAI_TFN_COUNT
};

enum denai_tasks_event {
	DENAI_TEV_CREATED,		/* TaskCreated */
	DENAI_TEV_CANCELLED,
	DENAI_TEV_MODEL_COMMITTED,
	DENAI_TEV_TEST_REVEALED,
	DENAI_TEV_MODEL_REVEALED,
	DENAI_TEV_SCORES_COMMITTED,
	DENAI_TEV_SCORES_REVEALED,
	DENAI_TEV_FINALIZED,
	DENAI_TEV_WITHDRAWN,
	DENAI_TEV_COUNT
};

/* phaseOf's values. */
enum denai_task_phase {
	DENAI_TASK_NONE = 0,
	DENAI_TASK_COMMIT = 1,
	DENAI_TASK_TEST_REVEAL = 2,
	DENAI_TASK_MODEL_REVEAL = 3,
	DENAI_TASK_SCORE_COMMIT = 4,
	DENAI_TASK_SCORE_REVEAL = 5,
	DENAI_TASK_FINALIZABLE = 6,
	DENAI_TASK_FINALIZED = 7,
	DENAI_TASK_CANCELLED = 8,
};

/* Deadline slots, in order. */
enum denai_task_deadline {
	DENAI_DL_COMMIT, DENAI_DL_TEST_REVEAL, DENAI_DL_MODEL_REVEAL,
	DENAI_DL_SCORE_COMMIT, DENAI_DL_SCORE_REVEAL, DENAI_DL_COUNT
};

#define DENAI_TASK_KIND_CLASSIFICATION 0
#define DENAI_TASK_KIND_REGRESSION 1

#define DENAI_TASK_CID_MAX 128		/* CID text, NUL included */
#define DENAI_TASK_LABEL_MAX 256	/* label column name, NUL included */
#define DENAI_TASK_INT_MAX 80		/* int256 in decimal, NUL included */

typedef struct denai_task_info {
	uint64_t id;
	uint8_t creator[DENAI_ADDR_LEN];
	unsigned kind, decimals, quorum, phase;
	denai_u256 reward, commit_bond;
	uint64_t deadlines[DENAI_DL_COUNT];
	char train_cid[DENAI_TASK_CID_MAX];
	char test_cid[DENAI_TASK_CID_MAX];	/* "" until revealed */
	char label_column[DENAI_TASK_LABEL_MAX];
} denai_task_info;

typedef struct denai_task_commit {
	uint8_t seal[32];		/* all zero: no commit */
	uint32_t seq;
	int revealed;
	char model_cid[DENAI_TASK_CID_MAX];
	uint8_t model_sha256[32];
} denai_task_commit;

typedef struct denai_task_outcome {
	unsigned outcome;		/* 0 none yet, 1 winner, 2..4 see docs */
	uint8_t winner[DENAI_ADDR_LEN];
	char score[DENAI_TASK_INT_MAX];	/* int256, decimal */
	denai_u256 model_id;
} denai_task_outcome;

typedef struct denai_tasks denai_tasks;

denai_tasks *denai_tasks_new(denai_err *err);
void denai_tasks_free(denai_tasks *t);

const denai_abi_sig *denai_tasks_fn(const denai_tasks *t,
    enum denai_tasks_fn fn);
const denai_abi_sig *denai_tasks_event(const denai_tasks *t,
    enum denai_tasks_event ev);
/* The contract's custom errors (and AccessControl's), for reverts. */
denai_abi_sig *const *denai_tasks_errors(const denai_tasks *t, size_t *n);

/* Returns: the phase's name ("commit", "test_reveal", ...; "unknown"). */
const char *denai_task_phase_name(unsigned phase);
/* Returns: "classification", "regression" or "unknown". */
const char *denai_task_kind_name(unsigned kind);
/* Returns: the outcome's name ("pending", "winner", "no_valid_model",
 * "test_set_invalid", "no_score"), or "unknown". */
const char *denai_task_outcome_name(unsigned outcome);
/* Returns: the deadline's record key ("commit", ..., "score_reveal"). */
const char *denai_task_deadline_name(unsigned i);

/* Calldata for fn with args (a JSON array). Out: *cd malloc'd. */
int denai_tasks_calldata(const denai_tasks *t, enum denai_tasks_fn fn,
    const json_t *args, uint8_t **cd, size_t *len, denai_err *err)
    DENAI_WUR;

/* eth_call of a view fn on the contract at. Out: *result array. */
int denai_tasks_call(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], enum denai_tasks_fn fn,
    const json_t *args, json_t **result, denai_err *err) DENAI_WUR;

/*
 * The contract's error name and a line for people, from revert data (hex
 * text as nodes send it, NULL for none).
 * Out: name (cap bytes; "" when there is no custom error), why.
 */
void denai_tasks_revert(const denai_tasks *t, const char *hex, char *name,
    size_t ncap, char *why, size_t wcap);

/* Typed reads. Each returns 0, or -1 (a revert is DENAI_ESTATE). */
int denai_tasks_count(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t *n, denai_err *err) DENAI_WUR;
int denai_tasks_phase(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id, unsigned *phase,
    denai_err *err) DENAI_WUR;
/* getTask; a task that does not exist has phase DENAI_TASK_NONE. */
int denai_tasks_get(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id, denai_task_info *info,
    denai_err *err) DENAI_WUR;
int denai_tasks_outcome(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id, denai_task_outcome *o,
    denai_err *err) DENAI_WUR;
/* Out: *trainers (malloc'd, *n addresses; NULL when none). */
int denai_tasks_trainers(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    uint8_t (**trainers)[DENAI_ADDR_LEN], size_t *n, denai_err *err)
    DENAI_WUR;
int denai_tasks_commit(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    const uint8_t trainer[DENAI_ADDR_LEN], denai_task_commit *c,
    denai_err *err) DENAI_WUR;
/* Out: *settled, score (decimal int256). */
int denai_tasks_score(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    const uint8_t trainer[DENAI_ADDR_LEN], int *settled,
    char score[DENAI_TASK_INT_MAX], denai_err *err) DENAI_WUR;
int denai_tasks_validator_state(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t id,
    const uint8_t validator[DENAI_ADDR_LEN], int *committed, int *revealed,
    denai_err *err) DENAI_WUR;
/* openTasks(offset, limit). Out: *ids (malloc'd, *n; NULL when none). */
int denai_tasks_open(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t offset, uint64_t limit,
    uint64_t **ids, size_t *n, denai_err *err) DENAI_WUR;
int denai_tasks_owed(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], const uint8_t who[DENAI_ADDR_LEN],
    denai_u256 *amount, denai_err *err) DENAI_WUR;

/*
 * The tasks contract's address from a deployment ("tasks").
 * Returns: 0, or -1 (DENAI_EUSAGE when it has none: deployed before the
 * tasks contract).
 */
int denai_tasks_at(uint8_t at[DENAI_ADDR_LEN], const denai_deployment *d,
    denai_err *err) DENAI_WUR;

/* The deadlines of a task created now: the head block plus the running
 * sum of windows. Returns: 0, or -1. */
int denai_tasks_deadlines(denai_rpc *rpc,
    const uint64_t windows[DENAI_DL_COUNT], uint64_t deadlines[DENAI_DL_COUNT],
    denai_err *err) DENAI_WUR;

/* The head block number. Returns: 0, or -1. */
int denai_tasks_head(denai_rpc *rpc, uint64_t *head, denai_err *err)
    DENAI_WUR;

/* DenAI's hasRole(VALIDATOR_ROLE, who) on the oracle. Out: *yes. */
int denai_tasks_is_validator(denai_rpc *rpc,
    const uint8_t oracle[DENAI_ADDR_LEN], const uint8_t who[DENAI_ADDR_LEN],
    int *yes, denai_err *err) DENAI_WUR;

/*
 * Sending: estimates fn's transaction from the sender (a revert becomes
 * DENAI_ESTATE "commitModel would revert: WrongPhase(3, 1)" with the error
 * name in errname), then sends it and waits up to timeout_ms for its
 * receipt. Out: *receipt (new reference; NULL on failure), hash, errname
 * (DENAI_TASK_ERRNAME_MAX; "" unless a revert was decoded).
 * Returns: 0 for a mined transaction with status 1, or -1 (a mined
 * transaction that reverted is DENAI_ESTATE, *receipt still set).
 */
#define DENAI_TASK_ERRNAME_MAX 64
int denai_tasks_send_wait(const denai_tasks *t, denai_sender *s,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN], enum denai_tasks_fn fn,
    const json_t *args, const denai_u256 *value, uint64_t timeout_ms,
    json_t **receipt, uint8_t hash[32], char *errname, denai_err *err)
    DENAI_WUR;

/*
 * Estimates fn's transaction; on a revert fills errname and err as
 * denai_tasks_send_wait does. Out: *gas, *cd (the calldata, malloc'd).
 * Returns: 0, or -1.
 */
int denai_tasks_prepare(const denai_tasks *t, denai_sender *s,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN], enum denai_tasks_fn fn,
    const json_t *args, const denai_u256 *value, uint8_t **cd, size_t *cdlen,
    uint64_t *gas, char *errname, denai_err *err) DENAI_WUR;

/* Finds the TaskCreated log of at in a receipt. Out: *id. Returns: 0/-1. */
int denai_tasks_created_id(const denai_tasks *t, const json_t *receipt,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t *id, denai_err *err) DENAI_WUR;

#endif
