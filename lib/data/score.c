/* data/score.c - the integer score, exactly, with int256 saturation. */
#include "data/score.h"

#include <string.h>

static int
is_neg(const denai_u256 *a)
{
	return (int)(a->w[3] >> 63);
}

static void
negate(denai_u256 *r, const denai_u256 *a)
{
	denai_u256 zero;

	denai_u256_from_u64(&zero, 0);
	denai_u256_sub(r, &zero, a);
}

/* 2^255 - 1: the largest loss, so that -loss is type(int256).min + 1. */
static void
loss_max(denai_u256 *r)
{
	denai_u256_max(r);
	r->w[3] >>= 1;
}

void
denai_score_init(struct denai_score *s, int kind)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
}

void
denai_score_invalid(denai_u256 *v)
{
	denai_u256_from_u64(v, 0);
	v->w[3] = (uint64_t)1 << 63;
}

/*
 * A label's text as ±dig * 10^exp10: the first 100 significant digits,
 * trailing zeros dropped (zero: no digits). Digits past the 100th only
 * move the exponent (in the integer part) or set inexact (non-zero).
 */
struct dec {
	int neg, inexact;
	char dig[100];
	size_t n;
	long exp10;
};

static void
push(struct dec *d, char c, int in_int, long *e)
{
	if (d->n == 0 && c == '0') {
		if (!in_int)
			(*e)--;
	} else if (d->n < sizeof(d->dig)) {
		d->dig[d->n++] = c;
		if (!in_int)
			(*e)--;
	} else {
		if (in_int)
			(*e)++;
		if (c != '0')
			d->inexact = 1;
	}
}

