/* test_csv.c - the platform's CSV grammar: a table of (input, values or
 * error), the float32 conversion against the JSON data-point path, and a
 * reader that stops at its caps however long the line is. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "data/csv.h"

struct good {
	const char *in;
	size_t rows, cols;
	const char *names;		/* joined by '|' */
	float x[8];
};

static const struct good goods[] = {
	{ "a,b\n1,2\n", 1, 2, "a|b", { 1, 2 } },
	{ "a,b\r\n1,2\r\n3,4", 2, 2, "a|b", { 1, 2, 3, 4 } },
	{ "a,b\n1,2\r\n3,4\n", 2, 2, "a|b", { 1, 2, 3, 4 } },
	{ "y\n-0\n", 1, 1, "y", { 0 } },
	{ "y\n0.1\n", 1, 1, "y", { 0.1f } },
	{ "y\n1e3\n", 1, 1, "y", { 1000 } },
	{ "y\n-1.5E-2\n", 1, 1, "y", { -0.015f } },
	{ "y\n1e+2\n", 1, 1, "y", { 100 } },
	{ "y\n3.4028234663852886e38\n", 1, 1, "y", { 3.4028234663852886e38f } },
	{ "y\n1e-50\n", 1, 1, "y", { 0 } },
	{ "y\n9223372036854775807\n", 1, 1, "y", { 9223372036854775807.0f } },
	{ "y\n-9223372036854775808\n", 1, 1, "y", { -9223372036854775808.0f } },
	{ "\xc3\xa9t\xc3\xa9,b c\n1,2\n", 1, 2, "\xc3\xa9t\xc3\xa9|b c",
	    { 1, 2 } },
	{ "x,y,z\n1,2,3\n4,5,6\n7,8,9", 3, 3, "x|y|z",
	    { 1, 2, 3, 4, 5, 6, 7, 8 } },
};

struct bad {
	const char *in;
	size_t len;			/* 0: strlen */
	const char *msg;		/* a part of the message */
};

static const struct bad bads[] = {
	{ "", 0, "the CSV is empty: no header row" },
	{ "a,b\n", 0, "has a header but no data rows" },
	{ "a,b", 0, "has a header but no data rows" },
	{ "\xef\xbb\xbf" "a\n1\n", 0, "starts with a byte-order mark" },
	{ "\n1\n", 0, "line 1 is empty" },
	{ "a,\n1,2\n", 0, "line 1, column 2 has an empty name" },
	{ "a,a\n1,2\n", 0, "column name 'a' appears twice" },
	{ "\"a\",b\n1,2\n", 0, "line 1, column 1: a quote" },
	{ "a,b\n1,\"2\"\n", 0, "line 2 (row 1), column 2 'b': '\"2\"' holds "
	    "a quote" },
	{ "a\tb\n1\n", 0, "a control character in a column name" },
	{ "a\xff\n1\n", 0, "the header is not valid UTF-8" },
	{ "a\xc0\x80\n1\n", 0, "the header is not valid UTF-8" },
	{ "a,b\n1,x\n", 0, "line 2 (row 1), column 2 'b': 'x' is not a number" },
	{ "a,b\n1,2\n3\n", 0, "line 3 (row 2) has 1 fields, the header has 2" },
	{ "a,b\n1,2,3\n", 0, "line 2 (row 1) has 3 fields, the header has 2" },
	{ "a,b\n1,2\n\n3,4\n", 0, "line 3 (row 2) is empty" },
	{ "a,b\n1,2\n\n", 0, "line 3 (row 2) is empty" },
	{ "a\n 1\n", 0, "' 1' is not a number" },
	{ "a\n1 \n", 0, "'1 ' is not a number" },
	{ "a\n+1\n", 0, "'+1' is not a number" },
	{ "a\n01\n", 0, "'01' is not a number" },
	{ "a\n1.\n", 0, "'1.' is not a number" },
	{ "a\n.5\n", 0, "'.5' is not a number" },
	{ "a\n1e\n", 0, "'1e' is not a number" },
	{ "a\n1e+\n", 0, "'1e+' is not a number" },
	{ "a\n-\n", 0, "'-' is not a number" },
	{ "a\nNaN\n", 0, "'NaN' is not a number" },
	{ "a\nInfinity\n", 0, "'Infinity' is not a number" },
	{ "a\n0x10\n", 0, "'0x10' is not a number" },
	{ "a,b\n1,\n", 0, "column 2 'b': '' is empty" },
	{ "a\n1\r\r\n", 0, "'1?' is not a number" },
	{ "a\n1\r2\n", 0, "'1?2' is not a number" },
	{ "a\n3.5e38\n", 0, "'3.5e38' is beyond float32 range" },
	{ "a\n-1e309\n", 0, "'-1e309' is beyond float32 range" },
	{ "a\n9223372036854775808\n", 0, "is an integer beyond int64" },
	{ "a\n-9223372036854775809\n", 0, "is an integer beyond int64" },
	{ "a\n1\0002\n", 6, "'1?2' is not a number" },
};

