/*
 * train/job.h - from a CSV file to ONNX bytes: reads the platform's CSV
 * (data/csv.h), takes the label column out, trains and exports.
 *
 * And the trainer's state for a task (a pipeline stage's memory): the
 * model, salt and seal it committed to, kept in a state folder so a
 * restarted trainer reveals what it committed and never commits another
 * model. Files, mode 0600, written atomically (temporary file, fsync,
 * rename), the model first and the state last, so the state file exists
 * only once everything it names does:
 *   <dir>/<key>.onnx    the model
 *   <dir>/<key>.json    {"task_id", "trainer", "algo", "model_cid",
 *                        "model_sha256", "salt", "seal", "model"}
 * where key is "train-[<chain_id>-][<contract>-]<task_id>".
 */
#ifndef DENAI_TRAIN_JOB_H
#define DENAI_TRAIN_JOB_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "train/train.h"

/* kind for denai_train_csv: decide from the labels (integers with at most
 * 32 distinct values: classification). */
#define DENAI_KIND_AUTO (-1)

typedef struct denai_train_result {
	uint8_t *onnx;		/* malloc'd model bytes */
	size_t len;
	int kind;		/* the kind trained */
	size_t rows, cols;	/* training rows, features */
	denai_train_metrics m;
	double read_s, train_s;	/* seconds reading the CSV, training */
} denai_train_result;

/*
 * Trains on the CSV at path with label column label, o->kind (or
 * DENAI_KIND_AUTO) and the rest of o; doc goes in the model.
 * Out: *r (free r->onnx). Returns: 0, or -1 (DENAI_EDATA for a bad CSV or
 * a missing label column).
 */
int denai_train_csv(denai_train_result *r, const char *path,
    const char *label, const denai_train_opts *o, const char *doc,
    denai_err *err) DENAI_WUR;

typedef struct denai_train_state {
	char key[160];
	char task_id[80];
	char trainer[43];	/* "0x" + 40 hex */
	char algo[16];
	char model_cid[160];
	uint8_t sha[32], salt[32], seal[32];
	char model[PATH_MAX];	/* the model file */
} denai_train_state;

/* The state key for a task (see above); fields may be NULL but task_id.
 * Returns: 0, or -1 (DENAI_EDATA for characters outside [0-9a-zA-Z]). */
int denai_train_state_key(char key[160], const char *chain_id,
    const char *contract, const char *task_id, denai_err *err) DENAI_WUR;

/* Loads <dir>/<key>.json. Returns: 1 found, 0 none, -1 (bad file). */
int denai_train_state_load(denai_train_state *s, const char *dir,
    const char *key, denai_err *err) DENAI_WUR;

/* Writes the model to <dir>/<key>.onnx, then s to <dir>/<key>.json (both
 * atomic, 0600); sets s->model. Returns: 0, or -1 (DENAI_EIO). */
int denai_train_state_save(denai_train_state *s, const char *dir,
    const uint8_t *model, size_t len, denai_err *err) DENAI_WUR;

#endif
