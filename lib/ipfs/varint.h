/*
 * varint.h - unsigned LEB128 integers: the multiformats unsigned-varint
 * (strict: minimal encoding, at most 9 bytes, values below 2^63) used in
 * CIDs, multihashes and CAR files, and the protobuf varint (up to 10 bytes,
 * any 64-bit value) used in dag-pb and UnixFS.
 */
#ifndef DENAI_VARINT_H
#define DENAI_VARINT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Longest encoding of a 64-bit value. */
#define DENAI_VARINT_MAX 10

/*
 * Reads a multiformats unsigned-varint from in (len bytes).
 * Out: *v, the value; *used, the bytes it took.
 * Returns: 0, or -1 (DENAI_EDATA) on a truncated, overlong (> 9 bytes) or
 * non-minimal encoding.
 */
int denai_varint_read_uv(uint64_t *v, size_t *used, const uint8_t *in,
    size_t len, denai_err *err) DENAI_WUR;

/*
 * Reads a protobuf varint from in (len bytes): up to 10 bytes, the tenth
 * holding only the top bit. Non-minimal encodings are refused too, since
 * dag-pb demands canonical bytes.
 * Returns: 0, or -1 (DENAI_EDATA) on a truncated or oversized varint.
 */
int denai_varint_read_pb(uint64_t *v, size_t *used, const uint8_t *in,
    size_t len, denai_err *err) DENAI_WUR;

/* Writes v into out (room for DENAI_VARINT_MAX bytes). Returns: the length. */
size_t denai_varint_put(uint8_t *out, uint64_t v);

/* Returns: the length of v's encoding, 1 to 10. */
size_t denai_varint_len(uint64_t v);

#endif
