/*
 * denai-train - trains a model on a CSV, deterministically, and writes it
 * as ONNX; or, as a pipeline stage, trains for the task records that owe
 * a commit and reveals what it committed (lib/train/stage.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/cli.h"
#include "common/ipfs.h"
#include "common/key.h"
#include "eth/hex.h"
#include "ipfs/blockstore.h"
#include "node/record.h"
#include "common/metrics.h"
#include "train/job.h"
#include "train/stage.h"

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-train --csv file --label column [--kind kind] "
	    "[--algo algo]\n"
	    "                   [--trees n] [--leaves n] [--bins n] [--lr x] "
	    "[--l2 x]\n"
	    "                   [--min-leaf n] [--iters n] [--seed n] "
	    "[--threads n] -o model.onnx\n"
	    "       denai-train [--state dir] [--dir dir] [--trainer address] "
	    "[--algo algo]\n"
	    "                   [--trees n] [--leaves n] [--bins n] [--lr x] "
	    "[--threads n]\n"
	    "                   [--metrics file]\n");
	exit(status);
}

static double
parse_real(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0')
		cli_die(EX_USAGE, "%s: not a number: %s", opt, s);
	return v;
}

static int
parse_int(const char *opt, const char *s)
{
	unsigned long long v = cli_parse_count(opt, s);

	if (v > 1000000)
		cli_die(EX_USAGE, "%s: too large: %s", opt, s);
	return (int)v;
}

/* The progress line, only on a terminal. */
static void
progress(void *ctx, int done, int total)
{
	static int last = -1;
	int pct = (int)(100LL * done / total);

	(void)ctx;
	if (pct == last && done != total)
		return;
	last = pct;
	fprintf(stderr, "\r%s: training %d/%d (%d%%)%s", cli_progname(), done,
	    total, pct, done == total ? "\n" : "");
	fflush(stderr);
}

static void
report(const char *what, const denai_train_result *r, int algo,
    const denai_train_opts *o, double secs)
{
	const denai_train_metrics *m = &r->m;

	if (r->kind == DENAI_KIND_CLASSIFY)
		cli_warn("%s: %s classification, %zu rows x %zu features, "
		    "%zu classes: training accuracy %.4f, log-loss %.5f, "
		    "%zu nodes, %zu bytes; read %.3f s, train %.3f s, "
		    "total %.3f s", what,
		    denai_train_algo_name(algo), r->rows, r->cols, m->classes,
		    m->accuracy, m->loss, m->nodes, r->len, r->read_s,
		    r->train_s, secs);
	else
		cli_warn("%s: %s regression, %zu rows x %zu features: "
		    "training R^2 %.4f, MSE %.6g, %zu nodes, %zu bytes; read %.3f s, train %.3f s, "
		    "total %.3f s", what, denai_train_algo_name(algo), r->rows,
		    r->cols, m->r2, m->loss, m->nodes, r->len, r->read_s,
		    r->train_s, secs);
	(void)o;
}

static void
stage_trained(void *ctx, const json_t *rec, double secs, const void *res)
{
	const denai_train_stage *s = ctx;
	const char *id = json_string_value(json_object_get(rec, "task_id"));
	char what[96];

	snprintf(what, sizeof(what), "task %s", id ? id : "?");
	report(what, res, s->algo >= 0 ? s->algo : DENAI_ALGO_GBT, &s->opts,
	    secs);
}

