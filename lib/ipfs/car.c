/* car.c - a CARv1 cursor. */
#include "ipfs/car.h"

#include <string.h>

#include "ipfs/varint.h"

int
denai_car_open(denai_car *c, const uint8_t *p, size_t len, denai_err *err)
{
	static const uint8_t v1[] = "\x67version\x01";
	uint64_t hl;
	size_t u;

	memset(c, 0, sizeof(*c));
	if (denai_varint_read_uv(&hl, &u, p, len, err) != 0)
		return denai_err_prefix(err, "car header length");
	if (hl == 0 || hl > len - u)
		return denai_err_set(err, DENAI_EDATA,
		    "car header of %llu bytes does not fit in %zu",
		    (unsigned long long)hl, len - u);
	c->p = p;
	c->len = len;
	c->header = p + u;
	c->headerlen = (size_t)hl;
	c->off = u + (size_t)hl;
	if (memmem(c->header, c->headerlen, v1, sizeof(v1) - 1) == NULL)
		return denai_err_set(err, DENAI_EUNSUP,
		    "car header does not say version 1");
	return 0;
}

int
denai_car_next(denai_car *c, denai_cid *cid, const uint8_t **data, size_t *n,
    denai_err *err)
{
	uint64_t sl;
	size_t u, cl, at = c->off;

	*data = NULL;
	*n = 0;
	if (c->off == c->len)
		return 0;
	if (denai_varint_read_uv(&sl, &u, c->p + c->off, c->len - c->off,
	    err) != 0)
		return denai_err_prefix(err, "car section at byte %zu", at);
	if (sl > c->len - c->off - u)
		return denai_err_set(err, DENAI_EDATA,
		    "car section at byte %zu: %llu bytes, %zu left", at,
		    (unsigned long long)sl, c->len - c->off - u);
	if (denai_cid_read_any(cid, &cl, c->p + c->off + u, (size_t)sl,
	    err) != 0)
		return denai_err_prefix(err, "car section at byte %zu", at);
	*data = c->p + c->off + u + cl;
	*n = (size_t)sl - cl;
	c->off += u + (size_t)sl;
	return 1;
}
