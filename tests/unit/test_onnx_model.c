/* test_onnx_model.c - the ModelProto loader: what it reads, and its errors
 * (exact messages) on malformed, truncated and unsupported models. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../tap.h"
#include "onnx/model.h"
#include "test_onnx_build.h"

/* A model: y = Add(x, w) with w an initializer, plus a Constant node. */
static void
build_model(struct pbw *m, int variant)
{
	struct pbw g = PBW, at = PBW, t = PBW;
	const float w[3] = { 1.5f, -2.0f, 0.25f };
	int64_t d3[1] = { 3 }, dn[2] = { -1, 3 };

	pw_attr_float(&at, "alpha", 0.5f);
	pw_attr_ints(&at, "axes", (const int64_t[]){ 0, -1 }, 2);
	pw_attr_str(&at, "mode", "fast");
	pw_attr_strings(&at, "labels", (const char *const[]){ "a", "bc" }, 2);
	pw_node(&g, "Add", "add0", (const char *const[]){ "x", "w", NULL },
	    (const char *const[]){ "y", NULL }, &at, NULL);
	switch (variant) {
	case 0:
		pw_init(&g, "w", DENAI_DT_FLOAT, d3, 1, w, sizeof(w));
		break;
	case 1:		/* external data */
		for (int i = 0; i < 1; i++)
			pw_int(&t, 1, 3);
		pw_int(&t, 2, DENAI_DT_FLOAT);
		pw_str(&t, 8, "w");
		pw_int(&t, 14, 1);
		pw_msg(&g, 5, &t);
		break;
	case 2:		/* raw_data too short */
		pw_init(&g, "w", DENAI_DT_FLOAT, d3, 1, w, 8);
		break;
	case 3:		/* float16 */
		pw_init(&g, "w", 10, d3, 1, w, 6);
		break;
	case 4:		/* typed float_data, two values for three elements */
		pw_int(&t, 1, 3);
		pw_int(&t, 2, DENAI_DT_FLOAT);
		pw_str(&t, 8, "w");
		pw_float(&t, 4, 1.0f);
		pw_float(&t, 4, 2.0f);
		pw_msg(&g, 5, &t);
		break;
	case 5:		/* huge dims, no data */
		pw_int(&t, 1, 1000000);
		pw_int(&t, 1, 1000000);
		pw_int(&t, 2, DENAI_DT_DOUBLE);
		pw_str(&t, 8, "w");
		pw_msg(&g, 5, &t);
		break;
	}
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, dn, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, dn, 2);
	pw_model(m, &g, 13, 3);
}

static void
load_fails(const char *name, const uint8_t *buf, size_t len,
    const char *want)
{
	denai_model *m = (denai_model *)1;
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(denai_model_load_mem(&m, buf, len, 0, &err) == -1 && m == NULL,
	    "%s: fails", name);
	is_str(err.msg, want, name);
}

