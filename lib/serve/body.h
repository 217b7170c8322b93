/*
 * body.h - reading the JSON bodies of POST /api/tasks and POST
 * /api/requests, and checking an inline CSV, field by field: the first
 * bad field is named (field, message) for a 400 {"error", "field"}.
 * Strict: unknown fields, duplicate keys and wrong types are refused.
 * Takes a length and never reads past it (the fuzzed readers).
 *
 * The parsed structs borrow strings from their root (a JSON value they
 * own); _free releases it.
 */
#ifndef DENAI_SERVE_BODY_H
#define DENAI_SERVE_BODY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "eth/u256.h"

typedef struct serve_bad {
	char field[64];			/* "" for the body as a whole */
	char msg[200];
} serve_bad;

#define SERVE_KIND_CLASSIFICATION 0
#define SERVE_KIND_REGRESSION 1

/* Protocol limits on data (PLATFORM.md). */
#define SERVE_CSV_MAX (64u << 20)

typedef struct serve_task_in {
	const char *train_csv, *train_cid;	/* exactly one */
	size_t train_len;
	const char *test_csv, *test_cid;	/* exactly one */
	size_t test_len;
	int kind;
	const char *label;
	unsigned decimals;
	denai_u256 reward, reveal_bond, commit_bond;
	unsigned quorum;
	int relative;			/* dl are windows from the head */
	uint64_t dl[5];			/* commit .. score_reveal */
	json_t *root;
} serve_task_in;

typedef struct serve_request_in {
	char model_id[80];
	const json_t *data;		/* inline data point, or NULL */
	const char *data_cid;
	denai_u256 tip;
	uint64_t callback_gas;
	json_t *root;
} serve_request_in;

/* Returns: 0, or -1 with bad filled. */
int denai_serve_task_parse(serve_task_in *t, const char *body, size_t len,
    serve_bad *bad);
void denai_serve_task_in_free(serve_task_in *t);
int denai_serve_request_parse(serve_request_in *r, const char *body, size_t len,
    serve_bad *bad);
void denai_serve_request_in_free(serve_request_in *r);

/*
 * Checks CSV text as PLATFORM.md defines it (lib/data/csv.h: UTF-8 without
 * BOM, LF or CRLF, commas, no quoting, a header of unique names, every
 * field a JSON number within float32, the protocol's limits) and that
 * label is one of its columns. Out: *rows, *cols;
 * hdr (cap bytes) the header line without its line end.
 * Returns: 0, or -1 with bad's message (the field is the caller's).
 */
int denai_serve_csv_check(const char *p, size_t n, const char *label,
    size_t *rows, size_t *cols, char *hdr, size_t cap, serve_bad *bad);

/* Names the deadline i (0..4): "commit", "test_reveal", ... */
const char *denai_serve_deadline_name(int i);

#endif
