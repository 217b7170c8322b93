/*
 * cpu.h - which SIMD instruction sets the CPU and the operating system both
 * support, for run-time dispatch between *_avx2.c and *_avx512.c code.
 *
 * An instruction set counts only when cpuid reports it and the OS saves its
 * register state (xgetbv): AVX-512 on a kernel that does not save ZMM and
 * opmask registers is reported absent.
 */
#ifndef DENAI_CPU_H
#define DENAI_CPU_H

#define DENAI_CPU_AVX2		0x1u	/* AVX2 and BMI2, YMM state saved */
#define DENAI_CPU_AVX512	0x2u	/* AVX-512 F, VL and BW, ZMM state saved */

/* Returns: the DENAI_CPU_* bits usable here (0 on other architectures,
 * and 0 when the environment has DENAI_CPU=portable).
 * Thread-safe; asked of the CPU once, then remembered. */
unsigned denai_cpu_features(void);

#endif
