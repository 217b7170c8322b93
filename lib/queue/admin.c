/* admin.c - dead letters, claim renewal, status and trimming. */
#include "queue/queue.h"
#include "queue/reply.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Moves one entry (already claimed by us, reply e = [id, fields]) to the
 * dead-letter stream and acknowledges it. */
static int
bury(denai_redis *r, const char *stream, const char *group,
    const redisReply *e, long long deliveries, denai_err *err)
{
	char dead[DENAI_QUEUE_NAME_MAX + sizeof(DENAI_QUEUE_DEAD_SUFFIX)];
	char id[DENAI_QUEUE_ID_MAX], reason[96], n[24];
	const redisReply *f = e->element[1], *rec = NULL;
	const char *argv[15];
	size_t l[15];
	redisReply *rep;
	const char *idp = id;
	int argc = 0;

	denai_reply_str(id, sizeof(id), e->element[0]);
	if (f->type == REDIS_REPLY_ARRAY) {
		rec = denai_reply_kv(f, DENAI_QUEUE_FIELD);
		snprintf(dead, sizeof(dead), "%s%s", stream,
		    DENAI_QUEUE_DEAD_SUFFIX);
		snprintf(reason, sizeof(reason), "delivered %lld times and "
		    "never acknowledged", deliveries);
		snprintf(n, sizeof(n), "%lld", deliveries);
#define ARG(s, len) (argv[argc] = (s), l[argc++] = (len))
		ARG("XADD", 4);
		ARG(dead, strlen(dead));
		ARG("*", 1);
		ARG(DENAI_QUEUE_FIELD, strlen(DENAI_QUEUE_FIELD));
		if (rec != NULL && rec->type == REDIS_REPLY_STRING)
			ARG(rec->str, rec->len);
		else
			ARG("", 0);
		ARG("reason", 6);
		ARG(reason, strlen(reason));
		ARG("stream", 6);
		ARG(stream, strlen(stream));
		ARG("group", 5);
		ARG(group, strlen(group));
		ARG("id", 2);
		ARG(id, strlen(id));
		ARG("deliveries", 10);
		ARG(n, strlen(n));
#undef ARG
		if (denai_redis_cmd(r, &rep, argc, argv, l, err) != 0)
			return -1;
		freeReplyObject(rep);
	}
	return denai_queue_ack(r, stream, group, &idp, 1, NULL, err);
}

int
denai_queue_dead_letter(denai_redis *r, const char *stream,
    const char *group, const char *consumer, long min_idle_ms,
    unsigned max_deliveries, unsigned long *moved, denai_err *err)
{
	char idle[24];
	const char *argv[] = { "XPENDING", stream, group, "IDLE", idle, "-",
		"+", "100" };
	redisReply *rep, *c;
	int rc = 0;

	*moved = 0;
	if (max_deliveries == 0)
		return 0;
	snprintf(idle, sizeof(idle), "%ld", min_idle_ms);
	if (denai_redis_cmd(r, &rep, 8, argv, NULL, err) != 0)
		return denai_queue_no_such_key(err) ? 0 : -1;
	for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY &&
	    i < rep->elements && rc == 0; i++) {
		const redisReply *p = rep->element[i];
		char id[DENAI_QUEUE_ID_MAX];
		long long d;

		if (p->type != REDIS_REPLY_ARRAY || p->elements < 4)
			continue;
		d = denai_reply_int(p->element[3], 0);
		if (d < (long long)max_deliveries)
			continue;
		denai_reply_str(id, sizeof(id), p->element[0]);
		{
			const char *cv[] = { "XCLAIM", stream, group, consumer,
				idle, id };

			/* Only the consumer whose claim succeeds buries it. */
			if ((rc = denai_redis_cmd(r, &c, 6, cv, NULL, err)) != 0)
				break;
		}
		if (c->type == REDIS_REPLY_ARRAY && c->elements == 1 &&
		    c->element[0]->type == REDIS_REPLY_ARRAY &&
		    c->element[0]->elements >= 2) {
			rc = bury(r, stream, group, c->element[0], d, err);
			if (rc == 0)
				(*moved)++;
		}
		freeReplyObject(c);
	}
	freeReplyObject(rep);
	return rc;
}

static int
id_order(const void *a, const void *b)
{
	return denai_queue_id_cmp(*(char *const *)a, *(char *const *)b);
}

