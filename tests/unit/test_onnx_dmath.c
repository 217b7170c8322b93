/*
 * test_onnx_dmath.c - the deterministic exp/log/tanh/sigmoid/pow against
 * libm's long double functions (64-bit mantissa on x86, a good reference
 * for double) over millions of points, and their special values.
 *
 * DMATH_POINTS overrides the number of random points per range.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../tap.h"
#include "onnx/dmath.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Uniform in [lo, hi). */
static double
uniform(double lo, double hi)
{
	return lo + (hi - lo) * ((double)(next() >> 11) * 0x1p-53);
}

/* A random double of either sign with a random exponent in [e0, e1]. */
static double
logscale(int e0, int e1)
{
	double m = 1.0 + (double)(next() >> 12) * 0x1p-52;

	return ldexp(next() & 1 ? -m : m, e0 + (int)(next() % (uint64_t)(e1 - e0 + 1)));
}

/* Distance in ulp between two doubles (0 when both NaN). */
static double
ulps(double got, long double want)
{
	double w = (double)want, u;

	if (isnan(got) && isnan(w))
		return 0;
	if (isnan(got) || isnan(w))
		return INFINITY;
	if (got == w)
		return 0;
	if (isinf(got) || isinf(w)) {
		/* One side rounds to overflow: allow it at the edge only. */
		return fabs(got) >= DBL_MAX && fabs(w) >= DBL_MAX * (1 - 0x1p-50)
		    ? 1 : INFINITY;
	}
	u = w == 0 ? 0x1p-1074 : ldexp(1.0, ilogb(w) - 52);
	if (u < 0x1p-1074)
		u = 0x1p-1074;
	return (double)fabsl((long double)got - want) / u;
}

static double
ulpsf(float got, long double want)
{
	float w = (float)want, u;

	if (isnan(got) && isnan(w))
		return 0;
	if (isnan(got) || isnan(w))
		return INFINITY;
	if (got == w)
		return 0;
	if (isinf(got) || isinf(w))
		return INFINITY;
	u = w == 0 ? 0x1p-149f : ldexpf(1.0f, ilogbf(w) - 23);
	if (u < 0x1p-149f)
		u = 0x1p-149f;
	return (double)(fabsl((long double)got - want) / u);
}

static long double
ref_softplus(long double x)
{
	return x > 0 ? x + log1pl(expl(-x)) : log1pl(expl(x));
}

static long double
ref_sigmoid(long double x)
{
	return 1.0L / (1.0L + expl(-x));
}

typedef double (*fn_d)(double);
typedef long double (*fn_l)(long double);

static long npoints = 1000000;

static void
sweep(const char *name, fn_d f, fn_l ref, double lo, double hi, int logs,
    double bound)
{
	double worst = 0, wx = 0, x, e;

	for (long i = 0; i < npoints; i++) {
		x = logs ? logscale((int)lo, (int)hi) : uniform(lo, hi);
		e = ulps(f(x), ref(x));
		if (e > worst) {
			worst = e;
			wx = x;
		}
	}
	if (!ok(worst <= bound, "%s over %s[%g, %g): max error %.3f ulp "
	    "(bound %g)", name, logs ? "2^" : "", lo, hi, worst, bound))
		diag("worst at x = %a: got %a, want %a", wx, f(wx),
		    (double)ref(wx));
	else
		diag("%s max %.3f ulp at %a", name, worst, wx);
}

static void
sweepf(const char *name, float (*f)(float), fn_l ref, double lo, double hi)
{
	double worst = 0, e;
	float x, wx = 0;

	for (long i = 0; i < npoints; i++) {
		x = (float)uniform(lo, hi);
		e = ulpsf(f(x), ref(x));
		if (e > worst) {
			worst = e;
			wx = x;
		}
	}
	if (!ok(worst <= 1.0, "%s over [%g, %g): max error %.3f ulp (bound 1)",
	    name, lo, hi, worst))
		diag("worst at x = %a", (double)wx);
}

static void
pow_sweep(const char *name, double xlo, double xhi, double ylo, double yhi,
    int yint, double bound)
{
	double worst = 0, wx = 0, wy = 0, x, y, e;

	for (long i = 0; i < npoints / 2; i++) {
		x = uniform(xlo, xhi);
		y = uniform(ylo, yhi);
		if (yint)
			y = (double)(long)y;
		e = ulps(denai_pow(x, y), powl(x, y));
		if (e > worst) {
			worst = e;
			wx = x;
			wy = y;
		}
	}
	if (!ok(worst <= bound, "pow %s: max error %.3f ulp (bound %g)", name,
	    worst, bound))
		diag("worst at pow(%a, %a)", wx, wy);
	else
		diag("pow %s max %.3f ulp at pow(%a, %a)", name, worst, wx, wy);
}

static int
same(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0 || (isnan(a) && isnan(b));
}

static void
is_d(double got, double want, const char *name)
{
	if (!ok(same(got, want), "%s", name))
		diag("got %a, want %a", got, want);
}

