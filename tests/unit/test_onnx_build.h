/*
 * test_onnx_build.h - a tiny protobuf writer for building ONNX models and
 * tensors inside tests (header only). Every buffer is a struct pbw; a
 * message is built in its own pbw and appended to its parent with pw_msg
 * (which frees the child). Out of memory aborts: these are tests.
 *
 *   struct pbw g = PBW, m = PBW;
 *   pw_node(&g, "Relu", "n0", (const char *[]){"x", NULL},
 *       (const char *[]){"y", NULL}, NULL);
 *   pw_value(&g, 11, "x", DENAI_DT_FLOAT, (int64_t[]){-1, 3}, 2);
 *   pw_value(&g, 12, "y", DENAI_DT_FLOAT, (int64_t[]){-1, 3}, 2);
 *   pw_model(&m, &g, 13, 0);   -> m.b, m.n
 */
#ifndef TEST_ONNX_BUILD_H
#define TEST_ONNX_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pbw {
	uint8_t *b;
	size_t n, cap;
};
#define PBW { NULL, 0, 0 }

__attribute__((unused)) static void
pw_raw(struct pbw *w, const void *p, size_t n)
{
	if (w->n + n > w->cap) {
		w->cap = (w->n + n) * 2 + 64;
		if ((w->b = realloc(w->b, w->cap)) == NULL)
			abort();
	}
	if (n > 0)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

__attribute__((unused)) static void
pw_varint(struct pbw *w, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	pw_raw(w, b, n);
}

__attribute__((unused)) static void
pw_key(struct pbw *w, unsigned field, unsigned wire)
{
	pw_varint(w, (uint64_t)field << 3 | wire);
}

__attribute__((unused)) static void
pw_int(struct pbw *w, unsigned field, int64_t v)
{
	pw_key(w, field, 0);
	pw_varint(w, (uint64_t)v);
}

__attribute__((unused)) static void
pw_float(struct pbw *w, unsigned field, float f)
{
	pw_key(w, field, 5);
	pw_raw(w, &f, 4);
}

__attribute__((unused)) static void
pw_bytes(struct pbw *w, unsigned field, const void *p, size_t n)
{
	pw_key(w, field, 2);
	pw_varint(w, n);
	pw_raw(w, p, n);
}

__attribute__((unused)) static void
pw_str(struct pbw *w, unsigned field, const char *s)
{
	pw_bytes(w, field, s, strlen(s));
}

/* Appends child as a length-delimited field and frees it. */
__attribute__((unused)) static void
pw_msg(struct pbw *w, unsigned field, struct pbw *child)
{
	pw_bytes(w, field, child->b, child->n);
	free(child->b);
	child->b = NULL;
	child->n = child->cap = 0;
}

/* A TensorProto: dims, data_type, name, raw_data (count * esz bytes). */
__attribute__((unused)) static void
pw_tensor(struct pbw *t, const char *name, int dtype, const int64_t *dims,
    int rank, const void *raw, size_t rawlen)
{
	for (int i = 0; i < rank; i++)
		pw_int(t, 1, dims[i]);
	pw_int(t, 2, dtype);
	if (name != NULL)
		pw_str(t, 8, name);
	pw_bytes(t, 9, raw, rawlen);
}

/* An initializer (GraphProto field 5). */
__attribute__((unused)) static void
pw_init(struct pbw *g, const char *name, int dtype, const int64_t *dims,
    int rank, const void *raw, size_t rawlen)
{
	struct pbw t = PBW;

	pw_tensor(&t, name, dtype, dims, rank, raw, rawlen);
	pw_msg(g, 5, &t);
}

/* A ValueInfoProto as graph field 11 (input) or 12 (output); a dim < 0 is
 * written as dim_param "N"; rank < 0 writes no shape. */
__attribute__((unused)) static void
pw_value(struct pbw *g, unsigned field, const char *name, int dtype,
    const int64_t *dims, int rank)
{
	struct pbw vi = PBW, ty = PBW, tt = PBW, sh = PBW;

	pw_str(&vi, 1, name);
	pw_int(&tt, 1, dtype);
	if (rank >= 0) {
		for (int i = 0; i < rank; i++) {
			struct pbw d = PBW;

			if (dims[i] < 0)
				pw_str(&d, 2, "N");
			else
				pw_int(&d, 1, dims[i]);
			pw_msg(&sh, 1, &d);
		}
		pw_msg(&tt, 2, &sh);
	}
	pw_msg(&ty, 1, &tt);
	pw_msg(&vi, 2, &ty);
	pw_msg(g, field, &vi);
}

/* Attribute builders for pw_node's attrs (each an AttributeProto). */
__attribute__((unused)) static void
pw_attr_int(struct pbw *attrs, const char *name, int64_t v)
{
	struct pbw a = PBW;

	pw_str(&a, 1, name);
	pw_int(&a, 20, 2);
	pw_int(&a, 3, v);
	pw_msg(attrs, 5, &a);
}

__attribute__((unused)) static void
pw_attr_float(struct pbw *attrs, const char *name, float v)
{
	struct pbw a = PBW;

	pw_str(&a, 1, name);
	pw_int(&a, 20, 1);
	pw_float(&a, 2, v);
	pw_msg(attrs, 5, &a);
}

__attribute__((unused)) static void
pw_attr_str(struct pbw *attrs, const char *name, const char *v)
{
	struct pbw a = PBW;

	pw_str(&a, 1, name);
	pw_int(&a, 20, 3);
	pw_str(&a, 4, v);
	pw_msg(attrs, 5, &a);
}

__attribute__((unused)) static void
pw_attr_ints(struct pbw *attrs, const char *name, const int64_t *v, int n)
{
	struct pbw a = PBW;

	pw_str(&a, 1, name);
	pw_int(&a, 20, 7);
	for (int i = 0; i < n; i++)
		pw_int(&a, 8, v[i]);
	pw_msg(attrs, 5, &a);
}

__attribute__((unused)) static void
pw_attr_floats(struct pbw *attrs, const char *name, const float *v, int n)
{
	struct pbw a = PBW;

	pw_str(&a, 1, name);
	pw_int(&a, 20, 6);
	for (int i = 0; i < n; i++)
		pw_float(&a, 7, v[i]);
	pw_msg(attrs, 5, &a);
}

__attribute__((unused)) static void
pw_attr_strings(struct pbw *attrs, const char *name, const char *const *v,
    int n)
{
	struct pbw a = PBW;

	pw_str(&a, 1, name);
	pw_int(&a, 20, 8);
	for (int i = 0; i < n; i++)
		pw_str(&a, 9, v[i]);
	pw_msg(attrs, 5, &a);
}

/* A NodeProto (graph field 1). in/out: NULL-terminated name lists;
 * attrs: a pbw of attribute fields from pw_attr_* (freed), or NULL;
 * domain may be NULL. */
__attribute__((unused)) static void
pw_node(struct pbw *g, const char *op, const char *name,
    const char *const *in, const char *const *out, struct pbw *attrs,
    const char *domain)
{
	struct pbw nd = PBW;

	for (int i = 0; in != NULL && in[i] != NULL; i++)
		pw_str(&nd, 1, in[i]);
	for (int i = 0; out != NULL && out[i] != NULL; i++)
		pw_str(&nd, 2, out[i]);
	if (name != NULL)
		pw_str(&nd, 3, name);
	pw_str(&nd, 4, op);
	if (attrs != NULL) {
		pw_raw(&nd, attrs->b, attrs->n);
		free(attrs->b);
		attrs->b = NULL;
		attrs->n = attrs->cap = 0;
	}
	if (domain != NULL)
		pw_str(&nd, 7, domain);
	pw_msg(g, 1, &nd);
}

/* A ModelProto around graph g (freed): ir_version 8, opset imports for
 * ai.onnx (opset) and, when ml > 0, ai.onnx.ml. */
__attribute__((unused)) static void
pw_model(struct pbw *m, struct pbw *g, int opset, int ml)
{
	struct pbw o = PBW;

	pw_int(m, 1, 8);
	pw_str(m, 2, "test");
	pw_str(&o, 1, "");
	pw_int(&o, 2, opset);
	pw_msg(m, 8, &o);
	if (ml > 0) {
		pw_str(&o, 1, "ai.onnx.ml");
		pw_int(&o, 2, ml);
		pw_msg(m, 8, &o);
	}
	pw_str(g, 2, "g");
	pw_msg(m, 7, g);
}

#endif
