/*
 * denai-submit - send each mined record's solution to the oracle and add
 * the outcome: tx_hash, status, gas_used, block_number.
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/key.h"
#include "node/contract.h"
#include "eth/hex.h"
#include "linebuf.h"
#include "node/record.h"
#include "eth/txsend.h"
#include "task/submit.h"

#define STAGE "submit"

typedef struct job {
	unsigned ticket;
	json_t *rec;
} job;

static struct {
	cli_chain c;
	denai_sender *s;
	uint8_t addr[DENAI_ADDR_LEN];
	job *jobs;
	size_t njobs, cap;
	unsigned long sent, failed;
	const char *dep;		/* --deployment, for the tasks address */
	denai_tasks *tasks;		/* opened at the first task record */
	uint8_t tasks_at[DENAI_ADDR_LEN];
} g;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-submit [--wait SECONDS] [--replace-after SECONDS]\n"
	    "                    [--rpc-url URL] [--deployment FILE]\n"
	    "                    [--keystore PATH]\n");
	exit(status);
}

static void
out(const json_t *rec)
{
	denai_err err;

	if (denai_record_write(stdout, rec, &err) != 0)
		cli_die_err(&err);
}

static void
fail(const json_t *rec, unsigned long line, const char *msg)
{
	json_t *e = denai_record_error_new(STAGE, rec, line, msg);

	g.failed++;
	out(e);
	json_decref(e);
}

static void
finish(json_t *rec, const char *status)
{
	json_object_set_new(rec, "status", json_string(status));
	out(rec);
}

/* Reads a decimal or 0x field as uint256. */
static int
field(denai_u256 *v, const json_t *rec, const char *key, denai_err *err)
{
	const char *s = denai_record_str(rec, key);

	if (s == NULL)
		return denai_err_set(err, DENAI_EDATA, "record has no \"%s\"%s",
		    key, strcmp(key, "request_id") ? " (run denai-mine first)" :
		    "");
	if (denai_u256_parse(v, s, strlen(s), err) != 0)
		return denai_err_prefix(err, "\"%s\"", key);
	return 0;
}

/*
 * What a revert means for this record: "closed", "already-submitted", or
 * NULL with why filled for a real failure.
 */
static const char *
classify(const char *hex, char *why, size_t cap)
{
	size_t nerrs;
	denai_abi_sig *const *errs = denai_oracle_errors(g.c.oracle, &nerrs);
	json_t *dec = NULL;
	const char *name, *st = NULL;

	if (hex == NULL || denai_contract_revert_message(why, cap, &dec, hex,
	    errs, nerrs, NULL) != 0) {
		snprintf(why, cap, "reverted without data");
		return NULL;
	}
	name = json_string_value(json_object_get(dec, "error"));
	if (name != NULL && (strcmp(name, "RequestNotOpen") == 0 ||
	    strcmp(name, "RequestExpired") == 0))
		st = "closed";
	else if (name != NULL && strcmp(name, "AlreadySubmitted") == 0)
		st = "already-submitted";
	json_decref(dec);
	return st;
}

