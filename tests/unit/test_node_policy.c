/* test_node_policy.c - the one can_serve rule (the contract's edge: a
 * submission lands in head + 1 at the earliest and is taken through block
 * expiresAt), the request-selection policy (minimum tip, minimum tip per
 * callback gas, model allow-list, order), and the outage tracker. The
 * same edge is run against a chain for watch, mine and submit by
 * tests/e2e/serve-edge.t. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "node/outage.h"
#include "node/policy.h"
#include "node/serve_rule.h"

static denai_request_info
req(uint64_t model, uint64_t tip, uint64_t cbgas)
{
	denai_request_info r;

	memset(&r, 0, sizeof(r));
	denai_u256_from_u64(&r.model_id, model);
	denai_u256_from_u64(&r.tip, tip);
	r.callback_gas = cbgas;
	return r;
}

int
main(void)
{
	denai_policy p;
	denai_request_info r;
	denai_policy_item it[4];
	denai_outage o = {0, 0};
	denai_err err;
	const char *why;
	double secs = -1;

	/* The edge. */
	ok(denai_request_can_serve(99, 100), "head 99, expires 100: servable");
	ok(!denai_request_can_serve(100, 100),
	    "head == expires_at: closed (the next block is past it)");
	ok(!denai_request_can_serve(101, 100), "head past expiry: closed");
	ok(denai_request_can_serve(0, 1), "head 0, expires 1: servable");
	ok(!denai_request_can_serve(0, 0), "expires 0: never");

	/* The default policy takes everything. */
	denai_policy_default(&p);
	r = req(1, 0, 2600000);
	ok(denai_policy_takes(&p, &r, &why) && why == NULL,
	    "default: a zero tip is taken");
	/* Minimum tip. */
	denai_u256_from_u64(&p.min_tip, 1000);
	r = req(1, 999, 0);
	ok(!denai_policy_takes(&p, &r, &why) && why != NULL &&
	    strstr(why, "minimum tip") != NULL, "tip below --min-tip: refused");
	r = req(1, 1000, 0);
	ok(denai_policy_takes(&p, &r, &why), "tip at --min-tip: taken");
	/* Minimum tip per callback gas. */
	denai_policy_default(&p);
	denai_u256_from_u64(&p.min_tip_per_gas, 10);
	r = req(1, 1000000000, 100000000);	/* needs 1e9: exactly */
	ok(denai_policy_takes(&p, &r, &why), "tip == per-gas * gas: taken");
	r = req(1, 999999999, 100000000);
	ok(!denai_policy_takes(&p, &r, &why) && strstr(why, "per callback gas"),
	    "tip below per-gas * gas: refused");
	r = req(1, 0, 0);
	ok(denai_policy_takes(&p, &r, &why), "no callback gas: taken");
	denai_u256_max(&p.min_tip_per_gas);
	r = req(1, 1, 2);
	ok(!denai_policy_takes(&p, &r, &why), "an overflowing need: refused");
	/* Allow-list. */
	denai_policy_default(&p);
	ok(denai_policy_set_models(&p, "1,4,0x7", &err) == 0 && p.nmodels == 3,
	    "models 1,4,0x7");
	r = req(4, 0, 0);
	ok(denai_policy_takes(&p, &r, &why), "model 4: taken");
	r = req(7, 0, 0);
	ok(denai_policy_takes(&p, &r, &why), "model 7 (0x7): taken");
	r = req(2, 0, 0);
	ok(!denai_policy_takes(&p, &r, &why) && strstr(why, "allow-list"),
	    "model 2: refused");
	ok(denai_policy_set_models(&p, "1,,2", &err) == -1 &&
	    err.code == DENAI_EUSAGE, "an empty id: usage error");
	ok(denai_policy_set_models(&p, "x", &err) == -1, "not a number: refused");
	ok(denai_policy_set_order(&p, "newest", &err) == -1 &&
	    err.code == DENAI_EUSAGE, "unknown order: usage error");
	/* Order. */
	memset(it, 0, sizeof(it));
	for (int i = 0; i < 4; i++)
		denai_u256_from_u64(&it[i].id, (uint64_t)(i + 1));
	denai_u256_from_u64(&it[0].tip, 5);
	denai_u256_from_u64(&it[1].tip, 9);
	denai_u256_from_u64(&it[2].tip, 5);
	denai_u256_from_u64(&it[3].tip, 1);
	denai_policy_default(&p);
	denai_policy_sort(&p, it, 4);
	ok(it[0].id.w[0] == 2 && it[1].id.w[0] == 1 && it[2].id.w[0] == 3 &&
	    it[3].id.w[0] == 4, "by tip, highest first, ties to the lower id");
	ok(denai_policy_set_order(&p, "oldest", &err) == 0, "order oldest");
	denai_policy_sort(&p, it, 4);
	ok(it[0].id.w[0] == 1 && it[1].id.w[0] == 2 && it[2].id.w[0] == 3 &&
	    it[3].id.w[0] == 4, "oldest first");

	/* One report per outage. */
	ok(denai_outage_ok(&o, 10, &secs) == 0, "up: nothing to say");
	ok(denai_outage_fail(&o, 1000) == 1, "first failure: say so");
	ok(denai_outage_fail(&o, 1500) == 0 && denai_outage_fail(&o, 9000) == 0,
	    "further failures: quiet");
	ok(denai_outage_ok(&o, 3500, &secs) == 1 && secs == 2.5,
	    "back: say so, 2.5 s");
	ok(denai_outage_ok(&o, 4000, &secs) == 0, "still up: quiet");
	ok(denai_outage_fail(&o, 5000) == 1, "a second outage: say so again");

	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
