/* redis.c - REDIS_URL, connecting, commands and pipelines with reconnects. */
#include "queue/redis.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

struct denai_redis {
	denai_redis_url url;
	redisContext *c;
	denai_redis_warn_fn warn;
	void *warn_ctx;
	long timeout_ms;
	volatile sig_atomic_t stop;
	unsigned long reconnects;
	char show[300];
};

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies n bytes of s into out (cap bytes), %-decoding. */
static int
decode(char *out, size_t cap, const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n || (h = unhex(s[i + 1])) < 0 ||
			    (l = unhex(s[i + 2])) < 0)
				return -1;
			c = h * 16 + l;
			i += 2;
		}
		if (c == 0 || k + 1 >= cap)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return 0;
}

static int
number(const char *s, size_t n, long max, long *v)
{
	long x = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

int
denai_redis_url_parse(denai_redis_url *u, const char *s, denai_err *err)
{
	const char *p, *at, *end, *hp, *colon, *slash;
	long v;

	memset(u, 0, sizeof(*u));
	u->port = 6379;
	if (strncmp(s, "redis://", 8) != 0)
		return denai_err_set(err, DENAI_EUSAGE, "REDIS_URL must start "
		    "with redis://");
	p = s + 8;
	end = p + strlen(p);
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = end;
	at = memrchr(p, '@', (size_t)(slash - p));
	if (at != NULL) {
		const char *c = memchr(p, ':', (size_t)(at - p));

		if (c == NULL)
			c = at;	/* redis://user@host: a user, no password */
		if (decode(u->user, sizeof(u->user), p, (size_t)(c - p)) != 0 ||
		    (c < at && decode(u->pass, sizeof(u->pass), c + 1,
		    (size_t)(at - c - 1)) != 0)) {
			denai_redis_url_wipe(u);
			return denai_err_set(err, DENAI_EUSAGE, "REDIS_URL: bad "
			    "user or password encoding");
		}
		hp = at + 1;
	} else
		hp = p;
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(slash - hp));

		if (rb == NULL || (size_t)(rb - hp - 1) >= sizeof(u->host))
			goto bad;
		memcpy(u->host, hp + 1, (size_t)(rb - hp - 1));
		colon = rb + 1 < slash && rb[1] == ':' ? rb + 1 : NULL;
		if (colon == NULL && rb + 1 != slash)
			goto bad;
	} else {
		colon = memchr(hp, ':', (size_t)(slash - hp));
		size_t hl = (size_t)((colon ? colon : slash) - hp);

		if (hl >= sizeof(u->host))
			goto bad;
		memcpy(u->host, hp, hl);
	}
	if (u->host[0] == '\0')
		goto bad;
	if (colon != NULL) {
		if (number(colon + 1, (size_t)(slash - colon - 1), 65535, &v) != 0
		    || v == 0)
			goto bad;
		u->port = (int)v;
	}
	if (slash < end && slash[1] != '\0') {
		if (number(slash + 1, strlen(slash + 1), 1000000, &v) != 0)
			goto bad;
		u->db = (int)v;
	}
	return 0;
bad:
	denai_redis_url_wipe(u);
	return denai_err_set(err, DENAI_EUSAGE, "REDIS_URL: expected "
	    "redis://[user:password@]host[:port][/db]");
}

void
denai_redis_url_wipe(denai_redis_url *u)
{
	volatile char *p = u->pass;

	for (size_t i = 0; i < sizeof(u->pass); i++)
		p[i] = 0;
	p = u->user;
	for (size_t i = 0; i < sizeof(u->user); i++)
		p[i] = 0;
}

const char *
denai_redis_url_show(const denai_redis_url *u, char *buf, size_t n)
{
	snprintf(buf, n, strchr(u->host, ':') ? "redis://[%s]:%d/%d" :
	    "redis://%s:%d/%d", u->host, u->port, u->db);
	return buf;
}

static void
settimeout(redisContext *c, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	(void)redisSetTimeout(c, tv);
}

