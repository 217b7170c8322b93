/*
 * onnx/graph_impl.h - the runtime graph's insides, shared by graph*.c only.
 */
#ifndef DENAI_ONNX_GRAPH_IMPL_H
#define DENAI_ONNX_GRAPH_IMPL_H

#include "onnx/graph.h"

struct denai_value {
	const char *name;		/* points into the model */
	denai_tensor *t;
	int producer;			/* node index, or -1 */
	int borrowed;			/* t is the model's initializer */
	int is_const;			/* initializer or folded */
	int is_input;
};

struct denai_graph {
	denai_model *m;
	struct denai_value *vals;
	int nvals;
	int *slots;			/* hash table of value indices */
	size_t nslots;
	int *order;			/* all nodes, topologically */
	int *run;			/* the nodes left after folding */
	int nrun;
	int ninputs;
	int *inputs;			/* value index of each fed input */
	int *input_vi;			/* its index in m->inputs */
	int *outputs;			/* value index of each graph output */
	int maxin, maxout;
	const denai_tensor **inbuf;	/* scratch for op->run */
	denai_tensor **outbuf;
};

/* graph_values.c: the value table. Sizes it for want names. Returns: 0,
 * or -1 out of memory. */
int denai_graph_table_init(denai_graph *g, size_t want);
/* Adds name made by node producer (-1: none). Returns: its index, or -1
 * when it exists already. */
int denai_graph_table_add(denai_graph *g, const char *name, int producer);
/* Returns: the value index of name, or -1. */
int denai_graph_find(const denai_graph *g, const char *name);

/* graph_run.c: runs one node on the graph's tensors (graph.c folds
 * constants with it). Returns: 0 or -1. */
int denai_graph_run_node(denai_graph *g, const denai_node *n, denai_err *err)
    DENAI_WUR;

#endif
