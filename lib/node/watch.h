/*
 * watch.h - following the oracle's PredictionRequested events by polling
 * eth_getLogs, with a checkpoint that survives restarts and reorgs.
 *
 * The watcher keeps: the next block to scan; the hashes of recently
 * scanned blocks (to notice a reorg: a known block whose hash changed,
 * then rewind to the newest block that is still on the chain); and the
 * keys (request id, challenge and block hash) of the requests it emitted
 * recently, so a request is emitted once, and again only when a reorg put
 * it in a new block. Its state is a JSON object the caller stores (atomically)
 * after each emit; loading it back resumes where it stopped.
 *
 * A denai_watch is a heap object (denai_watch_new/_free) used by one
 * thread; it borrows the rpc client and the oracle.
 */
#ifndef DENAI_WATCH_H
#define DENAI_WATCH_H

#include <stdint.h>

#include <jansson.h>

#include "node/deployment.h"
#include "err.h"
#include "node/oracle.h"
#include "node/policy.h"
#include "eth/rpc.h"

typedef struct denai_watch denai_watch;

typedef struct denai_watch_opts {
	uint64_t confirmations;		/* blocks behind the head; default 0 */
	uint64_t range;			/* blocks per eth_getLogs; default 2000 */
	int has_miner;			/* skip requests miner submitted for */
	uint8_t miner[DENAI_ADDR_LEN];
	/* With a miner: blocks after which a request offered, still open
	 * and still unanswered by the miner is offered again (the wait
	 * doubles each time); 0 never. Default 20. */
	uint64_t reoffer_after;
	denai_policy policy;		/* which requests, in which order */
} denai_watch_opts;

void denai_watch_opts_default(denai_watch_opts *o);

denai_watch *denai_watch_new(denai_rpc *rpc, const denai_oracle *oracle,
    const denai_deployment *dep, const denai_watch_opts *opts,
    denai_err *err);
void denai_watch_free(denai_watch *w);

/*
 * Restores a state saved by denai_watch_state. A state for another chain
 * or contract is refused (DENAI_EUSAGE).
 */
int denai_watch_restore(denai_watch *w, const json_t *state, denai_err *err)
    DENAI_WUR;

/* Returns: a new JSON object holding the state, or NULL. */
json_t *denai_watch_state(const denai_watch *w);

/* 1 once a state was restored or a scan started following. */
int denai_watch_started(const denai_watch *w);

/*
 * Called for each request to emit; rec is borrowed. The callback writes it
 * (and then saves the state). Returns: 0, or -1 to stop with err filled.
 */
typedef int (*denai_watch_emit_fn)(void *ctx, const json_t *rec,
    denai_err *err);

/*
 * Emits the requests open now, in the policy's order: every view
 * (laneCount, openRequests, getRequest, hasSubmitted, the logs) is read at
 * the head block read first, so a request made meanwhile is left to the
 * next poll. Skipped: requests that cannot be served any more
 * (serve_rule.h), that the policy refuses, and that the miner answered.
 * With a miner the chain is the truth: every open request it has not
 * answered is emitted, whatever the checkpoint says (a restart re-offers
 * what a crash lost; downstream stages are idempotent). Without one, those
 * the checkpoint counts as emitted are skipped. When nothing was restored,
 * following starts after that head block.
 * Returns: the number emitted, or -1.
 */
int denai_watch_scan_open(denai_watch *w, denai_watch_emit_fn emit,
    void *ctx, denai_err *err);

/*
 * With a miner: emits again each request offered at least its wait ago
 * (reoffer_after blocks, doubling on each re-offer) that is still open,
 * servable, taken by the policy and unanswered by the miner; forgets those
 * that are not. Cheap when nothing is due: no call (the head is the one
 * the last denai_watch_poll read; eth_blockNumber before any poll).
 * Returns: the number emitted, or -1.
 */
int denai_watch_reoffer(denai_watch *w, denai_watch_emit_fn emit, void *ctx,
    denai_err *err);

/*
 * One step of following: checks for a reorg (rewinding if one happened),
 * then scans the next range of confirmed blocks and emits the requests
 * found there that are still open. A provider's "range too large" answer
 * halves the range and retries.
 * Out: *caught_up, 1 when the scan reached the confirmed head.
 * Returns: the number of requests emitted, or -1 (RPC errors are
 * DENAI_EPEER: the caller retries later; the state is unchanged).
 */
int denai_watch_poll(denai_watch *w, denai_watch_emit_fn emit, void *ctx,
    int *caught_up, denai_err *err);

/* The next block the watcher will scan, and reorgs seen so far. */
uint64_t denai_watch_next_block(const denai_watch *w);
unsigned denai_watch_reorgs(const denai_watch *w);
/* The node's head block at the last poll (0 before the first). */
uint64_t denai_watch_head(const denai_watch *w);

#endif
