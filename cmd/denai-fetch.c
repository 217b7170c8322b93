/*
 * denai-fetch - the pipeline stage that fetches and verifies what a request
 * needs: the data point named by data_cid and the model named by its CID
 * and sha256. Every byte is checked against its content address (local
 * block store first, then trustless gateways).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ipfs/blockstore.h"
#include "ipfs/cid.h"
#include "common/cli.h"
#include "common/chain.h"
#include "common/ipfs.h"
#include "common/metrics.h"
#include "node/fetch_record.h"
#include "eth/hex.h"
#include "ipfs/fetch.h"
#include "node/outage.h"
#include "node/record.h"
#include "eth/txsend.h"
#include "task/task_fetch.h"

struct ctx {
	denai_fetch_record fr;	/* the fetcher, dir and size caps */
	char dir[PATH_MAX];	/* absolute store folder */
	json_t *models;		/* --models map, or NULL */
	json_t *registry;	/* models read from the chain, by id */
	const char *rpc_url;	/* --rpc-url, or NULL */
	denai_outage down;	/* the node away: one line per outage */
	const char *deployment;	/* the deployment file, when it exists */
	cli_chain chain;
	int chain_open;
};

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-fetch [--dir dir] [--gateway urls] [--models file]\n"
	    "                   [--rpc-url url] [--deployment file]\n"
	    "                   [--max-size bytes] [--model-max-size bytes]\n"
	    "                   [--inline-max bytes] [--timeout seconds] "
	    "[--retries n]\n"
	    "                   [--metrics file]\n"
	    "       denai-fetch [--dir dir] [--gateway urls] [--max-size bytes] "
	    "--cid cid\n");
	exit(status);
}

/* The registry's entry for model id key, as a --models entry. */
static json_t *
registry_model(struct ctx *c, const char *key, denai_err *err)
{
	denai_model_info mi;
	denai_chain ch;
	json_t *m;
	char sha[67];
	double secs;

	if ((m = json_object_get(c->registry, key)) != NULL)
		return m;
	/* The node away is an outage, not a bad record: wait for it, with
	 * one line when it goes and one when it is back. */
	for (uint64_t backoff = 250;; backoff = backoff < 8000 ?
	    2 * backoff : 15000) {
		if ((c->chain_open || cli_chain_open(&c->chain, c->rpc_url,
		    c->deployment, err) == 0) && (c->chain_open = 1) &&
		    (ch = cli_chain_lib(&c->chain),
		    denai_chain_model(&ch, &mi, key, err) == 0))
			break;
		if (err->code != DENAI_EPEER)
			return NULL;
		if (denai_outage_fail(&c->down, denai_now_ms()))
			cli_warn("%s; retrying", err->msg);
		usleep((useconds_t)backoff * 1000);
	}
	if (denai_outage_ok(&c->down, denai_now_ms(), &secs))
		cli_warn("node answers again after %.1f s", secs);
	m = json_pack("{s:s,s:s,s:I}", "cid", mi.cid, "sha256",
	    denai_hex_encode(sha, mi.sha256, 32), "decimals",
	    (json_int_t)mi.decimals);
	denai_model_info_clear(&mi);
	json_object_set_new(c->registry, key, m);
	return m;
}

/*
 * Finds the model's CID, sha256 and decimals: from the record (model_cid,
 * model_sha256), else from the --models map by model_id, adding them to
 * the record; else from the chain's registry (getModel through
 * ETH_RPC_URL and the deployment file), remembered per model id.
 */
static int
resolve_model(struct ctx *c, json_t *rec, denai_err *err)
{
	char key[DENAI_FETCH_MODEL_ID_MAX];
	json_t *m = NULL;
	int rc;

	if ((rc = denai_fetch_record_model_id(key, rec, err)) != 0)
		return rc == 1 ? 0 : -1;
	if (c->models != NULL)
		m = json_object_get(c->models, key);
	if (m == NULL && c->models == NULL && c->deployment != NULL &&
	    (m = registry_model(c, key, err)) == NULL)
		return -1;
	if (m == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "model %s is unknown: the record has no model_cid and "
		    "model_sha256, and %s", key, c->models ? "the --models "
		    "file does not list it" : "there is no deployment file "
		    "nor --models file to look it up");
	return denai_fetch_record_set_model(rec, key, m, "--models entry",
	    err);
}

static int
on_request(void *arg, json_t *rec, denai_err *err)
{
	struct ctx *c = arg;

	if (!denai_record_is(rec, "request"))	/* task, submission */
		return denai_task_fetch_record(&c->fr, rec, DENAI_TASK_CSV_MAX,
		    err);
	if (denai_fetch_record_data(&c->fr, rec, err) != 0 ||
	    resolve_model(c, rec, err) != 0 ||
	    denai_fetch_record_model(&c->fr, rec, err) != 0)
		return -1;
	return 0;
}

