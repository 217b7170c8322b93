/* rlp.c - the RLP builder: a growable buffer with nested lists. */
#include "eth/rlp.h"

#include <stdlib.h>
#include <string.h>

void
denai_rlp_buf_init(denai_rlp_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
denai_rlp_buf_free(denai_rlp_buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	denai_rlp_buf_init(b);
}

/* Makes room for n more bytes. Returns: 0, or -1 (b->failed set). */
static int
reserve(denai_rlp_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->failed)
		return -1;
	if (n <= b->cap - b->len)
		return 0;
	if (n > SIZE_MAX / 2 - b->len) {
		b->failed = DENAI_ENOMEM;
		return -1;
	}
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap - b->len < n)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->failed = DENAI_ENOMEM;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

size_t
denai_rlp_header_len(size_t n)
{
	size_t k = 0;

	if (n < 56)
		return 1;
	for (; n != 0; n >>= 8)
		k++;
	return 1 + k;
}

/* Writes the header for a payload of n bytes at h (which has room for
 * denai_rlp_header_len(n) bytes); base is 0x80 for strings, 0xc0 lists. */
static void
put_header(uint8_t *h, size_t n, uint8_t base)
{
	size_t k = denai_rlp_header_len(n) - 1;

	if (k == 0) {
		h[0] = (uint8_t)(base + n);
		return;
	}
	h[0] = (uint8_t)(base + 55 + k);
	for (size_t i = k; i > 0; i--) {
		h[i] = (uint8_t)n;
		n >>= 8;
	}
}

void
denai_rlp_put_bytes(denai_rlp_buf *b, const uint8_t *p, size_t n)
{
	size_t h;

	if (n == 1 && p[0] < 0x80) {
		if (reserve(b, 1) == 0)
			b->p[b->len++] = p[0];
		return;
	}
	h = denai_rlp_header_len(n);
	if (reserve(b, h + n) != 0)
		return;
	put_header(b->p + b->len, n, 0x80);
	if (n > 0)
		memcpy(b->p + b->len + h, p, n);
	b->len += h + n;
}

void
denai_rlp_put_str(denai_rlp_buf *b, const char *s)
{
	denai_rlp_put_bytes(b, (const uint8_t *)s, strlen(s));
}

void
denai_rlp_put_u64(denai_rlp_buf *b, uint64_t v)
{
	uint8_t be[8];
	int i = 8;

	while (v != 0) {
		be[--i] = (uint8_t)v;
		v >>= 8;
	}
	denai_rlp_put_bytes(b, be + i, (size_t)(8 - i));
}

void
denai_rlp_put_u256(denai_rlp_buf *b, const denai_u256 *v)
{
	uint8_t be[32];
	size_t i = 0;

	denai_u256_to_be32(be, v);
	while (i < 32 && be[i] == 0)
		i++;
	denai_rlp_put_bytes(b, be + i, 32 - i);
}

void
denai_rlp_put_raw(denai_rlp_buf *b, const uint8_t *p, size_t n)
{
	if (reserve(b, n) != 0 || n == 0)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void
denai_rlp_list_begin(denai_rlp_buf *b)
{
	if (b->failed)
		return;
	if (b->depth == DENAI_RLP_MAX_DEPTH) {
		b->failed = DENAI_EUSAGE;
		return;
	}
	b->open[b->depth++] = b->len;
}

void
denai_rlp_list_end(denai_rlp_buf *b)
{
	size_t start, n, h;

	if (b->failed)
		return;
	if (b->depth == 0) {
		b->failed = DENAI_EUSAGE;
		return;
	}
	start = b->open[--b->depth];
	n = b->len - start;
	h = denai_rlp_header_len(n);
	if (reserve(b, h) != 0)
		return;
	memmove(b->p + start + h, b->p + start, n);
	put_header(b->p + start, n, 0xc0);
	b->len += h;
}

int
denai_rlp_buf_finish(denai_rlp_buf *b, uint8_t **out, size_t *outlen,
    denai_err *err)
{
	int failed = b->failed;

	*out = NULL;
	*outlen = 0;
	if (!failed && b->depth != 0)
		failed = -1;
	if (!failed && b->p == NULL && reserve(b, 1) != 0)
		failed = b->failed;
	if (failed) {
		int depth = b->depth;

		denai_rlp_buf_free(b);
		if (failed == DENAI_ENOMEM)
			return denai_err_set(err, DENAI_ENOMEM,
			    "rlp: out of memory");
		if (failed == DENAI_EUSAGE)
			return denai_err_set(err, DENAI_EUSAGE,
			    "rlp: list_end without list_begin, or lists "
			    "nested deeper than %d", DENAI_RLP_MAX_DEPTH);
		return denai_err_set(err, DENAI_EUSAGE,
		    "rlp: %d list%s left open", depth, depth == 1 ? "" : "s");
	}
	*out = b->p;
	*outlen = b->len;
	denai_rlp_buf_init(b);
	return 0;
}
