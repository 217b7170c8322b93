/*
 * api_read.c - the GET routes that answer from index.db: tasks (with
 * their commits, validators and leaderboard), requests (with miners),
 * models; lists in pages (?limit=, ?cursor=, newest first).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/body.h"
#include "serve/priv.h"

static const char *const phase_names[] = {
	"none", "commit", "test_reveal", "model_reveal", "score_commit",
	"score_reveal", "finalizable", "finalized", "cancelled"
};

const char *
serve_phase_name(int phase)
{
	return phase >= 0 && phase <= 8 ? phase_names[phase] : "none";
}

int
serve_phase_parse(const char *name)
{
	for (int i = 1; i <= 8; i++)
		if (strcmp(name, phase_names[i]) == 0)
			return i;
	return -1;
}

int
serve_phase(const int64_t dl[5], int test_revealed, int cancelled,
    int finalized, uint64_t head)
{
	int64_t h = (int64_t)head;

	if (finalized)
		return 7;
	if (cancelled)
		return 8;
	if (h <= dl[0])
		return 1;
	if (!test_revealed)
		return h <= dl[1] ? 2 : 6;
	if (h <= dl[2])
		return 3;
	if (h <= dl[3])
		return 4;
	if (h <= dl[4])
		return 5;
	return 6;
}

const char serve_phase_sql[] =
    "(CASE WHEN finalized_block IS NOT NULL THEN 7"
    " WHEN cancelled_block IS NOT NULL THEN 8"
    " WHEN ?1 <= d_commit THEN 1"
    " WHEN test_cid IS NULL THEN (CASE WHEN ?1 <= d_test THEN 2 ELSE 6 END)"
    " WHEN ?1 <= d_model THEN 3 WHEN ?1 <= d_score_commit THEN 4"
    " WHEN ?1 <= d_score_reveal THEN 5 ELSE 6 END)";

/* An object of the row's columns by name (NULL columns left out unless
 * nulls), integers as numbers, the rest as text. */
static json_t *
row_obj(sqlite3_stmt *st, int nulls)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);

	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			json_object_set_new(o, name, json_integer(
			    sqlite3_column_int64(st, i)));
			break;
		case SQLITE_NULL:
			if (nulls)
				json_object_set_new(o, name, json_null());
			break;
		default:
			json_object_set_new(o, name, json_string(
			    (const char *)sqlite3_column_text(st, i)));
		}
	}
	return o;
}

/* Runs sql with text parameters (NULL-terminated), rows into an array. */
static json_t *
rows(denai_serve *s, sqlite3 *db, const char *sql, int nulls, ...)
{
	sqlite3_stmt *st;
	json_t *a;
	va_list ap;
	const char *p;
	int i = 1, rc;

	if ((st = serve_stmt(s, db, sql)) == NULL)
		return NULL;
	va_start(ap, nulls);
	while ((p = va_arg(ap, const char *)) != NULL)
		sqlite3_bind_text(st, i++, p, -1, SQLITE_TRANSIENT);
	va_end(ap);
	a = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, row_obj(st, nulls));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static int
