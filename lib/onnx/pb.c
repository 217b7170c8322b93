/* onnx/pb.c - the protobuf wire format, read with bounds checks. */
#include "onnx/pb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "pb.c copies packed fixed-width values as little-endian"
#endif

void
denai_pb_init(denai_pb *r, const uint8_t *buf, size_t len, const char *msg,
    const char *const *names, size_t nnames)
{
	r->p = buf;
	r->end = buf + len;
	r->msg = msg != NULL ? msg : "message";
	r->names = names;
	r->nnames = names != NULL ? nnames : 0;
}

const char *
denai_pb_field_name(const denai_pb *r, uint32_t num, char *buf, size_t n)
{
	if (num < r->nnames && r->names[num] != NULL)
		return r->names[num];
	snprintf(buf, n, "field %lu", (unsigned long)num);
	return buf;
}

int
denai_pb_fail(const denai_pb *r, uint32_t num, denai_err *err, int code,
    const char *fmt, ...)
{
	char msg[sizeof(err->msg)], nb[32];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (num == 0)
		return denai_err_set(err, code, "%s: %s", r->msg, msg);
	return denai_err_set(err, code, "%s.%s: %s", r->msg,
	    denai_pb_field_name(r, num, nb, sizeof(nb)), msg);
}

int
denai_pb_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t x = 0;

	if (p < end && *p < 0x80) {	/* the common one-byte case */
		*v = *p;
		*pp = p + 1;
		return 0;
	}
	for (int i = 0; i < 10; i++) {
		if (p >= end)
			return -1;
		uint8_t b = *p++;
		if (i == 9 && b > 1)
			return -1;	/* over 64 bits, or > 10 bytes */
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if ((b & 0x80) == 0) {
			*v = x;
			*pp = p;
			return 0;
		}
	}
	return -1;
}

int
denai_pb_next(denai_pb *r, denai_pb_field *f, denai_err *err)
{
	uint64_t key, len;
	const uint8_t *p = r->p;

	f->v = 0;
	f->data = NULL;
	f->len = 0;
	if (p >= r->end)
		return 0;
	if (denai_pb_varint(&p, r->end, &key) != 0)
		return denai_pb_fail(r, 0, err, DENAI_EDATA,
		    "truncated or overlong field key");
	if ((key >> 3) == 0 || (key >> 3) > 0x1fffffff)
		return denai_pb_fail(r, 0, err, DENAI_EDATA,
		    "bad field number %llu", (unsigned long long)(key >> 3));
	f->num = (uint32_t)(key >> 3);
	f->wire = (int)(key & 7);
	switch (f->wire) {
	case DENAI_PB_VARINT:
		if (denai_pb_varint(&p, r->end, &f->v) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "truncated or overlong varint");
		break;
	case DENAI_PB_I64:
		if (r->end - p < 8)
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "truncated fixed64");
		for (int i = 7; i >= 0; i--)
			f->v = f->v << 8 | p[i];
		p += 8;
		break;
	case DENAI_PB_I32:
		if (r->end - p < 4)
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "truncated fixed32");
		for (int i = 3; i >= 0; i--)
			f->v = f->v << 8 | p[i];
		p += 4;
		break;
	case DENAI_PB_LEN:
		if (denai_pb_varint(&p, r->end, &len) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "truncated or overlong length");
		if (len > (uint64_t)(r->end - p))
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "length %llu past the end of the message "
			    "(%zu bytes left)", (unsigned long long)len,
			    (size_t)(r->end - p));
		f->data = p;
		f->len = (size_t)len;
		p += len;
		break;
	case 3:
	case 4:
		return denai_pb_fail(r, f->num, err, DENAI_EDATA,
		    "groups are not supported");
	default:
		return denai_pb_fail(r, f->num, err, DENAI_EDATA,
		    "bad wire type %d", f->wire);
	}
	r->p = p;
	return 1;
}

static int
grow(void **arr, size_t *cap, size_t need, size_t esz)
{
	size_t c = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return 0;
	while (c < need) {
		if (c > SIZE_MAX / 2 / esz)
			return -1;
		c *= 2;
	}
	if ((p = realloc(*arr, c * esz)) == NULL)
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

static int
put(int wire, void **arr, size_t *n, size_t *cap, uint64_t v)
{
	size_t esz = wire == DENAI_PB_I32 ? 4 : 8;

	if (grow(arr, cap, *n + 1, esz) != 0)
		return -1;
	if (wire == DENAI_PB_I32) {
		uint32_t x = (uint32_t)v;
		memcpy((char *)*arr + *n * 4, &x, 4);
	} else
		memcpy((char *)*arr + *n * 8, &v, 8);
	(*n)++;
	return 0;
}

int
denai_pb_repeated(const denai_pb *r, const denai_pb_field *f, int wire,
    void **arr, size_t *n, size_t *cap, size_t max, denai_err *err)
{
	if (f->wire == wire) {
		if (*n >= max)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "more than %zu values", max);
		if (put(wire, arr, n, cap, f->v) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "out of memory");
		return 0;
	}
	if (f->wire != DENAI_PB_LEN)
		return denai_pb_fail(r, f->num, err, DENAI_EDATA,
		    "wire type %d where %d or packed was expected", f->wire,
		    wire);
	const uint8_t *p = f->data, *end = f->data + f->len;
	size_t esz = wire == DENAI_PB_I32 ? 4 : 8, add;

	if (wire != DENAI_PB_VARINT) {
		if (f->len % esz != 0)
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "packed length %zu is not a multiple of %zu",
			    f->len, esz);
		if ((add = f->len / esz) == 0)
			return 0;
		if (add > max || *n > max - add)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "more than %zu values", max);
		if (grow(arr, cap, *n + add, esz) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "out of memory");
		/* Little-endian hosts only (x86-64, aarch64). */
		memcpy((char *)*arr + *n * esz, p, f->len);
		*n += add;
		return 0;
	}
	while (p < end) {
		uint64_t v;

		if (denai_pb_varint(&p, end, &v) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_EDATA,
			    "truncated or overlong packed varint");
		if (*n >= max)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "more than %zu values", max);
		if (put(wire, arr, n, cap, v) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "out of memory");
	}
	return 0;
}

int
denai_pb_repeated_run(denai_pb *r, const denai_pb_field *f, int wire,
    void **arr, size_t *n, size_t *cap, size_t max, denai_err *err)
{
	const uint8_t *p, *end = r->end;
	uint64_t key = (uint64_t)f->num << 3 | (uint64_t)wire;

	if (denai_pb_repeated(r, f, wire, arr, n, cap, max, err) != 0)
		return -1;
	if (f->wire != wire || key > 0x7f ||
	    (wire != DENAI_PB_VARINT && wire != DENAI_PB_I32))
		return 0;
	/* One-byte keys only: the next field is ours when its byte is. */
	for (p = r->p; p < end && *p == key; r->p = p) {
		uint64_t v = 0;

		p++;
		if (wire == DENAI_PB_VARINT) {
			if (denai_pb_varint(&p, end, &v) != 0)
				return denai_pb_fail(r, f->num, err,
				    DENAI_EDATA, "truncated or overlong varint");
		} else {
			if (end - p < 4)
				return denai_pb_fail(r, f->num, err,
				    DENAI_EDATA, "truncated fixed32");
			for (int i = 3; i >= 0; i--)
				v = v << 8 | p[i];
			p += 4;
		}
		if (*n >= max)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "more than %zu values", max);
		if (put(wire, arr, n, cap, v) != 0)
			return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
			    "out of memory");
	}
	return 0;
}
