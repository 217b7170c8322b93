/*
 * test_onnx_ops.h - helpers of the kernel tests (test_onnx_ops*.c): build
 * tensors and nodes, run an op as the runtime would, compare outputs.
 * Header-only, static; include after tap.h.
 */
#ifndef DENAI_TEST_ONNX_OPS_H
#define DENAI_TEST_ONNX_OPS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "onnx/node.h"

#define D(...) ((const int64_t[]){ __VA_ARGS__ })
#define F(...) ((const float[]){ __VA_ARGS__ })
#define DB(...) ((const double[]){ __VA_ARGS__ })
#define I32(...) ((const int32_t[]){ __VA_ARGS__ })
#define I64(...) ((const int64_t[]){ __VA_ARGS__ })
#define U8(...) ((const uint8_t[]){ __VA_ARGS__ })

static denai_tensor *pool[512];
static int npool;

/* A tensor of dtype and shape holding data (count elements), kept in the
 * pool freed at exit. Strings are duplicated. */
__attribute__((unused)) static denai_tensor *
mk(int dt, int rank, const int64_t *dims, const void *data)
{
	denai_tensor *t = denai_tensor_new();
	denai_err err;

	if (t == NULL || denai_tensor_reshape(t, dt, rank, dims, &err) != 0) {
		diag("mk: %s", err.msg);
		exit(1);
	}
	if (dt == DENAI_DT_STRING)
		for (size_t i = 0; i < t->count; i++)
			DENAI_T_STR(t)[i] = strdup(((char *const *)data)[i]);
	else if (data != NULL && t->count > 0)
		memcpy(t->data, data, t->count * denai_dtype_size(dt));
	pool[npool++] = t;
	return t;
}

__attribute__((unused)) static denai_tensor *
out_t(void)
{
	return mk(DENAI_DT_FLOAT, 0, NULL, NULL);
}

__attribute__((unused)) static denai_attr
a_int(const char *name, int64_t v)
{
	denai_attr a;

	memset(&a, 0, sizeof(a));
	a.name = (char *)name;
	a.type = DENAI_AT_INT;
	a.i = v;
	return a;
}

__attribute__((unused)) static denai_attr
a_float(const char *name, float v)
{
	denai_attr a = a_int(name, 0);

	a.type = DENAI_AT_FLOAT;
	a.f = v;
	return a;
}

__attribute__((unused)) static denai_attr
a_ints(const char *name, const int64_t *v, size_t n)
{
	denai_attr a = a_int(name, 0);

	a.type = DENAI_AT_INTS;
	a.ints = (int64_t *)v;
	a.n = n;
	return a;
}

__attribute__((unused)) static denai_attr
a_str(const char *name, const char *s)
{
	denai_attr a = a_int(name, 0);

	a.type = DENAI_AT_STRING;
	a.s = (char *)s;
	a.slen = strlen(s);
	return a;
}

static denai_err err;

/*
 * Runs op (opset) named "t" on in[0..nin) (NULL: absent) into out[0..nout)
 * as the runtime would: find, prepare, run, free the state.
 * Returns: 0 or -1 with the global err filled.
 */
__attribute__((unused)) static int
call(const char *op, int opset, const denai_attr *attrs, int na, int nin,
    denai_tensor **in, int nout, denai_tensor **out)
{
	char name[] = "t", type[64], dom[] = "";
	int ins[8], outs[4], rc;
	const denai_op *o;
	denai_node n;

	memset(&n, 0, sizeof(n));
	memset(&err, 0, sizeof(err));
	snprintf(type, sizeof(type), "%s", op);
	n.name = name;
	n.op_type = type;
	n.domain = dom;
	n.opset = opset;
	n.nin = nin;
	n.nout = nout;
	for (int i = 0; i < nin; i++)
		ins[i] = in[i] != NULL ? i : -1;
	for (int i = 0; i < nout; i++)
		outs[i] = out[i] != NULL ? 10 + i : -1;
	n.in = ins;
	n.out = outs;
	n.attrs = (denai_attr *)attrs;
	n.nattrs = na;
	if ((o = denai_op_find("", op, opset)) == NULL)
		return denai_err_set(&err, DENAI_EUNSUP, "no op %s-%d", op,
		    opset);
	if (nin < o->min_in || nin > o->max_in)
		return denai_err_set(&err, DENAI_EDATA, "input count");
	n.op = o;
	rc = o->prepare != NULL ? o->prepare(&n, &err) : 0;
	if (rc == 0)
		rc = o->run(&n, (const denai_tensor *const *)in, out, &err);
	if (o->free_state != NULL)
		o->free_state(n.state);
	return rc;
}

