/*
 * jobs.c - POST /api/tasks and POST /api/requests: the body checked field
 * by field, the data put in the block stores, then one state.db
 * transaction that debits the key's budget, records the job (and the
 * private test set) and the Idempotency-Key; the worker sends it. The
 * answer waits a while for the chain: 201 with the task or request, or
 * 202 with the job to poll.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "eth/abi.h"
#include "eth/hex.h"
#include "eth/keccak.h"
#include "eth/u256.h"
#include "ipfs/add.h"
#include "ipfs/cid.h"
#include "ipfs/fetch.h"
#include "serve/body.h"
#include "serve/priv.h"

#define HDR_MAX 65536

json_t *
denai_serve_job_json(denai_serve *s, const char *job_id)
{
	sqlite3 *db = denai_serve_db_reader(s, 1);
	sqlite3_stmt *st;
	json_t *o = NULL;

	if (db == NULL || sqlite3_prepare_v2(db, "SELECT kind, state, tx_hash,"
	    " chain_id, error, created, cost FROM jobs WHERE id = ?", -1, &st,
	    NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *state = (const char *)sqlite3_column_text(st, 1);
		o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "job", job_id, "kind",
		    kind, "state", state, "created",
		    (json_int_t)sqlite3_column_int64(st, 5), "cost",
		    (const char *)sqlite3_column_text(st, 6));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			json_object_set_new(o, "tx_hash", json_string(
			    (const char *)sqlite3_column_text(st, 2)));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			json_object_set_new(o, strcmp(kind, "task") == 0 ?
			    "task_id" : "request_id", json_string(
			    (const char *)sqlite3_column_text(st, 3)));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			json_object_set_new(o, "error", json_string(
			    (const char *)sqlite3_column_text(st, 4)));
	}
	sqlite3_finalize(st);
	return o;
}

/* The job's state, chain id (cap bytes) and error (cap bytes). */
static int
job_state(denai_serve *s, const char *job_id, char *state, size_t scap,
    char *cid, size_t ccap, char *errmsg, size_t ecap)
{
	sqlite3 *db = denai_serve_db_reader(s, 1);
	sqlite3_stmt *st;
	int rc = -1;

	state[0] = cid[0] = errmsg[0] = '\0';
	if (db == NULL || sqlite3_prepare_v2(db, "SELECT state, chain_id, error"
	    " FROM jobs WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(state, scap, "%s", sqlite3_column_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			snprintf(cid, ccap, "%s", sqlite3_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			snprintf(errmsg, ecap, "%s", sqlite3_column_text(st, 2));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The job's answer from this thread's readers: 1 answered; 0 not yet
 * (running, or done and not yet in index.db) unless final. */
static int
job_reply(denai_serve *s, serve_req *r, const char *route,
    const char *job_id, int final)
{
	char state[64], cid[128], msg[256];
	int is_task = strcmp(route, "/api/tasks") == 0;
	sqlite3 *db;
	json_t *o = NULL, *j;

	if (job_state(s, job_id, state, sizeof(state), cid, sizeof(cid), msg,
	    sizeof(msg)) != 0) {
		denai_serve_error(r, 500, NULL, "job %s is lost", job_id);
		return 1;
	}
	if (strcmp(state, "failed") == 0) {
		denai_serve_json(r, 422, json_pack("{s:s, s:n, s:s}", "error",
		    msg, "field", "job", job_id));
		return 1;
	}
	if (strcmp(state, "done") == 0) {
		/* The index follows the chain a moment later. */
		if ((db = denai_serve_db_reader(s, 0)) != NULL)
			o = is_task ? denai_serve_task_json(s, db, cid, 1) :
			    denai_serve_request_json(s, db, cid);
		if (o == NULL && !final)
			return 0;
		snprintf(r->location, sizeof(r->location), "%s/%s", route, cid);
		j = denai_serve_job_json(s, job_id);
		if (o == NULL) {
			o = j;
			json_object_set_new(o, "id", json_string(cid));
		} else {
			json_object_set_new(o, "job", json_string(job_id));
			json_object_set(o, is_task ? "task_id" : "request_id",
			    json_object_get(o, "id"));
			if (j != NULL)
				json_object_set(o, "create_tx",
				    json_object_get(j, "tx_hash"));
			json_decref(j);
		}
		denai_serve_json(r, 201, o);
		return 1;
	}
	if (!final)
		return 0;
	snprintf(r->location, sizeof(r->location), "%s/%s", route, job_id);
	denai_serve_json(r, 202, denai_serve_job_json(s, job_id));
	return 1;
}

static void
job_answer(denai_serve *s, serve_req *r, const char *route, const char *job_id)
{
	/* Not ready: the HTTP layer suspends the connection (no thread
	 * waits) until the job moves or --wait passes. */
	if (job_reply(s, r, route, job_id, s->o.wait_ms == 0))
		return;
	snprintf(r->wait_job, sizeof(r->wait_job), "%s", job_id);
	r->wait_route = route;
}

int
denai_serve_job_final(denai_serve *s, serve_req *r, const char *route,
    const char *job_id, int final)
{
	return job_reply(s, r, route, job_id, final);
}

/*
 * The resumer: every 100 ms or when a job moves, the suspended
 * connections whose job is answerable (or whose wait is over) are
 * resumed; at stop, all of them.
 */
void *
denai_serve_resume_main(void *arg)
{
	denai_serve *s = arg;
	struct timespec ts;
	serve_req probe;

	for (;;) {
		int stopping = atomic_load(&s->stop);
		pthread_mutex_lock(&s->wait_mu);
		for (serve_waiter **pw = &s->waiters; *pw != NULL;) {
			serve_waiter *w = *pw;
			int ready =
			    stopping || denai_serve_now_ms() >= w->deadline;
			if (!ready) {
				memset(&probe, 0, sizeof(probe));
				ready = job_reply(s, &probe, w->route, w->job, 0);
				free(probe.out);
			}
			if (ready) {
				*pw = w->next;
				denai_serve_http_resume(w->conn);
				free(w);
			} else
				pw = &w->next;
		}
		if (stopping)
			s->waiters_closed = 1;
		pthread_mutex_unlock(&s->wait_mu);
		if (stopping)
			break;
		pthread_mutex_lock(&s->mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!atomic_load(&s->stop))
			pthread_cond_timedwait(&s->jobs_cv, &s->mu, &ts);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

/* Adds a suspended connection. Returns: 0, or -1 when stopping. */
int
denai_serve_wait_add(denai_serve *s, void *conn, const char *route,
    const char *job)
{
	serve_waiter *w = calloc(1, sizeof(*w));
	int rc = -1;

	if (w == NULL)
		return -1;
	w->conn = conn;
	w->route = route;
	snprintf(w->job, sizeof(w->job), "%s", job);
	w->deadline = denai_serve_now_ms() + s->o.wait_ms;
	pthread_mutex_lock(&s->wait_mu);
	if (!s->waiters_closed) {
		w->next = s->waiters;
		s->waiters = w;
		denai_serve_http_suspend(conn);
		rc = 0;
	}
	pthread_mutex_unlock(&s->wait_mu);
	if (rc != 0)
		free(w);
	return rc;
}

/* Idempotency-Key: a stored key answers as the first time (the job's
 * state now). Returns: 0 go on, 1 answered. */
static int
idem_lookup(denai_serve *s, serve_req *r, const char *route,
    const char *bhash)
{
	const char *ik = denai_serve_header(r, "Idempotency-Key");
	sqlite3 *db = denai_serve_db_reader(s, 1);
	sqlite3_stmt *st;
	char job[64] = "", rt[64] = "", bh[80] = "";
	int found = 0;

	if (ik == NULL)
		return 0;
	if (db == NULL || sqlite3_prepare_v2(db, "SELECT route, body_hash,"
	    " job_id FROM idem WHERE key_id = ? AND ikey = ?", -1, &st, NULL)
	    != SQLITE_OK) {
		denai_serve_error(r, 503, NULL, "state.db is unavailable");
		return 1;
	}
	sqlite3_bind_int64(st, 1, r->key_id);
	sqlite3_bind_text(st, 2, ik, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		snprintf(rt, sizeof(rt), "%s", sqlite3_column_text(st, 0));
		snprintf(bh, sizeof(bh), "%s", sqlite3_column_text(st, 1));
		snprintf(job, sizeof(job), "%s", sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (!found)
		return 0;
	if (strcmp(rt, route) != 0 || strcmp(bh, bhash) != 0) {
		denai_serve_error(r, 422, "Idempotency-Key",
		    "this key was used for "
		    "another request");
		return 1;
	}
	job_answer(s, r, route, job);
	return 1;
}

static void
body_hash(char out[65], serve_req *r)
{
	uint8_t h[32];

	crypto_generichash(h, sizeof(h), (const uint8_t *)r->body,
	    r->body_len, NULL, 0);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/*
 * One transaction: budget, job, private set, idempotency key.
 * Returns: 0; 1 answered (402 over budget, 409 key raced, 503).
 */
static int
accept_job(denai_serve *s, serve_req *r, const char *route, const char *kind,
    json_t *params, const denai_u256 *cost, const char *bhash,
    const char *test_cid, const char *salt, const uint8_t *csv, size_t csvlen,
    char job_id[40])
{
	sqlite3 *db = s->state;
	sqlite3_stmt *st = NULL;
	char costd[DENAI_U256_DEC_MAX], sp[DENAI_U256_DEC_MAX];
	const char *ik = denai_serve_header(r, "Idempotency-Key");
	char *ptext = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	uint8_t rnd[12];
	denai_u256 budget, spent, after;
	int rc = 1, ok = 0;
	sqlite3_int64 now = (sqlite3_int64)time(NULL);

	randombytes_buf(rnd, sizeof(rnd));
	memcpy(job_id, "j-", 2);
	for (int i = 0; i < 12; i++)
		snprintf(job_id + 2 + 2 * i, 3, "%02x", rnd[i]);
	denai_u256_to_dec(costd, cost);
	pthread_mutex_lock(&s->state_mu);
	if (denai_serve_db_exec(db, "BEGIN IMMEDIATE", NULL) != 0)
		goto out;
	/* A concurrent retry with the same key may have won. */
	if (ik != NULL) {
		if (sqlite3_prepare_v2(db, "SELECT job_id FROM idem WHERE"
		    " key_id = ? AND ikey = ?", -1, &st, NULL) != SQLITE_OK)
			goto rollback;
		sqlite3_bind_int64(st, 1, r->key_id);
		sqlite3_bind_text(st, 2, ik, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			denai_serve_error(r, 409, "Idempotency-Key",
			    "a request with "
			    "this key is in progress; retry");
			sqlite3_finalize(st);
			st = NULL;
			goto rollback_answered;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (sqlite3_prepare_v2(db, "SELECT budget, spent FROM keys WHERE"
	    " id = ?", -1, &st, NULL) != SQLITE_OK)
		goto rollback;
	sqlite3_bind_int64(st, 1, r->key_id);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    denai_u256_parse_dec(&budget, (const char *)sqlite3_column_text(st,
	    0), (size_t)sqlite3_column_bytes(st, 0), NULL) != 0 ||
	    denai_u256_parse_dec(&spent, (const char *)sqlite3_column_text(st,
	    1), (size_t)sqlite3_column_bytes(st, 1), NULL) != 0)
		goto rollback;
	sqlite3_finalize(st);
	st = NULL;
	if (denai_u256_add(&after, &spent, cost) != 0 ||
	    denai_u256_cmp(&after, &budget) > 0) {
		char b[DENAI_U256_DEC_MAX];
		denai_u256_sub(&budget, &budget, &spent);
		denai_serve_error(r, 402, NULL,
		    "over this key's budget: it costs %s "
		    "wei, %s wei is left",
		    costd, denai_u256_to_dec(b, &budget));
		goto rollback_answered;
	}
	denai_u256_to_dec(sp, &after);
	if (sqlite3_prepare_v2(db, "UPDATE keys SET spent = ? WHERE id = ?",
	    -1, &st, NULL) != SQLITE_OK)
		goto rollback;
	sqlite3_bind_text(st, 1, sp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->key_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto rollback;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "INSERT INTO jobs(id, kind, key_id, params,"
	    " cost, state, created, updated) VALUES(?, ?, ?, ?, ?, 'accepted',"
	    " ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto rollback;
	sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->key_id);
	sqlite3_bind_text(st, 4, ptext, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, costd, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto rollback;
	sqlite3_finalize(st);
	st = NULL;
	if (csv != NULL) {
		if (sqlite3_prepare_v2(db, "INSERT INTO private_sets(job_id,"
		    " test_cid, salt, csv, state, updated) VALUES(?, ?, ?, ?,"
		    " 'waiting', ?)", -1, &st, NULL) != SQLITE_OK)
			goto rollback;
		sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, test_cid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, salt, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, csv, (int)csvlen, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto rollback;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (ik != NULL) {
		if (sqlite3_prepare_v2(db, "INSERT INTO idem(key_id, ikey, route,"
		    " body_hash, job_id, created) VALUES(?, ?, ?, ?, ?, ?)", -1,
		    &st, NULL) != SQLITE_OK)
			goto rollback;
		sqlite3_bind_int64(st, 1, r->key_id);
		sqlite3_bind_text(st, 2, ik, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, route, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, bhash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, job_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto rollback;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (denai_serve_db_exec(db, "COMMIT", NULL) != 0)
		goto rollback;
	ok = 1;
	rc = 0;
	goto out;
rollback:
	denai_serve_error(r, 503, NULL, "state.db: %s", sqlite3_errmsg(db));
rollback_answered:
	sqlite3_finalize(st);
	st = NULL;
	(void)denai_serve_db_exec(db, "ROLLBACK", NULL);
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->state_mu);
	if (rc == 1 && r->out == NULL)
		denai_serve_error(r, 503, NULL, "state.db: %s",
		    sqlite3_errmsg(db));
	free(ptext);
	if (ok)
		denai_serve_wake(s);
	return rc;
}

/* Reads a file from a store (local only). */
static int
store_read(denai_blockstore *bs, const char *cidtext, uint8_t **p,
    size_t *n, denai_err *err)
{
	denai_fetcher *f;
	denai_cid cid;
	int rc;

	if (denai_cid_parse_any(&cid, cidtext, strlen(cidtext), err) != 0)
		return -1;
	if (!denai_blockstore_has(bs, &cid))
		return denai_err_set(err, DENAI_EDATA, "not in this node's "
		    "block store (POST /api/ipfs first)");
	if ((f = denai_fetcher_new(bs, NULL, err)) == NULL)
		return -1;
	rc = denai_fetch_mem(f, &cid, SERVE_CSV_MAX, p, n, err);
	denai_fetcher_free(f);
	return rc;
}

static int
writes_ok(denai_serve *s, serve_req *r, int tasks)
{
	if (!s->has_chain || !s->has_key) {
		denai_serve_error(r, 503, NULL,
		    "this node sends no transactions (it "
		    "runs without %s)",
		    s->has_chain ? "a key" : "a chain");
		return 0;
	}
	if (tasks && !s->o.has_tasks) {
		denai_serve_error(r, 503, NULL,
		    "this node knows no tasks contract");
		return 0;
	}
	return 1;
}

void
denai_serve_api_task_create(denai_serve *s, serve_req *r)
{
	serve_task_in t;
	serve_bad bad;
	uint8_t *train = NULL, *test = NULL, salt[32], seal[32];
	size_t trainlen = 0, testlen = 0, rows, cols, enclen;
	char *hdr1 = NULL, *hdr2 = NULL, bh[65], job[40], saltx[67], sealx[67];
	char tcid[128], traincid[128], d[DENAI_U256_DEC_MAX];
	denai_err err;
	denai_cid cid;
	denai_u256 cost;
	denai_abi_type *ty = NULL;
	json_t *params = NULL, *dl, *enc_args;
	uint8_t *enc = NULL;

	if (denai_serve_task_parse(&t, r->body, r->body_len, &bad) != 0) {
		denai_serve_error(r, 400, bad.field[0] ? bad.field : NULL, "%s",
		    bad.msg);
		return;
	}
	body_hash(bh, r);
	if (idem_lookup(s, r, "/api/tasks", bh))
		goto out;
	if ((hdr1 = malloc(HDR_MAX)) == NULL || (hdr2 = malloc(HDR_MAX))
	    == NULL) {
		denai_serve_error(r, 500, NULL, "out of memory");
		goto out;
	}
	if (t.train_cid != NULL && store_read(s->bs, t.train_cid, &train,
	    &trainlen, &err) != 0) {
		denai_serve_error(r, 400, "train_cid", "%s", err.msg);
		goto out;
	}
	if (t.test_cid != NULL && store_read(s->priv, t.test_cid, &test,
	    &testlen, &err) != 0) {
		denai_serve_error(r, 400, "test_cid",
		    "%s (a test set is added with "
		    "POST /api/ipfs?private=1)",
		    err.msg);
		goto out;
	}
	if (denai_serve_csv_check(train ? (char *)train : t.train_csv, train ?
	    trainlen : t.train_len, t.label, &rows, &cols, hdr1, HDR_MAX,
	    &bad) != 0) {
		denai_serve_error(r, 400,
		    t.train_cid ? "train_cid" : "train_csv", "training set: %s",
		    bad.msg);
		goto out;
	}
	if (denai_serve_csv_check(test ? (char *)test : t.test_csv, test ?
	    testlen : t.test_len, t.label, &rows, &cols, hdr2, HDR_MAX,
	    &bad) != 0) {
		denai_serve_error(r, 400, t.test_cid ? "test_cid" : "test_csv",
		    "test set: %s", bad.msg);
		goto out;
	}
	if (strcmp(hdr1, hdr2) != 0) {
		denai_serve_error(r, 400, t.test_cid ? "test_cid" : "test_csv",
		    "the test set's header differs from the training set's");
		goto out;
	}
	if (!writes_ok(s, r, 1))
		goto out;
	/* The data: training set public, test set private. */
	if (test == NULL) {
		if ((test = malloc(t.test_len + 1)) == NULL) {
			denai_serve_error(r, 500, NULL, "out of memory");
			goto out;
		}
		memcpy(test, t.test_csv, t.test_len);
		testlen = t.test_len;
	}
	if (t.train_cid == NULL) {
		if (denai_ipfs_add(s->bs, (const uint8_t *)t.train_csv,
		    t.train_len, 1, &cid, &err) != 0) {
			denai_serve_error(r, 500, NULL, "%s", err.msg);
			goto out;
		}
		snprintf(traincid, sizeof(traincid), "%s", denai_cid_str(&cid));
	} else
		snprintf(traincid, sizeof(traincid), "%s", t.train_cid);
	if (denai_ipfs_add(s->priv, test, testlen, 1, &cid, &err) != 0) {
		denai_serve_error(r, 500, NULL, "%s", err.msg);
		goto out;
	}
	snprintf(tcid, sizeof(tcid), "%s", denai_cid_str(&cid));
	/* The seal: keccak256(abi.encode(string testCid, bytes32 salt)). */
	randombytes_buf(salt, sizeof(salt));
	denai_hex_encode(saltx, salt, 32);
	enc_args = json_pack("[ss]", tcid, saltx);
	ty = denai_abi_type_parse("(string,bytes32)", 16, &err);
	if (ty == NULL || denai_abi_encode(&enc, &enclen, ty, enc_args, &err)
	    != 0) {
		json_decref(enc_args);
		denai_serve_error(r, 500, NULL, "%s", err.msg);
		goto out;
	}
	json_decref(enc_args);
	denai_keccak256(seal, enc, enclen);
	denai_hex_encode(sealx, seal, 32);
	dl = json_array();
	for (int i = 0; i < 5; i++)
		json_array_append_new(dl, json_integer((json_int_t)t.dl[i]));
	params = json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:o, s:b, s:i}",
	    "train_cid", traincid, "test_cid", tcid, "test_seal", sealx,
	    "kind", t.kind, "label_column", t.label, "decimals",
	    (int)t.decimals, t.relative ? "windows" : "deadlines", dl,
	    "relative", t.relative, "quorum", (int)t.quorum);
	json_object_set_new(params, "reward", json_string(denai_u256_to_dec(d,
	    &t.reward)));
	json_object_set_new(params, "reveal_bond", json_string(
	    denai_u256_to_dec(d, &t.reveal_bond)));
	json_object_set_new(params, "commit_bond", json_string(
	    denai_u256_to_dec(d, &t.commit_bond)));
	if (denai_u256_add(&cost, &t.reward, &t.reveal_bond) != 0) {
		denai_serve_error(r, 400, "reward", "reward and bond overflow");
		goto out;
	}
	if (accept_job(s, r, "/api/tasks", "task", params, &cost, bh, tcid,
	    saltx, test, testlen, job) != 0)
		goto out;
	job_answer(s, r, "/api/tasks", job);
out:
	sodium_memzero(salt, sizeof(salt));
	denai_abi_type_free(ty);
	free(enc);
	json_decref(params);
	free(train);
	free(test);
	free(hdr1);
	free(hdr2);
	denai_serve_task_in_free(&t);
}

void
denai_serve_api_request_create(denai_serve *s, serve_req *r)
{
	serve_request_in q;
	serve_bad bad;
	char bh[65], job[40], cidtext[128], d[DENAI_U256_DEC_MAX];
	denai_err err;
	denai_cid cid;
	json_t *params;
	char *text;

	if (denai_serve_request_parse(&q, r->body, r->body_len, &bad) != 0) {
		denai_serve_error(r, 400, bad.field[0] ? bad.field : NULL, "%s",
		    bad.msg);
		return;
	}
	body_hash(bh, r);
	if (idem_lookup(s, r, "/api/requests", bh))
		goto out;
	if (q.data_cid != NULL) {
		if (denai_cid_parse_any(&cid, q.data_cid, strlen(q.data_cid),
		    &err) != 0 || !denai_blockstore_has(s->bs, &cid)) {
			denai_serve_error(r, 400, "data_cid",
			    "not in this node's block "
			    "store (POST /api/ipfs first)");
			goto out;
		}
		snprintf(cidtext, sizeof(cidtext), "%s", q.data_cid);
	}
	if (!writes_ok(s, r, 0))
		goto out;
	if (q.data != NULL) {
		if ((text = json_dumps(q.data, JSON_COMPACT)) == NULL ||
		    denai_ipfs_add(s->bs, (const uint8_t *)text, strlen(text), 1,
		    &cid, &err) != 0) {
			free(text);
			denai_serve_error(r, 500, NULL,
			    "cannot store the data point");
			goto out;
		}
		free(text);
		snprintf(cidtext, sizeof(cidtext), "%s", denai_cid_str(&cid));
	}
	params = json_pack("{s:s, s:s, s:s, s:I}", "model_id", q.model_id,
	    "data_cid", cidtext, "tip", denai_u256_to_dec(d, &q.tip),
	    "callback_gas", (json_int_t)q.callback_gas);
	if (accept_job(s, r, "/api/requests", "request", params, &q.tip, bh,
	    NULL, NULL, NULL, 0, job) == 0)
		job_answer(s, r, "/api/requests", job);
	json_decref(params);
out:
	denai_serve_request_in_free(&q);
}
