/*
 * onnx/pb.h - a bounded reader of the protobuf wire format.
 *
 * A denai_pb reads the fields of one message held in a caller's buffer; it
 * owns nothing and never reads outside [p, end). Sizes in the data are never
 * trusted: a length past the end of the enclosing message is an error naming
 * the message and field. Varints longer than 10 bytes or over 64 bits,
 * field number 0, groups (wire types 3, 4) and wire types 6, 7 are errors.
 * Unknown fields are skipped by the caller simply by not looking at them.
 *
 * Names for messages: msg is the message's name ("NodeProto") and names,
 * when not NULL, an array of nnames field names indexed by field number
 * (NULL entries allowed); both only feed error messages.
 */
#ifndef DENAI_ONNX_PB_H
#define DENAI_ONNX_PB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum denai_pb_wire {
	DENAI_PB_VARINT = 0,
	DENAI_PB_I64 = 1,
	DENAI_PB_LEN = 2,
	DENAI_PB_I32 = 5,
};

typedef struct denai_pb {
	const uint8_t *p, *end;
	const char *msg;
	const char *const *names;
	size_t nnames;
} denai_pb;

typedef struct denai_pb_field {
	uint32_t num;			/* field number, >= 1 */
	int wire;			/* enum denai_pb_wire */
	uint64_t v;			/* VARINT, I64, I32 value (raw bits) */
	const uint8_t *data;		/* LEN: the bytes, inside the message */
	size_t len;
} denai_pb_field;

/* Starts reading the message of len bytes at buf. */
void denai_pb_init(denai_pb *r, const uint8_t *buf, size_t len,
    const char *msg, const char *const *names, size_t nnames);

/*
 * Reads the next field.
 * Returns: 1 with *f filled, 0 at the end of the message, -1 with err
 * naming the message, the field and the problem.
 */
int denai_pb_next(denai_pb *r, denai_pb_field *f, denai_err *err) DENAI_WUR;

/* Returns: the name of field num of r's message ("field 7" when unnamed),
 * written into buf (n bytes) when needed. */
const char *denai_pb_field_name(const denai_pb *r, uint32_t num, char *buf,
    size_t n);

/*
 * Decodes one varint at *p (before end), advancing *p.
 * Returns: 0, or -1 when truncated, over 10 bytes or over 64 bits.
 */
int denai_pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
    DENAI_WUR;

/*
 * Reads a repeated scalar field that may come packed (LEN) or one value per
 * field, appending to a growable array. wire is the unpacked wire type the
 * field's element uses (VARINT, I32, I64). For VARINT the values are stored
 * as int64_t, for I32 as uint32_t bits, for I64 as uint64_t bits.
 * *arr (element size esz), *n and *cap describe the array; it grows by
 * realloc and is owned by the caller. max bounds *n.
 * Returns: 0, or -1 (err names r's message and the field).
 */
int denai_pb_repeated(const denai_pb *r, const denai_pb_field *f, int wire,
    void **arr, size_t *n, size_t *cap, size_t max, denai_err *err)
    DENAI_WUR;

/*
 * As denai_pb_repeated, then takes the unpacked values of the same field
 * that follow f at once (proto2 writes repeated scalars one field each:
 * ONNX's AttributeProto ints and floats), the same as reading them with
 * denai_pb_next and denai_pb_repeated one by one, only faster.
 * Returns: 0, or -1 (err names r's message and the field).
 */
int denai_pb_repeated_run(denai_pb *r, const denai_pb_field *f, int wire,
    void **arr, size_t *n, size_t *cap, size_t max, denai_err *err)
    DENAI_WUR;

/* Fills err with "MSG.FIELD: " + message. Returns: -1. */
int denai_pb_fail(const denai_pb *r, uint32_t num, denai_err *err, int code,
    const char *fmt, ...) DENAI_PRINTF(5, 6);

#endif
