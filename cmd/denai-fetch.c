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
#include <openssl/evp.h>

#include "blockstore.h"
#include "cid.h"
#include "common/cli.h"
#include "common/chain.h"
#include "common/ipfs.h"
#include "hex.h"
#include "ipfs_fetch.h"
#include "record.h"

#define MAX_VERIFIED 64

struct ctx {
	denai_fetcher *f;
	char dir[PATH_MAX];	/* absolute store folder */
	json_t *models;		/* --models map, or NULL */
	json_t *registry;	/* models read from the chain, by id */
	const char *rpc_url;	/* --rpc-url, or NULL */
	const char *deployment;	/* the deployment file, when it exists */
	cli_chain chain;
	int chain_open;
	uint64_t max, model_max, inline_max;
	uint8_t verified[MAX_VERIFIED][32];	/* model files checked */
	size_t nverified;
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
	    "       denai-fetch [--dir dir] [--gateway urls] [--max-size bytes] "
	    "--cid cid\n");
	exit(status);
}

/* A data point: nested arrays of numbers. */
static int
is_tensor(const json_t *v, int depth)
{
	size_t i;
	json_t *e;

	if (json_is_number(v))
		return depth > 0;
	if (!json_is_array(v) || depth > 32 || json_array_size(v) == 0)
		return 0;
	json_array_foreach(v, i, e)
		if (!is_tensor(e, depth + 1))
			return 0;
	return 1;
}

static int
check_point(const json_t *v, denai_err *err)
{
	const char *k;
	json_t *e;

	if (json_is_array(v)) {
		if (!is_tensor(v, 0))
			return denai_err_set(err, DENAI_EDATA,
			    "data point is not a non-empty nested array of "
			    "numbers");
		return 0;
	}
	if (!json_is_object(v) || json_object_size(v) == 0)
		return denai_err_set(err, DENAI_EDATA,
		    "data point is neither an array of numbers nor an object "
		    "of named inputs");
	json_object_foreach((json_t *)v, k, e)
		if (!json_is_array(e) || !is_tensor(e, 0))
			return denai_err_set(err, DENAI_EDATA,
			    "data point input '%s' is not a non-empty nested "
			    "array of numbers", k);
	return 0;
}

static int
fetch_data(struct ctx *c, json_t *rec, denai_err *err)
{
	const char *text = denai_record_str(rec, "data_cid");
	char path[PATH_MAX], s[DENAI_CID_STR_MAX];
	json_error_t je;
	json_t *v = NULL;
	denai_cid cid;
	uint8_t *buf = NULL;
	size_t len;
	int rc = -1;

	if (text == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no data_cid string");
	if (denai_cid_parse(&cid, text, strlen(text), err) != 0)
		return denai_err_prefix(err, "data_cid %s", text);
	if (denai_fetch_mem(c->f, &cid, c->max, &buf, &len, err) != 0)
		return denai_err_prefix(err, "data");
	if ((v = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &je)) == NULL) {
		denai_err_set(err, DENAI_EDATA,
		    "data %s is not JSON: %s at line %d column %d", text,
		    je.text, je.line, je.column);
		goto out;
	}
	if (check_point(v, err) != 0) {
		denai_err_prefix(err, "data %s", text);
		goto out;
	}
	if (len <= c->inline_max) {
		json_object_set(rec, "data", v);
	} else {
		if (denai_cid_format(s, sizeof(s), &cid, 0, err) != 0)
			goto out;
		if (snprintf(path, sizeof(path), "%s/data", c->dir) >=
		    (int)sizeof(path) || denai_mkdirs(path, err) != 0 ||
		    snprintf(path, sizeof(path), "%s/data/%s.json", c->dir,
		    s) >= (int)sizeof(path)) {
			denai_err_set(err, DENAI_EIO, "cannot make %s/data",
			    c->dir);
			goto out;
		}
		if (access(path, F_OK) != 0 &&
		    denai_write_atomic(path, buf, len, 0644, err) != 0)
			goto out;
		json_object_set_new(rec, "data_path", json_string(path));
	}
	rc = 0;
out:
	json_decref(v);
	free(buf);
	return rc;
}

static int
file_sha256(const char *path, uint8_t d[32])
{
	static uint8_t buf[1 << 16];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	unsigned dl = 0;
	size_t n;
	int rc = -1;

	if (md == NULL || f == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (EVP_DigestUpdate(md, buf, n) != 1)
			goto out;
	if (!ferror(f) && EVP_DigestFinal_ex(md, d, &dl) == 1 && dl == 32)
		rc = 0;
out:
	if (f != NULL)
		fclose(f);
	EVP_MD_CTX_free(md);
	return rc;
}

/* The registry's entry for model id key, as a --models entry. */
static json_t *
registry_model(struct ctx *c, const char *key, denai_err *err)
{
	denai_model_info mi;
	json_t *m;
	char sha[67];

	if ((m = json_object_get(c->registry, key)) != NULL)
		return m;
	if (!c->chain_open) {
		if (cli_chain_open(&c->chain, c->rpc_url, c->deployment,
		    err) != 0)
			return NULL;
		c->chain_open = 1;
	}
	if (denai_oracle_get_model(c->chain.oracle, c->chain.rpc,
	    c->chain.dep.oracle, key, &mi, err) != 0)
		return NULL;
	m = json_pack("{s:s,s:s,s:I}", "cid", mi.cid, "sha256",
	    denai_hex_encode(sha, mi.sha256, 32), "decimals",
	    (json_int_t)mi.decimals);
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
	json_t *id = json_object_get(rec, "model_id"), *m = NULL, *v;
	char key[80];
	const char *cid, *sha;

	if (denai_record_str(rec, "model_cid") != NULL &&
	    denai_record_str(rec, "model_sha256") != NULL)
		return 0;
	if (json_is_string(id))
		snprintf(key, sizeof(key), "%s", json_string_value(id));
	else if (json_is_integer(id))
		snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(id));
	else
		return denai_err_set(err, DENAI_EDATA,
		    "request has neither model_cid and model_sha256 nor a "
		    "model_id");
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
	cid = json_string_value(json_object_get(m, "cid"));
	sha = json_string_value(json_object_get(m, "sha256"));
	if (cid == NULL || sha == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "--models entry %s needs \"cid\" and \"sha256\" strings",
		    key);
	json_object_set_new(rec, "model_cid", json_string(cid));
	json_object_set_new(rec, "model_sha256", json_string(sha));
	if ((v = json_object_get(m, "decimals")) != NULL &&
	    json_object_get(rec, "model_decimals") == NULL)
		json_object_set(rec, "model_decimals", v);
	return 0;
}

