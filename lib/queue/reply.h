/*
 * reply.h - reading hiredis replies (RESP2) for lib/queue: the flat
 * key/value arrays of XINFO, strings, integers. Internal to lib/queue.
 */
#ifndef DENAI_QUEUE_REPLY_H
#define DENAI_QUEUE_REPLY_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#include "err.h"

/* Returns: the value after key in a flat [k, v, k, v...] array, or NULL. */
const redisReply *denai_reply_kv(const redisReply *a, const char *key);

/* Returns: 1 if x is a string (or status) equal to s, else 0. */
int denai_reply_is_str(const redisReply *x, const char *s);

/* Copies a string reply into out (n bytes, truncated, NUL-terminated);
 * anything else gives "". Returns: out. */
char *denai_reply_str(char *out, size_t n, const redisReply *x);

/* Returns: an integer reply's value (a numeric string's too), else def. */
long long denai_reply_int(const redisReply *x, long long def);

/* Returns: 1 when err says the key does not exist ("no such key"). */
int denai_queue_no_such_key(const denai_err *err);

#endif