static void
handle(json_t *rec, unsigned long line)
{
	denai_u256 id, pred, nonce;
	denai_request_info info;
	uint64_t head, gas;
	char why[300], pd[DENAI_U256_DEC_MAX], nd[DENAI_U256_DEC_MAX],
	    idd[DENAI_U256_DEC_MAX];
	const char *miner = denai_record_str(rec, "miner"), *st, *s;
	uint8_t m[DENAI_ADDR_LEN], *cd = NULL;
	size_t cdlen;
	json_t *args, *r;
	denai_err err;
	int yes = 0;
	job *j;

	if (field(&id, rec, "request_id", &err) != 0 ||
	    field(&pred, rec, "prediction", &err) != 0 ||
	    field(&nonce, rec, "nonce", &err) != 0)
		goto bad;
	if (miner != NULL && (denai_secp_addr_parse(m, miner, strlen(miner),
	    &err) != 0 || memcmp(m, g.addr, DENAI_ADDR_LEN) != 0)) {
		char a[DENAI_ADDR_HEX_MAX];
		denai_err_set(&err, DENAI_EUSAGE, "the record was mined for %s, "
		    "but the key is %s", miner,
		    denai_secp_addr_checksum(a, g.addr));
		goto bad;
	}
	/* Cheap checks first: no transaction for a closed request. */
	if (denai_oracle_get_request(g.c.oracle, g.c.rpc, g.c.dep.oracle, &id,
	    &info, &err) != 0 || denai_rpc_block_number(g.c.rpc, &head,
	    &err) != 0)
		goto bad;
	if (info.status == DENAI_REQ_NONE) {
		char d[DENAI_U256_DEC_MAX];
		denai_err_set(&err, DENAI_EDATA, "request %s does not exist",
		    denai_u256_to_dec(d, &id));
		goto bad;
	}
	if (info.status != DENAI_REQ_OPEN || info.expires_at < head + 1) {
		finish(rec, "closed");
		return;
	}
	if (denai_oracle_has_submitted(g.c.oracle, g.c.rpc, g.c.dep.oracle, &id,
	    g.addr, &yes, &err) != 0)
		goto bad;
	if (yes) {
		finish(rec, "already-submitted");
		return;
	}
	args = json_pack("[sss]", denai_u256_to_dec(idd, &id),
	    denai_u256_to_dec(pd, &pred), denai_u256_to_dec(nd, &nonce));
	if (denai_oracle_calldata(g.c.oracle, DENAI_FN_SUBMIT, args, &cd, &cdlen,
	    &err) != 0) {
		json_decref(args);
		goto bad;
	}
	json_decref(args);
	if (denai_sender_estimate(g.s, g.c.dep.oracle, cd, cdlen, NULL, &gas,
	    &err) != 0) {
		const denai_rpc_error *re = denai_rpc_last_error(g.c.rpc);
		if (err.code != DENAI_ESTATE)
			goto bad;
		if ((st = classify(re->set ? re->data : NULL, why,
		    sizeof(why))) != NULL) {
			free(cd);
			finish(rec, st);
			return;
		}
		denai_err_set(&err, DENAI_ESTATE, "submitSolution would revert: %s",
		    why);
		goto bad;
	}
	/* Whichever submission lands last pays for the fulfilment and the
	 * callback, and an estimate cannot know which one that will be: send
	 * at least what the contract says a fulfilling one needs. */
	gas += gas / 4;
	args = json_pack("[s]", idd);
	if (denai_oracle_call(g.c.oracle, g.c.rpc, g.c.dep.oracle,
	    DENAI_FN_SUBMIT_GAS_LIMIT, args, &r, &err) != 0) {
		json_decref(args);
		goto bad;
	}
	json_decref(args);
	s = json_string_value(json_array_get(r, 0));
	if (s != NULL && strtoull(s, NULL, 10) > gas)
		gas = strtoull(s, NULL, 10);
	json_decref(r);
	if (g.njobs == g.cap) {
		job *nj = realloc(g.jobs, (g.cap = g.cap ? 2 * g.cap : 16) *
		    sizeof(*nj));
		if (nj == NULL)
			cli_die(EX_OSERR, "out of memory");
		g.jobs = nj;
	}
	j = &g.jobs[g.njobs];
	if (denai_sender_send(g.s, g.c.dep.oracle, cd, cdlen, NULL, gas,
	    &j->ticket, NULL, NULL, &err) != 0)
		goto bad;
	free(cd);
	j->rec = json_incref(rec);
	g.njobs++;
	g.sent++;
	return;
bad:
	free(cd);
	fail(rec, line, err.msg);
}

