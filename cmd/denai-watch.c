/*
 * denai-watch - emit the oracle's open prediction requests as NDJSON, then
 * follow new ones, surviving restarts and reorgs.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/key.h"
#include "common/metrics.h"
#include "common/taskwatch.h"
#include "fileio.h"
#include "eth/hex.h"
#include "node/checkpoint.h"
#include "node/record.h"
#include "eth/txsend.h"
#include "eth/units.h"
#include "node/outage.h"
#include "node/watch.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-watch [--once] [--confirmations N] [--poll MS]\n"
	    "                   [--range BLOCKS] [--state FILE | --no-state]\n"
	    "                   [--from ADDRESS | --miner ADDRESS | --all]\n"
	    "                   [--rpc-url URL] [--deployment FILE]\n"
	    "                   [--reoffer-after BLOCKS]\n"
	    "                   [--min-tip WEI] [--min-tip-per-gas WEI]\n"
	    "                   [--models ID,...] [--order tip|oldest]\n"
	    "                   [--metrics FILE]\n"
	    "       denai-watch --tasks [--role trainer|validator|all] ...\n");
	exit(status);
}

struct out {
	denai_watch *w;
	const char *state;		/* NULL: none */
	char *saved;			/* the state text last saved */
	unsigned long emitted;
	int kill_at;			/* tests: 1 staged, 2 written, 3 renamed */
};

/* Tests only (tests/e2e/watch-kill.t): DENAI_TEST_KILL_AT=staged|written|
 * renamed kills this process with SIGKILL at that point of the first
 * emit, to prove a crash anywhere there loses nothing. */
static void
test_kill(void *ctx, int at)
{
	if (((const struct out *)ctx)->kill_at == at)
		raise(SIGKILL);
}

