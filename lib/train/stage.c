/*
 * train/stage.c - the trainer's pipeline stage (stage.h).
 */
#include "train/stage.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eth/hex.h"
#include "eth/u256.h"
#include "fileio.h"
#include "ipfs/cid.h"
#include "task/seal.h"
#include "train/job.h"

/* A field that may be a string or an integer, as a string in buf. */
static const char *
field_text(const json_t *rec, const char *k, char *buf, size_t n)
{
	json_t *v = json_object_get(rec, k);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

/* Puts the model in the store as one raw block. Out: cid text. */
static int
put_model(denai_blockstore *bs, const uint8_t *p, size_t n, char *cidtxt,
    size_t cap, denai_err *err)
{
	denai_cid cid;

	if (n > DENAI_BLOCK_MAX)
		return denai_err_set(err, DENAI_EDATA, "the model is %zu "
		    "bytes, over the %u of one raw block", n, DENAI_BLOCK_MAX);
	if (denai_cid_of(&cid, 1, DENAI_CID_RAW, p, n, err) != 0 ||
	    denai_blockstore_put(bs, &cid, p, n, err) != 0 ||
	    denai_cid_format(cidtxt, cap, &cid, 'b', err) != 0)
		return -1;
	return 0;
}

static int
kind_of(const json_t *rec, int *kind, denai_err *err)
{
	json_t *k = json_object_get(rec, "kind");
	const char *s = json_string_value(k);

	if (s != NULL && (strcmp(s, "classification") == 0 ||
	    strcmp(s, "0") == 0))
		*kind = DENAI_KIND_CLASSIFY;
	else if (s != NULL && (strcmp(s, "regression") == 0 ||
	    strcmp(s, "1") == 0))
		*kind = DENAI_KIND_REGRESS;
	else if (json_is_integer(k) && (json_integer_value(k) == 0 ||
	    json_integer_value(k) == 1))
		*kind = (int)json_integer_value(k);
	else
		return denai_err_set(err, DENAI_EDATA, "the task's kind must "
		    "be classification or regression");
	return 0;
}

static int
commit_new(denai_train_stage *s, json_t *rec, denai_train_state *st,
    const char *task_id, denai_err *err)
{
	const char *path = json_string_value(json_object_get(rec, "train_path"));
	const char *label = json_string_value(json_object_get(rec,
	    "label_column"));
	denai_train_opts o = s->opts;
	denai_train_result r;
	denai_u256 id;
	uint8_t be[32];
	uint64_t seed = 0;
	char doc[256];
	struct timespec t0, t1;
	int rc = -1;

	if (path == NULL)
		return denai_err_set(err, DENAI_EDATA, "no train_path: run "
		    "denai-fetch before denai-train");
	if (label == NULL)
		return denai_err_set(err, DENAI_EDATA, "no label_column");
	if (kind_of(rec, &o.kind, err) != 0)
		return -1;
	o.algo = s->algo >= 0 ? s->algo : DENAI_ALGO_GBT;
	if (denai_u256_parse_dec(&id, task_id, strlen(task_id), err) != 0)
		return denai_err_prefix(err, "task_id");
	denai_u256_to_be32(be, &id);
	for (int i = 24; i < 32; i++)
		seed = seed << 8 | be[i];
	o.seed = seed;
	snprintf(doc, sizeof(doc), "denai-train task %s: %s, %d trees, "
	    "%d leaves, %d bins", task_id, denai_train_algo_name(o.algo),
	    o.trees, o.leaves, o.bins);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (denai_train_csv(&r, path, label, &o, doc, err) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (s->trained != NULL)
		s->trained(s->trained_ctx, rec, (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, &r);
	SHA256(r.onnx, r.len, st->sha);
	if (put_model(s->bs, r.onnx, r.len, st->model_cid,
	    sizeof(st->model_cid), err) != 0)
		goto out;
	if (denai_seal_salt(st->salt, err) != 0 ||
	    denai_seal_model(st->seal, task_id, s->trainer, st->sha,
	    st->salt, err) != 0)
		goto out;
	snprintf(st->task_id, sizeof(st->task_id), "%s", task_id);
	denai_hex_encode(st->trainer, s->trainer, 20);
	snprintf(st->algo, sizeof(st->algo), "%s",
	    denai_train_algo_name(o.algo));
	rc = denai_train_state_save(st, s->state_dir, r.onnx, r.len, err);
out:
	free(r.onnx);
	return rc;
}

/* A saved model back into the store (it may have been wiped). */
static int
commit_again(denai_train_stage *s, denai_train_state *st, denai_err *err)
{
	uint8_t *p = NULL, sha[32], tr[20];
	size_t n;
	char cid[160];
	int rc = -1;

	if (denai_hex_decode_exact(tr, 20, st->trainer, err) != 0 ||
	    memcmp(tr, s->trainer, 20) != 0)
		return denai_err_set(err, DENAI_EUSAGE, "the saved commit "
		    "for task %s is %s's, not this trainer's", st->task_id,
		    st->trainer);
	if (denai_file_read(&p, &n, st->model, 256u << 20, err) != 0)
		return -1;
	SHA256(p, n, sha);
	if (memcmp(sha, st->sha, 32) != 0) {
		denai_err_set(err, DENAI_EDATA, "%s: does not match the saved "
		    "model_sha256", st->model);
		goto out;
	}
	rc = put_model(s->bs, p, n, cid, sizeof(cid), err);
out:
	free(p);
	return rc;
}

int
denai_train_stage_record(denai_train_stage *s, json_t *rec, denai_err *err)
{
	const char *action = json_string_value(json_object_get(rec, "action"));
	char b1[32], b2[32], key[160], hex[67];
	const char *task_id, *chain_id;
	denai_train_state st;
	int found;

	if (action == NULL || (strcmp(action, "commit") != 0 &&
	    strcmp(action, "reveal") != 0))
		return 0;
	if ((task_id = field_text(rec, "task_id", b1, sizeof(b1))) == NULL)
		return denai_err_set(err, DENAI_EDATA, "no task_id");
	chain_id = field_text(rec, "chain_id", b2, sizeof(b2));
	if (denai_train_state_key(key, chain_id, json_string_value(
	    json_object_get(rec, "contract")), task_id, err) != 0)
		return -1;
	if ((found = denai_train_state_load(&st, s->state_dir, key,
	    err)) < 0)
		return -1;
	if (strcmp(action, "reveal") == 0) {
		if (!found)
			return denai_err_set(err, DENAI_ESTATE, "no saved "
			    "commit for task %s in %s", task_id, s->state_dir);
		json_object_set_new(rec, "model_cid",
		    json_string(st.model_cid));
		json_object_set_new(rec, "model_sha256",
		    json_string(denai_hex_encode(hex, st.sha, 32)));
		json_object_set_new(rec, "salt",
		    json_string(denai_hex_encode(hex, st.salt, 32)));
		json_object_set_new(rec, "model_path", json_string(st.model));
		return 0;
	}
	if (found) {
		if (commit_again(s, &st, err) != 0)
			return -1;
	} else {
		memset(&st, 0, sizeof(st));
		snprintf(st.key, sizeof(st.key), "%s", key);
		if (commit_new(s, rec, &st, task_id, err) != 0)
			return -1;
	}
	json_object_set_new(rec, "model_cid", json_string(st.model_cid));
	json_object_set_new(rec, "model_sha256",
	    json_string(denai_hex_encode(hex, st.sha, 32)));
	json_object_set_new(rec, "seal",
	    json_string(denai_hex_encode(hex, st.seal, 32)));
	json_object_set_new(rec, "algo", json_string(st.algo));
	json_object_set_new(rec, "model_path", json_string(st.model));
	return 0;
}
