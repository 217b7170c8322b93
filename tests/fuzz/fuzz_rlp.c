/* fuzz_rlp.c - RLP decoding is bounded; a decoded item re-encodes (through
 * its JSON form and the builder) to exactly the input bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/rlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	denai_rlp_item it, e;
	denai_rlp_iter iter;
	denai_rlp_buf b;
	denai_err err;
	json_t *j;
	uint8_t *out;
	size_t outlen, n;
	uint64_t v;
	denai_u256 u;

	if (denai_rlp_decode(&it, data, size, &err) != 0) {
		/* The JSON path must refuse it too. */
		if ((j = denai_rlp_to_json(data, size, &err)) != NULL)
			abort();
		return 0;
	}
	if ((j = denai_rlp_to_json(data, size, &err)) == NULL) {
		if (err.code != DENAI_ENOMEM)
			abort();
		return 0;
	}
	denai_rlp_buf_init(&b);
	if (denai_rlp_put_json(&b, j, &err) == 0 &&
	    denai_rlp_buf_finish(&b, &out, &outlen, &err) == 0) {
		if (outlen != size || memcmp(out, data, size) != 0)
			abort();
		free(out);
	} else
		denai_rlp_buf_free(&b);	/* deeper than the builder nests */
	json_decref(j);
	/* Typed reads of the elements of a top-level list stay in bounds. */
	if (it.is_list) {
		if (denai_rlp_list_count(&it, &n, &err) != 0)
			abort();
		if (denai_rlp_iter_init(&iter, &it, &err) != 0)
			abort();
		while (denai_rlp_iter_next(&iter, &e, &err) == 1) {
			(void)denai_rlp_get_u64(&e, &v, &err);
			(void)denai_rlp_get_u256(&e, &u, &err);
		}
	} else {
		(void)denai_rlp_get_u64(&it, &v, &err);
		(void)denai_rlp_get_u256(&it, &u, &err);
	}
	return 0;
}
