/*
 * policy.h - which open requests a node takes, and in which order: the
 * request-selection policy, in one place.
 *
 * A request is taken when all hold:
 *   - its tip is at least min_tip (wei; default 0);
 *   - its tip pays at least min_tip_per_gas wei per unit of the callback
 *     gas it asks for (the miner whose submission reaches the quorum pays
 *     for the callback: up to the request's callbackGasLimit; default 0);
 *   - its model is on the allow-list, when one is set (default: any).
 * Those taken are offered in order: by tip, highest first (the default),
 * or oldest first (lowest request id); ties go to the lower id.
 *
 * A denai_policy is a plain struct the caller owns; denai_policy_default
 * fills the defaults (take everything, highest tip first).
 */
#ifndef DENAI_POLICY_H
#define DENAI_POLICY_H

#include <stddef.h>

#include "err.h"
#include "node/oracle.h"
#include "eth/u256.h"

#define DENAI_POLICY_MAX_MODELS 64

enum denai_policy_order {
	DENAI_ORDER_TIP,		/* highest tip first */
	DENAI_ORDER_OLDEST,		/* lowest request id first */
};

typedef struct denai_policy {
	denai_u256 min_tip;		/* wei */
	denai_u256 min_tip_per_gas;	/* wei per unit of callback gas */
	size_t nmodels;			/* 0: any model */
	denai_u256 models[DENAI_POLICY_MAX_MODELS];
	int order;			/* enum denai_policy_order */
} denai_policy;

void denai_policy_default(denai_policy *p);

/* Sets the allow-list from "1,4,7". Returns: 0, or -1 (DENAI_EUSAGE). */
int denai_policy_set_models(denai_policy *p, const char *list,
    denai_err *err) DENAI_WUR;

/* Sets the order from "tip" or "oldest". Returns: 0, or -1 (DENAI_EUSAGE). */
int denai_policy_set_order(denai_policy *p, const char *name,
    denai_err *err) DENAI_WUR;

/*
 * Does the policy take the request?
 * Out: *why, when it does not: a static phrase ("tip below --min-tip", ...).
 * Returns: 1 taken, 0 refused.
 */
int denai_policy_takes(const denai_policy *p, const denai_request_info *info,
    const char **why);

/* A candidate to order: the request's id and its tip. */
typedef struct denai_policy_item {
	denai_u256 id;
	denai_u256 tip;
	void *ctx;			/* the caller's */
	unsigned flags;			/* the caller's */
} denai_policy_item;

/* Sorts items into the order the policy offers them. */
void denai_policy_sort(const denai_policy *p, denai_policy_item *items,
    size_t n);

#endif
