/* stream.c - push, read, claim, acknowledge: the data path of denai-queue. */
#include "queue/queue.h"
#include "queue/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
denai_queue_push(denai_redis *r, const char *stream,
    const char *const *lines, const size_t *lens, size_t n, denai_err *err)
{
	const char **argv = NULL, *const **av = NULL;
	size_t *l = NULL, slen = strlen(stream);
	const size_t **lv = NULL;
	int *ac = NULL, rc = -1;
	redisReply **rep = NULL;

	if (n == 0)
		return 0;
	argv = malloc(n * 5 * sizeof(*argv));
	l = malloc(n * 5 * sizeof(*l));
	av = malloc(n * sizeof(*av));
	lv = malloc(n * sizeof(*lv));
	ac = malloc(n * sizeof(*ac));
	rep = calloc(n, sizeof(*rep));
	if (!argv || !l || !av || !lv || !ac || !rep) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char **a = argv + i * 5;
		size_t *al = l + i * 5;

		a[0] = "XADD"; al[0] = 4;
		a[1] = stream; al[1] = slen;
		a[2] = "*"; al[2] = 1;
		a[3] = DENAI_QUEUE_FIELD; al[3] = sizeof(DENAI_QUEUE_FIELD) - 1;
		a[4] = lines[i]; al[4] = lens[i];
		av[i] = a;
		lv[i] = al;
		ac[i] = 5;
	}
	if (denai_redis_pipeline(r, rep, n, ac, av, lv, err) != 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n; i++)
		if (rep[i]->type == REDIS_REPLY_ERROR && rc == 0)
			rc = denai_err_set(err, DENAI_EDATA, "XADD %s: %.200s",
			    stream, rep[i]->str);
out:
	for (size_t i = 0; rep != NULL && i < n; i++)
		if (rep[i] != NULL)
			freeReplyObject(rep[i]);
	free(rep);
	free(ac);
	free(lv);
	free(av);
	free(l);
	free(argv);
	return rc;
}

/* XLEN; a missing stream is 0. */
static int
xlen(denai_redis *r, const char *stream, unsigned long long *n,
    denai_err *err)
{
	const char *argv[] = { "XLEN", stream };
	redisReply *rep;

	if (denai_redis_cmd(r, &rep, 2, argv, NULL, err) != 0)
		return -1;
	*n = rep->type == REDIS_REPLY_INTEGER && rep->integer > 0 ?
	    (unsigned long long)rep->integer : 0;
	freeReplyObject(rep);
	return 0;
}

int
denai_queue_lag(denai_redis *r, const char *stream, const char *group,
    unsigned long long *lag, denai_err *err)
{
	const char *argv[] = { "XINFO", "GROUPS", stream };
	redisReply *rep;
	unsigned long long len = 0, worst = 0;
	int seen = 0;

	*lag = 0;
	if (denai_redis_cmd(r, &rep, 3, argv, NULL, err) != 0)
		return denai_queue_no_such_key(err) ? 0 : -1;
	for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY && i < rep->elements;
	    i++) {
		const redisReply *g = rep->element[i];
		const redisReply *name = denai_reply_kv(g, "name");
		const redisReply *l = denai_reply_kv(g, "lag");
		unsigned long long v;

		if (group != NULL && (name == NULL ||
		    !denai_reply_is_str(name, group)))
			continue;
		seen = 1;
		if (l != NULL && l->type == REDIS_REPLY_INTEGER) {
			v = l->integer > 0 ? (unsigned long long)l->integer : 0;
		} else {
			/* unknown after deletions: count the whole stream */
			if (len == 0 && xlen(r, stream, &len, err) != 0) {
				freeReplyObject(rep);
				return -1;
			}
			v = len;
		}
		if (v > worst)
			worst = v;
	}
	freeReplyObject(rep);
	if (!seen)
		return xlen(r, stream, lag, err);
	*lag = worst;
	return 0;
}

int
denai_queue_group_create(denai_redis *r, const char *stream,
    const char *group, denai_err *err)
{
	const char *argv[] = { "XGROUP", "CREATE", stream, group, "0",
		"MKSTREAM" };
	redisReply *rep;
	denai_err e;

	if (denai_redis_cmd(r, &rep, 6, argv, NULL, &e) != 0) {
		if (strstr(e.msg, "BUSYGROUP") != NULL)
			return 0;
		if (err != NULL)
			*err = e;
		return denai_err_prefix(err, "creating group %s on %s", group,
		    stream);
	}
	freeReplyObject(rep);
	return 0;
}

/* Acknowledges one id (an entry gone from the stream). */
static int
ack1(denai_redis *r, const char *stream, const char *group, const char *id,
    denai_err *err)
{
	return denai_queue_ack(r, stream, group, &id, 1, NULL, err);
}

/*
 * Appends the records of an entries array ([[id, [f, v, ...]], ...]) to
 * out; entries whose fields are nil (trimmed away) are acknowledged.
 */
