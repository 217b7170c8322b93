/* onnx/graph_run.c - feeding, running and reading a runtime graph. */
#include "onnx/graph.h"
#include "onnx/fpenv.h"
#include "onnx/graph_impl.h"

#include <stdio.h>
#include <string.h>

const denai_model *
denai_graph_model(const denai_graph *g)
{
	return g->m;
}

int
denai_graph_ninputs(const denai_graph *g)
{
	return g->ninputs;
}

const denai_value_info *
denai_graph_input_info(const denai_graph *g, int i)
{
	if (i < 0 || i >= g->ninputs)
		return NULL;
	return &g->m->inputs[g->input_vi[i]];
}

int
denai_graph_input_index(const denai_graph *g, const char *name)
{
	for (int i = 0; i < g->ninputs; i++)
		if (strcmp(g->vals[g->inputs[i]].name, name) == 0)
			return i;
	return -1;
}

denai_tensor *
denai_graph_input(denai_graph *g, int i)
{
	if (i < 0 || i >= g->ninputs)
		return NULL;
	return g->vals[g->inputs[i]].t;
}

int
denai_graph_check_input(const denai_graph *g, int i, const denai_tensor *t,
    denai_err *err)
{
	const denai_value_info *vi = denai_graph_input_info(g, i);
	const char *name;
	char want[128], got[128];

	if (vi == NULL)
		return denai_err_set(err, DENAI_EUSAGE, "no input %d", i);
	name = vi->name;
	if (t->dtype == DENAI_DT_UNDEFINED)
		return denai_err_set(err, DENAI_EUSAGE,
		    "input %s is not set", name);
	if (vi->kind != DENAI_VK_TENSOR)
		return 0;
	if (vi->dtype != DENAI_DT_UNDEFINED && t->dtype != vi->dtype)
		return denai_err_set(err, DENAI_EDATA,
		    "input %s expects %s elements, got %s", name,
		    denai_dtype_name(vi->dtype), denai_dtype_name(t->dtype));
	if (vi->rank < 0)
		return 0;
	int bad = t->rank != vi->rank;

	for (int d = 0; !bad && d < vi->rank; d++)
		if (vi->dims[d] >= 0 && vi->dims[d] != t->dims[d])
			bad = 1;
	if (bad) {
		denai_value_info_shape_str(want, sizeof(want), vi);
		denai_tensor_shape_str(got, sizeof(got), t);
		return denai_err_set(err, DENAI_EDATA,
		    "input %s expects shape %s, got %s", name, want, got);
	}
	return 0;
}

int
denai_graph_set_input(denai_graph *g, int i, const denai_tensor *t,
    denai_err *err)
{
	if (denai_graph_check_input(g, i, t, err) != 0)
		return -1;
	return denai_tensor_copy(g->vals[g->inputs[i]].t, t, err);
}

int
denai_graph_run_node(denai_graph *g, const denai_node *n, denai_err *err)
{
	for (int j = 0; j < n->nin; j++)
		g->inbuf[j] = n->in[j] >= 0 ? g->vals[n->in[j]].t : NULL;
	for (int j = 0; j < n->nout; j++)
		g->outbuf[j] = n->out[j] >= 0 ? g->vals[n->out[j]].t : NULL;
	if (n->op->run(n, g->inbuf, g->outbuf, err) != 0) {
		if (err != NULL && strncmp(err->msg, "node ", 5) != 0)
			denai_node_fail(n, err, err->code, "%s",
			    err->msg);
		return -1;
	}
	return 0;
}

int
denai_graph_run(denai_graph *g, denai_err *err)
{
	denai_fpenv env;
	int rc = 0;

	for (int i = 0; i < g->ninputs; i++)
		if (denai_graph_check_input(g, i, g->vals[g->inputs[i]].t,
		    err) != 0)
			return -1;
	denai_fpenv_enter(&env);	/* IEEE subnormals, whatever the process */
	for (int i = 0; i < g->nrun && rc == 0; i++)
		rc = denai_graph_run_node(g, &g->m->nodes[g->run[i]], err);
	denai_fpenv_leave(&env);
	return rc;
}

int
denai_graph_noutputs(const denai_graph *g)
{
	return g->m->noutputs;
}

const denai_value_info *
denai_graph_output_info(const denai_graph *g, int i)
{
	if (i < 0 || i >= g->m->noutputs)
		return NULL;
	return &g->m->outputs[i];
}

const denai_tensor *
denai_graph_output(const denai_graph *g, int i)
{
	if (i < 0 || i >= g->m->noutputs)
		return NULL;
	return g->vals[g->outputs[i]].t;
}

const denai_node *
denai_graph_output_node(const denai_graph *g, int i)
{
	int p;

	if (i < 0 || i >= g->m->noutputs)
		return NULL;
	p = g->vals[g->outputs[i]].producer;
	return p >= 0 ? &g->m->nodes[p] : NULL;
}

const denai_tensor *
denai_graph_value(const denai_graph *g, const char *name)
{
	int v = denai_graph_find(g, name);

	return v >= 0 ? g->vals[v].t : NULL;
}

int
denai_graph_nrun(const denai_graph *g)
{
	return g->nrun;
}
