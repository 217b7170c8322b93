/*
 * data.h (task) - what denai-task checks of a task's two CSV files before
 * posting it, and the test set's CID computed without storing a block
 * (an unrevealed test set is never in a served block store).
 *
 * Both files are read with the platform's CSV reader (data/csv.h: the
 * exact grammar and the protocol's limits); then the label must be a
 * column (not the only one), the test set's header must equal the
 * training set's, and, for classification, every label an integer.
 */
#ifndef DENAI_TASK_DATA_H
#define DENAI_TASK_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ipfs/cid.h"

/* Checks train and test (their bytes) as above; the message starts with
 * the file ("train: ", "test: ") and names the row and column at fault
 * (DENAI_EDATA). Out: *cols (may be NULL). */
int denai_task_csv_check(const uint8_t *train, size_t ntrain,
    const uint8_t *test, size_t ntest, const char *label, int integer_labels,
    size_t *cols, denai_err *err) DENAI_WUR;

/* The CIDv1 (raw leaves) of p[0..n) as `ipfs add --only-hash` gives it. */
int denai_task_cid_only(denai_cid *cid, const uint8_t *p, size_t n,
    denai_err *err) DENAI_WUR;

#endif
