/* data/limits.c - the protocol's limits and the checks of a model. */
#include "data/limits.h"

#include <string.h>

static const struct denai_limits v1 = {
	.version = 1,
	.model_bytes = (size_t)16 << 20,
	.model_nodes = 10000,
	.tensor_elems = (uint64_t)1 << 24,
	.work_per_row = (uint64_t)1 << 26,
	.csv = {
		.max_bytes = (size_t)64 << 20,
		.max_line = (size_t)1 << 20,
		.max_rows = 1000000,
		.max_cols = 1024,
	},
};

const struct denai_limits *
denai_limits_get(unsigned version)
{
	return version == 1 ? &v1 : NULL;
}

/* a + b, stopping at UINT64_MAX. */
static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
	return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* The elements of a declared shape's fixed dims (symbolic ones as 1). */
static uint64_t
declared(const denai_value_info *vi)
{
	uint64_t n = 1;

	for (int d = 0; d < vi->rank; d++)
		if (vi->dims[d] > 0)
			n = sat_mul(n, (uint64_t)vi->dims[d]);
	return n;
}

static uint64_t
attr_elems(const denai_attr *a)
{
	switch (a->type) {
	case DENAI_AT_FLOATS:
	case DENAI_AT_INTS:
	case DENAI_AT_STRINGS:
		return a->n;
	case DENAI_AT_TENSOR:
		return a->t != NULL ? a->t->count : 0;
	default:
		return 1;
	}
}

static const char *
node_name(const denai_node *n)
{
	return n->name[0] != '\0' ? n->name : n->op_type;
}

int
denai_limits_check_model(const struct denai_limits *l, const denai_model *m,
    denai_err *err)
{
	if ((size_t)m->nnodes > l->model_nodes)
		return denai_err_set(err, DENAI_EDATA, "the model has %d nodes, "
		    "over the limit of %zu", m->nnodes, l->model_nodes);
	for (int i = 0; i < m->ninits; i++)
		if (m->inits[i]->count > l->tensor_elems)
			return denai_err_set(err, DENAI_EDATA, "initializer '%.60s'"
			    " has %zu elements, over the limit of %llu",
			    m->init_names[i], m->inits[i]->count,
			    (unsigned long long)l->tensor_elems);
	for (int i = 0; i < m->nnodes; i++) {
		const denai_node *n = &m->nodes[i];

		for (int k = 0; k < n->nattrs; k++)
			if (attr_elems(&n->attrs[k]) > l->tensor_elems)
				return denai_err_set(err, DENAI_EDATA, "node "
				    "'%.60s': attribute %.40s has %llu elements, "
				    "over the limit of %llu", node_name(n),
				    n->attrs[k].name, (unsigned long long)
				    attr_elems(&n->attrs[k]),
				    (unsigned long long)l->tensor_elems);
	}
	for (int i = 0; i < m->ninputs + m->noutputs; i++) {
		const denai_value_info *vi = i < m->ninputs ? &m->inputs[i] :
		    &m->outputs[i - m->ninputs];

		if (declared(vi) > l->tensor_elems)
			return denai_err_set(err, DENAI_EDATA, "'%.60s' is "
			    "declared with %llu elements, over the limit of "
			    "%llu", vi->name, (unsigned long long)declared(vi),
			    (unsigned long long)l->tensor_elems);
	}
	return 0;
}

/* Elements of the named value of the last run (0 when absent). */
static uint64_t
value_elems(const denai_graph *g, const char *name, const denai_tensor **t)
{
	*t = name[0] != '\0' ? denai_graph_value(g, name) : NULL;
	return *t != NULL ? (*t)->count : 0;
}

/* Multiply-adds of a MatMul, Gemm or Conv beyond its inputs and outputs. */
static uint64_t
reduction(const denai_node *n, const denai_tensor *a, const denai_tensor *w,
    uint64_t out)
{
	int64_t k = 0, trans = 0;

	if (a == NULL || a->rank < 1)
		return 0;
	if (strcmp(n->op_type, "MatMul") == 0)
		k = a->dims[a->rank - 1];
	else if (strcmp(n->op_type, "Gemm") == 0 && a->rank == 2) {
		const denai_attr *ta = denai_node_attr(n, "transA");

		trans = ta != NULL && ta->type == DENAI_AT_INT ? ta->i : 0;
		k = a->dims[trans ? 0 : 1];
	} else if (strcmp(n->op_type, "Conv") == 0 && w != NULL &&
	    w->rank >= 1 && w->dims[0] > 0)
		k = (int64_t)(w->count / (size_t)w->dims[0]);
	return k > 0 ? sat_mul(out, (uint64_t)k) : 0;
}

int
denai_limits_check_run(const struct denai_limits *l, const denai_graph *g,
    uint64_t *work, denai_err *err)
{
	const denai_model *m = denai_graph_model(g);
	uint64_t w = 0;

	for (int i = 0; i < m->nnodes; i++) {
		const denai_node *n = &m->nodes[i];
		const denai_tensor *t, *in0 = NULL, *in1 = NULL;
		uint64_t out = 0, e;

		for (int k = 0; k < n->nin + n->nout; k++) {
			const char *name = k < n->nin ? m->io[i].in[k] :
			    m->io[i].out[k - n->nin];

			e = value_elems(g, name, &t);
			if (e > l->tensor_elems)
				return denai_err_set(err, DENAI_EDATA, "value "
				    "'%.60s' has %llu elements for one row, over "
				    "the limit of %llu", name,
				    (unsigned long long)e,
				    (unsigned long long)l->tensor_elems);
			if (k == 0)
				in0 = t;
			else if (k == 1 && n->nin > 1)
				in1 = t;
			if (k == n->nin)
				out = e;
			w = sat_add(w, e);
		}
		for (int k = 0; k < n->nattrs; k++)
			w = sat_add(w, attr_elems(&n->attrs[k]));
		w = sat_add(w, reduction(n, in0, in1, out));
	}
	if (work != NULL)
		*work = w;
	if (w > l->work_per_row)
		return denai_err_set(err, DENAI_EDATA, "the model's work per row "
		    "is %llu, over the limit of %llu", (unsigned long long)w,
		    (unsigned long long)l->work_per_row);
	return 0;
}
