/* onnx/predict_out.c - outputs as JSON, and the on-chain prediction. */
#include "onnx/predict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static json_t *
elem_json(const denai_tensor *t, size_t i)
{
	double d;

	switch (t->dtype) {
	case DENAI_DT_FLOAT:
	case DENAI_DT_DOUBLE:
		d = t->dtype == DENAI_DT_FLOAT ? DENAI_T_F32(t)[i] :
		    DENAI_T_F64(t)[i];
		return isfinite(d) ? json_real(d) : json_null();
	case DENAI_DT_INT64:	return json_integer(DENAI_T_I64(t)[i]);
	case DENAI_DT_INT32:	return json_integer(DENAI_T_I32(t)[i]);
	case DENAI_DT_INT8:	return json_integer(((int8_t *)t->data)[i]);
	case DENAI_DT_UINT8:	return json_integer(DENAI_T_U8(t)[i]);
	case DENAI_DT_BOOL:	return json_boolean(DENAI_T_U8(t)[i]);
	case DENAI_DT_STRING:
		return json_string(DENAI_T_STR(t)[i] ? DENAI_T_STR(t)[i] : "");
	default:		return json_null();
	}
}

/* Nested arrays of t's elements from *at, dims from depth on. */
static json_t *
nest(const denai_tensor *t, int depth, size_t *at)
{
	json_t *a;

	if (depth == t->rank)
		return elem_json(t, (*at)++);
	if ((a = json_array()) == NULL)
		return NULL;
	for (int64_t i = 0; i < t->dims[depth]; i++) {
		json_t *v = nest(t, depth + 1, at);

		if (v == NULL || json_array_append_new(a, v) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* A ZipMap output: one {label: probability} object per row. */
static json_t *
zipmap_json(const denai_node *n, const denai_tensor *t, denai_err *err)
{
	const denai_attr *ls = denai_node_attr(n, "classlabels_strings");
	const denai_attr *li = denai_node_attr(n, "classlabels_int64s");
	size_t rows, cols, nl;
	json_t *list;

	nl = ls != NULL ? ls->n : li != NULL ? li->n : 0;
	if (t->rank != 2 && t->rank != 1)
		return denai_err_set(err, DENAI_EDATA, "ZipMap output of rank "
		    "%d", t->rank), NULL;
	rows = t->rank == 2 ? (size_t)t->dims[0] : 1;
	cols = (size_t)t->dims[t->rank - 1];
	if (cols != nl)
		return denai_err_set(err, DENAI_EDATA, "ZipMap has %zu labels "
		    "for %zu columns", nl, cols), NULL;
	if ((list = json_array()) == NULL)
		return NULL;
	for (size_t r = 0; r < rows; r++) {
		json_t *o = json_object();

		if (o == NULL || json_array_append_new(list, o) != 0)
			goto nomem;
		for (size_t c = 0; c < cols; c++) {
			char key[32];
			const char *k = key;

			if (ls != NULL)
				k = ls->strings[c];
			else
				snprintf(key, sizeof(key), "%lld",
				    (long long)li->ints[c]);
			if (json_object_set_new(o, k,
			    elem_json(t, r * cols + c)) != 0)
				goto nomem;
		}
	}
	return list;
nomem:
	json_decref(list);
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return NULL;
}

static int
is_zipmap(const denai_node *n)
{
	return n != NULL && strcmp(n->op_type, "ZipMap") == 0 &&
	    strcmp(n->domain, "ai.onnx.ml") == 0;
}

int
denai_predict_outputs(const denai_graph *g, json_t **out, denai_err *err)
{
	json_t *o;

	if ((*out = o = json_object()) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (int i = 0; i < denai_graph_noutputs(g); i++) {
		const denai_tensor *t = denai_graph_output(g, i);
		const denai_node *n = denai_graph_output_node(g, i);
		size_t at = 0;
		json_t *v;

		v = is_zipmap(n) ? zipmap_json(n, t, err) : nest(t, 0, &at);
		if (v == NULL || json_object_set_new(o,
		    denai_graph_output_info(g, i)->name, v) != 0) {
			json_decref(o);
			*out = NULL;
			if (err != NULL && err->code != DENAI_OK && v == NULL)
				return -1;
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		}
	}
	return 0;
}

/* ---- the on-chain value ---- */

static void
shl(denai_u256 *a, unsigned k)
{
	for (; k >= 64; k -= 64) {
		a->w[3] = a->w[2];
		a->w[2] = a->w[1];
		a->w[1] = a->w[0];
		a->w[0] = 0;
	}
	if (k == 0)
		return;
	for (int i = 3; i > 0; i--)
		a->w[i] = a->w[i] << k | a->w[i - 1] >> (64 - k);
	a->w[0] <<= k;
}

static void
shr(denai_u256 *a, unsigned k)
{
	if (k >= 256) {
		memset(a, 0, sizeof(*a));
		return;
	}
	for (; k >= 64; k -= 64) {
		a->w[0] = a->w[1];
		a->w[1] = a->w[2];
		a->w[2] = a->w[3];
		a->w[3] = 0;
	}
	if (k == 0)
		return;
	for (int i = 0; i < 3; i++)
		a->w[i] = a->w[i] >> k | a->w[i + 1] << (64 - k);
	a->w[3] >>= k;
}

static int
bit(const denai_u256 *a, unsigned k)
{
	return k < 256 ? (int)(a->w[k / 64] >> (k % 64) & 1) : 0;
}

/* Returns: the number of significant bits of a. */
static unsigned
bitlen(const denai_u256 *a)
{
	for (int i = 3; i >= 0; i--)
		if (a->w[i] != 0)
			return (unsigned)(64 * i + 64 -
			    __builtin_clzll(a->w[i]));
	return 0;
}

/* r = -q or q as int256; fails when |result| is over the int256 range. */
static int
to_int256(denai_u256 *r, const denai_u256 *q, int neg, denai_err *err)
{
	denai_u256 zero;
	unsigned bl = bitlen(q);

	/* |v| <= 2^255 - 1, or exactly 2^255 when negative. */
	if (bl > 256 - 1 && !(neg && bl == 256 && q->w[3] == 1ull << 63 &&
	    q->w[2] == 0 && q->w[1] == 0 && q->w[0] == 0))
		return denai_err_set(err, DENAI_EDATA,
		    "prediction does not fit an int256");
	if (!neg || denai_u256_is_zero(q)) {
		*r = *q;
		return 0;
	}
	denai_u256_from_u64(&zero, 0);
	denai_u256_sub(r, &zero, q);
	return 0;
}

int
denai_predict_scale(denai_u256 *r, double v, unsigned decimals,
    denai_err *err)
{
	denai_u256 n;
	int e, neg = v < 0;
	uint64_t m;

	if (!isfinite(v))
		return denai_err_set(err, DENAI_EDATA,
		    "the model's output is not a finite number");
	if (decimals > DENAI_PREDICT_MAX_DECIMALS)
		return denai_err_set(err, DENAI_EUSAGE,
		    "decimals %u is over %d", decimals,
		    DENAI_PREDICT_MAX_DECIMALS);
	/* |v| = m * 2^e exactly, m an integer under 2^53. */
	m = (uint64_t)ldexp(frexp(fabs(v), &e), 53);
	e -= 53;
	while (m != 0 && (m & 1) == 0) {	/* keep n small */
		m >>= 1;
		e++;
	}
	denai_u256_from_u64(&n, m);
	for (unsigned i = 0; i < decimals; i++)
		if (denai_u256_mul_small(&n, &n, 10) != 0)
			return denai_err_set(err, DENAI_EDATA,
			    "prediction does not fit an int256");
	if (e >= 0) {
		if (!denai_u256_is_zero(&n) && bitlen(&n) + (unsigned)e > 255)
			return denai_err_set(err, DENAI_EDATA,
			    "prediction does not fit an int256");
		shl(&n, (unsigned)e);
	} else {
		unsigned k = (unsigned)-e;
		int up = bit(&n, k - 1);	/* remainder >= half */
		denai_u256 one;

		shr(&n, k);
		if (up) {
			denai_u256_from_u64(&one, 1);
			denai_u256_add(&n, &n, &one);
		}
	}
	return to_int256(r, &n, neg, err);
}

/* The index of a string label in the producing node's class labels. */
static int
label_index(const denai_graph *g, int out, const char *s, int64_t *idx,
    denai_err *err)
{
	const denai_node *n = denai_graph_output_node(g, out);
	const denai_attr *a = n ? denai_node_attr(n, "classlabels_strings") :
	    NULL;

	if (a == NULL || a->type != DENAI_AT_STRINGS)
		return denai_err_set(err, DENAI_EDATA,
		    "cannot map the string label %.60s to a number: its node "
		    "has no classlabels_strings", s);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->strings[i], s) == 0) {
			*idx = (int64_t)i;
			return 0;
		}
	return denai_err_set(err, DENAI_EDATA,
	    "the label %.60s is not among the node's classlabels_strings", s);
}

int
denai_predict_value(const denai_graph *g, unsigned decimals,
    char out[DENAI_U256_DEC_MAX], denai_err *err)
{
	int no = denai_graph_noutputs(g), fl = -1;
	denai_u256 r, q;

	for (int i = 0; i < no; i++) {
		const denai_tensor *t = denai_graph_output(g, i);
		int64_t v = 0;

		if (t->count == 0 || is_zipmap(denai_graph_output_node(g, i)))
			continue;
		switch (t->dtype) {
		case DENAI_DT_INT64:	v = DENAI_T_I64(t)[0]; break;
		case DENAI_DT_INT32:	v = DENAI_T_I32(t)[0]; break;
		case DENAI_DT_INT8:	v = ((int8_t *)t->data)[0]; break;
		case DENAI_DT_UINT8:
		case DENAI_DT_BOOL:	v = DENAI_T_U8(t)[0]; break;
		case DENAI_DT_STRING:
			if (label_index(g, i, DENAI_T_STR(t)[0] ?
			    DENAI_T_STR(t)[0] : "", &v, err) != 0)
				return -1;
			break;
		default:
			if (fl < 0 && (t->dtype == DENAI_DT_FLOAT ||
			    t->dtype == DENAI_DT_DOUBLE))
				fl = i;
			continue;
		}
		denai_u256_from_u64(&q, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
		if (to_int256(&r, &q, v < 0, err) != 0)
			return -1;
		denai_u256_to_dec(out, &r);
		return 0;
	}
	if (fl < 0)
		return denai_err_set(err, DENAI_EDATA,
		    "the model has no output to take a prediction from");
	const denai_tensor *t = denai_graph_output(g, fl);
	double v = t->dtype == DENAI_DT_FLOAT ? DENAI_T_F32(t)[0] :
	    DENAI_T_F64(t)[0];

	if (denai_predict_scale(&r, v, decimals, err) != 0)
		return -1;
	denai_u256_to_dec(out, &r);
	return 0;
}
