/* rpc_parse.c - strict parsing of JSON-RPC 2.0 replies (no transport). */
#include "eth/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DATA_IN_MSG 80	/* hex digits of revert data in messages */

void
denai_rpc_error_clear(denai_rpc_error *e)
{
	if (e == NULL)
		return;
	free(e->data);
	memset(e, 0, sizeof(*e));
}

/* Reads an error object into rerr. Returns: 0, or -1 if malformed. */
static int
read_error(const json_t *e, denai_rpc_error *rerr, denai_err *err)
{
	const json_t *code, *msg, *data;

	if (!json_is_object(e))
		return denai_err_set(err, DENAI_EPEER,
		    "malformed reply: error is not an object");
	code = json_object_get(e, "code");
	msg = json_object_get(e, "message");
	if (!json_is_integer(code))
		return denai_err_set(err, DENAI_EPEER,
		    "malformed reply: error code is not an integer");
	if (!json_is_string(msg))
		return denai_err_set(err, DENAI_EPEER,
		    "malformed reply: error message is not a string");
	denai_rpc_error_clear(rerr);
	rerr->set = 1;
	rerr->code = (long long)json_integer_value(code);
	snprintf(rerr->message, sizeof(rerr->message), "%s",
	    json_string_value(msg));
	/* Control characters would garble one-line messages. */
	for (char *p = rerr->message; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if ((data = json_object_get(e, "data")) != NULL &&
	    !json_is_null(data)) {
		if (json_is_string(data))
			rerr->data = strdup(json_string_value(data));
		else
			rerr->data = json_dumps(data, JSON_COMPACT |
			    JSON_ENCODE_ANY);
		if (rerr->data == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
	}
	return 0;
}

/* Fills err with a JSON-RPC error's one-line form. */
static int
error_message(const denai_rpc_error *e, denai_err *err)
{
	const char *d = e->data;
	size_t n;

	if (d == NULL)
		return denai_err_set(err, DENAI_ESTATE, "%s (code %lld)",
		    e->message, e->code);
	n = strlen(d);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)d[i] < 0x20)
			return denai_err_set(err, DENAI_ESTATE,
			    "%s (code %lld, with data)", e->message, e->code);
	return denai_err_set(err, DENAI_ESTATE, "%s (code %lld, data %.*s%s)",
	    e->message, e->code, MAX_DATA_IN_MSG, d,
	    n > MAX_DATA_IN_MSG ? "..." : "");
}

/* Checks one reply object; on success stores its id in *id, or sets
 * *null_id for an error reply with id null. Exactly one of result and
 * error is then present. */
static int
check_reply(const json_t *o, long long *id, int *null_id, denai_err *err)
{
	const json_t *v, *jid;
	int has_result, has_error;

	if (!json_is_object(o))
		return denai_err_set(err, DENAI_EPEER,
		    "malformed reply: not a JSON object");
	v = json_object_get(o, "jsonrpc");
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0)
		return denai_err_set(err, DENAI_EPEER,
		    "malformed reply: jsonrpc is not \"2.0\"");
	jid = json_object_get(o, "id");
	has_result = json_object_get(o, "result") != NULL;
	has_error = json_object_get(o, "error") != NULL;
	if (has_result == has_error)
		return denai_err_set(err, DENAI_EPEER, "malformed reply: %s",
		    has_result ? "both result and error" :
		    "neither result nor error");
	/* An error about the request itself may carry id null. */
	*null_id = json_is_null(jid) && has_error;
	*id = 0;
	if (*null_id)
		return 0;
	if (!json_is_integer(jid))
		return denai_err_set(err, DENAI_EPEER,
		    "malformed reply: id is not an integer");
	*id = (long long)json_integer_value(jid);
	return 0;
}

static json_t *
load(const char *body, size_t len, denai_err *err)
{
	json_error_t je;
	json_t *root;

	/* Nodes put raw revert bytes in messages: allow \u0000 there. */
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &je);
	if (root == NULL) {
		/* Show where it went wrong, but never the body itself. */
		denai_err_set(err, DENAI_EPEER,
		    "malformed reply: not JSON (%s at byte %d)", je.text,
		    je.position);
	}
	return root;
}

