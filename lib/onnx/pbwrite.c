/*
 * onnx/pbwrite.c - the bounded protobuf writer (see pbwrite.h).
 */
#include "onnx/pbwrite.h"

#include <stdlib.h>
#include <string.h>

void
denai_pbw_init(denai_pbw *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
}

void
denai_pbw_free(denai_pbw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* Makes room for n more bytes. Returns: 0, or -1 (w marked failed). */
static int
room(denai_pbw *w, size_t n)
{
	size_t cap;
	uint8_t *b;

	if (w->failed)
		return -1;
	if (n > w->max || w->len > w->max - n) {
		w->failed = DENAI_ENOMEM;
		return -1;
	}
	if (w->len + n <= w->cap)
		return 0;
	cap = w->cap < 64 ? 64 : w->cap;
	while (cap < w->len + n)
		cap = cap > SIZE_MAX / 2 ? w->len + n : cap * 2;
	if (cap > w->max)
		cap = w->max;
	if ((b = realloc(w->buf, cap)) == NULL) {
		w->failed = DENAI_ENOMEM;
		return -1;
	}
	w->buf = b;
	w->cap = cap;
	return 0;
}

void
denai_pbw_raw(denai_pbw *w, const void *p, size_t n)
{
	if (n == 0 || room(w, n) != 0)
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void
put_varint(denai_pbw *w, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			b[n] |= 0x80;
		n++;
	} while (v != 0);
	denai_pbw_raw(w, b, n);
}

static void
put_key(denai_pbw *w, uint32_t num, unsigned wire)
{
	put_varint(w, ((uint64_t)num << 3) | wire);
}

static void
put_le(denai_pbw *w, uint64_t v, size_t n)
{
	uint8_t b[8];

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	denai_pbw_raw(w, b, n);
}

void
denai_pbw_varint(denai_pbw *w, uint32_t num, uint64_t v)
{
	put_key(w, num, 0);
	put_varint(w, v);
}

void
denai_pbw_bytes(denai_pbw *w, uint32_t num, const void *p, size_t n)
{
	put_key(w, num, 2);
	put_varint(w, n);
	denai_pbw_raw(w, p, n);
}

void
denai_pbw_str(denai_pbw *w, uint32_t num, const char *s)
{
	denai_pbw_bytes(w, num, s, strlen(s));
}

void
denai_pbw_float(denai_pbw *w, uint32_t num, float v)
{
	uint32_t u;

	memcpy(&u, &v, 4);
	put_key(w, num, 5);
	put_le(w, u, 4);
}

void
denai_pbw_double(denai_pbw *w, uint32_t num, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	put_key(w, num, 1);
	put_le(w, u, 8);
}

void
denai_pbw_msg(denai_pbw *w, uint32_t num, const denai_pbw *sub)
{
	if (sub->failed) {
		if (!w->failed)
			w->failed = sub->failed;
		return;
	}
	denai_pbw_bytes(w, num, sub->buf, sub->len);
}

static size_t
varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void
denai_pbw_packed_i64(denai_pbw *w, uint32_t num, const int64_t *v, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += varint_len((uint64_t)v[i]);
	put_key(w, num, 2);
	put_varint(w, len);
	for (size_t i = 0; i < n && !w->failed; i++)
		put_varint(w, (uint64_t)v[i]);
}

void
denai_pbw_packed_float(denai_pbw *w, uint32_t num, const float *v, size_t n)
{
	put_key(w, num, 2);
	if (n > SIZE_MAX / 4) {
		w->failed = DENAI_ENOMEM;
		return;
	}
	put_varint(w, n * 4);
	if (room(w, n * 4) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		uint32_t u;

		memcpy(&u, &v[i], 4);
		put_le(w, u, 4);
	}
}

int
denai_pbw_finish(const denai_pbw *w, denai_err *err)
{
	if (w->failed == DENAI_ENOMEM && w->len <= w->max)
		return denai_err_set(err, DENAI_ENOMEM,
		    "protobuf message over %zu bytes or out of memory",
		    w->max);
	if (w->failed)
		return denai_err_set(err, w->failed, "protobuf write failed");
	return 0;
}

int
denai_pbw_take(denai_pbw *w, uint8_t **p, size_t *n, denai_err *err)
{
	if (denai_pbw_finish(w, err) != 0)
		return -1;
	*p = w->buf;
	*n = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return 0;
}
