/*
 * priv.h - what the files of lib/serve share: the server object, the
 * request as a handler sees it, and the helpers between them. Not a
 * public interface.
 */
#ifndef DENAI_SERVE_PRIV_H
#define DENAI_SERVE_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "err.h"
#include "eth/abi.h"
#include "eth/rpc.h"
#include "ipfs/blockstore.h"
#include "node/oracle.h"
#include "serve/limit.h"
#include "task/tasks.h"
#include "serve/metrics.h"
#include "serve/serve.h"

/* One HTTP exchange as a handler sees it. */
typedef struct serve_req {
	void *conn;			/* struct MHD_Connection */
	const char *method;
	const char *path;		/* without the query */
	const char *body;		/* NUL-terminated, or NULL */
	size_t body_len;
	const char *client;		/* client address text */
	long long key_id;		/* 0: no key */
	int scope;			/* the key's scope, 0 without */
	const char *arg;		/* the {id} of the route, or NULL */
	/* The answer. */
	int status;
	char *out;			/* malloc'd body */
	size_t out_len;
	const char *ctype;		/* static string */
	int out_static;			/* out is not to be freed */
	char location[256];
	char allow[64];
	unsigned retry_after;
	const char *cache;		/* Cache-Control, or NULL */
	char wait_job[40];		/* set: suspend until this job moves */
	const char *wait_route;
} serve_req;

/* A connection suspended until its job can be answered. */
typedef struct serve_waiter {
	struct serve_waiter *next;
	void *conn;
	const char *route;		/* static */
	char job[40];
	uint64_t deadline;		/* ms */
} serve_waiter;


struct denai_serve {
	denai_serve_opts o;
	char *data_dir, *ipfs_dir, *priv_dir, *listen, *rpc_url;
	char *index_path, *state_path;
	denai_deployment dep;
	int has_chain, has_key;
	uint8_t sk[32], addr[DENAI_ADDR_LEN];

	void *mhd;			/* struct MHD_Daemon */
	denai_blockstore *bs, *priv;
	pthread_key_t rdkey;		/* per-thread read connections */
	sqlite3 *state;			/* the one state.db writer */
	pthread_mutex_t state_mu;
	serve_metrics metrics;
	serve_limiter limiter;

	denai_oracle *oracle;
	denai_tasks *tasks;		/* the tasks contract's signatures
					 * (lib/task, parsed once) */

	pthread_t follower, worker, resumer;
	pthread_mutex_t wait_mu;
	serve_waiter *waiters;
	int waiters_closed, resumer_started;
	int threads_started;
	atomic_int stop;
	pthread_mutex_t mu;		/* with cv and jobs_cv */
	pthread_cond_t cv;		/* wakes the worker and the follower */
	pthread_cond_t jobs_cv;		/* a job changed */
	atomic_ullong head, indexed, head_time;
	atomic_ullong index_gen;	/* bumped by each index.db commit */
	atomic_int chain_ok;
	atomic_uint reorgs;
	uint64_t start_time;
};

/* db.c */
int denai_serve_db_open(sqlite3 **db, const char *path, int create,
    unsigned mode, denai_err *err) DENAI_WUR;
int denai_serve_db_exec(sqlite3 *db, const char *sql, denai_err *err);
int denai_serve_db_schema_index(sqlite3 *db, denai_err *err) DENAI_WUR;
int denai_serve_db_schema_state(sqlite3 *db, denai_err *err) DENAI_WUR;
/* This thread's read connection to index.db (which 0) or state.db (1). */
sqlite3 *denai_serve_db_reader(denai_serve *s, int which);
/* A prepared statement of this thread for sql on db, reset; owned by
 * the thread (never finalized by the caller; sqlite3_reset when done). */
sqlite3_stmt *denai_serve_stmt(denai_serve *s, sqlite3 *db, const char *sql);
/* This thread's cache of answers from index.db, valid while index_gen and
 * head are what they were: get copies the body into r (1), or 0. */
int denai_serve_cache_get(denai_serve *s, serve_req *r, const char *key);
void denai_serve_cache_put(denai_serve *s, serve_req *r, const char *key);
void denai_serve_db_reader_free(void *p);
int denai_serve_db_err(denai_err *err, sqlite3 *db, const char *what);

/* reply.c: answers. */
void denai_serve_json(serve_req *r, int status, json_t *body);	/* steals */
void denai_serve_error(serve_req *r, int status, const char *field,
    const char *fmt, ...) DENAI_PRINTF(4, 5);
void denai_serve_static(serve_req *r, int status, const char *ctype,
    const char *body, size_t len);
const char *denai_serve_query(serve_req *r, const char *name);
const char *denai_serve_header(serve_req *r, const char *name);

