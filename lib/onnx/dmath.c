/*
 * dmath.c - exp, expm1, log, tanh, sigmoid and pow in portable C.
 *
 * exp: x = k ln2 + r with |r| <= ln2/2 (ln2 split in a 32-bit head, so
 * k * head is exact, and a tail), then exp(r) - 1 by its Taylor series to
 * r^13 (truncation below 2^-57), then a scale by 2^k built from bits.
 * log: x = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact),
 * s = f / (2 + f), and log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))) where
 * R is the atanh series 2s^2/3 + 2s^4/5 + ... to s^20.
 */
#include "onnx/dmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define LN2_HI 0x1.62e42feep-1		/* ln 2, first 32 bits */
#define LN2_LO 0x1.a39ef35793c76p-33	/* ln 2 - LN2_HI */
#define INV_LN2 0x1.71547652b82fep0

static uint64_t
bits(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

static double
from_bits(uint64_t u)
{
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/* 2^k for -1022 <= k <= 1023. */
static double
pow2(int k)
{
	return from_bits((uint64_t)(k + 1023) << 52);
}

/* p * 2^k for -1076 <= k <= 1024, rounding once. */
static double
scale(double p, int k)
{
	if (k > 1023)
		return p * pow2(1023) * pow2(k - 1023);
	if (k < -1022)
		return p * pow2(k + 54) * 0x1p-54;
	return p * pow2(k);
}

/*
 * Reduces x (finite, -746 < x < 710) to exp(x) = 2^k (1 + P).
 * Returns: P = exp(r) - 1 with |r| <= ln2/2 (plus rounding).
 */
static double
exp_reduce(double x, int *k)
{
	double hi, lo, r, q;
	int n;

	n = (int)(x * INV_LN2 + (x < 0 ? -0.5 : 0.5));
	hi = x - n * LN2_HI;		/* exact */
	lo = n * LN2_LO;
	r = hi - lo;
	q = 1.0 / 6227020800.0;			/* 1/13! */
	q = 1.0 / 479001600.0 + r * q;		/* 1/12! */
	q = 1.0 / 39916800.0 + r * q;
	q = 1.0 / 3628800.0 + r * q;
	q = 1.0 / 362880.0 + r * q;
	q = 1.0 / 40320.0 + r * q;
	q = 1.0 / 5040.0 + r * q;
	q = 1.0 / 720.0 + r * q;
	q = 1.0 / 120.0 + r * q;
	q = 1.0 / 24.0 + r * q;
	q = 1.0 / 6.0 + r * q;
	q = 0.5 + r * q;
	*k = n;
	return hi - (lo - r * r * q);
}

double
denai_exp(double x)
{
	int k;
	double p;

	if (x != x)
		return x;
	if (x > 709.8)
		return INFINITY;
	if (x < -745.2)
		return 0.0;
	p = exp_reduce(x, &k);
	return scale(1.0 + p, k);
}

double
denai_expm1(double x)
{
	int k;
	double p;

	if (x != x)
		return x;
	if (x > 709.8)
		return INFINITY;
	if (x < -40.0)
		return -1.0;
	if (x > -0x1p-54 && x < 0x1p-54)
		return x;
	p = exp_reduce(x, &k);
	if (k == 0)
		return p;
	if (k > 56 || k < -56)
		return scale(1.0 + p, k) - 1.0;
	/* (2^k - 1) is exact here and 2^k P is an exact scaling. */
	return (pow2(k) - 1.0) + pow2(k) * p;
}

/*
 * log(x) for finite x > 0 as e ln2 + f + c, with e ln2 in two parts.
 * Out: *e, *f (exact), *hf = f^2/2 rounded, *t = s (hf + R).
 */
static void
log_reduce(double x, int *e, double *f, double *hf, double *t)
{
	uint64_t u = bits(x);
	int ex = 0;
	double m, s, z, R;

	if (u >> 52 == 0) {		/* subnormal */
		x *= 0x1p54;
		u = bits(x);
		ex = -54;
	}
	ex += (int)(u >> 52) - 1023;
	m = from_bits((u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
	if (m > 0x1.6a09e667f3bcdp0) {	/* sqrt(2) */
		m *= 0.5;
		ex++;
	}
	*f = m - 1.0;
	s = *f / (2.0 + *f);
	z = s * s;
	R = 2.0 / 21.0;
	R = 2.0 / 19.0 + z * R;
	R = 2.0 / 17.0 + z * R;
	R = 2.0 / 15.0 + z * R;
	R = 2.0 / 13.0 + z * R;
	R = 2.0 / 11.0 + z * R;
	R = 2.0 / 9.0 + z * R;
	R = 2.0 / 7.0 + z * R;
	R = 2.0 / 5.0 + z * R;
	R = 2.0 / 3.0 + z * R;
	R = z * R;
	*hf = 0.5 * *f * *f;
	*t = s * (*hf + R);
	*e = ex;
}

double
denai_log(double x)
{
	int e;
	double f, hf, t;

	if (x != x)
		return x;
	if (x < 0)
		return NAN;
	if (x == 0)
		return -INFINITY;
	if (x == INFINITY)
		return x;
	log_reduce(x, &e, &f, &hf, &t);
	return e * LN2_HI + (f - (hf - (t + e * LN2_LO)));
}

/* Goldberg's: with u = 1 + x rounded, log(u) * x / (u - 1) corrects for
 * the rounding of u to within a few ulp. */
double
denai_log1p(double x)
{
	double u = 1.0 + x;

	if (x != x || x == INFINITY)
		return x;
	if (u == 1.0)
		return x;
	if (u == 0.0)
		return -INFINITY;
	return denai_log(u) * (x / (u - 1.0));
}

double
denai_softplus(double x)
{
	if (x != x)
		return x;
	if (x > 0)
		return x + denai_log1p(denai_exp(-x));
	return denai_log1p(denai_exp(x));
}

double
denai_tanh(double x)
{
	double a = x < 0 ? -x : x, t, r;

	if (x != x)
		return x;
	if (a < 0x1p-27)
		return x;
	if (a > 22.0)
		r = 1.0;
	else {
		t = denai_expm1(2.0 * a);
		r = t / (t + 2.0);
	}
	return x < 0 ? -r : r;
}

double
denai_sigmoid(double x)
{
	double e;

	if (x >= 0)
		return 1.0 / (1.0 + denai_exp(-x));
	e = denai_exp(x);
	return e / (1.0 + e);
}

/* Dekker's exact product without FMA: a b = *p + *e. */
static void
two_prod(double a, double b, double *p, double *e)
{
	double c, ah, al, bh, bl;

	*p = a * b;
	c = 134217729.0 * a;
	ah = c - (c - a);
	al = a - ah;
	c = 134217729.0 * b;
	bh = c - (c - b);
	bl = b - bh;
	*e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

/* Knuth's exact sum: a + b = *s + *e. */
static void
two_sum(double a, double b, double *s, double *e)
{
	double bb;

	*s = a + b;
	bb = *s - a;
	*e = (a - (*s - bb)) + (b - bb);
}

/*
 * log(x) for finite x > 0 as hi + lo, good to about 2^-100 relative: with
 * x = 2^e (1 + f) as in log_reduce, log(1 + f) = 2s + 2s^3/3 + 2s^5/5 +
 * ..., s = f / (2 + f), where s, s^3 and 2/3 are carried in two doubles
 * and the rest, below 2^-14 of the result, in one.
 */
static void
log_dd(double x, double *hi, double *lo)
{
	static const double two3_hi = 0x1.5555555555555p-1;
	static const double two3_lo = 0x1.5555555555555p-55;
	uint64_t u = bits(x);
	int e = 0;
	double m, f, w, we, sh, sl, p, pe, z, ze, c3, c3e, t, te, z2, R;
	double s1, e1, s2, e2, l;

	if (u >> 52 == 0) {
		x *= 0x1p54;
		u = bits(x);
		e = -54;
	}
	e += (int)(u >> 52) - 1023;
	m = from_bits((u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
	if (m > 0x1.6a09e667f3bcdp0) {
		m *= 0.5;
		e++;
	}
	f = m - 1.0;
	two_sum(2.0, f, &w, &we);		/* 2 + f exactly */
	sh = f / w;
	two_prod(sh, w, &p, &pe);
	sl = (((f - p) - pe) - sh * we) / w;	/* s = sh + sl */
	two_prod(sh, sh, &z, &ze);
	two_prod(z, sh, &c3, &c3e);
	c3e += ze * sh + 3.0 * z * sl;		/* s^3 = c3 + c3e */
	two_prod(two3_hi, c3, &t, &te);
	te += two3_lo * c3 + two3_hi * c3e;	/* 2 s^3 / 3 = t + te */
	z2 = z * z;
	R = 2.0 / 23.0;
	R = 2.0 / 21.0 + z * R;
	R = 2.0 / 19.0 + z * R;
	R = 2.0 / 17.0 + z * R;
	R = 2.0 / 15.0 + z * R;
	R = 2.0 / 13.0 + z * R;
	R = 2.0 / 11.0 + z * R;
	R = 2.0 / 9.0 + z * R;
	R = 2.0 / 7.0 + z * R;
	R = 2.0 / 5.0 + z * R;
	R = z2 * sh * R;			/* 2 s^5 / 5 + ... */
	two_sum(e * LN2_HI, 2.0 * sh, &s1, &e1);
	two_sum(s1, t, &s2, &e2);
	l = e1 + e2 + (2.0 * sl + te + R + e * LN2_LO);
	*hi = s2 + l;
	*lo = l - (*hi - s2);
}

double
denai_pow(double x, double y)
{
	double ax, lh, ll, p, pe, r;
	int yint = 0, yodd = 0;

	if (y == 0 || x == 1)
		return 1.0;
	if (x != x || y != y)
		return x + y;
	ax = x < 0 ? -x : x;
	if (y == INFINITY || y == -INFINITY) {
		if (ax == 1)
			return 1.0;
		return (ax < 1) == (y > 0) ? 0.0 : INFINITY;
	}
	if (y >= 0x1p53 || y <= -0x1p53)
		yint = 1;
	else if (y == (double)(int64_t)y) {
		yint = 1;
		yodd = (int)((uint64_t)(int64_t)y & 1);
	}
	if (x == 0) {
		if (y < 0)
			return yodd ? 1.0 / x : INFINITY;
		return yodd ? x : 0.0;
	}
	if (x == -INFINITY) {
		if (y < 0)
			return yodd ? -0.0 : 0.0;
		return yodd ? -INFINITY : INFINITY;
	}
	if (x == INFINITY)
		return y < 0 ? 0.0 : INFINITY;
	if (x < 0 && !yint)
		return NAN;
	if (y == 1)
		return x;
	if (y == 2)
		return x * x;
	if (y == -1)
		return 1.0 / x;
	if (y == 0.5)
		return sqrt(x);
	log_dd(ax, &lh, &ll);
	p = y * lh;
	if (p > 710.0)
		r = INFINITY;
	else if (p < -746.0)
		r = 0.0;
	else {
		two_prod(y, lh, &p, &pe);
		pe += y * ll;
		r = denai_exp(p);
		if (r != INFINITY)
			r = r + r * pe;
	}
	return x < 0 && yodd ? -r : r;
}

float
denai_expf(float x)
{
	return (float)denai_exp(x);
}

float
denai_logf(float x)
{
	return (float)denai_log(x);
}

float
denai_softplusf(float x)
{
	return (float)denai_softplus(x);
}

float
denai_tanhf(float x)
{
	return (float)denai_tanh(x);
}

float
denai_sigmoidf(float x)
{
	return (float)denai_sigmoid(x);
}

/* In double: exact enough that rounding to float is within 1 ulp, and
 * small integer exponents by repeated squaring (error < 2^-47). */
float
denai_powf(float x, float y)
{
	double b = x, r = 1.0;
	int n, neg;

	if (y >= -64 && y <= 64 && y == (float)(int)y && x == x && y != 0) {
		n = (int)y;
		neg = n < 0;
		if (neg)
			n = -n;
		for (; n != 0; n >>= 1) {
			if (n & 1)
				r *= b;
			b *= b;
		}
		return (float)(neg ? 1.0 / r : r);
	}
	return (float)denai_pow(x, y);
}