static void
specials(void)
{
	double inf = INFINITY, nan = NAN;

	is_d(denai_exp(0), 1, "exp(0) = 1");
	is_d(denai_exp(-0.0), 1, "exp(-0) = 1");
	is_d(denai_exp(inf), inf, "exp(inf) = inf");
	is_d(denai_exp(-inf), 0, "exp(-inf) = 0");
	is_d(denai_exp(nan), nan, "exp(nan) = nan");
	is_d(denai_exp(709.78), exp(709.78), "exp(709.78) finite");
	is_d(denai_exp(709.79), inf, "exp(709.79) overflows");
	is_d(denai_exp(1000), inf, "exp(1000) = inf");
	is_d(denai_exp(-745.1), 0x1p-1074, "exp(-745.1) = smallest subnormal");
	is_d(denai_exp(-746), 0, "exp(-746) = 0");
	is_d(denai_exp(-720), exp(-720), "exp(-720) subnormal");
	ok(ulps(denai_exp(1), expl(1)) <= 1, "exp(1) = e within 1 ulp");
	is_d(denai_expm1(-0.0), -0.0, "expm1(-0) = -0");
	is_d(denai_expm1(-inf), -1, "expm1(-inf) = -1");
	is_d(denai_expm1(inf), inf, "expm1(inf) = inf");
	is_d(denai_expm1(1e-300), 1e-300, "expm1(1e-300) = 1e-300");
	is_d(denai_log(1), 0, "log(1) = +0");
	is_d(denai_log(0), -inf, "log(0) = -inf");
	is_d(denai_log(-0.0), -inf, "log(-0) = -inf");
	is_d(denai_log(-1), nan, "log(-1) = nan");
	is_d(denai_log(-inf), nan, "log(-inf) = nan");
	is_d(denai_log(inf), inf, "log(inf) = inf");
	is_d(denai_log(nan), nan, "log(nan) = nan");
	is_d(denai_log(0x1p-1074), log(0x1p-1074), "log(smallest subnormal)");
	is_d(denai_log(DBL_MAX), log(DBL_MAX), "log(DBL_MAX)");
	is_d(denai_log(2), log(2), "log(2) = ln 2");
	is_d(denai_log1p(-1), -inf, "log1p(-1) = -inf");
	is_d(denai_log1p(-2), nan, "log1p(-2) = nan");
	is_d(denai_log1p(-0.0), -0.0, "log1p(-0) = -0");
	is_d(denai_log1p(inf), inf, "log1p(inf) = inf");
	is_d(denai_softplus(-inf), 0, "softplus(-inf) = 0");
	is_d(denai_softplus(inf), inf, "softplus(inf) = inf");
	is_d(denai_softplus(1000), 1000, "softplus(1000) = 1000");
	is_d(denai_tanh(0), 0, "tanh(0) = 0");
	is_d(denai_tanh(-0.0), -0.0, "tanh(-0) = -0");
	is_d(denai_tanh(inf), 1, "tanh(inf) = 1");
	is_d(denai_tanh(-inf), -1, "tanh(-inf) = -1");
	is_d(denai_tanh(nan), nan, "tanh(nan) = nan");
	is_d(denai_tanh(1e-310), 1e-310, "tanh(subnormal) = itself");
	is_d(denai_sigmoid(0), 0.5, "sigmoid(0) = 1/2");
	is_d(denai_sigmoid(inf), 1, "sigmoid(inf) = 1");
	is_d(denai_sigmoid(-inf), 0, "sigmoid(-inf) = 0");
	is_d(denai_sigmoid(800), 1, "sigmoid(800) = 1");
	is_d(denai_sigmoid(-800), 0, "sigmoid(-800) = 0");
	is_d(denai_sigmoid(-700), exp(-700), "sigmoid(-700) = exp(-700)");
	is_d(denai_sigmoid(nan), nan, "sigmoid(nan) = nan");
	ok(isnan(denai_sigmoidf(NAN)), "sigmoidf(nan) = nan");
	ok(denai_expf(89.0f) == INFINITY, "expf(89) overflows float");
	ok(denai_expf(-103.5f) == 0x1p-149f, "expf(-103.5) = smallest float");

	/* C99 Annex F pow special cases. */
	is_d(denai_pow(nan, 0), 1, "pow(nan, 0) = 1");
	is_d(denai_pow(1, nan), 1, "pow(1, nan) = 1");
	is_d(denai_pow(2, nan), nan, "pow(2, nan) = nan");
	is_d(denai_pow(nan, 1), nan, "pow(nan, 1) = nan");
	is_d(denai_pow(-0.0, -3), -inf, "pow(-0, -3) = -inf");
	is_d(denai_pow(0.0, -3), inf, "pow(+0, -3) = inf");
	is_d(denai_pow(-0.0, -2), inf, "pow(-0, -2) = inf");
	is_d(denai_pow(-0.0, -0.5), inf, "pow(-0, -0.5) = inf");
	is_d(denai_pow(-0.0, 3), -0.0, "pow(-0, 3) = -0");
	is_d(denai_pow(-0.0, 2), 0.0, "pow(-0, 2) = +0");
	is_d(denai_pow(-0.0, 0.5), 0.0, "pow(-0, 0.5) = +0");
	is_d(denai_pow(-1, inf), 1, "pow(-1, inf) = 1");
	is_d(denai_pow(0.5, -inf), inf, "pow(0.5, -inf) = inf");
	is_d(denai_pow(2, -inf), 0, "pow(2, -inf) = 0");
	is_d(denai_pow(0.5, inf), 0, "pow(0.5, inf) = 0");
	is_d(denai_pow(2, inf), inf, "pow(2, inf) = inf");
	is_d(denai_pow(-inf, -3), -0.0, "pow(-inf, -3) = -0");
	is_d(denai_pow(-inf, -2), 0.0, "pow(-inf, -2) = +0");
	is_d(denai_pow(-inf, 3), -inf, "pow(-inf, 3) = -inf");
	is_d(denai_pow(-inf, 2.5), inf, "pow(-inf, 2.5) = inf");
	is_d(denai_pow(inf, -1), 0, "pow(inf, -1) = 0");
	is_d(denai_pow(inf, 0.1), inf, "pow(inf, 0.1) = inf");
	is_d(denai_pow(-2, 0.5), nan, "pow(-2, 0.5) = nan");
	is_d(denai_pow(-2, 3), -8, "pow(-2, 3) = -8");
	is_d(denai_pow(-2, 10), 1024, "pow(-2, 10) = 1024");
	is_d(denai_pow(2, 0.5), sqrt(2), "pow(2, 0.5) = sqrt 2");
	is_d(denai_pow(3, 2), 9, "pow(3, 2) = 9");
	is_d(denai_pow(10, -1), 0.1, "pow(10, -1) = 0.1");
	is_d(denai_pow(2, 1024), inf, "pow(2, 1024) = inf");
	is_d(denai_pow(2, -1074), 0x1p-1074, "pow(2, -1074) = smallest");
	is_d(denai_pow(2, -1080), 0, "pow(2, -1080) = 0");
	is_d(denai_pow(-2, 1e300), inf, "pow(-2, 1e300) = inf (even)");
	ok(denai_powf(3.0f, 2.0f) == 9.0f, "powf(3, 2) = 9");
	ok(denai_powf(2.0f, -2.0f) == 0.25f, "powf(2, -2) = 0.25");
	ok(denai_powf(-2.0f, 3.0f) == -8.0f, "powf(-2, 3) = -8");
	ok(isnan(denai_powf(-2.0f, 0.5f)), "powf(-2, 0.5) = nan");
}

