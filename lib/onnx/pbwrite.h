/*
 * onnx/pbwrite.h - a bounded writer of the protobuf wire format, the
 * counterpart of pb.h's reader (used to write ONNX models).
 *
 * A denai_pbw is a growable byte buffer with a cap: every write appends one
 * field. Errors are sticky: after the first failure (out of memory, or the
 * message would pass max bytes) every later write does nothing, and
 * denai_pbw_finish reports it, so callers write a whole message and check
 * once. A nested message is written into its own denai_pbw and appended
 * with denai_pbw_msg. Repeated scalars are written packed.
 *
 * Ownership: the caller owns the denai_pbw (a fixed-size context) and
 * frees its buffer with denai_pbw_free; denai_pbw_take hands it over.
 */
#ifndef DENAI_ONNX_PBWRITE_H
#define DENAI_ONNX_PBWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct denai_pbw {
	uint8_t *buf;
	size_t len, cap, max;
	int failed;		/* 0, or the enum denai_code of the first failure */
} denai_pbw;

/* Starts an empty message that may grow to max bytes. */
void denai_pbw_init(denai_pbw *w, size_t max);
void denai_pbw_free(denai_pbw *w);

/* Appends a field: a varint (int64 values as their two's complement, as
 * protobuf does), bytes (LEN), a string, a float (I32), a double (I64). */
void denai_pbw_varint(denai_pbw *w, uint32_t num, uint64_t v);
void denai_pbw_bytes(denai_pbw *w, uint32_t num, const void *p, size_t n);
void denai_pbw_str(denai_pbw *w, uint32_t num, const char *s);
void denai_pbw_float(denai_pbw *w, uint32_t num, float v);
void denai_pbw_double(denai_pbw *w, uint32_t num, double v);
/* Appends sub (a whole message) as a LEN field. */
void denai_pbw_msg(denai_pbw *w, uint32_t num, const denai_pbw *sub);
/* Packed repeated fields: n int64 varints, n floats (I32 each). */
void denai_pbw_packed_i64(denai_pbw *w, uint32_t num, const int64_t *v,
    size_t n);
void denai_pbw_packed_float(denai_pbw *w, uint32_t num, const float *v,
    size_t n);

/* Appends raw bytes (already encoded). */
void denai_pbw_raw(denai_pbw *w, const void *p, size_t n);

/* Returns: 0, or -1 with err filled when any write failed. */
int denai_pbw_finish(const denai_pbw *w, denai_err *err) DENAI_WUR;

/* Hands the buffer to the caller (*p malloc'd, may be NULL when empty) and
 * leaves w empty. Returns: 0, or -1 as denai_pbw_finish. */
int denai_pbw_take(denai_pbw *w, uint8_t **p, size_t *n, denai_err *err)
    DENAI_WUR;

#endif
