/*
 * rows.c - index.db rows as JSON: a query's rows, a task (its phase and
 * deadlines, with details its commits, validators and leaderboard), a
 * request with its miners; the phases by number, name and in SQL. Below
 * the read routes and the jobs, which both answer with these.
 */
#include <stdarg.h>
#include <string.h>

#include "serve/body.h"
#include "serve/priv.h"

static const char *const phase_names[] = {
	"none", "commit", "test_reveal", "model_reveal", "score_commit",
	"score_reveal", "finalizable", "finalized", "cancelled"
};

const char *
denai_serve_phase_name(int phase)
{
	return phase >= 0 && phase <= 8 ? phase_names[phase] : "none";
}

int
denai_serve_phase_parse(const char *name)
{
	for (int i = 1; i <= 8; i++)
		if (strcmp(name, phase_names[i]) == 0)
			return i;
	return -1;
}

int
denai_serve_phase(const int64_t dl[5], int test_revealed, int cancelled,
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

const char denai_serve_phase_sql[] =
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
json_t *
denai_serve_rows(denai_serve *s, sqlite3 *db, const char *sql, int nulls, ...)
{
	sqlite3_stmt *st;
	json_t *a;
	va_list ap;
	const char *p;
	int i = 1, rc;

	if ((st = denai_serve_stmt(s, db, sql)) == NULL)
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


json_t *
denai_serve_task_shape(denai_serve *s, json_t *t)
{
	int64_t dl[5];
	static const char *const dn[5] = {
		"d_commit", "d_test", "d_model", "d_score_commit",
		"d_score_reveal"
	};
	json_t *d = json_object(), *k;

	for (int i = 0; i < 5; i++) {
		dl[i] = json_integer_value(json_object_get(t, dn[i]));
		json_object_set_new(d, denai_serve_deadline_name(i),
		    json_integer(dl[i]));
		json_object_del(t, dn[i]);
	}
	json_object_set_new(t, "deadlines", d);
	json_object_set_new(t, "phase", json_string(denai_serve_phase_name(
	    denai_serve_phase(dl, json_object_get(t, "test_cid") != NULL,
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
denai_serve_task_json(denai_serve *s, sqlite3 *db, const char *id, int details)
{
	json_t *a, *t, *o;

	a = denai_serve_rows(s, db,
	    "SELECT " TASK_COLS " FROM tasks WHERE id = ?", 0, id, NULL);
	if (a == NULL || json_array_size(a) == 0) {
		json_decref(a);
		return NULL;
	}
	t = denai_serve_task_shape(s, json_incref(json_array_get(a, 0)));
	json_decref(a);
	if (!details)
		return t;
	o = denai_serve_rows(s, db,
	    "SELECT trainer, seq, seal, reveal_block IS NOT NULL AS"
	    " revealed, model_cid, model_sha256 FROM commits WHERE"
	    " task_id = ? ORDER BY seq",
	    0, id, NULL);
	json_object_set_new(t, "commits", o ? o : json_array());
	o = denai_serve_rows(s, db,
	    "SELECT validator, commit_block IS NOT NULL AS committed,"
	    " reveal_block IS NOT NULL AS revealed, test_valid FROM votes"
	    " WHERE task_id = ? ORDER BY commit_block, validator",
	    0, id, NULL);
	json_object_set_new(t, "validators", o ? o : json_array());
	o = denai_serve_rows(s, db,
	    "SELECT trainer, score, settled FROM scores WHERE"
	    " task_id = ? ORDER BY settled DESC, CAST(score AS REAL) DESC,"
	    " trainer",
	    0, id, NULL);
	json_object_set_new(t, "leaderboard", o ? o : json_array());
	return t;
}


json_t *
denai_serve_request_json(denai_serve *s, sqlite3 *db, const char *id)
{
	json_t *a, *t;

	a = denai_serve_rows(s, db,
	    "SELECT " REQ_COLS " FROM requests WHERE id = ?", 1, id, NULL);
	if (a == NULL || json_array_size(a) == 0) {
		json_decref(a);
		return NULL;
	}
	t = json_incref(json_array_get(a, 0));
	json_decref(a);
	a = denai_serve_rows(s, db,
	    "SELECT miner, prediction, block, tx_hash FROM solutions"
	    " WHERE request_id = ? ORDER BY block, miner",
	    0, id, NULL);
	json_object_set_new(t, "miners", a ? a : json_array());
	return t;
}
