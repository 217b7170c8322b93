/*
 * test_metrics.c - lib/metrics: the text written is parsed back by a small
 * reader of the exposition format (HELP, TYPE, samples with escaped label
 * values) and every value checked; histograms are cumulative and end with
 * +Inf equal to _count; the file is rewritten atomically by the writer.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "metrics/metrics.h"
#include "../tap.h"

/* One parsed sample. */
struct sample {
	char name[128];
	char labels[16][2][128];
	int nl;
	double v;
};

/* Parses "name{k="v",...} value"; returns 0 or -1 when malformed. */
static int
parse_sample(struct sample *s, const char *line)
{
	const char *p = line;
	size_t n = 0;
	char *end;

	memset(s, 0, sizeof(*s));
	while (*p && *p != '{' && *p != ' ' && n < sizeof(s->name) - 1)
		s->name[n++] = *p++;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			size_t k = 0;

			if (s->nl == 16)
				return -1;
			while (*p && *p != '=' && k < 127)
				s->labels[s->nl][0][k++] = *p++;
			if (p[0] != '=' || p[1] != '"')
				return -1;
			p += 2;
			k = 0;
			while (*p && *p != '"' && k < 127) {
				if (*p == '\\') {
					p++;
					if (*p == 'n')
						s->labels[s->nl][1][k++] = '\n';
					else if (*p == '\\' || *p == '"')
						s->labels[s->nl][1][k++] = *p;
					else
						return -1;
					p++;
				} else
					s->labels[s->nl][1][k++] = *p++;
			}
			if (*p != '"')
				return -1;
			p++;
			s->nl++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				return -1;
		}
		p++;
	}
	if (*p != ' ')
		return -1;
	p++;
	if (strcmp(p, "+Inf") == 0)
		s->v = INFINITY;
	else if (strcmp(p, "NaN") == 0)
		s->v = NAN;
	else {
		s->v = strtod(p, &end);
		if (end == p || *end != '\0')
			return -1;
	}
	return 0;
}

static const char *
label(const struct sample *s, const char *k)
{
	for (int i = 0; i < s->nl; i++)
		if (strcmp(s->labels[i][0], k) == 0)
			return s->labels[i][1];
	return NULL;
}

static struct sample samples[256];
static int nsamples, nbad, nhelp, ntype;

static void
parse_all(char *text)
{
	char *line, *save = NULL;

	nsamples = nbad = nhelp = ntype = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0)
			nhelp++;
		else if (strncmp(line, "# TYPE ", 7) == 0)
			ntype++;
		else if (nsamples < 256 && parse_sample(&samples[nsamples],
		    line) == 0)
			nsamples++;
		else {
			diag("bad line: %s", line);
			nbad++;
		}
	}
}

/* The value of name with label k=v (k NULL: any), or NAN when absent. */
static double
value(const char *name, const char *k, const char *v)
{
	for (int i = 0; i < nsamples; i++) {
		if (strcmp(samples[i].name, name) != 0)
			continue;
		if (k == NULL || (label(&samples[i], k) != NULL &&
		    strcmp(label(&samples[i], k), v) == 0))
			return samples[i].v;
	}
	return NAN;
}