static int
save_state(struct out *o, denai_err *err)
{
	json_t *st;
	int rc;

	if (o->state == NULL)
		return 0;
	if ((st = denai_watch_state(o->w)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_checkpoint_save_changed(o->state, st, &o->saved, err);
	json_decref(st);
	return rc;
}

/*
 * Writes the checkpoint that counts rec as emitted to a temporary file
 * beside the state file, then the record, then syncs the file and renames
 * it into place (node/checkpoint.h). A kill before the rename leaves the
 * old checkpoint (the record comes out again only if it was already
 * written); only the moment between the record's flush and the rename can
 * repeat a record.
 */
static denai_metrics *metrics;	/* --metrics, or NULL */

/* The chain's head, how far behind it the scan is, and reorgs seen. */
static void
chain_gauges(const denai_watch *w)
{
	uint64_t head = denai_watch_head(w), next = denai_watch_next_block(w);

	(void)denai_metrics_set(metrics, "denai_chain_head_block",
	    "The Ethereum node's head block at the last poll.", NULL,
	    (double)head, NULL);
	(void)denai_metrics_set(metrics, "denai_chain_lag_blocks",
	    "Blocks between the head and the last block scanned.", NULL,
	    next > head ? 0.0 : (double)(head - next + 1), NULL);
	(void)denai_metrics_set(metrics, "denai_chain_reorgs",
	    "Reorganisations seen since start.", NULL,
	    (double)denai_watch_reorgs(w), NULL);
}

static int
emit(void *ctx, const json_t *rec, denai_err *err)
{
	struct out *o = ctx;
	json_t *st;
	int rc;

	cli_metrics_out(metrics, rec, "watch");
	if (o->state == NULL) {
		if (denai_record_write(stdout, rec, err) != 0)
			return -1;
		o->emitted++;
		return 0;
	}
	if ((st = denai_watch_state(o->w)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_checkpoint_emit(stdout, o->state, st, rec, test_kill, o,
	    err);
	json_decref(st);
	free(o->saved);			/* the file is not that text now */
	o->saved = NULL;
	if (rc == 0)
		o->emitted++;
	return rc;
}

/* The default state file, under $XDG_STATE_HOME/denai/. */
static char *
default_state(const cli_chain *c, const uint8_t *miner)
{
	static char path[PATH_MAX];
	char dir[PATH_MAX - 160], a[2 * DENAI_ADDR_LEN + 3], m[2 * DENAI_ADDR_LEN + 3];
	denai_err err;

	cli_state_root(dir, sizeof(dir));
	if (denai_mkdirs(dir, &err) != 0)
		cli_die_err(&err);
	denai_hex_encode(a, c->dep.oracle, DENAI_ADDR_LEN);
	if (miner != NULL)
		snprintf(path, sizeof(path), "%s/watch-%llu-%s-%s.json", dir,
		    (unsigned long long)c->chain_id, a + 2,
		    denai_hex_encode(m, miner, DENAI_ADDR_LEN) + 2);
	else
		snprintf(path, sizeof(path), "%s/watch-%llu-%s.json", dir,
		    (unsigned long long)c->chain_id, a + 2);
	return path;
}

static void
restore(denai_watch *w, const char *path)
{
	json_t *st;
	denai_err err;

	if (denai_checkpoint_load(&st, path, &err) != 0)
		cli_die_err(&err);
	if (st != NULL && denai_watch_restore(w, st, &err) != 0) {
		json_decref(st);
		cli_die(denai_err_exit_status(err.code), "%s: %s", path, err.msg);
	}
	json_decref(st);
}

static void
sleep_ms(uint64_t ms)
{
	while (ms > 0 && !stop) {
		uint64_t d = ms > 100 ? 100 : ms;
		usleep((useconds_t)d * 1000);
		ms -= d;
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"once", no_argument, NULL, '1'},
		{"confirmations", required_argument, NULL, 'c'},
		{"poll", required_argument, NULL, 'p'},
		{"range", required_argument, NULL, 'R'},
		{"state", required_argument, NULL, 's'},
		{"no-state", no_argument, NULL, 'S'},
		{"from", required_argument, NULL, 'f'},
		/* the key a queue's workers hold (denai-queue) */
		{"miner", required_argument, NULL, 'f'},
		{"all", no_argument, NULL, 'A'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"deployment", required_argument, NULL, 'd'},
		{"reoffer-after", required_argument, NULL, 'O'},
		{"min-tip", required_argument, NULL, 'm'},
		{"min-tip-per-gas", required_argument, NULL, 'g'},
		{"models", required_argument, NULL, 'M'},
		{"order", required_argument, NULL, 'o'},
		{"tasks", no_argument, NULL, 'X'},
		{"role", required_argument, NULL, 'Z'},
		{"metrics", required_argument, NULL, 1000},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *rpc_url = NULL, *dep = NULL, *state = NULL, *from = NULL,
	    *role = NULL;
	const char *metrics_file = NULL;
	int tasks = 0;
	int ch, once = 0, no_state = 0, all = 0, caught;
	uint64_t poll_ms = 1000, backoff = 0;
	denai_watch_opts wo;
	struct out o = {NULL, NULL, NULL, 0, 0};
	const char *kill_at;
	denai_outage down = {0, 0};
	double secs;
	struct sigaction sa;
	cli_chain c;
	denai_err err;
	unsigned reorgs;
	int n;

	cli_init("denai-watch");
	/* From the start: a stop while connecting still exits cleanly. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	denai_watch_opts_default(&wo);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case '1': once = 1; break;
		case 'c': wo.confirmations = cli_parse_count("--confirmations",
		    optarg); break;
		case 'p': poll_ms = cli_parse_count("--poll", optarg); break;
		case 'R': wo.range = cli_parse_count("--range", optarg); break;
		case 's': state = optarg; break;
		case 'S': no_state = 1; break;
		case 'f': from = optarg; break;
		case 'A': all = 1; break;
		case 'r': rpc_url = optarg; break;
		case 'd': dep = optarg; break;
		case 'X': tasks = 1; break;
		case 'Z': role = optarg; break;
		case 'O': wo.reoffer_after = cli_parse_count("--reoffer-after",
		    optarg); break;
		case 'm':
			if (denai_units_parse(&wo.policy.min_tip, optarg,
			    &err) != 0)
				cli_die(EX_USAGE, "--min-tip: %s", err.msg);
			break;
		case 'g':
			if (denai_units_parse(&wo.policy.min_tip_per_gas, optarg,
			    &err) != 0)
				cli_die(EX_USAGE, "--min-tip-per-gas: %s",
				    err.msg);
			break;
		case 'M':
			if (denai_policy_set_models(&wo.policy, optarg,
			    &err) != 0)
				cli_die(EX_USAGE, "--models: %s", err.msg);
			break;
		case 'o':
			if (denai_policy_set_order(&wo.policy, optarg,
			    &err) != 0)
				cli_die(EX_USAGE, "--order: %s", err.msg);
			break;
		case 1000: metrics_file = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc || (state && no_state) || (from && all) ||
	    wo.range == 0)
		usage(EX_USAGE);

	if (from != NULL) {
		if (denai_secp_addr_parse(wo.miner, from, strlen(from), &err) != 0)
			cli_die(EX_USAGE, "--from: %s", err.msg);
		wo.has_miner = 1;
	} else if (!all && (getenv("DENAI_PRIVATE_KEY") || getenv("ETH_KEYSTORE")
	    || getenv("ETH_FROM"))) {
		if (cli_key_address(wo.miner, NULL, NULL, &err) != 0)
			cli_die_err(&err);
		wo.has_miner = 1;
	}
	if (tasks || role) {	/* training tasks: cmd/common/taskwatch.c */
		cli_task_watch_args ta = { rpc_url, dep, state, no_state, once,
		    poll_ms, wo.reoffer_after, role ? role : "all", {0}, &stop };
		if (!tasks || !wo.has_miner)
			cli_die(EX_USAGE, "--tasks needs a key to watch for: "
			    "--from ADDRESS, or a key in the environment");
		memcpy(ta.key, wo.miner, DENAI_ADDR_LEN);
		return cli_task_watch_run(&ta);
	}
	/* Following: a node away at start is waited for, as later. */
	if ((once ? cli_chain_open(&c, rpc_url, dep, &err) :
	    cli_chain_open_wait(&c, rpc_url, dep, (volatile const int *)&stop,
	    &err)) != 0) {
		if (stop)
			return 0;
		cli_die_err(&err);
	}
	if ((o.w = denai_watch_new(c.rpc, c.oracle, &c.dep, &wo, &err)) == NULL)
		cli_die_err(&err);
	if (!no_state && !once)
		o.state = state ? state :
		    default_state(&c, wo.has_miner ? wo.miner : NULL);
	if (o.state != NULL)
		restore(o.w, o.state);
	if ((kill_at = getenv("DENAI_TEST_KILL_AT")) != NULL)
		o.kill_at = strcmp(kill_at, "staged") == 0 ? 1 :
		    strcmp(kill_at, "written") == 0 ? 2 :
		    strcmp(kill_at, "renamed") == 0 ? 3 : 0;

	metrics = cli_metrics_start(metrics_file, "watch");
	while (denai_watch_scan_open(o.w, emit, &o, &err) < 0) {
		if (err.code != DENAI_EPEER || once)
			cli_die_err(&err);
		if (denai_outage_fail(&down, denai_now_ms()))
			cli_warn("%s; retrying", err.msg);
		sleep_ms(2000);
		if (stop)
			goto out;
	}
	if (denai_outage_ok(&down, denai_now_ms(), &secs))
		cli_warn("node answers again after %.1f s", secs);
	if (once)
		goto out;
	if (save_state(&o, &err) != 0)
		cli_die_err(&err);
	while (!stop) {
		/* Polls start every poll_ms, however long one takes. */
		uint64_t began = denai_now_ms(), took;

		reorgs = denai_watch_reorgs(o.w);
		n = denai_watch_poll(o.w, emit, &o, &caught, &err);
		if (denai_watch_reorgs(o.w) != reorgs)
			cli_warn("the chain reorganised; rewound to the newest "
			    "block still on it");
		/* Caught up: offer again what went out and is still open
		 * and unanswered (a stage downstream lost it). */
		if (n >= 0 && caught)
			n = denai_watch_reoffer(o.w, emit, &o, &err);
		if (n < 0) {
			if (err.code == DENAI_EIO)
				cli_die_err(&err);	/* stdout or state */
			if (denai_outage_fail(&down, denai_now_ms()))
				cli_warn("%s; retrying", err.msg);
			backoff = backoff ? backoff * 2 : 500;
			if (backoff > 15000)
				backoff = 15000;
			sleep_ms(backoff);
			continue;
		}
		if (denai_outage_ok(&down, denai_now_ms(), &secs))
			cli_warn("node answers again after %.1f s", secs);
		backoff = 0;
		chain_gauges(o.w);
		if (save_state(&o, &err) != 0)
			cli_die_err(&err);
		took = denai_now_ms() - began;
		if (caught && took < poll_ms)
			sleep_ms(poll_ms - took);
	}
out:
	free(o.saved);
	denai_metrics_free(metrics);
	metrics = NULL;
	denai_watch_free(o.w);
	cli_chain_close(&c);
	return 0;
}