/* http.c: the server. */
int denai_serve_http_start(denai_serve *s, denai_err *err) DENAI_WUR;
void denai_serve_http_stop(denai_serve *s);

/* routes.c: 404 and 405 answered by _match (-1); needs is what the route
 * asks of the client's key. */
#define SERVE_NEEDS_READ 0
#define SERVE_NEEDS_WRITE 1
#define SERVE_NEEDS_NOTHING 2	/* public even with --private */
enum serve_route_id {
	SERVE_R_PAGE, SERVE_R_HEALTHZ, SERVE_R_METRICS, SERVE_R_TASKS,
	SERVE_R_TASK, SERVE_R_REQUESTS, SERVE_R_REQUEST, SERVE_R_MODELS,
	SERVE_R_MODEL, SERVE_R_IPFS_GET, SERVE_R_IPFS_ADD,
	SERVE_R_OTHER,			/* no route: last */
	SERVE_R_COUNT
};
int denai_serve_route_match(serve_req *r, int *route, int *needs);
const char *denai_serve_route_name(int route);
int denai_serve_route_count(void);
/* dispatch.c: calls the route's handler. */
void denai_serve_route_run(denai_serve *s, serve_req *r, int route);

void denai_serve_api_tasks(denai_serve *s, serve_req *r);
void denai_serve_api_task_create(denai_serve *s, serve_req *r);
void denai_serve_api_request_create(denai_serve *s, serve_req *r);
void denai_serve_api_task(denai_serve *s, serve_req *r);
void denai_serve_api_requests(denai_serve *s, serve_req *r);
void denai_serve_api_request(denai_serve *s, serve_req *r);
void denai_serve_api_models(denai_serve *s, serve_req *r);
void denai_serve_api_model(denai_serve *s, serve_req *r);
void denai_serve_api_ipfs_get(denai_serve *s, serve_req *r);
void denai_serve_api_ipfs_add(denai_serve *s, serve_req *r);
void denai_serve_api_metrics(denai_serve *s, serve_req *r);
void denai_serve_api_healthz(denai_serve *s, serve_req *r);
void denai_serve_api_page(denai_serve *s, serve_req *r);

/* jobs.c: accepting writes (idempotency, budget), waiting for them. */
int denai_serve_job_final(denai_serve *s, serve_req *r, const char *route,
    const char *job_id, int final);
void *denai_serve_resume_main(void *arg);
int denai_serve_wait_add(denai_serve *s, void *conn, const char *route,
    const char *job);
json_t *denai_serve_job_json(denai_serve *s, const char *job_id);

/* follow.c, worker.c: the threads. */
void *denai_serve_follow_main(void *arg);
void *denai_serve_worker_main(void *arg);
/* The phase of a task row (docs/platform.md's numbers). */
int denai_serve_phase(const int64_t dl[5], int test_revealed, int cancelled,
    int finalized, uint64_t head);
extern const char denai_serve_phase_sql[]; /* the same in SQL, head as ?1 */
/* rows.c: sql's rows as objects (text parameters, NULL-terminated; NULL
 * columns as null when nulls), NULL on error; a task row shaped for the
 * API (phase, deadlines). */
json_t *denai_serve_rows(denai_serve *s, sqlite3 *db, const char *sql,
    int nulls, ...);
json_t *denai_serve_task_shape(denai_serve *s, json_t *t);
#define TASK_COLS \
    "CAST(id AS TEXT) AS id, creator, train_cid, test_cid, kind," \
    " label_column, decimals, d_commit, d_test, d_model, d_score_commit," \
    " d_score_reveal, quorum, reward, commit_bond, block, tx_hash," \
    " cancelled_block, finalized_block, outcome, winner, score, model_id"
#define REQ_COLS \
    "CAST(id AS TEXT) AS id, model_id, requester, data_cid, tip, status," \
    " prediction, callback_ok, block, tx_hash, end_block, end_tx"
json_t *denai_serve_task_json(denai_serve *s, sqlite3 *db, const char *id,
    int details);
json_t *denai_serve_request_json(denai_serve *s, sqlite3 *db, const char *id);
const char *denai_serve_phase_name(int phase);
int denai_serve_phase_parse(const char *name);

/* keys.c */
int denai_serve_key_check(denai_serve *s, const char *bearer, long long *id,
    int *scope);

/* Wakes the worker and the follower. */
void denai_serve_wake(denai_serve *s);
/* reply.c: the monotonic clock; MHD's suspend and resume. */
uint64_t denai_serve_now_ms(void);
void denai_serve_http_suspend(void *conn);
void denai_serve_http_resume(void *conn);

#endif
