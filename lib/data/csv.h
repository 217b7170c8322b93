/*
 * data/csv.h - the platform's CSV, exactly (PLATFORM.md "Data"):
 *
 *   file   = header row *(eol row) [eol]
 *   header = name *("," name)        unique, non-empty UTF-8 names without
 *                                    control characters, commas or quotes
 *   row    = number *("," number)    as many fields as the header
 *   number = JSON's number grammar   -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 *   eol    = LF or CRLF
 *
 * An initial byte-order mark, a quote anywhere, a blank line, a ragged row,
 * a field that is not a number, a file with no data row, a line or file
 * over the limits are errors naming the line (and the row and column).
 *
 * Each field becomes the float32 the JSON data-point path gives the same
 * text (so a row's features are exactly a prediction request's): an
 * integer text goes through int64 (beyond int64 is an error, as it is in
 * JSON), any other through strtod's correctly rounded double, then to
 * float32; a value beyond float32's range is an error. "-0" is +0, as it
 * is for an integer in JSON.
 *
 * Ownership: struct denai_csv is the caller's; denai_csv_read fills it and
 * denai_csv_free frees what it points to (names and texts are one block
 * each: free them only through denai_csv_free).
 */
#ifndef DENAI_DATA_CSV_H
#define DENAI_DATA_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct denai_csv_limits {
	size_t max_bytes;	/* the whole file */
	size_t max_line;	/* one line, without its line end */
	size_t max_rows;	/* data rows, the header not counted */
	size_t max_cols;
};

/* The protocol's limits, version 1 (see data/limits.h): 64 MiB, a line of
 * 1 MiB, 1,000,000 rows, 1,024 columns. */
extern const struct denai_csv_limits denai_csv_limits_v1;

struct denai_csv {		/* owned by the caller, freed by denai_csv_free */
	size_t rows, cols;	/* data rows, columns (label included) */
	char **names;		/* cols column names */
	float *x;		/* rows * cols, row-major, float32 exactly */
	char **text;		/* optional: rows * cols field texts (NULL unless asked) */
};

/*
 * Reads the CSV file at path under lim (NULL: denai_csv_limits_v1); with
 * keep_text, also every field's text. Memory stays within one line's
 * buffer and the parsed result: an overlong line is refused once max_line
 * bytes are seen, a file over max_bytes as soon as that many were read
 * (a regular file before reading).
 * Out: *out (zeroed on failure).
 * Returns: 0, or -1 with err: DENAI_EIO when path cannot be read,
 * DENAI_EDATA naming the line, row and column of the first bad field.
 */
int denai_csv_read(struct denai_csv *out, struct denai_err *err,
    const char *path, const struct denai_csv_limits *lim, int keep_text)
    DENAI_WUR;

/* The same from an open stream, named name in messages. */
int denai_csv_read_stream(struct denai_csv *out, struct denai_err *err,
    FILE *in, const char *name, const struct denai_csv_limits *lim,
    int keep_text) DENAI_WUR;

/* The same from len bytes at buf. */
int denai_csv_parse(struct denai_csv *out, struct denai_err *err,
    const char *buf, size_t len, const struct denai_csv_limits *lim,
    int keep_text) DENAI_WUR;

/* Reads only the header row of path (rows 0, x NULL), under the same
 * rules; the rest of the file is not read. */
int denai_csv_read_header(struct denai_csv *out, struct denai_err *err,
    const char *path, const struct denai_csv_limits *lim) DENAI_WUR;

void denai_csv_free(struct denai_csv *csv);

/* Returns: the index of the column called name, or -1 if none. */
int denai_csv_column(const struct denai_csv *csv, const char *name);

/*
 * Checks that s (len bytes) is a number in JSON's grammar and converts it
 * as the JSON data-point path does (see above).
 * Returns: 0 and *v, or -1 with err saying why (not a number, beyond
 * int64 or float32 range).
 */
int denai_csv_number(float *v, const char *s, size_t len,
    struct denai_err *err) DENAI_WUR;

#endif
