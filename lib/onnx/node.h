/*
 * onnx/node.h - graph nodes, their attributes, and the operator interface
 * every kernel implements.
 *
 * Life of a node: at load, the runtime finds its operator in the registry
 * by (domain, op_type, opset) - failing the load with the node's name,
 * op_type, domain and opset when none matches - then calls op->prepare,
 * which validates the attributes and stores what it parsed in node->state
 * (freed by op->free_state). Unknown or unsupported attributes are errors
 * here, not at run time. At run time op->run reads its inputs and reshapes
 * its outputs with denai_tensor_reshape (buffers are reused across runs).
 */
#ifndef DENAI_ONNX_NODE_H
#define DENAI_ONNX_NODE_H

#include "onnx/tensor.h"

/* ONNX AttributeProto.AttributeType numbers. */
enum denai_attr_type {
	DENAI_AT_FLOAT = 1,
	DENAI_AT_INT = 2,
	DENAI_AT_STRING = 3,
	DENAI_AT_TENSOR = 4,
	DENAI_AT_FLOATS = 6,
	DENAI_AT_INTS = 7,
	DENAI_AT_STRINGS = 8,
};

typedef struct denai_attr {
	char *name;
	int type;			/* enum denai_attr_type */
	float f;			/* FLOAT */
	int64_t i;			/* INT */
	char *s;			/* STRING, NUL-terminated, slen bytes */
	size_t slen;
	denai_tensor *t;		/* TENSOR */
	float *floats;			/* FLOATS, n of them */
	int64_t *ints;			/* INTS */
	char **strings;			/* STRINGS */
	char *strbuf;			/* when set, holds all the strings */
	size_t n;
} denai_attr;

struct denai_op;

typedef struct denai_node {
	char *name;			/* may be "" in the file; never NULL */
	char *op_type;
	char *domain;			/* "" for ai.onnx */
	int opset;			/* the opset version imported for domain */
	int nin, nout;
	int *in;			/* value indices; -1 = optional input absent */
	int *out;
	denai_attr *attrs;
	int nattrs;
	const struct denai_op *op;
	void *state;			/* the op's parsed attributes */
} denai_node;

typedef struct denai_op {
	const char *domain;		/* "" or "ai.onnx.ml" */
	const char *name;		/* op_type */
	int min_opset, max_opset;	/* versions this kernel implements */
	int min_in, max_in;		/* input count bounds */
	int min_out, max_out;
	/* Validates attributes, fills node->state. May be NULL. */
	int (*prepare)(denai_node *n, denai_err *err);
	/* Computes outputs from inputs. in[i] is NULL for an absent optional
	 * input; out[i] is NULL for an output the graph does not use. */
	int (*run)(const denai_node *n, const denai_tensor *const *in,
	    denai_tensor *const *out, denai_err *err);
	void (*free_state)(void *state);
} denai_op;

/* Returns: the attribute called name, or NULL. */
const denai_attr *denai_node_attr(const denai_node *n, const char *name);

/*
 * Typed attribute readers: *out gets the attribute's value, or def when the
 * attribute is absent. Returns: 0, or -1 when present with another type.
 */
int denai_node_attr_int(const denai_node *n, const char *name, int64_t def,
    int64_t *out, denai_err *err) DENAI_WUR;
int denai_node_attr_float(const denai_node *n, const char *name, float def,
    float *out, denai_err *err) DENAI_WUR;
/* *out points into the node (or is def). */
int denai_node_attr_string(const denai_node *n, const char *name,
    const char *def, const char **out, denai_err *err) DENAI_WUR;

/*
 * List readers: *out and *count get the attribute's array (pointing into
 * the node), or NULL and 0 when absent. Returns: 0, or -1 when present with
 * another type.
 */
int denai_node_attr_ints(const denai_node *n, const char *name,
    const int64_t **out, size_t *count, denai_err *err) DENAI_WUR;
int denai_node_attr_floats(const denai_node *n, const char *name,
    const float **out, size_t *count, denai_err *err) DENAI_WUR;
int denai_node_attr_strings(const denai_node *n, const char *name,
    char *const **out, size_t *count, denai_err *err) DENAI_WUR;
/* *out gets the TENSOR attribute, or NULL when absent. */
int denai_node_attr_tensor(const denai_node *n, const char *name,
    const denai_tensor **out, denai_err *err) DENAI_WUR;

/* Frees what an attribute owns (name, strings, tensor, arrays). */
void denai_attr_clear(denai_attr *a);

/*
 * Fails with a message naming the node and the attribute if n has an
 * attribute not in the NULL-terminated list known. Returns: 0 or -1.
 */
int denai_node_check_attrs(const denai_node *n, const char *const *known,
    denai_err *err) DENAI_WUR;

/* Fills err with "node NAME (OpType): " + message. Returns: -1. */
int denai_node_fail(const denai_node *n, denai_err *err, int code,
    const char *fmt, ...) DENAI_PRINTF(4, 5);

/*
 * The registry: operator tables, each a static array ending with an entry
 * whose name is NULL, defined one per ops file and listed in registry.c:
 *   denai_ops_elementwise  (lib/onnx/ops_elementwise.c: Add ... Where, Cast)
 *   denai_ops_math         (lib/onnx/ops_math.c: MatMul Gemm Softmax ...)
 *   denai_ops_shape        (lib/onnx/ops_shape.c: Reshape ... Gather)
 *   denai_ops_reduce       (lib/onnx/ops_reduce.c: ArgMax Reduce*)
 *   denai_ops_nn           (lib/onnx/ops_nn.c: Conv pools BatchNorm)
 *   denai_ops_ml           (lib/onnx/ops_ml*.c: ai.onnx.ml)
 * Returns: the op for (domain, op_type, opset), or NULL.
 */
const denai_op *denai_op_find(const char *domain, const char *op_type,
    int opset);

#endif
