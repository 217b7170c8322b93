/*
 * api_read.c - the GET routes that answer from index.db: tasks (with
 * their commits, validators and leaderboard), requests (with miners),
 * models; lists in pages (?limit=, ?cursor=, newest first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/priv.h"

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
	sqlite3 *db = denai_serve_db_reader(s, 0);

	if (db == NULL)
		denai_serve_error(r, 503, NULL, "index.db is unavailable");
	return db;
}

/* ?limit= and ?cursor=. Returns: 0, or -1 answered (400). */
static int
page_args(denai_serve *s, serve_req *r, long long *limit, char *cursor,
    size_t cap)
{
	const char *l = denai_serve_query(r, "limit");
	const char *c = denai_serve_query(r, "cursor");

	*limit = 20;
	snprintf(cursor, cap, "%s", "99999999999999999999");
	if (l != NULL) {
		if (!is_decimal(l) || (*limit = atoll(l)) < 1) {
			denai_serve_error(r, 400, "limit",
			    "not a positive integer");
			return -1;
		}
		if (*limit > (long long)s->o.page_max)
			*limit = s->o.page_max;
	}
	if (c != NULL) {
		if (!is_decimal(c)) {
			denai_serve_error(r, 400, "cursor", "not a cursor (the "
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
	denai_serve_json(r, 200, o);
}

/* A task's row as GET /api/tasks/{id} shows it (with its leaderboard). */
static json_t *
task_row(denai_serve *s, sqlite3 *db, const char *id)
{
	return denai_serve_task_json(s, db, id, 1);
}

/*
 * GET /api/{what}s/{id}: a job ("j-...") from state.db, else the row of
 * index.db (cached until the index changes), 404 when there is none.
 */
static void
get_one(denai_serve *s, serve_req *r, const char *what,
    json_t *(*row)(denai_serve *, sqlite3 *, const char *))
{
	sqlite3 *db;
	json_t *t;

	if (strncmp(r->arg, "j-", 2) == 0) {
		if ((t = denai_serve_job_json(s, r->arg)) == NULL)
			denai_serve_error(r, 404, NULL, "no job %s", r->arg);
		else
			denai_serve_json(r, 200, t);
		return;
	}
	if (!is_decimal(r->arg)) {
		denai_serve_error(r, 400, "id", "not a %s id", what);
		return;
	}
	if (denai_serve_cache_get(s, r, r->path) ||
	    (db = index_db(s, r)) == NULL)
		return;
	if ((t = row(s, db, r->arg)) == NULL)
		denai_serve_error(r, 404, NULL, "no %s %s", what, r->arg);
	else
		denai_serve_json(r, 200, t);
	denai_serve_cache_put(s, r, r->path);
}

void
denai_serve_api_task(denai_serve *s, serve_req *r)
{
	get_one(s, r, "task", task_row);
}

void
denai_serve_api_tasks(denai_serve *s, serve_req *r)
{
	const char *ph = denai_serve_query(r, "phase");
	char cursor[32], sql[1024], head[24], phs[16], lim[24];
	long long limit;
	int phase = 0;
	sqlite3 *db;
	json_t *a;
	size_t i;
	json_t *t;

	if (page_args(s, r, &limit, cursor, sizeof(cursor)) != 0)
		return;
	if (ph != NULL && (phase = denai_serve_phase_parse(ph)) < 0) {
		denai_serve_error(r, 400, "phase",
		    "not a phase (commit, test_reveal, "
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
	    denai_serve_phase_sql);
	if ((a = denai_serve_rows(s, db, sql, 0, head, cursor, phs, lim,
	    NULL)) == NULL) {
		denai_serve_error(r, 503, NULL, "index.db: %s",
		    sqlite3_errmsg(db));
		return;
	}
	json_array_foreach(a, i, t)
		denai_serve_task_shape(s, t);
	page_answer(r, a, limit);
}

void
denai_serve_api_request(denai_serve *s, serve_req *r)
{
	get_one(s, r, "request", denai_serve_request_json);
}

void
denai_serve_api_requests(denai_serve *s, serve_req *r)
{
	const char *stq = denai_serve_query(r, "status");
	char cursor[32], lim[24];
	long long limit;
	sqlite3 *db;
	json_t *a;

	if (page_args(s, r, &limit, cursor, sizeof(cursor)) != 0)
		return;
	if (stq != NULL && strcmp(stq, "open") != 0 &&
	    strcmp(stq, "fulfilled") != 0 && strcmp(stq, "cancelled") != 0) {
		denai_serve_error(r, 400, "status", "not open, fulfilled or "
		    "cancelled");
		return;
	}
	if ((db = index_db(s, r)) == NULL)
		return;
	snprintf(lim, sizeof(lim), "%lld", limit);
	a = denai_serve_rows(s, db,
	    "SELECT " REQ_COLS " FROM requests WHERE id <"
	    " CAST(?1 AS INTEGER) AND (?2 = '' OR status = ?2) ORDER BY"
	    " id DESC LIMIT CAST(?3 AS INTEGER)",
	    1, cursor, stq ? stq : "", lim, NULL);
	if (a == NULL) {
		denai_serve_error(r, 503, NULL, "index.db: %s",
		    sqlite3_errmsg(db));
		return;
	}
	page_answer(r, a, limit);
}

#define MODEL_COLS \
    "CAST(id AS TEXT) AS id, trainer, cid, sha256, decimals, description," \
    " block, tx_hash"

void
denai_serve_api_model(denai_serve *s, serve_req *r)
{
	sqlite3 *db;
	json_t *a;

	if (!is_decimal(r->arg)) {
		denai_serve_error(r, 400, "id", "not a model id");
		return;
	}
	if ((db = index_db(s, r)) == NULL)
		return;
	a = denai_serve_rows(s, db,
	    "SELECT " MODEL_COLS " FROM models WHERE id = ?", 0, r->arg, NULL);
	if (a == NULL || json_array_size(a) == 0) {
		json_decref(a);
		denai_serve_error(r, 404, NULL, "no model %s", r->arg);
		return;
	}
	denai_serve_json(r, 200, json_incref(json_array_get(a, 0)));
	json_decref(a);
}

void
denai_serve_api_models(denai_serve *s, serve_req *r)
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
	a = denai_serve_rows(s, db,
	    "SELECT " MODEL_COLS " FROM models WHERE id <"
	    " CAST(?1 AS INTEGER) ORDER BY id DESC LIMIT CAST(?2 AS INTEGER)",
	    0, cursor, lim, NULL);
	if (a == NULL) {
		denai_serve_error(r, 503, NULL, "index.db: %s",
		    sqlite3_errmsg(db));
		return;
	}
	page_answer(r, a, limit);
}
