/*
 * test_serve.c - lib/serve's pure parts: token buckets, the phase of a
 * task, the body readers' field names, the CSV check.
 */
#include <string.h>

#include "serve/body.h"
#include "serve/limit.h"
#include "serve/priv.h"
#include "../tap.h"

static void
test_limiter(void)
{
	serve_limiter l;
	uint64_t t = 1000000;

	ok(denai_serve_limiter_init(&l, 2, 3) == 0, "limiter init");
	ok(denai_serve_limiter_take(&l, "a:x", t) == 0 &&
	    denai_serve_limiter_take(&l, "a:x", t) == 0 &&
	    denai_serve_limiter_take(&l, "a:x", t) == 0, "a burst of 3 passes");
	ok(denai_serve_limiter_take(&l, "a:x", t) == 1, "the 4th waits 1 s");
	ok(denai_serve_limiter_take(&l, "a:y", t) == 0,
	    "another name has its own bucket");
	ok(denai_serve_limiter_take(&l, "a:x", t + 500000) == 0,
	    "half a second at 2/s refills one");
	ok(denai_serve_limiter_take(&l, "a:x", t + 500000) == 1,
	    "and only one");
	denai_serve_limiter_fini(&l);
	ok(denai_serve_limiter_init(&l, 0, 0) == 0 &&
	    denai_serve_limiter_take(&l, "a:x", t) == 0,
	    "rate 0: no limit");
	denai_serve_limiter_fini(&l);
}

static void
test_phase(void)
{
	const int64_t d[5] = {10, 20, 30, 40, 50};

	ok(denai_serve_phase(d, 0, 0, 0, 10) == 1, "commit up to its deadline");
	ok(denai_serve_phase(d, 0, 0, 0, 11) == 2, "then test_reveal");
	ok(denai_serve_phase(d, 0, 0, 0, 21) == 6,
	    "an unrevealed test set: finalizable");
	ok(denai_serve_phase(d, 1, 0, 0, 15) == 3,
	    "revealed early: model_reveal");
	ok(denai_serve_phase(d, 1, 0, 0, 31) == 4, "score_commit");
	ok(denai_serve_phase(d, 1, 0, 0, 50) == 5,
	    "score_reveal up to its deadline");
	ok(denai_serve_phase(d, 1, 0, 0, 51) == 6, "then finalizable");
	ok(denai_serve_phase(d, 1, 0, 1, 5) == 7 &&
	    denai_serve_phase(d, 0, 1, 0, 5) == 8,
	    "finalized, cancelled");
	is_str(denai_serve_phase_name(4), "score_commit", "phase names");
	ok(denai_serve_phase_parse("finalizable") == 6 &&
	    denai_serve_phase_parse("x") < 0,
	    "phase parse");
}

static void
bad_field(const char *body, const char *field, int task)
{
	serve_task_in t;
	serve_request_in r;
	serve_bad bad;
	int rc = task ? denai_serve_task_parse(&t, body, strlen(body), &bad) :
	    denai_serve_request_parse(&r, body, strlen(body), &bad);

	ok(rc == -1, "refused: %s", body);
	is_str(bad.field, field, "  naming the field");
}

static void
test_bodies(void)
{
	const char *good = "{\"train_cid\":\"bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4"
	    "xa7u5bf44yegnrjhc4yeq\",\"test_csv\":\"a,y\\n1,2\\n\",\"kind\":"
	    "\"regression\",\"decimals\":2,\"label_column\":\"y\",\"reward\":"
	    "\"1gwei\",\"deadlines\":{\"commit\":10,\"test_reveal\":20,"
	    "\"model_reveal\":30,\"score_commit\":40,\"score_reveal\":50}}";
	serve_task_in t;
	serve_request_in r;
	serve_bad bad;
	char d[DENAI_U256_DEC_MAX];

	ok(denai_serve_task_parse(&t, good, strlen(good), &bad) == 0,
	    "a good task");
	is_str(denai_u256_to_dec(d, &t.reward), "1000000000", "reward in wei");
	ok(t.kind == 1 && t.decimals == 2 && !t.relative && t.dl[4] == 50 &&
	    t.quorum == 1, "kind, decimals, deadlines, quorum 1 by default");
	denai_serve_task_in_free(&t);
	bad_field("{\"kind\":1,\"kind\":2}", "", 1);
	bad_field("{\"model_id\":1,\"data\":[1],\"tip\":\"x\"}", "tip", 0);
	bad_field("{\"model_id\":-1,\"data\":[1]}", "model_id", 0);
	bad_field("{\"model_id\":1,\"data\":[1],\"x\":0}", "x", 0);
	const char *rq = "{\"model_id\":\"12\",\"data\":{\"in\":[[1]]}}";
	ok(denai_serve_request_parse(&r, rq, strlen(rq), &bad) == 0 &&
	    strcmp(r.model_id, "12") == 0, "a good request");
	denai_serve_request_in_free(&r);
}

static void
test_csv(void)
{
	serve_bad bad;
	size_t rows, cols;
	char hdr[64];
	const char *c = "a,b,y\r\n1,2.5,0\r\n-3,4e2,1\r\n";

	ok(denai_serve_csv_check(c, strlen(c), "y", &rows, &cols, hdr,
	    sizeof(hdr), &bad) == 0 && rows == 2 && cols == 3,
	    "a CRLF CSV: 2 rows, 3 columns");
	is_str(hdr, "a,b,y", "its header");
	ok(denai_serve_csv_check(c, strlen(c), "z", &rows, &cols, hdr,
	    sizeof(hdr), &bad) == -1, "a label it lacks");
	ok(denai_serve_csv_check("a,y\n", 4, "y", &rows, &cols, hdr,
	    sizeof(hdr), &bad) == -1, "no data rows");
	ok(denai_serve_csv_check("a,y\n1,0x1\n", 10, "y", &rows, &cols, hdr,
	    sizeof(hdr), &bad) == -1, "hex is not a number");
}

int
main(void)
{
	test_limiter();
	test_phase();
	test_bodies();
	test_csv();
	return done_testing();
}
