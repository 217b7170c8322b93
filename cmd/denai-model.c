/*
 * denai-model - register, list, show and retire models in the DenAI
 * registry.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ipfs/blockstore.h"
#include "common/chain.h"
#include "common/cli.h"
#include "common/ipfs.h"
#include "common/key.h"
#include "node/contract.h"
#include "fileio.h"
#include "eth/hex.h"
#include "ipfs/add.h"
#include "onnx/graph.h"
#include "eth/txsend.h"

#define TIMEOUT_MS 120000
#define MAX_MODEL (256u << 20)

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

/* getModel(id) as an object. */
static json_t *
model_json(cli_chain *c, const char *id, denai_err *err)
{
	json_t *args = json_pack("[s]", id), *r = NULL, *o;
	int rc = denai_oracle_call(c->oracle, c->rpc, c->dep.oracle,
	    DENAI_FN_GET_MODEL, args, &r, err);

	json_decref(args);
	if (rc != 0) {
		if (strstr(err->msg, "UnknownModel") != NULL)
			denai_err_set(err, DENAI_EDATA,
			    "model %s is not registered", id);
		return NULL;
	}
	o = json_pack("{s:s,s:O,s:O,s:I,s:O,s:O,s:O}", "model_id", id,
	    "cid", json_array_get(r, 0), "sha256", json_array_get(r, 1),
	    "decimals", (json_int_t)strtol(json_string_value(
	    json_array_get(r, 2)), NULL, 10),
	    "active", json_array_get(r, 3), "trainer", json_array_get(r, 4),
	    "description", json_array_get(r, 5));
	json_decref(r);
	return o;
}

/*
 * Dies after a failed send of what: a revert the node reported is decoded
 * with the oracle's errors (a key without the trainer role, or not the
 * model's owner, exits 77; another revert 65).
 */
static void
die_send(cli_chain *c, const char *what, const denai_err *err)
{
	const denai_rpc_error *re = denai_rpc_last_error(c->rpc);
	denai_abi_sig *const *errs;
	const char *name;
	json_t *dec = NULL;
	char why[300];
	size_t nerrs;
	int st;

	errs = denai_oracle_errors(c->oracle, &nerrs);
	if (err->code == DENAI_ESTATE && re->set && re->data != NULL &&
	    denai_contract_revert_message(why, sizeof(why), &dec, re->data,
	    errs, nerrs, NULL) == 0) {
		name = json_string_value(json_object_get(dec, "error"));
		st = name != NULL && (strcmp(name,
		    "AccessControlUnauthorizedAccount") == 0 ||
		    strcmp(name, "NotModelOwner") == 0) ? EX_NOPERM :
		    EX_DATAERR;
		json_decref(dec);
		cli_die(st, "%s would revert: %s", what, why);
	}
	cli_die(denai_err_exit_status(err->code), "%s: %s", what, err->msg);
}

