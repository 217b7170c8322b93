/* onnx/graph_values.c - the runtime graph's value table: names to value
 * indices, open addressing (see graph_impl.h). It calls nothing else in
 * lib/onnx: graph.c builds with it, graph_run.c looks names up in it. */
#include "onnx/graph.h"
#include "onnx/graph_impl.h"

#include <stdlib.h>
#include <string.h>

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

int
denai_graph_table_init(denai_graph *g, size_t want)
{
	size_t cap = 16;

	while (cap < want * 2)
		cap *= 2;
	if ((g->slots = malloc(cap * sizeof(int))) == NULL)
		return -1;
	for (size_t i = 0; i < cap; i++)
		g->slots[i] = -1;
	g->nslots = cap;
	return 0;
}

int
denai_graph_find(const denai_graph *g, const char *name)
{
	size_t mask = g->nslots - 1;

	for (size_t i = hash_str(name) & mask;; i = (i + 1) & mask) {
		int v = g->slots[i];

		if (v < 0)
			return -1;
		if (strcmp(g->vals[v].name, name) == 0)
			return v;
	}
}

int
denai_graph_table_add(denai_graph *g, const char *name, int producer)
{
	size_t mask = g->nslots - 1, i;

	if (denai_graph_find(g, name) >= 0)
		return -1;
	for (i = hash_str(name) & mask; g->slots[i] >= 0; i = (i + 1) & mask)
		;
	g->slots[i] = g->nvals;
	g->vals[g->nvals].name = name;
	g->vals[g->nvals].producer = producer;
	return g->nvals++;
}
