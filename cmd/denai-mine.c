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
#include "hex.h"
#include "pow.h"
#include "record.h"
#include "secp.h"
#include "u256.h"

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
	    "[--deadline seconds]\n");
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

/* The progress line, redrawn in place at most four times a second. */
static int
progress(void *arg, uint64_t hashes, double elapsed)
{
	struct miner *m = arg;
	char rate[32], el[32], exp[32];
	double r = elapsed > 0 ? (double)hashes / elapsed : 0;

	fmt_rate(rate, sizeof(rate), r);
	fmt_secs(el, sizeof(el), elapsed);
	fmt_secs(exp, sizeof(exp), r > 0 ? m->difficulty / r : INFINITY);
	fprintf(stderr, "\r%s: request %s: %s, %s elapsed, ~%s expected\033[K",
	    cli_progname(), m->request_id ? m->request_id : "?", rate, el, exp);
	fflush(stderr);
	m->drawn = 1;
	return 0;
}

static double
u256_to_double(const denai_u256 *a)
{
	return ldexp((double)a->w[3], 192) + ldexp((double)a->w[2], 128) +
	    ldexp((double)a->w[1], 64) + (double)a->w[0];
}

/* The record's difficulty: a decimal or 0x string, or a JSON integer. */
static int
get_difficulty(denai_u256 *d, const json_t *rec, denai_err *err)
{
	const json_t *v = json_object_get(rec, "difficulty");
	const char *s;

	if (v == NULL || json_is_null(v))
		return denai_err_set(err, DENAI_EDATA, "missing difficulty");
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return denai_err_set(err, DENAI_EDATA,
			    "difficulty: negative");
		denai_u256_from_u64(d, (uint64_t)json_integer_value(v));
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		if (denai_u256_parse(d, s, json_string_length(v), err) == -1)
			return denai_err_prefix(err, "difficulty");
	} else
		return denai_err_set(err, DENAI_EDATA,
		    "difficulty: expected a decimal string");
	if (denai_u256_is_zero(d))
		return denai_err_set(err, DENAI_EDATA,
		    "difficulty 0: no target (2^256-1)/0");
	return 0;
}

static int
mine(void *ctx, json_t *rec, denai_err *err)
{
	struct miner *m = ctx;
	denai_pow_job job;
	denai_pow_result res;
	const char *ch = denai_record_str(rec, "challenge");
	char dec[DENAI_U256_DEC_MAX], dd[DENAI_U256_DEC_MAX], secs[32];
	int rc;

	memset(&job, 0, sizeof(job));
	if (ch == NULL)
		return denai_err_set(err, DENAI_EDATA, "missing challenge");
	if (denai_hex_decode_exact(job.challenge, 32, ch, err) == -1)
		return denai_err_prefix(err, "challenge");
	if (get_difficulty(&job.difficulty, rec, err) == -1)
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
	if (m->progress) {
		job.progress = progress;
		job.progress_arg = m;
		job.progress_interval = 0.25;
	}
	m->request_id = denai_record_str(rec, "request_id");
	m->difficulty = u256_to_double(&job.difficulty);
	m->drawn = 0;

	catch_signals(1);
	rc = denai_pow_search(&res, &job, err);
	catch_signals(0);
	if (m->drawn)
		fprintf(stderr, "\r\033[K");
	if (got_signal)
		raise(got_signal);
	if (rc == -1)
		return -1;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct miner m;
	const char *from = NULL, *keystore = NULL, *impl = NULL;
	unsigned long long threads;
	denai_err err;
	int c, quiet = 0;

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

	if (denai_stage_run(stdin, stdout, "mine", "request", mine, &m, NULL,
	    NULL, &err) == -1)
		cli_die_err(&err);
	return 0;
}
