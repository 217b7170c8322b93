/* test_score.c - the task score: label targets scaled exactly from their
 * text, classification hits, regression losses with int256 saturation,
 * signed decimal printing; and the limits' version 1. */
#include <string.h>

#include "../tap.h"
#include "data/limits.h"
#include "data/score.h"

#define MIN "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
#define MIN1 "-57896044618658097711785492504343953926634992332820282019728792003956564819967"
#define MAX "57896044618658097711785492504343953926634992332820282019728792003956564819967"

static const struct { int kind; unsigned dec; const char *in, *want; } targets[] = {
	{ 0, 0, "3", "3" },
	{ 0, 0, "-3", "-3" },
	{ 0, 0, "3.0", "3" },
	{ 0, 0, "3e0", "3" },
	{ 0, 0, "30e-1", "3" },
	{ 0, 0, "-0", "0" },
	{ 0, 0, "0.0e5", "0" },
	{ 0, 0, "9223372036854775807", "9223372036854775807" },
	{ 0, 0, "-9223372036854775808", "-9223372036854775808" },
	{ 0, 3, "7", "7" },			/* decimals do not scale labels */
	{ 1, 0, "2.5", "3" },
	{ 1, 0, "-2.5", "-3" },
	{ 1, 0, "2.4999999999999999999999", "2" },
	{ 1, 0, "0.5", "1" },
	{ 1, 0, "0.49", "0" },
	{ 1, 0, "0.05", "0" },
	{ 1, 1, "0.05", "1" },
	{ 1, 2, "1.005", "101" },		/* exact: no binary rounding */
	{ 1, 2, "-1.005", "-101" },
	{ 1, 3, "151.0", "151000" },
	{ 1, 18, "1e-18", "1" },
	{ 1, 18, "1e-19", "0" },
	{ 1, 18, "5e-19", "1" },
	{ 1, 0, "1e76", "10000000000000000000000000000000000000000000000000000000000000000000000000000" },
	{ 1, 0, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005e120", "500" },
	{ 1, 0, "-0", "0" },
	{ 1, 0, "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890.5", NULL },
	{ 1, 0, MAX, MAX },
	{ 1, 0, MIN, MIN },
};

static const struct { int kind; unsigned dec; const char *in, *msg; } bad_targets[] = {
	{ 0, 0, "3.5", "is not an integer" },
	{ 0, 0, "1e-1", "is not an integer" },
	{ 0, 0, "9223372036854775808", "is beyond int64" },
	{ 0, 0, "1e19", "is beyond int64" },
	{ 0, 0, "abc", "is not a number" },
	{ 0, 0, "01", "is not a number" },
	{ 1, 2, "1e76", "beyond int256" },
	{ 1, 0, "57896044618658097711785492504343953926634992332820282019728792003956564819968", "beyond int256" },
	{ 1, 0, "1e99999999999999", "beyond int256" },
};

static void
dec_of(char *out, const denai_u256 *v)
{
	denai_int256_to_dec(out, v);
}

static void
i256(denai_u256 *v, const char *s)
{
	if (denai_int256_parse_dec(v, s, strlen(s), NULL) != 0)
		denai_u256_from_u64(v, 0xdead);
}

int
main(void)
{
	char buf[DENAI_U256_DEC_MAX];
	denai_u256 t, p, v;
	struct denai_score s;
	denai_err err;

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		int rc = denai_score_target(&t, targets[i].kind, targets[i].dec,
		    targets[i].in, strlen(targets[i].in), &err);

		if (targets[i].want == NULL) {
			ok(rc == -1, "target %zu: too long is beyond int256", i);
			continue;
		}
		if (!ok(rc == 0, "target %zu (%.30s) converts", i,
		    targets[i].in)) {
			diag("%s", err.msg);
			continue;
		}
		dec_of(buf, &t);
		is_str(buf, targets[i].want, "  value");
	}
	for (size_t i = 0; i < sizeof(bad_targets) / sizeof(bad_targets[0]);
	    i++) {
		memset(&err, 0, sizeof(err));
		ok(denai_score_target(&t, bad_targets[i].kind, bad_targets[i].dec,
		    bad_targets[i].in, strlen(bad_targets[i].in), &err) == -1 &&
		    strstr(err.msg, bad_targets[i].msg) != NULL,
		    "bad target %zu: %s", i, err.msg);
	}

	/* int256 decimal round trips. */
	const char *rt[] = { "0", "1", "-1", MIN, MIN1, MAX };
	for (size_t i = 0; i < 6; i++) {
		i256(&v, rt[i]);
		dec_of(buf, &v);
		is_str(buf, rt[i], "int256 round trip");
	}
	ok(denai_int256_parse_dec(&v, "-0", 2, NULL) == 0, "-0 parses");
	ok(denai_int256_parse_dec(&v, "01", 2, NULL) == -1, "01 refused");
	ok(denai_int256_parse_dec(&v, "", 0, NULL) == -1, "empty refused");
	denai_score_invalid(&v);
	dec_of(buf, &v);
	is_str(buf, MIN, "an invalid model scores type(int256).min");

	/* Classification. */
	denai_score_init(&s, DENAI_TASK_CLASSIFICATION);
	const char *cp[][2] = { { "1", "1" }, { "0", "1" }, { "-2", "-2" },
	    { "3", "3" } };
	for (int i = 0; i < 4; i++) {
		i256(&p, cp[i][0]);
		i256(&t, cp[i][1]);
		denai_score_add(&s, &p, &t);
	}
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, "3", "classification: 3 of 4 hit");
	ok(s.rows == 4, "  4 rows");

	/* Regression. */
	denai_score_init(&s, DENAI_TASK_REGRESSION);
	const char *rp[][2] = { { "10", "7" }, { "-5", "-1" }, { "0", "0" } };
	for (int i = 0; i < 3; i++) {
		i256(&p, rp[i][0]);
		i256(&t, rp[i][1]);
		denai_score_add(&s, &p, &t);
	}
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, "-25", "regression: -(9 + 16 + 0)");

	denai_score_init(&s, DENAI_TASK_REGRESSION);
	i256(&p, "340282366920938463463374607431768211455");	/* 2^128-1 */
	i256(&t, "0");
	denai_score_add(&s, &p, &t);
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, MIN1, "(2^128-1)^2 is over 2^255-1: saturates");

	denai_score_init(&s, DENAI_TASK_REGRESSION);
	i256(&p, "240615969168004511545033772477625056927");	/* ~sqrt(2^255) */
	i256(&t, "0");
	denai_score_add(&s, &p, &t);
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, "-57896044618658097711785492504343953926579659927927152379400772292519990683329",
	    "a square just under 2^255 is exact");
	denai_score_add(&s, &p, &t);
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, MIN1, "  and the sum of two saturates");

	denai_score_init(&s, DENAI_TASK_REGRESSION);
	i256(&p, MAX);
	i256(&t, MIN);
	denai_score_add(&s, &p, &t);
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, MIN1, "max - min overflows int256: saturates");

	denai_score_init(&s, DENAI_TASK_REGRESSION);
	i256(&p, "-3");
	i256(&t, "4");
	denai_score_add(&s, &p, &t);
	denai_score_value(&v, &s);
	dec_of(buf, &v);
	is_str(buf, "-49", "negative minus positive");

	/* Limits. */
	const struct denai_limits *l = denai_limits_get(1);
	ok(l != NULL && l->model_bytes == 16u << 20 && l->model_nodes == 10000
	    && l->tensor_elems == 1u << 24 && denai_limits_get(2) == NULL,
	    "limits version 1");
	ok(l != NULL && memcmp(&l->csv, &denai_csv_limits_v1,
	    sizeof(l->csv)) == 0, "  its CSV limits are the reader's");
	return done_testing();
}