static int
to_stdout(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	(void)ctx;
	if (fwrite(p, 1, n, stdout) != n)
		return denai_err_set(err, DENAI_EIO, "cannot write stdout");
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "models", required_argument, NULL, 'M' },
		{ "rpc-url", required_argument, NULL, 'r' },
		{ "deployment", required_argument, NULL, 'D' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "model-max-size", required_argument, NULL, 'x' },
		{ "inline-max", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'n' },
		{ "cid", required_argument, NULL, 'c' },
		{ "metrics", required_argument, NULL, 1000 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* Static: still reachable (not leaked) when a cli_die exits. */
	static struct ctx c;
	static denai_blockstore *bs;
	denai_fetch_opts fo = { 0 };
	denai_err err;
	json_error_t je;
	const char *dir = NULL, *gw = NULL, *models = NULL, *one = NULL;
	const char *metrics_file = NULL;
	static denai_metrics *metrics;
	unsigned long handled = 0, failed = 0;
	denai_cid cid;
	int ch;

	cli_init("denai-fetch");
	c.fr.max = DENAI_FETCH_MAX_DEFAULT;
	c.fr.model_max = 256u << 20;
	c.fr.inline_max = 1u << 20;
	fo.retries = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'g': gw = optarg; break;
		case 'M': models = optarg; break;
		case 'r': c.rpc_url = optarg; break;
		case 'D': c.deployment = optarg; break;
		case 'm':
			c.fr.max = cli_parse_count("--max-size", optarg);
			break;
		case 'x':
			c.fr.model_max = cli_parse_count("--model-max-size",
			    optarg);
			break;
		case 'i':
			c.fr.inline_max = cli_parse_count("--inline-max",
			    optarg);
			break;
		case 't':
			fo.timeout_ms = (long)cli_parse_count("--timeout",
			    optarg) * 1000;
			if (fo.timeout_ms <= 0)
				cli_die(EX_USAGE, "--timeout: must be at "
				    "least 1 second");
			break;
		case 'n':
			fo.retries = (unsigned)cli_parse_count("--retries",
			    optarg);
			break;
		case 'c': one = optarg; break;
		case 1000: metrics_file = optarg; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc || c.fr.max == 0 || c.fr.model_max == 0)
		usage(stderr, EX_USAGE);
	dir = cli_ipfs_dir(dir);
	if ((bs = denai_blockstore_open(dir, &err)) == NULL)
		cli_die_err(&err);
	if (realpath(dir, c.dir) == NULL)
		cli_die(EX_IOERR, "cannot resolve %s", dir);
	c.fr.dir = c.dir;
	if (models != NULL && ((c.models = json_load_file(models,
	    JSON_REJECT_DUPLICATES, &je)) == NULL || !json_is_object(c.models)))
		cli_die(EX_DATAERR, "%s: not a JSON object of models%s%s",
		    models, c.models ? "" : ": ", c.models ? "" : je.text);
	/* Without --models, models are looked up in the chain's registry
	 * when a deployment file is there (opened on first use). */
	c.registry = json_object();
	c.deployment = cli_deployment_path(c.deployment);
	if (access(c.deployment, R_OK) != 0)
		c.deployment = NULL;
	fo.gateways = cli_ipfs_gateways(gw);
	fo.max_size = c.fr.max;
	fo.warn = cli_ipfs_warn;
	if ((c.fr.f = denai_fetcher_new(bs, &fo, &err)) == NULL)
		cli_die_err(&err);
	if (one != NULL) {
		if (denai_cid_parse(&cid, one, strlen(one), &err) != 0)
			cli_die(denai_err_exit_status(err.code), "%s: %s", one,
			    err.msg);
		if (denai_fetch_cat(c.fr.f, &cid, c.fr.max, to_stdout, NULL,
		    NULL, &err) != 0)
			cli_die_err(&err);
		if (fflush(stdout) != 0)
			cli_die(EX_IOERR, "cannot write stdout");
	} else {
		metrics = cli_metrics_start(metrics_file, "fetch");
		if (denai_stage_run_metrics(stdin, stdout, "fetch", NULL,
		    on_request, &c, metrics, &handled, &failed, &err) != 0)
			cli_die_err(&err);
		denai_metrics_free(metrics);
	}
	denai_fetcher_free(c.fr.f);
	denai_blockstore_close(bs);
	json_decref(c.models);
	json_decref(c.registry);
	if (c.chain_open)
		cli_chain_close(&c.chain);
	return 0;
}
