/*
 * ipfs.h - IPFS settings shared by denai-fetch and denai-ipfs: the block
 * store folder and the gateway list (flag, then environment, then default).
 */
#ifndef DENAI_CLI_IPFS_H
#define DENAI_CLI_IPFS_H

/* Returns: the store folder: flag, else $DENAI_IPFS_DIR, else
 * $XDG_DATA_HOME/denai/ipfs, else $HOME/.local/share/denai/ipfs. Dies with
 * EX_USAGE when none can be found. The string lives until exit. */
const char *cli_ipfs_dir(const char *flag);

/* Returns: the gateway list: flag, else $DENAI_IPFS_GATEWAY, else NULL
 * (the local store only). */
const char *cli_ipfs_gateways(const char *flag);

/* A denai_fetch_warn_fn: prints "denai-x: msg" on stderr. */
void cli_ipfs_warn(void *arg, const char *msg);

#endif