/* Connects, AUTH, SELECT. Returns 0, or -1 with err (DENAI_EPEER). */
static int
connect_once(denai_redis *r, denai_err *err)
{
	struct timeval tv = { 5, 0 };
	redisReply *rep = NULL;
	char db[16];

	if (r->c != NULL)
		redisFree(r->c);
	r->c = redisConnectWithTimeout(r->url.host, r->url.port, tv);
	if (r->c == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (r->c->err)
		goto fail;
	(void)redisEnableKeepAlive(r->c);
	settimeout(r->c, r->timeout_ms);
	if (r->url.pass[0] != '\0') {
		if (r->url.user[0] != '\0')
			rep = redisCommand(r->c, "AUTH %s %s", r->url.user,
			    r->url.pass);
		else
			rep = redisCommand(r->c, "AUTH %s", r->url.pass);
		if (rep == NULL)
			goto fail;
		if (rep->type == REDIS_REPLY_ERROR) {
			denai_err_set(err, DENAI_EPEER, "%s refused the "
			    "credentials: %.200s", r->show, rep->str);
			goto refused;
		}
		freeReplyObject(rep);
	}
	if (r->url.db != 0) {
		snprintf(db, sizeof(db), "%d", r->url.db);
		if ((rep = redisCommand(r->c, "SELECT %s", db)) == NULL)
			goto fail;
		if (rep->type == REDIS_REPLY_ERROR) {
			denai_err_set(err, DENAI_EPEER, "%s: SELECT %s: %.120s",
			    r->show, db, rep->str);
			goto refused;
		}
		freeReplyObject(rep);
	}
	return 0;
refused:
	freeReplyObject(rep);
	redisFree(r->c);
	r->c = NULL;
	return -1;
fail:
	denai_err_set(err, DENAI_EPEER, "cannot reach redis at %s: %s",
	    r->show, r->c->errstr[0] ? r->c->errstr : "connection lost");
	redisFree(r->c);
	r->c = NULL;
	return -1;
}

denai_redis *
denai_redis_open(const denai_redis_url *u, denai_redis_warn_fn warn,
    void *warn_ctx, denai_err *err)
{
	denai_redis *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	r->url = *u;
	r->warn = warn;
	r->warn_ctx = warn_ctx;
	r->timeout_ms = 30000;
	denai_redis_url_show(u, r->show, sizeof(r->show));
	if (connect_once(r, err) != 0) {
		denai_redis_close(r);
		return NULL;
	}
	return r;
}

void
denai_redis_close(denai_redis *r)
{
	if (r == NULL)
		return;
	if (r->c != NULL)
		redisFree(r->c);
	denai_redis_url_wipe(&r->url);
	free(r);
}

void
denai_redis_timeout(denai_redis *r, long ms)
{
	r->timeout_ms = ms;
	if (r->c != NULL)
		settimeout(r->c, ms);
}

void
denai_redis_stop(denai_redis *r)
{
	r->stop = 1;
}

unsigned long
denai_redis_reconnects(const denai_redis *r)
{
	return r->reconnects;
}

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Reconnects with backoff until it works or stop is set. */
static int
reconnect(denai_redis *r, denai_err *err)
{
	denai_err e;
	char msg[600];
	long wait = 100;
	int told = 0;

	for (;;) {
		if (r->stop)
			return denai_err_set(err, DENAI_EPEER, "stopped while "
			    "reconnecting to %s", r->show);
		if (connect_once(r, &e) == 0)
			break;
		if (!told && r->warn != NULL) {
			snprintf(msg, sizeof(msg), "%s; retrying", e.msg);
			r->warn(r->warn_ctx, msg);
			told = 1;
		}
		nap(wait);
		wait = wait * 2 > 5000 ? 5000 : wait * 2;
	}
	r->reconnects++;
	if (r->warn != NULL) {
		snprintf(msg, sizeof(msg), "reconnected to %s", r->show);
		r->warn(r->warn_ctx, msg);
	}
	return 0;
}

/* Tells of a lost connection and drops it. */
static void
lost(denai_redis *r)
{
	char msg[600];

	if (r->warn != NULL) {
		snprintf(msg, sizeof(msg), "lost the connection to %s: %s",
		    r->show, r->c->errstr);
		r->warn(r->warn_ctx, msg);
	}
	redisFree(r->c);
	r->c = NULL;
}

/* A broken connection (not an error reply): hiredis sets c->err. */
static int
broken(const denai_redis *r)
{
	return r->c == NULL || r->c->err != 0;
}

int
denai_redis_cmd(denai_redis *r, redisReply **reply, int argc,
    const char **argv, const size_t *lens, denai_err *err)
{
	size_t l[64];
	redisReply *rep;

	*reply = NULL;
	if (lens == NULL) {
		if (argc > 64)
			return denai_err_set(err, DENAI_EUSAGE, "too many "
			    "arguments");
		for (int i = 0; i < argc; i++)
			l[i] = strlen(argv[i]);
		lens = l;
	}
	for (;;) {
		if (broken(r) && reconnect(r, err) != 0)
			return -1;
		rep = redisCommandArgv(r->c, argc, argv, lens);
		if (rep != NULL)
			break;
		if (r->c->err == REDIS_ERR_OOM)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		lost(r);
	}
	if (rep->type == REDIS_REPLY_ERROR) {
		denai_err_set(err, DENAI_EDATA, "redis: %.200s", rep->str);
		freeReplyObject(rep);
		return -1;
	}
	*reply = rep;
	return 0;
}

int
denai_redis_pipeline(denai_redis *r, redisReply **replies, size_t n,
    const int *argc, const char *const *const *argv,
    const size_t *const *lens, denai_err *err)
{
	size_t got;

	for (size_t i = 0; i < n; i++)
		replies[i] = NULL;
	for (;;) {
		if (broken(r) && reconnect(r, err) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (redisAppendCommandArgv(r->c, argc[i],
			    (const char **)argv[i], lens[i]) != REDIS_OK)
				goto lost;
		for (got = 0; got < n; got++)
			if (redisGetReply(r->c, (void **)&replies[got]) !=
			    REDIS_OK)
				goto lost;
		return 0;
lost:
		for (size_t i = 0; i < n; i++) {
			if (replies[i] != NULL)
				freeReplyObject(replies[i]);
			replies[i] = NULL;
		}
		if (r->c->err == REDIS_ERR_OOM)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		lost(r);
	}
}
