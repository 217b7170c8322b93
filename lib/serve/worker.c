/*
 * worker.c - the one thread that sends transactions from the node's key:
 * jobs accepted by POST /api/tasks and /api/requests, then each test set's
 * reveal once its task's commit deadline has passed.
 *
 * Crash safety: before a transaction is sent its row is marked 'sending'
 * with the account's pending nonce. After a restart a 'sending' row whose
 * nonce the account has used since is 'sent' (it went out: its task,
 * request or reveal is found in index.db by its contents), else it is
 * sent again. Nothing is sent twice, nothing accepted is lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eth/hex.h"
#include "eth/txsend.h"
#include "eth/u256.h"
#include "ipfs/add.h"
#include "ipfs/cid.h"
#include "node/contract.h"
#include "serve/priv.h"

#define SEND_TIMEOUT_MS 120000

typedef struct worker {
	denai_serve *s;
	denai_rpc *rpc;
	denai_sender *snd;
	char me[DENAI_ADDR_HEX_MAX];	/* lowercase "0x..." */
} worker;

static void
notify(denai_serve *s)
{
	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->jobs_cv);
	pthread_mutex_unlock(&s->mu);
}

void
denai_serve_wake(denai_serve *s)
{
	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* UPDATE on state.db under its lock; text args (SQL NULL as NULL). */
static int
upd(denai_serve *s, const char *q, int n, const char **v)
{
	sqlite3_stmt *st;
	int rc;

	pthread_mutex_lock(&s->state_mu);
	if (sqlite3_prepare_v2(s->state, q, -1, &st, NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&s->state_mu);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (v[i])
			sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->state_mu);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
job_set(denai_serve *s, const char *id, const char *state, const char *nonce,
    const char *tx, const char *chain_id, const char *error)
{
	char now[24];
	const char *v[] = {id, state, nonce, tx, chain_id, error, now};

	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	(void)upd(s, "UPDATE jobs SET state = ?2, nonce = coalesce(?3, nonce),"
	    " tx_hash = coalesce(?4, tx_hash), chain_id = coalesce(?5,"
	    " chain_id), error = ?6, updated = ?7 WHERE id = ?1", 7, v);
	notify(s);
}

/* A job that spent nothing: its cost back to its key's budget. */
static void
job_fail(denai_serve *s, const char *id, const char *msg)
{
	sqlite3_stmt *st;
	denai_u256 spent, cost;
	char d[DENAI_U256_DEC_MAX], now[24];

	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	pthread_mutex_lock(&s->state_mu);
	if (denai_serve_db_exec(s->state, "BEGIN IMMEDIATE", NULL) != 0)
		goto out;
	if (sqlite3_prepare_v2(s->state, "SELECT k.spent, j.cost, k.id FROM"
	    " jobs j JOIN keys k ON k.id = j.key_id WHERE j.id = ? AND"
	    " j.state != 'failed'", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    denai_u256_parse_dec(&spent, (const char *)
		    sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st,
		    0), NULL) == 0 && denai_u256_parse_dec(&cost, (const char *)
		    sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st,
		    1), NULL) == 0 && denai_u256_sub(&spent, &spent, &cost) == 0) {
			sqlite3_int64 kid = sqlite3_column_int64(st, 2);
			sqlite3_stmt *u;
			denai_u256_to_dec(d, &spent);
			if (sqlite3_prepare_v2(s->state, "UPDATE keys SET spent ="
			    " ? WHERE id = ?", -1, &u, NULL) == SQLITE_OK) {
				sqlite3_bind_text(u, 1, d, -1, SQLITE_STATIC);
				sqlite3_bind_int64(u, 2, kid);
				(void)sqlite3_step(u);
				sqlite3_finalize(u);
			}
		}
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(s->state, "UPDATE jobs SET state = 'failed',"
	    " error = ?, updated = ? WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, msg, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
		(void)sqlite3_step(st);
		sqlite3_finalize(st);
	}
	(void)upd; /* keep the helper used elsewhere */
	if (denai_serve_db_exec(s->state, "COMMIT", NULL) != 0)
		(void)denai_serve_db_exec(s->state, "ROLLBACK", NULL);
out:
	pthread_mutex_unlock(&s->state_mu);
	notify(s);
}

static int
pending_nonce(worker *w, uint64_t *n, denai_err *err)
{
	return denai_rpc_nonce(w->rpc, denai_sender_address(w->snd), "pending",
	    n, err);
}

/* The id in topic 1 of the receipt's first log with topic0 of ev from
 * contract at. */
static int
receipt_id(const json_t *rc, const denai_abi_sig *ev, const uint8_t *at,
    char out[DENAI_U256_DEC_MAX])
{
	uint8_t t0[32], a[DENAI_ADDR_LEN], b[32];
	char t0x[67];
	size_t i;
	json_t *log;
	denai_u256 v;

	denai_abi_topic0(t0, ev);
	denai_hex_encode(t0x, t0, 32);
	json_array_foreach(json_object_get(rc, "logs"), i, log) {
		const json_t *tp = json_object_get(log, "topics");
		const char *t = json_string_value(json_array_get(tp, 0));
		const char *addr = json_string_value(json_object_get(log,
		    "address"));
		const char *id = json_string_value(json_array_get(tp, 1));
		if (t == NULL || id == NULL || addr == NULL ||
		    strcasecmp(t, t0x) != 0 || denai_secp_addr_parse(a, addr,
		    strlen(addr), NULL) != 0 || memcmp(a, at, DENAI_ADDR_LEN) != 0 ||
		    denai_hex_decode_exact(b, 32, id, NULL) != 0)
			continue;
		denai_u256_from_be32(&v, b);
		denai_u256_to_dec(out, &v);
		return 0;
	}
	return -1;
}

/*
 * Sends calldata to at with value; the row is marked 'sending' with the
 * nonce first (mark(nonce)). Returns: 0 with the receipt (status checked:
 * *ok), -1 with err (DENAI_ESTATE: would revert, with the reason).
 */
static int
send(worker *w, const uint8_t *at, const uint8_t *cd, size_t len,
    const denai_u256 *value, void (*mark)(worker *, void *, const char *),
    void *ctx, json_t **receipt, char txh[67], int *ok, denai_err *err)
{
	uint64_t gas, nonce, st = 0;
	uint8_t hash[32];
	char n[24], why[300];
	denai_rpc_error re = { 0 };

	*receipt = NULL;
	*ok = 0;
	if (denai_sender_estimate(w->snd, &gas, &re, at, cd, len, value,
	    err) != 0) {
		size_t ne;
		int tasks = w->s->o.has_tasks && memcmp(at, w->s->o.tasks,
		    DENAI_ADDR_LEN) == 0;
		denai_abi_sig *const *errs = tasks ?
		    denai_tasks_errors(w->s->tasks, &ne) :
		    denai_oracle_errors(w->s->oracle, &ne);
		if (err->code == DENAI_ESTATE && re.set && re.data != NULL &&
		    denai_contract_revert_message(why, sizeof(why), NULL,
		    re.data, errs, ne, NULL) == 0)
			denai_err_set(err, DENAI_ESTATE, "would revert: %s", why);
		denai_rpc_error_clear(&re);
		return -1;
	}
	denai_rpc_error_clear(&re);
	if (pending_nonce(w, &nonce, err) != 0)
		return -1;
	snprintf(n, sizeof(n), "%llu", (unsigned long long)nonce);
	mark(w, ctx, n);
	if (denai_sender_send_wait(w->snd, at, cd, len, value, gas +
	    gas / 4, SEND_TIMEOUT_MS, receipt, hash, err) != 0)
		return -1;
	denai_hex_encode(txh, hash, 32);
	*ok = denai_rpc_quantity_u64(&st, json_object_get(*receipt, "status"),
	    NULL) == 0 && st == 1;
	return 0;
}

static void
mark_job(worker *w, void *ctx, const char *nonce)
{
	job_set(w->s, ctx, "sending", nonce, NULL, NULL, NULL);
}

static void
mark_set(worker *w, void *ctx, const char *nonce)
{
	const char *v[] = {ctx, nonce};

	(void)upd(w->s, "UPDATE private_sets SET state = 'sending', nonce = ?2"
	    " WHERE job_id = ?1", 2, v);
}

/* Looks for what a 'sent' job made, in index.db. */
static int
match(worker *w, const char *kind, json_t *p, char out[DENAI_U256_DEC_MAX])
{
	sqlite3 *idx = denai_serve_db_reader(w->s, 0),
		*sdb = denai_serve_db_reader(w->s, 1);
	sqlite3_stmt *st, *c;
	int found = 0;

	if (idx == NULL || sdb == NULL)
		return 0;
	if (strcmp(kind, "task") == 0) {
		if (sqlite3_prepare_v2(idx, "SELECT CAST(id AS TEXT) FROM tasks"
		    " WHERE lower(creator) = ? AND train_cid = ? AND d_commit = ?"
		    " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
			return 0;
		sqlite3_bind_text(st, 2, json_string_value(json_object_get(p,
		    "train_cid")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, json_integer_value(json_array_get(
		    json_object_get(p, "deadlines"), 0)));
	} else {
		if (sqlite3_prepare_v2(idx, "SELECT CAST(id AS TEXT) FROM"
		    " requests WHERE lower(requester) = ? AND data_cid = ? AND"
		    " model_id = ? ORDER BY id", -1, &st, NULL) != SQLITE_OK)
			return 0;
		sqlite3_bind_text(st, 2, json_string_value(json_object_get(p,
		    "data_cid")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(p,
		    "model_id")), -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_text(st, 1, w->me, -1, SQLITE_STATIC);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		if (sqlite3_prepare_v2(sdb, "SELECT 1 FROM jobs WHERE kind = ?"
		    " AND chain_id = ?", -1, &c, NULL) != SQLITE_OK)
			break;
		sqlite3_bind_text(c, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 2, id, -1, SQLITE_STATIC);
		if (sqlite3_step(c) != SQLITE_ROW) {
			snprintf(out, DENAI_U256_DEC_MAX, "%s", id);
			found = 1;
		}
		sqlite3_finalize(c);
	}
	sqlite3_finalize(st);
	return found;
}

static void
task_done(worker *w, const char *job, json_t *p, const char *task_id)
{
	char c[24], t[24];
	const json_t *dl = json_object_get(p, "deadlines");
	const char *v[] = {job, task_id, c, t};

	snprintf(c, sizeof(c), "%lld", (long long)json_integer_value(
	    json_array_get(dl, 0)));
	snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(
	    json_array_get(dl, 1)));
	(void)upd(w->s, "UPDATE private_sets SET task_id = ?2, d_commit = ?3,"
	    " d_test = ?4 WHERE job_id = ?1", 4, v);
}

/* Fixes relative deadlines to blocks, stored before anything is sent. */
static int
fix_deadlines(worker *w, const char *job, json_t *p, denai_err *err)
{
	json_t *win = json_object_get(p, "windows"), *dl;
	uint64_t head, at;
	char *text;
	const char *v[2];

	if (win == NULL)
		return 0;
	if (denai_rpc_block_number(w->rpc, &head, err) != 0)
		return -1;
	/* Windows count from the block expected to include the create. */
	dl = json_array();
	at = head + 1;
	for (int i = 0; i < 5; i++) {
		at += (uint64_t)json_integer_value(json_array_get(win, i));
		json_array_append_new(dl, json_integer((json_int_t)at));
	}
	json_object_set_new(p, "deadlines", dl);
	json_object_del(p, "windows");
	json_object_set_new(p, "relative", json_false());
	text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	v[0] = job;
	v[1] = text;
	(void)upd(w->s, "UPDATE jobs SET params = ?2 WHERE id = ?1", 2, v);
	free(text);
	return 0;
}

static void
run_job(worker *w, const char *job, const char *kind, json_t *p)
{
	denai_serve *s = w->s;
	int task = strcmp(kind, "task") == 0, ok;
	uint8_t *cd = NULL;
	size_t len = 0;
	denai_u256 value, b;
	denai_err err;
	json_t *args, *rc = NULL, *dl;
	char txh[67], id[DENAI_U256_DEC_MAX];
	const char *reward = json_string_value(json_object_get(p, task ?
	    "reward" : "tip"));

	if (denai_u256_parse_dec(&value, reward, strlen(reward), NULL) != 0) {
		job_fail(s, job, "bad amount");
		return;
	}
	if (task) {
		const char *rb = json_string_value(json_object_get(p,
		    "reveal_bond"));
		if (denai_u256_parse_dec(&b, rb, strlen(rb), NULL) != 0 ||
		    denai_u256_add(&value, &value, &b) != 0) {
			job_fail(s, job, "bad amount");
			return;
		}
		if (fix_deadlines(w, job, p, &err) != 0)
			return;			/* the chain is down: later */
		dl = json_array();
		for (int i = 0; i < 5; i++) {
			char n[24];
			snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(
			    json_array_get(json_object_get(p, "deadlines"), i)));
			json_array_append_new(dl, json_string(n));
		}
		args = json_pack("[s s I s I o I O O]",
		    json_string_value(json_object_get(p, "train_cid")),
		    json_string_value(json_object_get(p, "test_seal")),
		    json_integer_value(json_object_get(p, "kind")),
		    json_string_value(json_object_get(p, "label_column")),
		    json_integer_value(json_object_get(p, "decimals")), dl,
		    json_integer_value(json_object_get(p, "quorum")),
		    json_object_get(p, "reveal_bond"),
		    json_object_get(p, "commit_bond"));
		if (denai_abi_calldata(&cd, &len, denai_tasks_fn(s->tasks, DENAI_TFN_CREATE), args, &err)
		    != 0) {
			json_decref(args);
			job_fail(s, job, err.msg);
			return;
		}
	} else {
		char g[24];
		snprintf(g, sizeof(g), "%lld", (long long)json_integer_value(
		    json_object_get(p, "callback_gas")));
		args = json_pack("[s s s]", json_string_value(json_object_get(p,
		    "model_id")), json_string_value(json_object_get(p,
		    "data_cid")), g);
		if (denai_oracle_calldata(s->oracle, DENAI_FN_REQUEST, args, &cd,
		    &len, &err) != 0) {
			json_decref(args);
			job_fail(s, job, err.msg);
			return;
		}
	}
	json_decref(args);
	if (send(w, task ? s->o.tasks : s->dep.oracle, cd, len, &value,
	    mark_job, (void *)job, &rc, txh, &ok, &err) != 0) {
		free(cd);
		if (err.code == DENAI_ESTATE)
			job_fail(s, job, err.msg);
		else {
			/* Maybe sent: the nonce decides after a new sender. */
			denai_sender_free(w->snd);
			w->snd = NULL;
		}
		return;
	}
	free(cd);
	if (!ok) {
		job_set(s, job, "sent", NULL, txh, NULL, NULL);
		job_fail(s, job, task ? "createTask reverted" :
		    "requestPrediction reverted");
	} else if (receipt_id(rc, task ? denai_tasks_event(s->tasks, DENAI_TEV_CREATED) :
	    denai_oracle_event(s->oracle, DENAI_EV_REQUESTED), task ?
	    s->o.tasks : s->dep.oracle, id) != 0)
		job_set(s, job, "sent", NULL, txh, NULL, NULL);
	else {
		if (task)
			task_done(w, job, p, id);
		job_set(s, job, "done", NULL, txh, id, NULL);
	}
	json_decref(rc);
}

static void
do_jobs(worker *w)
{
	denai_serve *s = w->s;
	sqlite3 *db = denai_serve_db_reader(s, 1);
	sqlite3_stmt *st;
	json_t *list = json_array(), *j;
	size_t i;
	uint64_t pn;
	char id[DENAI_U256_DEC_MAX];

	if (db == NULL || sqlite3_prepare_v2(db, "SELECT id, kind, params,"
	    " state, nonce FROM jobs WHERE state IN ('accepted', 'sending',"
	    " 'sent') ORDER BY created, id LIMIT 32", -1, &st, NULL)
	    != SQLITE_OK) {
		json_decref(list);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:I}", "id", sqlite3_column_text(st, 0), "kind",
		    sqlite3_column_text(st, 1), "params",
		    sqlite3_column_text(st, 2), "state",
		    sqlite3_column_text(st, 3), "nonce",
		    (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_finalize(st);
	json_array_foreach(list, i, j) {
		const char *job = json_string_value(json_object_get(j, "id"));
		const char *kind = json_string_value(json_object_get(j, "kind"));
		const char *state = json_string_value(json_object_get(j,
		    "state"));
		json_t *p = json_loads(json_string_value(json_object_get(j,
		    "params")), 0, NULL);

		if (atomic_load(&s->stop) || p == NULL) {
			json_decref(p);
			break;
		}
		if (strcmp(state, "sending") == 0) {
			if (pending_nonce(w, &pn, NULL) != 0) {
				json_decref(p);
				break;
			}
			state = pn > (uint64_t)json_integer_value(json_object_get(
			    j, "nonce")) ? "sent" : "accepted";
			job_set(s, job, state, NULL, NULL, NULL, NULL);
		}
		if (strcmp(state, "sent") == 0) {
			if (match(w, kind, p, id)) {
				if (strcmp(kind, "task") == 0)
					task_done(w, job, p, id);
				job_set(s, job, "done", NULL, NULL, id, NULL);
			}
		} else
			run_job(w, job, kind, p);
		json_decref(p);
	}
	json_decref(list);
}

static void
set_state(worker *w, const char *job, const char *state, const char *tx,
    const char *error)
{
	const char *v[] = {job, state, tx, error};

	(void)upd(w->s, "UPDATE private_sets SET state = ?2, tx_hash ="
	    " coalesce(?3, tx_hash), error = ?4 WHERE job_id = ?1", 4, v);
}

static int
revealed(worker *w, const char *task)
{
	sqlite3 *idx = denai_serve_db_reader(w->s, 0);
	sqlite3_stmt *st;
	int yes = 0;

	if (idx == NULL || sqlite3_prepare_v2(idx, "SELECT 1 FROM tasks WHERE"
	    " id = CAST(? AS INTEGER) AND test_cid IS NOT NULL", -1, &st, NULL)
	    != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, task, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

static void
reveal_one(worker *w, const char *job, const char *task, const char *cidt,
    const char *salt, const uint8_t *csv, size_t n)
{
	denai_serve *s = w->s;
	denai_cid cid;
	denai_err err;
	json_t *args, *rc = NULL;
	uint8_t *cd = NULL;
	size_t len;
	char txh[67];
	int ok;

	/* Public now: the test set goes into the served store. */
	if (denai_ipfs_add(s->bs, csv, n, 1, &cid, &err) != 0)
		return;
	if (strcmp(denai_cid_str(&cid), cidt) != 0) {
		set_state(w, job, "failed", NULL, "the stored test set does not "
		    "match its CID");
		return;
	}
	args = json_pack("[sss]", task, cidt, salt);
	if (denai_abi_calldata(&cd, &len, denai_tasks_fn(s->tasks, DENAI_TFN_REVEAL_TEST), args, &err)
	    != 0) {
		json_decref(args);
		set_state(w, job, "failed", NULL, err.msg);
		return;
	}
	json_decref(args);
	if (send(w, s->o.tasks, cd, len, NULL, mark_set, (void *)job, &rc, txh,
	    &ok, &err) != 0) {
		if (err.code == DENAI_ESTATE)
			set_state(w, job, revealed(w, task) ? "revealed" :
			    "failed", NULL, err.msg);
		else {
			denai_sender_free(w->snd);
			w->snd = NULL;
		}
	} else
		set_state(w, job, ok ? "revealed" : "failed", txh, ok ? NULL :
		    "revealTestSet reverted");
	free(cd);
	json_decref(rc);
}

static void
do_reveals(worker *w)
{
	denai_serve *s = w->s;
	sqlite3 *db = denai_serve_db_reader(s, 1);
	sqlite3_stmt *st;
	uint64_t head = atomic_load(&s->head), pn;

	if (db == NULL || sqlite3_prepare_v2(db, "SELECT job_id, task_id,"
	    " test_cid, salt, csv, d_commit, d_test, state, nonce FROM"
	    " private_sets WHERE state IN ('waiting', 'sending', 'sent') AND"
	    " task_id IS NOT NULL ORDER BY d_commit", -1, &st, NULL)
	    != SQLITE_OK)
		return;
	while (!atomic_load(&s->stop) && sqlite3_step(st) == SQLITE_ROW) {
		char job[64], task[DENAI_U256_DEC_MAX], cidt[128], salt[80],
		    state[16];
		uint64_t dc = (uint64_t)sqlite3_column_int64(st, 5),
		    dt = (uint64_t)sqlite3_column_int64(st, 6),
		    nonce = (uint64_t)sqlite3_column_int64(st, 8);

		snprintf(job, sizeof(job), "%s", sqlite3_column_text(st, 0));
		snprintf(task, sizeof(task), "%s", sqlite3_column_text(st, 1));
		snprintf(cidt, sizeof(cidt), "%s", sqlite3_column_text(st, 2));
		snprintf(salt, sizeof(salt), "%s", sqlite3_column_text(st, 3));
		snprintf(state, sizeof(state), "%s", sqlite3_column_text(st, 7));
		if (strcmp(state, "sending") == 0) {
			if (pending_nonce(w, &pn, NULL) != 0)
				break;
			snprintf(state, sizeof(state), "%s", pn > nonce ? "sent" :
			    "waiting");
			set_state(w, job, state, NULL, NULL);
		}
		if (strcmp(state, "sent") == 0) {
			if (revealed(w, task))
				set_state(w, job, "revealed", NULL, NULL);
			continue;
		}
		if (head < dc)
			continue;
		if (head >= dt) {
			if (revealed(w, task))
				set_state(w, job, "revealed", NULL, NULL);
			else
				set_state(w, job, "missed", NULL, "the test-reveal "
				    "deadline passed");
			continue;
		}
		reveal_one(w, job, task, cidt, salt, sqlite3_column_blob(st, 4),
		    (size_t)sqlite3_column_bytes(st, 4));
	}
	sqlite3_finalize(st);
}

void *
denai_serve_worker_main(void *arg)
{
	denai_serve *s = arg;
	worker w = {.s = s};
	denai_err err;

	denai_hex_encode(w.me, s->addr, DENAI_ADDR_LEN);
	while (!atomic_load(&s->stop)) {
		if (w.rpc == NULL)
			w.rpc = denai_rpc_new(s->rpc_url, NULL, &err);
		if (w.rpc != NULL && w.snd == NULL)
			w.snd = denai_sender_new(w.rpc, s->sk, s->dep.chain_id,
			    NULL, &err);
		if (w.snd != NULL) {
			do_jobs(&w);
			if (w.snd != NULL)
				do_reveals(&w);
		}
		pthread_mutex_lock(&s->mu);
		if (!atomic_load(&s->stop)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			uint64_t ns = (uint64_t)ts.tv_nsec +
			    (uint64_t)s->o.poll_ms * 1000000u;
			ts.tv_sec += (time_t)(ns / 1000000000u);
			ts.tv_nsec = (long)(ns % 1000000000u);
			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
		}
		pthread_mutex_unlock(&s->mu);
	}
	denai_sender_free(w.snd);
	denai_rpc_free(w.rpc);
	return NULL;
}
