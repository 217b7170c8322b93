/*
 * denai-request - ask the oracle for a prediction from a terminal: store
 * the data point, send the request (directly or through a consumer
 * contract), and optionally wait for the result; or show or cancel one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/ipfs.h"
#include "common/key.h"
#include "eth/hex.h"
#include "eth/units.h"
#include "fileio.h"
#include "ipfs/add.h"
#include "ipfs/blockstore.h"
#include "node/chain_read.h"
#include "node/chain_send.h"
#include "node/datapoint.h"
#include "node/shape.h"
#include "ipfs/fetch.h"

#define TIMEOUT_MS 120000

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-request --model ID --data FILE|- [--tip AMOUNT]\n"
	    "                     [--via CONSUMER | --consumer]"
	    " [--callback-gas N]\n"
	    "                     [--wait [--timeout SECONDS]]"
	    " [--no-shape-check] [--sealed]\n"
	    "       denai-request --status ID\n"
	    "       denai-request --wait-for ID [--timeout SECONDS]\n"
	    "       denai-request --cancel ID [--via CONSUMER | --consumer]\n"
	    "common: [--rpc-url URL] [--deployment FILE] [--keystore PATH]"
	    " [--ipfs-dir DIR]\n");
	exit(status);
}

/* Where a request or a cancel goes: --via/--consumer, else the oracle. */
struct target {
	uint8_t addr[DENAI_ADDR_LEN];
	const uint8_t *via;		/* addr, or NULL: the oracle */
};

static void
print_result(const denai_chain *ch, const char *id, const char *key,
    const char *val)
{
	denai_err err;
	json_t *rec = denai_chain_result(ch, id, &err);

	if (rec == NULL)
		cli_die_err(&err);
	if (key != NULL)
		json_object_set_new(rec, key, json_string(val));
	cli_print_json(rec);
}

/* A progress line on a terminal while a request stays open. */
static void
progress(void *ctx, const char *id, const denai_request_info *info,
    uint64_t elapsed_ms)
{
	fprintf(stderr, "\r%s: request %s: %llu submissions, %.0f s",
	    cli_progname(), id, (unsigned long long)info->submissions,
	    (double)elapsed_ms / 1000.0);
}

static void
wait_for(const denai_chain *ch, const char *id, unsigned long long timeout_s)
{
	denai_request_info info;
	denai_err err;
	int tty = isatty(STDERR_FILENO), rc;

	rc = denai_chain_request_wait(ch, &info, id, timeout_s * 1000,
	    tty ? progress : NULL, NULL, &err);
	if (tty)
		fputc('\n', stderr);
	if (rc != 0)
		cli_die_err(&err);
}

/* Dies of a failed send: a refusal the contract would make is bad data. */
static void
die_send(const denai_chain_tx *tx, const denai_err *err)
{
	cli_die(tx->revert.set ? EX_DATAERR : denai_err_exit_status(err->code),
	    "%s", err->msg);
}

static int
cmd_status(const denai_chain *ch, const char *id)
{
	(void)cli_parse_count("--status", id);
	print_result(ch, id, NULL, NULL);
	return 0;
}

static int
cmd_wait_for(const denai_chain *ch, const char *id,
    unsigned long long timeout_s)
{
	(void)cli_parse_count("--wait-for", id);
	wait_for(ch, id, timeout_s);
	print_result(ch, id, NULL, NULL);
	return 0;
}

