/*
 * db.c - the two SQLite databases: opening in WAL mode, their schemas,
 * and each thread's read connection.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/priv.h"

int
denai_serve_db_err(denai_err *err, sqlite3 *db, const char *what)
{
	return denai_err_set(err, DENAI_EIO, "%s: %s", what,
	    db ? sqlite3_errmsg(db) : "no database");
}

int
denai_serve_db_exec(sqlite3 *db, const char *sql, denai_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		denai_err_set(err, DENAI_EIO, "sqlite: %s",
		    msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
denai_serve_db_open(sqlite3 **db, const char *path, int create, unsigned mode,
    denai_err *err)
{
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
	    SQLITE_OPEN_READONLY;
	int fd;

	*db = NULL;
	if (create && mode) {
		/* Create it with its mode before SQLite does (0644). */
		if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    mode)) < 0)
			return denai_err_set(err, DENAI_EIO, "%s: cannot create",
			    path);
		(void)fchmod(fd, mode);
		close(fd);
	}
	if (sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK) {
		denai_serve_db_err(err, *db, path);
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*db, 10000);
	if (create && denai_serve_db_exec(*db, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;", err) != 0) {
		sqlite3_close(*db);
		*db = NULL;
		return denai_err_prefix(err, "%s", path);
	}
	return 0;
}

/* index.db: everything here can be read again from the chain. */
int
denai_serve_db_schema_index(sqlite3 *db, denai_err *err)
{
	return denai_serve_db_exec(db,
	    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);"
	    "CREATE TABLE IF NOT EXISTS blocks(number INTEGER PRIMARY KEY,"
	    " hash TEXT NOT NULL);"
	    "CREATE TABLE IF NOT EXISTS models(id INTEGER PRIMARY KEY,"
	    " trainer TEXT, cid TEXT, sha256 TEXT, decimals INTEGER,"
	    " description TEXT, block INTEGER, tx_hash TEXT);"
	    "CREATE TABLE IF NOT EXISTS requests(id INTEGER PRIMARY KEY,"
	    " model_id TEXT, requester TEXT, data_cid TEXT, tip TEXT,"
	    " block INTEGER, tx_hash TEXT, status TEXT, prediction TEXT,"
	    " callback_ok INTEGER, end_block INTEGER, end_tx TEXT);"
	    "CREATE INDEX IF NOT EXISTS requests_status ON requests(status, id);"
	    "CREATE TABLE IF NOT EXISTS solutions(request_id INTEGER,"
	    " miner TEXT, prediction TEXT, block INTEGER, tx_hash TEXT,"
	    " PRIMARY KEY(request_id, miner));"
	    "CREATE TABLE IF NOT EXISTS tasks(id INTEGER PRIMARY KEY,"
	    " creator TEXT, train_cid TEXT, kind INTEGER, label_column TEXT,"
	    " decimals INTEGER, d_commit INTEGER, d_test INTEGER,"
	    " d_model INTEGER, d_score_commit INTEGER, d_score_reveal INTEGER,"
	    " quorum INTEGER, reward TEXT, commit_bond TEXT, block INTEGER,"
	    " tx_hash TEXT, test_cid TEXT, test_block INTEGER,"
	    " cancelled_block INTEGER, finalized_block INTEGER,"
	    " outcome INTEGER, winner TEXT, score TEXT, model_id TEXT);"
	    "CREATE TABLE IF NOT EXISTS commits(task_id INTEGER, trainer TEXT,"
	    " seal TEXT, seq INTEGER, block INTEGER, reveal_block INTEGER,"
	    " model_cid TEXT, model_sha256 TEXT, PRIMARY KEY(task_id, trainer));"
	    "CREATE TABLE IF NOT EXISTS votes(task_id INTEGER, validator TEXT,"
	    " commit_block INTEGER, reveal_block INTEGER, test_valid INTEGER,"
	    " PRIMARY KEY(task_id, validator));"
	    "CREATE TABLE IF NOT EXISTS scores(task_id INTEGER, trainer TEXT,"
	    " settled INTEGER, score TEXT, block INTEGER,"
	    " PRIMARY KEY(task_id, trainer));", err);
}

/* state.db: what the chain does not hold; never rebuilt. */
int
denai_serve_db_schema_state(sqlite3 *db, denai_err *err)
{
	return denai_serve_db_exec(db,
	    "CREATE TABLE IF NOT EXISTS keys(id INTEGER PRIMARY KEY,"
	    " name TEXT, hash TEXT UNIQUE NOT NULL, scope INTEGER,"
	    " budget TEXT NOT NULL DEFAULT '0', spent TEXT NOT NULL DEFAULT '0',"
	    " created INTEGER, revoked INTEGER);"
	    "CREATE TABLE IF NOT EXISTS idem(key_id INTEGER, ikey TEXT,"
	    " route TEXT, body_hash TEXT, status INTEGER, location TEXT,"
	    " job_id TEXT, response TEXT, created INTEGER,"
	    " PRIMARY KEY(key_id, ikey));"
	    "CREATE TABLE IF NOT EXISTS jobs(id TEXT PRIMARY KEY, kind TEXT,"
	    " key_id INTEGER, params TEXT, cost TEXT, state TEXT,"
	    " nonce INTEGER, tx_hash TEXT, chain_id TEXT, error TEXT,"
	    " created INTEGER, updated INTEGER);"
	    "CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);"
	    "CREATE TABLE IF NOT EXISTS private_sets(job_id TEXT PRIMARY KEY,"
	    " task_id TEXT, test_cid TEXT, salt TEXT, csv BLOB,"
	    " d_commit INTEGER, d_test INTEGER, state TEXT, nonce INTEGER,"
	    " tx_hash TEXT, error TEXT, updated INTEGER);", err);
}

