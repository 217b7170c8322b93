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

#define SPARSE_ROWS 64

typedef uint64_t v2u __attribute__((vector_size(16)));

static inline void
add2(int64_t *q, v2u x)
{
	v2u a;

	memcpy(&a, q, sizeof(a));
	a += x;
	memcpy(q, &a, sizeof(a));
}

/* Marks the non-zero bins of dense features [f0, f1). */
static void
mark_nonzero(const grower *w, cand *c, size_t f0, size_t f1)
{
	uint64_t *nz = tg_nz(w, c);

	for (size_t f = f0; f < f1; f++) {
		const int64_t *H = c->hist + w->off[f];
		int nb = w->b->nbins[f];

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

static void
build_dense1(grower *w, cand *c, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	size_t cols = b->cols;
	const uint8_t *rb = b->rowbin;
	int64_t *hist = c->hist;
	const size_t *off = w->off;

	for (size_t f = f0; f < f1; f++)
		memset(hist + off[f], 0, (size_t)b->nbins[f] * 2 *
		    sizeof(*hist));
	if (c->start == 0 && c->end == b->rows) {
		/* every row, in row order: no gather */
		for (size_t r = 0; r < b->rows; r++) {
			const uint8_t *row = rb + r * cols;
			v2u x = { (uint64_t)w->h[r] + TH_ONE,
			    (uint64_t)w->g[r] };

			for (size_t f = f0; f < f1; f++)
				add2(hist + 512 * f + 2 * (size_t)row[f], x);
		}
	} else
		for (size_t i = c->start; i < c->end; i++) {
			uint32_t r = w->idx[i];
			const uint8_t *row = rb + (size_t)r * cols;
			v2u x = { (uint64_t)w->h[r] + TH_ONE,
			    (uint64_t)w->g[r] };

			for (size_t f = f0; f < f1; f++)
				add2(hist + 512 * f + 2 * (size_t)row[f], x);
		}
	mark_nonzero(w, c, f0, f1);
}

static void
build_sparse1(grower *w, cand *c, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	size_t cols = b->cols;
	const uint8_t *rb = b->rowbin;
	int64_t *hist = c->hist;
	uint64_t *nz = tg_nz(w, c);

	memset(nz + 4 * f0, 0, 4 * (f1 - f0) * sizeof(*nz));
	for (size_t i = c->start; i < c->end; i++) {
		uint32_t r = w->idx[i];
		const uint8_t *row = rb + (size_t)r * cols;
		v2u x = { (uint64_t)w->h[r] + TH_ONE, (uint64_t)w->g[r] };

		for (size_t f = f0; f < f1; f++) {
			unsigned bn = row[f];
			int64_t *q = hist + 512 * f + 2 * (size_t)bn;
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
build_k(grower *w, cand *c, size_t f0, size_t f1)
{
	const tbins *b = w->b;
	int K = w->p->K, S = w->S;
	uint64_t *nz = tg_nz(w, c);

	for (size_t f = f0; f < f1; f++) {
		int64_t *H = c->hist + w->off[f];
		const uint8_t *col = b->bin + f * b->rows;
		const uint32_t *idx = w->idx;

		memset(H, 0, (size_t)b->nbins[f] * (size_t)S * sizeof(*H));
		for (size_t i = c->start; i < c->end; i++) {
			int64_t *q = H + (size_t)S * col[idx[i]];
			const int64_t *gi = w->og + i * (size_t)K;

			q[0] = (int64_t)((uint64_t)q[0] + w->oh[i]);
			for (int k = 0; k < K; k++)
				q[1 + k] += gi[k];
		}
		memset(nz + 4 * f, 0xff, 4 * sizeof(*nz));
	}
}

void
denai_thist_gather(grower *w, const cand *c)
{
	int K = w->p->K;

	for (size_t i = c->start; i < c->end; i++) {
		uint32_t r = w->idx[i];

		w->oh[i] = (uint64_t)w->h[r] + TH_ONE;
		for (int k = 0; k < K; k++)
			w->og[i * (size_t)K + k] = w->g[(size_t)r * K + k];
	}
}

void
denai_thist_build(grower *w, cand *c, size_t f0, size_t f1)
{
	if (w->p->K > 1)
		build_k(w, c, f0, f1);
	else if (c->end - c->start < SPARSE_ROWS)
		build_sparse1(w, c, f0, f1);
	else
		build_dense1(w, c, f0, f1);
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
			if (S == 2)
				mark_nonzero(w, large, f, f + 1);
			continue;
		}
		/* small's bins are large's too (its rows are); a bin whose
		 * count|hessian falls to 0 has no row left, so it leaves nz */
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
