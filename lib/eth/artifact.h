/*
 * artifact.h - compiled contract artifacts (build/contracts/<Name>.json,
 * written by make contracts: {"abi", "bytecode", "deployedBytecode"}) and
 * deployment code: creation bytecode followed by ABI-encoded constructor
 * arguments.
 */
#ifndef DENAI_ARTIFACT_H
#define DENAI_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

/*
 * Reads dir/<name>.json and returns its creation bytecode.
 * Out: *code (malloc'd), *len.
 * Returns: 0, or -1 naming the file and what is wrong.
 */
int denai_artifact_bytecode(uint8_t **code, size_t *len, const char *dir,
    const char *name, denai_err *err) DENAI_WUR;

/*
 * Appends the ABI encoding of args (a JSON array) for the constructor
 * types ctor (e.g. "(uint256,uint256)") to code.
 * Out: *out (malloc'd), *outlen.
 */
int denai_artifact_initcode(uint8_t **out, size_t *outlen,
    const uint8_t *code, size_t len, const char *ctor, const json_t *args,
    denai_err *err) DENAI_WUR;

#endif
