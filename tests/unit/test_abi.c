/* test_abi.c - ABI types, selectors, topics, encoding and strict decoding:
 * the Solidity documentation's examples and error cases with messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../tap.h"
#include "eth/abi.h"
#include "eth/hex.h"

static uint8_t *
unhex(const char *s, size_t *n)
{
	size_t len = strlen(s);
	uint8_t *p = malloc(len / 2 + 1);

	if (p == NULL || denai_hex_decode(p, len / 2 + 1, n, s, len, 0,
	    NULL) != 0) {
		diag("bad hex in test: %.40s", s);
		*n = 0;
	}
	return p;
}

static char *
dumps(const json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static void
type_ok(const char *in, const char *canon, int dynamic, size_t head)
{
	denai_err err;
	denai_abi_type *t = denai_abi_type_parse(in, strlen(in), &err);
	char *c = t ? denai_abi_type_canonical(t) : NULL;

	if (!ok(t != NULL, "type \"%s\" parses", in))
		diag("%s", err.msg);
	is_str(c, canon, "  canonical");
	if (t != NULL) {
		is_int(denai_abi_type_is_dynamic(t), dynamic, "  dynamic");
		is_int((long long)denai_abi_type_head_size(t), (long long)head,
		    "  head size");
	}
	free(c);
	denai_abi_type_free(t);
}

static void
type_bad(const char *in, const char *msg)
{
	denai_err err;
	denai_abi_type *t;

	memset(&err, 0, sizeof(err));
	t = denai_abi_type_parse(in, strlen(in), &err);
	ok(t == NULL, "type \"%s\" refused", in);
	is_str(err.msg, msg, "  message");
	denai_abi_type_free(t);
}

/* Calldata for sig with args must be want; decoding it gives back args
 * (as canonical JSON: want_json). */
static void
calldata(const char *sig, const char *args, const char *want,
    const char *want_json)
{
	denai_err err;
	denai_abi_sig *s = denai_abi_sig_parse(sig, &err);
	json_t *a = json_loads(args, 0, NULL), *back;
	uint8_t *out = NULL;
	size_t n;
	char *h = NULL, *j;

	if (s == NULL || a == NULL) {
		ok(0, "%s: setup (%s)", sig, s ? "bad json" : err.msg);
		goto out;
	}
	if (denai_abi_calldata(&out, &n, s, a, &err) != 0) {
		ok(0, "%s: encodes (%s)", sig, err.msg);
		goto out;
	}
	h = denai_hex_dup(out, n);
	is_str(h, want, sig);
	back = denai_abi_decode_calldata(s, out, n, &err);
	j = dumps(back);
	if (!is_str(j, want_json, "  decodes back") && back == NULL)
		diag("%s", err.msg);
	free(j);
	json_decref(back);
out:
	free(h);
	free(out);
	json_decref(a);
	denai_abi_sig_free(s);
}

static void
enc_bad(const char *types, const char *args, const char *msg)
{
	denai_err err;
	denai_abi_type *t = denai_abi_type_parse(types, strlen(types), &err);
	json_t *a = json_loads(args, 0, NULL);
	uint8_t *out = NULL;
	size_t n;

	memset(&err, 0, sizeof(err));
	ok(t != NULL && a != NULL && denai_abi_encode(&out, &n, t, a,
	    &err) == -1 && out == NULL, "encode %s %s refused", types, args);
	is_str(err.msg, msg, "  message");
	json_decref(a);
	denai_abi_type_free(t);
}

static void
dec_bad(const char *types, const char *hx, const char *msg)
{
	denai_err err;
	denai_abi_type *t = denai_abi_type_parse(types, strlen(types), &err);
	uint8_t *in;
	size_t n;
	json_t *v;

	in = unhex(hx, &n);
	memset(&err, 0, sizeof(err));
	v = t ? denai_abi_decode(t, in, n, &err) : NULL;
	ok(t != NULL && v == NULL && err.code == DENAI_EDATA,
	    "decode %s refuses %.24s...", types, hx);
	is_str(err.msg, msg, "  message");
	json_decref(v);
	free(in);
	denai_abi_type_free(t);
}