static int
cmd_register(cli_chain *c, const char *file, const char *decimals,
    const char *desc, const char *keystore, const char *ipfs_dir)
{
	uint8_t *buf, sha[32], *cd, hash[32];
	size_t n, cdlen, i;
	unsigned dlen = 32;
	char shahex[67], txh[67];
	denai_graph *g;
	denai_blockstore *bs;
	denai_cid cid;
	denai_sender *s;
	denai_err err;
	json_t *args, *rc, *logs, *v, *dec, *out;
	const char *mid = NULL;
	uint8_t topic[32];
	char t0[67];

	if (cli_parse_count("--decimals", decimals) > 77)
		cli_die(EX_USAGE, "--decimals: at most 77");
	if (denai_file_read(&buf, &n, file, MAX_MODEL, &err) != 0)
		cli_die_err(&err);
	/* Refuse what miners could not run, before it costs gas. */
	if (denai_graph_load_mem(&g, buf, n, NULL, &err) != 0)
		cli_die(EX_DATAERR, "%s: %s", file, err.msg);
	denai_graph_free(g);
	if (EVP_Digest(buf, n, sha, &dlen, EVP_sha256(), NULL) != 1)
		cli_die(EX_SOFTWARE, "sha256 failed");
	if ((bs = denai_blockstore_open(ipfs_dir, &err)) == NULL ||
	    denai_ipfs_add(bs, buf, n, 1, &cid, &err) != 0)
		cli_die_err(&err);
	denai_blockstore_close(bs);
	free(buf);

	if ((s = cli_sender_open(c->rpc, c->chain_id, keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	args = json_pack("[ssss]", denai_cid_str(&cid),
	    denai_hex_encode(shahex, sha, 32), decimals, desc);
	if (denai_oracle_calldata(c->oracle, DENAI_FN_REGISTER_MODEL, args, &cd,
	    &cdlen, &err) != 0)
		cli_die_err(&err);
	json_decref(args);
	if (denai_sender_send_wait(s, c->dep.oracle, cd, cdlen, NULL, 0,
	    TIMEOUT_MS, &rc, hash, &err) != 0)
		die_send(c, "registerModel", &err);
	free(cd);
	denai_abi_topic0(topic, denai_oracle_event(c->oracle,
	    DENAI_EV_MODEL_REGISTERED));
	denai_hex_encode(t0, topic, 32);
	logs = json_object_get(rc, "logs");
	json_array_foreach(logs, i, v) {
		const char *tp = json_string_value(json_array_get(
		    json_object_get(v, "topics"), 0));
		if (tp == NULL || strcasecmp(tp, t0) != 0)
			continue;
		if ((dec = denai_oracle_decode_log(c->oracle,
		    DENAI_EV_MODEL_REGISTERED, v, &err)) == NULL)
			cli_die_err(&err);
		mid = json_string_value(json_object_get(json_object_get(dec,
		    "named"), "modelId"));
		out = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s}", "model_id", mid,
		    "cid", denai_cid_str(&cid), "sha256", shahex,
		    "decimals", (json_int_t)strtol(decimals, NULL, 10),
		    "description", desc,
		    "tx_hash", denai_hex_encode(txh, hash, 32));
		json_decref(dec);
		cli_print_json(out);
		break;
	}
	json_decref(rc);
	denai_sender_free(s);
	if (mid == NULL)
		cli_die(EX_PROTOCOL, "registerModel: no ModelRegistered event "
		    "(did the transaction revert? the key needs the trainer role)");
	return 0;
}

static int
cmd_list(cli_chain *c)
{
	json_t *r, *m;
	denai_err err;
	unsigned long long n, i;
	char id[24];

	if (denai_oracle_call(c->oracle, c->rpc, c->dep.oracle,
	    DENAI_FN_MODEL_COUNT, NULL, &r, &err) != 0)
		cli_die_err(&err);
	n = strtoull(json_string_value(json_array_get(r, 0)), NULL, 10);
	json_decref(r);
	for (i = 1; i <= n; i++) {
		snprintf(id, sizeof(id), "%llu", i);
		if ((m = model_json(c, id, &err)) == NULL)
			cli_die_err(&err);
		cli_print_json(m);
	}
	return 0;
}

static int
cmd_retire(cli_chain *c, const char *id, const char *keystore)
{
	uint8_t *cd, hash[32];
	size_t cdlen;
	denai_sender *s;
	denai_err err;
	json_t *args = json_pack("[s]", id), *rc;
	uint64_t st = 0;

	if ((s = cli_sender_open(c->rpc, c->chain_id, keystore, NULL,
	    &err)) == NULL ||
	    denai_oracle_calldata(c->oracle, DENAI_FN_RETIRE_MODEL, args, &cd,
	    &cdlen, &err) != 0)
		cli_die_err(&err);
	json_decref(args);
	if (denai_sender_send_wait(s, c->dep.oracle, cd, cdlen, NULL, 0,
	    TIMEOUT_MS, &rc, hash, &err) != 0)
		die_send(c, "retireModel", &err);
	if (denai_rpc_quantity_u64(&st, json_object_get(rc, "status"), NULL) != 0
	    || st != 1)
		cli_die(EX_DATAERR, "retireModel %s reverted", id);
	json_decref(rc);
	free(cd);
	denai_sender_free(s);
	cli_print_json(model_json(c, id, &err));
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
	denai_err err;
	json_t *m;
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
	if (strcmp(verb, "register") == 0)
		rc = cmd_register(&c, argv[1], decimals, desc, keystore,
		    cli_ipfs_dir(ipfs_dir));
	else if (strcmp(verb, "list") == 0)
		rc = cmd_list(&c);
	else if (strcmp(verb, "retire") == 0)
		rc = cmd_retire(&c, argv[1], keystore);
	else {
		if ((m = model_json(&c, argv[1], &err)) == NULL)
			cli_die_err(&err);
		cli_print_json(m);
		rc = 0;
	}
	cli_chain_close(&c);
	return rc;
}
