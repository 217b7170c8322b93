/*
 * train/bin.c - feature binning: each feature's values are cut into at most
 * maxbins bins at quantiles of the sorted training values (every value its
 * own bin when there are few enough distinct values), and each row gets the
 * index of its bin.
 *
 * Edges: cut k of maxbins - 1 falls after the value u at sorted position
 * floor(k * rows / maxbins) - 1; the edge is the float32 midpoint of u and
 * the next larger value v (u itself when the midpoint rounds to v), so
 * "x <= edge" holds for every training value up to u and for none from v:
 * the float32 threshold reproduces the bin partition exactly. Equal edges
 * are merged. Sorting is a radix sort on the float bits (-0 counted as +0),
 * all in integers; the work is split by feature across threads, and a
 * feature's result does not depend on which thread made it.
 */
#include "train/train_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEDGE 255
#define SMALL_CELLS (1u << 16)	/* fewer values are binned on one thread */

static uint32_t
key_of(float f)
{
	uint32_t u;

	f += 0.0f;		/* -0 becomes +0 */
	memcpy(&u, &f, 4);
	return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

static float
float_of(uint32_t k)
{
	uint32_t u = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

/* LSD radix sort of n keys, 8 bits a pass; tmp holds n. */
static void
radix_sort(uint32_t *k, uint32_t *tmp, size_t n)
{
	for (int shift = 0; shift < 32; shift += 8) {
		size_t cnt[257] = { 0 };

		for (size_t i = 0; i < n; i++)
			cnt[((k[i] >> shift) & 0xff) + 1]++;
		if (cnt[((k[0] >> shift) & 0xff) + 1] == n)
			continue;	/* all the same byte */
		for (int b = 0; b < 256; b++)
			cnt[b + 1] += cnt[b];
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(k[i] >> shift) & 0xff]++] = k[i];
		memcpy(k, tmp, n * sizeof(*k));
	}
}

static float
edge_between(float u, float v)
{
	double m = ((double)u + (double)v) / 2.0;
	float e = (float)m;

	if (!(e >= u && e < v))
		e = u;
	return e + 0.0f;
}

typedef struct bin_job {
	tbins *b;
	const denai_train_data *d;
	int maxbins;
	int failed;
} bin_job;

/* Edges of feature f from its sorted keys. Returns: the number of bins. */
static int
edges_of(const uint32_t *k, size_t n, int maxbins, float *edge)
{
	size_t distinct = 1;
	int ne = 0;

	for (size_t i = 1; i < n; i++)
		distinct += k[i] != k[i - 1];
	if (distinct <= (size_t)maxbins) {
		for (size_t i = 1; i < n; i++)
			if (k[i] != k[i - 1])
				edge[ne++] = edge_between(float_of(k[i - 1]),
				    float_of(k[i]));
		return ne + 1;
	}
	for (int c = 1; c < maxbins; c++) {
		size_t pos = (size_t)(((unsigned __int128)c * n) /
		    (unsigned)maxbins);
		size_t lo, hi;
		uint32_t u;
		float e;

		if (pos == 0)
			continue;
		u = k[pos - 1];
		/* the first key > u */
		lo = pos;
		hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (k[mid] <= u)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == n)
			break;
		e = edge_between(float_of(u), float_of(k[lo]));
		if (ne > 0 && !(e > edge[ne - 1]))
			continue;
		edge[ne++] = e;
	}
	return ne + 1;
}

static void
bin_feature(void *ctx, int t, int nt)
{
	bin_job *j = ctx;
	tbins *b = j->b;
	size_t n = b->rows;
	uint32_t *k = malloc(n * sizeof(*k)), *tmp = malloc(n * sizeof(*k));

	if (k == NULL || tmp == NULL) {
		j->failed = 1;
		goto out;
	}
	for (size_t f = (size_t)t; f < b->cols; f += (size_t)nt) {
		float *edge = b->edge + f * NEDGE;
		uint8_t *col = b->bin + f * n;
		int nb;

		for (size_t i = 0; i < n; i++)
			k[i] = key_of(j->d->x[i * j->d->cols + f]);
		radix_sort(k, tmp, n);
		nb = edges_of(k, n, j->maxbins, edge);
		b->nbins[f] = (uint16_t)nb;
		/* edges past the last are +inf, so a branchless search over
		 * all 255 counts the edges below x: the first bin whose edge
		 * is >= x */
		for (int e = nb - 1; e < NEDGE; e++)
			edge[e] = INFINITY;
		for (size_t i = 0; i < n; i++) {
			float x = j->d->x[i * j->d->cols + f];
			unsigned bn = 0;

			for (unsigned step = 128; step > 0; step >>= 1)
				bn += edge[bn + step - 1] < x ? step : 0;
			col[i] = (uint8_t)bn;
		}
	}
out:
	free(k);
	free(tmp);
}

int
denai_tbins_build(tbins *b, const denai_train_data *d, int maxbins, int threads,
    denai_err *err)
{
	bin_job j = { b, d, maxbins, 0 };

	memset(b, 0, sizeof(*b));
	b->rows = d->rows;
	b->cols = d->cols;
	if (maxbins < 2 || maxbins > 255)
		return denai_err_set(err, DENAI_EUSAGE,
		    "bins must be 2..255, not %d", maxbins);
	b->bin = malloc(d->rows * d->cols);
	b->rowbin = malloc(d->rows * d->cols);
	b->nbins = calloc(d->cols, sizeof(*b->nbins));
	b->edge = calloc(d->cols * NEDGE, sizeof(float));
	if (b->bin == NULL || b->rowbin == NULL || b->nbins == NULL || b->edge == NULL)
		goto nomem;
	if (threads > (int)d->cols)
		threads = (int)d->cols;
	if (d->rows * d->cols < SMALL_CELLS)
		threads = 1;	/* a thread costs more than it saves */
	denai_tpar_run(threads, bin_feature, &j);
	if (j.failed)
		goto nomem;
	for (size_t f = 0; f < d->cols; f++) {
		const uint8_t *col = b->bin + f * d->rows;

		for (size_t i = 0; i < d->rows; i++)
			b->rowbin[i * d->cols + f] = col[i];
	}
	return 0;
nomem:
	denai_tbins_free(b);
	return denai_err_set(err, DENAI_ENOMEM, "out of memory binning %zu x "
	    "%zu features", d->rows, d->cols);
}

void
denai_tbins_free(tbins *b)
{
	free(b->bin);
	free(b->rowbin);
	free(b->nbins);
	free(b->edge);
	memset(b, 0, sizeof(*b));
}
