/*
 * denai-model - register, list, show and retire models in the DenAI
 * registry.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/ipfs.h"
#include "common/key.h"
#include "eth/hex.h"
#include "ipfs/cid.h"
#include "node/chain_read.h"
#include "node/chain_send.h"
#include "node/model_file.h"

#define TIMEOUT_MS 120000

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-model register FILE.onnx [--decimals D]"
	    " [--description TEXT]\n"
	    "       denai-model list\n"
	    "       denai-model show ID\n"
	    "       denai-model retire ID\n"
	    "common: [--rpc-url URL] [--deployment FILE] [--keystore PATH]"
	    " [--ipfs-dir DIR]\n");
	exit(status);
}

/* Prints model id as the registry holds it. */
static void
print_model(const denai_chain *ch, const char *id)
{
	denai_model_info mi;
	denai_err err;
	json_t *o;

	if (denai_chain_model(ch, &mi, id, &err) != 0)
		cli_die_err(&err);
	if ((o = denai_model_info_json(&mi, id)) == NULL)
		cli_die(EX_OSERR, "out of memory");
	denai_model_info_clear(&mi);
	cli_print_json(o);
}

/*
 * Dies after a failed send of what: a refusal the registry would make is
 * decoded (a key without the trainer role, or not the model's owner,
 * exits 77; another refusal 65).
 */
static void
die_send(const denai_chain_tx *tx, const char *what, const denai_err *err)
{
	if (tx->revert.set)
		cli_die(denai_chain_revert_denied(&tx->revert) ? EX_NOPERM :
		    EX_DATAERR, "%s", err->msg);
	cli_die(denai_err_exit_status(err->code), "%s: %s", what, err->msg);
}

static int
cmd_register(const denai_chain *ch, const char *file, const char *decimals,
    const char *desc, const char *keystore, const char *ipfs_dir)
{
	uint8_t sha[32];
	char shahex[67], txh[67], mid[DENAI_U256_DEC_MAX];
	denai_chain_tx tx;
	denai_cid cid;
	denai_sender *s;
	denai_err err;

	if (cli_parse_count("--decimals", decimals) > 77)
		cli_die(EX_USAGE, "--decimals: at most 77");
	if (denai_model_file_store(&cid, sha, file, ipfs_dir, &err) != 0)
		cli_die_err(&err);

	if ((s = cli_sender_open(ch->rpc, ch->chain_id, keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	if (denai_chain_model_register(ch, s, mid, &tx, denai_cid_str(&cid),
	    sha, decimals, desc, TIMEOUT_MS, &err) != 0)
		die_send(&tx, "registerModel", &err);
	denai_sender_free(s);
	if (mid[0] == '\0')
		cli_die(EX_PROTOCOL, "registerModel: no ModelRegistered event "
		    "(did the transaction revert? the key needs the trainer role)");
	cli_print_json(json_pack("{s:s,s:s,s:s,s:I,s:s,s:s}", "model_id", mid,
	    "cid", denai_cid_str(&cid), "sha256",
	    denai_hex_encode(shahex, sha, 32), "decimals",
	    (json_int_t)strtol(decimals, NULL, 10), "description", desc,
	    "tx_hash", denai_hex_encode(txh, tx.hash, 32)));
	denai_chain_tx_clear(&tx);
	return 0;
}

static int
cmd_list(const denai_chain *ch)
{
	denai_err err;
	uint64_t n, i;
	char id[24];

	if (denai_chain_model_count(ch, &n, &err) != 0)
		cli_die_err(&err);
	for (i = 1; i <= n; i++) {
		snprintf(id, sizeof(id), "%llu", (unsigned long long)i);
		print_model(ch, id);
	}
	return 0;
}

static int
cmd_show(const denai_chain *ch, const char *id)
{
	print_model(ch, id);
	return 0;
}

static int
cmd_retire(const denai_chain *ch, const char *id, const char *keystore)
{
	denai_chain_tx tx;
	denai_sender *s;
	denai_err err;

	if ((s = cli_sender_open(ch->rpc, ch->chain_id, keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	if (denai_chain_model_retire(ch, s, &tx, id, TIMEOUT_MS, &err) != 0)
		die_send(&tx, "retireModel", &err);
	denai_chain_tx_clear(&tx);
	denai_sender_free(s);
	print_model(ch, id);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"decimals", required_argument, NULL, 'D'},
		{"description", required_argument, NULL, 'T'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"deployment", required_argument, NULL, 'd'},
		{"keystore", required_argument, NULL, 'k'},
		{"ipfs-dir", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *decimals = "0", *desc = "", *rpc_url = NULL, *dep = NULL,
	    *keystore = NULL, *ipfs_dir = NULL, *verb;
	cli_chain c;
	denai_chain lib;
	denai_err err;
	int ch, rc;

	cli_init("denai-model");
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': decimals = optarg; break;
		case 'T': desc = optarg; break;
		case 'r': rpc_url = optarg; break;
		case 'd': dep = optarg; break;
		case 'k': keystore = optarg; break;
		case 'I': ipfs_dir = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(EX_USAGE);
	verb = argv[0];
	if (!((strcmp(verb, "list") == 0 && argc == 1) ||
	    (strcmp(verb, "register") == 0 && argc == 2) ||
	    ((strcmp(verb, "show") == 0 || strcmp(verb, "retire") == 0) &&
	    argc == 2)))
		usage(EX_USAGE);
	if (strcmp(verb, "show") == 0 || strcmp(verb, "retire") == 0)
		(void)cli_parse_count("model id", argv[1]);
	if (cli_chain_open(&c, rpc_url, dep, &err) != 0)
		cli_die_err(&err);
	lib = cli_chain_lib(&c);
	if (strcmp(verb, "register") == 0)
		rc = cmd_register(&lib, argv[1], decimals, desc, keystore,
		    cli_ipfs_dir(ipfs_dir));
	else if (strcmp(verb, "list") == 0)
		rc = cmd_list(&lib);
	else if (strcmp(verb, "retire") == 0)
		rc = cmd_retire(&lib, argv[1], keystore);
	else
		rc = cmd_show(&lib, argv[1]);
	cli_chain_close(&c);
	return rc;
}
