/*
 * follow.c - the follower: index.db from the oracle's and the tasks
 * contract's logs (eth_getLogs over ranges of confirmed blocks), with the
 * next block and the hashes of recently scanned blocks kept in index.db,
 * so that a restart resumes, a reorg (a stored hash that changed) rewinds
 * to the newest block still on the chain, and a deleted index.db is
 * rebuilt from the deployment's block.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "eth/hex.h"
#include "eth/secp.h"
#include "node/contract.h"
#include "serve/priv.h"

#define RANGE 2000
#define KEEP_BLOCKS 128

typedef struct follower {
	denai_serve *s;
	sqlite3 *db;
	denai_rpc *rpc;
	uint8_t topic_o[DENAI_EV_COUNT][32];
	uint8_t topic_t[DENAI_TEV_COUNT][32];
} follower;

static int
meta_get(sqlite3 *db, const char *k, char *v, size_t cap)
{
	sqlite3_stmt *st;
	int found = 0;

	v[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k = ?", -1, &st,
	    NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(v, cap, "%s", sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

static int
sql(sqlite3 *db, const char *q, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	const char *p;
	int i = 1, rc;

	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	va_start(ap, q);
	while ((p = va_arg(ap, const char *)) != NULL) {
		if (p == (const char *)1)	/* SQL NULL */
			sqlite3_bind_null(st, i++);
		else
			sqlite3_bind_text(st, i++, p, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

#define SNULL ((const char *)1)

static int
meta_set(sqlite3 *db, const char *k, const char *v)
{
	return sql(db, "INSERT OR REPLACE INTO meta(k, v) VALUES(?, ?)", k, v,
	    NULL);
}

/* A checkpoint for another chain or contract: start over. */
static int
check_identity(follower *f, denai_err *err)
{
	denai_serve *s = f->s;
	char want[256], have[256], a[DENAI_ADDR_HEX_MAX], b[DENAI_ADDR_HEX_MAX];

	snprintf(want, sizeof(want), "%llu:%s:%s",
	    (unsigned long long)s->dep.chain_id,
	    denai_secp_addr_checksum(a, s->dep.oracle),
	    s->o.has_tasks ? denai_secp_addr_checksum(b, s->o.tasks) : "-");
	if (meta_get(f->db, "identity", have, sizeof(have)) &&
	    strcmp(have, want) == 0)
		return 0;
	if (denai_serve_db_exec(f->db, "BEGIN;"
	    "DELETE FROM meta; DELETE FROM blocks; DELETE FROM models;"
	    "DELETE FROM requests; DELETE FROM solutions; DELETE FROM tasks;"
	    "DELETE FROM commits; DELETE FROM votes; DELETE FROM scores;",
	    err) != 0 || meta_set(f->db, "identity", want) != 0 ||
	    denai_serve_db_exec(f->db, "COMMIT", err) != 0)
		return -1;
	atomic_fetch_add(&f->s->index_gen, 1);
	return 0;
}

static uint64_t
next_block(follower *f)
{
	char v[32];

	if (meta_get(f->db, "next_block", v, sizeof(v)))
		return strtoull(v, NULL, 10);
	return f->s->dep.block;
}

/* Removes what blocks after fork put in the index. */
static int
rewind_to(follower *f, uint64_t fork)
{
	char b[24], n[24];
	static const char *const q[] = {
		"DELETE FROM models WHERE block > ?1",
		"DELETE FROM requests WHERE block > ?1",
		"UPDATE requests SET status = 'open', prediction = NULL,"
		" callback_ok = NULL, end_block = NULL, end_tx = NULL"
		" WHERE end_block > ?1",
		"DELETE FROM solutions WHERE block > ?1",
		"DELETE FROM tasks WHERE block > ?1",
		"UPDATE tasks SET test_cid = NULL, test_block = NULL"
		" WHERE test_block > ?1",
		"UPDATE tasks SET cancelled_block = NULL WHERE cancelled_block > ?1",
		"UPDATE tasks SET finalized_block = NULL, outcome = NULL,"
		" winner = NULL, score = NULL, model_id = NULL"
		" WHERE finalized_block > ?1",
		"DELETE FROM commits WHERE block > ?1",
		"UPDATE commits SET reveal_block = NULL, model_cid = NULL,"
		" model_sha256 = NULL WHERE reveal_block > ?1",
		"DELETE FROM votes WHERE commit_block > ?1",
		"UPDATE votes SET reveal_block = NULL, test_valid = NULL"
		" WHERE reveal_block > ?1",
		"DELETE FROM scores WHERE block > ?1",
		"DELETE FROM blocks WHERE number > ?1",
	};

	snprintf(b, sizeof(b), "%llu", (unsigned long long)fork);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)fork + 1);
	if (denai_serve_db_exec(f->db, "BEGIN", NULL) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if (sql(f->db, q[i], b, NULL) != 0)
			goto fail;
	if (meta_set(f->db, "next_block", n) != 0 ||
	    denai_serve_db_exec(f->db, "COMMIT", NULL) != 0)
		goto fail;
	atomic_fetch_add(&f->s->index_gen, 1);
	return 0;
fail:
	(void)denai_serve_db_exec(f->db, "ROLLBACK", NULL);
	return -1;
}

