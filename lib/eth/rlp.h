/*
 * rlp.h - Recursive Length Prefix encoding (Ethereum yellow paper, app. B).
 *
 * Encoding: a denai_rlp_buf is a growable byte buffer, owned by the caller
 * (on the stack or inside another struct), holding a heap array released by
 * denai_rlp_buf_free or handed over by denai_rlp_buf_finish. The append
 * functions never fail on their own: an allocation failure or a misuse (an
 * unbalanced list_end, lists nested deeper than DENAI_RLP_MAX_DEPTH) is
 * remembered and reported once by denai_rlp_buf_finish, so a transaction can
 * be built without checking every call:
 *
 *	denai_rlp_buf b;
 *	denai_rlp_buf_init(&b);
 *	denai_rlp_list_begin(&b);
 *	denai_rlp_put_u64(&b, nonce);
 *	denai_rlp_put_u256(&b, &value);
 *	denai_rlp_put_bytes(&b, to, 20);
 *	denai_rlp_list_end(&b);
 *	if (denai_rlp_buf_finish(&b, &out, &outlen, err) != 0) ...
 *
 * Decoding: items point into the caller's input and live as long as it does.
 * Every reader takes a length, never reads past it, and refuses
 * non-canonical encodings (a single byte below 0x80 wrapped as a string, the
 * long form for a payload under 56 bytes, lengths with leading zeros, lengths
 * past the end, bytes after the one top-level item). Error messages name the
 * offset of the offending item in the outermost input.
 */
#ifndef DENAI_RLP_H
#define DENAI_RLP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/u256.h"

#define DENAI_RLP_MAX_DEPTH 32	/* open lists a builder can hold */
#define DENAI_RLP_MAX_DECODE_DEPTH 1024	/* non-empty lists nested in decode */

typedef struct denai_rlp_buf {
	uint8_t *p;		/* encoded bytes so far (heap) */
	size_t len, cap;
	size_t open[DENAI_RLP_MAX_DEPTH];	/* payload starts of open lists */
	int depth;
	int failed;		/* 0, or a denai_code remembered for finish */
} denai_rlp_buf;

void denai_rlp_buf_init(denai_rlp_buf *b);
/* Releases the heap array; b may be initialised again. NULL is a no-op. */
void denai_rlp_buf_free(denai_rlp_buf *b);

/* Appends a byte string (n may be 0; p may be NULL when n is 0). */
void denai_rlp_put_bytes(denai_rlp_buf *b, const uint8_t *p, size_t n);
/* Appends a NUL-terminated text as a byte string. */
void denai_rlp_put_str(denai_rlp_buf *b, const char *s);
/* Appends an unsigned integer as its minimal big-endian bytes (0 is the
 * empty string, 0x80). */
void denai_rlp_put_u64(denai_rlp_buf *b, uint64_t v);
void denai_rlp_put_u256(denai_rlp_buf *b, const denai_u256 *v);
/* Appends n bytes that already are one or more encoded items, unchanged. */
void denai_rlp_put_raw(denai_rlp_buf *b, const uint8_t *p, size_t n);
/* Opens a list; items appended until the matching list_end are its
 * elements. Lists nest. */
void denai_rlp_list_begin(denai_rlp_buf *b);
void denai_rlp_list_end(denai_rlp_buf *b);

/*
 * Finishes the encoding: all lists must be closed.
 * Out: *out, a malloc'd array of *outlen bytes the caller frees (a non-NULL
 * pointer even for an empty encoding); b is left initialised and empty.
 * Returns: 0, or -1 (out of memory, unbalanced lists); b is freed either way.
 */
int denai_rlp_buf_finish(denai_rlp_buf *b, uint8_t **out, size_t *outlen,
    denai_err *err) DENAI_WUR;

/* Returns: the size of the encoded header for a payload of n bytes of a
 * string (is_list 0; not counting the single-byte case) or a list. */
size_t denai_rlp_header_len(size_t n);

/* One decoded item. */
typedef struct denai_rlp_item {
	int is_list;
	const uint8_t *p;	/* payload: the string's bytes or the list's items */
	size_t len;		/* payload length */
	const uint8_t *raw;	/* the item's whole encoding */
	size_t rawlen;
	size_t off;		/* offset of raw in the outermost input */
} denai_rlp_item;

/*
 * Reads the one item that spans in[0..len) exactly, checking the framing of
 * every item nested in it (at most DENAI_RLP_MAX_DECODE_DEPTH lists deep).
 * Returns: 0, or -1 for a truncated, non-canonical or trailing-bytes input.
 */
int denai_rlp_decode(denai_rlp_item *it, const uint8_t *in, size_t len,
    denai_err *err) DENAI_WUR;

/*
 * Reads the item at the start of in[0..len) (bytes after it are left),
 * checking its own framing only; iterate into a list to check its items.
 * In: base, the offset of in within the outermost input (for messages).
 * Returns: 0, or -1.
 */
int denai_rlp_read(denai_rlp_item *it, const uint8_t *in, size_t len,
    size_t base, denai_err *err) DENAI_WUR;

/* Walks the elements of a list item. */
typedef struct denai_rlp_iter {
	const uint8_t *p;
	size_t len, pos, base;
} denai_rlp_iter;

/* Returns: 0, or -1 if item is not a list. */
int denai_rlp_iter_init(denai_rlp_iter *it, const denai_rlp_item *list,
    denai_err *err) DENAI_WUR;
/* Returns: 1 with *item filled, 0 at the end of the list, -1 on bad data. */
int denai_rlp_iter_next(denai_rlp_iter *it, denai_rlp_item *item,
    denai_err *err) DENAI_WUR;

/* Counts the elements of a list item, checking each one's framing.
 * Returns: 0 with *n set, or -1. */
int denai_rlp_list_count(const denai_rlp_item *list, size_t *n,
    denai_err *err) DENAI_WUR;

/*
 * Reads a string item as an unsigned integer: at most 8 (or 32) bytes, no
 * leading zero byte (0 is the empty string).
 * Returns: 0, or -1 for a list, a leading zero or a value too wide.
 */
int denai_rlp_get_u64(const denai_rlp_item *it, uint64_t *v,
    denai_err *err) DENAI_WUR;
int denai_rlp_get_u256(const denai_rlp_item *it, denai_u256 *v,
    denai_err *err) DENAI_WUR;
/* Reads a string item of exactly n bytes into out (an address: 20).
 * Returns: 0, or -1 for a list or another length. */
int denai_rlp_get_fixed(const denai_rlp_item *it, uint8_t *out, size_t n,
    denai_err *err) DENAI_WUR;

/*
 * JSON forms, as cast to-rlp / from-rlp write them: a string item is a
 * "0x..." hex string, a list is an array.
 * denai_rlp_put_json appends v, where strings are hex ("0x" optional, even
 * length), non-negative JSON integers are minimal integers, arrays are lists.
 * Returns: 0, or -1 naming the offending element's path (e.g. "[2][0]").
 */
int denai_rlp_put_json(denai_rlp_buf *b, const json_t *v,
    denai_err *err) DENAI_WUR;
/* Returns: a new reference to the JSON form of the one item spanning
 * in[0..len), or NULL with err filled. */
json_t *denai_rlp_to_json(const uint8_t *in, size_t len, denai_err *err);

#endif
