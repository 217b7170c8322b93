/*
 * metrics.h - the server's own counters: HTTP requests by route and code
 * (a _total counter) and their latency (a _seconds histogram), in fixed
 * atomic arrays so that counting takes no lock. Written out in the
 * Prometheus text format (version 0.0.4).
 */
#ifndef DENAI_SERVE_METRICS_H
#define DENAI_SERVE_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define SERVE_ROUTES_MAX 16
#define SERVE_CODES 20
#define SERVE_BUCKETS 12

typedef struct serve_metrics {
	atomic_ullong count[SERVE_ROUTES_MAX][SERVE_CODES];
	atomic_ullong bucket[SERVE_ROUTES_MAX][SERVE_BUCKETS + 1];
	atomic_ullong sum_us[SERVE_ROUTES_MAX];
	atomic_ullong limited, too_large, timeouts;
} serve_metrics;

/* Counts one answer of route with status, taking us microseconds. */
void denai_serve_metrics_count(serve_metrics *m, int route, int status,
    uint64_t us);

/* A growing text buffer for the exposition. */
typedef struct serve_buf {
	char *p;
	size_t len, cap;
	int failed;
} serve_buf;

void denai_serve_buf_printf(serve_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends the HTTP metrics; route names from name(i) for i < nroutes. */
void denai_serve_metrics_write(serve_buf *b, serve_metrics *m, int nroutes,
    const char *(*name)(int));

#endif
