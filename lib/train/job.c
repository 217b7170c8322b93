/*
 * train/job.c - CSV to ONNX, and the trainer's state files (job.h).
 */
#include "train/job.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "data/csv.h"
#include "eth/hex.h"
#include "fileio.h"
#include "ipfs/blockstore.h"

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
auto_kind(const float *y, size_t n)
{
	float seen[33];
	size_t ns = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j;

		if (y[i] != floorf(y[i]))
			return DENAI_KIND_REGRESS;
		for (j = 0; j < ns && seen[j] != y[i]; j++)
			;
		if (j == ns) {
			if (ns == 32)
				return DENAI_KIND_REGRESS;
			seen[ns++] = y[i];
		}
	}
	return DENAI_KIND_CLASSIFY;
}

int
denai_train_csv(denai_train_result *r, const char *path, const char *label,
    const denai_train_opts *o, const char *doc, denai_err *err)
{
	struct denai_csv csv = { 0 };
	denai_train_opts op = *o;
	denai_train_data d;
	denai_trained *m = NULL;
	float *x = NULL, *y = NULL;
	int lc, rc = -1;
	double t0 = seconds();

	memset(r, 0, sizeof(*r));
	if (denai_csv_read(&csv, err, path, NULL, 0) != 0)
		return -1;
	r->read_s = seconds() - t0;
	if ((lc = denai_csv_column(&csv, label)) < 0) {
		denai_err_set(err, DENAI_EDATA, "%s: no column named %s", path,
		    label);
		goto out;
	}
	if (csv.cols < 2) {
		denai_err_set(err, DENAI_EDATA, "%s: no feature columns", path);
		goto out;
	}
	x = malloc(csv.rows * (csv.cols - 1) * sizeof(*x));
	y = malloc(csv.rows * sizeof(*y));
	if (x == NULL || y == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < csv.rows; i++) {
		const float *row = csv.x + i * csv.cols;
		float *xr = x + i * (csv.cols - 1);

		for (size_t c = 0, k = 0; c < csv.cols; c++)
			if ((int)c != lc)
				xr[k++] = row[c];
		y[i] = row[lc];
	}
	if (op.kind == DENAI_KIND_AUTO)
		op.kind = auto_kind(y, csv.rows);
	d = (denai_train_data){ csv.rows, csv.cols - 1, x, y };
	t0 = seconds();
	if ((m = denai_train(&d, &op, &r->m, err)) == NULL ||
	    denai_trained_onnx(m, doc, &r->onnx, &r->len, err) != 0) {
		denai_err_prefix(err, "%s", path);
		goto out;
	}
	r->train_s = seconds() - t0;
	r->kind = op.kind;
	r->rows = d.rows;
	r->cols = d.cols;
	rc = 0;
out:
	denai_trained_free(m);
	denai_csv_free(&csv);
	free(x);
	free(y);
	return rc;
}

static int
safe(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

int
denai_train_state_key(char key[160], const char *chain_id,
    const char *contract, const char *task_id, denai_err *err)
{
	char lower[64];
	size_t i;

	if (task_id == NULL || !safe(task_id) || strlen(task_id) > 78 ||
	    (chain_id != NULL && (!safe(chain_id) || strlen(chain_id) > 20)))
		return denai_err_set(err, DENAI_EDATA, "bad task_id or "
		    "chain_id for a state file name");
	lower[0] = '\0';
	if (contract != NULL) {
		if (strlen(contract) != 42 || contract[0] != '0' ||
		    contract[1] != 'x' || !safe(contract + 2))
			return denai_err_set(err, DENAI_EDATA,
			    "bad contract address %s", contract);
		for (i = 0; contract[i]; i++)
			lower[i] = (char)(contract[i] >= 'A' &&
			    contract[i] <= 'Z' ? contract[i] + 32 : contract[i]);
		lower[i] = '\0';
	}
	snprintf(key, 160, "train-%s%s%s%s%s", chain_id ? chain_id : "",
	    chain_id ? "-" : "", lower, contract ? "-" : "", task_id);
	return 0;
}

static int
get_hex(uint8_t out[32], json_t *o, const char *k, denai_err *err)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (s == NULL || denai_hex_decode_exact(out, 32, s, err) != 0)
		return denai_err_set(err, DENAI_EDATA, "state: bad %s", k);
	return 0;
}

static int
get_str(char *out, size_t cap, json_t *o, const char *k, denai_err *err)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (s == NULL || strlen(s) >= cap)
		return denai_err_set(err, DENAI_EDATA, "state: bad %s", k);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int
denai_train_state_load(denai_train_state *s, const char *dir,
    const char *key, denai_err *err)
{
	char path[PATH_MAX];
	uint8_t *buf = NULL;
	size_t len;
	json_t *o;
	json_error_t je;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, key) >=
	    sizeof(path))
		return denai_err_set(err, DENAI_EIO, "state path too long");
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (denai_file_read(&buf, &len, path, 1u << 20, err) != 0)
		return -1;
	if ((o = json_loadb((const char *)buf, len, 0, &je)) == NULL) {
		free(buf);
		return denai_err_set(err, DENAI_EDATA, "%s: %s", path, je.text);
	}
	snprintf(s->key, sizeof(s->key), "%s", key);
	if (get_str(s->task_id, sizeof(s->task_id), o, "task_id", err) != 0 ||
	    get_str(s->trainer, sizeof(s->trainer), o, "trainer", err) != 0 ||
	    get_str(s->algo, sizeof(s->algo), o, "algo", err) != 0 ||
	    get_str(s->model_cid, sizeof(s->model_cid), o, "model_cid",
	    err) != 0 ||
	    get_str(s->model, sizeof(s->model), o, "model", err) != 0 ||
	    get_hex(s->sha, o, "model_sha256", err) != 0 ||
	    get_hex(s->salt, o, "salt", err) != 0 ||
	    get_hex(s->seal, o, "seal", err) != 0) {
		denai_err_prefix(err, "%s", path);
		goto out;
	}
	rc = 1;
out:
	json_decref(o);
	free(buf);
	return rc;
}

int
denai_train_state_save(denai_train_state *s, const char *dir,
    const uint8_t *model, size_t len, denai_err *err)
{
	char path[PATH_MAX], sha[67], salt[67], seal[67];
	json_t *o;
	char *text;
	int rc;

	if (denai_mkdirs(dir, err) != 0)
		return -1;
	if ((size_t)snprintf(s->model, sizeof(s->model), "%s/%s.onnx", dir,
	    s->key) >= sizeof(s->model) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, s->key) >=
	    sizeof(path))
		return denai_err_set(err, DENAI_EIO, "state path too long");
	if (denai_write_atomic(s->model, model, len, 0600, err) != 0)
		return -1;
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "task_id",
	    s->task_id, "trainer", s->trainer, "algo", s->algo, "model_cid",
	    s->model_cid, "model_sha256", denai_hex_encode(sha, s->sha, 32),
	    "salt", denai_hex_encode(salt, s->salt, 32), "seal",
	    denai_hex_encode(seal, s->seal, 32), "model", s->model);
	if (o == NULL || (text = json_dumps(o, JSON_SORT_KEYS)) == NULL) {
		json_decref(o);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	rc = denai_write_atomic(path, (const uint8_t *)text, strlen(text),
	    0600, err);
	free(text);
	json_decref(o);
	return rc;
}
