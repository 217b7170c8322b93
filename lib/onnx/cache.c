/*
 * onnx/cache.c - an LRU of loaded graphs (see cache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "onnx/cache.h"

struct cached {
	char *key;
	denai_graph *g;
	unsigned long used;		/* tick of the last use */
};

struct denai_model_cache {
	struct cached *slot;
	size_t n, max;
	unsigned long tick;
};

denai_model_cache *
denai_model_cache_new(size_t max, denai_err *err)
{
	denai_model_cache *c;

	if (max == 0) {
		denai_err_set(err, DENAI_EUSAGE, "model cache: size 0");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->slot = calloc(max, sizeof(*c->slot))) == NULL) {
		free(c);
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	c->max = max;
	return c;
}

void
denai_model_cache_free(denai_model_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->slot[i].key);
		denai_graph_free(c->slot[i].g);
	}
	free(c->slot);
	free(c);
}

size_t
denai_model_cache_size(const denai_model_cache *c)
{
	return c->n;
}

int
denai_model_cache_get(denai_model_cache *c, denai_graph **g,
    const char *key, const char *path, denai_err *err)
{
	struct cached *victim;

	if (key == NULL)
		key = path;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->slot[i].key, key) == 0) {
			c->slot[i].used = ++c->tick;
			*g = c->slot[i].g;
			return 0;
		}
	if (denai_graph_load_file(g, path, NULL, err) != 0)
		return denai_err_prefix(err, "model");
	if (c->n < c->max)
		victim = &c->slot[c->n++];
	else {
		victim = &c->slot[0];
		for (size_t i = 1; i < c->n; i++)
			if (c->slot[i].used < victim->used)
				victim = &c->slot[i];
		free(victim->key);
		denai_graph_free(victim->g);
	}
	if ((victim->key = strdup(key)) == NULL) {
		denai_graph_free(*g);
		*g = NULL;
		victim->g = NULL;
		c->n--;
		if (victim != &c->slot[c->n])
			*victim = c->slot[c->n];
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	victim->g = *g;
	victim->used = ++c->tick;
	return 0;
}
