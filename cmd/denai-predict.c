/*
 * denai-predict - the prediction stage of a miner node: for each request
 * record, load its model (once, kept in a cache by model_sha256 or path),
 * run it on the record's data point and add "prediction" (the uint256 sent
 * on chain, as a decimal string) and "outputs". Other records pass through.
 * With --model, bare JSON arrays (rows) are predicted too.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/cli.h"
#include "common/metrics.h"
#include "onnx/cache.h"
#include "onnx/describe.h"
#include "onnx/graph.h"
#include "onnx/model.h"
#include "onnx/predict.h"
#include "node/predict_record.h"
#include "node/command.h"
#include "node/record.h"

struct command {
	const char *id;
	const char *cmd;
};

struct predictor {
	const char *model;		/* --model: used for every record */
	denai_graph *fixed;		/* its graph */
	int decimals;			/* --decimals, or -1 */
	denai_model_cache *cache;
	size_t maxcache;
	struct command *cmds;
	size_t ncmds;
	unsigned cmd_timeout;		/* seconds */
};

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-predict [--model path] [--decimals n] "
	    "[--max-models n]\n"
	    "                     [--command id=command ...] "
	    "[--command-timeout seconds]\n"
	    "                     [--metrics file]\n"
	    "       denai-predict --info path\n"
	    "       denai-predict --model path --print-model\n");
	exit(status);
}

/* ---- --command: a local program answers for a model id ---- */

static const char *
command_for(const struct predictor *p, const json_t *rec)
{
	const char *id = denai_record_str(rec, "model_id");

	for (size_t i = 0; id != NULL && i < p->ncmds; i++)
		if (strcmp(p->cmds[i].id, id) == 0)
			return p->cmds[i].cmd;
	return NULL;
}

/* ---- one record ---- */

static int
predict_record(struct predictor *p, json_t *rec, denai_err *err)
{
	char pred[DENAI_U256_DEC_MAX], *raw = NULL;
	json_t *data = NULL, *outputs = NULL;
	const char *cmd = p->fixed == NULL ? command_for(p, rec) : NULL;
	denai_graph *g;
	unsigned decimals = 0;
	int rc = -1;

	if (p->decimals >= 0)
		decimals = (unsigned)p->decimals;
	else if (denai_predict_record_decimals(&decimals, rec, err) != 0)
		goto out;
	if (denai_predict_record_data(&data, rec, err) != 0)
		goto out;
	if (cmd != NULL) {
		if (denai_command_predict(pred, &raw, cmd, data, decimals,
		    p->cmd_timeout, err) != 0)
			goto out;
		outputs = json_pack("{s:s}", "stdout", raw);
	} else {
		if (p->fixed != NULL)
			g = p->fixed;
		else if (denai_predict_record_graph(p->cache, &g, rec,
		    err) != 0)
			goto out;
		if (denai_predict(g, data, decimals, &outputs, pred, err) != 0)
			goto out;
	}
	json_object_set_new(rec, "prediction", json_string(pred));
	json_object_set_new(rec, "outputs", outputs);
	outputs = NULL;
	rc = 0;
out:
	free(raw);
	json_decref(outputs);
	json_decref(data);
	return rc;
}

static int
handles(const struct predictor *p, const json_t *rec)
{
	if (denai_record_is(rec, "request"))
		return 1;
	return p->fixed != NULL && json_object_get(rec, "type") == NULL;
}

static denai_metrics *metrics;	/* --metrics, or NULL */
static double t_in;		/* when the record being handled came */

static int
emit(json_t *rec)
{
	denai_err err;

	cli_metrics_out(metrics, rec, "predict");
	if (metrics != NULL)
		denai_metrics_time(metrics, denai_metrics_now() - t_in);
	if (denai_record_write(stdout, rec, &err) != 0) {
		json_decref(rec);
		cli_die_err(&err);
	}
	json_decref(rec);
	return 0;
}

static void
run_stream(struct predictor *p, FILE *in)
{
	denai_reader r;
	denai_err err;
	json_t *v, *rec;
	int got;

	denai_reader_init(&r, in);
	while ((got = denai_reader_next_value(&r, &v, &err)) != 0) {
		denai_metrics_in(metrics);
		t_in = metrics != NULL ? denai_metrics_now() : 0;
		if (got < 0) {
			emit(denai_record_error_new("predict", NULL, r.lineno,
			    err.msg));
			continue;
		}
		if (json_is_array(v) && p->fixed != NULL) {
			/* A bare row: wrap it into a prediction record. */
			rec = json_pack("{s:s, s:I, s:O}", "type",
			    "prediction", "line", (json_int_t)r.lineno, "data",
			    v);
			json_decref(v);
			if (rec == NULL)
				cli_die(EX_OSERR, "out of memory");
			if (predict_record(p, rec, &err) != 0) {
				emit(denai_record_error_new("predict", NULL,
				    r.lineno, err.msg));
				json_decref(rec);
				continue;
			}
			json_object_del(rec, "data");
			emit(rec);
			continue;
		}
		if (!json_is_object(v)) {
			json_decref(v);
			emit(denai_record_error_new("predict", NULL, r.lineno,
			    p->fixed != NULL ? "expected a JSON array (a row) "
			    "or a record" : "a record must be a JSON object"));
			continue;
		}
		if (handles(p, v) && predict_record(p, v, &err) != 0) {
			emit(denai_record_error_new("predict", v, 0,
			    err.msg));
			json_decref(v);
			continue;
		}
		emit(v);
	}
	denai_reader_free(&r);
	if (r.ioerr)
		cli_die(EX_IOERR, "cannot read input: %s", strerror(r.ioerr));
}

