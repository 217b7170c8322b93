/*
 * onnx/cache.h - loaded graphs kept by key (a model's sha256, or its path),
 * at most a fixed number of them, the least recently used evicted first.
 *
 * Ownership: the cache is the caller's (_new/_free, _free(NULL) a no-op);
 * every graph in it is the cache's. A graph returned by _get stays valid
 * until the next _get on the same cache (which may evict it) or _free.
 */
#ifndef DENAI_ONNX_CACHE_H
#define DENAI_ONNX_CACHE_H

#include <stddef.h>

#include "err.h"
#include "onnx/graph.h"

typedef struct denai_model_cache denai_model_cache;

/* Returns: a new, empty cache holding at most max (>= 1) graphs, or NULL
 * with err (DENAI_EUSAGE for max 0, DENAI_ENOMEM). */
denai_model_cache *denai_model_cache_new(size_t max, denai_err *err);

/* Frees the cache and every graph in it. */
void denai_model_cache_free(denai_model_cache *c);

/*
 * The graph cached under key (path when key is NULL); when there is none,
 * loads it from path (denai_graph_load_file) and caches it, evicting the
 * least recently used graph when the cache is full.
 * Out: *g, owned by the cache (see above).
 * Returns: 0, or -1 with err ("model: ..." when loading failed; nothing is
 * evicted then).
 */
int denai_model_cache_get(denai_model_cache *c, denai_graph **g,
    const char *key, const char *path, denai_err *err) DENAI_WUR;

/* Returns: how many graphs the cache holds now. */
size_t denai_model_cache_size(const denai_model_cache *c);

#endif
