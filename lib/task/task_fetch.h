/*
 * task_fetch.h - what denai-fetch does to task and submission records:
 * fetches and verifies (every block against its CID) the files they name
 * and adds where they are:
 *
 *   task, action "commit"   train_cid -> "train_path"
 *   submission              train_cid -> "train_path", test_cid ->
 *                           "test_path", model_cid + model_sha256 ->
 *                           "model_path" (lib/node/fetch_record.c)
 *
 * CSVs go to <dir>/data/<cid>.csv (at most csv_max bytes), written once,
 * atomically; other task actions pass through unchanged.
 */
#ifndef DENAI_TASK_FETCH_H
#define DENAI_TASK_FETCH_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "node/fetch_record.h"

#define DENAI_TASK_CSV_MAX (64u << 20)

int denai_task_fetch_record(denai_fetch_record *fr, json_t *rec,
    uint64_t csv_max, denai_err *err) DENAI_WUR;

#endif
