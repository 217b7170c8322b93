/* onnx/predict.c - feeding a data point (JSON) to a model's inputs. */
#include "onnx/predict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fill {
	const char *name;		/* the input's */
	denai_tensor *t;
	int rank;			/* of the JSON nesting */
	int64_t dims[DENAI_MAX_RANK];
	int64_t path[DENAI_MAX_RANK];	/* where we are, for messages */
	size_t at;			/* next element to write */
};

static const char *
path_str(char *buf, size_t n, const struct fill *f, int depth)
{
	size_t off = 0;

	off += (size_t)snprintf(buf, n, "[");
	for (int i = 0; i < depth && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%lld",
		    i ? "," : "", (long long)f->path[i]);
	if (off < n)
		snprintf(buf + off, n - off, "]");
	return buf;
}

/* Converts one JSON leaf to the tensor's element type at f->at. */
static int
put_leaf(struct fill *f, const json_t *v, denai_err *err)
{
	denai_tensor *t = f->t;
	char p[96];
	double d;

	path_str(p, sizeof(p), f, f->rank);
	switch (t->dtype) {
	case DENAI_DT_FLOAT:
	case DENAI_DT_DOUBLE:
		if (!json_is_number(v))
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is not a number",
			    f->name, p);
		d = json_number_value(v);
		if (!isfinite(d))
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is not finite",
			    f->name, p);
		if (t->dtype == DENAI_DT_DOUBLE) {
			DENAI_T_F64(t)[f->at++] = d;
			break;
		}
		if (!isfinite((float)d))
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is out of float range",
			    f->name, p);
		DENAI_T_F32(t)[f->at++] = (float)d;
		break;
	case DENAI_DT_INT64:
	case DENAI_DT_INT32:
	case DENAI_DT_INT8:
	case DENAI_DT_UINT8: {
		json_int_t i;
		int64_t lo = INT64_MIN, hi = INT64_MAX;

		d = json_is_real(v) ? json_real_value(v) : 0.5;
		if (json_is_integer(v))
			i = json_integer_value(v);
		else if (json_is_real(v) && d == floor(d) && fabs(d) < 9.2e18)
			i = (json_int_t)d;
		else
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is not an integer",
			    f->name, p);
		if (t->dtype == DENAI_DT_INT32) {
			lo = INT32_MIN;
			hi = INT32_MAX;
		} else if (t->dtype == DENAI_DT_INT8) {
			lo = -128;
			hi = 127;
		} else if (t->dtype == DENAI_DT_UINT8) {
			lo = 0;
			hi = 255;
		}
		if (i < lo || i > hi)
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is out of %s range",
			    f->name, p, denai_dtype_name(t->dtype));
		if (t->dtype == DENAI_DT_INT64)
			DENAI_T_I64(t)[f->at++] = i;
		else if (t->dtype == DENAI_DT_INT32)
			DENAI_T_I32(t)[f->at++] = (int32_t)i;
		else
			DENAI_T_U8(t)[f->at++] = (uint8_t)i;
		break;
	}
	case DENAI_DT_BOOL:
		if (json_is_boolean(v))
			DENAI_T_U8(t)[f->at++] = json_is_true(v);
		else if (json_is_integer(v) && (json_integer_value(v) == 0 ||
		    json_integer_value(v) == 1))
			DENAI_T_U8(t)[f->at++] = json_integer_value(v) == 1;
		else
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is not a bool",
			    f->name, p);
		break;
	case DENAI_DT_STRING: {
		char **s = &DENAI_T_STR(t)[f->at];

		if (!json_is_string(v))
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': value at %s is not a string", f->name,
			    p);
		if (memchr(json_string_value(v), '\0',
		    json_string_length(v)) != NULL)
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': string at %s holds a NUL", f->name, p);
		free(*s);
		if ((*s = strdup(json_string_value(v))) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		f->at++;
		break;
	}
	default:
		return denai_err_set(err, DENAI_EUNSUP,
		    "input '%s': %s inputs are not supported", f->name,
		    denai_dtype_name(t->dtype));
	}
	return 0;
}

static int
fill(struct fill *f, const json_t *v, int depth, denai_err *err)
{
	char p[96];

	if (depth == f->rank) {
		if (json_is_array(v) || json_is_object(v))
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': ragged array: %s is nested deeper "
			    "than %s", f->name, path_str(p, sizeof(p), f, depth),
			    depth ? "the first row" : "a scalar");
		return put_leaf(f, v, err);
	}
	if (!json_is_array(v) || (int64_t)json_array_size(v) !=
	    f->dims[depth])
		return denai_err_set(err, DENAI_EDATA,
		    "input '%s': ragged array: %s has %s%zu values where the "
		    "first has %lld", f->name, path_str(p, sizeof(p), f, depth),
		    json_is_array(v) ? "" : "no list of ",
		    json_is_array(v) ? json_array_size(v) : 0,
		    (long long)f->dims[depth]);
	for (size_t i = 0; i < json_array_size(v); i++) {
		f->path[depth] = (int64_t)i;
		if (fill(f, json_array_get(v, i), depth + 1, err) != 0)
			return -1;
	}
	return 0;
}

