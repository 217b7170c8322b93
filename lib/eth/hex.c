/* hex.c - hex strings and byte strings. */
#include "eth/hex.h"

#include <stdlib.h>

int
denai_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
denai_hex_decode(uint8_t *out, size_t cap, size_t *outlen, const char *hex,
    size_t len, int allow_odd, denai_err *err)
{
	size_t i = 0, n, o = 0;
	int hi, lo;

	if (outlen != NULL)
		*outlen = 0;
	if (len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		i = 2;
	n = len - i;
	if (n % 2 != 0 && !allow_odd)
		return denai_err_set(err, DENAI_EDATA,
		    "hex string has an odd number of digits (%zu)", n);
	if ((n + 1) / 2 > cap)
		return denai_err_set(err, DENAI_EDATA,
		    "hex string too long: %zu bytes, at most %zu allowed",
		    (n + 1) / 2, cap);
	if (n % 2 != 0) {
		if ((lo = denai_hex_digit((unsigned char)hex[i])) < 0)
			goto bad;
		out[o++] = (uint8_t)lo;
		i++;
	}
	for (; i < len; i += 2) {
		hi = denai_hex_digit((unsigned char)hex[i]);
		if (hi < 0)
			goto bad;
		lo = denai_hex_digit((unsigned char)hex[i + 1]);
		if (lo < 0) {
			i++;
			goto bad;
		}
		out[o++] = (uint8_t)(hi << 4 | lo);
	}
	if (outlen != NULL)
		*outlen = o;
	return 0;
bad:
	if ((unsigned char)hex[i] >= 0x20 && (unsigned char)hex[i] < 0x7f)
		return denai_err_set(err, DENAI_EDATA,
		    "bad hex digit '%c' at position %zu", hex[i], i);
	return denai_err_set(err, DENAI_EDATA,
	    "bad hex digit (byte 0x%02x) at position %zu",
	    (unsigned char)hex[i], i);
}

int
denai_hex_decode_exact(uint8_t *out, size_t n, const char *hex, denai_err *err)
{
	size_t len = 0, got;

	while (hex[len] != '\0')
		len++;
	if (denai_hex_decode(out, n, &got, hex, len, 0, err) != 0)
		return -1;
	if (got != n)
		return denai_err_set(err, DENAI_EDATA,
		    "expected %zu bytes of hex, got %zu", n, got);
	return 0;
}

char *
denai_hex_encode(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *p = out;

	*p++ = '0';
	*p++ = 'x';
	for (size_t i = 0; i < n; i++) {
		*p++ = digits[in[i] >> 4];
		*p++ = digits[in[i] & 15];
	}
	*p = '\0';
	return out;
}

char *
denai_hex_dup(const uint8_t *in, size_t n)
{
	char *s = malloc(2 * n + 3);

	if (s == NULL)
		return NULL;
	return denai_hex_encode(s, in, n);
}
