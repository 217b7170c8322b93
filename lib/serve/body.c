/*
 * body.c - the JSON body readers and the CSV check behind POST routes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "eth/units.h"
#include "ipfs/cid.h"
#include "node/datapoint.h"
#include "serve/body.h"

static const char *const dl_names[5] = {
	"commit", "test_reveal", "model_reveal", "score_commit", "score_reveal"
};

const char *
denai_serve_deadline_name(int i)
{
	return i >= 0 && i < 5 ? dl_names[i] : "?";
}

static int
bad_set(serve_bad *bad, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
bad_set(serve_bad *bad, const char *field, const char *fmt, ...)
{
	va_list ap;

	snprintf(bad->field, sizeof(bad->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(bad->msg, sizeof(bad->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static json_t *
load(const char *body, size_t len, serve_bad *bad)
{
	json_error_t je;
	json_t *v;

	if (body == NULL || len == 0) {
		bad_set(bad, "", "the body is empty: send a JSON object");
		return NULL;
	}
	v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		bad_set(bad, "", "the body is not JSON: %s at offset %d",
		    je.text, je.position);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		bad_set(bad, "", "the body is not a JSON object");
		return NULL;
	}
	return v;
}

static int
only_fields(const json_t *o, const char *const *allowed, serve_bad *bad)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		int found = 0;
		for (size_t i = 0; allowed[i]; i++)
			if (strcmp(k, allowed[i]) == 0)
				found = 1;
		if (!found)
			return bad_set(bad, k, "unknown field");
	}
	return 0;
}

/* A non-negative integer from a JSON integer or a decimal string. */
static int
get_uint(const json_t *o, const char *f, uint64_t max, int required,
    uint64_t def, uint64_t *out, serve_bad *bad)
{
	const json_t *v = json_object_get(o, f);
	const char *s;
	char *end;
	unsigned long long n;

	*out = def;
	if (v == NULL)
		return required ? bad_set(bad, f, "missing") : 0;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 ||
		    (uint64_t)json_integer_value(v) > max)
			return bad_set(bad, f, "out of range (0..%llu)",
			    (unsigned long long)max);
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v) || (s = json_string_value(v))[0] < '0' ||
	    s[0] > '9')
		return bad_set(bad, f, "not a non-negative integer");
	n = strtoull(s, &end, 10);
	if (*end != '\0' || strlen(s) > 20 || n > max)
		return bad_set(bad, f, "not an integer in 0..%llu",
		    (unsigned long long)max);
	*out = n;
	return 0;
}

static int
get_amount(const json_t *o, const char *f, int required, denai_u256 *out,
    serve_bad *bad)
{
	const json_t *v = json_object_get(o, f);
	denai_err err;
	char buf[40];

	denai_u256_from_u64(out, 0);
	if (v == NULL)
		return required ? bad_set(bad, f, "missing") : 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		return denai_units_parse(out, buf, &err) == 0 ? 0 :
		    bad_set(bad, f, "%s", err.msg);
	}
	if (!json_is_string(v))
		return bad_set(bad, f, "not an amount (wei as a decimal string, "
		    "or \"0.1ether\")");
	if (denai_units_parse(out, json_string_value(v), &err) != 0)
		return bad_set(bad, f, "%s", err.msg);
	return 0;
}

static int
get_cid(const json_t *v, const char *f, const char **out, serve_bad *bad)
{
	denai_cid cid;
	denai_err err;
	const char *s;

	if (!json_is_string(v))
		return bad_set(bad, f, "not a string");
	s = json_string_value(v);
	if (denai_cid_parse_any(&cid, s, strlen(s), &err) != 0)
		return bad_set(bad, f, "not a CID: %s", err.msg);
	*out = s;
	return 0;
}

