/* fuzz_hex.c - hex decoding never reads past its length; what decodes
 * re-encodes to the same digits, lowercased. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *enc = NULL;
	uint8_t *out = malloc(size / 2 + 1);
	size_t got, cap = size / 2 + 1;
	denai_err err;

	if (s == NULL || out == NULL)
		goto out;
	memcpy(s, data, size);
	s[size] = '\0';
	for (int odd = 0; odd <= 1; odd++) {
		if (denai_hex_decode(out, cap, &got, s, size, odd, &err) != 0)
			continue;
		if ((enc = denai_hex_dup(out, got)) == NULL)
			goto out;
		/* Same value: compare digit by digit, ignoring case and
		 * the 0x prefix and an odd leading nibble. */
		size_t i = size >= 2 && s[0] == '0' &&
		    (s[1] == 'x' || s[1] == 'X') ? 2 : 0;
		size_t nd = size - i, e = 2 + 2 * got - nd;
		if (2 * got < nd || (e > 2 && (e != 3 || enc[2] != '0')))
			abort();
		for (; i < size; i++, e++)
			if (denai_hex_digit((unsigned char)s[i]) !=
			    denai_hex_digit((unsigned char)enc[e]))
				abort();
		free(enc);
		enc = NULL;
	}
	/* decode_exact reads to the NUL: a smaller buffer must be refused. */
	if (size > 0 && memchr(s, '\0', size) == NULL)
		(void)denai_hex_decode_exact(out, size / 4, s, &err);
out:
	free(enc);
	free(out);
	free(s);
	return 0;
}
