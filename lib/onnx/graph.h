/*
 * onnx/graph.h - the ONNX runtime: a loaded model ready to evaluate.
 *
 * Loading resolves every node's operator (an unsupported operator,
 * attribute or type fails the load, naming the node, op_type, domain and
 * opset), checks the graph (every input defined, no value defined twice, no
 * cycle; nodes run in a topological order fixed at load), folds the nodes
 * whose inputs are all constants, and - when every input is a float or
 * double tensor of declared shape (a symbolic dim taken as 1) - runs once on
 * zero inputs so that shape and type errors are load errors and every
 * value's buffer is allocated. Later runs at the same shapes allocate
 * nothing. (Integer inputs may carry shapes or indices, for which zeros
 * mean nothing, so their graphs are not warmed up.)
 *
 * A denai_graph is a heap object owning its model and all tensors. It is
 * evaluated by one thread at a time; distinct graphs (even of one model
 * file) share no mutable state and may run in parallel threads.
 */
#ifndef DENAI_ONNX_GRAPH_H
#define DENAI_ONNX_GRAPH_H

#include "onnx/model.h"

typedef struct denai_graph denai_graph;

typedef struct denai_graph_opts {
	size_t max_bytes;	/* cap on the model's size; 0: the default */
	int no_warmup;		/* skip the zero-input run at load */
	int no_fold;		/* keep constant nodes in the run list */
} denai_graph_opts;

/*
 * Builds a graph from m, taking m (freed on failure too). o may be NULL.
 * Returns: 0 and *g, or -1 with err.
 */
int denai_graph_new(denai_graph **g, denai_model *m,
    const denai_graph_opts *o, denai_err *err) DENAI_WUR;
/* Loads a model file (.onnx or gzip'd) and builds its graph. */
int denai_graph_load_file(denai_graph **g, const char *path,
    const denai_graph_opts *o, denai_err *err) DENAI_WUR;
int denai_graph_load_mem(denai_graph **g, const uint8_t *buf, size_t len,
    const denai_graph_opts *o, denai_err *err) DENAI_WUR;
void denai_graph_free(denai_graph *g);

const denai_model *denai_graph_model(const denai_graph *g);

/* The inputs to feed: the graph's declared inputs less initializers. */
int denai_graph_ninputs(const denai_graph *g);
const denai_value_info *denai_graph_input_info(const denai_graph *g, int i);
/* Returns: the index of the input called name, or -1. */
int denai_graph_input_index(const denai_graph *g, const char *name);
/*
 * Returns: input i's tensor, to be filled in place (denai_tensor_reshape,
 * then write the data): the allocation-free way to feed a graph.
 */
denai_tensor *denai_graph_input(denai_graph *g, int i);
/* Copies t into input i after checking it (as denai_graph_check_input). */
int denai_graph_set_input(denai_graph *g, int i, const denai_tensor *t,
    denai_err *err) DENAI_WUR;
/*
 * Checks t against input i's declared element type, rank and fixed dims.
 * Returns: 0, or -1 with err naming the input.
 */
int denai_graph_check_input(const denai_graph *g, int i,
    const denai_tensor *t, denai_err *err) DENAI_WUR;

/* Checks every input, then runs every node in order. Returns: 0 or -1. */
int denai_graph_run(denai_graph *g, denai_err *err) DENAI_WUR;

int denai_graph_noutputs(const denai_graph *g);
const denai_value_info *denai_graph_output_info(const denai_graph *g, int i);
/* Returns: output i's tensor as of the last run (owned by g). */
const denai_tensor *denai_graph_output(const denai_graph *g, int i);
/* Returns: the node that computes output i, or NULL (an input or
 * initializer passed through). */
const denai_node *denai_graph_output_node(const denai_graph *g, int i);
/* Returns: the tensor of any value by name (as of the last run), or NULL. */
const denai_tensor *denai_graph_value(const denai_graph *g, const char *name);
/* Returns: how many nodes run per evaluation (after folding). */
int denai_graph_nrun(const denai_graph *g);

#endif