/* One of f_inline (a string) and f_cid. */
static int
get_data(const json_t *o, const char *f_inline, const char *f_cid,
    const char **text, size_t *len, const char **cid, serve_bad *bad)
{
	const json_t *a = json_object_get(o, f_inline),
	    *b = json_object_get(o, f_cid);

	*text = *cid = NULL;
	*len = 0;
	if ((a == NULL) == (b == NULL))
		return bad_set(bad, a ? f_cid : f_inline, "give exactly one of "
		    "%s and %s", f_inline, f_cid);
	if (b != NULL)
		return get_cid(b, f_cid, cid, bad);
	if (!json_is_string(a))
		return bad_set(bad, f_inline, "not a string");
	*text = json_string_value(a);
	*len = json_string_length(a);
	return 0;
}

int
denai_serve_task_parse(serve_task_in *t, const char *body, size_t len,
    serve_bad *bad)
{
	static const char *const fields[] = {
		"train_csv", "train_cid", "test_csv", "test_cid", "kind",
		"label_column", "decimals", "reward", "reveal_bond",
		"commit_bond", "quorum", "deadlines", "windows", NULL
	};
	const json_t *v, *dl;
	uint64_t n;
	const char *dlf;

	memset(t, 0, sizeof(*t));
	if ((t->root = load(body, len, bad)) == NULL)
		return -1;
	if (only_fields(t->root, fields, bad) != 0 ||
	    get_data(t->root, "train_csv", "train_cid", &t->train_csv,
	    &t->train_len, &t->train_cid, bad) != 0 ||
	    get_data(t->root, "test_csv", "test_cid", &t->test_csv,
	    &t->test_len, &t->test_cid, bad) != 0)
		goto fail;
	v = json_object_get(t->root, "kind");
	if (v == NULL) {
		bad_set(bad, "kind", "missing");
		goto fail;
	}
	if (json_is_string(v) && strcmp(json_string_value(v),
	    "classification") == 0)
		t->kind = SERVE_KIND_CLASSIFICATION;
	else if (json_is_string(v) && strcmp(json_string_value(v),
	    "regression") == 0)
		t->kind = SERVE_KIND_REGRESSION;
	else {
		bad_set(bad, "kind", "not \"classification\" or \"regression\"");
		goto fail;
	}
	v = json_object_get(t->root, "label_column");
	if (v == NULL || !json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > 256 ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		bad_set(bad, "label_column", v ? "not a column name (1 to 256 "
		    "characters)" : "missing");
		goto fail;
	}
	t->label = json_string_value(v);
	if (get_uint(t->root, "decimals", 18, 0, 0, &n, bad) != 0)
		goto fail;
	if (n != 0 && t->kind == SERVE_KIND_CLASSIFICATION) {
		bad_set(bad, "decimals", "only for regression");
		goto fail;
	}
	t->decimals = (unsigned)n;
	if (get_amount(t->root, "reward", 1, &t->reward, bad) != 0 ||
	    get_amount(t->root, "reveal_bond", 0, &t->reveal_bond, bad) != 0 ||
	    get_amount(t->root, "commit_bond", 0, &t->commit_bond, bad) != 0)
		goto fail;
	if (denai_u256_is_zero(&t->reward)) {
		bad_set(bad, "reward", "must be more than zero");
		goto fail;
	}
	if (get_uint(t->root, "quorum", 255, 0, 1, &n, bad) != 0)
		goto fail;
	if (n == 0) {
		bad_set(bad, "quorum", "at least 1");
		goto fail;
	}
	t->quorum = (unsigned)n;
	dl = json_object_get(t->root, "deadlines");
	v = json_object_get(t->root, "windows");
	if ((dl == NULL) == (v == NULL)) {
		bad_set(bad, dl ? "windows" : "deadlines", "give exactly one of "
		    "deadlines (block numbers) and windows (blocks each)");
		goto fail;
	}
	t->relative = v != NULL;
	dlf = v ? "windows" : "deadlines";
	if (v == NULL)
		v = dl;
	if (!json_is_object(v) || json_object_size(v) != 5) {
		bad_set(bad, dlf, "an object of the five: commit, test_reveal, "
		    "model_reveal, score_commit, score_reveal");
		goto fail;
	}
	for (int i = 0; i < 5; i++) {
		char f[64];
		snprintf(f, sizeof(f), "%s.%s", dlf, dl_names[i]);
		const json_t *x = json_object_get(v, dl_names[i]);
		if (x == NULL) {
			bad_set(bad, f, "missing");
			goto fail;
		}
		if (!json_is_integer(x) || json_integer_value(x) <= 0 ||
		    json_integer_value(x) > (1ll << 40)) {
			bad_set(bad, f, "not a positive block %s", t->relative ?
			    "count" : "number");
			goto fail;
		}
		t->dl[i] = (uint64_t)json_integer_value(x);
		if (!t->relative && i > 0 && t->dl[i] <= t->dl[i - 1]) {
			bad_set(bad, f, "not after %s", dl_names[i - 1]);
			goto fail;
		}
	}
	return 0;
fail:
	denai_serve_task_in_free(t);
	return -1;
}

