/*
 * denai-request - ask the oracle for a prediction from a terminal: store
 * the data point, send the request (directly or through a consumer
 * contract), and optionally wait for the result; or show or cancel one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ipfs/blockstore.h"
#include "common/chain.h"
#include "common/cli.h"
#include "common/ipfs.h"
#include "common/key.h"
#include "node/contract.h"
#include "node/datapoint.h"
#include "node/funds.h"
#include "node/shape.h"
#include "ipfs/fetch.h"
#include "node/result.h"
#include "fileio.h"
#include "eth/hex.h"
#include "ipfs/add.h"
#include "eth/txsend.h"
#include "eth/units.h"

#define TIMEOUT_MS 120000

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-request --model ID --data FILE|- [--tip AMOUNT]\n"
	    "                     [--no-shape-check]\n"
	    "                     [--via CONSUMER | --consumer]"
	    " [--callback-gas N]\n"
	    "                     [--wait [--timeout SECONDS]]\n"
	    "       denai-request --status ID\n"
	    "       denai-request --wait-for ID [--timeout SECONDS]\n"
	    "       denai-request --cancel ID [--via CONSUMER | --consumer]\n"
	    "common: [--rpc-url URL] [--deployment FILE] [--keystore PATH]"
	    " [--ipfs-dir DIR]\n");
	exit(status);
}

static uint8_t *
read_data(const char *path, size_t *n)
{
	denai_err err;
	uint8_t *buf;
	size_t cap = 0, len = 0;
	json_t *v;
	json_error_t je;

	if (strcmp(path, "-") == 0) {
		buf = NULL;
		for (;;) {
			if (len + 4096 > cap && (buf = realloc(buf,
			    cap = cap ? 2 * cap : 65536)) == NULL)
				cli_die(EX_OSERR, "out of memory");
			size_t got = fread(buf + len, 1, cap - len - 1, stdin);
			len += got;
			if (got == 0)
				break;
			if (len > (16u << 20))
				cli_die(EX_DATAERR, "data point over 16 MiB");
		}
		*n = len;
	} else if (denai_file_read(&buf, n, path, 16u << 20, &err) != 0)
		cli_die_err(&err);
	if ((v = json_loadb((const char *)buf, *n, 0, &je)) == NULL)
		cli_die(EX_DATAERR, "%s: not JSON: %s at line %d", path, je.text,
		    je.line);
	if (denai_data_point_check(v, &err) != 0)
		cli_die(EX_DATAERR, "%s: %s", path, err.msg);
	json_decref(v);
	return buf;
}

/* The data point must fit the model (shape.h): the model file from the
 * store or the gateways. One that cannot be had stops the request unless
 * --no-shape-check. */