int
denai_queue_renew(denai_redis *r, const char *stream, const char *group,
    const char *consumer, long min_idle_ms, char **ids, size_t *n,
    unsigned long *renewed, denai_err *err)
{
	const char *argv[] = { "XPENDING", stream, group, "-", "+", "100000",
		consumer };
	const char **cv = NULL;
	size_t *cl = NULL, nc = 0, keep = 0, j = 0;
	redisReply *rep, *c;
	int rc = -1;

	if (renewed != NULL)
		*renewed = 0;
	if (*n == 0)
		return 0;
	if (denai_redis_cmd(r, &rep, 7, argv, NULL, err) != 0)
		return denai_queue_no_such_key(err) ? 0 : -1;
	qsort(ids, *n, sizeof(*ids), id_order);
	cv = malloc((*n + 6) * sizeof(*cv));
	cl = malloc((*n + 6) * sizeof(*cl));
	if (cv == NULL || cl == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	cv[nc++] = "XCLAIM";
	cv[nc++] = stream;
	cv[nc++] = group;
	cv[nc++] = consumer;
	cv[nc++] = "0";
	/* Both lists ascend: merge them. */
	for (size_t i = 0; i < *n; i++) {
		const redisReply *p = NULL;
		int cmp = 1;

		while (rep->type == REDIS_REPLY_ARRAY && j < rep->elements) {
			char pid[DENAI_QUEUE_ID_MAX];

			p = rep->element[j];
			if (p->type != REDIS_REPLY_ARRAY || p->elements < 3) {
				j++;
				continue;
			}
			denai_reply_str(pid, sizeof(pid), p->element[0]);
			if (!denai_queue_id_valid(pid, strlen(pid))) {
				j++;
				continue;
			}
			cmp = denai_queue_id_cmp(pid, ids[i]);
			if (cmp >= 0)
				break;
			j++;
		}
		if (cmp != 0) {
			free(ids[i]);	/* not ours any more */
			continue;
		}
		ids[keep++] = ids[i];
		if (denai_reply_int(p->element[2], 0) >= min_idle_ms)
			cv[nc++] = ids[keep - 1];
	}
	*n = keep;
	if (nc == 5) {
		rc = 0;
		goto out;
	}
	cv[nc++] = "JUSTID";
	for (size_t i = 0; i < nc; i++)
		cl[i] = strlen(cv[i]);
	if (denai_redis_cmd(r, &c, (int)nc, cv, cl, err) != 0)
		goto out;
	if (renewed != NULL && c->type == REDIS_REPLY_ARRAY)
		*renewed = c->elements;
	freeReplyObject(c);
	rc = 0;
out:
	free(cv);
	free(cl);
	freeReplyObject(rep);
	return rc;
}

/* The oldest id group still needs: its oldest pending, else the one after
 * the last delivered. Out: need (DENAI_QUEUE_ID_MAX). */
static int
group_needs(denai_redis *r, const char *stream, const redisReply *g,
    char *need, denai_err *err)
{
	char name[DENAI_QUEUE_NAME_MAX + 1], last[DENAI_QUEUE_ID_MAX];
	const char *argv[] = { "XPENDING", stream, name };
	redisReply *rep;

	denai_reply_str(name, sizeof(name), denai_reply_kv(g, "name"));
	denai_reply_str(last, sizeof(last),
	    denai_reply_kv(g, "last-delivered-id"));
	if (!denai_queue_id_valid(last, strlen(last)))
		strcpy(last, "0-0");
	if (denai_redis_cmd(r, &rep, 3, argv, NULL, err) != 0)
		return -1;
	if (rep->type == REDIS_REPLY_ARRAY && rep->elements >= 2 &&
	    denai_reply_int(rep->element[0], 0) > 0 &&
	    rep->element[1]->type == REDIS_REPLY_STRING)
		denai_reply_str(need, DENAI_QUEUE_ID_MAX, rep->element[1]);
	else
		denai_queue_id_next(need, last);
	freeReplyObject(rep);
	return 0;
}

int
denai_queue_trim(denai_redis *r, const char *stream, char *minid,
    unsigned long long *removed, denai_err *err)
{
	const char *argv[] = { "XINFO", "GROUPS", stream };
	char need[DENAI_QUEUE_ID_MAX];
	redisReply *rep, *t;
	int rc = 0;

	minid[0] = '\0';
	*removed = 0;
	if (denai_redis_cmd(r, &rep, 3, argv, NULL, err) != 0)
		return denai_queue_no_such_key(err) ? 0 : -1;
	for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY &&
	    i < rep->elements; i++) {
		if ((rc = group_needs(r, stream, rep->element[i], need,
		    err)) != 0)
			break;
		if (minid[0] == '\0' || denai_queue_id_cmp(need, minid) < 0)
			strcpy(minid, need);
	}
	freeReplyObject(rep);
	if (rc != 0 || minid[0] == '\0')
		return rc;
	{
		const char *tv[] = { "XTRIM", stream, "MINID", minid };

		if (denai_redis_cmd(r, &t, 4, tv, NULL, err) != 0)
			return -1;
	}
	*removed = (unsigned long long)denai_reply_int(t, 0);
	freeReplyObject(t);
	return 0;
}

