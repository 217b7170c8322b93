/* onnx/model.c - ModelProto, GraphProto, NodeProto, AttributeProto. */
#include "onnx/model.h"
#include "onnx/pb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Bounds on counts, far above real models, so hostile files stay small. */
#define MAX_NODES	(1 << 20)
#define MAX_NODE_IO	4096
#define MAX_ATTRS	1024
#define MAX_LIST	((size_t)1 << 28)

static const char *const model_fields[] = {
	NULL, "ir_version", "producer_name", "producer_version", "domain",
	"model_version", "doc_string", "graph", "opset_import",
};
static const char *const opset_fields[] = { NULL, "domain", "version" };
static const char *const graph_fields[] = {
	NULL, "node", "name", NULL, NULL, "initializer", NULL, NULL, NULL,
	NULL, "doc_string", "input", "output", "value_info",
	"quantization_annotation", "sparse_initializer",
};
static const char *const node_fields[] = {
	NULL, "input", "output", "name", "op_type", "attribute",
	"doc_string", "domain",
};
static const char *const attr_fields[] = {
	NULL, "name", "f", "i", "s", "t", "g", "floats", "ints", "strings",
	"tensors", "graphs", NULL, "doc_string", "tp", "type_protos", NULL,
	NULL, NULL, NULL, "type", "ref_attr_name", "sparse_tensor",
	"sparse_tensors",
};

/* Appends one zeroed element to a growable array. Returns: it or NULL. */
static void *
push(void *arrp, int *n, size_t esz, int max)
{
	void **arr = arrp;
	void *p;

	if (*n >= max)
		return NULL;
	/* Grow in powers of two: capacity is implied by n. */
	if ((*n & (*n - 1)) == 0) {
		size_t c = *n ? (size_t)*n * 2 : 1;

		if ((p = realloc(*arr, c * esz)) == NULL)
			return NULL;
		*arr = p;
	}
	p = (char *)*arr + (size_t)*n * esz;
	memset(p, 0, esz);
	(*n)++;
	return p;
}

static int
strfield(char **dst, const denai_pb *r, const denai_pb_field *f,
    denai_err *err)
{
	if (f->wire != DENAI_PB_LEN)
		return denai_pb_fail(r, f->num, err, DENAI_EDATA,
		    "expected a string");
	free(*dst);
	*dst = NULL;
	if (f->len > 0 && memchr(f->data, '\0', f->len) != NULL)
		return denai_pb_fail(r, f->num, err, DENAI_EDATA,
		    "holds a NUL byte");
	return denai_pb_strdup(dst, f->data, f->len, "string", err);
}

/* Appends a string field to a char* array counted by *n. */
static int
strpush(char ***arr, int *n, int max, const denai_pb *r,
    const denai_pb_field *f, denai_err *err)
{
	char **slot;

	if (f->wire != DENAI_PB_LEN)
		return denai_pb_fail(r, f->num, err, DENAI_EDATA,
		    "expected a string");
	if ((slot = push(arr, n, sizeof(char *), max)) == NULL)
		return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
		    "too many entries (or out of memory)");
	return strfield(slot, r, f, err);
}

/* ---- attributes ---- */

/*
 * A STRINGS attribute's values in one block: counts the string fields of
 * the rest of the message from f on, then allocates a->strings for that
 * many and a->strbuf for their bytes and NULs (thousands of node modes of
 * a tree ensemble: one allocation instead of one each).
 */
