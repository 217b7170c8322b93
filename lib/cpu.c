/* cpu.c - cpuid and xgetbv: SIMD support of the CPU and the OS. */
#include "cpu.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

/* DENAI_CPU=portable: the portable code on any CPU (the tests use it to
 * check that every path gives the same bits). */
static int
portable(void)
{
	const char *v = getenv("DENAI_CPU");

	return v != NULL && strcmp(v, "portable") == 0;
}

static uint64_t
xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile ("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static unsigned
ask(void)
{
	unsigned a, b, c, d, f = 0;
	uint64_t xcr0;

	if (portable() || !__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	/* OSXSAVE (bit 27) and AVX (bit 28): xgetbv exists, YMM is known. */
	if ((c & (1u << 27)) == 0 || (c & (1u << 28)) == 0)
		return 0;
	xcr0 = xgetbv0();
	if ((xcr0 & 0x6) != 0x6)	/* XMM and YMM state saved */
		return 0;
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	/* AVX2 (EBX bit 5) and BMI2 (bit 8): the avx2 files use both. */
	if ((b & (1u << 5)) && (b & (1u << 8)))
		f |= DENAI_CPU_AVX2;
	/* AVX-512 F (16), BW (30), VL (31); opmask, ZMM_Hi256, Hi16_ZMM. */
	if ((f & DENAI_CPU_AVX2) && (b & (1u << 16)) && (b & (1u << 30)) &&
	    (b & (1u << 31)) && (xcr0 & 0xe6) == 0xe6)
		f |= DENAI_CPU_AVX512;
	return f;
}

#else

static unsigned
ask(void)
{
	return 0;
}

#endif

/* Asked once: cpuid traps under some hypervisors, and kernels ask per
 * call. The high bit marks the answer as known. */
unsigned
denai_cpu_features(void)
{
	static atomic_uint cached;
	unsigned f = atomic_load_explicit(&cached, memory_order_relaxed);

	if (f == 0) {
		f = ask() | 0x80000000u;
		atomic_store_explicit(&cached, f, memory_order_relaxed);
	}
	return f & ~0x80000000u;
}