static void
dec_ok(const char *types, const char *hx, const char *want)
{
	denai_err err;
	denai_abi_type *t = denai_abi_type_parse(types, strlen(types), &err);
	uint8_t *in;
	size_t n;
	json_t *v;
	char *j;

	in = unhex(hx, &n);
	v = t ? denai_abi_decode(t, in, n, &err) : NULL;
	j = dumps(v);
	if (!is_str(j, want, types) && v == NULL)
		diag("%s", err.msg);
	free(j);
	json_decref(v);
	free(in);
	denai_abi_type_free(t);
}

#define W0 "0000000000000000000000000000000000000000000000000000000000000000"
#define W1 "0000000000000000000000000000000000000000000000000000000000000001"
#define W20 "0000000000000000000000000000000000000000000000000000000000000020"
#define WFF "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

static void
revert(const char *hx, denai_abi_sig *const *errs, size_t nerrs,
    const char *want)
{
	denai_err err;
	uint8_t *in;
	size_t n;
	json_t *v;
	char *j;

	in = unhex(hx, &n);
	memset(&err, 0, sizeof(err));
	v = denai_abi_decode_revert(in, n, errs, nerrs, &err);
	j = v ? dumps(v) : strdup(err.msg);
	is_str(j, want, "revert data");
	free(j);
	json_decref(v);
	free(in);
}

