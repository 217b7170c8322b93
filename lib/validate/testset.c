/* validate/testset.c - reading and judging a task's test set. */
#include "validate/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DENAI_PRINTF(2, 3) static int
invalid(struct denai_testset *ts, const char *fmt, ...)
{
	va_list ap;

	ts->valid = 0;
	va_start(ap, fmt);
	vsnprintf(ts->reason, sizeof(ts->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/* A verdict for data errors; -1 for the others. */
static int
judged(struct denai_testset *ts, const denai_err *e, const char *what)
{
	if (e->code != DENAI_EDATA)
		return -1;
	(void)what;
	return invalid(ts, "%s", e->msg);
}

static int
same_header(struct denai_testset *ts, const char *train_path,
    const struct denai_limits *l, denai_err *err)
{
	struct denai_csv tr;
	denai_err e;

	if (denai_csv_read_header(&tr, &e, train_path, &l->csv) != 0) {
		if (e.code != DENAI_EDATA) {
			*err = e;
			return -1;
		}
		return invalid(ts, "the training set's header: %s", e.msg);
	}
	if (tr.cols != ts->csv.cols) {
		invalid(ts, "the header has %zu columns, the training set's "
		    "%zu", ts->csv.cols, tr.cols);
		goto out;
	}
	for (size_t c = 0; c < tr.cols; c++)
		if (strcmp(tr.names[c], ts->csv.names[c]) != 0) {
			invalid(ts, "column %zu is '%.60s', the training set's "
			    "is '%.60s'", c + 1, ts->csv.names[c], tr.names[c]);
			goto out;
		}
	ts->valid = 1;
out:
	denai_csv_free(&tr);
	return 0;
}

int
denai_testset_load(struct denai_testset *ts, const char *test_path,
    const char *train_path, const char *label, int kind, unsigned decimals,
    const struct denai_limits *l, denai_err *err)
{
	denai_err e;
	size_t r, c, k;

	memset(ts, 0, sizeof(*ts));
	ts->kind = kind;
	ts->decimals = decimals;
	if (kind != DENAI_TASK_CLASSIFICATION && kind != DENAI_TASK_REGRESSION)
		return invalid(ts, "unknown task kind %d", kind);
	if (decimals > DENAI_TASK_MAX_DECIMALS)
		return invalid(ts, "decimals %u is over %d", decimals,
		    DENAI_TASK_MAX_DECIMALS);
	if (denai_csv_read(&ts->csv, &e, test_path, &l->csv, 1) != 0) {
		if (judged(ts, &e, "the test set") != 0) {
			*err = e;
			return -1;
		}
		return 0;
	}
	if ((ts->label = denai_csv_column(&ts->csv, label)) < 0)
		return invalid(ts, "the test set has no label column '%.60s'",
		    label);
	if (ts->csv.cols < 2)
		return invalid(ts, "the test set has no feature column");
	if (train_path != NULL && same_header(ts, train_path, l, err) != 0)
		return -1;
	if (train_path != NULL && !ts->valid)
		return 0;
	ts->rows = ts->csv.rows;
	ts->nfeat = ts->csv.cols - 1;
	ts->feat = malloc(ts->rows * ts->nfeat * sizeof(float));
	ts->target = malloc(ts->rows * sizeof(denai_u256));
	if (ts->feat == NULL || ts->target == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (r = 0; r < ts->rows; r++) {
		const char *t = ts->csv.text[r * ts->csv.cols + (size_t)ts->label];

		for (c = 0, k = 0; c < ts->csv.cols; c++)
			if (c != (size_t)ts->label)
				ts->feat[r * ts->nfeat + k++] =
				    ts->csv.x[r * ts->csv.cols + c];
		if (denai_score_target(&ts->target[r], kind, decimals, t,
		    strlen(t), &e) != 0)
			return invalid(ts, "line %zu (row %zu): %s", r + 2,
			    r + 1, e.msg);
	}
	ts->valid = 1;
	return 0;
}

void
denai_testset_free(struct denai_testset *ts)
{
	if (ts == NULL)
		return;
	denai_csv_free(&ts->csv);
	free(ts->feat);
	free(ts->target);
	memset(ts, 0, sizeof(*ts));
}
