/* validate/stage.c - denai-validate's records and its state directory. */
#include "validate/stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "fileio.h"
#include "eth/abi.h"
#include "eth/hex.h"
#include "eth/keccak.h"
#include "ipfs/blockstore.h"
#include "node/record.h"

#define STATE_MAX (16u << 20)

void
denai_validator_free(struct denai_validator *v)
{
	if (v == NULL)
		return;
	denai_testset_free(&v->ts);
	v->ts_key[0] = '\0';
}

/* ---- record fields ---- */

/* A decimal task id (string or integer) into buf; NULL when bad. */
static const char *
task_id(const json_t *rec, char buf[80], denai_err *err)
{
	const json_t *v = json_object_get(rec, "task_id");
	size_t n;

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, 80, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (!json_is_string(v) || (n = json_string_length(v)) == 0 || n > 78 ||
	    strspn(json_string_value(v), "0123456789") != n)
		return denai_err_set(err, DENAI_EDATA, "the record has no "
		    "decimal task_id"), NULL;
	memcpy(buf, json_string_value(v), n + 1);
	return buf;
}

/* A trainer address, lowercased into buf (43 bytes). */
static const char *
trainer(const json_t *rec, char buf[43], denai_err *err)
{
	const char *s = denai_record_str(rec, "trainer");

	if (s == NULL || strlen(s) != 42 || s[0] != '0' || s[1] != 'x' ||
	    strspn(s + 2, "0123456789abcdefABCDEF") != 40)
		return denai_err_set(err, DENAI_EDATA, "the record has no "
		    "trainer address"), NULL;
	for (int i = 0; i < 43; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i]);
	return buf;
}

/* kind: 0, 1, "0", "1", "classification", "regression". */
static int
kind_of(const json_t *rec, int *kind, denai_err *err)
{
	const json_t *v = json_object_get(rec, "kind");
	const char *s = json_string_value(v);

	if (json_is_integer(v) && (json_integer_value(v) == 0 ||
	    json_integer_value(v) == 1))
		*kind = (int)json_integer_value(v);
	else if (s != NULL && (strcmp(s, "0") == 0 ||
	    strcmp(s, "classification") == 0))
		*kind = DENAI_TASK_CLASSIFICATION;
	else if (s != NULL && (strcmp(s, "1") == 0 ||
	    strcmp(s, "regression") == 0))
		*kind = DENAI_TASK_REGRESSION;
	else
		return denai_err_set(err, DENAI_EDATA, "the record's kind is "
		    "not classification (0) or regression (1)");
	return 0;
}

static int
decimals_of(const json_t *rec, unsigned *dec, denai_err *err)
{
	const json_t *v = json_object_get(rec, "decimals");
	const char *s = json_string_value(v);
	long long d = -1;

	if (v == NULL)
		d = 0;
	else if (json_is_integer(v))
		d = json_integer_value(v);
	else if (s != NULL && *s != '\0' && strlen(s) < 4 &&
	    strspn(s, "0123456789") == strlen(s))
		d = atoll(s);
	if (d < 0 || d > 255)
		return denai_err_set(err, DENAI_EDATA, "the record's decimals "
		    "is not 0..255");
	*dec = (unsigned)d;
	return 0;
}

static const char *
need_str(const json_t *rec, const char *key, denai_err *err)
{
	const char *s = denai_record_str(rec, key);

	if (s == NULL || *s == '\0')
		return denai_err_set(err, DENAI_EDATA, "the record has no %s",
		    key), NULL;
	return s;
}

/* ---- the state directory ---- */

/*
 * DIR/task-<id>, or DIR/<chain_id>-<contract>/task-<id> when the record
 * names its chain and contract (a redeployed contract's task 1 is another
 * task).
 */
static int
task_dir(char *out, size_t n, const struct denai_validator *v,
    const json_t *rec, const char *tid, denai_err *err)
{
	const json_t *ch = json_object_get(rec, "chain_id");
	const char *c = denai_record_str(rec, "contract");
	char pre[80] = "", lc[43];
	int k;

	if (c != NULL) {
		if (strlen(c) != 42 || c[0] != '0' || c[1] != 'x' ||
		    strspn(c + 2, "0123456789abcdefABCDEF") != 40)
			return denai_err_set(err, DENAI_EDATA, "the record's "
			    "contract is not an address");
		for (k = 0; k < 43; k++)
			lc[k] = (char)(c[k] >= 'A' && c[k] <= 'F' ? c[k] + 32 :
			    c[k]);
		if (json_is_integer(ch))
			snprintf(pre, sizeof(pre), "%lld-%s/",
			    (long long)json_integer_value(ch), lc);
		else
			snprintf(pre, sizeof(pre), "%s/", lc);
	}
	if ((size_t)snprintf(out, n, "%s/%stask-%s", v->state_dir, pre, tid) >=
	    n)
		return denai_err_set(err, DENAI_EUSAGE, "state path too long");
	return 0;
}

