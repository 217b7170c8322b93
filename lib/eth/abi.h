/*
 * abi.h - the Solidity contract ABI: types, signatures, selectors, event
 * topics, encoding, and bounded decoding of calldata, return data, logs and
 * revert data.
 *
 * Values are Jansson json_t, so that tools can print them:
 *   uintN, intN   decimal strings ("123", "-5"); encode also takes "0x" hex
 *                 strings (unsigned) and JSON integers
 *   address       "0x" and 40 hex digits (decode writes lowercase)
 *   bool          true / false (encode also takes "true" / "false")
 *   bytesN, bytes "0x" hex strings (bytesN exactly N bytes)
 *   string        JSON strings (decode replaces invalid UTF-8 by U+FFFD)
 *   T[], T[k], tuples   JSON arrays
 *
 * Ownership: denai_abi_type and denai_abi_sig are heap objects from their
 * _parse functions, freed with _free (NULL is a no-op). Returned json_t are
 * new references the caller decrefs; returned byte arrays are malloc'd.
 *
 * Decoding takes a length and never reads past it. It refuses offsets and
 * lengths past the end, non-zero padding (the high bits of uintN, address
 * and bool words, the low bytes of bytesN, the tail of bytes and string),
 * intN words that are not sign-extended, bools other than 0 and 1, and
 * inputs that would expand to more than DENAI_ABI_MAX_VALUES values.
 * Messages name the value by its path ("[2][0]"), its type and the byte
 * offset of the word at fault.
 */
#ifndef DENAI_ABI_H
#define DENAI_ABI_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/u256.h"

#define DENAI_ABI_MAX_DEPTH 32		/* nesting of arrays and tuples */
#define DENAI_ABI_MAX_VALUES (1 << 20)	/* values one decode may produce */

enum denai_abi_kind {
	DENAI_ABI_UINT,		/* bits 8..256 */
	DENAI_ABI_INT,		/* bits 8..256 */
	DENAI_ABI_ADDRESS,
	DENAI_ABI_BOOL,
	DENAI_ABI_FBYTES,	/* bytesN: size 1..32 */
	DENAI_ABI_BYTES,
	DENAI_ABI_STRING,
	DENAI_ABI_ARRAY,	/* elem[] */
	DENAI_ABI_FARRAY,	/* elem[size] */
	DENAI_ABI_TUPLE,	/* (fields...) */
};

typedef struct denai_abi_type {
	int kind;			/* enum denai_abi_kind */
	unsigned bits;			/* UINT, INT */
	size_t size;			/* FBYTES: bytes; FARRAY: elements */
	struct denai_abi_type *elem;	/* ARRAY, FARRAY */
	struct denai_abi_type **fields;	/* TUPLE */
	size_t nfields;
	int indexed;			/* event parameter marked indexed */
	char *name;			/* parameter name, or NULL */
} denai_abi_type;

/*
 * Parses one type: "uint256", "int8", "uint" (uint256), "address", "bool",
 * "bytes32", "bytes", "string", "uint256[]", "address[3]",
 * "(uint256,string)[]", "tuple(uint256,string)". Whitespace around names
 * is allowed.
 * Returns: a new type, or NULL naming what is wrong and where.
 */
denai_abi_type *denai_abi_type_parse(const char *s, size_t len,
    denai_err *err);
void denai_abi_type_free(denai_abi_type *t);
/* Returns: 1 if t has a dynamic encoding (bytes, string, T[], or holds one). */
int denai_abi_type_is_dynamic(const denai_abi_type *t);
/* Returns: the bytes t takes in the head of its enclosing tuple. */
size_t denai_abi_type_head_size(const denai_abi_type *t);
/* Returns: a new malloc'd canonical form ("uint256", "(uint256,string)[]"),
 * or NULL on no memory. */
char *denai_abi_type_canonical(const denai_abi_type *t);

/* A function, event or error signature. */
typedef struct denai_abi_sig {
	char *name;
	denai_abi_type *inputs;		/* TUPLE */
	denai_abi_type *outputs;	/* TUPLE, or NULL when none given */
	char *canonical;		/* "name(uint256,string)" */
} denai_abi_sig;

/*
 * Parses "name(T1,T2,...)" with optional returns "(R1,...)" after it, as in
 * "balanceOf(address)(uint256)"; a leading "function ", "event " or
 * "error " is skipped. Each parameter is a type, optionally followed by
 * "indexed" and a name: "Transfer(address indexed from,address indexed
 * to,uint256 value)".
 * Returns: a new signature, or NULL.
 */
