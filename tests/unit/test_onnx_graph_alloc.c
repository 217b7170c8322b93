/*
 * test_onnx_graph_alloc.c - "memory planned once per model": after the
 * load (and its warm-up run), running a graph again at the same input
 * shape calls malloc, calloc and realloc zero times.
 *
 * The test counts allocations by defining malloc/calloc/realloc itself,
 * forwarding to glibc's __libc_* functions (the executable's definitions
 * interpose everyone's, libdenai's included). Under a sanitizer, which
 * owns malloc itself, the test skips.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/graph.h"
#include "test_onnx_build.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#endif

static unsigned long nalloc;

#ifndef SANITIZED
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

void *
malloc(size_t n)
{
	nalloc++;
	return __libc_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	nalloc++;
	return __libc_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	nalloc++;
	return __libc_realloc(p, n);
}
#endif

#define IN(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Fills every input (float/double, symbolic dims as batch) with values. */
static int
fill(denai_graph *g, int batch, unsigned salt)
{
	for (int i = 0; i < denai_graph_ninputs(g); i++) {
		const denai_value_info *vi = denai_graph_input_info(g, i);
		denai_tensor *t = denai_graph_input(g, i);
		int64_t dims[DENAI_MAX_RANK];
		denai_err err;

		if (vi->rank < 0 || (vi->dtype != DENAI_DT_FLOAT &&
		    vi->dtype != DENAI_DT_DOUBLE))
			return -1;
		for (int d = 0; d < vi->rank; d++)
			dims[d] = vi->dims[d] >= 0 ? vi->dims[d] : batch;
		if (denai_tensor_reshape(t, vi->dtype, vi->rank, dims,
		    &err) != 0)
			return -1;
		for (size_t e = 0; e < t->count; e++) {
			double v = (double)((e * 7919 + salt * 104729) % 2001)
			    / 100.0 - 10;

			if (vi->dtype == DENAI_DT_FLOAT)
				DENAI_T_F32(t)[e] = (float)v;
			else
				DENAI_T_F64(t)[e] = v;
		}
	}
	return 0;
}

static void
check(const char *name, const uint8_t *model, size_t len)
{
	denai_graph *g;
	denai_err err;
	unsigned long before;
	int bad = 0;

	before = nalloc;
	if (denai_graph_load_mem(&g, model, len, NULL, &err) != 0) {
		skip(err.msg);
		return;
	}
	ok(nalloc > before, "%s: the counter sees the load's %lu allocations",
	    name, nalloc - before);
	for (int batch = 1; batch <= 8; batch *= 8) {
		if (fill(g, batch, 0) != 0) {
			skip("inputs are not float tensors of known rank");
			goto out;
		}
		if (denai_graph_run(g, &err) != 0) {	/* sizes buffers */
			ok(0, "%s: runs: %s", name, err.msg);
			goto out;
		}
		before = nalloc;
		for (unsigned r = 1; r <= 20; r++)
			if (fill(g, batch, r) != 0 ||
			    denai_graph_run(g, &err) != 0)
				bad = 1;
		if (!ok(!bad && nalloc == before,
		    "%s: 20 runs at batch %d allocate nothing", name, batch))
			diag("%lu allocations", nalloc - before);
	}
out:
	denai_graph_free(g);
}

int
main(void)
{
	struct pbw g = PBW, m = PBW, at = PBW;
	float w[12] = { 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12 };
	DIR *d;
	struct dirent *e;

#ifdef SANITIZED
	skip_all("allocation counting needs glibc's own malloc");
#endif
	/* A small network: MatMul, Add, Relu, Softmax, Transpose, Slice. */
	pw_init(&g, "w", DENAI_DT_FLOAT, (const int64_t[]){ 3, 4 }, 2, w,
	    sizeof(w));
	pw_init(&g, "st", DENAI_DT_INT64, (const int64_t[]){ 1 }, 1,
	    (const int64_t[]){ 1 }, 8);
	pw_init(&g, "en", DENAI_DT_INT64, (const int64_t[]){ 1 }, 1,
	    (const int64_t[]){ 3 }, 8);
	pw_init(&g, "ax", DENAI_DT_INT64, (const int64_t[]){ 1 }, 1,
	    (const int64_t[]){ 1 }, 8);
	pw_node(&g, "MatMul", "mm", IN("x", "w"), IN("h"), NULL, NULL);
	pw_node(&g, "Relu", "r", IN("h"), IN("hr"), NULL, NULL);
	pw_attr_int(&at, "axis", -1);
	pw_node(&g, "Softmax", "sm", IN("hr"), IN("p"), &at, NULL);
	pw_node(&g, "Slice", "sl", IN("p", "st", "en", "ax"), IN("q"), NULL,
	    NULL);
	pw_node(&g, "Transpose", "t", IN("q"), IN("y"), NULL, NULL);
	pw_value(&g, 11, "x", DENAI_DT_FLOAT, (const int64_t[]){ -1, 3 }, 2);
	pw_value(&g, 12, "y", DENAI_DT_FLOAT, NULL, -1);
	pw_model(&m, &g, 13, 0);
	check("built-in network", m.b, m.n);
	free(m.b);

	if ((d = opendir("examples/models")) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char path[1024];
			uint8_t *buf;
			size_t len, nl = strlen(e->d_name);
			denai_err err;

			if (nl < 5 || strcmp(e->d_name + nl - 5, ".onnx") != 0)
				continue;
			snprintf(path, sizeof(path), "examples/models/%s",
			    e->d_name);
			if (denai_model_file_read(&buf, &len, path,
			    (size_t)1 << 30, &err) != 0)
				continue;
			check(e->d_name, buf, len);
			free(buf);
		}
		closedir(d);
	}
	return done_testing();
}