static void
test_good(void)
{
	struct pbw b = PBW;
	denai_model *m;
	denai_err err;
	const denai_node *n;

	build_model(&b, 0);
	if (!ok(denai_model_load_mem(&m, b.b, b.n, 0, &err) == 0,
	    "a good model loads")) {
		diag("%s", err.msg);
		free(b.b);
		return;
	}
	is_int(m->ir_version, 8, "ir_version");
	is_int(denai_model_opset(m, ""), 13, "ai.onnx opset");
	is_int(denai_model_opset(m, "ai.onnx"), 13, "ai.onnx by name");
	is_int(denai_model_opset(m, "ai.onnx.ml"), 3, "ai.onnx.ml opset");
	is_int(denai_model_opset(m, "com.example"), 0, "other domain");
	is_str(m->producer, "test", "producer");
	is_int(m->nnodes, 1, "one node");
	n = &m->nodes[0];
	is_str(n->op_type, "Add", "op_type");
	is_str(n->name, "add0", "node name");
	is_str(n->domain, "", "default domain");
	is_int(n->opset, 13, "node opset");
	is_int(n->nin, 2, "two inputs");
	is_str(m->io[0].in[1], "w", "input name");
	is_str(m->io[0].out[0], "y", "output name");
	is_int(n->nattrs, 4, "four attributes");
	ok(n->attrs[0].type == DENAI_AT_FLOAT && n->attrs[0].f == 0.5f,
	    "float attribute");
	ok(n->attrs[1].type == DENAI_AT_INTS && n->attrs[1].n == 2 &&
	    n->attrs[1].ints[1] == -1, "ints attribute (negative)");
	ok(n->attrs[2].type == DENAI_AT_STRING &&
	    strcmp(n->attrs[2].s, "fast") == 0, "string attribute");
	ok(n->attrs[3].type == DENAI_AT_STRINGS && n->attrs[3].n == 2 &&
	    strcmp(n->attrs[3].strings[1], "bc") == 0, "strings attribute");
	is_int(m->ninits, 1, "one initializer");
	ok(m->inits[0]->dtype == DENAI_DT_FLOAT && m->inits[0]->count == 3 &&
	    DENAI_T_F32(m->inits[0])[1] == -2.0f, "initializer raw data");
	is_int(m->ninputs, 1, "one input");
	ok(m->inputs[0].kind == DENAI_VK_TENSOR && m->inputs[0].rank == 2 &&
	    m->inputs[0].dims[0] == -1 && m->inputs[0].dims[1] == 3 &&
	    strcmp(m->inputs[0].dim_param[0], "N") == 0,
	    "input shape [N,3]");
	denai_model_free(m);

	/* gzip: the same model, and the inflated-size cap. */
	uint8_t *z = malloc(b.n + 1024);
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = b.b;
	zs.avail_in = (uInt)b.n;
	zs.next_out = z;
	zs.avail_out = (uInt)(b.n + 1024);
	deflate(&zs, Z_FINISH);
	size_t zn = zs.total_out;
	deflateEnd(&zs);
	ok(denai_model_load_mem(&m, z, zn, 0, &err) == 0 && m->nnodes == 1,
	    "a gzip'd model loads");
	denai_model_free(m);
	ok(denai_model_load_mem(&m, z, zn, 64, &err) == -1,
	    "inflated size over the cap fails");
	is_str(err.msg, "inflated data is over 64 bytes", "cap message");
	ok(denai_model_load_mem(&m, z, zn - 6, 0, &err) == -1,
	    "truncated gzip fails");
	is_str(err.msg, "truncated compressed data", "truncated gzip message");
	z[12] ^= 0x55;
	ok(denai_model_load_mem(&m, z, zn, 0, &err) == -1,
	    "corrupt gzip fails");
	free(z);

	/* Every truncation of the model either fails or, when cut at a
	 * field boundary of the top message, loads; none crashes. Cuts
	 * inside the graph field always fail. */
	int bad = 0, graph_start = -1;
	for (size_t i = 0; i + 1 < b.n; i++)
		if (b.b[i] == 0x3a) {		/* field 7, wire 2 */
			graph_start = (int)i;
			break;
		}
	for (size_t cut = 0; cut < b.n; cut++) {
		int rc = denai_model_load_mem(&m, b.b, cut, 0, &err);

		if (rc == 0)
			denai_model_free(m);
		if ((int)cut > graph_start && rc == 0)
			bad++;
	}
	is_int(bad, 0, "cuts inside the graph all fail");
	free(b.b);
}

static void
test_errors(void)
{
	struct pbw b = PBW;

	build_model(&b, 1);
	load_fails("external data", b.b, b.n,
	    "initializer 0: tensor w: external tensor data is not supported");
	free(b.b);
	b = (struct pbw)PBW;
	build_model(&b, 2);
	load_fails("short raw_data", b.b, b.n,
	    "initializer 0: tensor w: raw_data of 8 bytes for 3 float "
	    "elements");
	free(b.b);
	b = (struct pbw)PBW;
	build_model(&b, 3);
	load_fails("float16", b.b, b.n,
	    "initializer 0: tensor w: unsupported element type float16 (10)");
	free(b.b);
	b = (struct pbw)PBW;
	build_model(&b, 4);
	load_fails("typed count", b.b, b.n,
	    "initializer 0: tensor w: 2 values for 3 elements");
	free(b.b);
	b = (struct pbw)PBW;
	build_model(&b, 5);
	load_fails("dims without data", b.b, b.n,
	    "initializer 0: tensor w: too many elements");
	free(b.b);

	load_fails("empty input", (const uint8_t *)"", 0,
	    "ModelProto has no graph");
	load_fails("not protobuf", (const uint8_t *)"hello, world", 12,
	    "ModelProto.field 13: groups are not supported");

	/* A node without op_type. */
	struct pbw g = PBW, m = PBW, nd = PBW;
	pw_str(&nd, 1, "x");
	pw_str(&nd, 3, "n1");
	pw_msg(&g, 1, &nd);
	pw_model(&m, &g, 13, 0);
	load_fails("no op_type", m.b, m.n, "node n1: node without an op_type");
	free(m.b);

	/* An attribute without a name, and a duplicate attribute. */
	struct pbw at = PBW, a = PBW;
	g = (struct pbw)PBW;
	m = (struct pbw)PBW;
	pw_int(&a, 20, 2);
	pw_int(&a, 3, 1);
	pw_msg(&at, 5, &a);
	pw_node(&g, "Relu", "r", (const char *const[]){ "x", NULL },
	    (const char *const[]){ "y", NULL }, &at, NULL);
	pw_model(&m, &g, 13, 0);
	load_fails("nameless attribute", m.b, m.n,
	    "node r: attribute without a name");
	free(m.b);
	g = (struct pbw)PBW;
	m = (struct pbw)PBW;
	pw_attr_int(&at, "axis", 1);
	pw_attr_int(&at, "axis", 2);
	pw_node(&g, "Relu", "r", (const char *const[]){ "x", NULL },
	    (const char *const[]){ "y", NULL }, &at, NULL);
	pw_model(&m, &g, 13, 0);
	load_fails("duplicate attribute", m.b, m.n,
	    "node r (Relu): attribute axis given twice");
	free(m.b);

	/* A string with a NUL in a name. */
	g = (struct pbw)PBW;
	m = (struct pbw)PBW;
	nd = (struct pbw)PBW;
	pw_bytes(&nd, 1, "a\0b", 3);
	pw_str(&nd, 4, "Relu");
	pw_msg(&g, 1, &nd);
	pw_model(&m, &g, 13, 0);
	load_fails("NUL in a name", m.b, m.n,
	    "NodeProto.input: holds a NUL byte");
	free(m.b);

	/* Files. */
	denai_model *mm;
	denai_err err;
	ok(denai_model_load_file(&mm, "/nonexistent/m.onnx", 0, &err) == -1,
	    "missing file fails");
	is_str(err.msg, "cannot open /nonexistent/m.onnx: No such file or "
	    "directory", "missing file message");
}

