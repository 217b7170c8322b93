/*
 * redis.h - a Redis connection for denai-queue: REDIS_URL parsing, AUTH and
 * SELECT, commands and pipelines that reconnect with backoff when the
 * connection breaks while running.
 *
 * The password is kept only in denai_redis_url (wipe it with
 * denai_redis_url_wipe) and never appears in an error message: messages
 * name the server as denai_redis_url_show prints it (no credentials).
 *
 * Ownership: denai_redis_url is the caller's; denai_redis is a heap object
 * (_open/_close). Replies are hiredis's redisReply, freed with
 * freeReplyObject by the caller.
 */
#ifndef DENAI_QUEUE_REDIS_H
#define DENAI_QUEUE_REDIS_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#include "err.h"

typedef struct denai_redis_url {
	char host[256];
	int port;		/* default 6379 */
	int db;			/* default 0 */
	char user[128];		/* empty: none (AUTH with the password only) */
	char pass[512];		/* empty: no AUTH */
} denai_redis_url;

/*
 * Parses redis://[user[:password]@]host[:port][/db] (user and password
 * may be %-encoded; [v6] hosts allowed). Out: *u (zeroed first).
 * Returns: 0, or -1 (DENAI_EUSAGE; the message never holds the password).
 */
int denai_redis_url_parse(denai_redis_url *u, const char *s, denai_err *err)
    DENAI_WUR;

/* Zeroes the password and user. */
void denai_redis_url_wipe(denai_redis_url *u);

/* Writes "redis://host:port/db" (no credentials) to buf. Returns: buf. */
const char *denai_redis_url_show(const denai_redis_url *u, char *buf,
    size_t n);

/* Tells the caller about a lost connection and its recovery. */
typedef void (*denai_redis_warn_fn)(void *ctx, const char *msg);

typedef struct denai_redis denai_redis;

/*
 * Connects (timeout 5 s), authenticates and selects the database once.
 * warn (may be NULL) hears of reconnections later on. u is copied.
 * Returns: the connection, or NULL with err filled (DENAI_EPEER when the
 * server cannot be reached or refuses the credentials).
 */
denai_redis *denai_redis_open(const denai_redis_url *u,
    denai_redis_warn_fn warn, void *warn_ctx, denai_err *err);
void denai_redis_close(denai_redis *r);

/*
 * Runs one command (argv of argc strings with lengths; lens NULL: C
 * strings). When the connection is lost, reconnects with backoff
 * (100 ms doubling to 5 s, for ever unless stop is set) and runs it again.
 * An error reply becomes -1 with err "redis: <reply>" (DENAI_EDATA).
 * Out: *reply (the caller frees; NULL on failure).
 * Returns: 0, or -1.
 */
int denai_redis_cmd(denai_redis *r, redisReply **reply, int argc,
    const char **argv, const size_t *lens, denai_err *err) DENAI_WUR;

/*
 * Runs n commands in one round trip (a pipeline): command i is argv[i]
 * with argc[i] strings and lens[i] lengths. A lost connection reconnects
 * and sends them all again. Error replies are left in replies[] for the
 * caller to look at.
 * Out: replies[0..n) (the caller frees each).
 * Returns: 0, or -1 (only when the connection cannot be had).
 */
int denai_redis_pipeline(denai_redis *r, redisReply **replies, size_t n,
    const int *argc, const char *const *const *argv,
    const size_t *const *lens, denai_err *err) DENAI_WUR;

/* Sets the socket read timeout in milliseconds (blocking reads need more
 * than their BLOCK). */
void denai_redis_timeout(denai_redis *r, long ms);

/* Makes reconnection loops give up (from a signal handler too). */
void denai_redis_stop(denai_redis *r);

/* Returns: the number of times the connection was re-established. */
unsigned long denai_redis_reconnects(const denai_redis *r);

#endif
