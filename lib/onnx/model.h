/*
 * onnx/model.h - an ONNX ModelProto, read from a file or from memory.
 *
 * Reading checks every size against the bytes present (see pb.h), refuses
 * what this evaluator cannot represent (external data, sparse tensors,
 * element types outside tensor.h) with an error naming it, and never
 * resolves operators: that is the runtime's job (graph.h). A gzip stream
 * (.onnx.gz) is inflated first, up to a cap on the inflated size.
 *
 * A denai_model is a heap object (denai_model_free); everything in it,
 * names included, belongs to it.
 */
#ifndef DENAI_ONNX_MODEL_H
#define DENAI_ONNX_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "onnx/node.h"
#include "onnx/tensor.h"

/* Default cap on a model's (inflated) size in bytes. */
#define DENAI_MODEL_MAX_BYTES ((size_t)1 << 30)

/* What a ValueInfo's type is. */
enum denai_value_kind {
	DENAI_VK_UNKNOWN = 0,	/* no type given */
	DENAI_VK_TENSOR = 1,
	DENAI_VK_SEQUENCE = 2,	/* seq(...): dtype is the innermost value type */
	DENAI_VK_MAP = 3,	/* map(key_dtype, ...) */
	DENAI_VK_OTHER = 4,	/* sparse, optional, ...: unsupported */
};

typedef struct denai_value_info {
	char *name;
	int kind;			/* enum denai_value_kind */
	int dtype;			/* tensor element type (or innermost) */
	int key_dtype;			/* MAP (or seq of map): the key type */
	int rank;			/* -1 when the shape is not given */
	int64_t dims[DENAI_MAX_RANK];	/* -1 for a dim_param or unknown dim */
	char *dim_param[DENAI_MAX_RANK];/* the symbolic name, or NULL */
} denai_value_info;

/* A node's value names, parallel to model->nodes; "" = absent optional. */
typedef struct denai_node_io {
	char **in;
	char **out;
} denai_node_io;

typedef struct denai_model {
	int64_t ir_version;
	int nopsets;
	char **opset_domain;		/* "" for ai.onnx */
	int64_t *opset_version;
	char *producer;			/* producer_name, or "" */
	char *graph_name;		/* or "" */
	int nnodes;
	denai_node *nodes;		/* in/out left NULL; op, state unset */
	denai_node_io *io;
	int ninits;
	char **init_names;
	denai_tensor **inits;		/* is_const set */
	int ninputs;			/* as declared, initializers included */
	denai_value_info *inputs;
	int noutputs;
	denai_value_info *outputs;
} denai_model;

/*
 * Reads a model from len bytes at buf (a serialized ModelProto, or a gzip
 * stream holding one whose inflated size is at most max_bytes; 0 means
 * DENAI_MODEL_MAX_BYTES).
 * Returns: 0 and *m (the caller's), or -1 with err.
 */
int denai_model_load_mem(denai_model **m, const uint8_t *buf, size_t len,
    size_t max_bytes, denai_err *err) DENAI_WUR;
/* The same from a file (read whole; over max_bytes is an error). */
int denai_model_load_file(denai_model **m, const char *path,
    size_t max_bytes, denai_err *err) DENAI_WUR;
void denai_model_free(denai_model *m);

/* Returns: the opset version imported for domain ("" or "ai.onnx" for the
 * default domain), or 0 when the model does not import it. */
int64_t denai_model_opset(const denai_model *m, const char *domain);

/*
 * Parses a serialized TensorProto (len bytes at buf) into t (reshaped), and
 * its name into *name (malloc'd, the caller's; name may be NULL).
 * Returns: 0, or -1 with err naming the tensor and the problem.
 */
int denai_tensor_parse(denai_tensor *t, char **name, const uint8_t *buf,
    size_t len, denai_err *err) DENAI_WUR;

/*
 * Reads a whole file into a malloc'd buffer (the caller's), refusing one
 * over max bytes; a gzip file is inflated (its output capped by max).
 * Returns: 0, or -1 with err naming the path.
 */
int denai_model_file_read(uint8_t **buf, size_t *len, const char *path,
    size_t max, denai_err *err) DENAI_WUR;
/* Inflates a gzip or zlib stream into a malloc'd buffer of at most max
 * bytes. Returns: 0, or -1. */
int denai_gunzip(uint8_t **out, size_t *outlen, const uint8_t *in,
    size_t len, size_t max, denai_err *err) DENAI_WUR;

/* Fills vi from a serialized ValueInfoProto. Internal to the loader. */
int denai_value_info_parse(denai_value_info *vi, const uint8_t *buf,
    size_t len, denai_err *err) DENAI_WUR;
void denai_value_info_clear(denai_value_info *vi);
/* Writes a declared shape as "[N,30]" (symbolic dims by name, else "?")
 * into buf (n bytes). */
void denai_value_info_shape_str(char *buf, size_t n,
    const denai_value_info *vi);

/* Copies len bytes to a new NUL-terminated string, refusing NUL bytes.
 * Returns: 0, or -1 (err says what holds a NUL, or no memory). */
int denai_pb_strdup(char **out, const uint8_t *p, size_t len,
    const char *what, denai_err *err) DENAI_WUR;

#endif
