/*
 * train/hist.c - a node's histogram (see grow_impl.h), and a child's by
 * subtraction. All sums are integers, so a histogram is the same whatever
 * order its rows are added in and whichever thread adds them.
 *
 * One channel (K = 1): row-wise, each row's bins are one line of the
 * row-major copy, and a bin's count|hessian and gradient are one 16-byte
 * vector add. A node of fewer than SPARSE_ROWS rows writes only its rows'
 * bins (the first row in a bin sets it, the bitmap nz says which); a
 * larger one clears its bins, adds, and marks the non-empty ones. K > 1:
 * column-wise, on the gradients gathered in node order, every bin kept.
 */
#include "train/grow_impl.h"

#include <string.h>

#define SPARSE_ROWS 128
#define ALL_ROWS 1024	/* from this many rows, nz is every bin */
#define PREFETCH 16		/* rows ahead */

typedef uint64_t v2u __attribute__((vector_size(16)));

static inline void
add2(int64_t *q, v2u x)
{
	v2u a;

	memcpy(&a, q, sizeof(a));
	a += x;
	memcpy(q, &a, sizeof(a));
}

/* Adds x to row's bins of features [f0, f1), four at a time. */
static inline void
add_row(int64_t *hist, const uint8_t *row, size_t f0, size_t f1, v2u x)
{
	int64_t *hf = hist + TG_STRIDE1 * f0;
	size_t f = f0;

	for (; f + 4 <= f1; f += 4, hf += 4 * TG_STRIDE1) {
		add2(hf + 2 * (size_t)row[f], x);
		add2(hf + TG_STRIDE1 + 2 * (size_t)row[f + 1], x);
		add2(hf + 2 * TG_STRIDE1 + 2 * (size_t)row[f + 2], x);
		add2(hf + 3 * TG_STRIDE1 + 2 * (size_t)row[f + 3], x);
	}
	for (; f < f1; f++, hf += TG_STRIDE1)
		add2(hf + 2 * (size_t)row[f], x);
}

/* Marks the non-zero bins of dense features [f0, f1). */
static void
mark_nonzero(const grower *w, cand *c, size_t f0, size_t f1)
{
	uint64_t *nz = tg_nz(w, c);

	for (size_t f = f0; f < f1; f++) {
		const int64_t *H = c->hist + w->off[f];
		int nb = w->b->nbins[f];

		if (c->end - c->start >= ALL_ROWS) {
			/* few bins are empty: every bin */
			for (int wd = 0; wd < 4; wd++)
				nz[4 * f + (size_t)wd] = nb >= 64 * (wd + 1) ?
				    ~(uint64_t)0 : nb > 64 * wd ?
				    ((uint64_t)1 << (nb - 64 * wd)) - 1 : 0;
			continue;
		}
		for (int wd = 0; wd < 4; wd++) {
			uint64_t m = 0;
			int e = nb - wd * 64 < 64 ? nb - wd * 64 : 64;

			for (int i = 0; i < e; i++)
				m |= (uint64_t)(H[(size_t)w->S *
				    (size_t)(wd * 64 + i)] != 0) << i;
			nz[4 * f + (size_t)wd] = m;
		}
	}
}

/* Column-wise, for features [f0, f1): each feature's bins stay in the
 * first-level cache while its column and the node's gathered (count |
 * hessian, gradient) pairs stream by. */
static void
build_dense1(grower *w, const tview *v, cand *c, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	const uint32_t *idx = v->idx;
	const int64_t *xs = v->og;
	size_t s = c->start, e = c->end;
	int full = s == 0 && e == b->rows;
	uint64_t *nz = tg_nz(w, c);

	for (size_t f = f0; f < f1; f++) {
		int64_t *H = c->hist + w->off[f];
		const uint8_t *col = b->bin + f * b->rows;

		memset(H, 0, (size_t)b->nbins[f] * 2 * sizeof(*H));
		if (full)
			for (size_t r = 0; r < e; r++) {
				v2u x;

				memcpy(&x, xs + 2 * r, sizeof(x));
				add2(H + 2 * (size_t)col[r], x);
			}
	}
	if (full || e - s >= ALL_ROWS)
		mark_nonzero(w, c, f0, f1);
	if (full)
		return;
	if (e - s >= ALL_ROWS) {
		for (size_t i = s; i < e; i++) {
			const uint8_t *row = b->rowbin + (size_t)idx[i] * b->cols;
			v2u x;

			if (i + PREFETCH < e)
				__builtin_prefetch(b->rowbin +
				    (size_t)idx[i + PREFETCH] * b->cols + f0);
			memcpy(&x, xs + 2 * i, sizeof(x));
			add_row(c->hist, row, f0, f1, x);
		}
		return;
	}
	/* a smaller node marks its rows' bins as it goes */
	memset(nz + 4 * f0, 0, 4 * (f1 - f0) * sizeof(*nz));
	for (size_t i = s; i < e; i++) {
		const uint8_t *row = b->rowbin + (size_t)idx[i] * b->cols;
		v2u x;

		memcpy(&x, xs + 2 * i, sizeof(x));
		for (size_t f = f0; f < f1; f++) {
			unsigned bn = row[f];

			add2(c->hist + TG_STRIDE1 * f + 2 * (size_t)bn, x);
			nz[4 * f + (bn >> 6)] |= (uint64_t)1 << (bn & 63);
		}
	}
}

