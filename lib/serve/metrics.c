/*
 * metrics.c - HTTP counters and histograms, and their text exposition.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/metrics.h"

static const int codes[SERVE_CODES] = {
	200, 201, 202, 204, 402, 400, 401, 403, 404, 405, 406, 409, 413, 415,
	422, 429, 500, 502, 503, 0 /* other */
};

/* Upper bounds in seconds. */
static const double bounds[SERVE_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5,
	2.5, 10
};

void
denai_serve_metrics_count(serve_metrics *m, int route, int status, uint64_t us)
{
	int c = SERVE_CODES - 1, b = SERVE_BUCKETS;

	if (route < 0 || route >= SERVE_ROUTES_MAX)
		return;
	for (int i = 0; i < SERVE_CODES - 1; i++)
		if (codes[i] == status) {
			c = i;
			break;
		}
	for (int i = 0; i < SERVE_BUCKETS; i++)
		if ((double)us / 1e6 <= bounds[i]) {
			b = i;
			break;
		}
	atomic_fetch_add_explicit(&m->count[route][c], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->bucket[route][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->sum_us[route], us, memory_order_relaxed);
}

void
denai_serve_buf_printf(serve_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL,
		    b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if (b->p != NULL && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

void
denai_serve_metrics_write(serve_buf *b, serve_metrics *m, int nroutes,
    const char *(*name)(int))
{
	denai_serve_buf_printf(b, "# HELP denai_serve_http_requests_total HTTP "
	    "requests answered, by route and status code.\n"
	    "# TYPE denai_serve_http_requests_total counter\n");
	for (int r = 0; r < nroutes && r < SERVE_ROUTES_MAX; r++)
		for (int c = 0; c < SERVE_CODES; c++) {
			unsigned long long n = atomic_load(&m->count[r][c]);
			if (n == 0)
				continue;
			if (codes[c])
				denai_serve_buf_printf(b,
				    "denai_serve_http_requests_total"
				    "{route=\"%s\",code=\"%d\"} %llu\n",
				    name(r), codes[c], n);
			else
				denai_serve_buf_printf(b,
				    "denai_serve_http_requests_total"
				    "{route=\"%s\",code=\"other\"} %llu\n",
				    name(r), n);
		}
	denai_serve_buf_printf(b,
	    "# HELP denai_serve_http_request_duration_seconds "
	    "Time to answer, by route.\n"
	    "# TYPE denai_serve_http_request_duration_seconds histogram\n");
	for (int r = 0; r < nroutes && r < SERVE_ROUTES_MAX; r++) {
		unsigned long long cum = 0;
		for (int i = 0; i <= SERVE_BUCKETS; i++)
			cum += atomic_load(&m->bucket[r][i]);
		if (cum == 0)
			continue;
		cum = 0;
		for (int i = 0; i < SERVE_BUCKETS; i++) {
			cum += atomic_load(&m->bucket[r][i]);
			denai_serve_buf_printf(b,
			    "denai_serve_http_request_duration_"
			    "seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
			    name(r), bounds[i], cum);
		}
		cum += atomic_load(&m->bucket[r][SERVE_BUCKETS]);
		denai_serve_buf_printf(b,
		    "denai_serve_http_request_duration_seconds_"
		    "bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
		    "denai_serve_http_request_duration_seconds_sum{route=\"%s\"} "
		    "%.6f\n"
		    "denai_serve_http_request_duration_seconds_count{route=\"%s\"}"
		    " %llu\n",
		    name(r), cum, name(r),
		    (double)atomic_load(&m->sum_us[r]) / 1e6, name(r), cum);
	}
	denai_serve_buf_printf(b,
	    "# HELP denai_serve_rate_limited_total Requests "
	    "refused with 429.\n# TYPE denai_serve_rate_limited_total counter\n"
	    "denai_serve_rate_limited_total %llu\n",
	    (unsigned long long)atomic_load(&m->limited));
	denai_serve_buf_printf(b,
	    "# HELP denai_serve_body_too_large_total Requests "
	    "refused with 413.\n# TYPE denai_serve_body_too_large_total "
	    "counter\ndenai_serve_body_too_large_total %llu\n",
	    (unsigned long long)atomic_load(&m->too_large));
}
