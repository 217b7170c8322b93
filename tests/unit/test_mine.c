/* test_mine.c - a request record's proof-of-work job (challenge,
 * difficulty) and request id, each malformed field refused by name; and
 * the expected hash count. (denai_mine_check_open is run against a chain
 * by tests/cmd/denai-mine.t.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "node/mine.h"

#define CH "\"0x0102030405060708091011121314151617181920212223242526272829303132\""

static void
job(const char *text, const char *want_diff, const char *want_err)
{
	json_error_t je;
	json_t *rec = json_loads(text, 0, &je);
	denai_pow_job j;
	denai_err err;
	char dec[DENAI_U256_DEC_MAX];
	int rc;

	memset(&j, 0, sizeof(j));
	denai_err_clear(&err);
	rc = denai_mine_record_job(&j, rec, &err);
	if (want_err != NULL)
		ok(rc == -1 && err.code == DENAI_EDATA &&
		    strncmp(err.msg, want_err, strlen(want_err)) == 0,
		    "%s: %s", text, err.msg);
	else {
		is_str(rc == 0 ? denai_u256_to_dec(dec, &j.difficulty) :
		    err.msg, want_diff, text);
		ok(j.challenge[0] == 1 && j.challenge[31] == 0x32,
		    "  challenge read");
	}
	json_decref(rec);
}

static void
request_id(const char *text, int want_rc, const char *want)
{
	json_error_t je;
	json_t *rec = json_loads(text, 0, &je);
	denai_u256 id;
	denai_err err;
	char dec[DENAI_U256_DEC_MAX];
	int rc;

	denai_err_clear(&err);
	rc = denai_mine_record_request_id(&id, rec, &err);
	if (want_rc == 0)
		is_str(rc == 0 ? denai_u256_to_dec(dec, &id) : err.msg, want,
		    text);
	else
		ok(rc == want_rc && strncmp(err.msg, want, strlen(want)) == 0,
		    "%s: %d, %s", text, rc, err.msg);
	json_decref(rec);
}

int
main(void)
{
	denai_u256 d;

	job("{\"challenge\":" CH ",\"difficulty\":\"1000\"}", "1000", NULL);
	job("{\"challenge\":" CH ",\"difficulty\":\"0x10\"}", "16", NULL);
	job("{\"challenge\":" CH ",\"difficulty\":7}", "7", NULL);
	job("{\"difficulty\":7}", NULL, "missing challenge");
	job("{\"challenge\":\"0x0102\",\"difficulty\":7}", NULL,
	    "challenge: ");
	job("{\"challenge\":" CH "}", NULL, "missing difficulty");
	job("{\"challenge\":" CH ",\"difficulty\":null}", NULL,
	    "missing difficulty");
	job("{\"challenge\":" CH ",\"difficulty\":-1}", NULL,
	    "difficulty: negative");
	job("{\"challenge\":" CH ",\"difficulty\":1.5}", NULL,
	    "difficulty: expected a decimal string");
	job("{\"challenge\":" CH ",\"difficulty\":\"x\"}", NULL,
	    "difficulty: ");
	job("{\"challenge\":" CH ",\"difficulty\":\"0\"}", NULL,
	    "difficulty 0: no target");

	request_id("{\"request_id\":\"42\"}", 0, "42");
	request_id("{\"request_id\":\"0x2a\"}", 0, "42");
	request_id("{\"request_id\":7}", 0, "7");
	request_id("{}", 1, "missing request_id");
	request_id("{\"request_id\":-7}", 1, "missing request_id");
	request_id("{\"request_id\":[1]}", 1, "missing request_id");
	request_id("{\"request_id\":\"4x\"}", -1, "request_id: ");

	denai_u256_from_u64(&d, 1000);
	ok(denai_mine_expected_hashes(&d) == 1000.0, "expected hashes 1000");
	memset(&d, 0, sizeof(d));
	d.w[3] = 1;
	ok(denai_mine_expected_hashes(&d) == ldexp(1, 192),
	    "expected hashes 2^192");
	return done_testing();
}
