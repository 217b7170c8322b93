/* deployment.c - reading and writing the deployment file. */
#include "node/deployment.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"

static int
get_addr(uint8_t out[DENAI_ADDR_LEN], int *has, const json_t *o,
    const char *key, int required, denai_err *err)
{
	const json_t *v = json_object_get(o, key);
	const char *s;

	if (has != NULL)
		*has = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return denai_err_set(err, DENAI_EDATA,
			    "deployment has no \"%s\" address", key);
		return 0;
	}
	if ((s = json_string_value(v)) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "deployment \"%s\" is not a string", key);
	if (denai_secp_addr_parse(out, s, strlen(s), err) != 0)
		return denai_err_prefix(err, "deployment \"%s\"", key);
	if (has != NULL)
		*has = 1;
	return 0;
}

static int
get_u64(uint64_t *out, const json_t *o, const char *key, int required,
    denai_err *err)
{
	const json_t *v = json_object_get(o, key);

	*out = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return denai_err_set(err, DENAI_EDATA,
			    "deployment has no \"%s\"", key);
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return denai_err_set(err, DENAI_EDATA,
		    "deployment \"%s\" is not a non-negative integer", key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int
denai_deployment_parse(denai_deployment *d, const char *text, size_t len,
    denai_err *err)
{
	json_error_t je;
	json_t *o;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	if ((o = json_loadb(text, len, 0, &je)) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "deployment is not JSON: %s at line %d", je.text, je.line);
	if (!json_is_object(o)) {
		denai_err_set(err, DENAI_EDATA, "deployment is not a JSON object");
		goto out;
	}
	if (get_u64(&d->chain_id, o, "chain_id", 1, err) != 0 ||
	    get_addr(d->oracle, NULL, o, "oracle", 1, err) != 0 ||
	    get_addr(d->token, &d->has_token, o, "token", 0, err) != 0 ||
	    get_addr(d->consumer, &d->has_consumer, o, "consumer", 0, err) != 0 ||
	    get_addr(d->tasks, &d->has_tasks, o, "tasks", 0, err) != 0 ||
	    get_addr(d->deployer, &d->has_deployer, o, "deployer", 0, err) != 0 ||
	    get_u64(&d->block, o, "block", 0, err) != 0 ||
	    get_u64(&d->quorum, o, "quorum", 0, err) != 0)
		goto out;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

int
denai_deployment_load(denai_deployment *d, const char *path, denai_err *err)
{
	uint8_t *buf;
	size_t n;
	int rc;

	if (denai_file_read(&buf, &n, path, 1 << 20, err) != 0)
		return -1;
	rc = denai_deployment_parse(d, (const char *)buf, n, err);
	free(buf);
	if (rc != 0)
		return denai_err_prefix(err, "%s", path);
	return 0;
}

static void
set_addr(json_t *o, const char *key, const uint8_t a[DENAI_ADDR_LEN])
{
	char hex[DENAI_ADDR_HEX_MAX];

	json_object_set_new(o, key,
	    json_string(denai_secp_addr_checksum(hex, a)));
}

json_t *
denai_deployment_json(const denai_deployment *d)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "chain_id", json_integer((json_int_t)d->chain_id));
	set_addr(o, "oracle", d->oracle);
	if (d->has_token)
		set_addr(o, "token", d->token);
	if (d->has_consumer)
		set_addr(o, "consumer", d->consumer);
	if (d->has_tasks)
		set_addr(o, "tasks", d->tasks);
	if (d->has_deployer)
		set_addr(o, "deployer", d->deployer);
	json_object_set_new(o, "block", json_integer((json_int_t)d->block));
	if (d->quorum != 0)
		json_object_set_new(o, "quorum",
		    json_integer((json_int_t)d->quorum));
	return o;
}

int
denai_deployment_save(const denai_deployment *d, const char *path,
    denai_err *err)
{
	json_t *o = denai_deployment_json(d);
	char *text;
	int rc;

	if (o == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_write_atomic(path, (const uint8_t *)text, strlen(text), 0644,
	    err);
	free(text);
	return rc;
}
