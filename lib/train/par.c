/*
 * train/par.c - running one function on n threads: denai_tpar_run starts and
 * joins threads for one call; a tpool keeps its workers for many calls.
 * Each call gets its index; results never depend on which thread ran
 * what, because callers split work by feature or by fixed blocks and
 * combine in index order.
 */
#include "train/train_impl.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct par_arg {
	void (*fn)(void *, int, int);
	void *ctx;
	int i, n;
} par_arg;

static void *
par_main(void *p)
{
	par_arg *a = p;

	a->fn(a->ctx, a->i, a->n);
	return NULL;
}

void
denai_tpar_run(int n, void (*fn)(void *ctx, int i, int n), void *ctx)
{
	pthread_t th[64];
	par_arg arg[64];
	int started[64] = { 0 };

	if (n <= 1) {
		fn(ctx, 0, 1);
		return;
	}
	if (n > 64)
		n = 64;
	for (int i = 1; i < n; i++) {
		arg[i] = (par_arg){ fn, ctx, i, n };
		started[i] = pthread_create(&th[i], NULL, par_main,
		    &arg[i]) == 0;
	}
	fn(ctx, 0, n);
	for (int i = 1; i < n; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			fn(ctx, i, n);
	}
}

struct tpool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	unsigned long gen;
	int nthreads;		/* workers + the caller */
	int pending, quit;
	void (*fn)(void *, int, int);
	void *ctx;
	int n;
	pthread_t th[64];
	int started;
};

typedef struct worker_arg {
	tpool *p;
	int i;
} worker_arg;


static void *
worker(void *arg)
{
	worker_arg *a = arg;
	tpool *p = a->p;
	int i = a->i;
	unsigned long seen = 0;

	free(a);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->gen == seen && !p->quit)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit)
			break;
		seen = p->gen;
		if (i < p->n) {
			void (*fn)(void *, int, int) = p->fn;
			void *ctx = p->ctx;
			int n = p->n;

			pthread_mutex_unlock(&p->mu);
			fn(ctx, i, n);
			pthread_mutex_lock(&p->mu);
		}
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

tpool *
denai_tpool_new(int n)
{
	tpool *p;

	if (n <= 1 || (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (n > 64)
		n = 64;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->nthreads = 1;
	for (int i = 1; i < n; i++) {
		worker_arg *a = malloc(sizeof(*a));

		if (a == NULL)
			break;
		a->p = p;
		a->i = i;
		if (pthread_create(&p->th[i], NULL, worker, a) != 0) {
			free(a);
			break;
		}
		p->nthreads++;
	}
	if (p->nthreads == 1) {
		denai_tpool_free(p);
		return NULL;
	}
	return p;
}

void
denai_tpool_run(tpool *p, int n, void (*fn)(void *ctx, int i, int n), void *ctx)
{
	if (p == NULL || n <= 1) {
		fn(ctx, 0, 1);
		return;
	}
	if (n > p->nthreads)
		n = p->nthreads;
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	p->pending = p->nthreads - 1;
	p->gen++;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	fn(ctx, 0, n);
	pthread_mutex_lock(&p->mu);
	while (p->pending > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
denai_tpool_free(tpool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 1; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}
