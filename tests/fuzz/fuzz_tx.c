/* fuzz_tx.c - transaction decoding is bounded; a transaction that decodes
 * re-encodes to exactly its input bytes (the decoder accepts only the
 * canonical form the encoder writes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/tx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t from[20], *raw;
	size_t rawlen;
	denai_tx tx;
	denai_sig sig;
	denai_err err;

	denai_err_clear(&err);
	if (denai_tx_decode(&tx, &sig, from, data, size, &err) != 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (denai_tx_encode(&raw, &rawlen, &tx, &sig, &err) != 0)
		abort();
	if (rawlen != size || memcmp(raw, data, size) != 0)
		abort();
	free(raw);
	return 0;
}
