/* onnx/node.c - node attributes and node-level errors. */
#include "onnx/node.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
attr_type_name(int type)
{
	switch (type) {
	case DENAI_AT_FLOAT:	return "float";
	case DENAI_AT_INT:	return "int";
	case DENAI_AT_STRING:	return "string";
	case DENAI_AT_TENSOR:	return "tensor";
	case DENAI_AT_FLOATS:	return "floats";
	case DENAI_AT_INTS:	return "ints";
	case DENAI_AT_STRINGS:	return "strings";
	default:		return "unknown";
	}
}

const denai_attr *
denai_node_attr(const denai_node *n, const char *name)
{
	for (int i = 0; i < n->nattrs; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return &n->attrs[i];
	return NULL;
}

/* Finds name; fails when present with a type other than want. */
static int
find_typed(const denai_node *n, const char *name, int want,
    const denai_attr **out, denai_err *err)
{
	const denai_attr *a = denai_node_attr(n, name);

	*out = NULL;
	if (a == NULL)
		return 0;
	if (a->type != want)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "attribute %s is of type %s, expected %s", name,
		    attr_type_name(a->type), attr_type_name(want));
	*out = a;
	return 0;
}

int
denai_node_attr_int(const denai_node *n, const char *name, int64_t def,
    int64_t *out, denai_err *err)
{
	const denai_attr *a;

	if (find_typed(n, name, DENAI_AT_INT, &a, err) != 0)
		return -1;
	*out = a != NULL ? a->i : def;
	return 0;
}

int
denai_node_attr_float(const denai_node *n, const char *name, float def,
    float *out, denai_err *err)
{
	const denai_attr *a;

	if (find_typed(n, name, DENAI_AT_FLOAT, &a, err) != 0)
		return -1;
	*out = a != NULL ? a->f : def;
	return 0;
}

int
denai_node_attr_string(const denai_node *n, const char *name,
    const char *def, const char **out, denai_err *err)
{
	const denai_attr *a;

	if (find_typed(n, name, DENAI_AT_STRING, &a, err) != 0)
		return -1;
	*out = a != NULL ? a->s : def;
	return 0;
}

int
denai_node_attr_ints(const denai_node *n, const char *name,
    const int64_t **out, size_t *count, denai_err *err)
{
	const denai_attr *a;

	*out = NULL;
	*count = 0;
	if (find_typed(n, name, DENAI_AT_INTS, &a, err) != 0)
		return -1;
	if (a != NULL) {
		*out = a->ints;
		*count = a->n;
	}
	return 0;
}

int
denai_node_attr_floats(const denai_node *n, const char *name,
    const float **out, size_t *count, denai_err *err)
{
	const denai_attr *a;

	*out = NULL;
	*count = 0;
	if (find_typed(n, name, DENAI_AT_FLOATS, &a, err) != 0)
		return -1;
	if (a != NULL) {
		*out = a->floats;
		*count = a->n;
	}
	return 0;
}

int
denai_node_attr_strings(const denai_node *n, const char *name,
    char *const **out, size_t *count, denai_err *err)
{
	const denai_attr *a;

	*out = NULL;
	*count = 0;
	if (find_typed(n, name, DENAI_AT_STRINGS, &a, err) != 0)
		return -1;
	if (a != NULL) {
		*out = a->strings;
		*count = a->n;
	}
	return 0;
}

int
denai_node_attr_tensor(const denai_node *n, const char *name,
    const denai_tensor **out, denai_err *err)
{
	const denai_attr *a;

	*out = NULL;
	if (find_typed(n, name, DENAI_AT_TENSOR, &a, err) != 0)
		return -1;
	if (a != NULL)
		*out = a->t;
	return 0;
}

int
denai_node_check_attrs(const denai_node *n, const char *const *known,
    denai_err *err)
{
	for (int i = 0; i < n->nattrs; i++) {
		const char *name = n->attrs[i].name;
		size_t k;

		for (k = 0; known != NULL && known[k] != NULL; k++)
			if (strcmp(known[k], name) == 0)
				break;
		if (known == NULL || known[k] == NULL)
			return denai_node_fail(n, err, DENAI_EUNSUP,
			    "unsupported attribute %s", name);
	}
	return 0;
}

int
denai_node_fail(const denai_node *n, denai_err *err, int code,
    const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n->name != NULL && n->name[0] != '\0')
		return denai_err_set(err, code, "node %s (%s): %s", n->name,
		    n->op_type, msg);
	return denai_err_set(err, code, "node (%s): %s", n->op_type, msg);
}

void
denai_attr_clear(denai_attr *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->s);
	denai_tensor_free(a->t);
	free(a->floats);
	free(a->ints);
	if (a->strings != NULL && a->strbuf == NULL)
		for (size_t i = 0; i < a->n; i++)
			free(a->strings[i]);
	free(a->strings);
	free(a->strbuf);
	memset(a, 0, sizeof(*a));
}