int
main(void)
{
	const char *e = getenv("DMATH_POINTS");

	if (e != NULL && atol(e) > 0)
		npoints = atol(e);
	specials();
	sweep("exp", denai_exp, expl, -745, 709.78, 0, 2);
	sweep("exp", denai_exp, expl, -40, 10, 1, 2);
	sweep("expm1", denai_expm1, expm1l, -3, 3, 0, 2);
	sweep("expm1", denai_expm1, expm1l, -60, 1, 1, 2);
	sweep("log", denai_log, logl, 0, 1e6, 0, 2);
	sweep("log", denai_log, logl, 0.5, 2, 0, 2);
	sweep("log", denai_log, logl, -1074, 1023, 1, 2);
	sweep("log1p", denai_log1p, log1pl, -1, 10, 0, 3);
	sweep("log1p", denai_log1p, log1pl, -60, 0, 1, 3);
	sweep("softplus", denai_softplus, ref_softplus, -750, 750, 0, 3);
	sweep("softplus", denai_softplus, ref_softplus, -40, 9, 1, 3);
	sweep("tanh", denai_tanh, tanhl, -25, 25, 0, 3);
	sweep("tanh", denai_tanh, tanhl, -40, 4, 1, 3);
	sweep("sigmoid", denai_sigmoid, ref_sigmoid, -750, 750, 0, 3);
	sweep("sigmoid", denai_sigmoid, ref_sigmoid, -40, 9, 1, 3);
	sweepf("expf", denai_expf, expl, -104, 89);
	sweepf("logf", denai_logf, logl, 0, 1e6);
	sweepf("tanhf", denai_tanhf, tanhl, -10, 10);
	sweepf("sigmoidf", denai_sigmoidf, ref_sigmoid, -100, 100);
	pow_sweep("x in (0, 10), y in (-30, 30)", 0, 10, -30, 30, 0, 2);
	pow_sweep("x in (-100, 100), integer y in (-60, 60)", -100, 100, -60,
	    60, 1, 2);
	pow_sweep("x in (1e-300, 1e300), y in (-2, 2)", 1e-300, 1e300, -2, 2,
	    0, 2);
	pow_sweep("x in (0.5, 2), y in (-1000, 1000)", 0.5, 2, -1000, 1000, 0,
	    2);
	return done_testing();
}
