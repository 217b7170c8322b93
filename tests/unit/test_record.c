/* test_record.c - the NDJSON reader: blank lines skipped, line numbers,
 * records (objects only) and values (rows too: arrays or objects), and each malformed line
 * reported so reading goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "node/record.h"


/* The reader reads the stream's descriptor (it is bounded below stdio), so
 * the input is a real file, not an fmemopen stream. */
static FILE *
mem(const void *p, size_t n)
{
	FILE *f = tmpfile();

	if (f == NULL || fwrite(p, 1, n, f) != n || fflush(f) != 0)
		abort();
	rewind(f);
	return f;
}

static const char input[] =
    "{\"type\":\"request\"}\n"
    "\n"
    "  \t\n"
    "[1,2]\n"
    "{\"a\":1,\"a\":2}\n"
    "nope\n"
    "\"s\"\n"
    "{\"last\":true}";

int
main(void)
{
	denai_reader r;
	denai_err err;
	json_t *v;
	FILE *f;
	int got;

	/* Records: objects only. */
	f = mem(input, sizeof(input) - 1);
	denai_reader_init(&r, f);
	got = denai_reader_next(&r, &v, &err);
	ok(got == 1 && denai_record_is(v, "request") && r.lineno == 1,
	    "a record on line 1");
	json_decref(v);
	got = denai_reader_next(&r, &v, &err);
	ok(got == -1 && v == NULL, "a row is no record");
	is_str(err.msg, "line 4: a record must be a JSON object",
	    "  named by its line (blank lines counted, skipped)");
	got = denai_reader_next(&r, &v, &err);
	ok(got == -1 && strstr(err.msg, "line 5: not JSON: duplicate") != NULL,
	    "a duplicate key is refused (%s)", err.msg);
	got = denai_reader_next(&r, &v, &err);
	ok(got == -1 && strstr(err.msg, "line 6: not JSON: ") != NULL &&
	    strstr(err.msg, "at column") != NULL, "bad JSON: %s", err.msg);
	got = denai_reader_next(&r, &v, &err);
	ok(got == -1, "a string is no record");
	got = denai_reader_next(&r, &v, &err);
	ok(got == 1 && json_is_true(json_object_get(v, "last")) &&
	    r.lineno == 8, "the last line needs no newline");
	json_decref(v);
	ok(denai_reader_next(&r, &v, &err) == 0 && v == NULL, "then the end");
	denai_reader_free(&r);
	fclose(f);

	/* Values: any JSON. */
	f = mem(input, sizeof(input) - 1);
	denai_reader_init(&r, f);
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == 1 && json_is_object(v), "a value: the record");
	json_decref(v);
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == 1 && json_is_array(v) && json_array_size(v) == 2 &&
	    r.lineno == 4, "a value: the row on line 4");
	json_decref(v);
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == -1 && strncmp(err.msg, "line 5: not JSON: ", 18) == 0,
	    "duplicate key: %s", err.msg);
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == -1 && strncmp(err.msg, "line 6: not JSON: ", 18) == 0 &&
	    strstr(err.msg, "column") == NULL, "bad JSON: %s", err.msg);
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == -1 && strncmp(err.msg, "line 7: not JSON: ", 18) == 0,
	    "a value is an array or an object: %s", err.msg);
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == 1 && json_is_object(v), "a value: the last record");
	json_decref(v);
	ok(denai_reader_next_value(&r, &v, &err) == 0, "then the end");
	denai_reader_free(&r);
	fclose(f);

	/* A NUL byte inside a line. */
	f = mem("[1,\0 2]\n[3]\n", 12);
	denai_reader_init(&r, f);
	got = denai_reader_next_value(&r, &v, &err);
	is_str(got == -1 ? err.msg : "", "line 1: not JSON: holds a NUL byte",
	    "a NUL byte");
	got = denai_reader_next_value(&r, &v, &err);
	ok(got == 1 && json_is_array(v), "reading goes on after it");
	json_decref(v);
	denai_reader_free(&r);
	fclose(f);
	return done_testing();
}
