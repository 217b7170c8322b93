/* onnx/graph.c - building the runtime graph: values, order, operators.
 * It calls graph_values.c (the name table) and graph_run.c (folding and
 * the warm-up run); neither calls back. */
#include "onnx/graph.h"
#include "onnx/fpenv.h"
#include "onnx/graph_impl.h"

#include <stdlib.h>
#include <string.h>

static const char *
domain_name(const char *d)
{
	return d[0] == '\0' ? "ai.onnx" : d;
}

/* ---- building ---- */

static int
define_values(denai_graph *g, denai_err *err)
{
	denai_model *m = g->m;

	for (int i = 0; i < m->ninits; i++) {
		int v = denai_graph_table_add(g, m->init_names[i], -1);

		if (v < 0)
			return denai_err_set(err, DENAI_EDATA,
			    "initializer %s is defined twice",
			    m->init_names[i]);
		g->vals[v].t = m->inits[i];
		g->vals[v].borrowed = 1;
		g->vals[v].is_const = 1;
	}
	if ((g->inputs = calloc((size_t)m->ninputs + 1, sizeof(int))) == NULL ||
	    (g->input_vi = calloc((size_t)m->ninputs + 1,
	    sizeof(int))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (int i = 0; i < m->ninputs; i++) {
		const char *name = m->inputs[i].name;
		int v;

		if (name[0] == '\0')
			return denai_err_set(err, DENAI_EDATA,
			    "graph input %d has no name", i);
		if ((v = denai_graph_find(g, name)) >= 0) {
			if (g->vals[v].borrowed)
				continue;	/* an initializer's default */
			return denai_err_set(err, DENAI_EDATA,
			    "graph input %s is declared twice", name);
		}
		v = denai_graph_table_add(g, name, -1);
		g->vals[v].is_input = 1;
		g->inputs[g->ninputs] = v;
		g->input_vi[g->ninputs] = i;
		g->ninputs++;
	}
	for (int k = 0; k < m->nnodes; k++) {
		denai_node *n = &m->nodes[k];

		if ((n->out = malloc(((size_t)n->nout + 1) *
		    sizeof(int))) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		for (int j = 0; j < n->nout; j++) {
			const char *name = m->io[k].out[j];

			n->out[j] = -1;
			if (name[0] == '\0')
				continue;
			if ((n->out[j] = denai_graph_table_add(g, name, k)) < 0)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "output %s is already defined", name);
		}
	}
	for (int k = 0; k < m->nnodes; k++) {
		denai_node *n = &m->nodes[k];

		if ((n->in = malloc(((size_t)n->nin + 1) *
		    sizeof(int))) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		for (int j = 0; j < n->nin; j++) {
			const char *name = m->io[k].in[j];

			n->in[j] = -1;
			if (name[0] == '\0')
				continue;
			if ((n->in[j] = denai_graph_find(g, name)) < 0)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "input %s is not defined", name);
		}
	}
	if ((g->outputs = calloc((size_t)m->noutputs + 1,
	    sizeof(int))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (int i = 0; i < m->noutputs; i++) {
		int v = denai_graph_find(g, m->outputs[i].name);

		if (v < 0)
			return denai_err_set(err, DENAI_EDATA,
			    "graph output %s is not computed by any node",
			    m->outputs[i].name);
		g->outputs[i] = v;
	}
	return 0;
}

/* Kahn's algorithm, taking the earliest ready node each time, so a file
 * already in order keeps its order. */
static int
order_nodes(denai_graph *g, denai_err *err)
{
	denai_model *m = g->m;
	int *pending, *done, n = m->nnodes, placed = 0;

	if ((g->order = malloc(((size_t)n + 1) * sizeof(int))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	pending = calloc((size_t)n + 1, sizeof(int));
	done = calloc((size_t)g->nvals + 1, sizeof(int));
	if (pending == NULL || done == NULL) {
		free(pending);
		free(done);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	for (int v = 0; v < g->nvals; v++)
		done[v] = g->vals[v].producer < 0;
	for (int cursor = 0; placed < n;) {
		int k, progress = 0;

		for (k = cursor; k < n; k++) {
			denai_node *nd = &m->nodes[k];
			int ready = !pending[k];

			for (int j = 0; ready && j < nd->nin; j++)
				if (nd->in[j] >= 0 && !done[nd->in[j]])
					ready = 0;
			if (!ready)
				continue;
			pending[k] = 1;	/* placed */
			g->order[placed++] = k;
			for (int j = 0; j < nd->nout; j++)
				if (nd->out[j] >= 0)
					done[nd->out[j]] = 1;
			progress = 1;
			break;
		}
		if (!progress) {
			for (k = 0; k < n && pending[k]; k++)
				;
			free(pending);
			free(done);
			return denai_node_fail(&m->nodes[k], err, DENAI_EDATA,
			    "the graph has a cycle through this node");
		}
		/* Restart from the first node not yet placed. */
		while (cursor < n && pending[cursor])
			cursor++;
	}
	free(pending);
	free(done);
	return 0;
}

static const char *
attr_type_name(int t)
{
	switch (t) {
	case 5:		return "graph";
	case 9:		return "tensors";
	case 10:	return "graphs";
	case 11:	return "sparse_tensor";
	case 12:	return "sparse_tensors";
	case 13:	return "type_proto";
	case 14:	return "type_protos";
	default:	return "unknown";
	}
}

static int
resolve_ops(denai_graph *g, denai_err *err)
{
	denai_model *m = g->m;

	for (int k = 0; k < m->nnodes; k++) {
		denai_node *n = &m->nodes[k];
		const denai_op *op;
		int eff = n->nin;

		if (n->opset <= 0)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "domain %s is not imported by the model",
			    domain_name(n->domain));
		op = denai_op_find(n->domain, n->op_type, n->opset);
		if (op == NULL)
			return denai_node_fail(n, err, DENAI_EUNSUP,
			    "unsupported operator %s (domain %s, opset %d)",
			    n->op_type, domain_name(n->domain), n->opset);
		for (int i = 0; i < n->nattrs; i++) {
			int t = n->attrs[i].type;

			if (t < 1 || t > 8 || t == 5)
				return denai_node_fail(n, err, DENAI_EUNSUP,
				    "attribute %s of type %s is not supported",
				    n->attrs[i].name, attr_type_name(t));
		}
		while (eff > 0 && n->in[eff - 1] < 0)
			eff--;
		if (eff < op->min_in ||
		    (op->max_in >= 0 && n->nin > op->max_in))
			return denai_node_fail(n, err, DENAI_EDATA,
			    "%d inputs, expected %d to %d", n->nin,
			    op->min_in, op->max_in);
		if (n->nout < op->min_out ||
		    (op->max_out >= 0 && n->nout > op->max_out))
			return denai_node_fail(n, err, DENAI_EDATA,
			    "%d outputs, expected %d to %d", n->nout,
			    op->min_out, op->max_out);
		for (int i = 0; i < op->min_in; i++)
			if (n->in[i] < 0)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "input %d is required", i);
		if (op->prepare != NULL && op->prepare(n, err) != 0) {
			if (n->state != NULL && op->free_state != NULL)
				op->free_state(n->state);
			n->state = NULL;
			return -1;
		}
		n->op = op;	/* from now on model_free frees the state */
		if (n->nin > g->maxin)
			g->maxin = n->nin;
		if (n->nout > g->maxout)
			g->maxout = n->nout;
	}
	return 0;
}

static int
alloc_values(denai_graph *g, denai_err *err)
{
	for (int v = 0; v < g->nvals; v++)
		if (g->vals[v].t == NULL &&
		    (g->vals[v].t = denai_tensor_new()) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
	g->inbuf = calloc((size_t)g->maxin + 1, sizeof(*g->inbuf));
	g->outbuf = calloc((size_t)g->maxout + 1, sizeof(*g->outbuf));
	g->run = calloc((size_t)g->m->nnodes + 1, sizeof(int));
	if (g->inbuf == NULL || g->outbuf == NULL || g->run == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return 0;
}

/* Runs the nodes whose inputs are all constants once, now. */
static int
fold_constants(denai_graph *g, int fold, denai_err *err)
{
	denai_model *m = g->m;
	denai_fpenv env;
	int rc;

	g->nrun = 0;
	for (int i = 0; i < m->nnodes; i++) {
		int k = g->order[i], isconst = fold;
		denai_node *n = &m->nodes[k];

		for (int j = 0; isconst && j < n->nin; j++)
			if (n->in[j] >= 0 && !g->vals[n->in[j]].is_const)
				isconst = 0;
		if (!isconst) {
			g->run[g->nrun++] = k;
			continue;
		}
		denai_fpenv_enter(&env);
		rc = denai_graph_run_node(g, n, err);
		denai_fpenv_leave(&env);
		if (rc != 0)
			return -1;
		for (int j = 0; j < n->nout; j++)
			if (n->out[j] >= 0) {
				g->vals[n->out[j]].is_const = 1;
				g->vals[n->out[j]].t->is_const = 1;
			}
	}
	return 0;
}

/* Feeds zeros of the declared shapes (symbolic dims as 1) and runs, when
 * every input is a float or double tensor of known rank. */
static int
warm_up(denai_graph *g, denai_err *err)
{
	for (int i = 0; i < g->ninputs; i++) {
		const denai_value_info *vi = denai_graph_input_info(g, i);
		int64_t dims[DENAI_MAX_RANK];
		denai_tensor *t = g->vals[g->inputs[i]].t;

		/* Integer, bool and string inputs may carry shapes, indices
		 * or keys, for which zeros mean nothing: no warm-up then. */
		if (vi->kind != DENAI_VK_TENSOR || vi->rank < 0 ||
		    (vi->dtype != DENAI_DT_FLOAT &&
		    vi->dtype != DENAI_DT_DOUBLE))
			return 0;
		for (int d = 0; d < vi->rank; d++)
			dims[d] = vi->dims[d] < 0 ? 1 : vi->dims[d];
		if (denai_tensor_reshape(t, vi->dtype, vi->rank, dims,
		    err) != 0)
			return -1;
		memset(t->data, 0, t->count * denai_dtype_size(vi->dtype));
	}
	if (denai_graph_run(g, err) != 0)
		return denai_err_prefix(err, "running on zero inputs at load");
	return 0;
}

int
denai_graph_new(denai_graph **gp, denai_model *m, const denai_graph_opts *o,
    denai_err *err)
{
	denai_graph *g;
	size_t nv;

	*gp = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		denai_model_free(m);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	g->m = m;
	nv = (size_t)m->ninits + (size_t)m->ninputs;
	for (int k = 0; k < m->nnodes; k++)
		nv += (size_t)m->nodes[k].nout;
	if ((g->vals = calloc(nv + 1, sizeof(*g->vals))) == NULL ||
	    denai_graph_table_init(g, nv + 1) != 0) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	if (define_values(g, err) != 0 || order_nodes(g, err) != 0 ||
	    resolve_ops(g, err) != 0 || alloc_values(g, err) != 0 ||
	    fold_constants(g, o == NULL || !o->no_fold, err) != 0)
		goto fail;
	if ((o == NULL || !o->no_warmup) && warm_up(g, err) != 0)
		goto fail;
	*gp = g;
	return 0;
fail:
	denai_graph_free(g);
	return -1;
}

int
denai_graph_load_mem(denai_graph **g, const uint8_t *buf, size_t len,
    const denai_graph_opts *o, denai_err *err)
{
	denai_model *m;

	*g = NULL;
	if (denai_model_load_mem(&m, buf, len, o ? o->max_bytes : 0, err) != 0)
		return -1;
	return denai_graph_new(g, m, o, err);
}

int
denai_graph_load_file(denai_graph **g, const char *path,
    const denai_graph_opts *o, denai_err *err)
{
	denai_model *m;

	*g = NULL;
	if (denai_model_load_file(&m, path, o ? o->max_bytes : 0, err) != 0)
		return -1;
	if (denai_graph_new(g, m, o, err) != 0)
		return denai_err_prefix(err, "%s", path);
	return 0;
}

void
denai_graph_free(denai_graph *g)
{
	if (g == NULL)
		return;
	for (int v = 0; v < g->nvals; v++)
		if (!g->vals[v].borrowed)
			denai_tensor_free(g->vals[v].t);
	free(g->vals);
	free(g->slots);
	free(g->order);
	free(g->run);
	free(g->inputs);
	free(g->input_vi);
	free(g->outputs);
	free(g->inbuf);
	free(g->outbuf);
	denai_model_free(g->m);
	free(g);
}