static int
strblock(denai_attr *a, const denai_pb *r, const denai_pb_field *f,
    size_t *max, denai_err *err)
{
	denai_pb r2 = *r;
	denai_pb_field g;
	size_t count = 1, bytes = f->len + 1;

	while (denai_pb_next(&r2, &g, NULL) == 1)
		if (g.num == f->num && g.wire == DENAI_PB_LEN) {
			count++;
			bytes += g.len + 1;
		}
	if (count > 1 << 28)
		return denai_pb_fail(r, f->num, err, DENAI_ENOMEM,
		    "too many entries");
	a->strings = malloc(count * sizeof(char *));
	a->strbuf = malloc(bytes);
	if (a->strings == NULL || a->strbuf == NULL) {
		free(a->strings);
		free(a->strbuf);
		a->strings = NULL;
		a->strbuf = NULL;
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	*max = count;
	return 0;
}

static int
parse_attr(denai_attr *a, const uint8_t *buf, size_t len, denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc, type = 0, nstr = 0, seen_f = 0, seen_i = 0, seen_s = 0;
	int seen_t = 0, seen_other = 0;
	size_t cap_f = 0, cap_i = 0, nf = 0, ni = 0, nstrmax = 0, strused = 0;
	uint32_t *fbits = NULL;

	denai_pb_init(&r, buf, len, "AttributeProto", attr_fields,
	    N(attr_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		switch (f.num) {
		case 1:
			if (strfield(&a->name, &r, &f, err) != 0)
				goto fail;
			break;
		case 2:
			if (f.wire != DENAI_PB_I32)
				goto badwire;
			{
				uint32_t b = (uint32_t)f.v;
				memcpy(&a->f, &b, 4);
			}
			seen_f = 1;
			break;
		case 3:
			if (f.wire != DENAI_PB_VARINT)
				goto badwire;
			a->i = (int64_t)f.v;
			seen_i = 1;
			break;
		case 4:
			if (f.wire != DENAI_PB_LEN)
				goto badwire;
			free(a->s);
			a->s = malloc(f.len + 1);
			if (a->s == NULL)
				goto nomem;
			if (f.len > 0)
				memcpy(a->s, f.data, f.len);
			a->s[f.len] = '\0';
			a->slen = f.len;
			seen_s = 1;
			break;
		case 5:
			if (f.wire != DENAI_PB_LEN)
				goto badwire;
			if (a->t == NULL && (a->t = denai_tensor_new()) == NULL)
				goto nomem;
			if (denai_tensor_parse(a->t, NULL, f.data, f.len,
			    err) != 0)
				goto fail;
			a->t->is_const = 1;
			seen_t = 1;
			break;
		case 7:
			if (denai_pb_repeated_run(&r, &f, DENAI_PB_I32,
			    (void **)&fbits, &nf, &cap_f, MAX_LIST, err) != 0)
				goto fail;
			break;
		case 8:
			if (denai_pb_repeated_run(&r, &f, DENAI_PB_VARINT,
			    (void **)&a->ints, &ni, &cap_i, MAX_LIST, err) != 0)
				goto fail;
			break;
		case 9:
			if (f.wire != DENAI_PB_LEN) {
				denai_pb_fail(&r, f.num, err, DENAI_EDATA,
				    "expected a string");
				goto fail;
			}
			if (a->strings == NULL &&
			    strblock(a, &r, &f, &nstrmax, err) != 0)
				goto fail;
			if ((size_t)nstr >= nstrmax)	/* not reached: counted */
				goto nomem;
			if (f.len > 0 && memchr(f.data, '\0', f.len) != NULL) {
				denai_pb_fail(&r, f.num, err, DENAI_EDATA,
				    "holds a NUL byte");
				goto fail;
			}
			a->strings[nstr] = a->strbuf + strused;
			if (f.len > 0)
				memcpy(a->strbuf + strused, f.data, f.len);
			a->strbuf[strused + f.len] = '\0';
			strused += f.len + 1;
			nstr++;
			break;
		case 20:
			if (f.wire != DENAI_PB_VARINT)
				goto badwire;
			type = (int)f.v;
			break;
		case 6: case 10: case 11: case 14: case 15: case 21: case 22:
		case 23:
			seen_other = (int)f.num;
			break;
		default:
			break;
		}
		continue;
badwire:
		denai_pb_fail(&r, f.num, err, DENAI_EDATA,
		    "unexpected wire type %d", f.wire);
		goto fail;
	}
	if (rc != 0)
		goto fail;
	if (a->name == NULL) {
		denai_err_set(err, DENAI_EDATA, "attribute without a name");
		goto fail;
	}
	if (type == 0) {	/* old files: infer from what is present */
		if (nf)
			type = DENAI_AT_FLOATS;
		else if (ni)
			type = DENAI_AT_INTS;
		else if (nstr)
			type = DENAI_AT_STRINGS;
		else if (seen_t)
			type = DENAI_AT_TENSOR;
		else if (seen_s)
			type = DENAI_AT_STRING;
		else if (seen_f)
			type = DENAI_AT_FLOAT;
		else if (seen_i)
			type = DENAI_AT_INT;
		else if (seen_other == 6)
			type = 5;
	}
	if (seen_other == 21) {
		denai_err_set(err, DENAI_EUNSUP,
		    "attribute %s refers to a function attribute", a->name);
		goto fail;
	}
	a->type = type;
	switch (type) {
	case DENAI_AT_FLOATS:
		a->n = nf;
		if (nf > 0) {
			if ((a->floats = malloc(nf * sizeof(float))) == NULL)
				goto nomem;
			memcpy(a->floats, fbits, nf * sizeof(float));
		}
		break;
	case DENAI_AT_INTS:
		a->n = ni;
		break;
	case DENAI_AT_STRINGS:
		a->n = (size_t)nstr;
		break;
	case DENAI_AT_TENSOR:
		if (a->t == NULL) {
			denai_err_set(err, DENAI_EDATA,
			    "attribute %s of type tensor has no tensor",
			    a->name);
			goto fail;
		}
		break;
	case DENAI_AT_STRING:
		if (a->s == NULL && (a->s = calloc(1, 1)) == NULL)
			goto nomem;
		break;
	default:
		break;
	}
	/* Lists of a type other than the declared one are dropped. */
	if (type != DENAI_AT_INTS) {
		free(a->ints);
		a->ints = NULL;
	}
	if (type != DENAI_AT_STRINGS) {
		free(a->strings);
		free(a->strbuf);
		a->strings = NULL;
		a->strbuf = NULL;
	}
	free(fbits);
	return 0;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
fail:
	if (a->name != NULL)
		denai_err_prefix(err, "attribute %s", a->name);
	free(fbits);
	/* denai_attr_clear frees the block (strings point into it). */
	if (a->strings != NULL)
		a->n = (size_t)nstr;
	return -1;
}

/* ---- nodes ---- */

static int
parse_node(denai_node *n, denai_node_io *io, const uint8_t *buf, size_t len,
    denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	denai_pb_init(&r, buf, len, "NodeProto", node_fields,
	    N(node_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		switch (f.num) {
		case 1:
			if (strpush(&io->in, &n->nin, MAX_NODE_IO, &r, &f,
			    err) != 0)
				goto fail;
			break;
		case 2:
			if (strpush(&io->out, &n->nout, MAX_NODE_IO, &r, &f,
			    err) != 0)
				goto fail;
			break;
		case 3:
			if (strfield(&n->name, &r, &f, err) != 0)
				goto fail;
			break;
		case 4:
			if (strfield(&n->op_type, &r, &f, err) != 0)
				goto fail;
			break;
		case 5: {
			denai_attr *a;

			if (f.wire != DENAI_PB_LEN) {
				denai_pb_fail(&r, f.num, err, DENAI_EDATA,
				    "expected a message");
				goto fail;
			}
			if ((a = push(&n->attrs, &n->nattrs, sizeof(*a),
			    MAX_ATTRS)) == NULL) {
				denai_err_set(err, DENAI_ENOMEM,
				    "too many attributes");
				goto fail;
			}
			if (parse_attr(a, f.data, f.len, err) != 0)
				goto fail;
			break;
		}
		case 7:
			if (strfield(&n->domain, &r, &f, err) != 0)
				goto fail;
			break;
		default:
			break;
		}
	}
	if (rc != 0)
		goto fail;
	if (n->op_type == NULL || n->op_type[0] == '\0') {
		denai_err_set(err, DENAI_EDATA, "node without an op_type");
		goto fail;
	}
	if (n->name == NULL && (n->name = calloc(1, 1)) == NULL)
		goto nomem;
	if (n->domain == NULL && (n->domain = calloc(1, 1)) == NULL)
		goto nomem;
	if (strcmp(n->domain, "ai.onnx") == 0)
		n->domain[0] = '\0';
	for (int i = 0; i < n->nattrs; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(n->attrs[i].name, n->attrs[j].name) == 0) {
				denai_node_fail(n, err, DENAI_EDATA,
				    "attribute %s given twice",
				    n->attrs[i].name);
				return -1;
			}
	return 0;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
fail:
	if (n->name != NULL && n->name[0] != '\0')
		denai_err_prefix(err, "node %s", n->name);
	else if (n->op_type != NULL)
		denai_err_prefix(err, "node (%s)", n->op_type);
	return -1;
}

/* ---- graph ---- */

static int
parse_graph(denai_model *m, const uint8_t *buf, size_t len, denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	int rc;

	denai_pb_init(&r, buf, len, "GraphProto", graph_fields,
	    N(graph_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.wire != DENAI_PB_LEN)
			continue;
		switch (f.num) {
		case 1: {
			denai_node *n;
			denai_node_io *io;
			int k = m->nnodes, k2 = m->nnodes;

			if ((n = push(&m->nodes, &k, sizeof(*n),
			    MAX_NODES)) == NULL ||
			    (io = push(&m->io, &k2, sizeof(*io),
			    MAX_NODES)) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "too many nodes (or out of memory)");
			m->nnodes++;
			if (parse_node(n, io, f.data, f.len, err) != 0)
				return -1;
			break;
		}
		case 2:
			if (strfield(&m->graph_name, &r, &f, err) != 0)
				return -1;
			break;
		case 5: {
			denai_tensor **t;
			char **name;
			int k = m->ninits, k2 = m->ninits;

			if ((t = push(&m->inits, &k, sizeof(*t),
			    MAX_NODES)) == NULL ||
			    (name = push(&m->init_names, &k2, sizeof(*name),
			    MAX_NODES)) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "too many initializers (or out of memory)");
			m->ninits++;
			if ((*t = denai_tensor_new()) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			if (denai_tensor_parse(*t, name, f.data, f.len,
			    err) != 0)
				return denai_err_prefix(err, "initializer %d",
				    m->ninits - 1);
			if (*name == NULL || (*name)[0] == '\0')
				return denai_err_set(err, DENAI_EDATA,
				    "initializer %d has no name",
				    m->ninits - 1);
			(*t)->is_const = 1;
			break;
		}
		case 11:
		case 12: {
			denai_value_info *vi;
			int *cnt = f.num == 11 ? &m->ninputs : &m->noutputs;
			void *arr = f.num == 11 ? (void *)&m->inputs :
			    (void *)&m->outputs;

			if ((vi = push(arr, cnt, sizeof(*vi),
			    MAX_NODE_IO)) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "too many graph inputs or outputs");
			if (denai_value_info_parse(vi, f.data, f.len,
			    err) != 0)
				return denai_err_prefix(err, "graph %s",
				    f.num == 11 ? "input" : "output");
			break;
		}
		case 15:
			return denai_pb_fail(&r, f.num, err, DENAI_EUNSUP,
			    "sparse initializers are not supported");
		default:
			break;
		}
	}
	if (rc != 0)
		return -1;
	if (m->graph_name == NULL && (m->graph_name = calloc(1, 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return 0;
}

/* ---- model ---- */

static int
parse_opset(denai_model *m, const uint8_t *buf, size_t len, denai_err *err)
{
	denai_pb r;
	denai_pb_field f;
	char *dom = NULL;
	int64_t ver = 0;
	int rc, k = m->nopsets, k2 = m->nopsets;
	char **dslot;
	int64_t *vslot;

	denai_pb_init(&r, buf, len, "OperatorSetIdProto", opset_fields,
	    N(opset_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		if (f.num == 1) {
			if (strfield(&dom, &r, &f, err) != 0)
				goto fail;
		} else if (f.num == 2 && f.wire == DENAI_PB_VARINT)
			ver = (int64_t)f.v;
	}
	if (rc != 0)
		goto fail;
	if (dom == NULL && (dom = calloc(1, 1)) == NULL)
		goto nomem;
	if (strcmp(dom, "ai.onnx") == 0)
		dom[0] = '\0';
	if ((dslot = push(&m->opset_domain, &k, sizeof(char *), 256)) == NULL ||
	    (vslot = push(&m->opset_version, &k2, sizeof(int64_t),
	    256)) == NULL)
		goto nomem;
	m->nopsets++;
	*dslot = dom;
	*vslot = ver;
	return 0;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "too many opset imports");
fail:
	free(dom);
	return -1;
}

int
denai_model_load_mem(denai_model **mp, const uint8_t *buf, size_t len,
    size_t max_bytes, denai_err *err)
{
	denai_model *m;
	denai_pb r;
	denai_pb_field f;
	uint8_t *inflated = NULL;
	size_t ilen;
	int rc, have_graph = 0;

	*mp = NULL;
	if (max_bytes == 0)
		max_bytes = DENAI_MODEL_MAX_BYTES;
	if (len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b) {
		if (denai_gunzip(&inflated, &ilen, buf, len, max_bytes,
		    err) != 0)
			return -1;
		buf = inflated;
		len = ilen;
	}
	if (len > max_bytes) {
		free(inflated);
		return denai_err_set(err, DENAI_ENOMEM,
		    "model is over %zu bytes", max_bytes);
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		free(inflated);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	denai_pb_init(&r, buf, len, "ModelProto", model_fields,
	    N(model_fields));
	while ((rc = denai_pb_next(&r, &f, err)) == 1) {
		switch (f.num) {
		case 1:
			if (f.wire == DENAI_PB_VARINT)
				m->ir_version = (int64_t)f.v;
			break;
		case 2:
			if (strfield(&m->producer, &r, &f, err) != 0)
				goto fail;
			break;
		case 7:
			if (f.wire != DENAI_PB_LEN)
				break;
			if (have_graph++) {
				denai_err_set(err, DENAI_EDATA,
				    "ModelProto holds two graphs");
				goto fail;
			}
			if (parse_graph(m, f.data, f.len, err) != 0)
				goto fail;
			break;
		case 8:
			if (f.wire == DENAI_PB_LEN &&
			    parse_opset(m, f.data, f.len, err) != 0)
				goto fail;
			break;
		default:
			break;
		}
	}
	if (rc != 0)
		goto fail;
	if (!have_graph) {
		denai_err_set(err, DENAI_EDATA, "ModelProto has no graph");
		goto fail;
	}
	if (m->producer == NULL && (m->producer = calloc(1, 1)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	for (int i = 0; i < m->nnodes; i++)
		m->nodes[i].opset = (int)denai_model_opset(m,
		    m->nodes[i].domain);
	free(inflated);
	*mp = m;
	return 0;
fail:
	free(inflated);
	denai_model_free(m);
	return -1;
}

int64_t
denai_model_opset(const denai_model *m, const char *domain)
{
	if (domain == NULL || strcmp(domain, "ai.onnx") == 0)
		domain = "";
	for (int i = 0; i < m->nopsets; i++)
		if (strcmp(m->opset_domain[i], domain) == 0)
			return m->opset_version[i] > 0x7fffffff ? 0x7fffffff :
			    m->opset_version[i];
	return 0;
}

void
denai_model_free(denai_model *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->nopsets; i++)
		free(m->opset_domain[i]);
	free(m->opset_domain);
	free(m->opset_version);
	free(m->producer);
	free(m->graph_name);
	for (int i = 0; i < m->nnodes; i++) {
		denai_node *n = &m->nodes[i];

		if (n->op != NULL && n->op->free_state != NULL)
			n->op->free_state(n->state);
		for (int k = 0; k < n->nattrs; k++)
			denai_attr_clear(&n->attrs[k]);
		free(n->attrs);
		free(n->name);
		free(n->op_type);
		free(n->domain);
		free(n->in);
		free(n->out);
		for (int k = 0; k < n->nin; k++)
			free(m->io[i].in[k]);
		for (int k = 0; k < n->nout; k++)
			free(m->io[i].out[k]);
		free(m->io[i].in);
		free(m->io[i].out);
	}
	free(m->nodes);
	free(m->io);
	for (int i = 0; i < m->ninits; i++) {
		denai_tensor_free(m->inits[i]);
		free(m->init_names[i]);
	}
	free(m->inits);
	free(m->init_names);
	for (int i = 0; i < m->ninputs; i++)
		denai_value_info_clear(&m->inputs[i]);
	free(m->inputs);
	for (int i = 0; i < m->noutputs; i++)
		denai_value_info_clear(&m->outputs[i]);
	free(m->outputs);
	free(m);
}