static void
check_shape(cli_chain *c, const char *id, const uint8_t *buf, size_t n,
    const char *ipfs_dir, const char *path)
{
	denai_model_info mi;
	denai_blockstore *bs;
	denai_fetcher *f = NULL;
	denai_fetch_opts fo;
	denai_err err;

	memset(&fo, 0, sizeof(fo));
	fo.gateways = cli_ipfs_gateways(NULL);
	fo.warn = cli_ipfs_warn;
	if (denai_oracle_get_model(c->oracle, c->rpc, c->dep.oracle, id, &mi,
	    &err) != 0)
		cli_die_err(&err);
	if ((bs = denai_blockstore_open(cli_ipfs_dir(ipfs_dir), &err)) == NULL ||
	    (f = denai_fetcher_new(bs, &fo, &err)) == NULL ||
	    denai_shape_check(f, mi.cid, mi.sha256, buf, n, &err) != 0) {
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

/* The model must exist and take requests. Out: decimals. */
static void
check_model(cli_chain *c, const char *id, int *decimals)
{
	json_t *args = json_pack("[s]", id), *r;
	denai_err err;

	if (denai_oracle_call(c->oracle, c->rpc, c->dep.oracle,
	    DENAI_FN_GET_MODEL, args, &r, &err) != 0) {
		if (strstr(err.msg, "UnknownModel") != NULL)
			cli_die(EX_DATAERR, "model %s is not registered (see "
			    "denai-model list)", id);
		cli_die_err(&err);
	}
	if (!json_is_true(json_array_get(r, 3)))
		cli_die(EX_DATAERR, "model %s is retired", id);
	*decimals = atoi(json_string_value(json_array_get(r, 2)));
	json_decref(args);
	json_decref(r);
}

/* The tip and the most the gas can cost, against the balance (funds.h). */
static void
check_funds(cli_chain *c, const uint8_t *addr, const uint8_t *to,
    const uint8_t *cd, size_t cdlen, const denai_u256 *tip)
{
	char a[2 * DENAI_ADDR_LEN + 3], e1[DENAI_U256_DEC_MAX + 2],
	    e2[DENAI_U256_DEC_MAX + 2], e3[DENAI_U256_DEC_MAX + 2];
	denai_u256 need, bal, gas;
	denai_err err;
	int rc;

	if ((rc = denai_funds_check(c->rpc, addr, to, cd, cdlen, tip, &need,
	    &bal, &err)) < 0)
		cli_die_err(&err);
	if (rc == 0) {
		denai_hex_encode(a, addr, DENAI_ADDR_LEN);
		if (denai_u256_sub(&gas, &need, tip) != 0 ||
		    denai_u256_is_zero(&gas))
			cli_die(EX_DATAERR, "insufficient funds: the tip is %s "
			    "ether, %s holds %s ether", denai_units_ether(e1,
			    tip), a, denai_units_ether(e2, &bal));
		cli_die(EX_DATAERR, "insufficient funds: the tip is %s ether "
		    "plus up to %s ether of gas, %s holds %s ether",
		    denai_units_ether(e1, tip), denai_units_ether(e3, &gas), a,
		    denai_units_ether(e2, &bal));
	}
}

/* The request record from a receipt's PredictionRequested log. */
static json_t *
request_from_receipt(cli_chain *c, const json_t *rc)
{
	uint8_t topic[32];
	char t0[67];
	const json_t *logs = json_object_get(rc, "logs"), *v;
	denai_err err;
	size_t i;
	json_t *rec;

	denai_abi_topic0(topic, denai_oracle_event(c->oracle,
	    DENAI_EV_REQUESTED));
	denai_hex_encode(t0, topic, 32);
	json_array_foreach(logs, i, v) {
		const char *tp = json_string_value(json_array_get(
		    json_object_get(v, "topics"), 0));
		if (tp == NULL || strcasecmp(tp, t0) != 0)
			continue;
		if ((rec = denai_oracle_request_record(c->oracle, v, c->chain_id,
		    &err)) == NULL)
			cli_die_err(&err);
		return rec;
	}
	cli_die(EX_PROTOCOL, "the transaction emitted no PredictionRequested");
}

/* The result of request id, or death with the reason. */
static json_t *
result_json(cli_chain *c, const char *id)
{
	denai_err err;
	json_t *r = denai_request_result(c->oracle, c->rpc, &c->dep, id, &err);

	if (r == NULL)
		cli_die_err(&err);
	return r;
}

static void
wait_for(cli_chain *c, const char *id, unsigned long long timeout_s)
{
	denai_request_info info;
	denai_u256 rid;
	denai_err err;
	uint64_t start = denai_now_ms();
	int tty = isatty(STDERR_FILENO);

	if (denai_u256_parse(&rid, id, strlen(id), &err) != 0)
		cli_die_err(&err);
	for (;;) {
		if (denai_oracle_get_request(c->oracle, c->rpc, c->dep.oracle,
		    &rid, &info, &err) != 0)
			cli_die_err(&err);
		if (info.status != DENAI_REQ_OPEN)
			break;
		if (denai_now_ms() - start > timeout_s * 1000)
			cli_die(EX_TEMPFAIL, "request %s still open after %llu s "
			    "(%llu submissions)", id, timeout_s,
			    (unsigned long long)info.submissions);
		if (tty)
			fprintf(stderr, "\r%s: request %s: %llu submissions, "
			    "%.0f s", cli_progname(), id,
			    (unsigned long long)info.submissions,
			    (double)(denai_now_ms() - start) / 1000.0);
		usleep(250 * 1000);
	}
	if (tty)
		fputc('\n', stderr);
}

static void
send_tx(cli_chain *c, const char *keystore, const uint8_t *to,
    enum denai_oracle_fn fn, json_t *args, const denai_u256 *value,
    json_t **receipt, char txh[67])
{
	denai_sender *s;
	denai_err err;
	uint8_t *cd, hash[32];
	size_t cdlen;
	uint64_t st = 0;
	size_t nerrs;
	char why[300];
	const denai_rpc_error *re;
	denai_abi_sig *const *errs = denai_oracle_errors(c->oracle, &nerrs);

	if ((s = cli_sender_open(c->rpc, c->chain_id, keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	if (denai_oracle_calldata(c->oracle, fn, args, &cd, &cdlen, &err) != 0)
		cli_die_err(&err);
	if (value != NULL)
		check_funds(c, denai_sender_address(s), to, cd, cdlen, value);
	if (denai_sender_send_wait(s, to, cd, cdlen, value, 0, TIMEOUT_MS,
	    receipt, hash, &err) != 0) {
		re = denai_rpc_last_error(c->rpc);
		if (err.code == DENAI_ESTATE && re->set && re->data != NULL &&
		    denai_contract_revert_message(why, sizeof(why), NULL,
		    re->data, errs, nerrs, NULL) == 0)
			cli_die(EX_DATAERR, "%s would revert: %s",
			    denai_oracle_fn(c->oracle, fn)->name, why);
		cli_die_err(&err);
	}
	if (denai_rpc_quantity_u64(&st, json_object_get(*receipt, "status"),
	    NULL) != 0 || st != 1)
		cli_die(EX_DATAERR, "%s reverted",
		    denai_oracle_fn(c->oracle, fn)->name);
	denai_hex_encode(txh, hash, 32);
	free(cd);
	denai_sender_free(s);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"model", required_argument, NULL, 'm'},
		{"data", required_argument, NULL, 'D'},
		{"no-shape-check", no_argument, NULL, 'N'},
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
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *model = NULL, *data = NULL, *tip = "0", *via = NULL,
	    *cbgas = "0", *status = NULL, *wait_id = NULL, *cancel = NULL,
	    *rpc_url = NULL, *dep = NULL, *keystore = NULL, *ipfs_dir = NULL;
	int ch, wait = 0, consumer = 0, decimals = 0, no_shape = 0;
	unsigned long long timeout_s = 300;
	uint8_t via_addr[DENAI_ADDR_LEN], *buf;
	const uint8_t *target;
	char txh[67], tipdec[DENAI_U256_DEC_MAX], id[DENAI_U256_DEC_MAX];
	denai_blockstore *bs;
	denai_u256 tipv;
	denai_cid cid;
	denai_err err;
	cli_chain c;
	json_t *rc, *rec, *args;
	size_t n;

	cli_init("denai-request");
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': model = optarg; break;
		case 'D': data = optarg; break;
		case 'N': no_shape = 1; break;
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
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc || (via && consumer) ||
	    (!!status + !!wait_id + !!cancel + !!model) != 1 ||
	    (model && !data) || (!model && data))
		usage(EX_USAGE);
	if (denai_units_parse(&tipv, tip, &err) != 0)
		cli_die(EX_USAGE, "--tip: %s", err.msg);
	if (cli_parse_count("--callback-gas", cbgas) > 2500000)
		cli_die(EX_USAGE, "--callback-gas: at most 2500000");
	if (cli_chain_open(&c, rpc_url, dep, &err) != 0)
		cli_die_err(&err);
	if (consumer) {
		if (!c.dep.has_consumer)
			cli_die(EX_USAGE, "the deployment has no consumer "
			    "contract; use --via ADDRESS");
		memcpy(via_addr, c.dep.consumer, DENAI_ADDR_LEN);
	} else if (via != NULL &&
	    denai_secp_addr_parse(via_addr, via, strlen(via), &err) != 0)
		cli_die(EX_USAGE, "--via: %s", err.msg);
	target = via || consumer ? via_addr : c.dep.oracle;

	if (status != NULL) {
		(void)cli_parse_count("--status", status);
		cli_print_json(result_json(&c, status));
	} else if (wait_id != NULL) {
		(void)cli_parse_count("--wait-for", wait_id);
		wait_for(&c, wait_id, timeout_s);
		cli_print_json(result_json(&c, wait_id));
	} else if (cancel != NULL) {
		(void)cli_parse_count("--cancel", cancel);
		args = json_pack("[s]", cancel);
		if (via || consumer) {
			denai_abi_sig *sig = denai_abi_sig_parse(
			    "cancel(uint256)", &err);
			uint8_t *cd, hash[32];
			size_t cdlen;
			denai_sender *s;

			if (sig == NULL || denai_abi_calldata(&cd, &cdlen, sig, args,
			    &err) != 0 || (s = cli_sender_open(c.rpc, c.chain_id,
			    keystore, NULL, &err)) == NULL ||
			    denai_sender_send_wait(s, target, cd, cdlen, NULL, 0,
			    TIMEOUT_MS, &rc, hash, &err) != 0)
				cli_die_err(&err);
			denai_hex_encode(txh, hash, 32);
			denai_sender_free(s);
			denai_abi_sig_free(sig);
			free(cd);
		} else {
			send_tx(&c, keystore, target, DENAI_FN_CANCEL, args, NULL,
			    &rc, txh);
		}
		json_decref(args);
		json_decref(rc);
		rec = result_json(&c, cancel);
		json_object_set_new(rec, "cancel_tx_hash", json_string(txh));
		cli_print_json(rec);
	} else {
		(void)cli_parse_count("--model", model);
		check_model(&c, model, &decimals);
		buf = read_data(data, &n);
		if (!no_shape)
			check_shape(&c, model, buf, n, ipfs_dir, data);
		if ((bs = denai_blockstore_open(cli_ipfs_dir(ipfs_dir),
		    &err)) == NULL || denai_ipfs_add(bs, buf, n, 1, &cid,
		    &err) != 0)
			cli_die_err(&err);
		denai_blockstore_close(bs);
		free(buf);
		denai_u256_to_dec(tipdec, &tipv);
		if (via || consumer)
			args = json_pack("[sss]", model, denai_cid_str(&cid),
			    tipdec);
		else
			args = json_pack("[sss]", model, denai_cid_str(&cid),
			    cbgas);
		send_tx(&c, keystore, target, via || consumer ?
		    DENAI_FN_CONSUMER_REQUEST : DENAI_FN_REQUEST, args, &tipv,
		    &rc, txh);
		json_decref(args);
		rec = request_from_receipt(&c, rc);
		json_decref(rc);
		snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(rec, "request_id")));
		cli_print_json(json_incref(rec));
		if (wait) {
			wait_for(&c, id, timeout_s);
			cli_print_json(result_json(&c, id));
		}
		json_decref(rec);
	}
	cli_chain_close(&c);
	return 0;
}
