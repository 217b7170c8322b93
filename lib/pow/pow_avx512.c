/* pow_avx512.c - the AVX-512 PoW scan kernel: 8 nonces per permutation,
 * with vprolq for rotations and vpternlogq for three-input xor and chi. */
#include <stdint.h>

#include "pow/pow_impl.h"

#if defined(__AVX512F__) && defined(__AVX512BW__)
#include <immintrin.h>

typedef __m512i V;
#define W			8
#define V_BCAST(x)		_mm512_set1_epi64((long long)(x))
#define V_XOR(a, b)		_mm512_xor_si512(a, b)
#define V_XOR3(a, b, c)		_mm512_ternarylogic_epi64(a, b, c, 0x96)
#define V_XOR5(a, b, c, d, e)	V_XOR3(V_XOR3(a, b, c), d, e)
#define V_ROL(a, n)		_mm512_rol_epi64(a, n)
#define V_SHL(a, n)		_mm512_slli_epi64(a, n)
#define V_CHI(a, b, c)		_mm512_ternarylogic_epi64(a, b, c, 0xd2)
#define V_NONCES(x)							\
	_mm512_shuffle_epi8(_mm512_add_epi64(				\
	    _mm512_set1_epi64((long long)(x)), iota), bs32)
#define V_CAND(h, t)							\
	((unsigned)_mm512_cmple_epu64_mask(_mm512_shuffle_epi8(h, bs64),	\
	    _mm512_set1_epi64((long long)(t))))
#define KERNEL_LOCALS							\
	const __m512i bs32 = _mm512_set4_epi32(-1, 0x08090a0b, -1,	\
	    0x00010203);						\
	const __m512i bs64 = _mm512_set4_epi32(0x08090a0b, 0x0c0d0e0f,	\
	    0x00010203, 0x04050607);					\
	const __m512i iota = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
#define KERNEL_NAME		denai_pow_scan_avx512

#include "pow/pow_kernel.h"

#else

/* Not built for x86: never called, as denai_cpu_features() says 0. */
long
denai_pow_scan_avx512(const struct denai_pow_pre *pre, uint32_t lo,
    uint32_t count)
{
	return -1;
}

#endif
