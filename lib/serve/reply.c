/*
 * reply.c - what a handler writes its answer with (JSON, an error, a
 * static body), what it reads of the request (query, headers), the
 * clock, and suspending a connection while its job runs. Below the
 * handlers, the jobs and the HTTP loop; calls none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "serve/priv.h"

void
denai_serve_http_suspend(void *conn)
{
	MHD_suspend_connection(conn);
}

void
denai_serve_http_resume(void *conn)
{
	MHD_resume_connection(conn);
}

uint64_t
denai_serve_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
set_out(serve_req *r, int status, char *out, size_t len, const char *ctype)
{
	if (!r->out_static)
		free(r->out);
	r->status = status;
	r->out = out;
	r->out_len = len;
	r->out_static = 0;
	r->ctype = ctype;
}

void
denai_serve_json(serve_req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	size_t n;

	json_decref(body);
	if (s == NULL) {
		denai_serve_static(r, 500, "application/json",
		    "{\"error\":\"out of memory\",\"field\":null}\n", 38);
		return;
	}
	n = strlen(s);
	char *t = realloc(s, n + 2);
	if (t != NULL) {
		s = t;
		s[n++] = '\n';
		s[n] = '\0';
	}
	set_out(r, status, s, n, "application/json");
}

void
denai_serve_error(serve_req *r, int status, const char *field, const char *fmt,
    ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	denai_serve_json(r, status, json_pack("{s:s, s:o}", "error", msg,
	    "field", field ? json_string(field) : json_null()));
}

void
denai_serve_static(serve_req *r, int status, const char *ctype,
    const char *body, size_t len)
{
	set_out(r, status, (char *)body, len, ctype);
	r->out_static = 1;
}

const char *
denai_serve_query(serve_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
denai_serve_header(serve_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
