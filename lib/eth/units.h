/*
 * units.h - ether amounts as people write them: "0.01ether", "1.5 gwei",
 * "100wei", "100" (wei), "2 eth"; units wei, gwei, ether (eth), and the
 * exact decimal fractions they allow.
 */
#ifndef DENAI_UNITS_H
#define DENAI_UNITS_H

#include "err.h"
#include "eth/u256.h"

/* Parses s into wei. Returns: 0, or -1 naming what is wrong (an unknown
 * unit, more decimals than the unit has, overflow). */
int denai_units_parse(denai_u256 *wei, const char *s, denai_err *err)
    DENAI_WUR;

/* Writes wei as ether with up to 18 decimals, trailing zeros dropped
 * ("0.01"). Returns: out (DENAI_U256_DEC_MAX + 2 bytes). */
char *denai_units_ether(char *out, const denai_u256 *wei);

#endif
