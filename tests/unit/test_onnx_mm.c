/*
 * test_onnx_mm.c - the matrix-product kernels (lib/onnx/mm.h): every path
 * (16-byte vectors, AVX2, AVX-512 where the CPU has them) gives the plain
 * loop's bits, on random shapes with odd sizes, B in place and transposed
 * (packed), A transposed, K past the packing block, values of mixed
 * magnitudes and signs (-0 included).
 */
#include <stdint.h>

#include "onnx/mm.h"
#include "../tap.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
value(void)
{
	uint64_t r = next();
	double v = (double)(r >> 11) / 9007199254740992.0 - 0.5;

	switch (r & 7) {
	case 0:	return -0.0;
	case 1:	return v * 1e6;
	case 2:	return v * 1e-6;
	default: return v * 3;
	}
}

static size_t
pick(size_t lo, size_t hi)
{
	return lo + (size_t)(next() % (hi - lo + 1));
}

int
main(void)
{
	static const int paths[] = { DENAI_MM_PORTABLE, DENAI_MM_AVX2,
	    DENAI_MM_AVX512, DENAI_MM_AUTO };
	static const char *const names[] = { "portable", "avx2", "avx512",
	    "auto" };
	int bad32[4] = { 0 }, bad64[4] = { 0 }, cases = 0;

	for (int t = 0; t < 400; t++) {
		struct denai_mm m;
		size_t M = pick(1, 13), N = pick(1, 70);
		size_t K = t % 50 == 0 ? 0 : t % 7 == 0 ? pick(120, 300) :
		    pick(1, 40);
		int ta = (int)(next() & 1), tb = (int)(next() & 1);
		size_t na = M * K + 1, nb = K * N + 1, no = M * N;
		float *a32 = malloc(na * 4), *b32 = malloc(nb * 4);
		float *r32 = malloc(no * 4 + 4), *o32 = malloc(no * 4 + 4);
		double *a64 = malloc(na * 8), *b64 = malloc(nb * 8);
		double *r64 = malloc(no * 8 + 8), *o64 = malloc(no * 8 + 8);

		if (!a32 || !b32 || !r32 || !o32 || !a64 || !b64 || !r64 ||
		    !o64)
			return 1;
		for (size_t i = 0; i < na; i++)
			a64[i] = value(), a32[i] = (float)a64[i];
		for (size_t i = 0; i < nb; i++)
			b64[i] = value(), b32[i] = (float)b64[i];
		m.M = M;
		m.N = N;
		m.K = K;
		m.sam = ta ? 1 : (ptrdiff_t)K;
		m.sak = ta ? (ptrdiff_t)M : 1;
		m.sbk = tb ? 1 : (ptrdiff_t)N;
		m.sbj = tb ? (ptrdiff_t)K : 1;
		denai_mm_f32(DENAI_MM_SCALAR, &m, r32, a32, b32);
		denai_mm_f64(DENAI_MM_SCALAR, &m, r64, a64, b64);
		for (int p = 0; p < 4; p++) {
			memset(o32, 0x55, no * 4 + 4);
			memset(o64, 0x55, no * 8 + 8);
			denai_mm_f32(paths[p], &m, o32, a32, b32);
			denai_mm_f64(paths[p], &m, o64, a64, b64);
			if (memcmp(o32, r32, no * 4) != 0 ||
			    ((unsigned char *)o32)[no * 4] != 0x55) {
				if (bad32[p]++ == 0)
					diag("f32 %s differs: M %zu N %zu "
					    "K %zu ta %d tb %d", names[p], M,
					    N, K, ta, tb);
			}
			if (memcmp(o64, r64, no * 8) != 0 ||
			    ((unsigned char *)o64)[no * 8] != 0x55) {
				if (bad64[p]++ == 0)
					diag("f64 %s differs: M %zu N %zu "
					    "K %zu ta %d tb %d", names[p], M,
					    N, K, ta, tb);
			}
		}
		cases++;
		free(a32); free(b32); free(r32); free(o32);
		free(a64); free(b64); free(r64); free(o64);
	}
	for (int p = 0; p < 4; p++) {
		ok(bad32[p] == 0, "float, %s path: the plain loop's bits on "
		    "%d random shapes (%d differ)", names[p], cases, bad32[p]);
		ok(bad64[p] == 0, "double, %s path: the plain loop's bits on "
		    "%d random shapes (%d differ)", names[p], cases,
		    bad64[p]);
	}
	return done_testing();
}
