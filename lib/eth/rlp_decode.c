/* rlp_decode.c - bounded, canonical-only RLP item reader. */
#include "eth/rlp.h"

#include <string.h>

int
denai_rlp_read(denai_rlp_item *it, const uint8_t *in, size_t len,
    size_t base, denai_err *err)
{
	size_t hdr, n = 0, k;
	uint8_t b0;

	memset(it, 0, sizeof(*it));
	if (len == 0)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: input ends at offset %zu where an item should start",
		    base);
	b0 = in[0];
	it->off = base;
	it->raw = in;
	if (b0 < 0x80) {
		it->p = in;
		it->len = 1;
		it->rawlen = 1;
		return 0;
	}
	it->is_list = b0 >= 0xc0;
	k = b0 - (it->is_list ? 0xc0 : 0x80);
	if (k <= 55) {
		hdr = 1;
		n = k;
	} else {
		k -= 55;
		hdr = 1 + k;
		if (len < hdr)
			return denai_err_set(err, DENAI_EDATA,
			    "rlp: item at offset %zu: %zu-byte length runs "
			    "past the end of the input", base, k);
		if (in[1] == 0)
			return denai_err_set(err, DENAI_EDATA,
			    "rlp: item at offset %zu: length has a leading "
			    "zero byte", base);
		if (k > sizeof(size_t))
			return denai_err_set(err, DENAI_EDATA,
			    "rlp: item at offset %zu: %zu-byte length is too "
			    "large", base, k);
		for (size_t i = 1; i <= k; i++)
			n = n << 8 | in[i];
		if (n < 56)
			return denai_err_set(err, DENAI_EDATA,
			    "rlp: item at offset %zu: long form used for a "
			    "%zu-byte payload", base, n);
	}
	if (n > len - hdr)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: %zu-byte payload runs past the "
		    "end of the input (%zu bytes left)", base, n, len - hdr);
	if (!it->is_list && n == 1 && in[1] < 0x80)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: single byte 0x%02x below 0x80 "
		    "encoded as a string", base, in[1]);
	it->p = in + hdr;
	it->len = n;
	it->rawlen = hdr + n;
	return 0;
}

/* Checks the framing of every item nested in it, without recursion: ends[]
 * holds where each open list's payload ends. */
static int
check_tree(const denai_rlp_item *top, denai_err *err)
{
	size_t ends[DENAI_RLP_MAX_DECODE_DEPTH];
	size_t pos, depth = 0;
	const uint8_t *in = top->raw;
	denai_rlp_item it;

	if (!top->is_list)
		return 0;
	pos = (size_t)(top->p - top->raw);
	ends[depth++] = top->rawlen;
	while (depth > 0) {
		if (pos == ends[depth - 1]) {
			depth--;
			continue;
		}
		if (denai_rlp_read(&it, in + pos, ends[depth - 1] - pos,
		    top->off + pos, err) != 0)
			return -1;
		if (it.is_list && it.len > 0) {
			if (depth == DENAI_RLP_MAX_DECODE_DEPTH)
				return denai_err_set(err, DENAI_EDATA,
				    "rlp: item at offset %zu: lists nested "
				    "deeper than %d", it.off,
				    DENAI_RLP_MAX_DECODE_DEPTH);
			ends[depth++] = pos + it.rawlen;
			pos += it.rawlen - it.len;
		} else
			pos += it.rawlen;
	}
	return 0;
}

int
denai_rlp_decode(denai_rlp_item *it, const uint8_t *in, size_t len,
    denai_err *err)
{
	if (denai_rlp_read(it, in, len, 0, err) != 0)
		return -1;
	if (it->rawlen != len)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: %zu trailing bytes after the item at offset %zu",
		    len - it->rawlen, it->rawlen);
	return check_tree(it, err);
}

int
denai_rlp_iter_init(denai_rlp_iter *it, const denai_rlp_item *list,
    denai_err *err)
{
	memset(it, 0, sizeof(*it));
	if (!list->is_list)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu is a string, not a list",
		    list->off);
	it->p = list->p;
	it->len = list->len;
	it->base = list->off + (size_t)(list->p - list->raw);
	return 0;
}

int
denai_rlp_iter_next(denai_rlp_iter *it, denai_rlp_item *item, denai_err *err)
{
	if (it->pos == it->len)
		return 0;
	if (denai_rlp_read(item, it->p + it->pos, it->len - it->pos,
	    it->base + it->pos, err) != 0)
		return -1;
	it->pos += item->rawlen;
	return 1;
}

int
denai_rlp_list_count(const denai_rlp_item *list, size_t *n, denai_err *err)
{
	denai_rlp_iter it;
	denai_rlp_item item;
	int rc;

	*n = 0;
	if (denai_rlp_iter_init(&it, list, err) != 0)
		return -1;
	while ((rc = denai_rlp_iter_next(&it, &item, err)) == 1)
		(*n)++;
	return rc;
}

/* Checks a string item holding a minimal unsigned integer of at most max
 * bytes. */
static int
check_uint(const denai_rlp_item *it, size_t max, denai_err *err)
{
	if (it->is_list)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: expected an integer, got a list",
		    it->off);
	if (it->len > 0 && it->p[0] == 0)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: integer has a leading zero byte",
		    it->off);
	if (it->len > max)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: %zu-byte integer is wider than "
		    "%zu bytes", it->off, it->len, max);
	return 0;
}

int
denai_rlp_get_u64(const denai_rlp_item *it, uint64_t *v, denai_err *err)
{
	uint64_t x = 0;

	if (check_uint(it, 8, err) != 0)
		return -1;
	for (size_t i = 0; i < it->len; i++)
		x = x << 8 | it->p[i];
	*v = x;
	return 0;
}

int
denai_rlp_get_u256(const denai_rlp_item *it, denai_u256 *v, denai_err *err)
{
	uint8_t be[32];

	if (check_uint(it, 32, err) != 0)
		return -1;
	memset(be, 0, sizeof(be));
	if (it->len > 0)
		memcpy(be + 32 - it->len, it->p, it->len);
	denai_u256_from_be32(v, be);
	return 0;
}

int
denai_rlp_get_fixed(const denai_rlp_item *it, uint8_t *out, size_t n,
    denai_err *err)
{
	if (it->is_list)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: expected %zu bytes, got a list",
		    it->off, n);
	if (it->len != n)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: expected %zu bytes, got %zu",
		    it->off, n, it->len);
	if (n > 0)
		memcpy(out, it->p, n);
	return 0;
}
