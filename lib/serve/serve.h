/*
 * serve.h - the REST node: an HTTP server (libmicrohttpd, its internal
 * epoll thread pool) over two SQLite databases in a data folder:
 *
 *   index.db  tasks, requests, models, submissions and scores, fed by
 *             following the chain (checkpoint and reorgs kept in it);
 *             deleted, it is rebuilt from the chain;
 *   state.db  (0600, never rebuilt) what the chain does not hold: API
 *             keys (hashed), idempotency keys, each key's budget, the jobs
 *             accepted and not yet on chain, and private test sets
 *             awaiting their reveal;
 *
 * and two block stores: the public one served at /ipfs/{cid} (the
 * trustless gateway protocol) and a private one (data/private) holding
 * test sets until they are revealed.
 *
 * A denai_serve is a heap object (denai_serve_new/_free). It starts its
 * threads in denai_serve_start (HTTP pool, chain follower, transaction
 * worker) and stops them in denai_serve_free. The options' strings are
 * copied.
 */
#ifndef DENAI_SERVE_H
#define DENAI_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/secp.h"
#include "node/deployment.h"

typedef struct denai_serve denai_serve;

typedef struct denai_serve_opts {
	const char *data_dir;		/* required */
	const char *ipfs_dir;		/* public block store; NULL: data/ipfs */
	const char *listen;		/* address; NULL: 127.0.0.1 */
	unsigned port;			/* 0: any free port */
	unsigned threads;		/* HTTP pool; 0: 4 */
	size_t body_max;		/* JSON bodies, bytes; 0: 16 MiB */
	size_t file_max;		/* POST /api/ipfs bodies; 0: 64 MiB */
	unsigned conn_timeout_s;	/* idle connection; 0: 15 */
	int private_reads;		/* reads need a key too */
	double rate;			/* requests/s per key and per address;
					 * 0: no limit */
	double burst;			/* bucket size; 0: 2 * rate */
	unsigned page_max;		/* largest ?limit=; 0: 100 */
	unsigned wait_ms;		/* a POST waits this long for the chain
					 * before answering 202; 0: 30000 */
	/* The chain: rpc_url NULL runs without one (writes answer 503). */
	const char *rpc_url;
	const denai_deployment *dep;
	int has_tasks;
	uint8_t tasks[DENAI_ADDR_LEN];	/* the tasks contract */
	const uint8_t *sk;		/* the node's key (32 bytes), copied;
					 * NULL: no transactions */
	uint64_t confirmations;		/* index blocks this far behind */
	unsigned poll_ms;		/* chain poll; 0: 1000 */
	const char *metrics_dir;	/* the stages' textfile metrics
					 * (*.prom), appended to /metrics;
					 * NULL: none */
} denai_serve_opts;

void denai_serve_opts_default(denai_serve_opts *o);

/* Opens (creating) the data folder and its databases. */
denai_serve *denai_serve_new(const denai_serve_opts *o, denai_err *err);
/* Listens and starts the threads. Returns: 0 or -1. */
int denai_serve_start(denai_serve *s, denai_err *err) DENAI_WUR;
/* The port listened on (after start). */
unsigned denai_serve_port(const denai_serve *s);
/* Stops the threads and frees. */
void denai_serve_free(denai_serve *s);

/* API keys, in data/state.db (created when missing). */
enum denai_serve_scope { DENAI_SCOPE_READ = 1, DENAI_SCOPE_WRITE = 2 };

#define DENAI_SERVE_KEY_MAX 64	/* "dk_" and 48 hex digits, NUL */

/*
 * Makes a key: a random secret (returned once in key), stored hashed
 * (BLAKE2b) with its name, scope and budget in wei (NULL: none: a write
 * key with no budget cannot spend).
 * Out: key; *info a new object {"id","name","scope","budget","spent"}.
 */
int denai_serve_key_add(const char *data_dir, const char *name, int scope,
    const char *budget_wei, char key[DENAI_SERVE_KEY_MAX], json_t **info,
    denai_err *err) DENAI_WUR;
/* Out: *list, a new array of the keys' info objects (never the secret). */
int denai_serve_key_list(const char *data_dir, json_t **list, denai_err *err)
    DENAI_WUR;
/* Revokes key id. Unknown ids are DENAI_EDATA. */
int denai_serve_key_revoke(const char *data_dir, long long id, denai_err *err)
    DENAI_WUR;

#endif