/* ---- --info ---- */

/* The model for people (onnx/describe.h), indented, on stdout. */
static void
print_info(const denai_model *m, const char *graph_error)
{
	json_t *o;
	denai_err err;

	if (denai_model_describe_json(&o, m, graph_error, &err) != 0)
		cli_die_err(&err);
	if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0)
		cli_die(EX_IOERR, "cannot write output");
	json_decref(o);
}

/* --info: prints the model even when the evaluator cannot run it (then
 * exits with the load error's status). */
static int
info_main(const char *path)
{
	denai_model *m, *m2;
	denai_graph *g;
	denai_err err, gerr;
	int rc;

	if (denai_model_load_file(&m, path, 0, &err) != 0)
		cli_die_err(&err);
	if (denai_model_load_file(&m2, path, 0, &err) != 0)
		cli_die_err(&err);
	rc = denai_graph_new(&g, m2, NULL, &gerr);
	print_info(m, rc == 0 ? NULL : gerr.msg);
	denai_graph_free(g);
	denai_model_free(m);
	return rc == 0 ? 0 : denai_err_exit_status(gerr.code);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "decimals", required_argument, NULL, 'd' },
		{ "max-models", required_argument, NULL, 'n' },
		{ "command", required_argument, NULL, 'c' },
		{ "command-timeout", required_argument, NULL, 't' },
		{ "info", required_argument, NULL, 'i' },
		{ "print-model", no_argument, NULL, 'p' },
		{ "metrics", required_argument, NULL, 1000 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct predictor p;
	const char *info = NULL, *metrics_file = NULL;
	unsigned long long v;
	denai_err err;
	int c, print = 0;

	cli_init("denai-predict");
	memset(&p, 0, sizeof(p));
	p.decimals = -1;
	p.maxcache = 16;
	p.cmd_timeout = 30;
	while ((c = getopt_long(argc, argv, "m:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			p.model = optarg;
			break;
		case 'd':
			v = cli_parse_count("--decimals", optarg);
			if (v > DENAI_PREDICT_MAX_DECIMALS)
				cli_die(EX_USAGE, "--decimals: at most %d",
				    DENAI_PREDICT_MAX_DECIMALS);
			p.decimals = (int)v;
			break;
		case 'n':
			v = cli_parse_count("--max-models", optarg);
			if (v < 1 || v > 4096)
				cli_die(EX_USAGE,
				    "--max-models: from 1 to 4096");
			p.maxcache = (size_t)v;
			break;
		case 'c': {
			const char *eq = strchr(optarg, '=');
			struct command *nc;

			if (eq == NULL || eq == optarg || eq[1] == '\0')
				cli_die(EX_USAGE, "--command: expected "
				    "id=command, got '%s'", optarg);
			nc = realloc(p.cmds, (p.ncmds + 1) * sizeof(*nc));
			if (nc == NULL)
				cli_die(EX_OSERR, "out of memory");
			p.cmds = nc;
			p.cmds[p.ncmds].id = strndup(optarg,
			    (size_t)(eq - optarg));
			p.cmds[p.ncmds].cmd = eq + 1;
			if (p.cmds[p.ncmds].id == NULL)
				cli_die(EX_OSERR, "out of memory");
			p.ncmds++;
			break;
		}
		case 't':
			v = cli_parse_count("--command-timeout", optarg);
			if (v < 1 || v > 86400)
				cli_die(EX_USAGE,
				    "--command-timeout: from 1 to 86400");
			p.cmd_timeout = (unsigned)v;
			break;
		case 'i':
			info = optarg;
			break;
		case 'p':
			print = 1;
			break;
		case 1000: metrics_file = optarg; break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc || (info != NULL && p.model != NULL) ||
	    (print && p.model == NULL))
		usage(stderr, EX_USAGE);
	if (info != NULL || print)
		return info_main(info != NULL ? info : p.model);
	if (p.model != NULL &&
	    denai_graph_load_file(&p.fixed, p.model, NULL, &err) != 0)
		cli_die_err(&err);
	if ((p.cache = denai_model_cache_new(p.maxcache, &err)) == NULL)
		cli_die(EX_OSERR, "out of memory");
	metrics = cli_metrics_start(metrics_file, "predict");
	run_stream(&p, stdin);
	denai_metrics_free(metrics);
	metrics = NULL;
	for (size_t i = 0; i < p.ncmds; i++)
		free((char *)p.cmds[i].id);
	free(p.cmds);
	denai_model_cache_free(p.cache);
	denai_graph_free(p.fixed);
	return 0;
}
