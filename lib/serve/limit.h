/*
 * limit.h - token buckets by name ("k:7" for a key, "a:127.0.0.1" for a
 * client address): rate tokens a second, at most burst saved. A fixed table
 * (no allocation after init); when it is full the least recently seen
 * bucket is reused. Thread-safe (one mutex).
 */
#ifndef DENAI_SERVE_LIMIT_H
#define DENAI_SERVE_LIMIT_H

#include <pthread.h>
#include <stdint.h>

#define SERVE_LIMIT_SLOTS 4096
#define SERVE_LIMIT_NAME 48

typedef struct serve_bucket {
	char name[SERVE_LIMIT_NAME];
	double tokens;
	uint64_t last_us;
} serve_bucket;

typedef struct serve_limiter {
	double rate, burst;		/* rate 0: no limit */
	pthread_mutex_t mu;
	serve_bucket *slot;		/* SERVE_LIMIT_SLOTS */
} serve_limiter;

int denai_serve_limiter_init(serve_limiter *l, double rate, double burst);
void denai_serve_limiter_fini(serve_limiter *l);

/*
 * Takes a token from name's bucket at now_us.
 * Returns: 0 when allowed, else the seconds to wait (at least 1).
 */
unsigned denai_serve_limiter_take(serve_limiter *l, const char *name,
    uint64_t now_us);

#endif
