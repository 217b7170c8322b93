/*
 * denai-mine - the proof-of-work stage of a miner node: for each request
 * record, find a nonce with keccak256(challenge, miner, nonce) below
 * (2^256 - 1) / difficulty and add "miner", "nonce" and "hashes".
 */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <jansson.h>

#include "common/cli.h"
#include "common/key.h"
#include "common/rpcurl.h"
#include "node/mine.h"
#include "node/outage.h"
#include "eth/txsend.h"
#include "pow/pow.h"
#include "node/record.h"
#include "eth/secp.h"
#include "eth/u256.h"
#include "common/metrics.h"

struct miner {
	uint8_t addr[DENAI_ADDR_LEN];
	char addr_hex[DENAI_ADDR_HEX_MAX];	/* EIP-55 */
	unsigned threads;
	int impl;
	int have_start;
	denai_u256 start;
	double deadline;
	int progress;		/* draw a progress line on stderr */
	int drawn;		/* a progress line is on the screen */
	const char *request_id;	/* of the record being mined, for the line */
	double difficulty;	/* as a double, for the expected time */

	/* --check-open: is the request still open on chain? */
	denai_mine_checker *checker;	/* NULL without --check-open */
	const char *contract_flag;
	double check_interval;
	double last_check;	/* elapsed seconds at the last check */
	uint8_t contract[DENAI_ADDR_LEN];
	denai_u256 id;		/* the request's */
	const char *closed;	/* the status to emit, once found closed */
	denai_outage down;	/* one warning per outage, not per request */
	denai_metrics *metrics;	/* --metrics, or NULL */
};

static atomic_int stop_flag;
static volatile sig_atomic_t got_signal;

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-mine [-q] [--from address] [--keystore path] "
	    "[--threads n]\n"
	    "                  [--impl name] [--start-nonce n] "
	    "[--deadline seconds]\n"
	    "                  [--check-open [--rpc-url url] "
	    "[--contract address]\n"
	    "                  [--check-interval seconds]] [--metrics file]\n");
	exit(status);
}

static void
on_signal(int sig)
{
	got_signal = sig;
	atomic_store(&stop_flag, 1);
}

/* SIGINT and SIGTERM stop a search (to clear the progress line first);
 * outside a search they keep their default action. */
