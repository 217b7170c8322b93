/* abi_json.c - signatures from JSON ABI entries, as solc and forge write
 * them ({"type": "event", "name": ..., "inputs": [{"type": "tuple[]",
 * "components": [...], "name": ..., "indexed": ...}]}). Each entry is
 * written out as a signature string and read by denai_abi_sig_parse. */
#include "eth/abi_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int put_params(struct denai_abi_sbuf *b, const json_t *params,
    int depth, denai_err *err);

/* Returns: 1 if s can stand as a parameter name in a signature. */
static int
plain_name(const char *s)
{
	static const char *words[] = { "indexed", "memory", "calldata",
	    "storage", "returns", NULL };

	if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_' ||
	    *s == '$'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$')
			return 0;
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return 0;
	return 1;
}

static int
put_param(struct denai_abi_sbuf *b, const json_t *p, int depth,
    denai_err *err)
{
	const char *type = json_string_value(json_object_get(p, "type"));
	const char *name = json_string_value(json_object_get(p, "name"));

	if (type == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "abi: json parameter without a \"type\" string");
	if (strncmp(type, "tuple", 5) == 0) {
		if (depth >= DENAI_ABI_MAX_DEPTH)
			return denai_err_set(err, DENAI_EDATA,
			    "abi: json tuples nested too deep");
		if (put_params(b, json_object_get(p, "components"), depth + 1,
		    err) != 0)
			return -1;
		denai_abi_sbuf_puts(b, type + 5);	/* "[]", "[2]" */
	} else
		denai_abi_sbuf_puts(b, type);
	if (json_is_true(json_object_get(p, "indexed")))
		denai_abi_sbuf_puts(b, " indexed");
	if (plain_name(name)) {
		denai_abi_sbuf_puts(b, " ");
		denai_abi_sbuf_puts(b, name);
	}
	return 0;
}

static int
put_params(struct denai_abi_sbuf *b, const json_t *params, int depth,
    denai_err *err)
{
	size_t i;
	const json_t *p;

	if (params != NULL && !json_is_array(params))
		return denai_err_set(err, DENAI_EDATA,
		    "abi: json parameters are not an array");
	denai_abi_sbuf_puts(b, "(");
	json_array_foreach(params, i, p) {
		if (i > 0)
			denai_abi_sbuf_puts(b, ",");
		if (put_param(b, p, depth, err) != 0)
			return -1;
	}
	denai_abi_sbuf_puts(b, ")");
	return 0;
}

denai_abi_sig *
denai_abi_sig_from_json(const json_t *entry, denai_err *err)
{
	struct denai_abi_sbuf b = { 0 };
	const char *name = json_string_value(json_object_get(entry, "name"));
	const json_t *outs = json_object_get(entry, "outputs");
	denai_abi_sig *sig = NULL;
	char *s;

	if (name == NULL) {
		denai_err_set(err, DENAI_EDATA,
		    "abi: json entry without a \"name\" string");
		return NULL;
	}
	denai_abi_sbuf_puts(&b, name);
	if (put_params(&b, json_object_get(entry, "inputs"), 0, err) != 0)
		goto out;
	if (json_is_array(outs) && put_params(&b, outs, 0, err) != 0)
		goto out;
	if ((s = denai_abi_sbuf_take(&b)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
		return NULL;
	}
	sig = denai_abi_sig_parse(s, err);
	free(s);
	return sig;
out:
	free(denai_abi_sbuf_take(&b));
	return NULL;
}

void
denai_abi_sigs_free(denai_abi_sig **sigs, size_t n)
{
	if (sigs == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		denai_abi_sig_free(sigs[i]);
	free(sigs);
}

int
denai_abi_sigs_from_json(denai_abi_sig ***sigs, size_t *n, const json_t *abi,
    const char *kind, denai_err *err)
{
	const json_t *e;
	size_t i;

	*sigs = NULL;
	*n = 0;
	if (json_is_object(abi))
		abi = json_object_get(abi, "abi");
	if (!json_is_array(abi))
		return denai_err_set(err, DENAI_EDATA,
		    "abi: expected a JSON ABI array or an object with \"abi\"");
	if ((*sigs = calloc(json_array_size(abi) + 1, sizeof(**sigs))) ==
	    NULL)
		return denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
	json_array_foreach(abi, i, e) {
		const char *t = json_string_value(json_object_get(e, "type"));

		if (t == NULL || strcmp(t, kind) != 0)
			continue;
		if (((*sigs)[*n] = denai_abi_sig_from_json(e, err)) == NULL) {
			denai_err_prefix(err, "abi entry %zu", i);
			denai_abi_sigs_free(*sigs, *n);
			*sigs = NULL;
			*n = 0;
			return -1;
		}
		(*n)++;
	}
	return 0;
}
