/*
 * task_submit.h - which transaction a task record calls for, checked
 * against the chain first so that nothing is sent twice or too late:
 *
 *   action         sends           skipped (status) when
 *   commit         commitModel     the key's commit on chain has this seal
 *                                  ("already-committed"); the commit
 *                                  window closed ("closed")
 *   reveal         revealModel     already revealed ("already-revealed");
 *                                  not in the model-reveal window
 *   score_commit   commitScores    validatorState committed
 *   score_reveal   revealScores    validatorState revealed
 *   finalize       finalize        finalized ("already-finalized")
 *   withdraw       withdraw        nothing owed ("nothing-owed")
 *
 * Fields read from the record: task_id; commit: seal (the bond comes from
 * the chain); reveal: model_cid, model_sha256, salt; score_commit: seal;
 * score_reveal: test_valid, trainers, scores, salt.
 */
#ifndef DENAI_TASK_SUBMIT_H
#define DENAI_TASK_SUBMIT_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/rpc.h"
#include "eth/u256.h"
#include "task/tasks.h"

typedef struct denai_task_plan {
	const char *skip;	/* a status: nothing to send; else NULL */
	enum denai_tasks_fn fn;
	json_t *args;		/* owned; freed by denai_task_plan_free */
	int has_value;
	denai_u256 value;
} denai_task_plan;

/*
 * Plans the transaction for rec (a {"type":"task"} record with an
 * "action") sent by me. Out: *p. Returns: 0, or -1 (DENAI_EDATA for a
 * record missing what its action needs or a phase too early; DENAI_EPEER
 * for a failed read).
 */
int denai_task_plan_record(denai_task_plan *p, const denai_tasks *t,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN],
    const uint8_t me[DENAI_ADDR_LEN], const json_t *rec, denai_err *err)
    DENAI_WUR;

void denai_task_plan_free(denai_task_plan *p);

/*
 * The submit stage for one task or submission record: plans it, estimates
 * (a revert is refused before anything is sent) and sends the transaction
 * through sender. A submission record (the validator's state has its
 * score) goes on with "status": "scored".
 * Out: *ticket when sent; else *out, a new record to write: rec with its
 * "status" (a skip), or an error record for stage "submit" naming line,
 * with "revert" (the contract's error name) when one was decoded.
 * Returns: 1 sent, 0 finished (*out set).
 */
int denai_task_submit(const denai_tasks *t, denai_sender *sender,
    denai_rpc *rpc, const uint8_t at[DENAI_ADDR_LEN], json_t *rec,
    unsigned long line, unsigned *ticket, json_t **out);

#endif
