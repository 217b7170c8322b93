/* test_onnx_pb.c - the protobuf wire reader: varints, lengths, truncation,
 * groups, packed and unpacked repeated fields, with exact messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/pb.h"

static const char *const names[] = { NULL, "one", "two" };

/* Reads every field of buf; returns the last rc and fills err. */
static int
read_all(const uint8_t *buf, size_t len, denai_pb_field *last,
    denai_err *err, int *count)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	*count = 0;
	memset(err, 0, sizeof(*err));
	denai_pb_init(&r, buf, len, "Msg", names, 3);
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		*last = f;
		(*count)++;
	}
	return rc;
}

static void
fails(const char *name, const uint8_t *buf, size_t len, const char *want)
{
	denai_pb_field f;
	denai_err err;
	int n;

	ok(read_all(buf, len, &f, &err, &n) == -1, "%s: fails", name);
	is_str(err.msg, want, name);
}

static void
test_varint(void)
{
	static const struct {
		uint8_t b[11];
		size_t n;
		int rc;
		uint64_t v;
	} cases[] = {
		{ { 0x00 }, 1, 0, 0 },
		{ { 0x7f }, 1, 0, 127 },
		{ { 0x80, 0x01 }, 2, 0, 128 },
		{ { 0xac, 0x02 }, 2, 0, 300 },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 },
		    10, 0, UINT64_MAX },
		/* 2^63 exactly */
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 },
		    10, 0, 1ull << 63 },
		/* 10th byte over 1: over 64 bits */
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 },
		    10, -1, 0 },
		/* 11 bytes */
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x00 }, 11, -1, 0 },
		/* truncated */
		{ { 0x80 }, 1, -1, 0 },
		{ { 0xff, 0xff }, 2, -1, 0 },
		{ { 0 }, 0, -1, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint8_t *p = cases[i].b;
		uint64_t v = 12345;
		int rc = denai_pb_varint(&p, cases[i].b + cases[i].n, &v);

		is_int(rc, cases[i].rc, "varint case rc");
		if (rc == 0) {
			ok(v == cases[i].v, "varint case %zu value %llu", i,
			    (unsigned long long)v);
			ok(p == cases[i].b + cases[i].n,
			    "varint case %zu consumed all", i);
		} else
			ok(p == cases[i].b, "varint case %zu: pointer kept", i);
	}
}

static void
test_fields(void)
{
	/* one=150 (varint), two="ab" (len), field 3 fixed32, field 4
	 * fixed64: all read; unknown fields are returned too. */
	static const uint8_t msg[] = {
		0x08, 0x96, 0x01,
		0x12, 0x02, 'a', 'b',
		0x1d, 0x01, 0x02, 0x03, 0x04,
		0x21, 1, 2, 3, 4, 5, 6, 7, 8,
	};
	denai_pb r;
	denai_pb_field f;
	denai_err err;

	denai_pb_init(&r, msg, sizeof(msg), "Msg", names, 3);
	ok(denai_pb_next(&r, &f, &err) == 1 && f.num == 1 && f.wire == 0 &&
	    f.v == 150, "varint field");
	ok(denai_pb_next(&r, &f, &err) == 1 && f.num == 2 && f.wire == 2 &&
	    f.len == 2 && memcmp(f.data, "ab", 2) == 0, "length field");
	ok(denai_pb_next(&r, &f, &err) == 1 && f.num == 3 && f.wire == 5 &&
	    f.v == 0x04030201, "fixed32 little-endian");
	ok(denai_pb_next(&r, &f, &err) == 1 && f.num == 4 && f.wire == 1 &&
	    f.v == 0x0807060504030201ull, "fixed64 little-endian");
	ok(denai_pb_next(&r, &f, &err) == 0, "end of message");
	ok(denai_pb_next(&r, &f, &err) == 0, "end stays end");
}