static int
save_json(const char *dir, const char *name, const json_t *o, denai_err *err)
{
	char path[PATH_MAX];
	char *s;
	int rc;

	if (denai_mkdirs(dir, err) != 0)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return denai_err_set(err, DENAI_EUSAGE, "state path too long");
	if ((s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_write_atomic(path, (const uint8_t *)s, strlen(s), 0600, err);
	free(s);
	if (rc == 0) {		/* the rename itself survives a crash */
		int fd = open(dir, O_RDONLY | O_DIRECTORY);

		if (fd < 0 || fsync(fd) != 0)
			rc = denai_err_set(err, DENAI_EIO, "cannot sync %s: %s",
			    dir, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return rc;
}

/* Returns: 1 and *o, 0 when the file does not exist, -1 with err. */
static int
load_json(const char *dir, const char *name, json_t **o, denai_err *err)
{
	char path[PATH_MAX];
	uint8_t *buf;
	size_t len;
	json_error_t je;

	*o = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (denai_file_read(&buf, &len, path, STATE_MAX, err) != 0)
		return -1;
	*o = json_loadb((const char *)buf, len, 0, &je);
	free(buf);
	if (!json_is_object(*o)) {
		json_decref(*o);
		*o = NULL;
		return denai_err_set(err, DENAI_EDATA, "%s: not a JSON object "
		    "(%s)", path, je.text);
	}
	return 1;
}

/* ---- submissions ---- */

static void
set_str(json_t *rec, const char *key, const char *s)
{
	json_object_set_new(rec, key, json_string(s));
}

/* Loads (or reuses) the test set a record names, and saves its verdict. */
static int
testset(struct denai_validator *v, const json_t *rec, const char *dir,
    const char *tid, denai_err *err)
{
	const char *test = denai_record_str(rec, "test_path");
	const char *train = denai_record_str(rec, "train_path");
	const char *label, *terr = denai_record_str(rec, "test_error");
	char key[sizeof(v->ts_key)];
	unsigned dec = 0;
	int kind = 0;
	json_t *o;

	if (kind_of(rec, &kind, err) != 0 || decimals_of(rec, &dec, err) != 0 ||
	    (label = need_str(rec, "label_column", err)) == NULL)
		return -1;
	if (terr == NULL && (test == NULL || *test == '\0'))
		return denai_err_set(err, DENAI_EDATA, "the record has no "
		    "test_path (nor test_error)");
	snprintf(key, sizeof(key), "%s|%s|%s|%s|%d|%u|%s", dir,
	    test ? test : "", train ? train : "", label, kind, dec,
	    terr ? terr : "");
	if (strcmp(key, v->ts_key) == 0)
		return 0;
	denai_validator_free(v);
	if (terr != NULL) {
		memset(&v->ts, 0, sizeof(v->ts));
		snprintf(v->ts.reason, sizeof(v->ts.reason), "unfetchable: %s",
		    terr);
	} else if (denai_testset_load(&v->ts, test, train, label, kind, dec,
	    v->limits, err) != 0)
		return -1;
	o = json_pack("{s:b,s:s,s:s?}", "test_valid", v->ts.valid,
	    "task_id", tid, "reason", v->ts.valid ? NULL : v->ts.reason);
	if (o == NULL || save_json(dir, "test.json", o, err) != 0) {
		json_decref(o);
		denai_validator_free(v);
		return o == NULL ? denai_err_set(err, DENAI_ENOMEM, "out of "
		    "memory") : -1;
	}
	json_decref(o);
	memcpy(v->ts_key, key, sizeof(key));
	return 0;
}

int
denai_validate_submission(struct denai_validator *v, json_t *rec,
    denai_err *err)
{
	char tidb[80], trb[43], dir[PATH_MAX], name[64];
	char dec[DENAI_U256_DEC_MAX];
	const char *tid, *tr, *model, *merr, *sha;
	struct denai_model_score ms;
	json_t *o, *old = NULL;

	if ((tid = task_id(rec, tidb, err)) == NULL ||
	    (tr = trainer(rec, trb, err)) == NULL ||
	    task_dir(dir, sizeof(dir), v, rec, tid, err) != 0)
		return -1;
	snprintf(name, sizeof(name), "score-%s.json", tr);
	sha = denai_record_str(rec, "model_sha256");
	merr = denai_record_str(rec, "model_error");
	model = denai_record_str(rec, "model_path");
	if (merr == NULL && (model == NULL || *model == '\0'))
		return denai_err_set(err, DENAI_EDATA, "the record has no "
		    "model_path (nor model_error)");
	if (testset(v, rec, dir, tid, err) != 0)
		return -1;
	/* The same model scored before (a restart): its saved score. */
	if (load_json(dir, name, &old, err) < 0)
		return -1;
	if (old != NULL && sha != NULL && json_is_string(json_object_get(old,
	    "model_sha256")) && strcmp(json_string_value(json_object_get(old,
	    "model_sha256")), sha) == 0 && json_is_boolean(json_object_get(
	    old, "test_valid")) && json_is_true(json_object_get(old,
	    "test_valid")) == v->ts.valid) {
		json_object_set(rec, "score", json_object_get(old, "score"));
		json_object_set(rec, "rows", json_object_get(old, "rows"));
		json_object_set(rec, "test_valid", json_object_get(old,
		    "test_valid"));
		if (json_is_string(json_object_get(old, "invalid")))
			json_object_set(rec, "invalid", json_object_get(old,
			    "invalid"));
		json_decref(old);
		return 0;
	}
	json_decref(old);
	memset(&ms, 0, sizeof(ms));
	denai_score_invalid(&ms.score);
	if (!v->ts.valid)
		snprintf(ms.reason, sizeof(ms.reason), "test set: %.230s",
		    v->ts.reason);
	else if (merr != NULL)
		snprintf(ms.reason, sizeof(ms.reason), "unfetchable: %.200s", merr);
	else if (denai_validate_model(&ms, model, &v->ts, v->limits, v->jobs,
	    err) != 0)
		return -1;
	denai_int256_to_dec(dec, &ms.score);
	set_str(rec, "score", dec);
	json_object_set_new(rec, "rows", json_integer((json_int_t)ms.rows));
	json_object_set_new(rec, "test_valid", json_boolean(v->ts.valid));
	if (!ms.valid)
		set_str(rec, "invalid", ms.reason);
	else
		json_object_del(rec, "invalid");
	o = json_pack("{s:s,s:s,s:s?,s:s,s:I,s:b,s:s?}", "task_id", tid,
	    "trainer", tr, "model_sha256", sha, "score", dec, "rows",
	    (json_int_t)ms.rows, "test_valid", v->ts.valid, "invalid",
	    ms.valid ? NULL : ms.reason);
	if (o == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (save_json(dir, name, o, err) != 0) {
		json_decref(o);
		return -1;
	}
	json_decref(o);
	return 0;
}

/* ---- seals ---- */

int
denai_validate_seal(char out[67], const char *tid, const char *validator,
    int test_valid, const json_t *trainers, const json_t *scores,
    const char *salt_hex, denai_err *err)
{
	static const char ty[] =
	    "(uint256,address,bool,address[],int256[],bytes32)";
	denai_abi_type *t;
	json_t *args;
	uint8_t *enc = NULL, h[32];
	size_t n;
	int rc = -1;

	if ((t = denai_abi_type_parse(ty, sizeof(ty) - 1, err)) == NULL)
		return -1;
	args = json_pack("[s,s,b,O,O,s]", tid, validator, test_valid,
	    trainers, scores, salt_hex);
	if (args == NULL)
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
	else if (denai_abi_encode(&enc, &n, t, args, err) == 0) {
		denai_keccak256(h, enc, n);
		denai_hex_encode(out, h, 32);
		rc = 0;
	}
	free(enc);
	json_decref(args);
	denai_abi_type_free(t);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The saved scores of a task, ascending by trainer. */
static int
saved_scores(const char *dir, json_t *trainers, json_t *scores,
    denai_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : denai_err_set(err, DENAI_EIO,
		    "cannot read %s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l != 6 + 42 + 5 || strncmp(e->d_name, "score-", 6) != 0 ||
		    strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 16) *
			    sizeof(char *));

			if (p == NULL)
				break;
			names = p;
		}
		if ((names[n] = strdup(e->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++) {
		json_t *o;

		if (rc == 0 && load_json(dir, names[i], &o, err) < 0)
			rc = -1;
		else if (rc == 0) {
			const char *tr = json_string_value(json_object_get(o,
			    "trainer"));
			const char *sc = json_string_value(json_object_get(o,
			    "score"));

			if (tr == NULL || sc == NULL)
				rc = denai_err_set(err, DENAI_EDATA, "%s/%s: no "
				    "trainer or score", dir, names[i]);
			else {
				json_array_append_new(trainers, json_string(tr));
				json_array_append_new(scores, json_string(sc));
			}
			json_decref(o);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Copies the seal's fields into rec. */
static void
put_seal(json_t *rec, const json_t *seal)
{
	static const char *const keys[] = { "validator", "test_valid",
	    "trainers", "scores", "salt", "seal", NULL };

	for (int i = 0; keys[i] != NULL; i++)
		json_object_set(rec, keys[i], json_object_get(seal, keys[i]));
}

/* The test set's verdict for a task at score-commit time. */
static int
verdict(struct denai_validator *v, json_t *rec, const char *dir,
    const char *tid, int *valid, denai_err *err)
{
	json_t *o;
	int rc;

	if ((rc = load_json(dir, "test.json", &o, err)) < 0)
		return -1;
	if (rc == 0) {		/* no submission came: judge it now */
		if (denai_record_str(rec, "test_path") == NULL &&
		    denai_record_str(rec, "test_error") == NULL)
			return denai_err_set(err, DENAI_ESTATE, "no verdict on "
			    "task %s's test set yet: no submission was scored "
			    "and the record has no test_path", tid);
		if (testset(v, rec, dir, tid, err) != 0)
			return -1;
		*valid = v->ts.valid;
		return 0;
	}
	*valid = json_is_true(json_object_get(o, "test_valid"));
	json_decref(o);
	return 0;
}

int
denai_validate_task(struct denai_validator *v, json_t *rec, denai_err *err)
{
	const char *action = denai_record_str(rec, "action"), *tid;
	char tidb[80], dir[PATH_MAX], seal[67], salt[67];
	json_t *o = NULL, *trainers = NULL, *scores = NULL;
	uint8_t rnd[32];
	int rc, valid = 0;

	if (action == NULL || (strcmp(action, "score_commit") != 0 &&
	    strcmp(action, "score_reveal") != 0))
		return 0;
	if ((tid = task_id(rec, tidb, err)) == NULL ||
	    task_dir(dir, sizeof(dir), v, rec, tid, err) != 0)
		return -1;
	if ((rc = load_json(dir, "seal.json", &o, err)) < 0)
		return -1;
	if (rc == 1) {			/* committed before: the same seal */
		put_seal(rec, o);
		json_decref(o);
		return 0;
	}
	if (strcmp(action, "score_reveal") == 0)
		return denai_err_set(err, DENAI_ESTATE, "no committed scores "
		    "for task %s in the state directory", tid);
	if (v->validator[0] == '\0')
		return denai_err_set(err, DENAI_EUSAGE, "a score commit needs "
		    "the validator's address (--validator or a key)");
	if (verdict(v, rec, dir, tid, &valid, err) != 0)
		return -1;
	trainers = json_array();
	scores = json_array();
	if (trainers == NULL || scores == NULL) {
		rc = denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = saved_scores(dir, trainers, scores, err)) != 0)
		goto out;
	if (v->fixed_salt)
		memcpy(rnd, v->salt, 32);
	else if (getrandom(rnd, 32, 0) != 32) {
		rc = denai_err_set(err, DENAI_EIO, "getrandom: %s",
		    strerror(errno));
		goto out;
	}
	denai_hex_encode(salt, rnd, 32);
	if ((rc = denai_validate_seal(seal, tid, v->validator, valid, trainers,
	    scores, salt, err)) != 0)
		goto out;
	o = json_pack("{s:s,s:s,s:b,s:O,s:O,s:s,s:s}", "task_id", tid,
	    "validator", v->validator, "test_valid", valid, "trainers",
	    trainers, "scores", scores, "salt", salt, "seal", seal);
	if (o == NULL) {
		rc = denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = save_json(dir, "seal.json", o, err)) == 0)
		put_seal(rec, o);
out:
	explicit_bzero(rnd, sizeof(rnd));
	json_decref(o);
	json_decref(trainers);
	json_decref(scores);
	return rc;
}
