/* reply.c - small readers of hiredis replies. */
#include "queue/reply.h"

#include <stdlib.h>
#include <string.h>

const redisReply *
denai_reply_kv(const redisReply *a, const char *key)
{
	if (a == NULL || a->type != REDIS_REPLY_ARRAY)
		return NULL;
	for (size_t i = 0; i + 1 < a->elements; i += 2)
		if (denai_reply_is_str(a->element[i], key))
			return a->element[i + 1];
	return NULL;
}

int
denai_reply_is_str(const redisReply *x, const char *s)
{
	return x != NULL && (x->type == REDIS_REPLY_STRING ||
	    x->type == REDIS_REPLY_STATUS) && x->len == strlen(s) &&
	    memcmp(x->str, s, x->len) == 0;
}

char *
denai_reply_str(char *out, size_t n, const redisReply *x)
{
	size_t k = 0;

	if (x != NULL && (x->type == REDIS_REPLY_STRING ||
	    x->type == REDIS_REPLY_STATUS)) {
		k = x->len < n - 1 ? x->len : n - 1;
		memcpy(out, x->str, k);
	}
	out[k] = '\0';
	return out;
}

long long
denai_reply_int(const redisReply *x, long long def)
{
	char buf[32], *end;
	long long v;

	if (x == NULL)
		return def;
	if (x->type == REDIS_REPLY_INTEGER)
		return x->integer;
	if (x->type != REDIS_REPLY_STRING || x->len == 0 || x->len >= 32)
		return def;
	memcpy(buf, x->str, x->len);
	buf[x->len] = '\0';
	v = strtoll(buf, &end, 10);
	return *end == '\0' ? v : def;
}

int
denai_queue_no_such_key(const denai_err *err)
{
	return err != NULL && strstr(err->msg, "no such key") != NULL;
}