static void
test_errors(void)
{
	fails("length past the end", (const uint8_t[]){ 0x12, 0x05, 'a' }, 3,
	    "Msg.two: length 5 past the end of the message (1 bytes left)");
	fails("huge length", (const uint8_t[]){ 0x12, 0xff, 0xff, 0xff, 0xff,
	    0x0f }, 6,
	    "Msg.two: length 4294967295 past the end of the message "
	    "(0 bytes left)");
	fails("truncated varint value", (const uint8_t[]){ 0x08, 0x80 }, 2,
	    "Msg.one: truncated or overlong varint");
	fails("truncated key", (const uint8_t[]){ 0x88 }, 1,
	    "Msg: truncated or overlong field key");
	fails("field number 0", (const uint8_t[]){ 0x00, 0x00 }, 2,
	    "Msg: bad field number 0");
	fails("start group", (const uint8_t[]){ 0x0b }, 1,
	    "Msg.one: groups are not supported");
	fails("end group", (const uint8_t[]){ 0x1c }, 1,
	    "Msg.field 3: groups are not supported");
	fails("wire type 6", (const uint8_t[]){ 0x0e }, 1,
	    "Msg.one: bad wire type 6");
	fails("truncated fixed32", (const uint8_t[]){ 0x0d, 1, 2, 3 }, 4,
	    "Msg.one: truncated fixed32");
	fails("truncated fixed64", (const uint8_t[]){ 0x09, 1, 2, 3, 4, 5, 6,
	    7 }, 8, "Msg.one: truncated fixed64");
	fails("overlong varint", (const uint8_t[]){ 0x08, 0x80, 0x80, 0x80,
	    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, 12,
	    "Msg.one: truncated or overlong varint");
	fails("unnamed field", (const uint8_t[]){ 0x3a, 0x09 }, 2,
	    "Msg.field 7: length 9 past the end of the message "
	    "(0 bytes left)");
}

static void
test_repeated(void)
{
	/* field 1 packed varints [1, 300, -1], then unpacked 7 */
	static const uint8_t msg[] = {
		0x0a, 0x0d, 0x01, 0xac, 0x02,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
		0x08, 0x07,
	};
	static const uint8_t fl[] = {
		0x12, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40,
		0x15, 0x00, 0x00, 0x40, 0x40,
	};
	denai_pb r;
	denai_pb_field f;
	denai_err err;
	int64_t *v = NULL;
	float *fv = NULL;
	size_t n = 0, cap = 0;

	denai_pb_init(&r, msg, sizeof(msg), "Msg", names, 3);
	while (denai_pb_next(&r, &f, &err) == 1)
		if (denai_pb_repeated(&r, &f, DENAI_PB_VARINT, (void **)&v,
		    &n, &cap, 100, &err) != 0)
			break;
	ok(n == 4 && v[0] == 1 && v[1] == 300 && v[2] == -1 && v[3] == 7,
	    "packed and unpacked varints append in order");
	free(v);

	n = cap = 0;
	denai_pb_init(&r, fl, sizeof(fl), "Msg", names, 3);
	while (denai_pb_next(&r, &f, &err) == 1)
		if (denai_pb_repeated(&r, &f, DENAI_PB_I32, (void **)&fv, &n,
		    &cap, 100, &err) != 0)
			break;
	ok(n == 3 && fv[0] == 1.0f && fv[1] == 2.0f && fv[2] == 3.0f,
	    "packed and unpacked floats");
	free(fv);

	/* A packed fixed32 field of 5 bytes. */
	static const uint8_t bad[] = { 0x12, 0x05, 0, 0, 0, 0, 0 };
	fv = NULL;
	n = cap = 0;
	denai_pb_init(&r, bad, sizeof(bad), "Msg", names, 3);
	ok(denai_pb_next(&r, &f, &err) == 1, "read packed field");
	ok(denai_pb_repeated(&r, &f, DENAI_PB_I32, (void **)&fv, &n, &cap,
	    100, &err) == -1, "packed length not a multiple of 4 fails");
	is_str(err.msg, "Msg.two: packed length 5 is not a multiple of 4",
	    "packed length message");
	free(fv);

	/* The count cap. */
	v = NULL;
	n = cap = 0;
	denai_pb_init(&r, msg, sizeof(msg), "Msg", names, 3);
	ok(denai_pb_next(&r, &f, &err) == 1, "read packed varints");
	ok(denai_pb_repeated(&r, &f, DENAI_PB_VARINT, (void **)&v, &n, &cap,
	    2, &err) == -1, "over the cap fails");
	is_str(err.msg, "Msg.one: more than 2 values", "cap message");
	free(v);

	/* A packed varint list cut in the middle. */
	static const uint8_t cut[] = { 0x0a, 0x02, 0x01, 0x80 };
	v = NULL;
	n = cap = 0;
	denai_pb_init(&r, cut, sizeof(cut), "Msg", names, 3);
	ok(denai_pb_next(&r, &f, &err) == 1, "read cut list");
	ok(denai_pb_repeated(&r, &f, DENAI_PB_VARINT, (void **)&v, &n, &cap,
	    100, &err) == -1, "cut packed varint fails");
	is_str(err.msg, "Msg.one: truncated or overlong packed varint",
	    "cut packed message");
	free(v);
}

int
main(void)
{
	test_varint();
	test_fields();
	test_errors();
	test_repeated();
	return done_testing();
}