static void
names_str(char *buf, size_t n, const struct denai_csv *c)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->cols && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? "|" : "",
		    c->names[i]);
}

static void
test_table(void)
{
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good *g = &goods[i];
		struct denai_csv c;
		denai_err err;
		char nm[256];

		if (!ok(denai_csv_parse(&c, &err, g->in, strlen(g->in), NULL,
		    1) == 0, "good %zu parses", i)) {
			diag("%s", err.msg);
			continue;
		}
		names_str(nm, sizeof(nm), &c);
		ok(c.rows == g->rows && c.cols == g->cols, "good %zu: %zux%zu",
		    i, c.rows, c.cols);
		is_str(nm, g->names, "  names");
		for (size_t k = 0; k < c.rows * c.cols && k < 8; k++)
			if (memcmp(&c.x[k], &g->x[k], sizeof(float)) != 0) {
				ok(0, "  value %zu: %.9g, want %.9g", k,
				    c.x[k], g->x[k]);
				break;
			}
		ok(c.text != NULL, "  texts kept");
		denai_csv_free(&c);
	}
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		size_t len = b->len ? b->len : strlen(b->in);
		struct denai_csv c;
		denai_err err;

		memset(&err, 0, sizeof(err));
		ok(denai_csv_parse(&c, &err, b->in, len, NULL, 0) == -1 &&
		    err.code == DENAI_EDATA && c.x == NULL && c.names == NULL,
		    "bad %zu refused", i);
		if (!ok(strstr(err.msg, b->msg) != NULL, "  says '%s'", b->msg))
			diag("got: %s", err.msg);
	}
}

static void
test_texts(void)
{
	const char *in = "a,y\n1.50,-0.000\n2e1,7\n";
	struct denai_csv c;
	denai_err err;

	if (!ok(denai_csv_parse(&c, &err, in, strlen(in), NULL, 1) == 0,
	    "texts: parses")) {
		diag("%s", err.msg);
		return;
	}
	is_str(c.text[0], "1.50", "texts: [0]");
	is_str(c.text[1], "-0.000", "texts: [1]");
	is_str(c.text[2], "2e1", "texts: [2]");
	is_str(c.text[3], "7", "texts: [3]");
	ok(denai_csv_column(&c, "y") == 1 && denai_csv_column(&c, "z") == -1,
	    "column lookup");
	ok(signbit(c.x[1]), "texts: -0.000 is a real, so -0");
	denai_csv_free(&c);
	ok(denai_csv_parse(&c, &err, in, strlen(in), NULL, 0) == 0 &&
	    c.text == NULL, "texts: not kept unless asked");
	denai_csv_free(&c);
}