static void
done(void *ctx, const denai_sender_done *d)
{
	char hex[67];
	denai_request_info info;
	denai_u256 id;
	denai_err err;
	size_t i;
	json_t *rec;

	(void)ctx;
	for (i = 0; i < g.njobs && g.jobs[i].ticket != d->ticket; i++)
		;
	if (i == g.njobs)
		return;
	rec = g.jobs[i].rec;
	g.jobs[i] = g.jobs[--g.njobs];
	/* The request's own transaction and block keep their values. */
	if (json_object_get(rec, "tx_hash") != NULL)
		json_object_set(rec, "request_tx_hash",
		    json_object_get(rec, "tx_hash"));
	if (json_object_get(rec, "block_number") != NULL)
		json_object_set(rec, "request_block_number",
		    json_object_get(rec, "block_number"));
	json_object_set_new(rec, "tx_hash",
	    json_string(denai_hex_encode(hex, d->hash, 32)));
	if (d->receipt == NULL) {
		fail(rec, 0, "transaction not mined after the last fee bump");
	} else {
		json_object_set_new(rec, "gas_used",
		    json_integer((json_int_t)d->gas_used));
		json_object_set_new(rec, "block_number",
		    json_integer((json_int_t)d->block_number));
		if (d->ok)
			finish(rec, "mined");
		else if (field(&id, rec, "request_id", &err) == 0 &&
		    denai_oracle_get_request(g.c.oracle, g.c.rpc,
		    g.c.dep.oracle, &id, &info, &err) == 0 &&
		    info.status != DENAI_REQ_OPEN)
			finish(rec, "closed");	/* lost the race to quorum */
		else
			finish(rec, "reverted");
	}
	json_decref(rec);
}

/* A task record: the transaction its action calls for, unless the chain
 * shows it done or its window closed (lib/task/submit.c). */
static void
handle_task(json_t *rec, unsigned long line)
{
	char name[DENAI_TASK_ERRNAME_MAX];
	denai_task_plan p;
	uint8_t *cd = NULL;
	size_t cdlen;
	uint64_t gas;
	denai_err err;
	job *j;

	if (denai_record_is(rec, "submission")) {
		finish(rec, "scored");	/* the validator's state has it */
		return;
	}
	if (g.tasks == NULL && (denai_tasks_address(g.tasks_at,
	    cli_deployment_path(g.dep), &err) != 0 ||
	    (g.tasks = denai_tasks_new(&err)) == NULL))
		goto bad;
	if (denai_task_plan_record(&p, g.tasks, g.c.rpc, g.tasks_at, g.addr,
	    rec, &err) != 0)
		goto bad;
	if (p.skip != NULL) {
		denai_task_plan_free(&p);
		finish(rec, p.skip);
		return;
	}
	if (denai_tasks_prepare(g.tasks, g.s, g.c.rpc, g.tasks_at, p.fn, p.args,
	    p.has_value ? &p.value : NULL, &cd, &cdlen, &gas, name,
	    &err) != 0) {
		json_t *e = denai_record_error_new(STAGE, rec, line, err.msg);

		denai_task_plan_free(&p);
		if (name[0] != '\0')
			json_object_set_new(e, "revert", json_string(name));
		g.failed++;
		out(e);
		json_decref(e);
		return;
	}
	if (g.njobs == g.cap) {
		job *nj = realloc(g.jobs, (g.cap = g.cap ? 2 * g.cap : 16) *
		    sizeof(*nj));
		if (nj == NULL)
			cli_die(EX_OSERR, "out of memory");
		g.jobs = nj;
	}
	j = &g.jobs[g.njobs];
	if (denai_sender_send(g.s, g.tasks_at, cd, cdlen, p.has_value ?
	    &p.value : NULL, gas, &j->ticket, NULL, NULL, &err) != 0) {
		denai_task_plan_free(&p);
		goto bad;
	}
	denai_task_plan_free(&p);
	free(cd);
	j->rec = json_incref(rec);
	g.njobs++;
	g.sent++;
	return;
bad:
	free(cd);
	fail(rec, line, err.msg);
}

