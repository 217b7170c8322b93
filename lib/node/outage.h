/*
 * outage.h - telling an outage of the node from its failures: a stage
 * reports one line when the node stops answering and one when it answers
 * again, however many calls failed in between.
 *
 * A denai_outage is a plain struct (zeroed is "up") the caller owns.
 */
#ifndef DENAI_OUTAGE_H
#define DENAI_OUTAGE_H

#include <stdint.h>

typedef struct denai_outage {
	int down;
	uint64_t since_ms;
} denai_outage;

/* A call failed at now_ms. Returns: 1 when this starts an outage (say so
 * once), else 0. */
int denai_outage_fail(denai_outage *o, uint64_t now_ms);

/* A call succeeded at now_ms. Out: *secs, how long the outage lasted.
 * Returns: 1 when this ends one (say so once), else 0. */
int denai_outage_ok(denai_outage *o, uint64_t now_ms, double *secs);

#endif
