/*
 * deployment.h - the deployment file: which chain, which addresses, from
 * which block. denai-deploy writes it; every node tool reads it (the
 * programs find it through DENAI_DEPLOYMENT).
 *
 *   {"chain_id": 31337, "oracle": "0x...", "token": "0x...",
 *    "consumer": "0x...", "tasks": "0x...", "block": 1, "quorum": 5,
 *    "deployer": "0x..."}
 *
 * "oracle" and "chain_id" are required; the rest optional. A
 * denai_deployment is a plain value owned by the caller.
 */
#ifndef DENAI_DEPLOYMENT_H
#define DENAI_DEPLOYMENT_H

#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "eth/secp.h"

typedef struct denai_deployment {
	uint64_t chain_id;
	uint8_t oracle[DENAI_ADDR_LEN];		/* DenAI: oracle and registry */
	int has_token;
	uint8_t token[DENAI_ADDR_LEN];		/* DENAI ERC-20 */
	int has_consumer;
	uint8_t consumer[DENAI_ADDR_LEN];	/* ExampleConsumer */
	int has_tasks;
	uint8_t tasks[DENAI_ADDR_LEN];		/* DenAITasks (older files: none) */
	int has_deployer;
	uint8_t deployer[DENAI_ADDR_LEN];
	uint64_t block;				/* block of the oracle's deployment */
	uint64_t quorum;			/* 0 when unknown */
} denai_deployment;

/* Parses the JSON text (len bytes). Returns: 0, or -1 naming the field. */
int denai_deployment_parse(denai_deployment *d, const char *json, size_t len,
    denai_err *err) DENAI_WUR;

/* Reads and parses a deployment file (at most 1 MiB).
 * Returns: 0, or -1 naming the file and what is wrong. */
int denai_deployment_load(denai_deployment *d, const char *path,
    denai_err *err) DENAI_WUR;

/* Returns: a new JSON object for d (addresses EIP-55), or NULL. */
json_t *denai_deployment_json(const denai_deployment *d);

/* Writes d to path atomically (temp file and rename), mode 0644. */
int denai_deployment_save(const denai_deployment *d, const char *path,
    denai_err *err) DENAI_WUR;

#endif