#define CACHE_SLOTS 256

typedef struct cache_ent {
	char key[80];
	uint64_t gen, head;
	char *body;
	size_t len;
	int status;
} cache_ent;

#define STMT_SLOTS 32

typedef struct stmt_ent {
	sqlite3 *db;
	char *sql;
	sqlite3_stmt *st;
} stmt_ent;

/* What each thread keeps: its read connections, their prepared
 * statements and its answer cache. */
typedef struct serve_tls {
	sqlite3 *db[2];
	stmt_ent stmt[STMT_SLOTS];
	unsigned next_stmt;
	cache_ent *cache;		/* CACHE_SLOTS */
	uint64_t snap_gen, snap_head;	/* as they were before the query */
} serve_tls;

void
denai_serve_db_reader_free(void *p)
{
	serve_tls *t = p;

	if (t == NULL)
		return;
	for (int i = 0; i < STMT_SLOTS; i++) {
		sqlite3_finalize(t->stmt[i].st);
		free(t->stmt[i].sql);
	}
	sqlite3_close(t->db[0]);
	sqlite3_close(t->db[1]);
	if (t->cache != NULL)
		for (int i = 0; i < CACHE_SLOTS; i++)
			free(t->cache[i].body);
	free(t->cache);
	free(t);
}

static serve_tls *
tls(denai_serve *s)
{
	serve_tls *t = pthread_getspecific(s->rdkey);

	if (t == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			return NULL;
		pthread_setspecific(s->rdkey, t);
	}
	return t;
}

sqlite3 *
denai_serve_db_reader(denai_serve *s, int which)
{
	serve_tls *t = tls(s);

	if (t == NULL)
		return NULL;
	if (t->db[which] == NULL) {
		const char *path = which ? s->state_path : s->index_path;
		if (sqlite3_open_v2(path, &t->db[which], SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
			sqlite3_close(t->db[which]);
			t->db[which] = NULL;
			return NULL;
		}
		sqlite3_busy_timeout(t->db[which], 5000);
	}
	return t->db[which];
}

sqlite3_stmt *
denai_serve_stmt(denai_serve *s, sqlite3 *db, const char *sql)
{
	serve_tls *t = tls(s);
	stmt_ent *e;
	sqlite3_stmt *st;

	if (t == NULL)
		return NULL;
	for (int i = 0; i < STMT_SLOTS; i++)
		if (t->stmt[i].db == db && t->stmt[i].sql != NULL &&
		    strcmp(t->stmt[i].sql, sql) == 0) {
			sqlite3_reset(t->stmt[i].st);
			sqlite3_clear_bindings(t->stmt[i].st);
			return t->stmt[i].st;
		}
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK)
		return NULL;
	e = &t->stmt[t->next_stmt++ % STMT_SLOTS];
	sqlite3_finalize(e->st);
	free(e->sql);
	e->db = db;
	e->st = st;
	if ((e->sql = strdup(sql)) == NULL) {
		sqlite3_finalize(st);
		e->st = NULL;
		e->db = NULL;
		return NULL;
	}
	return st;
}

static cache_ent *
slot(serve_tls *t, const char *key)
{
	uint32_t h = 2166136261u;

	for (const char *k = key; *k; k++)
		h = (h ^ (uint8_t)*k) * 16777619u;
	return &t->cache[h % CACHE_SLOTS];
}

int
denai_serve_cache_get(denai_serve *s, serve_req *r, const char *key)
{
	serve_tls *t = tls(s);
	cache_ent *e;
	char *b;

	if (t == NULL)
		return 0;
	/* Taken before the query that may follow, so that an answer read
	 * while the follower commits is never kept as the newer one. */
	t->snap_gen = atomic_load(&s->index_gen);
	t->snap_head = atomic_load(&s->head);
	if (t->cache == NULL || strlen(key) >= sizeof(e->key))
		return 0;
	e = slot(t, key);
	if (e->body == NULL || strcmp(e->key, key) != 0 ||
	    e->gen != atomic_load(&s->index_gen) ||
	    e->head != atomic_load(&s->head) || (b = malloc(e->len)) == NULL)
		return 0;
	memcpy(b, e->body, e->len);
	r->out = b;
	r->out_len = e->len;
	r->status = e->status;
	r->ctype = "application/json";
	return 1;
}

void
denai_serve_cache_put(denai_serve *s, serve_req *r, const char *key)
{
	serve_tls *t = tls(s);
	cache_ent *e;
	char *b;

	if (t == NULL || r->out == NULL || r->out_static ||
	    strlen(key) >= sizeof(e->key))
		return;
	if (t->cache == NULL &&
	    (t->cache = calloc(CACHE_SLOTS, sizeof(*t->cache))) == NULL)
		return;
	if ((b = malloc(r->out_len)) == NULL)
		return;
	memcpy(b, r->out, r->out_len);
	e = slot(t, key);
	free(e->body);
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->body = b;
	e->len = r->out_len;
	e->status = r->status;
	e->gen = t->snap_gen;
	e->head = t->snap_head;
}
