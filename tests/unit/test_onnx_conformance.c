/*
 * test_onnx_conformance.c - ONNX's own node test cases, run through the
 * evaluator: $DENAI_SHARED/onnx-node-tests/<case>/model.onnx with
 * test_data_set_N/input_K.pb and output_K.pb (TensorProto files).
 *
 * One TAP line per case. A case whose model uses an operator, attribute or
 * type the evaluator does not support (a load error of kind "unsupported")
 * is a skip with the load error as the reason; any other load error, run
 * error, or output off by more than rtol 1e-3 + atol 1e-7 is a failure.
 * With DENAI_CONFORMANCE_REPORT=path, writes the list of skipped cases (as
 * markdown) to path. An argument restricts the run to cases containing it.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../tap.h"
#include "onnx/graph.h"

#define RTOL 1e-3
#define ATOL 1e-7

static int
read_tensor(denai_tensor *t, char **name, const char *path, denai_err *err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (denai_model_file_read(&buf, &len, path, (size_t)1 << 30, err) != 0)
		return -1;
	rc = denai_tensor_parse(t, name, buf, len, err);
	free(buf);
	if (rc != 0)
		denai_err_prefix(err, "%s", path);
	return rc;
}

static double
num(const denai_tensor *t, size_t i)
{
	switch (t->dtype) {
	case DENAI_DT_FLOAT:	return DENAI_T_F32(t)[i];
	case DENAI_DT_DOUBLE:	return DENAI_T_F64(t)[i];
	default:		return 0;
	}
}

/* Returns: 0 when got matches want, else -1 with why filled. */
static int
compare(const denai_tensor *got, const denai_tensor *want, char *why,
    size_t n)
{
	char a[96], b[96];

	if (got->dtype != want->dtype) {
		snprintf(why, n, "type %s, want %s",
		    denai_dtype_name(got->dtype), denai_dtype_name(want->dtype));
		return -1;
	}
	if (got->rank != want->rank ||
	    memcmp(got->dims, want->dims, sizeof(int64_t) *
	    (size_t)got->rank) != 0) {
		snprintf(why, n, "shape %s, want %s",
		    denai_tensor_shape_str(a, sizeof(a), got),
		    denai_tensor_shape_str(b, sizeof(b), want));
		return -1;
	}
	for (size_t i = 0; i < got->count; i++) {
		if (got->dtype == DENAI_DT_FLOAT ||
		    got->dtype == DENAI_DT_DOUBLE) {
			double x = num(got, i), y = num(want, i);

			if (isnan(x) && isnan(y))
				continue;
			if (x == y)
				continue;
			if (!(fabs(x - y) <= ATOL + RTOL * fabs(y))) {
				snprintf(why, n, "element %zu: %.9g, want %.9g",
				    i, x, y);
				return -1;
			}
		} else if (got->dtype == DENAI_DT_STRING) {
			const char *x = DENAI_T_STR(got)[i];
			const char *y = DENAI_T_STR(want)[i];

			if (strcmp(x ? x : "", y ? y : "") != 0) {
				snprintf(why, n, "element %zu: \"%s\", want "
				    "\"%s\"", i, x ? x : "", y ? y : "");
				return -1;
			}
		} else {
			size_t esz = denai_dtype_size(got->dtype);

			if (memcmp((char *)got->data + i * esz,
			    (char *)want->data + i * esz, esz) != 0) {
				snprintf(why, n, "element %zu differs", i);
				return -1;
			}
		}
	}
	return 0;
}

enum { PASS, FAIL, SKIP };

