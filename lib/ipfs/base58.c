/* base58.c - base58btc and base58flickr (and any radix-10..64 alphabet). */
#include "ipfs/base58.h"

#include <string.h>

const char denai_base58_btc[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const char denai_base58_flickr[] =
    "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

int
denai_base58_encode(char *out, size_t cap, const uint8_t *in, size_t n,
    const char *alphabet, denai_err *err)
{
	/* log(256)/log(10) < 2.41: 241 digits per 100 bytes suffice. */
	uint8_t digits[DENAI_BASE58_MAX * 241 / 100 + 1];
	size_t zeros = 0, nd = 0, i, j, total;
	unsigned radix = (unsigned)strlen(alphabet);

	if (n > DENAI_BASE58_MAX)
		return denai_err_set(err, DENAI_EUSAGE,
		    "base58: input of %zu bytes is over %d", n,
		    DENAI_BASE58_MAX);
	while (zeros < n && in[zeros] == 0)
		zeros++;
	for (i = zeros; i < n; i++) {
		unsigned carry = in[i];

		for (j = 0; j < nd; j++) {
			carry += (unsigned)digits[j] << 8;
			digits[j] = (uint8_t)(carry % radix);
			carry /= radix;
		}
		while (carry > 0) {
			digits[nd++] = (uint8_t)(carry % radix);
			carry /= radix;
		}
	}
	total = zeros + nd;
	if (total + 1 > cap)
		return denai_err_set(err, DENAI_EUSAGE,
		    "base58: output needs %zu bytes, have %zu", total + 1, cap);
	for (i = 0; i < zeros; i++)
		out[i] = alphabet[0];
	for (j = 0; j < nd; j++)
		out[zeros + j] = alphabet[digits[nd - 1 - j]];
	out[total] = '\0';
	return 0;
}

int
denai_base58_decode(uint8_t *out, size_t cap, size_t *outlen,
    const char *text, size_t len, const char *alphabet, denai_err *err)
{
	uint8_t bytes[DENAI_BASE58_MAX];
	size_t zeros = 0, nb = 0, i, j;
	unsigned radix = (unsigned)strlen(alphabet);
	const char *p;

	*outlen = 0;
	while (zeros < len && text[zeros] == alphabet[0])
		zeros++;
	for (i = zeros; i < len; i++) {
		unsigned carry;

		if (text[i] == '\0' || (p = strchr(alphabet, text[i])) == NULL) {
			if ((unsigned char)text[i] >= 0x20 &&
			    (unsigned char)text[i] < 0x7f)
				return denai_err_set(err, DENAI_EDATA,
				    "base58: bad character '%c' at position "
				    "%zu", text[i], i);
			return denai_err_set(err, DENAI_EDATA,
			    "base58: bad byte 0x%02x at position %zu",
			    (unsigned char)text[i], i);
		}
		carry = (unsigned)(p - alphabet);
		for (j = 0; j < nb; j++) {
			carry += (unsigned)bytes[j] * radix;
			bytes[j] = (uint8_t)carry;
			carry >>= 8;
		}
		while (carry > 0) {
			if (nb == sizeof(bytes))
				return denai_err_set(err, DENAI_EDATA,
				    "base58: text decodes to over %d bytes",
				    DENAI_BASE58_MAX);
			bytes[nb++] = (uint8_t)carry;
			carry >>= 8;
		}
	}
	if (zeros + nb > cap)
		return denai_err_set(err, DENAI_EDATA,
		    "base58: text decodes to %zu bytes, at most %zu allowed",
		    zeros + nb, cap);
	memset(out, 0, zeros);
	for (j = 0; j < nb; j++)
		out[zeros + j] = bytes[nb - 1 - j];
	*outlen = zeros + nb;
	return 0;
}