/* The same float32 as Jansson's number, then the oracle's (float). */
static int
json_float(float *v, const char *s)
{
	char buf[512];
	json_error_t je;
	json_t *a;
	double d;

	snprintf(buf, sizeof(buf), "[%s]", s);
	if ((a = json_loads(buf, 0, &je)) == NULL)
		return -1;
	d = json_number_value(json_array_get(a, 0));
	json_decref(a);
	*v = (float)d;
	return isfinite(*v) ? 0 : -1;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
test_json_agrees(void)
{
	int same = 0, tried = 0;

	for (int i = 0; i < 20000; i++) {
		char s[128];
		size_t o = 0;
		int nd = 1 + (int)rnd(25);
		float a = 0, b = 0;
		denai_err err;
		int ra, rb;

		if (rnd(2))
			s[o++] = '-';
		s[o++] = (char)('1' + rnd(9));
		for (int k = 1; k < nd; k++)
			s[o++] = (char)('0' + rnd(10));
		if (rnd(2)) {
			s[o++] = '.';
			for (int k = 0, m = 1 + (int)rnd(20); k < m; k++)
				s[o++] = (char)('0' + rnd(10));
		}
		if (rnd(2))
			o += (size_t)snprintf(s + o, sizeof(s) - o, "e%d",
			    (int)rnd(90) - 45);
		s[o] = '\0';
		ra = denai_csv_number(&a, s, o, &err);
		rb = json_float(&b, s);
		tried++;
		if (ra == rb && (ra != 0 || memcmp(&a, &b, 4) == 0))
			same++;
		else if (tried - same < 5)
			diag("differs on %s: csv %d %.9g, json %d %.9g", s, ra,
			    a, rb, b);
	}
	ok(same == tried, "%d/%d random numbers as the JSON path gives them",
	    same, tried);
}

/* Short numbers (the fast path: at most 15 digits, a small exponent, and
 * just past it) against strtod's correctly rounded double, as float32. */
static void
test_short_numbers(void)
{
	int same = 0, tried = 0;

	for (int i = 0; i < 200000; i++) {
		char s[128];
		size_t o = 0;
		int ni = (int)rnd(9), nf = (int)rnd(12);
		float a = 0, b;
		denai_err err;

		if (rnd(2))
			s[o++] = '-';
		if (ni == 0)
			s[o++] = '0';
		else {
			s[o++] = (char)('1' + rnd(9));
			for (int k = 1; k < ni; k++)
				s[o++] = (char)('0' + rnd(10));
		}
		if (nf > 0 || ni == 0) {
			s[o++] = '.';
			for (int k = 0; k < (nf > 0 ? nf : 1); k++)
				s[o++] = (char)('0' + rnd(10));
		}
		if (rnd(3) == 0)
			o += (size_t)snprintf(s + o, sizeof(s) - o, "%s%d",
			    rnd(2) ? "e" : "E", (int)rnd(60) - 30);
		s[o] = '\0';
		b = (float)strtod(s, NULL);
		tried++;
		if (denai_csv_number(&a, s, o, &err) == 0 &&
		    memcmp(&a, &b, 4) == 0)
			same++;
		else if (tried - same < 5)
			diag("differs on %s: %.9g, strtod %.9g", s, a, b);
	}
	ok(same == tried, "%d/%d short numbers as strtod gives them", same,
	    tried);
}

/* An endless line, counting what was read. */
static ssize_t
endless(void *cookie, char *buf, size_t n)
{
	*(size_t *)cookie += n;
	memset(buf, '1', n);
	return (ssize_t)n;
}

static void
test_caps(void)
{
	struct denai_csv_limits lim = denai_csv_limits_v1;
	cookie_io_functions_t io = { .read = endless };
	size_t got = 0;
	struct denai_csv c;
	denai_err err;
	FILE *f;
	char *big;

	f = fopencookie(&got, "r", io);
	ok(denai_csv_read_stream(&c, &err, f, "endless.csv", NULL, 0) == -1 &&
	    strstr(err.msg, "endless.csv: line 1 is longer than 1048576 "
	    "bytes") != NULL, "an endless line is refused");
	diag("%s", err.msg);
	ok(got < (2u << 20) + 65536, "after reading %zu bytes", got);
	fclose(f);

	lim.max_rows = 2;
	ok(denai_csv_parse(&c, &err, "a\n1\n2\n3\n", 8, &lim, 0) == -1 &&
	    strstr(err.msg, "more than 2 data rows") != NULL, "row cap");
	lim = denai_csv_limits_v1;
	lim.max_cols = 2;
	ok(denai_csv_parse(&c, &err, "a,b,c\n1,2,3\n", 12, &lim, 0) == -1 &&
	    strstr(err.msg, "has 3 columns, more than 2") != NULL, "column cap");
	lim = denai_csv_limits_v1;
	lim.max_bytes = 10;
	ok(denai_csv_parse(&c, &err, "a,b\n1,2\n3,4\n", 12, &lim, 0) == -1 &&
	    strstr(err.msg, "larger than 10 bytes") != NULL, "byte cap");
	lim = denai_csv_limits_v1;
	lim.max_line = 4;
	ok(denai_csv_parse(&c, &err, "a\n12345\n", 8, &lim, 0) == -1 &&
	    strstr(err.msg, "line 2 is longer than 4 bytes") != NULL,
	    "line cap");
	ok(denai_csv_parse(&c, &err, "a\n1234\r\n", 8, &lim, 0) == 0,
	    "a CR is not counted in a line");
	denai_csv_free(&c);

	/* A big table through a real file. */
	if ((big = malloc(2u << 20)) != NULL) {
		size_t o = 0;
		char path[] = "/tmp/test_csv_XXXXXX";
		int fd = mkstemp(path);
		FILE *w = fd >= 0 ? fdopen(fd, "w") : NULL;

		o += (size_t)sprintf(big, "a,b,c\n");
		for (int i = 0; i < 50000; i++)
			o += (size_t)sprintf(big + o, "%d,%d.25,-%de-3\n", i, i,
			    i);
		if (w != NULL) {
			fwrite(big, 1, o, w);
			fclose(w);
			ok(denai_csv_read(&c, &err, path, NULL, 1) == 0 &&
			    c.rows == 50000 && c.x[3 * 49999 + 1] == 49999.25f &&
			    strcmp(c.text[3 * 49999 + 2], "-49999e-3") == 0,
			    "50,000 rows from a file");
			denai_csv_free(&c);
			lim = denai_csv_limits_v1;
			lim.max_bytes = 1000;
			ok(denai_csv_read(&c, &err, path, &lim, 0) == -1 &&
			    strstr(err.msg, "larger than 1000 bytes") != NULL,
			    "a regular file over the cap is refused unread");
			unlink(path);
		}
		free(big);
	}
	ok(denai_csv_read(&c, &err, "/nonexistent/x.csv", NULL, 0) == -1 &&
	    err.code == DENAI_EIO, "a missing file is an I/O error");
}

int
main(void)
{
	test_table();
	test_texts();
	test_json_agrees();
	test_short_numbers();
	test_caps();
	return done_testing();
}
