/* rlp_json.c - RLP to and from the JSON form cast uses. */
#include "eth/rlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

static int
put_json(denai_rlp_buf *b, const json_t *v, char *path, size_t plen,
    int depth, denai_err *err)
{
	size_t n = strlen(path), i;
	const json_t *e;

	if (depth >= DENAI_RLP_MAX_DEPTH)
		return denai_err_set(err, DENAI_EDATA,
		    "rlp: %s: lists nested deeper than %d",
		    n ? path : "top", DENAI_RLP_MAX_DEPTH);
	if (json_is_array(v)) {
		denai_rlp_list_begin(b);
		json_array_foreach(v, i, e) {
			snprintf(path + n, plen - n, "[%zu]", i);
			if (put_json(b, e, path, plen, depth + 1, err) != 0)
				return -1;
			path[n] = '\0';
		}
		denai_rlp_list_end(b);
		return 0;
	}
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return denai_err_set(err, DENAI_EDATA,
			    "rlp: %s: negative integer", n ? path : "top");
		denai_rlp_put_u64(b, (uint64_t)json_integer_value(v));
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v), got;
		uint8_t *buf = malloc(len / 2 + 1);

		if (buf == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "rlp: out of memory");
		if (denai_hex_decode(buf, len / 2 + 1, &got, s, len, 0,
		    err) != 0) {
			free(buf);
			return denai_err_prefix(err, "rlp: %s",
			    n ? path : "top");
		}
		denai_rlp_put_bytes(b, buf, got);
		free(buf);
		return 0;
	}
	return denai_err_set(err, DENAI_EDATA,
	    "rlp: %s: expected a hex string, an integer or an array",
	    n ? path : "top");
}

int
denai_rlp_put_json(denai_rlp_buf *b, const json_t *v, denai_err *err)
{
	char path[8 * DENAI_RLP_MAX_DEPTH * 3];

	path[0] = '\0';
	return put_json(b, v, path, sizeof(path), 0, err);
}

static json_t *
to_json(const denai_rlp_item *it, int depth, denai_err *err)
{
	denai_rlp_iter iter;
	denai_rlp_item e;
	json_t *a, *x;
	char *s;
	int rc;

	if (!it->is_list) {
		if ((s = denai_hex_dup(it->p, it->len)) == NULL)
			goto nomem;
		x = json_string(s);
		free(s);
		if (x == NULL)
			goto nomem;
		return x;
	}
	if (depth > DENAI_RLP_MAX_DECODE_DEPTH) {
		denai_err_set(err, DENAI_EDATA,
		    "rlp: item at offset %zu: lists nested deeper than %d",
		    it->off, DENAI_RLP_MAX_DECODE_DEPTH);
		return NULL;
	}
	if ((a = json_array()) == NULL)
		goto nomem;
	if (denai_rlp_iter_init(&iter, it, err) != 0)
		goto fail;
	while ((rc = denai_rlp_iter_next(&iter, &e, err)) == 1) {
		if ((x = to_json(&e, depth + 1, err)) == NULL)
			goto fail;
		if (json_array_append_new(a, x) != 0) {
			denai_err_set(err, DENAI_ENOMEM, "rlp: out of memory");
			goto fail;
		}
	}
	if (rc == 0)
		return a;
fail:
	json_decref(a);
	return NULL;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "rlp: out of memory");
	return NULL;
}

json_t *
denai_rlp_to_json(const uint8_t *in, size_t len, denai_err *err)
{
	denai_rlp_item it;

	if (denai_rlp_decode(&it, in, len, err) != 0)
		return NULL;
	return to_json(&it, 0, err);
}
