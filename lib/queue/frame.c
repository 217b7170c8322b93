/* frame.c - records in stream entries, and the queue field. */
#include "queue/frame.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/record.h"

static json_t *
ref_json(const char *stream, const char *group, const char *id)
{
	return json_pack("{s:s,s:s,s:s}", "stream", stream, "group", group,
	    "id", id);
}

/* A decimal uint64 of n bytes. */
static int
u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (v != NULL)
		*v = x;
	return 0;
}

static int
split(const char *s, size_t n, uint64_t *ms, uint64_t *seq)
{
	const char *dash = memchr(s, '-', n);

	if (dash == NULL)
		return -1;
	return u64(s, (size_t)(dash - s), ms) != 0 ||
	    u64(dash + 1, n - (size_t)(dash - s) - 1, seq) != 0 ? -1 : 0;
}

int
denai_queue_id_valid(const char *s, size_t n)
{
	return n < DENAI_QUEUE_ID_MAX && split(s, n, NULL, NULL) == 0;
}

int
denai_queue_id_cmp(const char *a, const char *b)
{
	uint64_t am = 0, as = 0, bm = 0, bs = 0;

	(void)split(a, strlen(a), &am, &as);
	(void)split(b, strlen(b), &bm, &bs);
	if (am != bm)
		return am < bm ? -1 : 1;
	return as < bs ? -1 : as > bs;
}

void
denai_queue_id_next(char *out, const char *id)
{
	uint64_t ms = 0, seq = 0;

	(void)split(id, strlen(id), &ms, &seq);
	if (seq == UINT64_MAX) {
		ms++;
		seq = 0;
	} else
		seq++;
	snprintf(out, DENAI_QUEUE_ID_MAX, "%" PRIu64 "-%" PRIu64, ms, seq);
}

static json_t *
error_record(const char *msg, json_t *ref)
{
	json_t *e = denai_record_error_new("queue", NULL, 0, msg);

	if (e == NULL || json_object_set_new(e, "queue", ref) != 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

json_t *
denai_queue_entry_record(const char *stream, const char *group,
    const char *id, size_t nf, const char *const *f, const size_t *len)
{
	json_t *ref = ref_json(stream, group, id), *rec = NULL;
	const char *val = NULL;
	size_t vlen = 0;
	denai_err err;
	char msg[300];

	if (ref == NULL)
		return NULL;
	for (size_t i = 0; i + 1 < 2 * nf; i += 2) {
		if (len[i] == sizeof(DENAI_QUEUE_FIELD) - 1 &&
		    memcmp(f[i], DENAI_QUEUE_FIELD, len[i]) == 0) {
			val = f[i + 1];
			vlen = len[i + 1];
			break;
		}
	}
	if (val == NULL) {
		snprintf(msg, sizeof(msg), "stream entry %s has no \"%s\" "
		    "field (%zu field%s): not written by denai-queue push", id,
		    DENAI_QUEUE_FIELD, nf, nf == 1 ? "" : "s");
		return error_record(msg, ref);
	}
	if (vlen > DENAI_RECORD_MAX_LINE) {
		snprintf(msg, sizeof(msg), "stream entry %s: record longer "
		    "than %u bytes", id, DENAI_RECORD_MAX_LINE);
		return error_record(msg, ref);
	}
	if (denai_record_parse(&rec, val, vlen, &err) != 0) {
		snprintf(msg, sizeof(msg), "stream entry %s: %s", id, err.msg);
		return error_record(msg, ref);
	}
	if (json_object_set_new(rec, "queue", ref) != 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

static int
name_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strlen(s) <= DENAI_QUEUE_NAME_MAX;
}

int
denai_queue_ref_get(denai_queue_ref *ref, const json_t *rec, denai_err *err)
{
	const json_t *q = json_object_get(rec, "queue");
	const char *s, *g, *id;

	memset(ref, 0, sizeof(*ref));
	if (q == NULL || json_is_null(q))
		return 0;
	s = json_string_value(json_object_get(q, "stream"));
	g = json_string_value(json_object_get(q, "group"));
	id = json_string_value(json_object_get(q, "id"));
	if (!json_is_object(q) || !name_ok(s) || !name_ok(g) || id == NULL ||
	    !denai_queue_id_valid(id, strlen(id)))
		return denai_err_set(err, DENAI_EDATA, "the record's queue "
		    "field is not {\"stream\", \"group\", \"id\"} with a "
		    "stream entry id");
	strcpy(ref->stream, s);
	strcpy(ref->group, g);
	strcpy(ref->id, id);
	return 1;
}