static int
fetch_model(struct ctx *c, json_t *rec, denai_err *err)
{
	const char *text, *shatext;
	char path[PATH_MAX], hex[67];
	uint8_t want[32], got[32];
	denai_cid cid;
	size_t i;

	if (resolve_model(c, rec, err) != 0)
		return -1;
	text = denai_record_str(rec, "model_cid");
	shatext = denai_record_str(rec, "model_sha256");
	if (denai_cid_parse(&cid, text, strlen(text), err) != 0)
		return denai_err_prefix(err, "model_cid %s", text);
	if (denai_hex_decode_exact(want, 32, shatext, err) != 0)
		return denai_err_prefix(err, "model_sha256");
	denai_hex_encode(hex, want, 32);
	if (snprintf(path, sizeof(path), "%s/models", c->dir) >=
	    (int)sizeof(path) || denai_mkdirs(path, err) != 0 ||
	    snprintf(path, sizeof(path), "%s/models/%s.onnx", c->dir,
	    hex + 2) >= (int)sizeof(path))
		return denai_err_set(err, DENAI_EIO, "cannot make %s/models",
		    c->dir);
	for (i = 0; i < c->nverified; i++)
		if (memcmp(c->verified[i], want, 32) == 0)
			goto done;
	if (access(path, F_OK) != 0 || file_sha256(path, got) != 0 ||
	    memcmp(got, want, 32) != 0) {
		if (denai_fetch_file(c->f, &cid, c->model_max, path, want, NULL,
		    err) != 0)
			return denai_err_prefix(err, "model");
	}
	if (c->nverified < MAX_VERIFIED)
		memcpy(c->verified[c->nverified++], want, 32);
done:
	json_object_set_new(rec, "model_sha256", json_string(hex));
	json_object_set_new(rec, "model_path", json_string(path));
	return 0;
}

static int
on_request(void *arg, json_t *rec, denai_err *err)
{
	struct ctx *c = arg;

	if (fetch_data(c, rec, err) != 0 || fetch_model(c, rec, err) != 0)
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
	unsigned long handled = 0, failed = 0;
	denai_cid cid;
	int ch;

	cli_init("denai-fetch");
	c.max = DENAI_FETCH_MAX_DEFAULT;
	c.model_max = 256u << 20;
	c.inline_max = 1u << 20;
	fo.retries = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'g': gw = optarg; break;
		case 'M': models = optarg; break;
		case 'r': c.rpc_url = optarg; break;
		case 'D': c.deployment = optarg; break;
		case 'm': c.max = cli_parse_count("--max-size", optarg); break;
		case 'x':
			c.model_max = cli_parse_count("--model-max-size",
			    optarg);
			break;
		case 'i':
			c.inline_max = cli_parse_count("--inline-max", optarg);
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
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc || c.max == 0 || c.model_max == 0)
		usage(stderr, EX_USAGE);
	dir = cli_ipfs_dir(dir);
	if ((bs = denai_blockstore_open(dir, &err)) == NULL)
		cli_die_err(&err);
	if (realpath(dir, c.dir) == NULL)
		cli_die(EX_IOERR, "cannot resolve %s", dir);
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
	fo.max_size = c.max;
	fo.warn = cli_ipfs_warn;
	if ((c.f = denai_fetcher_new(bs, &fo, &err)) == NULL)
		cli_die_err(&err);
	if (one != NULL) {
		if (denai_cid_parse(&cid, one, strlen(one), &err) != 0)
			cli_die(denai_err_exit_status(err.code), "%s: %s", one,
			    err.msg);
		if (denai_fetch_cat(c.f, &cid, c.max, to_stdout, NULL, NULL,
		    &err) != 0)
			cli_die_err(&err);
		if (fflush(stdout) != 0)
			cli_die(EX_IOERR, "cannot write stdout");
	} else if (denai_stage_run(stdin, stdout, "fetch", "request",
	    on_request, &c, &handled, &failed, &err) != 0) {
		cli_die_err(&err);
	}
	denai_fetcher_free(c.f);
	denai_blockstore_close(bs);
	json_decref(c.models);
	json_decref(c.registry);
	if (c.chain_open)
		cli_chain_close(&c.chain);
	return 0;
}