/* Adds a string or null field. */
static void
set_str(json_t *o, const char *k, const redisReply *x)
{
	char buf[DENAI_QUEUE_NAME_MAX + 1];

	if (x != NULL && (x->type == REDIS_REPLY_STRING ||
	    x->type == REDIS_REPLY_STATUS))
		json_object_set_new(o, k, json_string(denai_reply_str(buf,
		    sizeof(buf), x)));
	else
		json_object_set_new(o, k, json_null());
}

static void
set_int(json_t *o, const char *k, const redisReply *x)
{
	if (x != NULL && (x->type == REDIS_REPLY_INTEGER ||
	    x->type == REDIS_REPLY_STRING))
		json_object_set_new(o, k, json_integer(denai_reply_int(x, 0)));
	else
		json_object_set_new(o, k, json_null());
}

static json_t *
consumers(denai_redis *r, const char *stream, const char *group,
    denai_err *err)
{
	const char *argv[] = { "XINFO", "CONSUMERS", stream, group };
	redisReply *rep;
	json_t *a = json_array();

	if (denai_redis_cmd(r, &rep, 4, argv, NULL, err) != 0) {
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY &&
	    i < rep->elements; i++) {
		const redisReply *c = rep->element[i];
		json_t *o = json_object();

		set_str(o, "consumer", denai_reply_kv(c, "name"));
		set_int(o, "pending", denai_reply_kv(c, "pending"));
		set_int(o, "idle_ms", denai_reply_kv(c, "idle"));
		json_array_append_new(a, o);
	}
	freeReplyObject(rep);
	return a;
}

static json_t *
groups(denai_redis *r, const char *stream, denai_err *err)
{
	const char *argv[] = { "XINFO", "GROUPS", stream };
	redisReply *rep;
	json_t *a = json_array(), *cs;

	if (denai_redis_cmd(r, &rep, 3, argv, NULL, err) != 0) {
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY &&
	    i < rep->elements; i++) {
		const redisReply *g = rep->element[i];
		char name[DENAI_QUEUE_NAME_MAX + 1], need[DENAI_QUEUE_ID_MAX];
		json_t *o = json_object();

		denai_reply_str(name, sizeof(name), denai_reply_kv(g, "name"));
		json_object_set_new(o, "group", json_string(name));
		set_int(o, "pending", denai_reply_kv(g, "pending"));
		set_int(o, "lag", denai_reply_kv(g, "lag"));
		set_str(o, "last_delivered_id",
		    denai_reply_kv(g, "last-delivered-id"));
		json_array_append_new(a, o);
		if (json_integer_value(json_object_get(o, "pending")) > 0 &&
		    group_needs(r, stream, g, need, NULL) == 0)
			json_object_set_new(o, "oldest_pending_id",
			    json_string(need));
		else
			json_object_set_new(o, "oldest_pending_id",
			    json_null());
		if ((cs = consumers(r, stream, name, err)) == NULL) {
			freeReplyObject(rep);
			json_decref(a);
			return NULL;
		}
		json_object_set_new(o, "consumers", cs);
	}
	freeReplyObject(rep);
	return a;
}

