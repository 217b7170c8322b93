/* fuzz_abi.c - ABI decoding of arbitrary bytes against fixed type lists
 * never reads out of bounds, and what decodes encodes again. The first
 * byte picks the type list; the rest is the data. Also feeds the bytes to
 * the type and signature parsers, the log decoder and the revert decoder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eth/abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *types[] = {
	"(uint256,uint8,int8,int256,address,bool,bytes32,bytes1)",
	"(bytes,string)",
	"(uint256[],address[3])",
	"((uint256,string)[],bytes)",
	"(string[2],(bool,bytes)[])",
	"(uint256[][],string[])",
	"(uint32,(int16[2],string)[2][])",
	"((bytes,(string,uint8[])[])[])",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static denai_abi_type *t[sizeof(types) / sizeof(types[0])];
	static denai_abi_sig *ev, *errs[1];
	size_t nt = sizeof(types) / sizeof(types[0]), n;
	denai_abi_type *pt;
	denai_abi_sig *ps;
	denai_err err;
	uint8_t *out;
	json_t *v;
	char *s;

	if (t[0] == NULL) {
		for (size_t i = 0; i < nt; i++)
			if ((t[i] = denai_abi_type_parse(types[i],
			    strlen(types[i]), &err)) == NULL)
				abort();
		ev = denai_abi_sig_parse("E(uint256 indexed a,string indexed "
		    "b,address c,bytes d)", &err);
		errs[0] = denai_abi_sig_parse("Bad(uint8,string)", &err);
		if (ev == NULL || errs[0] == NULL)
			abort();
	}
	if (size == 0)
		return 0;
	v = denai_abi_decode(t[data[0] % nt], data + 1, size - 1, &err);
	if (v != NULL) {
		/* Decoded values always encode again. */
		if (denai_abi_encode(&out, &n, t[data[0] % nt], v, &err) != 0)
			abort();
		free(out);
		json_decref(v);
	}
	/* The same bytes as a type, a signature, a log, revert data. */
	if ((s = malloc(size + 1)) != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		pt = denai_abi_type_parse(s, size, &err);
		if (pt != NULL) {
			char *c = denai_abi_type_canonical(pt);
			denai_abi_type *again = c ? denai_abi_type_parse(c,
			    strlen(c), &err) : NULL;
			char *c2 = again ? denai_abi_type_canonical(again) : NULL;

			if (c != NULL && (c2 == NULL || strcmp(c, c2) != 0))
				abort();
			free(c);
			free(c2);
			denai_abi_type_free(again);
		}
		denai_abi_type_free(pt);
		ps = denai_abi_sig_parse(s, &err);
		denai_abi_sig_free(ps);
		free(s);
	}
	if (size >= 96) {
		uint8_t topics[3][32];

		denai_abi_topic0(topics[0], ev);
		memcpy(topics[1], data, 64);
		v = denai_abi_decode_log(ev, (const uint8_t (*)[32])topics, 3,
		    data + 64, size - 64, &err);
		json_decref(v);
	}
	v = denai_abi_decode_revert(data, size, errs, 1, &err);
	json_decref(v);
	return 0;
}
