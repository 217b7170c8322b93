/*
 * record.h - the NDJSON pipeline record: reading lines, writing records,
 * error records, and the loop a simple stage runs.
 *
 * Records are Jansson objects (json_t). A record read here is owned by the
 * caller (json_decref it). Writing never steals a reference.
 */
#ifndef DENAI_RECORD_H
#define DENAI_RECORD_H

#include <stdio.h>
#include <jansson.h>

#include "err.h"
#include "linebuf.h"

/* Largest input line accepted, in bytes; a longer line is an error record. */
#define DENAI_RECORD_MAX_LINE (64u << 20)

/*
 * Every stage reads its input through this one bounded reader (a
 * denai_linebuf on the stream's descriptor): it never holds more than
 * about DENAI_RECORD_MAX_LINE bytes of a line, however long the line is
 * (an endless line without a newline costs no more memory than the cap).
 * Read the stream through the reader only, never through stdio too.
 */
typedef struct denai_reader {
	FILE *in;
	denai_linebuf lb;
	unsigned long lineno;	/* number of the line last read, from 1 */
	int ioerr;		/* errno of a read error, which ended input */
} denai_reader;

/* Starts reading records from in. The reader owns only its buffer. */
void denai_reader_init(denai_reader *r, FILE *in);
void denai_reader_free(denai_reader *r);

/*
 * Reads the next non-blank line and parses it as one JSON object.
 * Returns: 1 and *rec (owned by the caller) on a record; 0 at end of input;
 * -1 with err filled (naming the line number) on a malformed line, after
 * which reading can go on with the next line.
 */
int denai_reader_next(denai_reader *r, json_t **rec, denai_err *err)
    DENAI_WUR;

/*
 * Reads the next raw line (without its newline), for stages that take more
 * than records. Out: *line (valid until the next call), *len.
 * Returns: 1 with a line; 0 at end of input; -1 for a line over the cap
 * (err names it; it is skipped and reading can go on).
 */
int denai_reader_line(denai_reader *r, const char **line, size_t *len,
    denai_err *err) DENAI_WUR;

/*
 * Reads the next non-blank line as one JSON array or object, for a
 * stage that takes bare rows as well as records (denai-predict --model).
 * Returns: 1 and *v (the caller's); 0 at end of input; -1 with err
 * ("line N: not JSON: why"), after which reading can go on.
 */
int denai_reader_next_value(denai_reader *r, json_t **v, denai_err *err)
    DENAI_WUR;

/* Parses one line (len bytes, no newline needed) into an object.
 * Returns: 0 and *rec, or -1 with err filled. */
int denai_record_parse(json_t **rec, const char *line, size_t len,
    denai_err *err) DENAI_WUR;

/* Writes rec as one compact line and flushes. Returns: 0, or -1 on I/O error. */
int denai_record_write(FILE *out, const json_t *rec, denai_err *err)
    DENAI_WUR;

/*
 * Returns: a new error record {"type":"error","stage","request_id","error"}.
 * request_id is copied from rec when rec has one (rec may be NULL), and
 * task_id, trainer and queue when it has them; line,
 * when not 0, is added as "line".
 */
json_t *denai_record_error_new(const char *stage, const json_t *rec,
    unsigned long line, const char *message);

/* Returns: the record's string field, or NULL when absent or not a string. */
const char *denai_record_str(const json_t *rec, const char *key);

/* Returns: 1 when rec["type"] equals type, else 0. */
int denai_record_is(const json_t *rec, const char *type);

/*
 * A stage's per-record work. It may change rec in place.
 * Returns: 0 to emit rec, 1 to drop it silently, -1 with err filled to emit
 * an error record in its place.
 */
typedef int (*denai_stage_fn)(void *ctx, json_t *rec, denai_err *err);

/*
 * The loop of a simple stage: reads records from in, passes through those
 * whose type is not `type` (error records included; with type NULL, only
 * error records), calls fn on the others
 * and writes what it says. A malformed line becomes an error record naming
 * its line. Returns: 0 at end of input, -1 if writing the output failed.
 * Counts of records handled and failed go to *handled and *failed if given.
 */
int denai_stage_run(FILE *in, FILE *out, const char *stage, const char *type,
    denai_stage_fn fn, void *ctx, unsigned long *handled,
    unsigned long *failed, denai_err *err);

#endif
