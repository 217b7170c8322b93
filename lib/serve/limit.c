/*
 * limit.c - token buckets in a fixed open-addressed table.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "serve/limit.h"

#define PROBE 16

int
denai_serve_limiter_init(serve_limiter *l, double rate, double burst)
{
	memset(l, 0, sizeof(*l));
	l->rate = rate;
	l->burst = burst > 0 ? burst : 2 * rate;
	if (l->burst < 1)
		l->burst = 1;
	if ((l->slot = calloc(SERVE_LIMIT_SLOTS, sizeof(*l->slot))) == NULL)
		return -1;
	pthread_mutex_init(&l->mu, NULL);
	return 0;
}

void
denai_serve_limiter_fini(serve_limiter *l)
{
	if (l->slot == NULL)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l->slot);
	l->slot = NULL;
}

static uint32_t
fnv(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

unsigned
denai_serve_limiter_take(serve_limiter *l, const char *name, uint64_t now_us)
{
	serve_bucket *b = NULL, *old = NULL;
	uint32_t h;
	unsigned wait = 0;
	double t;

	if (l->rate <= 0 || l->slot == NULL)
		return 0;
	h = fnv(name);
	pthread_mutex_lock(&l->mu);
	for (unsigned i = 0; i < PROBE; i++) {
		serve_bucket *c = &l->slot[(h + i) % SERVE_LIMIT_SLOTS];

		if (strcmp(c->name, name) == 0) {
			b = c;
			break;
		}
		if (old == NULL || c->last_us < old->last_us)
			old = c;
	}
	if (b == NULL) {
		b = old;
		snprintf(b->name, sizeof(b->name), "%s", name);
		b->tokens = l->burst;
		b->last_us = now_us;
	}
	if (now_us > b->last_us) {
		t = b->tokens + (double)(now_us - b->last_us) / 1e6 * l->rate;
		b->tokens = t > l->burst ? l->burst : t;
		b->last_us = now_us;
	}
	if (b->tokens >= 1)
		b->tokens -= 1;
	else {
		wait = (unsigned)ceil((1 - b->tokens) / l->rate);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&l->mu);
	return wait;
}
