/*
 * onnx/mm.h - the float matrix-product kernels of MatMul and Gemm, with
 * run-time dispatch to AVX2 and AVX-512 builds of the same loops.
 * Internal to lib/onnx/ops_math.c and its tests.
 *
 * Every output is the sum 0 + a0 b0 + a1 b1 + ... in ascending k, in the
 * element type, each product rounded before it is added (separate multiply
 * and add, never FMA): the kernels vectorise across output columns only,
 * each lane doing that same sum, so every path gives the plain loop's bits.
 */
#ifndef DENAI_ONNX_MM_H
#define DENAI_ONNX_MM_H

#include <stddef.h>

/* One matrix product o[M,N] = A'[M,K] B'[K,N], where A'(i,k) is
 * a[i*sam + k*sak] and B'(k,j) is b[k*sbk + j*sbj]; o is dense, row
 * stride N. */
struct denai_mm {
	size_t M, N, K;
	ptrdiff_t sam, sak, sbk, sbj;
};

/* Which path: DENAI_MM_AUTO picks the widest the CPU has. */
enum { DENAI_MM_AUTO, DENAI_MM_SCALAR, DENAI_MM_PORTABLE, DENAI_MM_AVX2,
	DENAI_MM_AVX512 };

/* o = A' B' for float and double on the given path (one the CPU lacks
 * falls back to the next narrower). DENAI_MM_SCALAR is the plain triple
 * loop, the reference the others are tested against. */
void denai_mm_f32(int path, const struct denai_mm *m, float *o,
    const float *a, const float *b);
void denai_mm_f64(int path, const struct denai_mm *m, double *o,
    const double *a, const double *b);

/* The ISA panels (lib/onnx/mm_avx2.c, mm_avx512.c): o's columns from j0
 * in panels the ISA's width; return the first column not done. */
size_t denai_mm_f32_avx2(const struct denai_mm *m, float *o, const float *a,
    const float *b, size_t j0);
size_t denai_mm_f64_avx2(const struct denai_mm *m, double *o,
    const double *a, const double *b, size_t j0);
size_t denai_mm_f32_avx512(const struct denai_mm *m, float *o,
    const float *a, const float *b, size_t j0);
size_t denai_mm_f64_avx512(const struct denai_mm *m, double *o,
    const double *a, const double *b, size_t j0);

#endif
