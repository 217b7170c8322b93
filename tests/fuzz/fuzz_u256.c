/* fuzz_u256.c - u256 parsing is bounded; what parses prints and parses back
 * to the same value; divmod identities hold on the parsed values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/u256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dec[DENAI_U256_DEC_MAX], hex[DENAI_U256_HEX_MAX];
	denai_u256 a, b, q, r, t;
	denai_err err;
	char *s;

	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	if (denai_u256_parse(&a, s, size, &err) == 0) {
		denai_u256_to_dec(dec, &a);
		denai_u256_to_hex(hex, &a);
		if (denai_u256_parse(&b, dec, strlen(dec), &err) != 0 ||
		    denai_u256_cmp(&a, &b) != 0)
			abort();
		if (denai_u256_parse(&b, hex, strlen(hex), &err) != 0 ||
		    denai_u256_cmp(&a, &b) != 0)
			abort();
	}
	free(s);
	/* Raw 64 bytes as two numbers: a == q*b + r with r < b. */
	if (size >= 64) {
		denai_u256_from_be32(&a, data);
		denai_u256_from_be32(&b, data + 32);
		if (denai_u256_divmod(&q, &r, &a, &b, &err) == 0) {
			if (denai_u256_cmp(&r, &b) >= 0)
				abort();
			/* q*b <= a, so a - r == q*b: check (a - r) / b == q
			 * with no remainder. */
			(void)denai_u256_sub(&t, &a, &r);
			if (denai_u256_divmod(&t, &r, &t, &b, &err) != 0 ||
			    denai_u256_cmp(&t, &q) != 0 ||
			    !denai_u256_is_zero(&r))
				abort();
		} else if (!denai_u256_is_zero(&b))
			abort();
	}
	return 0;
}
