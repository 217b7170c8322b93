/*
 * denai-submit - send each mined record's solution to the oracle and add
 * the outcome: tx_hash, status, gas_used, block_number. Task records send
 * the tasks contract transaction their action calls for (lib/task/submit.c).
 * Sealed records are committed, then revealed, from a state folder
 * (lib/node/sealed.h).
 */
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/metrics.h"
#include "common/key.h"
#include "linebuf.h"
#include "node/record.h"
#include "node/seal_state.h"
#include "node/submit.h"
#include "eth/txsend.h"
#include "task/task_submit.h"

static struct {
	cli_chain c;
	denai_sender *s;
	denai_submitter *sub;
	denai_tasks *tasks;		/* opened at the first task record */
	uint8_t tasks_at[DENAI_ADDR_LEN];
} g;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-submit [--wait SECONDS] [--replace-after SECONDS]\n"
	    "                    [--rpc-url URL] [--deployment FILE]\n"
	    "                    [--keystore PATH] [--metrics FILE]\n"
	    "                    [--state DIR]\n");
	exit(status);
}

static denai_metrics *metrics;	/* --metrics, or NULL */

static void
out(void *ctx, const json_t *rec)
{
	const char *st = denai_record_str(rec, "status");
	const json_t *gas = json_object_get(rec, "gas_used");
	denai_err err;

	(void)ctx;
	cli_metrics_out(metrics, rec, "submit");
	if (st != NULL && metrics != NULL) {
		const char *const l[] = { "status", st, NULL };

		(void)denai_metrics_add(metrics, "denai_submit_results_total",
		    "Records finished, by status.", l, 1, NULL);
	}
	if (json_is_integer(gas))
		(void)denai_metrics_add(metrics, "denai_submit_gas_used_total",
		    "Gas used by the transactions sent.", NULL,
		    (double)json_integer_value(gas), NULL);
	if (denai_record_write(stdout, rec, &err) != 0)
		cli_die_err(&err);
}

static void
note(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warn("%s", msg);
}

/* A task or submission record; the submitter follows what is sent. */
static void
take_task(json_t *rec, unsigned long line)
{
	unsigned ticket;
	denai_err err;
	json_t *o;

	if (g.tasks == NULL && (denai_tasks_at(g.tasks_at, &g.c.dep, &err) != 0 ||
	    (g.tasks = denai_tasks_new(&err)) == NULL)) {
		o = denai_record_error_new("submit", rec, line, err.msg);
	} else if (denai_task_submit(g.tasks, g.s, g.c.rpc, g.tasks_at, rec,
	    line, &ticket, &o) == 1) {
		if (denai_submitter_track(g.sub, rec, ticket, &err) != 0)
			cli_die_err(&err);
		return;
	}
	out(NULL, o);
	json_decref(o);
}

static void
take_line(const char *line, size_t len, unsigned long lineno)
{
	json_t *rec;

	if (denai_record_parse(&rec, line, len, NULL) != 0) {
		denai_submitter_take_line(g.sub, line, len, lineno);
		return;
	}
	if (denai_record_is(rec, "task") || denai_record_is(rec, "submission"))
		take_task(rec, lineno);
	else
		denai_submitter_take(g.sub, rec, lineno);
	json_decref(rec);
}

/* The sealed requests' state folder: --state, DENAI_SUBMIT_STATE, or one
 * per chain, oracle and key under $XDG_STATE_HOME/denai. */
static const char *
state_dir(const char *flag, const uint8_t miner[DENAI_ADDR_LEN])
{
	static char dir[PATH_MAX];
	char root[PATH_MAX - 200];
	const char *set = cli_setting(flag, "DENAI_SUBMIT_STATE", NULL);
	denai_err err;

	if (set != NULL)
		return set;
	cli_state_root(root, sizeof(root));
	if (denai_seal_state_dir(dir, sizeof(dir), root, g.c.chain_id,
	    g.c.dep.oracle, miner, &err) != 0)
		cli_die_err(&err);
	return dir;
}

/*
 * As a pipeline stage (input from a pipe) a node away at start is waited
 * for, as later; run over a file, or with nothing to read, it is 69.
 */
