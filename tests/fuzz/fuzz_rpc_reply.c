/* fuzz_rpc_reply.c - the JSON-RPC reply parser is bounded and strict:
 * whatever the bytes, it returns a result or an error with a message, and
 * a single reply and a batch of three are parsed without leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	denai_rpc_req reqs[3] = {
		{ .method = "eth_chainId" },
		{ .method = "eth_blockNumber" },
		{ .method = "eth_call" },
	};
	denai_rpc_error e = { 0 };
	denai_err err;
	json_t *res;
	denai_u256 u;
	uint64_t v;
	int rc;

	denai_err_clear(&err);
	rc = denai_rpc_parse_reply((const char *)data, size, 1, &res, &e, &err);
	if (rc == 0) {
		if (res == NULL || e.set)
			abort();
		/* Quantities read from any result stay in bounds. */
		(void)denai_rpc_quantity(&u, res, &err);
		(void)denai_rpc_quantity_u64(&v, res, &err);
		json_decref(res);
	} else {
		if (res != NULL || err.msg[0] == '\0')
			abort();
		/* A JSON-RPC error is reported as such, with its object. */
		if ((err.code == DENAI_ESTATE) != (e.set == 1))
			abort();
	}
	denai_rpc_error_clear(&e);
	denai_err_clear(&err);
	rc = denai_rpc_parse_batch((const char *)data, size, 1, reqs, 3, &err);
	for (int i = 0; i < 3; i++) {
		/* Answered: each request has exactly one outcome. */
		if (rc == 0 && (reqs[i].result != NULL) == reqs[i].error.set)
			abort();
		if (rc != 0 && (reqs[i].result != NULL || reqs[i].error.set))
			abort();
		denai_rpc_req_clear(&reqs[i]);
	}
	return 0;
}
