/*
 * bloom.h - a block's logs bloom (the Yellow Paper's M3:2048): whether a
 * block may hold a log of an address or topic. A bloom has no false
 * negatives: "no" means no such log is in the block, and a watcher can
 * skip asking for its logs; "maybe" means ask.
 */
#ifndef DENAI_BLOOM_H
#define DENAI_BLOOM_H

#include <stddef.h>
#include <stdint.h>

#define DENAI_BLOOM_LEN 256

/* Returns: 1 when the bloom may hold data (an address's 20 bytes or a
 * topic's 32), 0 when it certainly does not. */
int denai_bloom_may_have(const uint8_t bloom[DENAI_BLOOM_LEN],
    const void *data, size_t len);

#endif
