/* bloom.c - the logs bloom test (eth/bloom.h): keccak256 of the value; each
 * of its first three big-endian 16-bit words, mod 2048, is a bit of the
 * bloom, bit 0 being the last byte's lowest. */
#include "eth/bloom.h"

#include "eth/keccak.h"

int
denai_bloom_may_have(const uint8_t bloom[DENAI_BLOOM_LEN], const void *data,
    size_t len)
{
	uint8_t h[32];

	denai_keccak256(h, data, len);
	for (int i = 0; i < 6; i += 2) {
		unsigned bit = ((unsigned)h[i] << 8 | h[i + 1]) & 2047;

		if ((bloom[DENAI_BLOOM_LEN - 1 - bit / 8] & (1u << (bit % 8))) == 0)
			return 0;
	}
	return 1;
}