is_decimal(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static sqlite3 *
index_db(denai_serve *s, serve_req *r)
{
	sqlite3 *db = serve_db_reader(s, 0);

	if (db == NULL)
		serve_error(r, 503, NULL, "index.db is unavailable");
	return db;
}

/* ?limit= and ?cursor=. Returns: 0, or -1 answered (400). */
static int
page_args(denai_serve *s, serve_req *r, long long *limit, char *cursor,
    size_t cap)
{
	const char *l = serve_query(r, "limit"), *c = serve_query(r, "cursor");

	*limit = 20;
	snprintf(cursor, cap, "%s", "99999999999999999999");
	if (l != NULL) {
		if (!is_decimal(l) || (*limit = atoll(l)) < 1) {
			serve_error(r, 400, "limit", "not a positive integer");
			return -1;
		}
		if (*limit > (long long)s->o.page_max)
			*limit = s->o.page_max;
	}
	if (c != NULL) {
		if (!is_decimal(c)) {
			serve_error(r, 400, "cursor", "not a cursor (the "
			    "next_cursor of the page before)");
			return -1;
		}
		snprintf(cursor, cap, "%s", c);
	}
	return 0;
}

/* {"items": a, "next_cursor": the last id when the page is full}. */
static void
page_answer(serve_req *r, json_t *a, long long limit)
{
	json_t *o = json_object(), *last;

	if ((long long)json_array_size(a) == limit &&
	    (last = json_array_get(a, json_array_size(a) - 1)) != NULL)
		json_object_set(o, "next_cursor", json_object_get(last, "id"));
	else
		json_object_set_new(o, "next_cursor", json_null());
	json_object_set_new(o, "items", a);
	serve_json(r, 200, o);
}

#define TASK_COLS \
    "CAST(id AS TEXT) AS id, creator, train_cid, test_cid, kind," \
    " label_column, decimals, d_commit, d_test, d_model, d_score_commit," \
    " d_score_reveal, quorum, reward, commit_bond, block, tx_hash," \
    " cancelled_block, finalized_block, outcome, winner, score, model_id"

static json_t *
task_shape(denai_serve *s, json_t *t)
{
	int64_t dl[5];
	static const char *const dn[5] = {
		"d_commit", "d_test", "d_model", "d_score_commit",
		"d_score_reveal"
	};
	json_t *d = json_object(), *k;

	for (int i = 0; i < 5; i++) {
		dl[i] = json_integer_value(json_object_get(t, dn[i]));
		json_object_set_new(d, serve_deadline_name(i),
		    json_integer(dl[i]));
		json_object_del(t, dn[i]);
	}
	json_object_set_new(t, "deadlines", d);
	json_object_set_new(t, "phase", json_string(serve_phase_name(
	    serve_phase(dl, json_object_get(t, "test_cid") != NULL,
	    json_object_get(t, "cancelled_block") != NULL,
	    json_object_get(t, "finalized_block") != NULL,
	    atomic_load(&s->head)))));
	k = json_object_get(t, "kind");
	json_object_set_new(t, "kind", json_string(json_integer_value(k) == 1 ?
	    "regression" : "classification"));
	if (json_object_get(t, "test_cid") == NULL)
		json_object_set_new(t, "test_cid", json_null());
	return t;
}

json_t *
serve_task_json(denai_serve *s, sqlite3 *db, const char *id, int details)
{
	json_t *a, *t, *o;

	a = rows(s, db, "SELECT " TASK_COLS " FROM tasks WHERE id = ?", 0, id,
	    NULL);
	if (a == NULL || json_array_size(a) == 0) {
		json_decref(a);
		return NULL;
	}
	t = task_shape(s, json_incref(json_array_get(a, 0)));
	json_decref(a);
	if (!details)
		return t;
	o = rows(s, db, "SELECT trainer, seq, seal, reveal_block IS NOT NULL AS"
	    " revealed, model_cid, model_sha256 FROM commits WHERE"
	    " task_id = ? ORDER BY seq", 0, id, NULL);
	json_object_set_new(t, "commits", o ? o : json_array());
	o = rows(s, db, "SELECT validator, commit_block IS NOT NULL AS committed,"
	    " reveal_block IS NOT NULL AS revealed, test_valid FROM votes"
	    " WHERE task_id = ? ORDER BY commit_block, validator", 0, id, NULL);
	json_object_set_new(t, "validators", o ? o : json_array());
	o = rows(s, db, "SELECT trainer, score, settled FROM scores WHERE"
	    " task_id = ? ORDER BY settled DESC, CAST(score AS REAL) DESC,"
	    " trainer", 0, id, NULL);
	json_object_set_new(t, "leaderboard", o ? o : json_array());
	return t;
}

void
serve_api_task(denai_serve *s, serve_req *r)
{
	sqlite3 *db;
	json_t *t;

	if (strncmp(r->arg, "j-", 2) == 0) {
		if ((t = serve_job_json(s, r->arg)) == NULL)
			serve_error(r, 404, NULL, "no job %s", r->arg);
		else
			serve_json(r, 200, t);
		return;
	}
	if (!is_decimal(r->arg)) {
		serve_error(r, 400, "id", "not a task id");
		return;
	}
	if (serve_cache_get(s, r, r->path) || (db = index_db(s, r)) == NULL)
		return;
	if ((t = serve_task_json(s, db, r->arg, 1)) == NULL)
		serve_error(r, 404, NULL, "no task %s", r->arg);
	else
		serve_json(r, 200, t);
	serve_cache_put(s, r, r->path);
}

void
serve_api_tasks(denai_serve *s, serve_req *r)
{
	const char *ph = serve_query(r, "phase");
	char cursor[32], sql[1024], head[24], phs[16], lim[24];
	long long limit;
	int phase = 0;
	sqlite3 *db;
	json_t *a;
	size_t i;
	json_t *t;

	if (page_args(s, r, &limit, cursor, sizeof(cursor)) != 0)
		return;
	if (ph != NULL && (phase = serve_phase_parse(ph)) < 0) {
		serve_error(r, 400, "phase", "not a phase (commit, test_reveal, "
		    "model_reveal, score_commit, score_reveal, finalizable, "
		    "finalized, cancelled)");
		return;
	}
	if ((db = index_db(s, r)) == NULL)
		return;
	snprintf(head, sizeof(head), "%llu",
	    (unsigned long long)atomic_load(&s->head));
	snprintf(phs, sizeof(phs), "%d", phase);
	snprintf(lim, sizeof(lim), "%lld", limit);
	snprintf(sql, sizeof(sql), "SELECT " TASK_COLS " FROM tasks WHERE"
	    " id < CAST(?2 AS INTEGER) AND (?3 = '0' OR %s = CAST(?3 AS"
	    " INTEGER)) ORDER BY id DESC LIMIT CAST(?4 AS INTEGER)",
	    serve_phase_sql);
	if ((a = rows(s, db, sql, 0, head, cursor, phs, lim, NULL)) == NULL) {
		serve_error(r, 503, NULL, "index.db: %s", sqlite3_errmsg(db));
		return;
	}
	json_array_foreach(a, i, t)
		task_shape(s, t);
	page_answer(r, a, limit);
}

#define REQ_COLS \
    "CAST(id AS TEXT) AS id, model_id, requester, data_cid, tip, status," \
    " prediction, callback_ok, block, tx_hash, end_block, end_tx"

json_t *
serve_request_json(denai_serve *s, sqlite3 *db, const char *id)
{
	json_t *a, *t;

	a = rows(s, db, "SELECT " REQ_COLS " FROM requests WHERE id = ?", 1, id,
	    NULL);
	if (a == NULL || json_array_size(a) == 0) {
		json_decref(a);
		return NULL;
	}
	t = json_incref(json_array_get(a, 0));
	json_decref(a);
	a = rows(s, db, "SELECT miner, prediction, block, tx_hash FROM solutions"
	    " WHERE request_id = ? ORDER BY block, miner", 0, id, NULL);
	json_object_set_new(t, "miners", a ? a : json_array());
	return t;
}

void
serve_api_request(denai_serve *s, serve_req *r)
{
	sqlite3 *db;
	json_t *t;

	if (strncmp(r->arg, "j-", 2) == 0) {
		if ((t = serve_job_json(s, r->arg)) == NULL)
			serve_error(r, 404, NULL, "no job %s", r->arg);
		else
			serve_json(r, 200, t);
		return;
	}
	if (!is_decimal(r->arg)) {
		serve_error(r, 400, "id", "not a request id");
		return;
	}
	if (serve_cache_get(s, r, r->path) || (db = index_db(s, r)) == NULL)
		return;
	if ((t = serve_request_json(s, db, r->arg)) == NULL)
		serve_error(r, 404, NULL, "no request %s", r->arg);
	else
		serve_json(r, 200, t);
	serve_cache_put(s, r, r->path);
}

void
serve_api_requests(denai_serve *s, serve_req *r)
{
	const char *stq = serve_query(r, "status");
	char cursor[32], lim[24];
	long long limit;
	sqlite3 *db;
	json_t *a;

	if (page_args(s, r, &limit, cursor, sizeof(cursor)) != 0)
		return;
	if (stq != NULL && strcmp(stq, "open") != 0 &&
	    strcmp(stq, "fulfilled") != 0 && strcmp(stq, "cancelled") != 0) {
		serve_error(r, 400, "status", "not open, fulfilled or "
		    "cancelled");
		return;
	}
	if ((db = index_db(s, r)) == NULL)
		return;
	snprintf(lim, sizeof(lim), "%lld", limit);
	a = rows(s, db, "SELECT " REQ_COLS " FROM requests WHERE id <"
	    " CAST(?1 AS INTEGER) AND (?2 = '' OR status = ?2) ORDER BY"
	    " id DESC LIMIT CAST(?3 AS INTEGER)", 1, cursor, stq ? stq : "",
	    lim, NULL);
	if (a == NULL) {
		serve_error(r, 503, NULL, "index.db: %s", sqlite3_errmsg(db));
		return;
	}
	page_answer(r, a, limit);
}

#define MODEL_COLS \
    "CAST(id AS TEXT) AS id, trainer, cid, sha256, decimals, description," \
    " block, tx_hash"

void
serve_api_model(denai_serve *s, serve_req *r)
{
	sqlite3 *db;
	json_t *a;

	if (!is_decimal(r->arg)) {
		serve_error(r, 400, "id", "not a model id");
		return;
	}
	if ((db = index_db(s, r)) == NULL)
		return;
	a = rows(s, db, "SELECT " MODEL_COLS " FROM models WHERE id = ?", 0,
	    r->arg, NULL);
	if (a == NULL || json_array_size(a) == 0) {
		json_decref(a);
		serve_error(r, 404, NULL, "no model %s", r->arg);
		return;
	}
	serve_json(r, 200, json_incref(json_array_get(a, 0)));
	json_decref(a);
}

void
serve_api_models(denai_serve *s, serve_req *r)
{
	char cursor[32], lim[24];
	long long limit;
	sqlite3 *db;
	json_t *a;

	if (page_args(s, r, &limit, cursor, sizeof(cursor)) != 0)
		return;
	if ((db = index_db(s, r)) == NULL)
		return;
	snprintf(lim, sizeof(lim), "%lld", limit);
	a = rows(s, db, "SELECT " MODEL_COLS " FROM models WHERE id <"
	    " CAST(?1 AS INTEGER) ORDER BY id DESC LIMIT CAST(?2 AS INTEGER)",
	    0, cursor, lim, NULL);
	if (a == NULL) {
		serve_error(r, 503, NULL, "index.db: %s", sqlite3_errmsg(db));
		return;
	}
	page_answer(r, a, limit);
}
