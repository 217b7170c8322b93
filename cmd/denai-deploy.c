/*
 * denai-deploy - deploy the DenAI contracts and write the deployment file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eth/artifact.h"
#include "common/cli.h"
#include "common/chain.h"
#include "node/contract.h"
#include "node/deployment.h"
#include "eth/hex.h"
#include "common/key.h"
#include "node/oracle.h"
#include "node/roles.h"
#include "eth/txsend.h"

#define TIMEOUT_MS 120000

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

/* Sends calldata cd to `to` and waits for it to succeed. */
static void
call(denai_sender *s, const uint8_t to[DENAI_ADDR_LEN], uint8_t *cd,
    size_t len, const char *what)
{
	uint8_t hash[32];
	uint64_t st = 0;
	json_t *rc;
	denai_err err;

	if (denai_sender_send_wait(s, to, cd, len, NULL, 0, TIMEOUT_MS, &rc, hash,
	    &err) != 0)
		cli_die(denai_err_exit_status(err.code), "%s: %s", what, err.msg);
	if (denai_rpc_quantity_u64(&st, json_object_get(rc, "status"), NULL)
	    != 0 || st != 1)
		cli_die(EX_UNAVAILABLE, "%s: the transaction reverted", what);
	json_decref(rc);
	free(cd);
}

/* Sends grantRole (grant) or revokeRole for role to account. */
static void
role_call(denai_sender *s, const uint8_t oracle[DENAI_ADDR_LEN], int grant,
    const char *role, const uint8_t account[DENAI_ADDR_LEN])
{
	uint8_t id[32], *cd;
	size_t len;
	char what[64];
	denai_err err;

	if (denai_role_id(id, role, &err) != 0 ||
	    denai_role_calldata(&cd, &len, grant, id, account, &err) != 0)
		cli_die_err(&err);
	snprintf(what, sizeof(what), "%s %s", grant ? "granting" : "revoking", role);
	call(s, oracle, cd, len, what);
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
	role_call(s, c.dep.oracle, grant, argv[optind], account);
	denai_sender_free(s);
	cli_chain_close(&c);
	return 0;
}

/* Deploys artifact name with constructor types ctor and args. */
static void
deploy(denai_sender *s, const char *dir, const char *name, const char *ctor,
    json_t *args, uint8_t addr[DENAI_ADDR_LEN], uint64_t *block)
{
	uint8_t *code, *init, hash[32];
	size_t len, ilen;
	json_t *rc;
	const char *a;
	uint64_t st = 0, gas = 0;
	char hex[DENAI_ADDR_HEX_MAX];
	denai_err err;

	if (denai_artifact_bytecode(&code, &len, dir, name, &err) != 0 ||
	    denai_artifact_initcode(&init, &ilen, code, len, ctor, args,
	    &err) != 0)
		cli_die_err(&err);
	free(code);
	if (denai_sender_send_wait(s, NULL, init, ilen, NULL, 0, TIMEOUT_MS, &rc,
	    hash, &err) != 0)
		cli_die(denai_err_exit_status(err.code), "deploying %s: %s", name,
		    err.msg);
	free(init);
	a = json_string_value(json_object_get(rc, "contractAddress"));
	if (denai_rpc_quantity_u64(&st, json_object_get(rc, "status"), NULL)
	    != 0 || st != 1 || a == NULL ||
	    denai_hex_decode_exact(addr, DENAI_ADDR_LEN, a, &err) != 0)
		cli_die(EX_UNAVAILABLE, "deploying %s: the creation reverted", name);
	if (denai_rpc_quantity_u64(block, json_object_get(rc, "blockNumber"),
	    NULL) != 0 || denai_rpc_quantity_u64(&gas,
	    json_object_get(rc, "gasUsed"), NULL) != 0)
		cli_die(EX_PROTOCOL, "deploying %s: malformed receipt", name);
	cli_warn("%s at %s (block %llu, gas %llu)", name,
	    denai_secp_addr_checksum(hex, addr), (unsigned long long)*block,
	    (unsigned long long)gas);
	json_decref(rc);
	json_decref(args);
}

