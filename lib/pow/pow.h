/*
 * pow.h - the DenAI proof of work: find a nonce with
 *
 *   keccak256(abi.encodePacked(bytes32 challenge, address miner,
 *       uint256 nonce)) < type(uint256).max / difficulty
 *
 * The message is 84 bytes, one Keccak-f[1600] block. The search runs on
 * several threads, each taking its own ranges of 16384 nonces from a shared
 * counter, with a scalar, a 4-way AVX2 or an 8-way AVX-512 kernel chosen at
 * run time (or forced). Every solution is re-checked with the plain
 * Keccak-256 of keccak.h before it is returned.
 *
 * Ownership: the job, the result and the stop flag belong to the caller;
 * the search keeps no state after it returns.
 */
#ifndef DENAI_POW_H
#define DENAI_POW_H

#include <stdatomic.h>
#include <stdint.h>

#include "err.h"
#include "eth/u256.h"

#define DENAI_POW_MSG_LEN 84	/* challenge 32, miner 20, nonce 32 */

enum denai_pow_impl {
	DENAI_POW_AUTO = 0,	/* the fastest the CPU and OS support */
	DENAI_POW_SCALAR,	/* portable C, one nonce at a time */
	DENAI_POW_AVX2,		/* 4 nonces per permutation */
	DENAI_POW_AVX512,	/* 8 nonces per permutation */
};

/*
 * Called from the searching (calling) thread every progress_interval
 * seconds with the hashes computed so far and the seconds elapsed.
 * Returns: 0 to go on, non-zero to stop the search.
 */
typedef int (*denai_pow_progress_fn)(void *arg, uint64_t hashes,
    double elapsed);

typedef struct denai_pow_job {
	uint8_t challenge[32];
	uint8_t miner[20];
	denai_u256 difficulty;	/* >= 1 */
	denai_u256 start;	/* first nonce tried; nonces wrap at 2^256 */
	unsigned threads;	/* 0: every CPU this process may run on */
	int impl;		/* enum denai_pow_impl */
	double deadline;	/* seconds; 0: none */
	atomic_int *stop;	/* may be NULL; stops the search when set */
	denai_pow_progress_fn progress;	/* may be NULL */
	void *progress_arg;
	double progress_interval;	/* seconds; 0: 0.25 */
} denai_pow_job;

typedef struct denai_pow_result {
	denai_u256 nonce;	/* the solution, when found */
	uint8_t hash[32];	/* its Keccak-256 */
	uint64_t hashes;	/* nonces tried (with 1 thread: nonce - start + 1) */
	double seconds;		/* wall time of the search */
	int impl;		/* the kernel that ran */
	unsigned threads;	/* the threads that ran */
} denai_pow_result;

/*
 * Searches from job->start upward. With one thread the answer is the first
 * solution at or after start, whatever the kernel.
 * Returns: 0 with a solution in *res; 1 when stopped without one (deadline,
 * stop flag or progress callback; res->hashes and res->seconds filled);
 * -1 with err filled (difficulty 0, a kernel this CPU lacks, no threads).
 */
int denai_pow_search(denai_pow_result *res, const denai_pow_job *job,
    denai_err *err) DENAI_WUR;

/* target = (2^256 - 1) / difficulty. Returns: 0, or -1 for difficulty 0. */
int denai_pow_target(denai_u256 *target, const denai_u256 *difficulty,
    denai_err *err) DENAI_WUR;

/* Writes challenge || miner || nonce (big-endian) into msg. */
void denai_pow_message(uint8_t msg[DENAI_POW_MSG_LEN],
    const uint8_t challenge[32], const uint8_t miner[20],
    const denai_u256 *nonce);

/* Hashes the message with plain Keccak-256 into hash (may be NULL).
 * Returns: 1 when the hash is below target, else 0. */
int denai_pow_check(uint8_t hash[32], const uint8_t challenge[32],
    const uint8_t miner[20], const denai_u256 *nonce,
    const denai_u256 *target);

/* Returns: 1 when this CPU and OS can run impl (AUTO and SCALAR: always). */
int denai_pow_impl_available(int impl);
/* Returns: the kernel AUTO picks here. */
int denai_pow_impl_best(void);
/* Returns: "auto", "scalar", "avx2", "avx512". */
const char *denai_pow_impl_name(int impl);
/* Parses one of those names. Returns: 0, or -1 naming the bad name. */
int denai_pow_impl_parse(int *impl, const char *name, denai_err *err)
    DENAI_WUR;

/* Returns: the CPUs this process may run on (at least 1). */
unsigned denai_pow_cpus(void);

#endif
