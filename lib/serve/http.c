/*
 * http.c - libmicrohttpd glue: reading a body up to the cap, the client's
 * key and rate limit, dispatch to a route, and the answer with its
 * headers; counted in the metrics. The top of lib/serve: dispatches
 * through routes.c and dispatch.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "serve/priv.h"

typedef struct conn_ctx {
	char *body;
	size_t len, cap, max;
	int too_large;
	uint64_t t0;
	int route;			/* while suspended */
	const char *wait_route;
	char wait_job[40];
} conn_ctx;

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
client_addr(struct MHD_Connection *c, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, cap, "unknown");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    out, (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		    out, (socklen_t)cap);
}

static enum MHD_Result
send_answer(struct MHD_Connection *c, serve_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char ra[16];

	if (r->out == NULL)
		denai_serve_static(r, r->status ? r->status : 500, "text/plain",
		    "", 0);
	resp = MHD_create_response_from_buffer(r->out_len, r->out,
	    r->out_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		return MHD_NO;
	if (!r->out_static)
		r->out = NULL;		/* MHD frees it */
	MHD_add_response_header(resp, "Content-Type", r->ctype);
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->retry_after) {
		snprintf(ra, sizeof(ra), "%u", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	if (r->cache)
		MHD_add_response_header(resp, "Cache-Control", r->cache);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int
limited(denai_serve *s, serve_req *r, const char *name)
{
	unsigned wait = denai_serve_limiter_take(&s->limiter, name, now_us());

	if (wait == 0)
		return 0;
	atomic_fetch_add(&s->metrics.limited, 1);
	r->retry_after = wait;
	denai_serve_error(r, 429, NULL, "rate limit: retry in %u s", wait);
	return -1;
}

/* The client's address limit, its key, the key's limit, the scope the
 * route needs. Returns: 0 to go on, -1 when answered. */
static int
admit(denai_serve *s, serve_req *r, int needs)
{
	const char *h = denai_serve_header(r, "Authorization");
	char name[SERVE_LIMIT_NAME];
	int rc;

	snprintf(name, sizeof(name), "a:%s", r->client);
	if (limited(s, r, name) != 0)
		return -1;
	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0') {
			denai_serve_error(r, 401, NULL, "Authorization is not "
			    "\"Bearer <key>\"");
			return -1;
		}
		rc = denai_serve_key_check(s, h + 7, &r->key_id, &r->scope);
		if (rc < 0) {
			denai_serve_error(r, 503, NULL,
			    "state.db is unavailable");
			return -1;
		}
		if (rc == 0) {
			denai_serve_error(r, 401, NULL,
			    "unknown or revoked API key");
			return -1;
		}
		snprintf(name, sizeof(name), "k:%lld", r->key_id);
		if (limited(s, r, name) != 0)
			return -1;
	}
	if ((needs == SERVE_NEEDS_WRITE || (s->o.private_reads &&
	    needs != SERVE_NEEDS_NOTHING)) && r->key_id == 0) {
		denai_serve_error(r, 401, NULL, "this needs an API key "
		    "(Authorization: Bearer <key>)");
		return -1;
	}
	if (needs == SERVE_NEEDS_WRITE && r->scope != DENAI_SCOPE_WRITE) {
		denai_serve_error(r, 403, NULL, "this key is read-only");
		return -1;
	}
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	denai_serve *s = cls;
	conn_ctx *ctx = *con_cls;
	serve_req r;
	char client[64];
	int route = -1, needs = 0;
	enum MHD_Result ret;

	if (ctx == NULL) {
		const char *cl;
		if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
			return MHD_NO;
		ctx->t0 = now_us();
		ctx->max = strcmp(url, "/api/ipfs") == 0 ? s->o.file_max :
		    s->o.body_max;
		*con_cls = ctx;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "Content-Length");
		if (cl != NULL && strtoull(cl, NULL, 10) > ctx->max)
			ctx->too_large = 2;	/* answer before reading it */
		else
			return MHD_YES;
	} else if (*upload_size != 0) {
		if (!ctx->too_large) {
			if (ctx->len + *upload_size > ctx->max) {
				ctx->too_large = 1;
				free(ctx->body);
				ctx->body = NULL;
				ctx->len = ctx->cap = 0;
			} else {
				if (ctx->len + *upload_size + 1 > ctx->cap) {
					size_t cap = ctx->cap ? ctx->cap : 4096;
					while (cap < ctx->len + *upload_size + 1)
						cap *= 2;
					char *p = realloc(ctx->body, cap);
					if (p == NULL)
						return MHD_NO;
					ctx->body = p;
					ctx->cap = cap;
				}
				memcpy(ctx->body + ctx->len, upload, *upload_size);
				ctx->len += *upload_size;
				ctx->body[ctx->len] = '\0';
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}

	memset(&r, 0, sizeof(r));
	client_addr(c, client, sizeof(client));
	if (ctx->wait_job[0]) {
		/* Resumed: the job can be answered, or the wait is over. */
		r.conn = c;
		r.method = method;
		r.path = url;
		r.client = client;
		(void)denai_serve_job_final(s, &r, ctx->wait_route,
		    ctx->wait_job, 1);
		ctx->wait_job[0] = '\0';
		route = ctx->route;
		goto answer;
	}
	r.conn = c;
	r.method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	r.path = url;
	r.body = ctx->body;
	r.body_len = ctx->len;
	r.client = client;
	if (ctx->too_large) {
		atomic_fetch_add(&s->metrics.too_large, 1);
		denai_serve_error(&r, 413, NULL, "the body is over %zu bytes",
		    ctx->max);
	} else if (denai_serve_route_match(&r, &route, &needs) == 0 &&
	    admit(s, &r, needs) == 0)
		denai_serve_route_run(s, &r, route);
	if (r.wait_job[0]) {
		free(r.out);
		r.out = NULL;
		snprintf(ctx->wait_job, sizeof(ctx->wait_job), "%s", r.wait_job);
		ctx->wait_route = r.wait_route;
		ctx->route = route;
		if (denai_serve_wait_add(s, c, r.wait_route, r.wait_job) == 0)
			return MHD_YES;
		memset(&r, 0, sizeof(r));
		r.conn = c;
		(void)denai_serve_job_final(s, &r, ctx->wait_route,
		    ctx->wait_job, 1);
		ctx->wait_job[0] = '\0';
	}
answer:
	ret = send_answer(c, &r);
	if (!r.out_static)
		free(r.out);
	denai_serve_metrics_count(&s->metrics,
	    route < 0 ? denai_serve_route_count() - 1 : route, r.status,
	    now_us() - ctx->t0);
	(void)version;
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	conn_ctx *ctx = *con_cls;
	denai_serve *s = cls;

	if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
		atomic_fetch_add(&s->metrics.timeouts, 1);
	if (ctx != NULL) {
		free(ctx->body);
		free(ctx);
	}
	*con_cls = NULL;
	(void)c;
}

int
denai_serve_http_start(denai_serve *s, denai_err *err)
{
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *di;
	struct MHD_Daemon *d;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)s->o.port);
	if (inet_pton(AF_INET, s->listen, &sin.sin_addr) != 1)
		return denai_err_set(err, DENAI_EUSAGE, "listen address '%s' is "
		    "not an IPv4 address", s->listen);
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
	    MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME, (uint16_t)s->o.port, NULL,
	    NULL, on_request, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)s->o.threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s->o.conn_timeout_s,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)1024,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
	    MHD_OPTION_END);
	if (d == NULL)
		return denai_err_set(err, DENAI_EIO, "cannot listen on %s:%u",
		    s->listen, s->o.port);
	s->mhd = d;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di != NULL)
		s->o.port = di->port;
	return 0;
}

void
denai_serve_http_stop(denai_serve *s)
{
	if (s->mhd != NULL)
		MHD_stop_daemon(s->mhd);
	s->mhd = NULL;
}
