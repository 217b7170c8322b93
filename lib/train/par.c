/*
 * train/par.c - running one function on n threads. Each thread gets its
 * index; results never depend on which thread ran what, because callers
 * split work by feature or by fixed blocks and combine in index order.
 */
#include "train/train_impl.h"

#include <pthread.h>

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
tpar_run(int n, void (*fn)(void *ctx, int i, int n), void *ctx)
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
