/* validate/evaluate.c - scoring a model on a test set, row by row as the
 * oracle predicts, in one or more threads. */
#include "validate/validate.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx/graph.h"
#include "onnx/predict.h"

#define MAX_JOBS 64

/* One thread's share: rows [from, to). */
struct part {
	const uint8_t *buf;
	size_t len;
	const struct denai_testset *ts;
	const struct denai_limits *l;
	size_t from, to;
	struct denai_score score;
	int failed;			/* 1: bad model at row bad_row */
	size_t bad_row;			/* SIZE_MAX: before any row */
	char reason[256];
	int syserr;			/* 1: err holds a local failure */
	denai_err err;
	uint64_t work;
};

DENAI_PRINTF(3, 4) static void
fail(struct part *p, size_t row, const char *fmt, ...)
{
	va_list ap;

	p->failed = 1;
	p->bad_row = row;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/*
 * The shape a row's data point takes at input vi, as the oracle's
 * feeding would: a 1-D array of nfeat numbers, or one row of a batch.
 * Returns: the rank (1 or 2), or 0 when the input cannot take it.
 */
static int
row_shape(const denai_value_info *vi, size_t nfeat, int64_t dims[2])
{
	int64_t n = (int64_t)nfeat;

	if (vi->rank < 0 || (vi->rank == 1 && (vi->dims[0] < 0 ||
	    vi->dims[0] == n))) {
		dims[0] = n;
		return 1;
	}
	if (vi->rank == 2 && (vi->dims[0] < 0 || vi->dims[0] == 1) &&
	    (vi->dims[1] < 0 || vi->dims[1] == n)) {
		dims[0] = 1;
		dims[1] = n;
		return 2;
	}
	return 0;
}

/* A row's data point as JSON, from the fields' texts (non-float inputs). */
static json_t *
row_json(const struct denai_testset *ts, size_t r)
{
	json_t *a = json_array();
	json_error_t je;

	for (size_t c = 0; a != NULL && c < ts->csv.cols; c++) {
		const char *t = ts->csv.text[r * ts->csv.cols + c];
		json_t *v;

		if (c == (size_t)ts->label)
			continue;
		v = json_loads(t, JSON_DECODE_ANY, &je);
		if (v == NULL || json_array_append_new(a, v) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static void *
run_part(void *arg)
{
	struct part *p = arg;
	const struct denai_testset *ts = p->ts;
	const denai_value_info *vi;
	denai_model *m = NULL;
	denai_graph *g = NULL;
	denai_graph_opts o;
	denai_err e;
	int64_t dims[2];
	int rank, fast;
	char dec[DENAI_U256_DEC_MAX];
	denai_u256 pred;

	denai_score_init(&p->score, ts->kind);
	p->bad_row = SIZE_MAX;
	if (denai_model_load_mem(&m, p->buf, p->len, p->l->model_bytes,
	    &e) != 0) {
		if (e.code == DENAI_ENOMEM)
			fail(p, SIZE_MAX, "breaks a limit: %s", e.msg);
		else
			fail(p, SIZE_MAX, "fails to load: %s", e.msg);
		return NULL;
	}
	if (denai_limits_check_model(p->l, m, &e) != 0) {
		denai_model_free(m);
		fail(p, SIZE_MAX, "breaks a limit: %s", e.msg);
		return NULL;
	}
	memset(&o, 0, sizeof(o));
	o.max_bytes = p->l->model_bytes;
	if (denai_graph_new(&g, m, &o, &e) != 0) {
		fail(p, SIZE_MAX, "fails to load: %s", e.msg);
		return NULL;
	}
	if (denai_graph_ninputs(g) != 1) {
		fail(p, SIZE_MAX, "wrong input: the model has %d inputs, a "
		    "task's model takes one row", denai_graph_ninputs(g));
		goto out;
	}
	vi = denai_graph_input_info(g, 0);
	if (vi->kind != DENAI_VK_TENSOR) {
		fail(p, SIZE_MAX, "wrong input: '%.60s' is not a tensor",
		    vi->name);
		goto out;
	}
	if ((rank = row_shape(vi, ts->nfeat, dims)) == 0) {
		char want[128];

		denai_value_info_shape_str(want, sizeof(want), vi);
		fail(p, SIZE_MAX, "wrong input width: '%.60s' takes %s, a row "
		    "has %zu features", vi->name, want, ts->nfeat);
		goto out;
	}
	fast = vi->dtype == DENAI_DT_FLOAT;
	for (size_t r = p->from; r < p->to; r++) {
		if (fast) {
			denai_tensor *t = denai_graph_input(g, 0);

			if (denai_tensor_reshape(t, DENAI_DT_FLOAT, rank, dims,
			    &e) != 0)
				goto sys;
			memcpy(t->data, ts->feat + r * ts->nfeat,
			    ts->nfeat * sizeof(float));
		} else {
			json_t *d = row_json(ts, r);
			int rc;

			if (d == NULL) {
				denai_err_set(&e, DENAI_ENOMEM, "out of memory");
				goto sys;
			}
			rc = denai_predict_feed(g, d, &e);
			json_decref(d);
			if (rc != 0) {
				fail(p, r, "wrong input on row %zu: %s", r + 1,
				    e.msg);
				goto out;
			}
		}
		if (denai_graph_run(g, &e) != 0) {
			if (e.code == DENAI_ENOMEM)
				fail(p, r, "breaks a limit on row %zu: %s",
				    r + 1, e.msg);
			else
				fail(p, r, "fails on row %zu: %s", r + 1, e.msg);
			goto out;
		}
		if (denai_limits_check_run(p->l, g, &p->work, &e) != 0) {
			fail(p, r, "breaks a limit on row %zu: %s", r + 1,
			    e.msg);
			goto out;
		}
		if (denai_predict_value(g, ts->decimals, dec, &e) != 0 ||
		    denai_u256_parse_dec(&pred, dec, strlen(dec), &e) != 0) {
			fail(p, r, "no prediction for row %zu: %s", r + 1,
			    e.msg);
			goto out;
		}
		denai_score_add(&p->score, &pred, &ts->target[r]);
	}
	goto out;
sys:
	p->syserr = 1;
	p->err = e;
out:
	denai_graph_free(g);
	return NULL;
}

int
denai_validate_model(struct denai_model_score *r, const char *model_path,
    const struct denai_testset *ts, const struct denai_limits *l, int jobs,
    denai_err *err)
{
	struct part parts[MAX_JOBS];
	pthread_t tid[MAX_JOBS];
	int started[MAX_JOBS];
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0, best = SIZE_MAX, key;
	denai_err e;
	int k, rc = 0;

	memset(r, 0, sizeof(*r));
	denai_score_invalid(&r->score);
	if (stat(model_path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > l->model_bytes) {
		snprintf(r->reason, sizeof(r->reason), "breaks a limit: the "
		    "model file is %jd bytes, over %zu", (intmax_t)st.st_size,
		    l->model_bytes);
		return 0;
	}
	if (denai_model_file_read(&buf, &len, model_path, l->model_bytes,
	    &e) != 0) {
		if (e.code == DENAI_EIO) {
			*err = e;
			return -1;
		}
		snprintf(r->reason, sizeof(r->reason), "%s: %.200s",
		    e.code == DENAI_ENOMEM ? "breaks a limit" :
		    "fails to load", e.msg);
		return 0;
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if ((size_t)jobs > ts->rows / 256 + 1)	/* not worth a thread */
		jobs = (int)(ts->rows / 256 + 1);
	for (k = 0; k < jobs; k++) {
		memset(&parts[k], 0, sizeof(parts[k]));
		parts[k].buf = buf;
		parts[k].len = len;
		parts[k].ts = ts;
		parts[k].l = l;
		parts[k].from = ts->rows * (size_t)k / (size_t)jobs;
		parts[k].to = ts->rows * (size_t)(k + 1) / (size_t)jobs;
		started[k] = k > 0 && pthread_create(&tid[k], NULL, run_part,
		    &parts[k]) == 0;
	}
	run_part(&parts[0]);
	for (k = 1; k < jobs; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		else
			run_part(&parts[k]);
	}
	free(buf);
	/* The first failure by row (a load failure comes first). */
	for (k = 0; k < jobs; k++) {
		if (parts[k].syserr) {
			*err = parts[k].err;
			rc = -1;
		}
		/* key 0: before any row */
		key = parts[k].bad_row == SIZE_MAX ? 0 : parts[k].bad_row + 1;
		if (parts[k].failed && key < best) {
			best = key;
			memcpy(r->reason, parts[k].reason, sizeof(r->reason));
		}
	}
	if (rc != 0 || r->reason[0] != '\0')
		return rc;
	struct denai_score total;

	denai_score_init(&total, ts->kind);
	for (k = 0; k < jobs; k++) {
		total.rows += parts[k].score.rows;
		total.hits += parts[k].score.hits;
		if (denai_u256_add(&total.loss, &total.loss,
		    &parts[k].score.loss) != 0)
			denai_u256_max(&total.loss);
		if (parts[k].work > r->work)
			r->work = parts[k].work;
	}
	/* The loss saturates as a row-by-row sum would. */
	{
		denai_u256 max;

		denai_u256_max(&max);
		max.w[3] >>= 1;
		if (denai_u256_cmp(&total.loss, &max) > 0)
			total.loss = max;
	}
	denai_score_value(&r->score, &total);
	r->rows = total.rows;
	r->valid = 1;
	return 0;
}