static void
catch_signals(int on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? on_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* "12.3 Mh/s" and the like. */
static void
fmt_rate(char *buf, size_t cap, double r)
{
	static const char *const unit[] = { "", "k", "M", "G", "T" };
	int u = 0;

	while (r >= 1000 && u < 4) {
		r /= 1000;
		u++;
	}
	snprintf(buf, cap, "%.*f %sh/s", u == 0 ? 0 : 1, r, unit[u]);
}

static void
fmt_secs(char *buf, size_t cap, double s)
{
	if (!isfinite(s) || s > 1e9)
		snprintf(buf, cap, "forever");
	else if (s < 120)
		snprintf(buf, cap, "%.1f s", s);
	else if (s < 7200)
		snprintf(buf, cap, "%.1f min", s / 60);
	else if (s < 172800)
		snprintf(buf, cap, "%.1f h", s / 3600);
	else
		snprintf(buf, cap, "%.0f days", s / 86400);
}

/* denai_mine_check_open, reporting an outage of the node once (and its
 * end once), however many requests it spans, and mining on. */
static void
check_open_warn(struct miner *m)
{
	denai_err err;
	double secs;
	int rc;

	rc = denai_mine_checker_check(m->checker, &m->closed, m->contract,
	    &m->id, m->addr, &err);
	if (rc == -1 && denai_outage_fail(&m->down, denai_now_ms())) {
		if (m->drawn)
			fprintf(stderr, "\r\033[K");
		cli_warn("cannot check that requests are open: %s; mining on",
		    err.msg);
	} else if (rc == 0 && denai_outage_ok(&m->down, denai_now_ms(),
	    &secs)) {
		if (m->drawn)
			fprintf(stderr, "\r\033[K");
		cli_warn("node answers again after %.1f s", secs);
	}
}

/* The progress line, redrawn in place at most four times a second. */
static int
progress(void *arg, uint64_t hashes, double elapsed)
{
	struct miner *m = arg;
	char rate[32], el[32], exp[32];
	double r = elapsed > 0 ? (double)hashes / elapsed : 0;

	if (m->checker != NULL && elapsed - m->last_check >= m->check_interval) {
		m->last_check = elapsed;
		check_open_warn(m);
		if (m->closed != NULL)
			return 1;
	}
	if (!m->progress)
		return 0;
	fmt_rate(rate, sizeof(rate), r);
	fmt_secs(el, sizeof(el), elapsed);
	fmt_secs(exp, sizeof(exp), r > 0 ? m->difficulty / r : INFINITY);
	fprintf(stderr, "\r%s: request %s: %s, %s elapsed, ~%s expected\033[K",
	    cli_progname(), m->request_id ? m->request_id : "?", rate, el, exp);
	fflush(stderr);
	m->drawn = 1;
	return 0;
}

/* The contract (the record's, else --contract) and request id to check. */
static int
request_target(struct miner *m, const json_t *rec, denai_err *err)
{
	const char *c = denai_record_str(rec, "contract");
	int rc;

	if (c == NULL)
		c = m->contract_flag;
	if (c == NULL)
		return denai_err_set(err, DENAI_EDATA, "--check-open: no "
		    "\"contract\" in the record and no --contract");
	if (denai_secp_addr_parse(m->contract, c, strlen(c), err) == -1)
		return denai_err_prefix(err, "contract");
	if ((rc = denai_mine_record_request_id(&m->id, rec, err)) == 1)
		return denai_err_prefix(err, "--check-open");
	return rc;
}

static int
mine(void *ctx, json_t *rec, denai_err *err)
{
	struct miner *m = ctx;
	denai_pow_job job;
	denai_pow_result res;
	char dec[DENAI_U256_DEC_MAX], dd[DENAI_U256_DEC_MAX], secs[32];
	int rc;

	memset(&job, 0, sizeof(job));
	if (denai_mine_record_job(&job, rec, err) == -1)
		return -1;
	memcpy(job.miner, m->addr, DENAI_ADDR_LEN);
	if (m->have_start)
		job.start = m->start;
	else if (getrandom(&job.start.w[0], sizeof(job.start.w[0]), 0) !=
	    sizeof(job.start.w[0]))
		return denai_err_set(err, DENAI_EIO, "getrandom failed");
	job.threads = m->threads;
	job.impl = m->impl;
	job.deadline = m->deadline;
	job.stop = &stop_flag;
	m->request_id = denai_record_str(rec, "request_id");
	m->difficulty = denai_mine_expected_hashes(&job.difficulty);
	m->drawn = 0;
	m->closed = NULL;
	m->last_check = 0;
	if (m->checker != NULL) {
		if (request_target(m, rec, err) == -1)
			return -1;
		check_open_warn(m);
		if (m->closed != NULL) {
			json_object_set_new(rec, "status",
			    json_string(m->closed));
			return 0;
		}
	}
	if (m->progress || m->checker != NULL) {
		job.progress = progress;
		job.progress_arg = m;
		job.progress_interval = m->progress ? 0.25 : 0.5;
	}

	catch_signals(1);
	rc = denai_pow_search(&res, &job, err);
	catch_signals(0);
	if (m->drawn)
		fprintf(stderr, "\r\033[K");
	if (got_signal)
		raise(got_signal);
	if (rc == -1)
		return -1;
	if (rc == 1 && m->closed != NULL) {
		json_object_set_new(rec, "status", json_string(m->closed));
		return 0;
	}
	if (rc == 1) {
		snprintf(secs, sizeof(secs), "%.1f", res.seconds);
		return denai_err_set(err, DENAI_ESTATE,
		    "no solution after %llu hashes in %s s at difficulty %s",
		    (unsigned long long)res.hashes, secs,
		    denai_u256_to_dec(dd, &job.difficulty));
	}
	json_object_set_new(rec, "miner", json_string(m->addr_hex));
	json_object_set_new(rec, "nonce",
	    json_string(denai_u256_to_dec(dec, &res.nonce)));
	json_object_set_new(rec, "hashes", json_integer((json_int_t)res.hashes));
	(void)denai_metrics_add(m->metrics, "denai_mine_hashes_total",
	    "Hashes computed.", NULL, (double)res.hashes, NULL);
	if (res.seconds > 0)
		(void)denai_metrics_set(m->metrics, "denai_mine_hashes_per_second",
		    "Hash rate of the last search.", NULL,
		    (double)res.hashes / res.seconds, NULL);
	return 0;
}

static double
parse_seconds(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v > 0) || !isfinite(v))
		cli_die(EX_USAGE, "%s: expected a positive number of seconds, "
		    "got '%s'", opt, s);
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "keystore", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 't' },
		{ "impl", required_argument, NULL, 'i' },
		{ "start-nonce", required_argument, NULL, 's' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "check-open", no_argument, NULL, 'o' },
		{ "rpc-url", required_argument, NULL, 'r' },
		{ "contract", required_argument, NULL, 'c' },
		{ "check-interval", required_argument, NULL, 'I' },
		{ "metrics", required_argument, NULL, 1000 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct miner m;
	const char *from = NULL, *keystore = NULL, *impl = NULL;
	const char *rpc_url = NULL, *metrics_file = NULL;
	static denai_metrics *metrics;
	unsigned long long threads;
	denai_err err;
	int c, quiet = 0, check = 0;

	cli_init("denai-mine");
	memset(&m, 0, sizeof(m));
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			from = optarg;
			break;
		case 'k':
			keystore = optarg;
			break;
		case 't':
			threads = cli_parse_count("--threads", optarg);
			if (threads > 1024)
				cli_die(EX_USAGE, "--threads: at most 1024");
			m.threads = (unsigned)threads;
			break;
		case 'i':
			impl = optarg;
			break;
		case 's':
			if (denai_u256_parse(&m.start, optarg, strlen(optarg),
			    &err) == -1)
				cli_die(EX_USAGE, "--start-nonce: %s", err.msg);
			m.have_start = 1;
			break;
		case 'd':
			m.deadline = parse_seconds("--deadline", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'o':
			check = 1;
			break;
		case 'r':
			rpc_url = optarg;
			break;
		case 'c':
			m.contract_flag = optarg;
			break;
		case 'I':
			m.check_interval = parse_seconds("--check-interval",
			    optarg);
			break;
		case 1000: metrics_file = optarg; break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc)
		usage(stderr, EX_USAGE);

	impl = cli_setting(impl, "DENAI_POW_IMPL", "auto");
	if (denai_pow_impl_parse(&m.impl, impl, &err) == -1)
		cli_die(EX_USAGE, "%s", err.msg);
	if (!denai_pow_impl_available(m.impl))
		cli_die(EX_UNAVAILABLE, "pow implementation %s: not supported "
		    "by this cpu", impl);
	if (from != NULL) {
		if (denai_secp_addr_parse(m.addr, from, strlen(from), &err) == -1)
			cli_die(EX_USAGE, "--from: %s", err.msg);
		denai_secp_addr_checksum(m.addr_hex, m.addr);
	} else if (cli_key_address(m.addr, m.addr_hex, keystore, &err) == -1)
		cli_die(denai_err_exit_status(err.code), "%s; or use --from "
		    "ADDRESS", err.msg);
	m.progress = !quiet && isatty(STDERR_FILENO);
	if (!check && (rpc_url || m.contract_flag || m.check_interval > 0))
		cli_die(EX_USAGE, "--rpc-url, --contract and --check-interval "
		    "go with --check-open");
	if (m.contract_flag != NULL &&
	    denai_secp_addr_parse(m.contract, m.contract_flag,
	    strlen(m.contract_flag), &err) == -1)
		cli_die(EX_USAGE, "--contract: %s", err.msg);
	if (m.check_interval == 0)
		m.check_interval = 3;
	if (check) {
		/* A check must not hold the search up for long. */
		if ((m.checker = denai_mine_checker_new(cli_rpc_url(rpc_url),
		    &err)) == NULL) {
			if (err.code == DENAI_EUSAGE)
				cli_die(EX_USAGE, "--rpc-url: %s", err.msg);
			cli_die_err(&err);
		}
	}

	metrics = m.metrics = cli_metrics_start(metrics_file, "mine");
	if (denai_stage_run_metrics(stdin, stdout, "mine", "request", mine, &m,
	    metrics, NULL, NULL, &err) == -1)
		cli_die_err(&err);
	denai_metrics_free(metrics);
	denai_mine_checker_free(m.checker);
	return 0;
}
