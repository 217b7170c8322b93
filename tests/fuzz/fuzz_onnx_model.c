/*
 * fuzz_onnx_model.c - loading any bytes as a model (plain or gzip'd, under
 * a 4 MiB cap) and building its graph (operators resolved and prepared,
 * values checked and ordered) fails cleanly or succeeds; nothing crashes,
 * leaks or hangs. The warm-up run and constant folding are off: they run
 * kernels on shapes the file chooses, which may be legitimately huge.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "onnx/graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	denai_graph_opts o;
	denai_graph *g;
	denai_model *m;
	denai_err err;

	memset(&o, 0, sizeof(o));
	o.max_bytes = 4u << 20;
	o.no_warmup = 1;
	o.no_fold = 1;
	if (denai_model_load_mem(&m, data, size, o.max_bytes, &err) != 0) {
		if (err.msg[0] == '\0')
			abort();	/* a failure always says why */
		return 0;
	}
	if (denai_graph_new(&g, m, &o, &err) != 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	for (int i = 0; i < denai_graph_ninputs(g); i++)
		if (denai_graph_input_info(g, i) == NULL)
			abort();
	for (int i = 0; i < denai_graph_noutputs(g); i++)
		if (denai_graph_output_info(g, i) == NULL)
			abort();
	denai_graph_free(g);
	return 0;
}
