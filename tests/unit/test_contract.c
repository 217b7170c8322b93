/* test_contract.c - a contract's refusal decoded into a denai_revert: a
 * custom error by name and arguments, a reason string, a panic, no data,
 * an unknown selector; from a node's JSON-RPC error, as the read and send
 * paths both take it; and what chain_send makes of a name (a submission's
 * outcome, a denied key): by the decoded name, never a message. */
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "eth/hex.h"
#include "node/chain_sig.h"
#include "node/chain_send.h"
#include "node/contract.h"

/* Hex revert data of error sig with args, as a node sends it. */
static char *
revert_hex(const char *sig, const char *args)
{
	denai_abi_sig *s = denai_abi_sig_parse(sig, NULL);
	json_t *a = json_loads(args, 0, NULL);
	uint8_t *cd;
	size_t n;
	char *hex;

	if (s == NULL || a == NULL || denai_abi_calldata(&cd, &n, s, a,
	    NULL) != 0)
		abort();
	hex = denai_hex_dup(cd, n);
	free(cd);
	json_decref(a);
	denai_abi_sig_free(s);
	return hex;
}

int
main(void)
{
	denai_oracle *o = denai_oracle_new(NULL);
	denai_abi_sig *const *errs;
	denai_revert rv = { 0 };
	denai_rpc_error re = { 0 };
	size_t nerrs;
	char *hex;

	if (o == NULL)
		abort();
	errs = denai_oracle_errors(o, &nerrs);

	hex = revert_hex("UnknownModel(uint256)", "[\"7\"]");
	ok(denai_revert_decode(&rv, hex, errs, nerrs, NULL) == 0 && rv.set,
	    "a custom error decodes");
	is_str(rv.name, "UnknownModel", "  its name");
	ok(json_array_size(rv.args) == 1 && strcmp(json_string_value(
	    json_array_get(rv.args, 0)), "7") == 0, "  its argument");
	is_str(rv.message, "UnknownModel(7)", "  its line for people");
	ok(denai_revert_is(&rv, "UnknownModel") &&
	    !denai_revert_is(&rv, "UnknownModelX") &&
	    !denai_revert_is(&rv, "Unknown"), "  recognised by exact name");
	free(hex);

	hex = revert_hex("Error(string)", "[\"no way\"]");
	ok(denai_revert_decode(&rv, hex, errs, nerrs, NULL) == 0 &&
	    strcmp(rv.name, "Error") == 0, "a reason string: Error (%s)",
	    rv.message);
	free(hex);

	ok(denai_revert_decode(&rv, "0x", errs, nerrs, NULL) == 0 && rv.set &&
	    rv.name[0] == '\0' && rv.args == NULL, "no data: set, no name");
	is_str(rv.message, "reverted without data", "  its line");

	ok(denai_revert_decode(&rv, "0xdeadbeef", errs, nerrs, NULL) == 0 &&
	    rv.set && rv.name[0] == '\0', "an unknown selector: no name (%s)",
	    rv.message);
	ok(denai_revert_decode(&rv, "0xzz", errs, nerrs, NULL) == -1,
	    "not hex: refused");

	/* From a node's error, as eth_call and eth_estimateGas hand it back. */
	ok(denai_revert_from_rpc(&rv, &re, errs, nerrs) == 0 && !rv.set,
	    "no error: no revert");
	re.set = 1;
	re.code = 3;
	ok(denai_revert_from_rpc(&rv, &re, errs, nerrs) == 0 && !rv.set,
	    "an error without data: no revert");
	re.data = revert_hex("NotModelOwner(uint256,address)",
	    "[\"1\", \"0x00000000000000000000000000000000000000aa\"]");
	ok(denai_revert_from_rpc(&rv, &re, errs, nerrs) == 1 &&
	    denai_revert_is(&rv, "NotModelOwner") &&
	    json_array_size(rv.args) == 2, "a revert with data: decoded (%s)",
	    rv.message);
	ok(denai_chain_revert_denied(&rv), "NotModelOwner: the key denied");
	denai_rpc_error_clear(&re);

	/* What a refusal of submitSolution means, by name only. */
	{
		static const struct {
			const char *sig, *args, *want;
		} cases[] = {
			{ "RequestNotOpen(uint256)", "[\"1\"]", "closed" },
			{ "RequestExpired(uint256,uint256)", "[\"1\", \"9\"]",
			    "closed" },
			{ "AlreadySubmitted(uint256,address)", "[\"1\", "
			    "\"0x00000000000000000000000000000000000000aa\"]",
			    "already-submitted" },
			{ "InvalidProof(uint256,address,uint256)", "[\"1\", "
			    "\"0x00000000000000000000000000000000000000aa\", "
			    "\"5\"]", NULL },
			{ "Error(string)", "[\"RequestNotOpen\"]", NULL },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const char *got;

			hex = revert_hex(cases[i].sig, cases[i].args);
			if (denai_revert_decode(&rv, hex, errs, nerrs,
			    NULL) != 0)
				abort();
			got = denai_chain_submit_outcome(&rv);
			is_str(got != NULL ? got : "(a failure)",
			    cases[i].want != NULL ? cases[i].want :
			    "(a failure)", cases[i].sig);
			ok(!denai_chain_revert_denied(&rv), "  not a denial");
			free(hex);
		}
	}
	denai_revert_clear(&rv);
	ok(denai_chain_submit_outcome(&rv) == NULL,
	    "no revert: no outcome");
	ok(rv.args == NULL && !rv.set, "cleared");
	denai_revert_clear(&rv);
	denai_oracle_free(o);
	return done_testing();
}
