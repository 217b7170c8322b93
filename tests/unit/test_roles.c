/* test_roles.c - role ids by name (checked against cast keccak) and the
 * grantRole/revokeRole calldata (checked against cast calldata). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "eth/hex.h"
#include "node/roles.h"

static void
role_is(const char *name, const char *want)
{
	uint8_t id[32];
	char h[80], what[80];
	denai_err err;

	if (!ok(denai_role_id(id, name, &err) == 0, "role %s known", name)) {
		diag("%s", err.msg);
		return;
	}
	snprintf(what, sizeof(what), "role %s id", name);
	is_str(denai_hex_encode(h, id, 32), want, what);
}

int
main(void)
{
	const char *miner = "0xa952726ef2588ad078edf35b066f7c7406e207cb0003bbaba8cb53eba9553e72";
	uint8_t id[32], acct[DENAI_ADDR_LEN], *cd;
	size_t len;
	char *h;
	denai_err err;

	role_is("MINER_ROLE", miner);
	role_is("miner", miner);
	role_is("Miner_Role", miner);
	role_is("validator",
	    "0x21702c8af46127c7fa207f89d0b0a8441bb32959a0ac7df790e9ab1a25c98926");
	role_is("TASKS",
	    "0xd21b40829f1b912461860e9393e0d8124902c6e230fb4b1af09d755fde1a38f9");
	role_is("default_admin",
	    "0x0000000000000000000000000000000000000000000000000000000000000000");
	ok(denai_role_id(id, "owner", &err) == -1 && err.code == DENAI_EUSAGE,
	    "an unknown role is refused");
	is_str(err.msg, "unknown role \"owner\" (miner, validator, trainer, "
	    "tasks, default_admin)", "naming the known ones");
	ok(denai_role_id(id, "", &err) == -1, "an empty name is refused");
	ok(denai_role_id(id, "VALIDATOR_ROLE_ROLE_ROLE_ROLE_X", &err) == -1,
	    "a long name is refused");

	memset(id, 0, sizeof(id));
	if (denai_hex_decode_exact(acct, DENAI_ADDR_LEN,
	    "0x5fbdb2315678afecb367f032d93f642f64180aa3", &err) != 0)
		return done_testing();
	ok(denai_role_calldata(&cd, &len, 1, id, acct, &err) == 0 && len == 68,
	    "grant calldata");
	h = denai_hex_dup(cd, len);
	is_str(h, "0x2f2ff15d" "0000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000005fbdb2315678afecb367f032d93f642f64180aa3",
	    "grantRole(bytes32,address) as cast encodes it");
	free(h);
	free(cd);
	ok(denai_role_calldata(&cd, &len, 0, id, acct, &err) == 0 &&
	    memcmp(cd, "\xd5\x47\x74\x1f", 4) == 0, "revokeRole selector");
	free(cd);
	return done_testing();
}
