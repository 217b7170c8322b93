/* varint.c - unsigned LEB128 integers (multiformats and protobuf). */
#include "ipfs/varint.h"

static int
read_varint(uint64_t *v, size_t *used, const uint8_t *in, size_t len,
    size_t max, denai_err *err)
{
	uint64_t x = 0;
	size_t i;

	*v = 0;
	*used = 0;
	for (i = 0; i < len && i < max; i++) {
		uint64_t b = in[i] & 0x7f;

		if (i == 9 && b > 1)
			return denai_err_set(err, DENAI_EDATA,
			    "varint overflows 64 bits");
		x |= b << (7 * i);
		if ((in[i] & 0x80) == 0) {
			if (i > 0 && in[i] == 0)
				return denai_err_set(err, DENAI_EDATA,
				    "varint is not minimally encoded");
			*v = x;
			*used = i + 1;
			return 0;
		}
	}
	if (i == max)
		return denai_err_set(err, DENAI_EDATA,
		    "varint longer than %zu bytes", max);
	return denai_err_set(err, DENAI_EDATA, "varint is truncated");
}

int
denai_varint_read_uv(uint64_t *v, size_t *used, const uint8_t *in, size_t len,
    denai_err *err)
{
	return read_varint(v, used, in, len, 9, err);
}

int
denai_varint_read_pb(uint64_t *v, size_t *used, const uint8_t *in, size_t len,
    denai_err *err)
{
	return read_varint(v, used, in, len, 10, err);
}

size_t
denai_varint_put(uint8_t *out, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	return n;
}

size_t
denai_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}
