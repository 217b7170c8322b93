/*
 * validate/stage.h - denai-validate's work on pipeline records, with its
 * state directory (docs/platform.md "Records").
 *
 *   {"type":"submission", task_id, trainer, kind, label_column, decimals,
 *    model_path, test_path[, train_path]}
 *       gains score (int256, decimal string), rows, test_valid, and invalid
 *       (a reason) when the model or the test set is rejected. A record
 *       carrying model_error or test_error (set by a fetch that failed)
 *       is judged unfetchable. The score is saved before the record goes
 *       on; a saved score for the same model is reused, not recomputed.
 *   {"type":"task", action:"score_commit", task_id, ...}
 *       gains validator, test_valid, trainers (addresses, ascending),
 *       scores (decimal strings, in the same order), salt (fresh), seal =
 *       keccak256(abi.encode(taskId, validator, testSetValid, trainers,
 *       scores, salt)); all saved before the record goes on, and the same
 *       ones given again if the record comes again.
 *   {"type":"task", action:"score_reveal", task_id, ...}
 *       gains the same fields from the state.
 *
 * State directory: one folder per task, task-<id>/ (under
 * <chain_id>-<contract>/ when the record names them), holding test.json
 * (the test set's verdict), score-<trainer>.json (one per trainer) and
 * seal.json, each written atomically.
 */
#ifndef DENAI_VALIDATE_STAGE_H
#define DENAI_VALIDATE_STAGE_H

#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "data/limits.h"
#include "validate/validate.h"

struct denai_validator {
	const char *state_dir;		/* required */
	const struct denai_limits *limits;	/* NULL: version 1 */
	int jobs;			/* threads per model; 0: 1 */
	char validator[43];		/* "0x..." or "": needed for seals */
	int fixed_salt;			/* tests only: use salt below */
	uint8_t salt[32];
	/* the test set of the last submission, kept for the next */
	struct denai_testset ts;
	char ts_key[8192];
};

void denai_validator_free(struct denai_validator *v);

/* Scores a submission record in place. Returns: 0, or -1 with err. */
int denai_validate_submission(struct denai_validator *v, json_t *rec,
    denai_err *err) DENAI_WUR;

/* Adds the seal fields to a score_commit or score_reveal task record;
 * returns 0 and leaves other actions alone. Returns: 0, or -1 with err. */
int denai_validate_task(struct denai_validator *v, json_t *rec,
    denai_err *err) DENAI_WUR;

/* Returns: keccak256(abi.encode(taskId, validator, testSetValid, trainers,
 * scores, salt)) as "0x" hex in out (67 bytes), or -1 with err. */
int denai_validate_seal(char out[67], const char *task_id,
    const char *validator, int test_valid, const json_t *trainers,
    const json_t *scores, const char *salt_hex, denai_err *err) DENAI_WUR;

#endif
