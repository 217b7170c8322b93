/*
 * onnx/dmath.h - deterministic elementary functions for the ONNX kernels.
 *
 * Written in plain C with a fixed order of operations (range reduction,
 * then a polynomial), so the results depend only on IEEE-754 double
 * arithmetic and never on the libm version: the same bits on every
 * machine of one architecture, given -ffp-contract=off (mk/build.mk).
 * Only sqrt is taken from the hardware, where IEEE-754 makes it correctly
 * rounded.
 *
 * Accuracy, measured by tests/unit/test_onnx_dmath.c against libm: a few
 * ulp in double (see that test's output); the float versions evaluate in
 * double and round once, so they are within 1 ulp. NaN propagates; +-Inf,
 * overflow, underflow to subnormals and zero, and subnormal arguments are
 * handled as C99 Annex F specifies for the libm functions of the same name.
 */
#ifndef DENAI_ONNX_DMATH_H
#define DENAI_ONNX_DMATH_H

double denai_exp(double x);
double denai_expm1(double x);		/* exp(x) - 1, accurate near 0 */
double denai_log(double x);
double denai_log1p(double x);		/* log(1 + x), accurate near 0 */
double denai_tanh(double x);
double denai_sigmoid(double x);		/* 1 / (1 + exp(-x)), no overflow */
/* x to the y: x*x for y = 2, sqrt for y = 0.5, otherwise exp(y log|x|)
 * with log|x| and the product carried in double-double (within 2 ulp). */
double denai_pow(double x, double y);

float denai_expf(float x);
float denai_logf(float x);
float denai_tanhf(float x);
float denai_sigmoidf(float x);
float denai_softplusf(float x);		/* log(1 + exp(x)), no overflow */
double denai_softplus(double x);
float denai_powf(float x, float y);

#endif