static int
open_chain(const char *rpc_url, const char *dep, denai_err *err)
{
	struct stat st;

	if (cli_chain_open(&g.c, rpc_url, dep, err) == 0)
		return 0;
	if (err->code != DENAI_EPEER || fstat(STDIN_FILENO, &st) != 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return -1;
	return cli_chain_open_wait(&g.c, rpc_url, dep, NULL, err);
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
		{"metrics", required_argument, NULL, 1000},
		{"state", required_argument, NULL, 1001},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *rpc_url = NULL, *dep = NULL, *keystore = NULL;
	const char *metrics_file = NULL, *state = NULL;
	denai_submit_opts sopts;
	uint64_t wait_s = 120, eof_at = 0;
	denai_sender_opts so;
	denai_linebuf lb;
	struct pollfd pfd;
	const char *line;
	size_t len;
	cli_key key;
	denai_err err;
	size_t pending = 0;
	int ch, r;

	cli_init("denai-submit");
	denai_sender_opts_default(&so);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': wait_s = cli_parse_count("--wait", optarg); break;
		case 'R': so.replace_after_ms = 1000 *
		    cli_parse_count("--replace-after", optarg); break;
		case 'r': rpc_url = optarg; break;
		case 'd': dep = optarg; break;
		case 'k': keystore = optarg; break;
		case 1000: metrics_file = optarg; break;
		case 1001: state = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc)
		usage(EX_USAGE);
	signal(SIGPIPE, SIG_IGN);
	if (cli_key_load(&key, keystore, &err) != 0 ||
	    open_chain(rpc_url, dep, &err) != 0 ||
	    (g.s = denai_sender_new(g.c.rpc, key.sk, g.c.chain_id, &so,
	    &err)) == NULL)
		cli_die_err(&err);
	denai_submit_opts_default(&sopts);
	sopts.state_dir = state_dir(state, denai_sender_address(g.s));
	if ((g.sub = denai_submitter_new(g.c.rpc, g.c.oracle, &g.c.dep, g.s,
	    &sopts, out, note, NULL, &err)) == NULL)
		cli_die_err(&err);
	cli_key_wipe(&key);
	metrics = cli_metrics_start(metrics_file, "submit");

	denai_linebuf_init(&lb, STDIN_FILENO, DENAI_RECORD_MAX_LINE);
	for (;;) {
		if (lb.eof && pending == 0)
			break;
		if (lb.eof && denai_now_ms() - eof_at > wait_s * 1000) {
			cli_warn("%zu records still unfinished after %llu s",
			    pending, (unsigned long long)wait_s);
			denai_submitter_abandon(g.sub, "not finished before "
			    "denai-submit had to exit (--wait)");
			denai_linebuf_free(&lb);
			return EX_TEMPFAIL;
		}
		if (!lb.eof) {
			pfd.fd = STDIN_FILENO;
			pfd.events = POLLIN;
			r = poll(&pfd, 1, pending ?
			    denai_submitter_wait_ms(g.sub) : 1000);
			if (r > 0) {
				if (denai_linebuf_fill(&lb, &err) < 0)
					cli_die_err(&err);
				if (lb.eof)
					eof_at = denai_now_ms();
				while ((r = denai_linebuf_next(&lb, &line, &len,
				    &err)) != 0) {
					if (r < 0)
						denai_submitter_bad_line(g.sub,
						    lb.lineno, err.msg);
					else
						take_line(line, len, lb.lineno);
					denai_metrics_in(metrics);
				}
			}
		} else {
			usleep((useconds_t)denai_submitter_wait_ms(g.sub) * 1000);
		}
		pending = denai_submitter_step(g.sub);
		(void)denai_metrics_set(metrics,
		    "denai_submit_pending_records", "Records waiting for "
		    "their transaction.", NULL, (double)pending, NULL);
	}
	denai_metrics_free(metrics);
	metrics = NULL;
	denai_linebuf_free(&lb);
	denai_submitter_free(g.sub);
	denai_tasks_free(g.tasks);
	denai_sender_free(g.s);
	cli_chain_close(&g.c);
	return 0;
}
