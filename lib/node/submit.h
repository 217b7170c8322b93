/*
 * submit.h - the submit stage's work: sending each mined record's solution
 * to the oracle, following the transactions to their receipts, and riding
 * out outages of the node.
 *
 * For each mined request record the submitter checks that the request can
 * still be served (serve_rule.h) and that this miner has not answered it,
 * estimates, sends submitSolution, and reports the record with a "status":
 * "mined", "reverted", "closed" (not open, expired, or the quorum was
 * reached first), or "already-submitted". A refused record becomes an
 * error record.
 *
 * Transient failures (the node unreachable, timing out, HTTP 5xx: what the
 * rpc client calls DENAI_EPEER) are not failures of the record: it waits
 * and is tried again with backoff, for as long as it takes, while the
 * request can still be served (once the node answers, a request past its
 * expiry comes out "closed"). While the node is down only one record at a
 * time probes it. The caller hears one note when an outage starts and one
 * when it ends, never one per record.
 *
 * A denai_submitter is a heap object used by one thread; it borrows the
 * rpc client, oracle, deployment and sender.
 */
#ifndef DENAI_SUBMIT_H
#define DENAI_SUBMIT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "node/deployment.h"
#include "node/oracle.h"
#include "eth/rpc.h"
#include "eth/txsend.h"

typedef struct denai_submitter denai_submitter;

/* Receives each finished record (a request with "status", or an error
 * record); rec is borrowed. */
typedef void (*denai_submit_out_fn)(void *ctx, const json_t *rec);
/* Receives one line about an outage ("...; retrying", "node answers
 * again after 3.2 s"). */
typedef void (*denai_submit_note_fn)(void *ctx, const char *msg);

typedef struct denai_submit_opts {
	uint64_t backoff_ms;		/* first wait after a failure; 250 */
	uint64_t backoff_max_ms;	/* default 15000 */
	/* The folder for sealed requests' states (node/sealed.h); NULL:
	 * sealed records are refused. Default NULL. */
	const char *state_dir;
} denai_submit_opts;

void denai_submit_opts_default(denai_submit_opts *o);

denai_submitter *denai_submitter_new(denai_rpc *rpc,
    const denai_oracle *oracle, const denai_deployment *dep,
    denai_sender *sender, const denai_submit_opts *opts,
    denai_submit_out_fn out, denai_submit_note_fn note, void *ctx,
    denai_err *err);
void denai_submitter_free(denai_submitter *s);

/*
 * Takes one record of the stream (line: its line number, for error
 * records). The sealed requests kept in opts->state_dir are taken up at
 * the first step. Records that are not requests, or that an earlier stage closed
 * (a "status" without a "nonce"), go out as they are.
 */
void denai_submitter_take(denai_submitter *s, json_t *rec,
    unsigned long line);

/*
 * Follows a transaction the caller sent through the same sender (ticket)
 * for rec, as the submitter's own: its receipt adds tx_hash, gas_used,
 * block_number and "status" ("mined", "reverted") and rec goes out.
 * (denai-submit sends the tasks contract's transactions this way.)
 * Returns: 0, or -1 on no memory.
 */
int denai_submitter_track(denai_submitter *s, json_t *rec, unsigned ticket,
    denai_err *err) DENAI_WUR;

/* Parses and takes one input line (a malformed one is an error record). */
void denai_submitter_take_line(denai_submitter *s, const char *line,
    size_t len, unsigned long lineno);

/* Reports an input line that could not be read (too long) as an error
 * record. */
void denai_submitter_bad_line(denai_submitter *s, unsigned long lineno,
    const char *msg);

/* Retries what is due and checks the receipts once. Returns: the number of
 * records not finished yet (waiting to retry, or in flight). */
size_t denai_submitter_step(denai_submitter *s);

/* How long (ms) the caller may wait for input before the next step while
 * records are unfinished: a quarter of the age of the newest transaction
 * in flight, from 2 to 100 ms (a receipt is likeliest soon after a send,
 * on a chain that mines at once), else 100. */
int denai_submitter_wait_ms(const denai_submitter *s);

/* Gives up on every unfinished record: each comes out as an error record
 * saying why (no receipt yet, or the node unreachable). */
void denai_submitter_abandon(denai_submitter *s, const char *why);

/* Counts: transactions sent, error records written. */
unsigned long denai_submitter_sent(const denai_submitter *s);
unsigned long denai_submitter_failed(const denai_submitter *s);

#endif
