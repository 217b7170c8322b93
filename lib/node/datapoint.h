/*
 * datapoint.h - what a data point is: the JSON a user puts on IPFS and a
 * model is fed. Either one non-empty nested array of numbers (for a model
 * with one input), or a non-empty object of such arrays keyed by input
 * name. The shape against a particular model is checked when it is fed.
 */
#ifndef DENAI_DATAPOINT_H
#define DENAI_DATAPOINT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "err.h"

/* The largest data point a user may send, in bytes. */
#define DENAI_DATA_POINT_MAX (16u << 20)

/* Returns: 0 when v is a data point, else -1 (DENAI_EDATA) saying what
 * is wrong ("data point input 'x' is not a non-empty nested array of
 * numbers"). */
int denai_data_point_check(const json_t *v, denai_err *err) DENAI_WUR;

/*
 * Reads a data point a user gives: the file path, or with path "-" the
 * stream in, of at most DENAI_DATA_POINT_MAX bytes; checks it is JSON and
 * a data point. Out: *buf (the bytes as read, NUL-terminated; the caller
 * frees), *n.
 * Returns: 0, or -1: DENAI_EDATA "path: not JSON: why at line N", "path:
 * <denai_data_point_check's reason>", "data point over 16 MiB" (from a
 * stream); as denai_file_read for a file that cannot be read.
 */
int denai_data_point_read(uint8_t **buf, size_t *n, const char *path,
    FILE *in, denai_err *err) DENAI_WUR;

#endif
