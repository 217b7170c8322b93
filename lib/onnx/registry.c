/* onnx/registry.c - finding an operator's kernel by domain, name, opset. */
#include "onnx/node.h"

#include <stddef.h>
#include <string.h>

/*
 * The operator tables, one per family (ops_elementwise.c, ops_math.c,
 * ops_shape.c, ops_reduce.c, ops_nn.c, ops_ml_table.c), each ending with a
 * NULL name. A new operator goes into its family's table; a new family
 * adds its table here. They are ordinary (strong) references: linking
 * denai_op_find pulls every table, and so every kernel, out of libdenai.a.
 */
extern const denai_op denai_ops_elementwise[];
extern const denai_op denai_ops_shape[];
extern const denai_op denai_ops_math[];
extern const denai_op denai_ops_reduce[];
extern const denai_op denai_ops_nn[];
extern const denai_op denai_ops_ml[];

static int
same_domain(const char *a, const char *b)
{
	if (a == NULL || strcmp(a, "ai.onnx") == 0)
		a = "";
	if (b == NULL || strcmp(b, "ai.onnx") == 0)
		b = "";
	return strcmp(a, b) == 0;
}

const denai_op *
denai_op_find(const char *domain, const char *op_type, int opset)
{
	const denai_op *tables[] = {
		denai_ops_elementwise, denai_ops_math, denai_ops_shape,
		denai_ops_reduce, denai_ops_nn, denai_ops_ml,
	};

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (const denai_op *op = tables[t]; op->name != NULL; op++)
			if (same_domain(op->domain, domain) &&
			    strcmp(op->name, op_type) == 0 &&
			    opset >= op->min_opset && opset <= op->max_opset)
				return op;
	}
	return NULL;
}