/* One-output call with inputs listed. */
#define RUN(op, opset, attrs, na, y, ...)				\
	call(op, opset, attrs, na,					\
	    (int)(sizeof((denai_tensor *[]){ __VA_ARGS__ }) /		\
	    sizeof(denai_tensor *)), (denai_tensor *[]){ __VA_ARGS__ },	\
	    1, (denai_tensor *[]){ y })

__attribute__((unused)) static int
shape_is(const denai_tensor *t, int dt, int rank, const int64_t *dims,
    const char *name)
{
	char got[96];

	if (t->dtype != dt || t->rank != rank || (rank > 0 &&
	    memcmp(t->dims, dims, sizeof(int64_t) * (size_t)rank) != 0)) {
		ok(0, "%s: type and shape", name);
		diag("got %s of type %s", denai_tensor_shape_str(got,
		    sizeof(got), t), denai_dtype_name(t->dtype));
		return 0;
	}
	return 1;
}

/* Exact comparison of values (bits for floats, but -0 == +0 and NaN ==
 * NaN), after the type and shape. */
__attribute__((unused)) static void
expect(const denai_tensor *t, int dt, int rank, const int64_t *dims,
    const void *want, const char *name)
{
	size_t esz = denai_dtype_size(dt);

	if (!shape_is(t, dt, rank, dims, name))
		return;
	for (size_t i = 0; i < t->count; i++) {
		double g = 0, w = 0;
		int same;

		if (dt == DENAI_DT_FLOAT) {
			g = DENAI_T_F32(t)[i];
			w = ((const float *)want)[i];
			same = g == w || (isnan(g) && isnan(w));
		} else if (dt == DENAI_DT_DOUBLE) {
			g = DENAI_T_F64(t)[i];
			w = ((const double *)want)[i];
			same = g == w || (isnan(g) && isnan(w));
		} else if (dt == DENAI_DT_STRING)
			same = strcmp(DENAI_T_STR(t)[i],
			    ((char *const *)want)[i]) == 0;
		else
			same = memcmp((const char *)t->data + i * esz,
			    (const char *)want + i * esz, esz) == 0;
		if (!same) {
			ok(0, "%s", name);
			diag("element %zu: got %.9g want %.9g", i, g, w);
			return;
		}
	}
	ok(1, "%s", name);
}

/* Floats within a relative 1e-6 (for the transcendental ops). */
__attribute__((unused)) static void
expect_near(const denai_tensor *t, int rank, const int64_t *dims,
    const double *want, const char *name)
{
	if (!shape_is(t, DENAI_DT_FLOAT, rank, dims, name))
		return;
	for (size_t i = 0; i < t->count; i++) {
		double g = DENAI_T_F32(t)[i];

		if (!(fabs(g - want[i]) <= 1e-6 * fabs(want[i]) + 1e-7) &&
		    !(isnan(g) && isnan(want[i])) && g != want[i]) {
			ok(0, "%s", name);
			diag("element %zu: got %.9g want %.9g", i, g, want[i]);
			return;
		}
	}
	ok(1, "%s", name);
}

__attribute__((unused)) static void
fails(int rc, const char *want, const char *name)
{
	ok(rc == -1, "%s fails", name);
	is_str(err.msg, want, name);
}

#define FT DENAI_DT_FLOAT

#endif
