/* abi_encode.c - JSON values to ABI encodings. */
#include "eth/abi_priv.h"

#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

struct enc {
	struct denai_abi_buf b;
	char path[DENAI_ABI_PATH_MAX];
	denai_err *err;
};

static int enc_value(struct enc *e, const denai_abi_type *t, const json_t *v);

static int
bad(struct enc *e, const denai_abi_type *t, const char *what)
{
	char *c = denai_abi_type_canonical(t);

	denai_err_set(e->err, DENAI_EDATA, "abi: value %s (%s): %s",
	    e->path[0] ? e->path : "[]", c ? c : "?", what);
	free(c);
	return -1;
}

static int
put_word(struct enc *e, const uint8_t w[32])
{
	return denai_abi_buf_put(&e->b, w, 32) == (size_t)-1 ? -1 : 0;
}

static int
put_u64(struct enc *e, uint64_t v)
{
	uint8_t w[32];

	memset(w, 0, 32);
	for (int i = 31; i >= 24; i--) {
		w[i] = (uint8_t)v;
		v >>= 8;
	}
	return put_word(e, w);
}

/* Decodes a hex string value into a new malloc'd array. */
static uint8_t *
hex_value(struct enc *e, const denai_abi_type *t, const json_t *v, size_t *n)
{
	const char *s;
	size_t len;
	uint8_t *p;
	denai_err e2;
	char msg[300];

	if (!json_is_string(v)) {
		bad(e, t, "expected a hex string");
		return NULL;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if ((p = malloc(len / 2 + 1)) == NULL) {
		e->b.oom = 1;
		return NULL;
	}
	if (denai_hex_decode(p, len / 2 + 1, n, s, len, 0, &e2) != 0) {
		snprintf(msg, sizeof(msg), "%s", e2.msg);
		bad(e, t, msg);
		free(p);
		return NULL;
	}
	return p;
}

/* Appends a byte string: length word, then the bytes padded to 32. */
static int
put_bytes(struct enc *e, const uint8_t *p, size_t n)
{
	if (put_u64(e, n) != 0 || denai_abi_buf_put(&e->b, p, n) ==
	    (size_t)-1 || denai_abi_buf_put(&e->b, NULL, (32 - n % 32) % 32) ==
	    (size_t)-1)
		return -1;
	return 0;
}

/*
 * Appends the encoding of n values of types ts[i] (or elem for all when ts
 * is NULL) from the JSON array v, as a tuple: the heads in order (static
 * values inline, offsets for dynamic ones), then the dynamic tails.
 */
static int
enc_seq(struct enc *e, denai_abi_type *const *ts, const denai_abi_type *elem,
    size_t n, const json_t *v)
{
	size_t start = e->b.len, hpos = start, keep = strlen(e->path);
	const denai_abi_type *t;

	for (size_t i = 0; i < n; i++) {
		t = ts != NULL ? ts[i] : elem;
		denai_abi_path_push(e->path, i);
		if (denai_abi_type_is_dynamic(t)) {
			if (denai_abi_buf_put(&e->b, NULL, 32) == (size_t)-1)
				return -1;
		} else if (enc_value(e, t, json_array_get(v, i)) != 0)
			return -1;
		denai_abi_path_pop(e->path, keep);
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t w[32];
		size_t off;

		t = ts != NULL ? ts[i] : elem;
		if (!denai_abi_type_is_dynamic(t)) {
			hpos += denai_abi_type_head_size(t);
			continue;
		}
		off = e->b.len - start;
		memset(w, 0, 32);
		for (int k = 31; k >= 24; k--) {
			w[k] = (uint8_t)off;
			off >>= 8;
		}
		memcpy(e->b.p + hpos, w, 32);
		hpos += 32;
		denai_abi_path_push(e->path, i);
		if (enc_value(e, t, json_array_get(v, i)) != 0)
			return -1;
		denai_abi_path_pop(e->path, keep);
	}
	return 0;
}

static int
enc_value(struct enc *e, const denai_abi_type *t, const json_t *v)
{
	uint8_t w[32], *p;
	size_t n;
	int rc;

	memset(w, 0, 32);
	switch (t->kind) {
	case DENAI_ABI_UINT:
	case DENAI_ABI_INT:
		if (denai_abi_num_from_json(w, t, v, e->path[0] ? e->path :
		    "[]", e->err) != 0)
			return -1;
		return put_word(e, w);
	case DENAI_ABI_BOOL:
		if (json_is_boolean(v))
			w[31] = json_is_true(v);
		else if (json_is_string(v) &&
		    strcmp(json_string_value(v), "true") == 0)
			w[31] = 1;
		else if (!json_is_string(v) ||
		    strcmp(json_string_value(v), "false") != 0)
			return bad(e, t, "expected true or false");
		return put_word(e, w);
	case DENAI_ABI_ADDRESS:
		if ((p = hex_value(e, t, v, &n)) == NULL)
			return -1;
		if (n != 20) {
			free(p);
			return bad(e, t, "expected 20 bytes");
		}
		memcpy(w + 12, p, 20);
		free(p);
		return put_word(e, w);
	case DENAI_ABI_FBYTES:
		if ((p = hex_value(e, t, v, &n)) == NULL)
			return -1;
		if (n != t->size) {
			char msg[64];

			free(p);
			snprintf(msg, sizeof(msg), "expected %zu bytes, got %zu",
			    t->size, n);
			return bad(e, t, msg);
		}
		memcpy(w, p, n);
		free(p);
		return put_word(e, w);
	case DENAI_ABI_BYTES:
		if ((p = hex_value(e, t, v, &n)) == NULL)
			return -1;
		rc = put_bytes(e, p, n);
		free(p);
		return rc;
	case DENAI_ABI_STRING:
		if (!json_is_string(v))
			return bad(e, t, "expected a string");
		return put_bytes(e, (const uint8_t *)json_string_value(v),
		    json_string_length(v));
	case DENAI_ABI_ARRAY:
		if (!json_is_array(v))
			return bad(e, t, "expected an array");
		if (put_u64(e, json_array_size(v)) != 0)
			return -1;
		return enc_seq(e, NULL, t->elem, json_array_size(v), v);
	case DENAI_ABI_FARRAY:
		if (!json_is_array(v) || json_array_size(v) != t->size) {
			char msg[64];

			snprintf(msg, sizeof(msg), "expected an array of %zu",
			    t->size);
			return bad(e, t, msg);
		}
		return enc_seq(e, NULL, t->elem, t->size, v);
	case DENAI_ABI_TUPLE:
		if (!json_is_array(v) || json_array_size(v) != t->nfields) {
			char msg[64];

			snprintf(msg, sizeof(msg), "expected an array of %zu",
			    t->nfields);
			return bad(e, t, msg);
		}
		return enc_seq(e, t->fields, NULL, t->nfields, v);
	}
	return bad(e, t, "unknown type");
}

/* Runs the encoder; on success hands over its buffer. */
static int
finish(struct enc *e, int rc, uint8_t **out, size_t *outlen)
{
	if (rc == 0 && !e->b.oom && e->b.p == NULL &&
	    (e->b.p = malloc(1)) == NULL)
		e->b.oom = 1;
	if (e->b.oom) {
		rc = denai_err_set(e->err, DENAI_ENOMEM, "abi: out of memory");
	}
	if (rc != 0) {
		free(e->b.p);
		return -1;
	}
	*out = e->b.p;
	*outlen = e->b.len;
	return 0;
}

int
denai_abi_encode(uint8_t **out, size_t *outlen, const denai_abi_type *t,
    const json_t *v, denai_err *err)
{
	struct enc e = { .err = err };

	*out = NULL;
	*outlen = 0;
	if (t->kind != DENAI_ABI_TUPLE)
		return denai_err_set(err, DENAI_EUSAGE,
		    "abi: encode wants a tuple type");
	if (!json_is_array(v) || json_array_size(v) != t->nfields)
		return denai_err_set(err, DENAI_EDATA,
		    "abi: expected %zu value%s, got %zu", t->nfields,
		    t->nfields == 1 ? "" : "s",
		    json_is_array(v) ? json_array_size(v) : 1);
	return finish(&e, enc_seq(&e, t->fields, NULL, t->nfields, v), out,
	    outlen);
}

int
denai_abi_encode_one(uint8_t **out, size_t *outlen, const denai_abi_type *t,
    const json_t *v, denai_err *err)
{
	struct enc e = { .err = err };
	denai_abi_type *one[1];
	json_t *a;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((a = json_array()) == NULL || json_array_append(a, (json_t *)v))
		rc = e.b.oom = 1;
	else {
		one[0] = (denai_abi_type *)t;
		rc = enc_seq(&e, one, NULL, 1, a);
	}
	json_decref(a);
	return finish(&e, rc, out, outlen);
}

int
denai_abi_calldata(uint8_t **out, size_t *outlen, const denai_abi_sig *sig,
    const json_t *args, denai_err *err)
{
	uint8_t *enc, sel[4];
	size_t n;

	*out = NULL;
	*outlen = 0;
	if (denai_abi_encode(&enc, &n, sig->inputs, args, err) != 0)
		return denai_err_prefix(err, "%s", sig->canonical);
	if ((*out = malloc(n + 4)) == NULL) {
		free(enc);
		return denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
	}
	denai_abi_selector(sel, sig);
	memcpy(*out, sel, 4);
	memcpy(*out + 4, enc, n);
	*outlen = n + 4;
	free(enc);
	return 0;
}