/* Runs every data set of one case. */
static int
run_case(const char *dir, char *why, size_t n)
{
	char path[8448];
	denai_graph *g = NULL;
	denai_err err;
	denai_tensor *t = denai_tensor_new();
	int rc = FAIL, sets = 0;

	memset(&err, 0, sizeof(err));
	snprintf(path, sizeof(path), "%s/model.onnx", dir);
	if (denai_graph_load_file(&g, path, NULL, &err) != 0) {
		size_t pl = strlen(path);

		/* The reason without the machine's path to the case. */
		snprintf(why, n, "%s", strncmp(err.msg, path, pl) == 0 &&
		    err.msg[pl] == ':' ? err.msg + pl + 2 : err.msg);
		rc = err.code == DENAI_EUNSUP ? SKIP : FAIL;
		goto out;
	}
	for (int i = 0; i < denai_graph_ninputs(g); i++)
		if (denai_graph_input_info(g, i)->kind != DENAI_VK_TENSOR) {
			snprintf(why, n, "input %s is not a tensor "
			    "(sequence and map inputs are not supported)",
			    denai_graph_input_info(g, i)->name);
			rc = SKIP;
			goto out;
		}
	for (int set = 0;; set++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/test_data_set_%d", dir, set);
		if (stat(path, &st) != 0)
			break;
		sets++;
		for (int i = 0; i < denai_graph_ninputs(g); i++) {
			char *name = NULL;
			int k;

			snprintf(path, sizeof(path),
			    "%s/test_data_set_%d/input_%d.pb", dir, set, i);
			if (read_tensor(t, &name, path, &err) != 0) {
				snprintf(why, n, "%s", err.msg);
				rc = err.code == DENAI_EUNSUP ? SKIP : FAIL;
				free(name);
				goto out;
			}
			k = name != NULL ? denai_graph_input_index(g, name) : -1;
			free(name);
			if (denai_graph_set_input(g, k >= 0 ? k : i, t,
			    &err) != 0) {
				snprintf(why, n, "set %d: %s", set, err.msg);
				goto out;
			}
		}
		if (denai_graph_run(g, &err) != 0) {
			snprintf(why, n, "set %d: %s", set, err.msg);
			rc = err.code == DENAI_EUNSUP ? SKIP : FAIL;
			goto out;
		}
		for (int i = 0; i < denai_graph_noutputs(g); i++) {
			char w[200];

			snprintf(path, sizeof(path),
			    "%s/test_data_set_%d/output_%d.pb", dir, set, i);
			if (read_tensor(t, NULL, path, &err) != 0) {
				snprintf(why, n, "%s", err.msg);
				rc = err.code == DENAI_EUNSUP ? SKIP : FAIL;
				goto out;
			}
			if (compare(denai_graph_output(g, i), t, w,
			    sizeof(w)) != 0) {
				snprintf(why, n, "set %d output %s: %s", set,
				    denai_graph_output_info(g, i)->name, w);
				goto out;
			}
		}
	}
	if (sets == 0) {
		snprintf(why, n, "no test_data_set_0");
		goto out;
	}
	rc = PASS;
out:
	denai_tensor_free(t);
	denai_graph_free(g);
	return rc;
}

static int
is_case(const struct dirent *d)
{
	return strncmp(d->d_name, "test_", 5) == 0;
}

int
main(int argc, char **argv)
{
	char root[4096], dir[8192], why[512];
	struct dirent **names;
	const char *report = getenv("DENAI_CONFORMANCE_REPORT");
	FILE *rep = NULL;
	int n, pass = 0, fail = 0, skipped = 0;

	snprintf(root, sizeof(root), "%s/onnx-node-tests", tap_shared_dir());
	if ((n = scandir(root, &names, is_case, alphasort)) < 0)
		skip_all("no ONNX node tests at $DENAI_SHARED/onnx-node-tests");
	if (report != NULL && *report != '\0' &&
	    (rep = fopen(report, "w")) == NULL) {
		perror(report);
		return 2;
	}
	if (rep != NULL)
		fprintf(rep, "# ONNX conformance: skipped cases\n\n"
		    "Generated by `DENAI_CONFORMANCE_REPORT=docs/onnx-"
		    "conformance.md build/rel/t/test_onnx_conformance.t` over "
		    "the cases in `../shared/onnx-node-tests/` (onnx v1.22.0). "
		    "A case is skipped when its model uses an operator, "
		    "attribute or type the evaluator reports as unsupported "
		    "at load; the reason is the load error.\n\n"
		    "| case | reason |\n| --- | --- |\n");
	for (int i = 0; i < n; i++) {
		const char *c = names[i]->d_name;

		if (argc > 1 && strstr(c, argv[1]) == NULL) {
			free(names[i]);
			continue;
		}
		snprintf(dir, sizeof(dir), "%s/%s", root, c);
		why[0] = '\0';
		switch (run_case(dir, why, sizeof(why))) {
		case PASS:
			ok(1, "%s", c);
			pass++;
			break;
		case SKIP:
			tap_n++;
			printf("ok %d - %s # skip %s\n", tap_n, c, why);
			skipped++;
			if (rep != NULL)
				fprintf(rep, "| %s | %s |\n", c, why);
			break;
		default:
			ok(0, "%s", c);
			diag("%s", why);
			fail++;
			break;
		}
		free(names[i]);
	}
	free(names);
	diag("%d passed, %d failed, %d skipped", pass, fail, skipped);
	if (rep != NULL) {
		fprintf(rep, "\n%d cases pass, %d fail, %d are skipped.\n",
		    pass, fail, skipped);
		fclose(rep);
	}
	return done_testing();
}