denai_abi_sig *denai_abi_sig_parse(const char *s, denai_err *err);
void denai_abi_sig_free(denai_abi_sig *sig);

/*
 * Reads one JSON ABI entry as solc and forge write it: {"type": "function"
 * | "event" | "error", "name", "inputs": [{"type", "name", "indexed",
 * "components"}], "outputs"}. Tuple parameters ("tuple", "tuple[]",
 * "tuple[2]") take their fields from "components".
 * Returns: a new signature, or NULL.
 */
denai_abi_sig *denai_abi_sig_from_json(const json_t *entry, denai_err *err);
/*
 * Reads every entry of one kind ("function", "event", "error") of a JSON
 * ABI: an array of entries, or an artifact object with an "abi" member.
 * Out: *sigs, a new array of *n signatures, freed by denai_abi_sigs_free.
 * Returns: 0, or -1 naming the entry that could not be read.
 */
int denai_abi_sigs_from_json(denai_abi_sig ***sigs, size_t *n,
    const json_t *abi, const char *kind, denai_err *err) DENAI_WUR;
void denai_abi_sigs_free(denai_abi_sig **sigs, size_t n);

/* Out: the 4-byte function selector, keccak256(canonical)[0..4). */
void denai_abi_selector(uint8_t out[4], const denai_abi_sig *sig);

/*
 * A decoded uint or int value (a decimal string, as the decoder gives it)
 * as a number. Returns: 0, or -1 (DENAI_EDATA: not a string, not a
 * number, or for _u64 over 64 bits).
 */
int denai_abi_value_u256(denai_u256 *v, const json_t *s, denai_err *err)
    DENAI_WUR;
int denai_abi_value_u64(uint64_t *v, const json_t *s, denai_err *err)
    DENAI_WUR;
/* Out: an event's topic 0, keccak256(canonical). */
void denai_abi_topic0(uint8_t out[32], const denai_abi_sig *sig);

/*
 * Encodes v, a JSON array with one value per field of the tuple type t.
 * Out: *out, malloc'd, *outlen bytes.
 * Returns: 0, or -1 naming the value (path and type) that does not fit.
 */
int denai_abi_encode(uint8_t **out, size_t *outlen, const denai_abi_type *t,
    const json_t *v, denai_err *err) DENAI_WUR;
/* Encodes one value of any type t as the single field of a tuple. */
int denai_abi_encode_one(uint8_t **out, size_t *outlen,
    const denai_abi_type *t, const json_t *v, denai_err *err) DENAI_WUR;
/* Calldata: the selector of sig, then args encoded for sig->inputs. */
int denai_abi_calldata(uint8_t **out, size_t *outlen,
    const denai_abi_sig *sig, const json_t *args, denai_err *err) DENAI_WUR;

/*
 * Decodes in[0..len) as an encoding of the tuple type t.
 * Returns: a new JSON array (one value per field), or NULL.
 */
json_t *denai_abi_decode(const denai_abi_type *t, const uint8_t *in,
    size_t len, denai_err *err);
/* Decodes calldata for sig: checks the selector, then the arguments. */
json_t *denai_abi_decode_calldata(const denai_abi_sig *sig,
    const uint8_t *in, size_t len, denai_err *err);

/*
 * Decodes an event log against an event signature with indexed markers:
 * topics[0] must be the event's topic 0; each indexed parameter takes the
 * next topic (a dynamic one, whose value only survives hashed, comes back
 * as the "0x" topic itself); the rest are decoded from data.
 * Returns: a new JSON object {"event": name, "signature": canonical,
 * "args": [values in parameter order]} and, when every parameter has a
 * name, "named": {name: value}; or NULL.
 */
json_t *denai_abi_decode_log(const denai_abi_sig *ev,
    const uint8_t (*topics)[32], size_t ntopics, const uint8_t *data,
    size_t len, denai_err *err);

/*
 * Decodes revert data: Error(string), Panic(uint256), or one of the nerrs
 * custom error signatures matched by selector.
 * Returns: a new JSON object {"error": name, "signature": canonical,
 * "args": [...], "message": one line for people}, where a panic adds
 * "code" and the message names the code's meaning; empty data gives
 * {"error": null, "message": "reverted without data"}. NULL for an unknown
 * selector (the message names it) or bad data.
 */
json_t *denai_abi_decode_revert(const uint8_t *data, size_t len,
    denai_abi_sig *const *errs, size_t nerrs, denai_err *err);

/* Returns: the meaning of a Solidity panic code ("arithmetic overflow or
 * underflow"), or NULL for a code Solidity does not define. */
const char *denai_abi_panic_reason(uint64_t code);

#endif
