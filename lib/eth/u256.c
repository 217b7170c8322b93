/* u256.c - unsigned 256-bit integers on four 64-bit limbs. */
#include "eth/u256.h"

#include <string.h>

#include "eth/hex.h"

typedef unsigned __int128 u128;

void
denai_u256_from_u64(denai_u256 *r, uint64_t v)
{
	r->w[0] = v;
	r->w[1] = r->w[2] = r->w[3] = 0;
}

void
denai_u256_max(denai_u256 *r)
{
	r->w[0] = r->w[1] = r->w[2] = r->w[3] = UINT64_MAX;
}

int
denai_u256_is_zero(const denai_u256 *a)
{
	return (a->w[0] | a->w[1] | a->w[2] | a->w[3]) == 0;
}

int
denai_u256_cmp(const denai_u256 *a, const denai_u256 *b)
{
	for (int i = 3; i >= 0; i--) {
		if (a->w[i] < b->w[i])
			return -1;
		if (a->w[i] > b->w[i])
			return 1;
	}
	return 0;
}

void
denai_u256_from_be32(denai_u256 *r, const uint8_t in[32])
{
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = in + 8 * (3 - i);
		uint64_t v = 0;

		for (int j = 0; j < 8; j++)
			v = v << 8 | p[j];
		r->w[i] = v;
	}
}

void
denai_u256_to_be32(uint8_t out[32], const denai_u256 *a)
{
	for (int i = 0; i < 4; i++) {
		uint8_t *p = out + 8 * (3 - i);
		uint64_t v = a->w[i];

		for (int j = 7; j >= 0; j--) {
			p[j] = (uint8_t)v;
			v >>= 8;
		}
	}
}

int
denai_u256_add(denai_u256 *r, const denai_u256 *a, const denai_u256 *b)
{
	u128 c = 0;

	for (int i = 0; i < 4; i++) {
		c += (u128)a->w[i] + b->w[i];
		r->w[i] = (uint64_t)c;
		c >>= 64;
	}
	return (int)c;
}

int
denai_u256_sub(denai_u256 *r, const denai_u256 *a, const denai_u256 *b)
{
	uint64_t borrow = 0;

	for (int i = 0; i < 4; i++) {
		uint64_t x = a->w[i], y = b->w[i];
		uint64_t d = x - y - borrow;

		borrow = (x < y) | ((x == y) & borrow);
		r->w[i] = d;
	}
	return (int)borrow;
}

int
denai_u256_mul_small(denai_u256 *r, const denai_u256 *a, uint64_t m)
{
	u128 c = 0;

	for (int i = 0; i < 4; i++) {
		c += (u128)a->w[i] * m;
		r->w[i] = (uint64_t)c;
		c >>= 64;
	}
	return c != 0;
}

void
denai_u256_div_small(denai_u256 *q, uint64_t *rem, const denai_u256 *a,
    uint64_t d)
{
	u128 r = 0;

	for (int i = 3; i >= 0; i--) {
		r = r << 64 | a->w[i];
		q->w[i] = (uint64_t)(r / d);
		r %= d;
	}
	if (rem != NULL)
		*rem = (uint64_t)r;
}

/* Returns: the number of significant bits of a (0 for zero). */
static int
bitlen(const denai_u256 *a)
{
	for (int i = 3; i >= 0; i--)
		if (a->w[i] != 0)
			return 64 * i + 64 - __builtin_clzll(a->w[i]);
	return 0;
}

static void
shl1_or(denai_u256 *a, int bit)
{
	a->w[3] = a->w[3] << 1 | a->w[2] >> 63;
	a->w[2] = a->w[2] << 1 | a->w[1] >> 63;
	a->w[1] = a->w[1] << 1 | a->w[0] >> 63;
	a->w[0] = a->w[0] << 1 | (uint64_t)bit;
}