static void
build_sparse1(grower *w, const tview *v, cand *c, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	size_t cols = b->cols;
	const uint8_t *rb = b->rowbin;
	int64_t *hist = c->hist;
	uint64_t *nz = tg_nz(w, c);

	memset(nz + 4 * f0, 0, 4 * (f1 - f0) * sizeof(*nz));
	for (size_t i = c->start; i < c->end; i++) {
		uint32_t r = v->idx[i];
		const uint8_t *row = rb + (size_t)r * cols;
		v2u x = { (uint64_t)w->h[r] + TH_ONE, (uint64_t)w->g[r] };

		for (size_t f = f0; f < f1; f++) {
			unsigned bn = row[f];
			int64_t *q = hist + TG_STRIDE1 * f + 2 * (size_t)bn;
			uint64_t *m = nz + 4 * f + (bn >> 6);
			uint64_t bit = (uint64_t)1 << (bn & 63);

			if (*m & bit)
				add2(q, x);
			else {
				*m |= bit;
				memcpy(q, &x, sizeof(x));
			}
		}
	}
}

static void
build_k(grower *w, const tview *v, cand *c, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	int K = w->p->K, S = w->S;
	uint64_t *nz = tg_nz(w, c);

	for (size_t f = f0; f < f1; f++) {
		int64_t *H = c->hist + w->off[f];
		const uint8_t *col = b->bin + f * b->rows;
		const uint32_t *idx = v->idx;

		memset(H, 0, (size_t)b->nbins[f] * (size_t)S * sizeof(*H));
		for (size_t i = c->start; i < c->end; i++) {
			int64_t *q = H + (size_t)S * col[idx[i]];
			const int64_t *gi = v->og + i * (size_t)K;

			q[0] = (int64_t)((uint64_t)q[0] + v->oh[i]);
			for (int k = 0; k < K; k++)
				q[1 + k] += gi[k];
		}
		memset(nz + 4 * f, 0xff, 4 * sizeof(*nz));
	}
}

void
denai_thist_gather(grower *w, int t, const cand *c)
{
	const tview *v = &w->v[t];
	int K = w->p->K;

	if (K == 1) {
		/* (count | hessian, gradient) pairs in node order */
		for (size_t i = c->start; i < c->end; i++) {
			uint32_t r = v->idx[i];

			v->og[2 * i] = w->h[r] + (int64_t)TH_ONE;
			v->og[2 * i + 1] = w->g[r];
		}
		return;
	}
	for (size_t i = c->start; i < c->end; i++) {
		uint32_t r = v->idx[i];

		v->oh[i] = (uint64_t)w->h[r] + TH_ONE;
		for (int k = 0; k < K; k++)
			v->og[i * (size_t)K + k] = w->g[(size_t)r * K + k];
	}
}

void
denai_thist_build(grower *w, int t, cand *c, size_t f0, size_t f1)
{
	const tview *v = &w->v[t];

	if (w->p->K > 1)
		build_k(w, v, c, f0, f1);
	else if (c->end - c->start < SPARSE_ROWS)
		build_sparse1(w, v, c, f0, f1);
	else
		build_dense1(w, v, c, f0, f1);
}

int
denai_thist_is_dense(const grower *w, const cand *c)
{
	return w->p->K > 1 || c->end - c->start >= SPARSE_ROWS;
}

void
denai_thist_sub(const grower *w, cand *large, const cand *small, size_t f0,
    size_t f1)
{
	const uint64_t *snz = tg_nz(w, small);
	uint64_t *lnz = tg_nz(w, large);
	int S = w->S;

	for (size_t f = f0; f < f1; f++) {
		int64_t *lh = large->hist + w->off[f];
		const int64_t *sh = small->hist + w->off[f];

		if (small->dense && large->dense) {
			size_t m = (size_t)w->b->nbins[f] * (size_t)S;

			for (size_t i = 0; i < m; i++)
				lh[i] -= sh[i];
			if (S == 2 && large->end - large->start < ALL_ROWS)
				mark_nonzero(w, large, f, f + 1);
			continue;
		}
		/* small's bins are large's too (its rows are); a bin whose
		 * count|hessian falls to 0 has no row left, so it leaves nz */
		if (S == 2) {
			for (int wd = 0; wd < 4; wd++) {
				uint64_t m = snz[4 * f + (size_t)wd], gone = 0;

				for (; m != 0; m &= m - 1) {
					int i = __builtin_ctzll(m);
					size_t bn = (size_t)(wd * 64 + i);
					v2u a, x;

					memcpy(&a, lh + 2 * bn, sizeof(a));
					memcpy(&x, sh + 2 * bn, sizeof(x));
					a -= x;
					memcpy(lh + 2 * bn, &a, sizeof(a));
					gone |= (uint64_t)(a[0] == 0) << i;
				}
				lnz[4 * f + (size_t)wd] &= ~gone;
			}
			continue;
		}
		for (int wd = 0; wd < 4; wd++)
			for (uint64_t m = snz[4 * f + (size_t)wd]; m != 0;
			    m &= m - 1) {
				size_t bn = (size_t)(wd * 64 +
				    __builtin_ctzll(m));

				for (int s = 0; s < S; s++)
					lh[(size_t)S * bn + (size_t)s] -=
					    sh[(size_t)S * bn + (size_t)s];
				if (S == 2 && lh[2 * bn] == 0)
					lnz[4 * f + (size_t)wd] &=
					    ~((uint64_t)1 << (bn & 63));
			}
	}
}