static int
parse_dec(struct dec *d, const char *s, size_t len, denai_err *err)
{
	size_t i = 0;
	long e = 0;

	memset(d, 0, sizeof(*d));
	if (i < len && s[i] == '-') {
		d->neg = 1;
		i++;
	}
	if (i >= len || s[i] < '0' || s[i] > '9' ||
	    (s[i] == '0' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9'))
		goto bad;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		push(d, s[i], 1, &e);
	if (i < len && s[i] == '.') {
		if (++i >= len || s[i] < '0' || s[i] > '9')
			goto bad;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			push(d, s[i], 0, &e);
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		long x = 0;
		int eneg = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= len || s[i] < '0' || s[i] > '9')
			goto bad;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (x < 100000000)
				x = x * 10 + (s[i] - '0');
		e += eneg ? -x : x;
	}
	if (i != len)
		goto bad;
	while (d->n > 0 && d->dig[d->n - 1] == '0') {
		d->n--;
		e++;
	}
	d->exp10 = e;
	return 0;
bad:
	return denai_err_set(err, DENAI_EDATA, "the label '%.40s' is not a "
	    "number", s);
}

/* r = dig[0..n) * 10^k, failing past 2^256. */
static int
scaled(denai_u256 *r, const char *dig, size_t n, long k)
{
	if (n == 0) {
		denai_u256_from_u64(r, 0);
		return 0;
	}
	if (n > 78 || k > 78 || denai_u256_parse_dec(r, dig, n, NULL) != 0)
		return -1;
	for (long i = 0; i < k; i++)
		if (denai_u256_mul_small(r, r, 10) != 0)
			return -1;
	return 0;
}

int
denai_score_target(denai_u256 *t, int kind, unsigned decimals,
    const char *text, size_t len, denai_err *err)
{
	struct dec d;
	denai_u256 mag, lim, one;
	long e;

	if (parse_dec(&d, text, len, err) != 0)
		return -1;
	e = d.exp10 + (kind == DENAI_TASK_REGRESSION ? (long)decimals : 0);
	if (kind == DENAI_TASK_CLASSIFICATION) {
		if (d.inexact || (d.n > 0 && e < 0))
			return denai_err_set(err, DENAI_EDATA, "the label "
			    "'%.40s' is not an integer", text);
		denai_u256_from_u64(&lim, (uint64_t)1 << 63);
		if (!d.neg)
			lim.w[0]--;
		if (scaled(&mag, d.dig, d.n, e) != 0 ||
		    denai_u256_cmp(&mag, &lim) > 0)
			return denai_err_set(err, DENAI_EDATA, "the label "
			    "'%.40s' is beyond int64", text);
	} else {
		int up = 0;

		if (e >= 0) {
			if (scaled(&mag, d.dig, d.n, e) != 0)
				goto range;
		} else if ((unsigned long)-e > d.n) {
			denai_u256_from_u64(&mag, 0);
		} else {
			size_t keep = d.n - (size_t)-e;

			up = d.dig[keep] >= '5';
			if (scaled(&mag, d.dig, keep, 0) != 0)
				goto range;
		}
		denai_u256_from_u64(&one, 1);
		if (up && denai_u256_add(&mag, &mag, &one) != 0)
			goto range;
		denai_score_invalid(&lim);	/* 2^255 */
		if (!d.neg)
			loss_max(&lim);
		if (denai_u256_cmp(&mag, &lim) > 0)
			goto range;
	}
	if (d.neg)
		negate(t, &mag);
	else
		*t = mag;
	return 0;
range:
	return denai_err_set(err, DENAI_EDATA, "the label '%.40s' times "
	    "10^%u is beyond int256", text, decimals);
}

/* Out: |a - b| for int256 a, b; returns 1 when it is 2^255 or more. */
static int
abs_diff(denai_u256 *r, const denai_u256 *a, const denai_u256 *b)
{
	denai_u256 d;

	denai_u256_sub(&d, a, b);
	if (is_neg(a) != is_neg(b) && is_neg(&d) != is_neg(a))
		return 1;		/* the true difference overflowed */
	if (is_neg(&d))
		negate(&d, &d);
	*r = d;
	return is_neg(&d);		/* 2^255 itself */
}

void
denai_score_add(struct denai_score *s, const denai_u256 *pred,
    const denai_u256 *target)
{
	denai_u256 d, sq, max;
	unsigned __int128 ll, lh, hh, mid;

	s->rows++;
	if (s->kind == DENAI_TASK_CLASSIFICATION) {
		if (denai_u256_cmp(pred, target) == 0)
			s->hits++;
		return;
	}
	loss_max(&max);
	if (abs_diff(&d, pred, target) || d.w[2] != 0 || d.w[3] != 0) {
		s->loss = max;		/* the term saturates */
		return;
	}
	/* (h 2^64 + l)^2 = hh 2^128 + 2 lh 2^64 + ll */
	ll = (unsigned __int128)d.w[0] * d.w[0];
	lh = (unsigned __int128)d.w[0] * d.w[1];
	hh = (unsigned __int128)d.w[1] * d.w[1];
	sq.w[0] = (uint64_t)ll;
	mid = (ll >> 64) + (uint64_t)lh + (uint64_t)lh;
	sq.w[1] = (uint64_t)mid;
	mid = (mid >> 64) + (lh >> 64) + (lh >> 64) + (uint64_t)hh;
	sq.w[2] = (uint64_t)mid;
	sq.w[3] = (uint64_t)((mid >> 64) + (hh >> 64));
	if (is_neg(&sq) || denai_u256_add(&s->loss, &s->loss, &sq) != 0 ||
	    denai_u256_cmp(&s->loss, &max) > 0)
		s->loss = max;
}

void
denai_score_value(denai_u256 *v, const struct denai_score *s)
{
	if (s->kind == DENAI_TASK_CLASSIFICATION)
		denai_u256_from_u64(v, s->hits);
	else
		negate(v, &s->loss);
}

char *
denai_int256_to_dec(char out[DENAI_U256_DEC_MAX], const denai_u256 *a)
{
	char tmp[DENAI_U256_DEC_MAX];
	denai_u256 m;

	if (!is_neg(a))
		return denai_u256_to_dec(out, a);
	negate(&m, a);
	denai_u256_to_dec(tmp, &m);	/* at most 77 digits */
	out[0] = '-';
	memcpy(out + 1, tmp, strlen(tmp) + 1);
	return out;
}

int
denai_int256_parse_dec(denai_u256 *r, const char *s, size_t len,
    denai_err *err)
{
	int neg = len > 0 && s[0] == '-';
	denai_u256 m, lim;

	if (len == (size_t)neg || (len > (size_t)neg + 1 && s[neg] == '0') ||
	    denai_u256_parse_dec(&m, s + neg, len - (size_t)neg, NULL) != 0)
		return denai_err_set(err, DENAI_EDATA, "'%.*s' is not an "
		    "int256", (int)(len > 80 ? 80 : len), s);
	denai_score_invalid(&lim);
	if (!neg)
		loss_max(&lim);
	if (denai_u256_cmp(&m, &lim) > 0)
		return denai_err_set(err, DENAI_EDATA, "'%.*s' is beyond int256",
		    (int)(len > 80 ? 80 : len), s);
	if (neg)
		negate(r, &m);
	else
		*r = m;
	return 0;
}
