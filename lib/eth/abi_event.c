/* abi_event.c - decoding event logs against an event signature. */
#include "eth/abi_priv.h"

#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

/* Returns: 1 if an indexed parameter of type t keeps its value in the
 * topic (a value type), 0 if only its hash is there. */
static int
topic_holds_value(const denai_abi_type *t)
{
	return t->kind != DENAI_ABI_BYTES && t->kind != DENAI_ABI_STRING &&
	    t->kind != DENAI_ABI_ARRAY && t->kind != DENAI_ABI_FARRAY &&
	    t->kind != DENAI_ABI_TUPLE;
}

/* Decodes one indexed parameter from its topic. */
static json_t *
topic_value(const denai_abi_type *t, const uint8_t topic[32], size_t i,
    denai_err *err)
{
	denai_abi_type one = { .kind = DENAI_ABI_TUPLE, .nfields = 1 };
	denai_abi_type *f[1] = { (denai_abi_type *)t };
	json_t *a, *v;
	char h[67];

	if (!topic_holds_value(t)) {
		if ((v = json_string(denai_hex_encode(h, topic, 32))) == NULL)
			denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
		return v;
	}
	one.fields = f;
	if ((a = denai_abi_decode(&one, topic, 32, err)) == NULL) {
		denai_err_prefix(err, "topic %zu", i);
		return NULL;
	}
	v = json_incref(json_array_get(a, 0));
	json_decref(a);
	return v;
}

json_t *
denai_abi_decode_log(const denai_abi_sig *ev, const uint8_t (*topics)[32],
    size_t ntopics, const uint8_t *data, size_t len, denai_err *err)
{
	const denai_abi_type *in = ev->inputs;
	denai_abi_type rest = { .kind = DENAI_ABI_TUPLE };
	json_t *out = NULL, *args = NULL, *named = NULL, *vals = NULL, *v;
	uint8_t t0[32];
	char h1[67], h2[67];
	size_t nidx = 0, ti = 1, ri = 0;
	int all_named = in->nfields > 0;

	for (size_t i = 0; i < in->nfields; i++) {
		nidx += in->fields[i]->indexed != 0;
		all_named &= in->fields[i]->name != NULL;
	}
	denai_abi_topic0(t0, ev);
	if (ntopics == 0) {
		denai_err_set(err, DENAI_EDATA, "abi: log has no topics; "
		    "%s is not anonymous", ev->canonical);
		return NULL;
	}
	if (memcmp(topics[0], t0, 32) != 0) {
		denai_err_set(err, DENAI_EDATA, "abi: log topic 0 %s is not "
		    "%s's %s", denai_hex_encode(h1, topics[0], 32),
		    ev->canonical, denai_hex_encode(h2, t0, 32));
		return NULL;
	}
	if (ntopics != 1 + nidx) {
		denai_err_set(err, DENAI_EDATA, "abi: %s has %zu indexed "
		    "parameter%s but the log has %zu topics after topic 0",
		    ev->canonical, nidx, nidx == 1 ? "" : "s", ntopics - 1);
		return NULL;
	}
	if ((rest.fields = calloc(in->nfields + 1, sizeof(*rest.fields))) ==
	    NULL)
		goto nomem;
	for (size_t i = 0; i < in->nfields; i++)
		if (!in->fields[i]->indexed)
			rest.fields[rest.nfields++] = in->fields[i];
	if ((vals = denai_abi_decode(&rest, data, len, err)) == NULL) {
		denai_err_prefix(err, "%s data", ev->canonical);
		goto fail;
	}
	if ((args = json_array()) == NULL ||
	    (all_named && (named = json_object()) == NULL))
		goto nomem;
	for (size_t i = 0; i < in->nfields; i++) {
		const denai_abi_type *f = in->fields[i];

		if (f->indexed) {
			if ((v = topic_value(f, topics[ti], ti, err)) == NULL) {
				denai_err_prefix(err, "%s", ev->canonical);
				goto fail;
			}
			ti++;
		} else
			v = json_incref(json_array_get(vals, ri++));
		if (named != NULL && json_object_set(named, f->name, v) != 0) {
			json_decref(v);
			goto nomem;
		}
		if (json_array_append_new(args, v) != 0)
			goto nomem;
	}
	out = json_pack("{s:s, s:s, s:O}", "event", ev->name, "signature",
	    ev->canonical, "args", args);
	if (out == NULL || (named != NULL &&
	    json_object_set(out, "named", named) != 0))
		goto nomem;
	goto done;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
fail:
	json_decref(out);
	out = NULL;
done:
	json_decref(args);
	json_decref(named);
	json_decref(vals);
	free(rest.fields);
	return out;
}
