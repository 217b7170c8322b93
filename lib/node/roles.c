/* roles.c - DenAI's roles by name; grantRole/revokeRole calldata. */
#include "node/roles.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "eth/keccak.h"

static const char *const roles[] = {
	"MINER_ROLE", "VALIDATOR_ROLE", "TRAINER_ROLE", "TASKS_ROLE",
	"DEFAULT_ADMIN_ROLE",
};

int
denai_role_id(uint8_t id[32], const char *name, denai_err *err)
{
	char up[32];
	size_t n = strlen(name), i;

	if (n == 0 || n + sizeof("_ROLE") > sizeof(up))
		goto unknown;
	for (i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	up[n] = '\0';
	if (n < 5 || strcmp(up + n - 5, "_ROLE") != 0)
		memcpy(up + n, "_ROLE", sizeof("_ROLE"));
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcmp(up, roles[i]) != 0)
			continue;
		if (strcmp(up, "DEFAULT_ADMIN_ROLE") == 0)
			memset(id, 0, 32);
		else
			denai_keccak256(id, up, strlen(up));
		return 0;
	}
unknown:
	return denai_err_set(err, DENAI_EUSAGE, "unknown role \"%s\" (miner, "
	    "validator, trainer, tasks, default_admin)", name);
}

int
denai_role_calldata(uint8_t **out, size_t *outlen, int grant,
    const uint8_t id[32], const uint8_t account[DENAI_ADDR_LEN],
    denai_err *err)
{
	const char *sig = grant ? "grantRole(bytes32,address)" :
	    "revokeRole(bytes32,address)";
	uint8_t h[32], *p;

	if ((p = calloc(1, 4 + 64)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	denai_keccak256(h, sig, strlen(sig));
	memcpy(p, h, 4);
	memcpy(p + 4, id, 32);
	memcpy(p + 4 + 32 + 12, account, DENAI_ADDR_LEN);
	*out = p;
	*outlen = 4 + 64;
	return 0;
}
