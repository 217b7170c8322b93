/*
 * chain.h - what a program needs to talk to a DenAI deployment: the
 * JSON-RPC client (--rpc-url, ETH_RPC_URL), the deployment file
 * (--deployment, DENAI_DEPLOYMENT, ./deployment.json) checked against the
 * node's chain id, and the oracle's parsed signatures.
 */
#ifndef DENAI_CLI_CHAIN_H
#define DENAI_CLI_CHAIN_H

#include "node/deployment.h"
#include "eth/txsend.h"
#include "err.h"
#include "node/oracle.h"
#include "node/chain_read.h"
#include "eth/rpc.h"

#define CLI_DEPLOYMENT_DEFAULT "deployment.json"

typedef struct cli_chain {
	denai_rpc *rpc;
	denai_deployment dep;
	denai_oracle *oracle;
	uint64_t chain_id;		/* the node's */
} cli_chain;

/* Returns: flag, else DENAI_DEPLOYMENT, else CLI_DEPLOYMENT_DEFAULT. */
const char *cli_deployment_path(const char *flag);

/* Opens only the RPC client (for tools that run before a deployment). */
int cli_rpc_open(denai_rpc **rpc, const char *rpc_flag, denai_err *err)
    DENAI_WUR;

/*
 * Opens the client and the deployment and checks that the node serves the
 * deployment's chain. Returns: 0, or -1 (the chain mismatch is
 * DENAI_EUSAGE: "deployment.json is for chain 1, the node at ... serves
 * chain 31337").
 */
int cli_chain_open(cli_chain *c, const char *rpc_flag,
    const char *deployment_flag, denai_err *err) DENAI_WUR;
void cli_chain_close(cli_chain *c);

/* The library's view of an open c (node/chain_read.h), borrowing its
 * client, signature table and deployment. */
denai_chain cli_chain_lib(const cli_chain *c);

/*
 * cli_chain_open for long-running stages: while the node cannot be reached
 * (DENAI_EPEER) it waits and tries again with backoff (up to 15 s), saying
 * so once and once more when the node answers, until *stop is set (then
 * -1, DENAI_EPEER). Other failures return at once.
 */
int cli_chain_open_wait(cli_chain *c, const char *rpc_flag,
    const char *deployment_flag, volatile const int *stop, denai_err *err)
    DENAI_WUR;

/*
 * A transaction sender for the configured key (--keystore, else the
 * environment; see key.h) on rpc and chain_id; the key is wiped once the
 * sender holds it. opts may be NULL. Returns: the sender, or NULL.
 */
denai_sender *cli_sender_open(denai_rpc *rpc, uint64_t chain_id,
    const char *keystore, const denai_sender_opts *opts, denai_err *err);

/* Prints o as one compact JSON line on stdout and drops the reference. */
void cli_print_json(json_t *o);

#endif
