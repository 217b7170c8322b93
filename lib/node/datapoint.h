/*
 * datapoint.h - what a data point is: the JSON a user puts on IPFS and a
 * model is fed. Either one non-empty nested array of numbers (for a model
 * with one input), or a non-empty object of such arrays keyed by input
 * name. The shape against a particular model is checked when it is fed.
 */
#ifndef DENAI_DATAPOINT_H
#define DENAI_DATAPOINT_H

#include <jansson.h>

#include "err.h"

/* Returns: 0 when v is a data point, else -1 (DENAI_EDATA) saying what
 * is wrong ("data point input 'x' is not a non-empty nested array of
 * numbers"). */
int denai_data_point_check(const json_t *v, denai_err *err) DENAI_WUR;

#endif
