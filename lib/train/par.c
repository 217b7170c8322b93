/*
 * train/par.c - running one function on n threads: denai_tpar_run starts and
 * joins threads for one call; a tpool keeps its workers for many calls.
 * Each call gets its index; results never depend on which thread ran
 * what, because callers split work by feature or by fixed blocks and
 * combine in index order.
 */
#include "train/train_impl.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

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

/*
 * A pool's hand-offs spin for up to SPIN_NS before they sleep on a
 * condition variable: a tree's jobs are tens of microseconds apart, and a
 * sleeping thread takes about as long to wake, but a thread that is not
 * scheduled (a loaded machine) costs the other at most SPIN_NS a job.
 */
#define SPIN_NS 30000

struct tpool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	atomic_ulong gen;
	atomic_int pending, quit;
	int nthreads;		/* workers + the caller */
	void (*fn)(void *, int, int);
	void *ctx;
	int n;
	pthread_t th[64];
};

typedef struct worker_arg {
	tpool *p;
	int i;
} worker_arg;

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline void
relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* One step of a spin: whether SPIN_NS have passed since the first
 * clock read (the clock is read every 64 steps). */
static int
spin_over(int i, long long *end)
{
	long long t;

	if ((i & 63) != 63)
		return 0;
	t = now_ns();
	if (*end == 0)
		*end = t + SPIN_NS;
	return t > *end;
}

/* Spins until *v != seen (gen) or == 0 (pending), at most SPIN_NS.
 * Returns: 1 when it happened. */
static int
spin_gen(tpool *p, unsigned long seen)
{
	long long end = 0;

	for (int i = 0;; i++) {
		if (atomic_load_explicit(&p->gen, memory_order_acquire) != seen ||
		    atomic_load_explicit(&p->quit, memory_order_acquire))
			return 1;
		if (spin_over(i, &end))
			return 0;
		relax();
	}
}

static int
spin_done(tpool *p)
{
	long long end = 0;

	for (int i = 0;; i++) {
		if (atomic_load_explicit(&p->pending, memory_order_acquire) == 0)
			return 1;
		if (spin_over(i, &end))
			return 0;
		relax();
	}
}

static void *
worker(void *arg)
{
	worker_arg *a = arg;
	tpool *p = a->p;
	int i = a->i;
	unsigned long seen = 0;

	free(a);
	for (;;) {
		if (!spin_gen(p, seen)) {
			pthread_mutex_lock(&p->mu);
			while (atomic_load(&p->gen) == seen &&
			    !atomic_load(&p->quit))
				pthread_cond_wait(&p->work, &p->mu);
			pthread_mutex_unlock(&p->mu);
		}
		if (atomic_load_explicit(&p->quit, memory_order_acquire))
			break;
		seen = atomic_load_explicit(&p->gen, memory_order_acquire);
		if (i < p->n)
			p->fn(p->ctx, i, p->n);
		if (atomic_fetch_sub_explicit(&p->pending, 1,
		    memory_order_acq_rel) == 1) {
			pthread_mutex_lock(&p->mu);
			pthread_cond_signal(&p->done);
			pthread_mutex_unlock(&p->mu);
		}
	}
	return NULL;
}

/*
 * Keeps the workers off the CPU the caller runs on, when the process may
 * use another: a new thread starts beside its parent, and the scheduler
 * can leave it there for milliseconds, the two taking turns on one CPU
 * while a job hands off every few microseconds. The caller stays free to
 * move. Only where it runs changes, never what a job computes.
 */
static void
keep_apart(tpool *p)
{
#ifdef __linux__
	cpu_set_t all, others;
	int me = sched_getcpu();

	if (me < 0 || sched_getaffinity(0, sizeof(all), &all) != 0)
		return;
	others = all;
	CPU_CLR(me, &others);
	if (CPU_COUNT(&others) == 0)
		return;
	for (int i = 1; i < p->nthreads; i++)
		pthread_setaffinity_np(p->th[i], sizeof(others), &others);
#else
	(void)p;
#endif
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
	atomic_init(&p->gen, 0);
	atomic_init(&p->pending, 0);
	atomic_init(&p->quit, 0);
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
	keep_apart(p);
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
	/* every worker has finished the last job (pending was 0) */
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	atomic_store_explicit(&p->pending, p->nthreads - 1,
	    memory_order_relaxed);
	pthread_mutex_lock(&p->mu);
	atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	fn(ctx, 0, n);
	if (!spin_done(p)) {
		pthread_mutex_lock(&p->mu);
		while (atomic_load(&p->pending) > 0)
			pthread_cond_wait(&p->done, &p->mu);
		pthread_mutex_unlock(&p->mu);
	}
}

void
denai_tpool_free(tpool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->quit, 1);
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 1; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}
