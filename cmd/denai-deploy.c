/*
 * denai-deploy - deploy the DenAI contracts and write the deployment file;
 * grant or revoke one of DenAI's roles. The steps are lib/node/deploy.c's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/chain.h"
#include "common/key.h"
#include "common/rpcurl.h"
#include "node/deploy.h"
#include "node/roles.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-deploy [--quorum N] [--difficulty D] [--expiry BLOCKS]\n"
	    "                    [--target-time SECONDS] [--closed-mining]\n"
	    "                    [--no-consumer] [--artifacts DIR] [--out FILE]\n"
	    "                    [--rpc-url URL] [--keystore PATH]\n"
	    "       denai-deploy grant|revoke ROLE ADDRESS [--deployment FILE]\n"
	    "                    [--rpc-url URL] [--keystore PATH]\n");
	exit(status);
}

/* Says where each contract went, on stderr. */
static void
created(void *ctx, const char *name, const uint8_t addr[DENAI_ADDR_LEN],
    uint64_t block, uint64_t gas)
{
	char hex[DENAI_ADDR_HEX_MAX];

	(void)ctx;
	cli_warn("%s at %s (block %llu, gas %llu)", name,
	    denai_secp_addr_checksum(hex, addr), (unsigned long long)block,
	    (unsigned long long)gas);
}

/* denai-deploy grant|revoke ROLE ADDRESS: the deployer (admin) grants or
 * revokes one of DenAI's roles. */
static int
main_role(int argc, char **argv, int grant)
{
	static const struct option opts[] = {
		{"deployment", required_argument, NULL, 'D'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"keystore", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *deployment = NULL, *rpc_url = NULL, *keystore = NULL;
	uint8_t account[DENAI_ADDR_LEN], id[32];
	denai_sender *s;
	denai_err err;
	cli_chain c;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': deployment = optarg; break;
		case 'r': rpc_url = optarg; break;
		case 'k': keystore = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (argc - optind != 2)
		usage(EX_USAGE);
	if (denai_role_id(id, argv[optind], &err) != 0)	/* checked early */
		cli_die_err(&err);
	if (denai_secp_addr_parse(account, argv[optind + 1],
	    strlen(argv[optind + 1]), &err) != 0)
		cli_die(EX_USAGE, "%s: %s", argv[optind + 1], err.msg);
	if (cli_chain_open(&c, rpc_url, deployment, &err) != 0 ||
	    (s = cli_sender_open(c.rpc, c.chain_id, keystore, NULL, &err)) == NULL)
		cli_die_err(&err);
	if (denai_deploy_role(s, c.dep.oracle, grant, argv[optind], account,
	    &err) != 0)
		cli_die_err(&err);
	denai_sender_free(s);
	cli_chain_close(&c);
	return 0;
}

/* denai-deploy [flags]: deploys the contracts, writes the deployment file
 * and prints it as one JSON line. */
static int
main_deploy(int argc, char **argv)
{
	static const struct option opts[] = {
		{"quorum", required_argument, NULL, 'q'},
		{"difficulty", required_argument, NULL, 'd'},
		{"expiry", required_argument, NULL, 'e'},
		{"target-time", required_argument, NULL, 't'},
		{"closed-mining", no_argument, NULL, 'C'},
		{"no-consumer", no_argument, NULL, 'N'},
		{"artifacts", required_argument, NULL, 'a'},
		{"out", required_argument, NULL, 'o'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"keystore", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	denai_deploy_opts o = {
		.quorum = "5", .difficulty = "1000", .expiry = "1000",
		.target_time = "0", .consumer = 1,
	};
	const char *out = NULL, *rpc_url = NULL, *keystore = NULL;
	denai_deployment dep;
	denai_err err;
	cli_key key;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'q': o.quorum = optarg; break;
		case 'd': o.difficulty = optarg; break;
		case 'e': o.expiry = optarg; break;
		case 't': o.target_time = optarg; break;
		case 'C': o.closed_mining = 1; break;
		case 'N': o.consumer = 0; break;
		case 'a': o.artifacts = optarg; break;
		case 'o': out = optarg; break;
		case 'r': rpc_url = optarg; break;
		case 'k': keystore = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc)
		usage(EX_USAGE);
	(void)cli_parse_count("--quorum", o.quorum);
	(void)cli_parse_count("--difficulty", o.difficulty);
	(void)cli_parse_count("--expiry", o.expiry);
	(void)cli_parse_count("--target-time", o.target_time);
	/* A checkout's build first, then what make install put in place. */
	o.artifacts = cli_setting(o.artifacts, "DENAI_ARTIFACTS",
	    access("build/contracts/DenAI.json", R_OK) == 0 ?
	    "build/contracts" : DENAI_DATADIR "/contracts");
	out = cli_deployment_path(out);

	if (cli_key_load(&key, keystore, &err) != 0)
		cli_die_err(&err);
	rc = denai_deploy(&dep, cli_rpc_url(rpc_url), key.sk, &o, out, created,
	    NULL, &err);
	cli_key_wipe(&key);
	if (rc != 0)
		cli_die_err(&err);
	cli_print_json(denai_deployment_json(&dep));
	return 0;
}

int
main(int argc, char **argv)
{
	cli_init("denai-deploy");
	if (argc > 1 && strcmp(argv[1], "grant") == 0)
		return main_role(argc - 1, argv + 1, 1);
	if (argc > 1 && strcmp(argv[1], "revoke") == 0)
		return main_role(argc - 1, argv + 1, 0);
	return main_deploy(argc, argv);
}
