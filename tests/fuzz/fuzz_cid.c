/* fuzz_cid.c - CID and multibase parsing never read past their input; what
 * parses prints and parses back to the same binary CID. The first byte
 * picks text (even) or binary (odd) parsing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipfs/cid.h"
#include "ipfs/multibase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(const denai_cid *a, const denai_cid *b)
{
	if (a->version != b->version || a->codec != b->codec ||
	    a->len != b->len || memcmp(a->bytes, b->bytes, a->len) != 0)
		abort();
}

static void
reprint(const denai_cid *c)
{
	static const char prefixes[] = { 0, 'z', 'B', 'f', 'm' };
	char s[DENAI_CID_STR_MAX];
	denai_cid d;
	denai_err err;

	for (size_t i = 0; i < sizeof(prefixes); i++) {
		if (c->version == 0 && i > 0)
			break;
		if (denai_cid_format(s, sizeof(s), c, prefixes[i], &err) != 0)
			continue;	/* over DENAI_CID_STR_MAX in base16 */
		if (denai_cid_parse_any(&d, s, strlen(s), &err) != 0)
			abort();
		same(c, &d);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[256], again[256];
	char enc[2100];
	denai_cid c, d;
	denai_err err;
	size_t used, n, m;
	char prefix;

	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0) {
		const char *text = (const char *)data + 1;

		if (denai_cid_parse_any(&c, text, size - 1, &err) == 0) {
			reprint(&c);
			if (denai_cid_check(&c, &err) == 0 &&
			    denai_cid_parse(&d, text, size - 1, &err) != 0)
				abort();
		}
		if (denai_multibase_decode(out, sizeof(out), &n, &prefix, text,
		    size - 1, &err) == 0 &&
		    denai_multibase_encode(enc, sizeof(enc), prefix, out, n,
		    &err) == 0) {
			if (denai_multibase_decode(again, sizeof(again), &m,
			    NULL, enc, strlen(enc), &err) != 0 || m != n ||
			    memcmp(again, out, n) != 0)
				abort();
		}
		return 0;
	}
	if (denai_cid_read_any(&c, &used, data + 1, size - 1, &err) == 0) {
		if (used > size - 1 || used != c.len ||
		    memcmp(c.bytes, data + 1, used) != 0)
			abort();
		reprint(&c);
		if (denai_cid_from_bytes(&d, data + 1, used, &err) == 0)
			same(&c, &d);
	}
	return 0;
}
