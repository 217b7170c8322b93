/*
 * task_record.h - the task records of docs/platform.md built from the chain:
 * {"type":"task"} (what denai-watch --tasks emits, with an "action"), the
 * {"type":"submission"} a validator scores, and the whole picture of one
 * task that denai-task show prints (commits, revealed models, settled
 * scores, outcome). Amounts are decimal strings, hashes "0x" hex, task_id
 * a decimal string, deadlines an object of block numbers.
 *
 * Every function returns a new JSON object the caller decrefs, or NULL
 * (out of memory, or a failed read with err filled).
 */
#ifndef DENAI_TASK_RECORD_H
#define DENAI_TASK_RECORD_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/rpc.h"
#include "task/tasks.h"

/* {"type":"task", "chain_id", "contract", "task_id", "phase", ["action"],
 *  "creator", "train_cid", "test_cid", "kind", "label_column",
 *  "decimals", "quorum", "reward", "commit_bond", "deadlines"}. */
json_t *denai_task_record(const denai_task_info *t, uint64_t chain_id,
    const uint8_t contract[DENAI_ADDR_LEN], const char *action);

/* {"type":"submission", "chain_id", "contract", "task_id", "trainer",
 *  "seq", "model_cid", "model_sha256", "test_cid", "train_cid", "kind",
 *  "label_column", "decimals", "deadlines"}. */
json_t *denai_task_submission_record(const denai_task_info *t,
    uint64_t chain_id, const uint8_t contract[DENAI_ADDR_LEN],
    const uint8_t trainer[DENAI_ADDR_LEN], const denai_task_commit *c);

/*
 * The task record of id (no action) with "trainers": [{"trainer", "seq",
 * "seal", "revealed", "model_cid", "model_sha256", "settled", "score"}]
 * in commit order and "outcome": {"outcome", "winner", "score",
 * "model_id"} once finalized. A task that does not exist is DENAI_EDATA.
 */
json_t *denai_task_show(const denai_tasks *t, denai_rpc *rpc,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t chain_id, uint64_t id,
    denai_err *err);

#endif
