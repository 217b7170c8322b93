/*
 * data/score.h - a task's integer score (PLATFORM.md "Data"), higher is
 * better, from each prediction's on-chain encoding:
 *
 *   classification  the number of rows whose integer label is predicted
 *                   exactly;
 *   regression      minus the sum over rows of (prediction - target)^2,
 *                   target = round(label * 10^decimals) from the label's
 *                   decimal text, exactly, half away from zero; each term
 *                   and the sum saturate at type(int256).min + 1.
 *
 * An invalid model scores type(int256).min. Values are int256 in two's
 * complement in a denai_u256 (as the oracle encodes predictions), printed
 * as signed decimal strings.
 */
#ifndef DENAI_DATA_SCORE_H
#define DENAI_DATA_SCORE_H

#include <stdint.h>

#include "err.h"
#include "eth/u256.h"

enum denai_task_kind {
	DENAI_TASK_CLASSIFICATION = 0,
	DENAI_TASK_REGRESSION = 1,
};

#define DENAI_TASK_MAX_DECIMALS 18

/* A running score; a plain value, the caller's. */
struct denai_score {
	int kind;		/* enum denai_task_kind */
	uint64_t rows;
	uint64_t hits;		/* classification */
	denai_u256 loss;	/* regression: the sum, 0..2^255-1 */
};

void denai_score_init(struct denai_score *s, int kind);

/*
 * The target of one row from its label's text (a JSON number): for
 * classification the integer itself, which must be an exact integer in
 * int64 ("3", "3.0", "3e0"); for regression round(label * 10^decimals).
 * Out: *t, an int256. Returns: 0, or -1 (DENAI_EDATA) saying why.
 */
int denai_score_target(denai_u256 *t, int kind, unsigned decimals,
    const char *text, size_t len, denai_err *err) DENAI_WUR;

/* Adds one row: its prediction's encoding and its target, both int256. */
void denai_score_add(struct denai_score *s, const denai_u256 *pred,
    const denai_u256 *target);

/* Out: the score as an int256. */
void denai_score_value(denai_u256 *v, const struct denai_score *s);

/* Out: type(int256).min, the score of an invalid model. */
void denai_score_invalid(denai_u256 *v);

/* Writes an int256 as a signed decimal ("-12", "0") into out. Returns: out. */
char *denai_int256_to_dec(char out[DENAI_U256_DEC_MAX], const denai_u256 *a);

/* Parses a signed decimal int256 ("-12"), exactly len bytes.
 * Returns: 0, or -1 (DENAI_EDATA) when it is not one or out of range. */
int denai_int256_parse_dec(denai_u256 *r, const char *s, size_t len,
    denai_err *err) DENAI_WUR;

#endif
