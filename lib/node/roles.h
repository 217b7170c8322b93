/*
 * roles.h - DenAI's access-control roles by name, and the calldata that
 * grants or revokes one (the admin's grantRole/revokeRole).
 *
 *   MINER_ROLE      the oracle's allowlist when open mining is off
 *   VALIDATOR_ROLE  scores training tasks (DenAI counts them)
 *   TRAINER_ROLE    registers models directly
 *   TASKS_ROLE      the tasks contract: registerFor, mintFor
 *   DEFAULT_ADMIN_ROLE  grants and revokes the others
 */
#ifndef DENAI_ROLES_H
#define DENAI_ROLES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "eth/secp.h"

/*
 * Sets id to the role's id: keccak256 of its name ("MINER_ROLE"), zero
 * for DEFAULT_ADMIN_ROLE. The name is case-insensitive and "_ROLE" may be
 * left out ("miner"). Returns: 0, or -1 (DENAI_EUSAGE listing the names).
 */
int denai_role_id(uint8_t id[32], const char *name, denai_err *err) DENAI_WUR;

/*
 * Calldata of grantRole(bytes32,address) (grant != 0) or
 * revokeRole(bytes32,address). Out: *out, malloc'd, *outlen bytes.
 * Returns: 0, or -1 (DENAI_ENOMEM).
 */
int denai_role_calldata(uint8_t **out, size_t *outlen, int grant,
    const uint8_t id[32], const uint8_t account[DENAI_ADDR_LEN],
    denai_err *err) DENAI_WUR;

#endif
