/* rpcurl.c - the JSON-RPC endpoint setting. */
#include "rpcurl.h"

#include "cli.h"

const char *
cli_rpc_url(const char *flag)
{
	return cli_setting(flag, "ETH_RPC_URL", CLI_RPC_URL_DEFAULT);
}
