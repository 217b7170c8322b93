/*
 * train/rng.h - the trainer's only randomness: xoshiro256** (Blackman and
 * Vigna, 2018) seeded through splitmix64, so a seed gives the same stream
 * on every machine. Fixed-size context, owned by the caller.
 */
#ifndef DENAI_TRAIN_RNG_H
#define DENAI_TRAIN_RNG_H

#include <stdint.h>

typedef struct denai_rng {
	uint64_t s[4];
} denai_rng;

/* Seeds r from seed: s[i] = splitmix64 outputs 1..4. */
void denai_rng_seed(denai_rng *r, uint64_t seed);
uint64_t denai_rng_next(denai_rng *r);
/* Returns: a uniform integer in [0, n), n >= 1 (Lemire's method with
 * rejection, so exactly uniform). */
uint64_t denai_rng_below(denai_rng *r, uint64_t n);

/* One splitmix64 step on *x (also used to derive per-tree seeds). */
uint64_t denai_splitmix64(uint64_t *x);

#endif