static int
on_task(void *arg, json_t *rec, denai_err *err)
{
	return denai_train_stage_record(arg, rec, err);
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "csv", required_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'y' },
		{ "kind", required_argument, NULL, 'k' },
		{ "algo", required_argument, NULL, 'a' },
		{ "trees", required_argument, NULL, 'T' },
		{ "leaves", required_argument, NULL, 'L' },
		{ "bins", required_argument, NULL, 'B' },
		{ "lr", required_argument, NULL, 'r' },
		{ "l2", required_argument, NULL, '2' },
		{ "min-leaf", required_argument, NULL, 'm' },
		{ "iters", required_argument, NULL, 'i' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "state", required_argument, NULL, 'S' },
		{ "dir", required_argument, NULL, 'd' },
		{ "trainer", required_argument, NULL, 'R' },
		{ "metrics", required_argument, NULL, 1000 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static denai_train_stage st;
	static denai_train_result r;
	denai_train_opts o;
	denai_err err;
	const char *csv = NULL, *label = NULL, *out = NULL, *dir = NULL;
	const char *state = NULL, *trainer = NULL, *kind = NULL;
	const char *metrics_file = NULL;
	static denai_metrics *metrics;
	int algo = -1, ch, trees = -1, leaves = -1, bins = -1, minleaf = -1;
	int iters = -1, threads = -1, seed_set = 0;
	double lr = -1, l2 = -1;
	unsigned long long seed = 0;
	long ncpu;

	cli_init("denai-train");
	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': csv = optarg; break;
		case 'y': label = optarg; break;
		case 'k': kind = optarg; break;
		case 'a':
			if ((algo = denai_train_algo_parse(optarg)) < 0)
				cli_die(EX_USAGE, "--algo: gbt, rf or linear, "
				    "not %s", optarg);
			break;
		case 'T': trees = parse_int("--trees", optarg); break;
		case 'L': leaves = parse_int("--leaves", optarg); break;
		case 'B': bins = parse_int("--bins", optarg); break;
		case 'r': lr = parse_real("--lr", optarg); break;
		case '2': l2 = parse_real("--l2", optarg); break;
		case 'm': minleaf = parse_int("--min-leaf", optarg); break;
		case 'i': iters = parse_int("--iters", optarg); break;
		case 's':
			seed = cli_parse_count("--seed", optarg);
			seed_set = 1;
			break;
		case 'j': threads = parse_int("--threads", optarg); break;
		case 'S': state = optarg; break;
		case 'd': dir = optarg; break;
		case 'R': trainer = optarg; break;
		case 'o': out = optarg; break;
		case 1000: metrics_file = optarg; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc || (csv != NULL) != (label != NULL) ||
	    (csv != NULL) != (out != NULL) ||
	    (csv != NULL && (state || dir || trainer)) ||
	    (csv == NULL && (kind || seed_set)))
		usage(stderr, EX_USAGE);
	denai_train_defaults(&o, algo >= 0 ? algo : DENAI_ALGO_GBT, 0);
	if (trees >= 0) o.trees = trees;
	if (leaves >= 0) o.leaves = leaves;
	if (bins >= 0) o.bins = bins;
	if (lr >= 0) o.lr = lr;
	if (l2 >= 0) o.l2 = l2;
	if (minleaf >= 0) o.min_leaf = minleaf;
	if (iters >= 0) o.iters = iters;
	o.seed = seed;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o.threads = threads > 0 ? threads : ncpu < 1 ? 1 : ncpu > 64 ? 64 :
	    (int)ncpu;
	if (csv != NULL) {
		double t0 = now();

		if (kind == NULL)
			o.kind = DENAI_KIND_AUTO;
		else if (strcmp(kind, "classification") == 0)
			o.kind = DENAI_KIND_CLASSIFY;
		else if (strcmp(kind, "regression") == 0)
			o.kind = DENAI_KIND_REGRESS;
		else
			cli_die(EX_USAGE, "--kind: classification or "
			    "regression, not %s", kind);
		if (isatty(STDERR_FILENO))
			o.progress = progress;
		if (denai_train_csv(&r, csv, label, &o, "denai-train",
		    &err) != 0)
			cli_die_err(&err);
		if (denai_write_atomic(out, r.onnx, r.len, 0644, &err) != 0)
			cli_die_err(&err);
		report(out, &r, o.algo, &o, now() - t0);
		free(r.onnx);
		return 0;
	}
	/* the pipeline stage */
	st.state_dir = cli_setting(state, "DENAI_TRAIN_STATE", NULL);
	if (st.state_dir == NULL)
		cli_die(EX_USAGE, "no state folder: use --state or set "
		    "DENAI_TRAIN_STATE");
	if (trainer != NULL) {
		if (denai_hex_decode_exact(st.trainer, 20, trainer, &err) != 0)
			cli_die(EX_USAGE, "--trainer: not an address: %s",
			    trainer);
	} else {
		char hex[64];

		if (cli_key_address(st.trainer, hex, NULL, &err) != 0)
			cli_die_err(&err);
	}
	if ((st.bs = denai_blockstore_open(cli_ipfs_dir(dir), &err)) == NULL)
		cli_die_err(&err);
	st.algo = algo;
	st.opts = o;
	st.trained = stage_trained;
	st.trained_ctx = &st;
	metrics = cli_metrics_start(metrics_file, "train");
	if (denai_stage_run_metrics(stdin, stdout, "train", "task", on_task,
	    &st, metrics, NULL, NULL, &err) != 0)
		cli_die_err(&err);
	denai_metrics_free(metrics);
	denai_blockstore_close(st.bs);
	return 0;
}
