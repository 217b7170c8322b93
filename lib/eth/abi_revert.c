/* abi_revert.c - decoding revert data: Error(string), Panic(uint256) and
 * custom errors. */
#include "eth/abi_priv.h"

#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"

const char *
denai_abi_panic_reason(uint64_t code)
{
	switch (code) {
	case 0x00: return "generic compiler-inserted panic";
	case 0x01: return "assertion failed";
	case 0x11: return "arithmetic overflow or underflow";
	case 0x12: return "division or modulo by zero";
	case 0x21: return "conversion to an invalid enum value";
	case 0x22: return "incorrectly encoded storage byte array";
	case 0x31: return "pop() on an empty array";
	case 0x32: return "array index out of bounds";
	case 0x41: return "out of memory (allocation too large)";
	case 0x51: return "call to a zero-initialized internal function";
	default: return NULL;
	}
}

/* Appends one value for a message: numbers, hex and bools bare, strings
 * and composites as JSON. */
static void
put_arg(struct denai_abi_sbuf *b, const denai_abi_type *t, const json_t *v)
{
	char *s;

	if (t->kind != DENAI_ABI_STRING && json_is_string(v)) {
		denai_abi_sbuf_putn(b, json_string_value(v),
		    json_string_length(v));
		return;
	}
	if ((s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT)) == NULL) {
		b->oom = 1;
		return;
	}
	denai_abi_sbuf_puts(b, s);
	free(s);
}

/* Builds the result object for a decoded error; takes args. */
static json_t *
result(const denai_abi_sig *sig, json_t *args, const char *message,
    denai_err *err)
{
	json_t *o;

	o = json_pack("{s:s, s:s, s:o, s:s}", "error", sig->name,
	    "signature", sig->canonical, "args", args, "message", message);
	if (o == NULL)
		denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
	return o;
}

static json_t *
decode_with(const denai_abi_sig *sig, const uint8_t *data, size_t len,
    denai_err *err)
{
	struct denai_abi_sbuf b = { 0 };
	json_t *args, *o;
	char *msg;

	if ((args = denai_abi_decode(sig->inputs, data + 4, len - 4, err)) ==
	    NULL) {
		denai_err_prefix(err, "revert %s", sig->canonical);
		return NULL;
	}
	if (strcmp(sig->canonical, "Error(string)") == 0) {
		const json_t *m = json_array_get(args, 0);

		denai_abi_sbuf_putn(&b, json_string_value(m),
		    json_string_length(m));
	} else if (strcmp(sig->canonical, "Panic(uint256)") == 0) {
		denai_u256 code;
		const char *s = json_string_value(json_array_get(args, 0));
		char hx[DENAI_U256_HEX_MAX];
		const char *why;

		if (denai_u256_parse_dec(&code, s, strlen(s), err) != 0) {
			json_decref(args);
			return NULL;
		}
		denai_u256_to_hex(hx, &code);
		why = code.w[1] | code.w[2] | code.w[3] ? NULL :
		    denai_abi_panic_reason(code.w[0]);
		denai_abi_sbuf_puts(&b, "panic ");
		denai_abi_sbuf_puts(&b, hx);
		denai_abi_sbuf_puts(&b, ": ");
		denai_abi_sbuf_puts(&b, why ? why : "unknown panic code");
		if ((msg = denai_abi_sbuf_take(&b)) == NULL)
			goto nomem;
		o = result(sig, args, msg, err);
		free(msg);
		if (o != NULL && json_object_set_new(o, "code",
		    json_string(hx)) != 0) {
			json_decref(o);
			denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
			return NULL;
		}
		return o;
	} else {
		denai_abi_sbuf_puts(&b, sig->name);
		denai_abi_sbuf_puts(&b, "(");
		for (size_t i = 0; i < sig->inputs->nfields; i++) {
			if (i > 0)
				denai_abi_sbuf_puts(&b, ", ");
			put_arg(&b, sig->inputs->fields[i],
			    json_array_get(args, i));
		}
		denai_abi_sbuf_puts(&b, ")");
	}
	if ((msg = denai_abi_sbuf_take(&b)) == NULL)
		goto nomem;
	o = result(sig, args, msg, err);
	free(msg);
	return o;
nomem:
	json_decref(args);
	denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
	return NULL;
}

json_t *
denai_abi_decode_revert(const uint8_t *data, size_t len,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err)
{
	static const char *builtin[] = { "Error(string)", "Panic(uint256)" };
	uint8_t sel[4];
	denai_abi_sig *sig;
	json_t *o;
	char h[11];

	if (len == 0) {
		o = json_pack("{s:n, s:s}", "error", "message",
		    "reverted without data");
		if (o == NULL)
			denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
		return o;
	}
	if (len < 4) {
		denai_err_set(err, DENAI_EDATA, "abi: %zu bytes of revert "
		    "data, too short for a selector", len);
		return NULL;
	}
	for (size_t i = 0; i < 2; i++) {
		if ((sig = denai_abi_sig_parse(builtin[i], err)) == NULL)
			return NULL;
		denai_abi_selector(sel, sig);
		if (memcmp(sel, data, 4) == 0) {
			o = decode_with(sig, data, len, err);
			denai_abi_sig_free(sig);
			return o;
		}
		denai_abi_sig_free(sig);
	}
	for (size_t i = 0; i < nerrs; i++) {
		denai_abi_selector(sel, errs[i]);
		if (memcmp(sel, data, 4) == 0)
			return decode_with(errs[i], data, len, err);
	}
	denai_err_set(err, DENAI_EDATA, "abi: unknown error selector %s "
	    "(%zu bytes of revert data)", denai_hex_encode(h, data, 4), len);
	return NULL;
}
