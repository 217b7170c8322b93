/*
 * frame.h - how a pipeline record travels in a Redis stream entry, and the
 * `queue` field that names the entry it came from.
 *
 * An entry holds one field, "record", whose value is the record as one
 * line of compact JSON. Pulled, it becomes that record with
 *   "queue": {"stream": S, "group": G, "id": "<ms>-<seq>"}
 * added (replacing any queue field it had). Anything else in the stream
 * (an entry written by hand with other fields, bytes that are not a JSON
 * object) becomes an error record carrying the same queue field, so it
 * reaches the end of the pipeline and is acknowledged there: never a crash,
 * never a stuck consumer.
 */
#ifndef DENAI_QUEUE_FRAME_H
#define DENAI_QUEUE_FRAME_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

/* The entry's field holding the record. */
#define DENAI_QUEUE_FIELD "record"
/* Longest stream or group name, and an entry id, in bytes. */
#define DENAI_QUEUE_NAME_MAX 256
#define DENAI_QUEUE_ID_MAX 48

/* The entry a record came from. */
typedef struct denai_queue_ref {
	char stream[DENAI_QUEUE_NAME_MAX + 1];
	char group[DENAI_QUEUE_NAME_MAX + 1];
	char id[DENAI_QUEUE_ID_MAX];
} denai_queue_ref;

/*
 * The record for an entry of stream read through group: nf fields and
 * values (f[2i] name, f[2i+1] value, lengths in len[], bytes, not C
 * strings). Always a record: the entry's own, or an error record (stage
 * "queue") naming what was wrong; both carry the queue field.
 * Returns: the record (the caller owns it), or NULL when out of memory
 * or when stream, group or id is not UTF-8 (names are checked by the
 * caller; ids from Redis are ASCII).
 */
json_t *denai_queue_entry_record(const char *stream, const char *group,
    const char *id, size_t nf, const char *const *f, const size_t *len);

/* Returns: 1 if s (n bytes) is a stream entry id "<ms>-<seq>", else 0. */
int denai_queue_id_valid(const char *s, size_t n);

/*
 * Reads the record's queue field.
 * Out: *ref.
 * Returns: 1 when present and well-formed, 0 when absent, -1 with err
 * (DENAI_EDATA) when malformed.
 */
int denai_queue_ref_get(denai_queue_ref *ref, const json_t *rec,
    denai_err *err) DENAI_WUR;

/* Compares two ids numerically: <0, 0, >0. Both must be valid. */
int denai_queue_id_cmp(const char *a, const char *b);

/* Writes the id right after id (seq + 1, or the next ms) to out
 * (DENAI_QUEUE_ID_MAX bytes). */
void denai_queue_id_next(char *out, const char *id);

#endif
