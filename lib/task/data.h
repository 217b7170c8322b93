/*
 * data.h (task) - what denai-task checks of a task's two CSV files before
 * posting it, and the test set's CID computed without storing a block
 * (an unrevealed test set is never in a served block store).
 *
 * The header check: no BOM, a first line of comma-separated unique
 * non-empty names, the label among them, the same header in both files,
 * and at least one data row. The full grammar is lib/data/csv.h's.
 */
#ifndef DENAI_TASK_DATA_H
#define DENAI_TASK_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ipfs/cid.h"

/* Checks train and test (their bytes) as above; names the file and
 * column at fault (DENAI_EDATA). Out: *cols (may be NULL). */
int denai_task_csv_check(const uint8_t *train, size_t ntrain,
    const uint8_t *test, size_t ntest, const char *label, size_t *cols,
    denai_err *err) DENAI_WUR;

/* The CIDv1 (raw leaves) of p[0..n) as `ipfs add --only-hash` gives it. */
int denai_task_cid_only(denai_cid *cid, const uint8_t *p, size_t n,
    denai_err *err) DENAI_WUR;

#endif
