/* pow_avx2.c - the AVX2 PoW scan kernel: 4 nonces per permutation. */
#include <stdint.h>

#include "pow/pow_impl.h"

#if defined(__AVX2__)
#include <immintrin.h>

typedef __m256i V;
#define W			4
#define V_BCAST(x)		_mm256_set1_epi64x((long long)(x))
#define V_XOR(a, b)		_mm256_xor_si256(a, b)
#define V_XOR5(a, b, c, d, e)	V_XOR(V_XOR(V_XOR(a, b), V_XOR(c, d)), e)
/* Rotations by 8 and 56 are byte shuffles; the rest two shifts and an or. */
#define V_ROL(a, n)							\
	((n) == 8 ? _mm256_shuffle_epi8(a, rol8) :			\
	 (n) == 56 ? _mm256_shuffle_epi8(a, rol56) :			\
	 _mm256_or_si256(_mm256_slli_epi64(a, n),			\
	     _mm256_srli_epi64(a, 64 - (n))))
#define V_SHL(a, n)		_mm256_slli_epi64(a, n)
#define V_CHI(a, b, c)		V_XOR(a, _mm256_andnot_si256(b, c))
#define V_NONCES(x)							\
	_mm256_shuffle_epi8(_mm256_add_epi64(				\
	    _mm256_set1_epi64x((long long)(x)), iota), bs32)
/* bswap64(h) <= t unsigned, as !(h > t) on sign-flipped signed values. */
#define V_CAND(h, t)							\
	(~(unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(		\
	    _mm256_cmpgt_epi64(V_XOR(_mm256_shuffle_epi8(h, bs64), sign),	\
	    _mm256_set1_epi64x((long long)((t) ^ 0x8000000000000000ULL))))) \
	    & 0xfu)
#define KERNEL_LOCALS							\
	const __m256i rol8 = _mm256_setr_epi8(7, 0, 1, 2, 3, 4, 5, 6,	\
	    15, 8, 9, 10, 11, 12, 13, 14, 7, 0, 1, 2, 3, 4, 5, 6,	\
	    15, 8, 9, 10, 11, 12, 13, 14);				\
	const __m256i rol56 = _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0,	\
	    9, 10, 11, 12, 13, 14, 15, 8, 1, 2, 3, 4, 5, 6, 7, 0,	\
	    9, 10, 11, 12, 13, 14, 15, 8);				\
	const __m256i bs32 = _mm256_setr_epi8(3, 2, 1, 0, -1, -1, -1, -1, \
	    11, 10, 9, 8, -1, -1, -1, -1, 3, 2, 1, 0, -1, -1, -1, -1,	\
	    11, 10, 9, 8, -1, -1, -1, -1);				\
	const __m256i bs64 = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0,	\
	    15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,	\
	    15, 14, 13, 12, 11, 10, 9, 8);				\
	const __m256i iota = _mm256_setr_epi64x(0, 1, 2, 3);		\
	const __m256i sign = _mm256_set1_epi64x(INT64_MIN);
#define KERNEL_NAME		denai_pow_scan_avx2

#include "pow/pow_kernel.h"

#else

/* Not built for x86: never called, as denai_cpu_features() says 0. */
long
denai_pow_scan_avx2(const struct denai_pow_pre *pre, uint32_t lo,
    uint32_t count)
{
	return -1;
}

#endif
