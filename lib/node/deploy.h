/*
 * node/deploy.h - putting DenAI on a chain: deploy the DenAI oracle and
 * registry (its constructor deploys the DENAI token), DenAITasks (granted
 * TASKS_ROLE on DenAI), optionally the ExampleConsumer, optionally close
 * mining (setOpenMining(false)), and write the deployment file; and the
 * admin's grant/revoke of one of DenAI's roles (node/roles.h).
 *
 * Each step waits for its transaction and checks that it succeeded; a
 * step that fails is named in the error ("deploying DenAITasks: ...",
 * "granting TASKS_ROLE: the transaction reverted").
 */
#ifndef DENAI_NODE_DEPLOY_H
#define DENAI_NODE_DEPLOY_H

#include <stdint.h>

#include "err.h"
#include "eth/secp.h"
#include "eth/txsend.h"
#include "node/deployment.h"

/* How long each step waits for its receipt. */
#define DENAI_DEPLOY_TIMEOUT_MS 120000

typedef struct denai_deploy_opts {
	const char *artifacts;	/* folder of the contract artifacts (.json) */
	const char *quorum;	/* DenAI's constructor arguments, decimal */
	const char *difficulty;
	const char *expiry;	/* blocks */
	const char *target_time;	/* seconds; "0": fixed difficulty */
	int consumer;		/* also deploy the ExampleConsumer */
	int closed_mining;	/* setOpenMining(false) once deployed */
} denai_deploy_opts;

/* Told after each contract is created: its artifact name, address,
 * creation block and gas used. */
typedef void (*denai_deploy_fn)(void *ctx, const char *name,
    const uint8_t addr[DENAI_ADDR_LEN], uint64_t block, uint64_t gas);

/*
 * Deploys the contracts o names through the node at rpc_url from the key
 * sk (the deployer and DenAI's admin), calling fn (may be NULL) after
 * each creation, and writes the deployment file to path atomically (on
 * any failure the file there is left alone).
 * Out: dep, what was written (chain id, addresses, block, quorum,
 * deployer).
 * Returns: 0, or -1: the node unreachable DENAI_EPEER; an artifact missing
 * DENAI_EIO or without bytecode DENAI_EDATA; a creation or transaction
 * that reverted DENAI_EPEER ("deploying DenAI: the creation reverted",
 * "closing mining: the transaction reverted"); a refused send as
 * denai_sender_send_wait; the file as denai_deployment_save.
 */
int denai_deploy(denai_deployment *dep, const char *rpc_url,
    const uint8_t sk[32], const denai_deploy_opts *o, const char *path,
    denai_deploy_fn fn, void *ctx, denai_err *err) DENAI_WUR;

/*
 * grantRole (grant != 0) or revokeRole of role (a name node/roles.h
 * knows: "miner", "VALIDATOR_ROLE") for account on the oracle, sent from
 * s (the admin). Returns: 0, or -1: an unknown role DENAI_EUSAGE; a key
 * that is not the admin as denai_sender_send_wait (refused before sending:
 * DENAI_ESTATE); mined with status 0 DENAI_EPEER "granting miner: the
 * transaction reverted".
 */
int denai_deploy_role(denai_sender *s, const uint8_t oracle[DENAI_ADDR_LEN],
    int grant, const char *role, const uint8_t account[DENAI_ADDR_LEN],
    denai_err *err) DENAI_WUR;

#endif
