/* test_onnx_pbwrite.c - the protobuf writer: known encodings, a round trip
 * through the reader (pb.c) for every field kind, and the size cap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/pb.h"
#include "onnx/pbwrite.h"

static void
test_known(void)
{
	denai_pbw w;
	denai_err err;
	static const uint8_t want[] = { 0x08, 0x96, 0x01, 0x12, 0x07, 't',
	    'e', 's', 't', 'i', 'n', 'g', 0x1a, 0x03, 0x03, 0x8e, 0x02 };
	int64_t v[] = { 3, 270 };

	denai_pbw_init(&w, 1024);
	denai_pbw_varint(&w, 1, 150);
	denai_pbw_str(&w, 2, "testing");
	denai_pbw_packed_i64(&w, 3, v, 2);
	ok(denai_pbw_finish(&w, &err) == 0, "known: writes");
	ok(w.len == sizeof(want) && memcmp(w.buf, want, w.len) == 0,
	    "known: protobuf documentation's encodings");
	denai_pbw_free(&w);
}

static void
test_roundtrip(void)
{
	denai_pbw w, sub;
	denai_err err;
	denai_pb r, rs;
	denai_pb_field f;
	uint8_t *buf;
	size_t n, cnt = 0, cap = 0;
	int64_t iv[] = { 0, 1, -1, INT64_MIN, INT64_MAX, 300 };
	float fv[] = { 0.0f, -1.5f, 3.25e-30f, 1e30f };
	void *arr = NULL;
	int rc, seen = 0;

	denai_pbw_init(&w, 4096);
	denai_pbw_init(&sub, 4096);
	denai_pbw_varint(&sub, 1, 42);
	denai_pbw_str(&sub, 2, "inner");
	denai_pbw_varint(&w, 1, UINT64_MAX);
	denai_pbw_float(&w, 2, -2.5f);
	denai_pbw_double(&w, 3, 0.1);
	denai_pbw_msg(&w, 4, &sub);
	denai_pbw_packed_i64(&w, 5, iv, 6);
	denai_pbw_packed_float(&w, 6, fv, 4);
	denai_pbw_bytes(&w, 7, "", 0);
	ok(denai_pbw_take(&w, &buf, &n, &err) == 0, "roundtrip: written");
	denai_pb_init(&r, buf, n, "M", NULL, 0);
	while ((rc = denai_pb_next(&r, &f, &err)) == 1) {
		seen++;
		switch (f.num) {
		case 1:
			ok(f.wire == DENAI_PB_VARINT && f.v == UINT64_MAX,
			    "varint field");
			break;
		case 2: {
			float x;
			uint32_t u = (uint32_t)f.v;

			memcpy(&x, &u, 4);
			ok(f.wire == DENAI_PB_I32 && x == -2.5f, "float field");
			break;
		}
		case 3: {
			double x;

			memcpy(&x, &f.v, 8);
			ok(f.wire == DENAI_PB_I64 && x == 0.1, "double field");
			break;
		}
		case 4: {
			denai_pb_field g;
			int k = 0;

			denai_pb_init(&rs, f.data, f.len, "S", NULL, 0);
			while (denai_pb_next(&rs, &g, &err) == 1) {
				if (g.num == 1)
					k += g.v == 42;
				if (g.num == 2)
					k += g.len == 5 &&
					    memcmp(g.data, "inner", 5) == 0;
			}
			is_int(k, 2, "nested message");
			break;
		}
		case 5:
			cnt = cap = 0;
			ok(denai_pb_repeated(&r, &f, DENAI_PB_VARINT, &arr,
			    &cnt, &cap, 100, &err) == 0 && cnt == 6 &&
			    memcmp(arr, iv, sizeof(iv)) == 0, "packed int64");
			free(arr);
			arr = NULL;
			break;
		case 6:
			cnt = cap = 0;
			ok(denai_pb_repeated(&r, &f, DENAI_PB_I32, &arr,
			    &cnt, &cap, 100, &err) == 0 && cnt == 4 &&
			    memcmp(arr, fv, sizeof(fv)) == 0, "packed float");
			free(arr);
			arr = NULL;
			break;
		case 7:
			ok(f.wire == DENAI_PB_LEN && f.len == 0, "empty bytes");
			break;
		}
	}
	is_int(rc, 0, "roundtrip: reader reaches the end");
	is_int(seen, 7, "roundtrip: seven fields");
	free(buf);
	denai_pbw_free(&sub);
}

static void
test_cap(void)
{
	denai_pbw w, sub;
	denai_err err;
	float big[64] = { 0 };

	denai_pbw_init(&w, 16);
	denai_pbw_varint(&w, 1, 1);
	denai_pbw_packed_float(&w, 2, big, 64);
	denai_pbw_varint(&w, 3, 1);
	ok(denai_pbw_finish(&w, &err) == -1 && err.code == DENAI_ENOMEM,
	    "cap: over max fails");
	ok(w.len <= 16, "cap: never past max");
	denai_pbw_free(&w);

	denai_pbw_init(&sub, 2);
	denai_pbw_str(&sub, 1, "too long");
	denai_pbw_init(&w, 100);
	denai_pbw_msg(&w, 1, &sub);
	ok(denai_pbw_finish(&w, &err) == -1, "cap: a failed submessage fails");
	denai_pbw_free(&sub);
	denai_pbw_free(&w);
}

int
main(void)
{
	test_known();
	test_roundtrip();
	test_cap();
	return done_testing();
}