static long
entries(denai_redis *r, const char *stream, const char *group,
    const redisReply *a, json_t *out, denai_err *err)
{
	long n = 0;

	if (a == NULL || a->type != REDIS_REPLY_ARRAY)
		return 0;
	for (size_t i = 0; i < a->elements; i++) {
		const redisReply *e = a->element[i], *f;
		const char *fv[64];
		size_t fl[64], nf;
		char id[DENAI_QUEUE_ID_MAX];
		json_t *rec;

		if (e == NULL || e->type != REDIS_REPLY_ARRAY || e->elements < 2
		    || e->element[0]->type != REDIS_REPLY_STRING ||
		    e->element[0]->len >= sizeof(id))
			continue;
		memcpy(id, e->element[0]->str, e->element[0]->len);
		id[e->element[0]->len] = '\0';
		f = e->element[1];
		if (f->type != REDIS_REPLY_ARRAY) {
			if (ack1(r, stream, group, id, err) != 0)
				return -1;
			continue;
		}
		nf = f->elements / 2;
		if (nf > 32)
			nf = 32;	/* a record is found among the first */
		for (size_t k = 0; k < nf * 2; k++) {
			const redisReply *x = f->element[k];
			int str = x->type == REDIS_REPLY_STRING;

			fv[k] = str ? x->str : "";
			fl[k] = str ? x->len : 0;
		}
		rec = denai_queue_entry_record(stream, group, id, nf, fv, fl);
		if (rec == NULL || json_array_append_new(out, rec) != 0)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		n++;
	}
	return n;
}

long
denai_queue_read(denai_redis *r, const char *stream, const char *group,
    const char *consumer, const char *from, unsigned count, long block_ms,
    json_t *out, denai_err *err)
{
	char cnt[16], blk[24];
	const char *argv[11];
	redisReply *rep;
	denai_err e;
	int argc = 0, again = 1;
	long n = 0;

	snprintf(cnt, sizeof(cnt), "%u", count ? count : 1);
	snprintf(blk, sizeof(blk), "%ld", block_ms);
	argv[argc++] = "XREADGROUP";
	argv[argc++] = "GROUP";
	argv[argc++] = group;
	argv[argc++] = consumer;
	argv[argc++] = "COUNT";
	argv[argc++] = cnt;
	if (block_ms >= 0) {
		argv[argc++] = "BLOCK";
		argv[argc++] = blk;
	}
	argv[argc++] = "STREAMS";
	argv[argc++] = stream;
	argv[argc++] = from;
	while (denai_redis_cmd(r, &rep, argc, argv, NULL, &e) != 0) {
		/* The group (or stream) went away: make it again, once. */
		if (again && strstr(e.msg, "NOGROUP") != NULL) {
			again = 0;
			if (denai_queue_group_create(r, stream, group, err) != 0)
				return -1;
			continue;
		}
		if (err != NULL)
			*err = e;
		return -1;
	}
	if (rep->type == REDIS_REPLY_ARRAY) {
		for (size_t i = 0; i < rep->elements; i++) {
			const redisReply *s = rep->element[i];
			long k;

			if (s->type != REDIS_REPLY_ARRAY || s->elements < 2)
				continue;
			if ((k = entries(r, stream, group, s->element[1], out,
			    err)) < 0) {
				n = -1;
				break;
			}
			n += k;
		}
	}
	freeReplyObject(rep);
	return n;
}

long
denai_queue_claim(denai_redis *r, const char *stream, const char *group,
    const char *consumer, long min_idle_ms, unsigned count, json_t *out,
    denai_err *err)
{
	char idle[24], cnt[16];
	const char *argv[] = { "XAUTOCLAIM", stream, group, consumer, idle,
		"0-0", "COUNT", cnt };
	redisReply *rep;
	long n = 0;

	snprintf(idle, sizeof(idle), "%ld", min_idle_ms);
	snprintf(cnt, sizeof(cnt), "%u", count ? count : 1);
	if (denai_redis_cmd(r, &rep, 8, argv, NULL, err) != 0)
		return denai_queue_no_such_key(err) ? 0 : -1;
	if (rep->type == REDIS_REPLY_ARRAY && rep->elements >= 2)
		n = entries(r, stream, group, rep->element[1], out, err);
	freeReplyObject(rep);
	return n;
}

int
denai_queue_pending(denai_redis *r, const char *stream, const char *group,
    const char *consumer, unsigned limit, unsigned long *n, denai_err *err)
{
	char cnt[16];
	const char *argv[] = { "XPENDING", stream, group, "-", "+", cnt,
		consumer };
	redisReply *rep;

	*n = 0;
	snprintf(cnt, sizeof(cnt), "%u", limit ? limit : 1);
	if (denai_redis_cmd(r, &rep, 7, argv, NULL, err) != 0)
		return -1;
	if (rep->type == REDIS_REPLY_ARRAY)
		*n = rep->elements;
	freeReplyObject(rep);
	return 0;
}

int
denai_queue_ack(denai_redis *r, const char *stream, const char *group,
    const char *const *ids, size_t n, unsigned long *acked, denai_err *err)
{
	const char **argv;
	redisReply *rep;
	size_t done = 0;

	if (acked != NULL)
		*acked = 0;
	if (n == 0)
		return 0;
	if ((argv = malloc((n + 3) * sizeof(*argv))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	argv[0] = "XACK";
	argv[1] = stream;
	argv[2] = group;
	/* denai_redis_cmd takes up to 64 C strings: lengths for more. */
	{
		size_t *l = malloc((n + 3) * sizeof(*l));

		if (l == NULL) {
			free(argv);
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < n; i++)
			argv[i + 3] = ids[i];
		for (size_t i = 0; i < n + 3; i++)
			l[i] = strlen(argv[i]);
		if (denai_redis_cmd(r, &rep, (int)(n + 3), argv, l, err) != 0) {
			free(l);
			free(argv);
			return -1;
		}
		free(l);
	}
	if (rep->type == REDIS_REPLY_INTEGER && rep->integer > 0)
		done = (size_t)rep->integer;
	freeReplyObject(rep);
	free(argv);
	if (acked != NULL)
		*acked = done;
	return 0;
}
