/*
 * fuzz_onnx_ops.c - the standard-domain kernels (elementwise, math,
 * reduce, nn) on shapes, types, attributes and values the input chooses:
 * prepare and run either succeed or fail with a message; nothing crashes,
 * leaks or reads out of bounds. Dims are at most 4 and list attribute
 * values small, so every tensor stays small.
 *
 * Input: op, opset, input count, then per input (present, dtype, rank,
 * dims), then attributes (name, type, values), then element bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/node.h"

#include "fuzz_bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ops[] = {
	"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Less", "Greater",
	"Equal", "Where", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Exp", "Log",
	"Sqrt", "Abs", "Neg", "Clip", "MatMul", "Gemm", "Softmax",
	"LogSoftmax", "ArgMax", "ReduceSum", "ReduceMean", "ReduceMax", "Conv",
	"MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
	"Sum", "Mean", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor",
	"Not", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Softplus",
	"ArgMin", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL1",
	"ReduceL2", "ReduceLogSum", "PRelu", "Elu", "Selu", "HardSigmoid",
	"HardSwish", "Softsign", "ThresholdedRelu", "TopK", "ReduceLogSumExp",
};

static const char *const names[] = {
	"alpha", "beta", "transA", "transB", "axis", "axes", "keepdims",
	"noop_with_empty_axes", "select_last_index", "min", "max", "epsilon",
	"momentum", "training_mode", "spatial", "auto_pad", "ceil_mode",
	"count_include_pad", "dilations", "group", "kernel_shape", "pads",
	"storage_order", "strides", "gamma", "largest", "sorted", "unknown",
};

static const int dtypes[] = {
	DENAI_DT_FLOAT, DENAI_DT_DOUBLE, DENAI_DT_INT32, DENAI_DT_INT64,
	DENAI_DT_BOOL, DENAI_DT_STRING, DENAI_DT_INT8,
};

static const char *const pads[] = { "NOTSET", "SAME_UPPER", "SAME_LOWER",
	"VALID", "SAME" };

#define MAXIN 5
#define MAXATTR 6

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	denai_tensor *in[MAXIN] = { 0 }, *out[2] = { 0 };
	denai_attr attrs[MAXATTR];
	int64_t ints[MAXATTR][6];
	char name[] = "f", type[32], dom[] = "";
	int ins[MAXIN], outs[2], nin, na, rc;
	const denai_op *op;
	denai_node n;
	denai_err err;

	memset(&n, 0, sizeof(n));
	memset(attrs, 0, sizeof(attrs));
	snprintf(type, sizeof(type), "%s", ops[byte(&r) % N(ops)]);
	n.opset = 6 + (int)(byte(&r) % 20);
	if ((op = denai_op_find("", type, n.opset)) == NULL)
		return 0;
	nin = op->min_in + (int)(byte(&r) % (unsigned)(op->max_in -
	    op->min_in + 1));
	if (nin > MAXIN)
		nin = MAXIN;
	for (int i = 0; i < nin; i++) {
		int64_t dims[4];
		int rank, dt, present = i < op->min_in || byte(&r) % 4 != 0;

		ins[i] = present ? i : -1;
		if (!present)
			continue;
		dt = dtypes[byte(&r) % N(dtypes)];
		rank = (int)(byte(&r) % 5);
		for (int d = 0; d < rank; d++)
			dims[d] = byte(&r) % 5;
		if ((in[i] = denai_tensor_new()) == NULL ||
		    denai_tensor_reshape(in[i], dt, rank, dims, &err) != 0)
			goto out;
	}
	na = (int)(byte(&r) % (MAXATTR + 1));
	for (int i = 0; i < na; i++) {
		denai_attr *a = &attrs[i];
		unsigned t = byte(&r);

		a->name = (char *)names[byte(&r) % N(names)];
		switch (t % 4) {
		case 0:
			a->type = DENAI_AT_INT;
			a->i = (int8_t)byte(&r);
			break;
		case 1:
			a->type = DENAI_AT_FLOAT;
			a->f = (float)(int8_t)byte(&r) / 8;
			break;
		case 2:
			a->type = DENAI_AT_INTS;
			a->n = byte(&r) % 7;
			for (size_t k = 0; k < a->n; k++)
				ints[i][k] = (int64_t)(byte(&r) % 16) - 2;
			a->ints = ints[i];
			break;
		default:
			a->type = DENAI_AT_STRING;
			a->s = (char *)pads[byte(&r) % N(pads)];
			a->slen = strlen(a->s);
			break;
		}
	}
	/* Element values from the rest of the input (strings stay NULL). */
	for (int i = 0; i < nin; i++) {
		size_t bytes;

		if (in[i] == NULL || in[i]->dtype == DENAI_DT_STRING)
			continue;
		bytes = in[i]->count * denai_dtype_size(in[i]->dtype);
		for (size_t k = 0; k < bytes; k++)
			((uint8_t *)in[i]->data)[k] = (uint8_t)byte(&r);
		if (in[i]->dtype == DENAI_DT_BOOL)
			for (size_t k = 0; k < in[i]->count; k++)
				DENAI_T_U8(in[i])[k] &= 1;
	}
	for (int i = 0; i < 2; i++) {
		outs[i] = i < op->max_out ? 10 + i : -1;
		if ((out[i] = denai_tensor_new()) == NULL)
			goto out;
	}
	n.name = name;
	n.op_type = type;
	n.domain = dom;
	n.nin = nin;
	n.nout = op->max_out < 2 ? op->max_out : 2;
	n.in = ins;
	n.out = outs;
	n.attrs = attrs;
	n.nattrs = na;
	n.op = op;
	memset(&err, 0, sizeof(err));
	rc = op->prepare != NULL ? op->prepare(&n, &err) : 0;
	if (rc == 0) {
		rc = op->run(&n, (const denai_tensor *const *)in, out, &err);
		/* A second run reuses the buffers. */
		if (rc == 0)
			rc = op->run(&n, (const denai_tensor *const *)in, out,
			    &err);
	}
	if (rc != 0 && err.msg[0] == '\0')
		abort();	/* a failure always says why */
	if (op->free_state != NULL)
		op->free_state(n.state);
out:
	for (int i = 0; i < MAXIN; i++)
		denai_tensor_free(in[i]);
	denai_tensor_free(out[0]);
	denai_tensor_free(out[1]);
	return 0;
}
