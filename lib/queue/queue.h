/*
 * queue.h - pipeline records through a Redis stream and a consumer group
 * (Redis 7.0 streams): what denai-queue's verbs do.
 *
 * Delivery is at least once: an entry stays in the group's pending list
 * until a record carrying its queue field is acknowledged at the end of a
 * pipeline; a consumer that dies leaves it there for another to claim
 * after an idle time. The dead-letter stream of STREAM is STREAM:dead.
 *
 * Ownership: records and JSON values returned belong to the caller. The
 * denai_redis connection is the caller's.
 */
#ifndef DENAI_QUEUE_H
#define DENAI_QUEUE_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"
#include "queue/frame.h"
#include "queue/redis.h"

/* The dead-letter stream's name suffix. */
#define DENAI_QUEUE_DEAD_SUFFIX ":dead"

/*
 * Appends n records (lines[i], lens[i] bytes each: compact JSON objects,
 * no newline) to stream in one pipeline of XADDs.
 * Returns: 0, or -1 (DENAI_EPEER, DENAI_EDATA when Redis refused one:
 * the others were added).
 */
int denai_queue_push(denai_redis *r, const char *stream,
    const char *const *lines, const size_t *lens, size_t n, denai_err *err)
    DENAI_WUR;

/*
 * The backlog push waits on: the entries not yet delivered to group (NULL:
 * the largest over the stream's groups; no group yet: the stream's
 * length).
 * Out: *lag. Returns: 0, or -1.
 */
int denai_queue_lag(denai_redis *r, const char *stream, const char *group,
    unsigned long long *lag, denai_err *err) DENAI_WUR;

/* Creates group on stream (from its start; the stream too if missing);
 * an existing group is fine. Returns: 0, or -1. */
int denai_queue_group_create(denai_redis *r, const char *stream,
    const char *group, denai_err *err) DENAI_WUR;

/*
 * XREADGROUP: up to count entries after from (">" new ones; "0" those
 * already delivered to consumer and not acknowledged), waiting up to
 * block_ms (-1: do not block) for new ones. Each becomes a record (see
 * frame.h) appended to out (a JSON array). Entries trimmed away while
 * pending are acknowledged and skipped.
 * Returns: the number appended, or -1.
 */
long denai_queue_read(denai_redis *r, const char *stream, const char *group,
    const char *consumer, const char *from, unsigned count, long block_ms,
    json_t *out, denai_err *err) DENAI_WUR;

/*
 * Claims for consumer the entries left pending longer than min_idle_ms
 * (XAUTOCLAIM, from the start of the pending list, up to count), as
 * records appended to out.
 * Returns: the number appended, or -1.
 */
long denai_queue_claim(denai_redis *r, const char *stream, const char *group,
    const char *consumer, long min_idle_ms, unsigned count, json_t *out,
    denai_err *err) DENAI_WUR;

/*
 * Moves to STREAM:dead the entries pending longer than min_idle_ms that
 * were already delivered max_deliveries times (claimed first, so one
 * consumer moves each): the dead entry has fields record (as it was),
 * reason, stream, group, id, deliveries; the original is acknowledged.
 * Out: *moved. Returns: 0, or -1.
 */
int denai_queue_dead_letter(denai_redis *r, const char *stream,
    const char *group, const char *consumer, long min_idle_ms,
    unsigned max_deliveries, unsigned long *moved, denai_err *err)
    DENAI_WUR;

/*
 * Renews consumer's claim on the entries of ids[0..*n) that it still has
 * pending and that were idle at least min_idle_ms (XCLAIM ... JUSTID,
 * which resets the idle time and not the delivery count). Ids no longer
 * pending for consumer (acknowledged, or claimed by another) are dropped
 * from ids, which is sorted and compacted (the caller owns the strings;
 * dropped ones are freed). Entries consumer holds that are not in ids (a
 * predecessor's under the same name) are left to be claimed.
 * Out: *n, *renewed (may be NULL). Returns: 0, or -1.
 */
int denai_queue_renew(denai_redis *r, const char *stream, const char *group,
    const char *consumer, long min_idle_ms, char **ids, size_t *n,
    unsigned long *renewed, denai_err *err) DENAI_WUR;

/* Out: *n, consumer's pending entries, counted up to limit.
 * Returns: 0, or -1. */
int denai_queue_pending(denai_redis *r, const char *stream,
    const char *group, const char *consumer, unsigned limit,
    unsigned long *n, denai_err *err) DENAI_WUR;

/* XACK of n ids in one call. Out: *acked (may be NULL).
 * Returns: 0, or -1. */
int denai_queue_ack(denai_redis *r, const char *stream, const char *group,
    const char *const *ids, size_t n, unsigned long *acked, denai_err *err)
    DENAI_WUR;

/*
 * The stream's state: {"stream", "length", "first_id", "last_id",
 * "dead_letter" (length of STREAM:dead), "groups": [{"group", "pending",
 * "lag", "last_delivered_id", "oldest_pending_id", "consumers":
 * [{"consumer", "pending", "idle_ms"}]}]}. A missing stream has length 0
 * and no groups.
 * Returns: the object, or NULL with err filled.
 */
json_t *denai_queue_status(denai_redis *r, const char *stream,
    denai_err *err);

/*
 * Trims the entries every group is done with: XTRIM MINID at the oldest
 * entry still pending or not yet delivered, over all groups. A stream
 * without groups is left alone.
 * Out: minid (DENAI_QUEUE_ID_MAX bytes; "" when nothing was trimmed),
 * *removed. Returns: 0, or -1.
 */
int denai_queue_trim(denai_redis *r, const char *stream, char *minid,
    unsigned long long *removed, denai_err *err) DENAI_WUR;

/*
 * A thread with its own connection that renews, every interval_ms, the
 * claims on the entries this process handed out (told by _add) while they
 * stay pending, so a long job keeps what it was given while it works.
 * _stop joins it.
 */
typedef struct denai_queue_renewer denai_queue_renewer;
denai_queue_renewer *denai_queue_renewer_start(const denai_redis_url *u,
    const char *stream, const char *group, const char *consumer,
    long interval_ms, denai_redis_warn_fn warn, void *warn_ctx,
    denai_err *err);
/* Adds an entry id handed out. Returns: 0, or -1 (DENAI_ENOMEM). */
int denai_queue_renewer_add(denai_queue_renewer *w, const char *id,
    denai_err *err) DENAI_WUR;
/* Returns: the claims renewed so far. */
unsigned long denai_queue_renewer_count(denai_queue_renewer *w);
void denai_queue_renewer_stop(denai_queue_renewer *w);

#endif
