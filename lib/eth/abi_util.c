/* abi_util.c - buffers, value paths, numbers and text for the ABI code. */
#include "eth/abi_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
grow(void **p, size_t *cap, size_t need)
{
	size_t c = *cap < 64 ? 64 : *cap;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return -1;
		c *= 2;
	}
	if ((q = realloc(*p, c)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

size_t
denai_abi_buf_put(struct denai_abi_buf *b, const void *p, size_t n)
{
	size_t at = b->len;

	if (b->oom || n > SIZE_MAX - b->len ||
	    grow((void **)&b->p, &b->cap, b->len + n) != 0) {
		b->oom = 1;
		return (size_t)-1;
	}
	if (n > 0) {
		if (p != NULL)
			memcpy(b->p + at, p, n);
		else
			memset(b->p + at, 0, n);
	}
	b->len += n;
	return at;
}

void
denai_abi_sbuf_putn(struct denai_abi_sbuf *b, const char *s, size_t n)
{
	if (b->oom || n > SIZE_MAX - b->len - 1 ||
	    grow((void **)&b->p, &b->cap, b->len + n + 1) != 0) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
denai_abi_sbuf_puts(struct denai_abi_sbuf *b, const char *s)
{
	denai_abi_sbuf_putn(b, s, strlen(s));
}

char *
denai_abi_sbuf_take(struct denai_abi_sbuf *b)
{
	char *p = b->p;

	if (!b->oom && p == NULL)
		p = calloc(1, 1);
	if (b->oom) {
		free(p);
		p = NULL;
	}
	memset(b, 0, sizeof(*b));
	return p;
}

void
denai_abi_path_push(char path[DENAI_ABI_PATH_MAX], size_t i)
{
	size_t n = strlen(path);

	snprintf(path + n, DENAI_ABI_PATH_MAX - n, "[%zu]", i);
}

void
denai_abi_path_pop(char path[DENAI_ABI_PATH_MAX], size_t keep)
{
	path[keep] = '\0';
}

static void
negate(uint8_t w[32])
{
	unsigned c = 1;

	for (int i = 31; i >= 0; i--) {
		c += (uint8_t)~w[i];
		w[i] = (uint8_t)c;
		c >>= 8;
	}
}

int
denai_abi_num_from_json(uint8_t word[32], const denai_abi_type *t,
    const json_t *v, const char *path, denai_err *err)
{
	const char *what = t->kind == DENAI_ABI_UINT ? "uint" : "int";
	const char *s;
	size_t len;
	denai_u256 m, lim;
	denai_err e2;
	int neg = 0;
	char num[32];

	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		snprintf(num, sizeof(num), "%lld", (long long)x);
		s = num;
		len = strlen(num);
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		len = json_string_length(v);
	} else
		return denai_err_set(err, DENAI_EDATA,
		    "abi: value %s (%s%u): expected a number as a string",
		    path, what, t->bits);
	if (len > 0 && s[0] == '-') {
		neg = 1;
		s++;
		len--;
		if (t->kind == DENAI_ABI_UINT)
			return denai_err_set(err, DENAI_EDATA,
			    "abi: value %s (uint%u): negative number", path,
			    t->bits);
	}
	if (denai_u256_parse(&m, s, len, &e2) != 0)
		return denai_err_set(err, DENAI_EDATA,
		    "abi: value %s (%s%u): %s", path, what, t->bits, e2.msg);
	/* The magnitude limit: 2^bits for uint, 2^(bits-1) (+1 if
	 * negative) for int. */
	denai_u256_from_u64(&lim, 0);
	if (t->kind == DENAI_ABI_UINT) {
		if (t->bits < 256)
			lim.w[t->bits / 64] = (uint64_t)1 << (t->bits % 64);
	} else
		lim.w[(t->bits - 1) / 64] = (uint64_t)1 << ((t->bits - 1) % 64);
	if (!denai_u256_is_zero(&lim)) {
		int c = denai_u256_cmp(&m, &lim);

		if (c > 0 || (c == 0 && !neg))
			return denai_err_set(err, DENAI_EDATA,
			    "abi: value %s (%s%u): %s%.*s does not fit",
			    path, what, t->bits, neg ? "-" : "",
			    len > 80 ? 80 : (int)len, s);
	}
	denai_u256_to_be32(word, &m);
	if (neg)
		negate(word);
	return 0;
}

json_t *
denai_abi_num_to_json(const uint8_t word[32], const denai_abi_type *t)
{
	char dec[DENAI_U256_DEC_MAX + 1];
	uint8_t w[32];
	denai_u256 m;
	int neg = t->kind == DENAI_ABI_INT && (word[0] & 0x80);

	memcpy(w, word, 32);
	if (neg)
		negate(w);
	denai_u256_from_be32(&m, w);
	dec[0] = '-';
	denai_u256_to_dec(dec + 1, &m);
	return json_string(neg ? dec : dec + 1);
}

/* Returns: the length of the valid UTF-8 sequence at p (1-4), or 0 with
 * *bad set to the length of the invalid prefix to replace. */
static size_t
utf8_seq(const uint8_t *p, size_t n, size_t *bad)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else {
		*bad = 1;
		return 0;
	}
	for (i = 1; i < need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need;
}

json_t *
denai_abi_json_text(const uint8_t *p, size_t n)
{
	struct denai_abi_sbuf b = { 0 };
	size_t i = 0, k, bad, start = 0;
	json_t *j;
	char *s;

	for (i = 0; i < n; i += k) {
		if ((k = utf8_seq(p + i, n - i, &bad)) != 0)
			continue;
		denai_abi_sbuf_putn(&b, (const char *)p + start, i - start);
		denai_abi_sbuf_puts(&b, "\xef\xbf\xbd");
		k = bad;
		start = i + k;
	}
	if (start == 0)
		return json_stringn((const char *)p, n);
	denai_abi_sbuf_putn(&b, (const char *)p + start, n - start);
	k = b.len;
	if ((s = denai_abi_sbuf_take(&b)) == NULL)
		return NULL;
	j = json_stringn(s, k);
	free(s);
	return j;
}
