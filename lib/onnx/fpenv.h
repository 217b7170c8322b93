/*
 * fpenv.h - the floating-point environment the evaluator computes in.
 *
 * The evaluator's bits are the same on every machine only if subnormals are
 * subnormals. A process can run with flush-to-zero / denormals-are-zero on
 * (a program linked with -Ofast or -ffast-math gets crtfastmath.o, which
 * sets them at start-up; so can any library it loads). denai_fpenv_enter
 * switches both off and rounds to nearest, remembering the caller's
 * state in *saved; denai_fpenv_leave puts it back. Both are a register read
 * and write (x86-64: MXCSR; aarch64: FPCR), nothing elsewhere.
 */
#ifndef DENAI_ONNX_FPENV_H
#define DENAI_ONNX_FPENV_H

#include <stdint.h>

typedef struct denai_fpenv {
	uint64_t reg;
} denai_fpenv;

void denai_fpenv_enter(denai_fpenv *saved);
void denai_fpenv_leave(const denai_fpenv *saved);

#endif