int
main(void)
{
	denai_err err;
	denai_abi_sig *s, *errs[2];
	uint8_t sel[4], t0[32], topics[4][32], *in, *out;
	size_t n;
	char h[67];
	json_t *v;
	char *j;

	/* Types. */
	type_ok("uint256", "uint256", 0, 32);
	type_ok("uint", "uint256", 0, 32);
	type_ok("int", "int256", 0, 32);
	type_ok("int8", "int8", 0, 32);
	type_ok("address", "address", 0, 32);
	type_ok("bool", "bool", 0, 32);
	type_ok("bytes32", "bytes32", 0, 32);
	type_ok("bytes1", "bytes1", 0, 32);
	type_ok("bytes", "bytes", 1, 32);
	type_ok("string", "string", 1, 32);
	type_ok("uint256[]", "uint256[]", 1, 32);
	type_ok("address[3]", "address[3]", 0, 96);
	type_ok("(uint256,string)[]", "(uint256,string)[]", 1, 32);
	type_ok("tuple(uint256,bool)", "(uint256,bool)", 0, 64);
	type_ok("( uint a , (bool,bytes2)[2] b )[3][]",
	    "(uint256,(bool,bytes2)[2])[3][]", 1, 32);
	type_ok("string[2]", "string[2]", 1, 32);
	type_ok("(uint8[2],int16)[2]", "(uint8[2],int16)[2]", 0, 192);
	type_bad("uint7", "abi: type \"uint7\": unknown type at position 0");
	type_bad("uint264", "abi: type \"uint264\": unknown type at position 0");
	type_bad("uint08", "abi: type \"uint08\": unknown type at position 0");
	type_bad("bytes0", "abi: type \"bytes0\": unknown type at position 0");
	type_bad("bytes33", "abi: type \"bytes33\": unknown type at position 0");
	type_bad("uint256[0]", "abi: type \"uint256[0]\": bad array length at "
	    "position 8");
	type_bad("uint256[", "abi: type \"uint256[\": expected ']' at position "
	    "8");
	type_bad("(uint256", "abi: type \"(uint256\": expected ',' or ')' at "
	    "position 8");
	type_bad("()", "abi: type \"()\": empty tuple at position 1");
	type_bad("uint256 x y", "abi: type \"uint256 x y\": unexpected "
	    "character at position 8");
	type_bad("", "abi: type \"\": expected a type at position 0");
	type_bad("uint256[1000000][1000000]", "abi: type \"uint256[1000000]"
	    "[1000000]\": fixed array too large at position 8");
	{
		char deep[128], msg[256];

		strcpy(deep, "uint");
		for (int k = 0; k < 40; k++)
			strcat(deep, "[]");
		/* The type is depth 1, each [] one more: the 32nd '[' fails. */
		snprintf(msg, sizeof(msg), "abi: type \"%s\": types nested too "
		    "deep at position %d", deep, 4 + 2 * 31);
		type_bad(deep, msg);
	}
	ok(denai_abi_type_parse("fixed128x18", 11, &err) == NULL &&
	    err.code == DENAI_EUNSUP, "fixed is unsupported");
	is_str(err.msg, "abi: type \"fixed128x18\": fixed128x18 is not "
	    "supported", "  message");

	/* Signatures, selectors, topics. */
	s = denai_abi_sig_parse("function transfer(address to, uint256 amount)"
	    " returns (bool)", &err);
	ok(s != NULL, "function with names and returns parses");
	if (s != NULL) {
		is_str(s->canonical, "transfer(address,uint256)", "  canonical");
		denai_abi_selector(sel, s);
		is_str(denai_hex_encode(h, sel, 4), "0xa9059cbb", "  selector");
		ok(s->outputs != NULL && s->outputs->nfields == 1 &&
		    s->outputs->fields[0]->kind == DENAI_ABI_BOOL, "  returns");
		is_str(s->inputs->fields[0]->name, "to", "  name");
	}
	denai_abi_sig_free(s);
	s = denai_abi_sig_parse("event Transfer(address indexed from, address "
	    "indexed to, uint256 value)", &err);
	ok(s != NULL, "event parses");
	if (s != NULL) {
		denai_abi_topic0(t0, s);
		is_str(denai_hex_encode(h, t0, 32), "0xddf252ad1be2c89b69c2b068fc"
		    "378daa952ba7f163c4a11628f55a4df523b3ef", "  topic0");
		ok(s->inputs->fields[0]->indexed &&
		    !s->inputs->fields[2]->indexed, "  indexed markers");
	}
	denai_abi_sig_free(s);
	s = denai_abi_sig_parse("balanceOf(address)(uint256)", &err);
	ok(s != NULL && s->outputs != NULL, "cast-style returns");
	denai_abi_sig_free(s);
	ok(denai_abi_sig_parse("(uint256)", &err) == NULL, "no name refused");
	is_str(err.msg, "abi: type \"(uint256)\": expected a name at position 0",
	    "  message");
	ok(denai_abi_sig_parse("f(uint256) x", &err) == NULL,
	    "junk after refused");
	ok(denai_abi_sig_parse("f(uint256 a b c)", &err) == NULL,
	    "two names refused");
	is_str(err.msg, "abi: type \"f(uint256 a b c)\": unexpected word at "
	    "position 12", "  message");

	/* The Solidity documentation's examples. */
	calldata("baz(uint32,bool)", "[69,true]",
	    "0xcdcd77c0" "0000000000000000000000000000000000000000000000000000000000000045" W1,
	    "[\"69\",true]");
	calldata("bar(bytes3[2])", "[[\"0x616263\",\"0x646566\"]]",
	    "0xfce353f6"
	    "6162630000000000000000000000000000000000000000000000000000000000"
	    "6465660000000000000000000000000000000000000000000000000000000000",
	    "[[\"0x616263\",\"0x646566\"]]");
	calldata("sam(bytes,bool,uint256[])", "[\"0x64617665\",true,[1,2,3]]",
	    "0xa5643bf2"
	    "0000000000000000000000000000000000000000000000000000000000000060" W1
	    "00000000000000000000000000000000000000000000000000000000000000a0"
	    "0000000000000000000000000000000000000000000000000000000000000004"
	    "6461766500000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000003" W1
	    "0000000000000000000000000000000000000000000000000000000000000002"
	    "0000000000000000000000000000000000000000000000000000000000000003",
	    "[\"0x64617665\",true,[\"1\",\"2\",\"3\"]]");
	calldata("f(uint256,uint32[],bytes10,bytes)",
	    "[\"0x123\",[\"0x456\",\"0x789\"],\"0x31323334353637383930\","
	    "\"0x48656c6c6f2c20776f726c6421\"]",
	    "0x8be65246"
	    "0000000000000000000000000000000000000000000000000000000000000123"
	    "0000000000000000000000000000000000000000000000000000000000000080"
	    "3132333435363738393000000000000000000000000000000000000000000000"
	    "00000000000000000000000000000000000000000000000000000000000000e0"
	    "0000000000000000000000000000000000000000000000000000000000000002"
	    "0000000000000000000000000000000000000000000000000000000000000456"
	    "0000000000000000000000000000000000000000000000000000000000000789"
	    "000000000000000000000000000000000000000000000000000000000000000d"
	    "48656c6c6f2c20776f726c642100000000000000000000000000000000000000",
	    "[\"291\",[\"1110\",\"1929\"],\"0x31323334353637383930\","
	    "\"0x48656c6c6f2c20776f726c6421\"]");
	calldata("g(uint256[][],string[])",
	    "[[[1,2],[3]],[\"one\",\"two\",\"three\"]]",
	    "0x2289b18c"
	    "0000000000000000000000000000000000000000000000000000000000000040"
	    "0000000000000000000000000000000000000000000000000000000000000140"
	    "0000000000000000000000000000000000000000000000000000000000000002"
	    "0000000000000000000000000000000000000000000000000000000000000040"
	    "00000000000000000000000000000000000000000000000000000000000000a0"
	    "0000000000000000000000000000000000000000000000000000000000000002" W1
	    "0000000000000000000000000000000000000000000000000000000000000002" W1
	    "0000000000000000000000000000000000000000000000000000000000000003"
	    "0000000000000000000000000000000000000000000000000000000000000003"
	    "0000000000000000000000000000000000000000000000000000000000000060"
	    "00000000000000000000000000000000000000000000000000000000000000a0"
	    "00000000000000000000000000000000000000000000000000000000000000e0"
	    "0000000000000000000000000000000000000000000000000000000000000003"
	    "6f6e650000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000003"
	    "74776f0000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000005"
	    "7468726565000000000000000000000000000000000000000000000000000000",
	    "[[[\"1\",\"2\"],[\"3\"]],[\"one\",\"two\",\"three\"]]");
	calldata("f(int8,int256,uint8)", "[\"-128\",\"-1\",\"255\"]",
	    "0x8b79442b"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80"
	    WFF
	    "00000000000000000000000000000000000000000000000000000000000000ff",
	    "[\"-128\",\"-1\",\"255\"]");
	calldata("f()", "[]", "0x26121ff0", "[]");

	/* Encoding errors name the value. */
	enc_bad("(uint8)", "[256]", "abi: value [0] (uint8): 256 does not fit");
	enc_bad("(int8)", "[\"-129\"]", "abi: value [0] (int8): -129 does not "
	    "fit");
	enc_bad("(int8)", "[128]", "abi: value [0] (int8): 128 does not fit");
	enc_bad("(uint256)", "[\"-1\"]", "abi: value [0] (uint256): negative "
	    "number");
	enc_bad("(uint256)", "[\"12x\"]", "abi: value [0] (uint256): bad "
	    "decimal digit 'x' at position 2");
	enc_bad("(bool,uint8[])", "[true,[1,\"x\"]]", "abi: value [1][1] "
	    "(uint8): bad decimal digit 'x' at position 0");
	enc_bad("(address)", "[\"0x1234\"]", "abi: value [0] (address): "
	    "expected 20 bytes");
	enc_bad("(bytes2)", "[\"0x123456\"]", "abi: value [0] (bytes2): "
	    "expected 2 bytes, got 3");
	enc_bad("(bytes)", "[\"0x12z4\"]", "abi: value [0] (bytes): bad hex "
	    "digit 'z' at position 4");
	enc_bad("(bool)", "[1]", "abi: value [0] (bool): expected true or "
	    "false");
	enc_bad("(uint8[2])", "[[1]]", "abi: value [0] (uint8[2]): expected "
	    "an array of 2");
	enc_bad("(string)", "[1]", "abi: value [0] (string): expected a "
	    "string");
	enc_bad("(uint8,uint8)", "[1]", "abi: expected 2 values, got 1");

	/* Strict decoding. */
	dec_ok("(uint8,int8,bool,address,bytes2)",
	    "00000000000000000000000000000000000000000000000000000000000000ff"
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80" W1
	    "000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045"
	    "abcd000000000000000000000000000000000000000000000000000000000000",
	    "[\"255\",\"-128\",true,\"0xd8da6bf26964af9d7eed9e03e53415d37aa96045\","
	    "\"0xabcd\"]");
	dec_bad("(uint8)", "0000000000000000000000000000000000000000000000000000"
	    "000000000100", "abi: value [0] (uint8) at offset 0: non-zero bits "
	    "above bit 8");
	dec_bad("(int8)", "00000000000000000000000000000000000000000000000000000"
	    "00000000080", "abi: value [0] (int8) at offset 0: not sign-extended "
	    "from bit 8");
	dec_bad("(bool)", "0000000000000000000000000000000000000000000000000000"
	    "000000000002", "abi: value [0] (bool) at offset 0: bool word is "
	    "neither 0 nor 1");
	dec_bad("(address)", "000000000000000000000001d8da6bf26964af9d7eed9e03"
	    "e53415d37aa96045", "abi: value [0] (address) at offset 0: non-zero "
	    "bytes before the 20-byte address");
	dec_bad("(bytes2)", "abcd01000000000000000000000000000000000000000000"
	    "0000000000000000", "abi: value [0] (bytes2) at offset 0: non-zero "
	    "bytes after the first 2");
	dec_bad("(uint256,uint256)", W1, "abi: value [1] (uint256) at offset 32:"
	    " 32-byte word runs past the end of the 32-byte input");
	dec_bad("(string)", "0000000000000000000000000000000000000000000000000000"
	    "000000000040", "abi: value [0] (string) at offset 0: offset "
	    "0x0000000000000000000000000000000000000000000000000000000000000040 "
	    "is larger than the 32-byte input");
	dec_bad("(string)", W20 W20, "abi: value [0] (string) at offset 32: 32 "
	    "bytes and their padding run past the end of the 64-byte input");
	dec_bad("(bytes)", W20 "0000000000000000000000000000000000000000000000"
	    "000000000000000002" "abcd" "000000000000000000000000000000000000"
	    "0000000000000000000000ff", "abi: value [0] (bytes) at offset 66: "
	    "non-zero padding");
	dec_bad("(uint256[])", W20 "00000000000000000000000000000000000000000000"
	    "00000000000000000003" W1 W1, "abi: value [0] (uint256[]) at offset "
	    "32: 3 elements run past the end of the 128-byte input");
	dec_bad("(uint256[])", W20 WFF, "abi: value [0] (uint256[]) at offset "
	    "32: length 0xffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	    "ffffffffff is larger than the 64-byte input");
	dec_bad("(string[])", W20 W1 "00000000000000000000000000000000000000000"
	    "00000000000000000000060", "abi: value [0][0] (string) at offset 64:"
	    " offset 96 from 64 points past the end of the 96-byte input");
	dec_ok("(string,bytes)", "0000000000000000000000000000000000000000000000"
	    "000000000000000040" "000000000000000000000000000000000000000000000"
	    "0000000000000000080" "00000000000000000000000000000000000000000000"
	    "00000000000000000003" "ff41c3000000000000000000000000000000000000"
	    "0000000000000000000000" W0, "[\"\xef\xbf\xbd" "A\xef\xbf\xbd\",\"0x\"]");

	/* An input whose 1100 inner arrays all alias one 1100-word array
	 * would expand to 1.2 million values from 70 KB: refused. */
	{
		size_t L = 1100, M = 1100, len = 32 * (3 + L + M);
		uint8_t *bomb = calloc(1, len);
		denai_abi_type *t = denai_abi_type_parse("(uint256[][])", 13,
		    &err);

		bomb[31] = 0x20;
		bomb[32 + 30] = (uint8_t)(L >> 8);
		bomb[32 + 31] = (uint8_t)L;
		for (size_t k = 0; k < L; k++) {
			bomb[64 + 32 * k + 30] = (uint8_t)((32 * L) >> 8);
			bomb[64 + 32 * k + 31] = (uint8_t)(32 * L);
		}
		bomb[64 + 32 * L + 30] = (uint8_t)(M >> 8);
		bomb[64 + 32 * L + 31] = (uint8_t)M;
		v = denai_abi_decode(t, bomb, len, &err);
		ok(v == NULL && strstr(err.msg, "more than 1048576 values") !=
		    NULL, "aliased arrays refused past the value cap: %s",
		    err.msg);
		json_decref(v);
		/* The same with 900 outer entries decodes (990,900 values). */
		bomb[32 + 30] = (uint8_t)(900 >> 8);
		bomb[32 + 31] = (uint8_t)900;
		v = denai_abi_decode(t, bomb, len, &err);
		ok(v != NULL && json_array_size(json_array_get(v, 0)) == 900,
		    "under the cap it decodes");
		json_decref(v);
		free(bomb);
		denai_abi_type_free(t);
	}

	/* Event logs. */
	s = denai_abi_sig_parse("PredictionRequested(uint256 indexed id,uint256 "
	    "indexed modelId,address indexed requester,string input,uint256 fee,"
	    "bytes32 inputHash,uint256 deadline)", &err);
	ok(s != NULL, "PredictionRequested parses");
	denai_abi_topic0(topics[0], s);
	memset(topics[1], 0, 96);
	topics[1][31] = 7;
	topics[2][31] = 3;
	memset(topics[3] + 12, 0xab, 20);
	in = unhex("0000000000000000000000000000000000000000000000000000000000000080"
	    "00000000000000000000000000000000000000000000000000000000000003e8"
	    "1111111111111111111111111111111111111111111111111111111111111111"
	    "0000000000000000000000000000000000000000000000000000000000000064"
	    "0000000000000000000000000000000000000000000000000000000000000002"
	    "6869000000000000000000000000000000000000000000000000000000000000", &n);
	v = denai_abi_decode_log(s, (const uint8_t (*)[32])topics, 4, in, n,
	    &err);
	j = dumps(json_object_get(v, "args"));
	is_str(j, "[\"7\",\"3\",\"0xabababababababababababababababababababab\","
	    "\"hi\",\"1000\",\"0x1111111111111111111111111111111111111111111111"
	    "111111111111111111\",\"100\"]", "log args in parameter order");
	free(j);
	j = dumps(json_object_get(json_object_get(v, "named"), "requester"));
	is_str(j, "\"0xabababababababababababababababababababab\"", "named args");
	free(j);
	json_decref(v);
	v = denai_abi_decode_log(s, (const uint8_t (*)[32])topics, 3, in, n,
	    &err);
	ok(v == NULL, "missing topic refused");
	is_str(err.msg, "abi: PredictionRequested(uint256,uint256,address,"
	    "string,uint256,bytes32,uint256) has 3 indexed parameters but the "
	    "log has 2 topics after topic 0", "  message");
	topics[3][0] = 1;
	v = denai_abi_decode_log(s, (const uint8_t (*)[32])topics, 4, in, n,
	    &err);
	ok(v == NULL, "dirty address topic refused");
	is_str(err.msg, "PredictionRequested(uint256,uint256,address,string,"
	    "uint256,bytes32,uint256): topic 3: abi: value [0] (address) at "
	    "offset 0: non-zero bytes before the 20-byte address", "  message");
	topics[0][0] ^= 1;
	v = denai_abi_decode_log(s, (const uint8_t (*)[32])topics, 4, in, n,
	    &err);
	ok(v == NULL && strncmp(err.msg, "abi: log topic 0 0x", 19) == 0,
	    "wrong topic 0 refused: %s", err.msg);
	free(in);
	denai_abi_sig_free(s);
	s = denai_abi_sig_parse("Named(string indexed tag, uint256[] indexed "
	    "xs)", &err);
	denai_abi_topic0(topics[0], s);
	memset(topics[1], 0x22, 32);
	memset(topics[2], 0x33, 32);
	v = denai_abi_decode_log(s, (const uint8_t (*)[32])topics, 3, NULL, 0,
	    &err);
	j = dumps(json_object_get(v, "args"));
	is_str(j, "[\"0x2222222222222222222222222222222222222222222222222222222222"
	    "222222\",\"0x33333333333333333333333333333333333333333333333333333333"
	    "33333333\"]", "indexed dynamic values come back as their topics");
	free(j);
	json_decref(v);
	denai_abi_sig_free(s);

	/* Revert data. */
	errs[0] = denai_abi_sig_parse("error InsufficientStake(uint256 have, "
	    "uint256 want)", &err);
	errs[1] = denai_abi_sig_parse("Unauthorized(address)", &err);
	revert("0x08c379a0" W20 "000000000000000000000000000000000000000000000"
	    "000000000000000001a4e6f7420656e6f7567682045746865722070726f7669646564"
	    "2e000000000000", errs, 2, "{\"error\":\"Error\",\"signature\":"
	    "\"Error(string)\",\"args\":[\"Not enough Ether provided.\"],"
	    "\"message\":\"Not enough Ether provided.\"}");
	revert("0x4e487b71" "00000000000000000000000000000000000000000000000000"
	    "00000000000011", errs, 2, "{\"error\":\"Panic\",\"signature\":"
	    "\"Panic(uint256)\",\"args\":[\"17\"],\"message\":\"panic 0x11: "
	    "arithmetic overflow or underflow\",\"code\":\"0x11\"}");
	revert("0x4e487b71" "00000000000000000000000000000000000000000000000000"
	    "000000000000ff", errs, 2, "{\"error\":\"Panic\",\"signature\":"
	    "\"Panic(uint256)\",\"args\":[\"255\"],\"message\":\"panic 0xff: "
	    "unknown panic code\",\"code\":\"0xff\"}");
	denai_abi_selector(sel, errs[0]);
	snprintf(h, sizeof(h), "0x%02x%02x%02x%02x", sel[0], sel[1], sel[2],
	    sel[3]);
	{
		char buf[300];

		snprintf(buf, sizeof(buf), "%s%s%s", h,
		    "0000000000000000000000000000000000000000000000000000000000000005",
		    "0000000000000000000000000000000000000000000000000000000000000064");
		revert(buf, errs, 2, "{\"error\":\"InsufficientStake\","
		    "\"signature\":\"InsufficientStake(uint256,uint256)\",\"args\":"
		    "[\"5\",\"100\"],\"message\":\"InsufficientStake(5, 100)\"}");
	}
	revert("0x", errs, 2, "{\"error\":null,\"message\":\"reverted without "
	    "data\"}");
	revert("0x08c3", errs, 2, "abi: 2 bytes of revert data, too short for "
	    "a selector");
	revert("0xdeadbeef", errs, 2, "abi: unknown error selector 0xdeadbeef "
	    "(4 bytes of revert data)");
	revert("0x08c379a0" W20, errs, 2, "revert Error(string): abi: value [0] "
	    "(string) at offset 32: 32-byte word runs past the end of the "
	    "32-byte input");
	is_str(denai_abi_panic_reason(0x32), "array index out of bounds",
	    "panic 0x32 meaning");
	ok(denai_abi_panic_reason(0x99) == NULL, "panic 0x99 undefined");
	denai_abi_sig_free(errs[0]);
	denai_abi_sig_free(errs[1]);

	/* Calldata with the wrong selector. */
	s = denai_abi_sig_parse("submitSolution(uint256,uint256,uint256)", &err);
	in = unhex("0xdeadbeef", &n);
	v = denai_abi_decode_calldata(s, in, n, &err);
	ok(v == NULL, "wrong selector refused");
	denai_abi_selector(sel, s);
	{
		char want[200];

		snprintf(want, sizeof(want), "abi: calldata selector 0xdeadbeef "
		    "is not submitSolution(uint256,uint256,uint256)'s "
		    "0x%02x%02x%02x%02x", sel[0], sel[1], sel[2], sel[3]);
		is_str(err.msg, want, "  message");
	}
	free(in);
	denai_abi_sig_free(s);

	/* JSON ABI entries. */
	{
		const char *js = "{\"abi\":["
		    "{\"type\":\"function\",\"name\":\"submit\",\"inputs\":["
		    "{\"name\":\"id\",\"type\":\"uint256\"},"
		    "{\"name\":\"s\",\"type\":\"tuple[]\",\"components\":["
		    "{\"name\":\"a\",\"type\":\"address\"},"
		    "{\"name\":\"b\",\"type\":\"tuple\",\"components\":["
		    "{\"name\":\"\",\"type\":\"bytes32[2]\"}]}]}],"
		    "\"outputs\":[{\"name\":\"\",\"type\":\"bool\"}]},"
		    "{\"type\":\"event\",\"name\":\"E\",\"inputs\":["
		    "{\"name\":\"indexed\",\"type\":\"uint8\",\"indexed\":true},"
		    "{\"name\":\"x\",\"type\":\"string\",\"indexed\":false}]},"
		    "{\"type\":\"error\",\"name\":\"Nope\",\"inputs\":[]},"
		    "{\"type\":\"error\",\"name\":\"Low\",\"inputs\":["
		    "{\"name\":\"have\",\"type\":\"uint256\"}]}]}";
		json_t *abi = json_loads(js, 0, NULL);
		denai_abi_sig **sigs = NULL;
		size_t ns = 0;

		ok(abi != NULL && denai_abi_sigs_from_json(&sigs, &ns, abi,
		    "function", &err) == 0 && ns == 1, "one function in the ABI");
		if (ns == 1) {
			is_str(sigs[0]->canonical, "submit(uint256,(address,"
			    "(bytes32[2]))[])", "  tuple components");
			ok(sigs[0]->outputs != NULL &&
			    sigs[0]->outputs->nfields == 1, "  outputs");
			is_str(sigs[0]->inputs->fields[1]->name, "s", "  name");
		}
		denai_abi_sigs_free(sigs, ns);
		ok(denai_abi_sigs_from_json(&sigs, &ns, abi, "event", &err) ==
		    0 && ns == 1, "one event");
		if (ns == 1) {
			is_str(sigs[0]->canonical, "E(uint8,string)",
			    "  event canonical");
			ok(sigs[0]->inputs->fields[0]->indexed &&
			    sigs[0]->inputs->fields[0]->name == NULL &&
			    !sigs[0]->inputs->fields[1]->indexed,
			    "  indexed flags; a name that is a keyword dropped");
		}
		denai_abi_sigs_free(sigs, ns);
		ok(denai_abi_sigs_from_json(&sigs, &ns, json_object_get(abi,
		    "abi"), "error", &err) == 0 && ns == 2, "two errors from "
		    "the bare array");
		if (ns == 2) {
			uint8_t rd[36];

			denai_abi_selector(rd, sigs[1]);
			memset(rd + 4, 0, 32);
			rd[35] = 9;
			v = denai_abi_decode_revert(rd, 36, sigs, ns, &err);
			is_str(json_string_value(json_object_get(v, "message")),
			    "Low(9)", "  custom error from the ABI decodes");
			json_decref(v);
		}
		denai_abi_sigs_free(sigs, ns);
		json_decref(abi);
		abi = json_loads("[{\"type\":\"event\",\"name\":\"E\","
		    "\"inputs\":[{\"name\":\"a\"}]}]", 0, NULL);
		ok(denai_abi_sigs_from_json(&sigs, &ns, abi, "event", &err) ==
		    -1 && sigs == NULL, "parameter without a type refused");
		is_str(err.msg, "abi entry 0: abi: json parameter without a "
		    "\"type\" string", "  message");
		json_decref(abi);
	}

	/* encode_one */
	{
		denai_abi_type *t = denai_abi_type_parse("string", 6, &err);
		json_t *x = json_string("hi");

		ok(denai_abi_encode_one(&out, &n, t, x, &err) == 0 && n == 96 &&
		    out[31] == 0x20 && out[63] == 2 && out[64] == 'h',
		    "encode_one wraps a dynamic value");
		free(out);
		json_decref(x);
		denai_abi_type_free(t);
	}
	return done_testing();
}