int
denai_u256_divmod(denai_u256 *q, denai_u256 *r, const denai_u256 *a,
    const denai_u256 *b, denai_err *err)
{
	denai_u256 qq, rr, aa = *a;
	int n;

	if (denai_u256_is_zero(b))
		return denai_err_set(err, DENAI_EUSAGE, "division by zero");
	if ((b->w[1] | b->w[2] | b->w[3]) == 0) {
		uint64_t rem;

		denai_u256_div_small(&qq, &rem, &aa, b->w[0]);
		denai_u256_from_u64(&rr, rem);
		goto out;
	}
	/* Shift-subtract long division over the bits of a. */
	memset(&qq, 0, sizeof(qq));
	memset(&rr, 0, sizeof(rr));
	n = bitlen(&aa);
	for (int i = n - 1; i >= 0; i--) {
		int top = (int)(rr.w[3] >> 63);

		shl1_or(&rr, (int)(aa.w[i / 64] >> (i % 64) & 1));
		if (top || denai_u256_cmp(&rr, b) >= 0) {
			(void)denai_u256_sub(&rr, &rr, b);
			qq.w[i / 64] |= (uint64_t)1 << (i % 64);
		}
	}
out:
	if (q != NULL)
		*q = qq;
	if (r != NULL)
		*r = rr;
	return 0;
}

static int
bad_char(denai_err *err, const char *what, const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c >= 0x20 && c < 0x7f)
		return denai_err_set(err, DENAI_EDATA,
		    "bad %s digit '%c' at position %zu", what, c, i);
	return denai_err_set(err, DENAI_EDATA,
	    "bad %s digit (byte 0x%02x) at position %zu", what, c, i);
}

int
denai_u256_parse_dec(denai_u256 *r, const char *s, size_t len,
    denai_err *err)
{
	denai_u256 v, d;

	if (len == 0)
		return denai_err_set(err, DENAI_EDATA, "empty number");
	denai_u256_from_u64(&v, 0);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bad_char(err, "decimal", s, i);
		denai_u256_from_u64(&d, (uint64_t)(s[i] - '0'));
		if (denai_u256_mul_small(&v, &v, 10) ||
		    denai_u256_add(&v, &v, &d))
			return denai_err_set(err, DENAI_EDATA,
			    "decimal number does not fit in 256 bits");
	}
	*r = v;
	return 0;
}

int
denai_u256_parse_hex(denai_u256 *r, const char *s, size_t len,
    denai_err *err)
{
	denai_u256 v;
	size_t i = 0, n;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	n = len - i;
	if (n == 0)
		return denai_err_set(err, DENAI_EDATA, "empty hex number");
	if (n > 64)
		return denai_err_set(err, DENAI_EDATA,
		    "hex number has %zu digits, at most 64 allowed", n);
	memset(&v, 0, sizeof(v));
	for (size_t k = 0; i < len; i++, k++) {
		int x = denai_hex_digit((unsigned char)s[i]);
		size_t bit = 4 * (n - 1 - k);

		if (x < 0)
			return bad_char(err, "hex", s, i);
		v.w[bit / 64] |= (uint64_t)x << (bit % 64);
	}
	*r = v;
	return 0;
}

int
denai_u256_parse(denai_u256 *r, const char *s, size_t len, denai_err *err)
{
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return denai_u256_parse_hex(r, s, len, err);
	return denai_u256_parse_dec(r, s, len, err);
}

char *
denai_u256_to_dec(char out[DENAI_U256_DEC_MAX], const denai_u256 *a)
{
	static const uint64_t e19 = 10000000000000000000ULL;
	char tmp[DENAI_U256_DEC_MAX];
	denai_u256 v = *a;
	size_t n = 0;

	/* Peel 19 digits at a time, least significant first. */
	do {
		uint64_t rem;

		denai_u256_div_small(&v, &rem, &v, e19);
		for (int k = 0; k < 19; k++) {
			tmp[n++] = (char)('0' + rem % 10);
			rem /= 10;
			if (rem == 0 && denai_u256_is_zero(&v))
				break;
		}
	} while (!denai_u256_is_zero(&v));
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return out;
}

char *
denai_u256_to_hex(char out[DENAI_U256_HEX_MAX], const denai_u256 *a)
{
	static const char digits[] = "0123456789abcdef";
	int nd = (bitlen(a) + 3) / 4;
	char *p = out;

	*p++ = '0';
	*p++ = 'x';
	if (nd == 0)
		nd = 1;
	for (int k = nd - 1; k >= 0; k--)
		*p++ = digits[a->w[k / 16] >> (4 * (k % 16)) & 15];
	*p = '\0';
	return out;
}