static void
take_line(const char *line, size_t len, unsigned long lineno)
{
	json_t *rec;
	denai_err err;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return;
	if (denai_record_parse(&rec, line, len, &err) != 0) {
		denai_err_prefix(&err, "line %lu", lineno);
		fail(NULL, lineno, err.msg);
		return;
	}
	if (denai_record_is(rec, "task") || denai_record_is(rec,
	    "submission")) {
		handle_task(rec, lineno);
		json_decref(rec);
		return;
	}
	/* Not a request, or one an earlier stage already closed
	 * (denai-mine --check-open): pass it on as it is. */
	if (!denai_record_is(rec, "request") ||
	    (json_object_get(rec, "status") != NULL &&
	    json_object_get(rec, "nonce") == NULL))
		out(rec);
	else
		handle(rec, lineno);
	json_decref(rec);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"wait", required_argument, NULL, 'w'},
		{"replace-after", required_argument, NULL, 'R'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"deployment", required_argument, NULL, 'd'},
		{"keystore", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *rpc_url = NULL, *dep = NULL, *keystore = NULL;
	uint64_t wait_s = 120, eof_at = 0;
	denai_sender_opts so;
	denai_linebuf lb;
	struct pollfd pfd;
	const char *line;
	size_t len;
	cli_key key;
	denai_err err;
	int ch, r;

	cli_init("denai-submit");
	denai_sender_opts_default(&so);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': wait_s = cli_parse_count("--wait", optarg); break;
		case 'R': so.replace_after_ms = 1000 *
		    cli_parse_count("--replace-after", optarg); break;
		case 'r': rpc_url = optarg; break;
		case 'd': dep = g.dep = optarg; break;
		case 'k': keystore = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc)
		usage(EX_USAGE);
	signal(SIGPIPE, SIG_IGN);
	if (cli_key_load(&key, keystore, &err) != 0 ||
	    cli_chain_open(&g.c, rpc_url, dep, &err) != 0 ||
	    (g.s = denai_sender_new(g.c.rpc, key.sk, g.c.chain_id, &so,
	    &err)) == NULL)
		cli_die_err(&err);
	memcpy(g.addr, key.addr, DENAI_ADDR_LEN);
	cli_key_wipe(&key);

	denai_linebuf_init(&lb, STDIN_FILENO, DENAI_RECORD_MAX_LINE);
	for (;;) {
		if (lb.eof && g.njobs == 0)
			break;
		if (lb.eof && denai_now_ms() - eof_at > wait_s * 1000) {
			cli_warn("%zu transactions still pending after %llu s",
			    g.njobs, (unsigned long long)wait_s);
			for (size_t i = 0; i < g.njobs; i++)
				fail(g.jobs[i].rec, 0, "no receipt before "
				    "denai-submit had to exit (--wait)");
			return EX_TEMPFAIL;
		}
		if (!lb.eof) {
			pfd.fd = STDIN_FILENO;
			pfd.events = POLLIN;
			r = poll(&pfd, 1, g.njobs ? 100 : 1000);
			if (r > 0) {
				if (denai_linebuf_fill(&lb, &err) < 0)
					cli_die_err(&err);
				if (lb.eof)
					eof_at = denai_now_ms();
				while ((r = denai_linebuf_next(&lb, &line, &len,
				    &err)) != 0) {
					if (r < 0)
						fail(NULL, lb.lineno, err.msg);
					else
						take_line(line, len, lb.lineno);
				}
			}
		} else {
			usleep(100 * 1000);
		}
		if (g.njobs > 0 && denai_sender_poll(g.s, done, NULL, &err) < 0)
			cli_warn("%s; retrying", err.msg);
	}
	denai_linebuf_free(&lb);
	denai_sender_free(g.s);
	denai_tasks_free(g.tasks);
	cli_chain_close(&g.c);
	return 0;
}