static int
cmd_cancel(const denai_chain *ch, const struct target *t, const char *id,
    const char *keystore)
{
	denai_chain_tx tx;
	denai_sender *s;
	denai_err err;
	char txh[67];

	(void)cli_parse_count("--cancel", id);
	if ((s = cli_sender_open(ch->rpc, ch->chain_id, keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	if (denai_chain_request_cancel(ch, s, &tx, t->via, id, TIMEOUT_MS,
	    &err) != 0)
		die_send(&tx, &err);
	denai_hex_encode(txh, tx.hash, 32);
	denai_chain_tx_clear(&tx);
	denai_sender_free(s);
	print_result(ch, id, "cancel_tx_hash", txh);
	return 0;
}

/* The data point must fit the model (node/shape.h): the model file from
 * the store or the gateways. One that cannot be had stops the request
 * unless --no-shape-check. */
static void
check_shape(const denai_model_info *mi, const char *id, const uint8_t *buf,
    size_t n, const char *ipfs_dir, const char *path)
{
	denai_blockstore *bs;
	denai_fetcher *f = NULL;
	denai_fetch_opts fo;
	denai_err err;

	memset(&fo, 0, sizeof(fo));
	fo.gateways = cli_ipfs_gateways(NULL);
	fo.warn = cli_ipfs_warn;
	if ((bs = denai_blockstore_open(cli_ipfs_dir(ipfs_dir), &err)) == NULL ||
	    (f = denai_fetcher_new(bs, &fo, &err)) == NULL ||
	    denai_shape_check(f, mi->cid, mi->sha256, buf, n, &err) != 0) {
		if (err.code == DENAI_EDATA)
			cli_die(EX_DATAERR, "%s does not fit model %s: %s", path,
			    id, err.msg);
		cli_die(EX_UNAVAILABLE, "cannot check %s against model %s: "
		    "%s (--no-shape-check sends it unchecked)", path, id,
		    err.msg);
	}
	denai_fetcher_free(f);
	denai_blockstore_close(bs);
}

static int
cmd_request(const denai_chain *ch, const struct target *t,
    denai_request_new *rq, const char *data, int wait,
    unsigned long long timeout_s, const char *keystore, const char *ipfs_dir,
    int shape_check)
{
	denai_model_info mi;
	denai_blockstore *bs;
	denai_chain_tx tx;
	denai_sender *s;
	denai_cid cid;
	denai_err err;
	json_t *rec;
	uint8_t *buf;
	size_t n;
	char id[DENAI_U256_DEC_MAX];

	(void)cli_parse_count("--model", rq->model_id);
	if (denai_chain_model_usable(ch, &mi, rq->model_id, &err) != 0)
		cli_die_err(&err);
	if (denai_data_point_read(&buf, &n, data, stdin, &err) != 0)
		cli_die_err(&err);
	if (shape_check)
		check_shape(&mi, rq->model_id, buf, n, ipfs_dir, data);
	denai_model_info_clear(&mi);
	if ((bs = denai_blockstore_open(cli_ipfs_dir(ipfs_dir),
	    &err)) == NULL || denai_ipfs_add(bs, buf, n, 1, &cid, &err) != 0)
		cli_die_err(&err);
	denai_blockstore_close(bs);
	free(buf);
	rq->data_cid = denai_cid_str(&cid);
	rq->via = t->via;
	if ((s = cli_sender_open(ch->rpc, ch->chain_id, keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	if (denai_chain_request_send(ch, s, &rec, &tx, rq, TIMEOUT_MS,
	    &err) != 0)
		die_send(&tx, &err);
	denai_chain_tx_clear(&tx);
	denai_sender_free(s);
	if (rec == NULL)
		cli_die(EX_PROTOCOL,
		    "the transaction emitted no PredictionRequested");
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(rec,
	    "request_id")));
	cli_print_json(rec);
	if (wait) {
		wait_for(ch, id, timeout_s);
		print_result(ch, id, NULL, NULL);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"model", required_argument, NULL, 'm'},
		{"data", required_argument, NULL, 'D'},
		{"tip", required_argument, NULL, 't'},
		{"via", required_argument, NULL, 'v'},
		{"consumer", no_argument, NULL, 'C'},
		{"callback-gas", required_argument, NULL, 'g'},
		{"wait", no_argument, NULL, 'w'},
		{"timeout", required_argument, NULL, 'T'},
		{"status", required_argument, NULL, 's'},
		{"wait-for", required_argument, NULL, 'W'},
		{"cancel", required_argument, NULL, 'x'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"deployment", required_argument, NULL, 'd'},
		{"keystore", required_argument, NULL, 'k'},
		{"ipfs-dir", required_argument, NULL, 'I'},
		{"no-shape-check", no_argument, NULL, 'N'},
		{"sealed", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *model = NULL, *data = NULL, *tip = "0", *via = NULL,
	    *cbgas = "0", *status = NULL, *wait_id = NULL, *cancel = NULL,
	    *rpc_url = NULL, *dep = NULL, *keystore = NULL, *ipfs_dir = NULL;
	int ch, wait = 0, consumer = 0, shape_check = 1, sealed = 0, rc;
	unsigned long long timeout_s = 300;
	denai_request_new rq;
	struct target t = { { 0 }, NULL };
	denai_chain lib;
	denai_err err;
	cli_chain c;

	cli_init("denai-request");
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': model = optarg; break;
		case 'D': data = optarg; break;
		case 't': tip = optarg; break;
		case 'v': via = optarg; break;
		case 'C': consumer = 1; break;
		case 'g': cbgas = optarg; break;
		case 'w': wait = 1; break;
		case 'T': timeout_s = cli_parse_count("--timeout", optarg); break;
		case 's': status = optarg; break;
		case 'W': wait_id = optarg; break;
		case 'x': cancel = optarg; break;
		case 'r': rpc_url = optarg; break;
		case 'd': dep = optarg; break;
		case 'k': keystore = optarg; break;
		case 'I': ipfs_dir = optarg; break;
		case 'N': shape_check = 0; break;
		case 'S': sealed = 1; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc || (via && consumer) ||
	    (!!status + !!wait_id + !!cancel + !!model) != 1 ||
	    (model && !data) || (!model && data) || (sealed && !model))
		usage(EX_USAGE);
	memset(&rq, 0, sizeof(rq));
	rq.model_id = model;
	rq.sealed = sealed;
	rq.callback_gas = cbgas;
	if (denai_units_parse(&rq.tip, tip, &err) != 0)
		cli_die(EX_USAGE, "--tip: %s", err.msg);
	if (cli_parse_count("--callback-gas", cbgas) > 2500000)
		cli_die(EX_USAGE, "--callback-gas: at most 2500000");
	if (cli_chain_open(&c, rpc_url, dep, &err) != 0)
		cli_die_err(&err);
	if (consumer) {
		if (!c.dep.has_consumer)
			cli_die(EX_USAGE, "the deployment has no consumer "
			    "contract; use --via ADDRESS");
		memcpy(t.addr, c.dep.consumer, DENAI_ADDR_LEN);
		t.via = t.addr;
	} else if (via != NULL) {
		if (denai_secp_addr_parse(t.addr, via, strlen(via), &err) != 0)
			cli_die(EX_USAGE, "--via: %s", err.msg);
		t.via = t.addr;
	}
	lib = cli_chain_lib(&c);

	if (status != NULL)
		rc = cmd_status(&lib, status);
	else if (wait_id != NULL)
		rc = cmd_wait_for(&lib, wait_id, timeout_s);
	else if (cancel != NULL)
		rc = cmd_cancel(&lib, &t, cancel, keystore);
	else
		rc = cmd_request(&lib, &t, &rq, data, wait, timeout_s, keystore,
		    ipfs_dir, shape_check);
	cli_chain_close(&c);
	return rc;
}
