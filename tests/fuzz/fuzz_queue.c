/*
 * fuzz_queue.c - lib/queue's record framing: the input is split at NUL
 * bytes into an entry id and field/value pairs, as a stream entry written
 * by anyone (redis-cli included) arrives. Every entry must become a record
 * (its own or an error record) that carries a well-formed queue field when
 * the id is valid. The whole input is also read as a record whose queue
 * field ack looks at, as ids compared and stepped, and as a REDIS_URL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue/frame.h"
#include "queue/redis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *piece[66];
	size_t len[66], np = 0, start = 0;
	char id[DENAI_QUEUE_ID_MAX], next[DENAI_QUEUE_ID_MAX];
	denai_queue_ref ref;
	denai_redis_url u;
	denai_err err;
	json_t *rec;
	char *s;

	if (size > 1 << 16)
		return 0;
	for (size_t i = 0; i <= size && np < 66; i++)
		if (i == size || data[i] == 0) {
			piece[np] = (const char *)data + start;
			len[np++] = i - start;
			start = i + 1;
		}
	if (len[0] < sizeof(id)) {
		memcpy(id, piece[0], len[0]);
		id[len[0]] = '\0';
	} else
		strcpy(id, "1-0");
	rec = denai_queue_entry_record("s", "g", id, (np - 1) / 2, piece + 1,
	    len + 1);
	/* Ids from Redis are ASCII; another id may fail only as NULL. */
	if (rec == NULL && denai_queue_id_valid(id, strlen(id)))
		abort();
	if (rec != NULL && !json_is_object(json_object_get(rec, "queue")))
		abort();
	if (rec != NULL && denai_queue_id_valid(id, strlen(id)) &&
	    denai_queue_ref_get(&ref, rec, &err) != 1)
		abort();
	json_decref(rec);

	rec = json_loadb((const char *)data, size, 0, NULL);
	if (rec != NULL) {
		if (json_is_object(rec) && denai_queue_ref_get(&ref, rec,
		    &err) == 1) {
			if (!denai_queue_id_valid(ref.id, strlen(ref.id)))
				abort();
			denai_queue_id_next(next, ref.id);
			if (denai_queue_id_cmp(ref.id, next) >= 0 &&
			    strcmp(ref.id, "18446744073709551615-"
			    "18446744073709551615") != 0)
				abort();
		}
		json_decref(rec);
	}

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (denai_redis_url_parse(&u, s, &err) == 0) {
		if (u.host[0] == '\0' || u.port <= 0 || u.port > 65535)
			abort();
		denai_redis_url_show(&u, next, sizeof(next));
	}
	free(s);
	return 0;
}
