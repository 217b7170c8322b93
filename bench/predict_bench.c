/*
 * predict_bench.c - in-process timing of the ONNX evaluator, and a process
 * timer for bench/predict.sh.
 *
 *   predict_bench latency MODEL ROWS.ndjson [N]
 *	N single-row evaluations (default 10000), cycling through the rows
 *	(each a JSON array of numbers): the input is filled in place, the
 *	graph run, the first output read. Prints the median and 90th
 *	percentile in microseconds, then the batch throughput: all rows as
 *	one [rows, F] input, repeated to at least 10000 rows, median of 5.
 *   predict_bench spawn N STDIN-FILE CMD [ARG...]
 *	Runs CMD N times with stdin from STDIN-FILE and stdout to /dev/null;
 *	prints the median wall time in ms and the largest max RSS in KiB.
 *
 * Output: one line of "key=value" pairs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "onnx/graph.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Reads rows of numbers (one JSON array per line); returns the count. */
static size_t
read_rows(const char *path, float **out, size_t *nf)
{
	FILE *f = fopen(path, "r");
	char line[1 << 16];
	size_t n = 0, cap = 0;
	float *v = NULL;

	*nf = 0;
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = strchr(line, '['), *e;
		size_t k = 0;

		if (p == NULL)
			continue;
		p++;
		for (;;) {
			double d = strtod(p, &e);

			if (e == p)
				break;
			if ((n + 1) * 4096 > cap) {
				cap = cap ? cap * 2 : 1 << 16;
				if ((v = realloc(v, cap * sizeof(float))) ==
				    NULL)
					exit(1);
			}
			v[n * (*nf ? *nf : 4096) + k++] = (float)d;
			p = e;
			while (*p == ' ' || *p == ',')
				p++;
		}
		if (*nf == 0)
			*nf = k;	/* row 0 sits at v[0..k) either way */
		else if (k != *nf) {
			fprintf(stderr, "predict_bench: ragged rows\n");
			exit(1);
		}
		n++;
	}
	fclose(f);
	*out = v;
	return n;
}

static int
latency(const char *model, const char *rows, long iters)
{
	denai_graph *g;
	denai_err err;
	float *x;
	size_t nf, nr = read_rows(rows, &x, &nf);
	double *t, batch[5];
	int64_t dims[2];
	long brows;

	if (nr == 0) {
		fprintf(stderr, "predict_bench: no rows in %s\n", rows);
		return 1;
	}
	if (denai_graph_load_file(&g, model, NULL, &err) != 0) {
		fprintf(stderr, "predict_bench: %s: %s\n", model, err.msg);
		return 1;
	}
	if ((t = malloc((size_t)iters * sizeof(double))) == NULL)
		return 1;
	dims[0] = 1;
	dims[1] = (int64_t)nf;
	for (long i = -100; i < iters; i++) {
		size_t r = (size_t)(i < 0 ? -i : i) % nr;
		denai_tensor *in = denai_graph_input(g, 0);
		double t0 = now_us();

		if (denai_tensor_reshape(in, DENAI_DT_FLOAT, 2, dims,
		    &err) != 0)
			return 1;
		memcpy(in->data, x + r * nf, nf * sizeof(float));
		if (denai_graph_run(g, &err) != 0) {
			fprintf(stderr, "predict_bench: %s\n", err.msg);
			return 1;
		}
		(void)denai_graph_output(g, 0);
		if (i >= 0)
			t[i] = now_us() - t0;
	}
	qsort(t, (size_t)iters, sizeof(double), cmp_d);
	brows = ((10000 + (long)nr - 1) / (long)nr) * (long)nr;
	dims[0] = brows;
	for (int k = 0; k < 5; k++) {
		denai_tensor *in = denai_graph_input(g, 0);
		double t0;

		if (denai_tensor_reshape(in, DENAI_DT_FLOAT, 2, dims,
		    &err) != 0)
			return 1;
		for (long r = 0; r < brows; r++)
			memcpy((float *)in->data + r * nf,
			    x + (size_t)(r % (long)nr) * nf, nf * sizeof(float));
		t0 = now_us();
		if (denai_graph_run(g, &err) != 0) {
			fprintf(stderr, "predict_bench: batch: %s\n", err.msg);
			return 1;
		}
		batch[k] = now_us() - t0;
	}
	qsort(batch, 5, sizeof(double), cmp_d);
	printf("single_median_us=%.3f single_p90_us=%.3f batch_rows=%ld "
	    "batch_rows_per_s=%.0f\n", t[iters / 2], t[iters * 9 / 10], brows,
	    (double)brows / (batch[2] / 1e6));
	denai_graph_free(g);
	free(t);
	free(x);
	return 0;
}

static int
spawn(int n, const char *in, char **cmd)
{
	double *t = calloc((size_t)n, sizeof(double));
	long maxrss = 0;

	if (t == NULL)
		return 1;
	for (int i = 0; i < n; i++) {
		struct rusage ru;
		int st;
		double t0 = now_us();
		pid_t p = fork();

		if (p == 0) {
			int fd = open(in, O_RDONLY), nul = open("/dev/null",
			    O_WRONLY);

			if (fd < 0 || nul < 0)
				_exit(127);
			dup2(fd, 0);
			dup2(nul, 1);
			execvp(cmd[0], cmd);
			_exit(127);
		}
		if (p < 0 || wait4(p, &st, 0, &ru) != p) {
			perror("predict_bench");
			return 1;
		}
		t[i] = now_us() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "predict_bench: %s failed\n", cmd[0]);
			return 1;
		}
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(t, (size_t)n, sizeof(double), cmp_d);
	printf("median_ms=%.3f maxrss_kib=%ld\n", t[n / 2] / 1e3, maxrss);
	free(t);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "latency") == 0)
		return latency(argv[2], argv[3], argc > 4 ? atol(argv[4]) :
		    10000);
	if (argc >= 5 && strcmp(argv[1], "spawn") == 0)
		return spawn(atoi(argv[2]), argv[3], argv + 4);
	fprintf(stderr, "usage: predict_bench latency MODEL ROWS [N]\n"
	    "       predict_bench spawn N STDIN-FILE CMD [ARG...]\n");
	return 64;
}
