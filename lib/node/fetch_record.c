/*
 * fetch_record.c - a request record's data point and model, fetched,
 * checked and written under the store folder (see fetch_record.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fileio.h"
#include "ipfs/blockstore.h"
#include "ipfs/cid.h"
#include "node/datapoint.h"
#include "node/fetch_record.h"
#include "eth/hex.h"
#include "node/record.h"

int
denai_fetch_record_data(denai_fetch_record *fr, json_t *rec, denai_err *err)
{
	const char *text = denai_record_str(rec, "data_cid");
	char path[PATH_MAX], s[DENAI_CID_STR_MAX];
	json_error_t je;
	json_t *v = NULL;
	denai_cid cid;
	uint8_t *buf = NULL;
	size_t len;
	int rc = -1;

	if (text == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no data_cid string");
	if (denai_cid_parse(&cid, text, strlen(text), err) != 0)
		return denai_err_prefix(err, "data_cid %s", text);
	if (denai_fetch_mem(fr->f, &cid, fr->max, &buf, &len, err) != 0)
		return denai_err_prefix(err, "data");
	if ((v = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &je)) == NULL) {
		denai_err_set(err, DENAI_EDATA,
		    "data %s is not JSON: %s at line %d column %d", text,
		    je.text, je.line, je.column);
		goto out;
	}
	if (denai_data_point_check(v, err) != 0) {
		denai_err_prefix(err, "data %s", text);
		goto out;
	}
	if (len <= fr->inline_max) {
		json_object_set(rec, "data", v);
	} else {
		if (denai_cid_format(s, sizeof(s), &cid, 0, err) != 0)
			goto out;
		if (snprintf(path, sizeof(path), "%s/data", fr->dir) >=
		    (int)sizeof(path) || denai_mkdirs(path, err) != 0 ||
		    snprintf(path, sizeof(path), "%s/data/%s.json", fr->dir,
		    s) >= (int)sizeof(path)) {
			denai_err_set(err, DENAI_EIO, "cannot make %s/data",
			    fr->dir);
			goto out;
		}
		if (access(path, F_OK) != 0 &&
		    denai_write_atomic(path, buf, len, 0644, err) != 0)
			goto out;
		json_object_set_new(rec, "data_path", json_string(path));
	}
	rc = 0;
out:
	json_decref(v);
	free(buf);
	return rc;
}

int
denai_fetch_record_model_id(char id[DENAI_FETCH_MODEL_ID_MAX],
    const json_t *rec, denai_err *err)
{
	const json_t *v = json_object_get(rec, "model_id");

	if (denai_record_str(rec, "model_cid") != NULL &&
	    denai_record_str(rec, "model_sha256") != NULL)
		return 1;
	if (json_is_string(v))
		snprintf(id, DENAI_FETCH_MODEL_ID_MAX, "%s",
		    json_string_value(v));
	else if (json_is_integer(v))
		snprintf(id, DENAI_FETCH_MODEL_ID_MAX, "%lld",
		    (long long)json_integer_value(v));
	else
		return denai_err_set(err, DENAI_EDATA,
		    "request has neither model_cid and model_sha256 nor a "
		    "model_id");
	return 0;
}

int
denai_fetch_record_set_model(json_t *rec, const char *id,
    const json_t *entry, const char *source, denai_err *err)
{
	const char *cid, *sha;
	json_t *v;

	cid = json_string_value(json_object_get(entry, "cid"));
	sha = json_string_value(json_object_get(entry, "sha256"));
	if (cid == NULL || sha == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "%s %s needs \"cid\" and \"sha256\" strings", source, id);
	json_object_set_new(rec, "model_cid", json_string(cid));
	json_object_set_new(rec, "model_sha256", json_string(sha));
	if ((v = json_object_get(entry, "decimals")) != NULL &&
	    json_object_get(rec, "model_decimals") == NULL)
		json_object_set(rec, "model_decimals", v);
	return 0;
}

/* The sha256 of the file at path. Returns: 0, or -1 when unreadable. */
static int
file_sha256(const char *path, uint8_t d[32])
{
	enum { BUFSZ = 1 << 16 };
	uint8_t *buf = malloc(BUFSZ);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	unsigned dl = 0;
	size_t n;
	int rc = -1;

	if (buf == NULL || md == NULL || f == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	while ((n = fread(buf, 1, BUFSZ, f)) > 0)
		if (EVP_DigestUpdate(md, buf, n) != 1)
			goto out;
	if (!ferror(f) && EVP_DigestFinal_ex(md, d, &dl) == 1 && dl == 32)
		rc = 0;
out:
	if (f != NULL)
		fclose(f);
	EVP_MD_CTX_free(md);
	free(buf);
	return rc;
}

int
denai_fetch_record_model(denai_fetch_record *fr, json_t *rec, denai_err *err)
{
	const char *text, *shatext;
	char path[PATH_MAX], hex[67];
	uint8_t want[32], got[32];
	denai_cid cid;
	size_t i;

	text = denai_record_str(rec, "model_cid");
	shatext = denai_record_str(rec, "model_sha256");
	if (text == NULL || shatext == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no model_cid and model_sha256 strings");
	if (denai_cid_parse(&cid, text, strlen(text), err) != 0)
		return denai_err_prefix(err, "model_cid %s", text);
	if (denai_hex_decode_exact(want, 32, shatext, err) != 0)
		return denai_err_prefix(err, "model_sha256");
	denai_hex_encode(hex, want, 32);
	if (snprintf(path, sizeof(path), "%s/models", fr->dir) >=
	    (int)sizeof(path) || denai_mkdirs(path, err) != 0 ||
	    snprintf(path, sizeof(path), "%s/models/%s.onnx", fr->dir,
	    hex + 2) >= (int)sizeof(path))
		return denai_err_set(err, DENAI_EIO, "cannot make %s/models",
		    fr->dir);
	for (i = 0; i < fr->nverified; i++)
		if (memcmp(fr->verified[i], want, 32) == 0)
			goto done;
	if (access(path, F_OK) != 0 || file_sha256(path, got) != 0 ||
	    memcmp(got, want, 32) != 0) {
		if (denai_fetch_file(fr->f, &cid, fr->model_max, path, want,
		    NULL, err) != 0)
			return denai_err_prefix(err, "model");
	}
	if (fr->nverified < DENAI_FETCH_RECORD_VERIFIED)
		memcpy(fr->verified[fr->nverified++], want, 32);
done:
	json_object_set_new(rec, "model_sha256", json_string(hex));
	json_object_set_new(rec, "model_path", json_string(path));
	return 0;
}