static int
block_hash(follower *f, uint64_t n, char out[67], denai_err *err)
{
	char tag[24];
	denai_rpc_block b;

	snprintf(tag, sizeof(tag), "0x%llx", (unsigned long long)n);
	if (denai_rpc_get_block(f->rpc, tag, &b, err) != 0)
		return -1;
	denai_hex_encode(out, b.hash, 32);
	return 0;
}

/* Checks the newest stored block; on a mismatch walks back to the
 * newest that still matches and rewinds there. */
static int
check_reorg(follower *f, uint64_t head, denai_err *err)
{
	sqlite3_stmt *st;
	char h[67];
	uint64_t fork = f->s->dep.block ? f->s->dep.block - 1 : 0;
	int changed = 0, rc;

	if (sqlite3_prepare_v2(f->db, "SELECT number, hash FROM blocks ORDER"
	    " BY number DESC", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t n = (uint64_t)sqlite3_column_int64(st, 0);
		if (n > head) {		/* the chain is shorter now */
			changed = 1;
			continue;
		}
		if (block_hash(f, n, h, err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
		if (strcasecmp(h, (const char *)sqlite3_column_text(st, 1)) == 0) {
			fork = n;
			break;
		}
		changed = 1;
	}
	sqlite3_finalize(st);
	if (!changed)
		return 0;
	atomic_fetch_add(&f->s->reorgs, 1);
	if (rc != SQLITE_ROW)	/* nothing stored matched: from the start */
		fork = f->s->dep.block ? f->s->dep.block - 1 : 0;
	return rewind_to(f, fork);
}

static const char *
sv(const json_t *named, const char *k)
{
	const json_t *v = json_object_get(named, k);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_true(v))
		return "1";
	if (json_is_false(v))
		return "0";
	return SNULL;
}

/* The log's topics and data as bytes, decoded against ev. */
static json_t *
decode(const denai_abi_sig *ev, const json_t *log)
{
	const json_t *tp = json_object_get(log, "topics"), *v;
	const char *data = json_string_value(json_object_get(log, "data"));
	uint8_t (*topics)[32] = NULL, *bytes = NULL;
	size_t nt = json_array_size(tp), len = 0, i;
	json_t *out = NULL, *named;

	if (data == NULL || nt == 0 || nt > 4)
		return NULL;
	if ((topics = calloc(nt, 32)) == NULL ||
	    (bytes = malloc(strlen(data) / 2 + 1)) == NULL)
		goto out;
	json_array_foreach(tp, i, v)
		if (!json_is_string(v) || denai_hex_decode_exact(topics[i], 32,
		    json_string_value(v), NULL) != 0)
			goto out;
	if (denai_hex_decode(bytes, strlen(data) / 2 + 1, &len, data,
	    strlen(data), 0, NULL) != 0)
		goto out;
	out = denai_abi_decode_log(ev, (const uint8_t (*)[32])topics, nt, bytes,
	    len, NULL);
out:
	free(topics);
	free(bytes);
	if (out == NULL)
		return NULL;
	named = json_incref(json_object_get(out, "named"));
	json_decref(out);
	return named;
}

static int
apply_scores(follower *f, const char *task, const char *blk)
{
	denai_serve *s = f->s;
	sqlite3_stmt *st;
	json_t *trainers = json_array(), *res, *args;
	size_t i;
	json_t *t;
	int rc = 0;

	if (sqlite3_prepare_v2(f->db, "SELECT trainer FROM commits WHERE"
	    " task_id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, task, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(trainers, json_string((const char *)
		    sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	json_array_foreach(trainers, i, t) {
		args = json_pack("[sO]", task, t);
		if (denai_contract_call(f->rpc, &res, NULL, s->o.tasks, NULL,
		    denai_tasks_fn(s->tasks, DENAI_TFN_SCORE_OF), args, "latest", NULL, 0, NULL) != 0) {
			json_decref(args);
			rc = -1;
			break;
		}
		json_decref(args);
		sql(f->db, "INSERT OR REPLACE INTO scores(task_id, trainer,"
		    " settled, score, block) VALUES(?, ?, ?, ?, ?)", task,
		    json_string_value(t), json_is_true(json_array_get(res, 0)) ?
		    "1" : "0", json_string_value(json_array_get(res, 1)), blk,
		    NULL);
		json_decref(res);
	}
	json_decref(trainers);
	return rc;
}

static int
apply_log(follower *f, const json_t *log)
{
	const char *t0 = json_string_value(json_array_get(json_object_get(log,
	    "topics"), 0));
	const char *addr = json_string_value(json_object_get(log, "address"));
	const char *txh = json_string_value(json_object_get(log,
	    "transactionHash"));
	uint8_t topic[32], a[DENAI_ADDR_LEN];
	uint64_t bn;
	char blk[24];
	json_t *n;
	int ev = -1, oracle;
	denai_serve *s = f->s;
	int rc = 0;

	if (t0 == NULL || addr == NULL || denai_hex_decode_exact(topic, 32, t0,
	    NULL) != 0 || denai_secp_addr_parse(a, addr, strlen(addr), NULL)
	    != 0 || denai_rpc_quantity_u64(&bn, json_object_get(log,
	    "blockNumber"), NULL) != 0)
		return 0;			/* not ours to read */
	snprintf(blk, sizeof(blk), "%llu", (unsigned long long)bn);
	oracle = memcmp(a, s->dep.oracle, DENAI_ADDR_LEN) == 0;
	if (oracle) {
		for (int i = 0; i < DENAI_EV_COUNT; i++)
			if (memcmp(topic, f->topic_o[i], 32) == 0)
				ev = i;
		if (ev < 0 || (n = decode(denai_oracle_event(s->oracle, ev),
		    log)) == NULL)
			return 0;
		switch (ev) {
		case DENAI_EV_REQUESTED:
			rc = sql(f->db, "INSERT OR REPLACE INTO requests(id,"
			    " model_id, requester, data_cid, tip, block, tx_hash,"
			    " status) VALUES(?, ?, ?, ?, ?, ?, ?, 'open')",
			    sv(n, "requestId"), sv(n, "modelId"),
			    sv(n, "requester"), sv(n, "dataCid"), sv(n, "tip"),
			    blk, txh, NULL);
			break;
		case DENAI_EV_SUBMITTED:
			rc = sql(f->db, "INSERT OR REPLACE INTO solutions("
			    "request_id, miner, prediction, block, tx_hash)"
			    " VALUES(?, ?, ?, ?, ?)", sv(n, "requestId"),
			    sv(n, "miner"), sv(n, "prediction"), blk, txh, NULL);
			break;
		case DENAI_EV_FULFILLED:
			rc = sql(f->db, "UPDATE requests SET status = 'fulfilled',"
			    " prediction = ?2, callback_ok = ?3, end_block = ?4,"
			    " end_tx = ?5 WHERE id = ?1", sv(n, "requestId"),
			    sv(n, "prediction"), sv(n, "callbackOk"), blk, txh,
			    NULL);
			break;
		case DENAI_EV_CANCELLED:
			rc = sql(f->db, "UPDATE requests SET status = 'cancelled',"
			    " end_block = ?2, end_tx = ?3 WHERE id = ?1",
			    sv(n, "requestId"), blk, txh, NULL);
			break;
		case DENAI_EV_MODEL_REGISTERED:
			rc = sql(f->db, "INSERT OR REPLACE INTO models(id, trainer,"
			    " cid, sha256, decimals, description, block, tx_hash)"
			    " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", sv(n, "modelId"),
			    sv(n, "trainer"), sv(n, "modelCid"),
			    sv(n, "modelSha256"), sv(n, "decimals"),
			    sv(n, "description"), blk, txh, NULL);
			break;
		}
		json_decref(n);
		return rc;
	}
	if (!s->o.has_tasks || memcmp(a, s->o.tasks, DENAI_ADDR_LEN) != 0)
		return 0;
	for (int i = 0; i < DENAI_TEV_COUNT; i++)
		if (memcmp(topic, f->topic_t[i], 32) == 0)
			ev = i;
	if (ev < 0 || (n = decode(denai_tasks_event(s->tasks, ev), log)) == NULL)
		return 0;
	switch (ev) {
	case DENAI_TEV_CREATED: {
		const json_t *d = json_object_get(n, "deadlines");
		rc = sql(f->db, "INSERT OR REPLACE INTO tasks(id, creator,"
		    " train_cid, kind, label_column, decimals, d_commit, d_test,"
		    " d_model, d_score_commit, d_score_reveal, quorum, reward,"
		    " commit_bond, block, tx_hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?,"
		    " ?, ?, ?, ?, ?, ?, ?, ?)", sv(n, "taskId"), sv(n, "creator"),
		    sv(n, "trainCid"), sv(n, "kind"), sv(n, "labelColumn"),
		    sv(n, "decimals"), json_string_value(json_array_get(d, 0)),
		    json_string_value(json_array_get(d, 1)),
		    json_string_value(json_array_get(d, 2)),
		    json_string_value(json_array_get(d, 3)),
		    json_string_value(json_array_get(d, 4)), sv(n, "quorum"),
		    sv(n, "reward"), sv(n, "commitBond"), blk, txh, NULL);
		break;
	}
	case DENAI_TEV_CANCELLED:
		rc = sql(f->db, "UPDATE tasks SET cancelled_block = ?2 WHERE"
		    " id = ?1", sv(n, "taskId"), blk, NULL);
		break;
	case DENAI_TEV_MODEL_COMMITTED:
		rc = sql(f->db, "INSERT OR REPLACE INTO commits(task_id, trainer,"
		    " seal, seq, block) VALUES(?, ?, ?, ?, ?)", sv(n, "taskId"),
		    sv(n, "trainer"), sv(n, "seal"), sv(n, "seq"), blk, NULL);
		break;
	case DENAI_TEV_TEST_REVEALED:
		rc = sql(f->db, "UPDATE tasks SET test_cid = ?2, test_block = ?3"
		    " WHERE id = ?1", sv(n, "taskId"), sv(n, "testCid"), blk,
		    NULL);
		break;
	case DENAI_TEV_MODEL_REVEALED:
		rc = sql(f->db, "UPDATE commits SET reveal_block = ?3,"
		    " model_cid = ?4, model_sha256 = ?5 WHERE task_id = ?1 AND"
		    " trainer = ?2", sv(n, "taskId"), sv(n, "trainer"), blk,
		    sv(n, "modelCid"), sv(n, "modelSha256"), NULL);
		break;
	case DENAI_TEV_SCORES_COMMITTED:
		rc = sql(f->db, "INSERT OR REPLACE INTO votes(task_id, validator,"
		    " commit_block) VALUES(?, ?, ?)", sv(n, "taskId"),
		    sv(n, "validator"), blk, NULL);
		break;
	case DENAI_TEV_SCORES_REVEALED:
		rc = sql(f->db, "UPDATE votes SET reveal_block = ?3, test_valid"
		    " = ?4 WHERE task_id = ?1 AND validator = ?2",
		    sv(n, "taskId"), sv(n, "validator"), blk,
		    sv(n, "testSetValid"), NULL);
		break;
	case DENAI_TEV_FINALIZED:
		rc = sql(f->db, "UPDATE tasks SET finalized_block = ?2,"
		    " outcome = ?3, winner = ?4, score = ?5, model_id = ?6"
		    " WHERE id = ?1", sv(n, "taskId"), blk, sv(n, "outcome"),
		    sv(n, "winner"), sv(n, "score"), sv(n, "modelId"), NULL);
		if (rc == 0)
			rc = apply_scores(f, sv(n, "taskId"), blk);
		break;
	}
	json_decref(n);
	return rc;
}

/* One step. Returns: 1 caught up, 0 more to do, -1 failed (retry). */
static int
step(follower *f, denai_err *err)
{
	denai_serve *s = f->s;
	uint64_t head, target, from, to;
	char a1[DENAI_ADDR_HEX_MAX], a2[DENAI_ADDR_HEX_MAX], fb[24], tb[24];
	char h[67], n[24], keep[24];
	json_t *filter, *addrs, *logs;
	size_t i;
	json_t *log;

	if (denai_rpc_block_number(f->rpc, &head, err) != 0)
		return -1;
	atomic_store(&s->head, head);
	atomic_store(&s->chain_ok, 1);
	if (check_reorg(f, head, err) != 0)
		return -1;
	target = head > s->o.confirmations ? head - s->o.confirmations : 0;
	from = next_block(f);
	if (from > target) {
		atomic_store(&s->indexed, from ? from - 1 : 0);
		return 1;
	}
	to = from + RANGE - 1 < target ? from + RANGE - 1 : target;
	addrs = json_array();
	json_array_append_new(addrs, json_string(denai_secp_addr_checksum(a1,
	    s->dep.oracle)));
	if (s->o.has_tasks)
		json_array_append_new(addrs, json_string(
		    denai_secp_addr_checksum(a2, s->o.tasks)));
	snprintf(fb, sizeof(fb), "0x%llx", (unsigned long long)from);
	snprintf(tb, sizeof(tb), "0x%llx", (unsigned long long)to);
	filter = json_pack("{s:s, s:s, s:o}", "fromBlock", fb, "toBlock", tb,
	    "address", addrs);
	if (denai_rpc_get_logs(f->rpc, filter, &logs, err) != 0) {
		json_decref(filter);
		return -1;
	}
	json_decref(filter);
	if (block_hash(f, to, h, err) != 0) {
		json_decref(logs);
		return -1;
	}
	if (denai_serve_db_exec(f->db, "BEGIN", err) != 0) {
		json_decref(logs);
		return -1;
	}
	json_array_foreach(logs, i, log)
		if (apply_log(f, log) != 0) {
			denai_err_set(err, DENAI_EIO, "index.db: %s",
			    sqlite3_errmsg(f->db));
			goto fail;
		}
	snprintf(n, sizeof(n), "%llu", (unsigned long long)to + 1);
	snprintf(tb, sizeof(tb), "%llu", (unsigned long long)to);
	snprintf(keep, sizeof(keep), "%llu", (unsigned long long)(to >
	    KEEP_BLOCKS ? to - KEEP_BLOCKS : 0));
	if (sql(f->db, "INSERT OR REPLACE INTO blocks(number, hash)"
	    " VALUES(?, ?)", tb, h, NULL) != 0 ||
	    sql(f->db, "DELETE FROM blocks WHERE number < ?", keep, NULL) != 0 ||
	    meta_set(f->db, "next_block", n) != 0 ||
	    denai_serve_db_exec(f->db, "COMMIT", err) != 0)
		goto fail;
	json_decref(logs);
	atomic_fetch_add(&s->index_gen, 1);
	atomic_store(&s->indexed, to);
	return to == target;
fail:
	(void)denai_serve_db_exec(f->db, "ROLLBACK", NULL);
	json_decref(logs);
	return -1;
}

void *
denai_serve_follow_main(void *arg)
{
	denai_serve *s = arg;
	follower f = {.s = s};
	denai_err err;
	int rc;

	for (int i = 0; i < DENAI_EV_COUNT; i++)
		denai_abi_topic0(f.topic_o[i], denai_oracle_event(s->oracle, i));
	for (int i = 0; i < DENAI_TEV_COUNT; i++)
		denai_abi_topic0(f.topic_t[i], denai_tasks_event(s->tasks, i));
	if (denai_serve_db_open(&f.db, s->index_path, 1, 0644, &err) != 0)
		return NULL;
	if (check_identity(&f, &err) != 0)
		goto out;
	while (!atomic_load(&s->stop)) {
		if (f.rpc == NULL && (f.rpc = denai_rpc_new(s->rpc_url, NULL,
		    &err)) == NULL)
			break;
		rc = step(&f, &err);
		if (rc < 0)
			atomic_store(&s->chain_ok, 0);
		if (rc != 0)
			denai_serve_wake(s);
		if (rc == 0)
			continue;
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
out:
	denai_rpc_free(f.rpc);
	sqlite3_close(f.db);
	return NULL;
}
