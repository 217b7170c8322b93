/* record.c - NDJSON pipeline records. */
#include "node/record.h"

#include <errno.h>
#include <string.h>

void
denai_reader_init(denai_reader *r, FILE *in)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	denai_linebuf_init(&r->lb, fileno(in), DENAI_RECORD_MAX_LINE);
}

void
denai_reader_free(denai_reader *r)
{
	denai_linebuf_free(&r->lb);
}

int
denai_reader_line(denai_reader *r, const char **line, size_t *len,
    denai_err *err)
{
	int got;

	for (;;) {
		got = denai_linebuf_next(&r->lb, line, len, err);
		r->lineno = r->lb.lineno;
		if (got != 0)
			return got;
		if (r->lb.eof)
			return 0;
		if (denai_linebuf_fill(&r->lb, err) < 0) {
			/* A read error ends the input, as getline's did. */
			r->ioerr = errno ? errno : EIO;
			r->lb.eof = 1;
			r->lb.len = r->lb.off;
		}
	}
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

int
denai_record_parse(json_t **rec, const char *line, size_t len, denai_err *err)
{
	json_error_t je;
	json_t *v;

	*rec = NULL;
	if (memchr(line, '\0', len) != NULL)
		return denai_err_set(err, DENAI_EDATA, "line holds a NUL byte");
	v = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL)
		return denai_err_set(err, DENAI_EDATA, "not JSON: %s at column %d",
		    je.text, je.column);
	if (!json_is_object(v)) {
		json_decref(v);
		return denai_err_set(err, DENAI_EDATA,
		    "a record must be a JSON object");
	}
	*rec = v;
	return 0;
}

int
denai_reader_next(denai_reader *r, json_t **rec, denai_err *err)
{
	const char *line;
	size_t n;
	int got;

	*rec = NULL;
	for (;;) {
		if ((got = denai_reader_line(r, &line, &n, err)) <= 0)
			return got;
		if (blank(line, n))
			continue;
		if (denai_record_parse(rec, line, n, err) != 0)
			return denai_err_prefix(err, "line %lu", r->lineno);
		return 1;
	}
}

int
denai_reader_next_value(denai_reader *r, json_t **v, denai_err *err)
{
	const char *line;
	size_t n;
	json_error_t je;
	int got;

	*v = NULL;
	for (;;) {
		if ((got = denai_reader_line(r, &line, &n, err)) <= 0)
			return got;
		if (!blank(line, n))
			break;
	}
	if (memchr(line, '\0', n) != NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "line %lu: not JSON: holds a NUL byte", r->lineno);
	if ((*v = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "line %lu: not JSON: %s", r->lineno, je.text);
	return 1;
}

int
denai_record_write(FILE *out, const json_t *rec, denai_err *err)
{
	if (json_dumpf(rec, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF || fflush(out) != 0)
		return denai_err_set(err, DENAI_EIO, "cannot write output record");
	return 0;
}

const char *
denai_record_str(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

int
denai_record_is(const json_t *rec, const char *type)
{
	const char *t = denai_record_str(rec, "type");

	return t != NULL && strcmp(t, type) == 0;
}

json_t *
denai_record_error_new(const char *stage, const json_t *rec,
    unsigned long line, const char *message)
{
	json_t *e = json_object(), *id = NULL;

	if (e == NULL)
		return NULL;
	if (rec != NULL)
		id = json_object_get(rec, "request_id");
	json_object_set_new(e, "type", json_string("error"));
	json_object_set_new(e, "stage", json_string(stage));
	json_object_set_new(e, "request_id", id ? json_deep_copy(id) : json_null());
	json_object_set_new(e, "error", json_string(message));
	/* PLATFORM.md: the platform's identifying fields go along too */
	for (int i = 0; rec != NULL && i < 3; i++) {
		static const char *const keys[] = { "task_id", "trainer",
		    "queue" };
		json_t *v = json_object_get(rec, keys[i]);

		if (v != NULL)
			json_object_set_new(e, keys[i], json_deep_copy(v));
	}
	if (line != 0)
		json_object_set_new(e, "line", json_integer((json_int_t)line));
	return e;
}

static int
emit_error(FILE *out, const char *stage, const json_t *rec, unsigned long line,
    const char *msg, denai_err *err)
{
	json_t *e = denai_record_error_new(stage, rec, line, msg);
	int rc;

	if (e == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_record_write(out, e, err);
	json_decref(e);
	return rc;
}

int
denai_stage_run(FILE *in, FILE *out, const char *stage, const char *type,
    denai_stage_fn fn, void *ctx, unsigned long *handled,
    unsigned long *failed, denai_err *err)
{
	denai_reader r;
	denai_err rerr;
	json_t *rec;
	int got, rc = 0, act;

	denai_reader_init(&r, in);
	for (;;) {
		got = denai_reader_next(&r, &rec, &rerr);
		if (got == 0)
			break;
		if (got < 0) {
			if (failed)
				(*failed)++;
			if ((rc = emit_error(out, stage, NULL, r.lineno, rerr.msg,
			    err)) != 0)
				break;
			continue;
		}
		if (type != NULL ? !denai_record_is(rec, type) :
		    denai_record_is(rec, "error")) {
			rc = denai_record_write(out, rec, err);
		} else {
			if (handled)
				(*handled)++;
			denai_err_clear(&rerr);
			act = fn(ctx, rec, &rerr);
			if (act == 0)
				rc = denai_record_write(out, rec, err);
			else if (act < 0) {
				if (failed)
					(*failed)++;
				rc = emit_error(out, stage, rec, 0, rerr.msg, err);
			}
		}
		json_decref(rec);
		if (rc != 0)
			break;
	}
	denai_reader_free(&r);
	return rc;
}