static void
test_tensor_typed(void)
{
	struct pbw t = PBW;
	denai_tensor *x = denai_tensor_new();
	denai_err err;
	char *name = NULL;

	/* int64_data packed, with a negative value. */
	pw_int(&t, 1, 2);
	pw_int(&t, 2, DENAI_DT_INT64);
	{
		struct pbw p = PBW;
		pw_varint(&p, 5);
		pw_varint(&p, (uint64_t)-7);
		pw_msg(&t, 7, &p);
	}
	pw_str(&t, 8, "ids");
	ok(denai_tensor_parse(x, &name, t.b, t.n, &err) == 0 &&
	    x->dtype == DENAI_DT_INT64 && x->count == 2 &&
	    DENAI_T_I64(x)[0] == 5 && DENAI_T_I64(x)[1] == -7,
	    "int64_data packed");
	is_str(name, "ids", "tensor name");
	free(name);
	free(t.b);

	/* double_data unpacked, a scalar. */
	t = (struct pbw)PBW;
	pw_int(&t, 2, DENAI_DT_DOUBLE);
	pw_key(&t, 10, 1);
	double d = -0.125;
	pw_raw(&t, &d, 8);
	ok(denai_tensor_parse(x, NULL, t.b, t.n, &err) == 0 && x->rank == 0 &&
	    x->count == 1 && DENAI_T_F64(x)[0] == -0.125, "double scalar");
	free(t.b);

	/* bool from int32_data, strings from string_data. */
	t = (struct pbw)PBW;
	pw_int(&t, 1, 3);
	pw_int(&t, 2, DENAI_DT_BOOL);
	pw_int(&t, 5, 1);
	pw_int(&t, 5, 0);
	pw_int(&t, 5, 2);
	ok(denai_tensor_parse(x, NULL, t.b, t.n, &err) == 0 &&
	    DENAI_T_U8(x)[0] == 1 && DENAI_T_U8(x)[1] == 0 &&
	    DENAI_T_U8(x)[2] == 1, "bool from int32_data");
	free(t.b);
	t = (struct pbw)PBW;
	pw_int(&t, 1, 2);
	pw_int(&t, 2, DENAI_DT_STRING);
	pw_str(&t, 6, "yes");
	pw_str(&t, 6, "");
	ok(denai_tensor_parse(x, NULL, t.b, t.n, &err) == 0 &&
	    strcmp(DENAI_T_STR(x)[0], "yes") == 0 &&
	    strcmp(DENAI_T_STR(x)[1], "") == 0, "string_data");
	free(t.b);

	/* negative dim, and rank over the limit */
	t = (struct pbw)PBW;
	pw_int(&t, 1, -2);
	pw_int(&t, 2, DENAI_DT_FLOAT);
	ok(denai_tensor_parse(x, NULL, t.b, t.n, &err) == -1,
	    "negative dim fails");
	is_str(err.msg, "negative dimension -2", "negative dim message");
	free(t.b);
	t = (struct pbw)PBW;
	for (int i = 0; i < 9; i++)
		pw_int(&t, 1, 1);
	pw_int(&t, 2, DENAI_DT_FLOAT);
	ok(denai_tensor_parse(x, NULL, t.b, t.n, &err) == -1,
	    "rank 9 fails");
	is_str(err.msg, "rank over 8", "rank 9 message");
	free(t.b);
	denai_tensor_free(x);
}

int
main(void)
{
	test_good();
	test_errors();
	test_tensor_typed();
	return done_testing();
}
