/*
 * mm.c - the float matrix-product kernels of MatMul and Gemm (onnx/mm.h):
 * the widest panels the CPU has first, then 16-byte GCC vectors (any
 * target), then the plain loop for the last columns. Every path gives the
 * plain loop's bits (tests/unit/test_mm.c checks on random shapes).
 */

#include "cpu.h"
#include "onnx/mm.h"
#include "onnx/mm_kernel.h"

typedef float v4f __attribute__((vector_size(16)));
typedef double v2d __attribute__((vector_size(16)));

MM_PANEL(f32_2, float, v4f, 4, 2, 4)
MM_PANEL(f32_1, float, v4f, 4, 1, 8)
MM_PANEL(f64_2, double, v2d, 2, 2, 4)

/* The plain loop over columns j0..N: the reference sum. */
#define MM_SCALAR(name, T)						\
static void								\
name(const struct denai_mm *m, T *o, const T *a, const T *b, size_t j0)	\
{									\
	for (size_t j = j0; j < m->N; j++)				\
		for (size_t i = 0; i < m->M; i++) {			\
			T s = 0;					\
			for (size_t k = 0; k < m->K; k++)		\
				s = s + a[(ptrdiff_t)i * m->sam +	\
				    (ptrdiff_t)k * m->sak] *		\
				    b[(ptrdiff_t)k * m->sbk +		\
				    (ptrdiff_t)j * m->sbj];		\
			o[i * m->N + j] = s;				\
		}							\
}

MM_SCALAR(scalar_f32, float)
MM_SCALAR(scalar_f64, double)

static int
best(int path)
{
	unsigned f = denai_cpu_features();

	if (path == DENAI_MM_AUTO)
		path = DENAI_MM_AVX512;
	if (path == DENAI_MM_AVX512 && !(f & DENAI_CPU_AVX512))
		path = DENAI_MM_AVX2;
	if (path == DENAI_MM_AVX2 && !(f & DENAI_CPU_AVX2))
		path = DENAI_MM_PORTABLE;
	return path;
}

void
denai_mm_f32(int path, const struct denai_mm *m, float *o, const float *a,
    const float *b)
{
	size_t j = 0;

	if (m->K == 0) {
		for (size_t i = 0; i < m->M * m->N; i++)
			o[i] = 0;
		return;
	}
	switch (best(path)) {
	case DENAI_MM_AVX512:
		j = denai_mm_f32_avx512(m, o, a, b, j);
		/* FALLTHROUGH */
	case DENAI_MM_AVX2:
		j = denai_mm_f32_avx2(m, o, a, b, j);
		/* FALLTHROUGH */
	case DENAI_MM_PORTABLE:
		j = f32_1(m, o, a, b, f32_2(m, o, a, b, j));
		break;
	default:
		break;
	}
	scalar_f32(m, o, a, b, j);
}

void
denai_mm_f64(int path, const struct denai_mm *m, double *o, const double *a,
    const double *b)
{
	size_t j = 0;

	if (m->K == 0) {
		for (size_t i = 0; i < m->M * m->N; i++)
			o[i] = 0;
		return;
	}
	switch (best(path)) {
	case DENAI_MM_AVX512:
		j = denai_mm_f64_avx512(m, o, a, b, j);
		/* FALLTHROUGH */
	case DENAI_MM_AVX2:
		j = denai_mm_f64_avx2(m, o, a, b, j);
		/* FALLTHROUGH */
	case DENAI_MM_PORTABLE:
		j = f64_2(m, o, a, b, j);
		break;
	default:
		break;
	}
	scalar_f64(m, o, a, b, j);
}