int
main(void)
{
	denai_metrics *m;
	denai_err err;
	char *text;
	size_t len;
	const char *const weird[] = { "path", "a\"b\\c\nd", NULL };
	const char *const badl[] = { "0bad", "x", NULL };
	const char *const le[] = { "le", "1", NULL };
	char dir[] = "/tmp/denai-metrics.XXXXXX", path[64];
	uint8_t *file;
	size_t flen;

	m = denai_metrics_new("fetch", &err);
	ok(m != NULL, "new");
	for (int i = 0; i < 5; i++)
		denai_metrics_in(m);
	for (int i = 0; i < 3; i++)
		denai_metrics_out(m);
	denai_metrics_error(m, "bad data");
	denai_metrics_error(m, "bad data");
	denai_metrics_error(m, "unavailable");
	denai_metrics_time(m, 0.0003);
	denai_metrics_time(m, 0.02);
	denai_metrics_time(m, 2);
	denai_metrics_time(m, 1000);
	ok(denai_metrics_set(m, "denai_chain_lag_blocks", "Blocks behind.",
	    NULL, 7, &err) == 0, "gauge");
	ok(denai_metrics_set(m, "denai_chain_lag_blocks", NULL, NULL, 3,
	    &err) == 0, "gauge set again");
	ok(denai_metrics_set(m, "denai_hashes_per_second", "Hash rate.",
	    NULL, 1.5e6 + 0.25, &err) == 0, "a fractional gauge");
	ok(denai_metrics_add(m, "denai_weird_total", "Help with \\ and\nnewline.",
	    weird, 2, &err) == 0, "a counter with a label needing escapes");
	ok(denai_metrics_add(m, "denai_x_total", "", NULL, -1, &err) == -1 &&
	    err.code == DENAI_EUSAGE, "a counter does not go down");
	ok(denai_metrics_set(m, DENAI_M_IN, "", NULL, 1, &err) == -1 &&
	    err.code == DENAI_EUSAGE, "a counter is not a gauge");
	ok(denai_metrics_set(m, "9bad", "", NULL, 1, &err) == -1,
	    "a bad metric name");
	ok(denai_metrics_set(m, "denai_y", "", badl, 1, &err) == -1,
	    "a bad label name");
	ok(denai_metrics_observe(m, "denai_z_seconds", "", le, 1, &err) == -1,
	    "le is not a histogram's label");
	ok(denai_metrics_set(NULL, "denai_y", "", NULL, 1, &err) == 0,
	    "a NULL registry does nothing");
	denai_metrics_in(NULL);

	ok(denai_metrics_format(m, &text, &len, &err) == 0, "format");
	ok(len == strlen(text) && text[len - 1] == '\n', "text ends a line");
	ok(strstr(text, "# TYPE denai_record_seconds histogram\n") != NULL,
	    "histogram TYPE line");
	ok(strstr(text, "# HELP denai_weird_total Help with \\\\ and\\nnewline.\n")
	    != NULL, "help escaped");
	parse_all(text);
	ok(nbad == 0, "every line parses");
	ok(nhelp == ntype && nhelp == 8, "HELP and TYPE per family (%d)", nhelp);
	ok(value(DENAI_M_IN, "stage", "fetch") == 5, "records in");
	ok(value(DENAI_M_OUT, NULL, NULL) == 3, "records out");
	ok(value(DENAI_M_ERRORS, "reason", "bad data") == 2, "errors by reason");
	ok(value(DENAI_M_ERRORS, "reason", "unavailable") == 1, "errors: other");
	ok(value("denai_chain_lag_blocks", NULL, NULL) == 3, "gauge value");
	ok(value("denai_hashes_per_second", NULL, NULL) == 1.5e6 + 0.25,
	    "fractional gauge round-trips");
	ok(value("denai_weird_total", "path", "a\"b\\c\nd") == 2,
	    "escaped label value round-trips");
	ok(value("denai_record_seconds_count", NULL, NULL) == 4, "_count");
	ok(fabs(value("denai_record_seconds_sum", NULL, NULL) - 1002.0203) <
	    1e-9, "_sum");
	ok(value("denai_record_seconds_bucket", "le", "0.0005") == 1,
	    "first bucket");
	ok(value("denai_record_seconds_bucket", "le", "0.025") == 2,
	    "le=0.025 holds two");
	ok(value("denai_record_seconds_bucket", "le", "5") == 3, "le=5 holds three");
	ok(value("denai_record_seconds_bucket", "le", "300") == 3,
	    "1000 s is only in +Inf");
	ok(value("denai_record_seconds_bucket", "le", "+Inf") == 4,
	    "+Inf equals _count");
	{
		double last = 0;
		int mono = 1, nb = 0;

		for (int i = 0; i < nsamples; i++)
			if (strcmp(samples[i].name,
			    "denai_record_seconds_bucket") == 0) {
				mono &= samples[i].v >= last;
				last = samples[i].v;
				nb++;
			}
		ok(mono && nb == DENAI_METRICS_NBUCKETS + 1,
		    "buckets are cumulative (%d)", nb);
	}
	ok(value("denai_stage_start_time_seconds", NULL, NULL) > 1e9,
	    "start time");
	free(text);

	ok(mkdtemp(dir) != NULL, "scratch dir");
	snprintf(path, sizeof(path), "%s/fetch.prom", dir);
	ok(denai_metrics_start(m, path, 100, &err) == 0, "writer started");
	ok(denai_file_read(&file, &flen, path, 1 << 20, &err) == 0,
	    "first write is there at once");
	free(file);
	ok(denai_metrics_start(m, path, 100, &err) == -1, "started once only");
	denai_metrics_in(m);
	usleep(350 * 1000);
	ok(denai_file_read(&file, &flen, path, 1 << 20, &err) == 0, "read back");
	parse_all((char *)file);
	ok(nbad == 0 && value(DENAI_M_IN, NULL, NULL) == 6,
	    "the writer rewrote it");
	free(file);
	denai_metrics_in(m);
	denai_metrics_free(m);
	ok(denai_file_read(&file, &flen, path, 1 << 20, &err) == 0, "read last");
	parse_all((char *)file);
	ok(value(DENAI_M_IN, NULL, NULL) == 7, "free writes a last time");
	free(file);
	unlink(path);
	ok(rmdir(dir) == 0, "no temporary file left behind");
	denai_metrics_free(NULL);
	return done_testing();
}
