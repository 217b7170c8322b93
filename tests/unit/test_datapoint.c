/* test_datapoint.c - what a data point is (nested arrays of numbers, or an
 * object of them) and reading one as a user gives it: a file or the
 * standard input, checked, capped at 16 MiB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "node/datapoint.h"

static void
check(const char *text, int want_ok)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	denai_err err;

	ok(v != NULL && (denai_data_point_check(v, &err) == 0) == want_ok,
	    "%s: %s", text, want_ok ? "a data point" : "refused");
	json_decref(v);
}

/* A temporary file holding text (len bytes). */
static FILE *
tmp_with(const char *text, size_t len)
{
	FILE *f = tmpfile();

	if (f == NULL || fwrite(text, 1, len, f) != len)
		abort();
	rewind(f);
	return f;
}

int
main(void)
{
	char path[] = "/tmp/test_datapoint.XXXXXX";
	denai_err err;
	uint8_t *buf;
	size_t n;
	FILE *f;
	int fd;

	check("[1, 2.5, -3]", 1);
	check("[[1, 2], [3, 4]]", 1);
	check("{\"x\": [1], \"y\": [[2]]}", 1);
	check("[]", 0);
	check("[1, \"a\"]", 0);
	check("{\"x\": 3}", 0);
	check("3", 0);

	/* A file. */
	if ((fd = mkstemp(path)) < 0 || write(fd, "[1, 2]\n", 7) != 7)
		abort();
	close(fd);
	ok(denai_data_point_read(&buf, &n, path, NULL, &err) == 0 && n == 7 &&
	    memcmp(buf, "[1, 2]\n", 7) == 0, "a file: its bytes as read");
	free(buf);
	unlink(path);
	ok(denai_data_point_read(&buf, &n, path, NULL, &err) == -1 &&
	    err.code == DENAI_EIO && buf == NULL, "a file not there: EIO (%s)",
	    err.msg);

	/* The standard input ("-"). */
	f = tmp_with("[[1], [2]]", 10);
	ok(denai_data_point_read(&buf, &n, "-", f, &err) == 0 && n == 10 &&
	    buf[10] == '\0', "a stream: read to its end");
	free(buf);
	fclose(f);
	f = tmp_with("[1, 2", 5);
	ok(denai_data_point_read(&buf, &n, "-", f, &err) == -1 &&
	    err.code == DENAI_EDATA && buf == NULL, "truncated JSON refused");
	is_str(err.msg, "-: not JSON: ']' expected near end of file at line 1",
	    "  named, with the line");
	fclose(f);
	f = tmp_with("{\"x\": 3}", 8);
	ok(denai_data_point_read(&buf, &n, "-", f, &err) == -1, "no data "
	    "point refused");
	is_str(err.msg, "-: data point input 'x' is not a non-empty nested "
	    "array of numbers", "  saying why");
	fclose(f);
	{
		size_t big = DENAI_DATA_POINT_MAX + 10;
		char *b = malloc(big);

		if (b == NULL)
			abort();
		memset(b, ' ', big);
		b[0] = '[';
		f = tmp_with(b, big);
		free(b);
		ok(denai_data_point_read(&buf, &n, "-", f, &err) == -1 &&
		    err.code == DENAI_EDATA, "over 16 MiB refused");
		is_str(err.msg, "data point over 16 MiB", "  saying so");
		fclose(f);
	}
	return done_testing();
}
