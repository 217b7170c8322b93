/* artifact.c - contract artifacts and init code. */
#include "eth/artifact.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/abi.h"
#include "fileio.h"
#include "eth/hex.h"

int
denai_artifact_bytecode(uint8_t **code, size_t *len, const char *dir,
    const char *name, denai_err *err)
{
	char path[PATH_MAX];
	uint8_t *text = NULL;
	size_t n, hl;
	json_t *o = NULL;
	json_error_t je;
	const char *hex;
	int rc = -1;

	*code = NULL;
	*len = 0;
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	if (denai_file_read(&text, &n, path, 64 << 20, err) != 0)
		return -1;
	if ((o = json_loadb((const char *)text, n, 0, &je)) == NULL) {
		denai_err_set(err, DENAI_EDATA, "%s: not JSON: %s", path,
		    je.text);
		goto out;
	}
	hex = json_string_value(json_object_get(o, "bytecode"));
	if (hex == NULL || (hl = strlen(hex)) < 4) {
		denai_err_set(err, DENAI_EDATA, "%s: no \"bytecode\"", path);
		goto out;
	}
	if ((*code = malloc(hl / 2)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if (denai_hex_decode(*code, hl / 2, len, hex, hl, 0, err) != 0) {
		denai_err_prefix(err, "%s: bytecode", path);
		free(*code);
		*code = NULL;
		goto out;
	}
	rc = 0;
out:
	json_decref(o);
	free(text);
	return rc;
}

int
denai_artifact_initcode(uint8_t **out, size_t *outlen, const uint8_t *code,
    size_t len, const char *ctor, const json_t *args, denai_err *err)
{
	denai_abi_type *t;
	uint8_t *enc = NULL;
	size_t elen = 0;
	int rc = -1;

	*out = NULL;
	if ((t = denai_abi_type_parse(ctor, strlen(ctor), err)) == NULL)
		return -1;
	if (denai_abi_encode(&enc, &elen, t, args, err) != 0)
		goto out;
	if ((*out = malloc(len + elen)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(*out, code, len);
	if (elen > 0)
		memcpy(*out + len, enc, elen);
	*outlen = len + elen;
	rc = 0;
out:
	free(enc);
	denai_abi_type_free(t);
	return rc;
}
