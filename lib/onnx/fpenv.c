/*
 * fpenv.c - IEEE subnormals and round-to-nearest while the evaluator runs
 * (see fpenv.h).
 */
#include "onnx/fpenv.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>

/* MXCSR: FTZ is bit 15, DAZ bit 6, rounding control bits 13-14. */
#define MXCSR_OFF ((1u << 15) | (1u << 6) | (3u << 13))

void
denai_fpenv_enter(denai_fpenv *saved)
{
	unsigned int csr = _mm_getcsr();

	saved->reg = csr;
	if ((csr & MXCSR_OFF) != 0)
		_mm_setcsr(csr & ~MXCSR_OFF);
}

void
denai_fpenv_leave(const denai_fpenv *saved)
{
	if (_mm_getcsr() != (unsigned int)saved->reg)
		_mm_setcsr((unsigned int)saved->reg);
}

#elif defined(__aarch64__)

/* FPCR: FZ is bit 24, FZ16 bit 19, rounding mode bits 22-23. */
#define FPCR_OFF ((1ull << 24) | (1ull << 19) | (3ull << 22))

static uint64_t
get_fpcr(void)
{
	uint64_t r;

	__asm__ __volatile__("mrs %0, fpcr" : "=r"(r));
	return r;
}

static void
set_fpcr(uint64_t r)
{
	__asm__ __volatile__("msr fpcr, %0" : : "r"(r));
}

void
denai_fpenv_enter(denai_fpenv *saved)
{
	uint64_t r = get_fpcr();

	saved->reg = r;
	if ((r & FPCR_OFF) != 0)
		set_fpcr(r & ~FPCR_OFF);
}

void
denai_fpenv_leave(const denai_fpenv *saved)
{
	if (get_fpcr() != saved->reg)
		set_fpcr(saved->reg);
}

#else
#include <fenv.h>

/* Elsewhere: round to nearest; flush-to-zero has no portable switch. */
void
denai_fpenv_enter(denai_fpenv *saved)
{
	saved->reg = (uint64_t)fegetround();
	if (saved->reg != (uint64_t)FE_TONEAREST)
		fesetround(FE_TONEAREST);
}

void
denai_fpenv_leave(const denai_fpenv *saved)
{
	if ((uint64_t)fegetround() != saved->reg)
		fesetround((int)saved->reg);
}
#endif
