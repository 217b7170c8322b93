/*
 * rpcurl.h - the JSON-RPC endpoint of a program: a flag (--rpc-url), else
 * ETH_RPC_URL, else http://127.0.0.1:8545.
 */
#ifndef DENAI_CLI_RPCURL_H
#define DENAI_CLI_RPCURL_H

#define CLI_RPC_URL_DEFAULT "http://127.0.0.1:8545"

/* Returns: flag if not NULL, else ETH_RPC_URL if set and non-empty, else
 * CLI_RPC_URL_DEFAULT. */
const char *cli_rpc_url(const char *flag);

#endif
