/*
 * denai-predict - the prediction stage of a miner node: for each request
 * record, load its model (once, kept in a cache by model_sha256 or path),
 * run it on the record's data point and add "prediction" (the uint256 sent
 * on chain, as a decimal string) and "outputs". Other records pass through.
 * With --model, bare JSON arrays (rows) are predicted too.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/cli.h"
#include "fileio.h"
#include "onnx/graph.h"
#include "onnx/model.h"
#include "onnx/predict.h"
#include "record.h"

#define MAX_DATA_FILE	((size_t)64 << 20)

struct cached {
	char *key;
	denai_graph *g;
	unsigned long used;		/* for LRU eviction */
};

struct command {
	const char *id;
	const char *cmd;
};

struct predictor {
	const char *model;		/* --model: used for every record */
	denai_graph *fixed;		/* its graph */
	int decimals;			/* --decimals, or -1 */
	struct cached *cache;
	size_t ncache, maxcache;
	unsigned long tick;
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
	    "       denai-predict --info path\n"
	    "       denai-predict --model path --print-model\n");
	exit(status);
}

/* ---- models ---- */

static int
get_graph(struct predictor *p, const json_t *rec, denai_graph **g,
    denai_err *err)
{
	const char *path = denai_record_str(rec, "model_path");
	const char *sha = denai_record_str(rec, "model_sha256");
	const char *key;
	struct cached *victim = NULL;

	if (p->fixed != NULL) {
		*g = p->fixed;
		return 0;
	}
	if (path == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no model_path");
	key = sha != NULL ? sha : path;
	for (size_t i = 0; i < p->ncache; i++)
		if (strcmp(p->cache[i].key, key) == 0) {
			p->cache[i].used = ++p->tick;
			*g = p->cache[i].g;
			return 0;
		}
	if (denai_graph_load_file(g, path, NULL, err) != 0)
		return denai_err_prefix(err, "model");
	if (p->ncache < p->maxcache)
		victim = &p->cache[p->ncache++];
	else {
		victim = &p->cache[0];
		for (size_t i = 1; i < p->ncache; i++)
			if (p->cache[i].used < victim->used)
				victim = &p->cache[i];
		free(victim->key);
		denai_graph_free(victim->g);
	}
	if ((victim->key = strdup(key)) == NULL) {
		denai_graph_free(*g);
		*g = NULL;
		victim->g = NULL;
		p->ncache--;
		if (victim != &p->cache[p->ncache])
			*victim = p->cache[p->ncache];
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	victim->g = *g;
	victim->used = ++p->tick;
	return 0;
}

/* ---- the record's fields ---- */

static int
get_decimals(const struct predictor *p, const json_t *rec, unsigned *d,
    denai_err *err)
{
	const json_t *v = json_object_get(rec, "model_decimals");
	long long x;
	char *end;

	if (p->decimals >= 0) {
		*d = (unsigned)p->decimals;
		return 0;
	}
	if (v == NULL)
		v = json_object_get(rec, "decimals");
	if (v == NULL || json_is_null(v)) {
		*d = 0;
		return 0;
	}
	if (json_is_integer(v))
		x = json_integer_value(v);
	else if (json_is_string(v)) {
		errno = 0;
		x = strtoll(json_string_value(v), &end, 10);
		if (end == json_string_value(v) || *end != '\0' || errno)
			x = -1;
	} else
		x = -1;
	if (x < 0 || x > DENAI_PREDICT_MAX_DECIMALS)
		return denai_err_set(err, DENAI_EDATA,
		    "decimals must be an integer from 0 to %d",
		    DENAI_PREDICT_MAX_DECIMALS);
	*d = (unsigned)x;
	return 0;
}

/* The data point: "data", or the JSON file at "data_path". */
static int
get_data(const json_t *rec, json_t **data, denai_err *err)
{
	const char *path;
	json_error_t je;
	uint8_t *buf;
	size_t len;

	*data = json_object_get(rec, "data");
	if (*data != NULL) {
		json_incref(*data);
		return 0;
	}
	if ((path = denai_record_str(rec, "data_path")) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no data or data_path");
	if (denai_file_read(&buf, &len, path, MAX_DATA_FILE, err) != 0)
		return denai_err_prefix(err, "data_path");
	*data = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
	    &je);
	free(buf);
	if (*data == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "data_path %s is not JSON: %s", path, je.text);
	return 0;
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

/*
 * Runs cmd with the data point as one JSON line on its stdin and takes
 * the prediction from its stdout: an integer (negative ones as int256) or
 * a decimal number (scaled by decimals).
 */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
run_command(const char *cmd, const json_t *data, unsigned decimals,
    unsigned timeout, char out[DENAI_U256_DEC_MAX], char **raw,
    denai_err *err)
{
	long long deadline = now_ms() + (long long)timeout * 1000;
	int in[2], outp[2], status;
	char *text = json_dumps(data, JSON_COMPACT), buf[256];
	size_t n = 0, k;
	pid_t pid;
	double v;
	char *end;
	denai_u256 r;

	*raw = NULL;
	if (text == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (pipe(in) != 0 || pipe(outp) != 0) {
		free(text);
		return denai_err_set(err, DENAI_EIO, "pipe: %s",
		    strerror(errno));
	}
	if ((pid = fork()) < 0) {
		free(text);
		return denai_err_set(err, DENAI_EIO, "fork: %s",
		    strerror(errno));
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	signal(SIGPIPE, SIG_IGN);
	k = strlen(text);
	(void)!write(in[1], text, k);
	(void)!write(in[1], "\n", 1);
	close(in[1]);
	free(text);
	/* Read its answer until EOF, keeping the first 255 bytes, within
	 * the time allowed. */
	for (int timed_out = 0;;) {
		struct pollfd pfd = { outp[0], POLLIN, 0 };
		char sink[4096];
		ssize_t got;
		int left = (int)(deadline - now_ms());

		if (left <= 0 || poll(&pfd, 1, left) == 0)
			timed_out = 1;
		if (timed_out) {
			kill(pid, SIGKILL);
			close(outp[0]);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return denai_err_set(err, DENAI_EPEER,
			    "command timed out after %u s", timeout);
		}
		if (n < sizeof(buf) - 1)
			got = read(outp[0], buf + n, sizeof(buf) - 1 - n);
		else
			got = read(outp[0], sink, sizeof(sink));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (n < sizeof(buf) - 1)
			n += (size_t)got;
	}
	close(outp[0]);
	buf[n] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return denai_err_set(err, DENAI_EPEER,
		    "command exited with status %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
	    buf[n - 1] == ' '))
		buf[--n] = '\0';
	if ((*raw = strdup(buf)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	errno = 0;
	v = strtod(buf, &end);
	if (n == 0 || end == buf || *end != '\0')
		return denai_err_set(err, DENAI_EDATA,
		    "command printed no number: %.60s", buf);
	if (strspn(buf, "0123456789") == n) {
		if (denai_u256_parse_dec(&r, buf, n, err) != 0)
			return denai_err_prefix(err, "command output");
	} else if (denai_predict_scale(&r, v, decimals, err) != 0)
		return denai_err_prefix(err, "command output");
	denai_u256_to_dec(out, &r);
	return 0;
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

	if (get_decimals(p, rec, &decimals, err) != 0 ||
	    get_data(rec, &data, err) != 0)
		goto out;
	if (cmd != NULL) {
		if (run_command(cmd, data, decimals, p->cmd_timeout, pred,
		    &raw, err) != 0)
			goto out;
		outputs = json_pack("{s:s}", "stdout", raw);
	} else {
		if (get_graph(p, rec, &g, err) != 0 ||
		    denai_predict(g, data, decimals, &outputs, pred, err) != 0)
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

static int
emit(json_t *rec)
{
	denai_err err;

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
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;

	while ((n = getline(&line, &cap, in)) >= 0) {
		json_error_t je;
		json_t *v, *rec;
		denai_err err;

		lineno++;
		memset(&err, 0, sizeof(err));
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		if ((size_t)n > DENAI_RECORD_MAX_LINE) {
			snprintf(err.msg, sizeof(err.msg),
			    "line %lu: longer than %u bytes", lineno,
			    DENAI_RECORD_MAX_LINE);
			emit(denai_record_error_new("predict", NULL, lineno,
			    err.msg));
			continue;
		}
		v = memchr(line, '\0', (size_t)n) != NULL ? NULL :
		    json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &je);
		if (v == NULL) {
			snprintf(err.msg, sizeof(err.msg),
			    "line %lu: not JSON: %s", lineno,
			    memchr(line, '\0', (size_t)n) != NULL ?
			    "holds a NUL byte" : je.text);
			emit(denai_record_error_new("predict", NULL, lineno,
			    err.msg));
			continue;
		}
		if (json_is_array(v) && p->fixed != NULL) {
			/* A bare row: wrap it into a prediction record. */
			rec = json_pack("{s:s, s:I, s:O}", "type",
			    "prediction", "line", (json_int_t)lineno, "data",
			    v);
			json_decref(v);
			if (rec == NULL)
				cli_die(EX_OSERR, "out of memory");
			if (predict_record(p, rec, &err) != 0) {
				emit(denai_record_error_new("predict", NULL,
				    lineno, err.msg));
				json_decref(rec);
				continue;
			}
			json_object_del(rec, "data");
			emit(rec);
			continue;
		}
		if (!json_is_object(v)) {
			json_decref(v);
			emit(denai_record_error_new("predict", NULL, lineno,
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
	free(line);
	if (ferror(in))
		cli_die(EX_IOERR, "cannot read input: %s", strerror(errno));
}

/* ---- --info ---- */

static json_t *
vi_json(const denai_value_info *vi)
{
	static const char *const kinds[] = { "unknown", "tensor", "sequence",
	    "map", "other" };
	json_t *o = json_object(), *shape;

	json_object_set_new(o, "name", json_string(vi->name));
	json_object_set_new(o, "kind", json_string(kinds[vi->kind >= 0 &&
	    vi->kind <= 4 ? vi->kind : 0]));
	if (vi->dtype != 0)
		json_object_set_new(o, "type",
		    json_string(denai_dtype_name(vi->dtype)));
	if (vi->rank >= 0) {
		shape = json_array();
		for (int d = 0; d < vi->rank; d++)
			json_array_append_new(shape, vi->dims[d] >= 0 ?
			    json_integer(vi->dims[d]) : vi->dim_param[d] ?
			    json_string(vi->dim_param[d]) : json_null());
		json_object_set_new(o, "shape", shape);
	}
	return o;
}

static int
is_init(const denai_model *m, const char *name)
{
	for (int i = 0; i < m->ninits; i++)
		if (strcmp(m->init_names[i], name) == 0)
			return 1;
	return 0;
}

/* The model for people: inputs, outputs, opsets, ops; and why it does not
 * load as a graph, if it does not. */
static void
print_info(const denai_model *m, const char *graph_error)
{
	json_t *o = json_object(), *ops = json_object(), *a, *os;

	json_object_set_new(o, "ir_version", json_integer(m->ir_version));
	json_object_set_new(o, "producer", json_string(m->producer));
	json_object_set_new(o, "graph", json_string(m->graph_name));
	os = json_object();
	for (int i = 0; i < m->nopsets; i++)
		json_object_set_new(os, m->opset_domain[i][0] ?
		    m->opset_domain[i] : "ai.onnx",
		    json_integer(m->opset_version[i]));
	json_object_set_new(o, "opsets", os);
	a = json_array();
	for (int i = 0; i < m->ninputs; i++)
		if (!is_init(m, m->inputs[i].name))
			json_array_append_new(a, vi_json(&m->inputs[i]));
	json_object_set_new(o, "inputs", a);
	a = json_array();
	for (int i = 0; i < m->noutputs; i++)
		json_array_append_new(a, vi_json(&m->outputs[i]));
	json_object_set_new(o, "outputs", a);
	for (int i = 0; i < m->nnodes; i++) {
		char name[256];
		json_t *c;

		snprintf(name, sizeof(name), "%s%s%s", m->nodes[i].domain,
		    m->nodes[i].domain[0] ? "." : "", m->nodes[i].op_type);
		c = json_object_get(ops, name);
		json_object_set_new(ops, name, json_integer(c ?
		    json_integer_value(c) + 1 : 1));
	}
	json_object_set_new(o, "ops", ops);
	json_object_set_new(o, "nodes", json_integer(m->nnodes));
	json_object_set_new(o, "initializers", json_integer(m->ninits));
	json_object_set_new(o, "supported", json_boolean(graph_error == NULL));
	if (graph_error != NULL)
		json_object_set_new(o, "error", json_string(graph_error));
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct predictor p;
	const char *info = NULL;
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
	if ((p.cache = calloc(p.maxcache, sizeof(*p.cache))) == NULL)
		cli_die(EX_OSERR, "out of memory");
	run_stream(&p, stdin);
	for (size_t i = 0; i < p.ncache; i++) {
		free(p.cache[i].key);
		denai_graph_free(p.cache[i].g);
	}
	for (size_t i = 0; i < p.ncmds; i++)
		free((char *)p.cmds[i].id);
	free(p.cmds);
	free(p.cache);
	denai_graph_free(p.fixed);
	return 0;
}
