/* mm_avx512.c - the matrix-product panels in 64-byte vectors (lib/onnx/mm.h);
 * built with the ISA's flags, called only when denai_cpu_features() has it. */
#include "onnx/mm.h"

#if defined(__AVX512F__)
#include "onnx/mm_kernel.h"

typedef float vf __attribute__((vector_size(64)));
typedef double vd __attribute__((vector_size(64)));

MM_PANEL(f32_2, float, vf, 64 / 4, 2, 4)
MM_PANEL(f32_1, float, vf, 64 / 4, 1, 8)
MM_PANEL(f64_2, double, vd, 64 / 8, 2, 4)
MM_PANEL(f64_1, double, vd, 64 / 8, 1, 8)

size_t
denai_mm_f32_avx512(const struct denai_mm *m, float *o, const float *a,
    const float *b, size_t j0)
{
	return f32_1(m, o, a, b, f32_2(m, o, a, b, j0));
}

size_t
denai_mm_f64_avx512(const struct denai_mm *m, double *o, const double *a,
    const double *b, size_t j0)
{
	return f64_1(m, o, a, b, f64_2(m, o, a, b, j0));
}
#else
/* Not built for x86: never called, as denai_cpu_features() says 0. */
size_t
denai_mm_f32_avx512(const struct denai_mm *m, float *o, const float *a,
    const float *b, size_t j0)
{
	(void)m; (void)o; (void)a; (void)b;
	return j0;
}

size_t
denai_mm_f64_avx512(const struct denai_mm *m, double *o, const double *a,
    const double *b, size_t j0)
{
	(void)m; (void)o; (void)a; (void)b;
	return j0;
}
#endif