int
denai_rpc_parse_reply(const char *body, size_t len, long long id,
    json_t **result, denai_rpc_error *rerr, denai_err *err)
{
	json_t *root;
	long long got;
	int rc = -1, null_id;

	*result = NULL;
	denai_rpc_error_clear(rerr);
	if ((root = load(body, len, err)) == NULL)
		return -1;
	if (check_reply(root, &got, &null_id, err) != 0)
		goto out;
	if (!null_id && got != id) {
		denai_err_set(err, DENAI_EPEER,
		    "malformed reply: id %lld, want %lld", got, id);
		goto out;
	}
	if (json_object_get(root, "error") != NULL) {
		if (read_error(json_object_get(root, "error"), rerr, err) == 0)
			error_message(rerr, err);
		goto out;
	}
	*result = json_incref(json_object_get(root, "result"));
	rc = 0;
out:
	json_decref(root);
	return rc;
}

void
denai_rpc_req_clear(denai_rpc_req *req)
{
	json_decref(req->result);
	req->result = NULL;
	denai_rpc_error_clear(&req->error);
}

int
denai_rpc_parse_batch(const char *body, size_t len, long long first_id,
    denai_rpc_req *reqs, size_t n, denai_err *err)
{
	json_t *root, *o;
	long long id;
	size_t i, k;
	int rc = -1, null_id;

	for (i = 0; i < n; i++)
		denai_rpc_req_clear(&reqs[i]);
	if ((root = load(body, len, err)) == NULL)
		return -1;
	if (!json_is_array(root)) {
		/* A whole-batch refusal comes as one error object. */
		denai_rpc_error e = { 0 };
		denai_err why;

		if (check_reply(root, &id, &null_id, NULL) == 0 &&
		    json_object_get(root, "error") != NULL &&
		    read_error(json_object_get(root, "error"), &e, NULL) == 0) {
			error_message(&e, &why);
			denai_err_set(err, DENAI_EPEER, "batch refused: %s",
			    why.msg);
		} else
			denai_err_set(err, DENAI_EPEER,
			    "malformed reply: a batch reply is not an array");
		denai_rpc_error_clear(&e);
		goto out;
	}
	if (json_array_size(root) != n) {
		denai_err_set(err, DENAI_EPEER, "malformed reply: %zu replies "
		    "to a batch of %zu", json_array_size(root), n);
		goto out;
	}
	json_array_foreach(root, i, o) {
		if (check_reply(o, &id, &null_id, err) != 0) {
			denai_err_prefix(err, "batch reply %zu", i);
			goto out;
		}
		if (null_id) {
			denai_err_set(err, DENAI_EPEER, "malformed reply: batch "
			    "reply %zu is an error with id null", i);
			goto out;
		}
		if (id < first_id || (unsigned long long)(id - first_id) >= n) {
			denai_err_set(err, DENAI_EPEER, "malformed reply: batch "
			    "reply %zu has id %lld, not one of ours", i, id);
			goto out;
		}
		k = (size_t)(id - first_id);
		if (reqs[k].result != NULL || reqs[k].error.set) {
			denai_err_set(err, DENAI_EPEER, "malformed reply: "
			    "two replies with id %lld", id);
			goto out;
		}
		if (json_object_get(o, "error") != NULL) {
			if (read_error(json_object_get(o, "error"),
			    &reqs[k].error, err) != 0) {
				denai_err_prefix(err, "batch reply %zu", i);
				goto out;
			}
		} else
			reqs[k].result = json_incref(json_object_get(o,
			    "result"));
	}
	rc = 0;
out:
	if (rc != 0)
		for (i = 0; i < n; i++)
			denai_rpc_req_clear(&reqs[i]);
	json_decref(root);
	return rc;
}

int
denai_rpc_quantity(denai_u256 *v, const json_t *q, denai_err *err)
{
	const char *s = json_string_value(q);

	if (s == NULL)
		return denai_err_set(err, DENAI_EPEER,
		    "malformed quantity: not a string");
	if (json_string_length(q) < 3 || s[0] != '0' || s[1] != 'x')
		return denai_err_set(err, DENAI_EPEER,
		    "malformed quantity '%.70s': want 0x and hex digits", s);
	if (denai_u256_parse_hex(v, s, json_string_length(q), err) != 0)
		return denai_err_prefix(err, "malformed quantity");
	return 0;
}

int
denai_rpc_quantity_u64(uint64_t *v, const json_t *q, denai_err *err)
{
	denai_u256 u;

	if (denai_rpc_quantity(&u, q, err) != 0)
		return -1;
	if (u.w[1] != 0 || u.w[2] != 0 || u.w[3] != 0)
		return denai_err_set(err, DENAI_EPEER,
		    "quantity %.70s does not fit 64 bits", json_string_value(q));
	*v = u.w[0];
	return 0;
}
