/* mm_avx2.c - the matrix-product panels in 32-byte vectors (lib/onnx/mm.h);
 * built with the ISA's flags, called only when denai_cpu_features() has it. */
#include "onnx/mm.h"

#if defined(__AVX2__)
#include "onnx/mm_kernel.h"

typedef float vf __attribute__((vector_size(32)));
typedef double vd __attribute__((vector_size(32)));

MM_PANEL(f32_2, float, vf, 32 / 4, 2, 4)
MM_PANEL(f32_1, float, vf, 32 / 4, 1, 8)
MM_PANEL(f64_2, double, vd, 32 / 8, 2, 4)
MM_PANEL(f64_1, double, vd, 32 / 8, 1, 8)

size_t
denai_mm_f32_avx2(const struct denai_mm *m, float *o, const float *a,
    const float *b, size_t j0)
{
	return f32_1(m, o, a, b, f32_2(m, o, a, b, j0));
}

size_t
denai_mm_f64_avx2(const struct denai_mm *m, double *o, const double *a,
    const double *b, size_t j0)
{
	return f64_1(m, o, a, b, f64_2(m, o, a, b, j0));
}
#else
/* Not built for x86: never called, as denai_cpu_features() says 0. */
size_t
denai_mm_f32_avx2(const struct denai_mm *m, float *o, const float *a,
    const float *b, size_t j0)
{
	(void)m; (void)o; (void)a; (void)b;
	return j0;
}

size_t
denai_mm_f64_avx2(const struct denai_mm *m, double *o, const double *a,
    const double *b, size_t j0)
{
	(void)m; (void)o; (void)a; (void)b;
	return j0;
}
#endif
