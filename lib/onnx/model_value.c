/* onnx/model_value.c - ValueInfoProto and TypeProto. */
#include "onnx/model.h"
#include "onnx/pb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const vi_fields[] = {
	NULL, "name", "type", "doc_string",
};
static const char *const type_fields[] = {
	NULL, "tensor_type", NULL, NULL, "sequence_type", "map_type",
	"denotation", NULL, "sparse_tensor_type", "optional_type",
};
static const char *const tt_fields[] = { NULL, "elem_type", "shape" };
static const char *const shape_fields[] = { NULL, "dim" };
static const char *const dim_fields[] = {
	NULL, "dim_value", "dim_param", "denotation",
};
static const char *const map_fields[] = { NULL, "key_type", "value_type" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int
parse_dim(denai_value_info *vi, const uint8_t *buf, size_t len,
    denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc, k = vi->rank;

	vi->dims[k] = -1;
	denai_pb_init(&r, buf, len, "TensorShapeProto.Dimension", dim_fields,
	    N(dim_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.num == 1 && f.wire == DENAI_PB_VARINT) {
			if ((int64_t)f.v < 0)
				return denai_pb_fail(&r, 1, err, DENAI_EDATA,
				    "negative dimension");
			vi->dims[k] = (int64_t)f.v;
		} else if (f.num == 2 && f.wire == DENAI_PB_LEN) {
			free(vi->dim_param[k]);
			if (denai_pb_strdup(&vi->dim_param[k], f.data, f.len,
			    "dim_param", err) != 0)
				return -1;
		}
	}
	if (rc != 0)
		return -1;
	vi->rank++;
	return 0;
}

static int
parse_shape(denai_value_info *vi, const uint8_t *buf, size_t len,
    denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	vi->rank = 0;
	denai_pb_init(&r, buf, len, "TensorShapeProto", shape_fields,
	    N(shape_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.num != 1 || f.wire != DENAI_PB_LEN)
			continue;
		if (vi->rank >= DENAI_MAX_RANK)
			return denai_err_set(err, DENAI_EUNSUP,
			    "shape of rank over %d", DENAI_MAX_RANK);
		if (parse_dim(vi, f.data, f.len, err) != 0)
			return -1;
	}
	return rc;
}

/* Tensor and SparseTensor types share elem_type = 1, shape = 2. */
static int
parse_tensor_type(denai_value_info *vi, const uint8_t *buf, size_t len,
    int with_shape, denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	denai_pb_init(&r, buf, len, "TypeProto.Tensor", tt_fields,
	    N(tt_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.num == 1 && f.wire == DENAI_PB_VARINT)
			vi->dtype = (int)f.v;
		else if (f.num == 2 && f.wire == DENAI_PB_LEN && with_shape) {
			if (parse_shape(vi, f.data, f.len, err) != 0)
				return -1;
		}
	}
	return rc;
}

static int parse_type(denai_value_info *, const uint8_t *, size_t, int,
    int, denai_err *);

static int
parse_map_type(denai_value_info *vi, const uint8_t *buf, size_t len,
    int depth, denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	denai_pb_init(&r, buf, len, "TypeProto.Map", map_fields,
	    N(map_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.num == 1 && f.wire == DENAI_PB_VARINT)
			vi->key_dtype = (int)f.v;
		else if (f.num == 2 && f.wire == DENAI_PB_LEN) {
			if (parse_type(vi, f.data, f.len, depth + 1, 0,
			    err) != 0)
				return -1;
		}
	}
	return rc;
}

/*
 * Fills vi's kind from the outermost type; nested types (inside a
 * sequence or map) only set dtype and key_dtype.
 */
static int
parse_type(denai_value_info *vi, const uint8_t *buf, size_t len, int depth,
    int outer, denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	if (depth > 8)
		return denai_err_set(err, DENAI_EUNSUP,
		    "types nested over 8 deep");
	denai_pb_init(&r, buf, len, "TypeProto", type_fields,
	    N(type_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.wire != DENAI_PB_LEN)
			continue;
		switch (f.num) {
		case 1:
			if (outer)
				vi->kind = DENAI_VK_TENSOR;
			if (parse_tensor_type(vi, f.data, f.len, outer,
			    err) != 0)
				return -1;
			break;
		case 4:
			if (outer)
				vi->kind = DENAI_VK_SEQUENCE;
			if (parse_type(vi, f.data, f.len, depth + 1, 0,
			    err) != 0)
				return -1;
			break;
		case 5:
			if (outer)
				vi->kind = DENAI_VK_MAP;
			if (parse_map_type(vi, f.data, f.len, depth, err) != 0)
				return -1;
			break;
		case 8:
		case 9:
			if (outer)
				vi->kind = DENAI_VK_OTHER;
			break;
		default:
			break;
		}
	}
	return rc;
}

int
denai_value_info_parse(denai_value_info *vi, const uint8_t *buf, size_t len,
    denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	memset(vi, 0, sizeof(*vi));
	vi->rank = -1;
	denai_pb_init(&r, buf, len, "ValueInfoProto", vi_fields,
	    N(vi_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.wire != DENAI_PB_LEN)
			continue;
		if (f.num == 1) {
			free(vi->name);
			if (denai_pb_strdup(&vi->name, f.data, f.len,
			    "value name", err) != 0)
				return -1;
		} else if (f.num == 2) {
			if (parse_type(vi, f.data, f.len, 0, 1, err) != 0)
				goto fail;
		}
	}
	if (rc != 0)
		return -1;
	if (vi->name == NULL && denai_pb_strdup(&vi->name, NULL, 0, "",
	    err) != 0)
		return -1;
	return 0;
fail:
	if (vi->name != NULL)
		denai_err_prefix(err, "value %s", vi->name);
	return -1;
}

void
denai_value_info_clear(denai_value_info *vi)
{
	if (vi == NULL)
		return;
	free(vi->name);
	for (int i = 0; i < DENAI_MAX_RANK; i++)
		free(vi->dim_param[i]);
	memset(vi, 0, sizeof(*vi));
}

void
denai_value_info_shape_str(char *buf, size_t n, const denai_value_info *vi)
{
	size_t off = 0;

	off += (size_t)snprintf(buf, n, "[");
	for (int d = 0; d < vi->rank && off < n; d++) {
		if (vi->dims[d] >= 0)
			off += (size_t)snprintf(buf + off, n - off, "%s%lld",
			    d ? "," : "", (long long)vi->dims[d]);
		else
			off += (size_t)snprintf(buf + off, n - off, "%s%s",
			    d ? "," : "", vi->dim_param[d] != NULL ?
			    vi->dim_param[d] : "?");
	}
	if (off < n)
		snprintf(buf + off, n - off, "]");
}