int
main(int argc, char **argv)
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
	const char *quorum = "5", *difficulty = "1000", *expiry = "1000",
	    *target = "0", *artifacts = NULL, *out = NULL, *rpc_url = NULL,
	    *keystore = NULL;
	int ch, consumer = 1, closed = 0;
	denai_deployment dep;
	denai_rpc *rpc;
	denai_sender *s;
	denai_oracle *o;
	denai_err err;
	cli_key key;
	json_t *r, *doc;
	uint64_t blk;

	cli_init("denai-deploy");
	if (argc > 1 && strcmp(argv[1], "grant") == 0)
		return main_role(argc - 1, argv + 1, 1);
	if (argc > 1 && strcmp(argv[1], "revoke") == 0)
		return main_role(argc - 1, argv + 1, 0);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'q': quorum = optarg; break;
		case 'd': difficulty = optarg; break;
		case 'e': expiry = optarg; break;
		case 't': target = optarg; break;
		case 'C': closed = 1; break;
		case 'N': consumer = 0; break;
		case 'a': artifacts = optarg; break;
		case 'o': out = optarg; break;
		case 'r': rpc_url = optarg; break;
		case 'k': keystore = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc)
		usage(EX_USAGE);
	(void)cli_parse_count("--quorum", quorum);
	(void)cli_parse_count("--difficulty", difficulty);
	(void)cli_parse_count("--expiry", expiry);
	(void)cli_parse_count("--target-time", target);
	/* A checkout's build first, then what make install put in place. */
	artifacts = cli_setting(artifacts, "DENAI_ARTIFACTS",
	    access("build/contracts/DenAI.json", R_OK) == 0 ?
	    "build/contracts" : DENAI_DATADIR "/contracts");
	out = cli_deployment_path(out);

	memset(&dep, 0, sizeof(dep));
	if (cli_key_load(&key, keystore, &err) != 0 ||
	    cli_rpc_open(&rpc, rpc_url, &err) != 0 ||
	    denai_rpc_chain_id(rpc, &dep.chain_id, &err) != 0 ||
	    (s = denai_sender_new(rpc, key.sk, dep.chain_id, NULL, &err)) == NULL ||
	    (o = denai_oracle_new(&err)) == NULL)
		cli_die_err(&err);
	cli_key_wipe(&key);
	memcpy(dep.deployer, denai_sender_address(s), DENAI_ADDR_LEN);
	dep.has_deployer = 1;
	dep.quorum = cli_parse_count("--quorum", quorum);

	deploy(s, artifacts, "DenAI", "(uint256,uint256,uint256,uint256)",
	    json_pack("[ssss]", quorum, difficulty, expiry, target), dep.oracle,
	    &dep.block);
	if (denai_oracle_call(o, rpc, dep.oracle, DENAI_FN_TOKEN, NULL, &r,
	    &err) != 0)
		cli_die_err(&err);
	if (denai_hex_decode_exact(dep.token, DENAI_ADDR_LEN,
	    json_string_value(json_array_get(r, 0)), &err) != 0)
		cli_die_err(&err);
	dep.has_token = 1;
	json_decref(r);
	{
		char a[DENAI_ADDR_HEX_MAX];

		deploy(s, artifacts, "DenAITasks", "(address)",
		    json_pack("[s]", denai_secp_addr_checksum(a, dep.oracle)),
		    dep.tasks, &blk);
		dep.has_tasks = 1;
		role_call(s, dep.oracle, 1, "TASKS_ROLE", dep.tasks);
	}
	if (consumer) {
		char a[DENAI_ADDR_HEX_MAX];

		deploy(s, artifacts, "ExampleConsumer", "(address)",
		    json_pack("[s]", denai_secp_addr_checksum(a, dep.oracle)),
		    dep.consumer, &blk);
		dep.has_consumer = 1;
	}
	if (closed) {
		denai_abi_sig *sig = denai_abi_sig_parse("setOpenMining(bool)",
		    &err);
		uint8_t *cd;
		size_t cdlen;
		json_t *args = json_pack("[b]", 0);

		if (sig == NULL || denai_abi_calldata(&cd, &cdlen, sig, args,
		    &err) != 0)
			cli_die_err(&err);
		call(s, dep.oracle, cd, cdlen, "closing mining");
		json_decref(args);
		denai_abi_sig_free(sig);
	}
	if (denai_deployment_save(&dep, out, &err) != 0)
		cli_die_err(&err);
	doc = denai_deployment_json(&dep);
	json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
	denai_oracle_free(o);
	denai_sender_free(s);
	denai_rpc_free(rpc);
	return 0;
}