void
denai_serve_task_in_free(serve_task_in *t)
{
	json_decref(t->root);
	t->root = NULL;
}

int
denai_serve_request_parse(serve_request_in *r, const char *body, size_t len,
    serve_bad *bad)
{
	static const char *const fields[] = {
		"model_id", "data", "data_cid", "tip", "callback_gas", NULL
	};
	const json_t *d, *c;
	uint64_t n;
	denai_err err;

	memset(r, 0, sizeof(*r));
	if ((r->root = load(body, len, bad)) == NULL)
		return -1;
	if (only_fields(r->root, fields, bad) != 0 ||
	    get_uint(r->root, "model_id", UINT64_MAX, 1, 0, &n, bad) != 0)
		goto fail;
	snprintf(r->model_id, sizeof(r->model_id), "%llu",
	    (unsigned long long)n);
	d = json_object_get(r->root, "data");
	c = json_object_get(r->root, "data_cid");
	if ((d == NULL) == (c == NULL)) {
		bad_set(bad, d ? "data_cid" : "data", "give exactly one of data "
		    "and data_cid");
		goto fail;
	}
	if (c != NULL && get_cid(c, "data_cid", &r->data_cid, bad) != 0)
		goto fail;
	if (d != NULL) {
		if (denai_data_point_check(d, &err) != 0) {
			bad_set(bad, "data", "%s", err.msg);
			goto fail;
		}
		r->data = d;
	}
	if (get_amount(r->root, "tip", 0, &r->tip, bad) != 0 ||
	    get_uint(r->root, "callback_gas", 2500000, 0, 0, &r->callback_gas,
	    bad) != 0)
		goto fail;
	return 0;
fail:
	denai_serve_request_in_free(r);
	return -1;
}

void
denai_serve_request_in_free(serve_request_in *r)
{
	json_decref(r->root);
	r->root = NULL;
}

int
denai_serve_csv_check(const char *p, size_t n, const char *label, size_t *rows,
    size_t *cols, char *hdr, size_t cap, serve_bad *bad)
{
	struct denai_csv csv;
	denai_err err;
	size_t off = 0;

	*rows = *cols = 0;
	if (hdr && cap)
		hdr[0] = '\0';
	/* The platform's reader (lib/data/csv.c), the one validators use. */
	if (denai_csv_parse(&csv, &err, p, n, NULL, 0) != 0)
		return bad_set(bad, NULL, "%s", err.msg);
	if (denai_csv_column(&csv, label) < 0) {
		denai_csv_free(&csv);
		return bad_set(bad, NULL, "has no column '%s'", label);
	}
	if (csv.rows == 0) {
		denai_csv_free(&csv);
		return bad_set(bad, NULL, "has no data rows");
	}
	for (size_t i = 0; hdr && i < csv.cols && off < cap; i++) {
		int w = snprintf(hdr + off, cap - off, "%s%s", i ? "," : "",
		    csv.names[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	*rows = csv.rows;
	*cols = csv.cols;
	denai_csv_free(&csv);
	return 0;
}
