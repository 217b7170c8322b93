/* units.c - ether amounts. */
#include "eth/units.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int
denai_units_parse(denai_u256 *wei, const char *s, denai_err *err)
{
	static const struct { const char *name; unsigned exp; } units[] = {
		{"wei", 0}, {"gwei", 9}, {"ether", 18}, {"eth", 18},
	};
	const char *p = s, *unit;
	denai_u256 v;
	unsigned exp = 0, frac = 0;
	int seen_digit = 0, dot = 0;
	size_t i, ulen;

	denai_u256_from_u64(&v, 0);
	for (; *p != '\0'; p++) {
		if (*p == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			break;
		seen_digit = 1;
		if (denai_u256_mul_small(&v, &v, 10)) {
			goto overflow;
		} else {
			denai_u256 d;
			denai_u256_from_u64(&d, (uint64_t)(*p - '0'));
			if (denai_u256_add(&v, &v, &d))
				goto overflow;
		}
		if (dot)
			frac++;
	}
	if (!seen_digit)
		return denai_err_set(err, DENAI_EDATA,
		    "'%s' is not an amount (try 0.01ether)", s);
	while (*p == ' ')
		p++;
	unit = p;
	ulen = strlen(unit);
	if (ulen > 0) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcasecmp(unit, units[i].name) == 0)
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return denai_err_set(err, DENAI_EDATA,
			    "unknown unit '%s' in '%s' (wei, gwei, ether)", unit,
			    s);
		exp = units[i].exp;
	}
	if (frac > exp)
		return denai_err_set(err, DENAI_EDATA,
		    "'%s' has more decimals than the unit allows", s);
	for (i = frac; i < exp; i++)
		if (denai_u256_mul_small(&v, &v, 10))
			goto overflow;
	*wei = v;
	return 0;
overflow:
	return denai_err_set(err, DENAI_EDATA, "'%s' is too large", s);
}

char *
denai_units_ether(char *out, const denai_u256 *wei)
{
	char dec[DENAI_U256_DEC_MAX];
	size_t n, i, o = 0;

	denai_u256_to_dec(dec, wei);
	n = strlen(dec);
	if (n <= 18) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = n; i < 18; i++)
			out[o++] = '0';
		memcpy(out + o, dec, n);
		o += n;
	} else {
		memcpy(out, dec, n - 18);
		o = n - 18;
		out[o++] = '.';
		memcpy(out + o, dec + n - 18, 18);
		o += 18;
	}
	while (out[o - 1] == '0')
		o--;
	if (out[o - 1] == '.')
		o--;
	out[o] = '\0';
	return out;
}
