/*
 * task_watch.h - what a key owes the tasks contract, read from the chain
 * at each poll and emitted as the records of docs/platform.md:
 *
 *   trainer    {"type":"task","action":"commit"} while the task takes
 *              commits and the key has none; "reveal" once the test set
 *              is out and the key's commit is not revealed
 *   validator  {"type":"submission"} for each revealed model, until the
 *              validator commits its scores; "score_commit" in the score
 *              commit window; "score_reveal" in the reveal window
 *   any        "finalize" for a finalizable task the key took part in;
 *              "withdraw" while the contract owes the key something
 *
 * The chain is the truth: every poll asks it (getTask, getCommit,
 * validatorState, owed), so a run without state emits again whatever is
 * still owed, and nothing is emitted for a window already closed. The
 * watcher keeps the keys of what it emitted ("7:commit",
 * "7:submission:0xabc..", "withdraw:1000") with the block of the emission,
 * so that one run, and a restarted run given the saved state, emits each
 * once; what is still owed reoffer_after blocks later (a record lost
 * downstream, a transaction dropped by a reorg) is offered again. Keys of
 * tasks no longer open are dropped.
 *
 * A denai_task_watch is a heap object (_new/_free) used by one thread; it
 * borrows rpc and tasks.
 */
#ifndef DENAI_TASK_WATCH_H
#define DENAI_TASK_WATCH_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/rpc.h"
#include "task/tasks.h"

#define DENAI_TW_TRAINER	1
#define DENAI_TW_VALIDATOR	2

typedef struct denai_task_watch denai_task_watch;

typedef struct denai_task_watch_opts {
	unsigned roles;			/* DENAI_TW_* bits */
	uint8_t key[DENAI_ADDR_LEN];	/* the address watched for */
	uint64_t page;			/* openTasks page; default 100 */
	/* Blocks after which a record still owed is offered again (the
	 * wait doubles each time); 0 never. */
	uint64_t reoffer_after;
} denai_task_watch_opts;

denai_task_watch *denai_task_watch_new(denai_rpc *rpc,
    const denai_tasks *tasks, const uint8_t at[DENAI_ADDR_LEN],
    uint64_t chain_id, const denai_task_watch_opts *opts, denai_err *err);
void denai_task_watch_free(denai_task_watch *w);

/* Restores a state saved by denai_task_watch_state; one for another
 * chain, contract or key is refused (DENAI_EUSAGE). */
int denai_task_watch_restore(denai_task_watch *w, const json_t *state,
    denai_err *err) DENAI_WUR;
/* Returns: a new JSON object holding the state, or NULL. */
json_t *denai_task_watch_state(const denai_task_watch *w);

/* Called for each record; rec is borrowed. The key is already counted
 * in the state when it is called. Returns: 0, or -1 with err filled. */
typedef int (*denai_task_watch_emit_fn)(void *ctx, const json_t *rec,
    denai_err *err);

/*
 * One pass over the open tasks and the key's balance.
 * Returns: the number of records emitted, or -1 (RPC failures are
 * DENAI_EPEER: retry later; what was emitted before stays counted).
 */
int denai_task_watch_poll(denai_task_watch *w, denai_task_watch_emit_fn emit,
    void *ctx, denai_err *err);

#endif