/* Fills input i from one nested JSON array (or scalar). */
static int
feed_one(denai_graph *g, int i, const json_t *v, denai_err *err)
{
	const denai_value_info *vi = denai_graph_input_info(g, i);
	struct fill f;
	int64_t dims[DENAI_MAX_RANK];
	int rank, dtype = vi->dtype;
	const json_t *w = v;
	char want[128], got[128];

	memset(&f, 0, sizeof(f));
	f.name = vi->name;
	if (vi->kind != DENAI_VK_TENSOR || denai_dtype_size(dtype) == 0)
		return denai_err_set(err, DENAI_EUNSUP,
		    "input '%s' is not a tensor of a supported type", f.name);
	while (json_is_array(w)) {
		if (f.rank >= DENAI_MAX_RANK)
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s': nested over %d deep", f.name,
			    DENAI_MAX_RANK);
		f.dims[f.rank++] = (int64_t)json_array_size(w);
		if (json_array_size(w) == 0)
			break;
		w = json_array_get(w, 0);
	}
	rank = f.rank;
	memcpy(dims, f.dims, sizeof(dims));
	if (vi->rank >= 0 && rank == vi->rank - 1 && rank < DENAI_MAX_RANK &&
	    (vi->dims[0] < 0 || vi->dims[0] == 1)) {
		/* One row of a batch. */
		memmove(dims + 1, dims, sizeof(int64_t) * (size_t)rank);
		dims[0] = 1;
		rank++;
	}
	if (vi->rank >= 0) {
		int bad = rank != vi->rank;

		if (!bad && rank >= 1 && vi->rank == 2 && vi->dims[1] >= 0 &&
		    dims[1] != vi->dims[1])
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s' expects %lld features per row, "
			    "got %lld", f.name, (long long)vi->dims[1],
			    (long long)dims[1]);
		for (int d = 0; !bad && d < rank; d++)
			if (vi->dims[d] >= 0 && vi->dims[d] != dims[d])
				bad = 1;
		if (bad) {
			denai_tensor tmp;

			memset(&tmp, 0, sizeof(tmp));
			tmp.rank = rank;
			memcpy(tmp.dims, dims, sizeof(dims));
			denai_value_info_shape_str(want, sizeof(want), vi);
			denai_tensor_shape_str(got, sizeof(got), &tmp);
			return denai_err_set(err, DENAI_EDATA,
			    "input '%s' expects shape %s, got %s", f.name,
			    want, got);
		}
	}
	f.t = denai_graph_input(g, i);
	if (denai_tensor_reshape(f.t, dtype, rank, dims, err) != 0)
		return denai_err_prefix(err, "input '%s'", f.name);
	return fill(&f, v, 0, err);
}

int
denai_predict_feed(denai_graph *g, const json_t *data, denai_err *err)
{
	int n = denai_graph_ninputs(g);

	if (json_is_object(data)) {
		const char *key;
		json_t *v;

		json_object_foreach((json_t *)data, key, v)
			if (denai_graph_input_index(g, key) < 0)
				return denai_err_set(err, DENAI_EDATA,
				    "the model has no input called '%s'", key);
		for (int i = 0; i < n; i++) {
			const char *name = denai_graph_input_info(g, i)->name;

			if ((v = json_object_get(data, name)) == NULL)
				return denai_err_set(err, DENAI_EDATA,
				    "input '%s' is missing from the data",
				    name);
			if (feed_one(g, i, v, err) != 0)
				return -1;
		}
		return 0;
	}
	if (n != 1)
		return denai_err_set(err, DENAI_EDATA,
		    "the model has %d inputs: give the data as an object "
		    "keyed by input names", n);
	if (!json_is_array(data))
		return denai_err_set(err, DENAI_EDATA,
		    "the data must be a JSON array or an object of arrays");
	return feed_one(g, 0, data, err);
}

int
denai_predict(denai_graph *g, const json_t *data, unsigned decimals,
    json_t **outputs, char prediction[DENAI_U256_DEC_MAX], denai_err *err)
{
	if (outputs != NULL)
		*outputs = NULL;
	if (denai_predict_feed(g, data, err) != 0 ||
	    denai_graph_run(g, err) != 0)
		return -1;
	if (prediction != NULL &&
	    denai_predict_value(g, decimals, prediction, err) != 0)
		return -1;
	if (outputs != NULL && denai_predict_outputs(g, outputs, err) != 0)
		return -1;
	return 0;
}
