/* abi_decode.c - bounded, strict ABI decoding into JSON values. */
#include "eth/abi_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

struct dec {
	const uint8_t *in;
	size_t len;
	size_t values;		/* produced so far, against the cap */
	char path[DENAI_ABI_PATH_MAX];
	denai_err *err;
};

static json_t *dec_at(struct dec *d, const denai_abi_type *t, size_t at);

DENAI_PRINTF(4, 5) static json_t *
bad(struct dec *d, const denai_abi_type *t, size_t at, const char *fmt, ...)
{
	char *c = denai_abi_type_canonical(t), what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	denai_err_set(d->err, DENAI_EDATA, "abi: value %s (%s) at offset %zu: "
	    "%s", d->path[0] ? d->path : "[]", c ? c : "?", at, what);
	free(c);
	return NULL;
}

static json_t *
nomem(struct dec *d)
{
	denai_err_set(d->err, DENAI_ENOMEM, "abi: out of memory");
	return NULL;
}

/* Returns: the word at in[at], or NULL (message) when it is not all there. */
static const uint8_t *
word(struct dec *d, const denai_abi_type *t, size_t at)
{
	if (at > d->len || d->len - at < 32) {
		bad(d, t, at, "32-byte word runs past the end of the %zu-byte "
		    "input", d->len);
		return NULL;
	}
	return d->in + at;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Reads a word holding an offset or a length: at most the input size. */
static int
size_word(struct dec *d, const denai_abi_type *t, size_t at,
    const char *what, size_t *v)
{
	const uint8_t *w = word(d, t, at);
	uint64_t x = 0;

	if (w == NULL)
		return -1;
	for (int i = 24; i < 32; i++)
		x = x << 8 | w[i];
	if (!all_zero(w, 24) || x > d->len) {
		char h[67];

		bad(d, t, at, "%s %s is larger than the %zu-byte input", what,
		    denai_hex_encode(h, w, 32), d->len);
		return -1;
	}
	*v = (size_t)x;
	return 0;
}

static json_t *
dec_seq(struct dec *d, denai_abi_type *const *ts, const denai_abi_type *elem,
    size_t n, size_t base, const denai_abi_type *whole)
{
	size_t hpos = base, keep = strlen(d->path), off;
	const denai_abi_type *t;
	json_t *a, *x;

	if (n > DENAI_ABI_MAX_VALUES - d->values) {
		bad(d, whole, base, "more than %d values", DENAI_ABI_MAX_VALUES);
		return NULL;
	}
	d->values += n;
	if ((a = json_array()) == NULL)
		return nomem(d);
	for (size_t i = 0; i < n; i++) {
		t = ts != NULL ? ts[i] : elem;
		denai_abi_path_push(d->path, i);
		if (denai_abi_type_is_dynamic(t)) {
			if (size_word(d, t, hpos, "offset", &off) != 0)
				goto fail;
			if (off > d->len - base) {
				bad(d, t, hpos, "offset %zu from %zu points "
				    "past the end of the %zu-byte input", off,
				    base, d->len);
				goto fail;
			}
			x = dec_at(d, t, base + off);
		} else
			x = dec_at(d, t, hpos);
		if (x == NULL)
			goto fail;
		if (json_array_append_new(a, x) != 0) {
			nomem(d);
			goto fail;
		}
		denai_abi_path_pop(d->path, keep);
		hpos += denai_abi_type_head_size(t);
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

static json_t *
dec_at(struct dec *d, const denai_abi_type *t, size_t at)
{
	const uint8_t *w;
	size_t n, pad, sign;
	json_t *x;

	switch (t->kind) {
	case DENAI_ABI_UINT:
		if ((w = word(d, t, at)) == NULL)
			return NULL;
		if (!all_zero(w, 32 - t->bits / 8))
			return bad(d, t, at, "non-zero bits above bit %u",
			    t->bits);
		return (x = denai_abi_num_to_json(w, t)) ? x : nomem(d);
	case DENAI_ABI_INT:
		if ((w = word(d, t, at)) == NULL)
			return NULL;
		sign = w[32 - t->bits / 8] & 0x80 ? 0xff : 0;
		for (size_t i = 0; i < 32 - t->bits / 8; i++)
			if (w[i] != sign)
				return bad(d, t, at, "not sign-extended from "
				    "bit %u", t->bits);
		return (x = denai_abi_num_to_json(w, t)) ? x : nomem(d);
	case DENAI_ABI_ADDRESS:
		if ((w = word(d, t, at)) == NULL)
			return NULL;
		if (!all_zero(w, 12))
			return bad(d, t, at, "non-zero bytes before the "
			    "20-byte address");
		n = 20;
		w += 12;
		goto hex;
	case DENAI_ABI_BOOL:
		if ((w = word(d, t, at)) == NULL)
			return NULL;
		if (!all_zero(w, 31) || w[31] > 1)
			return bad(d, t, at, "bool word is neither 0 nor 1");
		return json_boolean(w[31]);
	case DENAI_ABI_FBYTES:
		if ((w = word(d, t, at)) == NULL)
			return NULL;
		if (!all_zero(w + t->size, 32 - t->size))
			return bad(d, t, at, "non-zero bytes after the first "
			    "%zu", t->size);
		n = t->size;
		goto hex;
	case DENAI_ABI_BYTES:
	case DENAI_ABI_STRING:
		if (size_word(d, t, at, "length", &n) != 0)
			return NULL;
		pad = (32 - n % 32) % 32;
		if (d->len - at - 32 < n || d->len - at - 32 - n < pad)
			return bad(d, t, at, "%zu bytes and their padding run "
			    "past the end of the %zu-byte input", n, d->len);
		w = d->in + at + 32;
		if (!all_zero(w + n, pad))
			return bad(d, t, at + 32 + n, "non-zero padding");
		if (t->kind == DENAI_ABI_STRING)
			return (x = denai_abi_json_text(w, n)) ? x : nomem(d);
		goto hex;
	case DENAI_ABI_ARRAY:
		if (size_word(d, t, at, "length", &n) != 0)
			return NULL;
		if (n > (d->len - at - 32) / denai_abi_type_head_size(t->elem))
			return bad(d, t, at, "%zu elements run past the end "
			    "of the %zu-byte input", n, d->len);
		return dec_seq(d, NULL, t->elem, n, at + 32, t);
	case DENAI_ABI_FARRAY:
		return dec_seq(d, NULL, t->elem, t->size, at, t);
	case DENAI_ABI_TUPLE:
		return dec_seq(d, t->fields, NULL, t->nfields, at, t);
	}
	return bad(d, t, at, "unknown type");
hex:
	{
		char *s = denai_hex_dup(w, n);

		if (s == NULL)
			return nomem(d);
		x = json_string(s);
		free(s);
		return x ? x : nomem(d);
	}
}

json_t *
denai_abi_decode(const denai_abi_type *t, const uint8_t *in, size_t len,
    denai_err *err)
{
	struct dec d = { .in = in, .len = len, .err = err };

	if (t->kind != DENAI_ABI_TUPLE) {
		denai_err_set(err, DENAI_EUSAGE,
		    "abi: decode wants a tuple type");
		return NULL;
	}
	return dec_seq(&d, t->fields, NULL, t->nfields, 0, t);
}

json_t *
denai_abi_decode_calldata(const denai_abi_sig *sig, const uint8_t *in,
    size_t len, denai_err *err)
{
	uint8_t sel[4];
	char got[11], want[11];
	json_t *v;

	denai_abi_selector(sel, sig);
	if (len < 4) {
		denai_err_set(err, DENAI_EDATA,
		    "abi: %zu bytes of calldata, too short for a selector", len);
		return NULL;
	}
	if (memcmp(in, sel, 4) != 0) {
		denai_err_set(err, DENAI_EDATA,
		    "abi: calldata selector %s is not %s's %s",
		    denai_hex_encode(got, in, 4), sig->canonical,
		    denai_hex_encode(want, sel, 4));
		return NULL;
	}
	if ((v = denai_abi_decode(sig->inputs, in + 4, len - 4, err)) == NULL)
		denai_err_prefix(err, "%s", sig->canonical);
	return v;
}
