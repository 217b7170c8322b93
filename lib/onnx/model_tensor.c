/* onnx/model_tensor.c - TensorProto: dims, type, raw and typed data. */
#include "onnx/model.h"
#include "onnx/pb.h"

#include <stdlib.h>
#include <string.h>

static const char *const tensor_fields[] = {
	NULL, "dims", "data_type", "segment", "float_data", "int32_data",
	"string_data", "int64_data", "name", "raw_data", "double_data",
	"uint64_data", "doc_string", "external_data", "data_location",
};

/* No tensor may have more values than this (bounded by the input too). */
#define MAX_VALUES ((size_t)1 << 31)

int
denai_pb_strdup(char **out, const uint8_t *p, size_t len, const char *what,
    denai_err *err)
{
	char *s;

	*out = NULL;
	if (len > 0 && memchr(p, '\0', len) != NULL)
		return denai_err_set(err, DENAI_EDATA, "%s holds a NUL byte",
		    what);
	if ((s = malloc(len + 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	*out = s;
	return 0;
}

struct tparse {
	int64_t *dims;
	size_t ndims, capdims;
	int64_t dtype;
	const uint8_t *raw;
	size_t rawlen;
	int has_raw;
	uint32_t *f32;		/* float_data bits */
	size_t nf32, capf32;
	int64_t *i32;		/* int32_data, as varints */
	size_t ni32, capi32;
	int64_t *i64;
	size_t ni64, capi64;
	uint64_t *f64;		/* double_data bits */
	size_t nf64, capf64;
	uint64_t *u64;
	size_t nu64, capu64;
	const uint8_t **sp;	/* string_data */
	size_t *sl;
	size_t ns, caps;
	int external;
};

static void
tparse_free(struct tparse *tp)
{
	free(tp->dims);
	free(tp->f32);
	free(tp->i32);
	free(tp->i64);
	free(tp->f64);
	free(tp->u64);
	free(tp->sp);
	free(tp->sl);
}

static int
add_string(struct tparse *tp, const uint8_t *p, size_t len)
{
	if (tp->ns == tp->caps) {
		size_t c = tp->caps ? tp->caps * 2 : 8;
		const uint8_t **np;
		size_t *nl;

		if ((np = realloc(tp->sp, c * sizeof(*np))) == NULL)
			return -1;
		tp->sp = np;
		if ((nl = realloc(tp->sl, c * sizeof(*nl))) == NULL)
			return -1;
		tp->sl = nl;
		tp->caps = c;
	}
	tp->sp[tp->ns] = p;
	tp->sl[tp->ns] = len;
	tp->ns++;
	return 0;
}

static int
read_fields(struct tparse *tp, char **name, const uint8_t *buf, size_t len,
    denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	denai_pb_init(&r, buf, len, "TensorProto", tensor_fields,
	    sizeof(tensor_fields) / sizeof(tensor_fields[0]));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		switch (f.num) {
		case 1:
			if (denai_pb_repeated(&r, &f, DENAI_PB_VARINT,
			    (void **)&tp->dims, &tp->ndims, &tp->capdims,
			    DENAI_MAX_RANK + 1, err) != 0)
				return -1;
			break;
		case 2:
			if (f.wire != DENAI_PB_VARINT)
				goto badwire;
			tp->dtype = (int64_t)f.v;
			break;
		case 3:
			return denai_pb_fail(&r, f.num, err, DENAI_EUNSUP,
			    "segmented tensors are not supported");
		case 4:
			if (denai_pb_repeated(&r, &f, DENAI_PB_I32,
			    (void **)&tp->f32, &tp->nf32, &tp->capf32,
			    MAX_VALUES, err) != 0)
				return -1;
			break;
		case 5:
			if (denai_pb_repeated(&r, &f, DENAI_PB_VARINT,
			    (void **)&tp->i32, &tp->ni32, &tp->capi32,
			    MAX_VALUES, err) != 0)
				return -1;
			break;
		case 6:
			if (f.wire != DENAI_PB_LEN)
				goto badwire;
			if (add_string(tp, f.data, f.len) != 0)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			break;
		case 7:
			if (denai_pb_repeated(&r, &f, DENAI_PB_VARINT,
			    (void **)&tp->i64, &tp->ni64, &tp->capi64,
			    MAX_VALUES, err) != 0)
				return -1;
			break;
		case 8:
			if (f.wire != DENAI_PB_LEN)
				goto badwire;
			if (name != NULL) {
				free(*name);
				if (denai_pb_strdup(name, f.data, f.len,
				    "tensor name", err) != 0)
					return -1;
			}
			break;
		case 9:
			if (f.wire != DENAI_PB_LEN)
				goto badwire;
			tp->raw = f.data;
			tp->rawlen = f.len;
			tp->has_raw = 1;
			break;
		case 10:
			if (denai_pb_repeated(&r, &f, DENAI_PB_I64,
			    (void **)&tp->f64, &tp->nf64, &tp->capf64,
			    MAX_VALUES, err) != 0)
				return -1;
			break;
		case 11:
			if (denai_pb_repeated(&r, &f, DENAI_PB_VARINT,
			    (void **)&tp->u64, &tp->nu64, &tp->capu64,
			    MAX_VALUES, err) != 0)
				return -1;
			break;
		case 13:
			tp->external = 1;
			break;
		case 14:
			if (f.wire == DENAI_PB_VARINT && f.v == 1)
				tp->external = 1;
			break;
		default:
			break;
		}
		continue;
badwire:
		return denai_pb_fail(&r, f.num, err, DENAI_EDATA,
		    "unexpected wire type %d", f.wire);
	}
	return rc;
}

/* Fills t's elements from the typed field that dtype uses. */
static int
fill_typed(denai_tensor *t, const struct tparse *tp, denai_err *err)
{
	size_t n = t->count, have;

	switch (t->dtype) {
	case DENAI_DT_FLOAT:	have = tp->nf32; break;
	case DENAI_DT_DOUBLE:	have = tp->nf64; break;
	case DENAI_DT_INT64:	have = tp->ni64; break;
	case DENAI_DT_STRING:	have = tp->ns; break;
	default:		have = tp->ni32; break;
	}
	if (have != n)
		return denai_err_set(err, DENAI_EDATA,
		    "%zu values for %zu elements", have, n);
	for (size_t i = 0; i < n; i++) {
		switch (t->dtype) {
		case DENAI_DT_FLOAT:
			memcpy(&DENAI_T_F32(t)[i], &tp->f32[i], 4);
			break;
		case DENAI_DT_DOUBLE:
			memcpy(&DENAI_T_F64(t)[i], &tp->f64[i], 8);
			break;
		case DENAI_DT_INT64:
			DENAI_T_I64(t)[i] = tp->i64[i];
			break;
		case DENAI_DT_INT32:
			DENAI_T_I32(t)[i] = (int32_t)tp->i32[i];
			break;
		case DENAI_DT_BOOL:
			DENAI_T_U8(t)[i] = tp->i32[i] != 0;
			break;
		case DENAI_DT_UINT8:
			DENAI_T_U8(t)[i] = (uint8_t)tp->i32[i];
			break;
		case DENAI_DT_INT8:
			((int8_t *)t->data)[i] = (int8_t)tp->i32[i];
			break;
		case DENAI_DT_STRING:
			if (denai_pb_strdup(&DENAI_T_STR(t)[i], tp->sp[i],
			    tp->sl[i], "string element", err) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

int
denai_tensor_parse(denai_tensor *t, char **name, const uint8_t *buf,
    size_t len, denai_err *err)
{
	struct tparse tp;
	char *nm = NULL;
	int rc = -1;
	size_t esz, count = 1;

	memset(&tp, 0, sizeof(tp));
	tp.dtype = DENAI_DT_UNDEFINED;
	if (read_fields(&tp, &nm, buf, len, err) != 0)
		goto out;
	if (tp.external) {
		denai_err_set(err, DENAI_EUNSUP,
		    "external tensor data is not supported");
		goto out;
	}
	esz = denai_dtype_size((int)tp.dtype);
	if (esz == 0 || tp.dtype != (int)tp.dtype) {
		denai_err_set(err, DENAI_EUNSUP,
		    "unsupported element type %s (%lld)",
		    denai_dtype_name((int)tp.dtype), (long long)tp.dtype);
		goto out;
	}
	if (tp.ndims > DENAI_MAX_RANK) {
		denai_err_set(err, DENAI_EUNSUP, "rank over %d",
		    DENAI_MAX_RANK);
		goto out;
	}
	for (size_t i = 0; i < tp.ndims; i++) {
		if (tp.dims[i] < 0) {
			denai_err_set(err, DENAI_EDATA, "negative dimension "
			    "%lld", (long long)tp.dims[i]);
			goto out;
		}
		if (tp.dims[i] != 0 &&
		    count > MAX_VALUES / (uint64_t)tp.dims[i]) {
			denai_err_set(err, DENAI_EDATA,
			    "too many elements");
			goto out;
		}
		count *= (size_t)tp.dims[i];
	}
	/* Never allocate more than the data present can fill. */
	if (tp.has_raw) {
		if (tp.dtype == DENAI_DT_STRING) {
			denai_err_set(err, DENAI_EDATA,
			    "raw_data for a string tensor");
			goto out;
		}
		if (tp.rawlen / esz != count || tp.rawlen % esz != 0) {
			denai_err_set(err, DENAI_EDATA,
			    "raw_data of %zu bytes for %zu %s elements",
			    tp.rawlen, count, denai_dtype_name((int)tp.dtype));
			goto out;
		}
	} else if (count > tp.nf32 + tp.ni32 + tp.ni64 + tp.nf64 + tp.ns) {
		denai_err_set(err, DENAI_EDATA, "%zu values for %zu elements",
		    tp.nf32 + tp.ni32 + tp.ni64 + tp.nf64 + tp.ns, count);
		goto out;
	}
	if (denai_tensor_reshape(t, (int)tp.dtype, (int)tp.ndims, tp.dims,
	    err) != 0)
		goto out;
	if (tp.has_raw) {
		if (count > 0)
			memcpy(t->data, tp.raw, tp.rawlen);
		if (t->dtype == DENAI_DT_BOOL)
			for (size_t i = 0; i < count; i++)
				DENAI_T_U8(t)[i] = DENAI_T_U8(t)[i] != 0;
	} else if (fill_typed(t, &tp, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0 && nm != NULL && err != NULL)
		denai_err_prefix(err, "tensor %s", nm);
	if (rc == 0 && name != NULL) {
		*name = nm;
		nm = NULL;
	}
	free(nm);
	tparse_free(&tp);
	return rc;
}
