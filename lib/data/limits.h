/*
 * data/limits.h - the protocol's limits (PLATFORM.md "Data"): what every
 * validator refuses the same way, so that a model built to exhaust
 * validators is invalid everywhere rather than scored by some.
 *
 * A task stores the version of the limits it is judged under; version 1:
 *
 *   model    the file at most 16 MiB (after gzip, if gzip'd);
 *            at most 10,000 nodes;
 *            every initializer, tensor attribute, declared input/output and
 *            every value computed for one row at most 2^24 elements;
 *            work per row at most 2^26 (below);
 *            one input (a row is one data point), a tensor.
 *   CSV      at most 64 MiB, a line at most 1 MiB, 1,000,000 data rows,
 *            1,024 columns (data/csv.h).
 *
 * Work per row: the sum over the model's nodes of the elements of their
 * inputs and outputs and of their attributes' arrays, as computed for one
 * row, plus for MatMul, Gemm and Conv the output's elements times the
 * length of the reduction (K; weights per output channel).
 */
#ifndef DENAI_DATA_LIMITS_H
#define DENAI_DATA_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "data/csv.h"
#include "onnx/graph.h"

struct denai_limits {
	unsigned version;
	size_t model_bytes;
	size_t model_nodes;
	uint64_t tensor_elems;
	uint64_t work_per_row;
	struct denai_csv_limits csv;
};

#define DENAI_LIMITS_VERSION 1

/* Returns: the limits of a version, or NULL for one not known. */
const struct denai_limits *denai_limits_get(unsigned version);

/*
 * Checks what a loaded model declares: node count, initializers, tensor
 * attributes and declared shapes, and that it has one tensor input.
 * Returns: 0, or -1 (DENAI_EDATA) naming the limit and the value.
 */
int denai_limits_check_model(const struct denai_limits *l,
    const denai_model *m, denai_err *err) DENAI_WUR;

/*
 * Checks the values of g's last run (one row): every value's elements and
 * the work per row. Out: *work (may be NULL).
 * Returns: 0, or -1 (DENAI_EDATA) naming the value or the work.
 */
int denai_limits_check_run(const struct denai_limits *l, const denai_graph *g,
    uint64_t *work, denai_err *err) DENAI_WUR;

#endif
