/* ipfs.c - IPFS settings for the programs. */
#include "ipfs.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

const char *
cli_ipfs_dir(const char *flag)
{
	static char buf[4096];
	const char *v;

	if ((v = cli_setting(flag, "DENAI_IPFS_DIR", NULL)) != NULL)
		return v;
	if ((v = getenv("XDG_DATA_HOME")) != NULL && *v == '/')
		snprintf(buf, sizeof(buf), "%s/denai/ipfs", v);
	else if ((v = getenv("HOME")) != NULL && *v != '\0')
		snprintf(buf, sizeof(buf), "%s/.local/share/denai/ipfs", v);
	else
		cli_die(EX_USAGE, "no block store: set DENAI_IPFS_DIR or HOME");
	return buf;
}

const char *
cli_ipfs_gateways(const char *flag)
{
	return cli_setting(flag, "DENAI_IPFS_GATEWAY", NULL);
}

void
cli_ipfs_warn(void *arg, const char *msg)
{
	(void)arg;
	cli_warn("%s", msg);
}
