/*
 * onnx/mm_kernel.h - the column-panel matrix-product loop, instantiated
 * per vector width by lib/onnx/mm.c (16-byte GCC vectors, any target),
 * mm_avx2.c (32 bytes) and mm_avx512.c (64 bytes).
 *
 * MM_PANEL(name, T, V, W, NV, R): o's columns j0.. in panels of NV vectors
 * of W lanes, R rows at a time; each lane accumulates c = c + a(i,k) b(k,j)
 * for k ascending from +0, a multiply then an add (the files are built
 * with -ffp-contract=off, which keeps them apart even where the ISA has
 * FMA), so the bits equal the scalar sum's. B is read in place when its
 * rows are contiguous, else packed KB rows of a panel at a time into a
 * stack buffer (partial sums then go through o: a value stored and
 * reloaded is the same). Returns: the first column not done.
 */
#ifndef DENAI_ONNX_MM_KERNEL_H
#define DENAI_ONNX_MM_KERNEL_H

#include <string.h>

#include "onnx/mm.h"

#define MM_LOAD(V, p) __extension__ ({ V v_;				\
	memcpy(&v_, (p), sizeof(v_)); v_; })
#define MM_STORE(p, v) do { __typeof__(v) s_ = (v);			\
	memcpy((p), &s_, sizeof(s_)); } while (0)

#define MM_PANEL(name, T, V, W, NV, R)				\
static size_t								\
name(const struct denai_mm *m, T *restrict o, const T *restrict a,	\
    const T *restrict b, size_t j0)					\
{									\
	enum { NB = NV * W, KB = 128 };					\
	T pack[KB * NB];						\
	size_t M = m->M, N = m->N, K = m->K;				\
	if (K == 0)							\
		return j0;						\
	for (; j0 + NB <= N; j0 += NB)					\
	for (size_t k0 = 0; k0 < K; k0 += KB) {				\
		size_t kb = K - k0 < KB ? K - k0 : KB, i = 0;		\
		const T *p = pack;					\
		ptrdiff_t ps = NB;					\
		if (m->sbj == 1) {					\
			kb = K;						\
			p = b + j0;					\
			ps = m->sbk;					\
		} else							\
			for (size_t kk = 0; kk < kb; kk++)		\
				for (size_t jj = 0; jj < NB; jj++)	\
					pack[kk * NB + jj] = b[(ptrdiff_t)\
					    (k0 + kk) * m->sbk +	\
					    (ptrdiff_t)(j0 + jj) * m->sbj]; \
		for (; i + R <= M; i += R) {				\
			V c[R][NV];					\
			const T *ar[R];					\
			for (int r = 0; r < R; r++) {			\
				T *orow = o + (i + r) * N + j0;		\
				ar[r] = a + (ptrdiff_t)(i + r) * m->sam + \
				    (ptrdiff_t)k0 * m->sak;		\
				for (int v = 0; v < NV; v++) {		\
					V z = { 0 };			\
					c[r][v] = k0 == 0 ? z :		\
					    MM_LOAD(V, orow + v * W);	\
				}					\
			}						\
			for (size_t kk = 0; kk < kb; kk++) {		\
				V bv[NV];				\
				for (int v = 0; v < NV; v++)		\
					bv[v] = MM_LOAD(V, p +		\
					    (ptrdiff_t)kk * ps + v * W); \
				for (int r = 0; r < R; r++) {		\
					T av = ar[r][(ptrdiff_t)kk * m->sak]; \
					for (int v = 0; v < NV; v++)	\
						c[r][v] = c[r][v] +	\
						    av * bv[v];		\
				}					\
			}						\
			for (int r = 0; r < R; r++)			\
				for (int v = 0; v < NV; v++)		\
					MM_STORE(o + (i + r) * N + j0 +	\
					    v * W, c[r][v]);		\
		}							\
		for (; i < M; i++) {					\
			const T *ar = a + (ptrdiff_t)i * m->sam +	\
			    (ptrdiff_t)k0 * m->sak;			\
			T *orow = o + i * N + j0;			\
			V c[NV];					\
			for (int v = 0; v < NV; v++) {			\
				V z = { 0 };				\
				c[v] = k0 == 0 ? z :			\
				    MM_LOAD(V, orow + v * W);		\
			}						\
			for (size_t kk = 0; kk < kb; kk++) {		\
				T av = ar[(ptrdiff_t)kk * m->sak];	\
				for (int v = 0; v < NV; v++)		\
					c[v] = c[v] + av * MM_LOAD(V,	\
					    p + (ptrdiff_t)kk * ps + v * W); \
			}						\
			for (int v = 0; v < NV; v++)			\
				MM_STORE(orow + v * W, c[v]);		\
		}							\
		if (m->sbj == 1)					\
			break;						\
	}								\
	return j0;							\
}

#endif