json_t *
denai_queue_status(denai_redis *r, const char *stream, denai_err *err)
{
	char dead[DENAI_QUEUE_NAME_MAX + sizeof(DENAI_QUEUE_DEAD_SUFFIX)];
	const char *argv[] = { "XINFO", "STREAM", stream };
	const char *dv[] = { "XLEN", dead };
	redisReply *rep, *d;
	json_t *o = json_pack("{s:s}", "stream", stream), *g;
	const redisReply *fe, *le;

	if (o == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(dead, sizeof(dead), "%s%s", stream, DENAI_QUEUE_DEAD_SUFFIX);
	if (denai_redis_cmd(r, &rep, 3, argv, NULL, err) != 0) {
		if (!denai_queue_no_such_key(err))
			goto fail;
		json_object_set_new(o, "length", json_integer(0));
		json_object_set_new(o, "first_id", json_null());
		json_object_set_new(o, "last_id", json_null());
		g = json_array();
	} else {
		set_int(o, "length", denai_reply_kv(rep, "length"));
		fe = denai_reply_kv(rep, "first-entry");
		le = denai_reply_kv(rep, "last-entry");
		set_str(o, "first_id", fe && fe->type == REDIS_REPLY_ARRAY &&
		    fe->elements ? fe->element[0] : NULL);
		set_str(o, "last_id", le && le->type == REDIS_REPLY_ARRAY &&
		    le->elements ? le->element[0] : NULL);
		freeReplyObject(rep);
		if ((g = groups(r, stream, err)) == NULL)
			goto fail;
	}
	if (denai_redis_cmd(r, &d, 2, dv, NULL, err) != 0) {
		json_decref(g);
		goto fail;
	}
	json_object_set_new(o, "dead_letter", json_integer(denai_reply_int(d,
	    0)));
	freeReplyObject(d);
	json_object_set_new(o, "groups", g);
	return o;
fail:
	json_decref(o);
	return NULL;
}

struct denai_queue_renewer {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	denai_redis *r;
	char *stream, *group, *consumer;
	long interval_ms;
	unsigned long count;
	char **ids;		/* handed out, maybe still pending */
	size_t nids, capids;
	denai_redis_warn_fn warn;
	void *warn_ctx;
};

static void *
renew_loop(void *arg)
{
	denai_queue_renewer *w = arg;
	struct timespec until;
	unsigned long n;
	denai_err err;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += w->interval_ms / 1000;
		until.tv_nsec += (w->interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu,
		    &until) != ETIMEDOUT)
			;
		if (w->stop)
			break;
		/* Under the lock: _add waits one round trip at most. */
		if (denai_queue_renew(w->r, w->stream, w->group, w->consumer,
		    w->interval_ms, w->ids, &w->nids, &n, &err) != 0) {
			if (w->warn != NULL)
				w->warn(w->warn_ctx, err.msg);
			n = 0;
		}
		w->count += n;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

denai_queue_renewer *
denai_queue_renewer_start(const denai_redis_url *u, const char *stream,
    const char *group, const char *consumer, long interval_ms,
    denai_redis_warn_fn warn, void *warn_ctx, denai_err *err)
{
	denai_queue_renewer *w = calloc(1, sizeof(*w));

	if (w == NULL || (w->stream = strdup(stream)) == NULL ||
	    (w->group = strdup(group)) == NULL ||
	    (w->consumer = strdup(consumer)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	w->interval_ms = interval_ms < 10 ? 10 : interval_ms;
	w->warn = warn;
	w->warn_ctx = warn_ctx;
	if ((w->r = denai_redis_open(u, warn, warn_ctx, err)) == NULL)
		goto fail;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->th, NULL, renew_loop, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		denai_err_set(err, DENAI_EIO, "cannot start the renewal thread");
		goto fail;
	}
	return w;
fail:
	if (w != NULL) {
		denai_redis_close(w->r);
		free(w->stream);
		free(w->group);
		free(w->consumer);
		free(w);
	}
	return NULL;
}

int
denai_queue_renewer_add(denai_queue_renewer *w, const char *id,
    denai_err *err)
{
	char *d;
	int rc = 0;

	if (w == NULL)
		return 0;
	if (!denai_queue_id_valid(id, strlen(id)))
		return denai_err_set(err, DENAI_EUSAGE, "not an entry id");
	pthread_mutex_lock(&w->mu);
	if (w->nids == w->capids) {
		size_t c = w->capids ? w->capids * 2 : 64;
		char **q = realloc(w->ids, c * sizeof(*q));

		if (q == NULL) {
			rc = denai_err_set(err, DENAI_ENOMEM, "out of memory");
			goto out;
		}
		w->ids = q;
		w->capids = c;
	}
	if ((d = strdup(id)) == NULL) {
		rc = denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	w->ids[w->nids++] = d;
out:
	pthread_mutex_unlock(&w->mu);
	return rc;
}

unsigned long
denai_queue_renewer_count(denai_queue_renewer *w)
{
	unsigned long n;

	pthread_mutex_lock(&w->mu);
	n = w->count;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void
denai_queue_renewer_stop(denai_queue_renewer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	denai_redis_stop(w->r);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	denai_redis_close(w->r);
	for (size_t i = 0; i < w->nids; i++)
		free(w->ids[i]);
	free(w->ids);
	free(w->stream);
	free(w->group);
	free(w->consumer);
	free(w);
}
